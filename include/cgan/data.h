/*
 * libcgan data pipeline (the paper's section A.4 for real micrographs):
 * a manifest of micrographs with their scale and process conditions,
 * resampling to one physical scale, contrast normalisation, patches of one
 * physical size, physics-respecting augmentation, a prepared data set in one
 * .npz, a batch sampler with several patches per condition, sample sheets.
 * Include <cgan.h>, not this file directly.  docs/data.md has the manifest
 * format, the data set layout and the augmentation policy.
 *
 * Images are float tensors [1, 1, H, W] (as cgan_image_read gives) or [H, W];
 * a mask is a tensor of the same H x W whose non-zero pixels are excluded.
 * Thread safety: a handle must not be used by two threads at once.
 */
#ifndef CGAN_DATA_H
#define CGAN_DATA_H

#include "core.h"
#include "loss.h" /* cgan_cond_scaler: the one implementation of condition scaling */

#ifdef __cplusplus
extern "C" {
#endif

/* ================================================================ manifest */
/* A CSV file with a header row: `path` (image, relative to the manifest's
 * folder), `um_per_px` (micrometres per pixel), optional `roi` (x:y:w:h in
 * pixels) and `mask` (image whose non-zero pixels are excluded); every other
 * column is a numeric process condition.  Each distinct combination of
 * condition values is a class; classes are numbered in ascending order of
 * the values, column by column, whatever the row order. */
typedef struct cgan_manifest cgan_manifest;

/* Parse a manifest.  Checks every row: the field count, that the image (and
 * mask) files exist, um_per_px > 0, the roi syntax, numeric conditions.
 * Errors: CGAN_EIO (cannot open the manifest), CGAN_EFORMAT (a bad row or
 * header: the message names the manifest, the line and the problem). */
CGAN_API int  cgan_manifest_load(cgan_manifest **out, const char *path);
CGAN_API void cgan_manifest_destroy(cgan_manifest *m); /* NULL is a no-op */

/* Scale condition column `column` by log10 before the min/max scaling (for
 * rate-like columns).  Errors: CGAN_EINVAL (no such condition column),
 * CGAN_EFORMAT (a value <= 0; the message names its line). */
CGAN_API int cgan_manifest_set_log_column(cgan_manifest *m, const char *column);

CGAN_API int64_t cgan_manifest_rows(const cgan_manifest *m);
/* Number of condition columns (>= 0). */
CGAN_API int     cgan_manifest_columns(const cgan_manifest *m);
/* Borrowed strings below stay valid until the manifest is destroyed; NULL
 * when an index is out of range. */
CGAN_API const char *cgan_manifest_column_name(const cgan_manifest *m, int col);
/* Image path resolved against the manifest's folder. */
CGAN_API const char *cgan_manifest_path(const cgan_manifest *m, int64_t row);
/* Mask path resolved the same way, NULL if the row has none. */
CGAN_API const char *cgan_manifest_mask(const cgan_manifest *m, int64_t row);
/* 1-based line of the row in the manifest file (0 if out of range). */
CGAN_API int64_t     cgan_manifest_line(const cgan_manifest *m, int64_t row);
CGAN_API double      cgan_manifest_um_per_px(const cgan_manifest *m, int64_t row);
/* roi[0..3] = x, y, w, h; returns 1 if the row has a roi, 0 if it uses the
 * whole image (roi untouched), CGAN_EINVAL for a bad row/argument. */
CGAN_API int         cgan_manifest_roi(const cgan_manifest *m, int64_t row, int64_t *roi);
/* Condition value as written (NaN if out of range). */
CGAN_API double      cgan_manifest_value(const cgan_manifest *m, int64_t row, int col);
/* The row's conditions scaled to [-1, 1]: (log10 if set, then) 2 (v - min) /
 * (max - min) - 1 over all rows; a constant column gives 0.  dst holds
 * cgan_manifest_columns() values. */
CGAN_API int         cgan_manifest_scaled(const cgan_manifest *m, int64_t row, float *dst);
/* min, max (after log10 if set) and the log flag of a column. */
CGAN_API int         cgan_manifest_scaling(const cgan_manifest *m, int col, double *min,
                                           double *max, int *log10_first);
/* The manifest's scaling as the loss module's condition scaler, fitted on
 * every row (cgan_manifest_scaled is this scaler's output as float).
 * Borrowed: valid until the manifest is destroyed or set_log_column is
 * called again; NULL without condition columns. */
CGAN_API const cgan_cond_scaler *cgan_manifest_scaler(const cgan_manifest *m);
/* Class index of a row (-1 if out of range), number of classes, a class's
 * name ("temperature_C=900 strain_rate_per_s=0.001"; "all" without
 * condition columns) and the name of a row's condition. */
CGAN_API int64_t     cgan_manifest_class(const cgan_manifest *m, int64_t row);
CGAN_API int64_t     cgan_manifest_classes(const cgan_manifest *m);
CGAN_API const char *cgan_manifest_class_name(const cgan_manifest *m, int64_t cls);
CGAN_API const char *cgan_manifest_condition_name(const cgan_manifest *m, int64_t row);
/* A condition (class) name as a directory name, for DIR/<condition>/
 * layouts (cgan compare, generated images): the space between columns
 * becomes ',', any byte outside A-Z a-z 0-9 . _ - + = , becomes '_' (so
 * '/' cannot make a sub-directory) and a leading '.' becomes '_' (no hidden
 * directory).  "temperature_C=900 strain_rate_per_s=0.001" gives
 * "temperature_C=900,strain_rate_per_s=0.001".  The result has the same
 * length; buf needs strlen(name) + 1 bytes.  Errors: CGAN_EINVAL (NULL or
 * empty name, buf too small). */
CGAN_API int cgan_condition_dirname(const char *name, char *buf, size_t cap);

/* ====================================================== image preparation */
/* Resample img (taken at src_um_per_px) to dst_um_per_px with an area (box)
 * filter when shrinking and a linear one when enlarging, so a feature of
 * L um stays L um.  The result is floor(W * src / dst) x floor(H * src /
 * dst) pixels, each exactly dst_um_per_px wide.  *out is a new [1,1,H',W']
 * tensor.  Errors: CGAN_EINVAL (scales <= 0, result smaller than 1 px). */
CGAN_API int cgan_image_resample(cgan_tensor **out, const cgan_tensor *img, double src_um_per_px,
                                 double dst_um_per_px);
/* The same geometry for a mask: an output pixel is excluded (1) when any
 * source pixel it overlaps is non-zero, else 0. */
CGAN_API int cgan_mask_resample(cgan_tensor **out, const cgan_tensor *mask, double src_um_per_px,
                                double dst_um_per_px);
/* A new [1,1,h,w] tensor with the region at (x, y).  Errors: CGAN_EINVAL if
 * the region is not inside the image. */
CGAN_API int cgan_image_crop(cgan_tensor **out, const cgan_tensor *img, int64_t x, int64_t y,
                             int64_t w, int64_t h);
/* Percentile stretch in place: the lo_pct and hi_pct percentiles (0..100,
 * linear interpolation) of the pixels not excluded by mask (may be NULL)
 * map to 0 and 1, values outside are clipped.  A flat image becomes 0.5. */
CGAN_API int cgan_image_stretch(cgan_tensor *img, const cgan_tensor *mask, double lo_pct,
                                double hi_pct);
/* Histogram matching in place: each usable pixel of img takes the value of
 * the same quantile of reference's usable pixels (ties share their mean
 * rank), so img's value distribution becomes the reference's.  Masks may be
 * NULL.  Excluded pixels are mapped too but do not count. */
CGAN_API int cgan_image_match_histogram(cgan_tensor *img, const cgan_tensor *mask,
                                        const cgan_tensor *reference,
                                        const cgan_tensor *reference_mask);

/* Top-left corners of size x size patches inside an H x W image that
 * overlap no excluded pixel of mask (NULL = none excluded).
 * stride > 0: the grid x, y = 0, stride, 2 stride, ...; count = 0 keeps
 * every usable grid position, count > 0 keeps that many spread evenly over
 * them.  stride = 0: count distinct random positions drawn from rng.
 * xy receives x0, y0, x1, y1, ... (room for 2 * cap values); *found is the
 * number of corners written (may be fewer than count: no room left).
 * Errors: CGAN_EINVAL. */
CGAN_API int cgan_patch_positions(const cgan_tensor *mask, int64_t h, int64_t w, int64_t size,
                                  int64_t stride, int64_t count, cgan_rng *rng, int64_t *xy,
                                  int64_t cap, int64_t *found);

/* ============================================================ augmentation */
/* Transforms of a square patch.  Values are frozen. */
typedef enum cgan_transform {
    CGAN_TRANSFORM_IDENTITY = 0,
    CGAN_TRANSFORM_FLIP_H = 1,        /* mirror left-right */
    CGAN_TRANSFORM_FLIP_V = 2,        /* mirror top-bottom */
    CGAN_TRANSFORM_ROT180 = 3,
    CGAN_TRANSFORM_ROT90 = 4,         /* counter-clockwise */
    CGAN_TRANSFORM_ROT270 = 5,
    CGAN_TRANSFORM_TRANSPOSE = 6,     /* mirror about the main diagonal */
    CGAN_TRANSFORM_ANTITRANSPOSE = 7  /* mirror about the other diagonal */
} cgan_transform;

/* Augmentation flags.  Flips and the 180-degree rotation keep a compression
 * axis where it was; 90-degree rotations (and the diagonal mirrors) turn
 * it, so they are for isotropic materials only. */
#define CGAN_AUGMENT_FLIPS  0x1u /* FLIP_H, FLIP_V */
#define CGAN_AUGMENT_ROT180 0x2u /* ROT180 */
#define CGAN_AUGMENT_ROT90  0x4u /* ROT90, ROT270, TRANSPOSE, ANTITRANSPOSE (isotropic) */
#define CGAN_AUGMENT_JITTER 0x8u /* small random brightness offset on the copies */
#define CGAN_AUGMENT_DEFAULT (CGAN_AUGMENT_FLIPS | CGAN_AUGMENT_ROT180)

/* The transforms a flag set stores per patch, IDENTITY first, into list
 * (room for 8); returns their number (1..8) or a negative status. */
CGAN_API int cgan_augment_transforms(uint32_t flags, int *list, int cap);
/* Apply a transform to a size x size patch (src and dst must not overlap). */
CGAN_API int cgan_patch_transform(const float *src, float *dst, int64_t size, int transform);

/* ================================================================= sampler */
/* Batches for the contrastive loss: each batch is batch / per_class groups
 * of per_class patches of one class (positives for each other); the classes
 * of a batch are distinct while there are enough, and every class and patch
 * is visited in a reshuffled order, epoch after epoch.  The sequence is a
 * function of the seed alone. */
typedef struct cgan_sampler cgan_sampler;

/* class_of[i] is the class (0..n_classes-1) of patch i; it is copied.
 * Errors: CGAN_EINVAL (n < 1, per_class < 1, a class index < 0). */
CGAN_API int  cgan_sampler_create(cgan_sampler **out, const int64_t *class_of, int64_t n,
                                  int64_t per_class, uint64_t seed);
CGAN_API void cgan_sampler_destroy(cgan_sampler *s);
/* Write batch patch indices (batch must be a multiple of per_class). */
CGAN_API int  cgan_sampler_next(cgan_sampler *s, int64_t *indices, int64_t batch);

/* ======================================================== prepare options */
typedef struct cgan_prepare_opts cgan_prepare_opts;

typedef enum cgan_prepare_key {
    CGAN_PREPARE_SIZE = 1,              /* patch side in px (128) */
    CGAN_PREPARE_UM_PER_PX = 2,         /* common scale (required, > 0) */
    CGAN_PREPARE_PATCHES_PER_IMAGE = 3, /* N (16; with a stride, 0 = all) */
    CGAN_PREPARE_STRIDE = 4,            /* 0 random positions, > 0 grid (0) */
    CGAN_PREPARE_AUGMENT = 5,           /* CGAN_AUGMENT_* flags (DEFAULT) */
    CGAN_PREPARE_CONTINUOUS = 6,        /* 0 discrete classes, 1 continuous (0) */
    CGAN_PREPARE_SEED = 7,              /* random positions and jitter (1) */
    CGAN_PREPARE_CONTRAST = 8,          /* 0 none, 1 percentile, 2 + histogram match (1) */
    CGAN_PREPARE_PERCENTILE_LO = 9,     /* (0.5) */
    CGAN_PREPARE_PERCENTILE_HI = 10,    /* (99.5) */
    CGAN_PREPARE_JITTER = 11,           /* brightness offset amplitude in [-1,1] units (0.05) */
    CGAN_PREPARE_MIN_PER_CLASS = 12     /* warn below this many patches per class (16) */
} cgan_prepare_key;

CGAN_API int  cgan_prepare_opts_create(cgan_prepare_opts **out);
CGAN_API void cgan_prepare_opts_destroy(cgan_prepare_opts *o);
/* Errors: CGAN_EINVAL (unknown key, value out of range: message says why). */
CGAN_API int  cgan_prepare_opts_set(cgan_prepare_opts *o, int key, double value);
CGAN_API int  cgan_prepare_opts_get(const cgan_prepare_opts *o, int key, double *value);
/* Reference image for histogram matching (default: the first row's image
 * after its own roi, resampling and stretch).  NULL resets.  Copied. */
CGAN_API int  cgan_prepare_opts_set_reference(cgan_prepare_opts *o, const char *image_path);

/* ================================================================= prepare */
#define CGAN_PREPARE_EVENT_IMAGE   1 /* one line per image: what was done */
#define CGAN_PREPARE_EVENT_WARNING 2 /* e.g. a class with too few patches */

/* Progress messages; row is the manifest row (-1 when not about a row). */
typedef void (*cgan_prepare_report_fn)(int event, int64_t row, const char *message, void *user);

/* Read every micrograph of m once and write the prepared data set to
 * out_path (docs/data.md lists the members), atomically: on any error
 * nothing is written.  report may be NULL.
 * Errors: CGAN_EINVAL (options: um_per_px not set; no usable patch at all),
 * CGAN_EIO / CGAN_EFORMAT (an unreadable image: the message names the
 * manifest line and the file), CGAN_ESHAPE (a mask of another size than its
 * image, a roi outside the image). */
CGAN_API int cgan_prepare_run(const cgan_manifest *m, const cgan_prepare_opts *o,
                              const char *out_path, cgan_prepare_report_fn report, void *user);

/* ========================================================= prepared data */
/* A prepared data set loaded whole into memory for training. */
typedef struct cgan_dataset cgan_dataset;

/* Errors: CGAN_EIO, CGAN_EFORMAT (not a data set, or inconsistent members:
 * the member is named). */
CGAN_API int  cgan_dataset_load(cgan_dataset **out, const char *path);
CGAN_API void cgan_dataset_destroy(cgan_dataset *d);

CGAN_API int64_t cgan_dataset_count(const cgan_dataset *d);   /* patches N */
CGAN_API int64_t cgan_dataset_size(const cgan_dataset *d);    /* patch side S */
CGAN_API double  cgan_dataset_um_per_px(const cgan_dataset *d);
CGAN_API int     cgan_dataset_continuous(const cgan_dataset *d); /* 1 continuous mode */
CGAN_API int64_t cgan_dataset_classes(const cgan_dataset *d);
CGAN_API const char *cgan_dataset_class_name(const cgan_dataset *d, int64_t cls);
CGAN_API int     cgan_dataset_columns(const cgan_dataset *d); /* condition columns k */
CGAN_API const char *cgan_dataset_column_name(const cgan_dataset *d, int col);
CGAN_API int     cgan_dataset_scaling(const cgan_dataset *d, int col, double *min, double *max,
                                      int *log10_first);
/* The saved scaling as a fitted condition scaler (cgan_cond_scaler_apply
 * scales new raw conditions exactly as the data set's were, _invert maps
 * back).  Borrowed: valid until d is destroyed; NULL when k == 0. */
CGAN_API const cgan_cond_scaler *cgan_dataset_scaler(const cgan_dataset *d);
/* Borrowed views, valid until the data set is destroyed: patches [N,1,S,S]
 * in [-1,1], class per patch [N], scaled conditions [N*k] row-major. */
CGAN_API const cgan_tensor *cgan_dataset_patches(const cgan_dataset *d);
CGAN_API const int64_t     *cgan_dataset_labels(const cgan_dataset *d);
CGAN_API const float       *cgan_dataset_conditions(const cgan_dataset *d);
/* Copy patches idx[0..n-1] into images [n,1,S,S]; labels [n] (class index
 * as float) and conditions [n,k] may be NULL.  Errors: CGAN_ESHAPE,
 * CGAN_EINVAL (an index out of range). */
CGAN_API int cgan_dataset_gather(const cgan_dataset *d, const int64_t *idx, int64_t n,
                                 cgan_tensor *images, cgan_tensor *labels, cgan_tensor *conditions);

/* Write up to per_class untransformed patches of every condition, chosen by
 * a seeded shuffle, as 8-bit PNGs DIR/<cgan_condition_dirname(class
 * name)>/patch_NNNN.png (values [-1, 1] -> 0..255): held-out real patches
 * for `cgan compare`, at the generated images' size and scale.  *written
 * (may be NULL) receives the number of files.  Errors: CGAN_EIO, CGAN_EINVAL. */
CGAN_API int cgan_dataset_export_png(const cgan_dataset *d, const char *dir, int64_t per_class,
                                     uint64_t seed, int64_t *written);

/* ============================================================ sample sheet */
/* A PNG grid like the paper's Fig. 2: rows labelled on the left, cols
 * images per row.  images is [rows*cols, 1, S, S] in [-1, 1] in row-major
 * cell order (a cell whose first value is NaN stays blank); labels has rows
 * UTF-8 strings (ASCII is drawn, other bytes become '?').  Written
 * atomically as an 8-bit gray PNG. */
CGAN_API int cgan_sheet_write_png(const char *path, const cgan_tensor *images, int64_t rows,
                                  int64_t cols, const char *const *labels);
/* A sheet of a prepared data set: one row per class, cols random patches of
 * it (untransformed ones first), chosen from seed. */
CGAN_API int cgan_dataset_sheet(const cgan_dataset *d, const char *path, int64_t cols,
                                uint64_t seed);

#ifdef __cplusplus
}
#endif
#endif /* CGAN_DATA_H */
