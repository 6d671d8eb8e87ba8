/* exp and tanh as branch-free polynomials the compiler vectorises (libm's
 * expf and tanhf are scalar calls), for the softmax and the generator's
 * output activation.  Header-only so each kernel inlines them into its own
 * multiversioned loops. */
#ifndef CGAN_EXP_APPROX_H
#define CGAN_EXP_APPROX_H

#include <stdint.h>
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

/* tanh(x): Cephes' odd polynomial below |x| = 0.625 (about 1 ulp), and
 * (1 - t) / (1 + t), t = exp(-2|x|) <= 0.29, above it (no cancellation);
 * both are computed and one is selected, so the loop stays branch-free. */
static inline float tanh_approx(float x) {
    float ax = x < 0.0f ? -x : x, z = x * x;
    float p = -5.70498872745e-3f;
    p = p * z + 2.06390887954e-2f;
    p = p * z - 5.37397155531e-2f;
    p = p * z + 1.33314422036e-1f;
    p = p * z - 3.33332819422e-1f;
    float small = p * z * x + x;
    float t = exp_nonpos(-2.0f * ax), big = (1.0f - t) / (1.0f + t);
    big = x < 0.0f ? -big : big;
    return ax < 0.625f ? small : big;
}

#endif /* CGAN_EXP_APPROX_H */
