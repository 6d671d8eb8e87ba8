/* Batch-norm kernels over [N,C,P]: each (n, c) plane is contiguous.  They
 * run on the library's pool: the reductions split over channels (each
 * channel summed in the same order whatever the thread count), the
 * element-wise passes over (n, c) planes.  Memory traffic is what they
 * cost, so the statistics take one pass, and the fused LeakyReLU's
 * derivative is applied on the fly instead of in a pass of its own. */
#include "../core/internal.h"
#include "kernels.h"

#include <string.h>

typedef struct bn_job {
    const float *x, *dy, *y, *a, *b, *mean, *d;
    double *o1, *o2;
    float *out;
    int64_t N, C, P;
    int act;
    float slope;
} bn_job;

/* at least this many floats per thread */
static int64_t min_items(int64_t per_item) {
    int64_t m = 16384 / (per_item > 0 ? per_item : 1);
    return m < 1 ? 1 : m;
}

/* 16 floats as one value (GCC vector extension): each clone of a
 * CGAN__MULTIVERSION loop maps it to its own registers (one AVX-512, two
 * AVX2, four SSE), whatever the optimisation level; at -O2 GCC 12 leaves
 * the equivalent lane-array loops scalar. */
#pragma GCC diagnostic ignored "-Wpsabi" /* the helpers below are inlined: no call ABI */
typedef float v16 __attribute__((vector_size(64)));
typedef int32_t v16i __attribute__((vector_size(64)));

static inline v16 load16(const float *p) {
    v16 v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline void store16(float *p, v16 v) { memcpy(p, &v, sizeof v); }

/* g where y > 0, slope g elsewhere: LeakyReLU's derivative applied to g */
static inline v16 lrelu_grad16(v16 g, v16 y, float slope) {
    v16i pos = y > 0.0f;
    return (v16)(((v16i)g & pos) | ((v16i)(g * slope) & ~pos));
}

/* sum (p[i] - shift) and sum (p[i] - shift)^2 over a plane, in float lanes
 * folded into double every 1024 values */
static CGAN__MULTIVERSION void plane_moments(const float *p, int64_t P, float shift, double *s1,
                                             double *s2) {
    for (int64_t start = 0; start < P; start += 1024) {
        int64_t len = P - start < 1024 ? P - start : 1024, i = 0;
        const float *q = p + start;
        v16 a1 = {0}, a2 = {0};
        for (; i + 16 <= len; i += 16) {
            v16 d = load16(q + i) - shift;
            a1 += d;
            a2 += d * d;
        }
        double t1 = 0.0, t2 = 0.0;
        for (int l = 0; l < 16; l++) t1 += a1[l], t2 += a2[l];
        for (; i < len; i++) {
            double d = (double)q[i] - shift;
            t1 += d;
            t2 += d * d;
        }
        *s1 += t1;
        *s2 += t2;
    }
}

/* s1[c], s2[c] = the sums over n of parts[2 (n C + c)] and [.. + 1], in n
 * order: the per-plane partials of the passes below, reduced the same way
 * whatever thread computed them. */
static void sum_parts(const double *parts, int64_t N, int64_t C, int64_t c, double *s1,
                      double *s2) {
    *s1 = *s2 = 0.0;
    for (int64_t n = 0; n < N; n++) *s1 += parts[2 * (n * C + c)], *s2 += parts[2 * (n * C + c) + 1];
}

/* The statistics are reduced plane by plane, in (n, c) order, so that the
 * threads read memory sequentially: each plane's moments go to parts
 * [2 * (n * C + c)], then each channel adds its N planes in order (the
 * bits do not depend on the thread count).  Moments are taken about the
 * channel's first plane's mean (shift), close enough to the channel's mean
 * that var = E[d^2] - E[d]^2 does not cancel (d = x - shift). */
static void shift_range(void *ctx, int64_t c0, int64_t c1, int part) {
    const bn_job *j = ctx;
    (void)part;
    for (int64_t c = c0; c < c1; c++) j->o1[c] = (float)(cgan__sum(j->x + c * j->P, j->P) / (double)j->P);
}

static void moments_range(void *ctx, int64_t i0, int64_t i1, int part) {
    const bn_job *j = ctx;
    (void)part;
    for (int64_t nc = i0; nc < i1; nc++) {
        double *o = j->o2 + 2 * nc;
        o[0] = o[1] = 0.0;
        plane_moments(j->x + nc * j->P, j->P, (float)j->o1[nc % j->C], &o[0], &o[1]);
    }
}

void cgan__bn_stats(const float *x, int64_t N, int64_t C, int64_t P, double *mean,
                    double *var, double *parts) {
    bn_job j = {.x = x, .o1 = mean, .o2 = parts, .N = N, .C = C, .P = P};
    cgan__parallel_for(C, min_items(P), shift_range, &j);
    cgan__parallel_for(N * C, min_items(P), moments_range, &j);
    double M = (double)(N * P);
    for (int64_t c = 0; c < C; c++) {
        double s1, s2;
        sum_parts(parts, N, C, c, &s1, &s2);
        double dm = s1 / M, v = s2 / M - dm * dm;
        mean[c] += dm;
        var[c] = v > 0.0 ? v : 0.0;
    }
}

static CGAN__MULTIVERSION void apply_plane(const float *src, float *dst, int64_t P, float a,
                                           float b, int act, float slope) {
    int64_t i = 0;
    if (act) {
        for (; i + 16 <= P; i += 16) {
            v16 v = load16(src + i) * a + b;
            store16(dst + i, lrelu_grad16(v, v, slope));
        }
        for (; i < P; i++) {
            float v = src[i] * a + b;
            dst[i] = v > 0.0f ? v : slope * v;
        }
    } else {
        for (; i + 16 <= P; i += 16) store16(dst + i, load16(src + i) * a + b);
        for (; i < P; i++) dst[i] = src[i] * a + b;
    }
}

static void apply_range(void *ctx, int64_t i0, int64_t i1, int part) {
    const bn_job *j = ctx;
    int64_t C = j->C, P = j->P;
    (void)part;
    for (int64_t nc = i0; nc < i1; nc++)
        apply_plane(j->x + nc * P, j->out + nc * P, P, j->a[nc % C], j->b[nc % C], j->act,
                    j->slope);
}

void cgan__bn_apply(const float *x, int64_t N, int64_t C, int64_t P, const float *scale,
                    const float *shift, int act, float slope, float *y) {
    bn_job j = {.x = x, .a = scale, .b = shift, .out = y, .N = N, .C = C, .P = P, .act = act,
                .slope = slope};
    cgan__parallel_for(N * C, min_items(P), apply_range, &j);
}

/* sum g and sum g (x - mu) over a plane, g = dy, or dy * LeakyReLU'(y)
 * when y is given (y > 0 exactly where the activation's input is); a
 * slope of 1 with y = dy stands for "no activation" so that one
 * branch-free loop serves both */
static CGAN__MULTIVERSION void plane_grad_sums(const float *xp, const float *gp,
                                              const float *yp, float slope, int64_t P, float mu,
                                              double *s1, double *s2) {
    int64_t i = 0;
    v16 a1 = {0}, a2 = {0};
    for (; i + 16 <= P; i += 16) {
        v16 g = lrelu_grad16(load16(gp + i), load16(yp + i), slope);
        a1 += g;
        a2 += g * (load16(xp + i) - mu);
    }
    for (int l = 0; l < 16; l++) *s1 += a1[l], *s2 += a2[l];
    for (; i < P; i++) {
        float g = yp[i] > 0.0f ? gp[i] : slope * gp[i];
        *s1 += g;
        *s2 += (double)g * (xp[i] - mu);
    }
}

/* per plane, like the statistics: parts[2 * (n * C + c)] */
static void sums_range(void *ctx, int64_t i0, int64_t i1, int part) {
    const bn_job *j = ctx;
    int64_t C = j->C, P = j->P;
    (void)part;
    for (int64_t nc = i0; nc < i1; nc++) {
        int64_t o = nc * P;
        double *r = j->o1 + 2 * nc;
        r[0] = r[1] = 0.0;
        plane_grad_sums(j->x + o, j->dy + o, j->y ? j->y + o : j->dy + o,
                        j->y ? j->slope : 1.0f, P, j->mean[nc % C], &r[0], &r[1]);
    }
}

void cgan__bn_bwd_sums(const float *x, const float *dy, const float *y, float slope, int64_t N,
                       int64_t C, int64_t P, const float *mean, double *sdy, double *sdyx,
                       double *parts) {
    bn_job j = {.x = x, .dy = dy, .y = y, .mean = mean, .o1 = parts, .N = N, .C = C, .P = P,
                .slope = slope};
    cgan__parallel_for(N * C, min_items(P), sums_range, &j);
    for (int64_t c = 0; c < C; c++) sum_parts(parts, N, C, c, &sdy[c], &sdyx[c]);
}

static CGAN__MULTIVERSION void bwd_plane(const float *xp, const float *gp, const float *yp,
                                         float slope, int64_t P, float ac, float bc, float mc,
                                         float dc, float *out) {
    int64_t i = 0;
    if (yp) {
        for (; i + 16 <= P; i += 16) {
            v16 g = lrelu_grad16(load16(gp + i), load16(yp + i), slope);
            store16(out + i, ac * g + bc * (load16(xp + i) - mc) + dc);
        }
        for (; i < P; i++) {
            float g = yp[i] > 0.0f ? gp[i] : slope * gp[i];
            out[i] = ac * g + bc * (xp[i] - mc) + dc;
        }
    } else {
        for (; i + 16 <= P; i += 16)
            store16(out + i, ac * load16(gp + i) + bc * (load16(xp + i) - mc) + dc);
        for (; i < P; i++) out[i] = ac * gp[i] + bc * (xp[i] - mc) + dc;
    }
}

static void bwd_apply_range(void *ctx, int64_t i0, int64_t i1, int part) {
    const bn_job *j = ctx;
    int64_t C = j->C, P = j->P;
    (void)part;
    for (int64_t nc = i0; nc < i1; nc++) {
        int64_t c = nc % C;
        bwd_plane(j->x + nc * P, j->dy + nc * P, j->y ? j->y + nc * P : NULL, j->slope, P,
                  j->a[c], j->b[c], j->mean[c], j->d[c], j->out + nc * P);
    }
}

void cgan__bn_bwd_apply(const float *x, const float *dy, const float *y, float slope, int64_t N,
                        int64_t C, int64_t P, const float *a, const float *b, const float *mean,
                        const float *d, float *dx) {
    bn_job j = {.x = x, .dy = dy, .y = y, .a = a, .b = b, .mean = mean, .d = d, .out = dx,
                .N = N, .C = C, .P = P, .slope = slope};
    cgan__parallel_for(N * C, min_items(P), bwd_apply_range, &j);
}
