/* Weight gradient of the 4x4, stride-2, padding-1 convolutions as an
 * implicit GEMM with AVX-512: dW [Co, Ci*16] (= beta dW +) dY [Co, P] times
 * the patches^T [P, Ci*16], summed over a chunk of images, without an
 * im2col matrix.
 *
 * dY is packed once per chunk into slivers of 8 output channels
 * ([sliver][pixel][8]); the patches of two input channels (32 columns of
 * dW: 2 x 16 taps) into one strip over all the chunk's pixels
 * ([pixel][32]), each tap window a 4-float load from the input row.  The 8 x 32 register tile
 * (tile_8x32.h) then runs over all pixels, and dW is written once.
 * With Ci odd (the critic's conv5 has 257 channels, the label plane being
 * the last) the last strip holds one channel and zeros, and only its 16
 * columns reach dW.  Used where the shapes fit (AVX-512, Co a multiple of
 * 8, W from 4 to 256); returns 0 otherwise and the caller takes im2col +
 * sgemm. */
#include "avx512.h"
#include "kernels.h"

#include <string.h>

#ifdef CGAN__AVX512_KERNELS
#include "tile_8x32.h"

#define MAX_W 256

/* ap[(sliver * cp + p) * 8 + r] = dy[n][sliver * 8 + r][p'], p = n * P + p' */
/* sums (or NULL): per output channel, the sum of dY over the chunk (the
 * bias gradient), from the packed values while they are in registers:
 * per plane in float lanes (even pixels in lanes 0..7, odd in 8..15),
 * then in double. */
AVX512 static void pack_grad(const float *dy, int64_t c, int64_t Co, int64_t P, float *ap,
                             double *sums) {
    int64_t cp = c * P;
    for (int64_t sl = 0; sl < Co / MR; sl++)
        for (int64_t n = 0; n < c; n++) {
            const float *src = dy + (n * Co + sl * MR) * P; /* the sliver's 8 planes */
            float *d = ap + (sl * cp + n * P) * MR;
            __m512 acc = _mm512_setzero_ps();
            int64_t p = 0;
            for (; p + 16 <= P; p += 16) { /* 16 pixels x 8 channels, transposed in registers */
                __m512 pair[8];
                transpose_8x16(src + p, P, MR, pair);
                for (int i = 0; i < 8; i++) {
                    _mm512_storeu_ps(d + (p + 2 * i) * MR, pair[i]);
                    acc = _mm512_add_ps(acc, pair[i]);
                }
            }
            float lane[16];
            _mm512_storeu_ps(lane, acc);
            for (int r = 0; r < MR; r++) {
                double s = (double)lane[r] + (double)lane[r + 8];
                for (int64_t q = p; q < P; q++) s += d[q * MR + r] = src[r * P + q];
                if (sums) sums[sl * MR + r] += s;
            }
        }
}

/* Input columns 2j - 1 .. 2j + 2 of a row of W = 2 Wo >= 4 floats, 0
 * outside it: tap b = 0..3 of output pixel j. */
AVX512 static inline __m128 taps4(const float *row, int64_t j, int64_t Wo) {
    if (j == 0) return _mm_castsi128_ps(_mm_slli_si128(_mm_castps_si128(_mm_loadu_ps(row)), 4));
    if (j == Wo - 1)
        return _mm_castsi128_ps(_mm_srli_si128(_mm_castps_si128(_mm_loadu_ps(row + 2 * j - 2)), 4));
    return _mm_loadu_ps(row + 2 * j - 1);
}

static const float zero_row[MAX_W]; /* rows outside the image, and a missing channel */

/* Strip of channels ci0, ci0 + 1: bp[p * 32 + cl * 16 + a * 4 + b] =
 * x[n][ci0 + cl][2i - 1 + a][2j - 1 + b] for pixel p = n * P + i * Wo + j;
 * zeros for channel ci0 + 1 when it is Ci.  A pixel's 16 taps of a
 * channel are four 4-float windows of the input rows 2i - 1 + a, read
 * where they lie and put together in registers.  (Copying the rows first
 * with a zero on both sides and reading the windows back at other offsets
 * stalled on store-to-load forwarding.) */
AVX512 static void pack_strip(const float *x, int64_t c, int64_t Ci, int64_t ci0, int64_t Ho,
                              int64_t Wo, float *bp) {
    int64_t H = 2 * Ho, W = 2 * Wo, P = Ho * Wo;
    for (int64_t n = 0; n < c; n++)
        for (int64_t i = 0; i < Ho; i++) {
            const float *rows[2][4];
            for (int cl = 0; cl < 2; cl++)
                for (int a = 0; a < 4; a++) {
                    int64_t ih = 2 * i - 1 + a;
                    rows[cl][a] = ih < 0 || ih >= H || ci0 + cl == Ci
                                      ? zero_row
                                      : x + ((n * Ci + ci0 + cl) * H + ih) * W;
                }
            float *d = bp + (n * P + i * Wo) * NR;
            for (int64_t j = 0; j < Wo; j++)
                for (int cl = 0; cl < 2; cl++) {
                    __m512 v = _mm512_castps128_ps512(taps4(rows[cl][0], j, Wo));
                    v = _mm512_insertf32x4(v, taps4(rows[cl][1], j, Wo), 1);
                    v = _mm512_insertf32x4(v, taps4(rows[cl][2], j, Wo), 2);
                    v = _mm512_insertf32x4(v, taps4(rows[cl][3], j, Wo), 3);
                    _mm512_storeu_ps(d + j * NR + cl * 16, v);
                }
        }
}

int cgan__conv_k4s2p1_dw(const float *x, const float *dy, int64_t c, int64_t Ci, int64_t H,
                         int64_t W, int64_t Co, float *dw, float *db, float beta, float *scratch,
                         size_t scratch_floats, const cgan__chunk_hints *hints) {
    int64_t Ho = H / 2, Wo = W / 2, P = Ho * Wo, cp = c * P, K = Ci * 16;
    if (H != 2 * Ho || W != 2 * Wo || W < 4 || W > MAX_W || Co % MR != 0 ||
        (beta != 0.0f && beta != 1.0f) || !__builtin_cpu_supports("avx512f"))
        return 0;
    if ((size_t)(Co * cp + NR * cp + (db ? 2 * Co + 1 : 0)) > scratch_floats) return 0; /* + sums */
    float *ap = scratch, *bp = scratch + Co * cp;
    double *sums = db ? (double *)(((uintptr_t)(bp + NR * cp) + 7) & ~(uintptr_t)7) : NULL;
    if (sums) memset(sums, 0, (size_t)Co * sizeof *sums);
    pack_grad(dy, c, Co, P, ap, sums);
    if (db)
        for (int64_t co = 0; co < Co; co++) db[co] = (beta != 0.0f ? db[co] : 0.0f) + (float)sums[co];
    for (int64_t st = 0; st < (Ci + 1) / 2; st++) {
        pack_strip(x, c, Ci, 2 * st, Ho, Wo, bp);
        /* while this strip computes: the next strip's channels of every
         * image, or after the last one the next chunk's dY and first strip,
         * a piece per tile */
        int64_t n_sl = Co / MR, nc = 2 * st + 2, nlen = (Ci - nc < 2 ? Ci - nc : 2) * H * W;
        int half = 2 * st + 1 == Ci; /* one channel: 16 columns of dW */
        for (int64_t sl = 0; sl < n_sl; sl++) {
            if (nc < Ci) {
                prefetch_piece(x + nc * H * W, c, Ci * H * W, nlen, sl, n_sl);
            } else if (hints && hints->next_c) {
                prefetch_piece(hints->next_dy, hints->next_c, Co * P, Co * P, sl, n_sl);
                prefetch_piece(hints->next_x, hints->next_c, Ci * H * W, (Ci < 2 ? Ci : 2) * H * W, sl,
                               n_sl);
            }
            float *d = dw + sl * MR * K + st * NR;
            if (!half) {
                tile_8x32(ap + sl * cp * MR, bp, cp, d, K, beta == 0.0f, NULL);
                continue;
            }
            float t[MR * NR];
            tile_8x32(ap + sl * cp * MR, bp, cp, t, NR, 1, NULL);
            for (int r = 0; r < MR; r++)
                for (int k = 0; k < 16; k++)
                    d[r * K + k] = (beta == 0.0f ? 0.0f : d[r * K + k]) + t[r * NR + k];
        }
    }
    return 1;
}
#else
int cgan__conv_k4s2p1_dw(const float *x, const float *dy, int64_t c, int64_t Ci, int64_t H,
                         int64_t W, int64_t Co, float *dw, float *db, float beta, float *scratch,
                         size_t scratch_floats, const cgan__chunk_hints *hints) {
    (void)hints, (void)x, (void)dy, (void)c, (void)Ci, (void)H, (void)W, (void)Co, (void)dw, (void)beta;
    (void)db;
    (void)scratch, (void)scratch_floats;
    return 0;
}
#endif
