/* Writing a prepared data set's patches back out as PNGs, one directory per
 * condition: held-out real patches for `cgan compare`, at the same scale and
 * size as generated images. */
#include "data_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int make_dir(const char *path) {
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
        return cgan__error(CGAN_EIO, "cannot create directory %s: %s", path, strerror(errno));
    return CGAN_OK;
}

int cgan_dataset_export_png(const cgan_dataset *d, const char *dir, int64_t per_class, uint64_t seed,
                            int64_t *written) {
    const int64_t *xform, *labels;
    int64_t n, s, total = 0;
    cgan_tensor *one = NULL;
    cgan_rng *rng = NULL;
    int64_t *order = NULL;
    int rc;
    CGAN__CHECK_NOT_NULL(d, "dataset");
    CGAN__CHECK_NOT_NULL(dir, "dir");
    if (per_class < 1)
        return cgan__error(CGAN_EINVAL, "cgan_dataset_export_png: per_class %lld < 1", (long long)per_class);
    n = cgan_dataset_count(d);
    s = cgan_dataset_size(d);
    labels = cgan_dataset_labels(d);
    xform = cgan__dataset_transforms(d);
    if ((rc = make_dir(dir)) != CGAN_OK) return rc;
    order = malloc(sizeof *order * (size_t)n);
    if (order == NULL) return cgan__error(CGAN_ENOMEM, "cgan_dataset_export_png: out of memory");
    rc = cgan_rng_create(&rng, seed);
    if (rc == CGAN_OK) rc = cgan_tensor_create4(&one, 1, 1, s, s);
    /* A seeded shuffle, so the chosen patches spread over the micrographs. */
    for (int64_t i = 0; i < n; i++) order[i] = i;
    for (int64_t i = n - 1; rc == CGAN_OK && i > 0; i--) {
        int64_t j = cgan_rng_below(rng, i + 1), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (int64_t c = 0; rc == CGAN_OK && c < cgan_dataset_classes(d); c++) {
        char sub[1024], path[2200];
        int64_t k = 0;
        rc = cgan_condition_dirname(cgan_dataset_class_name(d, c), sub, sizeof sub);
        if (rc == CGAN_OK) {
            snprintf(path, sizeof path, "%s/%s", dir, sub);
            rc = make_dir(path);
        }
        for (int64_t i = 0; rc == CGAN_OK && i < n && k < per_class; i++) {
            int64_t p = order[i];
            if (labels[p] != c || (xform && xform[p] != CGAN_TRANSFORM_IDENTITY)) continue;
            snprintf(path, sizeof path, "%s/%s/patch_%04lld.png", dir, sub, (long long)k);
            memcpy(cgan_tensor_data(one), cgan_tensor_data_const(cgan_dataset_patches(d)) + p * s * s,
                   sizeof(float) * (size_t)(s * s));
            rc = cgan_image_write_png(path, one, -1.0f, 1.0f, 8);
            k++;
        }
        total += k;
    }
    if (written) *written = total;
    cgan_tensor_destroy(one);
    cgan_rng_destroy(rng);
    free(order);
    return rc;
}
