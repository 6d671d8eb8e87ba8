/* The batch-wide forms of im2col / col2im and the layout moves, split over
 * (image, channel) pairs on the library's worker pool (src/core/pool.c).
 * Every pair writes its own memory, so the results are the same bits for
 * any thread count. */
#include "../core/internal.h"
#include "kernels.h"

#include <string.h>

typedef struct geo {
    const float *src;
    float *dst;
    const float *bias;
    int64_t N, C, H, W, Ho, Wo;
    int k, s, p;
} geo;

/* at least this many floats of work per thread, or the wake-up costs more */
#define MIN_FLOATS 16384

static int64_t min_items(int64_t per_item) {
    int64_t m = MIN_FLOATS / (per_item > 0 ? per_item : 1);
    return m < 1 ? 1 : m;
}

static void im2col_range(void *ctx, int64_t b, int64_t e, int part) {
    const geo *g = ctx;
    int64_t Po = g->Ho * g->Wo, ld = g->N * Po, kk = (int64_t)g->k * g->k;
    for (int64_t i = b; i < e; i++) {
        int64_t n = i / g->C, c = i % g->C;
        cgan__im2col(g->src + i * g->H * g->W, 1, g->H, g->W, g->k, g->s, g->p, g->Ho, g->Wo,
                     g->dst + c * kk * ld + n * Po, ld);
    }
}

void cgan__im2col_batch(const float *x, int64_t N, int64_t C, int64_t H, int64_t W, int k,
                        int s, int p, int64_t Ho, int64_t Wo, float *cols) {
    geo g = {x, cols, NULL, N, C, H, W, Ho, Wo, k, s, p};
    cgan__parallel_for(N * C, min_items((int64_t)k * k * Ho * Wo), im2col_range, &g);
}

static void col2im_range(void *ctx, int64_t b, int64_t e, int part) {
    const geo *g = ctx;
    int64_t Po = g->Ho * g->Wo, ld = g->N * Po, kk = (int64_t)g->k * g->k, P = g->H * g->W;
    for (int64_t i = b; i < e; i++) {
        int64_t n = i / g->C, c = i % g->C;
        float *x = g->dst + i * P;
        cgan__col2im(g->src + c * kk * ld + n * Po, ld, 1, g->H, g->W, g->k, g->s, g->p, g->Ho,
                     g->Wo, x);
        if (g->bias) {
            float bc = g->bias[c];
            for (int64_t j = 0; j < P; j++) x[j] += bc;
        }
    }
}

void cgan__col2im_batch(const float *cols, int64_t N, int64_t C, int64_t H, int64_t W, int k,
                        int s, int p, int64_t Ho, int64_t Wo, const float *bias, float *x) {
    geo g = {cols, x, bias, N, C, H, W, Ho, Wo, k, s, p};
    cgan__parallel_for(N * C, min_items((int64_t)k * k * Ho * Wo), col2im_range, &g);
}

/* layout moves: item i = (n, c) of a [N, C, P] array, H*W = P */
static void to_cn_range(void *ctx, int64_t b, int64_t e, int part) {
    const geo *g = ctx;
    int64_t P = g->H;
    for (int64_t i = b; i < e; i++) {
        int64_t n = i / g->C, c = i % g->C;
        memcpy(g->dst + c * g->N * P + n * P, g->src + i * P, (size_t)P * sizeof(float));
    }
}

void cgan__nchw_to_cn_par(const float *x, int64_t N, int64_t C, int64_t P, float *y) {
    geo g = {x, y, NULL, N, C, P, 1, 1, 1, 0, 0, 0};
    cgan__parallel_for(N * C, min_items(P), to_cn_range, &g);
}

static void from_cn_range(void *ctx, int64_t b, int64_t e, int part) {
    const geo *g = ctx;
    int64_t P = g->H;
    for (int64_t i = b; i < e; i++) {
        int64_t n = i / g->C, c = i % g->C;
        const float *src = g->src + c * g->N * P + n * P;
        float *dst = g->dst + i * P;
        if (g->bias == NULL) {
            memcpy(dst, src, (size_t)P * sizeof(float));
        } else {
            float bc = g->bias[c];
            for (int64_t j = 0; j < P; j++) dst[j] = src[j] + bc;
        }
    }
}

void cgan__cn_to_nchw_par(const float *y, int64_t N, int64_t C, int64_t P, const float *bias,
                          float *x) {
    geo g = {y, x, bias, N, C, P, 1, 1, 1, 0, 0, 0};
    cgan__parallel_for(N * C, min_items(P), from_cn_range, &g);
}
