/* ImageJ's "Fit Ellipse" (EllipseFitter, 1.53t), step for step so that the
 * results agree to the last digits: second moments of the mask with each
 * pixel a unit square, then an ellipse rescaled to the particle's area.
 * The truncated constants (0.08333333, HALFPI, sqrt(pi)) are ImageJ's. */
#include "analysis_internal.h"

#include <math.h>

#define IJ_HALFPI 1.5707963267949
#define IJ_TWELFTH 0.08333333
#define IJ_SQRTPI 1.772453851

/* One- or zero-pixel-thick particles are measured from their rectangle. */
static void fit_rectangle(int bw, int bh, int left, int top, cgan__ellipse *e) {
    e->major = (bw * 2) / IJ_SQRTPI;
    e->minor = (bh * 2) / IJ_SQRTPI;
    e->angle = 0.0;
    if (e->major < e->minor) {
        double t = e->major;
        e->major = e->minor;
        e->minor = t;
        e->angle = 90.0;
    }
    e->x = left + bw / 2.0;
    e->y = top + bh / 2.0;
}

void cgan__ellipse_fit(const uint8_t *patch, int bw, int bh, int left, int top,
                       cgan__ellipse *e) {
    if (patch == NULL) {
        fit_rectangle(bw, bh, left, top, e);
        return;
    }
    /* integer sums over local coordinates, exact in double */
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, n = 0;
    for (int y = 0; y < bh; y++) {
        double cnt = 0, xs = 0;
        for (int x = 0; x < bw; x++)
            if (patch[(int64_t)y * bw + x]) cnt += 1, xs += x, sxx += (double)x * x;
        sx += xs;
        sy += cnt * y;
        sxy += xs * y;
        syy += (double)y * y * cnt;
        n += cnt;
    }
    sxx += IJ_TWELFTH * n;
    syy += IJ_TWELFTH * n;
    double xm = sx / n, ym = sy / n;
    double u20 = sxx / n - xm * xm, u02 = syy / n - ym * ym, u11 = sxy / n - xm * ym;

    double m4 = 4.0 * fabs(u02 * u20 - u11 * u11);
    if (m4 < 0.000001) m4 = 0.000001;
    double a11 = u02 / m4, a12 = u11 / m4, a22 = u20 / m4;
    double tmp = a11 - a22;
    if (tmp == 0.0) tmp = 0.000001;
    double theta = 0.5 * atan(2.0 * a12 / tmp);
    if (theta < 0.0) theta += IJ_HALFPI;
    if (a12 > 0.0) {
        theta += IJ_HALFPI;
    } else if (a12 == 0.0) {
        if (a22 > a11) {
            theta = 0.0;
            tmp = a22;
            a22 = a11;
            a11 = tmp;
        } else if (a11 != a22) {
            theta = IJ_HALFPI;
        }
    }
    tmp = sin(theta);
    if (tmp == 0.0) tmp = 0.000001;
    double z = a12 * cos(theta) / tmp;
    double major = sqrt(1.0 / fabs(a22 + z)), minor = sqrt(1.0 / fabs(a11 - z));
    double scale = sqrt(n / (M_PI * major * minor)); /* equal areas */
    major = major * scale * 2.0;
    minor = minor * scale * 2.0;
    double angle = 180.0 * theta / M_PI;
    if (angle == 180.0) angle = 0.0;
    if (major < minor) { /* ImageJ keeps the angle here */
        tmp = major;
        major = minor;
        minor = tmp;
    }
    e->major = major;
    e->minor = minor;
    e->angle = angle;
    e->x = left + xm + 0.5;
    e->y = top + ym + 0.5;
}
