/* The comparison report's CSV tables. */
#include "comparison_internal.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void cgan__join(char *buf, size_t n, const char *dir, const char *name) {
    snprintf(buf, n, "%s/%s", dir, name);
}

int cgan__hist_edges(const cgan_comparison *c, int sample, double *edges) {
    if (sample == CGAN_SAMPLE_AR) {
        for (int k = 0; k <= 16; k++) edges[k] = 1.0 + 0.25 * k;
        return 17;
    }
    double lo = INFINITY, hi = 0;
    for (int64_t i = 0; i < c->nimg; i++)
        for (int64_t j = 0; j < c->img[i].ns[sample]; j++) {
            double v = c->img[i].samp[sample][j];
            if (v > 0 && v < lo) lo = v;
            if (v > hi) hi = v;
        }
    if (!isfinite(lo)) lo = hi = 1;
    int n = 0;
    for (double e = lo; n < 48; e *= 2) {
        edges[n++] = e;
        if (e > hi) break;
    }
    return n;
}

int cgan__hist_counts(const cgan_comparison *c, int cond, int set, int sample, const double *edges,
                      int nedges, int64_t *counts) {
    double *v;
    int64_t n;
    if (cgan__pool(c, &c->members[2 * cond + set], sample, &v, &n) != CGAN_OK)
        return cgan__error(CGAN_ENOMEM, "cgan_comparison_write_report: out of memory");
    int rc = cgan_stats_histogram(v, n, edges, nedges, counts);
    free(v);
    return rc;
}

static int write_means(const cgan_comparison *c, FILE *fp, const void *arg) {
    (void)arg;
    fputs("Condition,Feature,Real,Generated,DeviationPct,CI95Lo,CI95Hi,FloorPct,NReal,NGenerated\n",
          fp);
    for (int k = 0; k < c->ncond; k++)
        for (int f = 0; f < CGAN_FEATURE_COUNT_; f++) {
            cgan__csv_str(fp, c->cond_names[k]);
            fprintf(fp, ",%s", cgan__feature_names[f]);
            const double v[6] = {c->mean[k][0][f], c->mean[k][1][f], c->dev[k][f],
                                 c->dev_lo[k][f],  c->dev_hi[k][f],  c->dev_floor[k][f]};
            for (int j = 0; j < 6; j++) fputc(',', fp), cgan__csv_num(fp, v[j]);
            fprintf(fp, ",%lld,%lld\n", (long long)c->members[2 * k].n,
                    (long long)c->members[2 * k + 1].n);
        }
    return CGAN_OK;
}

static int write_mapd(const cgan_comparison *c, FILE *fp, const void *arg) {
    (void)arg;
    fputs("Feature,MAPD,FloorMAPD\n", fp);
    for (int f = 0; f < CGAN_FEATURE_COUNT_; f++) {
        fprintf(fp, "%s,", cgan__feature_names[f]);
        cgan__csv_num(fp, c->mapd[f]);
        fputc(',', fp);
        cgan__csv_num(fp, c->mapd_floor[f]);
        fputc('\n', fp);
    }
    return CGAN_OK;
}

static int write_distances(const cgan_comparison *c, FILE *fp, const void *arg) {
    (void)arg;
    fputs("Condition,Sample,KS_D,KS_p,W1,W1RelPct,KS_Floor,W1_Floor\n", fp);
    for (int k = 0; k < c->ncond; k++)
        for (int s = 0; s < CGAN_SAMPLE_COUNT_; s++) {
            cgan__csv_str(fp, c->cond_names[k]);
            fprintf(fp, ",%s", cgan__sample_names[s]);
            double pooled_mean = NAN; /* W1 relative to the real mean */
            double *v;
            int64_t n;
            if (cgan__pool(c, &c->members[2 * k], s, &v, &n) != CGAN_OK) return CGAN_ENOMEM;
            if (n > 0) {
                pooled_mean = 0;
                for (int64_t i = 0; i < n; i++) pooled_mean += v[i] / (double)n;
            }
            free(v);
            const double x[6] = {c->dist[k][s][0], c->dist[k][s][1], c->dist[k][s][2],
                                 100.0 * c->dist[k][s][2] / pooled_mean, c->dist_floor[k][s][0],
                                 c->dist_floor[k][s][1]};
            for (int j = 0; j < 6; j++) fputc(',', fp), cgan__csv_num(fp, x[j]);
            fputc('\n', fp);
        }
    return CGAN_OK;
}

static int write_histograms(const cgan_comparison *c, FILE *fp, const void *arg) {
    (void)arg;
    static const int samples[2] = {CGAN_SAMPLE_AREA, CGAN_SAMPLE_AR};
    fputs("Condition,Sample,Set,BinLo,BinHi,Count,Fraction\n", fp);
    for (int k = 0; k < c->ncond; k++)
        for (int si = 0; si < 2; si++) {
            double e[48];
            int ne = cgan__hist_edges(c, samples[si], e);
            for (int set = 0; set < 2; set++) {
                int64_t cnt[49], tot = 0;
                int rc = cgan__hist_counts(c, k, set, samples[si], e, ne, cnt);
                if (rc != CGAN_OK) return rc;
                for (int b = 0; b <= ne; b++) tot += cnt[b];
                for (int b = 0; b <= ne; b++) {
                    cgan__csv_str(fp, c->cond_names[k]);
                    fprintf(fp, ",%s,%s,", cgan__sample_names[samples[si]],
                            set ? "generated" : "real");
                    cgan__csv_num(fp, b == 0 ? -INFINITY : e[b - 1]);
                    fputc(',', fp);
                    cgan__csv_num(fp, b == ne ? INFINITY : e[b]);
                    fprintf(fp, ",%lld,", (long long)cnt[b]);
                    cgan__csv_num(fp, tot ? (double)cnt[b] / (double)tot : NAN);
                    fputc('\n', fp);
                }
            }
        }
    return CGAN_OK;
}

static int write_s2(const cgan_comparison *c, FILE *fp, const void *arg) {
    (void)arg;
    fputs("Condition,r,Real,Generated,RMS,RMSFloor\n", fp);
    for (int k = 0; k < c->ncond; k++)
        for (int r = 0; r < c->s2n; r++) {
            cgan__csv_str(fp, c->cond_names[k]);
            fprintf(fp, ",%d,", r);
            cgan__csv_num(fp, c->s2_mean[(size_t)(2 * k) * c->s2n + r]);
            fputc(',', fp);
            cgan__csv_num(fp, c->s2_mean[(size_t)(2 * k + 1) * c->s2n + r]);
            fputc(',', fp);
            cgan__csv_num(fp, c->s2_rms[k]);
            fputc(',', fp);
            cgan__csv_num(fp, c->s2_rms_floor[k]);
            fputc('\n', fp);
        }
    return CGAN_OK;
}

static int write_images(const cgan_comparison *c, FILE *fp, const void *arg) {
    (void)arg;
    fputs("Set,Condition,Path,ThresholdFlag", fp);
    for (int f = 0; f < CGAN_FEATURE_COUNT_; f++) fprintf(fp, ",%s", cgan__feature_names[f]);
    fputc('\n', fp);
    for (int64_t i = 0; i < c->nimg; i++) {
        const cgan__image_rec *r = &c->img[i];
        fputs(r->set ? "generated," : "real,", fp);
        cgan__csv_str(fp, c->cond_names[r->cond]);
        fputc(',', fp);
        cgan__csv_str(fp, r->path);
        fprintf(fp, ",%d", r->flagged);
        for (int f = 0; f < CGAN_FEATURE_COUNT_; f++) fputc(',', fp), cgan__csv_num(fp, r->feat[f]);
        fputc('\n', fp);
    }
    return CGAN_OK;
}

int cgan__write_report_file(const cgan_comparison *c, const char *dir, const char *name,
                            cgan__report_fn fn, const void *arg) {
    char path[4096];
    cgan__atomic_file af;
    cgan__join(path, sizeof path, dir, name);
    int rc = cgan__atomic_open(&af, path);
    if (rc != CGAN_OK) return rc;
    rc = fn(c, af.fp, arg);
    if (rc != CGAN_OK) {
        cgan__atomic_abort(&af);
        return rc == CGAN_ENOMEM ? cgan__error(rc, "cgan_comparison_write_report: out of memory")
                                 : rc;
    }
    return cgan__atomic_commit(&af);
}

int cgan__write_report_csv(const cgan_comparison *c, const char *dir) {
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return cgan__error(CGAN_EIO, "cgan_comparison_write_report: cannot create %s: %s", dir,
                           strerror(errno));
    int rc = cgan__write_report_file(c, dir, "means.csv", write_means, NULL);
    if (rc == CGAN_OK) rc = cgan__write_report_file(c, dir, "deviations.csv", write_mapd, NULL);
    if (rc == CGAN_OK) rc = cgan__write_report_file(c, dir, "distances.csv", write_distances, NULL);
    if (rc == CGAN_OK) rc = cgan__write_report_file(c, dir, "histograms.csv", write_histograms, NULL);
    if (rc == CGAN_OK) rc = cgan__write_report_file(c, dir, "s2.csv", write_s2, NULL);
    if (rc == CGAN_OK) rc = cgan__write_report_file(c, dir, "images.csv", write_images, NULL);
    return rc;
}
