/* Conv2d as im2col + GEMM with the batch folded into the columns, a chunk
 * of images at a time (conv_chunk_images: the chunk's cols stay in cache):
 *   cols [Ci*k*k, c*Po] (image n in columns n*Po..), Yt [Co, c*Po] = W cols,
 * then Yt is moved to NCHW with the bias.  Backward recomputes cols
 * (cheaper than keeping them) for dW and scatters W^T dYt with col2im.
 * conv_run_chunks decides how the chunks share the threads.
 *
 * conv2d_lrelu is the same convolution followed by LeakyReLU(slope >= 0),
 * applied to each chunk's output while it is still in cache, and its
 * derivative applied to the chunk's output gradient the same way (read
 * from the output: y > 0 exactly where the convolution's result is, when
 * slope >= 0), instead of a separate activation layer's passes over
 * memory.  Its bias gradient is summed per chunk, from the masked gradient. */
#include "conv_common.h"

#include <math.h>

static const cgan__layer_ops ops, lrelu_ops;
#define FUSED(l) ((l)->ops == &lrelu_ops)
#define SLOPE(l) ((float)(l)->farg[0])
/* scratch floats past a chunk's for the weight-gradient kernel's bias sums
 * (Co doubles, aligned) */
#define BIAS_SUMS(l) ((size_t)(2 * CO(l) + 16))

typedef struct conv2d_ctx {
    cgan_layer *l;
    const float *x, *dy; /* input; output gradient (backward) */
    float *y, *dx; /* output (forward; conv2d_lrelu's backward reads it); input gradient or NULL */
    int64_t H, W, Ho, Wo, Po, K;
    int stream_out; /* what the pass writes (y, or dX) is larger than the last-level cache */
    size_t scratch_floats; /* backward: each chunk's scratch */
    const float *packed_w; /* the weights in the kernel's tile order, or NULL */
} conv2d_ctx;

/* Before parallel chunks: the weights once in the order of the kernel the
 * chunks use (forward: the convolution kernel's; input gradient: the
 * transposed kernel's, W read as [Co, Ci, 4, 4]), instead of per chunk. */
static void pack_forward(void *vctx, float *shared, int64_t part, int64_t parts) {
    conv2d_ctx *t = vctx;
    cgan__conv_k4s2p1_pack(t->l->params[0].value.data, CI(t->l), CO(t->l), shared, part, parts);
    if (part == 0) t->packed_w = shared;
}

static void pack_input_grad(void *vctx, float *shared, int64_t part, int64_t parts) {
    conv2d_ctx *t = vctx;
    cgan__convt_k4s2p1_pack(t->l->params[0].value.data, CO(t->l), CI(t->l), shared, part, parts);
    if (part == 0) t->packed_w = shared;
}

/* the convolution of one chunk; scratch: cols [K, c*Po] then Yt [Co, c*Po].
 * Returns 1 when conv2d_lrelu's activation has been applied too. */
static int conv_chunk(const conv2d_ctx *t, int64_t n0, int64_t c, int64_t next_c,
                      float *scratch, int par) {
    cgan_layer *l = t->l;
    int64_t cp = c * t->Po;
    float *cols = scratch, *yt = scratch + t->K * cp, *y = t->y + n0 * CO(l) * t->Po;
    const float *bias = l->n_params > 1 ? l->params[1].value.data : NULL;
    const float *x = t->x + n0 * CI(l) * t->H * t->W;
    cgan__chunk_hints hints = {x + c * CI(l) * t->H * t->W, NULL, next_c, 0, t->packed_w};
    /* a chunk on its own thread: the 4x4 stride-2 kernels of our own where they fit */
    int k4 = conv_k4s2p1_chunk(l, par, t->Ho, t->Wo, t->H, t->W);
    if (k4 && CI(l) == 1 &&
        cgan__conv1_k4s2p1_fwd(x, c, t->H, t->W, l->params[0].value.data, CO(l), bias, FUSED(l),
                               FUSED(l) ? SLOPE(l) : 0.0f, y, t->stream_out, scratch,
                               (size_t)((t->K + CO(l)) * cp)))
        return 1;
    if (k4 && cgan__conv_k4s2p1_fwd(x, c, CI(l), t->H, t->W, l->params[0].value.data, CO(l),
                                    bias, y, scratch, (size_t)((t->K + CO(l)) * cp), &hints))
        return 0;
    cgan__im2col_batch(x, c, CI(l), t->H, t->W, KS(l), ST(l), PD(l), t->Ho, t->Wo, cols);
    /* one image: its [Co, Po] output is already NCHW */
    float *dst = c == 1 && bias == NULL ? y : yt;
    CONV_GEMM(par)(0, 0, CO(l), cp, t->K, 1.0f, l->params[0].value.data, t->K, cols, cp, 0.0f,
                   dst, cp);
    if (dst == yt) cgan__cn_to_nchw_par(yt, c, CO(l), t->Po, bias, y);
    return 0;
}

static void forward_chunk(void *vctx, int64_t n0, int64_t c, int64_t next_c, float *scratch,
                          float *dw, float beta, int par) {
    const conv2d_ctx *t = vctx;
    cgan_layer *l = t->l;
    (void)dw, (void)beta;
    if (!conv_chunk(t, n0, c, next_c, scratch, par) && FUSED(l)) {
        float *y = t->y + n0 * CO(l) * t->Po;
        int64_t n = c * CO(l) * t->Po;
        if (par) cgan__lrelu_fwd(y, y, n, SLOPE(l));
        else cgan__lrelu_fwd1(y, y, n, SLOPE(l));
    }
}

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
    conv2d_ctx t = {l, x->data, NULL, l->out->data, NULL, H, W, Ho, Wo, Po, K,
                    cgan__exceeds_llc(4.0 * (double)(N * CO(l) * Po)), 0, NULL};
    int64_t cn = conv_chunk_images(N, Po, K);
    int pack = conv_k4s2p1_layer(l, H, W) && CI(l) > 1 && cgan__conv_k4s2p1_fits(H, W, CO(l));
    conv_chunks job = {N, cn, (size_t)((K + CO(l)) * cn * Po), NULL, 0, forward_chunk, &t,
                       pack ? pack_forward : NULL, (size_t)(CO(l) * K)};
    return conv_run_chunks(l->ws, &job);
}

/* db[co] = beta db[co] + the chunk's sums of g [c, Co, Po] per channel:
 * a bias gradient summed chunk by chunk with the weight gradient */
static void chunk_bias_grad(float *db, const float *g, int64_t c, int64_t Co, int64_t Po,
                            float beta) {
    for (int64_t co = 0; co < Co; co++)
        db[co] = (beta != 0.0f ? db[co] : 0.0f) + (float)cgan__sum_channel(g, c, Co, Po, co);
}

/* conv2d_lrelu: g = dY * LeakyReLU'(y) of a chunk into g (NCHW, like dY),
 * and, when dw is wanted, the chunk's bias gradient (the per-channel sums
 * of g) into dw[Co*K ..] (beta as for dW). */
static void lrelu_chunk_grad(const conv2d_ctx *t, int64_t n0, int64_t c, float *g, float *dw,
                             float beta, int par) {
    cgan_layer *l = t->l;
    int64_t Co = CO(l), Po = t->Po, n = c * Co * Po;
    const float *y = t->y + n0 * Co * Po, *dy = t->dy + n0 * Co * Po;
    if (par) cgan__lrelu_bwd(y, dy, g, n, SLOPE(l));
    else cgan__lrelu_bwd1(y, dy, g, n, SLOPE(l));
    if (dw != NULL && l->n_params > 1) chunk_bias_grad(dw + Co * t->K, g, c, Co, Po, beta);
}

/* backward of one chunk; scratch: cols [K, c*Po] then dYt [Co, c*Po] (and
 * for conv2d_lrelu, the chunk's masked gradient [c, Co, Po] after them).  A
 * chunk on its own thread of a 4x4 stride-2 layer first tries the kernels
 * of our own (dW and dX straight from NCHW x and dY, no cols); whatever
 * they decline takes im2col/col2im + sgemm. */
static void backward_chunk(void *vctx, int64_t n0, int64_t c, int64_t next_c, float *scratch,
                           float *dw, float beta, int par) {
    const conv2d_ctx *t = vctx;
    cgan_layer *l = t->l;
    int64_t cp = c * t->Po;
    float *cols = scratch, *dyt = scratch + t->K * cp;
    const float *x = t->x + n0 * CI(l) * t->H * t->W, *dy = t->dy + n0 * CO(l) * t->Po;
    float *dx = t->dx ? t->dx + n0 * CI(l) * t->H * t->W : NULL;
    size_t room = (size_t)((t->K + CO(l)) * cp);
    int k4 = conv_k4s2p1_chunk(l, par, t->Ho, t->Wo, t->H, t->W);
    /* one input channel, weight gradient only (the critic's first layer
     * when training it): the activation's derivative, dW and the bias
     * gradient in one pass */
    if (k4 && CI(l) == 1 && dw && !dx) {
        float *db = l->n_params > 1 ? dw + CO(l) * t->K : NULL;
        if (cgan__conv1_k4s2p1_dw(x, dy, FUSED(l) ? t->y + n0 * CO(l) * t->Po : NULL,
                                  FUSED(l) ? SLOPE(l) : 1.0f, c, t->H, t->W, CO(l), dw, db, beta,
                                  scratch, t->scratch_floats))
            return;
    }
    if (FUSED(l)) {
        float *g = scratch + room;
        lrelu_chunk_grad(t, n0, c, g, dw, beta, par);
        dy = g;
    }
    /* the next chunk: dW reads its x and dY, dX (after dW) its dY */
    const float *dy_next = t->dy + (n0 + c) * CO(l) * t->Po;
    cgan__chunk_hints for_dw = {x + c * CI(l) * t->H * t->W, dy_next, dx ? 0 : next_c, 0, NULL};
    cgan__chunk_hints for_dx = {dy_next, NULL, next_c, t->stream_out, t->packed_w};
    /* conv2d's bias gradient (conv2d_lrelu's is in lrelu_chunk_grad): the
     * chunk's sums of dY, taken by the weight-gradient kernel as it packs
     * dY, or below */
    float *db = dw && !FUSED(l) && l->n_params > 1 ? dw + CO(l) * t->K : NULL;
    int dw_done = !dw || (k4 && cgan__conv_k4s2p1_dw(x, dy, c, CI(l), t->H, t->W, CO(l), dw, db,
                                                      beta, scratch, room + BIAS_SUMS(l),
                                                      &for_dw));
    if (!dw_done && db) chunk_bias_grad(db, dy, c, CO(l), t->Po, beta);
    int dx_done = !dx || (k4 && cgan__convt_k4s2p1(dy, c, CO(l), t->Ho, t->Wo,
                                                    l->params[0].value.data, CI(l), NULL, dx,
                                                    scratch, room, &for_dx));
    if (dw_done && dx_done) return;
    if (c > 1) { /* one image's [Co, Po] gradient is already dYt */
        cgan__nchw_to_cn_par(dy, c, CO(l), t->Po, dyt);
        dy = dyt;
    }
    if (!dw_done) { /* dW[Co,K] = beta dW + dYt cols^T */
        cgan__im2col_batch(x, c, CI(l), t->H, t->W, KS(l), ST(l), PD(l), t->Ho, t->Wo, cols);
        CONV_GEMM(par)(0, 1, CO(l), t->K, cp, 1.0f, dy, cp, cols, cp, beta, dw, t->K);
    }
    if (!dx_done) { /* dcols[K, c*Po] = W^T dYt, then scattered back per image */
        CONV_GEMM(par)(1, 0, t->K, cp, CO(l), 1.0f, l->params[0].value.data, t->K, dy, cp, 0.0f,
                       cols, cp);
        cgan__col2im_batch(cols, c, CI(l), t->H, t->W, KS(l), ST(l), PD(l), t->Ho, t->Wo, NULL, dx);
    }
}

static int backward(cgan_layer *l, const cgan_tensor *const *in, const cgan_tensor *dout,
                    cgan_tensor *const *din, int want_params) {
    const cgan_tensor *x = in[0];
    int64_t N = x->shape[0], H = x->shape[2], W = x->shape[3];
    int64_t Ho = dout->shape[2], Wo = dout->shape[3], Po = Ho * Wo;
    int64_t K = CI(l) * KS(l) * KS(l);
    if (!din[0] && !want_params) return CGAN_OK;
    int fused = FUSED(l), bias = l->n_params > 1;
    /* conv2d_lrelu reads its output y; the bias gradient follows the
     * weight gradient in grad_block and is summed with it, chunk by chunk */
    int64_t cn = conv_chunk_images(N, Po, K);
    size_t scratch = (size_t)((K + (fused ? 2 : 1) * CO(l)) * cn * Po) + (fused ? 0 : BIAS_SUMS(l));
    if (CI(l) == 1 && scratch < cgan__conv1_k4s2p1_dw_scratch(H, W, CO(l)))
        scratch = cgan__conv1_k4s2p1_dw_scratch(H, W, CO(l));
    conv2d_ctx t = {l, x->data, dout->data, fused ? l->out->data : NULL,
                    din[0] ? din[0]->data : NULL, H, W, Ho, Wo, Po, K,
                    cgan__exceeds_llc(4.0 * (double)(N * CI(l) * H * W)), scratch, NULL};
    conv_chunks job = {N, cn, scratch,
                       want_params ? l->params[0].grad.data : NULL,
                       (size_t)(CO(l) * K + (bias ? CO(l) : 0)), backward_chunk, &t,
                       din[0] && conv_k4s2p1_layer(l, H, W) &&
                               cgan__convt_k4s2p1_fits(Ho, Wo, CI(l))
                           ? pack_input_grad
                           : NULL,
                       cgan__convt_k4s2p1_packed_floats(CO(l), CI(l))};
    return conv_run_chunks(l->ws, &job);
}

static const cgan__layer_ops ops = {"conv2d", 1, 0, forward, backward};
static const cgan__layer_ops lrelu_ops = {"conv2d_lrelu", 1, 0, forward, backward};

int cgan_layer_create_conv2d(cgan_layer **out, int64_t in_c, int64_t out_c, int kernel,
                             int stride, int padding, uint32_t flags) {
    int64_t shape[4] = {out_c, in_c, kernel, kernel};
    return cgan__conv_layer_new(out, &ops, __func__, in_c, out_c, kernel, stride, padding, flags,
                                shape, in_c * kernel * kernel);
}

int cgan_layer_create_conv2d_lrelu(cgan_layer **out, int64_t in_c, int64_t out_c, int kernel,
                                   int stride, int padding, double slope, uint32_t flags) {
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    if (!(slope >= 0.0 && isfinite(slope)))
        return cgan__error(CGAN_EINVAL, "%s: slope %g must be >= 0", __func__, slope);
    int64_t shape[4] = {out_c, in_c, kernel, kernel};
    int rc = cgan__conv_layer_new(out, &lrelu_ops, __func__, in_c, out_c, kernel, stride,
                                  padding, flags, shape, in_c * kernel * kernel);
    if (rc == CGAN_OK) (*out)->farg[0] = slope;
    return rc;
}
