/* im2col / col2im for square kernels, any stride and zero padding.  For
 * each kernel tap (a, b) the valid output columns j form one range, so the
 * inner loops carry no bounds tests. */
#include "kernels.h"

#include <string.h>

/* Output indices j in [*j0, *j1) read input j*s - p + b inside [0, W). */
static void valid_range(int64_t W, int64_t Wo, int s, int p, int b, int64_t *j0, int64_t *j1) {
    int64_t lo = p - b; /* need j*s >= p - b */
    int64_t hi = W - 1 + p - b; /* need j*s <= W-1+p-b */
    *j0 = lo <= 0 ? 0 : (lo + s - 1) / s;
    *j1 = hi < 0 ? 0 : hi / s + 1;
    if (*j1 > Wo) *j1 = Wo;
    if (*j0 > *j1) *j0 = *j1;
}

static CGAN__MULTIVERSION void im2col(const float *x, int64_t C, int64_t H, int64_t W, int k,
                                      int s, int p, int64_t Ho, int64_t Wo, float *cols,
                                      int64_t ld) {
    for (int64_t c = 0; c < C; c++) {
        const float *xc = x + c * H * W;
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                float *row = cols + ((c * k + a) * k + b) * ld;
                int64_t j0, j1;
                valid_range(W, Wo, s, p, b, &j0, &j1);
                for (int64_t i = 0; i < Ho; i++) {
                    float *dst = row + i * Wo;
                    int64_t ih = i * s - p + a;
                    if (ih < 0 || ih >= H) {
                        memset(dst, 0, (size_t)Wo * sizeof(float));
                        continue;
                    }
                    const float *src = xc + ih * W - p + b;
                    for (int64_t j = 0; j < j0; j++) dst[j] = 0.0f;
                    if (s == 1)
                        memcpy(dst + j0, src + j0, (size_t)(j1 - j0) * sizeof(float));
                    else if (s == 2)
                        for (int64_t j = j0; j < j1; j++) dst[j] = src[2 * j];
                    else
                        for (int64_t j = j0; j < j1; j++) dst[j] = src[j * s];
                    for (int64_t j = j1; j < Wo; j++) dst[j] = 0.0f;
                }
            }
        }
    }
}

static CGAN__MULTIVERSION void col2im(const float *cols, int64_t ld, int64_t C, int64_t H,
                                      int64_t W, int k, int s, int p, int64_t Ho, int64_t Wo,
                                      float *x) {
    memset(x, 0, (size_t)(C * H * W) * sizeof(float));
    for (int64_t c = 0; c < C; c++) {
        float *xc = x + c * H * W;
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                const float *row = cols + ((c * k + a) * k + b) * ld;
                int64_t j0, j1;
                valid_range(W, Wo, s, p, b, &j0, &j1);
                for (int64_t i = 0; i < Ho; i++) {
                    int64_t ih = i * s - p + a;
                    if (ih < 0 || ih >= H) continue;
                    const float *src = row + i * Wo;
                    float *dst = xc + ih * W - p + b;
                    if (s == 1)
                        for (int64_t j = j0; j < j1; j++) dst[j] += src[j];
                    else if (s == 2)
                        for (int64_t j = j0; j < j1; j++) dst[2 * j] += src[j];
                    else
                        for (int64_t j = j0; j < j1; j++) dst[j * s] += src[j];
                }
            }
        }
    }
}

void cgan__im2col(const float *x, int64_t C, int64_t H, int64_t W, int k, int s, int p,
                  int64_t Ho, int64_t Wo, float *cols, int64_t ld) {
    im2col(x, C, H, W, k, s, p, Ho, Wo, cols, ld);
}

void cgan__col2im(const float *cols, int64_t ld, int64_t C, int64_t H, int64_t W, int k,
                  int s, int p, int64_t Ho, int64_t Wo, float *x) {
    col2im(cols, ld, C, H, W, k, s, p, Ho, Wo, x);
}
