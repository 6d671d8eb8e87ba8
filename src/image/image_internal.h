/* Private helpers shared by the image readers. */
#ifndef CGAN_IMAGE_INTERNAL_H
#define CGAN_IMAGE_INTERNAL_H

#include "../core/internal.h"

/* Interleaved 8- or 16-bit pixels (w*h*channels) to gray in [0, 1]: the
 * unweighted mean of the first three channels (ImageJ's conversion), or the
 * first channel when there are fewer than three. */
void cgan__image_to_gray(float *dst, const void *pixels, int is16, int w, int h, int channels);

int cgan__image_read_stb(const char *path, cgan_tensor **out, int *bits);
int cgan__image_read_tiff(const char *path, cgan_tensor **out, int *bits);

#endif
