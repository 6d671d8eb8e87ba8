/* Ground truth of two-phase fields: characteristic wavelength from the
 * radially averaged structure factor, and the phase fraction. */
#include "synth_internal.h"

#include <fftw3.h>
#include <math.h>
#include <string.h>

/* The wavelength is 2 pi / <k>, where <k> = sum k S(k) / sum S(k) is the
 * first moment of the structure factor S(k) = |FFT(f - mean)|^2 over all
 * modes 0 < |k| <= pi (the disc inscribed in the spectrum, so that the
 * corners do not weigh one direction more).  This equals the first moment of
 * the radially averaged S(k) weighted by the number of modes per shell, in
 * the limit of thin shells, and is exact for a single Fourier mode. */
int cgan__synth_wavelength(const double *f, int w, int h, double *wavelength) {
    int wc = w / 2 + 1, rc = CGAN_OK;
    size_t n = (size_t)w * h;
    double *re = fftw_malloc(sizeof(double) * n), mean = 0.0;
    fftw_complex *sp = fftw_malloc(sizeof(fftw_complex) * (size_t)wc * h);
    double num = 0.0, den = 0.0;
    fftw_plan p = NULL;
    if (!re || !sp) {
        rc = cgan__error(CGAN_ENOMEM, "structure factor: out of memory");
        goto done;
    }
    cgan__synth_fftw_lock();
    p = fftw_plan_dft_r2c_2d(h, w, re, sp, FFTW_ESTIMATE);
    cgan__synth_fftw_unlock();
    if (p == NULL) {
        rc = cgan__error(CGAN_EINTERNAL, "structure factor: FFTW planning failed");
        goto done;
    }
    for (size_t i = 0; i < n; i++) mean += f[i];
    mean /= (double)n;
    {
        double var = 0.0;
        for (size_t i = 0; i < n; i++) {
            re[i] = f[i] - mean;
            var += re[i] * re[i];
        }
        if (var / (double)n <= 1e-24 * (1.0 + mean * mean)) {
            rc = cgan__error(CGAN_EINVAL, "structure factor: the field is constant");
            goto done;
        }
    }
    fftw_execute(p);
    for (int j = 0; j < h; j++) {
        double ky = 2.0 * M_PI * (j <= h / 2 ? j : j - h) / h;
        for (int i = 0; i < wc; i++) {
            double kx = 2.0 * M_PI * i / w, k = sqrt(kx * kx + ky * ky);
            double m = (i == 0 || (w % 2 == 0 && i == w / 2)) ? 1.0 : 2.0; /* half spectrum */
            const double *c = sp[(size_t)j * wc + i];
            double power = m * (c[0] * c[0] + c[1] * c[1]);
            if (k == 0.0 || k > M_PI) continue;
            num += power * k;
            den += power;
        }
    }
    if (!(den > 0.0) || !(num > 0.0))
        rc = cgan__error(CGAN_EINVAL, "structure factor: the field is constant");
    else
        *wavelength = 2.0 * M_PI * den / num;
done:
    if (p) {
        cgan__synth_fftw_lock();
        fftw_destroy_plan(p);
        cgan__synth_fftw_unlock();
    }
    fftw_free(re);
    fftw_free(sp);
    return rc;
}

int cgan_synth_structure(const cgan_tensor *field, double threshold, double *wavelength,
                         double *phase_fraction) {
    int64_t h, w;
    size_t n;
    double *f;
    int rc = CGAN_OK;
    CGAN__CHECK_NOT_NULL(field, "field");
    if (field->ndim < 2)
        return cgan__error(CGAN_ESHAPE, "cgan_synth_structure: the field must be 2-D");
    for (int i = 0; i + 2 < field->ndim; i++)
        if (field->shape[i] != 1)
            return cgan__error(CGAN_ESHAPE, "cgan_synth_structure: need one 2-D field");
    h = field->shape[field->ndim - 2];
    w = field->shape[field->ndim - 1];
    if (h < 2 || w < 2 || h > 65536 || w > 65536)
        return cgan__error(CGAN_ESHAPE, "cgan_synth_structure: %lldx%lld is not a usable field",
                           (long long)w, (long long)h);
    n = (size_t)w * (size_t)h;
    if (phase_fraction) {
        size_t above = 0;
        for (size_t i = 0; i < n; i++) above += field->data[i] > threshold;
        *phase_fraction = (double)above / (double)n;
    }
    if (wavelength == NULL) return CGAN_OK;
    if ((f = malloc(sizeof(double) * n)) == NULL)
        return cgan__error(CGAN_ENOMEM, "cgan_synth_structure: out of memory");
    for (size_t i = 0; i < n; i++) f[i] = field->data[i];
    rc = cgan__synth_wavelength(f, (int)w, (int)h, wavelength);
    free(f);
    if (rc != CGAN_OK) {
        char msg[256];
        snprintf(msg, sizeof msg, "%s", cgan_last_error()); /* the error buffer is reused */
        return cgan__error(rc, "cgan_synth_structure: %s", msg);
    }
    return CGAN_OK;
}
