/* Sample sheets like the paper's Fig. 2: a grid of patches, one row per
 * condition, each row labelled on the left.  Labels are drawn with Debian's
 * stb_easy_font (a vector font made of quads) rasterised here. */
#include "../core/internal.h"
#include "data_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* a third-party header: silence its own warnings only */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-braces"
#pragma GCC diagnostic ignored "-Wunused-function"
#include <stb_easy_font.h>
#pragma GCC diagnostic pop

#define MARGIN 8
#define GAP 4

/* Draw ASCII text with its top-left at (x, y), each font unit scale px. */
static void draw_text(float *canvas, int64_t cw, int64_t ch, int64_t x, int64_t y, const char *text, int scale) {
    char ascii[256];
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p && n + 1 < sizeof ascii; p++)
        if (*p < 0x80) ascii[n++] = (char)*p;
        else if ((*p & 0xc0) != 0x80) ascii[n++] = '?'; /* one '?' per non-ASCII character */
    ascii[n] = '\0';
    size_t vsize = 300 * (n + 1); /* stb_easy_font needs ~270 bytes per character */
    char *vbuf = malloc(vsize);
    if (!vbuf) return;
    int nq = stb_easy_font_print(0, 0, ascii, NULL, vbuf, (int)vsize);
    for (int q = 0; q < nq; q++) {
        const float *v0 = (const float *)(vbuf + (size_t)q * 64), *v2 = (const float *)(vbuf + (size_t)q * 64 + 32);
        int64_t x0 = x + (int64_t)lround(v0[0] * scale), y0 = y + (int64_t)lround(v0[1] * scale);
        int64_t x1 = x + (int64_t)lround(v2[0] * scale), y1 = y + (int64_t)lround(v2[1] * scale);
        for (int64_t yy = y0 < 0 ? 0 : y0; yy < y1 && yy < ch; yy++)
            for (int64_t xx = x0 < 0 ? 0 : x0; xx < x1 && xx < cw; xx++) canvas[yy * cw + xx] = 0.0f;
    }
    free(vbuf);
}

static int text_width(const char *text) {
    char ascii[256];
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p && n + 1 < sizeof ascii; p++)
        if (*p < 0x80) ascii[n++] = (char)*p;
        else if ((*p & 0xc0) != 0x80) ascii[n++] = '?';
    ascii[n] = '\0';
    return stb_easy_font_width(ascii);
}

int cgan_sheet_write_png(const char *path, const cgan_tensor *images, int64_t rows, int64_t cols,
                         const char *const *labels) {
    CGAN__CHECK_NOT_NULL(path, "path");
    CGAN__CHECK_NOT_NULL(images, "images");
    CGAN__CHECK_NOT_NULL(labels, "labels");
    if (rows < 1 || cols < 1 || images->ndim != 4 || images->shape[0] != rows * cols ||
        images->shape[1] != 1 || images->shape[2] != images->shape[3])
        return cgan__error(CGAN_ESHAPE, "cgan_sheet_write_png: images must be [rows*cols = %lld, 1, S, S]",
                           (long long)(rows * cols));
    int64_t s = images->shape[2];
    int scale = s >= 48 ? 2 : 1, label_w = 0;
    for (int64_t r = 0; r < rows; r++) {
        if (!labels[r]) return cgan__error(CGAN_EINVAL, "cgan_sheet_write_png: label %lld is NULL", (long long)r);
        int tw = text_width(labels[r]) * scale;
        if (tw > label_w) label_w = tw;
    }
    int64_t x_img = MARGIN + label_w + MARGIN;
    int64_t cw = x_img + cols * (s + GAP) - GAP + MARGIN, ch = MARGIN + rows * (s + GAP) - GAP + MARGIN;
    cgan_tensor *canvas;
    int rc = cgan_tensor_create4(&canvas, 1, 1, ch, cw);
    if (rc != CGAN_OK) return rc;
    float *c = canvas->data;
    for (int64_t i = 0; i < canvas->numel; i++) c[i] = 1.0f;
    for (int64_t r = 0; r < rows; r++) {
        int64_t y = MARGIN + r * (s + GAP);
        int64_t th = 7 * scale; /* glyph cap height in font units is about 7 */
        draw_text(c, cw, ch, MARGIN, y + (s - th) / 2, labels[r], scale);
        for (int64_t k = 0; k < cols; k++) {
            const float *src = images->data + (r * cols + k) * s * s;
            if (isnan(src[0])) continue;
            int64_t x = x_img + k * (s + GAP);
            for (int64_t yy = 0; yy < s; yy++)
                for (int64_t xx = 0; xx < s; xx++) {
                    float v = 0.5f * (src[yy * s + xx] + 1.0f);
                    c[(y + yy) * cw + x + xx] = v < 0 ? 0 : v > 1 ? 1 : v;
                }
        }
    }
    rc = cgan_image_write_png(path, canvas, 0.0f, 1.0f, 8);
    cgan_tensor_destroy(canvas);
    return rc;
}

int cgan_dataset_sheet(const cgan_dataset *d, const char *path, int64_t cols, uint64_t seed) {
    CGAN__CHECK_NOT_NULL(d, "d");
    CGAN__CHECK_NOT_NULL(path, "path");
    if (cols < 1) return cgan__error(CGAN_EINVAL, "cgan_dataset_sheet: cols must be >= 1");
    int64_t n = cgan_dataset_count(d), s = cgan_dataset_size(d), rows = cgan_dataset_classes(d);
    const int64_t *lab = cgan_dataset_labels(d), *xf = cgan__dataset_transforms(d);
    const float *all = cgan_tensor_data_const(cgan_dataset_patches(d));
    cgan_tensor *grid = NULL;
    cgan_rng *rng = NULL;
    int64_t *pick = malloc(sizeof(int64_t) * (size_t)n);
    const char **labels = malloc(sizeof(char *) * (size_t)rows);
    int rc = pick && labels ? cgan_tensor_create4(&grid, rows * cols, 1, s, s)
                            : cgan__error(CGAN_ENOMEM, "cgan_dataset_sheet: out of memory");
    if (rc == CGAN_OK) rc = cgan_rng_create(&rng, seed);
    for (int64_t r = 0; rc == CGAN_OK && r < rows; r++) {
        int64_t m = 0, orig = 0;
        labels[r] = cgan_dataset_class_name(d, r);
        for (int pass = 0; pass < 2; pass++) /* untransformed patches first */
            for (int64_t i = 0; i < n; i++)
                if (lab[i] == r && ((xf && xf[i] != 0) == pass)) pick[m++] = i;
        for (int64_t i = 0; i < m; i++) orig += !xf || xf[pick[i]] == 0;
        for (int64_t i = orig - 1; i > 0; i--) { /* shuffle among the originals */
            int64_t j = cgan_rng_below(rng, i + 1), t = pick[i];
            pick[i] = pick[j];
            pick[j] = t;
        }
        for (int64_t k = 0; k < cols; k++) {
            float *dst = grid->data + (r * cols + k) * s * s;
            if (k < m) memcpy(dst, all + pick[k] * s * s, sizeof(float) * (size_t)(s * s));
            else dst[0] = NAN;
        }
    }
    if (rc == CGAN_OK) rc = cgan_sheet_write_png(path, grid, rows, cols, labels);
    cgan_rng_destroy(rng);
    cgan_tensor_destroy(grid);
    free(pick);
    free(labels);
    return rc;
}
