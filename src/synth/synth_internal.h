/* Private pieces of the synthetic-microstructure module (src/synth). */
#ifndef CGAN_SYNTH_INTERNAL_H
#define CGAN_SYNTH_INTERNAL_H

#include "../core/internal.h"

#include <stdint.h>
#include <stdlib.h>

/* ------------------------------------------------------------ alloy model */
/* Grey levels of the contract in include/cgan/synth.h (8-bit). */
#define SYNTH_GREY_GRAIN 90.0
#define SYNTH_GREY_DARK 30.0
#define SYNTH_GREY_BRIGHT 220.0
#define SYNTH_GREY_CRACK 12.0
/* Area fraction of the dark lamellae in the eutectic. */
#define SYNTH_DARK_FRACTION 0.42

struct cgan_synth_alloy {
    double p[CGAN_SYNTH_ALLOY_N_PARAMS];
    double *temps; /* C */
    double *rates; /* s^-1 */
    int n_temps, n_rates;
};

/* Everything the renderer needs at one condition (alloy_model.c). */
typedef struct synth_alloy_cond {
    double period_px;        /* lamella spacing */
    double spheroid;         /* 0..1 */
    double eff_strain;       /* retained true strain */
    double grain_d_px;       /* mean equivalent diameter before flattening */
    double cracks_per_field; /* per 1024x768 px */
    double log_zener;
    double gap_px;           /* minimum eutectic gap between grains */
} synth_alloy_cond;

int cgan__synth_alloy_cond(const cgan_synth_alloy *g, double temperature_C, double rate,
                           synth_alloy_cond *c);

struct cgan_synth_image {
    cgan_tensor *pixels, *labels, *mask, *grains;
    int64_t n_grains;
    int n_cracks;
};

/* A 2-D int label map (0 = matrix) with its grain count. */
typedef struct synth_labels {
    int w, h;
    int32_t *lab;
    int n;
} synth_labels;

/* Place non-overlapping primary grains (alloy_grains.c).  lab must be
 * zeroed w*h; fills it and returns the grain count in *n. */
int cgan__synth_place_grains(const synth_alloy_cond *c, double primary_fraction, cgan_rng *rng,
                             int w, int h, int32_t *lab, int *n);

/* Eutectic grey levels for every pixel (alloy_eutectic.c): lamellar
 * colonies blended with a globular texture by c->spheroid.  out is w*h. */
int cgan__synth_eutectic(const synth_alloy_cond *c, cgan_rng *rng, int w, int h, float *out);

/* Microcracks through the eutectic (alloy_cracks.c): sets crack[] to 1 on
 * crack pixels (never on grain pixels or next to them) and mask[] to 1 on
 * the cracks and their safety band.  Returns the number drawn in *n. */
int cgan__synth_cracks(const synth_alloy_cond *c, cgan_rng *rng, int w, int h,
                       const int32_t *lab, uint8_t *crack, uint8_t *mask, int *n);

/* ImageJ's fitted-ellipse measurement of every label 1..n (grain_moments.c):
 * rows of CGAN_SYNTH_GRAIN_COLUMNS doubles. */
int cgan__synth_measure_labels(const int32_t *lab, int w, int h, int n, double *rows);

/* ------------------------------------------------------------- fields */
/* Gaussian random fields made by filtering white noise in Fourier space
 * (noise_field.c).  Periodic in w and h, zero mean, unit variance.
 * LOWPASS: spectrum exp(-k^2 len^2 / 2) (correlation length len px).
 * BAND: spectrum exp(-(|k| - 2 pi / len)^2 / (2 (width 2 pi / len)^2)),
 * a texture of characteristic wavelength len px. */
enum { SYNTH_FIELD_LOWPASS = 0, SYNTH_FIELD_BAND = 1 };
int cgan__synth_random_field(cgan_rng *rng, int w, int h, int kind, double len, double width,
                             float *out);
/* Separable Gaussian blur in place (clamped borders). */
int cgan__synth_blur(float *img, int w, int h, double sigma);

/* Serialise FFTW planning (the planner is not thread-safe). */
void cgan__synth_fftw_lock(void);
void cgan__synth_fftw_unlock(void);

/* Seed of an independent stream for (seed, a, b): a splitmix64 hash. */
uint64_t cgan__synth_seed(uint64_t seed, uint64_t a, uint64_t b);

/* Radially averaged structure factor wavelength of a periodic w x h field
 * (structure.c); fails on a constant field. */
int cgan__synth_wavelength(const double *f, int w, int h, double *wavelength);

/* Run fn(i, user) for i in [0, n) on up to nthreads threads (the caller is
 * one of them); after a failure no new index starts, and the failure's status
 * and message are passed to the calling thread (synth_util.c). */
int cgan__synth_parallel(int n, int nthreads, int (*fn)(int i, void *user), void *user);

/* mkdir -p: creates the missing parents too; ok if it exists. */
int cgan__synth_mkdir(const char *path);

#endif
