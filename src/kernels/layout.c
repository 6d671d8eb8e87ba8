/* Moving the batch axis in and out of GEMM columns, transposes, and
 * reductions. */
#include "../core/internal.h"
#include "avx512.h"
#include "kernels.h"

#include <string.h>

#ifdef CGAN__AVX512_KERNELS
#include "tile_8x32.h"

AVX512 static void transpose_avx512(const float *a, int64_t rows, int64_t cols, float *t) {
    for (int64_t r0 = 0; r0 < rows; r0 += 8)
        for (int64_t c0 = 0; c0 < cols; c0 += 16) {
            __m512 pair[8]; /* columns c0 + 2i and c0 + 2i + 1, 8 rows each */
            transpose_8x16(a + r0 * cols + c0, cols, 8, pair);
            for (int i = 0; i < 8; i++) {
                __m512d v = _mm512_castps_pd(pair[i]);
                _mm256_storeu_pd((double *)(t + (c0 + 2 * i) * rows + r0), _mm512_castpd512_pd256(v));
                _mm256_storeu_pd((double *)(t + (c0 + 2 * i + 1) * rows + r0),
                                 _mm512_extractf64x4_pd(v, 1));
            }
        }
}
#endif

void cgan__transpose(const float *a, int64_t rows, int64_t cols, float *t) {
#ifdef CGAN__AVX512_KERNELS
    if (rows % 8 == 0 && cols % 16 == 0 && __builtin_cpu_supports("avx512f")) {
        transpose_avx512(a, rows, cols, t);
        return;
    }
#endif
    /* blocks of 16 columns, so the rows being written stay in L1 */
    for (int64_t c0 = 0; c0 < cols; c0 += 16) {
        int64_t c1 = c0 + 16 < cols ? c0 + 16 : cols;
        for (int64_t r = 0; r < rows; r++)
            for (int64_t c = c0; c < c1; c++) t[c * rows + r] = a[r * cols + c];
    }
}

void cgan__nchw_to_cn(const float *x, int64_t N, int64_t C, int64_t P, float *y) {
    for (int64_t n = 0; n < N; n++)
        for (int64_t c = 0; c < C; c++)
            memcpy(y + c * N * P + n * P, x + (n * C + c) * P, (size_t)P * sizeof(float));
}

void cgan__cn_to_nchw(const float *y, int64_t N, int64_t C, int64_t P, const float *bias,
                      float *x) {
    for (int64_t n = 0; n < N; n++)
        for (int64_t c = 0; c < C; c++) {
            const float *src = y + c * N * P + n * P;
            float *dst = x + (n * C + c) * P;
            if (bias == NULL) {
                memcpy(dst, src, (size_t)P * sizeof(float));
            } else {
                float b = bias[c];
                for (int64_t i = 0; i < P; i++) dst[i] = src[i] + b;
            }
        }
}

/* Eight float lanes per block, folded into double every block so long
 * sums keep their precision; the clones keep the same eight lanes (the
 * same bits on every CPU), in one AVX register instead of two SSE ones. */
#define BLOCK 1024
static CGAN__MULTIVERSION double sum_blocks(const float *x, int64_t n) {
    double total = 0.0;
    for (int64_t start = 0; start < n; start += BLOCK) {
        int64_t len = n - start < BLOCK ? n - start : BLOCK;
        const float *p = x + start;
        float acc[8] = {0};
        int64_t i = 0;
        for (; i + 8 <= len; i += 8)
            for (int l = 0; l < 8; l++) acc[l] += p[i + l];
        double s = 0.0;
        for (int l = 0; l < 8; l++) s += acc[l];
        for (; i < len; i++) s += p[i];
        total += s;
    }
    return total;
}

static CGAN__MULTIVERSION double dot_blocks(const float *x, const float *y, int64_t n) {
    double total = 0.0;
    for (int64_t start = 0; start < n; start += BLOCK) {
        int64_t len = n - start < BLOCK ? n - start : BLOCK;
        const float *p = x + start, *q = y + start;
        float acc[8] = {0};
        int64_t i = 0;
        for (; i + 8 <= len; i += 8)
            for (int l = 0; l < 8; l++) acc[l] += p[i + l] * q[i + l];
        double s = 0.0;
        for (int l = 0; l < 8; l++) s += acc[l];
        for (; i < len; i++) s += (double)p[i] * q[i];
        total += s;
    }
    return total;
}

double cgan__sum(const float *x, int64_t n) { return sum_blocks(x, n); }

double cgan__dot(const float *x, const float *y, int64_t n) { return dot_blocks(x, y, n); }

typedef struct sum_job {
    const float *x;
    int64_t N, C, P;
    float *out;
} sum_job;

double cgan__sum_channel(const float *x, int64_t N, int64_t C, int64_t P, int64_t c) {
    double s = 0.0;
    for (int64_t n = 0; n < N; n++) s += cgan__sum(x + (n * C + c) * P, P);
    return s;
}

static void sum_channels(void *ctx, int64_t c0, int64_t c1, int part) {
    const sum_job *j = ctx;
    (void)part;
    for (int64_t c = c0; c < c1; c++) j->out[c] += (float)cgan__sum_channel(j->x, j->N, j->C, j->P, c);
}

/* On the pool, split over channels: each channel is still summed in one
 * order, so the bits do not depend on the thread count. */
void cgan__sum_nchw_acc(const float *x, int64_t N, int64_t C, int64_t P, float *out) {
    sum_job j = {x, N, C, P, out};
    int64_t per = N * P > 0 ? N * P : 1;
    cgan__parallel_for(C, 16384 / per > 1 ? 16384 / per : 1, sum_channels, &j);
}
