/* Image sets from a data manifest (the data module's parser): one item per
 * row with its scale, roi and mask, named by the row's condition in the
 * directory form that DIR/<condition>/ layouts use. */
#include "comparison_internal.h"

#include <stdlib.h>
#include <string.h>

int cgan_imageset_add_manifest(cgan_imageset *s, const char *manifest_path) {
    CGAN__CHECK_NOT_NULL(s, "s");
    CGAN__CHECK_NOT_NULL(manifest_path, "manifest_path");
    cgan_manifest *m;
    int rc = cgan_manifest_load(&m, manifest_path);
    if (rc != CGAN_OK) return rc;
    int64_t n0 = s->n;
    for (int64_t r = 0; r < cgan_manifest_rows(m) && rc == CGAN_OK; r++) {
        const char *name = cgan_manifest_condition_name(m, r);
        size_t len = strlen(name) + 1;
        char *dir = malloc(len);
        int64_t roi[4];
        int has_roi = cgan_manifest_roi(m, r, roi);
        rc = dir ? cgan_condition_dirname(name, dir, len)
                 : cgan__error(CGAN_ENOMEM, "cgan_imageset_add_manifest: out of memory");
        if (rc == CGAN_OK)
            rc = cgan__imageset_add_item(s, cgan_manifest_path(m, r), dir, cgan_manifest_um_per_px(m, r),
                                         has_roi == 1 ? roi : NULL, cgan_manifest_mask(m, r));
        free(dir);
    }
    if (rc != CGAN_OK) cgan__imageset_truncate(s, n0);
    cgan_manifest_destroy(m);
    return rc;
}

/* Crop *t in place to the item's roi. */
static int crop(const cgan__image_item *it, const char *what, const char *file, cgan_tensor **t) {
    cgan_tensor *c = NULL;
    int rc = cgan_image_crop(&c, *t, it->roi[0], it->roi[1], it->roi[2], it->roi[3]);
    if (rc != CGAN_OK) {
        char buf[64];
        return cgan__error(CGAN_ESHAPE, "cgan_comparison_run: roi %lld:%lld:%lld:%lld is not inside "
                           "the %s %s (%s)", (long long)it->roi[0], (long long)it->roi[1],
                           (long long)it->roi[2], (long long)it->roi[3], what, file,
                           cgan__shape_str(*t, buf, sizeof buf));
    }
    cgan_tensor_destroy(*t);
    *t = c;
    return CGAN_OK;
}

int cgan__imageset_read(const cgan__image_item *it, cgan_tensor **img, cgan_tensor **mask,
                        int *bits) {
    *img = *mask = NULL;
    int rc = cgan_image_read(it->path, img, bits);
    if (rc == CGAN_OK && it->mask) {
        rc = cgan_image_read(it->mask, mask, NULL);
        if (rc == CGAN_OK && (cgan_tensor_dim(*mask, 2) != cgan_tensor_dim(*img, 2) ||
                              cgan_tensor_dim(*mask, 3) != cgan_tensor_dim(*img, 3)))
            rc = cgan__error(CGAN_ESHAPE, "cgan_comparison_run: mask %s is %lldx%lld, image %s is "
                             "%lldx%lld", it->mask, (long long)cgan_tensor_dim(*mask, 3),
                             (long long)cgan_tensor_dim(*mask, 2), it->path,
                             (long long)cgan_tensor_dim(*img, 3), (long long)cgan_tensor_dim(*img, 2));
    }
    if (rc == CGAN_OK && it->has_roi) rc = crop(it, "image", it->path, img);
    if (rc == CGAN_OK && it->has_roi && *mask) rc = crop(it, "mask", it->mask, mask);
    if (rc != CGAN_OK) {
        cgan_tensor_destroy(*img);
        cgan_tensor_destroy(*mask);
        *img = *mask = NULL;
    }
    return rc;
}
