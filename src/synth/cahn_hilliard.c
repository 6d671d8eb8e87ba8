/* Cahn-Hilliard spinodal decomposition on a periodic grid, linearly
 * stabilised semi-implicit Fourier-spectral scheme (Shen & Yang 2010):
 *
 *   (phi' - phi)/dt = M lap(mu'),  mu' = f'(phi) + S (phi' - phi) - kappa lap(phi')
 *   => phi'^(k) (1 + dt M k^2 (kappa k^2 + S)) = phi^(k) (1 + dt M k^2 S) - dt M k^2 f'(phi)^(k)
 *
 * with f(phi) = (phi^2 - 1)^2 / 4.  The state is kept in Fourier space, so
 * the k = 0 mode (the mass) is carried over untouched; for S >= max|f''|/2
 * the discrete energy cannot increase whatever dt is. */
#include "synth_internal.h"

#include <fftw3.h>
#include <math.h>
#include <string.h>

struct cgan_spinodal {
    int n, nc;           /* grid n x n, spectrum n x nc with nc = n/2 + 1 */
    double param[CGAN_SPINODAL_N_PARAMS];
    double time;
    double *phi;         /* real field, in sync with hat */
    double *work;        /* f'(phi) */
    fftw_complex *hat;   /* state: spectrum of phi */
    fftw_complex *ghat;  /* spectrum of f'(phi) */
    double *k2;          /* |k|^2 per spectral index */
    fftw_plan fwd_g, inv_phi, fwd_phi;
};

static const struct {
    const char *name;
    double lo, hi, def;
} sp_params[CGAN_SPINODAL_N_PARAMS] = {
    {"MOBILITY", 1e-9, 1e9, 1.0},
    {"KAPPA", 1e-6, 1e6, 1.5},
    {"DT", 1e-9, 1e9, 1.0},
    {"STABILISER", 0.0, 1e9, 2.0},
};

void cgan_spinodal_destroy(cgan_spinodal *s) {
    if (s == NULL) return;
    cgan__synth_fftw_lock();
    if (s->fwd_g) fftw_destroy_plan(s->fwd_g);
    if (s->inv_phi) fftw_destroy_plan(s->inv_phi);
    if (s->fwd_phi) fftw_destroy_plan(s->fwd_phi);
    cgan__synth_fftw_unlock();
    fftw_free(s->phi);
    fftw_free(s->work);
    fftw_free(s->hat);
    fftw_free(s->ghat);
    free(s->k2);
    free(s);
}

/* phi from hat (c2r destroys its input, so go through ghat). */
static void sync_real(cgan_spinodal *s) {
    size_t ns = (size_t)s->n * s->nc, nr = (size_t)s->n * s->n;
    double inv = 1.0 / (double)nr;
    memcpy(s->ghat, s->hat, sizeof(fftw_complex) * ns);
    fftw_execute_dft_c2r(s->inv_phi, s->ghat, s->phi);
    for (size_t i = 0; i < nr; i++) s->phi[i] *= inv;
}

int cgan_spinodal_create(cgan_spinodal **out, int n, double composition, double noise,
                         uint64_t seed) {
    cgan_spinodal *s;
    cgan_rng *rng = NULL;
    size_t nr, ns;
    double mean = 0.0, target;
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    if (n < 8 || n > 4096 || n % 2)
        return cgan__error(CGAN_EINVAL, "cgan_spinodal_create: n = %d must be even, 8..4096", n);
    if (!(composition > 0.0 && composition < 1.0))
        return cgan__error(CGAN_EINVAL, "cgan_spinodal_create: composition %g is not in (0, 1)",
                           composition);
    if (!(noise >= 0.0 && noise <= 0.5))
        return cgan__error(CGAN_EINVAL, "cgan_spinodal_create: noise %g is not in [0, 0.5]",
                           noise);
    s = calloc(1, sizeof *s);
    if (s == NULL) return cgan__error(CGAN_ENOMEM, "cgan_spinodal_create: out of memory");
    s->n = n;
    s->nc = n / 2 + 1;
    nr = (size_t)n * n;
    ns = (size_t)n * s->nc;
    for (int i = 0; i < CGAN_SPINODAL_N_PARAMS; i++) s->param[i] = sp_params[i].def;
    s->phi = fftw_malloc(sizeof(double) * nr);
    s->work = fftw_malloc(sizeof(double) * nr);
    s->hat = fftw_malloc(sizeof(fftw_complex) * ns);
    s->ghat = fftw_malloc(sizeof(fftw_complex) * ns);
    s->k2 = malloc(sizeof(double) * ns);
    if (!s->phi || !s->work || !s->hat || !s->ghat || !s->k2 || cgan_rng_create(&rng, seed)) {
        cgan_spinodal_destroy(s);
        return cgan__error(CGAN_ENOMEM, "cgan_spinodal_create: out of memory (n = %d)", n);
    }
    cgan__synth_fftw_lock();
    s->fwd_g = fftw_plan_dft_r2c_2d(n, n, s->work, s->ghat, FFTW_ESTIMATE);
    s->fwd_phi = fftw_plan_dft_r2c_2d(n, n, s->phi, s->hat, FFTW_ESTIMATE);
    s->inv_phi = fftw_plan_dft_c2r_2d(n, n, s->ghat, s->phi, FFTW_ESTIMATE);
    cgan__synth_fftw_unlock();
    if (!s->fwd_g || !s->fwd_phi || !s->inv_phi) {
        cgan_rng_destroy(rng);
        cgan_spinodal_destroy(s);
        return cgan__error(CGAN_EINTERNAL, "cgan_spinodal_create: FFTW planning failed");
    }
    for (int j = 0; j < n; j++) {
        double ky = 2.0 * M_PI * (j <= n / 2 ? j : j - n) / n;
        for (int i = 0; i < s->nc; i++) {
            double kx = 2.0 * M_PI * i / n;
            s->k2[(size_t)j * s->nc + i] = kx * kx + ky * ky;
        }
    }
    /* Uniform noise with its own mean removed: the mean is exactly 2x - 1. */
    target = 2.0 * composition - 1.0;
    for (size_t i = 0; i < nr; i++) mean += s->phi[i] = noise * (2.0 * cgan_rng_uniform(rng) - 1.0);
    mean /= (double)nr;
    for (size_t i = 0; i < nr; i++) s->phi[i] += target - mean;
    cgan_rng_destroy(rng);
    fftw_execute(s->fwd_phi);
    sync_real(s);
    *out = s;
    return CGAN_OK;
}

int cgan_spinodal_set_param(cgan_spinodal *s, int key, double value) {
    CGAN__CHECK_NOT_NULL(s, "simulation");
    if (key < 0 || key >= CGAN_SPINODAL_N_PARAMS)
        return cgan__error(CGAN_EINVAL, "cgan_spinodal_set_param: unknown key %d", key);
    if (!(value >= sp_params[key].lo && value <= sp_params[key].hi))
        return cgan__error(CGAN_EINVAL, "cgan_spinodal_set_param: %s = %g is not in [%g, %g]",
                           sp_params[key].name, value, sp_params[key].lo, sp_params[key].hi);
    s->param[key] = value;
    return CGAN_OK;
}

int cgan_spinodal_get_param(const cgan_spinodal *s, int key, double *value) {
    CGAN__CHECK_NOT_NULL(s, "simulation");
    CGAN__CHECK_NOT_NULL(value, "value");
    if (key < 0 || key >= CGAN_SPINODAL_N_PARAMS)
        return cgan__error(CGAN_EINVAL, "cgan_spinodal_get_param: unknown key %d", key);
    *value = s->param[key];
    return CGAN_OK;
}

int cgan_spinodal_step(cgan_spinodal *s, double dt) {
    size_t nr, ns;
    double m, kappa, st;
    CGAN__CHECK_NOT_NULL(s, "simulation");
    if (!(dt > 0.0 && dt < 1e12))
        return cgan__error(CGAN_EINVAL, "cgan_spinodal_step: dt = %g must be > 0", dt);
    nr = (size_t)s->n * s->n;
    ns = (size_t)s->n * s->nc;
    m = s->param[CGAN_SPINODAL_MOBILITY];
    kappa = s->param[CGAN_SPINODAL_KAPPA];
    st = s->param[CGAN_SPINODAL_STABILISER];
    for (size_t i = 0; i < nr; i++) {
        double p = s->phi[i];
        s->work[i] = p * p * p - p;
    }
    fftw_execute(s->fwd_g);
    for (size_t i = 0; i < ns; i++) {
        double a = dt * m * s->k2[i];
        double num = 1.0 + a * st, den = 1.0 + a * (kappa * s->k2[i] + st);
        s->hat[i][0] = (s->hat[i][0] * num - a * s->ghat[i][0]) / den;
        s->hat[i][1] = (s->hat[i][1] * num - a * s->ghat[i][1]) / den;
    }
    sync_real(s);
    s->time += dt;
    for (size_t i = 0; i < nr; i += 97) /* a sparse finiteness probe */
        if (!isfinite(s->phi[i]))
            return cgan__error(CGAN_ENUMERIC, "cgan_spinodal_step: the field became non-finite "
                                              "at t = %g (dt = %g too large for S = %g?)",
                               s->time, dt, st);
    return CGAN_OK;
}

int cgan_spinodal_run_until(cgan_spinodal *s, double t) {
    CGAN__CHECK_NOT_NULL(s, "simulation");
    if (!(t >= s->time) || !isfinite(t))
        return cgan__error(CGAN_EINVAL, "cgan_spinodal_run_until: t = %g is before the current "
                                        "time %g", t, s->time);
    while (t - s->time > 1e-9 * (1.0 + t)) {
        double dt = s->param[CGAN_SPINODAL_DT];
        int rc;
        if (dt > t - s->time) dt = t - s->time;
        if ((rc = cgan_spinodal_step(s, dt)) != CGAN_OK) return rc;
    }
    s->time = t;
    return CGAN_OK;
}

double cgan_spinodal_time(const cgan_spinodal *s) { return s ? s->time : 0.0; }

int cgan_spinodal_free_energy(const cgan_spinodal *s, double *energy) {
    double bulk = 0.0, grad = 0.0;
    size_t nr;
    CGAN__CHECK_NOT_NULL(s, "simulation");
    CGAN__CHECK_NOT_NULL(energy, "energy");
    nr = (size_t)s->n * s->n;
    for (size_t i = 0; i < nr; i++) {
        double q = s->phi[i] * s->phi[i] - 1.0;
        bulk += 0.25 * q * q;
    }
    /* Parseval on the half spectrum: interior columns stand for two modes. */
    for (int j = 0; j < s->n; j++)
        for (int i = 0; i < s->nc; i++) {
            size_t k = (size_t)j * s->nc + i;
            double w = (i == 0 || i == s->n / 2) ? 1.0 : 2.0;
            grad += w * s->k2[k] * (s->hat[k][0] * s->hat[k][0] + s->hat[k][1] * s->hat[k][1]);
        }
    *energy = bulk + 0.5 * s->param[CGAN_SPINODAL_KAPPA] * grad / (double)nr;
    return CGAN_OK;
}

int cgan_spinodal_mass(const cgan_spinodal *s, double *mass) {
    double sum = 0.0;
    size_t nr;
    CGAN__CHECK_NOT_NULL(s, "simulation");
    CGAN__CHECK_NOT_NULL(mass, "mass");
    nr = (size_t)s->n * s->n;
    for (size_t i = 0; i < nr; i++) sum += 0.5 * (1.0 + s->phi[i]);
    *mass = sum;
    return CGAN_OK;
}

int cgan_spinodal_field(const cgan_spinodal *s, cgan_tensor **out) {
    int rc;
    CGAN__CHECK_NOT_NULL(s, "simulation");
    CGAN__CHECK_NOT_NULL(out, "out");
    if ((rc = cgan_tensor_create4(out, 1, 1, s->n, s->n)) != CGAN_OK) return rc;
    for (size_t i = 0; i < (size_t)s->n * s->n; i++) (*out)->data[i] = (float)s->phi[i];
    return CGAN_OK;
}
