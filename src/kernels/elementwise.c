/* Element-wise kernels, written branch-free so they vectorise. */
#include "../core/internal.h"
#include "exp_approx.h"
#include "kernels.h"

#include <math.h>

/* The activation passes run on the library's pool in element ranges. */
typedef struct ew_job {
    const float *x, *dy;
    float *y;
    float slope;  /* LeakyReLU */
    float lo, hi; /* clamp */
    int kind; /* 0 lrelu fwd, 1 lrelu bwd, 2 tanh fwd, 3 tanh bwd, 4 clamp */
} ew_job;

/* static: a multiversioned function gets a resolver of default visibility,
 * which would export it from the shared library */
static CGAN__MULTIVERSION void lrelu_fwd_loop(const float *x, float *y, int64_t n, float slope) {
    for (int64_t i = 0; i < n; i++) y[i] = x[i] > 0.0f ? x[i] : slope * x[i];
}

static CGAN__MULTIVERSION void lrelu_bwd_loop(const float *x, const float *dy, float *dx,
                                              int64_t n, float slope) {
    for (int64_t i = 0; i < n; i++) dx[i] = x[i] > 0.0f ? dy[i] : slope * dy[i];
}

static CGAN__MULTIVERSION void tanh_fwd1(const float *x, float *y, int64_t n) {
    for (int64_t i = 0; i < n; i++) y[i] = tanh_approx(x[i]);
}

static void tanh_bwd1(const float *y, const float *dy, float *dx, int64_t n) {
    for (int64_t i = 0; i < n; i++) dx[i] = dy[i] * (1.0f - y[i] * y[i]);
}

static void clamp1(float *x, int64_t n, float lo, float hi) {
    for (int64_t i = 0; i < n; i++) {
        float v = x[i] < lo ? lo : x[i];
        x[i] = v > hi ? hi : v;
    }
}

static void ew_range(void *ctx, int64_t b, int64_t e, int part) {
    const ew_job *j = ctx;
    const float *x = j->x + b, *dy = j->dy ? j->dy + b : NULL;
    float *y = j->y + b;
    switch (j->kind) {
    case 0: lrelu_fwd_loop(x, y, e - b, j->slope); break;
    case 1: lrelu_bwd_loop(x, dy, y, e - b, j->slope); break;
    case 2: tanh_fwd1(x, y, e - b); break;
    case 3: tanh_bwd1(x, dy, y, e - b); break;
    default: clamp1(y, e - b, j->lo, j->hi);
    }
}

static void ew_run(int kind, const float *x, const float *dy, float *y, int64_t n, float slope) {
    ew_job j = {x, dy, y, slope, 0.0f, 0.0f, kind};
    cgan__parallel_for(n, 32768, ew_range, &j);
}

void cgan__add_inplace(float *y, const float *x, int64_t n) {
    for (int64_t i = 0; i < n; i++) y[i] += x[i];
}

void cgan__mul(const float *a, const float *b, float *y, int64_t n) {
    for (int64_t i = 0; i < n; i++) y[i] = a[i] * b[i];
}

void cgan__lrelu_fwd1(const float *x, float *y, int64_t n, float slope) {
    lrelu_fwd_loop(x, y, n, slope);
}

void cgan__lrelu_bwd1(const float *x, const float *dy, float *dx, int64_t n, float slope) {
    lrelu_bwd_loop(x, dy, dx, n, slope);
}

void cgan__lrelu_fwd(const float *x, float *y, int64_t n, float slope) {
    ew_run(0, x, NULL, y, n, slope);
}

void cgan__lrelu_bwd(const float *x, const float *dy, float *dx, int64_t n, float slope) {
    ew_run(1, x, dy, dx, n, slope);
}

void cgan__tanh_fwd(const float *x, float *y, int64_t n) { ew_run(2, x, NULL, y, n, 0.0f); }

void cgan__tanh_bwd(const float *y, const float *dy, float *dx, int64_t n) {
    ew_run(3, y, dy, dx, n, 0.0f);
}

void cgan__clamp(float *x, int64_t n, float lo, float hi) {
    ew_job j = {x, NULL, x, 0.0f, lo, hi, 4};
    cgan__parallel_for(n, 32768, ew_range, &j);
}
