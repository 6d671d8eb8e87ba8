/* ConvTranspose2d as GEMM + col2im with the batch folded into the columns,
 * a chunk of c images at a time (conv_chunk_images: the chunk's cols stay in
 * cache):
 *   Xt [Ci, c*Pin] (x with the images folded into columns),
 *   cols [Co*k*k, c*Pin] = W^T Xt  (W read as [Ci, Co*k*k]),
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
    int64_t shape[4] = {N, CO(l), Ho, Wo}, Pin = H * W, Kc = CO(l) * KS(l) * KS(l);
    rc = cgan__tensor_resize(l->out, 4, shape);
    if (rc != CGAN_OK) return rc;
    int64_t cn = conv_chunk_images(N, Pin, Kc), CP = cn * Pin, Pout = Ho * Wo;
    float *ws = cgan__ws_get(l->ws, (size_t)((CI(l) + Kc) * CP));
    if (ws == NULL) return CGAN_ENOMEM;
    float *xt = ws, *cols = ws + CI(l) * CP;
    for (int64_t n0 = 0; n0 < N; n0 += cn) {
        int64_t c = N - n0 < cn ? N - n0 : cn, cp = c * Pin;
        const float *xs = x->data + n0 * CI(l) * Pin;
        if (c > 1) { /* one image's [Ci, Pin] is already Xt */
            cgan__nchw_to_cn_par(xs, c, CI(l), Pin, xt);
            xs = xt;
        }
        cgan__sgemm(1, 0, Kc, cp, CI(l), 1.0f, l->params[0].value.data, Kc, xs, cp, 0.0f, cols, cp);
        cgan__col2im_batch(cols, c, CO(l), Ho, Wo, KS(l), ST(l), PD(l), H, W,
                           l->n_params > 1 ? l->params[1].value.data : NULL,
                           l->out->data + n0 * CO(l) * Pout);
    }
    return CGAN_OK;
}

static int backward(cgan_layer *l, const cgan_tensor *const *in, const cgan_tensor *dout,
                    cgan_tensor *const *din, int want_params) {
    const cgan_tensor *x = in[0];
    int64_t N = x->shape[0], H = x->shape[2], W = x->shape[3], Pin = H * W;
    int64_t Ho = dout->shape[2], Wo = dout->shape[3], Pout = Ho * Wo;
    int64_t Kc = CO(l) * KS(l) * KS(l);
    if (!din[0] && !want_params) return CGAN_OK;
    int64_t cn = conv_chunk_images(N, Pin, Kc), CP = cn * Pin;
    float *ws = cgan__ws_get(l->ws, (size_t)((CI(l) + Kc) * CP));
    if (ws == NULL) return CGAN_ENOMEM;
    float *xt = ws, *dcols = ws + CI(l) * CP;
    if (want_params && l->n_params > 1)
        cgan__sum_nchw_acc(dout->data, N, CO(l), Pout, l->params[1].grad.data);
    for (int64_t n0 = 0; n0 < N; n0 += cn) {
        int64_t c = N - n0 < cn ? N - n0 : cn, cp = c * Pin;
        cgan__im2col_batch(dout->data + n0 * CO(l) * Pout, c, CO(l), Ho, Wo, KS(l), ST(l), PD(l),
                           H, W, dcols);
        if (want_params) { /* dW[Ci, Co*k*k] += Xt dcols^T, chunk by chunk in order */
            const float *xs = x->data + n0 * CI(l) * Pin;
            if (c > 1) {
                cgan__nchw_to_cn_par(xs, c, CI(l), Pin, xt);
                xs = xt;
            }
            cgan__sgemm(0, 1, CI(l), Kc, cp, 1.0f, xs, cp, dcols, cp, 1.0f, l->params[0].grad.data, Kc);
        }
        if (din[0]) { /* dXt[Ci, c*Pin] = W dcols (an image's is already NCHW) */
            float *dx = din[0]->data + n0 * CI(l) * Pin, *dst = c == 1 ? dx : xt;
            cgan__sgemm(0, 0, CI(l), cp, Kc, 1.0f, l->params[0].value.data, Kc, dcols, cp, 0.0f, dst, cp);
            if (c > 1) cgan__cn_to_nchw_par(xt, c, CI(l), Pin, NULL, dx);
        }
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
