/* The AVX-512 implicit-GEMM forward of the 4x4, stride-2, padding-1
 * convolutions (src/kernels/conv_k4s2.c) against a direct convolution in
 * double written here: output widths 8, 16 and 32 (strips of 32 pixels
 * holding 4, 2 and 1 output rows) and 4 (strips of two 4x4 images, as the
 * critic's conv5; and a 1x16 output, also two images a strip, whose input
 * rows are two vectors), input channels 3 (one short block), 8, 13 and 17 (full
 * blocks and a short one; conv5 has 257), 1-6 images, with and without
 * bias.  Shapes it does not take must be declined (return 0).  On a CPU
 * without AVX-512 it declines everything and the test says so. */
#include "test_util.h"

#include "kernels/kernels.h"

typedef struct k4_case {
    int64_t c, Ci, Co, H, W;
    int bias;
} k4_case;

static const k4_case cases[] = {
    {1, 3, 8, 64, 64, 1}, {2, 8, 16, 32, 32, 0}, {3, 13, 24, 16, 16, 1}, {2, 13, 8, 8, 64, 0},
    {4, 17, 16, 8, 8, 1}, {6, 3, 8, 8, 8, 0},  {4, 3, 8, 2, 32, 1},
    /* rows in place with slivers in groups, the last one short: 3 and 5 slivers */
    {1, 13, 24, 8, 64, 1}, {2, 9, 40, 16, 32, 0},
};

START_TEST(k4s2_matches_direct_convolution) {
    const k4_case *t = &cases[_i];
    int64_t c = t->c, Ci = t->Ci, Co = t->Co, H = t->H, W = t->W, Ho = H / 2, Wo = W / 2;
    int64_t xn = c * Ci * H * W, yn = c * Co * Ho * Wo, K = Ci * 16;
    size_t scratch_n = (size_t)((K + Co) * c * Ho * Wo);
    float *x = malloc(sizeof(float) * xn), *w = malloc(sizeof(float) * Co * K);
    float *b = malloc(sizeof(float) * Co), *y = malloc(sizeof(float) * yn);
    float *scratch = malloc(sizeof(float) * scratch_n), *packed = NULL, *y2 = NULL;
    uint64_t s = 0x2545F4914F6CDD1Dull;
    for (int64_t i = 0; i < xn; i++) x[i] = test_rand_uniform(&s);
    for (int64_t i = 0; i < Co * K; i++) w[i] = test_rand_uniform(&s);
    for (int64_t i = 0; i < Co; i++) b[i] = test_rand_uniform(&s);
    if (!cgan__conv_k4s2p1_fwd(x, c, Ci, H, W, w, Co, t->bias ? b : NULL, y, scratch, scratch_n, NULL)) {
        ck_declined("kernels_conv_k4s2", _i);
        goto out;
    }
    for (int64_t n = 0; n < c; n++)
        for (int64_t o = 0; o < Co; o++)
            for (int64_t i = 0; i < Ho; i++)
                for (int64_t j = 0; j < Wo; j++) {
                    double want = t->bias ? b[o] : 0.0, scale = fabs(want);
                    for (int64_t ci = 0; ci < Ci; ci++)
                        for (int a = 0; a < 4; a++)
                            for (int bb = 0; bb < 4; bb++) {
                                int64_t ih = 2 * i - 1 + a, iw = 2 * j - 1 + bb;
                                if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                                double p = (double)w[o * K + ci * 16 + a * 4 + bb] *
                                           x[((n * Ci + ci) * H + ih) * W + iw];
                                want += p, scale += fabs(p);
                            }
                    float got = y[((n * Co + o) * Ho + i) * Wo + j];
                    ck_assert_msg(fabs(got - want) <= 1e-6 * scale + 1e-7,
                                  "case %d: y[%lld][%lld][%lld][%lld] = %.9g, direct %.9g", _i,
                                  (long long)n, (long long)o, (long long)i, (long long)j, got, want);
                }
    /* the weights packed beforehand (cgan__chunk_hints.packed_w): the same bits */
    packed = malloc(sizeof(float) * Co * K), y2 = malloc(sizeof(float) * yn);
    for (int part = 0; part < 3; part++) /* in three parts, as the pool's threads would */
        cgan__conv_k4s2p1_pack(w, Ci, Co, packed, part, 3);
    cgan__chunk_hints with_packed = {NULL, NULL, 0, 0, packed};
    ck_assert(cgan__conv_k4s2p1_fwd(x, c, Ci, H, W, w, Co, t->bias ? b : NULL, y2, scratch,
                                    scratch_n, &with_packed));
    ck_assert(memcmp(y, y2, sizeof(float) * yn) == 0);
out:
    free(x), free(w), free(b), free(y), free(scratch), free(packed), free(y2);
}
END_TEST

START_TEST(k4s2_declines_other_shapes) {
    float buf[4096] = {0};
    /* one 4x4 output (half a strip); output width 2; Co not a multiple of
     * 8; scratch too small */
    ck_assert(!cgan__conv_k4s2p1_fwd(buf, 1, 1, 8, 8, buf, 8, NULL, buf, buf, 4096, NULL));
    ck_assert(!cgan__conv_k4s2p1_fwd(buf, 8, 1, 4, 4, buf, 8, NULL, buf, buf, 4096, NULL));
    ck_assert(!cgan__conv_k4s2p1_fwd(buf, 1, 1, 16, 16, buf, 6, NULL, buf, buf, 4096, NULL));
    ck_assert(!cgan__conv_k4s2p1_fwd(buf, 1, 1, 16, 16, buf, 8, NULL, buf, buf, 100, NULL));
}
END_TEST

Suite *cgan_test_kernels_conv_k4s2_suite(void) {
    Suite *su = suite_create("kernels_conv_k4s2");
    TCase *tc = tcase_create("k4s2");
    tcase_add_loop_test(tc, k4s2_matches_direct_convolution, 0, (int)(sizeof cases / sizeof cases[0]));
    tcase_add_test(tc, k4s2_declines_other_shapes);
    suite_add_tcase(su, tc);
    return su;
}
