/* Transposed 4x4, stride-2, padding-1 convolution as an implicit GEMM with
 * AVX-512: out [Cout, 2Hi, 2Wi] from in [Cin, Hi, Wi] and w [Cin, Cout, 4, 4].
 * It is the generator's up3/up4 forward and, with w the convolution's own
 * [Co, Ci, 4, 4] weights, the input gradient of the critic's conv2/conv3
 * (dX from dY), in both cases without the [Cout*16, P] column matrix and
 * its col2im.
 *
 * Output pixel (2u + pa, 2v + pb) takes two kernel rows and two kernel
 * columns of the parity class (pa, pb) (col2im: oh = 2i - 1 + a):
 *   parity 0: tap 1 at shift 0 and tap 3 at shift -1;
 *   parity 1: tap 0 at shift +1 and tap 2 at shift 0,
 * so each class is a GEMM with K = Cin * 4 over the input grid's pixels,
 * whose operand rows are shifted rows of the input: with a zero border
 * around each plane (pad_inputs) the tiles read them in place.  For a block
 * of input channels and a row parity pa, the two column parities are
 * computed as two 8 x 32 tiles (tile_8x32.h) and interleaved into 64
 * contiguous outputs.  Blocks after the first add to the output.
 * Used where the shapes fit (AVX-512, Wi 16 or 32, 32 | Hi*Wi, Cout a
 * multiple of 8); returns 0 otherwise and the caller takes GEMM + col2im. */
#include "avx512.h"
#include "kernels.h"

#include <stdint.h>

#ifdef CGAN__AVX512_KERNELS
#include "tile_8x32.h"

#define CH_BLOCK 64 /* input channels per block: K rows 64 * 4 */

static const int TAP[2][2] = {{1, 3}, {0, 2}};   /* [parity][t] kernel index */
static const int SHIFT[2][2] = {{0, -1}, {1, 0}}; /* [parity][t] input offset */

/* ap[(sliver * kc + k) * 8 + r], k = (local channel * 2 + ta) * 2 + tb, holds
 * w[ci][sliver * 8 + r][TAP[pa][ta]][TAP[pb][tb]]. */
static void pack_weights(const float *w, int64_t Cout, int64_t c0, int64_t cb, int pa, int pb,
                         float *ap) {
    int64_t kc = cb * 4;
    for (int64_t sl = 0; sl < Cout / MR; sl++)
        for (int64_t cl = 0; cl < cb; cl++)
            for (int t = 0; t < 4; t++)
                for (int r = 0; r < MR; r++) {
                    int a = TAP[pa][t >> 1], b = TAP[pb][t & 1];
                    ap[(sl * kc + cl * 4 + t) * MR + r] =
                        w[(((c0 + cl) * Cout + sl * MR + r) * 4 + a) * 4 + b];
                }
}

/* The block's inputs with a zero border, Xp[n][cl][u + 1][1 + v] (rows -1
 * and Hi and columns -1 and Wi zero, RSP floats a row): the tiles read
 * their rows in place, since row k = (cl * 2 + ta) * 2 + tb of strip s is
 * in[ci][u + SHIFT[pa][ta]][v + SHIFT[pb][tb]] for the strip's 32 pixels
 * (u, v), 16 consecutive floats of one or two padded rows.  That writes
 * each input once, where packing wrote it 16 times (2 taps x 2 taps x 2
 * row parities x 2 column parities). */
#define RSP(Wi) ((Wi) + 16) /* column -1, Wi values, column Wi, and room */

AVX512 static void pad_inputs(const float *x, int64_t c, int64_t Cin, int64_t c0, int64_t cb,
                              int64_t Hi, int64_t Wi, float *Xp) {
    int64_t P = Hi * Wi, rsp = RSP(Wi);
    for (int64_t n = 0; n < c; n++)
        for (int64_t cl = 0; cl < cb; cl++) {
            const float *xc = x + (n * Cin + c0 + cl) * P;
            float *dc = Xp + (n * cb + cl) * (Hi + 2) * rsp;
            for (int64_t k = 0; k < rsp; k += 16) { /* rows -1 and Hi */
                _mm512_storeu_ps(dc + k, _mm512_setzero_ps());
                _mm512_storeu_ps(dc + (Hi + 1) * rsp + k, _mm512_setzero_ps());
            }
            for (int64_t u = 0; u < Hi; u++) {
                float *d = dc + (u + 1) * rsp;
                d[0] = 0.0f;
                for (int64_t v = 0; v < Wi; v += 16)
                    _mm512_storeu_ps(d + 1 + v, _mm512_loadu_ps(xc + u * Wi + v));
                d[Wi + 1] = 0.0f;
            }
        }
}

/* Pointers to the rows of strip s for parities (pa, pb): lo[k] and hi[k]. */
static void strip_rows(const float *Xp, int64_t cb, int64_t Hi, int64_t Wi, int pa, int pb,
                       int64_t s, const float **lo, const float **hi) {
    int64_t rsp = RSP(Wi), SP = Hi * Wi / NR, n = s / SP, u0 = s % SP * NR / Wi;
    for (int64_t cl = 0; cl < cb; cl++)
        for (int t = 0; t < 4; t++) {
            int64_t k = cl * 4 + t, pu = u0 + SHIFT[pa][t >> 1] + 1;
            const float *row = Xp + ((n * cb + cl) * (Hi + 2) + pu) * rsp + 1 + SHIFT[pb][t & 1];
            lo[k] = row;
            hi[k] = Wi == NR ? row + 16 : row + rsp; /* Wi 16: the next input row */
        }
}

/* Rows 2u + pa of the strip's outputs: out[co][2u + pa][2v + pb] from the
 * pb = 0 tile e and the pb = 1 tile o (8 x 32 each), = (+ bias) or +=;
 * mode 0: +=, 1: = (+ bias), 2: the same with non-temporal stores. */
AVX512 static void store_interleaved(const float *e, const float *o, float *out, int64_t P,
                                     int64_t s, int64_t Wi, int64_t Cout, int64_t co0, int pa,
                                     int first, const float *bias) {
    int64_t SP = P / NR, n = s / SP, p0 = s % SP * NR, Wo = 2 * Wi;
    /* lanes 0..7 (lo) or 8..15 (hi) of e and o, alternating */
    const __m512i lo = _mm512_set_epi32(23, 7, 22, 6, 21, 5, 20, 4, 19, 3, 18, 2, 17, 1, 16, 0);
    const __m512i hi =
        _mm512_set_epi32(31, 15, 30, 14, 29, 13, 28, 12, 27, 11, 26, 10, 25, 9, 24, 8);
    for (int r = 0; r < MR; r++) {
        int64_t co = co0 + r;
        float *plane = out + (n * Cout + co) * 4 * P;
        for (int h = 0; h < 2; h++) { /* 16 pixels: one row segment */
            int64_t p = p0 + 16 * h, u = p / Wi, v = p % Wi;
            __m512 ev = _mm512_loadu_ps(e + r * NR + 16 * h);
            __m512 ov = _mm512_loadu_ps(o + r * NR + 16 * h);
            float *d = plane + (2 * u + pa) * Wo + 2 * v;
            __m512 a = _mm512_permutex2var_ps(ev, lo, ov), b = _mm512_permutex2var_ps(ev, hi, ov);
            if (first) {
                __m512 bv = _mm512_set1_ps(bias ? bias[co] : 0.0f);
                a = _mm512_add_ps(a, bv), b = _mm512_add_ps(b, bv);
            } else {
                a = _mm512_add_ps(a, _mm512_loadu_ps(d));
                b = _mm512_add_ps(b, _mm512_loadu_ps(d + 16));
            }
            if (first == 2) { /* 64-byte aligned: checked by the caller */
                _mm512_stream_ps(d, a);
                _mm512_stream_ps(d + 16, b);
            } else {
                _mm512_storeu_ps(d, a);
                _mm512_storeu_ps(d + 16, b);
            }
        }
    }
}

/* The lines store_interleaved will write for strip s, asked for ahead: the
 * outputs are 4x the inputs, usually in no cache, and each store would
 * otherwise wait for its line to be read in. */
static void prefetch_outputs(const float *out, int64_t P, int64_t s, int64_t Wi, int64_t Cout,
                             int pa) {
    int64_t SP = P / NR, n = s / SP, p0 = s % SP * NR, Wo = 2 * Wi;
    for (int64_t co = 0; co < Cout; co++) {
        const float *plane = out + (n * Cout + co) * 4 * P;
        for (int h = 0; h < 2; h++) {
            int64_t p = p0 + 16 * h, u = p / Wi, v = p % Wi;
            const float *d = plane + (2 * u + pa) * Wo + 2 * v;
            prefetch_line_l1(d);
            prefetch_line_l1(d + 16);
        }
    }
}

void cgan__convt_k4s2p1_pack(const float *w, int64_t Cin, int64_t Cout, float *packed) {
    for (int64_t c0 = 0; c0 < Cin; c0 += CH_BLOCK) {
        int64_t cb = Cin - c0 < CH_BLOCK ? Cin - c0 : CH_BLOCK, kc = cb * 4;
        for (int k = 0; k < 4; k++) /* (pa, pb) = (k / 2, k % 2) */
            pack_weights(w, Cout, c0, cb, k / 2, k % 2, packed + Cout * c0 * 16 + k * Cout * kc);
    }
}

int cgan__convt_k4s2p1_fits(int64_t Hi, int64_t Wi, int64_t Cout) {
    return (Wi == 16 || Wi == 32) && Hi * Wi % NR == 0 && Cout % MR == 0 &&
           __builtin_cpu_supports("avx512f");
}

int cgan__convt_k4s2p1(const float *x, int64_t c, int64_t Cin, int64_t Hi, int64_t Wi,
                       const float *w, int64_t Cout, const float *bias, float *y, float *scratch,
                       size_t scratch_floats, const cgan__chunk_hints *hints) {
    int64_t P = Hi * Wi;
    if (!cgan__convt_k4s2p1_fits(Hi, Wi, Cout)) return 0;
    int64_t cp = c * P, kcmax = (Cin < CH_BLOCK ? Cin : CH_BLOCK) * 4;
    size_t xp_floats = (size_t)(c * (kcmax / 4) * (Hi + 2) * RSP(Wi));
    if ((size_t)(2 * Cout * kcmax + 2 * MR * NR) + xp_floats > scratch_floats) return 0;
    float *te = scratch + 2 * Cout * kcmax, *to = te + MR * NR, *Xp = to + MR * NR;
    const float *packed = hints ? hints->packed_w : NULL;
    const float *ae = scratch, *ao = scratch + Cout * kcmax;
    /* an output written once (one channel block) and too large to be read
     * from the caches goes past them: rows of 2 Wi >= 32 floats and planes
     * of 4 P floats keep every 16-float store on a line when y is */
    int stream = hints && hints->stream_out && Cin <= CH_BLOCK && (uintptr_t)y % 64 == 0;
    const float *le[CH_BLOCK * 4], *he[CH_BLOCK * 4], *lo[CH_BLOCK * 4], *ho[CH_BLOCK * 4];
    for (int64_t c0 = 0; c0 < Cin; c0 += CH_BLOCK) {
        int64_t cb = Cin - c0 < CH_BLOCK ? Cin - c0 : CH_BLOCK, kc = cb * 4;
        pad_inputs(x, c, Cin, c0, cb, Hi, Wi, Xp);
        for (int pa = 0; pa < 2; pa++) {
            if (packed) { /* per block of Cout * kc * 4, the parities' arrays in order */
                ae = packed + Cout * c0 * 16 + (2 * pa) * Cout * kc;
                ao = ae + Cout * kc;
            } else {
                pack_weights(w, Cout, c0, cb, pa, 0, scratch);
                pack_weights(w, Cout, c0, cb, pa, 1, scratch + Cout * kcmax);
            }
            /* during the block's second pass: the next block's input, or
             * after the last one the next chunk's first block */
            int64_t nc = c0 + CH_BLOCK, ns = cp / NR;
            const float *pf = pa == 0 ? NULL : nc < Cin ? x + nc * P : hints && hints->next_c ? hints->next_x : NULL;
            int64_t pf_n = nc < Cin ? c : hints ? hints->next_c : 0, pf_c = nc < Cin ? Cin - nc : Cin;
            int64_t pf_len = (pf_c < CH_BLOCK ? pf_c : CH_BLOCK) * P;
            if (c0 == 0 && !stream) prefetch_outputs(y, P, 0, Wi, Cout, pa);
            for (int64_t s = 0; s < ns; s++) {
                if (pf) prefetch_piece(pf, pf_n, Cin * P, pf_len, s, ns);
                if (c0 == 0 && !stream && s + 1 < ns) prefetch_outputs(y, P, s + 1, Wi, Cout, pa);
                strip_rows(Xp, cb, Hi, Wi, pa, 0, s, le, he);
                strip_rows(Xp, cb, Hi, Wi, pa, 1, s, lo, ho);
                for (int64_t sl = 0; sl < Cout / MR; sl++) {
                    tile_8x32_rows(ae + sl * kc * MR, le, he, kc, te, NR, 1, NULL);
                    tile_8x32_rows(ao + sl * kc * MR, lo, ho, kc, to, NR, 1, NULL);
                    store_interleaved(te, to, y, P, s, Wi, Cout, sl * MR, pa,
                                      c0 > 0 ? 0 : stream ? 2 : 1, bias);
                }
            }
        }
    }
    if (stream) _mm_sfence(); /* the stores are visible before the pool's barrier */
    return 1;
}
#else
void cgan__convt_k4s2p1_pack(const float *w, int64_t Cin, int64_t Cout, float *packed) {
    (void)w, (void)Cin, (void)Cout, (void)packed;
}

int cgan__convt_k4s2p1_fits(int64_t Hi, int64_t Wi, int64_t Cout) {
    (void)Hi, (void)Wi, (void)Cout;
    return 0;
}

int cgan__convt_k4s2p1(const float *x, int64_t c, int64_t Cin, int64_t Hi, int64_t Wi,
                       const float *w, int64_t Cout, const float *bias, float *y, float *scratch,
                       size_t scratch_floats, const cgan__chunk_hints *hints) {
    (void)hints, (void)x, (void)c, (void)Cin, (void)Hi, (void)Wi, (void)w, (void)Cout, (void)bias, (void)y;
    (void)scratch, (void)scratch_floats;
    return 0;
}
#endif
