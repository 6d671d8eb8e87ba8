/* ContraGAN conditional contrastive loss "2C" (paper eq. 3 as resolved in
 * math-spec 3): cosine similarities, self term excluded from numerator and
 * denominator, own proxy in both, and two log-sum-exps so that small
 * temperatures (t = 0.005) stay finite. */
#include "loss_internal.h"

#include <math.h>
#include <string.h>

size_t cgan__loss_2c_workspace(int64_t m, int64_t d) {
    /* U, V [m, d]; |l|, |e| [m]; S / G [m, m]; g [m] */
    return (size_t)(2 * m * d + 3 * m + m * m);
}

static double dot(int64_t d, const double *a, const double *b) {
    double s = 0.0;
    for (int64_t c = 0; c < d; c++) s += a[c] * b[c];
    return s;
}

double cgan__loss_2c(int64_t m, int64_t d, const double *l, const double *e, const int32_t *y,
                     double t, double *dl, double *de, double *ws, cgan__2c_stats *st) {
    double *U = ws, *V = U + m * d, *nl = V + m * d, *ne = nl + m, *S = ne + m, *g = S + m * m;
    st->zero_norm_rows = cgan__rows_normalize(m, d, l, U, nl) + cgan__rows_normalize(m, d, e, V, ne);
    st->degenerate_rows = 0;

    /* S_ik = u_i.u_k / t, filled symmetrically so that S is exactly symmetric. */
    for (int64_t i = 0; i < m; i++)
        for (int64_t k = i; k < m; k++) S[i * m + k] = S[k * m + i] = dot(d, U + i * d, U + k * d) / t;

    /* Row by row: the loss term, then row i of S is overwritten with
     * G_ik = (pi^den_ik - pi^num_ik) / m (row i of S is not read again). */
    double total = 0.0;
    for (int64_t i = 0; i < m; i++) {
        double *Si = S + i * m;
        double a = dot(d, U + i * d, V + i * d) / t;
        double mden = a, mnum = a;
        int has_negative = 0;
        for (int64_t k = 0; k < m; k++) {
            if (k == i) continue;
            if (Si[k] > mden) mden = Si[k];
            if (y[k] == y[i]) {
                if (Si[k] > mnum) mnum = Si[k];
            } else {
                has_negative = 1;
            }
        }
        if (!has_negative) { /* P_i == N_i: numerator equals denominator */
            st->degenerate_rows++;
            memset(Si, 0, (size_t)m * sizeof *Si);
            g[i] = 0.0;
            continue;
        }
        double sden = exp(a - mden), snum = exp(a - mnum);
        for (int64_t k = 0; k < m; k++) {
            if (k == i) continue;
            sden += exp(Si[k] - mden);
            if (y[k] == y[i]) snum += exp(Si[k] - mnum);
        }
        double log_den = mden + log(sden), log_num = mnum + log(snum);
        total += log_den - log_num;
        g[i] = (exp(a - log_den) - exp(a - log_num)) / (double)m;
        for (int64_t k = 0; k < m; k++) {
            if (k == i) {
                Si[k] = 0.0;
                continue;
            }
            double p = exp(Si[k] - log_den);
            if (y[k] == y[i]) p -= exp(Si[k] - log_num);
            Si[k] = p / (double)m;
        }
    }

    /* dU = ((G + G^T) U + diag(g) V) / t, dV = diag(g) U / t, then the
     * normalisation backward (math-spec 3.3). */
    if (dl) {
        for (int64_t i = 0; i < m; i++) {
            double *di = dl + i * d;
            for (int64_t c = 0; c < d; c++) di[c] = g[i] * V[i * d + c];
            for (int64_t k = 0; k < m; k++) {
                double w = S[i * m + k] + S[k * m + i];
                if (w == 0.0) continue;
                for (int64_t c = 0; c < d; c++) di[c] += w * U[k * d + c];
            }
            for (int64_t c = 0; c < d; c++) di[c] /= t;
        }
        cgan__rows_normalize_backward(m, d, U, nl, dl, dl);
    }
    if (de) {
        for (int64_t i = 0; i < m; i++)
            for (int64_t c = 0; c < d; c++) de[i * d + c] = g[i] * U[i * d + c] / t;
        cgan__rows_normalize_backward(m, d, V, ne, de, de);
    }
    return total / (double)m;
}

int cgan_loss_2c(cgan_loss *loss, const cgan_tensor *l, const cgan_tensor *e,
                 const cgan_tensor *labels, double *value, cgan_tensor *grad_l,
                 cgan_tensor *grad_e) {
    static const char *fn = "cgan_loss_2c";
    int64_t m, d, m2, d2;
    int rc;
    if ((rc = cgan__loss_require(loss, CGAN_LOSS_2C, fn)) != CGAN_OK) return rc;
    cgan__loss_reset_stats(loss);
    CGAN__CHECK_NOT_NULL(value, "value");
    if ((rc = cgan__loss_check_matrix(fn, "l", l, -1, NULL, &m, &d)) != CGAN_OK) return rc;
    if ((rc = cgan__loss_check_matrix(fn, "e", e, m, "l", &m2, &d2)) != CGAN_OK) return rc;
    if (d2 != d) {
        char a[64], b[64];
        return cgan__error(CGAN_ESHAPE, "%s: e has shape %s, expected %s (the shape of l)", fn,
                           cgan__shape_str(e, a, sizeof a), cgan__shape_str(l, b, sizeof b));
    }
    if ((rc = cgan__loss_check_grad(fn, "grad_l", grad_l, l, "l")) != CGAN_OK ||
        (rc = cgan__loss_check_grad(fn, "grad_e", grad_e, e, "e")) != CGAN_OK)
        return rc;
    int32_t *y = cgan__loss_label_buffer(loss, m);
    if (y == NULL) return CGAN_ENOMEM;
    if ((rc = cgan__loss_labels(fn, "labels", labels, m, loss->n_classes, y)) != CGAN_OK) return rc;

    size_t md = (size_t)(m * d);
    double *ws = cgan__loss_workspace(loss, 4 * md + cgan__loss_2c_workspace(m, d));
    if (ws == NULL) return CGAN_ENOMEM;
    double *xl = ws, *xe = xl + md, *gl = xe + md, *ge = gl + md, *kws = ge + md;
    if ((rc = cgan__loss_input(fn, "l", l, xl)) != CGAN_OK ||
        (rc = cgan__loss_input(fn, "e", e, xe)) != CGAN_OK)
        return rc;

    cgan__2c_stats st;
    double v = loss->weight * cgan__loss_2c(m, d, xl, xe, y, loss->temperature,
                                            grad_l ? gl : NULL, grad_e ? ge : NULL, kws, &st);
    *value = v;
    if (!isfinite(v))
        return cgan__error(CGAN_ENUMERIC, "%s: the loss is %g (temperature %g)", fn, v,
                           loss->temperature);
    if ((grad_l && (rc = cgan__loss_check_output(fn, "grad_l", gl, (int64_t)md, loss->weight))) ||
        (grad_e && (rc = cgan__loss_check_output(fn, "grad_e", ge, (int64_t)md, loss->weight))))
        return rc;
    if (grad_l) cgan__loss_store(grad_l, gl, loss->weight);
    if (grad_e) cgan__loss_store(grad_e, ge, loss->weight);
    loss->st_value = v;
    loss->st_degenerate_rows = (double)st.degenerate_rows;
    loss->st_zero_norm_rows = (double)st.zero_norm_rows;
    return CGAN_OK;
}
