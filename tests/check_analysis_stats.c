/* Distances against scipy.stats (tests/oracles/scipy_stats.sh), histograms
 * and the segmentation-free features against naive references. */
#include "test_util.h"

#include "analysis/analysis_internal.h"

START_TEST(ks_w1_match_scipy) {
    FILE *fp = fopen(test_data_path("analysis/stats_cases.txt"), "r");
    ck_assert(fp != NULL);
    char line[256];
    ck_assert(fgets(line, sizeof line, fp) != NULL); /* comment */
    int na, nb, cases = 0;
    while (fscanf(fp, "%d %d", &na, &nb) == 2) {
        double *a = malloc(sizeof(double) * na), *b = malloc(sizeof(double) * nb), D, W, P, d, w, p;
        for (int i = 0; i < na; i++) ck_assert(fscanf(fp, "%lf", &a[i]) == 1);
        for (int i = 0; i < nb; i++) ck_assert(fscanf(fp, "%lf", &b[i]) == 1);
        ck_assert(fscanf(fp, "%lf %lf %lf", &D, &W, &P) == 3);
        CK_OK(cgan_stats_ks(a, na, b, nb, &d, &p));
        CK_OK(cgan_stats_wasserstein1(a, na, b, nb, &w));
        ck_assert_msg(fabs(d - D) <= 1e-12, "case %d: D %.17g scipy %.17g", cases, d, D);
        ck_assert_msg(fabs(w - W) <= 1e-9 * fmax(1, W), "case %d: W1 %.17g scipy %.17g", cases, w, W);
        ck_assert_msg(fabs(p - P) <= 1e-9, "case %d: p %.17g scipy %.17g", cases, p, P);
        free(a);
        free(b);
        cases++;
    }
    fclose(fp);
    ck_assert_int_eq(cases, 7);
}
END_TEST

START_TEST(stats_errors) {
    double a[2] = {1, 2}, d, nan_v[1] = {NAN};
    int64_t cnt[3];
    CK_FAILS(cgan_stats_ks(a, 0, a, 2, &d, NULL), CGAN_EINVAL);
    CK_FAILS(cgan_stats_ks(nan_v, 1, a, 2, &d, NULL), CGAN_EINVAL);
    CK_FAILS(cgan_stats_wasserstein1(a, 2, NULL, 2, &d), CGAN_EINVAL);
    double bad_edges[2] = {2, 1};
    CK_FAILS(cgan_stats_histogram(a, 2, bad_edges, 2, cnt), CGAN_EINVAL);
}
END_TEST

START_TEST(histogram_matches_naive_count) {
    cgan_rng *r;
    CK_OK(cgan_rng_create(&r, 5));
    double x[500], edges[17];
    for (int i = 0; i < 500; i++) x[i] = 0.5 + 5 * cgan_rng_uniform(r);
    x[0] = 1.0; /* exactly on an edge: counts in the bin above */
    x[1] = 5.0;
    for (int k = 0; k <= 16; k++) edges[k] = 1.0 + 0.25 * k;
    int64_t got[18], want[18] = {0};
    CK_OK(cgan_stats_histogram(x, 500, edges, 17, got));
    for (int i = 0; i < 500; i++) {
        int b = 0;
        while (b < 17 && x[i] >= edges[b]) b++;
        want[b]++;
    }
    for (int b = 0; b < 18; b++) ck_assert_int_eq(got[b], want[b]);
    ck_assert_int_eq(got[17] >= 1, 1); /* 5.0 is overflow */
    cgan_rng_destroy(r);
}
END_TEST

START_TEST(threshold_special_cases) {
    int64_t h[256] = {0};
    int level;
    CK_OK(cgan_threshold_ij_default(h, &level));
    ck_assert_int_eq(level, 128); /* blank */
    h[0] = 100;
    h[255] = 50;
    CK_OK(cgan_threshold_ij_default(h, &level));
    ck_assert_int_eq(level, 128); /* binary 0/255 */
    memset(h, 0, sizeof h);
    h[50] = 10;
    h[200] = 10;
    CK_OK(cgan_threshold_ij_default(h, &level));
    ck_assert_int_eq(level, 125); /* midway */
    h[3] = -1;
    CK_FAILS(cgan_threshold_ij_default(h, &level), CGAN_EINVAL);
}
END_TEST

static uint8_t *random_mask(int w, int h, double p, uint64_t seed) {
    cgan_rng *r;
    cgan_rng_create(&r, seed);
    uint8_t *m = malloc((size_t)w * h);
    for (int i = 0; i < w * h; i++) m[i] = cgan_rng_uniform(r) < p;
    cgan_rng_destroy(r);
    return m;
}

START_TEST(s2_fft_equals_direct_sum) {
    const int sizes[3][3] = {{37, 29, 12}, {64, 64, 32}, {128, 96, 40}};
    for (int t = 0; t < 3; t++) {
        int w = sizes[t][0], h = sizes[t][1], R = sizes[t][2], side = 2 * R + 1;
        uint8_t *m = random_mask(w, h, 0.3 + 0.1 * t, 10 + t);
        int64_t *a = malloc(sizeof(int64_t) * side * side), *b = malloc(sizeof(int64_t) * side * side);
        CK_OK(cgan__s2_pairs_fft(m, w, h, R, a));
        CK_OK(cgan__s2_pairs_direct(m, w, h, R, b));
        for (int i = 0; i < side * side; i++) ck_assert_int_eq(a[i], b[i]);
        double rad[41];
        cgan__s2_radial(a, NULL, w, h, R, rad);
        ck_assert(fabs(rad[0] - (double)cgan__phase_pixels(m, w, h) / (w * h)) < 1e-15);
        free(a);
        free(b);
        free(m);
    }
}
END_TEST

/* Components (8-connected) minus holes (4-connected background regions that
 * do not reach the border), by flood filling: an independent Euler number. */
static int flood(const uint8_t *m, int w, int h, int *lab, int x0, int y0, int val, int conn8) {
    int *st = malloc(sizeof(int) * w * h), n = 0, border = 0;
    st[n++] = y0 * w + x0;
    lab[y0 * w + x0] = 1;
    while (n) {
        int p = st[--n], x = p % w, y = p / w;
        if (x == 0 || y == 0 || x == w - 1 || y == h - 1) border = 1;
        for (int dy = -1; dy <= 1; dy++)
            for (int dx = -1; dx <= 1; dx++) {
                if ((!conn8 && dx && dy) || (!dx && !dy)) continue;
                int xx = x + dx, yy = y + dy;
                if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
                int q = yy * w + xx;
                if (!lab[q] && m[q] == val) lab[q] = 1, st[n++] = q;
            }
    }
    free(st);
    return border;
}

START_TEST(euler_equals_components_minus_holes) {
    for (int t = 0; t < 6; t++) {
        int w = 40 + t, h = 33;
        uint8_t *m = random_mask(w, h, 0.35 + 0.05 * t, 100 + t);
        int *lab = calloc(w * h, sizeof(int)), comps = 0, holes = 0;
        for (int i = 0; i < w * h; i++)
            if (!lab[i]) {
                int border = flood(m, w, h, lab, i % w, i / w, m[i], m[i]);
                if (m[i]) comps++;
                else if (!border) holes++;
            }
        ck_assert_int_eq(cgan__euler8(m, w, h), comps - holes);
        free(lab);
        free(m);
    }
}
END_TEST

START_TEST(chords_and_interface_by_hand) {
    /* rows: 0110111 / 1110110 / 0000000 / 0111110 ; 7 x 4 */
    const char *rows[4] = {"0110111", "1110110", "0000000", "0111110"};
    uint8_t m[28];
    for (int y = 0; y < 4; y++)
        for (int x = 0; x < 7; x++) m[y * 7 + x] = rows[y][x] == '1';
    double *len;
    int64_t n;
    CK_OK(cgan__chords(m, NULL, 7, 4, 0, &len, &n));
    /* row 0: "11" inner, "111" touches right -> drop; row 1: "111" touches left,
     * "11" inner; row 3: "11111" inner */
    ck_assert_int_eq(n, 3);
    ck_assert(len[0] == 2 && len[1] == 2 && len[2] == 5);
    free(len);
    CK_OK(cgan__chords(m, NULL, 7, 4, 1, &len, &n));
    /* columns: only chords not touching top or bottom: col 0 "0100" -> 1 */
    ck_assert_int_eq(n, 1);
    ck_assert(len[0] == 1);
    free(len);
    uint8_t sq[16] = {0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0};
    ck_assert_int_eq(cgan__interface_pairs(sq, NULL, 4, 4), 8);
}
END_TEST

/* A um/px scale multiplies areas by um^2 and lengths by um. */
START_TEST(calibration_scales_units) {
    cgan_tensor *img;
    cgan_analysis_opts *o;
    cgan_micrograph *a, *b;
    CK_OK(cgan_image_read(test_data_path("imagej/r002.pgm"), &img, NULL));
    CK_OK(cgan_analysis_opts_create(&o));
    CK_OK(cgan_micrograph_analyze(&a, img, 8, o));
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_UM_PER_PX, 0.5));
    CK_OK(cgan_micrograph_analyze(&b, img, 8, o));
    int64_t n = cgan_micrograph_count(a);
    ck_assert_int_eq(n, cgan_micrograph_count(b));
    double *ca = malloc(8 * n), *cb = malloc(8 * n);
    const double f[CGAN_COL_COUNT_] = {0.25, 0.5, 0.5, 0.5, 0.5, 0.5, 1, 1, 1, 0.5};
    for (int c = 0; c < CGAN_COL_COUNT_; c++) {
        CK_OK(cgan_micrograph_column(a, c, ca, n));
        CK_OK(cgan_micrograph_column(b, c, cb, n));
        for (int64_t i = 0; i < n; i++) ck_assert(fabs(cb[i] - f[c] * ca[i]) <= 1e-12 * fabs(ca[i]) + 1e-15);
    }
    double da, db;
    CK_OK(cgan_micrograph_feature(a, CGAN_FEATURE_DENSITY, &da));
    CK_OK(cgan_micrograph_feature(b, CGAN_FEATURE_DENSITY, &db));
    ck_assert(fabs(db - 4 * da) < 1e-15);
    CK_OK(cgan_micrograph_feature(a, CGAN_FEATURE_SPECIFIC_PERIMETER, &da));
    CK_OK(cgan_micrograph_feature(b, CGAN_FEATURE_SPECIFIC_PERIMETER, &db));
    ck_assert(fabs(db - 2 * da) < 1e-12);
    free(ca);
    free(cb);
    cgan_micrograph_destroy(a);
    cgan_micrograph_destroy(b);
    cgan_analysis_opts_destroy(o);
    cgan_tensor_destroy(img);
}
END_TEST

/* The intermediate-grey phase: uniform grains (~90) in a eutectic of
 * near-black (~30) and near-white (~220) lamellae ~4.3 px apart (sinusoidal
 * profile, so the lamellae pass through the grains' grey).  Smoothing over
 * a lamella period turns the eutectic mid-grey (~125) so that a window
 * around 90 finds exactly the grains. */
START_TEST(window_finds_grains_between_lamellae) {
    const int W = 160, H = 120, ng = 6;
    const double gx[6] = {30, 80, 130, 35, 85, 128}, gy[6] = {30, 28, 35, 85, 90, 80};
    const double gr[6] = {12, 9, 14, 10, 13, 8};
    cgan_tensor *img;
    cgan_rng *r;
    CK_OK(cgan_tensor_create4(&img, 1, 1, H, W));
    CK_OK(cgan_rng_create(&r, 9));
    float *px = cgan_tensor_data(img);
    int64_t grain_px = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            double v = 125 + 95 * sin(2 * M_PI * (x + 0.7 * y) / 5.3); /* oblique lamellae */
            for (int g = 0; g < ng; g++)
                if ((x + 0.5 - gx[g]) * (x + 0.5 - gx[g]) + (y + 0.5 - gy[g]) * (y + 0.5 - gy[g]) <
                    gr[g] * gr[g]) {
                    v = 90;
                    grain_px++;
                }
            v += 4 * cgan_rng_normal(r);
            px[y * W + x] = (float)(fmin(fmax(v, 0), 255) / 255.0);
        }
    cgan_analysis_opts *o;
    cgan_micrograph *m;
    CK_OK(cgan_analysis_opts_create(&o));
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_PHASE, CGAN_PHASE_WINDOW));
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_SMOOTH_SIGMA, 2.0));
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_WINDOW_LO, 60));
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_WINDOW_HI, 108));
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_MIN_SIZE, 20));
    CK_OK(cgan_micrograph_analyze(&m, img, 8, o));
    ck_assert_int_eq(cgan_micrograph_count(m), ng);
    double total;
    CK_OK(cgan_micrograph_feature(m, CGAN_FEATURE_TOTAL_AREA, &total));
    ck_assert_msg(fabs(total - grain_px) < 0.08 * grain_px, "area %g, drawn %lld", total,
                  (long long)grain_px);
    /* without smoothing the lamellae's flanks fall into the window too */
    cgan_micrograph_destroy(m);
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_SMOOTH_SIGMA, 0));
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_MIN_SIZE, 0));
    CK_OK(cgan_micrograph_analyze(&m, img, 8, o));
    CK_OK(cgan_micrograph_feature(m, CGAN_FEATURE_TOTAL_AREA, &total));
    ck_assert_msg(total > 1.5 * grain_px, "area %g, drawn %lld", total, (long long)grain_px);
    cgan_micrograph_destroy(m);
    cgan_analysis_opts_destroy(o);
    cgan_rng_destroy(r);
    cgan_tensor_destroy(img);
}
END_TEST

Suite *cgan_test_analysis_stats_suite(void) {
    Suite *s = suite_create("analysis_stats");
    TCase *tc = tcase_create("stats");
    tcase_add_test(tc, ks_w1_match_scipy);
    tcase_add_test(tc, stats_errors);
    tcase_add_test(tc, histogram_matches_naive_count);
    tcase_add_test(tc, threshold_special_cases);
    tcase_add_test(tc, s2_fft_equals_direct_sum);
    tcase_add_test(tc, euler_equals_components_minus_holes);
    tcase_add_test(tc, chords_and_interface_by_hand);
    tcase_add_test(tc, calibration_scales_units);
    tcase_add_test(tc, window_finds_grains_between_lamellae);
    suite_add_tcase(s, tc);
    return s;
}
