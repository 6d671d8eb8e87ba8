/* Row-major C[M,N] = alpha A B + beta C for thin A (M <= 16 rows, or any M
 * when K <= 32), B not transposed, with AVX-512: the shapes of a transposed
 * convolution to one channel (the generator's last layer: 16 rows of W^T),
 * of the first convolution (K = 16) and its input gradient, and of the
 * attention's dK (8 rows).
 * OpenBLAS packs B for every call and reaches 60-70 GFLOP/s per core on
 * them; here each 16 columns of B are read once, straight from B, and
 * multiplied by all M rows of A, packed (zero-padded to 8 or 16 rows) and
 * broadcast: 16 accumulators, one load of B per 16 FMAs.  K is taken in
 * blocks of KBLOCK, the partial sums of later blocks added to C. */
#include "avx512.h"
#include "kernels.h"

#ifdef CGAN__AVX512_KERNELS

#define KBLOCK 256 /* A is packed KBLOCK columns at a time: 16 KiB of stack */
/* B's rows are K streams (up5's: 64 channel planes 16 KiB apart), more
 * than the hardware prefetcher follows: each row's line PREFETCH_AHEAD
 * columns on is asked for while this one is used (up5's forward about 10 %
 * faster in alternating runs). */
#define PREFETCH_AHEAD 128
#define THIN_K_ANY_M 32 /* K this small: any M, in blocks of 16 rows */

/* MR rows (8 or 16) by NV column vectors of 16, MR * NV = 16 accumulators;
 * ap holds the block's A as [k][MR] (rows past M zero); first says whether
 * this is the first block of K (C = alpha AB + beta C) or a later one
 * (C += alpha AB). */
#define THIN_KERNEL(MR, NV)                                                                     \
    AVX512 static void thin##MR(int64_t M, int64_t N, int64_t K, float alpha, const float *ap,   \
                                const float *B, int64_t ldb, float beta, int first, float *C,   \
                                int64_t ldc) {                                                  \
        for (int64_t n0 = 0; n0 < N; n0 += 16 * NV) {                                           \
            __mmask16 mask[NV];                                                                 \
            for (int v = 0; v < NV; v++) mask[v] = lanes(N - n0 - 16 * v);                      \
            __m512 acc[MR][NV];                                                                 \
            for (int m = 0; m < MR; m++)                                                        \
                for (int v = 0; v < NV; v++) acc[m][v] = _mm512_setzero_ps();                   \
            for (int64_t k = 0; k < K; k++) {                                                   \
                __m512 b[NV];                                                                   \
                for (int v = 0; v < NV; v++) {                                                  \
                    b[v] = _mm512_maskz_loadu_ps(mask[v], B + k * ldb + n0 + 16 * v);           \
                    if (n0 + PREFETCH_AHEAD < N)                                                \
                        _mm_prefetch((const char *)(B + k * ldb + n0 + PREFETCH_AHEAD + 16 * v), \
                                     _MM_HINT_T0);                                              \
                }                                                                               \
                const float *ak = ap + k * MR;                                                  \
                _Pragma("GCC unroll 16") for (int m = 0; m < MR; m++) {                         \
                    __m512 a = _mm512_set1_ps(ak[m]);                                           \
                    for (int v = 0; v < NV; v++) acc[m][v] = _mm512_fmadd_ps(a, b[v], acc[m][v]); \
                }                                                                               \
            }                                                                                   \
            __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(first ? beta : 1.0f);       \
            int keep = !first || beta != 0.0f; /* read C (never when beta is 0: NaNs) */       \
            for (int m = 0; m < M; m++)                                                         \
                for (int v = 0; v < NV; v++) {                                                  \
                    float *c = C + m * ldc + n0 + 16 * v;                                       \
                    __m512 r = _mm512_mul_ps(va, acc[m][v]);                                    \
                    if (keep) r = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(mask[v], c), r);    \
                    _mm512_mask_storeu_ps(c, mask[v], r);                                       \
                }                                                                               \
        }                                                                                       \
    }
THIN_KERNEL(8, 2)
THIN_KERNEL(16, 1)

int cgan__sgemm_thin(int ta, int tb, int64_t M, int64_t N, int64_t K, float alpha,
                     const float *A, int64_t lda, const float *B, int64_t ldb, float beta,
                     float *C, int64_t ldc) {
    if (tb || M < 1 || (M > 16 && K > THIN_K_ANY_M) || !__builtin_cpu_supports("avx512f"))
        return 0;
    if (M > 16) { /* thin K: 16 rows at a time, B re-read from cache */
        for (int64_t m0 = 0; m0 < M; m0 += 16)
            cgan__sgemm_thin(ta, tb, M - m0 < 16 ? M - m0 : 16, N, K, alpha,
                             ta ? A + m0 : A + m0 * lda, lda, B, ldb, beta, C + m0 * ldc, ldc);
        return 1;
    }
    float ap[KBLOCK * 16];
    int mr = M <= 8 ? 8 : 16;
    for (int64_t k0 = 0; k0 < K; k0 += KBLOCK) {
        int64_t kb = K - k0 < KBLOCK ? K - k0 : KBLOCK;
        for (int64_t k = 0; k < kb; k++)
            for (int m = 0; m < mr; m++)
                ap[k * mr + m] = m >= M ? 0.0f : ta ? A[(k0 + k) * lda + m] : A[m * lda + k0 + k];
        const float *Bk = B + k0 * ldb;
        if (mr == 8) thin8(M, N, kb, alpha, ap, Bk, ldb, beta, k0 == 0, C, ldc);
        else thin16(M, N, kb, alpha, ap, Bk, ldb, beta, k0 == 0, C, ldc);
    }
    return 1;
}
#else
int cgan__sgemm_thin(int ta, int tb, int64_t M, int64_t N, int64_t K, float alpha,
                     const float *A, int64_t lda, const float *B, int64_t ldb, float beta,
                     float *C, int64_t ldc) {
    (void)ta, (void)tb, (void)M, (void)N, (void)K, (void)alpha, (void)A, (void)lda, (void)B;
    (void)ldb, (void)beta, (void)C, (void)ldc;
    return 0;
}
#endif
