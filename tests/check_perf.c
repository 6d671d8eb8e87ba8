/* The performance machinery's contracts (no timing is tested): training on
 * the library's thread pool gives the same bits for any thread count; the
 * model's profiling counters count calls and the analytic GEMM FLOPs; the
 * BLAS description is available. */
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

/* All parameters of the generator and critic after one training iteration
 * (4 critic steps + 1 generator step) of the small configuration at the
 * given thread count, with the attention switched on (gamma != 0). */
static float *train_once(int threads, int64_t *count) {
    cgan_config *c;
    cgan_gan *g;
    cgan_rng *r;
    cgan_tensor *x, *y, *z, *fy, *gamma;
    const int64_t B = 6;
    CK_OK(cgan_set_num_threads(threads));
    CK_OK(cgan_config_create(&c, CGAN_PRESET_SMALL));
    CK_OK(cgan_config_set(c, CGAN_CONFIG_BATCH, (double)B));
    CK_OK(cgan_gan_create(&g, c, 11));
    CK_OK(cgan_rng_create(&r, 5));
    CK_OK(cgan_tensor_create4(&x, B, 1, 64, 64));
    CK_OK(cgan_tensor_create4(&y, B, 0, 0, 0));
    CK_OK(cgan_tensor_create4(&z, B, 128, 0, 0));
    CK_OK(cgan_tensor_create4(&fy, B, 0, 0, 0));
    CK_OK(cgan_tensor_fill_uniform(x, r, -1.0f, 1.0f));
    CK_OK(cgan_tensor_fill_normal(z, r, 0.0f, 1.0f));
    for (int64_t i = 0; i < B; i++) {
        cgan_tensor_data(y)[i] = (float)(i % 8);
        cgan_tensor_data(fy)[i] = (float)((3 * i + 1) % 8);
    }
    CK_OK(cgan_model_find_param(cgan_gan_generator(g), "attn.gamma", &gamma, NULL));
    cgan_tensor_data(gamma)[0] = 0.25f;
    for (int k = 0; k < 4; k++) CK_OK(cgan_gan_critic_step(g, x, y, z, fy));
    CK_OK(cgan_gan_generator_step(g, z, fy));
    cgan_model *ms[2] = {cgan_gan_generator(g), cgan_gan_critic(g)};
    int64_t n = 0;
    for (int m = 0; m < 2; m++) n += cgan_model_count_trainable(ms[m]);
    float *out = malloc((size_t)n * sizeof *out);
    ck_assert_ptr_nonnull(out);
    int64_t off = 0;
    for (int m = 0; m < 2; m++)
        for (int i = 0; i < cgan_model_num_params(ms[m]); i++) {
            cgan_tensor *t;
            CK_OK(cgan_model_get_param(ms[m], i, NULL, &t, NULL));
            memcpy(out + off, cgan_tensor_data(t), (size_t)cgan_tensor_numel(t) * sizeof(float));
            off += cgan_tensor_numel(t);
        }
    *count = n;
    cgan_tensor_destroy(x);
    cgan_tensor_destroy(y);
    cgan_tensor_destroy(z);
    cgan_tensor_destroy(fy);
    cgan_rng_destroy(r);
    cgan_gan_destroy(g);
    cgan_config_destroy(c);
    return out;
}

START_TEST(training_bits_do_not_depend_on_threads) {
    int64_t n1, n2, n3;
    float *a = train_once(1, &n1), *b = train_once(2, &n2), *c = train_once(3, &n3);
    CK_OK(cgan_set_num_threads(0));
    ck_assert_int_eq(n1, n2);
    ck_assert_int_eq(n1, n3);
    int64_t diff2 = 0, diff3 = 0, moved = 0;
    for (int64_t i = 0; i < n1; i++) {
        diff2 += memcmp(&a[i], &b[i], sizeof *a) != 0;
        diff3 += memcmp(&a[i], &c[i], sizeof *a) != 0;
    }
    /* and the step did something: RMSprop moved most weights off their init */
    float *d = train_once(1, &n2);
    for (int64_t i = 0; i < n1; i++) moved += a[i] != 0.0f;
    ck_assert_int_eq(memcmp(a, d, (size_t)n1 * sizeof *a), 0);
    ck_assert_msg(diff2 == 0 && diff3 == 0, "%lld / %lld of %lld parameters differ (2 / 3 threads)",
                  (long long)diff2, (long long)diff3, (long long)n1);
    ck_assert_int_gt(moved, n1 / 2);
    free(a);
    free(b);
    free(c);
    free(d);
}
END_TEST

START_TEST(profile_counts_calls_and_flops) {
    cgan_model *m;
    cgan_layer *conv, *act;
    cgan_tensor *x, *dy;
    int in, h, o;
    const char *name, *kind;
    double sec, flop;
    int64_t calls;
    CK_OK(cgan_model_create(&m, "p"));
    CK_OK(cgan_model_add_input(m, "x", &in));
    CK_OK(cgan_layer_create_conv2d(&conv, 3, 5, 4, 2, 1, 0));
    CK_OK(cgan_model_add_node(m, "conv", conv, &in, 1, &h));
    CK_OK(cgan_layer_create_leaky_relu(&act, 0.2f, 0));
    CK_OK(cgan_model_add_node(m, "act", act, &h, 1, &o));
    CK_OK(cgan_model_add_output(m, o, NULL));
    ck_assert_int_eq(cgan_model_num_nodes(m), 2);
    CK_OK(cgan_tensor_create4(&x, 2, 3, 8, 8));
    CK_OK(cgan_tensor_create4(&dy, 2, 5, 4, 4));
    CK_OK(cgan_tensor_fill(x, 0.5f));
    CK_OK(cgan_tensor_fill(dy, 1.0f));
    const cgan_tensor *xs[1] = {x}, *ds[1] = {dy};
    /* off by default: nothing counted */
    CK_OK(cgan_model_forward(m, xs, 1, 0));
    CK_OK(cgan_model_node_profile(m, 0, 0, &name, &kind, &sec, &flop, &calls));
    ck_assert_str_eq(name, "conv");
    ck_assert_str_eq(kind, "conv2d");
    ck_assert_int_eq(calls, 0);
    CK_OK(cgan_model_set_profiling(m, 1));
    for (int k = 0; k < 2; k++) {
        CK_OK(cgan_model_forward(m, xs, 1, 0));
        CK_OK(cgan_model_backward(m, ds, 1, CGAN_GRAD_PARAMS | CGAN_GRAD_INPUTS));
    }
    /* 2 * N * Co * Ho * Wo * Ci * k * k per forward; backward dX + dW twice that */
    double f = 2.0 * 2 * 5 * 4 * 4 * 3 * 16;
    CK_OK(cgan_model_node_profile(m, 0, 0, NULL, NULL, &sec, &flop, &calls));
    ck_assert_int_eq(calls, 2);
    ck_assert(sec >= 0.0);
    ck_assert_double_eq(flop, 2 * f);
    CK_OK(cgan_model_node_profile(m, 0, 1, NULL, NULL, NULL, &flop, &calls));
    ck_assert_int_eq(calls, 2);
    ck_assert_double_eq(flop, 2 * 2 * f);
    CK_OK(cgan_model_node_profile(m, 1, 1, &name, NULL, NULL, &flop, &calls));
    ck_assert_str_eq(name, "act");
    ck_assert_int_eq(calls, 2);
    ck_assert_double_eq(flop, 0.0);
    /* params-only backward: dW alone */
    CK_OK(cgan_model_profile_reset(m));
    CK_OK(cgan_model_forward(m, xs, 1, 0));
    CK_OK(cgan_model_backward(m, ds, 1, CGAN_GRAD_PARAMS));
    CK_OK(cgan_model_node_profile(m, 0, 1, NULL, NULL, NULL, &flop, &calls));
    ck_assert_int_eq(calls, 1);
    ck_assert_double_eq(flop, f);
    CK_FAILS(cgan_model_node_profile(m, 2, 0, NULL, NULL, NULL, NULL, NULL), CGAN_EINVAL);
    CK_FAILS(cgan_model_node_profile(m, 0, 2, NULL, NULL, NULL, NULL, NULL), CGAN_EINVAL);
    CK_FAILS(cgan_model_set_profiling(NULL, 1), CGAN_EINVAL);
    ck_assert_int_eq(cgan_model_num_nodes(NULL), 0);
    ck_assert(strlen(cgan_blas_corename()) > 0);
    ck_assert(strstr(cgan_blas_config(), "OpenBLAS") != NULL);
    cgan_tensor_destroy(x);
    cgan_tensor_destroy(dy);
    cgan_model_destroy(m);
}
END_TEST

Suite *cgan_test_perf_suite(void) {
    Suite *s = suite_create("perf");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, training_bits_do_not_depend_on_threads);
    tcase_add_test(tc, profile_counts_calls_and_flops);
    suite_add_tcase(s, tc);
    return s;
}
