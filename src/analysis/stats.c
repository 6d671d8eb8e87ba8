/* Two-sample distances (Kolmogorov-Smirnov, Wasserstein-1), fixed-bin
 * histograms and quantiles, on double samples. */
#include "analysis_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int cgan__cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double cgan__quantile_sorted(const double *x, int64_t n, double q) {
    if (n <= 0) return NAN;
    double pos = q * (double)(n - 1);
    int64_t i = (int64_t)floor(pos);
    if (i >= n - 1) return x[n - 1];
    double f = pos - (double)i;
    return x[i] + f * (x[i + 1] - x[i]);
}

/* Sorted copies of both samples; the caller frees *sa (one block). */
static int sorted_pair(const char *fn, const double *a, int64_t na, const double *b, int64_t nb,
                       double **sa, double **sb) {
    if (a == NULL || b == NULL || na <= 0 || nb <= 0)
        return cgan__error(CGAN_EINVAL, "%s: a sample is NULL or empty (na = %lld, nb = %lld)", fn,
                           (long long)na, (long long)nb);
    for (int64_t i = 0; i < na; i++)
        if (isnan(a[i])) return cgan__error(CGAN_EINVAL, "%s: a[%lld] is NaN", fn, (long long)i);
    for (int64_t i = 0; i < nb; i++)
        if (isnan(b[i])) return cgan__error(CGAN_EINVAL, "%s: b[%lld] is NaN", fn, (long long)i);
    double *buf = malloc(sizeof(double) * (size_t)(na + nb));
    if (buf == NULL) return cgan__error(CGAN_ENOMEM, "%s: out of memory", fn);
    memcpy(buf, a, sizeof(double) * (size_t)na);
    memcpy(buf + na, b, sizeof(double) * (size_t)nb);
    qsort(buf, (size_t)na, sizeof(double), cgan__cmp_double);
    qsort(buf + na, (size_t)nb, sizeof(double), cgan__cmp_double);
    *sa = buf;
    *sb = buf + na;
    return CGAN_OK;
}

/* Kolmogorov's limiting distribution: P(K > lambda). */
static double kolmogorov_sf(double lambda) {
    if (lambda < 1e-3) return 1.0;
    double s = 0.0;
    for (int j = 1; j <= 100; j++) {
        double t = exp(-2.0 * j * j * lambda * lambda);
        s += (j % 2 ? 1.0 : -1.0) * t;
        if (t < 1e-17) break;
    }
    s *= 2.0;
    return s < 0 ? 0 : s > 1 ? 1 : s;
}

int cgan_stats_ks(const double *a, int64_t na, const double *b, int64_t nb, double *d, double *p) {
    CGAN__CHECK_NOT_NULL(d, "d");
    double *sa, *sb;
    int rc = sorted_pair(__func__, a, na, b, nb, &sa, &sb);
    if (rc != CGAN_OK) return rc;
    /* walk the merged order; evaluate after all ties at a value */
    int64_t i = 0, j = 0;
    double dmax = 0.0;
    while (i < na && j < nb) {
        double v = sa[i] < sb[j] ? sa[i] : sb[j];
        while (i < na && sa[i] == v) i++;
        while (j < nb && sb[j] == v) j++;
        double diff = fabs((double)i / na - (double)j / nb);
        if (diff > dmax) dmax = diff;
    }
    free(sa);
    *d = dmax;
    if (p) {
        double ne = (double)na * nb / (double)(na + nb), sq = sqrt(ne);
        *p = kolmogorov_sf((sq + 0.12 + 0.11 / sq) * dmax);
    }
    return CGAN_OK;
}

int cgan_stats_wasserstein1(const double *a, int64_t na, const double *b, int64_t nb, double *w) {
    CGAN__CHECK_NOT_NULL(w, "w");
    double *sa, *sb;
    int rc = sorted_pair(__func__, a, na, b, nb, &sa, &sb);
    if (rc != CGAN_OK) return rc;
    /* integral of |F_a - F_b| between consecutive merged values */
    int64_t i = 0, j = 0;
    double sum = 0.0, prev = sa[0] < sb[0] ? sa[0] : sb[0];
    while (i < na || j < nb) {
        double v = (j >= nb || (i < na && sa[i] <= sb[j])) ? sa[i] : sb[j];
        sum += fabs((double)i / na - (double)j / nb) * (v - prev);
        while (i < na && sa[i] == v) i++;
        while (j < nb && sb[j] == v) j++;
        prev = v;
    }
    free(sa);
    *w = sum;
    return CGAN_OK;
}

int cgan_stats_histogram(const double *x, int64_t n, const double *edges, int nedges,
                         int64_t *counts) {
    CGAN__CHECK_NOT_NULL(edges, "edges");
    CGAN__CHECK_NOT_NULL(counts, "counts");
    if (n < 0 || (n > 0 && x == NULL) || nedges < 1)
        return cgan__error(CGAN_EINVAL, "%s: x is NULL, n < 0 or no edges", __func__);
    for (int k = 1; k < nedges; k++)
        if (!(edges[k] > edges[k - 1]))
            return cgan__error(CGAN_EINVAL, "%s: edges[%d] = %g does not increase", __func__, k,
                               edges[k]);
    memset(counts, 0, sizeof(int64_t) * (size_t)(nedges + 1));
    for (int64_t i = 0; i < n; i++) {
        if (isnan(x[i])) return cgan__error(CGAN_EINVAL, "%s: x[%lld] is NaN", __func__, (long long)i);
        int lo = 0, hi = nedges; /* first edge > x, by bisection */
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            if (edges[mid] > x[i]) hi = mid;
            else lo = mid + 1;
        }
        counts[lo]++;
    }
    return CGAN_OK;
}
