/* Binary opening of the phase mask with a (2r+1) x (2r+1) square: erosion
 * then dilation, each separable into a row pass and a column pass.  Pixels
 * outside the image are ignored (ImageJ's "pad edges when eroding"), so a
 * particle is not eaten away from the border. */
#include "analysis_internal.h"

#include <stdlib.h>
#include <string.h>

/* dst[i] = 1 if the window [i-r, i+r] (clipped to the line) holds only 1s
 * (erode) or any 1 (dilate), for one line of len pixels with a stride. */
static void line_pass(const uint8_t *src, uint8_t *dst, int len, int64_t stride, int r,
                      int erode, int32_t *prefix) {
    prefix[0] = 0;
    for (int i = 0; i < len; i++) prefix[i + 1] = prefix[i] + (src[(int64_t)i * stride] != 0);
    for (int i = 0; i < len; i++) {
        int a = i - r < 0 ? 0 : i - r, b = i + r >= len ? len - 1 : i + r;
        int ones = prefix[b + 1] - prefix[a];
        dst[(int64_t)i * stride] = erode ? ones == b - a + 1 : ones > 0;
    }
}

/* Rows then columns; tmp is a w*h scratch buffer. */
static void pass2d(uint8_t *mask, uint8_t *tmp, int w, int h, int r, int erode, int32_t *prefix) {
    for (int y = 0; y < h; y++)
        line_pass(mask + (int64_t)y * w, tmp + (int64_t)y * w, w, 1, r, erode, prefix);
    for (int x = 0; x < w; x++) line_pass(tmp + x, mask + x, h, w, r, erode, prefix);
}

int cgan__binary_open(uint8_t *mask, int w, int h, int r) {
    if (r <= 0) return CGAN_OK;
    uint8_t *tmp = malloc((size_t)w * (size_t)h);
    int32_t *prefix = malloc(sizeof(int32_t) * (size_t)((w > h ? w : h) + 1));
    if (!tmp || !prefix) {
        free(tmp);
        free(prefix);
        return cgan__error(CGAN_ENOMEM, "cgan_micrograph_analyze: out of memory for the opening");
    }
    pass2d(mask, tmp, w, h, r, 1, prefix);
    pass2d(mask, tmp, w, h, r, 0, prefix);
    free(tmp);
    free(prefix);
    return CGAN_OK;
}
