/* Dense float32 tensors of up to four dimensions. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

int64_t cgan__shape_numel(int ndim, const int64_t *shape) {
    int64_t n = 1;
    if (ndim < 1 || ndim > CGAN_TENSOR_MAX_DIMS || shape == NULL) return -1;
    for (int i = 0; i < ndim; i++) {
        if (shape[i] < 1 || n > INT64_MAX / shape[i]) return -1;
        n *= shape[i];
    }
    return n;
}

const char *cgan__shape_str(const cgan_tensor *t, char *buf, size_t n) {
    size_t used = 0;
    if (n == 0) return buf;
    buf[0] = '\0';
    if (t == NULL) {
        snprintf(buf, n, "(null)");
        return buf;
    }
    used += (size_t)snprintf(buf, n, "[");
    for (int i = 0; i < t->ndim && used < n; i++)
        used += (size_t)snprintf(buf + used, n - used, i ? ", %lld" : "%lld", (long long)t->shape[i]);
    if (used < n) snprintf(buf + used, n - used, "]");
    return buf;
}

static int check_shape(const char *fn, int ndim, const int64_t *shape, int64_t *numel) {
    if (shape == NULL) return cgan__error(CGAN_EINVAL, "%s: shape is NULL", fn);
    if (ndim < 1 || ndim > CGAN_TENSOR_MAX_DIMS)
        return cgan__error(CGAN_EINVAL, "%s: ndim %d is not in 1..%d", fn, ndim, CGAN_TENSOR_MAX_DIMS);
    for (int i = 0; i < ndim; i++)
        if (shape[i] < 1)
            return cgan__error(CGAN_EINVAL, "%s: extent %lld of axis %d is not positive", fn,
                               (long long)shape[i], i);
    *numel = cgan__shape_numel(ndim, shape);
    if (*numel < 0 || (uint64_t)*numel > SIZE_MAX / sizeof(float))
        return cgan__error(CGAN_EINVAL, "%s: shape is too large", fn);
    return CGAN_OK;
}

int cgan_tensor_create(cgan_tensor **out, int ndim, const int64_t *shape) {
    int64_t numel;
    int rc;
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    if ((rc = check_shape(__func__, ndim, shape, &numel)) != CGAN_OK) return rc;
    cgan_tensor *t = calloc(1, sizeof *t);
    if (t == NULL) return cgan__error(CGAN_ENOMEM, "cgan_tensor_create: out of memory");
    t->data = cgan__calloc((size_t)numel * sizeof(float));
    if (t->data == NULL) {
        free(t);
        return cgan__error(CGAN_ENOMEM, "cgan_tensor_create: cannot allocate %lld floats",
                           (long long)numel);
    }
    t->ndim = ndim;
    memcpy(t->shape, shape, (size_t)ndim * sizeof *shape);
    t->numel = numel;
    t->capacity = (size_t)numel;
    *out = t;
    return CGAN_OK;
}

int cgan_tensor_create4(cgan_tensor **out, int64_t d0, int64_t d1, int64_t d2, int64_t d3) {
    int64_t shape[4] = {d0, d1, d2, d3};
    int ndim = 4;
    while (ndim > 1 && shape[ndim - 1] == 0) ndim--;
    return cgan_tensor_create(out, ndim, shape);
}

int cgan_tensor_clone(cgan_tensor **out, const cgan_tensor *src) {
    int rc;
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    CGAN__CHECK_NOT_NULL(src, "src");
    if ((rc = cgan_tensor_create(out, src->ndim, src->shape)) != CGAN_OK) return rc;
    memcpy((*out)->data, src->data, (size_t)src->numel * sizeof(float));
    return CGAN_OK;
}

void cgan_tensor_destroy(cgan_tensor *t) {
    if (t == NULL) return;
    cgan__free(t->data);
    free(t);
}

int cgan__tensor_resize(cgan_tensor *t, int ndim, const int64_t *shape) {
    int64_t numel;
    int rc;
    if ((rc = check_shape(__func__, ndim, shape, &numel)) != CGAN_OK) return rc;
    if ((size_t)numel > t->capacity) {
        float *data = cgan__calloc((size_t)numel * sizeof(float));
        if (data == NULL)
            return cgan__error(CGAN_ENOMEM, "cannot allocate a tensor of %lld floats", (long long)numel);
        if (t->data) memcpy(data, t->data, (size_t)t->numel * sizeof(float));
        cgan__free(t->data);
        t->data = data;
        t->capacity = (size_t)numel;
    }
    t->ndim = ndim;
    memset(t->shape, 0, sizeof t->shape);
    memcpy(t->shape, shape, (size_t)ndim * sizeof *shape);
    t->numel = numel;
    return CGAN_OK;
}

int cgan_tensor_ndim(const cgan_tensor *t) { return t ? t->ndim : 0; }

int64_t cgan_tensor_dim(const cgan_tensor *t, int axis) {
    if (t == NULL || axis < 0 || axis >= t->ndim) return 0;
    return t->shape[axis];
}

int64_t cgan_tensor_numel(const cgan_tensor *t) { return t ? t->numel : 0; }

int cgan_tensor_shape(const cgan_tensor *t, int *ndim, int64_t *shape) {
    CGAN__CHECK_NOT_NULL(t, "tensor");
    if (ndim) *ndim = t->ndim;
    if (shape) memcpy(shape, t->shape, (size_t)t->ndim * sizeof *shape);
    return CGAN_OK;
}

float *cgan_tensor_data(cgan_tensor *t) { return t ? t->data : NULL; }
const float *cgan_tensor_data_const(const cgan_tensor *t) { return t ? t->data : NULL; }

int cgan_tensor_reshape(cgan_tensor *t, int ndim, const int64_t *shape) {
    int64_t numel;
    int rc;
    CGAN__CHECK_NOT_NULL(t, "tensor");
    if ((rc = check_shape(__func__, ndim, shape, &numel)) != CGAN_OK) return rc;
    if (numel != t->numel) {
        char buf[64];
        return cgan__error(CGAN_ESHAPE, "cgan_tensor_reshape: %lld elements cannot become %s (%lld)",
                           (long long)t->numel, cgan__shape_str(t, buf, sizeof buf), (long long)numel);
    }
    t->ndim = ndim;
    memset(t->shape, 0, sizeof t->shape);
    memcpy(t->shape, shape, (size_t)ndim * sizeof *shape);
    return CGAN_OK;
}

int cgan_tensor_copy(cgan_tensor *dst, const cgan_tensor *src) {
    CGAN__CHECK_NOT_NULL(dst, "dst");
    CGAN__CHECK_NOT_NULL(src, "src");
    if (dst->ndim != src->ndim || memcmp(dst->shape, src->shape, sizeof dst->shape) != 0) {
        char a[64], b[64];
        return cgan__error(CGAN_ESHAPE, "cgan_tensor_copy: destination %s differs from source %s",
                           cgan__shape_str(dst, a, sizeof a), cgan__shape_str(src, b, sizeof b));
    }
    if (dst != src) memcpy(dst->data, src->data, (size_t)src->numel * sizeof(float));
    return CGAN_OK;
}

int cgan_tensor_fill(cgan_tensor *t, float value) {
    CGAN__CHECK_NOT_NULL(t, "tensor");
    for (int64_t i = 0; i < t->numel; i++) t->data[i] = value;
    return CGAN_OK;
}

int cgan_tensor_set_data(cgan_tensor *t, const float *src, int64_t n) {
    CGAN__CHECK_NOT_NULL(t, "tensor");
    CGAN__CHECK_NOT_NULL(src, "src");
    if (n != t->numel)
        return cgan__error(CGAN_ESHAPE, "cgan_tensor_set_data: %lld values for a tensor of %lld",
                           (long long)n, (long long)t->numel);
    memcpy(t->data, src, (size_t)n * sizeof(float));
    return CGAN_OK;
}

int cgan_tensor_get_data(const cgan_tensor *t, float *dst, int64_t n) {
    CGAN__CHECK_NOT_NULL(t, "tensor");
    CGAN__CHECK_NOT_NULL(dst, "dst");
    if (n != t->numel)
        return cgan__error(CGAN_ESHAPE, "cgan_tensor_get_data: room for %lld values, tensor has %lld",
                           (long long)n, (long long)t->numel);
    memcpy(dst, t->data, (size_t)n * sizeof(float));
    return CGAN_OK;
}

/* One image as the data and analysis modules take it. */
int cgan__image_hw(const cgan_tensor *img, int64_t *h, int64_t *w) {
    if (!img) return -1;
    if (img->ndim == 2) *h = img->shape[0], *w = img->shape[1];
    else if (img->ndim == 3 && img->shape[0] == 1) *h = img->shape[1], *w = img->shape[2];
    else if (img->ndim == 4 && img->shape[0] == 1 && img->shape[1] == 1) *h = img->shape[2], *w = img->shape[3];
    else return -1;
    return 0;
}
