/* Real vs generated image sets, per processing condition: feature means and
 * percentage deviations, MAPD, KS and W1 between pooled samples, the mean
 * S2 curves, a real-vs-real noise floor from random halvings and bootstrap
 * intervals from resampling images. */
#include "comparison_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void free_rec(cgan__image_rec *r) {
    for (int s = 0; s < CGAN_SAMPLE_COUNT_; s++) free(r->samp[s]);
    free(r->s2);
}

void cgan_comparison_destroy(cgan_comparison *c) {
    if (c == NULL) return;
    for (int64_t i = 0; i < c->nimg; i++) free_rec(&c->img[i]);
    free(c->img);
    for (int k = 0; k < c->ncond; k++) free(c->cond_names[k]);
    if (c->members)
        for (int k = 0; k < 2 * c->ncond; k++) free(c->members[k].v);
    free(c->cond_names);
    free(c->members);
    free(c->mean);
    free(c->dev);
    free(c->dev_lo);
    free(c->dev_hi);
    free(c->dev_floor);
    free(c->dist);
    free(c->dist_floor);
    free(c->s2_mean);
    free(c->s2_rms);
    free(c->s2_rms_floor);
    free(c->assigned);
    free(c->confusion);
    free(c);
}

/* --------------------------------------------------------- measuring */
static int record(cgan__image_rec *r, const cgan_micrograph *m) {
    memcpy(r->feat, m->feat, sizeof r->feat);
    memcpy(r->num, m->num, sizeof r->num);
    memcpy(r->den, m->den, sizeof r->den);
    static const int cols[3] = {CGAN_COL_AREA, CGAN_COL_ECD, CGAN_COL_AR};
    for (int s = 0; s < 3; s++) {
        r->ns[s] = m->n;
        r->samp[s] = malloc(sizeof(double) * (size_t)(m->n + 1));
        if (r->samp[s] == NULL) return CGAN_ENOMEM;
        for (int64_t i = 0; i < m->n; i++) r->samp[s][i] = m->cols[i * CGAN_COL_COUNT_ + cols[s]];
    }
    for (int a = 0; a < 2; a++) {
        int s = CGAN_SAMPLE_CHORD_X + a;
        r->ns[s] = m->nchord[a];
        r->samp[s] = malloc(sizeof(double) * (size_t)(m->nchord[a] + 1));
        if (r->samp[s] == NULL) return CGAN_ENOMEM;
        if (m->nchord[a] > 0) memcpy(r->samp[s], m->chords[a], sizeof(double) * (size_t)m->nchord[a]);
    }
    r->px_len = m->um;
    r->s2n = m->s2_r + 1;
    r->s2 = malloc(sizeof(double) * (size_t)r->s2n);
    if (r->s2 == NULL) return CGAN_ENOMEM;
    memcpy(r->s2, m->s2, sizeof(double) * (size_t)r->s2n);
    return CGAN_OK;
}

static int measure_one(cgan__image_rec *r, const cgan__image_item *it,
                       const cgan_analysis_opts *opts) {
    cgan_analysis_opts o = *opts;
    if (it->um_per_px > 0) o.v[CGAN_ANALYSIS_UM_PER_PX] = it->um_per_px;
    cgan_tensor *img = NULL, *mask = NULL;
    cgan_micrograph *m = NULL;
    int bits = 8;
    int rc = cgan__imageset_read(it, &img, &mask, &bits);
    if (rc == CGAN_OK) {
        rc = cgan_micrograph_analyze_masked(&m, img, bits, mask, &o);
        if (rc != CGAN_OK) {
            char msg[512];
            snprintf(msg, sizeof msg, "%s", cgan_last_error());
            rc = cgan__error(rc, "cgan_comparison_run: image %s: %s", it->path, msg);
        }
    }
    if (rc == CGAN_OK && record(r, m) != CGAN_OK)
        rc = cgan__error(CGAN_ENOMEM, "cgan_comparison_run: out of memory at %s", it->path);
    if (rc == CGAN_OK) {
        int64_t h, w;
        cgan__image_hw(img, &h, &w);
        if (h > CGAN_RECOGNITION_TEXTURE_LAGS && w > CGAN_RECOGNITION_TEXTURE_LAGS)
            rc = cgan_grey_autocorrelation(img, mask, CGAN_RECOGNITION_TEXTURE_LAGS, r->tex);
        else /* too small for the texture: it counts as the training mean */
            for (int k = 0; k < CGAN_RECOGNITION_TEXTURE_LAGS; k++) r->tex[k] = NAN;
        if (rc != CGAN_OK) rc = cgan__error(rc, "cgan_comparison_run: image %s: %s", it->path,
                                            cgan_last_error());
    }
    cgan_micrograph_destroy(m);
    cgan_tensor_destroy(img);
    cgan_tensor_destroy(mask);
    return rc;
}

static int find_cond(char **names, int n, const char *s) {
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0) return i;
    return -1;
}

/* Conditions in order of first appearance in the real set; each must also
 * appear in the generated set and the other way round. */
static int match_conditions(cgan_comparison *c, const cgan_imageset *real,
                            const cgan_imageset *gen) {
    c->cond_names = calloc((size_t)real->n, sizeof(char *));
    if (c->cond_names == NULL) return cgan__error(CGAN_ENOMEM, "cgan_comparison_run: out of memory");
    for (int64_t i = 0; i < real->n; i++)
        if (find_cond(c->cond_names, c->ncond, real->items[i].condition) < 0) {
            if ((c->cond_names[c->ncond] = strdup(real->items[i].condition)) == NULL)
                return cgan__error(CGAN_ENOMEM, "cgan_comparison_run: out of memory");
            c->ncond++;
        }
    for (int64_t i = 0; i < gen->n; i++)
        if (find_cond(c->cond_names, c->ncond, gen->items[i].condition) < 0)
            return cgan__error(CGAN_EINVAL,
                               "cgan_comparison_run: condition '%s' of generated image %s has no "
                               "real images", gen->items[i].condition, gen->items[i].path);
    for (int k = 0; k < c->ncond; k++) {
        int found = 0;
        for (int64_t i = 0; i < gen->n && !found; i++)
            found = strcmp(gen->items[i].condition, c->cond_names[k]) == 0;
        if (!found)
            return cgan__error(CGAN_EINVAL,
                               "cgan_comparison_run: condition '%s' has real images but no "
                               "generated ones", c->cond_names[k]);
    }
    return CGAN_OK;
}

static int build_members(cgan_comparison *c) {
    c->members = calloc((size_t)c->ncond * 2, sizeof *c->members);
    if (c->members == NULL) return CGAN_ENOMEM;
    for (int k = 0; k < 2 * c->ncond; k++) {
        c->members[k].v = malloc(sizeof(int64_t) * (size_t)(c->nimg + 1));
        if (c->members[k].v == NULL) return CGAN_ENOMEM;
    }
    for (int64_t i = 0; i < c->nimg; i++) {
        cgan__idx_list *l = &c->members[c->img[i].cond * 2 + c->img[i].set];
        l->v[l->n++] = i;
    }
    return CGAN_OK;
}

/* §4.1 of the measurement notes: a generated image whose threshold lies
 * outside the range of its condition's real images may be noise split in two. */
static void flag_thresholds(cgan_comparison *c) {
    for (int k = 0; k < c->ncond; k++) {
        const cgan__idx_list *r = &c->members[2 * k], *g = &c->members[2 * k + 1];
        double lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
        for (int64_t i = 0; i < r->n; i++)
            for (int t = 0; t < 2; t++) {
                double v = c->img[r->v[i]].feat[CGAN_FEATURE_THRESHOLD_LO + t];
                lo[t] = fmin(lo[t], v);
                hi[t] = fmax(hi[t], v);
            }
        for (int64_t i = 0; i < g->n; i++)
            for (int t = 0; t < 2; t++) {
                double v = c->img[g->v[i]].feat[CGAN_FEATURE_THRESHOLD_LO + t];
                if (v < lo[t] || v > hi[t]) c->img[g->v[i]].flagged = 1;
            }
    }
}

/* ---------------------------------------------------------- statistics */
double cgan__agg_mean(const cgan_comparison *c, const cgan__idx_list *l, int f) {
    double num = 0, den = 0, sum = 0;
    int64_t cnt = 0;
    for (int64_t i = 0; i < l->n; i++) {
        const cgan__image_rec *r = &c->img[l->v[i]];
        num += r->num[f];
        den += r->den[f];
        if (r->den[f] > 0) sum += r->num[f] / r->den[f], cnt++;
    }
    if (c->agg == CGAN_AGG_IMAGE) return cnt ? sum / (double)cnt : NAN;
    return den > 0 ? num / den : NAN;
}

int cgan__pool(const cgan_comparison *c, const cgan__idx_list *l, int s, double **out, int64_t *n) {
    int64_t tot = 0;
    for (int64_t i = 0; i < l->n; i++) tot += c->img[l->v[i]].ns[s];
    *out = NULL;
    *n = tot;
    if (tot == 0) return CGAN_OK;
    double *v = malloc(sizeof(double) * (size_t)tot);
    if (v == NULL) return CGAN_ENOMEM;
    int64_t k = 0;
    for (int64_t i = 0; i < l->n; i++) {
        const cgan__image_rec *r = &c->img[l->v[i]];
        memcpy(v + k, r->samp[s], sizeof(double) * (size_t)r->ns[s]);
        k += r->ns[s];
    }
    *out = v;
    return CGAN_OK;
}

static double pct_dev(double real, double gen) { return 100.0 * (gen - real) / fabs(real); }

/* KS D, KS p and W1 between two lists' pooled samples (NaN when empty). */
static int distances(const cgan_comparison *c, const cgan__idx_list *a, const cgan__idx_list *b,
                     int s, double out[3]) {
    double *x, *y;
    int64_t nx, ny;
    out[0] = out[1] = out[2] = NAN;
    if (cgan__pool(c, a, s, &x, &nx) != CGAN_OK) return CGAN_ENOMEM;
    if (cgan__pool(c, b, s, &y, &ny) != CGAN_OK) {
        free(x);
        return CGAN_ENOMEM;
    }
    int rc = CGAN_OK;
    if (nx > 0 && ny > 0) {
        rc = cgan_stats_ks(x, nx, y, ny, &out[0], &out[1]);
        if (rc == CGAN_OK) rc = cgan_stats_wasserstein1(x, nx, y, ny, &out[2]);
    }
    free(x);
    free(y);
    return rc;
}

/* Mean S2 curve of a list (image-weighted) into dst[n]. */
static void s2_mean(const cgan_comparison *c, const cgan__idx_list *l, double *dst) {
    for (int r = 0; r < c->s2n; r++) dst[r] = 0;
    for (int64_t i = 0; i < l->n; i++)
        for (int r = 0; r < c->s2n; r++) dst[r] += c->img[l->v[i]].s2[r] / (double)l->n;
}

static double s2_rms(const cgan_comparison *c, const cgan__idx_list *a, const cgan__idx_list *b) {
    double ma[1025], mb[1025], s = 0;
    s2_mean(c, a, ma);
    s2_mean(c, b, mb);
    for (int r = 0; r < c->s2n; r++) s += (ma[r] - mb[r]) * (ma[r] - mb[r]);
    return sqrt(s / c->s2n);
}

static void shuffle(int64_t *v, int64_t n, cgan_rng *rng) {
    for (int64_t i = n - 1; i > 0; i--) {
        int64_t j = cgan_rng_below(rng, i + 1), t = v[i];
        v[i] = v[j];
        v[j] = t;
    }
}

/* Real vs real: split each condition's real images into random halves. */
static int noise_floor(cgan_comparison *c, cgan_rng *rng) {
    int nb = c->nb, rc = CGAN_OK;
    int64_t cap = c->nimg + 1;
    cgan__idx_list h1 = {malloc(sizeof(int64_t) * (size_t)cap), 0};
    cgan__idx_list h2 = {malloc(sizeof(int64_t) * (size_t)cap), 0};
    int64_t *perm = malloc(sizeof(int64_t) * (size_t)cap);
    int *used = calloc((size_t)c->ncond, sizeof(int));
    if (!h1.v || !h2.v || !perm || !used) rc = CGAN_ENOMEM;
    for (int k = 0; k < c->ncond && rc == CGAN_OK; k++) {
        const cgan__idx_list *r = &c->members[2 * k];
        double sdev[CGAN_FEATURE_COUNT_] = {0}, sdist[CGAN_SAMPLE_COUNT_][2] = {{0}}, srms = 0;
        int ndev[CGAN_FEATURE_COUNT_] = {0}, ndist[CGAN_SAMPLE_COUNT_][2] = {{0}};
        used[k] = r->n >= 2 && nb > 0;
        for (int b = 0; b < nb && used[k] && rc == CGAN_OK; b++) {
            memcpy(perm, r->v, sizeof(int64_t) * (size_t)r->n);
            shuffle(perm, r->n, rng);
            h1.n = r->n / 2;
            h2.n = r->n - h1.n;
            memcpy(h1.v, perm, sizeof(int64_t) * (size_t)h1.n);
            memcpy(h2.v, perm + h1.n, sizeof(int64_t) * (size_t)h2.n);
            for (int f = 0; f < CGAN_FEATURE_COUNT_; f++) {
                double d = fabs(pct_dev(cgan__agg_mean(c, &h1, f), cgan__agg_mean(c, &h2, f)));
                if (isfinite(d)) sdev[f] += d, ndev[f]++;
            }
            for (int s = 0; s < CGAN_SAMPLE_COUNT_ && rc == CGAN_OK; s++) {
                double d[3];
                rc = distances(c, &h1, &h2, s, d);
                if (isfinite(d[0])) sdist[s][0] += d[0], ndist[s][0]++;
                if (isfinite(d[2])) sdist[s][1] += d[2], ndist[s][1]++;
            }
            srms += s2_rms(c, &h1, &h2);
        }
        for (int f = 0; f < CGAN_FEATURE_COUNT_; f++)
            c->dev_floor[k][f] = ndev[f] ? sdev[f] / ndev[f] : NAN;
        for (int s = 0; s < CGAN_SAMPLE_COUNT_; s++)
            for (int t = 0; t < 2; t++)
                c->dist_floor[k][s][t] = ndist[s][t] ? sdist[s][t] / ndist[s][t] : NAN;
        c->s2_rms_floor[k] = used[k] ? srms / nb : NAN;
    }
    /* MAPD floor: mean over conditions of each condition's mean |deviation| */
    for (int f = 0; f < CGAN_FEATURE_COUNT_ && rc == CGAN_OK; f++) {
        double s = 0;
        int n = 0;
        for (int k = 0; k < c->ncond; k++)
            if (used[k] && isfinite(c->dev_floor[k][f])) s += c->dev_floor[k][f], n++;
        c->mapd_floor[f] = n ? s / n : NAN;
    }
    free(h1.v);
    free(h2.v);
    free(perm);
    free(used);
    return rc;
}

/* Bootstrap: resample the images of each set of a condition with
 * replacement and take the 2.5 and 97.5 % points of the deviation. */
static int bootstrap(cgan_comparison *c, cgan_rng *rng) {
    int nb = c->nb;
    cgan__idx_list l[2] = {{malloc(sizeof(int64_t) * (size_t)(c->nimg + 1)), 0},
                           {malloc(sizeof(int64_t) * (size_t)(c->nimg + 1)), 0}};
    double *devs = malloc(sizeof(double) * (size_t)(nb + 1) * CGAN_FEATURE_COUNT_);
    int rc = (!l[0].v || !l[1].v || !devs) ? CGAN_ENOMEM : CGAN_OK;
    for (int k = 0; k < c->ncond && rc == CGAN_OK; k++) {
        int nd[CGAN_FEATURE_COUNT_] = {0};
        for (int b = 0; b < nb; b++) {
            for (int s = 0; s < 2; s++) {
                const cgan__idx_list *m = &c->members[2 * k + s];
                l[s].n = m->n;
                for (int64_t i = 0; i < m->n; i++) l[s].v[i] = m->v[cgan_rng_below(rng, m->n)];
            }
            for (int f = 0; f < CGAN_FEATURE_COUNT_; f++) {
                double d = pct_dev(cgan__agg_mean(c, &l[0], f), cgan__agg_mean(c, &l[1], f));
                if (isfinite(d)) devs[f * (nb + 1) + nd[f]++] = d;
            }
        }
        for (int f = 0; f < CGAN_FEATURE_COUNT_; f++) {
            double *v = devs + f * (nb + 1);
            qsort(v, (size_t)nd[f], sizeof(double), cgan__cmp_double);
            c->dev_lo[k][f] = cgan__quantile_sorted(v, nd[f], 0.025);
            c->dev_hi[k][f] = cgan__quantile_sorted(v, nd[f], 0.975);
        }
    }
    free(l[0].v);
    free(l[1].v);
    free(devs);
    return rc;
}

static int allocate_results(cgan_comparison *c) {
    size_t k = (size_t)c->ncond;
    c->mean = calloc(k, sizeof *c->mean);
    c->dev = calloc(k, sizeof *c->dev);
    c->dev_lo = calloc(k, sizeof *c->dev_lo);
    c->dev_hi = calloc(k, sizeof *c->dev_hi);
    c->dev_floor = calloc(k, sizeof *c->dev_floor);
    c->dist = calloc(k, sizeof *c->dist);
    c->dist_floor = calloc(k, sizeof *c->dist_floor);
    c->s2_mean = calloc(k * 2 * (size_t)c->s2n, sizeof(double));
    c->s2_rms = calloc(k, sizeof(double));
    c->s2_rms_floor = calloc(k, sizeof(double));
    return (c->mean && c->dev && c->dev_lo && c->dev_hi && c->dev_floor && c->dist &&
            c->dist_floor && c->s2_mean && c->s2_rms && c->s2_rms_floor)
               ? CGAN_OK
               : CGAN_ENOMEM;
}

static int compare(cgan_comparison *c, const cgan_analysis_opts *opts) {
    c->s2n = 1025;
    for (int64_t i = 0; i < c->nimg; i++)
        if (c->img[i].s2n < c->s2n) c->s2n = c->img[i].s2n; /* common radius */
    if (allocate_results(c) != CGAN_OK) return CGAN_ENOMEM;
    for (int k = 0; k < c->ncond; k++) {
        const cgan__idx_list *r = &c->members[2 * k], *g = &c->members[2 * k + 1];
        for (int f = 0; f < CGAN_FEATURE_COUNT_; f++) {
            c->mean[k][0][f] = cgan__agg_mean(c, r, f);
            c->mean[k][1][f] = cgan__agg_mean(c, g, f);
            c->dev[k][f] = pct_dev(c->mean[k][0][f], c->mean[k][1][f]);
            c->dev_lo[k][f] = c->dev_hi[k][f] = NAN;
        }
        for (int s = 0; s < CGAN_SAMPLE_COUNT_; s++)
            if (distances(c, r, g, s, c->dist[k][s]) != CGAN_OK) return CGAN_ENOMEM;
        s2_mean(c, r, c->s2_mean + (size_t)(2 * k) * c->s2n);
        s2_mean(c, g, c->s2_mean + (size_t)(2 * k + 1) * c->s2n);
        c->s2_rms[k] = s2_rms(c, r, g);
    }
    for (int f = 0; f < CGAN_FEATURE_COUNT_; f++) { /* Fig. 3d */
        double s = 0;
        int n = 0;
        for (int k = 0; k < c->ncond; k++)
            if (isfinite(c->dev[k][f])) s += fabs(c->dev[k][f]), n++;
        c->mapd[f] = n ? s / n : NAN;
    }
    cgan_rng *rng;
    int rc = cgan_rng_create(&rng, (uint64_t)opts->v[CGAN_ANALYSIS_SEED]);
    if (rc != CGAN_OK) return rc;
    rc = noise_floor(c, rng);
    if (rc == CGAN_OK && c->nb > 0) rc = bootstrap(c, rng);
    cgan_rng_destroy(rng);
    return rc;
}

int cgan_comparison_run(cgan_comparison **out, const cgan_imageset *real,
                        const cgan_imageset *generated, const cgan_analysis_opts *opts) {
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    CGAN__CHECK_NOT_NULL(real, "real");
    CGAN__CHECK_NOT_NULL(generated, "generated");
    CGAN__CHECK_NOT_NULL(opts, "opts");
    if (real->n == 0 || generated->n == 0)
        return cgan__error(CGAN_EINVAL, "%s: the %s image set is empty", __func__,
                           real->n == 0 ? "real" : "generated");
    cgan_comparison *c = calloc(1, sizeof *c);
    if (c == NULL) return cgan__error(CGAN_ENOMEM, "%s: out of memory", __func__);
    c->agg = CGAN__OPT_I(opts, CGAN_ANALYSIS_AGGREGATION);
    c->nb = CGAN__OPT_I(opts, CGAN_ANALYSIS_BOOTSTRAP);
    c->opts = *opts;
    int rc = match_conditions(c, real, generated);
    if (rc == CGAN_OK) {
        c->img = calloc((size_t)(real->n + generated->n), sizeof *c->img);
        if (c->img == NULL) rc = cgan__error(CGAN_ENOMEM, "%s: out of memory", __func__);
    }
    for (int set = 0; set < 2 && rc == CGAN_OK; set++) {
        const cgan_imageset *s = set == 0 ? real : generated;
        for (int64_t i = 0; i < s->n && rc == CGAN_OK; i++) {
            cgan__image_rec *r = &c->img[c->nimg++];
            r->path = s->items[i].path;
            r->set = set;
            r->cond = find_cond(c->cond_names, c->ncond, s->items[i].condition);
            rc = measure_one(r, &s->items[i], opts);
        }
    }
    if (rc == CGAN_OK && build_members(c) != CGAN_OK)
        rc = cgan__error(CGAN_ENOMEM, "%s: out of memory", __func__);
    if (rc == CGAN_OK) {
        flag_thresholds(c);
        rc = compare(c, opts);
        if (rc == CGAN_OK) rc = cgan__comparison_recognise(c);
        if (rc == CGAN_ENOMEM) rc = cgan__error(rc, "%s: out of memory", __func__);
    }
    if (rc != CGAN_OK) {
        cgan_comparison_destroy(c);
        return rc;
    }
    *out = c;
    return CGAN_OK;
}

/* ------------------------------------------------------------ getters */
static int check_cond(const cgan_comparison *c, int cond, const char *fn) {
    if (c == NULL) return cgan__error(CGAN_EINVAL, "%s: c is NULL", fn);
    if (cond < 0 || cond >= c->ncond)
        return cgan__error(CGAN_EINVAL, "%s: condition %d is outside 0..%d", fn, cond, c->ncond - 1);
    return CGAN_OK;
}

int cgan_comparison_n_conditions(const cgan_comparison *c) { return c ? c->ncond : 0; }

const char *cgan_comparison_condition(const cgan_comparison *c, int i) {
    return c && i >= 0 && i < c->ncond ? c->cond_names[i] : NULL;
}

int cgan_comparison_mean(const cgan_comparison *c, int cond, cgan_set set, cgan_feature f,
                         double *value) {
    int rc = check_cond(c, cond, __func__);
    if (rc != CGAN_OK) return rc;
    CGAN__CHECK_NOT_NULL(value, "value");
    if ((int)set < 0 || set > 1 || (int)f < 0 || f >= CGAN_FEATURE_COUNT_)
        return cgan__error(CGAN_EINVAL, "%s: set %d or feature %d is unknown", __func__, (int)set,
                           (int)f);
    *value = c->mean[cond][set][f];
    return CGAN_OK;
}

int cgan_comparison_deviation(const cgan_comparison *c, int cond, cgan_feature f, double *pct,
                              double *lo, double *hi) {
    int rc = check_cond(c, cond, __func__);
    if (rc != CGAN_OK) return rc;
    CGAN__CHECK_NOT_NULL(pct, "pct");
    if ((int)f < 0 || f >= CGAN_FEATURE_COUNT_)
        return cgan__error(CGAN_EINVAL, "%s: feature %d is unknown", __func__, (int)f);
    *pct = c->dev[cond][f];
    if (lo) *lo = c->dev_lo[cond][f];
    if (hi) *hi = c->dev_hi[cond][f];
    return CGAN_OK;
}

int cgan_comparison_mapd(const cgan_comparison *c, cgan_feature f, double *mapd, double *floor) {
    CGAN__CHECK_NOT_NULL(c, "c");
    CGAN__CHECK_NOT_NULL(mapd, "mapd");
    if ((int)f < 0 || f >= CGAN_FEATURE_COUNT_)
        return cgan__error(CGAN_EINVAL, "%s: feature %d is unknown", __func__, (int)f);
    *mapd = c->mapd[f];
    if (floor) *floor = c->mapd_floor[f];
    return CGAN_OK;
}

int cgan_comparison_distance(const cgan_comparison *c, int cond, cgan_sample s, cgan_distance d,
                             double *value, double *floor) {
    int rc = check_cond(c, cond, __func__);
    if (rc != CGAN_OK) return rc;
    CGAN__CHECK_NOT_NULL(value, "value");
    if ((int)s < 0 || s >= CGAN_SAMPLE_COUNT_ || (d != CGAN_DIST_KS && d != CGAN_DIST_W1))
        return cgan__error(CGAN_EINVAL, "%s: sample %d or distance %d is unknown", __func__, (int)s,
                           (int)d);
    *value = c->dist[cond][s][d == CGAN_DIST_KS ? 0 : 2];
    if (floor) *floor = c->dist_floor[cond][s][d == CGAN_DIST_KS ? 0 : 1];
    return CGAN_OK;
}

int cgan_comparison_write_report(const cgan_comparison *c, const char *dir) {
    CGAN__CHECK_NOT_NULL(c, "c");
    CGAN__CHECK_NOT_NULL(dir, "dir");
    int rc = cgan__write_report_csv(c, dir);
    if (rc == CGAN_OK) rc = cgan__write_report_svg(c, dir);
    if (rc == CGAN_OK) rc = cgan__write_recognition_csv(c, dir);
    if (rc == CGAN_OK) rc = cgan__write_recognition_svg(c, dir);
    if (rc == CGAN_OK) rc = cgan__write_settings_csv(c, dir);
    return rc;
}
