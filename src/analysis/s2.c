/* Non-periodic two-point correlation of the phase, S2(r) = P(x and x+r both
 * in the phase), from pair counts over the valid pixel pairs.  The FFT
 * version (FFTW, single precision, zero-padded) rounds its result to whole
 * pair counts, which is exact while counts stay below 2^22; the direct sum
 * is the reference it is tested against. */
#include "analysis_internal.h"

#include <fftw3.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* FFTW's planner is not thread-safe. */
static pthread_mutex_t plan_lock = PTHREAD_MUTEX_INITIALIZER;

int cgan__s2_pairs_direct(const uint8_t *mask, int w, int h, int R, int64_t *pairs) {
    int side = 2 * R + 1;
    for (int ry = -R; ry <= R; ry++)
        for (int rx = -R; rx <= R; rx++) {
            int64_t c = 0;
            int y0 = ry < 0 ? -ry : 0, y1 = ry > 0 ? h - ry : h;
            int x0 = rx < 0 ? -rx : 0, x1 = rx > 0 ? w - rx : w;
            for (int y = y0; y < y1; y++) {
                const uint8_t *a = mask + (int64_t)y * w, *b = mask + (int64_t)(y + ry) * w + rx;
                for (int x = x0; x < x1; x++) c += a[x] & b[x];
            }
            pairs[(ry + R) * side + (rx + R)] = c;
        }
    return CGAN_OK;
}

int cgan__s2_pairs_fft(const uint8_t *mask, int w, int h, int R, int64_t *pairs) {
    int pw = w + R, ph = h + R; /* zero padding by R keeps shifts from wrapping */
    int cw = pw / 2 + 1, side = 2 * R + 1;
    float *in = fftwf_malloc(sizeof(float) * (size_t)pw * (size_t)ph);
    fftwf_complex *sp = fftwf_malloc(sizeof(fftwf_complex) * (size_t)cw * (size_t)ph);
    if (!in || !sp) {
        fftwf_free(in);
        fftwf_free(sp);
        return cgan__error(CGAN_ENOMEM, "cgan_micrograph_analyze: out of memory for the FFT");
    }
    pthread_mutex_lock(&plan_lock);
    fftwf_plan fwd = fftwf_plan_dft_r2c_2d(ph, pw, in, sp, FFTW_ESTIMATE);
    fftwf_plan inv = fftwf_plan_dft_c2r_2d(ph, pw, sp, in, FFTW_ESTIMATE);
    pthread_mutex_unlock(&plan_lock);
    if (!fwd || !inv) {
        pthread_mutex_lock(&plan_lock);
        if (fwd) fftwf_destroy_plan(fwd);
        if (inv) fftwf_destroy_plan(inv);
        pthread_mutex_unlock(&plan_lock);
        fftwf_free(in);
        fftwf_free(sp);
        return cgan__error(CGAN_EINTERNAL, "cgan_micrograph_analyze: FFTW could not plan %dx%d",
                           pw, ph);
    }
    memset(in, 0, sizeof(float) * (size_t)pw * (size_t)ph);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) in[(int64_t)y * pw + x] = mask[(int64_t)y * w + x] ? 1.0f : 0.0f;
    fftwf_execute(fwd);
    for (int64_t i = 0; i < (int64_t)cw * ph; i++) { /* |F|^2: the autocorrelation */
        float re = sp[i][0], im = sp[i][1];
        sp[i][0] = re * re + im * im;
        sp[i][1] = 0.0f;
    }
    fftwf_execute(inv);
    double norm = 1.0 / ((double)pw * ph);
    for (int ry = -R; ry <= R; ry++)
        for (int rx = -R; rx <= R; rx++) {
            int yy = (ry + ph) % ph, xx = (rx + pw) % pw;
            pairs[(ry + R) * side + (rx + R)] = llround(in[(int64_t)yy * pw + xx] * norm);
        }
    pthread_mutex_lock(&plan_lock);
    fftwf_destroy_plan(fwd);
    fftwf_destroy_plan(inv);
    pthread_mutex_unlock(&plan_lock);
    fftwf_free(in);
    fftwf_free(sp);
    return CGAN_OK;
}

void cgan__s2_radial(const int64_t *pairs, const int64_t *valid, int w, int h, int R,
                     double *radial) {
    int side = 2 * R + 1;
    double *sum = radial;
    int cnt[1025] = {0}; /* R <= 1024 (CGAN_ANALYSIS_S2_RADIUS) */
    for (int k = 0; k <= R; k++) sum[k] = 0.0;
    for (int ry = -R; ry <= R; ry++)
        for (int rx = -R; rx <= R; rx++) {
            long k = lround(sqrt((double)rx * rx + (double)ry * ry));
            if (k > R) continue;
            double nv = valid ? (double)valid[(ry + R) * side + (rx + R)]
                              : (double)(h - abs(ry)) * (double)(w - abs(rx));
            if (nv <= 0) continue; /* only with an exclusion mask */
            sum[k] += (double)pairs[(ry + R) * side + (rx + R)] / nv;
            cnt[k]++;
        }
    for (int k = 0; k <= R; k++) sum[k] = cnt[k] ? sum[k] / cnt[k] : NAN;
}
