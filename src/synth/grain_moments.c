/* The true grains measured as ImageJ measures particles: area = pixel
 * count, centroid at pixel centres (i + 0.5), and the "Fit Ellipse" closed
 * form (docs: /work/shared/reference/imagej-measurement.md section 2.3):
 * central second moments plus 1/12 per pixel, an ellipse with those moments
 * rescaled to the particle's area, angle counter-clockwise from +x on screen. */
#include "synth_internal.h"

#include <math.h>
#include <string.h>

int cgan__synth_measure_labels(const int32_t *lab, int w, int h, int n, double *rows) {
    /* per label: count, sum x, sum y, sum xx, sum yy, sum xy, touches edge;
     * coordinates relative to the first pixel seen, to keep sums small */
    double *acc = calloc((size_t)n * 9, sizeof(double));
    if (acc == NULL) return cgan__error(CGAN_ENOMEM, "grain measurement: out of memory");
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            int l = lab[(size_t)y * w + x];
            double *a, dx, dy;
            if (l <= 0 || l > n) continue;
            a = acc + (size_t)(l - 1) * 9;
            if (a[0] == 0.0) a[7] = x, a[8] = y;
            dx = x - a[7];
            dy = y - a[8];
            a[0] += 1.0;
            a[1] += dx;
            a[2] += dy;
            a[3] += dx * dx;
            a[4] += dy * dy;
            a[5] += dx * dy;
            if (x == 0 || y == 0 || x == w - 1 || y == h - 1) a[6] = 1.0;
        }
    for (int l = 0; l < n; l++) {
        const double *a = acc + (size_t)l * 9;
        double *r = rows + (size_t)l * CGAN_SYNTH_GRAIN_COLUMNS, cnt = a[0];
        double xm, ym, u20, u02, u11, mid, rad, l1, l2, angle;
        memset(r, 0, sizeof(double) * CGAN_SYNTH_GRAIN_COLUMNS);
        if (cnt == 0.0) continue;
        xm = a[1] / cnt;
        ym = a[2] / cnt;
        u20 = a[3] / cnt - xm * xm + 1.0 / 12.0;
        u02 = a[4] / cnt - ym * ym + 1.0 / 12.0;
        u11 = a[5] / cnt - xm * ym;
        mid = 0.5 * (u20 + u02);
        rad = sqrt(0.25 * (u20 - u02) * (u20 - u02) + u11 * u11);
        l1 = mid + rad;
        l2 = mid - rad;
        angle = (u11 == 0.0 && u20 == u02) ? 0.0 : -0.5 * atan2(2.0 * u11, u20 - u02) * 180.0 / M_PI;
        angle = fmod(angle + 360.0, 180.0);
        r[CGAN_SYNTH_GRAIN_X] = a[7] + xm + 0.5;
        r[CGAN_SYNTH_GRAIN_Y] = a[8] + ym + 0.5;
        r[CGAN_SYNTH_GRAIN_MAJOR] = 2.0 * sqrt(cnt / M_PI) * pow(l1 / l2, 0.25);
        r[CGAN_SYNTH_GRAIN_MINOR] = 2.0 * sqrt(cnt / M_PI) * pow(l2 / l1, 0.25);
        r[CGAN_SYNTH_GRAIN_ANGLE] = angle;
        r[CGAN_SYNTH_GRAIN_AREA] = cnt;
        r[CGAN_SYNTH_GRAIN_EDGE] = a[6];
    }
    free(acc);
    return CGAN_OK;
}
