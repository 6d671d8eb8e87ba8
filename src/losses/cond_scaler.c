/* Scaling of continuous process conditions to [-1, 1] (math-spec 4.2):
 * per column, optionally log10 first, then min/max of the training set.
 * Values outside the training range extrapolate linearly (no clipping), so
 * a model can be asked about conditions it was not trained on. */
#include "../core/internal.h"

#include <math.h>
#include <stdlib.h>

struct cgan_cond_scaler {
    int k;
    int *log10_on; /* [k] */
    int *known;    /* [k]: column fitted or set */
    double *lo;    /* [k] min in the transformed domain */
    double *hi;    /* [k] max in the transformed domain */
};

int cgan_cond_scaler_create(cgan_cond_scaler **out, int k) {
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    if (k < 1) return cgan__error(CGAN_EINVAL, "cgan_cond_scaler_create: k %d is not >= 1", k);
    cgan_cond_scaler *s = calloc(1, sizeof *s);
    if (s) {
        s->k = k;
        s->log10_on = calloc((size_t)k, sizeof *s->log10_on);
        s->known = calloc((size_t)k, sizeof *s->known);
        s->lo = calloc((size_t)k, sizeof *s->lo);
        s->hi = calloc((size_t)k, sizeof *s->hi);
    }
    if (!s || !s->log10_on || !s->known || !s->lo || !s->hi) {
        cgan_cond_scaler_destroy(s);
        return cgan__error(CGAN_ENOMEM, "cgan_cond_scaler_create: out of memory");
    }
    *out = s;
    return CGAN_OK;
}

void cgan_cond_scaler_destroy(cgan_cond_scaler *s) {
    if (s == NULL) return;
    free(s->log10_on);
    free(s->known);
    free(s->lo);
    free(s->hi);
    free(s);
}

int cgan_cond_scaler_columns(const cgan_cond_scaler *s) { return s ? s->k : 0; }

int cgan_cond_scaler_is_fitted(const cgan_cond_scaler *s) {
    if (s == NULL) return 0;
    for (int c = 0; c < s->k; c++)
        if (!s->known[c]) return 0;
    return 1;
}

static int check_col(const cgan_cond_scaler *s, int col, const char *fn) {
    CGAN__CHECK_NOT_NULL(s, "scaler");
    if (col < 0 || col >= s->k)
        return cgan__error(CGAN_EINVAL, "%s: column %d is not in [0, %d)", fn, col, s->k);
    return CGAN_OK;
}

int cgan_cond_scaler_set_log10(cgan_cond_scaler *s, int col, int log10_on) {
    int rc = check_col(s, col, __func__);
    if (rc != CGAN_OK) return rc;
    s->log10_on[col] = log10_on != 0;
    for (int c = 0; c < s->k; c++) s->known[c] = 0; /* the old fit no longer applies */
    return CGAN_OK;
}

/* The column's value in the domain min/max live in (log10 if flagged). */
static int transformed(const cgan_cond_scaler *s, const char *fn, const double *raw, int64_t row,
                       int col, double *out) {
    double v = raw[row * s->k + col];
    if (!isfinite(v))
        return cgan__error(CGAN_EINVAL, "%s: row %lld, column %d is %g", fn, (long long)row, col, v);
    if (s->log10_on[col]) {
        if (v <= 0)
            return cgan__error(CGAN_EINVAL, "%s: row %lld, column %d is %g, but the column is "
                               "log-scaled and needs values > 0", fn, (long long)row, col, v);
        v = log10(v);
    }
    *out = v;
    return CGAN_OK;
}

static int check_rows(const cgan_cond_scaler *s, const void *a, const char *name, int64_t n_rows,
                      const char *fn) {
    CGAN__CHECK_NOT_NULL(s, "scaler");
    CGAN__CHECK_NOT_NULL(a, name);
    if (n_rows < 1) return cgan__error(CGAN_EINVAL, "%s: n_rows %lld is not >= 1", fn, (long long)n_rows);
    return CGAN_OK;
}

int cgan_cond_scaler_fit(cgan_cond_scaler *s, const double *raw, int64_t n_rows) {
    int rc = check_rows(s, raw, "raw", n_rows, __func__);
    if (rc != CGAN_OK) return rc;
    double *lo = malloc((size_t)s->k * sizeof *lo), *hi = malloc((size_t)s->k * sizeof *hi);
    if (!lo || !hi) {
        free(lo);
        free(hi);
        return cgan__error(CGAN_ENOMEM, "%s: out of memory", __func__);
    }
    for (int64_t r = 0; r < n_rows && rc == CGAN_OK; r++)
        for (int c = 0; c < s->k && rc == CGAN_OK; c++) {
            double v = 0.0;
            if ((rc = transformed(s, __func__, raw, r, c, &v)) != CGAN_OK) break;
            if (r == 0 || v < lo[c]) lo[c] = v;
            if (r == 0 || v > hi[c]) hi[c] = v;
        }
    if (rc == CGAN_OK)
        for (int c = 0; c < s->k; c++) {
            s->lo[c] = lo[c];
            s->hi[c] = hi[c];
            s->known[c] = 1;
        }
    free(lo);
    free(hi);
    return rc;
}

/* Arguments of apply / invert: a fitted scaler, input and output arrays. */
static int check_transform(const cgan_cond_scaler *s, const void *in, const char *in_name,
                           int64_t n_rows, const void *out, const char *out_name,
                           const char *fn) {
    int rc = check_rows(s, in, in_name, n_rows, fn);
    if (rc != CGAN_OK) return rc;
    if (!cgan_cond_scaler_is_fitted(s))
        return cgan__error(CGAN_ESTATE, "%s: the scaler has not been fitted", fn);
    if (out == NULL) return cgan__error(CGAN_EINVAL, "%s: %s is NULL", fn, out_name);
    return CGAN_OK;
}

/* One scaled value (math-spec 4.2; a constant column maps to 0). */
static int scale_one(const cgan_cond_scaler *s, const char *fn, const double *raw, int64_t row,
                     int col, double *out) {
    double v = 0.0;
    int rc = transformed(s, fn, raw, row, col, &v);
    if (rc != CGAN_OK) return rc;
    double range = s->hi[col] - s->lo[col];
    *out = range > 0 ? 2.0 * (v - s->lo[col]) / range - 1.0 : 0.0;
    return CGAN_OK;
}

/* Scale n_rows rows into out_d (double) or out_f (float); both NULL only
 * validates.  Each value is written after its raw value is read, so out_d
 * may be raw. */
static int scale_rows(const cgan_cond_scaler *s, const char *fn, const double *raw,
                      int64_t n_rows, double *out_d, float *out_f) {
    for (int64_t r = 0; r < n_rows; r++)
        for (int c = 0; c < s->k; c++) {
            double v = 0.0;
            int rc = scale_one(s, fn, raw, r, c, &v);
            if (rc != CGAN_OK) return rc;
            if (out_d) out_d[r * s->k + c] = v;
            if (out_f) out_f[r * s->k + c] = (float)v;
        }
    return CGAN_OK;
}

int cgan_cond_scaler_apply(const cgan_cond_scaler *s, const double *raw, int64_t n_rows,
                           double *scaled) {
    int rc = check_transform(s, raw, "raw", n_rows, scaled, "scaled", __func__);
    if (rc != CGAN_OK) return rc;
    return scale_rows(s, __func__, raw, n_rows, scaled, NULL);
}

int cgan_cond_scaler_apply_tensor(const cgan_cond_scaler *s, const double *raw, int64_t n_rows,
                                  cgan_tensor *scaled) {
    char buf[64];
    int rc = check_transform(s, raw, "raw", n_rows, scaled, "scaled", __func__);
    if (rc != CGAN_OK) return rc;
    if (scaled->ndim != 2 || scaled->shape[0] != n_rows || scaled->shape[1] != s->k)
        return cgan__error(CGAN_ESHAPE, "%s: scaled has shape %s, expected [%lld, %d]", __func__,
                           cgan__shape_str(scaled, buf, sizeof buf), (long long)n_rows, s->k);
    /* Validate everything first so that a failure leaves scaled untouched. */
    if ((rc = scale_rows(s, __func__, raw, n_rows, NULL, NULL)) != CGAN_OK) return rc;
    return scale_rows(s, __func__, raw, n_rows, NULL, scaled->data);
}

int cgan_cond_scaler_invert(const cgan_cond_scaler *s, const double *scaled, int64_t n_rows,
                            double *raw) {
    int rc = check_transform(s, scaled, "scaled", n_rows, raw, "raw", __func__);
    if (rc != CGAN_OK) return rc;
    for (int64_t r = 0; r < n_rows; r++)
        for (int c = 0; c < s->k; c++) {
            double x = scaled[r * s->k + c];
            if (!isfinite(x))
                return cgan__error(CGAN_EINVAL, "%s: row %lld, column %d is %g", __func__,
                                   (long long)r, c, x);
            double v = s->lo[c] + (x + 1.0) * 0.5 * (s->hi[c] - s->lo[c]);
            raw[r * s->k + c] = s->log10_on[c] ? pow(10.0, v) : v;
        }
    return CGAN_OK;
}

int cgan_cond_scaler_get_column(const cgan_cond_scaler *s, int col, double *min, double *max,
                                int *log10_on) {
    int rc = check_col(s, col, __func__);
    if (rc != CGAN_OK) return rc;
    if (!s->known[col])
        return cgan__error(CGAN_ESTATE, "%s: column %d has not been fitted or set", __func__, col);
    if (min) *min = s->lo[col];
    if (max) *max = s->hi[col];
    if (log10_on) *log10_on = s->log10_on[col];
    return CGAN_OK;
}

int cgan_cond_scaler_set_column(cgan_cond_scaler *s, int col, double min, double max,
                                int log10_on) {
    int rc = check_col(s, col, __func__);
    if (rc != CGAN_OK) return rc;
    if (!isfinite(min) || !isfinite(max) || min > max)
        return cgan__error(CGAN_EINVAL, "%s: column %d: min %g and max %g must be finite with "
                           "min <= max", __func__, col, min, max);
    s->lo[col] = min;
    s->hi[col] = max;
    s->log10_on[col] = log10_on != 0;
    s->known[col] = 1;
    return CGAN_OK;
}
