/* Error paths of the recognition classifier (suite "lifecycle": run under
 * valgrind by `make check`). */
#include "test_util.h"

START_TEST(recognition_errors) {
    const double x[4] = {0, 1, 2, 3};
    const int lab[4] = {0, 0, 1, 1}, bad[4] = {0, 0, 1, 2};
    int got[4];
    CK_FAILS(cgan_recognition_classify(NULL, lab, 4, 1, 2, x, 4, got), CGAN_EINVAL);
    CK_FAILS(cgan_recognition_classify(x, lab, 4, 1, 2, NULL, 4, got), CGAN_EINVAL);
    CK_FAILS(cgan_recognition_classify(x, lab, 0, 1, 2, x, 4, got), CGAN_EINVAL);
    CK_FAILS(cgan_recognition_classify(x, lab, 4, 0, 2, x, 4, got), CGAN_EINVAL);
    CK_FAILS(cgan_recognition_classify(x, bad, 4, 1, 2, x, 4, got), CGAN_EINVAL);
    CK_FAILS(cgan_recognition_loo(x, lab, 4, 1, 0, got), CGAN_EINVAL);
    CK_FAILS(cgan_recognition_loo(x, lab, 4, 1, 2, NULL), CGAN_EINVAL);
    CK_OK(cgan_recognition_loo(x, lab, 4, 1, 2, got));
    CK_OK(cgan_recognition_classify(x, lab, 4, 1, 2, x, 0, got));
    CK_FAILS(cgan_comparison_recognition(NULL, CGAN_SET_REAL, NULL, NULL), CGAN_EINVAL);
    double v[CGAN_RECOGNITION_N_FEATURES];
    CK_FAILS(cgan_comparison_recognition_vector(NULL, CGAN_SET_REAL, 0, v),
             CGAN_EINVAL);
    ck_assert_int_eq(cgan_comparison_assigned(NULL, CGAN_SET_REAL, 0), -1);
    ck_assert_ptr_null(cgan_recognition_feature_name(CGAN_RECOGNITION_N_FEATURES));
    ck_assert_str_eq(cgan_recognition_feature_name(4), "CorrelationLength");
    ck_assert_str_eq(cgan_recognition_feature_name(7), "GreyCorr1");
    /* the texture's buffers, also on the error path (valgrind) */
    cgan_tensor *t = NULL, *m = NULL;
    double rho[4];
    CK_OK(cgan_tensor_create4(&t, 1, 1, 12, 10));
    CK_OK(cgan_tensor_create4(&m, 1, 1, 12, 10));
    for (int64_t i = 0; i < 120; i++) cgan_tensor_data(t)[i] = (float)(i % 7);
    cgan_tensor_data(m)[5] = 1.0f;
    CK_OK(cgan_grey_autocorrelation(t, m, 4, rho));
    CK_FAILS(cgan_grey_autocorrelation(t, m, 10, rho), CGAN_EINVAL);
    cgan_tensor_destroy(t);
    cgan_tensor_destroy(m);
}
END_TEST

Suite *cgan_test_lifecycle_recognition_suite(void) {
    Suite *s = suite_create("lifecycle");
    TCase *t = tcase_create("recognition");
    tcase_add_test(t, recognition_errors);
    suite_add_tcase(s, t);
    return s;
}
