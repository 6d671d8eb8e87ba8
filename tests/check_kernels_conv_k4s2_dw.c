/* The AVX-512 implicit-GEMM weight gradient of the 4x4, stride-2, padding-1
 * convolutions (src/kernels/conv_k4s2_dw.c) against sums over every
 * (image, output pixel, tap) in double written here: 2-6 input channels
 * (3 and 5: a last strip of one channel, whose 16 columns end dW's rows),
 * 8 and 16 output channels, inputs 4x4 to 32x16 (output widths 2-16: at
 * width 2 both pixels of a row are at the padding),
 * 1-3 images, beta 0 (overwrite, NaNs in dW ignored) and 1 (accumulate);
 * the bias gradient (dY's sums, taken as dY is packed) likewise.
 * Shapes it does not take must be declined.  On a CPU without AVX-512 it
 * declines everything and the test says so. */
#include "test_util.h"

#include "kernels/kernels.h"

typedef struct dw_case {
    int64_t c, Ci, Co, H, W;
    float beta;
} dw_case;

static const dw_case cases[] = {
    {1, 2, 8, 8, 8, 0.0f}, {3, 6, 16, 16, 16, 1.0f}, {2, 4, 8, 32, 16, 0.0f},
    {2, 5, 8, 8, 8, 0.0f}, {3, 3, 16, 16, 16, 1.0f}, {2, 3, 8, 4, 4, 1.0f},
};

START_TEST(dw_matches_double_sums) {
    const dw_case *t = &cases[_i];
    int64_t c = t->c, Ci = t->Ci, Co = t->Co, H = t->H, W = t->W, Ho = H / 2, Wo = W / 2;
    int64_t K = Ci * 16, xn = c * Ci * H * W, yn = c * Co * Ho * Wo;
    size_t scratch_n = (size_t)((K + Co) * c * Ho * Wo + 2 * Co + 16);
    float *x = malloc(sizeof(float) * xn), *dy = malloc(sizeof(float) * yn);
    float *dw = malloc(sizeof(float) * Co * K), *dw0 = malloc(sizeof(float) * Co * K);
    float *db = malloc(sizeof(float) * Co), *db0 = malloc(sizeof(float) * Co);
    float *scratch = malloc(sizeof(float) * scratch_n);
    uint64_t s = 0xD1B54A32D192ED03ull;
    for (int64_t i = 0; i < xn; i++) x[i] = test_rand_uniform(&s);
    for (int64_t i = 0; i < yn; i++) dy[i] = test_rand_uniform(&s);
    for (int64_t i = 0; i < Co * K; i++)
        dw0[i] = dw[i] = t->beta == 0.0f ? NAN : test_rand_uniform(&s);
    for (int64_t i = 0; i < Co; i++) db0[i] = db[i] = t->beta == 0.0f ? NAN : test_rand_uniform(&s);
    if (!cgan__conv_k4s2p1_dw(x, dy, c, Ci, H, W, Co, dw, db, t->beta, scratch, scratch_n, NULL)) {
        ck_declined("kernels_conv_k4s2_dw", _i);
        goto out;
    }
    for (int64_t o = 0; o < Co; o++)
        for (int64_t k = 0; k < K; k++) {
            int64_t ci = k / 16, a = k / 4 % 4, b = k % 4;
            double want = t->beta == 0.0f ? 0.0 : dw0[o * K + k], scale = fabs(want);
            for (int64_t n = 0; n < c; n++)
                for (int64_t i = 0; i < Ho; i++)
                    for (int64_t j = 0; j < Wo; j++) {
                        int64_t ih = 2 * i - 1 + a, iw = 2 * j - 1 + b;
                        if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                        double p = (double)dy[((n * Co + o) * Ho + i) * Wo + j] *
                                   x[((n * Ci + ci) * H + ih) * W + iw];
                        want += p, scale += fabs(p);
                    }
            ck_assert_msg(fabs(dw[o * K + k] - want) <= 1e-6 * scale + 1e-7,
                          "case %d: dW[%lld][%lld] = %.9g, double %.9g", _i, (long long)o,
                          (long long)k, dw[o * K + k], want);
        }
    for (int64_t o = 0; o < Co; o++) { /* the bias gradient: dY summed */
        double want = t->beta == 0.0f ? 0.0 : db0[o], scale = fabs(want);
        for (int64_t n = 0; n < c; n++)
            for (int64_t p = 0; p < Ho * Wo; p++) {
                double v = dy[(n * Co + o) * Ho * Wo + p];
                want += v, scale += fabs(v);
            }
        ck_assert_msg(fabs(db[o] - want) <= 1e-6 * scale + 1e-7, "case %d: db[%lld] = %.9g, double %.9g",
                      _i, (long long)o, db[o], want);
    }
out:
    free(x), free(dy), free(dw), free(dw0), free(db), free(db0), free(scratch);
}
END_TEST

START_TEST(dw_declines_other_shapes) {
    float buf[4096] = {0};
    /* input wider than 256 or narrower than 4; Co not a multiple of 8;
     * beta 0.5; scratch too small */
    ck_assert(!cgan__conv_k4s2p1_dw(buf, buf, 1, 2, 2, 512, 8, buf, NULL, 0.0f, buf, 4096, NULL));
    ck_assert(!cgan__conv_k4s2p1_dw(buf, buf, 1, 2, 2, 2, 8, buf, NULL, 0.0f, buf, 4096, NULL));
    ck_assert(!cgan__conv_k4s2p1_dw(buf, buf, 1, 2, 8, 8, 4, buf, NULL, 0.0f, buf, 4096, NULL));
    ck_assert(!cgan__conv_k4s2p1_dw(buf, buf, 1, 2, 8, 8, 8, buf, NULL, 0.5f, buf, 4096, NULL));
    ck_assert(!cgan__conv_k4s2p1_dw(buf, buf, 1, 2, 8, 8, 8, buf, NULL, 0.0f, buf, 10, NULL));
}
END_TEST

Suite *cgan_test_kernels_conv_k4s2_dw_suite(void) {
    Suite *su = suite_create("kernels_conv_k4s2_dw");
    TCase *tc = tcase_create("k4s2_dw");
    tcase_add_loop_test(tc, dw_matches_double_sums, 0, (int)(sizeof cases / sizeof cases[0]));
    tcase_add_test(tc, dw_declines_other_shapes);
    suite_add_tcase(su, tc);
    return su;
}
