/*
 * Private declarations of the analysis module (src/analysis/).  Pixel
 * buffers are row-major, width w, height h; masks hold 0/1 bytes.  excl,
 * where taken, marks excluded pixels (1) or is NULL for none: an excluded
 * pixel is never in the phase, is not counted in any area, and cuts
 * particles and chords as the image border does.
 */
#ifndef CGAN_ANALYSIS_INTERNAL_H
#define CGAN_ANALYSIS_INTERNAL_H

#include "../core/internal.h"

#define CGAN__N_PARAMS 16

struct cgan_analysis_opts {
    double v[CGAN__N_PARAMS];
};

/* Key name of an option ("CGAN_ANALYSIS_MIN_SIZE"), NULL out of range (opts.c). */
const char *cgan__analysis_param_name(int key);

/* Option value as int (options are validated whole numbers). */
#define CGAN__OPT_I(o, key) ((int)(o)->v[key])

/* The measurement of one image (micrograph.c). */
struct cgan_micrograph {
    int w, h;
    double um;        /* length of one pixel in output units (1 when uncalibrated) */
    uint8_t *mask;    /* w*h phase mask */
    int64_t usable;   /* pixels not excluded (w*h without an exclusion mask) */
    int64_t n;        /* particles */
    double *cols;     /* n * CGAN_COL_COUNT_, row-major */
    double feat[CGAN_FEATURE_COUNT_];
    /* feat = num/den; kept apart so that conditions can pool images */
    double num[CGAN_FEATURE_COUNT_], den[CGAN_FEATURE_COUNT_];
    int s2_r;
    double *s2;       /* s2_r + 1 radial values */
    int64_t nchord[2];
    double *chords[2];
};

/* ---- grey.c: ImageJ 8-bit grey values and Gaussian smoothing */
/* grey[i] in 0..255 (whole numbers) from a [0,1] image; bits 8 or 16 (the
 * 16-bit display range is the min..max of the pixels not excluded). */
int cgan__grey8(const float *img, int64_t n, int bits, const uint8_t *excl, double *grey);
/* Separable Gaussian blur in place (edge pixels replicated), sigma > 0. */
int cgan__gaussian_blur(double *g, int w, int h, double sigma);

/* ---- threshold.c */
/* Phase limits lo..hi on grey values from the options (auto threshold on
 * the histogram of round(grey) over the pixels not excluded, when asked). */
int cgan__phase_limits(const double *grey, int64_t n, const uint8_t *excl,
                       const cgan_analysis_opts *o, double *lo, double *hi);

/* ---- morphology.c: binary opening with a (2r+1)^2 square, in place
 * (pixels outside the image ignored); r <= 0 does nothing. */
int cgan__binary_open(uint8_t *mask, int w, int h, int r);

/* ---- particles.c: ImageJ's Analyze Particles on a binary mask.  Appends
 * rows of CGAN_COL_COUNT_ doubles (in px units) to *cols.  An excluded
 * pixel 4-adjacent to a particle is a border: left of or above it counts
 * as the left/top edge, right of or below it as the right/bottom edge. */
int cgan__particles(const uint8_t *mask, const uint8_t *excl, int w, int h,
                    const cgan_analysis_opts *o, double **cols, int64_t *n);

/* ---- ellipse.c: ImageJ EllipseFitter on a mask patch (bw x bh, top-left
 * at left, top) or, when patch is NULL, on the full rectangle. */
typedef struct cgan__ellipse {
    double major, minor, angle, x, y;
} cgan__ellipse;
void cgan__ellipse_fit(const uint8_t *patch, int bw, int bh, int left, int top,
                       cgan__ellipse *e);

/* ---- perimeter.c: ImageJ's Wand outline from the particle's first pixel
 * (x0, y0) in raster order, and PolygonRoi's traced perimeter of it. */
typedef struct cgan__outline {
    int *x, *y;
    int n, cap;
} cgan__outline;
int cgan__wand_trace(const uint8_t *mask, int w, int h, int x0, int y0, cgan__outline *ol);
double cgan__traced_perimeter(const cgan__outline *ol);
void cgan__outline_free(cgan__outline *ol);

/* ---- features.c: segmentation-free statistics */
int64_t cgan__phase_pixels(const uint8_t *mask, int w, int h);
/* 4-neighbour pairs of different phase, both pixels not excluded. */
int64_t cgan__interface_pairs(const uint8_t *mask, const uint8_t *excl, int w, int h);
int cgan__euler8(const uint8_t *mask, int w, int h);
/* Run lengths of 1s along rows (axis 0) or columns (axis 1), runs ending
 * at the border or at an excluded pixel dropped; *len is malloc'ed. */
int cgan__chords(const uint8_t *mask, const uint8_t *excl, int w, int h, int axis, double **len,
                 int64_t *n);

/* ---- s2.c: non-periodic two-point correlation */
/* pairs[(ry+R)*(2R+1) + (rx+R)] = number of pixel pairs x, x+r both in the
 * phase, for |rx|,|ry| <= R (R < w, R < h).  FFT and direct versions. */
int cgan__s2_pairs_fft(const uint8_t *mask, int w, int h, int R, int64_t *pairs);
int cgan__s2_pairs_direct(const uint8_t *mask, int w, int h, int R, int64_t *pairs);
/* Radial average of S2(r) = pairs / valid pairs over rings round(|r|)=k.
 * valid (same layout as pairs) counts the pixel pairs not excluded; NULL
 * means every pair inside the w x h image.  A shift without valid pairs
 * is left out of its ring (a ring without any is NaN). */
void cgan__s2_radial(const int64_t *pairs, const int64_t *valid, int w, int h, int R,
                     double *radial);

/* ---- stats.c */
int cgan__cmp_double(const void *a, const void *b);
/* q-quantile (0..1) of a sorted array, linear interpolation. */
double cgan__quantile_sorted(const double *x, int64_t n, double q);

/* ---- csv.c */
/* Shortest text that reads back as the same double ("nan" for NaN). */
void cgan__csv_num(FILE *fp, double v);
/* A CSV field, quoted when it holds a comma, quote or newline. */
void cgan__csv_str(FILE *fp, const char *s);
extern const char *const cgan__feature_names[CGAN_FEATURE_COUNT_];
extern const char *const cgan__sample_names[CGAN_SAMPLE_COUNT_];

#endif
