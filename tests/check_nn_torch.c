/* Every layer and optimizer against PyTorch 1.13 (fixtures from
 * tests/oracles/torch_layers.py, on the paper's shapes at batch 2-3):
 * outputs, input gradients, parameter gradients and updated buffers. */
#include "nn_gen.h"

#define RTOL 1e-4
#define ATOL 1e-5

typedef struct spec_row {
    double lo, hi, quant;
    int ndim;
    int64_t shape[4];
} spec_row;

static int load_spec(const char *cs, spec_row *rows, int max) {
    fixture_array a;
    ck_assert_msg(fixture_load(nn_path(cs, "spec", ".npy"), &a) == 0, "%s: no spec", cs);
    int n = (int)a.shape[0];
    ck_assert(n <= max && a.shape[1] == 8);
    for (int i = 0; i < n; i++) {
        const double *r = a.data + 8 * i;
        rows[i].lo = r[0];
        rows[i].hi = r[1];
        rows[i].quant = r[2];
        rows[i].ndim = (int)r[3];
        for (int d = 0; d < 4; d++) rows[i].shape[d] = (int64_t)r[4 + d];
    }
    fixture_free(&a);
    return n;
}

static cgan_tensor *make_tensor(const char *cs, const char *tag, const spec_row *r, int k) {
    cgan_tensor *t;
    CK_OK(cgan_tensor_create(&t, r->ndim, r->shape));
    if (isnan(r->lo)) { /* stored verbatim */
        char name[16];
        fixture_array a;
        snprintf(name, sizeof name, "in%d", k);
        ck_assert(fixture_load(nn_path(cs, name, ".npy"), &a) == 0);
        ck_assert(a.numel == cgan_tensor_numel(t));
        for (int64_t i = 0; i < a.numel; i++) cgan_tensor_data(t)[i] = (float)a.data[i];
        fixture_free(&a);
    } else {
        char full[256];
        snprintf(full, sizeof full, "%s/%s", cs, tag);
        gen_fill(cgan_tensor_data(t), cgan_tensor_numel(t), full, r->lo, r->hi, r->quant);
    }
    return t;
}

static void fill_from_spec(const char *cs, const char *tag, const spec_row *r, cgan_tensor *t) {
    char full[256];
    int ndim;
    int64_t shape[4];
    CK_OK(cgan_tensor_shape(t, &ndim, shape));
    ck_assert_msg(ndim == r->ndim && !memcmp(shape, r->shape, sizeof(int64_t) * (size_t)ndim),
                  "%s/%s: the layer's shape differs from the fixture's", cs, tag);
    snprintf(full, sizeof full, "%s/%s", cs, tag);
    gen_fill(cgan_tensor_data(t), cgan_tensor_numel(t), full, r->lo, r->hi, r->quant);
}

/* Forward + backward of `l` (consumed) on case `cs`, compared with torch. */
static void run_case(const char *cs, cgan_layer *l, uint32_t mode) {
    spec_row rows[24];
    int nrows = load_spec(cs, rows, 24), n_in = cgan_layer_num_inputs(l), r = 0;
    cgan_tensor *x[2] = {NULL, NULL}, *dout;
    char tag[64];
    for (int k = 0; k < n_in; k++, r++) {
        snprintf(tag, sizeof tag, "in%d", k);
        x[k] = make_tensor(cs, tag, &rows[r], k);
    }
    dout = make_tensor(cs, "dout", &rows[r++], -1);
    for (int i = 0; i < cgan_layer_num_params(l); i++, r++) {
        const char *name;
        cgan_tensor *v;
        CK_OK(cgan_layer_get_param(l, i, &name, &v, NULL));
        fill_from_spec(cs, name, &rows[r], v);
    }
    for (int i = 0; i < cgan_layer_num_buffers(l); i++, r++) {
        const char *name;
        cgan_tensor *v;
        CK_OK(cgan_layer_get_buffer(l, i, &name, &v));
        fill_from_spec(cs, name, &rows[r], v);
    }
    ck_assert_int_eq(r, nrows);

    const cgan_tensor *y, *din[2];
    const cgan_tensor *in[2] = {x[0], x[1]};
    CK_OK(cgan_layer_forward(l, in, n_in, mode, &y));
    nn_compare(cs, "out", cgan_tensor_data_const(y), cgan_tensor_numel(y), RTOL, ATOL);
    CK_OK(cgan_layer_zero_grad(l));
    CK_OK(cgan_layer_backward(l, in, n_in, dout, CGAN_GRAD_INPUTS | CGAN_GRAD_PARAMS, din));
    for (int k = 0; k < n_in; k++) {
        char name[16];
        snprintf(name, sizeof name, "din%d", k);
        if (din[k] == NULL) {
            ck_assert_int_ne(access(nn_path(cs, name, ".npy"), R_OK), 0);
            continue;
        }
        nn_compare(cs, name, cgan_tensor_data_const(din[k]), cgan_tensor_numel(din[k]), RTOL, ATOL);
    }
    double gscale = 0.0; /* the layer's gradient scale, for exactly-zero gradients */
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < cgan_layer_num_params(l); i++) {
            const char *name;
            cgan_tensor *g;
            char key[80];
            CK_OK(cgan_layer_get_param(l, i, &name, NULL, &g));
            snprintf(key, sizeof key, "grad.%s", name);
            if (pass == 0) gscale = fmax(gscale, nn_maxabs(cs, key));
            else nn_compare_scaled(cs, key, cgan_tensor_data(g), cgan_tensor_numel(g), RTOL, ATOL, gscale);
        }
    for (int i = 0; i < cgan_layer_num_buffers(l); i++) {
        const char *name;
        cgan_tensor *b;
        char key[80];
        CK_OK(cgan_layer_get_buffer(l, i, &name, &b));
        snprintf(key, sizeof key, "buf.%s", name);
        nn_compare(cs, key, cgan_tensor_data(b), cgan_tensor_numel(b), RTOL, ATOL);
    }
    cgan_tensor_destroy(x[0]);
    cgan_tensor_destroy(x[1]);
    cgan_tensor_destroy(dout);
    cgan_layer_destroy(l);
}


START_TEST(linear_vs_torch) {
    cgan_layer *l;
    CK_OK(cgan_layer_create_linear(&l, 128, 8192, 0));
    run_case("linear_fc", l, 0);
    CK_OK(cgan_layer_create_linear(&l, 1024, 64, 0));
    run_case("linear_proj2", l, 0);
    CK_OK(cgan_layer_create_linear(&l, 2048, 1, CGAN_LAYER_NO_BIAS));
    run_case("linear_out_nobias", l, 0);
}
END_TEST

START_TEST(conv2d_vs_torch) {
    cgan_layer *l;
    CK_OK(cgan_layer_create_conv2d(&l, 1, 64, 4, 2, 1, 0));
    run_case("conv_c1", l, 0);
    CK_OK(cgan_layer_create_conv2d(&l, 257, 128, 4, 2, 1, 0));
    run_case("conv_c5", l, 0);
    CK_OK(cgan_layer_create_conv2d(&l, 3, 5, 3, 1, 0, 0));
    run_case("conv_k3s1p0", l, 0);
    CK_OK(cgan_layer_create_conv2d(&l, 2, 3, 5, 3, 2, CGAN_LAYER_NO_BIAS));
    run_case("conv_k5s3p2_nobias", l, 0);
}
END_TEST

START_TEST(convt2d_vs_torch) {
    cgan_layer *l;
    CK_OK(cgan_layer_create_convt2d(&l, 512, 256, 4, 2, 1, 0));
    run_case("convt_up1", l, 0);
    CK_OK(cgan_layer_create_convt2d(&l, 64, 1, 4, 2, 1, 0));
    run_case("convt_up5", l, 0);
    CK_OK(cgan_layer_create_convt2d(&l, 3, 4, 3, 2, 1, 0));
    run_case("convt_k3s2p1", l, 0);
    CK_OK(cgan_layer_create_convt2d(&l, 2, 3, 2, 1, 0, CGAN_LAYER_NO_BIAS));
    run_case("convt_k2s1p0_nobias", l, 0);
}
END_TEST

START_TEST(batchnorm_vs_torch) {
    cgan_layer *l;
    CK_OK(cgan_layer_create_batchnorm2d(&l, 128, 1e-5, 0.1, 0));
    run_case("bn_train", l, CGAN_MODE_TRAIN);
    CK_OK(cgan_layer_create_batchnorm2d(&l, 64, 1e-5, 0.1, 0));
    run_case("bn_eval", l, CGAN_MODE_EVAL);
    CK_OK(cgan_layer_create_batchnorm2d(&l, 1, 1e-5, 0.1, 0));
    run_case("bn_out", l, CGAN_MODE_TRAIN);
    CK_OK(cgan_layer_create_batchnorm2d_lrelu(&l, 64, 1e-5, 0.1, 0.2, 0));
    run_case("bn_lrelu", l, CGAN_MODE_TRAIN);
}
END_TEST

START_TEST(activations_vs_torch) {
    cgan_layer *l;
    CK_OK(cgan_layer_create_leaky_relu(&l, 0.2, 0));
    run_case("lrelu", l, 0);
    CK_OK(cgan_layer_create_relu(&l, 0));
    run_case("relu", l, 0);
    CK_OK(cgan_layer_create_tanh(&l, 0));
    run_case("tanh", l, 0);
}
END_TEST

START_TEST(self_attention_vs_torch) {
    cgan_layer *l;
    CK_OK(cgan_layer_create_self_attention(&l, 64, 0));
    run_case("sa", l, 0);
    CK_OK(cgan_layer_create_self_attention(&l, 16, 0));
    run_case("sa_small", l, 0);
}
END_TEST

START_TEST(structural_vs_torch) {
    cgan_layer *l;
    CK_OK(cgan_layer_create_embedding(&l, 8, 128, 0));
    run_case("embed_g", l, 0);
    CK_OK(cgan_layer_create_concat_plane(&l, 0));
    run_case("concat", l, 0);
    CK_OK(cgan_layer_create_concat_plane(&l, 0));
    run_case("concat4d", l, 0);
    CK_OK(cgan_layer_create_mul(&l, 0));
    run_case("mul", l, 0);
    CK_OK(cgan_layer_create_reshape(&l, 3, (int64_t[]){512, 4, 4}, 0));
    run_case("reshape_g3", l, 0);
    CK_OK(cgan_layer_create_flatten(&l, 0));
    run_case("flatten_d6", l, 0);
}
END_TEST

/* ------------------------------------------------------------- optimizers */
#define OPT_STEPS 5

static void run_optim(const char *cs, int kind, const double *kv, int nkv, float clip) {
    cgan_model *m;
    cgan_layer *fc;
    cgan_optim *o;
    int x;
    CK_OK(cgan_model_create(&m, "opt"));
    CK_OK(cgan_model_add_input(m, "x", &x));
    CK_OK(cgan_layer_create_linear(&fc, 5, 4, 0));
    CK_OK(cgan_model_add_node(m, "fc", fc, &x, 1, NULL));
    CK_OK(cgan_optim_create(&o, kind, m));
    for (int i = 0; i < nkv; i++) CK_OK(cgan_optim_set(o, (int)kv[2 * i], kv[2 * i + 1]));
    const char *pnames[2] = {"fc.weight", "fc.bias"};
    char tag[128];
    for (int i = 0; i < 2; i++) {
        cgan_tensor *v;
        CK_OK(cgan_model_find_param(m, pnames[i], &v, NULL));
        snprintf(tag, sizeof tag, "%s/%s", cs, pnames[i]);
        gen_fill(cgan_tensor_data(v), cgan_tensor_numel(v), tag, -0.02, 0.02, 0);
    }
    if (clip > 0) CK_OK(cgan_model_clamp_params(m, -clip, clip));
    for (int t = 0; t < OPT_STEPS; t++) {
        for (int i = 0; i < 2; i++) {
            cgan_tensor *g;
            CK_OK(cgan_model_find_param(m, pnames[i], NULL, &g));
            snprintf(tag, sizeof tag, "%s/g%d/%s", cs, t, pnames[i]);
            gen_fill(cgan_tensor_data(g), cgan_tensor_numel(g), tag, -1.0, 1.0, 0);
        }
        CK_OK(cgan_optim_step(o));
        if (clip > 0) CK_OK(cgan_model_clamp_params(m, -clip, clip));
    }
    ck_assert_int_eq(cgan_optim_get_step(o), OPT_STEPS);
    for (int i = 0; i < 2; i++) {
        cgan_tensor *v;
        char key[96];
        CK_OK(cgan_model_find_param(m, pnames[i], &v, NULL));
        snprintf(key, sizeof key, "final.%s", pnames[i]);
        nn_compare(cs, key, cgan_tensor_data(v), cgan_tensor_numel(v), 1e-5, 1e-6);
    }
    /* every state PyTorch has, under the same name, with the same values */
    int checked = 0;
    for (int i = 0; i < cgan_optim_num_states(o); i++) {
        const char *name;
        cgan_tensor *s;
        char key[128];
        CK_OK(cgan_optim_get_state(o, i, &name, &s));
        ck_assert_msg(!strncmp(name, "opt.", 4), "state name %s", name);
        snprintf(key, sizeof key, "state.%s", name + 4);
        nn_compare(cs, key, cgan_tensor_data(s), cgan_tensor_numel(s), 1e-5, 1e-6);
        checked++;
    }
    ck_assert_int_gt(checked, 0);
    cgan_optim_destroy(o);
    cgan_model_destroy(m);
}

START_TEST(optimizers_vs_torch) {
    double rms[] = {CGAN_OPTIM_LR, 2e-3, CGAN_OPTIM_ALPHA, 0.99, CGAN_OPTIM_EPS, 1e-8};
    run_optim("optim_rmsprop_clip", CGAN_OPTIM_RMSPROP, rms, 3, 0.009f);
    double full[] = {CGAN_OPTIM_LR, 1e-2, CGAN_OPTIM_ALPHA, 0.9, CGAN_OPTIM_EPS, 1e-6,
                     CGAN_OPTIM_WEIGHT_DECAY, 0.1, CGAN_OPTIM_MOMENTUM, 0.5, CGAN_OPTIM_CENTERED, 1};
    run_optim("optim_rmsprop_full", CGAN_OPTIM_RMSPROP, full, 6, 0);
    double adam[] = {CGAN_OPTIM_LR, 1e-2, CGAN_OPTIM_BETA1, 0.8, CGAN_OPTIM_BETA2, 0.95,
                     CGAN_OPTIM_EPS, 1e-7, CGAN_OPTIM_WEIGHT_DECAY, 0.05};
    run_optim("optim_adam", CGAN_OPTIM_ADAM, adam, 5, 0);
    double sgd[] = {CGAN_OPTIM_LR, 0.1, CGAN_OPTIM_MOMENTUM, 0.9, CGAN_OPTIM_DAMPENING, 0.1,
                    CGAN_OPTIM_WEIGHT_DECAY, 0.01};
    run_optim("optim_sgd", CGAN_OPTIM_SGD, sgd, 4, 0);
    double nes[] = {CGAN_OPTIM_LR, 0.05, CGAN_OPTIM_MOMENTUM, 0.8, CGAN_OPTIM_NESTEROV, 1};
    run_optim("optim_sgd_nesterov", CGAN_OPTIM_SGD, nes, 3, 0);
}
END_TEST

Suite *cgan_test_nn_torch_suite(void) {
    Suite *s = suite_create("nn_torch");
    TCase *tc = tcase_create("layers");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, linear_vs_torch);
    tcase_add_test(tc, conv2d_vs_torch);
    tcase_add_test(tc, convt2d_vs_torch);
    tcase_add_test(tc, batchnorm_vs_torch);
    tcase_add_test(tc, activations_vs_torch);
    tcase_add_test(tc, self_attention_vs_torch);
    tcase_add_test(tc, structural_vs_torch);
    suite_add_tcase(s, tc);
    TCase *to = tcase_create("optimizers");
    tcase_add_test(to, optimizers_vs_torch);
    suite_add_tcase(s, to);
    return s;
}
