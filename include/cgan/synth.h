/*
 * libcgan synthetic microstructures with known ground truth.
 * Include <cgan.h>, not this file directly.
 *
 * Two generators, described with pictures in docs/synthetic-data.md:
 *
 *  - cgan_synth_alloy: micrographs of a hypo-eutectic two-phase alloy after
 *    hot compression (the paper's CoCrFeNiTa study, section 2): dark-grey
 *    primary grains in a lamellar black/white eutectic, flattened
 *    perpendicular to the (vertical) compression axis, coarser and less
 *    lamellar at high temperature, cracked at low temperature and high
 *    strain rate.  Every grain's pixels are known (a label map), so the
 *    measured grains can be compared with the true ones.
 *  - cgan_spinodal: a Cahn-Hilliard phase-field simulation (periodic,
 *    semi-implicit spectral, FFTW), the continuous-condition data set of the
 *    paper's section 4; cgan_synth_spinodal writes a grid of them.
 *
 * Grey-level contract of the alloy images (8-bit): primary grains ~90,
 * eutectic lamellae ~30 (dark) and ~220 (bright), cracks ~12; the eutectic's
 * local mean is ~140.  The grains are measured with a grey window around 90
 * (72..150) after a 3x3 binary opening, holes filled, edge grains excluded:
 * docs/analysis.md section 5, which recovers the true grains within 3 %.
 *
 * Everything is deterministic for a seed: the same seed gives the same bytes,
 * whatever the number of threads.
 */
#ifndef CGAN_SYNTH_H
#define CGAN_SYNTH_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ================================================================= alloy */
typedef struct cgan_synth_alloy cgan_synth_alloy;
/* One rendered micrograph with its ground truth. */
typedef struct cgan_synth_image cgan_synth_image;

/* Parameters of the alloy model (keys for cgan_synth_alloy_set_param).
 * Values are frozen; new keys are appended.  docs/synthetic-data.md gives
 * the formulas in which each enters. */
typedef enum cgan_synth_alloy_param {
    CGAN_SYNTH_ALLOY_WIDTH = 0,          /* image width, px (default 1024, 32..16384) */
    CGAN_SYNTH_ALLOY_HEIGHT = 1,         /* image height, px (default 768, 32..16384) */
    CGAN_SYNTH_ALLOY_UM_PER_PX = 2,      /* scale, um per pixel (default 0.078125: a
                                            128-px patch covers the paper's 100 um^2) */
    CGAN_SYNTH_ALLOY_COMPRESSION = 3,    /* height reduction of the test, 0..0.8 (0.5) */
    CGAN_SYNTH_ALLOY_SOAK_S = 4,         /* hold at temperature before the test, s (600) */
    CGAN_SYNTH_ALLOY_PRIMARY_FRACTION = 5, /* target area fraction of primary grains (0.36) */
    CGAN_SYNTH_ALLOY_Q_DIFFUSION = 6,    /* activation energy of coarsening, J/mol (120e3) */
    CGAN_SYNTH_ALLOY_Q_DEFORMATION = 7,  /* activation energy in Zener-Hollomon, J/mol (200e3) */
    CGAN_SYNTH_ALLOY_N_PARAMS = 8
} cgan_synth_alloy_param;

/* Model quantities at one condition (keys for cgan_synth_alloy_model). */
typedef enum cgan_synth_alloy_quantity {
    CGAN_SYNTH_Q_LAMELLA_PERIOD_PX = 0,  /* eutectic inter-lamellar spacing, px */
    CGAN_SYNTH_Q_SPHEROIDISATION = 1,    /* 0 lamellar .. 1 fully broken up */
    CGAN_SYNTH_Q_EFFECTIVE_STRAIN = 2,   /* true strain retained after recovery */
    CGAN_SYNTH_Q_GRAIN_DIAMETER_PX = 3,  /* mean equivalent diameter before flattening, px */
    CGAN_SYNTH_Q_CRACKS = 4,             /* microcracks per 1024x768 px field */
    CGAN_SYNTH_Q_LOG_ZENER = 5,          /* ln Z, Z = rate * exp(Q_def / (R T)) */
    CGAN_SYNTH_Q_GAP_PX = 6,             /* minimum eutectic gap between grains, px */
    CGAN_SYNTH_N_QUANTITIES = 7
} cgan_synth_alloy_quantity;

/* Columns of the grain table returned by cgan_synth_image_grains. */
typedef enum cgan_synth_grain_column {
    CGAN_SYNTH_GRAIN_X = 0,     /* centroid x, px (ImageJ: pixel centres at i + 0.5) */
    CGAN_SYNTH_GRAIN_Y = 1,     /* centroid y, px, y down */
    CGAN_SYNTH_GRAIN_MAJOR = 2, /* full major axis of ImageJ's fitted ellipse, px */
    CGAN_SYNTH_GRAIN_MINOR = 3, /* full minor axis, px */
    CGAN_SYNTH_GRAIN_ANGLE = 4, /* degrees in [0, 180), counter-clockwise from +x on screen */
    CGAN_SYNTH_GRAIN_AREA = 5,  /* pixel count */
    CGAN_SYNTH_GRAIN_EDGE = 6,  /* 1 if the grain touches the image border, else 0 */
    CGAN_SYNTH_GRAIN_COLUMNS = 7
} cgan_synth_grain_column;

/* Write flags for cgan_synth_alloy_write_dataset. */
#define CGAN_SYNTH_WRITE_LABELS 1u /* also labels/NAME.png: 16-bit grain index, 0 = matrix */

/* A generator with the default parameters and the paper's grid of
 * conditions: 800, 900, 1000, 1100 C x 0.001, 0.1 s^-1. */
CGAN_API int  cgan_synth_alloy_create(cgan_synth_alloy **out);
CGAN_API void cgan_synth_alloy_destroy(cgan_synth_alloy *g);

/* Set / get a parameter.  CGAN_EINVAL (naming the parameter and its range)
 * for an unknown key or a value out of range; g is unchanged then. */
CGAN_API int cgan_synth_alloy_set_param(cgan_synth_alloy *g, int key, double value);
CGAN_API int cgan_synth_alloy_get_param(const cgan_synth_alloy *g, int key, double *value);

/* The grid of conditions written by cgan_synth_alloy_write_dataset:
 * temperatures in C (each in 200..2000) and strain rates in s^-1 (each in
 * 1e-6..1e3), at least one of each, at most 64 of each.  Copied. */
CGAN_API int cgan_synth_alloy_set_conditions(cgan_synth_alloy *g, const double *temperatures_C,
                                             int n_temperatures, const double *strain_rates,
                                             int n_rates);

/* A model quantity (cgan_synth_alloy_quantity) at one condition, without
 * rendering.  Pure function of the parameters and the condition. */
CGAN_API int cgan_synth_alloy_model(const cgan_synth_alloy *g, double temperature_C,
                                    double strain_rate, int quantity, double *value);

/* Render one micrograph at a condition.  *out is a new image (destroy with
 * cgan_synth_image_destroy), a pure function of the parameters, the
 * condition and the seed.  Errors: CGAN_EINVAL (condition out of range),
 * CGAN_ENOMEM. */
CGAN_API int cgan_synth_alloy_render(const cgan_synth_alloy *g, double temperature_C,
                                     double strain_rate, uint64_t seed, cgan_synth_image **out);

/* Write a data set into dir (created if missing; files in it are replaced):
 * images/NAME.png (8-bit), masks/NAME.png for images with cracks (255 =
 * excluded), manifest.csv (path,um_per_px,mask,temperature_C,
 * strain_rate_per_s), truth.csv (one row per grain), images.csv (model
 * quantities and counts per image) and, with CGAN_SYNTH_WRITE_LABELS,
 * labels/NAME.png.  images_per_condition in 1..1000.  Images are made on
 * cgan_get_num_threads() threads; the bytes do not depend on that number.
 * Every file is written atomically.  Errors: CGAN_EINVAL, CGAN_EIO (naming
 * the file), CGAN_ENOMEM. */
CGAN_API int cgan_synth_alloy_write_dataset(const cgan_synth_alloy *g, const char *dir,
                                            int images_per_condition, uint64_t seed,
                                            uint32_t flags);

CGAN_API void cgan_synth_image_destroy(cgan_synth_image *m);
/* Borrowed views, valid until m is destroyed (NULL if m is NULL):
 *  image:  [1, 1, H, W], values v/255 for the 8-bit grey level v;
 *  labels: [1, 1, H, W], grain index 1..n for primary-grain pixels, 0 for
 *          the eutectic (and the cracks, which lie only in the eutectic);
 *  crack mask: [1, 1, H, W], 1 where data preparation must exclude pixels
 *          (the cracks and a safety band around them), else 0;
 *  grains: [n, CGAN_SYNTH_GRAIN_COLUMNS], row i-1 describes label i,
 *          measured on the label map as ImageJ would (closed-form fitted
 *          ellipse); NULL when the image has no grain. */
CGAN_API const cgan_tensor *cgan_synth_image_pixels(const cgan_synth_image *m);
CGAN_API const cgan_tensor *cgan_synth_image_labels(const cgan_synth_image *m);
CGAN_API const cgan_tensor *cgan_synth_image_crack_mask(const cgan_synth_image *m);
CGAN_API const cgan_tensor *cgan_synth_image_grains(const cgan_synth_image *m);
CGAN_API int64_t cgan_synth_image_grain_count(const cgan_synth_image *m);
/* Number of microcracks drawn (0 for most conditions). */
CGAN_API int cgan_synth_image_crack_count(const cgan_synth_image *m);

/* ============================================================== spinodal */
/* One Cahn-Hilliard simulation of an order parameter phi (-1: A-rich, +1:
 * B-rich) on an n x n periodic grid of unit spacing:
 *     d phi/dt = M lap(mu),   mu = phi^3 - phi - kappa lap(phi),
 * free energy F = sum over pixels of (phi^2 - 1)^2 / 4 + kappa/2 |grad phi|^2
 * (gradient spectral).  Time stepping is the linearly stabilised
 * semi-implicit spectral scheme (Shen & Yang): the discrete F never
 * increases for any step when S >= 1.5, and the mean of phi is conserved. */
typedef struct cgan_spinodal cgan_spinodal;

typedef enum cgan_spinodal_param {
    CGAN_SPINODAL_MOBILITY = 0,      /* M > 0 (default 1) */
    CGAN_SPINODAL_KAPPA = 1,         /* gradient energy kappa > 0, px^2 (default 1.5) */
    CGAN_SPINODAL_DT = 2,            /* largest time step > 0 (default 1) */
    CGAN_SPINODAL_STABILISER = 3,    /* S >= 0 (default 2) */
    CGAN_SPINODAL_N_PARAMS = 4
} cgan_spinodal_param;

/* A simulation on an n x n grid (n even, 8..4096) of mean composition x in
 * (0, 1) (phi mean = 2x - 1), at time 0 with phi = 2x - 1 plus uniform
 * noise of amplitude noise (0 .. 0.5) drawn from seed. */
CGAN_API int  cgan_spinodal_create(cgan_spinodal **out, int n, double composition, double noise,
                                   uint64_t seed);
CGAN_API void cgan_spinodal_destroy(cgan_spinodal *s);
/* Parameters may change between steps. */
CGAN_API int cgan_spinodal_set_param(cgan_spinodal *s, int key, double value);
CGAN_API int cgan_spinodal_get_param(const cgan_spinodal *s, int key, double *value);
/* Advance by exactly one step of dt (> 0). */
CGAN_API int cgan_spinodal_step(cgan_spinodal *s, double dt);
/* Advance with steps of at most the DT parameter until time t exactly
 * (t >= the current time).  CGAN_ENUMERIC if the field becomes non-finite. */
CGAN_API int    cgan_spinodal_run_until(cgan_spinodal *s, double t);
CGAN_API double cgan_spinodal_time(const cgan_spinodal *s);
/* Discrete free energy F and total composition sum((1 + phi) / 2). */
CGAN_API int cgan_spinodal_free_energy(const cgan_spinodal *s, double *energy);
CGAN_API int cgan_spinodal_mass(const cgan_spinodal *s, double *mass);
/* Copy phi into *out, a new [1, 1, n, n] tensor. */
CGAN_API int cgan_spinodal_field(const cgan_spinodal *s, cgan_tensor **out);

/* Ground truth of a two-phase field (any 2-D tensor [.., H, W], periodic):
 * the characteristic wavelength 2 pi / <k> in px, where <k> = sum k S(k) /
 * sum S(k) is the first moment of the structure factor S(k) = |FFT(field -
 * mean)|^2 over the modes 0 < |k| <= pi (equivalently, of the radially
 * averaged S(k) weighted by the modes per shell); exact for a single
 * Fourier mode.  phase_fraction = fraction of pixels above threshold.
 * Either output may be NULL.  CGAN_EINVAL for a constant field. */
CGAN_API int cgan_synth_structure(const cgan_tensor *field, double threshold, double *wavelength,
                                  double *phase_fraction);

/* A data set of spinodal micrographs over a grid of conditions. */
typedef struct cgan_synth_spinodal cgan_synth_spinodal;

typedef enum cgan_synth_spinodal_list {
    CGAN_SYNTH_SPINODAL_COMPOSITIONS = 0, /* mean composition x, each in 0.05..0.95 */
    CGAN_SYNTH_SPINODAL_TIMES = 1,        /* annealing times (snapshots), each > 0 */
    CGAN_SYNTH_SPINODAL_TEMPERATURES = 2  /* K, 300..3000; empty: no temperature column */
} cgan_synth_spinodal_list;

typedef enum cgan_synth_spinodal_param {
    CGAN_SYNTH_SPINODAL_SIZE = 0,        /* grid and image size, px (default 256) */
    CGAN_SYNTH_SPINODAL_RUNS = 1,        /* independent runs = images per condition (2) */
    CGAN_SYNTH_SPINODAL_UM_PER_PX = 2,   /* scale written to the manifest (0.005) */
    CGAN_SYNTH_SPINODAL_KAPPA = 3,       /* gradient energy at the reference T (1.5) */
    CGAN_SYNTH_SPINODAL_DT = 4,          /* largest time step (1) */
    CGAN_SYNTH_SPINODAL_T_REF = 5,       /* reference temperature, K (700) */
    CGAN_SYNTH_SPINODAL_Q_MOBILITY = 6,  /* activation energy of M, J/mol (60e3) */
    CGAN_SYNTH_SPINODAL_NOISE = 7,       /* initial noise amplitude (0.05) */
    CGAN_SYNTH_SPINODAL_N_PARAMS = 8
} cgan_synth_spinodal_param;

/* Defaults: compositions 0.30 .. 0.50 step 0.05, times 200, 400, 800, 1600,
 * 3200, no temperature. */
CGAN_API int  cgan_synth_spinodal_create(cgan_synth_spinodal **out);
CGAN_API void cgan_synth_spinodal_destroy(cgan_synth_spinodal *d);
CGAN_API int  cgan_synth_spinodal_set_param(cgan_synth_spinodal *d, int key, double value);
CGAN_API int  cgan_synth_spinodal_get_param(const cgan_synth_spinodal *d, int key,
                                            double *value);
/* Replace one list (copied; 0..256 values; only TEMPERATURES may be empty). */
CGAN_API int cgan_synth_spinodal_set_list(cgan_synth_spinodal *d, int list, const double *values,
                                          int n);
/* Mobility and kappa used at temperature T (K) (T <= 0: the reference). */
CGAN_API int cgan_synth_spinodal_material(const cgan_synth_spinodal *d, double temperature_K,
                                          double *mobility, double *kappa);
/* Run every (composition[, temperature]) x run and write a snapshot at
 * each time: images/NAME.png (8-bit, grey = (1 + phi) / 2), manifest.csv
 * (path,um_per_px,composition,time[,temperature]) and truth.csv
 * (image,composition,time[,temperature],run,phase_fraction,wavelength_px,
 * wavelength_um).  Runs are spread over cgan_get_num_threads() threads; the
 * bytes do not depend on that number. */
CGAN_API int cgan_synth_spinodal_write_dataset(const cgan_synth_spinodal *d, const char *dir,
                                               uint64_t seed);

#ifdef __cplusplus
}
#endif
#endif /* CGAN_SYNTH_H */
