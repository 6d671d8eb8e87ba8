/* Row-wise L2 normalisation with the F.normalize floor (math-spec 3.1, 3.3):
 * u = x / max(|x|, eps).  Shared by the cosine-based losses. */
#include "loss_internal.h"

#include <math.h>

int64_t cgan__rows_normalize(int64_t m, int64_t d, const double *x, double *u, double *norms) {
    int64_t below = 0;
    for (int64_t i = 0; i < m; i++) {
        const double *xi = x + i * d;
        double ss = 0.0;
        for (int64_t c = 0; c < d; c++) ss += xi[c] * xi[c];
        double n = sqrt(ss);
        double den = n >= CGAN__NORM_EPS ? n : CGAN__NORM_EPS;
        if (n < CGAN__NORM_EPS) below++;
        norms[i] = n;
        for (int64_t c = 0; c < d; c++) u[i * d + c] = xi[c] / den;
    }
    return below;
}

void cgan__rows_normalize_backward(int64_t m, int64_t d, const double *u, const double *norms,
                                   const double *du, double *dx) {
    for (int64_t i = 0; i < m; i++) {
        const double *ui = u + i * d, *dui = du + i * d;
        double *dxi = dx + i * d;
        if (norms[i] < CGAN__NORM_EPS) {
            /* Below the floor u = x / eps is linear in x. */
            for (int64_t c = 0; c < d; c++) dxi[c] = dui[c] / CGAN__NORM_EPS;
            continue;
        }
        double dot = 0.0;
        for (int64_t c = 0; c < d; c++) dot += ui[c] * dui[c];
        for (int64_t c = 0; c < d; c++) dxi[c] = (dui[c] - dot * ui[c]) / norms[i];
    }
}
