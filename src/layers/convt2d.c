/* ConvTranspose2d as GEMM + col2im with the batch folded into the columns,
 * a chunk of c images at a time (conv_chunk_images: the chunk's cols stay in
 * cache):
 *   Xt [Ci, c*Pin] (x with the images folded into columns),
 *   cols [Co*k*k, c*Pin] = W^T Xt  (W read as [Ci, Co*k*k]),
 *   y_n = col2im(cols columns of image n) + bias.
 * Backward: dcols = im2col(dy); dXt = W dcols; dW += Xt dcols^T.
 * conv_run_chunks decides how the chunks share the threads. */
#include "conv_common.h"

typedef struct convt2d_ctx {
    cgan_layer *l;
    const float *x, *dy; /* input; output gradient (backward) */
    float *y, *dx;       /* output (forward); input gradient or NULL (backward) */
    int64_t H, W, Ho, Wo, Pin, Pout, Kc;
    int stream_y; /* the output is larger than the last-level cache (cgan__exceeds_llc) */
    size_t scratch_floats; /* backward: each chunk's scratch */
    const float *packed_w; /* the weights in the kernel's tile order, or NULL */
} convt2d_ctx;

/* Before parallel chunks: the weights once in the order of the kernel the
 * chunks use (forward: the transposed kernel's; input gradient: the
 * convolution kernel's, W read as a convolution's [Ci, Co, 4, 4]), instead
 * of per chunk. */
static void pack_forward(void *vctx, float *shared, int64_t part, int64_t parts) {
    convt2d_ctx *t = vctx;
    cgan__convt_k4s2p1_pack(t->l->params[0].value.data, CI(t->l), CO(t->l), shared, part, parts);
    if (part == 0) t->packed_w = shared;
}

static void pack_input_grad(void *vctx, float *shared, int64_t part, int64_t parts) {
    convt2d_ctx *t = vctx;
    cgan__conv_k4s2p1_pack(t->l->params[0].value.data, CO(t->l), CI(t->l), shared, part, parts);
    if (part == 0) t->packed_w = shared;
}

/* The chunk's input as Xt [Ci, c*Pin]: moved into xt, or (one image) the
 * image itself, whose [Ci, Pin] is already that. */
static const float *chunk_xt(const convt2d_ctx *t, int64_t n0, int64_t c, float *xt) {
    const float *xs = t->x + n0 * CI(t->l) * t->Pin;
    if (c == 1) return xs;
    cgan__nchw_to_cn_par(xs, c, CI(t->l), t->Pin, xt);
    return xt;
}

/* forward of one chunk; scratch: Xt [Ci, c*Pin] then cols [Co*k*k, c*Pin] */
static void forward_chunk(void *vctx, int64_t n0, int64_t c, int64_t next_c, float *scratch,
                          float *dw, float beta, int par) {
    const convt2d_ctx *t = vctx;
    cgan_layer *l = t->l;
    int64_t cp = c * t->Pin;
    float *cols = scratch + CI(l) * cp;
    (void)dw, (void)beta;
    /* a chunk on its own thread: the 4x4 stride-2 kernel of our own where it fits */
    cgan__chunk_hints hints = {t->x + (n0 + c) * CI(l) * t->Pin, NULL, next_c, t->stream_y,
                               t->packed_w};
    if (conv_k4s2p1_chunk(l, par, t->H, t->W, t->Ho, t->Wo) &&
        cgan__convt_k4s2p1(t->x + n0 * CI(l) * t->Pin, c, CI(l), t->H, t->W,
                           l->params[0].value.data, CO(l),
                           l->n_params > 1 ? l->params[1].value.data : NULL,
                           t->y + n0 * CO(l) * t->Pout, scratch, (size_t)((CI(l) + t->Kc) * cp),
                           &hints))
        return;
    const float *xs = chunk_xt(t, n0, c, scratch);
    CONV_GEMM(par)(1, 0, t->Kc, cp, CI(l), 1.0f, l->params[0].value.data, t->Kc, xs, cp, 0.0f,
                   cols, cp);
    cgan__col2im_batch(cols, c, CO(l), t->Ho, t->Wo, KS(l), ST(l), PD(l), t->H, t->W,
                       l->n_params > 1 ? l->params[1].value.data : NULL,
                       t->y + n0 * CO(l) * t->Pout);
}

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
    convt2d_ctx t = {l, x->data, NULL, l->out->data, NULL, H, W, Ho, Wo, Pin, Ho * Wo, Kc,
                     cgan__exceeds_llc(4.0 * (double)(N * CO(l) * Ho * Wo)), 0, NULL};
    int64_t cn = conv_chunk_images(N, Pin, Kc);
    int pack = conv_k4s2p1_layer(l, Ho, Wo) && CO(l) > 1 && cgan__convt_k4s2p1_fits(H, W, CO(l));
    conv_chunks job = {N, cn, (size_t)((CI(l) + Kc) * cn * Pin), NULL, 0, forward_chunk, &t,
                       pack ? pack_forward : NULL, cgan__convt_k4s2p1_packed_floats(CI(l), CO(l))};
    return conv_run_chunks(l->ws, &job);
}

/* backward of one chunk; scratch: Xt [Ci, c*Pin] then dcols [Co*k*k, c*Pin].
 * The backward of a transposed convolution is a convolution of dY: for a
 * 4x4 stride-2 layer, a chunk on its own thread first tries the kernels of
 * our own (dX = conv(dY, W); dW from dY's patches against X, W read as the
 * convolution's [Ci, Co*16]); whatever they decline takes im2col + sgemm. */
static void backward_chunk(void *vctx, int64_t n0, int64_t c, int64_t next_c, float *scratch,
                           float *dw, float beta, int par) {
    const convt2d_ctx *t = vctx;
    cgan_layer *l = t->l;
    int64_t cp = c * t->Pin;
    float *xt = scratch, *dcols = scratch + CI(l) * cp;
    const float *dy = t->dy + n0 * CO(l) * t->Pout, *x = t->x + n0 * CI(l) * t->Pin;
    size_t room = (size_t)((CI(l) + t->Kc) * cp);
    int k4 = conv_k4s2p1_chunk(l, par, t->H, t->W, t->Ho, t->Wo);
    /* the next chunk: dW reads its dY (as "x") and x (as "dY"), dX its dY */
    const float *dy_next = dy + c * CO(l) * t->Pout;
    cgan__chunk_hints for_dw = {dy_next, x + c * CI(l) * t->Pin, t->dx ? 0 : next_c, 0, NULL};
    cgan__chunk_hints for_dx = {dy_next, NULL, next_c, 0, t->packed_w};
    /* one output channel (the generator's last layer): dY is a one-channel
     * image, and the one-channel convolution kernels apply */
    int one = k4 && CO(l) == 1;
    int dw_done = !dw || (one && cgan__conv1_k4s2p1_dw(dy, x, NULL, 1.0f, c, t->Ho, t->Wo, CI(l),
                                                        dw, NULL, beta, scratch,
                                                        t->scratch_floats)) ||
                  (k4 && cgan__conv_k4s2p1_dw(dy, x, c, CO(l), t->Ho, t->Wo, CI(l), dw, NULL, beta,
                                              scratch, room, &for_dw));
    float *dx = t->dx ? t->dx + n0 * CI(l) * t->Pin : NULL;
    int dx_done = !dx ||
                  (one && cgan__conv1_k4s2p1_fwd(dy, c, t->Ho, t->Wo, l->params[0].value.data,
                                                 CI(l), NULL, 0, 0.0f, dx, 0, scratch, room)) ||
                  (k4 && cgan__conv_k4s2p1_fwd(dy, c, CO(l), t->Ho, t->Wo,
                                               l->params[0].value.data, CI(l), NULL, dx, scratch,
                                               room, &for_dx));
    if (dw_done && dx_done) return;
    cgan__im2col_batch(dy, c, CO(l), t->Ho, t->Wo, KS(l), ST(l), PD(l), t->H, t->W, dcols);
    if (!dw_done) { /* dW[Ci, Co*k*k] = beta dW + Xt dcols^T */
        const float *xs = chunk_xt(t, n0, c, xt);
        CONV_GEMM(par)(0, 1, CI(l), t->Kc, cp, 1.0f, xs, cp, dcols, cp, beta, dw, t->Kc);
    }
    if (!dx_done) { /* dXt[Ci, c*Pin] = W dcols (an image's is already NCHW) */
        float *dst = c == 1 ? dx : xt;
        CONV_GEMM(par)(0, 0, CI(l), cp, t->Kc, 1.0f, l->params[0].value.data, t->Kc, dcols, cp,
                       0.0f, dst, cp);
        if (c > 1) cgan__cn_to_nchw_par(xt, c, CI(l), t->Pin, NULL, dx);
    }
}

static int backward(cgan_layer *l, const cgan_tensor *const *in, const cgan_tensor *dout,
                    cgan_tensor *const *din, int want_params) {
    const cgan_tensor *x = in[0];
    int64_t N = x->shape[0], H = x->shape[2], W = x->shape[3], Pin = H * W;
    int64_t Ho = dout->shape[2], Wo = dout->shape[3], Pout = Ho * Wo;
    int64_t Kc = CO(l) * KS(l) * KS(l);
    if (!din[0] && !want_params) return CGAN_OK;
    if (want_params && l->n_params > 1)
        cgan__sum_nchw_acc(dout->data, N, CO(l), Pout, l->params[1].grad.data);
    int64_t cn = conv_chunk_images(N, Pin, Kc);
    size_t scratch = (size_t)((CI(l) + Kc) * cn * Pin);
    if (CO(l) == 1 && scratch < cgan__conv1_k4s2p1_dw_scratch(Ho, Wo, CI(l)))
        scratch = cgan__conv1_k4s2p1_dw_scratch(Ho, Wo, CI(l));
    convt2d_ctx t = {l, x->data, dout->data, NULL, din[0] ? din[0]->data : NULL,
                     H, W, Ho, Wo, Pin, Pout, Kc, 0, scratch, NULL};
    conv_chunks job = {N, cn, scratch,
                       want_params ? l->params[0].grad.data : NULL, (size_t)(CI(l) * Kc),
                       backward_chunk, &t,
                       din[0] && conv_k4s2p1_layer(l, Ho, Wo) && CO(l) > 1 &&
                               cgan__conv_k4s2p1_fits(Ho, Wo, CI(l))
                           ? pack_input_grad
                           : NULL,
                       (size_t)(CI(l) * Kc)};
    return conv_run_chunks(l->ws, &job);
}

static const cgan__layer_ops ops = {"convt2d", 1, 0, forward, backward};

int cgan_layer_create_convt2d(cgan_layer **out, int64_t in_c, int64_t out_c, int kernel,
                             int stride, int padding, uint32_t flags) {
    int64_t shape[4] = {in_c, out_c, kernel, kernel};
    /* PyTorch's quirk: fan-in from weight.size(1)*k*k */
    return cgan__conv_layer_new(out, &ops, __func__, in_c, out_c, kernel, stride, padding, flags,
                                shape, out_c * kernel * kernel);
}
