/* Loss handles and condition scalers: create / compute / destroy cycles and
 * error paths, run under valgrind by `make check`. */
#include "test_util.h"

START_TEST(loss_cycles) {
    cgan_tensor *l, *e, *y, *gl, *ge, *d;
    cgan_rng *r;
    double v;
    CK_OK(cgan_rng_create(&r, 1));
    CK_OK(cgan_tensor_create4(&l, 6, 4, 0, 0));
    CK_OK(cgan_tensor_create4(&e, 6, 4, 0, 0));
    CK_OK(cgan_tensor_create4(&gl, 6, 4, 0, 0));
    CK_OK(cgan_tensor_create4(&ge, 6, 4, 0, 0));
    CK_OK(cgan_tensor_create4(&y, 6, 0, 0, 0));
    CK_OK(cgan_tensor_create4(&d, 6, 1, 0, 0));
    CK_OK(cgan_tensor_fill_normal(l, r, 0, 1));
    CK_OK(cgan_tensor_fill_normal(e, r, 0, 1));
    CK_OK(cgan_tensor_set_data(y, (float[]){0, 1, 2, 0, 1, 1}, 6));
    for (int i = 0; i < 10; i++) {
        cgan_loss *w, *c, *k;
        CK_OK(cgan_loss_create_wgan(&w));
        CK_OK(cgan_loss_create_2c(&c, 3));
        CK_OK(cgan_loss_create_continuous(&k));
        CK_OK(cgan_loss_set_option(k, "distance", i % 2 ? "l2" : "l2n"));
        CK_OK(cgan_loss_wgan_critic(w, d, d, &v, d, NULL));
        CK_OK(cgan_loss_2c(c, l, e, y, &v, gl, ge));
        CK_OK(cgan_loss_continuous(k, l, e, NULL, &v, gl, ge));
        /* a failure after a success keeps the handle usable */
        CK_FAILS(cgan_loss_2c(c, l, e, l, &v, gl, ge), CGAN_ESHAPE);
        CK_OK(cgan_loss_2c(c, l, e, y, &v, NULL, ge));
        cgan_loss_destroy(w);
        cgan_loss_destroy(c);
        cgan_loss_destroy(k);
    }
    cgan_loss_destroy(NULL);
    cgan_tensor_destroy(l), cgan_tensor_destroy(e), cgan_tensor_destroy(y);
    cgan_tensor_destroy(gl), cgan_tensor_destroy(ge), cgan_tensor_destroy(d);
    cgan_rng_destroy(r);
}
END_TEST

START_TEST(loss_error_paths) {
    cgan_loss *loss = (cgan_loss *)&loss;
    double v;
    CK_FAILS(cgan_loss_create_wgan(NULL), CGAN_EINVAL);
    CK_FAILS(cgan_loss_create_2c(&loss, -2), CGAN_EINVAL);
    ck_assert_ptr_null(loss);
    CK_FAILS(cgan_loss_set_param(NULL, "weight", 1), CGAN_EINVAL);
    CK_FAILS(cgan_loss_get_param(NULL, "weight", &v), CGAN_EINVAL);
    CK_FAILS(cgan_loss_get_stat(NULL, "value", &v), CGAN_EINVAL);
    CK_FAILS(cgan_loss_2c(NULL, NULL, NULL, NULL, &v, NULL, NULL), CGAN_EINVAL);
    CK_FAILS(cgan_loss_continuous(NULL, NULL, NULL, NULL, &v, NULL, NULL), CGAN_EINVAL);
    CK_FAILS(cgan_loss_wgan_generator(NULL, NULL, &v, NULL), CGAN_EINVAL);
    ck_assert_int_eq(cgan_loss_kind(NULL), 0);
    ck_assert_str_eq(cgan_loss_kind_name(NULL), "");
    CK_OK(cgan_loss_create_continuous(&loss));
    CK_FAILS(cgan_loss_set_option(loss, "distance", NULL), CGAN_EINVAL);
    CK_FAILS(cgan_loss_set_param(loss, NULL, 1), CGAN_EINVAL);
    CK_FAILS(cgan_loss_continuous(loss, NULL, NULL, NULL, &v, NULL, NULL), CGAN_EINVAL);
    CK_OK(cgan_loss_get_stat(loss, "value", &v));
    ck_assert(isnan(v));
    cgan_loss_destroy(loss);
}
END_TEST

START_TEST(scaler_cycles) {
    const double raw[] = {1, 10, 2, 100, 3, 1000};
    double out[6];
    for (int i = 0; i < 10; i++) {
        cgan_cond_scaler *s;
        CK_OK(cgan_cond_scaler_create(&s, 2));
        CK_OK(cgan_cond_scaler_set_log10(s, 1, 1));
        CK_OK(cgan_cond_scaler_fit(s, raw, 3));
        CK_OK(cgan_cond_scaler_apply(s, raw, 3, out));
        CK_FAILS(cgan_cond_scaler_fit(s, raw, -1), CGAN_EINVAL);
        CK_FAILS(cgan_cond_scaler_apply(s, NULL, 3, out), CGAN_EINVAL);
        cgan_cond_scaler_destroy(s);
    }
    cgan_cond_scaler_destroy(NULL);
    CK_FAILS(cgan_cond_scaler_create(NULL, 2), CGAN_EINVAL);
    CK_FAILS(cgan_cond_scaler_fit(NULL, raw, 3), CGAN_EINVAL);
    ck_assert_int_eq(cgan_cond_scaler_columns(NULL), 0);
}
END_TEST

Suite *cgan_test_lifecycle_loss_suite(void) {
    Suite *s = suite_create("lifecycle");
    TCase *tc = tcase_create("losses");
    tcase_add_test(tc, loss_cycles);
    tcase_add_test(tc, loss_error_paths);
    tcase_add_test(tc, scaler_cycles);
    suite_add_tcase(s, tc);
    return s;
}
