/* The register tile of the implicit-GEMM convolutions (conv_k4s2.c,
 * convt_k4s2.c, conv_k4s2_dw.c), AVX-512 (include only where
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

#endif /* CGAN_TILE_8X32_H */
