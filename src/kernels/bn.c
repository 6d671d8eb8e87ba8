/* Batch-norm kernels over [N,C,P]: each (n, c) plane is contiguous.  They
 * run on the library's pool: the reductions split over channels (each
 * channel summed in the same order whatever the thread count), the
 * element-wise passes over (n, c) planes. */
#include "../core/internal.h"
#include "kernels.h"

typedef struct bn_job {
    const float *x, *dy, *a, *b, *mean, *d;
    double *o1, *o2;
    float *y;
    int64_t N, C, P;
    int act;
    float slope;
} bn_job;

/* at least this many floats per thread */
static int64_t min_items(int64_t per_item) {
    int64_t m = 16384 / (per_item > 0 ? per_item : 1);
    return m < 1 ? 1 : m;
}

static void stats_range(void *ctx, int64_t c0, int64_t c1, int part) {
    const bn_job *j = ctx;
    const float *x = j->x;
    int64_t N = j->N, C = j->C, P = j->P;
    double *mean = j->o1, *var = j->o2;
    double M = (double)(N * P);
    for (int64_t c = c0; c < c1; c++) {
        double s = 0.0;
        for (int64_t n = 0; n < N; n++) s += cgan__sum(x + (n * C + c) * P, P);
        double mu = s / M;
        float muf = (float)mu;
        double ss = 0.0, corr = 0.0;
        for (int64_t n = 0; n < N; n++) {
            const float *p = x + (n * C + c) * P;
            /* squares around the float mean, corrected for its rounding */
            float acc[8] = {0}, acc1[8] = {0};
            int64_t i = 0;
            for (; i + 8 <= P; i += 8)
                for (int l = 0; l < 8; l++) {
                    float d = p[i + l] - muf;
                    acc[l] += d * d;
                    acc1[l] += d;
                }
            for (int l = 0; l < 8; l++) {
                ss += acc[l];
                corr += acc1[l];
            }
            for (; i < P; i++) {
                double d = (double)p[i] - muf;
                ss += d * d;
                corr += d;
            }
        }
        /* sum (x-mu)^2 = sum (x-muf)^2 - (sum (x-muf))^2 / M */
        double v = (ss - corr * corr / M) / M;
        mean[c] = mu;
        var[c] = v > 0.0 ? v : 0.0;
    }
}

void cgan__bn_stats(const float *x, int64_t N, int64_t C, int64_t P, double *mean,
                    double *var) {
    bn_job j = {.x = x, .o1 = mean, .o2 = var, .N = N, .C = C, .P = P};
    cgan__parallel_for(C, min_items(N * P), stats_range, &j);
}

static void apply_range(void *ctx, int64_t i0, int64_t i1, int part) {
    const bn_job *j = ctx;
    int64_t C = j->C, P = j->P;
    int act = j->act;
    float slope = j->slope;
    for (int64_t nc = i0; nc < i1; nc++) {
        int64_t c = nc % C;
        const float *src = j->x + nc * P;
        float *dst = j->y + nc * P;
        float a = j->a[c], b = j->b[c];
        if (act) {
            for (int64_t i = 0; i < P; i++) {
                float v = src[i] * a + b;
                dst[i] = v > 0.0f ? v : slope * v;
            }
        } else {
            for (int64_t i = 0; i < P; i++) dst[i] = src[i] * a + b;
        }
    }
}

void cgan__bn_apply(const float *x, int64_t N, int64_t C, int64_t P, const float *scale,
                    const float *shift, int act, float slope, float *y) {
    bn_job j = {.x = x, .a = scale, .b = shift, .y = y, .N = N, .C = C, .P = P, .act = act,
                .slope = slope};
    cgan__parallel_for(N * C, min_items(P), apply_range, &j);
}

static void sums_range(void *ctx, int64_t c0, int64_t c1, int part) {
    const bn_job *j = ctx;
    const float *x = j->x, *dy = j->dy, *mean = j->mean;
    int64_t N = j->N, C = j->C, P = j->P;
    double *sdy = j->o1, *sdyx = j->o2;
    for (int64_t c = c0; c < c1; c++) {
        double s1 = 0.0, s2 = 0.0;
        float mu = mean[c];
        for (int64_t n = 0; n < N; n++) {
            const float *xp = x + (n * C + c) * P, *gp = dy + (n * C + c) * P;
            float a1[8] = {0}, a2[8] = {0};
            int64_t i = 0;
            for (; i + 8 <= P; i += 8)
                for (int l = 0; l < 8; l++) {
                    a1[l] += gp[i + l];
                    a2[l] += gp[i + l] * (xp[i + l] - mu);
                }
            for (int l = 0; l < 8; l++) {
                s1 += a1[l];
                s2 += a2[l];
            }
            for (; i < P; i++) {
                s1 += gp[i];
                s2 += (double)gp[i] * (xp[i] - mu);
            }
        }
        sdy[c] = s1;
        sdyx[c] = s2;
    }
}

void cgan__bn_bwd_sums(const float *x, const float *dy, int64_t N, int64_t C, int64_t P,
                       const float *mean, double *sdy, double *sdyx) {
    bn_job j = {.x = x, .dy = dy, .mean = mean, .o1 = sdy, .o2 = sdyx, .N = N, .C = C, .P = P};
    cgan__parallel_for(C, min_items(N * P), sums_range, &j);
}

static void bwd_apply_range(void *ctx, int64_t i0, int64_t i1, int part) {
    const bn_job *j = ctx;
    int64_t C = j->C, P = j->P;
    for (int64_t nc = i0; nc < i1; nc++) {
        int64_t c = nc % C;
        const float *xp = j->x + nc * P, *gp = j->dy + nc * P;
        float *out = j->y + nc * P;
        float ac = j->a[c], bc = j->b[c], mc = j->mean[c], dc = j->d[c];
        for (int64_t i = 0; i < P; i++) out[i] = ac * gp[i] + bc * (xp[i] - mc) + dc;
    }
}

void cgan__bn_bwd_apply(const float *x, const float *dy, int64_t N, int64_t C, int64_t P,
                        const float *a, const float *b, const float *mean, const float *d,
                        float *dx) {
    bn_job j = {.x = x, .dy = dy, .a = a, .b = b, .mean = mean, .d = d, .y = dx, .N = N, .C = C,
                .P = P};
    cgan__parallel_for(N * C, min_items(P), bwd_apply_range, &j);
}
