/* SAGAN self-attention, variant O (math-spec 2.6), per sample X [C,P]:
 *   [Q;K;V] = Wqkv X + b   (Wqkv [C/8 + C/8 + C, C]: query, key, value rows
 *                           stored contiguously so one GEMM makes all three)
 *   A = softmax_rows(Q^T K)  (P x P, no scaling), O = V A^T, y = gamma O + x.
 * Saved for backward: QKV (cache[0], [N, C2, P]) and O (cache[1]).  The
 * P x P matrix A is never kept per sample.  Forward computes it in bands of
 * rows softmaxed and multiplied while in L1 (kernels/attn_band.c, the
 * bands of all images are the pool's items).  Backward recomputes it from
 * Q, K (cheap next to the C-row products) BWD_ROWS rows at a time into two
 * scratch bands per pool thread, whatever the batch, images in parallel one
 * per thread (whole GEMMs), and gathers dQKV of all images ([C2, N*P]) so
 * that dWqkv is one batch-wide GEMM.  O is saved only when a backward
 * follows (keep). */
#include "../core/internal.h"
#include "../kernels/kernels.h"
#include "../nn/nn_internal.h"

#include <string.h>

#define CH(l) ((l)->iarg[0])

/* Work runs on the library's pool, per image (projection, backward) or per
 * band of rows (attention forward); each part has its own scratch, and
 * its GEMMs then run single-threaded. */
typedef struct sa_job {
    cgan_layer *l;
    const cgan_tensor *x, *dout;
    float *din, *ws, *dqkv; /* dqkv: [C2, N*P], image n in columns n*P.. */
    float *vt;              /* forward: V^T of every image, [N, P, C] */
    float *o;               /* forward: where O goes (cache[1]), NULL when not kept */
    int64_t N, C, Cq, C2, P;
    float gamma;
} sa_job;

/* Several images: one per thread, each GEMM whole on its thread.  A single
 * image: its GEMMs split over the pool instead.  (From the shape alone.) */
#define GEMM(j) ((j)->N > 1 ? cgan__sgemm_whole : cgan__sgemm)

#define BAND CGAN__ATTN_BAND
#define BANDS_PER_ITEM 8 /* pool items of 64 rows: enough of them for 2 threads at batch 1 */

static int64_t bands(int64_t P) { return (P + BAND - 1) / BAND; }

/* Forward, first pass per image: [Q;K;V] = Wqkv X + b, and V^T for the
 * band products. */
static void project_images(void *ctx, int64_t b, int64_t e, int part) {
    (void)part;
    const sa_job *j = ctx;
    int64_t C = j->C, C2 = j->C2, P = j->P;
    const float *W = j->l->param_block, *bias = W + C2 * C;
    for (int64_t n = b; n < e; n++) {
        const float *xn = j->x->data + n * C * P;
        float *qkv = j->l->cache[0]->data + n * C2 * P;
        for (int64_t r = 0; r < C2; r++)
            for (int64_t p = 0; p < P; p++) qkv[r * P + p] = bias[r];
        GEMM(j)(0, 0, C2, P, C, 1.0f, W, C, xn, P, 1.0f, qkv, P);
        cgan__transpose(qkv + 2 * j->Cq * P, C, P, j->vt + n * P * C); /* V^T */
    }
}

/* Forward, second pass over bands of rows of every image's A: the band's
 * rows of softmax(Q^T K) and O[:, band] = V A[band, :]^T, staged as rows
 * of O^T for up to BANDS_PER_ITEM consecutive bands of one image, then
 * their columns of O and y = gamma O + x stored together.  Rows past P in
 * the last band are zeros, never stored. */
static void attend_bands(void *ctx, int64_t b, int64_t e, int part) {
    const sa_job *j = ctx;
    int64_t C = j->C, Cq = j->Cq, C2 = j->C2, P = j->P, nb = bands(P);
    float *a = j->ws + (int64_t)part * BAND * (P + BANDS_PER_ITEM * C), *stage = a + BAND * P;
    for (int64_t t = b; t < e;) {
        /* rows s0..s1-1 of image n: consecutive bands, at most BANDS_PER_ITEM */
        int64_t n = t / nb, s0 = t % nb * BAND, s1 = s0;
        const float *qkv = j->l->cache[0]->data + n * C2 * P;
        for (; t < e && t / nb == n && s1 - s0 < BANDS_PER_ITEM * BAND; t++) {
            int64_t i0 = t % nb * BAND, i1 = i0 + BAND < P ? i0 + BAND : P;
            cgan__attn_band(qkv, qkv + Cq * P, Cq, P, i0, i1, j->vt + n * P * C, C, a,
                            stage + (i0 - s0) * C);
            s1 = i1;
        }
        cgan__attn_store(stage, s1 - s0, C, P, s0, j->x->data + n * C * P, j->gamma,
                         j->o ? j->o + n * C * P : NULL, j->l->out->data + n * C * P);
    }
}

static int forward(cgan_layer *l, const cgan_tensor *const *in, int train, int keep) {
    const cgan_tensor *x = in[0];
    char buf[64];
    if (x->ndim != 4 || x->shape[1] != CH(l))
        return cgan__error(CGAN_ESHAPE, "self_attention: input %s is not [N, %lld, H, W]",
                           CGAN__SHAPE_STR(x, buf), (long long)CH(l));
    int64_t N = x->shape[0], C = CH(l), Cq = C / 8, C2 = 2 * Cq + C;
    int64_t P = x->shape[2] * x->shape[3];
    int64_t qs[3] = {N, C2, P}, os[3] = {N, C, P};
    int rc;
    if ((rc = cgan__tensor_resize(l->out, 4, x->shape)) != CGAN_OK ||
        (rc = cgan__cache(l, 0, 3, qs)) != CGAN_OK || (rc = cgan__cache(l, 1, 3, os)) != CGAN_OK)
        return rc;
    int64_t scratch = cgan__parallel_max() * BAND * (P + BANDS_PER_ITEM * C);
    float *ws = cgan__ws_get(l->ws, (size_t)(scratch + N * P * C));
    if (ws == NULL) return CGAN_ENOMEM;
    const float *W = l->param_block;
    /* O is kept for gamma's gradient only */
    sa_job j = {l, x, NULL, NULL, ws, NULL, ws + scratch, keep ? l->cache[1]->data : NULL,
                N, C, Cq, C2, P, W[C2 * C + C2]};
    cgan__parallel_for(N, 1, project_images, &j);
    cgan__parallel_for(N * bands(P), BANDS_PER_ITEM, attend_bands, &j);
    return CGAN_OK;
}

/* dV = gamma dY A;  dA = gamma dY^T V;  dE = softmax backward of dA;
 * dQ = K dE^T;  dK = Q dE, into the image's columns of dqkv; then
 * dX = dY + Wqkv^T dQKV for the image.  A and dA are taken BWD_ROWS rows at
 * a time (their two bands, 256 KiB each at P = 1024, stay in L2; the whole
 * P x P matrices, 4 MiB each, would go to memory and back several times):
 * dV and dK sum over the bands, dQ is the bands' columns. */
#define BWD_ROWS 64
static void backward_images(void *ctx, int64_t b, int64_t e, int part) {
    const sa_job *j = ctx;
    int64_t C = j->C, Cq = j->Cq, C2 = j->C2, P = j->P, NP = j->N * P;
    const float *W = j->l->param_block;
    float *A = j->ws + (int64_t)part * 2 * BWD_ROWS * P, *G = A + BWD_ROWS * P;
    for (int64_t n = b; n < e; n++) {
        const float *dy = j->dout->data + n * C * P;
        const float *qkv = j->l->cache[0]->data + n * C2 * P;
        const float *q = qkv, *k = qkv + Cq * P, *v = qkv + 2 * Cq * P;
        float *dq = j->dqkv + n * P, *dk = dq + Cq * NP, *dv = dq + 2 * Cq * NP;
        for (int64_t i0 = 0; i0 < P; i0 += BWD_ROWS) {
            int64_t R = P - i0 < BWD_ROWS ? P - i0 : BWD_ROWS;
            float beta = i0 == 0 ? 0.0f : 1.0f;
            cgan__attn_softmax_band(q, k, Cq, P, i0, i0 + R, A);
            GEMM(j)(0, 0, C, P, R, j->gamma, dy + i0, P, A, P, beta, dv, NP);
            GEMM(j)(1, 0, R, P, C, j->gamma, dy + i0, P, v, P, 0.0f, G, P);
            cgan__softmax_bwd_rows(A, G, R, P);
            GEMM(j)(0, 1, Cq, R, P, 1.0f, k, P, G, P, 0.0f, dq + i0, NP);
            GEMM(j)(0, 0, Cq, P, R, 1.0f, q + i0, P, G, P, beta, dk, NP);
        }
        if (j->din)
            GEMM(j)(1, 0, C, P, C2, 1.0f, W, C, dq, NP, 1.0f, j->din + n * C * P, P);
    }
}

static int backward(cgan_layer *l, const cgan_tensor *const *in, const cgan_tensor *dout,
                    cgan_tensor *const *din, int want_params) {
    const cgan_tensor *x = in[0];
    int64_t N = x->shape[0], C = CH(l), Cq = C / 8, C2 = 2 * Cq + C;
    int64_t P = x->shape[2] * x->shape[3], NP = N * P;
    const float *W = l->param_block;
    float gamma = W[C2 * C + C2];
    float *dW = l->grad_block, *db = dW + C2 * C;
    if (want_params) db[C2] += (float)cgan__dot(dout->data, l->cache[1]->data, N * C * P);
    if (din[0]) memcpy(din[0]->data, dout->data, (size_t)(N * C * P) * sizeof(float));
    /* gamma == 0 makes dO, and so every gradient through Q, K, V, exactly 0 */
    if (gamma == 0.0f || (!din[0] && !want_params)) return CGAN_OK;
    int64_t parts = cgan__parallel_max();
    float *ws = cgan__ws_get(l->ws, (size_t)(parts * 2 * BWD_ROWS * P + C2 * NP + C * NP));
    if (ws == NULL) return CGAN_ENOMEM;
    float *dqkv = ws + parts * 2 * BWD_ROWS * P, *xt = dqkv + C2 * NP;
    sa_job j = {l, x, dout, din[0] ? din[0]->data : NULL, ws, dqkv, NULL, NULL, N, C, Cq, C2, P,
                gamma};
    cgan__parallel_for(N, 1, backward_images, &j);
    if (want_params) { /* one GEMM over the whole batch: dW += dQKV X^T */
        cgan__nchw_to_cn_par(x->data, N, C, P, xt);
        cgan__sgemm(0, 1, C2, C, NP, 1.0f, dqkv, NP, xt, NP, 1.0f, dW, C);
        for (int64_t r = 0; r < C2; r++) db[r] += (float)cgan__sum(dqkv + r * NP, NP);
    }
    return CGAN_OK;
}

static const cgan__layer_ops ops = {"self_attention", 1, 0, forward, backward};

int cgan_layer_create_self_attention(cgan_layer **out, int64_t channels, uint32_t flags) {
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    if (channels < 8 || channels % 8 != 0)
        return cgan__error(CGAN_EINVAL, "%s: channels %lld is not a positive multiple of 8",
                           __func__, (long long)channels);
    if (flags != 0) return cgan__error(CGAN_EINVAL, "%s: unknown flags 0x%x", __func__, (unsigned)flags);
    int64_t C = channels, Cq = C / 8;
    /* memory order: the three weights, the three biases, gamma */
    cgan__pspec p[7] = {
        {"query.weight", 4, {Cq, C, 1, 1}, CGAN__INIT_WEIGHT, C},
        {"key.weight", 4, {Cq, C, 1, 1}, CGAN__INIT_WEIGHT, C},
        {"value.weight", 4, {C, C, 1, 1}, CGAN__INIT_WEIGHT, C},
        {"query.bias", 1, {Cq}, CGAN__INIT_BIAS, C},
        {"key.bias", 1, {Cq}, CGAN__INIT_BIAS, C},
        {"value.bias", 1, {C}, CGAN__INIT_BIAS, C},
        {"gamma", 1, {1}, CGAN__INIT_ZERO, 0},
    };
    int rc = cgan__layer_new(out, &ops, p, 7, NULL, 0);
    if (rc != CGAN_OK) return rc;
    cgan_layer *l = *out;
    /* enumeration order as PyTorch's state_dict: query.*, key.*, value.*, gamma */
    cgan__param mem[7];
    memcpy(mem, l->params, sizeof mem);
    static const int order[7] = {0, 3, 1, 4, 2, 5, 6};
    for (int i = 0; i < 7; i++) l->params[i] = mem[order[i]];
    l->iarg[0] = channels;
    return CGAN_OK;
}
