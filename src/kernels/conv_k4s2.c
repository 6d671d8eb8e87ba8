/* Forward of the paper's critic convolutions (4x4 kernel, stride 2,
 * padding 1) as an implicit GEMM with AVX-512: Y [Co, P] = W [Co, Ci*16]
 * times the patches [Ci*16, P], per chunk of images, without an im2col
 * matrix and without a BLAS packing pass over it.
 *
 * The product runs in blocks of 8 input channels (128 patch rows).  For a
 * block, the patches are written straight into the layout the kernel reads
 * (strips of 32 output pixels: [strip][row][32], 16 KiB per strip, in L1),
 * the weights into slivers of 8 output channels ([sliver][row][8]), and an
 * 8 x 32 tile of Y is accumulated in 16 registers: per patch row, 2 loads
 * and 8 broadcasts feed 16 FMAs.  Blocks after the first add to Y.
 *
 * Used where the shapes fit (AVX-512, output width 4, 8, 16 or 32, Co a
 * multiple of 8, and either 32 | P or, for the 4x4 outputs of the critic's
 * conv5, strips of two images: 16 | P | 32 and 32 | c * P); returns 0
 * otherwise and the caller takes im2col + sgemm. */
#include "avx512.h"
#include "kernels.h"

#ifdef CGAN__AVX512_KERNELS
#include "tile_8x32.h"

#define CH_BLOCK 8 /* input channels per block: 128 patch rows */
#define SLIVER_GROUP 2 /* slivers per pass over the strips when rows are read in place */

/* Patches of channels [c0, c0 + cb) of c images into strips: row k = local
 * channel * 16 + a * 4 + b of strip s holds, for the strip's 32 pixels
 * (i, j), x[c, 2i - 1 + a, 2j - 1 + b] (0 outside).  Used for output
 * widths up to 16 (W <= 32, at most two vectors an input row): each tap
 * row is one zero-masking two-source permute of the input row in
 * registers.  (Splitting the row into even and odd columns in memory and
 * reading 4 or 8 floats back at other offsets stalled on store-to-load
 * forwarding, and cost half as much as the conv5's tiles.) */
AVX512 static void pack_patches(const float *x, int64_t c, int64_t Ci, int64_t c0, int64_t cb,
                                int64_t Ho, int64_t Wo, float *bp) {
    int64_t H = 2 * Ho, W = 2 * Wo, P = Ho * Wo, kc = cb * 16;
    __m512i idx[4];
    __mmask16 valid[4], out = lanes(Wo);
    for (int b = 0; b < 4; b++) { /* tap b of pixel j: input column 2j - 1 + b */
        int32_t col[16];
        valid[b] = 0;
        for (int j = 0; j < 16; j++) {
            int64_t ic = 2 * j - 1 + b;
            col[j] = ic >= 0 && ic < W ? (int32_t)ic : 0;
            if (j < Wo && ic >= 0 && ic < W) valid[b] |= (__mmask16)(1u << j);
        }
        idx[b] = _mm512_loadu_si512(col);
    }
    for (int64_t n = 0; n < c; n++)
        for (int64_t cl = 0; cl < cb; cl++) {
            const float *xc = x + (n * Ci + c0 + cl) * H * W;
            for (int64_t i = 0; i < Ho; i++) {
                int64_t g = n * P + i * Wo, s = g / NR, col = g % NR; /* pixel g of the chunk */
                float *strip = bp + s * kc * NR + col;
                for (int a = 0; a < 4; a++) {
                    float *d = strip + (cl * 16 + a * 4) * NR; /* tap (a, 0) */
                    int64_t ih = 2 * i - 1 + a;
                    if (ih < 0 || ih >= H) {
                        for (int b = 0; b < 4; b++)
                            _mm512_mask_storeu_ps(d + b * NR, out, _mm512_setzero_ps());
                        continue;
                    }
                    const float *src = xc + ih * W;
                    __m512 lo = _mm512_maskz_loadu_ps(lanes(W), src);
                    __m512 hi = _mm512_maskz_loadu_ps(lanes(W - 16), src + 16);
                    for (int b = 0; b < 4; b++)
                        _mm512_mask_storeu_ps(d + b * NR, out,
                                              _mm512_maskz_permutex2var_ps(valid[b], lo, idx[b], hi));
                }
            }
        }
}

/* Output widths 16 and 32 read the patches where they lie instead: each
 * input row of the block is split once into its odd and even columns,
 * D[n][cl][ih + 1][parity][RS] (rows -1 and H all zero; parity 0: O[0] = 0,
 * O[1 + m] = x[2m + 1]; parity 1: E[m] = x[2m], E[Wo] = 0), and patch row
 * (cl, a, b) of output row i is 16 or 32 consecutive floats of row
 * 2i - 1 + a: O from 0, E from 0, O from 1, E from 1 for b = 0..3.  That
 * writes each input once instead of four times, and the tiles read the
 * rows through pointers (tile_8x32_rows). */
#define RS(Wo) ((Wo) + 16) /* Wo + 1 values, and a 16-float load from 1 stays inside */

AVX512 static void deinterleave(const float *x, int64_t c, int64_t Ci, int64_t c0, int64_t cb,
                                int64_t Ho, int64_t Wo, float *D) {
    int64_t H = 2 * Ho, W = 2 * Wo, rs = RS(Wo);
    const __m512i ev = _mm512_set_epi32(30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0);
    const __m512i od = _mm512_set_epi32(31, 29, 27, 25, 23, 21, 19, 17, 15, 13, 11, 9, 7, 5, 3, 1);
    for (int64_t n = 0; n < c; n++)
        for (int64_t cl = 0; cl < cb; cl++) {
            const float *xc = x + (n * Ci + c0 + cl) * H * W;
            float *dc = D + (n * cb + cl) * (H + 2) * 2 * rs;
            for (int64_t k = 0; k < 2 * rs; k += 16) { /* rows -1 and H */
                _mm512_storeu_ps(dc + k, _mm512_setzero_ps());
                _mm512_storeu_ps(dc + (H + 1) * 2 * rs + k, _mm512_setzero_ps());
            }
            for (int64_t ih = 0; ih < H; ih++) {
                float *o = dc + (ih + 1) * 2 * rs, *e = o + rs;
                const float *src = xc + ih * W;
                for (int64_t j = 0; j < Wo; j += 16) { /* inputs 2j .. 2j + 31 */
                    __m512 lo = _mm512_loadu_ps(src + 2 * j), hi = _mm512_loadu_ps(src + 2 * j + 16);
                    _mm512_storeu_ps(e + j, _mm512_permutex2var_ps(lo, ev, hi));
                    _mm512_storeu_ps(o + 1 + j, _mm512_permutex2var_ps(lo, od, hi));
                }
                o[0] = 0.0f;
                e[Wo] = 0.0f;
            }
        }
}

/* Pointers to the patch rows of strip s (output row i0, and i0 + 1 when
 * Wo is 16) in D: lo[k] and hi[k], k = cl * 16 + a * 4 + b. */
static void strip_rows(const float *D, int64_t cb, int64_t Ho, int64_t Wo, int64_t s,
                       const float **lo, const float **hi) {
    int64_t H = 2 * Ho, rs = RS(Wo), SP = Ho * Wo / NR, n = s / SP, i0 = s % SP * NR / Wo;
    for (int64_t cl = 0; cl < cb; cl++)
        for (int a = 0; a < 4; a++) {
            /* row 2 i0 - 1 + a of the input is D's row 2 i0 + a */
            const float *row = D + ((n * cb + cl) * (H + 2) + 2 * i0 + a) * 2 * rs;
            for (int b = 0; b < 4; b++) {
                int64_t k = cl * 16 + a * 4 + b;
                lo[k] = row + (b & 1) * rs + (b >> 1);
                hi[k] = Wo == NR ? lo[k] + 16 : lo[k] + 2 * 2 * rs; /* two input rows on */
            }
        }
}

/* How far strip s's patch rows lie from strip 0's in D (the same for every
 * row k): strip_rows(s) = strip_rows(0) + strip_shift(s). */
static int64_t strip_shift(int64_t cb, int64_t Ho, int64_t Wo, int64_t s) {
    int64_t H = 2 * Ho, SP = Ho * Wo / NR, n = s / SP, i0 = s % SP * NR / Wo;
    return (n * cb * (H + 2) + 2 * i0) * 2 * RS(Wo);
}

/* An 8 x 32 tile t of a strip that holds the outputs of 32 / P images
 * (P = 16: two 4x4 planes), from chunk pixel g0 on, into y: = (+ bias) for
 * the first block, += after it. */
AVX512 static void store_split(const float *t, float *y, int64_t Co, int64_t P, int64_t g0,
                               int64_t co0, int first, const float *bias) {
    __mmask16 m = lanes(P);
    for (int r = 0; r < MR; r++)
        for (int64_t pp = 0; pp < NR; pp += P) {
            float *d = y + ((g0 + pp) / P * Co + co0 + r) * P;
            __m512 v = _mm512_maskz_loadu_ps(m, t + r * NR + pp);
            v = _mm512_add_ps(v, first ? _mm512_set1_ps(bias ? bias[co0 + r] : 0.0f)
                                       : _mm512_maskz_loadu_ps(m, d));
            _mm512_mask_storeu_ps(d, m, v);
        }
}

/* Weights of the block: ap[(sliver * kc + k) * MR + r] = w[sliver * MR + r][k0 + k]
 * (kc a multiple of 16: whole channels), 8 x 16 blocks transposed in registers. */
AVX512 static void pack_weights(const float *w, int64_t Co, int64_t K, int64_t k0, int64_t kc,
                                float *ap) {
    for (int64_t sl = 0; sl < Co / MR; sl++)
        for (int64_t k = 0; k < kc; k += 16) {
            __m512 pair[8];
            transpose_8x16(w + sl * MR * K + k0 + k, K, MR, pair);
            for (int i = 0; i < 8; i++) _mm512_storeu_ps(ap + (sl * kc + k + 2 * i) * MR, pair[i]);
        }
}

void cgan__conv_k4s2p1_pack(const float *w, int64_t Ci, int64_t Co, float *packed,
                            int64_t part, int64_t parts) {
    int64_t nb = (Ci + CH_BLOCK - 1) / CH_BLOCK, b0 = nb * part / parts, b1 = nb * (part + 1) / parts;
    for (int64_t c0 = b0 * CH_BLOCK; c0 < b1 * CH_BLOCK && c0 < Ci; c0 += CH_BLOCK) {
        int64_t cb = Ci - c0 < CH_BLOCK ? Ci - c0 : CH_BLOCK;
        pack_weights(w, Co, Ci * 16, c0 * 16, cb * 16, packed + Co * c0 * 16);
    }
}

int cgan__conv_k4s2p1_fits(int64_t H, int64_t W, int64_t Co) {
    int64_t Ho = H / 2, Wo = W / 2, P = Ho * Wo;
    return H == 2 * Ho && W == 2 * Wo && (Wo == 4 || Wo == 8 || Wo == 16 || Wo == 32) &&
           (P % NR == 0 || P == 16) && Co % MR == 0 && __builtin_cpu_supports("avx512f");
}

int cgan__conv_k4s2p1_fwd(const float *x, int64_t c, int64_t Ci, int64_t H, int64_t W,
                          const float *w, int64_t Co, const float *bias, float *y, float *scratch,
                          size_t scratch_floats, const cgan__chunk_hints *hints) {
    int64_t Ho = H / 2, Wo = W / 2, P = Ho * Wo, K = Ci * 16;
    int whole = P % NR == 0, split = P == 16 && c * P % NR == 0; /* strips in one image or two */
    if (!cgan__conv_k4s2p1_fits(H, W, Co) || !(whole || split)) return 0;
    int64_t cp = c * P, kcmax = (Ci < CH_BLOCK ? Ci : CH_BLOCK) * 16;
    int direct = whole && (Wo == 16 || Wo == 32); /* rows read in place (deinterleave) */
    size_t b_floats = direct ? (size_t)(c * CH_BLOCK * (H + 2) * 2 * RS(Wo)) : (size_t)(kcmax * cp);
    if ((size_t)(Co * kcmax) + b_floats > scratch_floats) return 0;
    float *bp = scratch + Co * kcmax;
    const float *packed = hints ? hints->packed_w : NULL, *ap = scratch;
    const float *lo[CH_BLOCK * 16], *hi[CH_BLOCK * 16];
    for (int64_t c0 = 0; c0 < Ci; c0 += CH_BLOCK) {
        int64_t cb = Ci - c0 < CH_BLOCK ? Ci - c0 : CH_BLOCK, kc = cb * 16;
        if (packed) ap = packed + Co * c0 * 16; /* blocks of Co * kc, in order */
        else pack_weights(w, Co, K, c0 * 16, kc, scratch);
        if (direct) {
            deinterleave(x, c, Ci, c0, cb, Ho, Wo, bp);
            strip_rows(bp, cb, Ho, Wo, 0, lo, hi);
        } else {
            pack_patches(x, c, Ci, c0, cb, Ho, Wo, bp);
        }
        /* while this block computes: the next block's input, or after the
         * last one the next chunk's first block, a piece per strip */
        int64_t nc = c0 + CH_BLOCK, ns = cp / NR;
        const float *pf = nc < Ci ? x + nc * H * W : hints && hints->next_c ? hints->next_x : NULL;
        int64_t pf_n = nc < Ci ? c : hints ? hints->next_c : 0, pf_c = nc < Ci ? Ci - nc : Ci;
        int64_t pf_len = (pf_c < CH_BLOCK ? pf_c : CH_BLOCK) * H * W;
        /* Rows read in place: the strips for two slivers at a time, so that
         * their weights (8 KiB) and a strip's rows stay in L1 together; with
         * every sliver's weights per strip (32 KiB at conv2's Co = 64) they
         * did not, and conv2's forward was 3 % slower.  Packed strips: every
         * sliver per strip. */
        int64_t n_sl = Co / MR, group = direct ? SLIVER_GROUP : n_sl;
        for (int64_t g0 = 0; g0 < n_sl; g0 += group) {
            int64_t g1 = g0 + group < n_sl ? g0 + group : n_sl;
            for (int64_t s = 0; s < ns; s++) {
                if (pf && g0 == 0) prefetch_piece(pf, pf_n, Ci * H * W, pf_len, s, ns);
                if (split) {
                    float t[MR * NR];
                    for (int64_t sl = g0; sl < g1; sl++) {
                        tile_8x32(ap + sl * kc * MR, bp + s * kc * NR, kc, t, NR, 1, NULL);
                        store_split(t, y, Co, P, s * NR, sl * MR, c0 == 0, bias);
                    }
                    continue;
                }
                int64_t n = s / (P / NR), p0 = s % (P / NR) * NR;
                float *ys = y + n * Co * P + p0;
                int64_t d = direct ? strip_shift(cb, Ho, Wo, s) : 0;
                for (int64_t sl = g0; sl < g1; sl++) {
                    const float *as = ap + sl * kc * MR, *b = bias ? bias + sl * MR : NULL;
                    if (direct) tile_8x32_rows(as, lo, hi, d, d, kc, ys + sl * MR * P, P, c0 == 0, b);
                    else tile_8x32(as, bp + s * kc * NR, kc, ys + sl * MR * P, P, c0 == 0, b);
                }
            }
        }
    }
    return 1;
}
#else
void cgan__conv_k4s2p1_pack(const float *w, int64_t Ci, int64_t Co, float *packed,
                            int64_t part, int64_t parts) {
    (void)w, (void)Ci, (void)Co, (void)packed, (void)part, (void)parts;
}

int cgan__conv_k4s2p1_fits(int64_t H, int64_t W, int64_t Co) {
    (void)H, (void)W, (void)Co;
    return 0;
}

int cgan__conv_k4s2p1_fwd(const float *x, int64_t c, int64_t Ci, int64_t H, int64_t W,
                          const float *w, int64_t Co, const float *bias, float *y, float *scratch,
                          size_t scratch_floats, const cgan__chunk_hints *hints) {
    (void)hints, (void)x, (void)c, (void)Ci, (void)H, (void)W, (void)w, (void)Co, (void)bias, (void)y;
    (void)scratch, (void)scratch_floats;
    return 0;
}
#endif
