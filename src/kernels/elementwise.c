/* Element-wise kernels, written branch-free so they vectorise. */
#include "kernels.h"

#include <math.h>

void cgan__add_inplace(float *y, const float *x, int64_t n) {
    for (int64_t i = 0; i < n; i++) y[i] += x[i];
}

void cgan__mul(const float *a, const float *b, float *y, int64_t n) {
    for (int64_t i = 0; i < n; i++) y[i] = a[i] * b[i];
}

void cgan__lrelu_fwd(const float *x, float *y, int64_t n, float slope) {
    for (int64_t i = 0; i < n; i++) y[i] = x[i] > 0.0f ? x[i] : slope * x[i];
}

void cgan__lrelu_bwd(const float *x, const float *dy, float *dx, int64_t n, float slope) {
    for (int64_t i = 0; i < n; i++) dx[i] = x[i] > 0.0f ? dy[i] : slope * dy[i];
}

void cgan__tanh_fwd(const float *x, float *y, int64_t n) {
    for (int64_t i = 0; i < n; i++) y[i] = tanhf(x[i]);
}

void cgan__tanh_bwd(const float *y, const float *dy, float *dx, int64_t n) {
    for (int64_t i = 0; i < n; i++) dx[i] = dy[i] * (1.0f - y[i] * y[i]);
}

void cgan__clamp(float *x, int64_t n, float lo, float hi) {
    for (int64_t i = 0; i < n; i++) {
        float v = x[i] < lo ? lo : x[i];
        x[i] = v > hi ? hi : v;
    }
}
