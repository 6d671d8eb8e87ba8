/* cgan export: a prepared data set's patches as PNGs per condition. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgan.h"
#include "commands.h"

static const char *usage = "--data DATA.npz --out DIR [--per-class N] [--seed S]\n"
                           "  Write up to N (default 32) untransformed patches of every condition\n"
                           "  as DIR/<condition>/patch_NNNN.png, the layout `cgan compare` reads.";

int cli_cmd_export(int argc, char **argv) {
    const char *data = NULL, *out = NULL;
    long long per_class = 32;
    unsigned long long seed = 1;
    cgan_dataset *d;
    int64_t written = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("usage: cgan export %s\n", usage);
            return 0;
        }
        if (i + 1 >= argc) return cli_usage("export", usage, "an option is missing its value");
        char *end = NULL;
        if (!strcmp(argv[i], "--data")) data = argv[++i];
        else if (!strcmp(argv[i], "--out")) out = argv[++i];
        else if (!strcmp(argv[i], "--per-class")) per_class = strtoll(argv[++i], &end, 10);
        else if (!strcmp(argv[i], "--seed")) seed = strtoull(argv[++i], &end, 10);
        else return cli_usage("export", usage, "unknown option");
        if (end && (*end || per_class < 1)) return cli_usage("export", usage, "expected a positive whole number");
    }
    if (!data || !out) return cli_usage("export", usage, "--data and --out are required");
    if (cgan_dataset_load(&d, data) != CGAN_OK) return cli_fail("export", "cannot load the data set");
    int rc = cgan_dataset_export_png(d, out, per_class, seed, &written);
    cgan_dataset_destroy(d);
    if (rc != CGAN_OK) return cli_fail("export", "cannot write the patches");
    fprintf(stderr, "cgan export: %lld patches -> %s\n", (long long)written, out);
    return 0;
}
