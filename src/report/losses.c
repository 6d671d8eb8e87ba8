/* Loss curves from a training log (RUN_DIR/log.csv).  The trainer's
 * columns are found by name, so a renamed or added column needs no code
 * change: every numeric column that is not a counter or a time is drawn. */
#include "report_internal.h"
#include "../analysis/svg.h"
#include "cgan/report.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_POINTS 600

/* Lower case, letters and digits only: "Critic step" -> "criticstep". */
static void norm(const char *s, char *out, size_t n) {
    size_t k = 0;
    for (; *s && k + 1 < n; s++)
        if (isalnum((unsigned char)*s)) out[k++] = (char)tolower((unsigned char)*s);
    out[k] = '\0';
}

static int is_x(const char *nm) {
    return !strcmp(nm, "iteration") || !strcmp(nm, "iter") || !strcmp(nm, "iterations") ||
           !strcmp(nm, "it");
}

/* Counters, step kinds and times: not loss curves. */
static int is_skipped(const char *nm) {
    static const char *const part[] = {"kind", "step", "elapsed", "second", "time", "images",
                                       "eta", "epoch"};
    for (size_t i = 0; i < sizeof part / sizeof part[0]; i++)
        if (strstr(nm, part[i])) return 1;
    return !strcmp(nm, "lr") || is_x(nm) || !strcmp(nm, "s");
}

void cgan__loss_log_free(cgan__loss_log *L) {
    if (L == NULL) return;
    for (int s = 0; s < L->ns; s++) free(L->names[s]);
    free(L->names);
    free(L->x);
    free(L->y);
    free(L->last);
    memset(L, 0, sizeof *L);
}

/* Pick the x column and the series columns (wasserstein first). */
static int pick_columns(const cgan__table *t, int *xcol, int *cols, int *ns) {
    char nm[128];
    *xcol = -1;
    for (int pass = 0; pass < 2 && *xcol < 0; pass++)
        for (int j = 0; j < t->ncol && *xcol < 0; j++) {
            norm(t->head[j], nm, sizeof nm);
            if (pass == 0 ? is_x(nm) : !strcmp(nm, "step")) *xcol = j;
        }
    *ns = 0;
    for (int pass = 0; pass < 2; pass++)
        for (int j = 0; j < t->ncol; j++) {
            norm(t->head[j], nm, sizeof nm);
            int w = strstr(nm, "wasserstein") != NULL;
            if (j == *xcol || is_skipped(nm) || (pass == 0) != w) continue;
            int numeric = 0;
            for (int64_t i = 0; i < t->nrow && !numeric; i++)
                numeric = isfinite(cgan__table_num(t, i, j));
            if (numeric) cols[(*ns)++] = j;
        }
    return *ns > 0 ? CGAN_OK
                   : cgan__error(CGAN_EFORMAT, "%s: no numeric loss column among %d columns",
                                 t->path, t->ncol);
}

/* Per-iteration means, then at most MAX_POINTS bins of equal iteration counts. */
static int bin(cgan__loss_log *L, const cgan__table *t, int xcol, const int *cols) {
    int ns = L->ns;
    double *gx = malloc(sizeof(double) * (size_t)(t->nrow + 1));
    double *gs = calloc((size_t)(t->nrow + 1) * ns, sizeof(double));
    int *gn = calloc((size_t)(t->nrow + 1) * ns, sizeof(int));
    int64_t ng = 0;
    if (!gx || !gs || !gn) goto oom;
    for (int64_t i = 0; i < t->nrow; i++) {
        double x = xcol >= 0 ? cgan__table_num(t, i, xcol) : (double)i;
        if (!isfinite(x)) continue;
        if (ng == 0 || gx[ng - 1] != x) gx[ng++] = x;
        for (int s = 0; s < ns; s++) {
            double v = cgan__table_num(t, i, cols[s]);
            if (isfinite(v)) gs[(ng - 1) * ns + s] += v, gn[(ng - 1) * ns + s]++;
        }
    }
    L->n_iter = ng;
    L->np = ng < MAX_POINTS ? ng : MAX_POINTS;
    L->x = malloc(sizeof(double) * (size_t)(L->np + 1));
    L->y = malloc(sizeof(double) * (size_t)(L->np + 1) * ns);
    L->last = malloc(sizeof(double) * (size_t)ns);
    if (!L->x || !L->y || !L->last) goto oom;
    L->last_x = ng ? gx[ng - 1] : NAN;
    for (int s = 0; s < ns; s++) {
        L->last[s] = NAN;
        for (int64_t g = ng - 1; g >= 0 && isnan(L->last[s]); g--)
            if (gn[g * ns + s]) L->last[s] = gs[g * ns + s] / gn[g * ns + s];
    }
    for (int64_t b = 0; b < L->np; b++) {
        int64_t g0 = b * ng / L->np, g1 = (b + 1) * ng / L->np;
        double sx = 0;
        for (int64_t g = g0; g < g1; g++) sx += gx[g];
        L->x[b] = sx / (double)(g1 - g0);
        for (int s = 0; s < ns; s++) {
            double sy = 0;
            int64_t k = 0;
            for (int64_t g = g0; g < g1; g++)
                if (gn[g * ns + s]) sy += gs[g * ns + s] / gn[g * ns + s], k++;
            L->y[s * L->np + b] = k ? sy / (double)k : NAN;
        }
    }
    free(gx), free(gs), free(gn);
    return CGAN_OK;
oom:
    free(gx), free(gs), free(gn);
    return cgan__error(CGAN_ENOMEM, "reading %s: out of memory", t->path);
}

int cgan__loss_log_read(cgan__loss_log *L, const char *path) {
    cgan__table t;
    memset(L, 0, sizeof *L);
    int rc = cgan__table_load(&t, path);
    if (rc != CGAN_OK) return rc;
    int xcol, *cols = malloc(sizeof(int) * (size_t)(t.ncol + 1));
    if (cols == NULL) rc = cgan__error(CGAN_ENOMEM, "reading %s: out of memory", path);
    if (rc == CGAN_OK) rc = pick_columns(&t, &xcol, cols, &L->ns);
    if (rc == CGAN_OK && t.nrow == 0) rc = cgan__error(CGAN_EFORMAT, "%s: no rows", path);
    if (rc == CGAN_OK) {
        snprintf(L->xname, sizeof L->xname, "%s", xcol >= 0 ? t.head[xcol] : "row");
        L->names = calloc((size_t)L->ns, sizeof(char *));
        for (int s = 0; L->names && s < L->ns; s++) L->names[s] = strdup(t.head[cols[s]]);
        for (int s = 0; L->names && s < L->ns; s++)
            if (L->names[s] == NULL) rc = CGAN_ENOMEM;
        if (L->names == NULL || rc != CGAN_OK)
            rc = cgan__error(CGAN_ENOMEM, "reading %s: out of memory", path);
    }
    if (rc == CGAN_OK) rc = bin(L, &t, xcol, cols);
    free(cols);
    cgan__table_free(&t);
    if (rc != CGAN_OK) cgan__loss_log_free(L);
    return rc;
}

/* ----------------------------------------------------------------- SVG */
static void panel(FILE *fp, const cgan__loss_log *L, int s, double ox, double oy, double pw,
                  double ph) {
    const double *y = L->y + (size_t)s * L->np;
    double lo = INFINITY, hi = -INFINITY, ticks[64];
    for (int64_t i = 0; i < L->np; i++)
        if (isfinite(y[i])) lo = fmin(lo, y[i]), hi = fmax(hi, y[i]);
    if (!isfinite(lo)) lo = 0, hi = 1;
    cgan__nice_ticks(&lo, &hi, 4, ticks, 64);
    double x0 = L->x[0], x1 = L->x[L->np - 1];
    if (!(x1 > x0)) x1 = x0 + 1;
    cgan__axes a = {ox, oy, pw, ph, x0, x1, lo, hi, 0, 0};
    char title[160];
    snprintf(title, sizeof title, "%s%.120s", s == 0 && strstr(L->names[0], "asserstein")
                                                  ? "Wasserstein estimate: " : "",
             L->names[s]);
    cgan__svg_axes(fp, &a, L->xname, NULL, title);
    if (lo < 0 && hi > 0)
        fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#888\" "
                    "stroke-dasharray=\"4,3\"/>\n",
                ox, cgan__ax_y(&a, 0), ox + pw, cgan__ax_y(&a, 0));
    fputs("<path fill=\"none\" stroke=\"" CGAN__SVG_REAL "\" stroke-width=\"1.5\" d=\"", fp);
    int pen = 0;
    for (int64_t i = 0; i < L->np; i++) {
        if (!isfinite(y[i])) {
            pen = 0;
            continue;
        }
        fprintf(fp, "%s%.1f %.1f ", pen ? "L" : "M", cgan__ax_x(&a, L->x[i]), cgan__ax_y(&a, y[i]));
        pen = 1;
    }
    fputs("\"/>\n", fp);
}

int cgan__loss_log_svg(const cgan__loss_log *L, const char *svg_path) {
    cgan__atomic_file af;
    int rc = cgan__atomic_open(&af, svg_path);
    if (rc != CGAN_OK) return rc;
    const double pw = 400, ph = 180, gw = 500, gh = 260;
    int cols = L->ns < 2 ? 1 : 2, rows = (L->ns + cols - 1) / cols;
    int W = (int)(cols * gw + 20), H = (int)(rows * gh + 60);
    cgan__svg_begin(af.fp, W, H, "Training losses");
    char head[160];
    snprintf(head, sizeof head, "Training log: %lld iterations (mean per iteration%s)",
             (long long)L->n_iter, L->np < L->n_iter ? ", then binned" : "");
    cgan__svg_text(af.fp, W / 2.0, 26, "middle", 16, 1, 0, head);
    for (int s = 0; s < L->ns; s++)
        panel(af.fp, L, s, 10 + (s % cols) * gw + 80, 60 + (s / cols) * gh + 20, pw, ph);
    cgan__svg_end(af.fp);
    return cgan__atomic_commit(&af);
}

int cgan_report_loss_svg(const char *log_csv, const char *svg_path, int *n_series,
                         int64_t *n_iterations) {
    CGAN__CHECK_NOT_NULL(log_csv, "log_csv");
    CGAN__CHECK_NOT_NULL(svg_path, "svg_path");
    cgan__loss_log L;
    int rc = cgan__loss_log_read(&L, log_csv);
    if (rc != CGAN_OK) return rc;
    rc = cgan__loss_log_svg(&L, svg_path);
    if (rc == CGAN_OK && n_series) *n_series = L.ns;
    if (rc == CGAN_OK && n_iterations) *n_iterations = L.n_iter;
    cgan__loss_log_free(&L);
    return rc;
}
