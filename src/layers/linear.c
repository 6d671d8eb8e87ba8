/* Linear: y[N,out] = x[N,in] W^T + b, one GEMM for the whole batch. */
#include "../kernels/kernels.h"
#include "../nn/nn_internal.h"

#include <string.h>

#define IN(l)  ((l)->iarg[0])
#define OUT(l) ((l)->iarg[1])

static int forward(cgan_layer *l, const cgan_tensor *const *in, int train, int keep) {
    const cgan_tensor *x = in[0];
    char buf[64];
    if (x->ndim != 2 || x->shape[1] != IN(l))
        return cgan__error(CGAN_ESHAPE, "linear: input %s is not [N, %lld]",
                           CGAN__SHAPE_STR(x, buf), (long long)IN(l));
    int64_t N = x->shape[0], shape[2] = {N, OUT(l)};
    int rc = cgan__tensor_resize(l->out, 2, shape);
    if (rc != CGAN_OK) return rc;
    float *y = l->out->data;
    float beta = 0.0f;
    if (l->n_params > 1) { /* start from the bias rows, then accumulate the product */
        for (int64_t n = 0; n < N; n++)
            memcpy(y + n * OUT(l), l->params[1].value.data, (size_t)OUT(l) * sizeof(float));
        beta = 1.0f;
    }
    cgan__sgemm(0, 1, N, OUT(l), IN(l), 1.0f, x->data, IN(l), l->params[0].value.data, IN(l),
                beta, y, OUT(l));
    return CGAN_OK;
}

static int backward(cgan_layer *l, const cgan_tensor *const *in, const cgan_tensor *dout,
                    cgan_tensor *const *din, int want_params) {
    int64_t N = in[0]->shape[0];
    const float *dy = dout->data, *W = l->params[0].value.data;
    if (din[0]) /* dx[N,in] = dy[N,out] W[out,in] */
        cgan__sgemm(0, 0, N, IN(l), OUT(l), 1.0f, dy, OUT(l), W, IN(l), 0.0f, din[0]->data, IN(l));
    if (want_params) {
        /* dW[out,in] += dy^T x */
        cgan__sgemm(1, 0, OUT(l), IN(l), N, 1.0f, dy, OUT(l), in[0]->data, IN(l), 1.0f,
                    l->params[0].grad.data, IN(l));
        if (l->n_params > 1) {
            float *db = l->params[1].grad.data;
            for (int64_t o = 0; o < OUT(l); o++) {
                double s = 0.0;
                for (int64_t n = 0; n < N; n++) s += dy[n * OUT(l) + o];
                db[o] += (float)s;
            }
        }
    }
    return CGAN_OK;
}

static const cgan__layer_ops ops = {"linear", 1, 0, forward, backward};

int cgan_layer_create_linear(cgan_layer **out, int64_t in_features, int64_t out_features,
                             uint32_t flags) {
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    if (in_features < 1 || out_features < 1)
        return cgan__error(CGAN_EINVAL, "%s: features %lld -> %lld must be positive", __func__,
                           (long long)in_features, (long long)out_features);
    if (flags & ~CGAN_LAYER_NO_BIAS)
        return cgan__error(CGAN_EINVAL, "%s: unknown flags 0x%x", __func__, (unsigned)flags);
    cgan__pspec p[2] = {
        {"weight", 2, {out_features, in_features}, CGAN__INIT_WEIGHT, in_features},
        {"bias", 1, {out_features}, CGAN__INIT_BIAS, in_features},
    };
    int rc = cgan__layer_new(out, &ops, p, (flags & CGAN_LAYER_NO_BIAS) ? 1 : 2, NULL, 0);
    if (rc != CGAN_OK) return rc;
    (*out)->iarg[0] = in_features;
    (*out)->iarg[1] = out_features;
    (*out)->flags = flags;
    return CGAN_OK;
}
