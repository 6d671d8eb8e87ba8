/* Bringing every micrograph to one physical scale: resampling of images
 * (stb_image_resize from Debian's libstb) and of masks, and cropping. */
#include "../core/internal.h"
#include "data_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <stb_image_resize.h>

static int out_size(const char *fn, const cgan_tensor *img, double src, double dst, int64_t *h,
                    int64_t *w, int64_t *oh, int64_t *ow) {
    if (cgan__image_hw(img, h, w) != 0)
        return cgan__error(CGAN_ESHAPE, "%s: image must be [H,W], [1,H,W] or [1,1,H,W]", fn);
    if (!(src > 0) || !(dst > 0) || !isfinite(src) || !isfinite(dst))
        return cgan__error(CGAN_EINVAL, "%s: scales must be positive (got %g and %g um/px)", fn, src, dst);
    double s = src / dst;
    /* a hair of slack so that exact ratios are not lost to rounding */
    *ow = (int64_t)floor(*w * s + 1e-9);
    *oh = (int64_t)floor(*h * s + 1e-9);
    if (*ow < 1 || *oh < 1 || *ow > (1 << 20) || *oh > (1 << 20))
        return cgan__error(CGAN_EINVAL, "%s: %lldx%lld px at %g um/px gives %lldx%lld px at %g um/px",
                           fn, (long long)*w, (long long)*h, src, (long long)*ow, (long long)*oh, dst);
    return CGAN_OK;
}

int cgan_image_resample(cgan_tensor **out, const cgan_tensor *img, double src_um_per_px,
                        double dst_um_per_px) {
    int64_t h, w, oh, ow;
    int rc;
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    CGAN__CHECK_NOT_NULL(img, "img");
    if ((rc = out_size(__func__, img, src_um_per_px, dst_um_per_px, &h, &w, &oh, &ow)) != CGAN_OK) return rc;
    if ((rc = cgan_tensor_create4(out, 1, 1, oh, ow)) != CGAN_OK) return rc;
    float s = (float)(src_um_per_px / dst_um_per_px);
    /* exact scale (not ow/w), so each output pixel is dst_um_per_px wide */
    stbir_filter f = s < 1.0f ? STBIR_FILTER_BOX : STBIR_FILTER_TRIANGLE;
    if (!stbir_resize_subpixel(img->data, (int)w, (int)h, 0, (*out)->data, (int)ow, (int)oh, 0,
                               STBIR_TYPE_FLOAT, 1, STBIR_ALPHA_CHANNEL_NONE, 0, STBIR_EDGE_CLAMP,
                               STBIR_EDGE_CLAMP, f, f, STBIR_COLORSPACE_LINEAR, NULL, s, s, 0.0f, 0.0f)) {
        cgan_tensor_destroy(*out);
        *out = NULL;
        return cgan__error(CGAN_ENOMEM, "%s: stb_image_resize failed (out of memory)", __func__);
    }
    return CGAN_OK;
}

int64_t *cgan__integral(const cgan_tensor *mask, int64_t h, int64_t w) {
    if (!mask) return NULL;
    int64_t *ii = calloc((size_t)((h + 1) * (w + 1)), sizeof *ii);
    if (!ii) return NULL;
    for (int64_t y = 0; y < h; y++) {
        int64_t run = 0;
        for (int64_t x = 0; x < w; x++) {
            run += mask->data[y * w + x] != 0.0f;
            ii[(y + 1) * (w + 1) + x + 1] = ii[y * (w + 1) + x + 1] + run;
        }
    }
    return ii;
}

int64_t cgan__integral_sum(const int64_t *ii, int64_t w, int64_t x0, int64_t y0, int64_t x1, int64_t y1) {
    if (!ii) return 0;
    return ii[y1 * (w + 1) + x1] - ii[y0 * (w + 1) + x1] - ii[y1 * (w + 1) + x0] + ii[y0 * (w + 1) + x0];
}

int cgan_mask_resample(cgan_tensor **out, const cgan_tensor *mask, double src_um_per_px,
                       double dst_um_per_px) {
    int64_t h, w, oh, ow;
    int rc;
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    CGAN__CHECK_NOT_NULL(mask, "mask");
    if ((rc = out_size(__func__, mask, src_um_per_px, dst_um_per_px, &h, &w, &oh, &ow)) != CGAN_OK) return rc;
    int64_t *ii = cgan__integral(mask, h, w);
    if (!ii) return cgan__error(CGAN_ENOMEM, "%s: out of memory", __func__);
    if ((rc = cgan_tensor_create4(out, 1, 1, oh, ow)) != CGAN_OK) {
        free(ii);
        return rc;
    }
    double inv = dst_um_per_px / src_um_per_px; /* source px per output px */
    for (int64_t y = 0; y < oh; y++) {
        int64_t y0 = (int64_t)floor(y * inv), y1 = (int64_t)ceil((y + 1) * inv);
        if (y1 > h) y1 = h;
        if (y1 <= y0) y1 = y0 + 1;
        for (int64_t x = 0; x < ow; x++) {
            int64_t x0 = (int64_t)floor(x * inv), x1 = (int64_t)ceil((x + 1) * inv);
            if (x1 > w) x1 = w;
            if (x1 <= x0) x1 = x0 + 1;
            (*out)->data[y * ow + x] = cgan__integral_sum(ii, w, x0, y0, x1, y1) > 0 ? 1.0f : 0.0f;
        }
    }
    free(ii);
    return CGAN_OK;
}

int cgan_image_crop(cgan_tensor **out, const cgan_tensor *img, int64_t x, int64_t y, int64_t cw,
                    int64_t ch) {
    int64_t h, w;
    int rc;
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    CGAN__CHECK_NOT_NULL(img, "img");
    if (cgan__image_hw(img, &h, &w) != 0)
        return cgan__error(CGAN_ESHAPE, "cgan_image_crop: image must be [H,W], [1,H,W] or [1,1,H,W]");
    if (x < 0 || y < 0 || cw < 1 || ch < 1 || x + cw > w || y + ch > h)
        return cgan__error(CGAN_EINVAL, "cgan_image_crop: region %lld:%lld:%lld:%lld is not inside "
                           "the %lldx%lld image", (long long)x, (long long)y, (long long)cw,
                           (long long)ch, (long long)w, (long long)h);
    if ((rc = cgan_tensor_create4(out, 1, 1, ch, cw)) != CGAN_OK) return rc;
    for (int64_t r = 0; r < ch; r++)
        memcpy((*out)->data + r * cw, img->data + (y + r) * w + x, sizeof(float) * (size_t)cw);
    return CGAN_OK;
}
