/* Convolutions walk a batch in chunks of images, and with many chunks run
 * them in parallel with the weight gradient summed in groups
 * (src/layers/conv_chunks.c).  This checks that bookkeeping: a batch of 37
 * images (10 chunks of 4, the last one short, 5 groups of 2 chunks) must
 * give the outputs and input gradients of 37 one-image calls, and their
 * summed weight and bias gradients, with 1 and with 2 threads.  The maths
 * itself is checked against PyTorch in nn_torch and by finite differences
 * in nn_grad; conv2d_lrelu, which sums its bias gradient chunk by chunk,
 * is also checked against conv2d followed by leaky_relu. */
#include "test_util.h"

#define BATCH 37

enum { CONV, CONVT, CONV_LRELU };

typedef struct conv_case {
    int kind, in_c, out_c, hw; /* input planes hw x hw */
} conv_case;

static cgan_layer *make_layer(const conv_case *k) {
    cgan_layer *l;
    if (k->kind == CONVT)
        CK_OK(cgan_layer_create_convt2d(&l, k->in_c, k->out_c, 4, 2, 1, 0));
    else if (k->kind == CONV_LRELU)
        CK_OK(cgan_layer_create_conv2d_lrelu(&l, k->in_c, k->out_c, 4, 2, 1, 0.2, 0));
    else
        CK_OK(cgan_layer_create_conv2d(&l, k->in_c, k->out_c, 4, 2, 1, 0));
    cgan_rng *r;
    CK_OK(cgan_rng_create(&r, 3));
    CK_OK(cgan_layer_init(l, r, CGAN_INIT_TORCH));
    cgan_rng_destroy(r);
    return l;
}

static void assert_close(const char *what, const float *got, const double *want, int64_t n) {
    double scale = 0.0;
    for (int64_t i = 0; i < n; i++) scale = fmax(scale, fabs(want[i]));
    for (int64_t i = 0; i < n; i++)
        ck_assert_msg(fabs(got[i] - want[i]) <= 1e-5 * scale + 1e-6,
                      "%s[%lld]: %.8g, reference %.8g", what, (long long)i, (double)got[i],
                      want[i]);
}

/* Run the batch and the images one by one; compare out, din, dW, db. */
static void check_case(const conv_case *k) {
    cgan_layer *whole = make_layer(k), *single = make_layer(k);
    cgan_rng *r;
    CK_OK(cgan_rng_create(&r, 7));
    cgan_tensor *x, *x1, *dy = NULL, *dy1 = NULL;
    CK_OK(cgan_tensor_create4(&x, BATCH, k->in_c, k->hw, k->hw));
    CK_OK(cgan_tensor_create4(&x1, 1, k->in_c, k->hw, k->hw));
    CK_OK(cgan_tensor_fill_uniform(x, r, -1.0f, 1.0f));
    const cgan_tensor *y, *y1, *dx, *dx1, *in[1] = {x}, *in1[1] = {x1};
    CK_OK(cgan_layer_forward(whole, in, 1, CGAN_MODE_TRAIN, &y));
    int nd;
    int64_t ys[8];
    CK_OK(cgan_tensor_shape(y, &nd, ys));
    ck_assert_int_eq(nd, 4);
    CK_OK(cgan_tensor_create4(&dy, BATCH, ys[1], ys[2], ys[3]));
    CK_OK(cgan_tensor_create4(&dy1, 1, ys[1], ys[2], ys[3]));
    CK_OK(cgan_tensor_fill_uniform(dy, r, -1.0f, 1.0f));
    CK_OK(cgan_layer_zero_grad(whole));
    CK_OK(cgan_layer_backward(whole, in, 1, dy, CGAN_GRAD_INPUTS | CGAN_GRAD_PARAMS, &dx));

    int64_t xn = cgan_tensor_numel(x1), yn = cgan_tensor_numel(dy1);
    double *want_y = calloc((size_t)(BATCH * yn), sizeof(double));
    double *want_dx = calloc((size_t)(BATCH * xn), sizeof(double));
    cgan_tensor *w, *gw, *b, *gb, *w1, *b1, *gw1, *gb1;
    CK_OK(cgan_layer_get_param(whole, 0, NULL, &w, &gw));
    CK_OK(cgan_layer_get_param(whole, 1, NULL, &b, &gb));
    CK_OK(cgan_layer_get_param(single, 0, NULL, &w1, &gw1));
    CK_OK(cgan_layer_get_param(single, 1, NULL, &b1, &gb1));
    int64_t wn = cgan_tensor_numel(w), bn = cgan_tensor_numel(b);
    double *want_gw = calloc((size_t)wn, sizeof(double)), *want_gb = calloc((size_t)bn, sizeof(double));
    for (int64_t n = 0; n < BATCH; n++) {
        memcpy(cgan_tensor_data(x1), cgan_tensor_data(x) + n * xn, (size_t)xn * sizeof(float));
        memcpy(cgan_tensor_data(dy1), cgan_tensor_data(dy) + n * yn, (size_t)yn * sizeof(float));
        CK_OK(cgan_layer_forward(single, in1, 1, CGAN_MODE_TRAIN, &y1));
        CK_OK(cgan_layer_zero_grad(single));
        CK_OK(cgan_layer_backward(single, in1, 1, dy1, CGAN_GRAD_INPUTS | CGAN_GRAD_PARAMS, &dx1));
        for (int64_t i = 0; i < yn; i++) want_y[n * yn + i] = cgan_tensor_data_const(y1)[i];
        for (int64_t i = 0; i < xn; i++) want_dx[n * xn + i] = cgan_tensor_data_const(dx1)[i];
        for (int64_t i = 0; i < wn; i++) want_gw[i] += cgan_tensor_data(gw1)[i];
        for (int64_t i = 0; i < bn; i++) want_gb[i] += cgan_tensor_data(gb1)[i];
    }
    assert_close("output", cgan_tensor_data_const(y), want_y, BATCH * yn);
    assert_close("input gradient", cgan_tensor_data_const(dx), want_dx, BATCH * xn);
    assert_close("weight gradient", cgan_tensor_data(gw), want_gw, wn);
    assert_close("bias gradient", cgan_tensor_data(gb), want_gb, bn);
    free(want_y);
    free(want_dx);
    free(want_gw);
    free(want_gb);
    cgan_tensor_destroy(x);
    cgan_tensor_destroy(x1);
    cgan_tensor_destroy(dy);
    cgan_tensor_destroy(dy1);
    cgan_rng_destroy(r);
    cgan_layer_destroy(whole);
    cgan_layer_destroy(single);
}

/* conv2d 2->3 on 32x32: 256 output pixels, 4 images per chunk;
 * convt2d 3->2 on 16x16: 256 input pixels, 4 images per chunk.
 * With AVX-512 the batch's chunks of the next three take the implicit-GEMM
 * kernels of our own, a lone image im2col/col2im + sgemm, so the two paths
 * are compared too: conv2d 9->16 (forward kernel, 8 + 1 input channels),
 * conv2d 16->8 (forward, and the transposed kernel for its input gradient),
 * convt2d 8->16 on 16x16 (transposed kernel).  Then conv2d_lrelu 1->16 on
 * 64x64 (the critic's conv1: the one-channel forward kernel; its input
 * gradient im2col + sgemm) and 16->8 on 32x32 (kernels).
 * Then conv2d 9->16 on 8x8, like the critic's conv5: 4x4 outputs, strips of
 * two images in chunks of 10 (the last chunk, of 7, is declined), and the
 * weight gradient's odd channel count.  Last convt2d 16->1 on 32x32, like
 * the generator's up5, whose gradients take the one-channel kernels.
 * Then the 8-wide planes of the transposed kernel: conv2d 16->8 on 16x16
 * (its input gradient, like the critic's conv4) and convt2d 16->8 on 8x8
 * (forward, like the generator's up2); and the 4-wide ones: convt2d 16->8
 * on 4x4 (forward, like up1; conv2d 9->16 on 8x8 above has such an input
 * gradient, with 9 channels, like conv5's 257). */
#define N_CASES 12
static const conv_case cases[N_CASES] = {
    {CONV, 2, 3, 32},        {CONVT, 3, 2, 16},       {CONV, 9, 16, 32},
    {CONV, 16, 8, 32},       {CONVT, 8, 16, 16},      {CONV_LRELU, 1, 16, 64},
    {CONV_LRELU, 16, 8, 32}, {CONV, 9, 16, 8},       {CONVT, 16, 1, 32},
    {CONV, 16, 8, 16},       {CONVT, 16, 8, 8},       {CONVT, 16, 8, 4},
};

/* Without input gradients a one-channel conv2d or conv2d_lrelu takes the
 * one-channel gradient kernel (its derivative, dW and db in one pass);
 * with them, the general path: both must give the same dW and db.  Two
 * layers with the same weights, so that the second call cannot find the
 * first one's partial sums in a shared workspace. */
START_TEST(params_only_equals_general_path) {
    conv_case k = {_i ? CONV : CONV_LRELU, 1, 16, 64};
    cgan_layer *l = make_layer(&k), *l2 = make_layer(&k);
    cgan_rng *r;
    CK_OK(cgan_rng_create(&r, 5));
    cgan_tensor *x, *dy;
    CK_OK(cgan_tensor_create4(&x, BATCH, 1, 64, 64));
    CK_OK(cgan_tensor_create4(&dy, BATCH, 16, 32, 32));
    CK_OK(cgan_tensor_fill_uniform(x, r, -1.0f, 1.0f));
    CK_OK(cgan_tensor_fill_uniform(dy, r, -1.0f, 1.0f));
    const cgan_tensor *in[1] = {x}, *y, *dx;
    CK_OK(cgan_layer_forward(l, in, 1, CGAN_MODE_TRAIN, &y));
    CK_OK(cgan_layer_zero_grad(l));
    CK_OK(cgan_layer_backward(l, in, 1, dy, CGAN_GRAD_INPUTS | CGAN_GRAD_PARAMS, &dx));
    double *want[2];
    for (int p = 0; p < 2; p++) {
        cgan_tensor *g;
        CK_OK(cgan_layer_get_param(l, p, NULL, NULL, &g));
        want[p] = calloc((size_t)cgan_tensor_numel(g), sizeof(double));
        for (int64_t i = 0; i < cgan_tensor_numel(g); i++) want[p][i] = cgan_tensor_data(g)[i];
    }
    CK_OK(cgan_layer_forward(l2, in, 1, CGAN_MODE_TRAIN, &y));
    CK_OK(cgan_layer_zero_grad(l2));
    CK_OK(cgan_layer_backward(l2, in, 1, dy, CGAN_GRAD_PARAMS, &dx));
    ck_assert_ptr_null(dx);
    for (int p = 0; p < 2; p++) {
        cgan_tensor *g;
        CK_OK(cgan_layer_get_param(l2, p, NULL, NULL, &g));
        assert_close(p ? "bias gradient" : "weight gradient", cgan_tensor_data(g), want[p],
                     cgan_tensor_numel(g));
        free(want[p]);
    }
    cgan_tensor_destroy(x);
    cgan_tensor_destroy(dy);
    cgan_rng_destroy(r);
    cgan_layer_destroy(l);
    cgan_layer_destroy(l2);
}
END_TEST

START_TEST(batch_equals_images_one_thread) {
    CK_OK(cgan_set_num_threads(1));
    check_case(&cases[_i]);
    CK_OK(cgan_set_num_threads(0));
}
END_TEST

START_TEST(batch_equals_images_two_threads) {
    CK_OK(cgan_set_num_threads(2));
    check_case(&cases[_i]);
    CK_OK(cgan_set_num_threads(0));
}
END_TEST

/* conv2d_lrelu against conv2d then leaky_relu(0.2) with the same weights, on
 * a batch of both cases above: outputs and input gradients must agree to
 * rounding (the same convolution), the weight and bias gradients too. */
START_TEST(fused_equals_composition) {
    const conv_case *k = &cases[5 + _i];
    conv_case plain = {CONV, k->in_c, k->out_c, k->hw};
    cgan_layer *fused = make_layer(k), *conv = make_layer(&plain), *act;
    CK_OK(cgan_layer_create_leaky_relu(&act, 0.2, 0));
    cgan_rng *r;
    CK_OK(cgan_rng_create(&r, 11));
    cgan_tensor *x, *dy;
    CK_OK(cgan_tensor_create4(&x, BATCH, k->in_c, k->hw, k->hw));
    CK_OK(cgan_tensor_create4(&dy, BATCH, k->out_c, k->hw / 2, k->hw / 2));
    CK_OK(cgan_tensor_fill_uniform(x, r, -1.0f, 1.0f));
    CK_OK(cgan_tensor_fill_uniform(dy, r, -1.0f, 1.0f));
    const cgan_tensor *in[1] = {x}, *yf, *yc, *ya, *dxf, *dxa, *dxc;
    CK_OK(cgan_layer_forward(fused, in, 1, CGAN_MODE_TRAIN, &yf));
    CK_OK(cgan_layer_forward(conv, in, 1, CGAN_MODE_TRAIN, &yc));
    const cgan_tensor *in_act[1] = {yc};
    CK_OK(cgan_layer_forward(act, in_act, 1, CGAN_MODE_TRAIN, &ya));
    CK_OK(cgan_layer_zero_grad(fused));
    CK_OK(cgan_layer_zero_grad(conv));
    CK_OK(cgan_layer_backward(fused, in, 1, dy, CGAN_GRAD_INPUTS | CGAN_GRAD_PARAMS, &dxf));
    CK_OK(cgan_layer_backward(act, in_act, 1, dy, CGAN_GRAD_INPUTS, &dxa));
    CK_OK(cgan_layer_backward(conv, in, 1, dxa, CGAN_GRAD_INPUTS | CGAN_GRAD_PARAMS, &dxc));
    int64_t n = cgan_tensor_numel(ya);
    double *want = calloc((size_t)n, sizeof(double));
    for (int64_t i = 0; i < n; i++) want[i] = cgan_tensor_data_const(ya)[i];
    assert_close("output", cgan_tensor_data_const(yf), want, n);
    free(want);
    n = cgan_tensor_numel(x);
    want = calloc((size_t)n, sizeof(double));
    for (int64_t i = 0; i < n; i++) want[i] = cgan_tensor_data_const(dxc)[i];
    assert_close("input gradient", cgan_tensor_data_const(dxf), want, n);
    free(want);
    for (int p = 0; p < 2; p++) {
        cgan_tensor *gf, *gc;
        CK_OK(cgan_layer_get_param(fused, p, NULL, NULL, &gf));
        CK_OK(cgan_layer_get_param(conv, p, NULL, NULL, &gc));
        n = cgan_tensor_numel(gc);
        want = calloc((size_t)n, sizeof(double));
        for (int64_t i = 0; i < n; i++) want[i] = cgan_tensor_data(gc)[i];
        assert_close(p ? "bias gradient" : "weight gradient", cgan_tensor_data(gf), want, n);
        free(want);
    }
    cgan_tensor_destroy(x);
    cgan_tensor_destroy(dy);
    cgan_rng_destroy(r);
    cgan_layer_destroy(fused);
    cgan_layer_destroy(conv);
    cgan_layer_destroy(act);
}
END_TEST

Suite *cgan_test_nn_chunks_suite(void) {
    Suite *s = suite_create("nn_chunks");
    TCase *tc = tcase_create("chunks");
    tcase_add_loop_test(tc, batch_equals_images_one_thread, 0, N_CASES);
    tcase_add_loop_test(tc, batch_equals_images_two_threads, 0, N_CASES);
    tcase_add_loop_test(tc, fused_equals_composition, 0, 2);
    tcase_add_loop_test(tc, params_only_equals_general_path, 0, 2);
    suite_add_tcase(s, tc);
    return s;
}
