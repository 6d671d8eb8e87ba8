/* Create/destroy cycles of every layer kind, models (with forward, backward,
 * clone) and optimizers, plus failing calls: `make check` runs this suite
 * under valgrind, which fails on any leak or invalid access. */
#include "nn_models.h"

typedef int (*make_fn)(cgan_layer **);
static int mk_linear(cgan_layer **l) { return cgan_layer_create_linear(l, 3, 2, 0); }
static int mk_conv(cgan_layer **l) { return cgan_layer_create_conv2d(l, 2, 3, 3, 2, 1, 0); }
static int mk_convl(cgan_layer **l) { return cgan_layer_create_conv2d_lrelu(l, 2, 3, 4, 2, 1, 0.2, 0); }
static int mk_convt(cgan_layer **l) { return cgan_layer_create_convt2d(l, 2, 3, 4, 2, 1, CGAN_LAYER_NO_BIAS); }
static int mk_bn(cgan_layer **l) { return cgan_layer_create_batchnorm2d(l, 2, 1e-5, 0.1, 0); }
static int mk_bnl(cgan_layer **l) { return cgan_layer_create_batchnorm2d_lrelu(l, 2, 1e-5, 0.1, 0.2, 0); }
static int mk_lrelu(cgan_layer **l) { return cgan_layer_create_leaky_relu(l, 0.2, 0); }
static int mk_relu(cgan_layer **l) { return cgan_layer_create_relu(l, 0); }
static int mk_tanh(cgan_layer **l) { return cgan_layer_create_tanh(l, 0); }
static int mk_sa(cgan_layer **l) { return cgan_layer_create_self_attention(l, 8, 0); }
static int mk_emb(cgan_layer **l) { return cgan_layer_create_embedding(l, 4, 3, 0); }
static int mk_reshape(cgan_layer **l) { return cgan_layer_create_reshape(l, 2, (int64_t[]){4, 2}, 0); }
static int mk_flatten(cgan_layer **l) { return cgan_layer_create_flatten(l, 0); }
static int mk_cat(cgan_layer **l) { return cgan_layer_create_concat_plane(l, 0); }
static int mk_mul(cgan_layer **l) { return cgan_layer_create_mul(l, 0); }

START_TEST(layer_cycles) {
    make_fn makers[] = {mk_linear, mk_conv, mk_convl, mk_convt, mk_bn, mk_bnl, mk_lrelu, mk_relu,
                        mk_tanh, mk_sa, mk_emb, mk_reshape, mk_flatten, mk_cat, mk_mul};
    cgan_rng *r;
    CK_OK(cgan_rng_create(&r, 1));
    for (int rep = 0; rep < 3; rep++)
        for (size_t i = 0; i < sizeof makers / sizeof makers[0]; i++) {
            cgan_layer *l;
            CK_OK(makers[i](&l));
            CK_OK(cgan_layer_init(l, r, rep % 2 ? CGAN_INIT_TORCH : CGAN_INIT_GAN));
            cgan_layer_destroy(l);
        }
    cgan_rng_destroy(r);
}
END_TEST

/* Forward and backward of a standalone layer, growing its buffers. */
START_TEST(layer_run_cycles) {
    for (int rep = 0; rep < 2; rep++) {
        cgan_layer *l;
        cgan_tensor *x;
        const cgan_tensor *y, *din[1];
        CK_OK(cgan_layer_create_self_attention(&l, 8, 0));
        for (int64_t n = 1; n <= 3; n += 2) {
            CK_OK(cgan_tensor_create4(&x, n, 8, 2, 3));
            CK_OK(cgan_tensor_fill(x, 0.5f));
            const cgan_tensor *in[1] = {x};
            CK_OK(cgan_layer_forward(l, in, 1, 0, &y));
            CK_OK(cgan_layer_backward(l, in, 1, y, CGAN_GRAD_INPUTS | CGAN_GRAD_PARAMS, din));
            cgan_tensor_destroy(x);
        }
        cgan_layer_destroy(l);
    }
}
END_TEST

START_TEST(model_cycles) {
    for (int rep = 0; rep < 2; rep++) {
        cgan_model *m = mini_critic(), *c;
        cgan_rng *r;
        cgan_tensor *x, *y;
        CK_OK(cgan_rng_create(&r, (uint64_t)rep));
        CK_OK(cgan_model_init(m, r, CGAN_INIT_GAN));
        CK_OK(cgan_tensor_create4(&x, 2, 1, 8, 8));
        CK_OK(cgan_tensor_create4(&y, 2, 0, 0, 0));
        CK_OK(cgan_tensor_fill_normal(x, r, 0.0f, 1.0f));
        const cgan_tensor *in[2] = {x, y}, *o;
        CK_OK(cgan_model_forward(m, in, 2, 0));
        CK_OK(cgan_model_get_output(m, 1, &o));
        const cgan_tensor *d[3] = {NULL, o, NULL};
        CK_OK(cgan_model_backward(m, d, 3, CGAN_GRAD_INPUTS | CGAN_GRAD_PARAMS));
        CK_OK(cgan_model_clone(&c, m));
        CK_OK(cgan_model_forward(c, in, 2, CGAN_MODE_EVAL | CGAN_MODE_NO_GRAD));
        CK_FAILS(cgan_model_backward(c, d, 3, CGAN_GRAD_PARAMS), CGAN_ESTATE);
        cgan_model_destroy(c);
        cgan_model_destroy(m);
        cgan_tensor_destroy(x);
        cgan_tensor_destroy(y);
        cgan_rng_destroy(r);
    }
    /* a model never run, and one with only inputs */
    cgan_model *m;
    CK_OK(cgan_model_create(&m, "empty"));
    CK_OK(cgan_model_add_input(m, NULL, NULL));
    cgan_model_destroy(m);
    cgan_model_destroy(mini_generator());
}
END_TEST

START_TEST(optim_cycles) {
    cgan_model *m = mini_generator();
    for (int kind = CGAN_OPTIM_SGD; kind <= CGAN_OPTIM_RMSPROP; kind++) {
        cgan_optim *o;
        CK_OK(cgan_optim_create(&o, kind, m));
        if (kind != CGAN_OPTIM_ADAM) CK_OK(cgan_optim_set(o, CGAN_OPTIM_MOMENTUM, 0.9));
        if (kind == CGAN_OPTIM_RMSPROP) CK_OK(cgan_optim_set(o, CGAN_OPTIM_CENTERED, 1));
        CK_OK(cgan_optim_step(o));
        CK_FAILS(cgan_optim_set(o, 99, 0.0), CGAN_EINVAL);
        cgan_optim_destroy(o);
    }
    cgan_model_destroy(m);
}
END_TEST

START_TEST(failure_paths) {
    cgan_model *m;
    cgan_layer *l;
    int x;
    CK_OK(cgan_model_create(&m, "g"));
    CK_OK(cgan_model_add_input(m, "z", &x));
    CK_OK(cgan_layer_create_linear(&l, 4, 4, 0));
    CK_FAILS(cgan_model_add_node(m, "a b", l, &x, 1, NULL), CGAN_EINVAL);
    cgan_layer_destroy(l); /* still the caller's */
    CK_FAILS(cgan_layer_create_self_attention(&l, 3, 0), CGAN_EINVAL);
    cgan_model_destroy(m);
}
END_TEST

Suite *cgan_test_lifecycle_nn_suite(void) {
    Suite *s = suite_create("lifecycle");
    TCase *tc = tcase_create("nn");
    tcase_add_test(tc, layer_cycles);
    tcase_add_test(tc, layer_run_cycles);
    tcase_add_test(tc, model_cycles);
    tcase_add_test(tc, optim_cycles);
    tcase_add_test(tc, failure_paths);
    suite_add_tcase(s, tc);
    return s;
}
