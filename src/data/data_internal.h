/* Private pieces of the data pipeline. */
#ifndef CGAN_DATA_INTERNAL_H
#define CGAN_DATA_INTERNAL_H

#include "../core/internal.h"

/* The path as written in the manifest (for provenance). */
const char *cgan__manifest_raw_path(const cgan_manifest *m, int64_t row);
/* The manifest file's path. */
const char *cgan__manifest_file(const cgan_manifest *m);

/* Split one CSV record starting at *p (RFC 4180 quoting, a quoted field may
 * not span lines); fields are malloc'd into *fields (count in *n), *p moves
 * past the line end.  Returns 0, or -1 with *why set for a quoting error. */
int cgan__csv_record(const char **p, char ***fields, int *n, const char **why);
/* If the line at *p is blank or a '#' comment, move *p past it and return 1. */
int cgan__csv_skip_comment(const char **p);
void cgan__csv_free(char **fields, int n);

/* patch_transform of a data set (NULL if the file had none). */
const int64_t *cgan__dataset_transforms(const cgan_dataset *d);

/* Integral image of (mask != 0) with (h+1) x (w+1) entries; NULL mask gives
 * NULL.  Sum over [x0,x1) x [y0,y1) with cgan__integral_sum. */
int64_t *cgan__integral(const cgan_tensor *mask, int64_t h, int64_t w);
int64_t cgan__integral_sum(const int64_t *ii, int64_t w, int64_t x0, int64_t y0, int64_t x1,
                           int64_t y1);

/* Sorted copy of the usable (mask == 0) values; *n receives their count. */
float *cgan__usable_sorted(const cgan_tensor *img, const cgan_tensor *mask, int64_t *n);

/* Apply transform t to a size x size patch, then add offset and clip to
 * [-1, 1] when offset != 0. */
void cgan__transform(const float *src, float *dst, int64_t size, int t);

#endif
