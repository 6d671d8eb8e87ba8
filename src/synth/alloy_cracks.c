/* Microcracks of cold, fast compression: jagged cracks running at about 45
 * degrees to the (vertical) compression axis through the brittle eutectic,
 * deflected around the ductile primary grains, which they never enter. */
#include "synth_internal.h"

#include <math.h>
#include <string.h>

#define CRACK_MARGIN_PX 6.0 /* safety band of the exclusion mask */

typedef struct walk {
    int w, h;
    const uint8_t *blocked;
    double *pts; /* x, y pairs */
    int n, cap;
} walk;

static int free_at(const walk *k, double x, double y) {
    int ix = (int)floor(x), iy = (int)floor(y);
    if (ix < 0 || iy < 0 || ix >= k->w || iy >= k->h) return 0;
    return !k->blocked[(size_t)iy * k->w + ix];
}

/* Walk from (x, y) along heading base (+- wobble) for up to len px,
 * appending the path; a blocked step is deflected by up to 120 degrees, so
 * the crack creeps around a grain and then resumes its course. */
static void walk_half(walk *k, cgan_rng *rng, double x, double y, double base, double len) {
    double heading = base, wob = 0.0;
    for (double s = 0.0; s < len && k->n < k->cap; s += 1.0) {
        int moved = 0;
        wob = 0.85 * wob + 0.25 * cgan_rng_normal(rng); /* correlated zig-zag */
        heading = base + 0.35 * wob;
        for (int tries = 0; tries <= 48 && !moved; tries++) {
            double turn = (tries + 1) / 2 * (M_PI / 36.0) * (tries % 2 ? 1.0 : -1.0);
            double nx = x + cos(heading + turn), ny = y + sin(heading + turn);
            if (free_at(k, nx, ny)) x = nx, y = ny, moved = 1;
        }
        if (!moved) return;
        k->pts[2 * k->n] = x;
        k->pts[2 * k->n + 1] = y;
        k->n++;
    }
}

static void paint_disc(uint8_t *map, const uint8_t *skip, int w, int h, double x, double y,
                       double r) {
    int x0 = (int)floor(x - r), x1 = (int)ceil(x + r), y0 = (int)floor(y - r), y1 = (int)ceil(y + r);
    for (int yy = y0; yy <= y1; yy++)
        for (int xx = x0; xx <= x1; xx++) {
            double dx = xx + 0.5 - x, dy = yy + 0.5 - y;
            if (xx < 0 || yy < 0 || xx >= w || yy >= h || dx * dx + dy * dy > r * r) continue;
            if (skip && skip[(size_t)yy * w + xx]) continue;
            map[(size_t)yy * w + xx] = 1;
        }
}

int cgan__synth_cracks(const synth_alloy_cond *c, cgan_rng *rng, int w, int h,
                       const int32_t *lab, uint8_t *crack, uint8_t *mask, int *n_out) {
    int count = (int)floor(c->cracks_per_field * (double)w * h / (1024.0 * 768.0) + 0.5);
    double typical = 0.25 * sqrt((double)w * h); /* crack length scale, px */
    uint8_t *blocked;
    walk k;
    *n_out = 0;
    if (count <= 0) return CGAN_OK;
    blocked = calloc((size_t)w * h, 1);
    k.cap = 4 * (w + h) + 16;
    k.pts = malloc(sizeof(double) * 2 * (size_t)k.cap);
    if (!blocked || !k.pts) {
        free(blocked);
        free(k.pts);
        return cgan__error(CGAN_ENOMEM, "cracks: out of memory");
    }
    /* Grains grown by 1.5 px: a crack keeps at least that far from them. */
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            if (lab[(size_t)y * w + x]) paint_disc(blocked, NULL, w, h, x + 0.5, y + 0.5, 1.5);
    k.w = w;
    k.h = h;
    k.blocked = blocked;
    for (int i = 0; i < count; i++) {
        double x = 0, y = 0, len = typical * (0.6 + 0.8 * cgan_rng_uniform(rng));
        double tilt = (35.0 + 20.0 * cgan_rng_uniform(rng)) * M_PI / 180.0;
        double base = (cgan_rng_uniform(rng) < 0.5 ? 1 : -1) * tilt + M_PI / 2.0, wmax;
        int found = 0;
        for (int tries = 0; tries < 200 && !found; tries++) {
            x = w * cgan_rng_uniform(rng);
            y = h * cgan_rng_uniform(rng);
            found = free_at(&k, x, y);
        }
        if (!found) continue;
        k.n = 0;
        walk_half(&k, rng, x, y, base + M_PI, 0.5 * len);
        /* Reverse the first half so the path runs end to end. */
        for (int a = 0, b = k.n - 1; a < b; a++, b--) {
            double tx = k.pts[2 * a], ty = k.pts[2 * a + 1];
            k.pts[2 * a] = k.pts[2 * b], k.pts[2 * a + 1] = k.pts[2 * b + 1];
            k.pts[2 * b] = tx, k.pts[2 * b + 1] = ty;
        }
        k.pts[2 * k.n] = x, k.pts[2 * k.n + 1] = y, k.n++;
        walk_half(&k, rng, x, y, base, 0.5 * len);
        if (k.n < 8) continue;
        wmax = 1.5 + 2.0 * cgan_rng_uniform(rng);
        for (int j = 0; j < k.n; j++) {
            double u = (j + 0.5) / k.n, wd = wmax * sqrt(sin(M_PI * u)) + 0.6; /* tapered */
            paint_disc(crack, blocked, w, h, k.pts[2 * j], k.pts[2 * j + 1], 0.5 * wd);
            paint_disc(mask, NULL, w, h, k.pts[2 * j], k.pts[2 * j + 1],
                       0.5 * wd + CRACK_MARGIN_PX);
        }
        (*n_out)++;
    }
    free(blocked);
    free(k.pts);
    return CGAN_OK;
}
