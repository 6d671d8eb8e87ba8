/* WGAN critic and generator losses: PyTorch autograd fixtures, finite
 * differences through the public API, the Wasserstein estimate, the weight
 * and the argument errors. */
#include "loss_test_util.h"

START_TEST(torch_critic_and_generator) {
    cgan_tensor *real = fx_tensor("wgan_d_real"), *fake = fx_tensor("wgan_d_fake");
    cgan_tensor *gr = zeros_like(real), *gf = zeros_like(fake);
    cgan_loss *loss;
    double v, w, mr, mf;
    CK_OK(cgan_loss_create_wgan(&loss));
    CK_OK(cgan_loss_wgan_critic(loss, real, fake, &v, gr, gf));
    ck_assert_double_le(rel_diff(v, fx_scalar("wgan_critic_value")), 1e-12);
    ck_assert_double_le(fx_compare(gr, "wgan_critic_grad_d_real"), 1e-7);
    ck_assert_double_le(fx_compare(gf, "wgan_critic_grad_d_fake"), 1e-7);
    /* the Wasserstein estimate is minus the critic loss, unweighted */
    CK_OK(cgan_loss_get_stat(loss, "wasserstein", &w));
    CK_OK(cgan_loss_get_stat(loss, "mean_real", &mr));
    CK_OK(cgan_loss_get_stat(loss, "mean_fake", &mf));
    ck_assert_double_eq_tol(w, -v, 1e-15);
    ck_assert_double_eq_tol(w, mr - mf, 1e-15);

    CK_OK(cgan_loss_wgan_generator(loss, fake, &v, gf));
    ck_assert_double_le(rel_diff(v, fx_scalar("wgan_generator_value")), 1e-12);
    ck_assert_double_le(fx_compare(gf, "wgan_generator_grad_d_fake"), 1e-7);
    CK_OK(cgan_loss_get_stat(loss, "wasserstein", &w));
    ck_assert(isnan(w)); /* only the critic call reports it */
    cgan_loss_destroy(loss);
    cgan_tensor_destroy(real), cgan_tensor_destroy(fake), cgan_tensor_destroy(gr), cgan_tensor_destroy(gf);
}
END_TEST

/* The loss is linear in each output: a step of 1/4 (exact in float) gives
 * an exact difference quotient. */
START_TEST(finite_differences_with_weight) {
    cgan_tensor *real, *fake, *gr, *gf, *gg;
    cgan_rng *r;
    cgan_loss *loss;
    double v0, v1, g0, g1;
    CK_OK(cgan_rng_create(&r, 9));
    CK_OK(cgan_tensor_create4(&real, 5, 1, 0, 0));
    CK_OK(cgan_tensor_create4(&fake, 3, 0, 0, 0)); /* m_real != m_fake is allowed */
    CK_OK(cgan_tensor_fill_normal(real, r, 0.0f, 1.0f));
    CK_OK(cgan_tensor_fill_normal(fake, r, 0.0f, 1.0f));
    gr = zeros_like(real), gf = zeros_like(fake), gg = zeros_like(fake);
    CK_OK(cgan_loss_create_wgan(&loss));
    CK_OK(cgan_loss_set_param(loss, "weight", 3.0));
    CK_OK(cgan_loss_wgan_critic(loss, real, fake, &v0, gr, gf));
    CK_OK(cgan_loss_wgan_generator(loss, fake, &g0, gg));
    for (int i = 0; i < 5; i++) {
        float keep = cgan_tensor_data(real)[i];
        cgan_tensor_data(real)[i] = keep + 0.25f;
        CK_OK(cgan_loss_wgan_critic(loss, real, fake, &v1, NULL, NULL));
        cgan_tensor_data(real)[i] = keep;
        ck_assert_double_eq_tol((v1 - v0) / 0.25, cgan_tensor_data(gr)[i], 1e-6);
        ck_assert_double_eq_tol(cgan_tensor_data(gr)[i], -3.0 / 5, 1e-7);
    }
    for (int i = 0; i < 3; i++) {
        float keep = cgan_tensor_data(fake)[i];
        cgan_tensor_data(fake)[i] = keep + 0.25f;
        CK_OK(cgan_loss_wgan_critic(loss, real, fake, &v1, NULL, NULL));
        CK_OK(cgan_loss_wgan_generator(loss, fake, &g1, NULL));
        cgan_tensor_data(fake)[i] = keep;
        ck_assert_double_eq_tol((v1 - v0) / 0.25, cgan_tensor_data(gf)[i], 1e-6);
        ck_assert_double_eq_tol((g1 - g0) / 0.25, cgan_tensor_data(gg)[i], 1e-6);
    }
    cgan_loss_destroy(loss);
    cgan_rng_destroy(r);
    cgan_tensor_destroy(real), cgan_tensor_destroy(fake);
    cgan_tensor_destroy(gr), cgan_tensor_destroy(gf), cgan_tensor_destroy(gg);
}
END_TEST

START_TEST(argument_errors) {
    cgan_tensor *real, *fake, *bad;
    cgan_loss *loss, *c2;
    double v;
    CK_OK(cgan_tensor_create4(&real, 4, 1, 0, 0));
    CK_OK(cgan_tensor_create4(&fake, 4, 1, 0, 0));
    CK_OK(cgan_tensor_create4(&bad, 4, 0, 0, 0));
    CK_OK(cgan_loss_create_wgan(&loss));
    CK_OK(cgan_loss_create_2c(&c2, 2));
    CK_FAILS(cgan_loss_wgan_critic(loss, real, fake, &v, bad, NULL), CGAN_ESHAPE);
    ck_assert_ptr_nonnull(strstr(cgan_last_error(), "grad_real has shape [4], expected [4, 1]"));
    CK_FAILS(cgan_loss_wgan_generator(loss, fake, &v, bad), CGAN_ESHAPE);
    CK_FAILS(cgan_loss_wgan_critic(loss, NULL, fake, &v, NULL, NULL), CGAN_EINVAL);
    CK_FAILS(cgan_loss_wgan_critic(loss, real, fake, NULL, NULL, NULL), CGAN_EINVAL);
    cgan_tensor_data(fake)[2] = NAN;
    CK_FAILS(cgan_loss_wgan_critic(loss, real, fake, &v, NULL, NULL), CGAN_ENUMERIC);
    ck_assert_ptr_nonnull(strstr(cgan_last_error(), "element 2 of d_fake"));
    CK_FAILS(cgan_loss_wgan_generator(loss, fake, &v, NULL), CGAN_ENUMERIC);
    CK_FAILS(cgan_loss_wgan_critic(c2, real, real, &v, NULL, NULL), CGAN_EINVAL);
    CK_FAILS(cgan_loss_set_param(loss, "weight", -1.0), CGAN_EINVAL);
    CK_FAILS(cgan_loss_set_param(loss, "temperature", 1.0), CGAN_EINVAL);
    ck_assert_ptr_nonnull(strstr(cgan_last_error(), "a wgan loss has no parameter"));
    ck_assert_str_eq(cgan_loss_kind_name(loss), "wgan");
    ck_assert_int_eq(cgan_loss_kind(c2), CGAN_LOSS_2C);
    cgan_loss_destroy(loss);
    cgan_loss_destroy(c2);
    cgan_tensor_destroy(real), cgan_tensor_destroy(fake), cgan_tensor_destroy(bad);
}
END_TEST

Suite *cgan_test_loss_wgan_suite(void) {
    Suite *s = suite_create("loss_wgan");
    TCase *tc = tcase_create("wgan");
    tcase_add_test(tc, torch_critic_and_generator);
    tcase_add_test(tc, finite_differences_with_weight);
    tcase_add_test(tc, argument_errors);
    suite_add_tcase(s, tc);
    return s;
}
