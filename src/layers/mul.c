/* Element-wise product of two inputs of one shape (e.g. embed[y] * z). */
#include "../kernels/kernels.h"
#include "../nn/nn_internal.h"

#include <string.h>

static int forward(cgan_layer *l, const cgan_tensor *const *in, int train, int keep) {
    char buf[64], buf2[64];
    if (in[0]->ndim != in[1]->ndim || memcmp(in[0]->shape, in[1]->shape, sizeof in[0]->shape))
        return cgan__error(CGAN_ESHAPE, "mul: inputs %s and %s differ in shape",
                           CGAN__SHAPE_STR(in[0], buf), CGAN__SHAPE_STR(in[1], buf2));
    int rc = cgan__tensor_resize(l->out, in[0]->ndim, in[0]->shape);
    if (rc != CGAN_OK) return rc;
    cgan__mul(in[0]->data, in[1]->data, l->out->data, in[0]->numel);
    return CGAN_OK;
}

static int backward(cgan_layer *l, const cgan_tensor *const *in, const cgan_tensor *dout,
                    cgan_tensor *const *din, int want_params) {
    if (din[0]) cgan__mul(dout->data, in[1]->data, din[0]->data, dout->numel);
    if (din[1]) cgan__mul(dout->data, in[0]->data, din[1]->data, dout->numel);
    return CGAN_OK;
}

static const cgan__layer_ops ops = {"mul", 2, 0, forward, backward};

int cgan_layer_create_mul(cgan_layer **out, uint32_t flags) {
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    if (flags != 0) return cgan__error(CGAN_EINVAL, "%s: unknown flags 0x%x", __func__, (unsigned)flags);
    return cgan__layer_new(out, &ops, NULL, 0, NULL, 0);
}
