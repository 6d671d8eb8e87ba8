/* The batch-norm statistics take one pass over memory, with moments about
 * the first image's per-channel mean instead of the exact mean
 * (src/kernels/bn.c).  They must stay as accurate as the two-pass form:
 * here against the mean and variance computed in double, on channels whose
 * mean is far from zero (100x their spread), whose images differ in
 * brightness (the first image is not typical), and of every plane size the
 * models use, 1x1 to 128x128.  The element-wise passes stream their output
 * past the caches when it is large: streamed or not, the same bits, and
 * the fused activation's derivative, taken from the sign of x * scale +
 * shift, must be where the forward's output is positive. */
#include "test_util.h"

#include "kernels/kernels.h"

static void check_stats(int64_t N, int64_t C, int64_t P, uint64_t seed) {
    float *x = malloc(sizeof(float) * (size_t)(N * C * P));
    double *mean = malloc(sizeof(double) * (size_t)C), *var = malloc(sizeof(double) * (size_t)C);
    double *parts = malloc(sizeof(double) * (size_t)(2 * N * C));
    for (int64_t n = 0; n < N; n++)
        for (int64_t c = 0; c < C; c++) {
            /* channel offset 100 c, per-image brightness +-3, spread 1 */
            float base = 100.0f * (float)(c + 1) + 6.0f * test_rand_uniform(&seed);
            for (int64_t i = 0; i < P; i++)
                x[(n * C + c) * P + i] = base + 2.0f * test_rand_uniform(&seed);
        }
    cgan__bn_stats(x, N, C, P, mean, var, parts);
    for (int64_t c = 0; c < C; c++) {
        double s = 0.0, ss = 0.0, M = (double)(N * P);
        for (int64_t n = 0; n < N; n++)
            for (int64_t i = 0; i < P; i++) s += x[(n * C + c) * P + i];
        double mu = s / M;
        for (int64_t n = 0; n < N; n++)
            for (int64_t i = 0; i < P; i++) {
                double d = x[(n * C + c) * P + i] - mu;
                ss += d * d;
            }
        double v = ss / M;
        ck_assert_msg(fabs(mean[c] - mu) <= 1e-6 * fabs(mu), "N %lld P %lld channel %lld: mean "
                      "%.12g, double %.12g", (long long)N, (long long)P, (long long)c, mean[c], mu);
        ck_assert_msg(fabs(var[c] - v) <= 1e-4 * v, "N %lld P %lld channel %lld: variance "
                      "%.12g, double %.12g", (long long)N, (long long)P, (long long)c, var[c], v);
    }
    free(x), free(mean), free(var), free(parts);
}

START_TEST(stats_match_double) {
    static const int64_t shapes[][3] = {{64, 3, 1}, {64, 4, 16}, {16, 3, 64}, {8, 2, 1024},
                                        {4, 2, 4096}, {2, 1, 16384}, {1, 2, 1000}, {3, 2, 17}};
    for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++)
        check_stats(shapes[k][0], shapes[k][1], shapes[k][2], 0x9e3779b97f4a7c15ull + k);
}
END_TEST

/* apply and backward apply, streamed and not, with and without the
 * activation: identical bits; the backward's g against dy and the
 * forward's output */
START_TEST(streamed_equals_plain) {
    int64_t N = 3, C = 4, P = 256, n = N * C * P;
    float *x = malloc(sizeof(float) * n), *dy = malloc(sizeof(float) * n);
    float *y0 = aligned_alloc(64, sizeof(float) * n), *y1 = aligned_alloc(64, sizeof(float) * n);
    float *d0 = aligned_alloc(64, sizeof(float) * n), *d1 = aligned_alloc(64, sizeof(float) * n);
    float sc[4], sh[4], mean[4], a[4], zero[4] = {0}, d[4] = {0};
    uint64_t s = 0x2545F4914F6CDD1Dull;
    for (int64_t i = 0; i < n; i++) x[i] = test_rand_uniform(&s), dy[i] = test_rand_uniform(&s);
    for (int c = 0; c < C; c++)
        sc[c] = 1.0f + test_rand_uniform(&s), sh[c] = 0.3f * test_rand_uniform(&s),
        mean[c] = 0.1f * test_rand_uniform(&s), a[c] = 1.0f;
    for (int act = 0; act < 2; act++) {
        cgan__bn_apply(x, N, C, P, sc, sh, act, 0.2f, y0, 0);
        cgan__bn_apply(x, N, C, P, sc, sh, act, 0.2f, y1, 1);
        ck_assert(memcmp(y0, y1, sizeof(float) * n) == 0);
        /* with a = 1 and b = d = 0, dx is g itself */
        const float *as = act ? sc : NULL;
        cgan__bn_bwd_apply(x, dy, as, sh, 0.2f, N, C, P, a, zero, mean, d, d0, 0);
        cgan__bn_bwd_apply(x, dy, as, sh, 0.2f, N, C, P, a, zero, mean, d, d1, 1);
        ck_assert(memcmp(d0, d1, sizeof(float) * n) == 0);
        for (int64_t i = 0; i < n; i++) {
            float want = act && !(y0[i] > 0.0f) ? 0.2f * dy[i] : dy[i];
            ck_assert_msg(d0[i] == want, "act %d: g[%lld] = %.9g, want %.9g", act, (long long)i,
                          d0[i], want);
        }
    }
    free(x), free(dy), free(y0), free(y1), free(d0), free(d1);
}
END_TEST

Suite *cgan_test_kernels_bn_suite(void) {
    Suite *su = suite_create("kernels_bn");
    TCase *tc = tcase_create("stats");
    tcase_add_test(tc, stats_match_double);
    tcase_add_test(tc, streamed_equals_plain);
    suite_add_tcase(su, tc);
    return su;
}
