/* From the [0,1] float image to ImageJ's 8-bit grey values, and the
 * optional Gaussian pre-smoothing used for intermediate-grey phases. */
#include "analysis_internal.h"

#include <math.h>
#include <stdlib.h>

/* ImageJ converts 16-bit to 8-bit through the display range, which after
 * opening a file is the image's min..max: v' = (int)((v-min)*256/(max-min+1)
 * + 0.5), capped at 255. */
static void grey_from16(const float *img, int64_t n, const uint8_t *excl, double *grey) {
    long min = 65535, max = 0;
    for (int64_t i = 0; i < n; i++) {
        if (excl && excl[i]) continue;
        long v = lround((double)img[i] * 65535.0);
        if (v < min) min = v;
        if (v > max) max = v;
    }
    if (min > max) min = max = 0; /* everything excluded */
    double scale = 256.0 / (double)(max - min + 1);
    for (int64_t i = 0; i < n; i++) {
        long v = lround((double)img[i] * 65535.0) - min;
        if (v < 0) v = 0;
        long b = (long)((double)v * scale + 0.5);
        grey[i] = (double)(b > 255 ? 255 : b);
    }
}

int cgan__grey8(const float *img, int64_t n, int bits, const uint8_t *excl, double *grey) {
    for (int64_t i = 0; i < n; i++)
        if (!isfinite(img[i]) || img[i] < -1e-6f || img[i] > 1.0f + 1e-6f)
            return cgan__error(CGAN_EINVAL,
                               "cgan_micrograph_analyze: pixel %lld is %g, outside [0, 1] "
                               "(map generated [-1, 1] images to [0, 1] first)",
                               (long long)i, (double)img[i]);
    if (bits == 16) {
        grey_from16(img, n, excl, grey);
        return CGAN_OK;
    }
    for (int64_t i = 0; i < n; i++) {
        double v = round((double)img[i] * 255.0);
        grey[i] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
    return CGAN_OK;
}

/* One 1-D pass along rows (stride 1) or columns (stride w). */
static void blur_line(const double *src, double *dst, int len, int stride, const double *k, int r) {
    for (int i = 0; i < len; i++) {
        double s = 0.0;
        for (int j = -r; j <= r; j++) {
            int t = i + j;
            t = t < 0 ? 0 : t >= len ? len - 1 : t; /* replicate the edge pixel */
            s += k[j + r] * src[(int64_t)t * stride];
        }
        dst[(int64_t)i * stride] = s;
    }
}

int cgan__gaussian_blur(double *g, int w, int h, double sigma) {
    int r = (int)ceil(4.0 * sigma);
    double *k = malloc(sizeof(double) * (size_t)(2 * r + 1));
    double *tmp = malloc(sizeof(double) * (size_t)w * (size_t)h);
    if (!k || !tmp) {
        free(k);
        free(tmp);
        return cgan__error(CGAN_ENOMEM, "cgan_micrograph_analyze: out of memory for smoothing");
    }
    double sum = 0.0;
    for (int j = -r; j <= r; j++) sum += (k[j + r] = exp(-0.5 * j * j / (sigma * sigma)));
    for (int j = 0; j <= 2 * r; j++) k[j] /= sum;
    for (int y = 0; y < h; y++) blur_line(g + (int64_t)y * w, tmp + (int64_t)y * w, w, 1, k, r);
    for (int x = 0; x < w; x++) blur_line(tmp + x, g + x, h, w, k, r);
    free(k);
    free(tmp);
    return CGAN_OK;
}
