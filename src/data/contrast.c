/* Bringing micrographs to one contrast level: percentile stretching and
 * histogram matching to a reference, both over the usable (unmasked)
 * pixels only. */
#include "../core/internal.h"
#include "data_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_float(const void *a, const void *b) {
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

float *cgan__usable_sorted(const cgan_tensor *img, const cgan_tensor *mask, int64_t *n) {
    float *v = malloc(sizeof(float) * (size_t)img->numel);
    *n = 0;
    if (!v) return NULL;
    for (int64_t i = 0; i < img->numel; i++)
        if ((!mask || mask->data[i] == 0.0f) && isfinite(img->data[i])) v[(*n)++] = img->data[i];
    qsort(v, (size_t)*n, sizeof *v, cmp_float);
    return v;
}

/* Linear-interpolated quantile q in [0, 1] of n sorted values. */
static double quantile(const float *s, int64_t n, double q) {
    double pos = q * (double)(n - 1);
    int64_t i = (int64_t)floor(pos);
    if (i >= n - 1) return s[n - 1];
    if (i < 0) return s[0];
    return s[i] + (pos - (double)i) * (s[i + 1] - s[i]);
}

static int check_pair(const char *fn, const cgan_tensor *img, const cgan_tensor *mask) {
    int64_t h, w, mh, mw;
    if (cgan__image_hw(img, &h, &w) != 0)
        return cgan__error(CGAN_ESHAPE, "%s: image must be [H,W], [1,H,W] or [1,1,H,W]", fn);
    if (mask && (cgan__image_hw(mask, &mh, &mw) != 0 || mh != h || mw != w))
        return cgan__error(CGAN_ESHAPE, "%s: the mask is not the image's size", fn);
    return CGAN_OK;
}

int cgan_image_stretch(cgan_tensor *img, const cgan_tensor *mask, double lo_pct, double hi_pct) {
    int64_t n;
    int rc;
    CGAN__CHECK_NOT_NULL(img, "img");
    if ((rc = check_pair(__func__, img, mask)) != CGAN_OK) return rc;
    if (!(lo_pct >= 0 && lo_pct < hi_pct && hi_pct <= 100))
        return cgan__error(CGAN_EINVAL, "cgan_image_stretch: need 0 <= lo (%g) < hi (%g) <= 100", lo_pct, hi_pct);
    float *s = cgan__usable_sorted(img, mask, &n);
    if (!s) return cgan__error(CGAN_ENOMEM, "cgan_image_stretch: out of memory");
    if (n == 0) {
        free(s);
        return cgan__error(CGAN_EINVAL, "cgan_image_stretch: every pixel is masked out");
    }
    double lo = quantile(s, n, lo_pct / 100.0), hi = quantile(s, n, hi_pct / 100.0);
    free(s);
    for (int64_t i = 0; i < img->numel; i++) {
        double v = hi > lo ? (img->data[i] - lo) / (hi - lo) : 0.5;
        img->data[i] = (float)(v < 0 ? 0 : v > 1 ? 1 : v);
    }
    return CGAN_OK;
}

int cgan_image_match_histogram(cgan_tensor *img, const cgan_tensor *mask,
                               const cgan_tensor *reference, const cgan_tensor *reference_mask) {
    int64_t n, nr;
    int rc;
    CGAN__CHECK_NOT_NULL(img, "img");
    CGAN__CHECK_NOT_NULL(reference, "reference");
    if ((rc = check_pair(__func__, img, mask)) != CGAN_OK) return rc;
    if ((rc = check_pair(__func__, reference, reference_mask)) != CGAN_OK) return rc;
    float *s = cgan__usable_sorted(img, mask, &n);
    float *r = cgan__usable_sorted(reference, reference_mask, &nr);
    if (!s || !r) {
        free(s);
        free(r);
        return cgan__error(CGAN_ENOMEM, "cgan_image_match_histogram: out of memory");
    }
    if (n == 0 || nr == 0) {
        free(s);
        free(r);
        return cgan__error(CGAN_EINVAL, "cgan_image_match_histogram: no usable pixels");
    }
    for (int64_t i = 0; i < img->numel; i++) {
        float v = img->data[i];
        /* first and one-past-last index of v among the sorted usable values */
        int64_t a = 0, b = n;
        while (a < b) {
            int64_t mid = (a + b) / 2;
            if (s[mid] < v) a = mid + 1;
            else b = mid;
        }
        int64_t lo = a;
        b = n;
        while (a < b) {
            int64_t mid = (a + b) / 2;
            if (s[mid] <= v) a = mid + 1;
            else b = mid;
        }
        /* ties share their mean rank; values between samples interpolate */
        double rank = a > lo ? 0.5 * (double)(lo + a - 1) : (double)lo - 0.5;
        double q = n > 1 ? rank / (double)(n - 1) : 0.5;
        img->data[i] = (float)quantile(r, nr, q < 0 ? 0 : q > 1 ? 1 : q);
    }
    free(s);
    free(r);
    return CGAN_OK;
}
