/* The 4x4, stride-2, padding-1 convolution of one-channel images (the
 * critic's first layer on greyscale micrographs) with its LeakyReLU, with
 * AVX-512: the forward and the weight and bias gradients.  The same
 * kernels serve a transposed convolution with one output channel (the
 * generator's last layer), whose gradients are such convolutions of its
 * one-channel output gradient.
 *
 * With one input channel the inner dimension is only the 16 taps, so the
 * general kernels (a 32-column register tile) and im2col + GEMM waste half
 * their work or their memory traffic, and the layer is bound by memory.
 * These kernels read and write each tensor once, a whole channel plane at a
 * time (a few long streams, which the hardware prefetcher follows, where a
 * row of every channel at a time would be hundreds of short ones):
 *  - forward: per image, the 16 tap planes (im2col of one channel, 16 x
 *    the output plane) from input rows split into even and odd columns;
 *    then 8 output channels x 32 pixels accumulate in registers, get bias
 *    and LeakyReLU, and are stored once (streamed past the caches when the
 *    layer's output is larger than they are);
 *  - gradient: per image, each pixel's 16 taps as one vector; per 16
 *    channels, g = dY * LeakyReLU'(y) over their contiguous planes (y > 0
 *    exactly where the convolution's result is, slope >= 0), then their dW
 *    rows accumulate in registers, one broadcast of g per FMA.  Sums are
 *    per image in float, then over images in double.
 * Used where the shapes fit (AVX-512, output width at most 256 and a
 * multiple of 32 for the forward, 16 for the gradient, Co a multiple of
 * 16); they return 0 otherwise and the caller takes the general path. */
#include "avx512.h"
#include "kernels.h"

#include <string.h>

/* the gradient's scratch: taps [P, 16], g [16, P], padded rows [4, W + 2],
 * per-image sums acc [Co, 16] and gsum [Co, 16], then the sums over images
 * in double [Co * 17] on a cache line */
size_t cgan__conv1_k4s2p1_dw_scratch(int64_t H, int64_t W, int64_t Co) {
    return (size_t)(32 * (H / 2) * (W / 2) + 4 * (W + 2) + 2 * Co * 16 + 2 * Co * 17 + 16);
}

#ifdef CGAN__AVX512_KERNELS

#define MAX_WO 256

/* Input row r of one image split into columns: even[j] = x[r][2j] with
 * even[Wo] = 0, odd[j + 1] = x[r][2j + 1] with odd[0] = 0 (the padding),
 * so that tap b of output pixel j (input column 2j - 1 + b) is
 * odd[j], even[j], odd[j + 1], even[j + 1] for b = 0..3.  Rows outside the
 * image are zeros. */
typedef struct split_row {
    float even[MAX_WO + 16], odd[MAX_WO + 16];
} split_row;

AVX512 static void split_input_row(const float *x, int64_t H, int64_t r, int64_t Wo,
                                   split_row *s) {
    if (r < 0 || r >= H) {
        memset(s->even, 0, (size_t)(Wo + 1) * sizeof(float));
        memset(s->odd, 0, (size_t)(Wo + 1) * sizeof(float));
        return;
    }
    const float *row = x + r * 2 * Wo;
    const __m512i ev = _mm512_set_epi32(30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0);
    const __m512i od = _mm512_set_epi32(31, 29, 27, 25, 23, 21, 19, 17, 15, 13, 11, 9, 7, 5, 3, 1);
    for (int64_t j = 0; j < Wo; j += 16) {
        __m512 lo = _mm512_loadu_ps(row + 2 * j), hi = _mm512_loadu_ps(row + 2 * j + 16);
        _mm512_storeu_ps(s->even + j, _mm512_permutex2var_ps(lo, ev, hi));
        _mm512_storeu_ps(s->odd + 1 + j, _mm512_permutex2var_ps(lo, od, hi));
    }
    s->even[Wo] = 0.0f;
    s->odd[0] = 0.0f;
}

/* taps [16, P] of one image (im2col for one channel): taps[k * P + p] is
 * tap k = 4a + b of output pixel p = i * Wo + j */
AVX512 static void image_taps(const float *x, int64_t H, int64_t Wo, float *taps) {
    int64_t Ho = H / 2, P = Ho * Wo;
    split_row rows[4];
    for (int64_t i = 0; i < Ho; i++) {
        for (int a = 0; a < 4; a++) split_input_row(x, H, 2 * i - 1 + a, Wo, &rows[a]);
        for (int k = 0; k < 16; k++) {
            const split_row *s = &rows[k / 4];
            int b = k % 4;
            const float *src = b == 0   ? s->odd
                               : b == 1 ? s->even
                               : b == 2 ? s->odd + 1
                                        : s->even + 1;
            memcpy(taps + k * P + i * Wo, src, (size_t)Wo * sizeof *taps);
        }
    }
}

/* y[r][p..p+31] for 8 channels: bias, 16 taps, LeakyReLU (act), then a
 * plain or a streaming store */
AVX512 static void fwd_block(const float *taps, int64_t P, int64_t p, const float *w,
                             const float *bias, float slope, int act, int stream, float *y) {
    __m512 acc[8][2];
    for (int r = 0; r < 8; r++) acc[r][0] = acc[r][1] = _mm512_set1_ps(bias ? bias[r] : 0.0f);
    for (int k = 0; k < 16; k++) {
        __m512 p0 = _mm512_loadu_ps(taps + k * P + p), p1 = _mm512_loadu_ps(taps + k * P + p + 16);
        for (int r = 0; r < 8; r++) {
            __m512 wk = _mm512_set1_ps(w[r * 16 + k]);
            acc[r][0] = _mm512_fmadd_ps(wk, p0, acc[r][0]);
            acc[r][1] = _mm512_fmadd_ps(wk, p1, acc[r][1]);
        }
    }
    __m512 zero = _mm512_setzero_ps(), s = _mm512_set1_ps(slope);
    for (int r = 0; r < 8; r++)
        for (int v = 0; v < 2; v++) {
            __m512 o = acc[r][v];
            if (act) o = _mm512_mask_mul_ps(o, _mm512_cmp_ps_mask(o, zero, _CMP_NGT_UQ), o, s);
            if (stream) _mm512_stream_ps(y + r * P + p + 16 * v, o);
            else _mm512_storeu_ps(y + r * P + p + 16 * v, o);
        }
}

int cgan__conv1_k4s2p1_fwd(const float *x, int64_t c, int64_t H, int64_t W, const float *w,
                           int64_t Co, const float *bias, int act, float slope, float *y,
                           int stream, float *scratch, size_t scratch_floats) {
    int64_t Ho = H / 2, Wo = W / 2, P = Ho * Wo;
    if (H != 2 * Ho || W != 2 * Wo || Wo % 32 != 0 || Wo > MAX_WO || Co % 16 != 0 ||
        (size_t)(16 * P) > scratch_floats || !__builtin_cpu_supports("avx512f"))
        return 0;
    stream = stream && (uintptr_t)y % 64 == 0;
    for (int64_t n = 0; n < c; n++) {
        image_taps(x + n * H * W, H, Wo, scratch);
        /* channel planes written whole, 8 at a time: few write streams */
        for (int64_t co = 0; co < Co; co += 8)
            for (int64_t p = 0; p < P; p += 32)
                fwd_block(scratch, P, p, w + co * 16, bias ? bias + co : NULL, slope, act, stream,
                          y + (n * Co + co) * P);
    }
    if (stream) _mm_sfence();
    return 1;
}

/* pt[p * 16 + 4a + b]: output pixel p's 16 taps as one vector, from the
 * four input rows 2i - 1 + a copied with a zero on both sides, where the
 * taps b = 0..3 are the 4 floats at 2j */
AVX512 static void pixel_taps(const float *x, int64_t H, int64_t Wo, float *pad, float *pt) {
    int64_t W = 2 * Wo, Ho = H / 2;
    for (int64_t i = 0; i < Ho; i++) {
        for (int a = 0; a < 4; a++) {
            int64_t r = 2 * i - 1 + a;
            float *row = pad + a * (W + 2);
            if (r < 0 || r >= H) {
                memset(row, 0, (size_t)(W + 2) * sizeof *row);
                continue;
            }
            row[0] = row[W + 1] = 0.0f;
            memcpy(row + 1, x + r * W, (size_t)W * sizeof *row);
        }
        float *d = pt + i * Wo * 16;
        for (int64_t j = 0; j < Wo; j++) {
            __m512 v = _mm512_castps128_ps512(_mm_loadu_ps(pad + 2 * j));
            for (int a = 1; a < 4; a++)
                v = _mm512_insertf32x4(v, _mm_loadu_ps(pad + a * (W + 2) + 2 * j), a);
            _mm512_storeu_ps(d + j * 16, v);
        }
    }
}

/* g [16, P] = dy * LeakyReLU'(y) (dy when y is NULL) for 16 consecutive
 * channel planes, one contiguous run of memory; gsum[r] += each plane's
 * g, lane by lane */
AVX512 static void grad_planes(const float *dy, const float *y, float slope, int64_t P, float *g,
                               float *gsum) {
    __m512 zero = _mm512_setzero_ps(), s = _mm512_set1_ps(slope);
    for (int r = 0; r < 16; r++) {
        __m512 sum = _mm512_loadu_ps(gsum + r * 16);
        for (int64_t p = r * P; p < (r + 1) * P; p += 16) {
            __m512 d = _mm512_loadu_ps(dy + p);
            if (y) d = _mm512_mask_mul_ps(d, _mm512_cmp_ps_mask(_mm512_loadu_ps(y + p), zero,
                                                                 _CMP_NGT_UQ), d, s);
            _mm512_storeu_ps(g + p, d);
            sum = _mm512_add_ps(sum, d);
        }
        _mm512_storeu_ps(gsum + r * 16, sum);
    }
}

/* acc[r] (16 taps each, r < 8) += sum over pixels of g[r][p] pt[p]; even
 * and odd pixels in separate registers, so that 16 sums are in flight
 * with only 8 channels' pointers (16 would not fit the integer registers) */
AVX512 static void dw_block(const float *g, const float *pt, int64_t P, float *acc) {
    __m512 a0[8], a1[8];
    for (int r = 0; r < 8; r++) a0[r] = _mm512_loadu_ps(acc + r * 16), a1[r] = _mm512_setzero_ps();
    for (int64_t p = 0; p < P; p += 2) {
        __m512 v0 = _mm512_loadu_ps(pt + p * 16), v1 = _mm512_loadu_ps(pt + p * 16 + 16);
        for (int r = 0; r < 8; r++) {
            a0[r] = _mm512_fmadd_ps(_mm512_set1_ps(g[r * P + p]), v0, a0[r]);
            a1[r] = _mm512_fmadd_ps(_mm512_set1_ps(g[r * P + p + 1]), v1, a1[r]);
        }
    }
    for (int r = 0; r < 8; r++) _mm512_storeu_ps(acc + r * 16, _mm512_add_ps(a0[r], a1[r]));
}

int cgan__conv1_k4s2p1_dw(const float *x, const float *dy, const float *y, float slope,
                          int64_t c, int64_t H, int64_t W, int64_t Co, float *dw, float *db,
                          float beta, float *scratch, size_t scratch_floats) {
    int64_t Ho = H / 2, Wo = W / 2, P = Ho * Wo;
    if (H != 2 * Ho || W != 2 * Wo || Wo % 16 != 0 || Wo > MAX_WO || Co % 16 != 0 ||
        (beta != 0.0f && beta != 1.0f) || !__builtin_cpu_supports("avx512f"))
        return 0;
    if (cgan__conv1_k4s2p1_dw_scratch(H, W, Co) > scratch_floats) return 0;
    float *pt = scratch, *g = pt + 16 * P, *pad = g + 16 * P, *acc = pad + 4 * (W + 2);
    float *gsum = acc + Co * 16;
    double *total = (double *)(((uintptr_t)(gsum + Co * 16) + 63) & ~(uintptr_t)63);
    memset(total, 0, (size_t)(Co * 17) * sizeof *total);
    for (int64_t n = 0; n < c; n++) {
        memset(acc, 0, (size_t)(2 * Co * 16) * sizeof *acc);
        pixel_taps(x + n * H * W, H, Wo, pad, pt);
        for (int64_t co = 0; co < Co; co += 16) {
            int64_t off = (n * Co + co) * P;
            grad_planes(dy + off, y ? y + off : NULL, slope, P, g, gsum + co * 16);
            dw_block(g, pt, P, acc + co * 16);
            dw_block(g + 8 * P, pt, P, acc + (co + 8) * 16);
        }
        for (int64_t co = 0; co < Co; co++) {
            for (int k = 0; k < 16; k++) total[co * 16 + k] += acc[co * 16 + k];
            float s = 0.0f;
            for (int l = 0; l < 16; l++) s += gsum[co * 16 + l];
            total[Co * 16 + co] += s;
        }
    }
    for (int64_t i = 0; i < Co * 16; i++) dw[i] = (float)((beta != 0.0f ? dw[i] : 0.0) + total[i]);
    if (db)
        for (int64_t co = 0; co < Co; co++)
            db[co] = (float)((beta != 0.0f ? db[co] : 0.0) + total[Co * 16 + co]);
    return 1;
}

#else
int cgan__conv1_k4s2p1_fwd(const float *x, int64_t c, int64_t H, int64_t W, const float *w,
                           int64_t Co, const float *bias, int act, float slope, float *y,
                           int stream, float *scratch, size_t scratch_floats) {
    (void)x, (void)c, (void)H, (void)W, (void)w, (void)Co, (void)bias, (void)act, (void)slope;
    (void)y, (void)stream, (void)scratch, (void)scratch_floats;
    return 0;
}

int cgan__conv1_k4s2p1_dw(const float *x, const float *dy, const float *y, float slope,
                          int64_t c, int64_t H, int64_t W, int64_t Co, float *dw, float *db,
                          float beta, float *scratch, size_t scratch_floats) {
    (void)x, (void)dy, (void)y, (void)slope, (void)c, (void)H, (void)W, (void)Co, (void)dw;
    (void)db, (void)beta, (void)scratch, (void)scratch_floats;
    return 0;
}
#endif
