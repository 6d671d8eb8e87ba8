/* Writing grayscale PNGs of 8 or 16 bits with libpng (stb_image_write only
 * writes 8-bit PNGs). */
#include "../core/internal.h"

#include <math.h>
#include <setjmp.h>
#include <stdlib.h>

#include <png.h>

static int write_gray_png(FILE *fp, const float *data, int64_t h, int64_t w, float lo, float hi,
                          int bits, const char *path) {
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    int bytes = bits / 8;
    unsigned char *row = malloc((size_t)w * (size_t)bytes);
    double maxv = bits == 16 ? 65535.0 : 255.0;
    double scale = hi > lo ? maxv / ((double)hi - lo) : 0.0;
    if (png == NULL || info == NULL || row == NULL) {
        png_destroy_write_struct(&png, &info);
        free(row);
        return cgan__error(CGAN_ENOMEM, "out of memory writing %s", path);
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(row);
        return cgan__error(CGAN_EIO, "libpng failed to write %s", path);
    }
    png_init_io(png, fp);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, bits, PNG_COLOR_TYPE_GRAY,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int64_t y = 0; y < h; y++) {
        for (int64_t x = 0; x < w; x++) {
            double v = ((double)data[y * w + x] - lo) * scale;
            v = isnan(v) ? 0.0 : v < 0.0 ? 0.0 : v > maxv ? maxv : v;
            unsigned q = (unsigned)lrint(v);
            if (bytes == 2) {
                row[2 * x] = (unsigned char)(q >> 8); /* PNG is big-endian */
                row[2 * x + 1] = (unsigned char)(q & 0xff);
            } else {
                row[x] = (unsigned char)q;
            }
        }
        png_write_row(png, row);
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    free(row);
    return CGAN_OK;
}

int cgan_image_write_png(const char *path, const cgan_tensor *img, float lo, float hi, int bits) {
    cgan__atomic_file af;
    int64_t h, w;
    int rc;
    CGAN__CHECK_NOT_NULL(path, "path");
    CGAN__CHECK_NOT_NULL(img, "img");
    if (bits != 8 && bits != 16)
        return cgan__error(CGAN_EINVAL, "cgan_image_write_png: bits must be 8 or 16, not %d", bits);
    if (!(hi > lo)) return cgan__error(CGAN_EINVAL, "cgan_image_write_png: need hi > lo");
    for (int i = 0; i + 2 < img->ndim; i++)
        if (img->shape[i] != 1) {
            char buf[64];
            return cgan__error(CGAN_ESHAPE, "cgan_image_write_png: %s is not one grayscale image",
                               cgan__shape_str(img, buf, sizeof buf));
        }
    if (img->ndim < 2) return cgan__error(CGAN_ESHAPE, "cgan_image_write_png: need at least 2-D");
    h = img->shape[img->ndim - 2];
    w = img->shape[img->ndim - 1];
    if ((rc = cgan__atomic_open(&af, path)) != CGAN_OK) return rc;
    rc = write_gray_png(af.fp, img->data, h, w, lo, hi, bits, path);
    if (rc != CGAN_OK) {
        cgan__atomic_abort(&af);
        return rc;
    }
    return cgan__atomic_commit(&af);
}
