/* Embedding: out[n] = weight[label[n]]; labels are whole-number floats. */
#include "../nn/nn_internal.h"

#include <math.h>
#include <string.h>

#define NUM(l) ((l)->iarg[0])
#define DIM(l) ((l)->iarg[1])

static int forward(cgan_layer *l, const cgan_tensor *const *in, int train, int keep) {
    const cgan_tensor *y = in[0];
    char buf[64];
    if (!(y->ndim == 1 || (y->ndim == 2 && y->shape[1] == 1)))
        return cgan__error(CGAN_ESHAPE, "embedding: labels %s are not [N] or [N, 1]",
                           CGAN__SHAPE_STR(y, buf));
    int64_t N = y->shape[0];
    for (int64_t n = 0; n < N; n++) {
        float v = y->data[n];
        if (!(v >= 0.0f && v < (float)NUM(l)) || v != floorf(v))
            return cgan__error(CGAN_EINVAL, "embedding: label %g at index %lld is not a class "
                               "index in 0..%lld", (double)v, (long long)n, (long long)NUM(l) - 1);
    }
    int64_t shape[2] = {N, DIM(l)};
    int rc = cgan__tensor_resize(l->out, 2, shape);
    if (rc != CGAN_OK) return rc;
    const float *w = l->params[0].value.data;
    for (int64_t n = 0; n < N; n++)
        memcpy(l->out->data + n * DIM(l), w + (int64_t)y->data[n] * DIM(l),
               (size_t)DIM(l) * sizeof(float));
    return CGAN_OK;
}

static int backward(cgan_layer *l, const cgan_tensor *const *in, const cgan_tensor *dout,
                    cgan_tensor *const *din, int want_params) {
    if (!want_params) return CGAN_OK;
    float *dw = l->params[0].grad.data;
    for (int64_t n = 0; n < in[0]->shape[0]; n++) {
        float *row = dw + (int64_t)in[0]->data[n] * DIM(l);
        const float *g = dout->data + n * DIM(l);
        for (int64_t j = 0; j < DIM(l); j++) row[j] += g[j];
    }
    return CGAN_OK;
}

static const cgan__layer_ops ops = {"embedding", 1, 1u, forward, backward};

int cgan_layer_create_embedding(cgan_layer **out, int64_t num_classes, int64_t dim,
                                uint32_t flags) {
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    if (num_classes < 1 || dim < 1 || num_classes > (1 << 24))
        return cgan__error(CGAN_EINVAL, "%s: invalid size %lld x %lld", __func__,
                           (long long)num_classes, (long long)dim);
    if (flags != 0) return cgan__error(CGAN_EINVAL, "%s: unknown flags 0x%x", __func__, (unsigned)flags);
    cgan__pspec p[1] = {{"weight", 2, {num_classes, dim}, CGAN__INIT_EMBED, 0}};
    int rc = cgan__layer_new(out, &ops, p, 1, NULL, 0);
    if (rc != CGAN_OK) return rc;
    (*out)->iarg[0] = num_classes;
    (*out)->iarg[1] = dim;
    return CGAN_OK;
}
