/* A few SVG drawing primitives for the report's plots (svg.c): plain text
 * SVG 1.1 that browsers and rsvg open. */
#ifndef CGAN_SVG_H
#define CGAN_SVG_H

#include <stdio.h>

#define CGAN__SVG_REAL "#1f77b4"
#define CGAN__SVG_GEN "#ff7f0e"
#define CGAN__SVG_FLOOR "#9e9e9e"

/* A plot area on the page (px, py, pw, ph) and the data range it shows. */
typedef struct cgan__axes {
    double px, py, pw, ph;
    double x0, x1, y0, y1;
    int logx;
    int no_xticks; /* categorical x axis: the caller labels it */
} cgan__axes;

double cgan__ax_x(const cgan__axes *a, double v);
double cgan__ax_y(const cgan__axes *a, double v);

void cgan__svg_begin(FILE *fp, int w, int h, const char *title);
void cgan__svg_end(FILE *fp);
/* Text with XML escaping; anchor "start", "middle" or "end"; rotate in degrees. */
void cgan__svg_text(FILE *fp, double x, double y, const char *anchor, int size, int bold,
                    double rotate, const char *text);
/* Frame, grid, ticks with labels, axis labels and a title. */
void cgan__svg_axes(FILE *fp, const cgan__axes *a, const char *xlabel, const char *ylabel,
                    const char *title);
/* Legend box at (x, y): kind 0 = filled square, 1 = line, 2 = dashed line, 3 = dot. */
void cgan__svg_legend(FILE *fp, double x, double y, int n, const char *const *labels,
                      const char *const *colours, const int *kinds);
/* Round data limits out to tick multiples ("nice" numbers); ticks <= max. */
int cgan__nice_ticks(double *lo, double *hi, int target, double *ticks, int max);

#endif
