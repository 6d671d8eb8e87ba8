/* The model handle: DAG gradients (two heads summing into one trunk),
 * accumulation, frozen backward, NULL output gradients, names, clamp,
 * zero_grad, modes, clone, and no allocation in a repeated step. */
#include <malloc.h>

#include "nn_gen.h"
#include "nn_models.h"

#define N 4

typedef struct io {
    cgan_tensor *in[2];
    cgan_tensor *dout[3];
} io;

/* Inputs and output gradients for the mini critic / generator. */
static io make_io(cgan_model *m, const char *tag, int generator) {
    io d = {{NULL, NULL}, {NULL, NULL, NULL}};
    char t[64];
    float labels[N] = {2, 0, 2, 1};
    if (generator) CK_OK(cgan_tensor_create4(&d.in[0], N, 8, 0, 0));
    else CK_OK(cgan_tensor_create4(&d.in[0], N, 1, 8, 8));
    snprintf(t, sizeof t, "model/%s/x", tag);
    gen_fill(cgan_tensor_data(d.in[0]), cgan_tensor_numel(d.in[0]), t, -1, 1, 0);
    CK_OK(cgan_tensor_create4(&d.in[1], N, 0, 0, 0));
    CK_OK(cgan_tensor_set_data(d.in[1], labels, N));
    CK_OK(cgan_model_forward(m, (const cgan_tensor *const *)d.in, 2, CGAN_MODE_TRAIN));
    for (int k = 0; k < cgan_model_num_outputs(m); k++) {
        const cgan_tensor *o;
        CK_OK(cgan_model_get_output(m, k, &o));
        CK_OK(cgan_tensor_clone(&d.dout[k], o));
        snprintf(t, sizeof t, "model/%s/d%d", tag, k);
        gen_fill(cgan_tensor_data(d.dout[k]), cgan_tensor_numel(d.dout[k]), t, -1, 1, 0);
    }
    return d;
}

static void free_io(io *d) {
    for (int k = 0; k < 2; k++) cgan_tensor_destroy(d->in[k]);
    for (int k = 0; k < 3; k++) cgan_tensor_destroy(d->dout[k]);
}

static void init_model(cgan_model *m, uint64_t seed, int scheme) {
    cgan_rng *r;
    CK_OK(cgan_rng_create(&r, seed));
    CK_OK(cgan_model_init(m, r, scheme));
    cgan_rng_destroy(r);
}

static double model_loss(cgan_model *m, io *d) {
    double s = 0.0;
    CK_OK(cgan_model_forward(m, (const cgan_tensor *const *)d->in, 2,
                             CGAN_MODE_TRAIN | CGAN_MODE_NO_GRAD));
    for (int k = 0; k < cgan_model_num_outputs(m); k++) {
        const cgan_tensor *o;
        CK_OK(cgan_model_get_output(m, k, &o));
        s += cgan__test_dot(o, d->dout[k]);
    }
    return s;
}

/* Snapshot of every parameter gradient, concatenated. */
static float *grads(cgan_model *m, int64_t *n) {
    int64_t total = cgan_model_count_trainable(m), off = 0;
    float *g = malloc(sizeof(float) * (size_t)total);
    for (int i = 0; i < cgan_model_num_params(m); i++) {
        cgan_tensor *t;
        CK_OK(cgan_model_get_param(m, i, NULL, NULL, &t));
        memcpy(g + off, cgan_tensor_data(t), sizeof(float) * (size_t)cgan_tensor_numel(t));
        off += cgan_tensor_numel(t);
    }
    *n = total;
    return g;
}

static void assert_close(const char *what, const float *a, const float *b, int64_t n, double rel) {
    double scale = 0.0;
    for (int64_t i = 0; i < n; i++) scale = fmax(scale, fabs(b[i]));
    for (int64_t i = 0; i < n; i++)
        ck_assert_msg(fabs((double)a[i] - b[i]) <= rel * scale, "%s[%lld]: %.9g vs %.9g", what,
                      (long long)i, (double)a[i], (double)b[i]);
}

static float *input_grad(cgan_model *m, int k) {
    const cgan_tensor *g;
    CK_OK(cgan_model_get_input_grad(m, k, &g));
    float *p = malloc(sizeof(float) * (size_t)cgan_tensor_numel(g));
    memcpy(p, cgan_tensor_data_const(g), sizeof(float) * (size_t)cgan_tensor_numel(g));
    return p;
}

/* Finite differences through the whole graph: input 0 and every parameter. */
static void fd_model(cgan_model *m, io *d) {
    CK_OK(cgan_model_forward(m, (const cgan_tensor *const *)d->in, 2, CGAN_MODE_TRAIN));
    CK_OK(cgan_model_zero_grad(m));
    CK_OK(cgan_model_backward(m, (const cgan_tensor *const *)d->dout, cgan_model_num_outputs(m),
                              CGAN_GRAD_INPUTS | CGAN_GRAD_PARAMS));
    float *gx = input_grad(m, 0);
    int64_t ng;
    float *gp = grads(m, &ng);
    /* the labels get a zero gradient */
    const cgan_tensor *gy;
    CK_OK(cgan_model_get_input_grad(m, 1, &gy));
    for (int64_t i = 0; i < N; i++) ck_assert(cgan_tensor_data_const(gy)[i] == 0.0f);

    double global = 0.0; /* gradient scale of the whole model */
    for (int64_t i = 0; i < ng; i++) global = fmax(global, fabs(gp[i]));
    int checked = 0;
    for (int t = -1; t < cgan_model_num_params(m); t++) {
        cgan_tensor *v = d->in[0];
        const float *g = gx;
        const char *name = "input";
        if (t >= 0) {
            int64_t off = 0;
            for (int i = 0; i < t; i++) {
                cgan_tensor *pv;
                CK_OK(cgan_model_get_param(m, i, NULL, &pv, NULL));
                off += cgan_tensor_numel(pv);
            }
            CK_OK(cgan_model_get_param(m, t, &name, &v, NULL));
            g = gp + off;
        }
        float *p = cgan_tensor_data(v);
        int64_t n = cgan_tensor_numel(v);
        double scale = 0.0;
        for (int64_t i = 0; i < n; i++) scale = fmax(scale, fabs(g[i]));
        for (int64_t i = 0; i < n; i += n / 5 + 1) {
            float keep = p[i];
            double h = 1e-2;
            p[i] = (float)(keep + h);
            double lp = model_loss(m, d);
            p[i] = (float)(keep - h);
            double lm = model_loss(m, d);
            p[i] = keep;
            double fd = (lp - lm) / (2 * h);
            /* float noise of L is judged against the model's gradient scale
             * (e.g. a conv bias before train-mode BN has an exactly-zero gradient) */
            double tol = 2e-2 * fabs(fd) + 3e-3 * scale + 2e-4 * global;
            ck_assert_msg(fabs(fd - g[i]) <= tol, "%s[%lld]: backward %.7g, finite difference "
                          "%.7g", name, (long long)i, (double)g[i], fd);
            checked++;
        }
    }
    ck_assert_int_gt(checked, 20);
    free(gx);
    free(gp);
}

/* The graphs with LeakyReLU slope 1 are smooth, so central differences hold
 * everywhere (kinks are covered by the layer tests). */
START_TEST(critic_graph_gradients) {
    cgan_model *m = mini_critic_slope(1.0);
    init_model(m, 1, CGAN_INIT_TORCH);
    io d = make_io(m, "fd", 0);
    fd_model(m, &d);
    free_io(&d);
    cgan_model_destroy(m);
}
END_TEST

START_TEST(generator_graph_gradients) {
    cgan_model *m = mini_generator_slope(1.0);
    init_model(m, 2, CGAN_INIT_TORCH);
    cgan_tensor *gamma;
    CK_OK(cgan_model_find_param(m, "attn.gamma", &gamma, NULL));
    CK_OK(cgan_tensor_fill(gamma, 0.5f)); /* else attention gets no gradient */
    io d = make_io(m, "gfd", 1);
    fd_model(m, &d);
    free_io(&d);
    cgan_model_destroy(m);
}
END_TEST

/* Heads backpropagated one at a time (accumulating) equal all at once. */
START_TEST(two_heads_sum) {
    cgan_model *m = mini_critic();
    init_model(m, 3, CGAN_INIT_TORCH);
    io d = make_io(m, "heads", 0);
    int64_t n;
    CK_OK(cgan_model_zero_grad(m));
    CK_OK(cgan_model_backward(m, (const cgan_tensor *const *)d.dout, 3,
                              CGAN_GRAD_INPUTS | CGAN_GRAD_PARAMS));
    float *all = grads(m, &n), *gx_all = input_grad(m, 0);
    CK_OK(cgan_model_zero_grad(m));
    float *gx_sum = calloc((size_t)cgan_tensor_numel(d.in[0]), sizeof(float));
    for (int k = 0; k < 3; k++) {
        const cgan_tensor *one[3] = {NULL, NULL, NULL};
        one[k] = d.dout[k];
        CK_OK(cgan_model_backward(m, one, 3, CGAN_GRAD_INPUTS | CGAN_GRAD_PARAMS));
        float *gx = input_grad(m, 0);
        for (int64_t i = 0; i < cgan_tensor_numel(d.in[0]); i++) gx_sum[i] += gx[i];
        free(gx);
    }
    float *sum = grads(m, &n);
    assert_close("parameter gradients", sum, all, n, 1e-5);
    assert_close("input gradient", gx_sum, gx_all, cgan_tensor_numel(d.in[0]), 1e-5);
    /* a NULL output gradient is the same as a zero one */
    cgan_tensor *zero[3];
    for (int k = 0; k < 3; k++) {
        CK_OK(cgan_tensor_clone(&zero[k], d.dout[k]));
        CK_OK(cgan_tensor_fill(zero[k], 0.0f));
    }
    CK_OK(cgan_model_zero_grad(m));
    const cgan_tensor *only0[3] = {d.dout[0], NULL, NULL}, *zeros[3] = {d.dout[0], zero[1], zero[2]};
    CK_OK(cgan_model_backward(m, only0, 3, CGAN_GRAD_INPUTS | CGAN_GRAD_PARAMS));
    float *a = grads(m, &n), *ga = input_grad(m, 0);
    CK_OK(cgan_model_zero_grad(m));
    CK_OK(cgan_model_backward(m, zeros, 3, CGAN_GRAD_INPUTS | CGAN_GRAD_PARAMS));
    float *b = grads(m, &n), *gb = input_grad(m, 0);
    assert_close("NULL vs zero output gradient", a, b, n, 0.0);
    assert_close("NULL vs zero output gradient (input)", ga, gb, cgan_tensor_numel(d.in[0]), 0.0);
    for (int k = 0; k < 3; k++) cgan_tensor_destroy(zero[k]);
    free(all), free(gx_all), free(gx_sum), free(sum), free(a), free(b), free(ga), free(gb);
    free_io(&d);
    cgan_model_destroy(m);
}
END_TEST

/* forward(x1) -> backward, forward(x2) -> backward accumulates G1 + G2:
 * the WGAN critic loss done as two passes. */
START_TEST(accumulation_over_passes) {
    cgan_model *m = mini_critic();
    init_model(m, 4, CGAN_INIT_TORCH);
    io d1 = make_io(m, "p1", 0), d2 = make_io(m, "p2", 0);
    int64_t n;
    const cgan_tensor *const *x1 = (const cgan_tensor *const *)d1.in, *const *x2 = (const cgan_tensor *const *)d2.in;
    CK_OK(cgan_model_zero_grad(m));
    CK_OK(cgan_model_forward(m, x1, 2, CGAN_MODE_TRAIN));
    CK_OK(cgan_model_backward(m, (const cgan_tensor *const *)d1.dout, 3, CGAN_GRAD_PARAMS));
    float *g1 = grads(m, &n);
    CK_OK(cgan_model_zero_grad(m));
    CK_OK(cgan_model_forward(m, x2, 2, CGAN_MODE_TRAIN));
    CK_OK(cgan_model_backward(m, (const cgan_tensor *const *)d2.dout, 3, CGAN_GRAD_PARAMS));
    float *g2 = grads(m, &n);
    CK_OK(cgan_model_zero_grad(m));
    CK_OK(cgan_model_forward(m, x1, 2, CGAN_MODE_TRAIN));
    CK_OK(cgan_model_backward(m, (const cgan_tensor *const *)d1.dout, 3, CGAN_GRAD_PARAMS));
    CK_OK(cgan_model_forward(m, x2, 2, CGAN_MODE_TRAIN));
    CK_OK(cgan_model_backward(m, (const cgan_tensor *const *)d2.dout, 3, CGAN_GRAD_PARAMS));
    float *g12 = grads(m, &n);
    for (int64_t i = 0; i < n; i++) g1[i] += g2[i];
    assert_close("two-pass accumulation", g12, g1, n, 1e-6);
    /* the same backward twice after one forward doubles the gradients */
    CK_OK(cgan_model_zero_grad(m));
    CK_OK(cgan_model_backward(m, (const cgan_tensor *const *)d2.dout, 3, CGAN_GRAD_PARAMS));
    CK_OK(cgan_model_backward(m, (const cgan_tensor *const *)d2.dout, 3, CGAN_GRAD_PARAMS));
    float *twice = grads(m, &n);
    for (int64_t i = 0; i < n; i++) g2[i] *= 2.0f;
    assert_close("repeated backward", twice, g2, n, 1e-6);
    /* zero_grad resets everything */
    CK_OK(cgan_model_zero_grad(m));
    free(twice);
    twice = grads(m, &n);
    for (int64_t i = 0; i < n; i++) ck_assert(twice[i] == 0.0f);
    free(g1), free(g2), free(g12), free(twice);
    free_io(&d1);
    free_io(&d2);
    cgan_model_destroy(m);
}
END_TEST

/* The generator step: a frozen critic gives dX and leaves its gradients alone. */
START_TEST(frozen_backward) {
    cgan_model *m = mini_critic();
    init_model(m, 5, CGAN_INIT_TORCH);
    io d = make_io(m, "frozen", 0);
    int64_t n;
    CK_OK(cgan_model_zero_grad(m));
    CK_OK(cgan_model_backward(m, (const cgan_tensor *const *)d.dout, 3,
                              CGAN_GRAD_INPUTS | CGAN_GRAD_PARAMS));
    float *before = grads(m, &n), *gx_full = input_grad(m, 0);
    CK_OK(cgan_model_backward(m, (const cgan_tensor *const *)d.dout, 3, CGAN_GRAD_INPUTS));
    float *after = grads(m, &n), *gx = input_grad(m, 0);
    assert_close("frozen parameter gradients", after, before, n, 0.0);
    assert_close("frozen input gradient", gx, gx_full, cgan_tensor_numel(d.in[0]), 0.0);
    /* no flags: nothing computed, nothing changed */
    CK_OK(cgan_model_backward(m, (const cgan_tensor *const *)d.dout, 3, 0));
    free(after);
    after = grads(m, &n);
    assert_close("no-flag backward", after, before, n, 0.0);
    const cgan_tensor *g;
    CK_FAILS(cgan_model_get_input_grad(m, 0, &g), CGAN_ESTATE);
    free(before), free(after), free(gx), free(gx_full);
    free_io(&d);
    cgan_model_destroy(m);
}
END_TEST

START_TEST(names_counts_and_clamp) {
    cgan_model *m = mini_critic();
    ck_assert_int_eq(cgan_model_count_trainable(m), 683);
    ck_assert_int_eq(cgan_model_num_params(m), 14);
    ck_assert_int_eq(cgan_model_num_buffers(m), 3);
    const char *name;
    cgan_tensor *v, *v2, *g;
    CK_OK(cgan_model_get_param(m, 0, &name, &v, &g));
    ck_assert_str_eq(name, "critic.conv1.weight");
    ck_assert_int_eq(cgan_tensor_dim(v, 0), 4);
    ck_assert_int_eq(cgan_tensor_dim(v, 1), 1);
    CK_OK(cgan_model_get_buffer(m, 2, &name, &v));
    ck_assert_str_eq(name, "critic.bn2.num_batches_tracked");
    CK_OK(cgan_model_find_param(m, "critic.proj1.bias", &v, NULL));
    CK_OK(cgan_model_find_param(m, "proj1.bias", &v2, NULL));
    ck_assert_ptr_eq(v, v2);
    ck_assert_int_eq(cgan_tensor_numel(v), 5);
    CK_FAILS(cgan_model_find_param(m, "critic.proj3.bias", &v, NULL), CGAN_EINVAL);
    ck_assert_ptr_nonnull(strstr(cgan_last_error(), "proj3"));
    CK_FAILS(cgan_model_find_param(m, "bn2.running_var", &v, NULL), CGAN_EINVAL);
    CK_OK(cgan_model_find_buffer(m, "bn2.running_var", &v));
    for (int64_t i = 0; i < cgan_tensor_numel(v); i++) ck_assert(cgan_tensor_data(v)[i] == 1.0f);

    /* default init: BN gamma near 1, SA-free; clamp brings everything into range */
    init_model(m, 6, CGAN_INIT_GAN);
    CK_OK(cgan_model_clamp_params(m, -0.009f, 0.009f));
    int at_bound = 0;
    for (int i = 0; i < cgan_model_num_params(m); i++) {
        CK_OK(cgan_model_get_param(m, i, &name, &v, NULL));
        for (int64_t j = 0; j < cgan_tensor_numel(v); j++) {
            float x = cgan_tensor_data(v)[j];
            ck_assert_msg(x >= -0.009f && x <= 0.009f, "%s[%lld] = %g", name, (long long)j, (double)x);
            at_bound += fabsf(x) == 0.009f;
        }
    }
    ck_assert_int_gt(at_bound, 100); /* N(0,0.02) weights, N(1,0.02) gamma, N(0,1) embeddings */
    CK_OK(cgan_model_find_buffer(m, "critic.bn2.running_var", &v));
    ck_assert(cgan_tensor_data(v)[0] == 1.0f); /* buffers are not clipped */
    CK_FAILS(cgan_model_clamp_params(m, 1.0f, -1.0f), CGAN_EINVAL);
    cgan_layer *l;
    CK_OK(cgan_model_get_layer(m, "bn2", &l));
    ck_assert_str_eq(cgan_layer_kind(l), "batchnorm2d_lrelu");
    cgan_model_destroy(m);
}
END_TEST

/* Init schemes: the GAN default and PyTorch's bounds. */
START_TEST(init_schemes) {
    cgan_model *m = mini_generator();
    cgan_tensor *v;
    init_model(m, 7, CGAN_INIT_GAN);
    CK_OK(cgan_model_find_param(m, "attn.gamma", &v, NULL));
    ck_assert(cgan_tensor_data(v)[0] == 0.0f);
    CK_OK(cgan_model_find_param(m, "fc.bias", &v, NULL));
    for (int64_t i = 0; i < cgan_tensor_numel(v); i++) ck_assert(cgan_tensor_data(v)[i] == 0.0f);
    CK_OK(cgan_model_find_param(m, "up1.weight", &v, NULL));
    double s2 = 0;
    for (int64_t i = 0; i < cgan_tensor_numel(v); i++) s2 += cgan_tensor_data(v)[i] * cgan_tensor_data(v)[i];
    double sd = sqrt(s2 / cgan_tensor_numel(v));
    ck_assert_msg(sd > 0.017 && sd < 0.023, "up1 weight std %g", sd);
    CK_OK(cgan_model_find_param(m, "bn1.weight", &v, NULL));
    for (int64_t i = 0; i < cgan_tensor_numel(v); i++) ck_assert(fabsf(cgan_tensor_data(v)[i] - 1.0f) < 0.1f);
    init_model(m, 7, CGAN_INIT_TORCH);
    CK_OK(cgan_model_find_param(m, "up1.weight", &v, NULL)); /* [16,8,4,4]: fan_in = 8*16 */
    float bound = 1.0f / sqrtf(128.0f), mx = 0;
    for (int64_t i = 0; i < cgan_tensor_numel(v); i++) mx = fmaxf(mx, fabsf(cgan_tensor_data(v)[i]));
    ck_assert(mx <= bound && mx > 0.9f * bound);
    CK_OK(cgan_model_find_param(m, "bn1.weight", &v, NULL));
    ck_assert(cgan_tensor_data(v)[3] == 1.0f);
    cgan_model_destroy(m);
}
END_TEST

START_TEST(modes_and_running_stats) {
    cgan_model *m = mini_critic();
    init_model(m, 8, CGAN_INIT_TORCH);
    io d = make_io(m, "modes", 0); /* one train forward so far */
    cgan_tensor *nbt, *rm;
    const cgan_tensor *o;
    CK_OK(cgan_model_find_buffer(m, "bn2.num_batches_tracked", &nbt));
    CK_OK(cgan_model_find_buffer(m, "bn2.running_mean", &rm));
    ck_assert(cgan_tensor_data(nbt)[0] == 1.0f);
    const cgan_tensor *const *x = (const cgan_tensor *const *)d.in;
    /* NO_GRAD train forward still updates the running statistics */
    CK_OK(cgan_model_forward(m, x, 2, CGAN_MODE_NO_GRAD));
    ck_assert(cgan_tensor_data(nbt)[0] == 2.0f);
    CK_FAILS(cgan_model_backward(m, (const cgan_tensor *const *)d.dout, 3, CGAN_GRAD_PARAMS), CGAN_ESTATE);
    CK_OK(cgan_model_get_output(m, 0, &o));
    float train_out = cgan_tensor_data_const(o)[0], rm0 = cgan_tensor_data(rm)[0];
    /* eval: running statistics used, not updated */
    CK_OK(cgan_model_set_train(m, 0));
    ck_assert_int_eq(cgan_model_is_train(m), 0);
    CK_OK(cgan_model_forward(m, x, 2, CGAN_MODE_DEFAULT));
    ck_assert(cgan_tensor_data(nbt)[0] == 2.0f && cgan_tensor_data(rm)[0] == rm0);
    CK_OK(cgan_model_get_output(m, 0, &o));
    ck_assert(cgan_tensor_data_const(o)[0] != train_out);
    /* eval backward is allowed (eval-mode BN gradient) */
    CK_OK(cgan_model_backward(m, (const cgan_tensor *const *)d.dout, 3, CGAN_GRAD_INPUTS));
    /* an explicit TRAIN flag overrides the model's mode */
    CK_OK(cgan_model_forward(m, x, 2, CGAN_MODE_TRAIN | CGAN_MODE_NO_GRAD));
    CK_OK(cgan_model_get_output(m, 0, &o));
    ck_assert(cgan_tensor_data_const(o)[0] == train_out);
    ck_assert(cgan_tensor_data(nbt)[0] == 3.0f);
    free_io(&d);
    cgan_model_destroy(m);
}
END_TEST

START_TEST(clone_is_independent) {
    cgan_model *m = mini_generator(), *c;
    init_model(m, 9, CGAN_INIT_TORCH);
    CK_OK(cgan_model_clone(&c, m));
    ck_assert_int_eq(cgan_model_count_trainable(c), cgan_model_count_trainable(m));
    io d = make_io(m, "clone", 1);
    const cgan_tensor *a, *b;
    CK_OK(cgan_model_forward(c, (const cgan_tensor *const *)d.in, 2, CGAN_MODE_TRAIN));
    CK_OK(cgan_model_get_output(m, 0, &a));
    CK_OK(cgan_model_get_output(c, 0, &b));
    ck_assert_int_eq(cgan_tensor_numel(a), cgan_tensor_numel(b));
    ck_assert(!memcmp(cgan_tensor_data_const(a), cgan_tensor_data_const(b),
                      sizeof(float) * (size_t)cgan_tensor_numel(a)));
    cgan_tensor *v1, *v2;
    const char *n1, *n2;
    CK_OK(cgan_model_get_param(m, 3, &n1, &v1, NULL));
    CK_OK(cgan_model_get_param(c, 3, &n2, &v2, NULL));
    ck_assert_str_eq(n1, n2);
    ck_assert_ptr_ne(cgan_tensor_data(v1), cgan_tensor_data(v2));
    float keep = cgan_tensor_data(v1)[0];
    cgan_tensor_data(v2)[0] = keep + 1.0f;
    ck_assert(cgan_tensor_data(v1)[0] == keep);
    free_io(&d);
    cgan_model_destroy(c);
    cgan_model_destroy(m);
}
END_TEST

static size_t heap_in_use(void) {
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}

/* After a first step at a batch size, training steps allocate nothing. */
START_TEST(no_allocation_in_step) {
    cgan_model *m = mini_generator();
    cgan_optim *o;
    init_model(m, 10, CGAN_INIT_GAN);
    CK_OK(cgan_optim_create(&o, CGAN_OPTIM_RMSPROP, m));
    io d = make_io(m, "alloc", 1);
    size_t before = 0;
    for (int step = 0; step < 3; step++) {
        if (step == 2) before = heap_in_use();
        CK_OK(cgan_model_zero_grad(m));
        CK_OK(cgan_model_forward(m, (const cgan_tensor *const *)d.in, 2, CGAN_MODE_TRAIN));
        CK_OK(cgan_model_backward(m, (const cgan_tensor *const *)d.dout, 1,
                                  CGAN_GRAD_PARAMS | CGAN_GRAD_INPUTS));
        CK_OK(cgan_optim_step(o));
        CK_OK(cgan_model_clamp_params(m, -0.5f, 0.5f));
    }
    ck_assert_uint_eq(heap_in_use(), before);
    free_io(&d);
    cgan_optim_destroy(o);
    cgan_model_destroy(m);
}
END_TEST

/* Saving an optimizer's state and step by name and writing them into a
 * fresh optimizer (over a clone) continues bit for bit: checkpoint resume. */
static void resume_case(int kind, int option, double value) {
    cgan_model *m = mini_critic(), *c = NULL;
    cgan_optim *o, *o2 = NULL;
    init_model(m, 11, CGAN_INIT_TORCH);
    CK_OK(cgan_optim_create(&o, kind, m));
    if (option >= 0) CK_OK(cgan_optim_set(o, option, value));
    io d = make_io(m, "resume", 0);
    int64_t n;
    for (int step = 0; step < 5; step++) {
        if (step == 2) { /* "checkpoint": clone the model, copy the optimizer state */
            CK_OK(cgan_model_clone(&c, m));
            CK_OK(cgan_optim_create(&o2, kind, c));
            if (option >= 0) CK_OK(cgan_optim_set(o2, option, value));
            ck_assert_int_eq(cgan_optim_num_states(o2), cgan_optim_num_states(o));
            for (int i = 0; i < cgan_optim_num_states(o); i++) {
                const char *name;
                cgan_tensor *src, *dst;
                CK_OK(cgan_optim_get_state(o, i, &name, &src));
                CK_OK(cgan_optim_find_state(o2, name, &dst));
                CK_OK(cgan_tensor_copy(dst, src));
            }
            CK_OK(cgan_optim_set_step(o2, cgan_optim_get_step(o)));
        }
        cgan_model *ms[2] = {m, c};
        cgan_optim *os[2] = {o, o2};
        for (int k = 0; k < (step >= 2 ? 2 : 1); k++) {
            CK_OK(cgan_model_zero_grad(ms[k]));
            CK_OK(cgan_model_forward(ms[k], (const cgan_tensor *const *)d.in, 2, CGAN_MODE_TRAIN));
            CK_OK(cgan_model_backward(ms[k], (const cgan_tensor *const *)d.dout, 3, CGAN_GRAD_PARAMS));
            CK_OK(cgan_optim_step(os[k]));
        }
    }
    float *a, *b;
    int64_t total = cgan_model_count_trainable(m), off = 0;
    a = malloc(sizeof(float) * (size_t)total);
    b = malloc(sizeof(float) * (size_t)total);
    for (int i = 0; i < cgan_model_num_params(m); i++) {
        cgan_tensor *va, *vb;
        CK_OK(cgan_model_get_param(m, i, NULL, &va, NULL));
        CK_OK(cgan_model_get_param(c, i, NULL, &vb, NULL));
        n = cgan_tensor_numel(va);
        memcpy(a + off, cgan_tensor_data(va), sizeof(float) * (size_t)n);
        memcpy(b + off, cgan_tensor_data(vb), sizeof(float) * (size_t)n);
        off += n;
    }
    ck_assert_msg(!memcmp(a, b, sizeof(float) * (size_t)total), "optimizer kind %d: resumed "
                  "parameters differ", kind);
    free(a), free(b);
    free_io(&d);
    cgan_optim_destroy(o);
    cgan_optim_destroy(o2);
    cgan_model_destroy(c);
    cgan_model_destroy(m);
}

START_TEST(optimizer_resume_is_exact) {
    resume_case(CGAN_OPTIM_RMSPROP, -1, 0);
    resume_case(CGAN_OPTIM_RMSPROP, CGAN_OPTIM_MOMENTUM, 0.5);
    resume_case(CGAN_OPTIM_ADAM, -1, 0);
    resume_case(CGAN_OPTIM_SGD, CGAN_OPTIM_MOMENTUM, 0.9);
}
END_TEST

Suite *cgan_test_nn_model_suite(void) {
    Suite *s = suite_create("nn_model");
    TCase *tc = tcase_create("model");
    tcase_add_test(tc, critic_graph_gradients);
    tcase_add_test(tc, generator_graph_gradients);
    tcase_add_test(tc, two_heads_sum);
    tcase_add_test(tc, accumulation_over_passes);
    tcase_add_test(tc, frozen_backward);
    tcase_add_test(tc, names_counts_and_clamp);
    tcase_add_test(tc, init_schemes);
    tcase_add_test(tc, modes_and_running_stats);
    tcase_add_test(tc, clone_is_independent);
    tcase_add_test(tc, no_allocation_in_step);
    tcase_add_test(tc, optimizer_resume_is_exact);
    suite_add_tcase(s, tc);
    return s;
}
