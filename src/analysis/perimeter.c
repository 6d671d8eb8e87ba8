/* ImageJ's particle perimeter: the outline polygon that its Wand traces
 * (legacy thresholded mode: 8-connected, outer boundary only), and
 * PolygonRoi's "traced perimeter", which counts straight edges as 1 and
 * shortens alternate corners of staircases by 2 - sqrt(2).  Because the
 * corner rule depends on where the walk starts, the walk starts where
 * ImageJ's does: right of the run that begins at the particle's first pixel,
 * going down, outside on the left. */
#include "analysis_internal.h"

#include <math.h>
#include <stdlib.h>

typedef struct tracer {
    const uint8_t *mask;
    int w, h;
} tracer;

static int inside(const tracer *t, int x, int y) {
    return x >= 0 && y >= 0 && x < t->w && y < t->h && t->mask[(int64_t)y * t->w + x];
}

/* The pixel seen from vertex (x, y) (top-left corner of pixel (x, y)) in
 * direction d: 0 right/below, 1 right/above, 2 left/above, 3 left/below. */
static int inside_dir(const tracer *t, int x, int y, int d) {
    switch (d & 3) {
    case 0: return inside(t, x, y);
    case 1: return inside(t, x, y - 1);
    case 2: return inside(t, x - 1, y - 1);
    default: return inside(t, x - 1, y);
    }
}

static int add_point(cgan__outline *ol, int x, int y) {
    if (ol->n == ol->cap) {
        int cap = ol->cap ? 2 * ol->cap : 256;
        int *nx = realloc(ol->x, sizeof(int) * (size_t)cap);
        if (nx == NULL) return CGAN_ENOMEM;
        ol->x = nx;
        int *ny = realloc(ol->y, sizeof(int) * (size_t)cap);
        if (ny == NULL) return CGAN_ENOMEM;
        ol->y = ny;
        ol->cap = cap;
    }
    ol->x[ol->n] = x;
    ol->y[ol->n] = y;
    ol->n++;
    return CGAN_OK;
}

int cgan__wand_trace(const uint8_t *mask, int w, int h, int x0, int y0, cgan__outline *ol) {
    tracer t = {mask, w, h};
    int x = x0, y = y0;
    ol->n = 0;
    while (inside(&t, x, y)) x++; /* to the right end of the first run */
    /* (x, y) is outside: start at the vertex below it, walking down
     * (direction 3); directions: 0 +x, 1 -y, 2 -x, 3 +y */
    const int start_dir = 3, sx = x, sy = y + 1;
    int dir = start_dir;
    y = sy;
    do {
        /* 8-connected: turn left as far as an inside pixel allows */
        int nd = dir + 1;
        do {
            if (inside_dir(&t, x, y, nd)) break;
            nd--;
        } while (nd >= dir);
        if (nd != dir && add_point(ol, x, y) != CGAN_OK)
            return cgan__error(CGAN_ENOMEM, "cgan_micrograph_analyze: out of memory for outline");
        switch (nd & 3) {
        case 0: x++; break;
        case 1: y--; break;
        case 2: x--; break;
        default: y++; break;
        }
        dir = nd;
    } while (x != sx || y != sy || (dir & 3) != start_dir);
    if (ol->n > 0 && ol->x[0] != x && add_point(ol, x, y) != CGAN_OK)
        return cgan__error(CGAN_ENOMEM, "cgan_micrograph_analyze: out of memory for outline");
    return CGAN_OK;
}

double cgan__traced_perimeter(const cgan__outline *ol) {
    int n = ol->n;
    if (n == 0) return 0.0;
    long sumdx = 0, sumdy = 0, corners = 0;
    int dx1 = ol->x[0] - ol->x[n - 1], dy1 = ol->y[0] - ol->y[n - 1];
    int side1 = abs(dx1) + abs(dy1), corner = 0;
    for (int i = 0; i < n; i++) {
        int nx = i + 1 == n ? 0 : i + 1;
        int dx2 = ol->x[nx] - ol->x[i], dy2 = ol->y[nx] - ol->y[i];
        sumdx += abs(dx1);
        sumdy += abs(dy1);
        int side2 = abs(dx2) + abs(dy2);
        /* a corner after a long side, or every other one in a staircase */
        if (side1 > 1 || !corner) {
            corner = 1;
            corners++;
        } else {
            corner = 0;
        }
        dx1 = dx2;
        dy1 = dy2;
        side1 = side2;
    }
    return (double)sumdx + (double)sumdy - (double)corners * (2.0 - sqrt(2.0));
}

void cgan__outline_free(cgan__outline *ol) {
    free(ol->x);
    free(ol->y);
    ol->x = ol->y = NULL;
    ol->n = ol->cap = 0;
}
