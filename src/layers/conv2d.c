/* Conv2d as im2col + one GEMM over the whole batch:
 *   cols [Ci*k*k, N*Po] (image n in columns n*Po..), Yt [Co, N*Po] = W cols,
 * then Yt is moved to NCHW with the bias.  Backward recomputes cols
 * (cheaper than keeping them) for dW and scatters W^T dYt with col2im. */
#include "../kernels/kernels.h"
#include "../nn/nn_internal.h"

#define CI(l) ((l)->iarg[0])
#define CO(l) ((l)->iarg[1])
#define KS(l) ((int)(l)->iarg[2])
#define ST(l) ((int)(l)->iarg[3])
#define PD(l) ((int)(l)->iarg[4])

static int forward(cgan_layer *l, const cgan_tensor *const *in, int train, int keep) {
    const cgan_tensor *x = in[0];
    char buf[64];
    if (x->ndim != 4 || x->shape[1] != CI(l))
        return cgan__error(CGAN_ESHAPE, "conv2d: input %s is not [N, %lld, H, W]",
                           CGAN__SHAPE_STR(x, buf), (long long)CI(l));
    int64_t N = x->shape[0], H = x->shape[2], W = x->shape[3];
    if (H + 2 * PD(l) < KS(l) || W + 2 * PD(l) < KS(l))
        return cgan__error(CGAN_ESHAPE, "conv2d: input %s is smaller than the kernel %d "
                           "(padding %d)", CGAN__SHAPE_STR(x, buf), KS(l), PD(l));
    int64_t Ho = (H + 2 * PD(l) - KS(l)) / ST(l) + 1, Wo = (W + 2 * PD(l) - KS(l)) / ST(l) + 1;
    int64_t shape[4] = {N, CO(l), Ho, Wo}, Po = Ho * Wo, K = CI(l) * KS(l) * KS(l), NP = N * Po;
    int rc = cgan__tensor_resize(l->out, 4, shape);
    if (rc != CGAN_OK) return rc;
    float *ws = cgan__ws_get(l->ws, (size_t)((K + CO(l)) * NP));
    if (ws == NULL) return CGAN_ENOMEM;
    float *cols = ws, *yt = ws + K * NP;
    for (int64_t n = 0; n < N; n++)
        cgan__im2col(x->data + n * CI(l) * H * W, CI(l), H, W, KS(l), ST(l), PD(l), Ho, Wo,
                     cols + n * Po, NP);
    cgan__sgemm(0, 0, CO(l), NP, K, 1.0f, l->params[0].value.data, K, cols, NP, 0.0f, yt, NP);
    cgan__cn_to_nchw(yt, N, CO(l), Po, l->n_params > 1 ? l->params[1].value.data : NULL,
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
    cgan__nchw_to_cn(dout->data, N, CO(l), Po, dyt);
    if (want_params) {
        for (int64_t n = 0; n < N; n++)
            cgan__im2col(x->data + n * CI(l) * H * W, CI(l), H, W, KS(l), ST(l), PD(l), Ho, Wo,
                         cols + n * Po, NP);
        /* dW[Co,K] += dYt cols^T */
        cgan__sgemm(0, 1, CO(l), K, NP, 1.0f, dyt, NP, cols, NP, 1.0f, l->params[0].grad.data, K);
        if (l->n_params > 1) cgan__sum_nchw_acc(dout->data, N, CO(l), Po, l->params[1].grad.data);
    }
    if (din[0]) {
        /* dcols[K, N*Po] = W^T dYt, then scatter back per image */
        cgan__sgemm(1, 0, K, NP, CO(l), 1.0f, l->params[0].value.data, K, dyt, NP, 0.0f, cols, NP);
        for (int64_t n = 0; n < N; n++)
            cgan__col2im(cols + n * Po, NP, CI(l), H, W, KS(l), ST(l), PD(l), Ho, Wo,
                         din[0]->data + n * CI(l) * H * W);
    }
    return CGAN_OK;
}

static const cgan__layer_ops ops = {"conv2d", 1, 0, forward, backward};

int cgan_layer_create_conv2d(cgan_layer **out, int64_t in_c, int64_t out_c, int kernel,
                             int stride, int padding, uint32_t flags) {
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    if (in_c < 1 || out_c < 1 || kernel < 1 || stride < 1 || padding < 0)
        return cgan__error(CGAN_EINVAL, "%s: invalid channels %lld -> %lld, kernel %d, stride "
                           "%d or padding %d", __func__, (long long)in_c, (long long)out_c,
                           kernel, stride, padding);
    if (flags & ~CGAN_LAYER_NO_BIAS)
        return cgan__error(CGAN_EINVAL, "%s: unknown flags 0x%x", __func__, (unsigned)flags);
    int64_t fan_in = in_c * kernel * kernel;
    cgan__pspec p[2] = {
        {"weight", 4, {out_c, in_c, kernel, kernel}, CGAN__INIT_WEIGHT, fan_in},
        {"bias", 1, {out_c}, CGAN__INIT_BIAS, fan_in},
    };
    int rc = cgan__layer_new(out, &ops, p, (flags & CGAN_LAYER_NO_BIAS) ? 1 : 2, NULL, 0);
    if (rc != CGAN_OK) return rc;
    cgan_layer *l = *out;
    l->iarg[0] = in_c;
    l->iarg[1] = out_c;
    l->iarg[2] = kernel;
    l->iarg[3] = stride;
    l->iarg[4] = padding;
    l->flags = flags;
    return CGAN_OK;
}
