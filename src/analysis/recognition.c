/* Condition recognition: a nearest-centroid classifier on standardised
 * per-image feature vectors.  Real images give the centroids; generated
 * images are assigned to the nearest one, and the real images themselves
 * are classified leave-one-out as the baseline. */
#include "comparison_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const feature_names[CGAN_RECOGNITION_N_FEATURES] = {
    "MeanArea",  "Density",   "MeanAR",    "PhaseFraction", "CorrelationLength",
    "ChordX",    "ChordY",    "GreyCorr1", "GreyCorr2",     "GreyCorr3",
    "GreyCorr4", "GreyCorr5", "GreyCorr6", "GreyCorr7",     "GreyCorr8"};

const char *cgan_recognition_feature_name(int i) {
    return i >= 0 && i < CGAN_RECOGNITION_N_FEATURES ? feature_names[i] : NULL;
}

static int check_args(const char *fn, const double *train, const int *labels, int64_t ntrain,
                      int d, int nclasses, const int *assigned) {
    if (train == NULL || labels == NULL || assigned == NULL)
        return cgan__error(CGAN_EINVAL, "%s: train, labels or assigned is NULL", fn);
    if (ntrain < 1 || d < 1 || nclasses < 1)
        return cgan__error(CGAN_EINVAL, "%s: ntrain (%lld), d (%d) and nclasses (%d) must be >= 1",
                           fn, (long long)ntrain, d, nclasses);
    for (int64_t i = 0; i < ntrain; i++)
        if (labels[i] < 0 || labels[i] >= nclasses)
            return cgan__error(CGAN_EINVAL, "%s: label %d of row %lld is outside 0..%d", fn,
                               labels[i], (long long)i, nclasses - 1);
    return CGAN_OK;
}

/* Per feature: mean and 1/std of the training rows (NaN skipped); a
 * constant feature gets scale 0, so it adds nothing to any distance. */
static void standardiser(const double *x, int64_t n, int d, double *mu, double *inv) {
    for (int j = 0; j < d; j++) {
        double s = 0, ss = 0;
        int64_t k = 0;
        for (int64_t i = 0; i < n; i++) {
            double v = x[i * d + j];
            if (isfinite(v)) s += v, k++;
        }
        mu[j] = k ? s / (double)k : 0;
        for (int64_t i = 0; i < n; i++) {
            double v = x[i * d + j];
            if (isfinite(v)) ss += (v - mu[j]) * (v - mu[j]);
        }
        double sd = k ? sqrt(ss / (double)k) : 0;
        inv[j] = sd > 1e-12 * fmax(fabs(mu[j]), 1e-300) ? 1.0 / sd : 0;
    }
}

/* Standardised copy of x (NaN -> 0, the training mean). */
static double *standardise(const double *x, int64_t n, int d, const double *mu, const double *inv) {
    double *z = malloc(sizeof(double) * (size_t)(n * d + 1));
    if (z == NULL) return NULL;
    for (int64_t i = 0; i < n; i++)
        for (int j = 0; j < d; j++) {
            double v = x[i * d + j];
            z[i * d + j] = isfinite(v) ? (v - mu[j]) * inv[j] : 0;
        }
    return z;
}

/* Class sums and counts of standardised training rows. */
static void class_sums(const double *z, const int *labels, int64_t n, int d, int nc, double *sum,
                       int64_t *cnt) {
    memset(sum, 0, sizeof(double) * (size_t)nc * (size_t)d);
    memset(cnt, 0, sizeof(int64_t) * (size_t)nc);
    for (int64_t i = 0; i < n; i++) {
        cnt[labels[i]]++;
        for (int j = 0; j < d; j++) sum[labels[i] * d + j] += z[i * d + j];
    }
}

/* Nearest centroid of row z; leave (>= 0) is a class whose sums include z
 * itself, which is taken out first.  -1 when no class has rows. */
static int nearest(const double *z, int d, int nc, const double *sum, const int64_t *cnt,
                   int leave) {
    int best = -1;
    double bestd = INFINITY;
    for (int k = 0; k < nc; k++) {
        int64_t m = cnt[k] - (k == leave);
        if (m <= 0) continue;
        double dist = 0;
        for (int j = 0; j < d; j++) {
            double s = sum[k * d + j] - (k == leave ? z[j] : 0);
            double diff = z[j] - s / (double)m;
            dist += diff * diff;
        }
        if (dist < bestd) bestd = dist, best = k;
    }
    return best;
}

/* Shared body of classify (x given) and leave-one-out (x == NULL). */
static int run(const char *fn, const double *train, const int *labels, int64_t ntrain, int d,
               int nc, const double *x, int64_t n, int *assigned) {
    double *mu = malloc(sizeof(double) * (size_t)d), *inv = malloc(sizeof(double) * (size_t)d);
    double *sum = malloc(sizeof(double) * (size_t)nc * (size_t)d);
    int64_t *cnt = malloc(sizeof(int64_t) * (size_t)nc);
    double *zt = NULL, *zx = NULL;
    int rc = CGAN_OK;
    if (mu && inv && sum && cnt) {
        standardiser(train, ntrain, d, mu, inv);
        zt = standardise(train, ntrain, d, mu, inv);
        zx = x ? standardise(x, n, d, mu, inv) : zt;
    }
    if (!mu || !inv || !sum || !cnt || !zt || !zx) {
        rc = cgan__error(CGAN_ENOMEM, "%s: out of memory", fn);
    } else {
        class_sums(zt, labels, ntrain, d, nc, sum, cnt);
        for (int64_t i = 0; i < n; i++)
            assigned[i] = nearest(zx + i * d, d, nc, sum, cnt, x ? -1 : labels[i]);
    }
    if (zx != zt) free(zx);
    free(zt);
    free(mu);
    free(inv);
    free(sum);
    free(cnt);
    return rc;
}

int cgan_recognition_classify(const double *train, const int *labels, int64_t ntrain, int d,
                              int nclasses, const double *x, int64_t n, int *assigned) {
    int rc = check_args(__func__, train, labels, ntrain, d, nclasses, assigned);
    if (rc != CGAN_OK) return rc;
    if (x == NULL || n < 0)
        return cgan__error(CGAN_EINVAL, "%s: x is NULL or n (%lld) < 0", __func__, (long long)n);
    return run(__func__, train, labels, ntrain, d, nclasses, x, n, assigned);
}

int cgan_recognition_loo(const double *train, const int *labels, int64_t ntrain, int d,
                         int nclasses, int *assigned) {
    int rc = check_args(__func__, train, labels, ntrain, d, nclasses, assigned);
    if (rc != CGAN_OK) return rc;
    return run(__func__, train, labels, ntrain, d, nclasses, NULL, ntrain, assigned);
}

/* ------------------------------------------------- within a comparison */
/* The r (in output length units) where (S2(r) - p^2) / (p - p^2) first
 * falls to 1/e, interpolated linearly between radii. */
static double correlation_length(const cgan__image_rec *r, int n) {
    double p = r->s2[0], v = p - p * p, target = exp(-1.0);
    if (!(v > 0)) return NAN;
    for (int k = 1; k < n; k++) {
        double g0 = (r->s2[k - 1] - p * p) / v, g1 = (r->s2[k] - p * p) / v;
        if (g1 <= target) return r->px_len * ((k - 1) + (g0 - target) / (g0 - g1));
    }
    return r->px_len * (n - 1);
}

static void vector(const cgan_comparison *c, const cgan__image_rec *r, double *out) {
    out[0] = r->feat[CGAN_FEATURE_MEAN_AREA];
    out[1] = r->feat[CGAN_FEATURE_DENSITY];
    out[2] = r->feat[CGAN_FEATURE_MEAN_AR];
    out[3] = r->feat[CGAN_FEATURE_PHASE_FRACTION];
    out[4] = correlation_length(r, c->s2n);
    out[5] = r->feat[CGAN_FEATURE_CHORD_X];
    out[6] = r->feat[CGAN_FEATURE_CHORD_Y];
    for (int k = 0; k < CGAN_RECOGNITION_TEXTURE_LAGS; k++) out[7 + k] = r->tex[k];
}

int cgan__comparison_recognise(cgan_comparison *c) {
    const int d = CGAN_RECOGNITION_N_FEATURES, nc = c->ncond;
    int64_t n[2] = {0, 0};
    for (int64_t i = 0; i < c->nimg; i++) n[c->img[i].set]++;
    double *x[2] = {malloc(sizeof(double) * (size_t)(n[0] * d + 1)),
                    malloc(sizeof(double) * (size_t)(n[1] * d + 1))};
    int *lab[2] = {malloc(sizeof(int) * (size_t)(n[0] + 1)), malloc(sizeof(int) * (size_t)(n[1] + 1))};
    int *got[2] = {malloc(sizeof(int) * (size_t)(n[0] + 1)), malloc(sizeof(int) * (size_t)(n[1] + 1))};
    c->assigned = malloc(sizeof(int) * (size_t)(c->nimg + 1));
    c->confusion = calloc((size_t)2 * nc * nc, sizeof(int64_t));
    int rc = (x[0] && x[1] && lab[0] && lab[1] && got[0] && got[1] && c->assigned && c->confusion)
                 ? CGAN_OK
                 : CGAN_ENOMEM;
    if (rc == CGAN_OK) {
        int64_t k[2] = {0, 0};
        for (int64_t i = 0; i < c->nimg; i++) { /* each set in its own order */
            int s = c->img[i].set;
            vector(c, &c->img[i], x[s] + k[s] * d);
            lab[s][k[s]++] = c->img[i].cond;
        }
        rc = cgan_recognition_loo(x[0], lab[0], n[0], d, nc, got[0]);
        if (rc == CGAN_OK)
            rc = cgan_recognition_classify(x[0], lab[0], n[0], d, nc, x[1], n[1], got[1]);
    }
    if (rc == CGAN_OK) {
        int64_t k[2] = {0, 0}, right[2] = {0, 0};
        for (int64_t i = 0; i < c->nimg; i++) {
            int s = c->img[i].set, a = got[s][k[s]++];
            c->assigned[i] = a;
            right[s] += a == c->img[i].cond;
            if (a >= 0) c->confusion[((size_t)s * nc + c->img[i].cond) * nc + a]++;
        }
        for (int s = 0; s < 2; s++) c->rec_acc[s] = n[s] ? (double)right[s] / (double)n[s] : NAN;
    }
    for (int s = 0; s < 2; s++) free(x[s]), free(lab[s]), free(got[s]);
    return rc;
}

int cgan_comparison_recognition(const cgan_comparison *c, cgan_set set, double *accuracy,
                                int64_t *confusion) {
    CGAN__CHECK_NOT_NULL(c, "c");
    if ((int)set < 0 || set > 1)
        return cgan__error(CGAN_EINVAL, "%s: set %d is unknown", __func__, (int)set);
    if (accuracy) *accuracy = c->rec_acc[set];
    if (confusion)
        memcpy(confusion, c->confusion + (size_t)set * c->ncond * c->ncond,
               sizeof(int64_t) * (size_t)c->ncond * (size_t)c->ncond);
    return CGAN_OK;
}

/* Index into c->img of image i of a set, -1 if there is none. */
static int64_t find_image(const cgan_comparison *c, cgan_set set, int64_t i) {
    if (c == NULL || i < 0) return -1;
    for (int64_t j = 0; j < c->nimg; j++)
        if (c->img[j].set == (int)set && i-- == 0) return j;
    return -1;
}

int cgan_comparison_assigned(const cgan_comparison *c, cgan_set set, int64_t i) {
    int64_t j = find_image(c, set, i);
    return j < 0 ? -1 : c->assigned[j];
}

int cgan_comparison_recognition_vector(const cgan_comparison *c, cgan_set set, int64_t i,
                                       double *v) {
    CGAN__CHECK_NOT_NULL(c, "c");
    CGAN__CHECK_NOT_NULL(v, "v");
    int64_t j = find_image(c, set, i);
    if (j < 0)
        return cgan__error(CGAN_EINVAL, "%s: set %d has no image %lld", __func__, (int)set,
                           (long long)i);
    vector(c, &c->img[j], v);
    return CGAN_OK;
}
