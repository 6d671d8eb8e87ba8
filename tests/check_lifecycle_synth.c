/* Create/destroy cycles and error paths of the synth module; run under
 * valgrind by `make check`, so the sizes are tiny. */
#include "test_util.h"

START_TEST(alloy_cycles) {
    for (int i = 0; i < 3; i++) {
        cgan_synth_alloy *g;
        cgan_synth_image *m;
        const double t[1] = {800}, r[1] = {0.1};
        CK_OK(cgan_synth_alloy_create(&g));
        CK_OK(cgan_synth_alloy_set_param(g, CGAN_SYNTH_ALLOY_WIDTH, 96));
        CK_OK(cgan_synth_alloy_set_param(g, CGAN_SYNTH_ALLOY_HEIGHT, 64));
        CK_OK(cgan_synth_alloy_set_conditions(g, t, 1, r, 1));
        CK_OK(cgan_synth_alloy_render(g, 800 + 100 * i, 0.1, (uint64_t)i, &m));
        ck_assert_ptr_nonnull(cgan_synth_image_pixels(m));
        ck_assert_ptr_nonnull(cgan_synth_image_labels(m));
        ck_assert_ptr_nonnull(cgan_synth_image_crack_mask(m));
        cgan_synth_image_destroy(m);
        CK_FAILS(cgan_synth_alloy_render(g, 800, -1.0, 1, &m), CGAN_EINVAL);
        CK_FAILS(cgan_synth_alloy_set_conditions(g, t, 0, r, 1), CGAN_EINVAL);
        cgan_synth_alloy_destroy(g);
    }
    cgan_synth_alloy_destroy(NULL);
    cgan_synth_image_destroy(NULL);
    ck_assert_ptr_null(cgan_synth_image_pixels(NULL));
    ck_assert_int_eq(cgan_synth_image_grain_count(NULL), 0);
    CK_FAILS(cgan_synth_alloy_create(NULL), CGAN_EINVAL);
}
END_TEST

START_TEST(alloy_dataset_cycle) {
    cgan_synth_alloy *g;
    const double t[1] = {800}, r[1] = {0.1};
    const char *dir = test_tmpdir();
    CK_OK(cgan_synth_alloy_create(&g));
    CK_OK(cgan_synth_alloy_set_param(g, CGAN_SYNTH_ALLOY_WIDTH, 64));
    CK_OK(cgan_synth_alloy_set_param(g, CGAN_SYNTH_ALLOY_HEIGHT, 48));
    CK_OK(cgan_synth_alloy_set_conditions(g, t, 1, r, 1));
    CK_OK(cgan_synth_alloy_write_dataset(g, dir, 1, 3, CGAN_SYNTH_WRITE_LABELS));
    CK_FAILS(cgan_synth_alloy_write_dataset(g, "/proc/version/x", 1, 3, 0), CGAN_EIO);
    cgan_synth_alloy_destroy(g);
}
END_TEST

START_TEST(spinodal_cycles) {
    for (int i = 0; i < 3; i++) {
        cgan_spinodal *s;
        cgan_tensor *f;
        double e, m, lam;
        CK_OK(cgan_spinodal_create(&s, 16, 0.5, 0.05, (uint64_t)i));
        CK_OK(cgan_spinodal_run_until(s, 20.0));
        CK_OK(cgan_spinodal_free_energy(s, &e));
        CK_OK(cgan_spinodal_mass(s, &m));
        CK_OK(cgan_spinodal_field(s, &f));
        CK_OK(cgan_synth_structure(f, 0.0, &lam, NULL));
        cgan_tensor_destroy(f);
        CK_FAILS(cgan_spinodal_step(s, -1.0), CGAN_EINVAL);
        cgan_spinodal_destroy(s);
    }
    cgan_spinodal *s = NULL;
    CK_FAILS(cgan_spinodal_create(&s, 7, 0.5, 0.05, 1), CGAN_EINVAL);
    cgan_spinodal_destroy(NULL);
}
END_TEST

START_TEST(spinodal_dataset_cycle) {
    cgan_synth_spinodal *d;
    const double c[1] = {0.5}, t[2] = {5, 10}, T[1] = {700};
    const char *dir = test_tmpdir();
    CK_OK(cgan_synth_spinodal_create(&d));
    CK_OK(cgan_synth_spinodal_set_param(d, CGAN_SYNTH_SPINODAL_SIZE, 16));
    CK_OK(cgan_synth_spinodal_set_param(d, CGAN_SYNTH_SPINODAL_RUNS, 1));
    CK_OK(cgan_synth_spinodal_set_list(d, CGAN_SYNTH_SPINODAL_COMPOSITIONS, c, 1));
    CK_OK(cgan_synth_spinodal_set_list(d, CGAN_SYNTH_SPINODAL_TIMES, t, 2));
    CK_OK(cgan_synth_spinodal_set_list(d, CGAN_SYNTH_SPINODAL_TEMPERATURES, T, 1));
    CK_OK(cgan_synth_spinodal_write_dataset(d, dir, 1));
    CK_FAILS(cgan_synth_spinodal_set_list(d, 7, c, 1), CGAN_EINVAL);
    cgan_synth_spinodal_destroy(d);
    cgan_synth_spinodal_destroy(NULL);
}
END_TEST

Suite *cgan_test_lifecycle_synth_suite(void) {
    Suite *s = suite_create("lifecycle");
    TCase *tc = tcase_create("synth");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, alloy_cycles);
    tcase_add_test(tc, alloy_dataset_cycle);
    tcase_add_test(tc, spinodal_cycles);
    tcase_add_test(tc, spinodal_dataset_cycle);
    suite_add_tcase(s, tc);
    return s;
}
