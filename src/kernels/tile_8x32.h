/* The register tile of the implicit-GEMM convolutions (conv_k4s2.c,
 * convt_k4s2.c, conv_k4s2_dw.c) and a transpose into its operand order, AVX-512 (include only where
 * CGAN__AVX512_KERNELS is defined): an 8 x 32 block of the output accumulated over
 * kc rows of packed operands, as[k][8] (broadcast) times bs[k][32] (two
 * vectors): 16 accumulators, 16 FMAs per 2 loads and 8 broadcasts. */
#ifndef CGAN_TILE_8X32_H
#define CGAN_TILE_8X32_H

#include "avx512.h"

#define NR 32 /* output pixels per strip */
#define MR 8  /* output channels per sliver */

/* y[r * ldy + 0..31] = bias[r] (or 0) + acc[r], or += acc[r] */
AVX512 static inline void tile_store(__m512 acc[MR][2], float *y, int64_t ldy, int first,
                                     const float *bias) {
    for (int r = 0; r < MR; r++) {
        float *yr = y + r * ldy;
        __m512 c0, c1;
        if (first) c0 = c1 = _mm512_set1_ps(bias ? bias[r] : 0.0f);
        else c0 = _mm512_loadu_ps(yr), c1 = _mm512_loadu_ps(yr + 16);
        _mm512_storeu_ps(yr, _mm512_add_ps(c0, acc[r][0]));
        _mm512_storeu_ps(yr + 16, _mm512_add_ps(c1, acc[r][1]));
    }
}

/* y[r * ldy + 0..31] (= or +=) sum_k as[k][r] bs[k][0..31] for r < 8 */
AVX512 static inline void tile_8x32(const float *as, const float *bs, int64_t kc, float *y,
                                     int64_t ldy, int first, const float *bias) {
    __m512 acc[MR][2];
    for (int r = 0; r < MR; r++) acc[r][0] = acc[r][1] = _mm512_setzero_ps();
    for (int64_t k = 0; k < kc; k++) {
        __m512 b0 = _mm512_loadu_ps(bs + k * NR), b1 = _mm512_loadu_ps(bs + k * NR + 16);
        _Pragma("GCC unroll 8") for (int r = 0; r < MR; r++) {
            __m512 a = _mm512_set1_ps(as[k * MR + r]);
            acc[r][0] = _mm512_fmadd_ps(a, b0, acc[r][0]);
            acc[r][1] = _mm512_fmadd_ps(a, b1, acc[r][1]);
        }
    }
    tile_store(acc, y, ldy, first, bias);
}

/* The same tile with B's rows read where they lie instead of from a packed
 * strip: row k's 32 values are lo[k][dlo + 0..15] and hi[k][dhi + 0..15].
 * (A kernel builds lo and hi once for its first strip; the others are the
 * same rows shifted by dlo and dhi.) */
AVX512 static inline void tile_8x32_rows(const float *as, const float *const *lo,
                                          const float *const *hi, int64_t dlo, int64_t dhi,
                                          int64_t kc, float *y, int64_t ldy, int first,
                                          const float *bias) {
    __m512 acc[MR][2];
    for (int r = 0; r < MR; r++) acc[r][0] = acc[r][1] = _mm512_setzero_ps();
    for (int64_t k = 0; k < kc; k++) {
        __m512 b0 = _mm512_loadu_ps(lo[k] + dlo), b1 = _mm512_loadu_ps(hi[k] + dhi);
        _Pragma("GCC unroll 8") for (int r = 0; r < MR; r++) {
            __m512 a = _mm512_set1_ps(as[k * MR + r]);
            acc[r][0] = _mm512_fmadd_ps(a, b0, acc[r][0]);
            acc[r][1] = _mm512_fmadd_ps(a, b1, acc[r][1]);
        }
    }
    tile_store(acc, y, ldy, first, bias);
}

/* Two-source permute indices that alternate lanes 0..7 (lo) or 8..15 (hi)
 * of the first and the second source: a[0], b[0], a[1], b[1], ... */
AVX512 static inline __m512i interleave_lo(void) {
    return _mm512_set_epi32(23, 7, 22, 6, 21, 5, 20, 4, 19, 3, 18, 2, 17, 1, 16, 0);
}
AVX512 static inline __m512i interleave_hi(void) {
    return _mm512_set_epi32(31, 15, 30, 14, 29, 13, 28, 12, 27, 11, 26, 10, 25, 9, 24, 8);
}

/* The 8 x 16 block src[r * ld + j] (r < 8, rows from `rows` on zero)
 * transposed for a sliver's order: column j's 8 values, two columns a
 * vector (columns 2i and 2i + 1 in pair[i]), by three rounds of
 * two-source permutes. */
AVX512 static inline void transpose_8x16(const float *src, int64_t ld, int rows,
                                          __m512 pair[8]) {
    __m512 R[8], X[8], Y[8];
    for (int r = 0; r < MR; r++) R[r] = _mm512_maskz_loadu_ps(r < rows ? 0xFFFF : 0, src + r * ld);
    /* X[2i + h]: lanes 2q + j = R[2i + j][8h + q] (pairs of rows) */
    const __m512i lo = interleave_lo(), hi = interleave_hi();
    for (int i = 0; i < 4; i++) {
        X[2 * i] = _mm512_permutex2var_ps(R[2 * i], lo, R[2 * i + 1]);
        X[2 * i + 1] = _mm512_permutex2var_ps(R[2 * i], hi, R[2 * i + 1]);
    }
    /* Y[4m + g]: 128-bit lane q = rows 4m .. 4m + 3 of column 4g + q, from
     * the X of rows (4m, 4m + 1) and of rows (4m + 2, 4m + 3) */
    const __m512i lo64 = _mm512_set_epi64(11, 3, 10, 2, 9, 1, 8, 0);
    const __m512i hi64 = _mm512_set_epi64(15, 7, 14, 6, 13, 5, 12, 4);
    for (int m = 0; m < 2; m++)
        for (int h = 0; h < 2; h++) { /* columns 8h .. 8h + 7 */
            __m512d a = _mm512_castps_pd(X[4 * m + h]), b = _mm512_castps_pd(X[4 * m + 2 + h]);
            Y[4 * m + 2 * h] = _mm512_castpd_ps(_mm512_permutex2var_pd(a, lo64, b));
            Y[4 * m + 2 * h + 1] = _mm512_castpd_ps(_mm512_permutex2var_pd(a, hi64, b));
        }
    /* pair[i]: column 2i's rows 0..7, then column 2i + 1's: 128-bit lanes
     * of the rows 0..3 and 4..7 vectors of the same columns, alternating */
    const __m512i p0 = _mm512_set_epi64(11, 10, 3, 2, 9, 8, 1, 0);
    const __m512i p1 = _mm512_set_epi64(15, 14, 7, 6, 13, 12, 5, 4);
    for (int g = 0; g < 4; g++) { /* columns 4g .. 4g + 3 */
        __m512d a = _mm512_castps_pd(Y[g]), b = _mm512_castps_pd(Y[4 + g]);
        pair[2 * g] = _mm512_castpd_ps(_mm512_permutex2var_pd(a, p0, b));
        pair[2 * g + 1] = _mm512_castpd_ps(_mm512_permutex2var_pd(a, p1, b));
    }
}

#endif /* CGAN_TILE_8X32_H */
