/* The paper's continuous contrastive loss (eq. 1 as resolved in math-spec
 * 4): embeddings l should be as far apart as their conditions' embeddings
 * e (or the scaled conditions themselves), within a tolerance delta. */
#include "loss_internal.h"

#include <math.h>
#include <string.h>

size_t cgan__loss_ccl_workspace(int64_t m, int64_t dl, int64_t de) {
    /* l side: rows [m, dl], norms [m], D^l [m, m]; target side likewise;
     * Gamma / S [m, m]. */
    return (size_t)(m * dl + m * de + 2 * m + 3 * m * m);
}

/* Condition rows i and j differ in some column. */
static int rows_differ(int64_t k, const double *a, const double *b) {
    for (int64_t c = 0; c < k; c++)
        if (a[c] != b[c]) return 1;
    return 0;
}

double cgan__loss_ccl(const cgan__ccl_params *p, int64_t m, int64_t dl, const double *l,
                      int64_t de, const double *e, int64_t k, const double *cond, double *gl,
                      double *ge, double *ws, cgan__ccl_stats *st) {
    int fixed = p->target == CGAN_TARGET_FIXED;
    int64_t dt = fixed ? 0 : de;
    double *xl = ws, *nl = xl + m * dl, *Dl = nl + m;
    double *xe = Dl + m * m, *ne = xe + m * dt, *De = ne + m, *G = De + m * m;

    st->zero_norm_rows = cgan__pairwise_distance(p->distance, m, dl, l, xl, nl, Dl);
    if (fixed) {
        /* D^y = |y~_i - y~_j| / (2 sqrt k) lies in [0, 1] for y~ in [-1, 1]^k. */
        cgan__pairwise_distance(CGAN_DISTANCE_L2, m, k, cond, NULL, NULL, De);
        double s = 1.0 / (2.0 * sqrt((double)k));
        for (int64_t i = 0; i < m * m; i++) De[i] *= s;
    } else {
        st->zero_norm_rows += cgan__pairwise_distance(p->distance, m, de, e, xe, ne, De);
    }

    /* Scale of the sum: each unordered pair counts twice (math-spec 4.1). */
    double s = p->reduction == CGAN_REDUCTION_PAPER ? 1.0 / (double)m
               : m > 1                              ? 1.0 / ((double)m * (double)(m - 1))
                                                    : 0.0;
    double sum = 0.0, target_sum = 0.0;
    int64_t target_pairs = 0;
    st->active_pairs = 0;
    for (int64_t i = 0; i < m; i++)
        for (int64_t j = 0; j < m; j++) {
            double *gij = G + i * m + j;
            *gij = 0.0;
            if (j == i) continue;
            double r = Dl[i * m + j] - p->alpha * De[i * m + j];
            double h = fabs(r) - p->delta;
            /* Subgradient 0 at the kinks, as torch: strict comparisons. */
            if (h > 0.0) {
                sum += h;
                *gij = s * (r > 0.0 ? 1.0 : -1.0);
                st->active_pairs++;
            }
            if (!cond || rows_differ(k, cond + i * k, cond + j * k)) {
                target_sum += De[i * m + j];
                target_pairs++;
            }
        }
    st->mean_target = target_pairs ? target_sum / (double)target_pairs : NAN;

    if (gl || (ge && !fixed)) {
        /* S = Gamma + Gamma^T: D_ij and D_ji both depend on rows i and j. */
        for (int64_t i = 0; i < m; i++)
            for (int64_t j = i + 1; j < m; j++) G[i * m + j] = G[j * m + i] = G[i * m + j] + G[j * m + i];
        if (gl) cgan__pairwise_distance_backward(p->distance, m, dl, l, xl, nl, Dl, G, 1.0, gl);
        if (ge && !fixed)
            cgan__pairwise_distance_backward(p->distance, m, de, e, xe, ne, De, G, -p->alpha, ge);
    }
    return s * sum;
}

int cgan_loss_continuous(cgan_loss *loss, const cgan_tensor *l, const cgan_tensor *e,
                         const cgan_tensor *cond, double *value, cgan_tensor *grad_l,
                         cgan_tensor *grad_e) {
    static const char *fn = "cgan_loss_continuous";
    int64_t m, dl, de = 0, k = 0, rows;
    int rc;
    if ((rc = cgan__loss_require(loss, CGAN_LOSS_CONTINUOUS, fn)) != CGAN_OK) return rc;
    cgan__loss_reset_stats(loss);
    CGAN__CHECK_NOT_NULL(value, "value");
    int fixed = loss->target == CGAN_TARGET_FIXED;
    if ((rc = cgan__loss_check_matrix(fn, "l", l, -1, NULL, &m, &dl)) != CGAN_OK) return rc;
    if (!fixed || e != NULL)
        if ((rc = cgan__loss_check_matrix(fn, "e", e, m, "l", &rows, &de)) != CGAN_OK) return rc;
    if (fixed && cond == NULL)
        return cgan__error(CGAN_EINVAL, "%s: cond is NULL but the target is \"fixed\"", fn);
    if (cond && (rc = cgan__loss_check_matrix(fn, "cond", cond, m, "l", &rows, &k)) != CGAN_OK)
        return rc;
    if ((rc = cgan__loss_check_grad(fn, "grad_l", grad_l, l, "l")) != CGAN_OK) return rc;
    if (grad_e && e == NULL)
        return cgan__error(CGAN_EINVAL, "%s: grad_e is given but e is NULL", fn);
    if (grad_e && (rc = cgan__loss_check_grad(fn, "grad_e", grad_e, e, "e")) != CGAN_OK) return rc;

    size_t nl = (size_t)(m * dl), ne = (size_t)(m * de), nc = (size_t)(m * k);
    double *ws = cgan__loss_workspace(loss, 2 * nl + 2 * ne + nc + cgan__loss_ccl_workspace(m, dl, de));
    if (ws == NULL) return CGAN_ENOMEM;
    double *xl = ws, *xe = xl + nl, *xc = xe + ne, *gl = xc + nc, *ge = gl + nl, *kws = ge + ne;
    if ((rc = cgan__loss_input(fn, "l", l, xl)) != CGAN_OK) return rc;
    if (e && (rc = cgan__loss_input(fn, "e", e, xe)) != CGAN_OK) return rc;
    if (cond && (rc = cgan__loss_input(fn, "cond", cond, xc)) != CGAN_OK) return rc;

    cgan__ccl_params p = {loss->distance, loss->reduction, loss->target, loss->alpha, loss->delta};
    cgan__ccl_stats st;
    /* No gradient into e when it is detached (math-spec 4.5) or unused. */
    int want_ge = grad_e && !fixed && !loss->detach_e;
    double v = loss->weight * cgan__loss_ccl(&p, m, dl, xl, de, xe, k, cond ? xc : NULL,
                                             grad_l ? gl : NULL, want_ge ? ge : NULL, kws, &st);
    *value = v;
    if (!isfinite(v)) return cgan__error(CGAN_ENUMERIC, "%s: the loss is %g", fn, v);
    if ((grad_l && (rc = cgan__loss_check_output(fn, "grad_l", gl, (int64_t)nl, loss->weight))) ||
        (want_ge && (rc = cgan__loss_check_output(fn, "grad_e", ge, (int64_t)ne, loss->weight))))
        return rc;
    if (grad_l) cgan__loss_store(grad_l, gl, loss->weight);
    if (grad_e) {
        if (want_ge) cgan__loss_store(grad_e, ge, loss->weight);
        else memset(grad_e->data, 0, (size_t)grad_e->numel * sizeof(float));
    }
    loss->st_value = v;
    loss->st_active_pairs = (double)st.active_pairs;
    loss->st_zero_norm_rows = (double)st.zero_norm_rows;
    loss->st_mean_target = st.mean_target;
    return CGAN_OK;
}
