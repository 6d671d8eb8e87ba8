/* cgan compare: real vs generated micrographs per processing condition,
 * written as CSV tables and SVG plots. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cgan.h"
#include "commands.h"

static const char *usage = "--real DIR_OR_MANIFEST --generated DIR_OR_MANIFEST --out REPORT_DIR [OPTIONS]";

static void help(void) {
    printf("usage: cgan compare %s\n\n"
           "Measure both image sets and write means.csv, deviations.csv (MAPD), distances.csv (KS, W1),\n"
           "histograms.csv, s2.csv, images.csv and the plots scatter_size.svg,\n"
           "scatter_density.svg, scatter_ar.svg, deviations.svg, dist_area.svg and\n"
           "dist_ar.svg into REPORT_DIR; condition recognition (each generated image\n"
           "assigned to the nearest real condition's centroid of standardised features,\n"
           "real images leave-one-out as the baseline) into recognition.csv, confusion.csv,\n"
           "recognition_images.csv and confusion.svg; the settings into settings.csv.\n"
           "`cgan report --compare REPORT_DIR` turns it into one HTML page.\n\n"
           "An image set is a directory DIR/<condition>/*.png (scale from --um-per-px) or a\n"
           "manifest CSV as for cgan prepare (path, um_per_px, optional roi and mask: the\n"
           "roi is measured, mask pixels are excluded).  Conditions are matched by name; a\n"
           "manifest's condition temperature_C=900 strain_rate_per_s=0.1 matches the\n"
           "directory temperature_C=900,strain_rate_per_s=0.1 ('/' and other unsafe\n"
           "characters become '_').\n\n"
           "comparison:\n"
           "  --aggregation pooled|image  per-condition means particle-weighted (default)\n"
           "                              or as the mean of per-image values\n"
           "  --bootstrap B     random halvings / resamples for the noise floor (default 200)\n"
           "  --seed S          seed of those (default 1)\n\n%s",
           usage, cli_analysis_help);
}

/* A directory of condition folders or a manifest file.  Returns the exit
 * status (0 ok, 1 message printed). */
static int load_set(cgan_imageset *s, const char *where, double um, const char *which) {
    struct stat st;
    char what[64];
    if (stat(where, &st) != 0) {
        fprintf(stderr, "cgan compare: %s images: %s does not exist\n", which, where);
        return 1;
    }
    if (S_ISDIR(st.st_mode)) {
        if (cgan_imageset_add_dir(s, where, um) == CGAN_OK) return 0;
        snprintf(what, sizeof what, "cannot list the %s images", which);
    } else {
        if (cgan_imageset_add_manifest(s, where) == CGAN_OK) return 0;
        snprintf(what, sizeof what, "cannot read the %s manifest", which);
    }
    return cli_fail("compare", what);
}

int cli_cmd_compare(int argc, char **argv) {
    const char *real = NULL, *gen = NULL, *out = NULL;
    cgan_analysis_opts *o = NULL;
    cgan_imageset *rs = NULL, *gs = NULL;
    cgan_comparison *c = NULL;
    int rc = 0;
    if (cgan_analysis_opts_create(&o) != CGAN_OK) return cli_fail("compare", "options");
    for (int i = 1; i < argc && rc == 0; i++) {
        const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        int r;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            help();
            goto done;
        } else if (!strcmp(a, "--real") && val) {
            real = argv[++i];
        } else if (!strcmp(a, "--generated") && val) {
            gen = argv[++i];
        } else if (!strcmp(a, "--out") && val) {
            out = argv[++i];
        } else if (!strcmp(a, "--aggregation") && val) {
            int agg = !strcmp(val, "image") ? CGAN_AGG_IMAGE : !strcmp(val, "pooled") ? CGAN_AGG_POOLED : -1;
            if (agg < 0) rc = cli_usage("compare", usage, "--aggregation is pooled or image");
            else cgan_analysis_opts_set(o, CGAN_ANALYSIS_AGGREGATION, agg);
            i++;
        } else if ((!strcmp(a, "--bootstrap") || !strcmp(a, "--seed")) && val) {
            char *end;
            double v = strtod(val, &end);
            if (*end != '\0' || cgan_analysis_opts_set(o, !strcmp(a, "--seed") ? CGAN_ANALYSIS_SEED
                                                                              : CGAN_ANALYSIS_BOOTSTRAP,
                                                       v) != CGAN_OK)
                rc = cli_usage("compare", usage, "bad --bootstrap or --seed value");
            i++;
        } else if ((r = cli_analysis_option("compare", o, argc, argv, &i)) != 0) {
            if (r < 0) rc = 2;
        } else {
            rc = cli_usage("compare", usage, "unknown argument");
        }
    }
    if (rc != 0) goto done;
    if (!real || !gen || !out) {
        rc = cli_usage("compare", usage, "--real, --generated and --out are required");
        goto done;
    }
    double um = 0;
    cgan_analysis_opts_get(o, CGAN_ANALYSIS_UM_PER_PX, &um);
    if (cgan_imageset_create(&rs) != CGAN_OK || cgan_imageset_create(&gs) != CGAN_OK) {
        rc = cli_fail("compare", "out of memory");
        goto done;
    }
    if ((rc = load_set(rs, real, um, "real")) != 0 || (rc = load_set(gs, gen, um, "generated")) != 0)
        goto done;
    if (cgan_comparison_run(&c, rs, gs, o) != CGAN_OK) {
        rc = cli_fail("compare", "comparison failed");
        goto done;
    }
    if (cgan_comparison_write_report(c, out) != CGAN_OK) {
        rc = cli_fail("compare", "cannot write the report");
        goto done;
    }
    printf("%lld real and %lld generated images, %d conditions; report in %s\n",
           (long long)cgan_imageset_count(rs), (long long)cgan_imageset_count(gs),
           cgan_comparison_n_conditions(c), out);
    static const cgan_feature f[3] = {CGAN_FEATURE_MEAN_AREA, CGAN_FEATURE_DENSITY,
                                      CGAN_FEATURE_MEAN_AR};
    static const char *names[3] = {"grain size", "grain density", "aspect ratio"};
    for (int k = 0; k < 3; k++) {
        double m, fl;
        cgan_comparison_mapd(c, f[k], &m, &fl);
        printf("MAPD %-14s %6.1f %%  (real vs real floor %.1f %%)\n", names[k], m, fl);
    }
    double acc, loo;
    cgan_comparison_recognition(c, CGAN_SET_GENERATED, &acc, NULL);
    cgan_comparison_recognition(c, CGAN_SET_REAL, &loo, NULL);
    printf("condition recognition %5.1f %%  (real leave-one-out %.1f %%, chance %.1f %%)\n",
           100 * acc, 100 * loo, 100.0 / cgan_comparison_n_conditions(c));
done:
    cgan_comparison_destroy(c);
    cgan_imageset_destroy(rs);
    cgan_imageset_destroy(gs);
    cgan_analysis_opts_destroy(o);
    return rc;
}
