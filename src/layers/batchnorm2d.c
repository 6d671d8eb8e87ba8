/* BatchNorm2d (PyTorch semantics, math-spec 2.4), optionally fused with a
 * LeakyReLU so the pair costs one pass over memory.
 * Saved for backward: cache[0] = the mean used (float), cache[1] =
 * 1/sqrt(var+eps), cache[2] and [3] = the scale and shift applied (for the
 * fused activation's derivative: the sign of x * scale + shift, in the
 * forward's own arithmetic); x is passed to backward again. */
#include "../kernels/kernels.h"
#include "../nn/nn_internal.h"

#include <math.h>

#define CH(l)    ((l)->iarg[0])
#define FUSED(l) ((int)(l)->iarg[1])
#define EPS(l)   ((l)->farg[0])
#define MOM(l)   ((l)->farg[1])
#define SLOPE(l) ((float)(l)->farg[2])

static int forward(cgan_layer *l, const cgan_tensor *const *in, int train, int keep) {
    const cgan_tensor *x = in[0];
    char buf[64];
    if (x->ndim != 4 || x->shape[1] != CH(l))
        return cgan__error(CGAN_ESHAPE, "batchnorm2d: input %s is not [N, %lld, H, W]",
                           CGAN__SHAPE_STR(x, buf), (long long)CH(l));
    int64_t N = x->shape[0], C = CH(l), P = x->shape[2] * x->shape[3], M = N * P;
    if (train && M < 2)
        return cgan__error(CGAN_ESHAPE, "batchnorm2d: input %s has 1 value per channel; "
                           "train mode needs more", CGAN__SHAPE_STR(x, buf));
    int rc;
    int64_t cs[1] = {C};
    if ((rc = cgan__tensor_resize(l->out, 4, x->shape)) != CGAN_OK)
        return rc;
    for (int k = 0; k < 4; k++)
        if ((rc = cgan__cache(l, k, 1, cs)) != CGAN_OK) return rc;
    /* scratch: mean, var (doubles), then from 4 C the statistics'
     * per-plane partial sums (2 N C doubles) */
    float *ws = cgan__ws_get(l->ws, (size_t)(4 * C + 4 * N * C));
    if (ws == NULL) return CGAN_ENOMEM;
    double *mean = (double *)ws, *var = mean + C;
    float *scale = l->cache[2]->data, *shift = l->cache[3]->data;
    float *mu = l->cache[0]->data, *rstd = l->cache[1]->data;
    const float *gamma = l->params[0].value.data, *beta = l->params[1].value.data;
    float *rm = l->buffers[0].value.data, *rv = l->buffers[1].value.data;
    if (train) {
        cgan__bn_stats(x->data, N, C, P, mean, var, (double *)(ws + 4 * C));
        double m = MOM(l);
        for (int64_t c = 0; c < C; c++) {
            mu[c] = (float)mean[c];
            rstd[c] = (float)(1.0 / sqrt(var[c] + EPS(l)));
            rm[c] = (float)((1.0 - m) * rm[c] + m * mean[c]);
            rv[c] = (float)((1.0 - m) * rv[c] + m * var[c] * (double)M / (double)(M - 1));
        }
        l->buffers[2].value.data[0] += 1.0f;
    } else {
        for (int64_t c = 0; c < C; c++) {
            mu[c] = rm[c];
            rstd[c] = (float)(1.0 / sqrt((double)rv[c] + EPS(l)));
        }
    }
    for (int64_t c = 0; c < C; c++) {
        scale[c] = gamma[c] * rstd[c];
        shift[c] = beta[c] - mu[c] * scale[c];
    }
    cgan__bn_apply(x->data, N, C, P, scale, shift, FUSED(l), SLOPE(l), l->out->data,
                   cgan__exceeds_llc(4.0 * (double)(N * C * P)));
    return CGAN_OK;
}

static int backward(cgan_layer *l, const cgan_tensor *const *in, const cgan_tensor *dout,
                    cgan_tensor *const *din, int want_params) {
    const cgan_tensor *x = in[0];
    int64_t N = x->shape[0], C = CH(l), P = x->shape[2] * x->shape[3], M = N * P;
    if (!din[0] && !want_params) return CGAN_OK;
    /* scratch: sdy, sdyx (doubles), a, b, d (floats), then from 8 C (kept
     * 8-byte aligned) the per-plane partial sums (2 N C doubles) */
    float *ws = cgan__ws_get(l->ws, (size_t)(8 * C + 4 * N * C));
    if (ws == NULL) return CGAN_ENOMEM;
    double *sdy = (double *)ws, *sdyx = sdy + C;
    float *a = ws + 4 * C, *b = a + C, *d = b + C;
    const float *dy = dout->data;
    /* the fused activation's derivative is applied on the fly, from its
     * input x * scale + shift recomputed with the forward's scale and shift */
    const float *as = FUSED(l) ? l->cache[2]->data : NULL, *ash = l->cache[3]->data;
    const float *mu = l->cache[0]->data, *rstd = l->cache[1]->data;
    const float *gamma = l->params[0].value.data;
    cgan__bn_bwd_sums(x->data, dy, as, ash, SLOPE(l), N, C, P, mu, sdy, sdyx,
                      (double *)(ws + 8 * C));
    if (want_params) {
        float *dg = l->params[0].grad.data, *dbeta = l->params[1].grad.data;
        for (int64_t c = 0; c < C; c++) {
            dg[c] += (float)(sdyx[c] * rstd[c]);
            dbeta[c] += (float)sdy[c];
        }
    }
    if (din[0]) {
        for (int64_t c = 0; c < C; c++) {
            double r = rstd[c], gr = gamma[c] * r;
            a[c] = (float)gr;
            if (l->fwd_train) { /* dx = g r (dy - sum(dy)/M - xhat sum(dy xhat)/M) */
                b[c] = (float)(-gr * r * r * sdyx[c] / (double)M);
                d[c] = (float)(-gr * sdy[c] / (double)M);
            } else {
                b[c] = 0.0f;
                d[c] = 0.0f;
            }
        }
        cgan__bn_bwd_apply(x->data, dy, as, ash, SLOPE(l), N, C, P, a, b, mu, d, din[0]->data,
                           cgan__exceeds_llc(4.0 * (double)(N * C * P)));
    }
    return CGAN_OK;
}

static const cgan__layer_ops ops = {"batchnorm2d", 1, 0, forward, backward};
static const cgan__layer_ops ops_fused = {"batchnorm2d_lrelu", 1, 0, forward, backward};

static int create(cgan_layer **out, const char *fn, int64_t channels, double eps,
                  double momentum, int fused, double slope, uint32_t flags) {
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    if (channels < 1 || !(eps > 0.0) || !(momentum >= 0.0 && momentum <= 1.0))
        return cgan__error(CGAN_EINVAL, "%s: invalid channels %lld, eps %g or momentum %g", fn,
                           (long long)channels, eps, momentum);
    if (fused && !(slope >= 0.0 && isfinite(slope)))
        return cgan__error(CGAN_EINVAL, "%s: slope %g must be >= 0", fn, slope);
    if (flags != 0) return cgan__error(CGAN_EINVAL, "%s: unknown flags 0x%x", fn, (unsigned)flags);
    cgan__pspec p[2] = {
        {"weight", 1, {channels}, CGAN__INIT_BN_GAMMA, 0},
        {"bias", 1, {channels}, CGAN__INIT_ZERO, 0},
    };
    cgan__pspec b[3] = {
        {"running_mean", 1, {channels}, CGAN__INIT_ZERO, 0},
        {"running_var", 1, {channels}, CGAN__INIT_ONE, 0},
        {"num_batches_tracked", 1, {1}, CGAN__INIT_ZERO, 0},
    };
    int rc = cgan__layer_new(out, fused ? &ops_fused : &ops, p, 2, b, 3);
    if (rc != CGAN_OK) return rc;
    cgan_layer *l = *out;
    l->iarg[0] = channels;
    l->iarg[1] = fused;
    l->farg[0] = eps;
    l->farg[1] = momentum;
    l->farg[2] = slope;
    return CGAN_OK;
}

int cgan_layer_create_batchnorm2d(cgan_layer **out, int64_t channels, double eps,
                                  double momentum, uint32_t flags) {
    return create(out, __func__, channels, eps, momentum, 0, 0.0, flags);
}

int cgan_layer_create_batchnorm2d_lrelu(cgan_layer **out, int64_t channels, double eps,
                                        double momentum, double slope, uint32_t flags) {
    return create(out, __func__, channels, eps, momentum, 1, slope, flags);
}
