/* Batch-norm kernels over [N,C,P]: each (n, c) plane is contiguous. */
#include "kernels.h"

void cgan__bn_stats(const float *x, int64_t N, int64_t C, int64_t P, double *mean,
                    double *var) {
    double M = (double)(N * P);
    for (int64_t c = 0; c < C; c++) {
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

void cgan__bn_apply(const float *x, int64_t N, int64_t C, int64_t P, const float *scale,
                    const float *shift, int act, float slope, float *y) {
    for (int64_t n = 0; n < N; n++)
        for (int64_t c = 0; c < C; c++) {
            const float *src = x + (n * C + c) * P;
            float *dst = y + (n * C + c) * P;
            float a = scale[c], b = shift[c];
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

void cgan__bn_bwd_sums(const float *x, const float *dy, int64_t N, int64_t C, int64_t P,
                       const float *mean, double *sdy, double *sdyx) {
    for (int64_t c = 0; c < C; c++) {
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

void cgan__bn_bwd_apply(const float *x, const float *dy, int64_t N, int64_t C, int64_t P,
                        const float *a, const float *b, const float *mean, const float *d,
                        float *dx) {
    for (int64_t n = 0; n < N; n++)
        for (int64_t c = 0; c < C; c++) {
            const float *xp = x + (n * C + c) * P, *gp = dy + (n * C + c) * P;
            float *out = dx + (n * C + c) * P;
            float ac = a[c], bc = b[c], mc = mean[c], dc = d[c];
            for (int64_t i = 0; i < P; i++) out[i] = ac * gp[i] + bc * (xp[i] - mc) + dc;
        }
}
