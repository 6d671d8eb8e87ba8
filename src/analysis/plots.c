/* The report's figures: real-vs-generated scatter per feature with the
 * x = y line (paper Figs. 3a-c), MAPD bars against the real-vs-real floor
 * (Fig. 3d), and per-condition overlaid distributions (Fig. 4). */
#include "comparison_internal.h"
#include "svg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A short label for a condition: the values of a "key=value,key=value"
 * directory name ("900, 0.1"), or the name itself when it has no '='. */
static void short_label(const char *name, char *buf, size_t n) {
    size_t k = 0;
    const char *p = name;
    if (strchr(name, '=') == NULL || n < 2) {
        snprintf(buf, n, "%s", name);
        return;
    }
    while (*p && k + 1 < n) {
        const char *eq = strchr(p, '='), *comma = strchr(p, ',');
        if (eq == NULL || (comma && comma < eq)) eq = p - 1; /* a part without '=' */
        const char *v = eq + 1, *end = comma ? comma : p + strlen(p);
        if (k && k + 2 < n) buf[k++] = ',', buf[k++] = ' ';
        while (v < end && k + 1 < n) buf[k++] = *v++;
        p = comma ? comma + 1 : end;
    }
    buf[k] = '\0';
}

/* "labels: temperature_C, strain_rate_per_s" from the first condition. */
static void label_keys(const cgan_comparison *c, char *buf, size_t n) {
    const char *p = c->cond_names[0];
    size_t k = (size_t)snprintf(buf, n, "labels: ");
    if (strchr(p, '=') == NULL) {
        buf[0] = '\0';
        return;
    }
    while (*p && k + 1 < n) {
        const char *eq = strchr(p, '='), *comma = strchr(p, ',');
        if (eq == NULL || (comma && comma < eq)) break;
        if (p != c->cond_names[0] && k + 2 < n) buf[k++] = ',', buf[k++] = ' ';
        while (p < eq && k + 1 < n) buf[k++] = *p++;
        p = comma ? comma + 1 : p + strlen(p);
    }
    buf[k] = '\0';
}

/* ------------------------------------------------------------ scatter */
typedef struct scatter_spec {
    cgan_feature f;
    const char *title, *quantity;
} scatter_spec;

static int draw_scatter(const cgan_comparison *c, FILE *fp, const void *arg) {
    const scatter_spec *sp = arg;
    double lo = INFINITY, hi = -INFINITY, ticks[64];
    for (int k = 0; k < c->ncond; k++)
        for (int s = 0; s < 2; s++) {
            double v = c->mean[k][s][sp->f];
            if (isfinite(v)) lo = fmin(lo, v), hi = fmax(hi, v);
        }
    if (!isfinite(lo)) lo = 0, hi = 1;
    double pad = (hi - lo) * 0.08 + fabs(hi) * 1e-3;
    lo = lo - pad < 0 && lo >= 0 ? 0 : lo - pad;
    hi += pad;
    cgan__nice_ticks(&lo, &hi, 5, ticks, 64);
    cgan__axes a = {90, 50, 440, 440, lo, hi, lo, hi, 0, 0};
    char xl[128], yl[128], note[160];
    snprintf(xl, sizeof xl, "real: %s", sp->quantity);
    snprintf(yl, sizeof yl, "generated: %s", sp->quantity);
    cgan__svg_begin(fp, 580, 560, sp->title);
    cgan__svg_axes(fp, &a, xl, yl, sp->title);
    fprintf(fp,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#555\" "
            "stroke-width=\"1.5\" stroke-dasharray=\"6,4\"/>\n",
            cgan__ax_x(&a, lo), cgan__ax_y(&a, lo), cgan__ax_x(&a, hi), cgan__ax_y(&a, hi));
    for (int k = 0; k < c->ncond; k++) {
        double x = c->mean[k][0][sp->f], y = c->mean[k][1][sp->f];
        if (!isfinite(x) || !isfinite(y)) continue;
        double px = cgan__ax_x(&a, x), py = cgan__ax_y(&a, y);
        fprintf(fp, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\" stroke=\"white\"/>\n", px,
                py, CGAN__SVG_REAL);
        char label[40];
        short_label(c->cond_names[k], label, sizeof label);
        cgan__svg_text(fp, px + 8, py - 6, "start", 11, 0, 0, label);
    }
    snprintf(note, sizeof note, "MAPD %.1f %%   (real vs real floor %.1f %%)", c->mapd[sp->f],
             c->mapd_floor[sp->f]);
    cgan__svg_text(fp, a.px + a.pw - 8, a.py + a.ph - 10, "end", 12, 0, 0, note);
    const char *labels[2] = {"condition mean", "x = y"};
    const char *cols[2] = {CGAN__SVG_REAL, "#555"};
    const int kinds[2] = {3, 2};
    cgan__svg_legend(fp, a.px + 10, a.py + 10, 2, labels, cols, kinds);
    char keys[160];
    label_keys(c, keys, sizeof keys);
    cgan__svg_text(fp, a.px, a.py + a.ph + 58, "start", 11, 0, 0, keys);
    cgan__svg_end(fp);
    return CGAN_OK;
}

/* ------------------------------------------------------------ MAPD bars */
static int draw_bars(const cgan_comparison *c, FILE *fp, const void *arg) {
    static const cgan_feature feats[] = {CGAN_FEATURE_MEAN_AREA,      CGAN_FEATURE_DENSITY,
                                         CGAN_FEATURE_MEAN_AR,        CGAN_FEATURE_PHASE_FRACTION,
                                         CGAN_FEATURE_SPECIFIC_PERIMETER, CGAN_FEATURE_CHORD_X,
                                         CGAN_FEATURE_CHORD_Y};
    static const char *names[] = {"grain size", "density", "aspect ratio", "phase fraction",
                                  "interface", "chord x", "chord y"};
    const int nf = 7;
    double hi = 1, ticks[64], lo = 0;
    (void)arg;
    for (int i = 0; i < nf; i++) {
        if (isfinite(c->mapd[feats[i]])) hi = fmax(hi, c->mapd[feats[i]]);
        if (isfinite(c->mapd_floor[feats[i]])) hi = fmax(hi, c->mapd_floor[feats[i]]);
    }
    hi *= 1.15;
    cgan__nice_ticks(&lo, &hi, 5, ticks, 64);
    cgan__axes a = {90, 50, 660, 340, 0, nf, lo, hi, 0, 0};
    cgan__svg_begin(fp, 780, 450, "Mean absolute percentage deviation");
    a.no_xticks = 1; /* categories, labelled below */
    cgan__svg_axes(fp, &a, NULL, "MAPD over conditions (%)",
                   "Real vs generated: mean absolute percentage deviation");
    double slot = a.pw / nf, bw = slot * 0.34;
    for (int i = 0; i < nf; i++) {
        double x0 = a.px + slot * i + slot * 0.14;
        double v[2] = {c->mapd[feats[i]], c->mapd_floor[feats[i]]};
        const char *col[2] = {CGAN__SVG_REAL, CGAN__SVG_FLOOR};
        for (int j = 0; j < 2; j++) {
            if (!isfinite(v[j])) continue;
            double top = cgan__ax_y(&a, v[j]), base = cgan__ax_y(&a, 0);
            fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>\n",
                    x0 + j * bw, top, bw, base - top, col[j]);
            char buf[32];
            snprintf(buf, sizeof buf, "%.1f", v[j]);
            cgan__svg_text(fp, x0 + j * bw + bw / 2, top - 4, "middle", 10, 0, 0, buf);
        }
        cgan__svg_text(fp, a.px + slot * (i + 0.5), a.py + a.ph + 20, "middle", 12, 0, 0, names[i]);
    }
    const char *labels[2] = {"real vs generated", "real vs real (random halves)"};
    const char *cols[2] = {CGAN__SVG_REAL, CGAN__SVG_FLOOR};
    const int kinds[2] = {0, 0};
    cgan__svg_legend(fp, a.px + a.pw - 250, a.py + 10, 2, labels, cols, kinds);
    cgan__svg_end(fp);
    return CGAN_OK;
}

/* ------------------------------------------------------- distributions */
typedef struct dist_spec {
    cgan_sample s;
    const char *title, *xlabel;
} dist_spec;

static void step_path(FILE *fp, const cgan__axes *a, const double *x, const double *y, int nb,
                      const char *colour, int filled) {
    fputs("<path d=\"", fp);
    fprintf(fp, "M%.1f %.1f", cgan__ax_x(a, x[0]), cgan__ax_y(a, 0));
    for (int b = 0; b < nb; b++)
        fprintf(fp, " L%.1f %.1f L%.1f %.1f", cgan__ax_x(a, x[b]), cgan__ax_y(a, y[b]),
                cgan__ax_x(a, x[b + 1]), cgan__ax_y(a, y[b]));
    fprintf(fp, " L%.1f %.1f", cgan__ax_x(a, x[nb]), cgan__ax_y(a, 0));
    if (filled)
        fprintf(fp, " Z\" fill=\"%s\" fill-opacity=\"0.35\" stroke=\"%s\" stroke-width=\"1\"/>\n",
                colour, colour);
    else
        fprintf(fp, "\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>\n", colour);
}

static int draw_dist(const cgan_comparison *c, FILE *fp, const void *arg) {
    const dist_spec *sp = arg;
    double e[49];
    int ne = cgan__hist_edges(c, sp->s, e), log = sp->s != CGAN_SAMPLE_AR;
    int cols = c->ncond < 3 ? c->ncond : 3, rows = (c->ncond + cols - 1) / cols;
    const double pw = 300, ph = 200, gw = 390, gh = 290;
    int W = (int)(cols * gw + 20), H = (int)(rows * gh + 70);
    /* overflow becomes one more bin of the last width (AR) or factor (Area) */
    e[ne] = log ? e[ne - 1] * 2 : e[ne - 1] + 0.25;
    cgan__svg_begin(fp, W, H, sp->title);
    cgan__svg_text(fp, W / 2.0, 26, "middle", 16, 1, 0, sp->title);
    for (int k = 0; k < c->ncond; k++) {
        int64_t cnt[2][50], tot[2] = {0, 0};
        double y[2][50], ymax = 0, ticks[64];
        for (int s = 0; s < 2; s++) {
            int rc = cgan__hist_counts(c, k, s, sp->s, e, ne, cnt[s]);
            if (rc != CGAN_OK) return rc;
            for (int b = 0; b <= ne; b++) tot[s] += cnt[s][b];
            /* bins 1..ne (the underflow bin 0 is empty for these samples) */
            for (int b = 1; b <= ne; b++) {
                y[s][b - 1] = tot[s] ? (double)cnt[s][b] / (double)tot[s] : 0;
                ymax = fmax(ymax, y[s][b - 1]);
            }
        }
        double lo = 0, hi = ymax > 0 ? ymax * 1.1 : 1;
        cgan__nice_ticks(&lo, &hi, 4, ticks, 64);
        double ox = 10 + (k % cols) * gw + 70, oy = 60 + (k / cols) * gh + 20;
        cgan__axes a = {ox, oy, pw, ph, e[0], e[ne], lo, hi, log, 0};
        char title[96], label[48];
        short_label(c->cond_names[k], label, sizeof label);
        snprintf(title, sizeof title, "%s (n = %lld / %lld)", label, (long long)tot[0],
                 (long long)tot[1]);
        cgan__svg_axes(fp, &a, sp->xlabel, "fraction", title);
        step_path(fp, &a, e, y[0], ne, CGAN__SVG_REAL, 1);
        step_path(fp, &a, e, y[1], ne, CGAN__SVG_GEN, 0);
        char ks[64];
        snprintf(ks, sizeof ks, "KS D = %.3f", c->dist[k][sp->s][0]);
        cgan__svg_text(fp, ox + pw - 6, oy + 16, "end", 11, 0, 0, ks);
    }
    const char *labels[2] = {"real", "generated"};
    const char *colours[2] = {CGAN__SVG_REAL, CGAN__SVG_GEN};
    const int kinds[2] = {0, 1};
    cgan__svg_legend(fp, W - 150, 8, 2, labels, colours, kinds);
    char keys[160];
    label_keys(c, keys, sizeof keys);
    cgan__svg_text(fp, 16, 48, "start", 11, 0, 0, keys);
    cgan__svg_end(fp);
    return CGAN_OK;
}

int cgan__write_report_svg(const cgan_comparison *c, const char *dir) {
    static const scatter_spec sc[3] = {
        {CGAN_FEATURE_MEAN_AREA, "Average grain size", "mean area"},
        {CGAN_FEATURE_DENSITY, "Grain density", "grains per unit area"},
        {CGAN_FEATURE_MEAN_AR, "Aspect ratio", "mean aspect ratio"}};
    static const char *names[3] = {"scatter_size.svg", "scatter_density.svg", "scatter_ar.svg"};
    static const dist_spec ds[2] = {
        {CGAN_SAMPLE_AREA, "Grain area distributions per condition", "area (log scale)"},
        {CGAN_SAMPLE_AR, "Aspect ratio distributions per condition", "aspect ratio"}};
    int rc = CGAN_OK;
    for (int i = 0; i < 3 && rc == CGAN_OK; i++) rc = cgan__write_report_file(c, dir, names[i], draw_scatter, &sc[i]);
    if (rc == CGAN_OK) rc = cgan__write_report_file(c, dir, "deviations.svg", draw_bars, NULL);
    if (rc == CGAN_OK) rc = cgan__write_report_file(c, dir, "dist_area.svg", draw_dist, &ds[0]);
    if (rc == CGAN_OK) rc = cgan__write_report_file(c, dir, "dist_ar.svg", draw_dist, &ds[1]);
    return rc;
}
