/* ConvTranspose2d as one GEMM + col2im for the whole batch:
 *   Xt [Ci, N*Pin] (x with the batch folded into columns),
 *   cols [Co*k*k, N*Pin] = W^T Xt  (W read as [Ci, Co*k*k]),
 *   y_n = col2im(cols columns of image n) + bias.
 * Backward: dcols = im2col(dy); dXt = W dcols; dW += Xt dcols^T. */
#include "conv_common.h"

static int forward(cgan_layer *l, const cgan_tensor *const *in, int train, int keep) {
    const cgan_tensor *x = in[0];
    char buf[64];
    int rc = conv_check_input(l, x);
    if (rc != CGAN_OK) return rc;
    int64_t N = x->shape[0], H = x->shape[2], W = x->shape[3];
    int64_t Ho = (H - 1) * ST(l) - 2 * PD(l) + KS(l), Wo = (W - 1) * ST(l) - 2 * PD(l) + KS(l);
    if (Ho < 1 || Wo < 1)
        return cgan__error(CGAN_ESHAPE, "convt2d: input %s gives an empty output (padding %d)",
                           CGAN__SHAPE_STR(x, buf), PD(l));
    int64_t shape[4] = {N, CO(l), Ho, Wo}, Pin = H * W, Kc = CO(l) * KS(l) * KS(l), NP = N * Pin;
    rc = cgan__tensor_resize(l->out, 4, shape);
    if (rc != CGAN_OK) return rc;
    float *ws = cgan__ws_get(l->ws, (size_t)((CI(l) + Kc) * NP));
    if (ws == NULL) return CGAN_ENOMEM;
    float *xt = ws, *cols = ws + CI(l) * NP;
    cgan__nchw_to_cn_par(x->data, N, CI(l), Pin, xt);
    cgan__sgemm(1, 0, Kc, NP, CI(l), 1.0f, l->params[0].value.data, Kc, xt, NP, 0.0f, cols, NP);
    cgan__col2im_batch(cols, N, CO(l), Ho, Wo, KS(l), ST(l), PD(l), H, W,
                       l->n_params > 1 ? l->params[1].value.data : NULL, l->out->data);
    return CGAN_OK;
}

static int backward(cgan_layer *l, const cgan_tensor *const *in, const cgan_tensor *dout,
                    cgan_tensor *const *din, int want_params) {
    const cgan_tensor *x = in[0];
    int64_t N = x->shape[0], H = x->shape[2], W = x->shape[3], Pin = H * W;
    int64_t Ho = dout->shape[2], Wo = dout->shape[3], Pout = Ho * Wo;
    int64_t Kc = CO(l) * KS(l) * KS(l), NP = N * Pin;
    if (!din[0] && !want_params) return CGAN_OK;
    float *ws = cgan__ws_get(l->ws, (size_t)((CI(l) + Kc) * NP));
    if (ws == NULL) return CGAN_ENOMEM;
    float *xt = ws, *dcols = ws + CI(l) * NP;
    cgan__im2col_batch(dout->data, N, CO(l), Ho, Wo, KS(l), ST(l), PD(l), H, W, dcols);
    if (want_params) {
        cgan__nchw_to_cn_par(x->data, N, CI(l), Pin, xt);
        /* dW[Ci, Co*k*k] += Xt dcols^T */
        cgan__sgemm(0, 1, CI(l), Kc, NP, 1.0f, xt, NP, dcols, NP, 1.0f, l->params[0].grad.data, Kc);
        if (l->n_params > 1) cgan__sum_nchw_acc(dout->data, N, CO(l), Pout, l->params[1].grad.data);
    }
    if (din[0]) {
        /* dXt[Ci, N*Pin] = W dcols, reusing the Xt area */
        cgan__sgemm(0, 0, CI(l), NP, Kc, 1.0f, l->params[0].value.data, Kc, dcols, NP, 0.0f, xt, NP);
        cgan__cn_to_nchw_par(xt, N, CI(l), Pin, NULL, din[0]->data);
    }
    return CGAN_OK;
}

static const cgan__layer_ops ops = {"convt2d", 1, 0, forward, backward};

int cgan_layer_create_convt2d(cgan_layer **out, int64_t in_c, int64_t out_c, int kernel,
                             int stride, int padding, uint32_t flags) {
    int64_t shape[4] = {in_c, out_c, kernel, kernel};
    /* PyTorch's quirk: fan-in from weight.size(1)*k*k */
    return cgan__conv_layer_new(out, &ops, __func__, in_c, out_c, kernel, stride, padding, flags,
                                shape, out_c * kernel * kernel);
}
