/* The 2C conditional contrastive loss: finite differences on the double
 * kernel, PyTorch autograd fixtures through the public API, the edge cases
 * of math-spec 3.4, the proxy helpers and the argument errors. */
#include "loss_test_util.h"
#include "losses/loss_internal.h"

/* ------------------------------------------------- finite differences */
typedef struct ctx_2c {
    int64_t m, d;
    const double *l, *e; /* the one being differentiated points at x */
    const int32_t *y;
    double t;
    double *ws;
    int wrt_e;
} ctx_2c;

static double value_2c(void *p, const double *x) {
    ctx_2c *c = p;
    cgan__2c_stats st;
    return cgan__loss_2c(c->m, c->d, c->wrt_e ? c->l : x, c->wrt_e ? x : c->e, c->y, c->t, NULL,
                         NULL, c->ws, &st);
}

static void fd_case(int64_t m, int64_t d, int n_classes, double t, uint64_t seed) {
    cgan_rng *r;
    CK_OK(cgan_rng_create(&r, seed));
    double *l = malloc(sizeof(double) * m * d), *e = malloc(sizeof(double) * m * d);
    double *gl = malloc(sizeof(double) * m * d), *ge = malloc(sizeof(double) * m * d);
    double *ws = malloc(sizeof(double) * cgan__loss_2c_workspace(m, d));
    int32_t *y = malloc(sizeof(int32_t) * m);
    fill_normal(r, l, m * d, 1.0);
    fill_normal(r, e, m * d, 0.5);
    for (int64_t i = 0; i < m; i++) y[i] = (int32_t)cgan_rng_below(r, n_classes);
    cgan__2c_stats st;
    double v = cgan__loss_2c(m, d, l, e, y, t, gl, ge, ws, &st);
    ck_assert(isfinite(v) && v >= 0.0);
    ctx_2c c = {m, d, l, e, y, t, ws, 0};
    double err_l = fd_check(value_2c, &c, l, gl, m * d, 1e-6);
    c.wrt_e = 1;
    double err_e = fd_check(value_2c, &c, e, ge, m * d, 1e-6);
    if (getenv("CGAN_TEST_VERBOSE"))
        fprintf(stderr, "  fd 2c m %lld t %g: dl %.2e de %.2e\n", (long long)m, t, err_l, err_e);
    ck_assert_msg(err_l < 1e-6 && err_e < 1e-6, "m %lld t %g: fd error dl %.2e de %.2e",
                  (long long)m, t, err_l, err_e);
    free(l), free(e), free(gl), free(ge), free(ws), free(y);
    cgan_rng_destroy(r);
}

START_TEST(fd_gradients) {
    fd_case(10, 6, 3, 0.1, 1);
    fd_case(10, 6, 3, 0.5, 2);
    fd_case(7, 4, 2, 1.0, 3);
    fd_case(12, 5, 6, 0.05, 4); /* several classes appear once */
}
END_TEST

/* ------------------------------------------------------- torch oracle */
/* Run the public API on fixture <case> with temperature t (tag = "_t0.1"
 * etc.) and compare the value, grad_l, grad_e and the proxy table grad. */
static void torch_case(const char *name, const char *tag, double t, int n_classes) {
    char key[128], key2[128];
    snprintf(key, sizeof key, "%s_l", name);
    cgan_tensor *l = fx_tensor(key);
    snprintf(key, sizeof key, "%s_table", name);
    cgan_tensor *table = fx_tensor(key);
    snprintf(key, sizeof key, "%s_labels", name);
    cgan_tensor *y = fx_tensor(key);
    snprintf(key, sizeof key, "%s_e", name);
    cgan_tensor *e_fx = fx_tensor(key);
    cgan_tensor *e = zeros_like(e_fx), *gl = zeros_like(l), *ge = zeros_like(e_fx);
    cgan_tensor *gtable = zeros_like(table);
    cgan_loss *loss;
    double v;

    CK_OK(cgan_loss_proxy_gather(table, y, e));
    for (int64_t i = 0; i < cgan_tensor_numel(e); i++)
        ck_assert_float_eq(cgan_tensor_data(e)[i], cgan_tensor_data(e_fx)[i]);

    CK_OK(cgan_loss_create_2c(&loss, n_classes));
    CK_OK(cgan_loss_set_param(loss, "temperature", t));
    CK_OK(cgan_loss_2c(loss, l, e, y, &v, gl, ge));
    snprintf(key, sizeof key, "%s%s_value", name, tag);
    double ref = fx_scalar(key);
    if (getenv("CGAN_TEST_VERBOSE"))
        fprintf(stderr, "  %s%s value %.12g torch %.12g\n", name, tag, v, ref);
    ck_assert_msg(rel_diff(v, ref) < 1e-10, "%s%s: value %.17g, torch %.17g", name, tag, v, ref);
    snprintf(key, sizeof key, "%s%s_grad_l", name, tag);
    ck_assert_msg(fx_compare(gl, key) < 1e-5, "%s", key);
    snprintf(key, sizeof key, "%s%s_e_grad_e", name, tag);
    ck_assert_msg(fx_compare(ge, key) < 1e-5, "%s", key);
    snprintf(key2, sizeof key2, "%s%s_grad_table", name, tag);
    CK_OK(cgan_loss_proxy_scatter_add(ge, y, gtable));
    ck_assert_msg(fx_compare(gtable, key2) < 1e-5, "%s", key2);
    cgan_loss_destroy(loss);
    cgan_tensor_destroy(l), cgan_tensor_destroy(table), cgan_tensor_destroy(y);
    cgan_tensor_destroy(e_fx), cgan_tensor_destroy(e), cgan_tensor_destroy(gl);
    cgan_tensor_destroy(ge), cgan_tensor_destroy(gtable);
}

START_TEST(torch_m64) {
    torch_case("2c_m64", "_t0.1", 0.1, 8);
    torch_case("2c_m64", "_t1", 1.0, 8);
}
END_TEST

START_TEST(torch_small_temperature_stays_finite) {
    /* t = 0.005: exp(1/t) overflows even double's naive form; LSE does not. */
    torch_case("2c_m64", "_t0.005", 0.005, 8);
}
END_TEST

START_TEST(torch_class_appearing_once) { torch_case("2c_small", "_t0.5", 0.5, 4); }
END_TEST

START_TEST(torch_zero_norm_rows) {
    torch_case("2c_zero", "_t0.1", 0.1, 3);
    cgan_loss *loss;
    cgan_tensor *l = fx_tensor("2c_zero_l"), *e = fx_tensor("2c_zero_e");
    cgan_tensor *y = fx_tensor("2c_zero_labels");
    double v, zero_rows;
    CK_OK(cgan_loss_create_2c(&loss, 3));
    CK_OK(cgan_loss_2c(loss, l, e, y, &v, NULL, NULL));
    CK_OK(cgan_loss_get_stat(loss, "zero_norm_rows", &zero_rows));
    /* row 2 of l, and every row of class 1, whose proxy is zero */
    int expect = 1;
    for (int i = 0; i < 8; i++) expect += cgan_tensor_data(y)[i] == 1.0f;
    ck_assert_double_eq(zero_rows, expect);
    cgan_loss_destroy(loss);
    cgan_tensor_destroy(l), cgan_tensor_destroy(e), cgan_tensor_destroy(y);
}
END_TEST

START_TEST(torch_nearly_parallel_embeddings) { torch_case("2c_parallel", "_t0.1", 0.1, 4); }
END_TEST

/* ------------------------------------------------------------ edge cases */
/* l, e [m, d] random, labels given. */
static void make_batch(int64_t m, int64_t d, const float *labels, uint64_t seed, cgan_tensor **l,
                       cgan_tensor **e, cgan_tensor **y) {
    cgan_rng *r;
    CK_OK(cgan_rng_create(&r, seed));
    CK_OK(cgan_tensor_create4(l, m, d, 0, 0));
    CK_OK(cgan_tensor_create4(e, m, d, 0, 0));
    CK_OK(cgan_tensor_create4(y, m, 0, 0, 0));
    CK_OK(cgan_tensor_fill_normal(*l, r, 0.0f, 1.0f));
    CK_OK(cgan_tensor_fill_normal(*e, r, 0.0f, 1.0f));
    CK_OK(cgan_tensor_set_data(*y, labels, m));
    cgan_rng_destroy(r);
}

static void assert_zero_loss(int64_t m, const float *labels) {
    cgan_tensor *l, *e, *y;
    cgan_loss *loss;
    double v, degenerate;
    make_batch(m, 5, labels, 7, &l, &e, &y);
    cgan_tensor *gl = zeros_like(l), *ge = zeros_like(e);
    CK_OK(cgan_tensor_fill(gl, 9.0f));
    CK_OK(cgan_tensor_fill(ge, 9.0f));
    CK_OK(cgan_loss_create_2c(&loss, 4));
    CK_OK(cgan_loss_2c(loss, l, e, y, &v, gl, ge));
    ck_assert_double_eq(v, 0.0);
    for (int64_t i = 0; i < m * 5; i++) {
        ck_assert_float_eq(cgan_tensor_data(gl)[i], 0.0f);
        ck_assert_float_eq(cgan_tensor_data(ge)[i], 0.0f);
    }
    CK_OK(cgan_loss_get_stat(loss, "degenerate_rows", &degenerate));
    ck_assert_double_eq(degenerate, (double)m);
    cgan_loss_destroy(loss);
    cgan_tensor_destroy(l), cgan_tensor_destroy(e), cgan_tensor_destroy(y);
    cgan_tensor_destroy(gl), cgan_tensor_destroy(ge);
}

START_TEST(batch_of_one_is_zero) { assert_zero_loss(1, (float[]){2}); }
END_TEST

START_TEST(single_class_batch_is_zero) { assert_zero_loss(6, (float[]){3, 3, 3, 3, 3, 3}); }
END_TEST

/* A direct transcription of math-spec 3.1 with plain exp/log (fine at
 * t = 1): the third implementation next to the kernel and torch. */
static double naive_2c(int64_t m, int64_t d, const float *l, const float *e, const float *y,
                       double t) {
    double total = 0.0;
    for (int64_t i = 0; i < m; i++) {
        double nli = 0, nei = 0, a = 0, num, den;
        for (int64_t c = 0; c < d; c++) {
            nli += (double)l[i * d + c] * l[i * d + c];
            nei += (double)e[i * d + c] * e[i * d + c];
            a += (double)l[i * d + c] * e[i * d + c];
        }
        a /= sqrt(nli) * sqrt(nei) * t;
        num = den = exp(a);
        for (int64_t k = 0; k < m; k++) {
            if (k == i) continue;
            double nlk = 0, s = 0;
            for (int64_t c = 0; c < d; c++) {
                nlk += (double)l[k * d + c] * l[k * d + c];
                s += (double)l[i * d + c] * l[k * d + c];
            }
            s = exp(s / (sqrt(nli) * sqrt(nlk) * t));
            den += s;
            if (y[k] == y[i]) num += s;
        }
        total += -log(num / den);
    }
    return total / m;
}

START_TEST(matches_direct_formula) {
    /* labels with a class appearing once (1) and one appearing three times */
    const float labels[] = {0, 2, 1, 2, 0, 2};
    cgan_tensor *l, *e, *y;
    cgan_loss *loss;
    double v;
    make_batch(6, 4, labels, 11, &l, &e, &y);
    CK_OK(cgan_loss_create_2c(&loss, 3));
    CK_OK(cgan_loss_set_option(loss, "temperature", "1"));
    CK_OK(cgan_loss_2c(loss, l, e, y, &v, NULL, NULL));
    double ref = naive_2c(6, 4, cgan_tensor_data(l), cgan_tensor_data(e), labels, 1.0);
    ck_assert_msg(rel_diff(v, ref) < 1e-12, "2c %.17g, direct %.17g", v, ref);
    CK_OK(cgan_loss_set_param(loss, "weight", 0.25));
    double v4;
    CK_OK(cgan_loss_2c(loss, l, e, y, &v4, NULL, NULL));
    ck_assert_double_eq_tol(v4, 0.25 * v, 1e-15);
    cgan_loss_destroy(loss);
    cgan_tensor_destroy(l), cgan_tensor_destroy(e), cgan_tensor_destroy(y);
}
END_TEST

START_TEST(tiny_temperature_is_finite) {
    const float labels[] = {0, 1, 0, 1, 2, 2, 0, 1};
    cgan_tensor *l, *e, *y;
    cgan_loss *loss;
    double v;
    make_batch(8, 6, labels, 5, &l, &e, &y);
    cgan_tensor *gl = zeros_like(l), *ge = zeros_like(e);
    CK_OK(cgan_loss_create_2c(&loss, 3));
    for (double t = 0.1; t >= 1e-4; t /= 4) {
        CK_OK(cgan_loss_set_param(loss, "temperature", t));
        CK_OK(cgan_loss_2c(loss, l, e, y, &v, gl, ge));
        ck_assert_msg(isfinite(v) && v >= -1e-12, "t %g: loss %g", t, v);
    }
    cgan_loss_destroy(loss);
    cgan_tensor_destroy(l), cgan_tensor_destroy(e), cgan_tensor_destroy(y);
    cgan_tensor_destroy(gl), cgan_tensor_destroy(ge);
}
END_TEST

/* ------------------------------------------------------------- errors */
START_TEST(argument_errors) {
    const float labels[] = {0, 1, 2, 1};
    cgan_tensor *l, *e, *y, *bad, *y_bad;
    cgan_loss *loss, *wgan;
    double v;
    make_batch(4, 3, labels, 3, &l, &e, &y);
    CK_OK(cgan_loss_create_2c(&loss, 3));
    CK_OK(cgan_loss_create_wgan(&wgan));

    /* shapes: the message names the argument and both shapes */
    CK_OK(cgan_tensor_create4(&bad, 4, 2, 0, 0));
    CK_FAILS(cgan_loss_2c(loss, l, bad, y, &v, NULL, NULL), CGAN_ESHAPE);
    ck_assert_ptr_nonnull(strstr(cgan_last_error(), "e has shape [4, 2], expected [4, 3]"));
    CK_FAILS(cgan_loss_2c(loss, l, e, y, &v, bad, NULL), CGAN_ESHAPE);
    ck_assert_ptr_nonnull(strstr(cgan_last_error(), "grad_l has shape [4, 2], expected [4, 3]"));
    CK_FAILS(cgan_loss_2c(loss, l, e, y, &v, NULL, bad), CGAN_ESHAPE);
    CK_FAILS(cgan_loss_2c(loss, l, e, bad, &v, NULL, NULL), CGAN_ESHAPE);
    ck_assert_ptr_nonnull(strstr(cgan_last_error(), "labels"));

    /* labels out of range, fractional or NaN */
    CK_OK(cgan_tensor_create4(&y_bad, 4, 1, 0, 0));
    const float wrong[][4] = {{0, 1, 3, 1}, {0, -1, 2, 1}, {0, 1.5f, 2, 1}, {0, NAN, 2, 1}};
    for (int i = 0; i < 4; i++) {
        CK_OK(cgan_tensor_set_data(y_bad, wrong[i], 4));
        CK_FAILS(cgan_loss_2c(loss, l, e, y_bad, &v, NULL, NULL), CGAN_EINVAL);
        ck_assert_ptr_nonnull(strstr(cgan_last_error(), "not a class in [0, 3)"));
    }
    /* [m, 1] labels are accepted */
    CK_OK(cgan_tensor_set_data(y_bad, labels, 4));
    CK_OK(cgan_loss_2c(loss, l, e, y_bad, &v, NULL, NULL));

    /* non-finite input */
    cgan_tensor_data(l)[5] = NAN;
    CK_FAILS(cgan_loss_2c(loss, l, e, y, &v, NULL, NULL), CGAN_ENUMERIC);
    ck_assert_ptr_nonnull(strstr(cgan_last_error(), "l[1, 2]"));
    double stat;
    CK_OK(cgan_loss_get_stat(loss, "value", &stat));
    ck_assert(isnan(stat));

    /* temperature, kind, keys */
    CK_FAILS(cgan_loss_set_param(loss, "temperature", 0.0), CGAN_EINVAL);
    CK_FAILS(cgan_loss_set_param(loss, "temperature", -0.1), CGAN_EINVAL);
    CK_FAILS(cgan_loss_set_option(loss, "temperature", "abc"), CGAN_EINVAL);
    CK_FAILS(cgan_loss_set_param(loss, "alpha", 1.0), CGAN_EINVAL);
    CK_OK(cgan_loss_get_param(loss, "temperature", &stat));
    ck_assert_double_eq(stat, 0.1);
    CK_FAILS(cgan_loss_2c(wgan, l, e, y, &v, NULL, NULL), CGAN_EINVAL);
    ck_assert_ptr_nonnull(strstr(cgan_last_error(), "not a 2c loss"));
    cgan_loss_destroy(wgan);
    CK_FAILS(cgan_loss_create_2c(&wgan, 0), CGAN_EINVAL);
    ck_assert_ptr_null(wgan);

    cgan_loss_destroy(loss);
    cgan_tensor_destroy(l), cgan_tensor_destroy(e), cgan_tensor_destroy(y);
    cgan_tensor_destroy(bad), cgan_tensor_destroy(y_bad);
}
END_TEST

START_TEST(proxy_helpers) {
    cgan_tensor *table, *y, *out, *grad;
    CK_OK(cgan_tensor_create4(&table, 3, 2, 0, 0));
    CK_OK(cgan_tensor_create4(&y, 4, 0, 0, 0));
    CK_OK(cgan_tensor_create4(&out, 4, 2, 0, 0));
    CK_OK(cgan_tensor_create4(&grad, 3, 2, 0, 0));
    CK_OK(cgan_tensor_set_data(table, (float[]){1, 2, 3, 4, 5, 6}, 6));
    CK_OK(cgan_tensor_set_data(y, (float[]){2, 0, 2, 1}, 4));
    CK_OK(cgan_loss_proxy_gather(table, y, out));
    const float want[] = {5, 6, 1, 2, 5, 6, 3, 4};
    for (int i = 0; i < 8; i++) ck_assert_float_eq(cgan_tensor_data(out)[i], want[i]);
    CK_OK(cgan_tensor_fill(grad, 1.0f));
    CK_OK(cgan_loss_proxy_scatter_add(out, y, grad)); /* accumulates */
    const float sums[] = {2, 3, 4, 5, 11, 13};
    for (int i = 0; i < 6; i++) ck_assert_float_eq(cgan_tensor_data(grad)[i], sums[i]);
    CK_OK(cgan_tensor_set_data(y, (float[]){2, 0, 3, 1}, 4));
    CK_FAILS(cgan_loss_proxy_gather(table, y, out), CGAN_EINVAL);
    CK_FAILS(cgan_loss_proxy_scatter_add(out, y, grad), CGAN_EINVAL);
    CK_FAILS(cgan_loss_proxy_gather(table, y, grad), CGAN_ESHAPE);
    cgan_tensor_destroy(table), cgan_tensor_destroy(y), cgan_tensor_destroy(out);
    cgan_tensor_destroy(grad);
}
END_TEST

Suite *cgan_test_loss_2c_suite(void) {
    Suite *s = suite_create("loss_2c");
    TCase *tc = tcase_create("gradients");
    tcase_add_test(tc, fd_gradients);
    suite_add_tcase(s, tc);
    tc = tcase_create("torch");
    tcase_add_test(tc, torch_m64);
    tcase_add_test(tc, torch_small_temperature_stays_finite);
    tcase_add_test(tc, torch_class_appearing_once);
    tcase_add_test(tc, torch_zero_norm_rows);
    tcase_add_test(tc, torch_nearly_parallel_embeddings);
    suite_add_tcase(s, tc);
    tc = tcase_create("edges");
    tcase_add_test(tc, batch_of_one_is_zero);
    tcase_add_test(tc, single_class_batch_is_zero);
    tcase_add_test(tc, matches_direct_formula);
    tcase_add_test(tc, tiny_temperature_is_finite);
    tcase_add_test(tc, argument_errors);
    tcase_add_test(tc, proxy_helpers);
    suite_add_tcase(s, tc);
    return s;
}
