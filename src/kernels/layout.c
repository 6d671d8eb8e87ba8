/* Moving the batch axis in and out of GEMM columns, and reductions. */
#include "../core/internal.h"
#include "kernels.h"

#include <string.h>

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
