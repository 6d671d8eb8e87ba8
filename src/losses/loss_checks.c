/* Argument checks and float <-> double transfers shared by the loss compute
 * functions: every message names the function, the argument and the
 * shapes or the element involved. */
#include "loss_internal.h"

#include <float.h>
#include <math.h>

int cgan__loss_check_matrix(const char *fn, const char *arg, const cgan_tensor *t,
                            int64_t rows_expected, const char *match, int64_t *rows,
                            int64_t *cols) {
    char buf[64];
    if (t == NULL) return cgan__error(CGAN_EINVAL, "%s: %s is NULL", fn, arg);
    if (t->ndim != 2)
        return cgan__error(CGAN_ESHAPE, "%s: %s has shape %s, expected a matrix [m, D]", fn, arg,
                           cgan__shape_str(t, buf, sizeof buf));
    if (rows_expected >= 0 && t->shape[0] != rows_expected)
        return cgan__error(CGAN_ESHAPE, "%s: %s has shape %s, expected %lld rows to match %s", fn,
                           arg, cgan__shape_str(t, buf, sizeof buf), (long long)rows_expected,
                           match);
    *rows = t->shape[0];
    *cols = t->shape[1];
    return CGAN_OK;
}

int cgan__loss_check_grad(const char *fn, const char *arg, const cgan_tensor *g,
                          const cgan_tensor *like, const char *like_name) {
    char a[64], b[64];
    if (g == NULL) return CGAN_OK;
    int same = g->ndim == like->ndim;
    for (int i = 0; same && i < g->ndim; i++) same = g->shape[i] == like->shape[i];
    if (!same)
        return cgan__error(CGAN_ESHAPE, "%s: %s has shape %s, expected %s (the shape of %s)", fn,
                           arg, cgan__shape_str(g, a, sizeof a), cgan__shape_str(like, b, sizeof b),
                           like_name);
    return CGAN_OK;
}

int cgan__loss_labels(const char *fn, const char *arg, const cgan_tensor *labels, int64_t m,
                      int n_classes, int32_t *out) {
    char buf[64];
    if (labels == NULL) return cgan__error(CGAN_EINVAL, "%s: %s is NULL", fn, arg);
    int ok = (labels->ndim == 1 || (labels->ndim == 2 && labels->shape[1] == 1)) &&
             labels->shape[0] == m;
    if (!ok)
        return cgan__error(CGAN_ESHAPE, "%s: %s has shape %s, expected [%lld] or [%lld, 1]", fn,
                           arg, cgan__shape_str(labels, buf, sizeof buf), (long long)m,
                           (long long)m);
    for (int64_t i = 0; i < m; i++) {
        float v = labels->data[i];
        if (!(v >= 0.0f && v < (float)n_classes && v == floorf(v)))
            return cgan__error(CGAN_EINVAL, "%s: %s[%lld] = %g is not a class in [0, %d)", fn, arg,
                               (long long)i, (double)v, n_classes);
        out[i] = (int32_t)v;
    }
    return CGAN_OK;
}

int cgan__loss_input(const char *fn, const char *arg, const cgan_tensor *t, double *dst) {
    const float *src = t->data;
    int64_t cols = t->ndim == 2 ? t->shape[1] : 1;
    for (int64_t i = 0; i < t->numel; i++) {
        if (!isfinite(src[i])) {
            if (t->ndim == 2)
                return cgan__error(CGAN_ENUMERIC, "%s: %s[%lld, %lld] is %g", fn, arg,
                                   (long long)(i / cols), (long long)(i % cols), (double)src[i]);
            return cgan__error(CGAN_ENUMERIC, "%s: element %lld of %s is %g", fn, (long long)i,
                               arg, (double)src[i]);
        }
        dst[i] = src[i];
    }
    return CGAN_OK;
}

int cgan__loss_check_output(const char *fn, const char *arg, const double *src, int64_t n,
                            double scale) {
    for (int64_t i = 0; i < n; i++) {
        double v = scale * src[i];
        if (!(fabs(v) <= FLT_MAX))
            return cgan__error(CGAN_ENUMERIC, "%s: element %lld of %s is %g (not a finite float)",
                               fn, (long long)i, arg, v);
    }
    return CGAN_OK;
}

void cgan__loss_store(cgan_tensor *dst, const double *src, double scale) {
    for (int64_t i = 0; i < dst->numel; i++) dst->data[i] = (float)(scale * src[i]);
}
