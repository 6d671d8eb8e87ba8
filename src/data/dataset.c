/* A prepared data set (written by cgan_prepare_run) loaded for training:
 * every member is checked against the others, so a foreign or damaged file
 * is CGAN_EFORMAT naming the member. */
#include "../core/internal.h"
#include "data_internal.h"

#include <stdlib.h>
#include <string.h>

struct cgan_dataset {
    cgan_tensor *patches;
    int64_t n, s, nc;
    int k, continuous;
    double um_per_px;
    int64_t *labels;
    float *conditions;
    cgan_cond_scaler *scaler; /* scale_min/max/log10; NULL when k == 0 */
    int64_t *xform;     /* patch_transform, NULL if absent */
    char **class_names, **columns;
};

void cgan_dataset_destroy(cgan_dataset *d) {
    if (!d) return;
    cgan_tensor_destroy(d->patches);
    for (int64_t i = 0; d->class_names && i < d->nc; i++) free(d->class_names[i]);
    for (int i = 0; d->columns && i < d->k; i++) free(d->columns[i]);
    free(d->class_names), free(d->columns), free(d->labels), free(d->conditions);
    cgan_cond_scaler_destroy(d->scaler), free(d->xform);
    free(d);
}

static int bad(const char *path, const char *member, const char *why) {
    return cgan__error(CGAN_EFORMAT, "%s member '%s': %s", path, member, why);
}

/* A 1-D string member of exactly n entries into a new array. */
static int read_strings(cgan_npz_reader *r, const char *path, const char *name, int64_t n, char ***out) {
    int dtype, ndim;
    int64_t shape[CGAN_NPY_MAX_DIMS];
    int rc = cgan_npz_member_info(r, name, &dtype, &ndim, shape, NULL, NULL);
    if (rc != CGAN_OK) return rc;
    if (ndim != 1 || shape[0] != n) return bad(path, name, "has the wrong length");
    *out = calloc((size_t)(n ? n : 1), sizeof(char *));
    if (!*out) return cgan__error(CGAN_ENOMEM, "cgan_dataset_load: out of memory");
    for (int64_t i = 0; i < n; i++) {
        size_t need;
        char probe[1];
        rc = cgan_npz_read_string(r, name, i, probe, 0, &need);
        if (rc != CGAN_OK && rc != CGAN_ESHAPE) return rc;
        if (!((*out)[i] = malloc(need))) return cgan__error(CGAN_ENOMEM, "cgan_dataset_load: out of memory");
        if ((rc = cgan_npz_read_string(r, name, i, (*out)[i], need, NULL)) != CGAN_OK) return rc;
    }
    return CGAN_OK;
}

/* scale_min, scale_max, scale_log10 into a condition scaler. */
static int load_scaling(cgan_dataset *d, cgan_npz_reader *r, const char *path) {
    if (d->k == 0) return CGAN_OK;
    float *smin = malloc(sizeof(float) * (size_t)d->k), *smax = malloc(sizeof(float) * (size_t)d->k);
    int64_t *slog = malloc(sizeof(int64_t) * (size_t)d->k);
    int rc = smin && smax && slog ? CGAN_OK : cgan__error(CGAN_ENOMEM, "cgan_dataset_load: out of memory");
    if (rc == CGAN_OK) rc = cgan_npz_read_float(r, "scale_min", smin, d->k);
    if (rc == CGAN_OK) rc = cgan_npz_read_float(r, "scale_max", smax, d->k);
    if (rc == CGAN_OK) rc = cgan_npz_read_int64(r, "scale_log10", slog, d->k);
    if (rc == CGAN_OK) rc = cgan_cond_scaler_create(&d->scaler, d->k);
    for (int c = 0; rc == CGAN_OK && c < d->k; c++)
        if (cgan_cond_scaler_set_column(d->scaler, c, smin[c], smax[c], slog[c] != 0) != CGAN_OK)
            rc = bad(path, "scale_min", "and scale_max are not finite with min <= max");
    free(smin), free(smax), free(slog);
    return rc;
}

static int load(cgan_dataset *d, cgan_npz_reader *r, const char *path) {
    int dtype, ndim, rc;
    int64_t shape[CGAN_NPY_MAX_DIMS], v;
    char buf[32];
    static const char *need[] = {"format", "patches", "class", "conditions", "class_names", "columns",
                                 "scale_min", "scale_max", "scale_log10", "mode", "um_per_px"};
    for (size_t i = 0; i < sizeof need / sizeof need[0]; i++)
        if (!cgan_npz_reader_has(r, need[i]))
            return cgan__error(CGAN_EFORMAT, "%s is not a prepared data set: member '%s' is missing", path, need[i]);
    if ((rc = cgan_npz_read_string(r, "format", 0, buf, sizeof buf, NULL)) != CGAN_OK || strcmp(buf, "cgan-dataset"))
        return rc != CGAN_OK ? rc : bad(path, "format", "is not 'cgan-dataset'");
    if ((rc = cgan_npz_read_tensor(r, "patches", &d->patches)) != CGAN_OK) return rc;
    if (cgan_tensor_ndim(d->patches) != 4 || cgan_tensor_dim(d->patches, 1) != 1 ||
        cgan_tensor_dim(d->patches, 2) != cgan_tensor_dim(d->patches, 3))
        return bad(path, "patches", "is not [N, 1, S, S]");
    d->n = cgan_tensor_dim(d->patches, 0);
    d->s = cgan_tensor_dim(d->patches, 2);
    if ((rc = cgan_npz_member_info(r, "class_names", NULL, &ndim, shape, NULL, NULL)) != CGAN_OK) return rc;
    if (ndim != 1 || shape[0] < 1) return bad(path, "class_names", "is not a non-empty list");
    d->nc = shape[0];
    if ((rc = cgan_npz_member_info(r, "columns", NULL, &ndim, shape, NULL, NULL)) != CGAN_OK) return rc;
    if (ndim != 1 || shape[0] > 1024) return bad(path, "columns", "is not a list");
    d->k = (int)shape[0];
    d->labels = malloc(sizeof(int64_t) * (size_t)d->n);
    d->conditions = malloc(sizeof(float) * (size_t)(d->n * d->k + 1));
    if (!d->labels || !d->conditions)
        return cgan__error(CGAN_ENOMEM, "cgan_dataset_load: out of memory");
    if ((rc = cgan_npz_read_int64(r, "class", d->labels, d->n)) != CGAN_OK) return rc;
    for (int64_t i = 0; i < d->n; i++)
        if (d->labels[i] < 0 || d->labels[i] >= d->nc) return bad(path, "class", "holds an index outside class_names");
    if ((rc = cgan_npz_member_info(r, "conditions", &dtype, &ndim, shape, NULL, NULL)) != CGAN_OK) return rc;
    if (ndim != 2 || shape[0] != d->n || shape[1] != d->k) return bad(path, "conditions", "is not [N, k]");
    if ((rc = cgan_npz_read_float(r, "conditions", d->conditions, d->n * d->k)) != CGAN_OK) return rc;
    if ((rc = load_scaling(d, r, path)) != CGAN_OK) return rc;
    if ((rc = read_strings(r, path, "class_names", d->nc, &d->class_names)) != CGAN_OK) return rc;
    if ((rc = read_strings(r, path, "columns", d->k, &d->columns)) != CGAN_OK) return rc;
    if ((rc = cgan_npz_read_string(r, "mode", 0, buf, sizeof buf, NULL)) != CGAN_OK) return rc;
    if (strcmp(buf, "discrete") && strcmp(buf, "continuous")) return bad(path, "mode", "is not discrete or continuous");
    d->continuous = !strcmp(buf, "continuous");
    float um;
    if ((rc = cgan_npz_read_float(r, "um_per_px", &um, 1)) != CGAN_OK) return rc;
    d->um_per_px = um;
    if (cgan_npz_reader_has(r, "patch_transform")) {
        if (!(d->xform = malloc(sizeof(int64_t) * (size_t)d->n)))
            return cgan__error(CGAN_ENOMEM, "cgan_dataset_load: out of memory");
        if ((rc = cgan_npz_read_int64(r, "patch_transform", d->xform, d->n)) != CGAN_OK) return rc;
    }
    if (cgan_npz_reader_has(r, "version")) {
        if ((rc = cgan_npz_read_int64(r, "version", &v, 1)) != CGAN_OK) return rc;
        if (v > 1) return cgan__error(CGAN_EVERSION, "%s: data set version %lld is newer than this libcgan reads (1)",
                                      path, (long long)v);
    }
    return CGAN_OK;
}

int cgan_dataset_load(cgan_dataset **out, const char *path) {
    cgan_npz_reader *r;
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    CGAN__CHECK_NOT_NULL(path, "path");
    int rc = cgan_npz_reader_open(&r, path);
    if (rc != CGAN_OK) return rc;
    cgan_dataset *d = calloc(1, sizeof *d);
    rc = d ? load(d, r, path) : cgan__error(CGAN_ENOMEM, "cgan_dataset_load: out of memory");
    cgan_npz_reader_destroy(r);
    if (rc != CGAN_OK) {
        cgan_dataset_destroy(d);
        return rc;
    }
    *out = d;
    return CGAN_OK;
}

int64_t cgan_dataset_count(const cgan_dataset *d) { return d ? d->n : 0; }
int64_t cgan_dataset_size(const cgan_dataset *d) { return d ? d->s : 0; }
double cgan_dataset_um_per_px(const cgan_dataset *d) { return d ? d->um_per_px : 0.0; }
int cgan_dataset_continuous(const cgan_dataset *d) { return d ? d->continuous : 0; }
int64_t cgan_dataset_classes(const cgan_dataset *d) { return d ? d->nc : 0; }
const char *cgan_dataset_class_name(const cgan_dataset *d, int64_t c) {
    return d && c >= 0 && c < d->nc ? d->class_names[c] : NULL;
}
int cgan_dataset_columns(const cgan_dataset *d) { return d ? d->k : 0; }
const char *cgan_dataset_column_name(const cgan_dataset *d, int c) {
    return d && c >= 0 && c < d->k ? d->columns[c] : NULL;
}
int cgan_dataset_scaling(const cgan_dataset *d, int col, double *min, double *max, int *log10_first) {
    if (!d || col < 0 || col >= d->k) return cgan__error(CGAN_EINVAL, "cgan_dataset_scaling: no column %d", col);
    return cgan_cond_scaler_get_column(d->scaler, col, min, max, log10_first);
}
const cgan_cond_scaler *cgan_dataset_scaler(const cgan_dataset *d) { return d ? d->scaler : NULL; }
const cgan_tensor *cgan_dataset_patches(const cgan_dataset *d) { return d ? d->patches : NULL; }
const int64_t *cgan__dataset_transforms(const cgan_dataset *d) { return d ? d->xform : NULL; }
const int64_t *cgan_dataset_labels(const cgan_dataset *d) { return d ? d->labels : NULL; }
const float *cgan_dataset_conditions(const cgan_dataset *d) { return d ? d->conditions : NULL; }

int cgan_dataset_gather(const cgan_dataset *d, const int64_t *idx, int64_t n, cgan_tensor *images,
                        cgan_tensor *labels, cgan_tensor *conditions) {
    CGAN__CHECK_NOT_NULL(d, "d");
    CGAN__CHECK_NOT_NULL(idx, "idx");
    CGAN__CHECK_NOT_NULL(images, "images");
    int64_t ss = d->s * d->s;
    if (cgan_tensor_numel(images) != n * ss || cgan_tensor_dim(images, 0) != n)
        return cgan__error(CGAN_ESHAPE, "cgan_dataset_gather: images must be [%lld, 1, %lld, %lld]",
                           (long long)n, (long long)d->s, (long long)d->s);
    if (labels && cgan_tensor_numel(labels) != n)
        return cgan__error(CGAN_ESHAPE, "cgan_dataset_gather: labels must hold %lld values", (long long)n);
    if (conditions && (cgan_tensor_numel(conditions) != n * d->k || d->k == 0))
        return cgan__error(CGAN_ESHAPE, "cgan_dataset_gather: conditions must be [%lld, %d]", (long long)n, d->k);
    for (int64_t i = 0; i < n; i++)
        if (idx[i] < 0 || idx[i] >= d->n)
            return cgan__error(CGAN_EINVAL, "cgan_dataset_gather: index %lld is outside 0..%lld",
                               (long long)idx[i], (long long)d->n - 1);
    for (int64_t i = 0; i < n; i++) {
        memcpy(cgan_tensor_data(images) + i * ss, cgan_tensor_data_const(d->patches) + idx[i] * ss,
               sizeof(float) * (size_t)ss);
        if (labels) cgan_tensor_data(labels)[i] = (float)d->labels[idx[i]];
        if (conditions)
            memcpy(cgan_tensor_data(conditions) + i * d->k, d->conditions + idx[i] * d->k,
                   sizeof(float) * (size_t)d->k);
    }
    return CGAN_OK;
}
