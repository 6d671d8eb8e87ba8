/* cgan sheet: a sample sheet PNG of a prepared data set (the paper's Fig. 2). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgan.h"
#include "commands.h"

static int number(const char *s, double *v) {
    char *end;
    *v = strtod(s, &end);
    return end != s && *end == '\0';
}

static const char *sheet_usage =
    "DATA.npz --out SHEET.png [--cols 8] [--seed 1]\n"
    "\n"
    "Draws a sample sheet of a prepared data set: one labelled row per condition, --cols\n"
    "patches each (untransformed patches first).";

int cli_cmd_sheet(int argc, char **argv) {
    const char *cmd = "sheet", *data = NULL, *out = NULL;
    double cols = 8, seed = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("usage: cgan sheet %s\n", sheet_usage);
            return 0;
        }
        if (argv[i][0] != '-') { data = argv[i]; continue; }
        if (i + 1 >= argc) return cli_usage(cmd, sheet_usage, "an option lacks its value");
        const char *v = argv[++i];
        if (!strcmp(argv[i - 1], "--out")) out = v;
        else if (!strcmp(argv[i - 1], "--cols") && number(v, &cols) && cols >= 1) {}
        else if (!strcmp(argv[i - 1], "--seed") && number(v, &seed) && seed >= 0) {}
        else return cli_usage(cmd, sheet_usage, "unknown option or bad value");
    }
    if (!data || !out) return cli_usage(cmd, sheet_usage, "DATA.npz and --out are required");
    cgan_dataset *d;
    if (cgan_dataset_load(&d, data) != CGAN_OK) return cli_fail(cmd, "cannot load the data set");
    int rc = cgan_dataset_sheet(d, out, (int64_t)cols, (uint64_t)seed);
    cgan_dataset_destroy(d);
    if (rc != CGAN_OK) return cli_fail(cmd, "cannot write the sheet");
    printf("wrote %s\n", out);
    return 0;
}
