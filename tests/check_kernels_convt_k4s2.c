/* The AVX-512 implicit-GEMM transposed convolution, 4x4, stride 2, padding
 * 1 (src/kernels/convt_k4s2.c), against a scatter of every input pixel
 * through the kernel in double written here: input widths 16 and 32, and
 * 8 and 4 (column-shifted copies; at 4 all parity classes together),
 * output channels 8-24 and two counts that are not multiples of 8,
 * input channels 8, 70 (a full 64-channel block and a short one) and 3,
 * 1-3 images, with and without bias; each case also with the output
 * streamed past the caches (cgan__chunk_hints.stream_out, a 64-byte
 * aligned output: non-temporal stores where there is one channel block).  Shapes it does not take must be
 * declined.  On a CPU without AVX-512 it declines everything and the test
 * says so. */
#include "test_util.h"

#include "kernels/kernels.h"

typedef struct kt_case {
    int64_t c, Cin, Cout, Hi, Wi;
    int bias;
} kt_case;

static const kt_case cases[] = {
    {1, 8, 8, 32, 32, 1}, {2, 70, 16, 16, 16, 0}, {3, 3, 24, 4, 16, 1}, {1, 5, 8, 2, 32, 0},
    /* 8 wide: two rows a half strip; 8x2 planes, two images a strip; 8x6
     * planes, a strip whose halves lie in two images */
    {1, 8, 8, 4, 8, 0},    {4, 3, 24, 2, 8, 1},    {2, 70, 16, 2, 8, 1}, {1, 70, 8, 8, 8, 0},
    {2, 5, 8, 6, 8, 1},
    /* 4 wide, all four parity classes a strip: 4x4 planes (two a strip),
     * 8x4 planes, and output channels that do not fill the last sliver */
    {2, 70, 16, 4, 4, 1},  {1, 3, 24, 8, 4, 0},    {4, 9, 13, 4, 4, 1},  {2, 5, 12, 8, 8, 0},
};

START_TEST(convt_matches_scatter) {
    const kt_case *t = &cases[_i / 2];
    const cgan__chunk_hints stream = {NULL, NULL, 0, 1, NULL};
    int64_t c = t->c, Ci = t->Cin, Co = t->Cout, Hi = t->Hi, Wi = t->Wi, Ho = 2 * Hi, Wo = 2 * Wi;
    int64_t xn = c * Ci * Hi * Wi, yn = c * Co * Ho * Wo;
    size_t scratch_n = (size_t)(4 * (Co + 8) * 256 + 4 * 64 * c * (Hi + 2) * (Wi + 16) + 1024);
    float *x = malloc(sizeof(float) * xn), *w = malloc(sizeof(float) * Ci * Co * 16);
    float *b = malloc(sizeof(float) * Co);
    float *y = aligned_alloc(64, (sizeof(float) * (size_t)yn + 63) / 64 * 64);
    double *want = calloc((size_t)yn, sizeof(double)), *scale = calloc((size_t)yn, sizeof(double));
    float *scratch = malloc(sizeof(float) * scratch_n), *packed = NULL, *y2 = NULL;
    uint64_t s = 0x853C49E6748FEA9Bull;
    for (int64_t i = 0; i < xn; i++) x[i] = test_rand_uniform(&s);
    for (int64_t i = 0; i < Ci * Co * 16; i++) w[i] = test_rand_uniform(&s);
    for (int64_t i = 0; i < Co; i++) b[i] = test_rand_uniform(&s);
    if (!cgan__convt_k4s2p1(x, c, Ci, Hi, Wi, w, Co, t->bias ? b : NULL, y, scratch, scratch_n,
                            _i % 2 ? &stream : NULL)) {
        ck_declined("kernels_convt_k4s2", _i);
        goto out;
    }
    for (int64_t n = 0; n < c; n++)
        for (int64_t ci = 0; ci < Ci; ci++)
            for (int64_t i = 0; i < Hi; i++)
                for (int64_t j = 0; j < Wi; j++)
                    for (int64_t o = 0; o < Co; o++)
                        for (int a = 0; a < 4; a++)
                            for (int bb = 0; bb < 4; bb++) {
                                int64_t oh = 2 * i - 1 + a, ow = 2 * j - 1 + bb;
                                if (oh < 0 || oh >= Ho || ow < 0 || ow >= Wo) continue;
                                int64_t at = ((n * Co + o) * Ho + oh) * Wo + ow;
                                double p = (double)x[((n * Ci + ci) * Hi + i) * Wi + j] *
                                           w[((ci * Co + o) * 4 + a) * 4 + bb];
                                want[at] += p, scale[at] += fabs(p);
                            }
    for (int64_t at = 0; at < yn; at++) {
        double wv = want[at] + (t->bias ? b[at / (Ho * Wo) % Co] : 0.0);
        ck_assert_msg(fabs(y[at] - wv) <= 1e-6 * scale[at] + 1e-6, "case %d: y[%lld] = %.9g, scatter %.9g",
                      _i, (long long)at, y[at], wv);
    }
    /* the weights packed beforehand (cgan__chunk_hints.packed_w): the same bits */
    packed = malloc(sizeof(float) * cgan__convt_k4s2p1_packed_floats(Ci, Co));
    y2 = aligned_alloc(64, (sizeof(float) * (size_t)yn + 63) / 64 * 64);
    for (int part = 0; part < 3; part++) /* in three parts, as the pool's threads would */
        cgan__convt_k4s2p1_pack(w, Ci, Co, packed, part, 3);
    cgan__chunk_hints with_packed = {NULL, NULL, 0, _i % 2, packed};
    ck_assert(cgan__convt_k4s2p1(x, c, Ci, Hi, Wi, w, Co, t->bias ? b : NULL, y2, scratch,
                                 scratch_n, &with_packed));
    ck_assert(memcmp(y, y2, sizeof(float) * yn) == 0);
out:
    free(x), free(w), free(b), free(y), free(want), free(scale), free(scratch), free(packed);
    free(y2);
}
END_TEST

START_TEST(convt_declines_other_shapes) {
    float buf[4096] = {0};
    /* input widths 2 and 12; a chunk of 16 pixels (not whole strips); an
     * 8x1 plane (not whole half strips); Cout below 8; scratch too small */
    ck_assert(!cgan__convt_k4s2p1(buf, 16, 1, 1, 2, buf, 8, NULL, buf, buf, 4096, NULL));
    ck_assert(!cgan__convt_k4s2p1(buf, 1, 1, 8, 12, buf, 8, NULL, buf, buf, 4096, NULL));
    ck_assert(!cgan__convt_k4s2p1(buf, 1, 1, 2, 8, buf, 8, NULL, buf, buf, 4096, NULL));
    ck_assert(!cgan__convt_k4s2p1(buf, 2, 1, 1, 8, buf, 8, NULL, buf, buf, 4096, NULL));
    ck_assert(!cgan__convt_k4s2p1(buf, 2, 1, 2, 16, buf, 6, NULL, buf, buf, 4096, NULL));
    ck_assert(!cgan__convt_k4s2p1(buf, 1, 1, 2, 16, buf, 8, NULL, buf, buf, 100, NULL));
}
END_TEST

Suite *cgan_test_kernels_convt_k4s2_suite(void) {
    Suite *su = suite_create("kernels_convt_k4s2");
    TCase *tc = tcase_create("k4s2");
    tcase_add_loop_test(tc, convt_matches_scatter, 0, 2 * (int)(sizeof cases / sizeof cases[0]));
    tcase_add_test(tc, convt_declines_other_shapes);
    suite_add_tcase(su, tc);
    return su;
}
