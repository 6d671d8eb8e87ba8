/* Primary grains: star-shaped fragments (a radius that is a short Fourier
 * series in the polar angle), flattened by the compression, placed at
 * random without overlap (random sequential adsorption) with a minimum
 * eutectic gap between any two, until the target area fraction is met. */
#include "synth_internal.h"

#include <math.h>
#include <string.h>

#define NTHETA 256
#define NHARM 7 /* harmonics 2..8 */

typedef struct grain_shape {
    double r[NTHETA + 1]; /* radius at theta = 2 pi i / NTHETA (periodic copy at the end) */
    double rmin, rmax;
    double inv[4];        /* reference coordinates from screen offsets */
    double cx, cy;
    int x0, y0, x1, y1;   /* bounding box, x1/y1 exclusive, may leave the image */
} grain_shape;

typedef struct placer {
    int w, h;
    int32_t *lab;
    uint8_t *forbid;     /* grain pixels and everything closer than the gap */
    int *pix;            /* scratch: candidate's in-image pixel indices */
    size_t pix_cap;
    int *disc;           /* stamp offsets of the gap disc, pairs */
    int n_disc;
    float *density;      /* relative placement probability (clustering) */
} placer;

static double radius_at(const grain_shape *s, double theta) {
    double u = theta * (NTHETA / (2.0 * M_PI));
    int i;
    if (u < 0) u += NTHETA;
    i = (int)u;
    if (i >= NTHETA) i = NTHETA - 1;
    u -= i;
    return s->r[i] + u * (s->r[i + 1] - s->r[i]);
}

static int inside(const grain_shape *s, int x, int y) {
    double dx = x + 0.5 - s->cx, dy = y + 0.5 - s->cy;
    double X = s->inv[0] * dx + s->inv[1] * dy, Y = s->inv[2] * dx + s->inv[3] * dy;
    double rr = X * X + Y * Y, r;
    if (rr <= s->rmin * s->rmin) return 1;
    if (rr > s->rmax * s->rmax) return 0;
    r = radius_at(s, atan2(Y, X));
    return rr <= r * r;
}

/* A fragment of equivalent diameter d (reference frame) flattened by the
 * true strain e along y (section of a uniaxially compressed body: x grows by
 * exp(e/2), y shrinks by exp(-e)), turned by a small angle. */
static void make_shape(grain_shape *s, cgan_rng *rng, double d, double e) {
    double a[NHARM], ph[NHARM], suma = 0.0, sum2 = 0.0, R, sx = exp(0.5 * e), sy = exp(-e);
    double rot = cgan_rng_normal(rng) * (4.0 * M_PI / 180.0), c = cos(rot), sn = sin(rot);
    double fwd[4];
    static const double sd[NHARM] = {0.0, 0.07, 0.05, 0.035, 0.02, 0.02, 0.015};
    a[0] = 0.04 + 0.16 * cgan_rng_uniform(rng); /* dendrite-arm elongation */
    for (int k = 1; k < NHARM; k++) a[k] = sd[k] * cgan_rng_normal(rng);
    for (int k = 0; k < NHARM; k++) ph[k] = 2.0 * M_PI * cgan_rng_uniform(rng);
    for (int k = 0; k < NHARM; k++) suma += fabs(a[k]);
    if (suma > 0.6)
        for (int k = 0; k < NHARM; k++) a[k] *= 0.6 / suma;
    for (int k = 0; k < NHARM; k++) sum2 += a[k] * a[k];
    R = 0.5 * d / sqrt(1.0 + 0.5 * sum2); /* area of r(theta) is pi R^2 (1 + sum a^2 / 2) */
    s->rmin = 1e30;
    s->rmax = 0.0;
    for (int i = 0; i < NTHETA; i++) {
        double t = 2.0 * M_PI * i / NTHETA, r = 1.0;
        for (int k = 0; k < NHARM; k++) r += a[k] * cos((k + 2) * t + ph[k]);
        s->r[i] = R * r;
        if (s->r[i] < s->rmin) s->rmin = s->r[i];
        if (s->r[i] > s->rmax) s->rmax = s->r[i];
    }
    s->r[NTHETA] = s->r[0];
    s->rmin *= 0.98; /* the interpolated curve may dip slightly between nodes */
    s->rmax *= 1.02;
    /* screen = Rot(rot) diag(sx, sy) reference */
    fwd[0] = c * sx, fwd[1] = -sn * sy, fwd[2] = sn * sx, fwd[3] = c * sy;
    s->inv[0] = c / sx, s->inv[1] = sn / sx, s->inv[2] = -sn / sy, s->inv[3] = c / sy;
    s->x0 = (int)floor(-s->rmax * hypot(fwd[0], fwd[1])) - 1;
    s->x1 = (int)ceil(s->rmax * hypot(fwd[0], fwd[1])) + 2;
    s->y0 = (int)floor(-s->rmax * hypot(fwd[2], fwd[3])) - 1;
    s->y1 = (int)ceil(s->rmax * hypot(fwd[2], fwd[3])) + 2;
}

/* Try the shape centred at (cx, cy): collect its in-image pixels, fail on
 * a forbidden one.  Returns the in-image pixel count, -1 on conflict. */
static int try_place(placer *p, grain_shape *s, double cx, double cy) {
    int n = 0;
    int bx0 = (int)floor(cx) + s->x0, bx1 = (int)floor(cx) + s->x1;
    int by0 = (int)floor(cy) + s->y0, by1 = (int)floor(cy) + s->y1;
    s->cx = cx;
    s->cy = cy;
    if (bx0 < 0) bx0 = 0;
    if (by0 < 0) by0 = 0;
    if (bx1 > p->w) bx1 = p->w;
    if (by1 > p->h) by1 = p->h;
    for (int y = by0; y < by1; y++)
        for (int x = bx0; x < bx1; x++) {
            if (!inside(s, x, y)) continue;
            if (p->forbid[(size_t)y * p->w + x] || (size_t)n >= p->pix_cap) return -1;
            p->pix[n++] = y * p->w + x;
        }
    return n;
}

static void accept(placer *p, int n, int label) {
    for (int i = 0; i < n; i++) p->lab[p->pix[i]] = label;
    for (int i = 0; i < n; i++) {
        int q = p->pix[i], x = q % p->w, y = q / p->w, edge = 0;
        p->forbid[q] = 1;
        edge = x == 0 || x == p->w - 1 || y == 0 || y == p->h - 1 || p->lab[q - 1] != label ||
               p->lab[q + 1] != label || p->lab[q - p->w] != label || p->lab[q + p->w] != label;
        if (!edge) continue;
        for (int k = 0; k < p->n_disc; k++) {
            int xx = x + p->disc[2 * k], yy = y + p->disc[2 * k + 1];
            if (xx >= 0 && yy >= 0 && xx < p->w && yy < p->h) p->forbid[(size_t)yy * p->w + xx] = 1;
        }
    }
}

static int cmp_desc(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? 1 : x > y ? -1 : 0;
}

int cgan__synth_place_grains(const synth_alloy_cond *c, double primary_fraction, cgan_rng *rng,
                             int w, int h, int32_t *lab, int *n_out) {
    placer p;
    grain_shape s;
    double target = primary_fraction * (double)w * h, filled = 0.0, dmean = c->grain_d_px;
    double *sizes = NULL, margin = 0.5 * dmean;
    int g = (int)ceil(c->gap_px), rc = CGAN_OK, label = 0, rmax_px;
    memset(&p, 0, sizeof p);
    p.w = w;
    p.h = h;
    p.lab = lab;
    /* The biggest possible fragment bounds the scratch buffer. */
    rmax_px = (int)ceil(dmean * 3.0 * 1.6 * exp(0.5 * c->eff_strain * 1.8)) + 8;
    p.pix_cap = (size_t)(2 * rmax_px + 4) * (size_t)(2 * rmax_px + 4);
    p.forbid = calloc((size_t)w * h, 1);
    p.pix = malloc(sizeof(int) * p.pix_cap);
    p.disc = malloc(sizeof(int) * 2 * (size_t)(2 * g + 1) * (2 * g + 1));
    p.density = malloc(sizeof(float) * (size_t)w * h);
    if (!p.forbid || !p.pix || !p.disc || !p.density) {
        rc = cgan__error(CGAN_ENOMEM, "grain placement: out of memory");
        goto done;
    }
    for (int dy = -g; dy <= g; dy++)
        for (int dx = -g; dx <= g; dx++)
            if (dx * dx + dy * dy <= c->gap_px * c->gap_px) {
                p.disc[2 * p.n_disc] = dx;
                p.disc[2 * p.n_disc + 1] = dy;
                p.n_disc++;
            }
    /* Primary fragments cluster where the dendrites were: a smooth field
     * makes some regions up to ~3x more likely than others. */
    if ((rc = cgan__synth_random_field(rng, w, h, SYNTH_FIELD_LOWPASS, 3.0 * dmean, 0.0,
                                       p.density)) != CGAN_OK)
        goto done;
    for (size_t i = 0; i < (size_t)w * h; i++) p.density[i] = (float)exp(0.55 * (p.density[i] - 2.0));
    for (int round = 0; round < 50 && filled < target; round++) {
        double mean_area = M_PI / 4.0 * dmean * dmean * exp(-0.5 * c->eff_strain);
        int nb = (int)ceil((target - filled) / mean_area * 1.1) + 4, placed = 0;
        free(sizes);
        if ((sizes = malloc(sizeof(double) * (size_t)nb)) == NULL) {
            rc = cgan__error(CGAN_ENOMEM, "grain placement: out of memory");
            goto done;
        }
        for (int i = 0; i < nb; i++) { /* log-normal diameters, spread 0.35 */
            double d = dmean * exp(0.35 * cgan_rng_normal(rng) - 0.06);
            sizes[i] = d < 6.0 ? 6.0 : d > 3.0 * dmean ? 3.0 * dmean : d;
        }
        qsort(sizes, (size_t)nb, sizeof(double), cmp_desc); /* big ones first pack better */
        for (int i = 0; i < nb && filled < target; i++) {
            double d = sizes[i], wgt;
            wgt = exp(0.2 * cgan_rng_normal(rng)) * pow(d / dmean, 0.4);
            wgt = wgt < 0.15 ? 0.15 : wgt > 1.8 ? 1.8 : wgt; /* small fragments deform less */
            make_shape(&s, rng, d, c->eff_strain * wgt);
            for (int attempt = 0; attempt < 40; attempt++) {
                double cx = -margin + (w + 2 * margin) * cgan_rng_uniform(rng);
                double cy = -margin + (h + 2 * margin) * cgan_rng_uniform(rng);
                int ix = cx < 0 ? 0 : cx >= w ? w - 1 : (int)cx;
                int iy = cy < 0 ? 0 : cy >= h ? h - 1 : (int)cy;
                double area = M_PI / 4.0 * d * d * exp(-0.5 * c->eff_strain * wgt), n;
                if (cgan_rng_uniform(rng) > p.density[(size_t)iy * w + ix]) continue;
                n = try_place(&p, &s, cx, cy);
                if (n < 0 || n < 12 || n < 0.15 * area) continue; /* no slivers */
                accept(&p, (int)n, ++label);
                filled += n;
                placed++;
                break;
            }
        }
        if (placed < nb / 20 + 1) break; /* jammed */
    }
    *n_out = label;
done:
    free(sizes);
    free(p.forbid);
    free(p.pix);
    free(p.disc);
    free(p.density);
    return rc;
}
