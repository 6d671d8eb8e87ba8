/* im2col's and col2im's paths for the paper's 4x4, stride 2, padding 1
 * kernels (src/kernels/im2col.c) must give the same bits as the textbook
 * gather and scatter-add written here; the scatter adds the 16 taps in
 * order, the order with which the layers' PyTorch parity (nn_torch,
 * gan_torch) was established.  Grids of 1x1, 2x2, 3x5 and 32x32 cover the
 * edge cases. */
#include "test_util.h"

#include "kernels/kernels.h"

static const int64_t sizes[][2] = {{1, 1}, {2, 2}, {3, 5}, {32, 32}};

START_TEST(k4s2p1_same_bits_as_scatter) {
    int64_t Ho = sizes[_i][0], Wo = sizes[_i][1], H = 2 * Ho, W = 2 * Wo, C = 3;
    int64_t ld = Ho * Wo + 7; /* a wider row stride, as inside a batch */
    float *cols = malloc(sizeof(float) * C * 16 * ld);
    float *got = malloc(sizeof(float) * C * H * W), *want = calloc((size_t)(C * H * W), sizeof(float));
    uint64_t s = 2463534242ull;
    for (int64_t i = 0; i < C * 16 * ld; i++) {
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        cols[i] = (float)((double)(s >> 11) / 9007199254740992.0 - 0.5) * 1e3f;
    }
    for (int64_t c = 0; c < C; c++)
        for (int a = 0; a < 4; a++)
            for (int b = 0; b < 4; b++)
                for (int64_t i = 0; i < Ho; i++)
                    for (int64_t j = 0; j < Wo; j++) {
                        int64_t oh = 2 * i - 1 + a, ow = 2 * j - 1 + b;
                        if (oh < 0 || oh >= H || ow < 0 || ow >= W) continue;
                        want[(c * H + oh) * W + ow] += cols[((c * 4 + a) * 4 + b) * ld + i * Wo + j];
                    }
    cgan__col2im(cols, ld, C, H, W, 4, 2, 1, Ho, Wo, got);
    for (int64_t i = 0; i < C * H * W; i++)
        ck_assert_msg(got[i] == want[i], "%lldx%lld: element %lld is %.9g, scatter-add %.9g",
                      (long long)Ho, (long long)Wo, (long long)i, got[i], want[i]);
    free(cols), free(got), free(want);
}
END_TEST

START_TEST(k4s2p1_same_bits_as_gather) {
    int64_t Ho = sizes[_i][0], Wo = sizes[_i][1], H = 2 * Ho, W = 2 * Wo, C = 3;
    int64_t ld = Ho * Wo + 5;
    float *x = malloc(sizeof(float) * C * H * W);
    float *got = malloc(sizeof(float) * C * 16 * ld), *want = malloc(sizeof(float) * C * 16 * ld);
    for (int64_t i = 0; i < C * H * W; i++) x[i] = (float)i + 0.5f;
    for (int64_t i = 0; i < C * 16 * ld; i++) got[i] = want[i] = -7.0f; /* gaps stay */
    for (int64_t c = 0; c < C; c++)
        for (int a = 0; a < 4; a++)
            for (int b = 0; b < 4; b++)
                for (int64_t i = 0; i < Ho; i++)
                    for (int64_t j = 0; j < Wo; j++) {
                        int64_t ih = 2 * i - 1 + a, iw = 2 * j - 1 + b;
                        int inside = ih >= 0 && ih < H && iw >= 0 && iw < W;
                        want[((c * 4 + a) * 4 + b) * ld + i * Wo + j] =
                            inside ? x[(c * H + ih) * W + iw] : 0.0f;
                    }
    cgan__im2col(x, C, H, W, 4, 2, 1, Ho, Wo, got, ld);
    for (int64_t i = 0; i < C * 16 * ld; i++)
        ck_assert_msg(got[i] == want[i], "%lldx%lld: cols[%lld] is %g, gather %g", (long long)Ho,
                      (long long)Wo, (long long)i, got[i], want[i]);
    free(x), free(got), free(want);
}
END_TEST

Suite *cgan_test_kernels_im2col_suite(void) {
    Suite *su = suite_create("kernels_im2col");
    TCase *tc = tcase_create("k4s2p1");
    tcase_add_loop_test(tc, k4s2p1_same_bits_as_scatter, 0, (int)(sizeof sizes / sizeof sizes[0]));
    tcase_add_loop_test(tc, k4s2p1_same_bits_as_gather, 0, (int)(sizeof sizes / sizeof sizes[0]));
    suite_add_tcase(su, tc);
    return su;
}
