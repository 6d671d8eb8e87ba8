/* Conv2d as im2col + one GEMM over the whole batch:
 *   cols [Ci*k*k, N*Po] (image n in columns n*Po..), Yt [Co, N*Po] = W cols,
 * then Yt is moved to NCHW with the bias.  Backward recomputes cols
 * (cheaper than keeping them) for dW and scatters W^T dYt with col2im. */
#include "conv_common.h"

static int forward(cgan_layer *l, const cgan_tensor *const *in, int train, int keep) {
    const cgan_tensor *x = in[0];
    char buf[64];
    int rc = conv_check_input(l, x);
    if (rc != CGAN_OK) return rc;
    int64_t N = x->shape[0], H = x->shape[2], W = x->shape[3];
    if (H + 2 * PD(l) < KS(l) || W + 2 * PD(l) < KS(l))
        return cgan__error(CGAN_ESHAPE, "conv2d: input %s is smaller than the kernel %d "
                           "(padding %d)", CGAN__SHAPE_STR(x, buf), KS(l), PD(l));
    int64_t Ho = (H + 2 * PD(l) - KS(l)) / ST(l) + 1, Wo = (W + 2 * PD(l) - KS(l)) / ST(l) + 1;
    int64_t shape[4] = {N, CO(l), Ho, Wo}, Po = Ho * Wo, K = CI(l) * KS(l) * KS(l), NP = N * Po;
    rc = cgan__tensor_resize(l->out, 4, shape);
    if (rc != CGAN_OK) return rc;
    float *ws = cgan__ws_get(l->ws, (size_t)((K + CO(l)) * NP));
    if (ws == NULL) return CGAN_ENOMEM;
    float *cols = ws, *yt = ws + K * NP;
    cgan__im2col_batch(x->data, N, CI(l), H, W, KS(l), ST(l), PD(l), Ho, Wo, cols);
    cgan__sgemm(0, 0, CO(l), NP, K, 1.0f, l->params[0].value.data, K, cols, NP, 0.0f, yt, NP);
    cgan__cn_to_nchw_par(yt, N, CO(l), Po, l->n_params > 1 ? l->params[1].value.data : NULL,
                     l->out->data);
    return CGAN_OK;
}

static int backward(cgan_layer *l, const cgan_tensor *const *in, const cgan_tensor *dout,
                    cgan_tensor *const *din, int want_params) {
    const cgan_tensor *x = in[0];
    int64_t N = x->shape[0], H = x->shape[2], W = x->shape[3];
    int64_t Ho = dout->shape[2], Wo = dout->shape[3], Po = Ho * Wo;
    int64_t K = CI(l) * KS(l) * KS(l), NP = N * Po;
    if (!din[0] && !want_params) return CGAN_OK;
    float *ws = cgan__ws_get(l->ws, (size_t)((K + CO(l)) * NP));
    if (ws == NULL) return CGAN_ENOMEM;
    float *cols = ws, *dyt = ws + K * NP;
    cgan__nchw_to_cn_par(dout->data, N, CO(l), Po, dyt);
    if (want_params) {
        cgan__im2col_batch(x->data, N, CI(l), H, W, KS(l), ST(l), PD(l), Ho, Wo, cols);
        /* dW[Co,K] += dYt cols^T */
        cgan__sgemm(0, 1, CO(l), K, NP, 1.0f, dyt, NP, cols, NP, 1.0f, l->params[0].grad.data, K);
        if (l->n_params > 1) cgan__sum_nchw_acc(dout->data, N, CO(l), Po, l->params[1].grad.data);
    }
    if (din[0]) {
        /* dcols[K, N*Po] = W^T dYt, then scatter back per image */
        cgan__sgemm(1, 0, K, NP, CO(l), 1.0f, l->params[0].value.data, K, dyt, NP, 0.0f, cols, NP);
        cgan__col2im_batch(cols, N, CI(l), H, W, KS(l), ST(l), PD(l), Ho, Wo, NULL,
                           din[0]->data);
    }
    return CGAN_OK;
}

static const cgan__layer_ops ops = {"conv2d", 1, 0, forward, backward};

int cgan_layer_create_conv2d(cgan_layer **out, int64_t in_c, int64_t out_c, int kernel,
                             int stride, int padding, uint32_t flags) {
    int64_t shape[4] = {out_c, in_c, kernel, kernel};
    return cgan__conv_layer_new(out, &ops, __func__, in_c, out_c, kernel, stride, padding, flags,
                                shape, in_c * kernel * kernel);
}
