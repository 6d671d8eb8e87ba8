/* Smooth random fields for the alloy renderer: white noise filtered in
 * Fourier space (FFTW, double), and a separable Gaussian blur. */
#include "synth_internal.h"

#include <fftw3.h>
#include <math.h>
#include <string.h>

int cgan__synth_random_field(cgan_rng *rng, int w, int h, int kind, double len, double width,
                             float *out) {
    int wc = w / 2 + 1;
    double *re = fftw_malloc(sizeof(double) * (size_t)w * (size_t)h);
    fftw_complex *sp = fftw_malloc(sizeof(fftw_complex) * (size_t)wc * (size_t)h);
    fftw_plan fwd = NULL, inv = NULL;
    double k0 = 2.0 * M_PI / len, sk = width * k0, sum = 0.0, sum2 = 0.0;
    size_t n = (size_t)w * (size_t)h;
    int rc = CGAN_OK;
    if (re == NULL || sp == NULL) {
        rc = cgan__error(CGAN_ENOMEM, "random field %dx%d: out of memory", w, h);
        goto done;
    }
    cgan__synth_fftw_lock();
    fwd = fftw_plan_dft_r2c_2d(h, w, re, sp, FFTW_ESTIMATE);
    inv = fftw_plan_dft_c2r_2d(h, w, sp, re, FFTW_ESTIMATE);
    cgan__synth_fftw_unlock();
    if (fwd == NULL || inv == NULL) {
        rc = cgan__error(CGAN_EINTERNAL, "random field %dx%d: FFTW planning failed", w, h);
        goto done;
    }
    for (size_t i = 0; i < n; i++) re[i] = cgan_rng_normal(rng);
    fftw_execute(fwd);
    for (int j = 0; j < h; j++) {
        double ky = 2.0 * M_PI * (j <= h / 2 ? j : j - h) / h;
        for (int i = 0; i < wc; i++) {
            double kx = 2.0 * M_PI * i / w, k = sqrt(kx * kx + ky * ky), a;
            if (kind == SYNTH_FIELD_LOWPASS)
                a = exp(-0.25 * k * k * len * len); /* amplitude: sqrt of the spectrum */
            else
                a = exp(-0.25 * (k - k0) * (k - k0) / (sk * sk));
            if (i == 0 && j == 0) a = 0.0; /* zero mean */
            sp[(size_t)j * wc + i][0] *= a;
            sp[(size_t)j * wc + i][1] *= a;
        }
    }
    fftw_execute(inv);
    for (size_t i = 0; i < n; i++) sum += re[i], sum2 += re[i] * re[i];
    {
        double mean = sum / (double)n, var = sum2 / (double)n - mean * mean;
        double inv_sd = var > 0.0 ? 1.0 / sqrt(var) : 0.0;
        for (size_t i = 0; i < n; i++) out[i] = (float)((re[i] - mean) * inv_sd);
    }
done:
    cgan__synth_fftw_lock();
    if (fwd) fftw_destroy_plan(fwd);
    if (inv) fftw_destroy_plan(inv);
    cgan__synth_fftw_unlock();
    fftw_free(re);
    fftw_free(sp);
    return rc;
}

/* One 1-D pass along rows (stride 1) or columns (stride w). */
static void blur_line(float *line, float *tmp, int n, int stride, const float *k, int r) {
    for (int i = 0; i < n; i++) tmp[i] = line[(size_t)i * stride];
    for (int i = 0; i < n; i++) {
        float s = 0.0f;
        for (int d = -r; d <= r; d++) {
            int j = i + d;
            j = j < 0 ? 0 : j >= n ? n - 1 : j;
            s += k[d + r] * tmp[j];
        }
        line[(size_t)i * stride] = s;
    }
}

int cgan__synth_blur(float *img, int w, int h, double sigma) {
    int r = (int)ceil(3.0 * sigma);
    float k[64], *tmp;
    double sum = 0.0;
    if (sigma <= 0.0) return CGAN_OK;
    if (r > 31) r = 31;
    for (int d = -r; d <= r; d++) sum += k[d + r] = (float)exp(-0.5 * d * d / (sigma * sigma));
    for (int d = 0; d <= 2 * r; d++) k[d] = (float)(k[d] / sum);
    tmp = malloc(sizeof(float) * (size_t)(w > h ? w : h));
    if (tmp == NULL) return cgan__error(CGAN_ENOMEM, "blur: out of memory");
    for (int y = 0; y < h; y++) blur_line(img + (size_t)y * w, tmp, w, 1, k, r);
    for (int x = 0; x < w; x++) blur_line(img + x, tmp, h, w, k, r);
    free(tmp);
    return CGAN_OK;
}
