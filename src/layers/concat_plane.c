/* Append a condition plane as the last channel: A [N,C,H,W] + B [N,H*W] or
 * [N,1,H,W] -> [N,C+1,H,W]; backward splits the channels again. */
#include "../nn/nn_internal.h"

#include <string.h>

static int forward(cgan_layer *l, const cgan_tensor *const *in, int train, int keep) {
    const cgan_tensor *a = in[0], *b = in[1];
    char buf[64], buf2[64];
    if (a->ndim != 4)
        return cgan__error(CGAN_ESHAPE, "concat_plane: features %s are not [N, C, H, W]",
                           CGAN__SHAPE_STR(a, buf));
    int64_t N = a->shape[0], C = a->shape[1], P = a->shape[2] * a->shape[3];
    int ok = b->shape[0] == N &&
             ((b->ndim == 2 && b->shape[1] == P) ||
              (b->ndim == 4 && b->shape[1] == 1 && b->shape[2] == a->shape[2] &&
               b->shape[3] == a->shape[3]));
    if (!ok)
        return cgan__error(CGAN_ESHAPE, "concat_plane: plane %s fits neither [N, H*W] nor "
                           "[N, 1, H, W] for features %s", CGAN__SHAPE_STR(b, buf),
                           CGAN__SHAPE_STR(a, buf2));
    int64_t shape[4] = {N, C + 1, a->shape[2], a->shape[3]};
    int rc = cgan__tensor_resize(l->out, 4, shape);
    if (rc != CGAN_OK) return rc;
    for (int64_t n = 0; n < N; n++) {
        float *dst = l->out->data + n * (C + 1) * P;
        memcpy(dst, a->data + n * C * P, (size_t)(C * P) * sizeof(float));
        memcpy(dst + C * P, b->data + n * P, (size_t)P * sizeof(float));
    }
    return CGAN_OK;
}

static int backward(cgan_layer *l, const cgan_tensor *const *in, const cgan_tensor *dout,
                    cgan_tensor *const *din, int want_params) {
    int64_t N = in[0]->shape[0], C = in[0]->shape[1], P = in[0]->shape[2] * in[0]->shape[3];
    for (int64_t n = 0; n < N; n++) {
        const float *src = dout->data + n * (C + 1) * P;
        if (din[0]) memcpy(din[0]->data + n * C * P, src, (size_t)(C * P) * sizeof(float));
        if (din[1]) memcpy(din[1]->data + n * P, src + C * P, (size_t)P * sizeof(float));
    }
    return CGAN_OK;
}

static const cgan__layer_ops ops = {"concat_plane", 2, 0, forward, backward};

int cgan_layer_create_concat_plane(cgan_layer **out, uint32_t flags) {
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    if (flags != 0) return cgan__error(CGAN_EINVAL, "%s: unknown flags 0x%x", __func__, (unsigned)flags);
    return cgan__layer_new(out, &ops, NULL, 0, NULL, 0);
}
