/* Finite-difference gradient checks for every layer: central differences
 * of L = sum(r * y) (r a fixed random output gradient), accumulated in
 * double, against backward's input and parameter gradients; then the
 * dX-only and params-only flags separately, and accumulation. */
#include "nn_gen.h"

#define MAX_POINTS 24

typedef struct fd_opts {
    uint32_t mode;
    double h;
    int kinks; /* piecewise linear: skip points where an output changes sign */
} fd_opts;

static double loss(cgan_layer *l, const cgan_tensor *const *in, int n_in, uint32_t mode,
                   const cgan_tensor *r, float *ysign_out) {
    const cgan_tensor *y;
    CK_OK(cgan_layer_forward(l, in, n_in, mode | CGAN_MODE_NO_GRAD, &y));
    const float *yd = cgan_tensor_data_const(y), *rd = cgan_tensor_data_const(r);
    double s = 0.0;
    for (int64_t i = 0; i < cgan_tensor_numel(y); i++) {
        s += (double)yd[i] * rd[i];
        if (ysign_out) ysign_out[i] = yd[i] > 0.0f ? 1.0f : 0.0f;
    }
    return s;
}

/* Check analytic gradient g of tensor t (an input or a parameter) by
 * perturbing t's elements. */
static void fd_tensor(const char *what, cgan_layer *l, const cgan_tensor *const *in, int n_in,
                      const cgan_tensor *r, cgan_tensor *t, const float *g, const fd_opts *o) {
    int64_t n = cgan_tensor_numel(t), step = n > MAX_POINTS ? n / MAX_POINTS : 1;
    float *d = cgan_tensor_data(t);
    int64_t ny = cgan_tensor_numel(r);
    float *s1 = malloc(sizeof(float) * (size_t)ny), *s2 = malloc(sizeof(float) * (size_t)ny);
    double scale = 0.0;
    for (int64_t i = 0; i < n; i++) scale = fmax(scale, fabs(g[i]));
    int checked = 0, tried = 0;
    for (int64_t i = (n > 1 ? 1 : 0); i < n; i += step) {
        float keep = d[i];
        double h = o->h * fmax(1.0, fabs(keep));
        d[i] = (float)(keep + h);
        double hp = (double)d[i] - keep;
        double lp = loss(l, in, n_in, o->mode, r, s1);
        d[i] = (float)(keep - h);
        double hm = keep - (double)d[i];
        double lm = loss(l, in, n_in, o->mode, r, s2);
        d[i] = keep;
        tried++;
        if (o->kinks && memcmp(s1, s2, sizeof(float) * (size_t)ny) != 0) continue;
        double fd = (lp - lm) / (hp + hm);
        double tol = 2e-2 * fabs(fd) + 3e-3 * fmax(scale, 1e-2);
        ck_assert_msg(fabs(fd - g[i]) <= tol, "%s %s: d/d[%lld]: backward %.7g, finite "
                      "difference %.7g (tolerance %.3g)", cgan_layer_kind(l), what,
                      (long long)i, (double)g[i], fd, tol);
        checked++;
    }
    ck_assert_msg(checked * 2 >= tried, "%s %s: only %d of %d points away from kinks",
                  cgan_layer_kind(l), what, checked, tried);
    free(s1);
    free(s2);
}

static float *copy_data(const cgan_tensor *t) {
    float *p = malloc(sizeof(float) * (size_t)cgan_tensor_numel(t));
    memcpy(p, cgan_tensor_data_const(t), sizeof(float) * (size_t)cgan_tensor_numel(t));
    return p;
}

/* b == factor * a; exactly when factor is 1 (same code path), else up to
 * float rounding (a layer may accumulate per sample). */
static void assert_same(const char *what, const float *a, const cgan_tensor *b, double factor) {
    double tol = factor == 1.0 ? 0.0 : 1e-6;
    for (int64_t i = 0; i < cgan_tensor_numel(b); i++)
        ck_assert_msg(fabs((double)cgan_tensor_data_const(b)[i] - factor * a[i]) <=
                          tol * fabs(factor * a[i]),
                      "%s[%lld]: %.9g, expected %.9g", what, (long long)i,
                      (double)cgan_tensor_data_const(b)[i], factor * a[i]);
}

/* The whole check for one layer (consumed); inputs are consumed too. */
static void grad_check(const char *tag, cgan_layer *l, cgan_tensor **x, int n_in,
                       const fd_opts *o) {
    const cgan_tensor *in[2] = {x[0], n_in > 1 ? x[1] : NULL}, *y, *din[2];
    CK_OK(cgan_layer_forward(l, in, n_in, o->mode, &y));
    cgan_tensor *r;
    CK_OK(cgan_tensor_clone(&r, y));
    char rtag[128];
    snprintf(rtag, sizeof rtag, "grad/%s/r", tag);
    gen_fill(cgan_tensor_data(r), cgan_tensor_numel(r), rtag, -1.0, 1.0, 0);

    /* reference: both flags */
    int np = cgan_layer_num_params(l);
    float *dx[2] = {NULL, NULL}, *dw[CGAN_TENSOR_MAX_DIMS * 2] = {NULL};
    CK_OK(cgan_layer_zero_grad(l));
    CK_OK(cgan_layer_backward(l, in, n_in, r, CGAN_GRAD_INPUTS | CGAN_GRAD_PARAMS, din));
    for (int k = 0; k < n_in; k++)
        if (din[k]) dx[k] = copy_data(din[k]);
    for (int i = 0; i < np; i++) {
        cgan_tensor *g;
        CK_OK(cgan_layer_get_param(l, i, NULL, NULL, &g));
        dw[i] = copy_data(g);
    }
    /* finite differences (forwards in NO_GRAD mode keep the backward state) */
    for (int k = 0; k < n_in; k++)
        if (dx[k]) fd_tensor(k ? "input 1" : "input 0", l, in, n_in, r, x[k], dx[k], o);
    for (int i = 0; i < np; i++) {
        const char *name;
        cgan_tensor *v;
        CK_OK(cgan_layer_get_param(l, i, &name, &v, NULL));
        fd_tensor(name, l, in, n_in, r, v, dw[i], o);
    }
    /* dX only: parameter gradients untouched, same dX */
    CK_OK(cgan_layer_forward(l, in, n_in, o->mode, &y));
    CK_OK(cgan_layer_zero_grad(l));
    CK_OK(cgan_layer_backward(l, in, n_in, r, CGAN_GRAD_INPUTS, din));
    for (int k = 0; k < n_in; k++) {
        ck_assert((din[k] == NULL) == (dx[k] == NULL));
        if (dx[k]) assert_same("dX-only input gradient", dx[k], din[k], 1.0);
    }
    for (int i = 0; i < np; i++) {
        cgan_tensor *g;
        CK_OK(cgan_layer_get_param(l, i, NULL, NULL, &g));
        for (int64_t j = 0; j < cgan_tensor_numel(g); j++) ck_assert(cgan_tensor_data(g)[j] == 0.0f);
    }
    /* params only, twice: no input gradients, parameter gradients doubled */
    CK_OK(cgan_layer_backward(l, in, n_in, r, CGAN_GRAD_PARAMS, din));
    CK_OK(cgan_layer_backward(l, in, n_in, r, CGAN_GRAD_PARAMS, din));
    for (int k = 0; k < n_in; k++) ck_assert_ptr_null(din[k]);
    for (int i = 0; i < np; i++) {
        cgan_tensor *g;
        CK_OK(cgan_layer_get_param(l, i, NULL, NULL, &g));
        assert_same("accumulated parameter gradient", dw[i], g, 2.0);
    }
    for (int k = 0; k < n_in; k++) free(dx[k]);
    for (int i = 0; i < np; i++) free(dw[i]);
    for (int k = 0; k < n_in; k++) cgan_tensor_destroy(x[k]);
    cgan_tensor_destroy(r);
    cgan_layer_destroy(l);
}

static cgan_tensor *rand_tensor(const char *tag, int64_t d0, int64_t d1, int64_t d2, int64_t d3,
                                double lo, double hi) {
    cgan_tensor *t;
    char full[128];
    CK_OK(cgan_tensor_create4(&t, d0, d1, d2, d3));
    snprintf(full, sizeof full, "grad/%s", tag);
    gen_fill(cgan_tensor_data(t), cgan_tensor_numel(t), full, lo, hi, 0);
    return t;
}

/* Parameters: uniform in [-a, a] (BN gamma around 1), so that gradients of
 * every parameter are non-trivial. */
static void rand_params(cgan_layer *l, const char *tag, double a) {
    for (int i = 0; i < cgan_layer_num_params(l); i++) {
        const char *name;
        cgan_tensor *v;
        char full[128];
        CK_OK(cgan_layer_get_param(l, i, &name, &v, NULL));
        snprintf(full, sizeof full, "grad/%s/%s", tag, name);
        double lo = -a, hi = a;
        if (!strcmp(cgan_layer_kind(l), "batchnorm2d") || !strcmp(cgan_layer_kind(l), "batchnorm2d_lrelu")) {
            if (!strcmp(name, "weight")) lo = 0.5, hi = 1.5;
        }
        if (!strcmp(name, "gamma")) lo = 0.6, hi = 0.9;
        gen_fill(cgan_tensor_data(v), cgan_tensor_numel(v), full, lo, hi, 0);
    }
}

static const fd_opts SMOOTH = {CGAN_MODE_TRAIN, 1e-2, 0};
static const fd_opts KINKS = {CGAN_MODE_TRAIN, 1e-2, 1};

START_TEST(fd_linear) {
    cgan_layer *l;
    cgan_tensor *x[1];
    CK_OK(cgan_layer_create_linear(&l, 5, 3, 0));
    rand_params(l, "lin", 0.5);
    x[0] = rand_tensor("lin/x", 4, 5, 0, 0, -1, 1);
    grad_check("lin", l, x, 1, &SMOOTH);
    CK_OK(cgan_layer_create_linear(&l, 7, 2, CGAN_LAYER_NO_BIAS));
    rand_params(l, "lin2", 0.5);
    x[0] = rand_tensor("lin2/x", 3, 7, 0, 0, -1, 1);
    grad_check("lin2", l, x, 1, &SMOOTH);
}
END_TEST

/* Several geometries {in, out, kernel, stride, padding}, input 6x7 (conv)
 * or 3x4 (transposed); the last one without bias. */
static void fd_convs(int transposed, const int cfg[4][5]) {
    for (int c = 0; c < 4; c++) {
        cgan_layer *l;
        cgan_tensor *x[1];
        char tag[32];
        uint32_t flags = c == 3 ? CGAN_LAYER_NO_BIAS : 0;
        snprintf(tag, sizeof tag, "%s%d", transposed ? "convt" : "conv", c);
        if (transposed)
            CK_OK(cgan_layer_create_convt2d(&l, cfg[c][0], cfg[c][1], cfg[c][2], cfg[c][3], cfg[c][4], flags));
        else
            CK_OK(cgan_layer_create_conv2d(&l, cfg[c][0], cfg[c][1], cfg[c][2], cfg[c][3], cfg[c][4], flags));
        rand_params(l, tag, 0.4);
        x[0] = rand_tensor(tag, 2, cfg[c][0], transposed ? 3 : 6, transposed ? 4 : 7, -1, 1);
        grad_check(tag, l, x, 1, &SMOOTH);
    }
}

START_TEST(fd_conv2d) {
    static const int cfg[4][5] = {{2, 3, 4, 2, 1}, {2, 3, 3, 1, 1}, {1, 2, 3, 2, 0}, {2, 2, 5, 3, 2}};
    fd_convs(0, cfg);
}
END_TEST

/* conv2d_lrelu: the kinks of the activation, as for leaky_relu */
START_TEST(fd_conv2d_lrelu) {
    cgan_layer *l;
    cgan_tensor *x[1];
    CK_OK(cgan_layer_create_conv2d_lrelu(&l, 2, 3, 4, 2, 1, 0.2, 0));
    rand_params(l, "convl", 0.4);
    x[0] = rand_tensor("convl", 2, 2, 6, 8, -1, 1);
    grad_check("convl", l, x, 1, &KINKS);
}
END_TEST

START_TEST(fd_convt2d) {
    static const int cfg[4][5] = {{2, 3, 4, 2, 1}, {3, 2, 3, 1, 0}, {2, 2, 3, 2, 1}, {1, 2, 5, 3, 2}};
    fd_convs(1, cfg);
}
END_TEST

START_TEST(fd_batchnorm) {
    cgan_layer *l;
    cgan_tensor *x[1], *rv;
    fd_opts eval = {CGAN_MODE_EVAL, 1e-2, 0};
    CK_OK(cgan_layer_create_batchnorm2d(&l, 3, 1e-5, 0.1, 0));
    rand_params(l, "bn", 0.5);
    x[0] = rand_tensor("bn/x", 2, 3, 3, 4, -1, 2);
    grad_check("bn", l, x, 1, &SMOOTH);
    CK_OK(cgan_layer_create_batchnorm2d(&l, 3, 1e-5, 0.1, 0));
    rand_params(l, "bne", 0.5);
    CK_OK(cgan_layer_get_buffer(l, 1, NULL, &rv));
    CK_OK(cgan_tensor_fill(rv, 0.7f));
    x[0] = rand_tensor("bne/x", 2, 3, 3, 4, -1, 2);
    grad_check("bne", l, x, 1, &eval);
    CK_OK(cgan_layer_create_batchnorm2d_lrelu(&l, 2, 1e-5, 0.1, 0.2, 0));
    rand_params(l, "bnl", 0.5);
    x[0] = rand_tensor("bnl/x", 2, 2, 3, 3, -1, 2);
    grad_check("bnl", l, x, 1, &KINKS);
}
END_TEST

START_TEST(fd_activations) {
    cgan_layer *l;
    cgan_tensor *x[1];
    CK_OK(cgan_layer_create_leaky_relu(&l, 0.2, 0));
    x[0] = rand_tensor("lrelu/x", 2, 3, 4, 0, -1, 1);
    grad_check("lrelu", l, x, 1, &KINKS);
    CK_OK(cgan_layer_create_relu(&l, 0));
    x[0] = rand_tensor("relu/x", 2, 3, 4, 0, -1, 1);
    grad_check("relu", l, x, 1, &KINKS);
    CK_OK(cgan_layer_create_tanh(&l, 0));
    x[0] = rand_tensor("tanh/x", 2, 3, 4, 0, -2, 2);
    grad_check("tanh", l, x, 1, &SMOOTH);
}
END_TEST

START_TEST(fd_self_attention) {
    cgan_layer *l;
    cgan_tensor *x[1];
    CK_OK(cgan_layer_create_self_attention(&l, 8, 0));
    rand_params(l, "sa", 0.5);
    x[0] = rand_tensor("sa/x", 2, 8, 3, 4, -1, 1);
    grad_check("sa", l, x, 1, &SMOOTH);
    CK_OK(cgan_layer_create_self_attention(&l, 16, 0));
    rand_params(l, "sa16", 0.3);
    x[0] = rand_tensor("sa16/x", 1, 16, 2, 5, -1, 1);
    grad_check("sa16", l, x, 1, &SMOOTH);
}
END_TEST

START_TEST(fd_structural) {
    cgan_layer *l;
    cgan_tensor *x[2];
    CK_OK(cgan_layer_create_embedding(&l, 5, 4, 0));
    rand_params(l, "emb", 1.0);
    CK_OK(cgan_tensor_create4(&x[0], 6, 0, 0, 0));
    float labels[6] = {4, 0, 4, 2, 1, 4};
    CK_OK(cgan_tensor_set_data(x[0], labels, 6));
    grad_check("emb", l, x, 1, &SMOOTH);

    CK_OK(cgan_layer_create_reshape(&l, 3, (int64_t[]){2, 2, 3}, 0));
    x[0] = rand_tensor("rs/x", 2, 12, 0, 0, -1, 1);
    grad_check("rs", l, x, 1, &SMOOTH);
    CK_OK(cgan_layer_create_flatten(&l, 0));
    x[0] = rand_tensor("fl/x", 2, 3, 2, 2, -1, 1);
    grad_check("fl", l, x, 1, &SMOOTH);

    CK_OK(cgan_layer_create_concat_plane(&l, 0));
    x[0] = rand_tensor("cat/a", 2, 3, 2, 3, -1, 1);
    x[1] = rand_tensor("cat/b", 2, 6, 0, 0, -1, 1);
    grad_check("cat", l, x, 2, &SMOOTH);
    CK_OK(cgan_layer_create_concat_plane(&l, 0));
    x[0] = rand_tensor("cat4/a", 2, 2, 2, 3, -1, 1);
    x[1] = rand_tensor("cat4/b", 2, 1, 2, 3, -1, 1);
    grad_check("cat4", l, x, 2, &SMOOTH);

    CK_OK(cgan_layer_create_mul(&l, 0));
    x[0] = rand_tensor("mul/a", 3, 5, 0, 0, -1, 1);
    x[1] = rand_tensor("mul/b", 3, 5, 0, 0, -1, 1);
    grad_check("mul", l, x, 2, &SMOOTH);
}
END_TEST

/* gamma = 0 (the initial state): only gamma learns, and dX = dY exactly. */
START_TEST(self_attention_gamma_zero) {
    cgan_layer *l;
    cgan_rng *rng;
    CK_OK(cgan_rng_create(&rng, 5));
    CK_OK(cgan_layer_create_self_attention(&l, 8, 0));
    CK_OK(cgan_layer_init(l, rng, CGAN_INIT_GAN));
    cgan_tensor *x = rand_tensor("sa0/x", 2, 8, 2, 3, -1, 1), *dy = rand_tensor("sa0/dy", 2, 8, 2, 3, -1, 1);
    const cgan_tensor *in[1] = {x}, *y, *din[1];
    CK_OK(cgan_layer_forward(l, in, 1, 0, &y));
    assert_same("y", cgan_tensor_data(x), y, 1.0);
    CK_OK(cgan_layer_backward(l, in, 1, dy, CGAN_GRAD_INPUTS | CGAN_GRAD_PARAMS, din));
    assert_same("dx", cgan_tensor_data(dy), din[0], 1.0);
    for (int i = 0; i < cgan_layer_num_params(l); i++) {
        const char *name;
        cgan_tensor *g;
        CK_OK(cgan_layer_get_param(l, i, &name, NULL, &g));
        double s = 0;
        for (int64_t j = 0; j < cgan_tensor_numel(g); j++) s += fabs(cgan_tensor_data(g)[j]);
        if (!strcmp(name, "gamma")) ck_assert(s > 0);
        else ck_assert_msg(s == 0, "%s gradient is not zero", name);
    }
    cgan_tensor_destroy(x);
    cgan_tensor_destroy(dy);
    cgan_layer_destroy(l);
    cgan_rng_destroy(rng);
}
END_TEST

Suite *cgan_test_nn_grad_suite(void) {
    Suite *s = suite_create("nn_grad");
    TCase *tc = tcase_create("finite_differences");
    tcase_add_test(tc, fd_linear);
    tcase_add_test(tc, fd_conv2d);
    tcase_add_test(tc, fd_conv2d_lrelu);
    tcase_add_test(tc, fd_convt2d);
    tcase_add_test(tc, fd_batchnorm);
    tcase_add_test(tc, fd_activations);
    tcase_add_test(tc, fd_self_attention);
    tcase_add_test(tc, fd_structural);
    tcase_add_test(tc, self_attention_gamma_zero);
    suite_add_tcase(s, tc);
    return s;
}
