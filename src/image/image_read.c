/* Reading micrographs as float grayscale.  TIFF goes to libtiff
 * (tiff_read.c); PNG, JPEG, BMP, PGM/PPM, GIF and TGA are decoded by
 * Debian's stb_image.  The decoder is chosen by the file's first bytes,
 * never by its extension. */
#include "../core/internal.h"
#include "image_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <stb_image.h>

/* Average the colour channels (ImageJ's unweighted conversion), ignoring
 * alpha, and scale to [0, 1]. */
void cgan__image_to_gray(float *dst, const void *pixels, int is16, int w, int h, int channels) {
    int colour = channels >= 3 ? 3 : 1;
    double scale = is16 ? 1.0 / 65535.0 : 1.0 / 255.0;
    for (int64_t i = 0; i < (int64_t)w * h; i++) {
        double sum = 0.0;
        for (int c = 0; c < colour; c++)
            sum += is16 ? ((const uint16_t *)pixels)[i * channels + c]
                        : ((const uint8_t *)pixels)[i * channels + c];
        dst[i] = (float)(sum / colour * scale);
    }
}

int cgan__image_read_stb(const char *path, cgan_tensor **out, int *bits) {
    int w, h, channels, is16;
    void *pixels;
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) return cgan__error(CGAN_EIO, "cannot open image %s: %s", path, strerror(errno));
    is16 = stbi_is_16_bit_from_file(fp);
    fseek(fp, 0, SEEK_SET);
    pixels = is16 ? (void *)stbi_load_from_file_16(fp, &w, &h, &channels, 0)
                  : (void *)stbi_load_from_file(fp, &w, &h, &channels, 0);
    fclose(fp);
    if (pixels == NULL)
        return cgan__error(CGAN_EFORMAT, "cannot decode image %s: %s", path, stbi_failure_reason());
    int rc = cgan_tensor_create4(out, 1, 1, h, w);
    if (rc == CGAN_OK) {
        cgan__image_to_gray((*out)->data, pixels, is16, w, h, channels);
        if (bits) *bits = is16 ? 16 : 8;
    }
    stbi_image_free(pixels);
    return rc;
}

int cgan_image_read(const char *path, cgan_tensor **out, int *bits) {
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    CGAN__CHECK_NOT_NULL(path, "path");
    unsigned char magic[4] = {0};
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) return cgan__error(CGAN_EIO, "cannot open image %s: %s", path, strerror(errno));
    size_t n = fread(magic, 1, 4, fp);
    fclose(fp);
    /* classic TIFF (42) and BigTIFF (43), either byte order */
    if (n == 4 && ((magic[0] == 'I' && magic[1] == 'I' && (magic[2] == 42 || magic[2] == 43) && magic[3] == 0) ||
                   (magic[0] == 'M' && magic[1] == 'M' && magic[2] == 0 && (magic[3] == 42 || magic[3] == 43))))
        return cgan__image_read_tiff(path, out, bits);
    return cgan__image_read_stb(path, out, bits);
}
