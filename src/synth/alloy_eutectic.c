/* The eutectic matrix: colonies of parallel lamellae (dark ~30 / bright
 * ~220, spacing = the condition's period), each colony with its own
 * orientation turned toward the horizontal by the compression, bent by a
 * smooth phase warp; blended with a globular texture of the same scale as
 * the lamellae break up (spheroidisation) and near colony boundaries. */
#include "synth_internal.h"

#include <math.h>
#include <string.h>

typedef struct colony {
    double x, y;   /* seed */
    double nx, ny; /* lamella normal on screen */
    double phase;
} colony;

/* Particles of the broken-up eutectic: Gaussian bumps on a jittered
 * hexagonal lattice of spacing a, stretched by elong along the lamellae of
 * the colony they lie in (a rod is what a lamella breaks into), negated (the
 * dark phase forms the particles), scaled to zero mean and unit variance.
 * Nearly equal particle sizes keep the local phase fraction even. */
static void globule_field(cgan_rng *rng, int w, int h, double a, double elong,
                          const int32_t *cid, const colony *col, float *out) {
    double dy = a * 0.8660254, sum = 0.0, sum2 = 0.0, mean, sd;
    size_t n = (size_t)w * h;
    memset(out, 0, sizeof(float) * n);
    for (int row = -1; row * dy < h + a; row++)
        for (int cc = -1; cc * a < w + a; cc++) {
            double cx = (cc + 0.5 * (row & 1) + 0.45 * (cgan_rng_uniform(rng) - 0.5)) * a;
            double cy = (row + 0.45 * (cgan_rng_uniform(rng) - 0.5)) * dy;
            double sg = 0.27 * a * (0.9 + 0.2 * cgan_rng_uniform(rng));
            double sl = sg * elong, ss = sg / elong, tx, ty;
            int ix = cx < 0 ? 0 : cx >= w ? w - 1 : (int)cx;
            int iy = cy < 0 ? 0 : cy >= h ? h - 1 : (int)cy, r = (int)ceil(3.0 * sl);
            const colony *k = &col[cid[(size_t)iy * w + ix]];
            tx = k->ny, ty = -k->nx; /* along the lamellae */
            for (int y = (int)cy - r; y <= (int)cy + r; y++)
                for (int x = (int)cx - r; x <= (int)cx + r; x++) {
                    double ex = x + 0.5 - cx, ey = y + 0.5 - cy;
                    double u = ex * tx + ey * ty, v = -ex * ty + ey * tx;
                    if (x < 0 || y < 0 || x >= w || y >= h) continue;
                    out[(size_t)y * w + x] -=
                        (float)exp(-0.5 * (u * u / (sl * sl) + v * v / (ss * ss)));
                }
        }
    for (size_t q = 0; q < n; q++) sum += out[q], sum2 += (double)out[q] * out[q];
    mean = sum / (double)n;
    sd = sqrt(sum2 / (double)n - mean * mean);
    for (size_t q = 0; q < n; q++) out[q] = (float)((out[q] - mean) / (sd > 0 ? sd : 1.0));
}

static int cmp_float(const void *a, const void *b) {
    float x = *(const float *)a, y = *(const float *)b;
    return x < y ? -1 : x > y;
}

/* The frac-quantile of f from every 7th value (sub has room for n/7 + 1). */
static double quantile(const float *f, size_t n, double frac, float *sub) {
    size_t m = 0;
    for (size_t q = 0; q < n; q += 7) sub[m++] = f[q];
    qsort(sub, m, sizeof(float), cmp_float);
    return sub[(size_t)(frac * (double)(m - 1))];
}

static double clamp1(double t) { return t < -1.0 ? -1.0 : t > 1.0 ? 1.0 : t; }

int cgan__synth_eutectic(const synth_alloy_cond *c, cgan_rng *rng, int w, int h, float *out) {
    double P = c->period_px, lc = 16.0 * P, sx = exp(0.5 * c->eff_strain), sy = exp(-c->eff_strain);
    double warp_amp = 1.0 + 2.5 * c->eff_strain, delta = 2.0 / P, thr, thr_g, thr_i;
    int gx, gy, rc = CGAN_OK;
    size_t n = (size_t)w * h;
    colony *col = NULL;
    float *wx = NULL, *wy = NULL, *wp = NULL, *band = NULL, *glob = NULL, *ind = NULL, *sub = NULL;
    int32_t *cid = NULL;
    if (lc < 48.0) lc = 48.0;
    if (lc > 220.0) lc = 220.0;
    gx = (int)ceil(w / lc) + 2;
    gy = (int)ceil(h / lc) + 2;
    col = malloc(sizeof(colony) * (size_t)gx * gy);
    wx = malloc(sizeof(float) * n);
    wy = malloc(sizeof(float) * n);
    wp = malloc(sizeof(float) * n);
    band = malloc(sizeof(float) * n);
    glob = malloc(sizeof(float) * n);
    ind = malloc(sizeof(float) * n);
    cid = malloc(sizeof(int32_t) * n);
    sub = malloc(sizeof(float) * (n / 7 + 1));
    if (!col || !wx || !wy || !wp || !band || !glob || !ind || !cid || !sub) {
        rc = cgan__error(CGAN_ENOMEM, "eutectic texture: out of memory");
        goto done;
    }
    /* One seed per cell of a grid that overhangs the image by one cell. */
    for (int j = 0; j < gy; j++)
        for (int i = 0; i < gx; i++) {
            colony *k = &col[j * gx + i];
            double a = M_PI * cgan_rng_uniform(rng), tx = cos(a) * sx, ty = sin(a) * sy;
            double tn = hypot(tx, ty);
            k->x = (i - 1 + cgan_rng_uniform(rng)) * lc;
            k->y = (j - 1 + cgan_rng_uniform(rng)) * lc;
            k->nx = -ty / tn;
            k->ny = tx / tn;
            k->phase = 2.0 * M_PI * cgan_rng_uniform(rng);
        }
    if ((rc = cgan__synth_random_field(rng, w, h, SYNTH_FIELD_LOWPASS, 0.5 * lc, 0, wx)) ||
        (rc = cgan__synth_random_field(rng, w, h, SYNTH_FIELD_LOWPASS, 0.5 * lc, 0, wy)) ||
        (rc = cgan__synth_random_field(rng, w, h, SYNTH_FIELD_LOWPASS, 3.0 * P, 0, wp)) ||
        (rc = cgan__synth_random_field(rng, w, h, SYNTH_FIELD_BAND, 1.15 * P, 0.2, band)))
        goto done;
    if ((rc = cgan__synth_random_field(rng, w, h, SYNTH_FIELD_LOWPASS, 0.4 * lc, 0, ind)))
        goto done;
    /* Colony of every pixel (nearest seed of the warped position); wx keeps
     * d2 - d1, twice the distance to the colony boundary. */
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            size_t q = (size_t)y * w + x;
            double px = x + 0.3 * lc * wx[q], py = y + 0.3 * lc * wy[q];
            int ci = (int)floor(px / lc) + 1, cj = (int)floor(py / lc) + 1, best = 0;
            double d1 = 1e30, d2 = 1e30;
            for (int j = cj - 1; j <= cj + 1; j++)
                for (int i = ci - 1; i <= ci + 1; i++) {
                    double d;
                    if (i < 0 || j < 0 || i >= gx || j >= gy) continue;
                    d = hypot(px - col[j * gx + i].x, py - col[j * gx + i].y);
                    if (d < d1) d2 = d1, d1 = d, best = j * gx + i;
                    else if (d < d2) d2 = d;
                }
            cid[q] = best;
            wx[q] = (float)(d2 - d1);
        }
    /* Rods become rounder as the break-up proceeds. */
    globule_field(rng, w, h, 0.95 * P, 1.0 + 0.9 * (1.0 - c->spheroid), cid, col, glob);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            size_t q = (size_t)y * w + x;
            const colony *k = &col[cid[q]];
            double b = exp(-wx[q] / (1.5 * P)); /* 1 on a colony boundary */
            double psi = 2.0 * M_PI * (k->nx * x + k->ny * y) / P + k->phase + warp_amp * wp[q];
            /* Lamellae with faults, disordered along colony boundaries. */
            out[q] = (float)((1.0 - 0.5 * b) * M_SQRT2 * cos(psi) + (0.25 + 0.6 * b) * band[q]);
            glob[q] = (float)(0.85 * glob[q] + 0.15 * band[q]);
            /* Break-up starts at colony boundaries and spreads in patches. */
            ind[q] = (float)(ind[q] + 1.2 * exp(-wx[q] / (3.0 * P)));
        }
    /* Each texture is thresholded at the dark-phase quantile, so the phase
     * fraction (and the eutectic's mean grey) is the same under every
     * condition; the globular texture takes the fraction s of the area.
     * Switching between the textures region by region, rather than adding
     * them, avoids moire beats that would make the eutectic's local mean
     * vary on scales larger than the period. */
    thr = quantile(out, n, SYNTH_DARK_FRACTION, sub);
    thr_g = quantile(glob, n, SYNTH_DARK_FRACTION, sub);
    thr_i = quantile(ind, n, 1.0 - c->spheroid, sub);
    for (size_t q = 0; q < n; q++) {
        double tl = clamp1((out[q] - thr) / delta), tg = clamp1((glob[q] - thr_g) / delta);
        double m = c->spheroid < 0.005 ? 0.0 : c->spheroid > 0.995 ? 1.0
                                                                     : 0.5 + 0.5 * clamp1((ind[q] - thr_i) / 0.04);
        double t = (1.0 - m) * tl + m * tg;
        out[q] = (float)(0.5 * (SYNTH_GREY_DARK + SYNTH_GREY_BRIGHT) +
                         0.5 * (SYNTH_GREY_BRIGHT - SYNTH_GREY_DARK) * t);
    }
done:
    free(col);
    free(wx);
    free(wy);
    free(wp);
    free(band);
    free(glob);
    free(ind);
    free(cid);
    free(sub);
    return rc;
}
