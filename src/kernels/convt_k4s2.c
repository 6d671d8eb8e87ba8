/* Transposed 4x4, stride-2, padding-1 convolution as an implicit GEMM with
 * AVX-512: out [Cout, 2Hi, 2Wi] from in [Cin, Hi, Wi] and w [Cin, Cout, 4, 4].
 * It is the generator's up1-up4 forward and, with w the convolution's own
 * [Co, Ci, 4, 4] weights, the input gradient of the critic's conv2-conv5
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
 * Inputs 8 or 4 wide (up2's and up1's forward, conv4's and conv5's input
 * gradients) take three column-shifted copies of each plane instead, whose
 * rows follow each other without a border, so that 16 outputs' operands
 * are again 16 consecutive floats (two or four input rows).  At width 4 an
 * output row is half a vector, so all four parity classes are computed
 * together and two output rows stored as one vector (convt_quad).  Output
 * channels are taken in slivers of 8, the last one padded with zero
 * weights (conv5's input gradient has 257).
 * Used where the shapes fit (AVX-512, Wi 16 or 32 with 32 | Hi*Wi, or Wi 4
 * or 8 with 16 | Hi*Wi and 32 | c*Hi*Wi; Cout at least 8); returns 0
 * otherwise and the caller takes GEMM + col2im. */
#include "avx512.h"
#include "kernels.h"

#include <stdint.h>

#ifdef CGAN__AVX512_KERNELS
#include "tile_8x32.h"

#define CH_BLOCK 64 /* input channels per block: K rows 64 * 4 */

static const int TAP[2][2] = {{1, 3}, {0, 2}};   /* [parity][t] kernel index */
static const int SHIFT[2][2] = {{0, -1}, {1, 0}}; /* [parity][t] input offset */

/* Output channels in whole slivers of 8: Cout rounded up (a convolution's
 * input gradient has the critic's 257 channels at conv5); the channels of
 * sliver sl that exist. */
static int64_t padded(int64_t Cout) { return (Cout + MR - 1) / MR * MR; }
static int sliver_rows(int64_t Cout, int64_t sl) { return Cout - sl * MR < MR ? (int)(Cout - sl * MR) : MR; }

/* ap[(sliver * kc + k) * 8 + r], k = (local channel * 2 + ta) * 2 + tb, holds
 * w[ci][sliver * 8 + r][TAP[pa][ta]][TAP[pb][tb]], 0 past Cout. */
static void pack_weights(const float *w, int64_t Cout, int64_t c0, int64_t cb, int pa, int pb,
                         float *ap) {
    int64_t kc = cb * 4;
    for (int64_t sl = 0; sl < padded(Cout) / MR; sl++)
        for (int64_t cl = 0; cl < cb; cl++)
            for (int t = 0; t < 4; t++)
                for (int r = 0; r < MR; r++) {
                    int a = TAP[pa][t >> 1], b = TAP[pb][t & 1];
                    int64_t co = sl * MR + r;
                    ap[(sl * kc + cl * 4 + t) * MR + r] =
                        co < Cout ? w[(((c0 + cl) * Cout + co) * 4 + a) * 4 + b] : 0.0f;
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

/* How far strip s's rows lie from strip 0's in Xp (the same for every row
 * k and both halves): strip_rows(s) = strip_rows(0) + strip_shift(s). */
static int64_t strip_shift(int64_t cb, int64_t Hi, int64_t Wi, int64_t s) {
    int64_t SP = Hi * Wi / NR, n = s / SP, u0 = s % SP * NR / Wi;
    return (n * cb * (Hi + 2) + u0) * RSP(Wi);
}

/* Inputs 4 or 8 wide: Xs[n][cl][sv + 1][u + 1][v] = in[ci][u][v + sv] for the
 * column shifts sv = -1, 0, 1 (0 outside the plane; rows -1 and Hi zero),
 * each copy (Hi + 2) * Wi floats with no border between rows, so that the
 * rows of a shifted class follow each other. */
static void shift_inputs(const float *x, int64_t c, int64_t Cin, int64_t c0, int64_t cb,
                         int64_t Hi, int64_t Wi, float *Xs) {
    int64_t P = Hi * Wi, plane = (Hi + 2) * Wi;
    for (int64_t n = 0; n < c; n++)
        for (int64_t cl = 0; cl < cb; cl++) {
            const float *xc = x + (n * Cin + c0 + cl) * P;
            for (int sv = -1; sv <= 1; sv++) {
                float *d = Xs + ((n * cb + cl) * 3 + sv + 1) * plane;
                for (int64_t v = 0; v < Wi; v++) d[v] = d[(Hi + 1) * Wi + v] = 0.0f;
                for (int64_t u = 0; u < Hi; u++)
                    for (int64_t v = 0; v < Wi; v++) {
                        int64_t vs = v + sv;
                        d[(u + 1) * Wi + v] = vs >= 0 && vs < Wi ? xc[u * Wi + vs] : 0.0f;
                    }
            }
        }
}

/* Pointers to the rows of strip s for parities (pa, pb) in Xs: half h of
 * the strip (16 pixels from chunk pixel 32 s + 16 h: whole rows of one
 * image) reads 16 consecutive floats of a shifted copy. */
static void strip_rows_narrow(const float *Xs, int64_t cb, int64_t Hi, int64_t Wi, int pa,
                              int pb, int64_t s, const float **lo, const float **hi) {
    int64_t P = Hi * Wi, plane = (Hi + 2) * Wi;
    for (int h = 0; h < 2; h++) {
        int64_t g = s * NR + 16 * h, n = g / P, u0 = g % P / Wi;
        const float **rows = h ? hi : lo;
        for (int64_t cl = 0; cl < cb; cl++)
            for (int t = 0; t < 4; t++) {
                int su = SHIFT[pa][t >> 1], sv = SHIFT[pb][t & 1];
                rows[cl * 4 + t] = Xs + ((n * cb + cl) * 3 + sv + 1) * plane + (u0 + su + 1) * Wi;
            }
    }
}

/* The same for half h of strip s in Xs, from the position of its first
 * pixel (image n, row u0): strip_rows_narrow(s) = strip_rows_narrow(0) +
 * half_shift(s, h) - half_shift(0, h).  (A half strip of 8x2 planes is a
 * whole image, so the halves may move apart.) */
static int64_t half_shift(int64_t cb, int64_t Hi, int64_t Wi, int64_t s, int h) {
    int64_t P = Hi * Wi, g = s * NR + 16 * h, n = g / P, u0 = g % P / Wi;
    return n * cb * 3 * (Hi + 2) * Wi + u0 * Wi;
}

/* The shifts of strip s's two halves from strip 0's rows (tile_8x32_rows'
 * dlo and dhi), in either layout. */
static void strip_shifts(int narrow, int64_t cb, int64_t Hi, int64_t Wi, int64_t s, int64_t *dlo,
                         int64_t *dhi) {
    if (!narrow) {
        *dlo = *dhi = strip_shift(cb, Hi, Wi, s);
        return;
    }
    *dlo = half_shift(cb, Hi, Wi, s, 0) - half_shift(cb, Hi, Wi, 0, 0);
    *dhi = half_shift(cb, Hi, Wi, s, 1) - half_shift(cb, Hi, Wi, 0, 1);
}

/* Where strip s's outputs of row parity pa go, from the start of channel
 * 0's plane of image 0: the 16 outputs of its pixels 8q .. 8q + 7 (q =
 * 0..3) are one row segment at at[q]. */
typedef struct strip_dest {
    int64_t at[4];
} strip_dest;

static int64_t dest_of(int64_t g, int64_t P, int64_t Wi, int64_t Cout, int pa) {
    int64_t n = g / P, p = g % P, u = p / Wi, v = p % Wi;
    return n * Cout * 4 * P + (2 * u + pa) * 2 * Wi + 2 * v;
}

static strip_dest strip_dest_of(int64_t s, int64_t P, int64_t Wi, int64_t Cout, int pa) {
    strip_dest d;
    for (int q = 0; q < 4; q++) d.at[q] = dest_of(s * NR + 8 * q, P, Wi, Cout, pa);
    return d;
}

/* Rows 2u + pa of the strip's outputs: out[co][2u + pa][2v + pb] from the
 * pb = 0 tile e and the pb = 1 tile o (8 x 32 each), = (+ bias) or +=;
 * mode 0: +=, 1: = (+ bias), 2: the same with non-temporal stores. */
AVX512 static void store_interleaved(const float *e, const float *o, float *out,
                                     const strip_dest *sd, int64_t P, int64_t co0, int rows,
                                     int first, const float *bias) {
    const __m512i lo = interleave_lo(), hi = interleave_hi(); /* e and o alternating */
    for (int r = 0; r < rows; r++) {
        int64_t co = co0 + r;
        float *plane = out + co * 4 * P;
        __m512 bv = _mm512_set1_ps(bias ? bias[co] : 0.0f);
        for (int q = 0; q < 4; q++) { /* pixels 8q .. 8q + 7: half q / 2 of e and o */
            __m512 ev = _mm512_loadu_ps(e + r * NR + 16 * (q >> 1));
            __m512 ov = _mm512_loadu_ps(o + r * NR + 16 * (q >> 1));
            __m512 v = _mm512_permutex2var_ps(ev, q & 1 ? hi : lo, ov);
            float *d = plane + sd->at[q];
            v = _mm512_add_ps(v, first ? bv : _mm512_loadu_ps(d));
            if (first == 2) _mm512_stream_ps(d, v); /* 64-byte aligned: checked by the caller */
            else _mm512_storeu_ps(d, v);
        }
    }
}

/* The lines store_interleaved will write for a strip, asked for ahead: the
 * outputs are 4x the inputs, usually in no cache, and each store would
 * otherwise wait for its line to be read in. */
static void prefetch_outputs(const float *out, const strip_dest *sd, int64_t P, int64_t Cout) {
    for (int64_t co = 0; co < Cout; co++) {
        const float *plane = out + co * 4 * P;
        for (int q = 0; q < 4; q++) prefetch_line_l1(plane + sd->at[q]);
    }
}

/* Inputs 4 wide (up1's forward, conv5's input gradient): a half strip is
 * a whole 4x4 plane or four rows of one, and an output row only half a
 * vector, so all four parity classes are computed for a strip and put
 * together: input row u's outputs, rows 2u and 2u + 1, are 16
 * consecutive floats.  t holds the tiles of the classes k = 2 pa + pb
 * ([k][8][32]); at[h]: where half h's first output row lies (from the
 * start of channel 0's plane of image 0). */
AVX512 static void store_quad(const float *t, float *out, const int64_t at[2], int64_t P,
                              int64_t co0, int rows, int first, const float *bias) {
    /* two tiles alternating: pixels of two input rows, columns interleaved */
    const __m512i lo = interleave_lo(), hi = interleave_hi();
    for (int r = 0; r < rows; r++) {
        int64_t co = co0 + r;
        __m512 bv = _mm512_set1_ps(bias ? bias[co] : 0.0f);
        for (int h = 0; h < 2; h++) {
            const float *th = t + r * NR + 16 * h;
            __m512 t00 = _mm512_loadu_ps(th), t01 = _mm512_loadu_ps(th + MR * NR);
            __m512 t10 = _mm512_loadu_ps(th + 2 * MR * NR), t11 = _mm512_loadu_ps(th + 3 * MR * NR);
            /* [row 0 | row 1] of pa = 0 and of pa = 1, then rows 2 and 3 */
            __m512 a0 = _mm512_permutex2var_ps(t00, lo, t01), a1 = _mm512_permutex2var_ps(t10, lo, t11);
            __m512 b0 = _mm512_permutex2var_ps(t00, hi, t01), b1 = _mm512_permutex2var_ps(t10, hi, t11);
            __m512 v[4] = {_mm512_shuffle_f32x4(a0, a1, 0x44), _mm512_shuffle_f32x4(a0, a1, 0xEE),
                           _mm512_shuffle_f32x4(b0, b1, 0x44), _mm512_shuffle_f32x4(b0, b1, 0xEE)};
            float *d = out + co * 4 * P + at[h];
            for (int u = 0; u < 4; u++, d += 16) {
                __m512 o = _mm512_add_ps(v[u], first ? bv : _mm512_loadu_ps(d));
                if (first == 2) _mm512_stream_ps(d, o); /* 64-byte aligned: checked by the caller */
                else _mm512_storeu_ps(d, o);
            }
        }
    }
}

/* at[h] of strip s (store_quad) */
static void quad_dest(int64_t s, int64_t P, int64_t Cout, int64_t at[2]) {
    for (int h = 0; h < 2; h++) {
        int64_t g = s * NR + 16 * h, n = g / P, u0 = g % P / 4;
        at[h] = n * Cout * 4 * P + 2 * u0 * 8;
    }
}

static void prefetch_quad(const float *out, const int64_t at[2], int64_t P, int64_t Cout) {
    for (int64_t co = 0; co < Cout; co++)
        for (int h = 0; h < 2; h++)
            for (int u = 0; u < 4; u++) prefetch_line_l1(out + co * 4 * P + at[h] + 16 * u);
}

/* All four classes' pack_weights in one pass over w: per input channel
 * and sliver, its 8 x 16 weights (512 contiguous bytes) transposed in
 * registers, each tap's 8 values to its class's array (per block of
 * Cp * kc * 4 floats, in class order).  (The scalar loops took 3 ms for
 * up1's 8 MiB of weights, a tenth of the layer.) */
AVX512 static void pack_all(const float *w, int64_t Cout, int64_t c0, int64_t cb, float *packed) {
    int64_t Cp = padded(Cout), kc = cb * 4;
    for (int64_t sl = 0; sl < Cp / MR; sl++)
        for (int64_t cl = 0; cl < cb; cl++) {
            __m512 pair[8];
            transpose_8x16(w + ((c0 + cl) * Cout + sl * MR) * 16, 16,
                           sliver_rows(Cout, sl), pair);
            for (int k = 0; k < 4; k++) { /* (pa, pb) = (k / 2, k % 2) */
                float *d = packed + Cp * c0 * 16 + k * Cp * kc + (sl * kc + cl * 4) * MR;
                for (int t = 0; t < 4; t++) {
                    int tap = TAP[k / 2][t >> 1] * 4 + TAP[k % 2][t & 1];
                    __m512d v = _mm512_castps_pd(pair[tap / 2]);
                    _mm256_storeu_pd((double *)(d + t * MR), tap % 2 ? _mm512_extractf64x4_pd(v, 1)
                                                                     : _mm512_castpd512_pd256(v));
                }
            }
        }
}

void cgan__convt_k4s2p1_pack(const float *w, int64_t Cin, int64_t Cout, float *packed,
                             int64_t part, int64_t parts) {
    int64_t nb = (Cin + CH_BLOCK - 1) / CH_BLOCK, b0 = nb * part / parts, b1 = nb * (part + 1) / parts;
    for (int64_t c0 = b0 * CH_BLOCK; c0 < b1 * CH_BLOCK && c0 < Cin; c0 += CH_BLOCK)
        pack_all(w, Cout, c0, Cin - c0 < CH_BLOCK ? Cin - c0 : CH_BLOCK, packed);
}

size_t cgan__convt_k4s2p1_packed_floats(int64_t Cin, int64_t Cout) {
    return (size_t)(Cin * padded(Cout) * 16);
}

int cgan__convt_k4s2p1_fits(int64_t Hi, int64_t Wi, int64_t Cout) {
    int wide = (Wi == 16 || Wi == 32) && Hi * Wi % NR == 0;
    int narrow = (Wi == 4 || Wi == 8) && Hi * Wi % 16 == 0;
    return (wide || narrow) && Cout >= MR && __builtin_cpu_supports("avx512f");
}

/* What to prefetch while block c0 computes: the next block's inputs, or
 * after the last block the next chunk's first (hints). */
typedef struct next_inputs {
    const float *x;
    int64_t n, len;
} next_inputs;

static next_inputs inputs_after(const float *x, int64_t c, int64_t Cin, int64_t P, int64_t c0,
                                const cgan__chunk_hints *hints) {
    int64_t nc = c0 + CH_BLOCK;
    next_inputs ni = {NULL, 0, 0};
    if (nc < Cin) ni.x = x + nc * P, ni.n = c;
    else if (hints && hints->next_c) ni.x = hints->next_x, ni.n = hints->next_c, nc = 0;
    else return ni;
    ni.len = (Cin - nc < CH_BLOCK ? Cin - nc : CH_BLOCK) * P;
    return ni;
}

/* The kernel for Wi 4: per block and strip, the four classes' tiles of
 * every sliver, then store_quad. */
AVX512 static void convt_quad(const float *x, int64_t c, int64_t Cin, int64_t Hi, const float *w,
                              int64_t Cout, const float *bias, float *y, float *scratch,
                              const float *packed, int stream, const cgan__chunk_hints *hints) {
    int64_t Wi = 4, P = Hi * Wi, ns = c * P / NR, Cp = padded(Cout);
    int64_t kcmax = (Cin < CH_BLOCK ? Cin : CH_BLOCK) * 4;
    float *t = scratch + 4 * Cp * kcmax, *Xs = t + 4 * MR * NR;
    const float *lo[4][CH_BLOCK * 4], *hi[4][CH_BLOCK * 4], *a[4];
    for (int64_t c0 = 0; c0 < Cin; c0 += CH_BLOCK) {
        int64_t cb = Cin - c0 < CH_BLOCK ? Cin - c0 : CH_BLOCK, kc = cb * 4;
        shift_inputs(x, c, Cin, c0, cb, Hi, Wi, Xs);
        for (int k = 0; k < 4; k++) { /* class (pa, pb) = (k / 2, k % 2) */
            if (packed) {
                a[k] = packed + Cp * c0 * 16 + k * Cp * kc;
            } else {
                pack_weights(w, Cout, c0, cb, k / 2, k % 2, scratch + k * Cp * kcmax);
                a[k] = scratch + k * Cp * kcmax;
            }
            strip_rows_narrow(Xs, cb, Hi, Wi, k / 2, k % 2, 0, lo[k], hi[k]);
        }
        next_inputs pf = inputs_after(x, c, Cin, P, c0, hints);
        int prefetch = c0 == 0 && !stream;
        int64_t at[2], next[2] = {0, 0};
        quad_dest(0, P, Cout, at);
        if (prefetch) prefetch_quad(y, at, P, Cout);
        for (int64_t s = 0; s < ns; s++) {
            if (pf.x) prefetch_piece(pf.x, pf.n, Cin * P, pf.len, s, ns);
            if (s + 1 < ns) quad_dest(s + 1, P, Cout, next);
            if (prefetch && s + 1 < ns) prefetch_quad(y, next, P, Cout);
            int64_t dlo, dhi; /* the rows of strip 0, shifted */
            strip_shifts(1, cb, Hi, Wi, s, &dlo, &dhi);
            for (int64_t sl = 0; sl < Cp / MR; sl++) {
                for (int k = 0; k < 4; k++)
                    tile_8x32_rows(a[k] + sl * kc * MR, lo[k], hi[k], dlo, dhi, kc,
                                   t + k * MR * NR, NR, 1, NULL);
                store_quad(t, y, at, P, sl * MR, sliver_rows(Cout, sl),
                           c0 > 0 ? 0 : stream ? 2 : 1, bias);
            }
            at[0] = next[0], at[1] = next[1];
        }
    }
}

int cgan__convt_k4s2p1(const float *x, int64_t c, int64_t Cin, int64_t Hi, int64_t Wi,
                       const float *w, int64_t Cout, const float *bias, float *y, float *scratch,
                       size_t scratch_floats, const cgan__chunk_hints *hints) {
    int64_t P = Hi * Wi, cp = c * P, Cp = padded(Cout);
    if (!cgan__convt_k4s2p1_fits(Hi, Wi, Cout) || cp % NR != 0) return 0;
    int narrow = Wi < 16, quad = Wi == 4, classes = quad ? 4 : 2;
    int64_t kcmax = (Cin < CH_BLOCK ? Cin : CH_BLOCK) * 4;
    size_t xp_floats = (size_t)(c * (kcmax / 4) * (Hi + 2) * (narrow ? 3 * Wi : RSP(Wi)));
    if ((size_t)(classes * (Cp * kcmax + MR * NR)) + xp_floats > scratch_floats) return 0;
    const float *packed = hints ? hints->packed_w : NULL;
    /* an output written once (one channel block) and too large to be read
     * from the caches goes past them: rows of 2 Wi >= 16 floats (or at Wi
     * 4 pairs of rows) and planes of 4 P floats keep every 16-float store
     * on a line when y is */
    int stream = hints && hints->stream_out && Cin <= CH_BLOCK && (uintptr_t)y % 64 == 0;
    if (quad) {
        convt_quad(x, c, Cin, Hi, w, Cout, bias, y, scratch, packed, stream, hints);
        if (stream) _mm_sfence();
        return 1;
    }
    float *te = scratch + 2 * Cp * kcmax, *to = te + MR * NR, *Xp = to + MR * NR;
    const float *ae = scratch, *ao = scratch + Cp * kcmax;
    const float *le[CH_BLOCK * 4], *he[CH_BLOCK * 4], *lo[CH_BLOCK * 4], *ho[CH_BLOCK * 4];
    for (int64_t c0 = 0; c0 < Cin; c0 += CH_BLOCK) {
        int64_t cb = Cin - c0 < CH_BLOCK ? Cin - c0 : CH_BLOCK, kc = cb * 4;
        if (narrow) shift_inputs(x, c, Cin, c0, cb, Hi, Wi, Xp);
        else pad_inputs(x, c, Cin, c0, cb, Hi, Wi, Xp);
        for (int pa = 0; pa < 2; pa++) {
            if (packed) { /* per block of Cp * kc * 4, the parities' arrays in order */
                ae = packed + Cp * c0 * 16 + (2 * pa) * Cp * kc;
                ao = ae + Cp * kc;
            } else {
                pack_weights(w, Cout, c0, cb, pa, 0, scratch);
                pack_weights(w, Cout, c0, cb, pa, 1, scratch + Cp * kcmax);
            }
            /* during the block's second pass: the next block's input, or
             * after the last one the next chunk's first block */
            int64_t ns = cp / NR;
            next_inputs pf = pa == 0 ? (next_inputs){NULL, 0, 0}
                                     : inputs_after(x, c, Cin, P, c0, hints);
            int prefetch = c0 == 0 && !stream;
            strip_dest sd = strip_dest_of(0, P, Wi, Cout, pa), next;
            if (narrow) {
                strip_rows_narrow(Xp, cb, Hi, Wi, pa, 0, 0, le, he);
                strip_rows_narrow(Xp, cb, Hi, Wi, pa, 1, 0, lo, ho);
            } else {
                strip_rows(Xp, cb, Hi, Wi, pa, 0, 0, le, he);
                strip_rows(Xp, cb, Hi, Wi, pa, 1, 0, lo, ho);
            }
            if (prefetch) prefetch_outputs(y, &sd, P, Cout);
            for (int64_t s = 0; s < ns; s++) {
                if (pf.x) prefetch_piece(pf.x, pf.n, Cin * P, pf.len, s, ns);
                if (s + 1 < ns) next = strip_dest_of(s + 1, P, Wi, Cout, pa);
                if (prefetch && s + 1 < ns) prefetch_outputs(y, &next, P, Cout);
                int64_t dlo, dhi; /* the rows of strip 0, shifted */
                strip_shifts(narrow, cb, Hi, Wi, s, &dlo, &dhi);
                for (int64_t sl = 0; sl < Cp / MR; sl++) {
                    tile_8x32_rows(ae + sl * kc * MR, le, he, dlo, dhi, kc, te, NR, 1, NULL);
                    tile_8x32_rows(ao + sl * kc * MR, lo, ho, dlo, dhi, kc, to, NR, 1, NULL);
                    store_interleaved(te, to, y, &sd, P, sl * MR, sliver_rows(Cout, sl),
                                      c0 > 0 ? 0 : stream ? 2 : 1, bias);
                }
                sd = next;
            }
        }
    }
    if (stream) _mm_sfence(); /* the stores are visible before the pool's barrier */
    return 1;
}
#else
void cgan__convt_k4s2p1_pack(const float *w, int64_t Cin, int64_t Cout, float *packed,
                             int64_t part, int64_t parts) {
    (void)w, (void)Cin, (void)Cout, (void)packed, (void)part, (void)parts;
}

size_t cgan__convt_k4s2p1_packed_floats(int64_t Cin, int64_t Cout) {
    return (size_t)(Cin * ((Cout + 7) / 8 * 8) * 16);
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
