/* Batch-norm kernels over [N,C,P]: each (n, c) plane is contiguous.  They
 * run on the library's pool: the reductions split over channels (each
 * channel summed in the same order whatever the thread count), the
 * element-wise passes over (n, c) planes.  Memory traffic is what they
 * cost, so the statistics take one pass, the fused LeakyReLU's derivative
 * is applied on the fly (from the sign of x * scale + shift, recomputed:
 * cheaper than reading the output), and outputs larger than the caches
 * are streamed past them. */
#include "../core/internal.h"
#include "avx512.h"
#include "kernels.h"

#include <string.h>

typedef struct bn_job {
    const float *x, *dy, *a, *b, *mean, *d;
    const float *act_scale, *act_shift; /* backward: the forward's scale and shift, or NULL */
    double *o1, *o2;
    float *out;
    int64_t N, C, P;
    int act, stream;
    float slope;
} bn_job;

/* at least this many floats per thread */
static int64_t min_items(int64_t per_item) {
    int64_t m = 16384 / (per_item > 0 ? per_item : 1);
    return m < 1 ? 1 : m;
}

/* 16 floats as one value (GCC vector extension): each clone of a
 * CGAN__MULTIVERSION loop maps it to its own registers (one AVX-512, two
 * AVX2, four SSE); GCC 12 left the equivalent lane-array loops scalar, even
 * at -O3. */
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

#ifdef CGAN__AVX512_KERNELS
/* apply_plane with streaming stores, for P a multiple of 16 and dst on a
 * cache line: the same operations, so the same bits */
AVX512 static void apply_plane_stream(const float *src, float *dst, int64_t P, float a, float b,
                                      int act, float slope) {
    __m512 va = _mm512_set1_ps(a), vb = _mm512_set1_ps(b), vs = _mm512_set1_ps(slope);
    for (int64_t i = 0; i < P; i += 16) {
        __m512 v = _mm512_add_ps(_mm512_mul_ps(_mm512_loadu_ps(src + i), va), vb);
        if (act) v = _mm512_mask_mul_ps(v, _mm512_cmp_ps_mask(v, _mm512_setzero_ps(), _CMP_NGT_UQ),
                                        v, vs);
        _mm512_stream_ps(dst + i, v);
    }
}
#endif

/* whether a plane pass may stream its output: asked for, AVX-512, and
 * every plane starting on a cache line */
static int can_stream(int stream, const float *out, int64_t P) {
#ifdef CGAN__AVX512_KERNELS
    return stream && P % 16 == 0 && (uintptr_t)out % 64 == 0 && __builtin_cpu_supports("avx512f");
#else
    (void)stream, (void)out, (void)P;
    return 0;
#endif
}

static void apply_range(void *ctx, int64_t i0, int64_t i1, int part) {
    const bn_job *j = ctx;
    int64_t C = j->C, P = j->P;
    (void)part;
    for (int64_t nc = i0; nc < i1; nc++) {
#ifdef CGAN__AVX512_KERNELS
        if (j->stream) {
            apply_plane_stream(j->x + nc * P, j->out + nc * P, P, j->a[nc % C], j->b[nc % C],
                               j->act, j->slope);
            continue;
        }
#endif
        apply_plane(j->x + nc * P, j->out + nc * P, P, j->a[nc % C], j->b[nc % C], j->act,
                    j->slope);
    }
#ifdef CGAN__AVX512_KERNELS
    if (j->stream) _mm_sfence();
#endif
}

void cgan__bn_apply(const float *x, int64_t N, int64_t C, int64_t P, const float *scale,
                    const float *shift, int act, float slope, float *y, int stream) {
    bn_job j = {.x = x, .a = scale, .b = shift, .out = y, .N = N, .C = C, .P = P, .act = act,
                .slope = slope, .stream = can_stream(stream, y, P)};
    cgan__parallel_for(N * C, min_items(P), apply_range, &j);
}

/* The gradient through the fused LeakyReLU: g = dy where v = x * as + ash
 * (the activation's input, recomputed in the forward's own operations) is
 * > 0, slope * dy elsewhere.  Without an activation as = 0, ash = 1 and
 * slope = 1 make one branch-free loop serve both. */
static inline v16 act_grad16(v16 dy, v16 x, float as, float ash, float slope) {
    return lrelu_grad16(dy, x * as + ash, slope);
}

static inline float act_grad1(float dy, float x, float as, float ash, float slope) {
    return x * as + ash > 0.0f ? dy : slope * dy;
}

/* sum g and sum g (x - mu) over a plane */
static CGAN__MULTIVERSION void plane_grad_sums(const float *xp, const float *gp, float as,
                                              float ash, float slope, int64_t P, float mu,
                                              double *s1, double *s2) {
    int64_t i = 0;
    v16 a1 = {0}, a2 = {0};
    for (; i + 16 <= P; i += 16) {
        v16 x = load16(xp + i), g = act_grad16(load16(gp + i), x, as, ash, slope);
        a1 += g;
        a2 += g * (x - mu);
    }
    for (int l = 0; l < 16; l++) *s1 += a1[l], *s2 += a2[l];
    for (; i < P; i++) {
        float g = act_grad1(gp[i], xp[i], as, ash, slope);
        *s1 += g;
        *s2 += (double)g * (xp[i] - mu);
    }
}

/* the activation's scale and shift of channel c (0 and 1 without one) */
static void act_coeffs(const bn_job *j, int64_t c, float *as, float *ash, float *slope) {
    *as = j->act_scale ? j->act_scale[c] : 0.0f;
    *ash = j->act_scale ? j->act_shift[c] : 1.0f;
    *slope = j->act_scale ? j->slope : 1.0f;
}

/* per plane, like the statistics: parts[2 * (n * C + c)] */
static void sums_range(void *ctx, int64_t i0, int64_t i1, int part) {
    const bn_job *j = ctx;
    int64_t C = j->C, P = j->P;
    (void)part;
    for (int64_t nc = i0; nc < i1; nc++) {
        int64_t o = nc * P, c = nc % C;
        double *r = j->o1 + 2 * nc;
        float as, ash, slope;
        act_coeffs(j, c, &as, &ash, &slope);
        r[0] = r[1] = 0.0;
        plane_grad_sums(j->x + o, j->dy + o, as, ash, slope, P, j->mean[c], &r[0], &r[1]);
    }
}

void cgan__bn_bwd_sums(const float *x, const float *dy, const float *act_scale,
                       const float *act_shift, float slope, int64_t N, int64_t C, int64_t P,
                       const float *mean, double *sdy, double *sdyx, double *parts) {
    bn_job j = {.x = x, .dy = dy, .act_scale = act_scale, .act_shift = act_shift,
                .mean = mean, .o1 = parts, .N = N, .C = C, .P = P, .slope = slope};
    cgan__parallel_for(N * C, min_items(P), sums_range, &j);
    for (int64_t c = 0; c < C; c++) sum_parts(parts, N, C, c, &sdy[c], &sdyx[c]);
}

static CGAN__MULTIVERSION void bwd_plane(const float *xp, const float *gp, float as, float ash,
                                         float slope, int64_t P, float ac, float bc, float mc,
                                         float dc, float *out) {
    int64_t i = 0;
    for (; i + 16 <= P; i += 16) {
        v16 x = load16(xp + i), g = act_grad16(load16(gp + i), x, as, ash, slope);
        store16(out + i, ac * g + bc * (x - mc) + dc);
    }
    for (; i < P; i++) out[i] = ac * act_grad1(gp[i], xp[i], as, ash, slope) + bc * (xp[i] - mc) + dc;
}

#ifdef CGAN__AVX512_KERNELS
/* bwd_plane with streaming stores (P a multiple of 16, out on a cache
 * line), in the same operations */
AVX512 static void bwd_plane_stream(const float *xp, const float *gp, float as, float ash,
                                    float slope, int64_t P, float ac, float bc, float mc,
                                    float dc, float *out) {
    __m512 vas = _mm512_set1_ps(as), vash = _mm512_set1_ps(ash), vs = _mm512_set1_ps(slope);
    __m512 va = _mm512_set1_ps(ac), vb = _mm512_set1_ps(bc), vm = _mm512_set1_ps(mc);
    __m512 vd = _mm512_set1_ps(dc);
    for (int64_t i = 0; i < P; i += 16) {
        __m512 x = _mm512_loadu_ps(xp + i), g = _mm512_loadu_ps(gp + i);
        __m512 v = _mm512_add_ps(_mm512_mul_ps(x, vas), vash);
        g = _mm512_mask_mul_ps(g, _mm512_cmp_ps_mask(v, _mm512_setzero_ps(), _CMP_NGT_UQ), g, vs);
        __m512 o = _mm512_add_ps(_mm512_add_ps(_mm512_mul_ps(va, g),
                                               _mm512_mul_ps(vb, _mm512_sub_ps(x, vm))),
                                 vd);
        _mm512_stream_ps(out + i, o);
    }
}
#endif

static void bwd_apply_range(void *ctx, int64_t i0, int64_t i1, int part) {
    const bn_job *j = ctx;
    int64_t C = j->C, P = j->P;
    (void)part;
    for (int64_t nc = i0; nc < i1; nc++) {
        int64_t c = nc % C;
        float as, ash, slope;
        act_coeffs(j, c, &as, &ash, &slope);
#ifdef CGAN__AVX512_KERNELS
        if (j->stream) {
            bwd_plane_stream(j->x + nc * P, j->dy + nc * P, as, ash, slope, P, j->a[c], j->b[c],
                             j->mean[c], j->d[c], j->out + nc * P);
            continue;
        }
#endif
        bwd_plane(j->x + nc * P, j->dy + nc * P, as, ash, slope, P, j->a[c], j->b[c],
                  j->mean[c], j->d[c], j->out + nc * P);
    }
#ifdef CGAN__AVX512_KERNELS
    if (j->stream) _mm_sfence();
#endif
}

void cgan__bn_bwd_apply(const float *x, const float *dy, const float *act_scale,
                        const float *act_shift, float slope, int64_t N, int64_t C, int64_t P,
                        const float *a, const float *b, const float *mean, const float *d,
                        float *dx, int stream) {
    bn_job j = {.x = x, .dy = dy, .act_scale = act_scale, .act_shift = act_shift, .a = a,
                .b = b, .mean = mean, .d = d, .out = dx, .N = N, .C = C, .P = P, .slope = slope,
                .stream = can_stream(stream, dx, P)};
    cgan__parallel_for(N * C, min_items(P), bwd_apply_range, &j);
}
