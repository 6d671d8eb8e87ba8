/* The data set manifest: a CSV of micrographs, their scale and their
 * process conditions.  Every row is checked at load, and every error names
 * the manifest, the line and the problem. */
#include "../core/internal.h"
#include "data_internal.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct mrow {
    char *raw_path, *path, *mask;
    int64_t line;
    double um_per_px;
    int has_roi;
    int64_t roi[4];
    double *values;  /* k raw condition values */
    int64_t cls;
} mrow;

struct cgan_manifest {
    char *file;
    int k;               /* condition columns */
    char **columns;
    cgan_cond_scaler *scaler; /* the loss module's scaling; NULL when k == 0 */
    float *scaled;       /* [n * k] every row scaled, refreshed on each fit */
    int64_t n;
    mrow *rows;
    int64_t n_classes;
    char **class_names;
};

static int row_error(const cgan_manifest *m, int64_t line, const char *fmt, ...) CGAN__PRINTF(3, 4);
static int row_error(const cgan_manifest *m, int64_t line, const char *fmt, ...) {
    char why[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    return cgan__error(CGAN_EFORMAT, "manifest %s line %lld: %s", m->file, (long long)line, why);
}

void cgan_manifest_destroy(cgan_manifest *m) {
    if (!m) return;
    for (int64_t i = 0; i < m->n; i++) {
        free(m->rows[i].raw_path);
        free(m->rows[i].path);
        free(m->rows[i].mask);
        free(m->rows[i].values);
    }
    for (int c = 0; c < m->k; c++) free(m->columns[c]);
    for (int64_t c = 0; c < m->n_classes; c++) free(m->class_names[c]);
    free(m->class_names);
    free(m->columns);
    cgan_cond_scaler_destroy(m->scaler);
    free(m->scaled);
    free(m->rows);
    free(m->file);
    free(m);
}

/* dir of the manifest + relative path (absolute paths stay). */
static char *resolve(const char *manifest, const char *rel) {
    const char *slash = strrchr(manifest, '/');
    size_t dl = (rel[0] == '/' || !slash) ? 0 : (size_t)(slash - manifest) + 1;
    char *s = malloc(dl + strlen(rel) + 1);
    if (s) {
        memcpy(s, manifest, dl);
        strcpy(s + dl, rel);
    }
    return s;
}

static int parse_number(const char *s, double *v) {
    char *end;
    if (!s[0]) return -1;
    errno = 0;
    *v = strtod(s, &end);
    return (*end == '\0' && errno != ERANGE && isfinite(*v)) ? 0 : -1;
}

static int parse_roi(const char *s, int64_t *roi) {
    const char *p = s;
    for (int i = 0; i < 4; i++) {
        char *end;
        if (*p < '0' || *p > '9') return -1;
        long long v = strtoll(p, &end, 10);
        if (v < 0 || v > (1LL << 40)) return -1;
        roi[i] = v;
        p = end;
        if (i < 3 && *p++ != ':') return -1;
    }
    return (*p == '\0' && roi[2] > 0 && roi[3] > 0) ? 0 : -1;
}

/* Column roles from the header. */
typedef struct header_map {
    int path, um, roi, mask, nfields;
    int *cond; /* field index of each condition column */
} header_map;

static int parse_header(cgan_manifest *m, char **f, int n, int64_t line, header_map *h) {
    h->path = h->um = h->roi = h->mask = -1;
    h->nfields = n;
    h->cond = malloc(sizeof(int) * (size_t)n);
    m->columns = calloc((size_t)n, sizeof(char *));
    if (!h->cond || !m->columns) return cgan__error(CGAN_ENOMEM, "manifest: out of memory");
    for (int i = 0; i < n; i++) {
        if (!f[i][0]) return row_error(m, line, "header column %d has no name", i + 1);
        for (int j = 0; j < i; j++)
            if (!strcmp(f[i], f[j])) return row_error(m, line, "header names column '%s' twice", f[i]);
        if (!strcmp(f[i], "path")) h->path = i;
        else if (!strcmp(f[i], "um_per_px")) h->um = i;
        else if (!strcmp(f[i], "roi")) h->roi = i;
        else if (!strcmp(f[i], "mask")) h->mask = i;
        else {
            if (!(m->columns[m->k] = strdup(f[i]))) return cgan__error(CGAN_ENOMEM, "manifest: out of memory");
            h->cond[m->k++] = i;
        }
    }
    if (h->path < 0 || h->um < 0)
        return row_error(m, line, "header needs the columns 'path' and 'um_per_px' (has: %s%s%s)",
                         f[0], n > 1 ? ", " : "", n > 1 ? f[1] : "");
    return CGAN_OK;
}

static int exists(const char *p) { return access(p, R_OK) == 0; }

static int parse_row(cgan_manifest *m, char **f, int n, int64_t line, const header_map *h, mrow *r) {
    r->line = line;
    if (n != h->nfields)
        return row_error(m, line, "%d fields, but the header has %d", n, h->nfields);
    if (!f[h->path][0]) return row_error(m, line, "the path is empty");
    r->raw_path = strdup(f[h->path]);
    r->path = resolve(m->file, f[h->path]);
    r->values = calloc((size_t)(m->k ? m->k : 1), sizeof(double));
    if (!r->raw_path || !r->path || !r->values) return cgan__error(CGAN_ENOMEM, "manifest: out of memory");
    if (!exists(r->path))
        return row_error(m, line, "image '%s' not found (%s: %s)", f[h->path], r->path, strerror(errno));
    if (parse_number(f[h->um], &r->um_per_px) != 0 || r->um_per_px <= 0)
        return row_error(m, line, "um_per_px '%s' is not a positive number", f[h->um]);
    if (h->roi >= 0 && f[h->roi][0]) {
        if (parse_roi(f[h->roi], r->roi) != 0)
            return row_error(m, line, "roi '%s' is not x:y:w:h (whole pixels, w and h > 0)", f[h->roi]);
        r->has_roi = 1;
    }
    if (h->mask >= 0 && f[h->mask][0]) {
        if (!(r->mask = resolve(m->file, f[h->mask]))) return cgan__error(CGAN_ENOMEM, "manifest: out of memory");
        if (!exists(r->mask))
            return row_error(m, line, "mask '%s' not found (%s: %s)", f[h->mask], r->mask, strerror(errno));
    }
    for (int c = 0; c < m->k; c++)
        if (parse_number(f[h->cond[c]], &r->values[c]) != 0)
            return row_error(m, line, "condition '%s' is '%s', not a number", m->columns[c], f[h->cond[c]]);
    return CGAN_OK;
}

/* ------------------------------------------------------------ classes */
static _Thread_local int k_for_sort;
static int cmp_rows(const void *a, const void *b) {
    const double *x = *(const double *const *)a, *y = *(const double *const *)b;
    for (int c = 0; c < k_for_sort; c++)
        if (x[c] != y[c]) return x[c] < y[c] ? -1 : 1;
    return 0;
}

static int make_classes(cgan_manifest *m) {
    const double **v = malloc(sizeof *v * (size_t)m->n);
    if (!v) return cgan__error(CGAN_ENOMEM, "manifest: out of memory");
    for (int64_t i = 0; i < m->n; i++) v[i] = m->rows[i].values;
    k_for_sort = m->k; /* qsort has no context argument; loading is not reentrant-critical */
    qsort(v, (size_t)m->n, sizeof *v, cmp_rows);
    int64_t u = 0;
    for (int64_t i = 0; i < m->n; i++)
        if (i == 0 || cmp_rows(&v[i - 1], &v[i]) != 0) v[u++] = v[i];
    m->n_classes = u;
    m->class_names = calloc((size_t)u, sizeof(char *));
    if (!m->class_names) {
        free(v);
        return cgan__error(CGAN_ENOMEM, "manifest: out of memory");
    }
    for (int64_t c = 0; c < u; c++) {
        size_t cap = 32, len = 0;
        for (int j = 0; j < m->k; j++) cap += strlen(m->columns[j]) + 32;
        char *s = malloc(cap);
        if (!s) {
            free(v);
            return cgan__error(CGAN_ENOMEM, "manifest: out of memory");
        }
        s[0] = '\0';
        for (int j = 0; j < m->k; j++)
            len += (size_t)snprintf(s + len, cap - len, "%s%s=%g", j ? " " : "", m->columns[j], v[c][j]);
        if (m->k == 0) snprintf(s, cap, "all");
        m->class_names[c] = s;
    }
    for (int64_t i = 0; i < m->n; i++) {
        const double *x = m->rows[i].values;
        int64_t lo = 0, hi = u - 1;
        while (lo < hi) { /* binary search among the sorted unique tuples */
            int64_t mid = (lo + hi) / 2;
            if (cmp_rows(&v[mid], &x) < 0) lo = mid + 1;
            else hi = mid;
        }
        m->rows[i].cls = lo;
    }
    free(v);
    return CGAN_OK;
}

/* Fit the scaler on every row and keep the scaled rows (the values were
 * validated at load and by set_log_column, so a failure is only ENOMEM). */
static int compute_scaling(cgan_manifest *m) {
    if (m->k == 0) return CGAN_OK;
    double *raw = malloc(sizeof(double) * (size_t)(m->n * m->k));
    if (!raw) return cgan__error(CGAN_ENOMEM, "manifest: out of memory");
    for (int64_t i = 0; i < m->n; i++)
        memcpy(raw + i * m->k, m->rows[i].values, sizeof(double) * (size_t)m->k);
    int rc = cgan_cond_scaler_fit(m->scaler, raw, m->n);
    if (rc == CGAN_OK) rc = cgan_cond_scaler_apply(m->scaler, raw, m->n, raw);
    for (int64_t i = 0; rc == CGAN_OK && i < m->n * m->k; i++) m->scaled[i] = (float)raw[i];
    free(raw);
    return rc;
}

static char *slurp(const char *path, int *err) {
    FILE *fp = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0, cap = 0;
    if (!fp) {
        *err = errno;
        return NULL;
    }
    for (;;) {
        if (len + 4096 + 1 > cap) {
            cap = cap ? 2 * cap : 65536;
            char *b = realloc(buf, cap);
            if (!b) break;
            buf = b;
        }
        size_t got = fread(buf + len, 1, cap - len - 1, fp);
        len += got;
        if (got == 0) break;
    }
    fclose(fp);
    if (buf) buf[len] = '\0';
    *err = buf ? 0 : ENOMEM;
    return buf;
}

int cgan_manifest_load(cgan_manifest **out, const char *path) {
    int err, rc = CGAN_OK;
    header_map h = {0};
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    CGAN__CHECK_NOT_NULL(path, "path");
    char *text = slurp(path, &err);
    if (!text) return cgan__error(CGAN_EIO, "cannot read manifest %s: %s", path, strerror(err));
    cgan_manifest *m = calloc(1, sizeof *m);
    if (!m || !(m->file = strdup(path))) {
        free(m);
        free(text);
        return cgan__error(CGAN_ENOMEM, "manifest: out of memory");
    }
    const char *p = text;
    if ((unsigned char)p[0] == 0xef && (unsigned char)p[1] == 0xbb && (unsigned char)p[2] == 0xbf) p += 3;
    int64_t line = 0, cap = 0;
    int have_header = 0;
    while (*p && rc == CGAN_OK) {
        char **f;
        int n;
        const char *why;
        line++;
        if (cgan__csv_skip_comment(&p)) continue;
        if (cgan__csv_record(&p, &f, &n, &why) != 0) {
            rc = row_error(m, line, "%s", why);
            break;
        }
        if (!have_header) {
            rc = parse_header(m, f, n, line, &h);
            have_header = 1;
        } else {
            if (m->n == cap) {
                cap = cap ? 2 * cap : 64;
                mrow *r = realloc(m->rows, sizeof *r * (size_t)cap);
                if (!r) rc = cgan__error(CGAN_ENOMEM, "manifest: out of memory");
                else m->rows = r;
            }
            if (rc == CGAN_OK) {
                memset(&m->rows[m->n], 0, sizeof m->rows[0]);
                m->n++;
                rc = parse_row(m, f, n, line, &h, &m->rows[m->n - 1]);
            }
        }
        cgan__csv_free(f, n);
    }
    free(text);
    free(h.cond);
    if (rc == CGAN_OK && !have_header) rc = cgan__error(CGAN_EFORMAT, "manifest %s is empty", path);
    if (rc == CGAN_OK && m->n == 0) rc = cgan__error(CGAN_EFORMAT, "manifest %s has no data rows", path);
    if (rc == CGAN_OK && m->k > 0) {
        rc = cgan_cond_scaler_create(&m->scaler, m->k);
        if (rc == CGAN_OK && !(m->scaled = malloc(sizeof(float) * (size_t)(m->n * m->k))))
            rc = cgan__error(CGAN_ENOMEM, "manifest: out of memory");
    }
    if (rc == CGAN_OK) rc = make_classes(m);
    if (rc == CGAN_OK) rc = compute_scaling(m);
    if (rc != CGAN_OK) {
        cgan_manifest_destroy(m);
        return rc;
    }
    *out = m;
    return CGAN_OK;
}

int cgan_manifest_set_log_column(cgan_manifest *m, const char *column) {
    CGAN__CHECK_NOT_NULL(m, "m");
    CGAN__CHECK_NOT_NULL(column, "column");
    for (int c = 0; c < m->k; c++) {
        if (strcmp(m->columns[c], column) != 0) continue;
        for (int64_t i = 0; i < m->n; i++)
            if (!(m->rows[i].values[c] > 0))
                return row_error(m, m->rows[i].line, "condition '%s' is %g; log10 needs values > 0",
                                 column, m->rows[i].values[c]);
        int rc = cgan_cond_scaler_set_log10(m->scaler, c, 1);
        return rc == CGAN_OK ? compute_scaling(m) : rc;
    }
    return cgan__error(CGAN_EINVAL, "cgan_manifest_set_log_column: %s has no condition column '%s'",
                       m->file, column);
}

/* ------------------------------------------------------------ accessors */
#define ROW_OK(m, r) ((m) && (r) >= 0 && (r) < (m)->n)

int64_t cgan_manifest_rows(const cgan_manifest *m) { return m ? m->n : 0; }
int cgan_manifest_columns(const cgan_manifest *m) { return m ? m->k : 0; }
const char *cgan_manifest_column_name(const cgan_manifest *m, int col) {
    return m && col >= 0 && col < m->k ? m->columns[col] : NULL;
}
const char *cgan_manifest_path(const cgan_manifest *m, int64_t row) {
    return ROW_OK(m, row) ? m->rows[row].path : NULL;
}
const char *cgan__manifest_raw_path(const cgan_manifest *m, int64_t row) {
    return ROW_OK(m, row) ? m->rows[row].raw_path : NULL;
}
const char *cgan__manifest_file(const cgan_manifest *m) { return m->file; }
const char *cgan_manifest_mask(const cgan_manifest *m, int64_t row) {
    return ROW_OK(m, row) ? m->rows[row].mask : NULL;
}
int64_t cgan_manifest_line(const cgan_manifest *m, int64_t row) {
    return ROW_OK(m, row) ? m->rows[row].line : 0;
}
double cgan_manifest_um_per_px(const cgan_manifest *m, int64_t row) {
    return ROW_OK(m, row) ? m->rows[row].um_per_px : NAN;
}
int cgan_manifest_roi(const cgan_manifest *m, int64_t row, int64_t *roi) {
    if (!ROW_OK(m, row) || !roi) return cgan__error(CGAN_EINVAL, "cgan_manifest_roi: bad row or roi");
    if (!m->rows[row].has_roi) return 0;
    memcpy(roi, m->rows[row].roi, sizeof m->rows[row].roi);
    return 1;
}
double cgan_manifest_value(const cgan_manifest *m, int64_t row, int col) {
    return ROW_OK(m, row) && col >= 0 && col < m->k ? m->rows[row].values[col] : NAN;
}
int cgan_manifest_scaled(const cgan_manifest *m, int64_t row, float *dst) {
    if (!ROW_OK(m, row) || (!dst && m->k))
        return cgan__error(CGAN_EINVAL, "cgan_manifest_scaled: bad row or dst");
    if (m->k) memcpy(dst, m->scaled + row * m->k, sizeof(float) * (size_t)m->k);
    return CGAN_OK;
}
int cgan_manifest_scaling(const cgan_manifest *m, int col, double *min, double *max, int *log10_first) {
    if (!m || col < 0 || col >= m->k)
        return cgan__error(CGAN_EINVAL, "cgan_manifest_scaling: no column %d", col);
    return cgan_cond_scaler_get_column(m->scaler, col, min, max, log10_first);
}
const cgan_cond_scaler *cgan_manifest_scaler(const cgan_manifest *m) { return m ? m->scaler : NULL; }
int64_t cgan_manifest_class(const cgan_manifest *m, int64_t row) {
    return ROW_OK(m, row) ? m->rows[row].cls : -1;
}
int64_t cgan_manifest_classes(const cgan_manifest *m) { return m ? m->n_classes : 0; }
const char *cgan_manifest_class_name(const cgan_manifest *m, int64_t cls) {
    return m && cls >= 0 && cls < m->n_classes ? m->class_names[cls] : NULL;
}
const char *cgan_manifest_condition_name(const cgan_manifest *m, int64_t row) {
    return ROW_OK(m, row) ? m->class_names[m->rows[row].cls] : NULL;
}
