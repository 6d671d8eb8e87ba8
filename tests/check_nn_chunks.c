/* Convolutions walk a batch in chunks of images, and with many chunks run
 * them in parallel with the weight gradient summed in groups
 * (src/layers/conv_chunks.c).  This checks that bookkeeping: a batch of 37
 * images (10 chunks of 4, the last one short, 5 groups of 2 chunks) must
 * give the outputs and input gradients of 37 one-image calls, and their
 * summed weight and bias gradients, with 1 and with 2 threads.  The maths
 * itself is checked against PyTorch in nn_torch and by finite differences
 * in nn_grad. */
#include "test_util.h"

#define BATCH 37

typedef struct conv_case {
    int transposed, in_c, out_c, hw; /* input planes hw x hw */
} conv_case;

static cgan_layer *make_layer(const conv_case *k) {
    cgan_layer *l;
    if (k->transposed)
        CK_OK(cgan_layer_create_convt2d(&l, k->in_c, k->out_c, 4, 2, 1, 0));
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
        ck_assert_msg(fabs(got[i] - want[i]) <= 1e-5 * scale + 1e-6, "%s[%lld]: batch %.8g, "
                      "image by image %.8g", what, (long long)i, (double)got[i], want[i]);
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
 * convt2d 8->16 on 16x16 (transposed kernel). */
static const conv_case cases[5] = {
    {0, 2, 3, 32}, {1, 3, 2, 16}, {0, 9, 16, 32}, {0, 16, 8, 32}, {1, 8, 16, 16},
};

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

Suite *cgan_test_nn_chunks_suite(void) {
    Suite *s = suite_create("nn_chunks");
    TCase *tc = tcase_create("chunks");
    tcase_add_loop_test(tc, batch_equals_images_one_thread, 0, 5);
    tcase_add_loop_test(tc, batch_equals_images_two_threads, 0, 5);
    suite_add_tcase(s, tc);
    return s;
}
