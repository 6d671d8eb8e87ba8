/* One image from grey values to the particle table and per-image features. */
#include "analysis_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Largest padded FFT for which single-precision pair counts round exactly
 * (absolute error ~1e-6 x pixels); larger images use the direct sum. */
#define S2_FFT_MAX_PIXELS (1 << 18)

void cgan_micrograph_destroy(cgan_micrograph *m) {
    if (m == NULL) return;
    free(m->mask);
    free(m->cols);
    free(m->s2);
    free(m->chords[0]);
    free(m->chords[1]);
    free(m);
}

static void set_feat(cgan_micrograph *m, cgan_feature f, double num, double den) {
    m->num[f] = num;
    m->den[f] = den;
    m->feat[f] = num / den; /* NaN for means over no particles */
}

static void compute_features(cgan_micrograph *m, const uint8_t *excl, const cgan_analysis_opts *o,
                             double lo, double hi) {
    double um = m->um, img_area = (double)m->usable * um * um; /* excluded pixels are no area */
    double s_area = 0, s_ar = 0, s_ecd = 0, speck = 0;
    double speckle_px = o->v[CGAN_ANALYSIS_SPECKLE_SIZE];
    for (int64_t i = 0; i < m->n; i++) {
        const double *r = m->cols + i * CGAN_COL_COUNT_;
        s_area += r[CGAN_COL_AREA];
        s_ar += r[CGAN_COL_AR];
        s_ecd += r[CGAN_COL_ECD];
        speck += r[CGAN_COL_AREA] / (um * um) < speckle_px;
    }
    double n = (double)m->n;
    set_feat(m, CGAN_FEATURE_COUNT, n, 1);
    set_feat(m, CGAN_FEATURE_MEAN_AREA, s_area, n);
    set_feat(m, CGAN_FEATURE_DENSITY, n, img_area);
    set_feat(m, CGAN_FEATURE_MEAN_AR, s_ar, n);
    set_feat(m, CGAN_FEATURE_AREA_FRACTION, s_area, img_area);
    set_feat(m, CGAN_FEATURE_PHASE_FRACTION, (double)cgan__phase_pixels(m->mask, m->w, m->h),
             (double)m->usable);
    /* Crofton: pi/4 x the 4-neighbour changes estimates the isotropic length */
    set_feat(m, CGAN_FEATURE_SPECIFIC_PERIMETER,
             M_PI / 4.0 * (double)cgan__interface_pairs(m->mask, excl, m->w, m->h) * um, img_area);
    for (int a = 0; a < 2; a++) {
        double s = 0;
        for (int64_t i = 0; i < m->nchord[a]; i++) s += m->chords[a][i];
        set_feat(m, a == 0 ? CGAN_FEATURE_CHORD_X : CGAN_FEATURE_CHORD_Y, s, (double)m->nchord[a]);
    }
    set_feat(m, CGAN_FEATURE_EULER, cgan__euler8(m->mask, m->w, m->h), 1);
    set_feat(m, CGAN_FEATURE_SPECKLE, speck, 1);
    set_feat(m, CGAN_FEATURE_MEAN_ECD, s_ecd, n);
    set_feat(m, CGAN_FEATURE_THRESHOLD_LO, lo, 1);
    set_feat(m, CGAN_FEATURE_THRESHOLD_HI, hi, 1);
    set_feat(m, CGAN_FEATURE_TOTAL_AREA, s_area, 1);
}

/* Particle rows come in pixels; scale them to micrometres. */
static void calibrate(cgan_micrograph *m) {
    double um = m->um;
    if (um == 1.0) return;
    for (int64_t i = 0; i < m->n; i++) {
        double *r = m->cols + i * CGAN_COL_COUNT_;
        r[CGAN_COL_AREA] *= um * um;
        r[CGAN_COL_X] *= um;
        r[CGAN_COL_Y] *= um;
        r[CGAN_COL_PERIM] *= um;
        r[CGAN_COL_MAJOR] *= um;
        r[CGAN_COL_MINOR] *= um;
        r[CGAN_COL_ECD] *= um;
    }
    for (int a = 0; a < 2; a++)
        for (int64_t i = 0; i < m->nchord[a]; i++) m->chords[a][i] *= um;
}

/* The phase: grey values in lo..hi; excluded pixels never belong to it.
 * Smoothing sees the image as it is, excluded pixels included. */
static int segment(cgan_micrograph *m, const float *px, int bits, const uint8_t *excl,
                   const cgan_analysis_opts *o, double *lo, double *hi) {
    int64_t np = (int64_t)m->w * m->h;
    double *grey = malloc(sizeof(double) * (size_t)np);
    if (grey == NULL) return cgan__error(CGAN_ENOMEM, "cgan_micrograph_analyze: out of memory");
    int rc = cgan__grey8(px, np, bits, excl, grey);
    double sigma = o->v[CGAN_ANALYSIS_SMOOTH_SIGMA];
    if (rc == CGAN_OK && sigma > 0) rc = cgan__gaussian_blur(grey, m->w, m->h, sigma);
    if (rc == CGAN_OK) rc = cgan__phase_limits(grey, np, excl, o, lo, hi);
    if (rc == CGAN_OK)
        for (int64_t i = 0; i < np; i++)
            m->mask[i] = grey[i] >= *lo && grey[i] <= *hi && !(excl && excl[i]);
    free(grey);
    return rc;
}

/* S2 pair counts of the phase and, with exclusions, of the usable pixels
 * (the valid pairs each shift is normalised by). */
static int s2_pairs(const cgan_micrograph *m, const uint8_t *mask, int R, int64_t *pairs) {
    if ((int64_t)(m->w + R) * (m->h + R) <= S2_FFT_MAX_PIXELS)
        return cgan__s2_pairs_fft(mask, m->w, m->h, R, pairs);
    return cgan__s2_pairs_direct(mask, m->w, m->h, R, pairs);
}

static int measure_s2(cgan_micrograph *m, const uint8_t *excl, const cgan_analysis_opts *o) {
    int R = CGAN__OPT_I(o, CGAN_ANALYSIS_S2_RADIUS);
    if (R > m->w - 1) R = m->w - 1;
    if (R > m->h - 1) R = m->h - 1;
    m->s2_r = R;
    size_t side2 = (size_t)(2 * R + 1) * (size_t)(2 * R + 1);
    int64_t *pairs = malloc(sizeof(int64_t) * side2 * (excl ? 2 : 1));
    uint8_t *usable = excl ? malloc((size_t)m->w * (size_t)m->h) : NULL;
    m->s2 = malloc(sizeof(double) * (size_t)(R + 1));
    int rc = CGAN_OK;
    if (!pairs || !m->s2 || (excl && !usable))
        rc = cgan__error(CGAN_ENOMEM, "cgan_micrograph_analyze: out of memory");
    if (rc == CGAN_OK) rc = s2_pairs(m, m->mask, R, pairs);
    if (rc == CGAN_OK && excl) {
        for (int64_t i = 0; i < (int64_t)m->w * m->h; i++) usable[i] = !excl[i];
        rc = s2_pairs(m, usable, R, pairs + side2);
    }
    if (rc == CGAN_OK) cgan__s2_radial(pairs, excl ? pairs + side2 : NULL, m->w, m->h, R, m->s2);
    free(pairs);
    free(usable);
    return rc;
}

static int measure(cgan_micrograph *m, const float *px, int bits, const uint8_t *excl,
                   const cgan_analysis_opts *o) {
    double lo, hi;
    int rc = segment(m, px, bits, excl, o, &lo, &hi);
    if (rc == CGAN_OK) rc = cgan__binary_open(m->mask, m->w, m->h, CGAN__OPT_I(o, CGAN_ANALYSIS_OPEN_RADIUS));
    if (rc == CGAN_OK) rc = cgan__particles(m->mask, excl, m->w, m->h, o, &m->cols, &m->n);
    for (int a = 0; a < 2 && rc == CGAN_OK; a++)
        rc = cgan__chords(m->mask, excl, m->w, m->h, a, &m->chords[a], &m->nchord[a]);
    if (rc == CGAN_OK) rc = measure_s2(m, excl, o);
    if (rc != CGAN_OK) return rc;
    calibrate(m);
    compute_features(m, excl, o, lo, hi);
    return CGAN_OK;
}

/* Excluded pixels (mask != 0) as bytes, NULL without a mask; checks the
 * mask's size against the image and that some pixel is left. */
static int exclusion(const cgan_tensor *mask, int w, int h, uint8_t **excl, int64_t *usable) {
    *excl = NULL;
    *usable = (int64_t)w * h;
    if (mask == NULL) return CGAN_OK;
    int64_t mh, mw;
    if (cgan__image_hw(mask, &mh, &mw) != 0 || mw != w || mh != h) {
        char buf[64];
        return cgan__error(CGAN_ESHAPE, "cgan_micrograph_analyze_masked: mask is %s, the image "
                           "%dx%d (W x H)", cgan__shape_str(mask, buf, sizeof buf), w, h);
    }
    if (!(*excl = malloc((size_t)w * (size_t)h)))
        return cgan__error(CGAN_ENOMEM, "cgan_micrograph_analyze_masked: out of memory");
    for (int64_t i = 0; i < (int64_t)w * h; i++) *usable -= ((*excl)[i] = mask->data[i] != 0.0f);
    if (*usable == 0) {
        free(*excl);
        *excl = NULL;
        return cgan__error(CGAN_EINVAL, "cgan_micrograph_analyze_masked: the mask excludes every pixel");
    }
    return CGAN_OK;
}

int cgan_micrograph_analyze(cgan_micrograph **out, const cgan_tensor *img, int bits,
                            const cgan_analysis_opts *opts) {
    return cgan_micrograph_analyze_masked(out, img, bits, NULL, opts);
}

int cgan_micrograph_analyze_masked(cgan_micrograph **out, const cgan_tensor *img, int bits,
                                   const cgan_tensor *mask, const cgan_analysis_opts *opts) {
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    CGAN__CHECK_NOT_NULL(img, "img");
    CGAN__CHECK_NOT_NULL(opts, "opts");
    if (bits != 0 && bits != 8 && bits != 16)
        return cgan__error(CGAN_EINVAL, "%s: bits = %d, expected 0, 8 or 16", __func__, bits);
    int64_t h, w;
    char buf[64];
    if (cgan__image_hw(img, &h, &w) != 0)
        return cgan__error(CGAN_ESHAPE, "%s: img is %s, expected [H,W], [1,H,W] or [1,1,H,W]",
                           __func__, cgan__shape_str(img, buf, sizeof buf));
    if (w < 2 || h < 2 || w > 65535 || h > 65535)
        return cgan__error(CGAN_ESHAPE, "%s: img is %s, expected H and W in 2..65535", __func__,
                           cgan__shape_str(img, buf, sizeof buf));
    cgan_micrograph *m = calloc(1, sizeof *m);
    if (m == NULL) return cgan__error(CGAN_ENOMEM, "%s: out of memory", __func__);
    m->w = (int)w;
    m->h = (int)h;
    m->um = opts->v[CGAN_ANALYSIS_UM_PER_PX] > 0 ? opts->v[CGAN_ANALYSIS_UM_PER_PX] : 1.0;
    m->mask = malloc((size_t)m->w * (size_t)m->h);
    uint8_t *excl = NULL;
    int rc = m->mask ? exclusion(mask, m->w, m->h, &excl, &m->usable)
                     : cgan__error(CGAN_ENOMEM, "%s: out of memory", __func__);
    if (rc == CGAN_OK) rc = measure(m, img->data, bits, excl, opts);
    free(excl);
    if (rc != CGAN_OK) {
        cgan_micrograph_destroy(m);
        return rc;
    }
    *out = m;
    return CGAN_OK;
}

int64_t cgan_micrograph_count(const cgan_micrograph *m) { return m ? m->n : 0; }

int cgan_micrograph_column(const cgan_micrograph *m, cgan_particle_col col, double *dst,
                           int64_t n) {
    CGAN__CHECK_NOT_NULL(m, "m");
    if ((int)col < 0 || col >= CGAN_COL_COUNT_)
        return cgan__error(CGAN_EINVAL, "%s: unknown column %d", __func__, (int)col);
    if (n < m->n)
        return cgan__error(CGAN_EINVAL, "%s: n = %lld is less than the %lld particles", __func__,
                           (long long)n, (long long)m->n);
    if (m->n > 0) CGAN__CHECK_NOT_NULL(dst, "dst");
    for (int64_t i = 0; i < m->n; i++) dst[i] = m->cols[i * CGAN_COL_COUNT_ + col];
    return CGAN_OK;
}

int cgan_micrograph_feature(const cgan_micrograph *m, cgan_feature f, double *value) {
    CGAN__CHECK_NOT_NULL(m, "m");
    CGAN__CHECK_NOT_NULL(value, "value");
    if ((int)f < 0 || f >= CGAN_FEATURE_COUNT_)
        return cgan__error(CGAN_EINVAL, "%s: unknown feature %d", __func__, (int)f);
    *value = m->feat[f];
    return CGAN_OK;
}

int cgan_micrograph_s2(const cgan_micrograph *m, double *dst, int n) {
    CGAN__CHECK_NOT_NULL(m, "m");
    CGAN__CHECK_NOT_NULL(dst, "dst");
    if (n != m->s2_r + 1)
        return cgan__error(CGAN_EINVAL, "%s: n = %d, expected R+1 = %d", __func__, n, m->s2_r + 1);
    memcpy(dst, m->s2, sizeof(double) * (size_t)n);
    return CGAN_OK;
}

int cgan_micrograph_chords(const cgan_micrograph *m, int axis, double *dst, int64_t n,
                           int64_t *count) {
    CGAN__CHECK_NOT_NULL(m, "m");
    CGAN__CHECK_NOT_NULL(count, "count");
    if (axis != 0 && axis != 1)
        return cgan__error(CGAN_EINVAL, "%s: axis = %d, expected 0 (x) or 1 (y)", __func__, axis);
    if (n < 0 || (n > 0 && dst == NULL))
        return cgan__error(CGAN_EINVAL, "%s: dst is NULL or n < 0", __func__);
    int64_t k = n < m->nchord[axis] ? n : m->nchord[axis];
    if (k > 0) memcpy(dst, m->chords[axis], sizeof(double) * (size_t)k);
    *count = m->nchord[axis];
    return CGAN_OK;
}

int cgan_micrograph_mask(const cgan_micrograph *m, cgan_tensor **out) {
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    CGAN__CHECK_NOT_NULL(m, "m");
    int rc = cgan_tensor_create4(out, 1, 1, m->h, m->w);
    if (rc != CGAN_OK) return rc;
    for (int64_t i = 0; i < (int64_t)m->w * m->h; i++) (*out)->data[i] = m->mask[i];
    return CGAN_OK;
}

int cgan_micrograph_s2_radius(const cgan_micrograph *m) { return m ? m->s2_r : 0; }
