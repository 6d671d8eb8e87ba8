/* Grey-level two-point statistics: the normalised autocovariance of the
 * grey values as a function of distance, radially averaged.  It carries
 * the texture that the phase mask loses (e.g. a eutectic's lamella spacing,
 * which coarsens with temperature), so condition recognition uses it.
 * Direct sums over pixel pairs (the lags are few and short); the numpy
 * oracle computes the same pooled sums by FFT. */
#include "analysis_internal.h"

#include <math.h>
#include <stdlib.h>

#define MAX_LAG 64

int cgan_grey_autocorrelation(const cgan_tensor *img, const cgan_tensor *exclude, int max_lag,
                              double *rho) {
    int64_t h, w, mh, mw;
    CGAN__CHECK_NOT_NULL(img, "img");
    CGAN__CHECK_NOT_NULL(rho, "rho");
    if (cgan__image_hw(img, &h, &w) != 0)
        return cgan__error(CGAN_ESHAPE, "%s: image must be [H,W], [1,H,W] or [1,1,H,W]", __func__);
    if (exclude && (cgan__image_hw(exclude, &mh, &mw) != 0 || mh != h || mw != w))
        return cgan__error(CGAN_ESHAPE, "%s: the exclusion mask must have the image's %lldx%lld px",
                           __func__, (long long)w, (long long)h);
    if (max_lag < 1 || max_lag > MAX_LAG || max_lag >= w || max_lag >= h)
        return cgan__error(CGAN_EINVAL, "%s: max_lag %d is not in 1..%d and below the image's "
                           "%lldx%lld px", __func__, max_lag, MAX_LAG, (long long)w, (long long)h);
    const int64_t n = h * w;
    double *c = malloc(sizeof(double) * (size_t)n);
    unsigned char *ok = malloc((size_t)n);
    if (c == NULL || ok == NULL) {
        free(c);
        free(ok);
        return cgan__error(CGAN_ENOMEM, "%s: out of memory", __func__);
    }
    /* centre on the mean of the pixels that count; excluded pixels are 0 */
    double mean = 0, var = 0;
    int64_t valid = 0;
    for (int64_t i = 0; i < n; i++) {
        ok[i] = exclude == NULL || exclude->data[i] == 0.0f;
        if (ok[i]) mean += img->data[i], valid++;
    }
    mean = valid ? mean / (double)valid : 0;
    for (int64_t i = 0; i < n; i++) {
        c[i] = ok[i] ? img->data[i] - mean : 0.0;
        var += c[i] * c[i];
    }
    var = valid ? var / (double)valid : 0;
    double sum[MAX_LAG + 1] = {0}, pairs[MAX_LAG + 1] = {0};
    /* one of each pair of opposite offsets: dy > 0, or dy == 0 and dx > 0 */
    for (int dy = 0; dy <= max_lag; dy++)
        for (int dx = -max_lag; dx <= max_lag; dx++) {
            if (dy == 0 && dx <= 0) continue;
            int k = (int)floor(sqrt((double)(dx * dx + dy * dy)) + 0.5);
            if (k > max_lag) continue;
            int64_t x0 = dx < 0 ? -dx : 0, x1 = dx > 0 ? w - dx : w;
            double s = 0, np = 0;
            for (int64_t y = 0; y + dy < h; y++) {
                const double *a = c + y * w, *b = c + (y + dy) * w + dx;
                const unsigned char *va = ok + y * w, *vb = ok + (y + dy) * w + dx;
                for (int64_t x = x0; x < x1; x++) {
                    s += a[x] * b[x];
                    np += va[x] & vb[x];
                }
            }
            sum[k] += s;
            pairs[k] += np;
        }
    for (int k = 1; k <= max_lag; k++)
        rho[k - 1] = var > 0 && pairs[k] > 0 ? sum[k] / pairs[k] / var : NAN;
    free(c);
    free(ok);
    return CGAN_OK;
}
