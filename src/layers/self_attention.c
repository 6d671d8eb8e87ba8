/* SAGAN self-attention, variant O (math-spec 2.6), per sample X [C,P]:
 *   [Q;K;V] = Wqkv X + b   (Wqkv [C/8 + C/8 + C, C]: query, key, value rows
 *                           stored contiguously so one GEMM makes all three)
 *   A = softmax_rows(Q^T K)  (P x P, no scaling), O = V A^T, y = gamma O + x.
 * Saved for backward: QKV (cache[0], [N, C2, P]) and O (cache[1]).  The
 * P x P matrix A is never kept per sample: backward recomputes it from Q, K
 * (cheap next to the C-row products), so the only P x P memory is two
 * scratch matrices in the shared workspace, whatever the batch. */
#include "../kernels/kernels.h"
#include "../nn/nn_internal.h"

#include <string.h>

#define CH(l) ((l)->iarg[0])

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
    float *A = cgan__ws_get(l->ws, (size_t)(P * P));
    if (A == NULL) return CGAN_ENOMEM;
    const float *W = l->param_block, *bias = W + C2 * C; /* memory order, see create */
    float gamma = bias[C2];
    for (int64_t n = 0; n < N; n++) {
        const float *xn = x->data + n * C * P;
        float *qkv = l->cache[0]->data + n * C2 * P, *o = l->cache[1]->data + n * C * P;
        float *q = qkv, *k = qkv + Cq * P, *v = qkv + 2 * Cq * P;
        for (int64_t r = 0; r < C2; r++)
            for (int64_t p = 0; p < P; p++) qkv[r * P + p] = bias[r];
        cgan__sgemm(0, 0, C2, P, C, 1.0f, W, C, xn, P, 1.0f, qkv, P);
        cgan__sgemm(1, 0, P, P, Cq, 1.0f, q, P, k, P, 0.0f, A, P); /* E = Q^T K */
        cgan__softmax_rows(A, P, P);
        cgan__sgemm(0, 1, C, P, P, 1.0f, v, P, A, P, 0.0f, o, P); /* O = V A^T */
        float *yn = l->out->data + n * C * P;
        for (int64_t i = 0; i < C * P; i++) yn[i] = gamma * o[i] + xn[i];
    }
    return CGAN_OK;
}

static int backward(cgan_layer *l, const cgan_tensor *const *in, const cgan_tensor *dout,
                    cgan_tensor *const *din, int want_params) {
    const cgan_tensor *x = in[0];
    int64_t N = x->shape[0], C = CH(l), Cq = C / 8, C2 = 2 * Cq + C;
    int64_t P = x->shape[2] * x->shape[3];
    const float *W = l->param_block;
    float gamma = W[C2 * C + C2];
    float *dW = l->grad_block, *db = dW + C2 * C;
    if (want_params) db[C2] += (float)cgan__dot(dout->data, l->cache[1]->data, N * C * P);
    if (din[0]) memcpy(din[0]->data, dout->data, (size_t)(N * C * P) * sizeof(float));
    /* gamma == 0 makes dO, and so every gradient through Q, K, V, exactly 0 */
    if (gamma == 0.0f || (!din[0] && !want_params)) return CGAN_OK;
    float *ws = cgan__ws_get(l->ws, (size_t)(2 * P * P + C2 * P));
    if (ws == NULL) return CGAN_ENOMEM;
    float *A = ws, *G = ws + P * P, *dqkv = ws + 2 * P * P;
    float *dq = dqkv, *dk = dqkv + Cq * P, *dv = dqkv + 2 * Cq * P;
    for (int64_t n = 0; n < N; n++) {
        const float *xn = x->data + n * C * P, *dy = dout->data + n * C * P;
        const float *qkv = l->cache[0]->data + n * C2 * P;
        const float *q = qkv, *k = qkv + Cq * P, *v = qkv + 2 * Cq * P;
        cgan__sgemm(1, 0, P, P, Cq, 1.0f, q, P, k, P, 0.0f, A, P);
        cgan__softmax_rows(A, P, P);
        /* dV = gamma dY A;  dA = gamma dY^T V;  dE = softmax backward of dA */
        cgan__sgemm(0, 0, C, P, P, gamma, dy, P, A, P, 0.0f, dv, P);
        cgan__sgemm(1, 0, P, P, C, gamma, dy, P, v, P, 0.0f, G, P);
        cgan__softmax_bwd_rows(A, G, P, P);
        /* dQ = K dE^T;  dK = Q dE */
        cgan__sgemm(0, 1, Cq, P, P, 1.0f, k, P, G, P, 0.0f, dq, P);
        cgan__sgemm(0, 0, Cq, P, P, 1.0f, q, P, G, P, 0.0f, dk, P);
        if (want_params) {
            cgan__sgemm(0, 1, C2, C, P, 1.0f, dqkv, P, xn, P, 1.0f, dW, C);
            for (int64_t r = 0; r < C2; r++) db[r] += (float)cgan__sum(dqkv + r * P, P);
        }
        if (din[0]) /* dX = dY + Wqkv^T dQKV */
            cgan__sgemm(1, 0, C, P, C2, 1.0f, W, C, dqkv, P, 1.0f, din[0]->data + n * C * P, P);
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
