/* The batch-norm statistics take one pass over memory, with moments about
 * the first image's per-channel mean instead of the exact mean
 * (src/kernels/bn.c).  They must stay as accurate as the two-pass form:
 * here against the mean and variance computed in double, on channels whose
 * mean is far from zero (100x their spread), whose images differ in
 * brightness (the first image is not typical), and of every plane size the
 * models use, 1x1 to 128x128. */
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

Suite *cgan_test_kernels_bn_suite(void) {
    Suite *su = suite_create("kernels_bn");
    TCase *tc = tcase_create("stats");
    tcase_add_test(tc, stats_match_double);
    suite_add_tcase(su, tc);
    return su;
}
