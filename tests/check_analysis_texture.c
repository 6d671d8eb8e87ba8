/* Grey-level autocorrelation against numpy's FFT computation
 * (tests/oracles/numpy_autocorrelation.sh), its invariances, and its errors. */
#include "test_util.h"

#include "fixture.h"

#include <math.h>

static cgan_tensor *tensor_from(const fixture_array *a) {
    cgan_tensor *t = NULL;
    CK_OK(cgan_tensor_create4(&t, 1, 1, a->shape[0], a->shape[1]));
    float *d = cgan_tensor_data(t);
    for (int64_t i = 0; i < a->numel; i++) d[i] = (float)a->data[i];
    return t;
}

static void check_case(const char *name, int lag, int use_mask) {
    char p[3][128];
    fixture_array img, mask, rho;
    snprintf(p[0], sizeof p[0], "analysis/autocorr_%s_img.npy", name);
    snprintf(p[1], sizeof p[1], "analysis/autocorr_%s_mask.npy", name);
    snprintf(p[2], sizeof p[2], "analysis/autocorr_%s_rho.npy", name);
    ck_assert_int_eq(fixture_load(test_data_path(p[0]), &img), 0);
    ck_assert_int_eq(fixture_load(test_data_path(p[1]), &mask), 0);
    ck_assert_int_eq(fixture_load(test_data_path(p[2]), &rho), 0);
    ck_assert_int_eq(rho.numel, lag);
    cgan_tensor *ti = tensor_from(&img), *tm = use_mask ? tensor_from(&mask) : NULL;
    double got[64];
    CK_OK(cgan_grey_autocorrelation(ti, tm, lag, got));
    for (int k = 0; k < lag; k++)
        ck_assert_msg(fabs(got[k] - rho.data[k]) <= 1e-9, "%s lag %d: %.12g numpy %.12g", name,
                      k + 1, got[k], rho.data[k]);
    /* the grey scale does not matter: an affine change of the values */
    float *d = cgan_tensor_data(ti);
    for (int64_t i = 0; i < img.numel; i++) d[i] = 3.0f * d[i] + 7.0f;
    double scaled[64];
    CK_OK(cgan_grey_autocorrelation(ti, tm, lag, scaled));
    for (int k = 0; k < lag; k++) ck_assert_double_eq_tol(scaled[k], got[k], 1e-5);
    cgan_tensor_destroy(ti);
    cgan_tensor_destroy(tm);
    fixture_free(&img);
    fixture_free(&mask);
    fixture_free(&rho);
}

START_TEST(autocorrelation_matches_numpy) {
    check_case("smooth", 8, 0);
    check_case("lamellae_masked", 6, 1);
    check_case("tiny", 4, 0);
}
END_TEST

/* A lamellar pattern: strongly anti-correlated at half the period,
 * correlated again at the period. */
START_TEST(lamellae_anticorrelate_at_half_period) {
    cgan_tensor *t = NULL;
    CK_OK(cgan_tensor_create4(&t, 1, 1, 64, 64));
    float *d = cgan_tensor_data(t);
    for (int y = 0; y < 64; y++)
        for (int x = 0; x < 64; x++) d[y * 64 + x] = (x / 4) % 2 ? 1.0f : 0.0f; /* period 8 px */
    double rho[8];
    CK_OK(cgan_grey_autocorrelation(t, NULL, 8, rho));
    ck_assert_double_gt(rho[0], 0.3);
    ck_assert_double_lt(rho[3], -0.2); /* radial shells mix in the along-stripe offsets */
    ck_assert_double_gt(rho[7], rho[3] + 0.3);
    cgan_tensor_destroy(t);
}
END_TEST

START_TEST(autocorrelation_errors) {
    cgan_tensor *t = NULL, *m = NULL, *flat = NULL;
    double rho[64];
    CK_OK(cgan_tensor_create4(&t, 1, 1, 16, 20));
    CK_OK(cgan_tensor_create4(&m, 1, 1, 16, 19));
    CK_FAILS(cgan_grey_autocorrelation(NULL, NULL, 4, rho), CGAN_EINVAL);
    CK_FAILS(cgan_grey_autocorrelation(t, NULL, 4, NULL), CGAN_EINVAL);
    CK_FAILS(cgan_grey_autocorrelation(t, NULL, 0, rho), CGAN_EINVAL);
    CK_FAILS(cgan_grey_autocorrelation(t, NULL, 16, rho), CGAN_EINVAL);
    ck_assert_ptr_nonnull(strstr(cgan_last_error(), "max_lag 16"));
    CK_FAILS(cgan_grey_autocorrelation(t, m, 4, rho), CGAN_ESHAPE);
    CK_OK(cgan_tensor_create4(&flat, 2, 1, 16, 20));
    CK_FAILS(cgan_grey_autocorrelation(flat, NULL, 4, rho), CGAN_ESHAPE);
    /* a constant image has no texture: NaN, not an error */
    CK_OK(cgan_grey_autocorrelation(t, NULL, 4, rho));
    for (int k = 0; k < 4; k++) ck_assert(isnan(rho[k]));
    cgan_tensor_destroy(t);
    cgan_tensor_destroy(m);
    cgan_tensor_destroy(flat);
}
END_TEST

Suite *cgan_test_analysis_texture_suite(void) {
    Suite *s = suite_create("analysis_texture");
    TCase *tc = tcase_create("texture");
    tcase_add_test(tc, autocorrelation_matches_numpy);
    tcase_add_test(tc, lamellae_anticorrelate_at_half_period);
    tcase_add_test(tc, autocorrelation_errors);
    suite_add_tcase(s, tc);
    return s;
}
