/*
 * libcgan analysis: ImageJ-equivalent grain measurement of micrographs,
 * segmentation-free microstructure statistics, and the comparison of a real
 * and a generated image set per processing condition (the paper's section 3,
 * Figs. 3, 4, S-3), with CSV tables and SVG plots.
 * Include <cgan.h>, not this file directly.  docs/analysis.md explains what
 * is measured and how it maps to ImageJ 1.53t.
 *
 * Objects:
 *   cgan_analysis_opts  measurement and comparison settings (keyed setters)
 *   cgan_micrograph     the measurement of one image: particle table and
 *                       per-image features
 *   cgan_imageset       a list of (image path, condition, um per pixel)
 *   cgan_comparison     real vs generated, per condition
 * Thread safety: handles are not shared between threads while one of them
 * modifies them; distinct handles are independent.
 */
#ifndef CGAN_ANALYSIS_H
#define CGAN_ANALYSIS_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ============================================================== options */
typedef struct cgan_analysis_opts cgan_analysis_opts;

/* Which pixels form the measured phase.  Grey values are ImageJ's 8-bit
 * values 0..255 (see cgan_micrograph_analyze for the conversion). */
typedef enum cgan_phase {
    CGAN_PHASE_DARK   = 0, /* v <= level  (ImageJ setAutoThreshold("Default")) */
    CGAN_PHASE_BRIGHT = 1, /* v >= level+1 (ImageJ "Default dark") */
    CGAN_PHASE_WINDOW = 2  /* lo <= v <= hi, after optional Gaussian smoothing */
} cgan_phase;

/* Particles touching the image border. */
typedef enum cgan_edges {
    CGAN_EDGES_KEEP      = 0, /* ImageJ's default */
    CGAN_EDGES_EXCLUDE   = 1, /* ImageJ "exclude on edges": any border */
    CGAN_EDGES_GUNDERSEN = 2  /* unbiased counting frame: drop left/top only */
} cgan_edges;

/* How per-image values are combined into a per-condition mean. */
typedef enum cgan_aggregation {
    CGAN_AGG_POOLED = 0, /* particle-weighted: sum over all images, then divide */
    CGAN_AGG_IMAGE  = 1  /* mean of the per-image values */
} cgan_aggregation;

/* Keys for cgan_analysis_opts_set/get.  Values are doubles; integer options
 * must hold whole numbers.  Defaults reproduce ImageJ's Analyze Particles
 * with the "Default" auto-threshold and dark objects. */
typedef enum cgan_analysis_param {
    CGAN_ANALYSIS_PHASE         = 0,  /* cgan_phase; default DARK */
    CGAN_ANALYSIS_THRESHOLD     = 1,  /* -1 (default): ImageJ "Default" per image; 0..255 fixed level */
    CGAN_ANALYSIS_WINDOW_LO     = 2,  /* WINDOW phase: lower grey value (default 0) */
    CGAN_ANALYSIS_WINDOW_HI     = 3,  /* WINDOW phase: upper grey value (default 255) */
    CGAN_ANALYSIS_SMOOTH_SIGMA  = 4,  /* Gaussian pre-smoothing in px, 0 = none (default) */
    CGAN_ANALYSIS_EDGES         = 5,  /* cgan_edges; default KEEP */
    CGAN_ANALYSIS_INCLUDE_HOLES = 6,  /* 0 (default) or 1 */
    CGAN_ANALYSIS_MIN_SIZE      = 7,  /* px, default 0 */
    CGAN_ANALYSIS_MAX_SIZE      = 8,  /* px, 0 = no limit (default) */
    CGAN_ANALYSIS_UM_PER_PX     = 9,  /* scale; 0 = uncalibrated, lengths in px (default) */
    CGAN_ANALYSIS_S2_RADIUS     = 10, /* two-point correlation radius in px, default 32 */
    CGAN_ANALYSIS_SPECKLE_SIZE  = 11, /* particles below this many px count as speckle; default 4 */
    CGAN_ANALYSIS_AGGREGATION   = 12, /* cgan_aggregation; default POOLED */
    CGAN_ANALYSIS_BOOTSTRAP     = 13, /* repetitions for noise floor and CIs, default 200 (0 = off) */
    CGAN_ANALYSIS_SEED          = 14, /* seed of the noise-floor / bootstrap generator, default 1 */
    CGAN_ANALYSIS_OPEN_RADIUS   = 15  /* binary opening of the phase with a (2r+1)^2 square before
                                         particles are found, r in px (0 = none, default; max 64);
                                         ImageJ Binary > Open with iterations = r, count = 1 */
} cgan_analysis_param;

/* New settings with the defaults above.  Free with cgan_analysis_opts_destroy. */
CGAN_API int  cgan_analysis_opts_create(cgan_analysis_opts **out);
CGAN_API void cgan_analysis_opts_destroy(cgan_analysis_opts *o);
/* Errors: CGAN_EINVAL for an unknown key or a value out of range (message
 * names the key and the allowed range); the setting is then unchanged. */
CGAN_API int  cgan_analysis_opts_set(cgan_analysis_opts *o, cgan_analysis_param key, double value);
CGAN_API int  cgan_analysis_opts_get(const cgan_analysis_opts *o, cgan_analysis_param key,
                                     double *value);

/* ImageJ 1.53t "Default" threshold (IJ_IsoData variant) of a 256-bin
 * histogram: writes the level; dark objects are 0..level, bright objects
 * level+1..255.  A histogram with nothing between bins 1 and 254 gives 128. */
CGAN_API int cgan_threshold_ij_default(const int64_t hist[256], int *level);

/* =========================================================== micrograph */
typedef struct cgan_micrograph cgan_micrograph;

/* Per-particle columns, as ImageJ names them (plus ECD).  Lengths are in um
 * and areas in um^2 when CGAN_ANALYSIS_UM_PER_PX > 0, else in px. */
typedef enum cgan_particle_col {
    CGAN_COL_AREA  = 0, /* "Area" */
    CGAN_COL_X     = 1, /* "X" centroid */
    CGAN_COL_Y     = 2, /* "Y" centroid (y down) */
    CGAN_COL_PERIM = 3, /* "Perim." ImageJ traced perimeter */
    CGAN_COL_MAJOR = 4, /* "Major" full axis of the area-preserving ellipse */
    CGAN_COL_MINOR = 5, /* "Minor" */
    CGAN_COL_ANGLE = 6, /* "Angle" degrees in [0,180), counter-clockwise on screen */
    CGAN_COL_CIRC  = 7, /* "Circ." 4 pi Area / Perim^2, at most 1 */
    CGAN_COL_AR    = 8, /* "AR" Major/Minor */
    CGAN_COL_ECD   = 9, /* equivalent circle diameter 2 sqrt(Area/pi) */
    CGAN_COL_COUNT_ = 10
} cgan_particle_col;

/* Per-image features (cgan_micrograph_feature) and per-condition means
 * (cgan_comparison_mean).  Units follow CGAN_ANALYSIS_UM_PER_PX. */
typedef enum cgan_feature {
    CGAN_FEATURE_COUNT              = 0,  /* particles counted */
    CGAN_FEATURE_MEAN_AREA          = 1,  /* sum Area / count ("Average Size") */
    CGAN_FEATURE_DENSITY            = 2,  /* count / image area (per um^2 or px^2) */
    CGAN_FEATURE_MEAN_AR            = 3,  /* mean of AR */
    CGAN_FEATURE_AREA_FRACTION      = 4,  /* sum Area / image area (ImageJ %Area / 100) */
    CGAN_FEATURE_PHASE_FRACTION     = 5,  /* thresholded pixels / all pixels (before particle filters) */
    CGAN_FEATURE_SPECIFIC_PERIMETER = 6,  /* interface length per area, pi/4 * 4-neighbour phase changes (1/um or 1/px) */
    CGAN_FEATURE_CHORD_X            = 7,  /* mean chord (intercept) length along x, border chords dropped */
    CGAN_FEATURE_CHORD_Y            = 8,  /* mean chord length along y */
    CGAN_FEATURE_EULER              = 9,  /* Euler number of the phase (8-connected): components - holes */
    CGAN_FEATURE_SPECKLE            = 10, /* counted particles smaller than CGAN_ANALYSIS_SPECKLE_SIZE px */
    CGAN_FEATURE_MEAN_ECD           = 11, /* mean equivalent circle diameter */
    CGAN_FEATURE_THRESHOLD_LO       = 12, /* lower grey value of the phase */
    CGAN_FEATURE_THRESHOLD_HI       = 13, /* upper grey value of the phase */
    CGAN_FEATURE_TOTAL_AREA         = 14, /* sum of Area */
    CGAN_FEATURE_COUNT_             = 15
} cgan_feature;

/* Measure one image.  img is [H,W], [1,H,W] or [1,1,H,W] with values in
 * [0,1] as cgan_image_read gives them.  bits says how they become ImageJ's
 * 8-bit grey values: 8 (or 0): v -> round(v*255); 16: v -> round(v*65535),
 * then scaled from the image's min..max into 0..255 as ImageJ's 8-bit
 * conversion does.  Generated images in [-1,1] must be mapped to [0,1]
 * first.  Errors: CGAN_EINVAL (NULL, bits, values outside [0,1], an empty
 * window), CGAN_ESHAPE (not one image, or smaller than 2x2), CGAN_ENOMEM.
 * Ownership: *out is new; opts and img are only read during the call. */
CGAN_API int  cgan_micrograph_analyze(cgan_micrograph **out, const cgan_tensor *img, int bits,
                                      const cgan_analysis_opts *opts);
/* The same, leaving out the pixels where mask (same H x W as img, any of
 * the shapes above; NULL = none) is non-zero, e.g. cracks, pores from
 * polishing, a scale bar.  An excluded pixel is never in the phase, and is
 * not counted in the image area (density, area and phase fractions and the
 * specific perimeter are per usable area), in the auto-threshold histogram
 * or in the 16-bit display range; an excluded region cuts particles,
 * chords and S2 pairs as the image border does (a particle with an
 * excluded pixel directly left of or above one of its pixels touches a
 * left/top edge, directly right or below a right/bottom edge, for
 * CGAN_EDGES_EXCLUDE and _GUNDERSEN; S2 is normalised by the usable pixel
 * pairs).  So masking everything outside a rectangle measures exactly what
 * cropping to it does, except that Gaussian smoothing still sees the
 * excluded pixels.  Errors: as cgan_micrograph_analyze; CGAN_ESHAPE for a
 * mask of another size, CGAN_EINVAL when it excludes every pixel. */
CGAN_API int  cgan_micrograph_analyze_masked(cgan_micrograph **out, const cgan_tensor *img,
                                             int bits, const cgan_tensor *mask,
                                             const cgan_analysis_opts *opts);
CGAN_API void cgan_micrograph_destroy(cgan_micrograph *m);

/* Number of particles counted (after the edge and size filters), in
 * ImageJ's order (raster order of each particle's first pixel). */
CGAN_API int64_t cgan_micrograph_count(const cgan_micrograph *m);
/* Copy one column into dst (n must be >= the particle count). */
CGAN_API int cgan_micrograph_column(const cgan_micrograph *m, cgan_particle_col col, double *dst,
                                    int64_t n);
CGAN_API int cgan_micrograph_feature(const cgan_micrograph *m, cgan_feature f, double *value);
/* Radially averaged, non-periodic two-point correlation S2(r) of the phase
 * for r = 0..R px, R = cgan_micrograph_s2_radius(m) = min(CGAN_ANALYSIS_S2_RADIUS,
 * W-1, H-1); n must be R+1.  Each shift r is normalised by its number of
 * valid pixel pairs, then averaged over the ring round(|r|) = k; S2(0) is
 * the phase fraction. */
CGAN_API int cgan_micrograph_s2(const cgan_micrograph *m, double *dst, int n);
CGAN_API int cgan_micrograph_s2_radius(const cgan_micrograph *m);
/* Chord lengths along axis 0 (x, rows) or 1 (y, columns), border chords
 * dropped, in um or px.  Writes min(n, available) values to dst (dst may be
 * NULL with n = 0) and the number available to *count. */
CGAN_API int cgan_micrograph_chords(const cgan_micrograph *m, int axis, double *dst, int64_t n,
                                    int64_t *count);
/* The binary phase image (1 = phase) as a new [1,1,H,W] tensor. */
CGAN_API int cgan_micrograph_mask(const cgan_micrograph *m, cgan_tensor **out);

/* Write ImageJ-style CSV tables for n measured images, atomically.
 * Particles: columns Image,Area,X,Y,Perim.,Major,Minor,Angle,Circ.,AR (one
 * row per particle, images in the given order).  Summary: one row per image
 * with every cgan_feature.  names[i] labels image i.  Errors: CGAN_EINVAL,
 * CGAN_EIO (with the path). */
CGAN_API int cgan_micrograph_write_particles_csv(const char *path, const cgan_micrograph *const *ms,
                                                 const char *const *names, int n);
CGAN_API int cgan_micrograph_write_summary_csv(const char *path, const cgan_micrograph *const *ms,
                                               const char *const *names, int n);

/* ================================================================ stats */
/* Two-sample Kolmogorov-Smirnov statistic D = sup|F_a - F_b| (equals
 * scipy.stats.ks_2samp(a, b).statistic) and an asymptotic two-sided p-value
 * (p may be NULL): Kolmogorov's Q((sqrt(ne) + 0.12 + 0.11/sqrt(ne)) D) with
 * ne = na nb/(na + nb).  Particles of one image are not independent, so
 * read p as descriptive.  Errors: CGAN_EINVAL when a sample is empty or
 * holds NaN. */
CGAN_API int cgan_stats_ks(const double *a, int64_t na, const double *b, int64_t nb, double *d,
                           double *p);
/* 1-D Wasserstein-1 distance between the empirical distributions
 * (= scipy.stats.wasserstein_distance(a, b)). */
CGAN_API int cgan_stats_wasserstein1(const double *a, int64_t na, const double *b, int64_t nb,
                                     double *w);
/* Counts on fixed bins: counts has nedges+1 entries; counts[0] holds
 * x < edges[0], counts[k] holds edges[k-1] <= x < edges[k], counts[nedges]
 * holds x >= edges[nedges-1] (overflow).  edges must increase. */
CGAN_API int cgan_stats_histogram(const double *x, int64_t n, const double *edges, int nedges,
                                  int64_t *counts);

/* ============================================================= imageset */
typedef struct cgan_imageset cgan_imageset;

CGAN_API int  cgan_imageset_create(cgan_imageset **out);
CGAN_API void cgan_imageset_destroy(cgan_imageset *s);
/* Add one image: its path, the name of its processing condition, and its
 * scale (0 = use CGAN_ANALYSIS_UM_PER_PX).  Strings are copied.  This is
 * the seam for manifest readers: one call per manifest row. */
CGAN_API int  cgan_imageset_add(cgan_imageset *s, const char *path, const char *condition,
                                double um_per_px);
/* Add every image (.png .pgm .tif .tiff .jpg .bmp) in DIR/<condition>/,
 * one condition per sub-directory, in name order.  Errors: CGAN_EIO when
 * dir cannot be read; CGAN_EINVAL when it holds no images. */
CGAN_API int  cgan_imageset_add_dir(cgan_imageset *s, const char *dir, double um_per_px);
/* Add every row of a data manifest (docs/data.md: path, um_per_px,
 * optional roi and mask, condition columns).  Each image is measured on
 * its roi (a crop, x:y:w:h) with its mask's non-zero pixels excluded as in
 * cgan_micrograph_analyze_masked (the mask is cropped with the image), at
 * the row's um_per_px.  Its condition is the row's condition name in
 * directory form, cgan_condition_dirname(cgan_manifest_condition_name()),
 * so a manifest of real images compares with generated images in
 * DIR/<condition dirname>/.  Nothing is added on an error.  Errors: those
 * of cgan_manifest_load (CGAN_EIO, CGAN_EFORMAT naming the manifest line,
 * e.g. a missing image or mask file); a roi outside its image or a mask of
 * another size is reported by cgan_comparison_run, naming the file. */
CGAN_API int  cgan_imageset_add_manifest(cgan_imageset *s, const char *manifest_path);
CGAN_API int64_t cgan_imageset_count(const cgan_imageset *s);

/* =========================================================== comparison */
typedef struct cgan_comparison cgan_comparison;

typedef enum cgan_set { CGAN_SET_REAL = 0, CGAN_SET_GENERATED = 1 } cgan_set;

/* Per-particle and per-chord samples compared as distributions. */
typedef enum cgan_sample {
    CGAN_SAMPLE_AREA    = 0,
    CGAN_SAMPLE_ECD     = 1,
    CGAN_SAMPLE_AR      = 2,
    CGAN_SAMPLE_CHORD_X = 3,
    CGAN_SAMPLE_CHORD_Y = 4,
    CGAN_SAMPLE_COUNT_  = 5
} cgan_sample;

typedef enum cgan_distance { CGAN_DIST_KS = 0, CGAN_DIST_W1 = 1 } cgan_distance;

/* Measure every image of both sets with opts and compare per condition
 * (conditions are matched by name; a condition present in only one set is
 * an error).  Noise floor: the real images of each condition are split
 * into random halves CGAN_ANALYSIS_BOOTSTRAP times (seeded); bootstrap CIs
 * resample images with replacement.  Errors: CGAN_EINVAL (empty set,
 * unmatched condition), CGAN_EIO / CGAN_EFORMAT naming the unreadable
 * image. */
CGAN_API int  cgan_comparison_run(cgan_comparison **out, const cgan_imageset *real,
                                  const cgan_imageset *generated, const cgan_analysis_opts *opts);
CGAN_API void cgan_comparison_destroy(cgan_comparison *c);

CGAN_API int  cgan_comparison_n_conditions(const cgan_comparison *c);
/* Borrowed name, valid until c is destroyed; NULL if i is out of range. */
CGAN_API const char *cgan_comparison_condition(const cgan_comparison *c, int i);
/* Per-condition mean of a feature (aggregation per CGAN_ANALYSIS_AGGREGATION). */
CGAN_API int cgan_comparison_mean(const cgan_comparison *c, int cond, cgan_set set,
                                  cgan_feature f, double *value);
/* 100 (gen - real)/|real| for one condition, with a bootstrap 95% interval
 * (lo/hi may be NULL; NaN when bootstrapping is off). */
CGAN_API int cgan_comparison_deviation(const cgan_comparison *c, int cond, cgan_feature f,
                                       double *pct, double *lo, double *hi);
/* Mean absolute percentage deviation over conditions (Fig. 3d), and the
 * real-vs-real floor: the mean over random halvings of the same quantity
 * (floor may be NULL). */
CGAN_API int cgan_comparison_mapd(const cgan_comparison *c, cgan_feature f, double *mapd,
                                  double *floor);
/* KS D or W1 between the pooled samples of one condition, and the
 * real-vs-real floor (mean over random halvings; may be NULL). */
CGAN_API int cgan_comparison_distance(const cgan_comparison *c, int cond, cgan_sample s,
                                      cgan_distance d, double *value, double *floor);
/* Write the report into dir (created if missing): means.csv,
 * deviations.csv, distances.csv, histograms.csv, s2.csv, images.csv,
 * recognition.csv, confusion.csv, recognition_images.csv, settings.csv and
 * the plots scatter_size.svg, scatter_density.svg, scatter_ar.svg,
 * deviations.svg, dist_area.svg, dist_ar.svg, confusion.svg.  Every file is
 * written atomically. */
CGAN_API int cgan_comparison_write_report(const cgan_comparison *c, const char *dir);

/* ==================================================== grey-level texture */
/* Normalised autocovariance of the grey values, radially averaged:
 * rho[r-1] = sum (g(x) - m)(g(x+d) - m) / (pairs * var) over every pair of
 * pixels whose separation |d| rounds to r (r = 1..max_lag; both pixels not
 * excluded, within the image: no wrap-around), m and var the mean and
 * population variance of the pixels not excluded.  rho is 1 at r = 0 and
 * falls with distance; a lamellar texture gives a minimum near half its
 * period.  img: [H,W], [1,H,W] or [1,1,H,W], any grey scale (rho does not
 * depend on it); exclude: NULL or a mask of the image's size, nonzero =
 * excluded.  A constant image gives NaN.  Errors: CGAN_EINVAL (NULL,
 * max_lag not in 1..64 or not below the width and height), CGAN_ESHAPE,
 * CGAN_ENOMEM. */
CGAN_API int cgan_grey_autocorrelation(const cgan_tensor *img, const cgan_tensor *exclude,
                                       int max_lag, double *rho);

/* ================================================ condition recognition */
/* The paper's qualitative claim (Fig. 2 vs Fig. S-5) made measurable: can a
 * generated image's processing condition be recognised from its measured
 * microstructure?  A nearest-centroid classifier on feature vectors, each
 * feature standardised with the training (real) set's mean and standard
 * deviation so that units do not matter.  docs/analysis.md section 8. */

/* Assign each of the n rows of x (n x d, row-major) to the class whose
 * centroid of the standardised training rows (ntrain x d, labels in
 * 0..nclasses-1) is nearest in Euclidean distance; assigned[i] gets the
 * class.  Standardisation: per feature, the training rows' mean and
 * (population) standard deviation; a feature that is constant in the
 * training set is ignored; a NaN entry (e.g. mean aspect ratio of an image
 * without particles) counts as the training mean.  A class without
 * training rows has no centroid and is never assigned.  Ties go to the
 * lower class index.  Errors: CGAN_EINVAL (NULL, n, d or nclasses < 1, a
 * label out of range, no training rows). */
CGAN_API int cgan_recognition_classify(const double *train, const int *labels, int64_t ntrain,
                                       int d, int nclasses, const double *x, int64_t n,
                                       int *assigned);
/* Leave-one-out on the training set itself: each row is assigned with
 * centroids computed without it (the standardisation uses every row).  A
 * row that is the only one of its class cannot be assigned to it.  The
 * real-vs-real baseline of the recognition accuracy.  Errors: as above. */
CGAN_API int cgan_recognition_loo(const double *train, const int *labels, int64_t ntrain, int d,
                                  int nclasses, int *assigned);

/* The per-image features the comparison recognises conditions from, in
 * this order: MeanArea, Density, MeanAR, PhaseFraction, CorrelationLength
 * (the r where the normalised two-point correlation (S2(r)-p^2)/(p-p^2)
 * first falls to 1/e, linearly interpolated, in um or px; the S2 radius
 * when it never does; NaN for p = 0 or 1), ChordX, ChordY, then the grey
 * texture GreyCorr1 .. GreyCorr8 (cgan_grey_autocorrelation at lags 1..8
 * px of the image as measured, mask pixels excluded). */
#define CGAN_RECOGNITION_TEXTURE_LAGS 8
#define CGAN_RECOGNITION_N_FEATURES (7 + CGAN_RECOGNITION_TEXTURE_LAGS)
/* Name of recognition feature i (static string), NULL out of range. */
CGAN_API const char *cgan_recognition_feature_name(int i);

/* Recognition results of a comparison (computed by cgan_comparison_run).
 * set GENERATED: each generated image assigned to the nearest centroid of
 * the real images' conditions.  set REAL: leave-one-out on the real images,
 * the real-vs-real baseline that says how recognisable the conditions are
 * at all.  accuracy (may be NULL) is correct / images; confusion (may be
 * NULL) receives ncond x ncond counts, row = true condition, column =
 * assigned condition, in cgan_comparison_condition order. */
CGAN_API int cgan_comparison_recognition(const cgan_comparison *c, cgan_set set, double *accuracy,
                                         int64_t *confusion);
/* The condition image i of a set (in the set's order) was assigned to, or
 * -1 when i is out of range. */
CGAN_API int cgan_comparison_assigned(const cgan_comparison *c, cgan_set set, int64_t i);
/* The recognition feature vector of image i of a set (in the set's order),
 * CGAN_RECOGNITION_N_FEATURES values, unstandardised.  Errors: CGAN_EINVAL
 * (NULL, set or i out of range). */
CGAN_API int cgan_comparison_recognition_vector(const cgan_comparison *c, cgan_set set, int64_t i,
                                                double *v);

#ifdef __cplusplus
}
#endif
#endif /* CGAN_ANALYSIS_H */
