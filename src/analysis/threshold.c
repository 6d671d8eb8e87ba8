/* Which grey values form the phase: ImageJ 1.53t's "Default" auto-threshold
 * (IJ_IsoData on a mode-clipped histogram), a fixed level, or a window. */
#include "analysis_internal.h"

#include <math.h>
#include <stdlib.h>

/* IJ_IsoData: iterate the split point m until it passes the mean of the
 * means below and above it.  Bins 0 and 255 are ignored. */
static int ij_isodata(int64_t *d) {
    int min = 0, max = 255;
    double result = 0.0;
    d[0] = 0;
    d[255] = 0;
    while (min < 255 && d[min] == 0) min++;
    while (max > 0 && d[max] == 0) max--;
    if (min >= max) return 128;
    int m = min;
    do {
        double s1 = 0, n1 = 0, s2 = 0, n2 = 0;
        for (int i = min; i <= m; i++) s1 += (double)i * (double)d[i], n1 += (double)d[i];
        for (int i = m + 1; i <= max; i++) s2 += (double)i * (double)d[i], n2 += (double)d[i];
        /* ImageJ divides as written; an empty side gives NaN and ends the loop */
        result = (s1 / n1 + s2 / n2) / 2.0;
        m++;
    } while ((m + 1) <= result && m < max - 1);
    return (int)floor(result + 0.5);
}

int cgan_threshold_ij_default(const int64_t hist[256], int *level) {
    CGAN__CHECK_NOT_NULL(hist, "hist");
    CGAN__CHECK_NOT_NULL(level, "level");
    int64_t d[256];
    int mode = 0;
    for (int i = 0; i < 256; i++) {
        if (hist[i] < 0) return cgan__error(CGAN_EINVAL, "%s: hist[%d] is negative", __func__, i);
        d[i] = hist[i];
        if (d[i] > d[mode]) mode = i;
    }
    int64_t max2 = 0;
    for (int i = 0; i < 256; i++)
        if (i != mode && d[i] > max2) max2 = d[i];
    /* a dominant background peak is clipped so it cannot drag the split */
    if (d[mode] > 2 * max2 && max2 != 0) d[mode] = (int64_t)((double)max2 * 1.5);
    *level = ij_isodata(d);
    return CGAN_OK;
}

int cgan__phase_limits(const double *grey, int64_t n, const uint8_t *excl,
                       const cgan_analysis_opts *o, double *lo, double *hi) {
    int phase = CGAN__OPT_I(o, CGAN_ANALYSIS_PHASE);
    if (phase == CGAN_PHASE_WINDOW) {
        *lo = o->v[CGAN_ANALYSIS_WINDOW_LO];
        *hi = o->v[CGAN_ANALYSIS_WINDOW_HI];
        if (*lo > *hi)
            return cgan__error(CGAN_EINVAL, "cgan_micrograph_analyze: window %g:%g is empty", *lo,
                               *hi);
        return CGAN_OK;
    }
    int level = CGAN__OPT_I(o, CGAN_ANALYSIS_THRESHOLD);
    if (level < 0) {
        int64_t hist[256] = {0};
        for (int64_t i = 0; i < n; i++) {
            if (excl && excl[i]) continue;
            long v = lround(grey[i]);
            hist[v < 0 ? 0 : v > 255 ? 255 : v]++;
        }
        int rc = cgan_threshold_ij_default(hist, &level);
        if (rc != CGAN_OK) return rc;
    }
    if (phase == CGAN_PHASE_DARK) {
        *lo = 0;
        *hi = level;
    } else {
        *lo = level + 1 > 255 ? 255 : level + 1;
        *hi = 255;
    }
    return CGAN_OK;
}
