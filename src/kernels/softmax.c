/* Row softmax and its backward, for the attention matrix (P x P per
 * sample, so the exponential is the hot spot: it is a polynomial that the
 * compiler vectorises, instead of libm's scalar expf). */
#include "kernels.h"

#include <string.h>

/* exp(x) for x <= 0 (softmax arguments after the max is subtracted):
 * x = k ln2 + r, |r| <= ln2/2, exp(r) by Cephes' degree-6 polynomial (about
 * 1 ulp), times 2^k built in the exponent bits.  Below -87 the result is
 * clamped to exp(-87) ~ 1.6e-38, negligible next to the row's maximum 1. */
static inline float exp_nonpos(float x) {
    x = x < -87.0f ? -87.0f : x;
    float t = x * 1.44269504088896341f;
    float fk = (t + 12582912.0f) - 12582912.0f; /* round to nearest integer */
    float r = x - fk * 0.693359375f - fk * -2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    float y = p * r * r + r + 1.0f;
    int32_t bits = ((int32_t)fk + 127) << 23;
    float scale;
    memcpy(&scale, &bits, sizeof scale);
    return y * scale;
}

void cgan__softmax_rows(float *a, int64_t rows, int64_t cols) {
    for (int64_t r = 0; r < rows; r++) {
        float *row = a + r * cols;
        float mx = row[0];
        for (int64_t j = 1; j < cols; j++) mx = row[j] > mx ? row[j] : mx;
        float acc[8] = {0};
        int64_t j = 0;
        for (; j + 8 <= cols; j += 8)
            for (int l = 0; l < 8; l++) {
                float e = exp_nonpos(row[j + l] - mx);
                row[j + l] = e;
                acc[l] += e;
            }
        float s = 0.0f;
        for (; j < cols; j++) {
            row[j] = exp_nonpos(row[j] - mx);
            s += row[j];
        }
        for (int l = 0; l < 8; l++) s += acc[l];
        float inv = 1.0f / s;
        for (j = 0; j < cols; j++) row[j] *= inv;
    }
}

void cgan__softmax_bwd_rows(const float *a, float *g, int64_t rows, int64_t cols) {
    for (int64_t r = 0; r < rows; r++) {
        const float *ar = a + r * cols;
        float *gr = g + r * cols;
        float s = (float)cgan__dot(gr, ar, cols);
        for (int64_t j = 0; j < cols; j++) gr[j] = ar[j] * (gr[j] - s);
    }
}
