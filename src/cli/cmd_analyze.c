/* cgan analyze: ImageJ-style particle measurement of micrographs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgan.h"
#include "commands.h"

static const char *usage =
    "[OPTIONS] [--particles OUT.csv] [--summary OUT.csv] [--mask MASK] IMAGE...";

static void help(void) {
    printf("usage: cgan analyze %s\n\n"
           "Measure the grains of each image as ImageJ's Analyze Particles does and print\n"
           "a per-image summary (or write it with --summary).  --particles writes one row\n"
           "per particle: Image,Area,X,Y,Perim.,Major,Minor,Angle,Circ.,AR.\n"
           "--mask MASK applies to the IMAGE that follows it: nonzero mask pixels (e.g. a\n"
           "crack mask of cgan synth alloy) are left out of the measured field, and\n"
           "particles touching them are dropped.\n\n%s",
           usage, cli_analysis_help);
}

static void print_summary(const char *name, const cgan_micrograph *m) {
    double v[5];
    static const cgan_feature f[5] = {CGAN_FEATURE_COUNT, CGAN_FEATURE_MEAN_AREA,
                                      CGAN_FEATURE_DENSITY, CGAN_FEATURE_MEAN_AR,
                                      CGAN_FEATURE_PHASE_FRACTION};
    for (int k = 0; k < 5; k++) cgan_micrograph_feature(m, f[k], &v[k]);
    printf("%-30s %7.0f %11.4g %11.4g %7.3f %8.4f\n", name, v[0], v[1], v[2], v[3], v[4]);
}

int cli_cmd_analyze(int argc, char **argv) {
    const char *particles = NULL, *summary = NULL;
    cgan_analysis_opts *o = NULL;
    int rc = 0, nimg = 0;
    if (cgan_analysis_opts_create(&o) != CGAN_OK) return cli_fail("analyze", "options");
    char **images = calloc((size_t)argc, sizeof(char *));
    char **masks = calloc((size_t)argc, sizeof(char *)); /* masks[i]: of images[i], or NULL */
    const char *pending = NULL;                           /* --mask waiting for its image */
    cgan_micrograph **ms = calloc((size_t)argc, sizeof *ms);
    if (!images || !masks || !ms) {
        rc = cli_fail("analyze", "out of memory");
        goto done;
    }
    for (int i = 1; i < argc; i++) {
        int r;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            help();
            goto done;
        } else if (!strcmp(argv[i], "--particles") && i + 1 < argc) {
            particles = argv[++i];
        } else if (!strcmp(argv[i], "--summary") && i + 1 < argc) {
            summary = argv[++i];
        } else if (!strcmp(argv[i], "--mask") && i + 1 < argc) {
            pending = argv[++i];
        } else if ((r = cli_analysis_option("analyze", o, argc, argv, &i)) != 0) {
            if (r < 0) {
                rc = 2;
                goto done;
            }
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            rc = cli_usage("analyze", usage, "unknown option");
            goto done;
        } else {
            masks[nimg] = (char *)pending;
            pending = NULL;
            images[nimg++] = argv[i];
        }
    }
    if (pending) {
        rc = cli_usage("analyze", usage, "--mask must come before its image");
        goto done;
    }
    if (nimg == 0) {
        rc = cli_usage("analyze", usage, "no images given");
        goto done;
    }
    for (int i = 0; i < nimg; i++) {
        cgan_tensor *img = NULL, *mask = NULL;
        int bits = 8, mbits = 8;
        if (cgan_image_read(images[i], &img, &bits) != CGAN_OK ||
            (masks[i] && cgan_image_read(masks[i], &mask, &mbits) != CGAN_OK) ||
            cgan_micrograph_analyze_masked(&ms[i], img, bits, mask, o) != CGAN_OK) {
            cgan_tensor_destroy(img);
            cgan_tensor_destroy(mask);
            char what[1200];
            snprintf(what, sizeof what, "cannot analyze %s%s%s", images[i],
                     masks[i] ? " with mask " : "", masks[i] ? masks[i] : "");
            rc = cli_fail("analyze", what);
            goto done;
        }
        cgan_tensor_destroy(img);
        cgan_tensor_destroy(mask);
        if (!particles && !summary) {
            if (i == 0)
                printf("%-30s %7s %11s %11s %7s %8s\n", "image", "count", "mean_area", "density",
                       "mean_AR", "fraction");
            print_summary(images[i], ms[i]);
        }
    }
    if (particles && cgan_micrograph_write_particles_csv(
                         particles, (const cgan_micrograph *const *)ms,
                         (const char *const *)images, nimg) != CGAN_OK)
        rc = cli_fail("analyze", "cannot write the particle table");
    if (rc == 0 && summary &&
        cgan_micrograph_write_summary_csv(summary, (const cgan_micrograph *const *)ms,
                                          (const char *const *)images, nimg) != CGAN_OK)
        rc = cli_fail("analyze", "cannot write the summary table");
done:
    for (int i = 0; ms && i < nimg; i++) cgan_micrograph_destroy(ms[i]);
    free(ms);
    free(images);
    free(masks);
    cgan_analysis_opts_destroy(o);
    return rc;
}
