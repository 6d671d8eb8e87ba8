/* ImageJ's Analyze Particles on a binary phase mask: particles are the
 * 8-connected components, found in raster order; with "include holes" the
 * mask of a particle is everything inside its outer outline, and particles
 * lying in its holes are swallowed, as ImageJ erases the filled mask. */
#include "analysis_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct work {
    const uint8_t *mask;
    const uint8_t *exclude; /* nonzero: pixel outside the measured field (may be NULL) */
    int w, h;
    uint8_t *done;    /* pixel already belongs to an analysed particle */
    int32_t *pix;     /* pixels of the current particle */
    int32_t *stack;
    uint8_t *patch;   /* particle mask over its bounding box (+1 border for hole filling) */
    size_t patch_cap;
    cgan__outline ol;
    double *rows;
    int64_t n, cap;
} work;

/* 8-connected flood fill from (x0, y0); fills pix, returns its size and the
 * bounding box. */
static int64_t component(work *k, int x0, int y0, int *bx0, int *by0, int *bx1, int *by1) {
    int64_t np = 0, ns = 0;
    int w = k->w, h = k->h;
    int32_t s = y0 * w + x0;
    k->done[s] = 1;
    k->stack[ns++] = s;
    *bx0 = *bx1 = x0;
    *by0 = *by1 = y0;
    while (ns > 0) {
        int32_t p = k->stack[--ns];
        int x = p % w, y = p / w;
        k->pix[np++] = p;
        if (x < *bx0) *bx0 = x;
        if (x > *bx1) *bx1 = x;
        if (y < *by0) *by0 = y;
        if (y > *by1) *by1 = y;
        for (int dy = -1; dy <= 1; dy++)
            for (int dx = -1; dx <= 1; dx++) {
                int xx = x + dx, yy = y + dy;
                if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
                int32_t q = yy * w + xx;
                if (k->mask[q] && !k->done[q]) {
                    k->done[q] = 1;
                    k->stack[ns++] = q;
                }
            }
    }
    return np;
}

static int ensure_patch(work *k, size_t need) {
    if (need <= k->patch_cap) return CGAN_OK;
    uint8_t *p = realloc(k->patch, need);
    if (p == NULL) return CGAN_ENOMEM;
    k->patch = p;
    k->patch_cap = need;
    return CGAN_OK;
}

/* Fill the holes of the particle in the padded patch (pw x ph, particle = 1):
 * background 4-connected to the border becomes 2, the rest (holes) 1.
 * Returns the number of hole pixels and marks them done in the image. */
static int64_t fill_holes(work *k, int pw, int ph, int left, int top) {
    uint8_t *pt = k->patch;
    int64_t ns = 0, holes = 0;
    pt[0] = 2;
    k->stack[ns++] = 0;
    while (ns > 0) {
        int32_t p = k->stack[--ns];
        int x = p % pw, y = p / pw;
        const int nx[4] = {x + 1, x - 1, x, x}, ny[4] = {y, y, y + 1, y - 1};
        for (int j = 0; j < 4; j++) {
            if (nx[j] < 0 || ny[j] < 0 || nx[j] >= pw || ny[j] >= ph) continue;
            int32_t q = ny[j] * pw + nx[j];
            if (pt[q] == 0) {
                pt[q] = 2;
                k->stack[ns++] = q;
            }
        }
    }
    for (int y = 1; y < ph - 1; y++)
        for (int x = 1; x < pw - 1; x++) {
            uint8_t *v = &pt[(int64_t)y * pw + x];
            if (*v == 0) {
                *v = 1;
                holes++;
                k->done[(int64_t)(top + y - 1) * k->w + (left + x - 1)] = 1; /* swallowed */
            }
        }
    return holes;
}

static int add_row(work *k, const double *row) {
    if (k->n == k->cap) {
        int64_t cap = k->cap ? 2 * k->cap : 64;
        double *r = realloc(k->rows, sizeof(double) * CGAN_COL_COUNT_ * (size_t)cap);
        if (r == NULL) return CGAN_ENOMEM;
        k->rows = r;
        k->cap = cap;
    }
    memcpy(k->rows + k->n * CGAN_COL_COUNT_, row, sizeof(double) * CGAN_COL_COUNT_);
    k->n++;
    return CGAN_OK;
}

/* 1 if a pixel of the particle (its pixels, or its padded patch with filled
 * holes when patch is set) lies in the excluded region. */
static int excluded(const work *k, int64_t npix, const uint8_t *patch, int pw, int ph, int left,
                    int top) {
    if (k->exclude == NULL) return 0;
    if (patch == NULL) {
        for (int64_t i = 0; i < npix; i++)
            if (k->exclude[k->pix[i]]) return 1;
        return 0;
    }
    for (int y = 1; y < ph - 1; y++)
        for (int x = 1; x < pw - 1; x++)
            if (patch[(int64_t)y * pw + x] == 1 &&
                k->exclude[(int64_t)(top + y - 1) * k->w + (left + x - 1)])
                return 1;
    return 0;
}

/* Measure the particle whose first pixel is (x0, y0); its row is added if
 * it passes the filters. */
static int particle(work *k, const cgan_analysis_opts *o, int x0, int y0) {
    int bx0, by0, bx1, by1;
    int64_t npix = component(k, x0, y0, &bx0, &by0, &bx1, &by1);
    int bw = bx1 - bx0 + 1, bh = by1 - by0 + 1;
    int thin = bw == 1 || bh == 1; /* ImageJ measures the bounding rectangle */
    int holes = CGAN__OPT_I(o, CGAN_ANALYSIS_INCLUDE_HOLES);
    int pw = bw + 2, ph = bh + 2; /* padded patch; interior is the box */
    if (!thin) {
        if (ensure_patch(k, (size_t)pw * (size_t)ph) != CGAN_OK) return CGAN_ENOMEM;
        memset(k->patch, 0, (size_t)pw * (size_t)ph);
        for (int64_t i = 0; i < npix; i++) {
            int x = k->pix[i] % k->w, y = k->pix[i] / k->w;
            k->patch[(int64_t)(y - by0 + 1) * pw + (x - bx0 + 1)] = 1;
        }
        if (holes) npix += fill_holes(k, pw, ph, bx0, by0);
    }
    int edges = CGAN__OPT_I(o, CGAN_ANALYSIS_EDGES);
    int touches_lt = bx0 == 0 || by0 == 0, touches_rb = bx1 == k->w - 1 || by1 == k->h - 1;
    if (edges == CGAN_EDGES_EXCLUDE && (touches_lt || touches_rb)) return CGAN_OK;
    if (edges == CGAN_EDGES_GUNDERSEN && touches_lt) return CGAN_OK;
    double maxs = o->v[CGAN_ANALYSIS_MAX_SIZE];
    if ((double)npix < o->v[CGAN_ANALYSIS_MIN_SIZE] || (maxs > 0 && (double)npix > maxs))
        return CGAN_OK;
    if (excluded(k, npix, thin ? NULL : k->patch, pw, ph, bx0, by0)) return CGAN_OK;

    cgan__ellipse e;
    if (thin) {
        cgan__ellipse_fit(NULL, bw, bh, bx0, by0, &e);
    } else {
        /* compact the padded patch to the box (1 = particle or filled hole) */
        for (int y = 0; y < bh; y++)
            for (int x = 0; x < bw; x++)
                k->patch[(int64_t)y * bw + x] = k->patch[(int64_t)(y + 1) * pw + (x + 1)] == 1;
        cgan__ellipse_fit(k->patch, bw, bh, bx0, by0, &e);
    }
    int rc = cgan__wand_trace(k->mask, k->w, k->h, x0, y0, &k->ol);
    if (rc != CGAN_OK) return rc;
    double perim = cgan__traced_perimeter(&k->ol);
    double row[CGAN_COL_COUNT_];
    double area = (double)npix;
    row[CGAN_COL_AREA] = area;
    row[CGAN_COL_X] = e.x;
    row[CGAN_COL_Y] = e.y;
    row[CGAN_COL_PERIM] = perim;
    row[CGAN_COL_MAJOR] = e.major;
    row[CGAN_COL_MINOR] = e.minor;
    row[CGAN_COL_ANGLE] = e.angle;
    double circ = perim == 0.0 ? 0.0 : 4.0 * M_PI * (area / (perim * perim));
    row[CGAN_COL_CIRC] = circ > 1.0 ? 1.0 : circ;
    row[CGAN_COL_AR] = e.major / e.minor;
    row[CGAN_COL_ECD] = 2.0 * sqrt(area / M_PI);
    if (add_row(k, row) != CGAN_OK) return CGAN_ENOMEM;
    return CGAN_OK;
}

int cgan__particles(const uint8_t *mask, const uint8_t *exclude, int w, int h,
                    const cgan_analysis_opts *o, double **cols, int64_t *n) {
    int64_t np = (int64_t)w * h;
    work k;
    memset(&k, 0, sizeof k);
    k.mask = mask;
    k.exclude = exclude;
    k.w = w;
    k.h = h;
    k.done = calloc((size_t)np, 1);
    k.pix = malloc(sizeof(int32_t) * (size_t)np);
    /* a padded patch is at most (w+2)(h+2) pixels: the stack serves both fills */
    k.stack = malloc(sizeof(int32_t) * (size_t)(w + 2) * (size_t)(h + 2));
    int rc = CGAN_OK;
    if (!k.done || !k.pix || !k.stack) rc = CGAN_ENOMEM;
    for (int y = 0; y < h && rc == CGAN_OK; y++)
        for (int x = 0; x < w && rc == CGAN_OK; x++) {
            int64_t i = (int64_t)y * w + x;
            if (mask[i] && !k.done[i]) rc = particle(&k, o, x, y);
        }
    free(k.done);
    free(k.pix);
    free(k.stack);
    free(k.patch);
    cgan__outline_free(&k.ol);
    if (rc != CGAN_OK) {
        free(k.rows);
        if (rc == CGAN_ENOMEM)
            return cgan__error(CGAN_ENOMEM, "cgan_micrograph_analyze: out of memory (%dx%d image)",
                               w, h);
        return rc;
    }
    *cols = k.rows;
    *n = k.n;
    return CGAN_OK;
}
