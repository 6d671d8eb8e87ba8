/* The analysis module against the alloy generator's ground truth (issue 6):
 * small images of all 8 default conditions, measured with the documented
 * primary-phase recipe (docs/analysis.md section 5), must give each
 * condition's mean grain area, grain density and mean aspect ratio within
 * 5 % of the truth, and the paper's trends.
 *
 * Truth and measurement use the same policy: grains touching the border are
 * left out (--exclude-edges), so are grains with a pixel in the crack mask
 * (the exclusion mask of data preparation) and grains below the minimum
 * size; density is per um^2 of the field outside the mask; AR is ImageJ's
 * Major/Minor of the fitted ellipse (truth: the generator's grain table,
 * fitted the same way on the label map). */
#include "test_util.h"

#define W 512
#define H 384
#define IMAGES 2

static const double temps[4] = {800, 900, 1000, 1100}, rates[2] = {0.001, 0.1};

/* Per-condition sums: count, area (um^2), AR, field (um^2). */
typedef struct sums {
    double n, area, ar, field;
} sums;

/* The recipe of docs/analysis.md section 5. */
static cgan_analysis_opts *recipe(double um_per_px) {
    cgan_analysis_opts *o;
    CK_OK(cgan_analysis_opts_create(&o));
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_PHASE, CGAN_PHASE_WINDOW));
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_WINDOW_LO, 72));
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_WINDOW_HI, 150));
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_OPEN_RADIUS, 1));
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_INCLUDE_HOLES, 1));
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_MIN_SIZE, 20));
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_EDGES, CGAN_EDGES_EXCLUDE));
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_UM_PER_PX, um_per_px));
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_S2_RADIUS, 8));
    return o;
}

/* Add one image's measurement; mask may be NULL. */
static void add_measured(sums *s, const cgan_synth_image *im, const cgan_tensor *mask,
                         const cgan_analysis_opts *o) {
    cgan_micrograph *m;
    double n, area, ar, dens;
    CK_OK(cgan_micrograph_analyze_masked(&m, cgan_synth_image_pixels(im), 8, mask, o));
    CK_OK(cgan_micrograph_feature(m, CGAN_FEATURE_COUNT, &n));
    CK_OK(cgan_micrograph_feature(m, CGAN_FEATURE_TOTAL_AREA, &area));
    CK_OK(cgan_micrograph_feature(m, CGAN_FEATURE_MEAN_AR, &ar));
    CK_OK(cgan_micrograph_feature(m, CGAN_FEATURE_DENSITY, &dens));
    ck_assert_msg(n > 0, "no grain measured");
    s->n += n;
    s->area += area;
    s->ar += ar * n;
    s->field += n / dens;
    cgan_micrograph_destroy(m);
}

/* Add one image's truth: interior grains of at least min_px pixels with no
 * pixel in the mask (mask may be NULL). */
static void add_truth(sums *s, const cgan_synth_image *im, const cgan_tensor *mask, double um,
                      double min_px) {
    int64_t n = cgan_synth_image_grain_count(im), np = (int64_t)W * H;
    const float *rows = cgan_tensor_data_const(cgan_synth_image_grains(im));
    const float *lab = cgan_tensor_data_const(cgan_synth_image_labels(im));
    const float *mk = mask ? cgan_tensor_data_const(mask) : NULL;
    char *hit = calloc((size_t)n + 1, 1);
    double field = 0;
    for (int64_t q = 0; q < np; q++) {
        int masked = mk && mk[q] > 0.5f;
        field += !masked;
        if (masked) hit[(int64_t)lab[q]] = 1;
    }
    for (int64_t i = 0; i < n; i++) {
        const float *r = rows + i * CGAN_SYNTH_GRAIN_COLUMNS;
        if (r[CGAN_SYNTH_GRAIN_EDGE] != 0 || hit[i + 1] || r[CGAN_SYNTH_GRAIN_AREA] < min_px)
            continue;
        s->n += 1;
        s->area += r[CGAN_SYNTH_GRAIN_AREA] * um * um;
        s->ar += r[CGAN_SYNTH_GRAIN_MAJOR] / r[CGAN_SYNTH_GRAIN_MINOR];
    }
    s->field += field * um * um;
    free(hit);
}

static double dev(double measured, double truth) { return 100.0 * (measured / truth - 1.0); }

START_TEST(recipe_recovers_alloy_truth) {
    cgan_synth_alloy *g;
    double um, area[4][2], ar[4][2];
    CK_OK(cgan_synth_alloy_create(&g));
    CK_OK(cgan_synth_alloy_set_param(g, CGAN_SYNTH_ALLOY_WIDTH, W));
    CK_OK(cgan_synth_alloy_set_param(g, CGAN_SYNTH_ALLOY_HEIGHT, H));
    CK_OK(cgan_synth_alloy_get_param(g, CGAN_SYNTH_ALLOY_UM_PER_PX, &um));
    cgan_analysis_opts *o = recipe(um);
    printf("check_synth_analysis: %d images of %dx%d per condition, --window 72:150 --open 1 "
           "--include-holes --min-size 20 --exclude-edges, crack mask applied\n",
           IMAGES, W, H);
    printf("%-6s %-6s %6s %6s | %9s %9s %6s | %10s %10s %6s | %6s %6s %6s\n", "T_C", "rate", "n_tru",
           "n_mea", "area_tru", "area_mea", "dev%", "dens_tru", "dens_mea", "dev%", "AR_tru",
           "AR_mea", "dev%");
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 2; j++) {
            sums t = {0, 0, 0, 0}, m = {0, 0, 0, 0}, raw = {0, 0, 0, 0}, traw = {0, 0, 0, 0};
            for (int k = 0; k < IMAGES; k++) {
                cgan_synth_image *im;
                CK_OK(cgan_synth_alloy_render(g, temps[i], rates[j], 100 + k, &im));
                const cgan_tensor *mask =
                    cgan_synth_image_crack_count(im) > 0 ? cgan_synth_image_crack_mask(im) : NULL;
                add_truth(&t, im, mask, um, 20);
                add_measured(&m, im, mask, o);
                if (mask) { /* the same image measured and counted without the mask */
                    add_measured(&raw, im, NULL, o);
                    add_truth(&traw, im, NULL, um, 20);
                }
                cgan_synth_image_destroy(im);
            }
            double ta = t.area / t.n, ma = m.area / m.n, td = t.n / t.field, md = m.n / m.field;
            double tr = t.ar / t.n, mr = m.ar / m.n;
            printf("%-6.0f %-6g %6.0f %6.0f | %9.3f %9.3f %+6.2f | %10.4f %10.4f %+6.2f | %6.3f "
                   "%6.3f %+6.2f\n",
                   temps[i], rates[j], t.n, m.n, ta, ma, dev(ma, ta), td, md, dev(md, td), tr, mr,
                   dev(mr, tr));
            if (raw.n > 0)
                printf("%13s without the crack mask: %.0f true grains, %.0f particles, mean area "
                       "%+.2f %%, AR %+.2f %%\n",
                       "", traw.n, raw.n, dev(raw.area / raw.n, traw.area / traw.n),
                       dev(raw.ar / raw.n, traw.ar / traw.n));
            ck_assert_msg(t.n >= 40, "only %g true grains at %g C, %g/s", t.n, temps[i], rates[j]);
            ck_assert_msg(fabs(dev(ma, ta)) < 5, "mean area %+.2f %% at %g C, %g/s", dev(ma, ta),
                          temps[i], rates[j]);
            ck_assert_msg(fabs(dev(md, td)) < 5, "density %+.2f %% at %g C, %g/s", dev(md, td),
                          temps[i], rates[j]);
            ck_assert_msg(fabs(dev(mr, tr)) < 5, "mean AR %+.2f %% at %g C, %g/s", dev(mr, tr),
                          temps[i], rates[j]);
            area[i][j] = ma;
            ar[i][j] = mr;
        }
    fflush(stdout);
    /* the paper's trends, on the measured values */
    for (int j = 0; j < 2; j++)
        for (int i = 1; i < 4; i++) {
            ck_assert_msg(area[i][j] > area[i - 1][j], "size not rising with T at %g/s", rates[j]);
            ck_assert_msg(ar[i][j] < ar[i - 1][j], "AR not falling with T at %g/s", rates[j]);
        }
    for (int i = 0; i < 4; i++)
        ck_assert_msg(ar[i][1] > ar[i][0], "AR not rising with the rate at %g C", temps[i]);
    cgan_analysis_opts_destroy(o);
    cgan_synth_alloy_destroy(g);
}
END_TEST

Suite *cgan_test_synth_analysis_suite(void) {
    Suite *s = suite_create("synth_analysis");
    TCase *tc = tcase_create("truth");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, recipe_recovers_alloy_truth);
    suite_add_tcase(s, tc);
    return s;
}
