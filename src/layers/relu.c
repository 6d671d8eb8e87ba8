/* ReLU; the derivative at 0 is 0, as PyTorch. */
#include "../kernels/kernels.h"
#include "../nn/nn_internal.h"

static int forward(cgan_layer *l, const cgan_tensor *const *in, int train, int keep) {
    int rc = cgan__tensor_resize(l->out, in[0]->ndim, in[0]->shape);
    if (rc != CGAN_OK) return rc;
    cgan__lrelu_fwd(in[0]->data, l->out->data, in[0]->numel, 0.0f);
    return CGAN_OK;
}

static int backward(cgan_layer *l, const cgan_tensor *const *in, const cgan_tensor *dout,
                    cgan_tensor *const *din, int want_params) {
    if (din[0]) cgan__lrelu_bwd(in[0]->data, dout->data, din[0]->data, in[0]->numel, 0.0f);
    return CGAN_OK;
}

static const cgan__layer_ops ops = {"relu", 1, 0, forward, backward};

int cgan_layer_create_relu(cgan_layer **out, uint32_t flags) {
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    if (flags != 0) return cgan__error(CGAN_EINVAL, "%s: unknown flags 0x%x", __func__, (unsigned)flags);
    return cgan__layer_new(out, &ops, NULL, 0, NULL, 0);
}
