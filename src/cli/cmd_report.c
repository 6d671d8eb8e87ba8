/* cgan report: one HTML page and summary.json from a comparison directory,
 * optionally a training run and a sample sheet (cgan_report_write). */
#include <stdio.h>
#include <string.h>

#include "cgan.h"
#include "commands.h"

static const char *usage = "--compare REPORT_DIR [--run RUN_DIR] [--sheet SHEET.png] --out OUT_DIR";

static void help(void) {
    printf("usage: cgan report %s\n\n"
           "Write OUT_DIR/report.html and OUT_DIR/summary.json:\n"
           "  --compare REPORT_DIR  the directory `cgan compare --out` wrote (required): scatter\n"
           "                        plots, MAPD bars, distributions, the deviation table and the\n"
           "                        condition-recognition accuracy and confusion matrices\n"
           "  --run RUN_DIR         a training run: RUN_DIR/log.csv is drawn as loss curves\n"
           "                        (losses.svg); without --sheet its last samples_NNNNNN.png is\n"
           "                        the sample sheet\n"
           "  --sheet SHEET.png     the sample sheet to show (one row per condition, same noise)\n"
           "  --out OUT_DIR         created if missing; every picture the page shows is copied or\n"
           "                        written into it, so the directory is self-contained\n\n"
           "summary.json holds per-condition real and generated features and deviations, MAPD\n"
           "per feature with its real-vs-real floor, the recognition accuracy and confusion\n"
           "matrices, and the measurement settings (schema: docs/report.md).\n",
           usage);
}

int cli_cmd_report(int argc, char **argv) {
    const char *cmp = NULL, *run = NULL, *sheet = NULL, *out = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            help();
            return 0;
        } else if (!strcmp(a, "--compare") && val) {
            cmp = argv[++i];
        } else if (!strcmp(a, "--run") && val) {
            run = argv[++i];
        } else if (!strcmp(a, "--sheet") && val) {
            sheet = argv[++i];
        } else if (!strcmp(a, "--out") && val) {
            out = argv[++i];
        } else {
            return cli_usage("report", usage, "unknown argument or missing value");
        }
    }
    if (!cmp || !out) return cli_usage("report", usage, "--compare and --out are required");
    if (cgan_report_write(out, cmp, run, sheet) != CGAN_OK)
        return cli_fail("report", "cannot write the report");
    printf("report: %s/report.html, summary: %s/summary.json\n", out, out);
    return 0;
}
