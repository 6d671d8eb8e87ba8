/* Private layout of image sets and comparisons (imageset.c, comparison.c,
 * report.c, plots.c). */
#ifndef CGAN_COMPARISON_INTERNAL_H
#define CGAN_COMPARISON_INTERNAL_H

#include "analysis_internal.h"

typedef struct cgan__image_item {
    char *path, *condition;
    double um_per_px;
    int has_roi;
    int64_t roi[4];   /* x, y, w, h: the region measured */
    char *mask;       /* image whose non-zero pixels are excluded, or NULL */
} cgan__image_item;

struct cgan_imageset {
    cgan__image_item *items;
    int64_t n, cap;
};

/* Append an item (strings copied; roi and mask may be NULL). */
int cgan__imageset_add_item(cgan_imageset *s, const char *path, const char *condition,
                            double um_per_px, const int64_t *roi, const char *mask);
/* Drop the items from index n on (undo a partial add). */
void cgan__imageset_truncate(cgan_imageset *s, int64_t n);
/* Read an item's image and mask (NULL without one), both cropped to its
 * roi; errors name the file. */
int cgan__imageset_read(const cgan__image_item *it, cgan_tensor **img, cgan_tensor **mask,
                        int *bits);

/* What a comparison keeps of one measured image. */
typedef struct cgan__image_rec {
    const char *path;  /* borrowed from the image set */
    int set, cond;
    double feat[CGAN_FEATURE_COUNT_], num[CGAN_FEATURE_COUNT_], den[CGAN_FEATURE_COUNT_];
    int64_t ns[CGAN_SAMPLE_COUNT_];
    double *samp[CGAN_SAMPLE_COUNT_];
    int s2n;
    double *s2;
    int flagged;       /* generated image whose threshold is outside the real range */
    double px_len;     /* length of one pixel in the output units (S2 radii are in px) */
    double tex[CGAN_RECOGNITION_TEXTURE_LAGS]; /* grey autocorrelation at lags 1.. px */
} cgan__image_rec;

/* A list of image indices (with repeats when bootstrapping). */
typedef struct cgan__idx_list {
    int64_t *v;
    int64_t n;
} cgan__idx_list;

struct cgan_comparison {
    int agg;
    int nb;            /* bootstrap repetitions */
    cgan__image_rec *img;
    int64_t nimg;
    int ncond;
    char **cond_names;
    cgan__idx_list *members; /* [cond * 2 + set] */
    /* results, [cond][...] */
    double (*mean)[2][CGAN_FEATURE_COUNT_];
    double (*dev)[CGAN_FEATURE_COUNT_], (*dev_lo)[CGAN_FEATURE_COUNT_], (*dev_hi)[CGAN_FEATURE_COUNT_];
    double (*dev_floor)[CGAN_FEATURE_COUNT_];
    double mapd[CGAN_FEATURE_COUNT_], mapd_floor[CGAN_FEATURE_COUNT_];
    double (*dist)[CGAN_SAMPLE_COUNT_][3];       /* KS D, KS p, W1 */
    double (*dist_floor)[CGAN_SAMPLE_COUNT_][2]; /* KS D, W1 */
    int s2n;
    double *s2_mean;  /* [cond][set][s2n] */
    double *s2_rms, *s2_rms_floor;
    cgan_analysis_opts opts; /* the settings used, for settings.csv */
    /* condition recognition (recognition.c) */
    int *assigned;           /* [nimg]: condition each image was assigned to */
    int64_t *confusion;      /* [set][true cond][assigned cond] */
    double rec_acc[2];
};

/* Nearest-centroid recognition of every image's condition (recognition.c):
 * fills assigned, confusion and rec_acc. */
int cgan__comparison_recognise(cgan_comparison *c);
/* recognition.csv, confusion.csv, recognition_images.csv (recognition_report.c)
 * and confusion.svg. */
int cgan__write_recognition_csv(const cgan_comparison *c, const char *dir);
int cgan__write_recognition_svg(const cgan_comparison *c, const char *dir);
/* settings.csv: Key,Value for every measurement option (opts.c names). */
int cgan__write_settings_csv(const cgan_comparison *c, const char *dir);

/* Feature mean over a list of images under the aggregation rule. */
double cgan__agg_mean(const cgan_comparison *c, const cgan__idx_list *l, int f);
/* Pool one sample over a list; *out is malloc'ed (NULL when empty). */
int cgan__pool(const cgan_comparison *c, const cgan__idx_list *l, int s, double **out, int64_t *n);

/* Shared histogram bins (report.c): Area on log2 bins from the smallest
 * area seen, AR on 1.0..5.0 in steps of 0.25; values above the last edge
 * are overflow.  Returns the number of edges written (<= 48). */
int cgan__hist_edges(const cgan_comparison *c, int sample, double *edges);
/* Counts (nedges+1, see cgan_stats_histogram) of a condition's set. */
int cgan__hist_counts(const cgan_comparison *c, int cond, int set, int sample, const double *edges,
                      int nedges, int64_t *counts);
/* "dir/name" into buf. */
void cgan__join(char *buf, size_t n, const char *dir, const char *name);

/* Write dir/name atomically with fn(c, fp, arg) (report.c). */
typedef int (*cgan__report_fn)(const cgan_comparison *c, FILE *fp, const void *arg);
int cgan__write_report_file(const cgan_comparison *c, const char *dir, const char *name,
                            cgan__report_fn fn, const void *arg);

/* report.c / plots.c */
int cgan__write_report_csv(const cgan_comparison *c, const char *dir);
int cgan__write_report_svg(const cgan_comparison *c, const char *dir);

#endif
