/* SVG primitives: axes with nice ticks, text, legends. */
#include "svg.h"

#include <math.h>
#include <string.h>

double cgan__ax_x(const cgan__axes *a, double v) {
    double t = a->logx ? (log(v) - log(a->x0)) / (log(a->x1) - log(a->x0))
                       : (v - a->x0) / (a->x1 - a->x0);
    return a->px + t * a->pw;
}

double cgan__ax_y(const cgan__axes *a, double v) {
    return a->py + a->ph - (v - a->y0) / (a->y1 - a->y0) * a->ph;
}

static void escaped(FILE *fp, const char *s) {
    for (; *s; s++) switch (*s) {
        case '<': fputs("&lt;", fp); break;
        case '>': fputs("&gt;", fp); break;
        case '&': fputs("&amp;", fp); break;
        case '"': fputs("&quot;", fp); break;
        default: fputc(*s, fp);
        }
}

void cgan__svg_begin(FILE *fp, int w, int h, const char *title) {
    fprintf(fp,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" "
            "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans, Helvetica, Arial, "
            "sans-serif\">\n<title>",
            w, h, w, h);
    escaped(fp, title);
    fprintf(fp, "</title>\n<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"white\"/>\n", w,
            h);
}

void cgan__svg_end(FILE *fp) { fputs("</svg>\n", fp); }

void cgan__svg_text(FILE *fp, double x, double y, const char *anchor, int size, int bold,
                    double rotate, const char *text) {
    fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" text-anchor=\"%s\"%s", x, y, size,
            anchor, bold ? " font-weight=\"bold\"" : "");
    if (rotate != 0) fprintf(fp, " transform=\"rotate(%.0f %.1f %.1f)\"", rotate, x, y);
    fputs(" fill=\"#222\">", fp);
    escaped(fp, text);
    fputs("</text>\n", fp);
}

int cgan__nice_ticks(double *lo, double *hi, int target, double *ticks, int max) {
    double span = *hi - *lo;
    if (!(span > 0)) {
        double pad = fabs(*lo) > 0 ? fabs(*lo) * 0.1 : 1.0;
        *lo -= pad;
        *hi += pad;
        span = *hi - *lo;
    }
    double raw = span / target, mag = pow(10, floor(log10(raw))), step;
    double r = raw / mag;
    step = (r < 1.5 ? 1 : r < 3 ? 2 : r < 7 ? 5 : 10) * mag;
    *lo = floor(*lo / step + 1e-9) * step;
    *hi = ceil(*hi / step - 1e-9) * step;
    int n = 0;
    for (double t = *lo; t <= *hi + step * 1e-6 && n < max; t += step)
        ticks[n++] = fabs(t) < step * 1e-9 ? 0 : t;
    return n;
}

static void tick_label(char *buf, size_t n, double v) {
    if (v != 0 && (fabs(v) >= 1e5 || fabs(v) < 1e-3)) snprintf(buf, n, "%.2g", v);
    else snprintf(buf, n, "%g", v);
}

/* Log ticks at 1, 2, 5 x 10^k inside the range; only 10^k over wide ranges. */
static int log_ticks(double lo, double hi, double *t, int max) {
    int n = 0, per = log10(hi / lo) > 2.5 ? 1 : 3;
    for (int e = (int)floor(log10(lo)) - 1; e <= (int)ceil(log10(hi)) && n < max; e++)
        for (int m = 0; m < per && n < max; m++) {
            double v = (m == 0 ? 1 : m == 1 ? 2 : 5) * pow(10, e);
            if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) t[n++] = v;
        }
    return n;
}

void cgan__svg_axes(FILE *fp, const cgan__axes *a, const char *xlabel, const char *ylabel,
                    const char *title) {
    double xt[64], yt[64], lo, hi;
    char buf[32];
    int nx;
    if (a->no_xticks) {
        nx = 0;
    } else if (a->logx) {
        nx = log_ticks(a->x0, a->x1, xt, 64);
    } else {
        lo = a->x0, hi = a->x1;
        nx = cgan__nice_ticks(&lo, &hi, 6, xt, 64);
    }
    lo = a->y0, hi = a->y1;
    int ny = cgan__nice_ticks(&lo, &hi, 5, yt, 64);
    fputs("<g stroke=\"#e6e6e6\" stroke-width=\"1\">\n", fp); /* grid */
    for (int i = 0; i < nx; i++)
        if (xt[i] >= a->x0 && xt[i] <= a->x1)
            fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
                    cgan__ax_x(a, xt[i]), a->py, cgan__ax_x(a, xt[i]), a->py + a->ph);
    for (int i = 0; i < ny; i++)
        if (yt[i] >= a->y0 && yt[i] <= a->y1)
            fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", a->px,
                    cgan__ax_y(a, yt[i]), a->px + a->pw, cgan__ax_y(a, yt[i]));
    fputs("</g>\n", fp);
    fprintf(fp,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
            "stroke=\"#333\" stroke-width=\"1\"/>\n",
            a->px, a->py, a->pw, a->ph);
    fputs("<g stroke=\"#333\" stroke-width=\"1\">\n", fp);
    for (int i = 0; i < nx; i++)
        if (xt[i] >= a->x0 && xt[i] <= a->x1)
            fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
                    cgan__ax_x(a, xt[i]), a->py + a->ph, cgan__ax_x(a, xt[i]), a->py + a->ph + 5);
    for (int i = 0; i < ny; i++)
        if (yt[i] >= a->y0 && yt[i] <= a->y1)
            fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", a->px - 5,
                    cgan__ax_y(a, yt[i]), a->px, cgan__ax_y(a, yt[i]));
    fputs("</g>\n", fp);
    for (int i = 0; i < nx; i++)
        if (xt[i] >= a->x0 && xt[i] <= a->x1) {
            tick_label(buf, sizeof buf, xt[i]);
            cgan__svg_text(fp, cgan__ax_x(a, xt[i]), a->py + a->ph + 18, "middle", 11, 0, 0, buf);
        }
    for (int i = 0; i < ny; i++)
        if (yt[i] >= a->y0 && yt[i] <= a->y1) {
            tick_label(buf, sizeof buf, yt[i]);
            cgan__svg_text(fp, a->px - 8, cgan__ax_y(a, yt[i]) + 4, "end", 11, 0, 0, buf);
        }
    if (xlabel) cgan__svg_text(fp, a->px + a->pw / 2, a->py + a->ph + 38, "middle", 13, 0, 0, xlabel);
    if (ylabel) cgan__svg_text(fp, a->px - 48, a->py + a->ph / 2, "middle", 13, 0, -90, ylabel);
    if (title) cgan__svg_text(fp, a->px + a->pw / 2, a->py - 10, "middle", 14, 1, 0, title);
}

void cgan__svg_legend(FILE *fp, double x, double y, int n, const char *const *labels,
                      const char *const *colours, const int *kinds) {
    double wmax = 0;
    for (int i = 0; i < n; i++) wmax = fmax(wmax, 7.0 * (double)strlen(labels[i]));
    fprintf(fp,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"white\" "
            "fill-opacity=\"0.9\" stroke=\"#bbb\"/>\n",
            x, y, wmax + 44, 20.0 * n + 8);
    for (int i = 0; i < n; i++) {
        double cy = y + 14 + 20.0 * i;
        switch (kinds[i]) {
        case 0:
            fprintf(fp,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"18\" height=\"10\" fill=\"%s\" "
                    "fill-opacity=\"0.6\" stroke=\"%s\"/>\n",
                    x + 8, cy - 5, colours[i], colours[i]);
            break;
        case 3:
            fprintf(fp, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\" fill=\"%s\"/>\n", x + 17, cy,
                    colours[i]);
            break;
        default:
            fprintf(fp,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                    "stroke-width=\"2\"%s/>\n",
                    x + 8, cy, x + 26, cy, colours[i],
                    kinds[i] == 2 ? " stroke-dasharray=\"5,3\"" : "");
        }
        cgan__svg_text(fp, x + 34, cy + 4, "start", 12, 0, 0, labels[i]);
    }
}
