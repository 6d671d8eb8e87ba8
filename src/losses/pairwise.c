/* Pairwise distance matrices between the rows of one matrix, and their
 * backward, for the continuous contrastive loss (math-spec 4.1, 4.3).
 * L2 distances come from explicit differences, never from
 * |a|^2 + |b|^2 - 2 a.b, which cancels catastrophically for close rows. */
#include "loss_internal.h"

#include <math.h>
#include <string.h>

static double l2_rows(int64_t d, const double *a, const double *b) {
    double ss = 0.0;
    for (int64_t c = 0; c < d; c++) {
        double t = a[c] - b[c];
        ss += t * t;
    }
    return sqrt(ss);
}

int64_t cgan__pairwise_distance(int kind, int64_t m, int64_t d, const double *x, double *xs,
                                double *norms, double *dist) {
    int64_t zero_rows = 0;
    const double *rows = x;
    if (kind != CGAN_DISTANCE_L2) {
        zero_rows = cgan__rows_normalize(m, d, x, xs, norms);
        rows = xs;
    }
    for (int64_t i = 0; i < m; i++) {
        const double *ri = rows + i * d;
        for (int64_t j = i; j < m; j++) {
            const double *rj = rows + j * d;
            double v;
            if (kind == CGAN_DISTANCE_COS) {
                double dot = 0.0;
                for (int64_t c = 0; c < d; c++) dot += ri[c] * rj[c];
                v = 1.0 - dot;
            } else {
                v = j == i ? 0.0 : l2_rows(d, ri, rj);
            }
            dist[i * m + j] = dist[j * m + i] = v;
        }
    }
    return zero_rows;
}

void cgan__pairwise_distance_backward(int kind, int64_t m, int64_t d, const double *x,
                                      const double *xs, const double *norms, const double *dist,
                                      const double *S, double scale, double *dx) {
    memset(dx, 0, (size_t)(m * d) * sizeof *dx);
    if (kind == CGAN_DISTANCE_COS) {
        /* D_ij = 1 - x^_i.x^_j, so dx^_i = -sum_j S_ij x^_j. */
        for (int64_t i = 0; i < m; i++)
            for (int64_t j = 0; j < m; j++) {
                double w = -scale * S[i * m + j];
                if (w == 0.0 || j == i) continue;
                for (int64_t c = 0; c < d; c++) dx[i * d + c] += w * xs[j * d + c];
            }
        cgan__rows_normalize_backward(m, d, xs, norms, dx, dx);
        return;
    }
    /* D_ij = |r_i - r_j|: dr_i = sum_j S_ij (r_i - r_j) / D_ij, 0 where D_ij = 0. */
    const double *rows = kind == CGAN_DISTANCE_L2 ? x : xs;
    for (int64_t i = 0; i < m; i++)
        for (int64_t j = 0; j < m; j++) {
            double D = dist[i * m + j];
            if (j == i || D == 0.0 || S[i * m + j] == 0.0) continue;
            double w = scale * S[i * m + j] / D;
            for (int64_t c = 0; c < d; c++) dx[i * d + c] += w * (rows[i * d + c] - rows[j * d + c]);
        }
    if (kind == CGAN_DISTANCE_L2N) cgan__rows_normalize_backward(m, d, xs, norms, dx, dx);
}
