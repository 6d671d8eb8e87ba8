/* Scaling of continuous conditions to [-1, 1]: values by hand (math-spec
 * 4.2), log10 columns, constant columns, linear extrapolation, round trips,
 * restoring a stored scaling and the errors. */
#include "test_util.h"

/* Columns: temperature (linear), strain rate (log10), a constant. */
static const double train[] = {
    900, 1e-3, 7,
    1000, 1e-1, 7,
    1100, 10, 7,
    950, 1, 7,
};

static cgan_cond_scaler *fitted(void) {
    cgan_cond_scaler *s;
    CK_OK(cgan_cond_scaler_create(&s, 3));
    CK_OK(cgan_cond_scaler_set_log10(s, 1, 1));
    ck_assert_int_eq(cgan_cond_scaler_is_fitted(s), 0);
    CK_OK(cgan_cond_scaler_fit(s, train, 4));
    ck_assert_int_eq(cgan_cond_scaler_is_fitted(s), 1);
    return s;
}

START_TEST(values_by_hand) {
    cgan_cond_scaler *s = fitted();
    double out[12];
    CK_OK(cgan_cond_scaler_apply(s, train, 4, out));
    /* temperature: 2 (x - 900) / 200 - 1; rate: 2 (log10 x + 3) / 4 - 1 */
    const double want[] = {-1, -1, 0, 0, 0, 0, 1, 1, 0, -0.5, 0.5, 0};
    for (int i = 0; i < 12; i++) ck_assert_double_eq_tol(out[i], want[i], 1e-15);
    double lo, hi;
    int lg;
    CK_OK(cgan_cond_scaler_get_column(s, 1, &lo, &hi, &lg));
    ck_assert_double_eq_tol(lo, -3.0, 1e-15);
    ck_assert_double_eq_tol(hi, 1.0, 1e-15);
    ck_assert_int_eq(lg, 1);
    cgan_cond_scaler_destroy(s);
}
END_TEST

START_TEST(extrapolates_linearly_and_inverts) {
    cgan_cond_scaler *s = fitted();
    const double raw[] = {1200, 100, 3, 800, 1e-5, 7};
    double out[6], back[6];
    CK_OK(cgan_cond_scaler_apply(s, raw, 2, out));
    ck_assert_double_eq_tol(out[0], 2.0, 1e-15);  /* one half-range above max */
    ck_assert_double_eq_tol(out[1], 1.5, 1e-15);  /* log10 100 = 2 */
    ck_assert_double_eq(out[2], 0.0);             /* constant column: always 0 */
    ck_assert_double_eq_tol(out[3], -2.0, 1e-15);
    ck_assert_double_eq_tol(out[4], -2.0, 1e-15); /* log10 1e-5 = -5 */
    CK_OK(cgan_cond_scaler_invert(s, out, 2, back));
    for (int i = 0; i < 6; i++) {
        double want = i % 3 == 2 ? 7.0 : raw[i]; /* a constant column gives its constant */
        ck_assert_double_eq_tol(back[i], want, 1e-12 * fabs(want));
    }
    /* in place */
    double inplace[6];
    memcpy(inplace, raw, sizeof raw);
    CK_OK(cgan_cond_scaler_apply(s, inplace, 2, inplace));
    for (int i = 0; i < 6; i++) ck_assert_double_eq(inplace[i], out[i]);
    cgan_cond_scaler_destroy(s);
}
END_TEST

START_TEST(stored_scaling_restores_exactly) {
    cgan_cond_scaler *s = fitted(), *t;
    CK_OK(cgan_cond_scaler_create(&t, 3));
    for (int c = 0; c < 3; c++) {
        double lo, hi;
        int lg;
        ck_assert_int_eq(cgan_cond_scaler_is_fitted(t), 0);
        CK_OK(cgan_cond_scaler_get_column(s, c, &lo, &hi, &lg));
        CK_OK(cgan_cond_scaler_set_column(t, c, lo, hi, lg));
    }
    ck_assert_int_eq(cgan_cond_scaler_is_fitted(t), 1);
    const double raw[] = {1234.5, 0.02, 6, 901, 3e-3, 8};
    double a[6], b[6];
    cgan_tensor *ten;
    CK_OK(cgan_cond_scaler_apply(s, raw, 2, a));
    CK_OK(cgan_cond_scaler_apply(t, raw, 2, b));
    for (int i = 0; i < 6; i++) ck_assert_double_eq(a[i], b[i]);
    CK_OK(cgan_tensor_create4(&ten, 2, 3, 0, 0));
    CK_OK(cgan_cond_scaler_apply_tensor(t, raw, 2, ten));
    for (int i = 0; i < 6; i++) ck_assert_float_eq(cgan_tensor_data(ten)[i], (float)a[i]);
    cgan_tensor_destroy(ten);
    cgan_cond_scaler_destroy(s);
    cgan_cond_scaler_destroy(t);
}
END_TEST

START_TEST(errors) {
    cgan_cond_scaler *s, *u;
    cgan_tensor *ten;
    double out[3];
    CK_FAILS(cgan_cond_scaler_create(&u, 0), CGAN_EINVAL);
    ck_assert_ptr_null(u);
    CK_OK(cgan_cond_scaler_create(&s, 3));
    CK_FAILS(cgan_cond_scaler_apply(s, train, 1, out), CGAN_ESTATE);
    CK_FAILS(cgan_cond_scaler_get_column(s, 0, NULL, NULL, NULL), CGAN_ESTATE);
    CK_OK(cgan_cond_scaler_set_log10(s, 1, 1));
    const double bad[] = {900, 0.0, 7};
    CK_FAILS(cgan_cond_scaler_fit(s, bad, 1), CGAN_EINVAL);
    ck_assert_ptr_nonnull(strstr(cgan_last_error(), "row 0, column 1"));
    ck_assert_int_eq(cgan_cond_scaler_is_fitted(s), 0);
    const double nan_row[] = {NAN, 1.0, 7};
    CK_FAILS(cgan_cond_scaler_fit(s, nan_row, 1), CGAN_EINVAL);
    CK_FAILS(cgan_cond_scaler_fit(s, train, 0), CGAN_EINVAL);
    CK_OK(cgan_cond_scaler_fit(s, train, 4));
    CK_FAILS(cgan_cond_scaler_apply(s, bad, 1, out), CGAN_EINVAL);
    CK_OK(cgan_tensor_create4(&ten, 1, 2, 0, 0));
    CK_FAILS(cgan_cond_scaler_apply_tensor(s, train, 1, ten), CGAN_ESHAPE);
    CK_FAILS(cgan_cond_scaler_set_log10(s, 3, 1), CGAN_EINVAL);
    CK_FAILS(cgan_cond_scaler_set_column(s, 0, 2.0, 1.0, 0), CGAN_EINVAL);
    CK_OK(cgan_cond_scaler_set_log10(s, 0, 1)); /* changing a flag clears the fit */
    ck_assert_int_eq(cgan_cond_scaler_is_fitted(s), 0);
    ck_assert_int_eq(cgan_cond_scaler_columns(s), 3);
    cgan_tensor_destroy(ten);
    cgan_cond_scaler_destroy(s);
}
END_TEST

Suite *cgan_test_loss_scaler_suite(void) {
    Suite *s = suite_create("cond_scaler");
    TCase *tc = tcase_create("scaler");
    tcase_add_test(tc, values_by_hand);
    tcase_add_test(tc, extrapolates_linearly_and_inverts);
    tcase_add_test(tc, stored_scaling_restores_exactly);
    tcase_add_test(tc, errors);
    suite_add_tcase(s, tc);
    return s;
}
