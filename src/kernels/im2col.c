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

/* im2col of one plane for the 4x4, stride 2, padding 1 kernels (input
 * 2 Ho x 2 Wo, Wo <= IM2COL_FAST_MAX_WO): each input row is split once into
 * its even and odd columns, and the four taps b of a kernel row are shifted
 * copies of those (b = 1: even[j], b = 3: even[j + 1], b = 0: odd[j - 1],
 * b = 2: odd[j]), instead of 16 strided gathers. */
#define IM2COL_FAST_MAX_WO 256

static CGAN__MULTIVERSION void im2col_k4s2p1(const float *x, int64_t Ho, int64_t Wo, float *cols,
                                             int64_t ld) {
    float even[IM2COL_FAST_MAX_WO + 1], odd[IM2COL_FAST_MAX_WO];
    for (int64_t i = 0; i < Ho; i++) {
        for (int a = 0; a < 4; a++) {
            float *dst = cols + a * 4 * ld + i * Wo; /* tap (a, 0); b adds b * ld */
            int64_t ih = 2 * i - 1 + a;
            if (ih < 0 || ih >= 2 * Ho) {
                for (int b = 0; b < 4; b++) memset(dst + b * ld, 0, (size_t)Wo * sizeof(float));
                continue;
            }
            const float *src = x + ih * 2 * Wo;
            for (int64_t m = 0; m < Wo; m++) {
                even[m] = src[2 * m];
                odd[m] = src[2 * m + 1];
            }
            even[Wo] = 0.0f; /* column 2 Wo: the right padding */
            dst[0] = 0.0f;   /* column -1: the left padding */
            /* loops the compiler inlines (see the Makefile): rows are short */
            for (int64_t m = 1; m < Wo; m++) dst[m] = odd[m - 1];
            for (int64_t m = 0; m < Wo; m++) dst[ld + m] = even[m];
            for (int64_t m = 0; m < Wo; m++) dst[2 * ld + m] = odd[m];
            for (int64_t m = 0; m < Wo; m++) dst[3 * ld + m] = even[m + 1];
        }
    }
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

/* One tap row a of the 4x4, stride 2, padding 1 kernel into output row dst
 * (2 Wo wide): output column 2m takes taps b = 1 (j = m) and b = 3
 * (j = m - 1), column 2m + 1 takes b = 0 (j = m + 1) and b = 2 (j = m).
 * Each output is written at most twice, in order, instead of in 16 strided
 * read-modify-write passes, adding the taps in the generic loop's order
 * (same bits). */
static inline void tap_row_k4s2(const float *row, int64_t ld, int64_t Wo, float *dst, int add) {
    const float *r0 = row, *r1 = row + ld, *r2 = row + 2 * ld, *r3 = row + 3 * ld;
    float e0 = r1[0], o_last = r2[Wo - 1];
    if (add) dst[0] += e0, dst[2 * Wo - 1] += o_last;
    else dst[0] = e0, dst[2 * Wo - 1] = o_last;
    if (Wo > 1) {
        float *d1 = dst + 1, *dl = dst + 2 * Wo - 2;
        if (add) *d1 = *d1 + r0[1] + r2[0], *dl = *dl + r1[Wo - 1] + r3[Wo - 2];
        else *d1 = r0[1] + r2[0], *dl = r1[Wo - 1] + r3[Wo - 2];
    }
    if (add) /* left to right: the generic loop's order, so the same bits */
        for (int64_t m = 1; m < Wo - 1; m++) {
            dst[2 * m] = dst[2 * m] + r1[m] + r3[m - 1];
            dst[2 * m + 1] = dst[2 * m + 1] + r0[m + 1] + r2[m];
        }
    else
        for (int64_t m = 1; m < Wo - 1; m++) {
            dst[2 * m] = r1[m] + r3[m - 1];
            dst[2 * m + 1] = r0[m + 1] + r2[m];
        }
}

/* col2im of one plane for the transposed convolutions' 4x4, stride 2,
 * padding 1 (output 2 Ho x 2 Wo): output row oh takes kernel rows a and
 * a + 2 of the same parity, from input rows i and i - 1. */
static CGAN__MULTIVERSION void col2im_k4s2p1(const float *cols, int64_t ld, int64_t Ho,
                                             int64_t Wo, float *x) {
    for (int64_t oh = 0; oh < 2 * Ho; oh++) {
        int a = (oh & 1) ? 0 : 1;
        int64_t i = (oh + 1 - a) / 2; /* tap a reads row i, tap a + 2 row i - 1 */
        float *dst = x + oh * 2 * Wo;
        int wrote = 0;
        if (i < Ho) tap_row_k4s2(cols + a * 4 * ld + i * Wo, ld, Wo, dst, wrote++);
        if (i >= 1) tap_row_k4s2(cols + (a + 2) * 4 * ld + (i - 1) * Wo, ld, Wo, dst, wrote++);
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
    if (k == 4 && s == 2 && p == 1 && H == 2 * Ho && W == 2 * Wo && Wo <= IM2COL_FAST_MAX_WO) {
        for (int64_t c = 0; c < C; c++)
            im2col_k4s2p1(x + c * H * W, Ho, Wo, cols + c * 16 * ld, ld);
        return;
    }
    im2col(x, C, H, W, k, s, p, Ho, Wo, cols, ld);
}

void cgan__col2im(const float *cols, int64_t ld, int64_t C, int64_t H, int64_t W, int k,
                  int s, int p, int64_t Ho, int64_t Wo, float *x) {
    if (k == 4 && s == 2 && p == 1 && H == 2 * Ho && W == 2 * Wo) {
        for (int64_t c = 0; c < C; c++)
            col2im_k4s2p1(cols + c * 16 * ld, ld, Ho, Wo, x + c * H * W);
        return;
    }
    col2im(cols, ld, C, H, W, k, s, p, Ho, Wo, x);
}
