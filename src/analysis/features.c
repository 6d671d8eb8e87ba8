/* Segmentation-free statistics of the binary phase: pixel count, interface
 * length, Euler number and chord (intercept) lengths. */
#include "analysis_internal.h"

#include <stdlib.h>

int64_t cgan__phase_pixels(const uint8_t *mask, int w, int h) {
    int64_t s = 0;
    for (int64_t i = 0; i < (int64_t)w * h; i++) s += mask[i] != 0;
    return s;
}

/* Horizontally and vertically adjacent pixel pairs of different phase;
 * a pair with an excluded pixel is no interface of the microstructure. */
int64_t cgan__interface_pairs(const uint8_t *mask, const uint8_t *excl, int w, int h) {
    int64_t e = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            int64_t i = (int64_t)y * w + x;
            if (excl && excl[i]) continue;
            int v = mask[i] != 0;
            if (x + 1 < w && !(excl && excl[i + 1])) e += v != (mask[i + 1] != 0);
            if (y + 1 < h && !(excl && excl[i + w])) e += v != (mask[i + w] != 0);
        }
    return e;
}

static int px(const uint8_t *m, int w, int h, int x, int y) {
    return x >= 0 && y >= 0 && x < w && y < h && m[(int64_t)y * w + x] != 0;
}

/* Gray's bit quads on the zero-padded image: chi = (Q1 - Q3 - 2 QD) / 4
 * for 8-connected foreground. */
int cgan__euler8(const uint8_t *mask, int w, int h) {
    int64_t q1 = 0, q3 = 0, qd = 0;
    for (int y = -1; y < h; y++)
        for (int x = -1; x < w; x++) {
            int a = px(mask, w, h, x, y), b = px(mask, w, h, x + 1, y);
            int c = px(mask, w, h, x, y + 1), d = px(mask, w, h, x + 1, y + 1);
            int s = a + b + c + d;
            if (s == 1) q1++;
            else if (s == 3) q3++;
            else if (s == 2 && a == d) qd++; /* diagonal pair */
        }
    return (int)((q1 - q3 - 2 * qd) / 4);
}

/* Pixel i along line o is excluded (outside the line counts as excluded). */
static int cut(const uint8_t *excl, int w, int axis, int o, int i, int inner) {
    if (i < 0 || i >= inner) return 1;
    return excl && excl[axis == 0 ? (int64_t)o * w + i : (int64_t)i * w + o];
}

int cgan__chords(const uint8_t *mask, const uint8_t *excl, int w, int h, int axis, double **len,
                 int64_t *n) {
    int outer = axis == 0 ? h : w, inner = axis == 0 ? w : h;
    int64_t cap = 64, cnt = 0;
    double *out = malloc(sizeof(double) * (size_t)cap);
    if (out == NULL) return cgan__error(CGAN_ENOMEM, "cgan_micrograph_analyze: out of memory");
    for (int o = 0; o < outer; o++) {
        int run = 0, start = 0;
        for (int i = 0; i <= inner; i++) {
            int v = 0;
            if (i < inner) v = axis == 0 ? mask[(int64_t)o * w + i] : mask[(int64_t)i * w + o];
            if (v) {
                if (run == 0) start = i;
                run++;
                continue;
            }
            /* a run cut by the border or an excluded pixel has unknown length */
            if (run > 0 && !cut(excl, w, axis, o, start - 1, inner) && !cut(excl, w, axis, o, i, inner)) {
                if (cnt == cap) {
                    double *t = realloc(out, sizeof(double) * (size_t)(cap *= 2));
                    if (t == NULL) {
                        free(out);
                        return cgan__error(CGAN_ENOMEM, "cgan_micrograph_analyze: out of memory");
                    }
                    out = t;
                }
                out[cnt++] = run;
            }
            run = 0;
        }
    }
    *len = out;
    *n = cnt;
    return CGAN_OK;
}
