/* The thin-A GEMM of our own (src/kernels/gemm_thin.c: A of at most 16
 * rows, or any rows for K <= 32; AVX-512 only) against a double-precision
 * product written here: row counts on both sides of its 8- and 16-row
 * kernels and past 16 with a thin K, column counts with
 * masked tails, K across its 256-column packing blocks, A transposed or
 * not, alpha and beta (beta 0 must ignore NaNs already in C).  On a CPU
 * without AVX-512 the kernel declines (returns 0) and the test says so. */
#include "test_util.h"

#include "kernels/kernels.h"

typedef struct thin_case {
    int ta;
    int64_t M, N, K;
    float alpha, beta;
} thin_case;

static const thin_case cases[] = {
    {0, 1, 17, 3, 1.0f, 0.0f},     {1, 5, 100, 64, 1.0f, 0.0f},  {0, 8, 4096, 64, 1.0f, 1.0f},
    {1, 9, 33, 300, 0.5f, -2.0f},  {0, 16, 47, 513, 1.0f, 0.0f}, {1, 16, 4096, 64, 2.0f, 0.25f},
    {0, 64, 1000, 16, 1.0f, 0.0f}, {1, 37, 129, 32, 1.0f, 1.0f}, /* more rows, thin K */
};

START_TEST(thin_matches_double_reference) {
    const thin_case *t = &cases[_i];
    int64_t M = t->M, N = t->N, K = t->K, lda = t->ta ? M + 3 : K + 3, ldb = N + 5, ldc = N + 2;
    float *A = malloc(sizeof(float) * (t->ta ? K : M) * lda), *B = malloc(sizeof(float) * K * ldb);
    float *C = malloc(sizeof(float) * M * ldc), *C0 = malloc(sizeof(float) * M * ldc);
    uint64_t s = 0x9E3779B97F4A7C15ull;
    for (int64_t i = 0; i < (t->ta ? K : M) * lda; i++) A[i] = test_rand_uniform(&s);
    for (int64_t i = 0; i < K * ldb; i++) B[i] = test_rand_uniform(&s);
    for (int64_t i = 0; i < M * ldc; i++) C0[i] = C[i] = t->beta == 0.0f ? NAN : test_rand_uniform(&s);
    if (!cgan__sgemm_thin(t->ta, 0, M, N, K, t->alpha, A, lda, B, ldb, t->beta, C, ldc)) {
        ck_declined("kernels_gemm_thin", _i);
        goto out;
    }
    for (int64_t m = 0; m < M; m++)
        for (int64_t n = 0; n < ldc; n++) {
            float got = C[m * ldc + n];
            if (n >= N) { /* past the columns: untouched */
                ck_assert_msg(memcmp(&got, &C0[m * ldc + n], sizeof got) == 0, "C[%lld][%lld] written",
                              (long long)m, (long long)n);
                continue;
            }
            double want = 0.0, scale = 0.0;
            for (int64_t k = 0; k < K; k++) {
                double a = t->ta ? A[k * lda + m] : A[m * lda + k], p = a * B[k * ldb + n];
                want += p, scale += fabs(p);
            }
            want *= t->alpha;
            if (t->beta != 0.0f) want += (double)t->beta * C0[m * ldc + n];
            ck_assert_msg(fabs(got - want) <= 1e-6 * (fabs(t->alpha) * scale + 1.0),
                          "case %d: C[%lld][%lld] = %.9g, double %.9g", _i, (long long)m,
                          (long long)n, got, want);
        }
out:
    free(A), free(B), free(C), free(C0);
}
END_TEST

Suite *cgan_test_kernels_gemm_thin_suite(void) {
    Suite *su = suite_create("kernels_gemm_thin");
    TCase *tc = tcase_create("thin");
    tcase_add_loop_test(tc, thin_matches_double_reference, 0, (int)(sizeof cases / sizeof cases[0]));
    suite_add_tcase(su, tc);
    return su;
}
