/* Reshape / flatten: per-sample index maps in row-major order, so the data
 * are copied unchanged and only the shape differs. */
#include "../nn/nn_internal.h"

#include <string.h>

/* iarg[0] = ndim of the per-sample shape (0 = flatten), iarg[1..3] = extents */
static int forward(cgan_layer *l, const cgan_tensor *const *in, int train, int keep) {
    const cgan_tensor *x = in[0];
    char buf[64];
    int64_t N = x->shape[0], per = x->numel / N, shape[4] = {N, 0, 0, 0};
    int ndim = (int)l->iarg[0];
    if (ndim == 0) {
        shape[1] = per;
        ndim = 1;
    } else {
        int64_t want = 1;
        for (int i = 0; i < ndim; i++) want *= (shape[i + 1] = l->iarg[i + 1]);
        if (want != per)
            return cgan__error(CGAN_ESHAPE, "reshape: input %s has %lld values per sample, the "
                               "target shape %lld", CGAN__SHAPE_STR(x, buf), (long long)per,
                               (long long)want);
    }
    int rc = cgan__tensor_resize(l->out, ndim + 1, shape);
    if (rc != CGAN_OK) return rc;
    memcpy(l->out->data, x->data, (size_t)x->numel * sizeof(float));
    return CGAN_OK;
}

static int backward(cgan_layer *l, const cgan_tensor *const *in, const cgan_tensor *dout,
                    cgan_tensor *const *din, int want_params) {
    if (din[0]) memcpy(din[0]->data, dout->data, (size_t)dout->numel * sizeof(float));
    return CGAN_OK;
}

static const cgan__layer_ops ops_reshape = {"reshape", 1, 0, forward, backward};
static const cgan__layer_ops ops_flatten = {"flatten", 1, 0, forward, backward};

int cgan_layer_create_reshape(cgan_layer **out, int ndim, const int64_t *shape, uint32_t flags) {
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    CGAN__CHECK_NOT_NULL(shape, "shape");
    if (ndim < 1 || ndim > 3)
        return cgan__error(CGAN_EINVAL, "%s: ndim %d is not in 1..3 (the batch axis is implied)",
                           __func__, ndim);
    for (int i = 0; i < ndim; i++)
        if (shape[i] < 1)
            return cgan__error(CGAN_EINVAL, "%s: extent %lld of axis %d is not positive", __func__,
                               (long long)shape[i], i);
    if (flags != 0) return cgan__error(CGAN_EINVAL, "%s: unknown flags 0x%x", __func__, (unsigned)flags);
    int rc = cgan__layer_new(out, &ops_reshape, NULL, 0, NULL, 0);
    if (rc != CGAN_OK) return rc;
    (*out)->iarg[0] = ndim;
    for (int i = 0; i < ndim; i++) (*out)->iarg[i + 1] = shape[i];
    return CGAN_OK;
}

int cgan_layer_create_flatten(cgan_layer **out, uint32_t flags) {
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    if (flags != 0) return cgan__error(CGAN_EINVAL, "%s: unknown flags 0x%x", __func__, (unsigned)flags);
    return cgan__layer_new(out, &ops_flatten, NULL, 0, NULL, 0);
}
