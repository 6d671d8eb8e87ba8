/* Conv2d as im2col + GEMM with the batch folded into the columns, a chunk
 * of images at a time (conv_chunk_images: the chunk's cols stay in cache):
 *   cols [Ci*k*k, c*Po] (image n in columns n*Po..), Yt [Co, c*Po] = W cols,
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
    int64_t shape[4] = {N, CO(l), Ho, Wo}, Po = Ho * Wo, K = CI(l) * KS(l) * KS(l);
    rc = cgan__tensor_resize(l->out, 4, shape);
    if (rc != CGAN_OK) return rc;
    int64_t cn = conv_chunk_images(N, Po, K), CP = cn * Po;
    float *ws = cgan__ws_get(l->ws, (size_t)((K + CO(l)) * CP));
    if (ws == NULL) return CGAN_ENOMEM;
    float *cols = ws, *yt = ws + K * CP;
    const float *bias = l->n_params > 1 ? l->params[1].value.data : NULL;
    for (int64_t n0 = 0; n0 < N; n0 += cn) {
        int64_t c = N - n0 < cn ? N - n0 : cn, cp = c * Po;
        float *y = l->out->data + n0 * CO(l) * Po;
        cgan__im2col_batch(x->data + n0 * CI(l) * H * W, c, CI(l), H, W, KS(l), ST(l), PD(l), Ho,
                           Wo, cols);
        /* one image: its [Co, Po] output is already NCHW */
        float *dst = c == 1 && bias == NULL ? y : yt;
        cgan__sgemm(0, 0, CO(l), cp, K, 1.0f, l->params[0].value.data, K, cols, cp, 0.0f, dst, cp);
        if (dst == yt) cgan__cn_to_nchw_par(yt, c, CO(l), Po, bias, y);
    }
    return CGAN_OK;
}

static int backward(cgan_layer *l, const cgan_tensor *const *in, const cgan_tensor *dout,
                    cgan_tensor *const *din, int want_params) {
    const cgan_tensor *x = in[0];
    int64_t N = x->shape[0], H = x->shape[2], W = x->shape[3];
    int64_t Ho = dout->shape[2], Wo = dout->shape[3], Po = Ho * Wo;
    int64_t K = CI(l) * KS(l) * KS(l);
    if (!din[0] && !want_params) return CGAN_OK;
    int64_t cn = conv_chunk_images(N, Po, K), CP = cn * Po;
    float *ws = cgan__ws_get(l->ws, (size_t)((K + CO(l)) * CP));
    if (ws == NULL) return CGAN_ENOMEM;
    float *cols = ws, *dyt = ws + K * CP;
    if (want_params && l->n_params > 1)
        cgan__sum_nchw_acc(dout->data, N, CO(l), Po, l->params[1].grad.data);
    for (int64_t n0 = 0; n0 < N; n0 += cn) {
        int64_t c = N - n0 < cn ? N - n0 : cn, cp = c * Po;
        const float *dy = dout->data + n0 * CO(l) * Po;
        if (c > 1) { /* one image's [Co, Po] gradient is already dYt */
            cgan__nchw_to_cn_par(dy, c, CO(l), Po, dyt);
            dy = dyt;
        }
        if (want_params) { /* dW[Co,K] += dYt cols^T, chunk by chunk in order */
            cgan__im2col_batch(x->data + n0 * CI(l) * H * W, c, CI(l), H, W, KS(l), ST(l), PD(l),
                               Ho, Wo, cols);
            cgan__sgemm(0, 1, CO(l), K, cp, 1.0f, dy, cp, cols, cp, 1.0f, l->params[0].grad.data, K);
        }
        if (din[0]) { /* dcols[K, c*Po] = W^T dYt, then scattered back per image */
            cgan__sgemm(1, 0, K, cp, CO(l), 1.0f, l->params[0].value.data, K, dy, cp, 0.0f, cols, cp);
            cgan__col2im_batch(cols, c, CI(l), H, W, KS(l), ST(l), PD(l), Ho, Wo, NULL,
                               din[0]->data + n0 * CI(l) * H * W);
        }
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
