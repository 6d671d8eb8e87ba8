/* Create/destroy cycles and error paths of the analysis objects; run under
 * valgrind by `make check` (suite "lifecycle"), so kept small. */
#include "test_util.h"

static cgan_tensor *tiny_image(uint64_t seed) {
    cgan_tensor *t;
    cgan_rng *r;
    CK_OK(cgan_tensor_create4(&t, 1, 1, 24, 20));
    CK_OK(cgan_rng_create(&r, seed));
    CK_OK(cgan_tensor_fill_uniform(t, r, 0.0f, 1.0f));
    cgan_rng_destroy(r);
    return t;
}

START_TEST(micrograph_cycles) {
    cgan_analysis_opts *o;
    CK_OK(cgan_analysis_opts_create(&o));
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_S2_RADIUS, 8));
    for (int i = 0; i < 4; i++) {
        cgan_tensor *t = tiny_image(i);
        cgan_micrograph *m;
        CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_INCLUDE_HOLES, i % 2));
        CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_SMOOTH_SIGMA, i >= 2 ? 1.0 : 0.0));
        CK_OK(cgan_micrograph_analyze(&m, t, i == 3 ? 16 : 8, o));
        cgan_tensor *mask;
        CK_OK(cgan_micrograph_mask(m, &mask));
        double s2[9];
        int64_t n;
        CK_OK(cgan_micrograph_s2(m, s2, cgan_micrograph_s2_radius(m) + 1));
        CK_OK(cgan_micrograph_chords(m, 1, NULL, 0, &n));
        CK_FAILS(cgan_micrograph_s2(m, s2, 3), CGAN_EINVAL);
        CK_FAILS(cgan_micrograph_column(m, CGAN_COL_AREA, s2, -1), CGAN_EINVAL);
        cgan_tensor_destroy(mask);
        cgan_micrograph_destroy(m);
        cgan_tensor_destroy(t);
    }
    cgan_micrograph *m;
    CK_FAILS(cgan_micrograph_analyze(&m, NULL, 8, o), CGAN_EINVAL);
    cgan_micrograph_destroy(NULL);
    cgan_analysis_opts_destroy(o);
    cgan_analysis_opts_destroy(NULL);
}
END_TEST

/* Exclusion masks and the opening: a good run and the error paths. */
START_TEST(masked_cycles) {
    cgan_analysis_opts *o;
    cgan_micrograph *m;
    cgan_tensor *t = tiny_image(7), *ex, *small, *two;
    CK_OK(cgan_analysis_opts_create(&o));
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_OPEN_RADIUS, 1));
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_S2_RADIUS, 4));
    CK_FAILS(cgan_analysis_opts_set(o, CGAN_ANALYSIS_OPEN_RADIUS, 65), CGAN_EINVAL);
    CK_OK(cgan_tensor_create4(&ex, 1, 1, 24, 20));
    CK_OK(cgan_tensor_fill(ex, 0.0f));
    cgan_tensor_data(ex)[5] = 1.0f;
    CK_OK(cgan_micrograph_analyze_masked(&m, t, 8, ex, o));
    cgan_micrograph_destroy(m);
    CK_OK(cgan_tensor_create4(&small, 1, 1, 20, 24));
    CK_FAILS(cgan_micrograph_analyze_masked(&m, t, 8, small, o), CGAN_ESHAPE);
    ck_assert_ptr_null(m);
    CK_OK(cgan_tensor_create4(&two, 2, 1, 24, 20));
    CK_FAILS(cgan_micrograph_analyze_masked(&m, t, 8, two, o), CGAN_ESHAPE);
    CK_OK(cgan_tensor_fill(ex, 1.0f));
    CK_FAILS(cgan_micrograph_analyze_masked(&m, t, 8, ex, o), CGAN_EINVAL);
    CK_FAILS(cgan_micrograph_analyze_masked(&m, NULL, 8, ex, o), CGAN_EINVAL);
    cgan_tensor_destroy(two);
    cgan_tensor_destroy(small);
    cgan_tensor_destroy(ex);
    cgan_tensor_destroy(t);
    cgan_analysis_opts_destroy(o);
}
END_TEST

START_TEST(comparison_cycle) {
    const char *tmp = test_tmpdir();
    char p[512];
    cgan_imageset *r, *g;
    cgan_analysis_opts *o;
    cgan_comparison *c;
    CK_OK(cgan_imageset_create(&r));
    CK_OK(cgan_imageset_create(&g));
    for (int i = 0; i < 4; i++) {
        cgan_tensor *t = tiny_image(10 + i);
        snprintf(p, sizeof p, "%s/i%d.png", tmp, i);
        CK_OK(cgan_image_write_png(p, t, 0.0f, 1.0f, 8));
        CK_OK(cgan_imageset_add(i < 2 ? r : g, p, i % 2 ? "B" : "A", 0));
        CK_OK(cgan_imageset_add(r, p, i % 2 ? "B" : "A", 0));
        cgan_tensor_destroy(t);
    }
    CK_OK(cgan_analysis_opts_create(&o));
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_BOOTSTRAP, 3));
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_S2_RADIUS, 6));
    CK_OK(cgan_comparison_run(&c, r, g, o));
    snprintf(p, sizeof p, "%s/report", tmp);
    CK_OK(cgan_comparison_write_report(c, p));
    CK_FAILS(cgan_comparison_write_report(c, "/nonexistent-dir/x/y"), CGAN_EIO);
    double v;
    CK_FAILS(cgan_comparison_mean(c, 5, CGAN_SET_REAL, CGAN_FEATURE_COUNT, &v), CGAN_EINVAL);
    cgan_comparison_destroy(c);
    CK_OK(cgan_imageset_add(g, "/nonexistent.png", "A", 0));
    CK_FAILS(cgan_comparison_run(&c, r, g, o), CGAN_EIO);
    cgan_comparison_destroy(NULL);
    cgan_imageset_destroy(r);
    cgan_imageset_destroy(g);
    cgan_imageset_destroy(NULL);
    cgan_analysis_opts_destroy(o);
}
END_TEST

Suite *cgan_test_lifecycle_analysis_suite(void) {
    Suite *s = suite_create("lifecycle");
    TCase *tc = tcase_create("analysis");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, micrograph_cycles);
    tcase_add_test(tc, comparison_cycle);
    tcase_add_test(tc, masked_cycles);
    suite_add_tcase(s, tc);
    return s;
}
