/*
 * libcgan images: reading micrographs as float grayscale and writing PNGs.
 * Include <cgan.h>, not this file directly.
 */
#ifndef CGAN_IMAGE_H
#define CGAN_IMAGE_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Read an image file as grayscale: TIFF (libtiff: 8/16-bit gray or RGB,
 * strips or tiles, the first page of a multi-page file) or PNG, JPEG, BMP,
 * PGM/PPM (stb_image); the decoder is chosen by the file's first bytes,
 * not its extension.  *out becomes a new [1, 1, H, W] tensor with values in [0, 1]:
 * an 8-bit value v becomes v/255, a 16-bit value v/65535.  Colour is
 * converted as the unweighted mean (R+G+B)/3, as ImageJ does.  bits, if not
 * NULL, receives the stored bit depth per channel (8 or 16).
 * Errors: CGAN_EIO (cannot open), CGAN_EFORMAT (damaged or unsupported),
 * with the file name and reason in cgan_last_error(). */
CGAN_API int cgan_image_read(const char *path, cgan_tensor **out, int *bits);

/* Write a grayscale PNG (8 or 16 bits).  img is [H, W], [1, H, W] or
 * [1, 1, H, W]; value lo maps to black and hi to white, values outside are
 * clipped.  The file is written to a temporary name and renamed, so an
 * existing file is never left half-written. */
CGAN_API int cgan_image_write_png(const char *path, const cgan_tensor *img, float lo, float hi,
                                  int bits);

#ifdef __cplusplus
}
#endif
#endif /* CGAN_IMAGE_H */
