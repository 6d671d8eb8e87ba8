/* Private pieces of the NumPy I/O module: the .npy header, dtype decoding,
 * byte streams over plain files and zip members. */
#ifndef CGAN_NPY_INTERNAL_H
#define CGAN_NPY_INTERNAL_H

#include "../core/internal.h"

#include <zlib.h>

/* A parsed .npy header. */
typedef struct cgan__npy_header {
    int dtype;          /* cgan_npy_dtype */
    int swap;           /* 1: stored big-endian (bytes must be swapped) */
    int fortran;        /* 1: column-major */
    int ndim;
    int64_t shape[CGAN_NPY_MAX_DIMS];
    int64_t numel;      /* 1 for a 0-d array */
    int64_t itemsize;   /* bytes per element */
    uint64_t data_bytes;
    char descr[32];     /* as stored, for messages */
} cgan__npy_header;

/* Where error messages say the bytes came from. */
typedef struct cgan__npy_where {
    const char *file;
    const char *member; /* NULL for a plain .npy file */
} cgan__npy_where;

/* EFORMAT error naming the file and member: "FILE member 'M': why". */
int cgan__npy_fail(const cgan__npy_where *at, int status, const char *fmt, ...) CGAN__PRINTF(3, 4);

/* ------------------------------------------------------------------ streams */
/* Sequential reader over a plain file region, a stored zip member or a
 * deflated one, checking the CRC-32 (zip) and the exact size. */
typedef struct cgan__stream {
    FILE *fp;
    cgan__npy_where at;
    int method;          /* 0 plain/stored, 8 deflate */
    int check_crc;
    uint32_t want_crc, crc;
    uint64_t in_left;    /* compressed bytes not yet read from fp */
    uint64_t out_left;   /* uncompressed bytes not yet returned */
    z_stream z;
    int z_ready;
    unsigned char *inbuf;
} cgan__stream;

/* Start reading at the current position of fp: in_bytes on disk giving
 * out_bytes of data; method 0 or 8. */
int  cgan__stream_open(cgan__stream *s, FILE *fp, const cgan__npy_where *at, int method,
                       uint64_t in_bytes, uint64_t out_bytes, int check_crc, uint32_t crc);
/* Exactly n bytes, or CGAN_EFORMAT ("truncated"/"corrupt deflate data"). */
int  cgan__stream_read(cgan__stream *s, void *buf, size_t n);
/* Read to the end and verify the size and CRC-32. */
int  cgan__stream_finish(cgan__stream *s);
void cgan__stream_close(cgan__stream *s);

/* Read and parse the magic, version and header dictionary. */
int cgan__npy_read_header(cgan__stream *s, cgan__npy_header *h);

/* ---------------------------------------------------------------- payloads */
/* The data that follows the header, converted; n must equal h->numel
 * (checked by the caller).  Fortran order is turned into C order. */
int cgan__npy_read_floats(cgan__stream *s, const cgan__npy_header *h, float *dst);
int cgan__npy_read_doubles(cgan__stream *s, const cgan__npy_header *h, double *dst);
int cgan__npy_read_int64s(cgan__stream *s, const cgan__npy_header *h, int64_t *dst);
/* Raw payload bytes in C order (byte-swapped to little-endian for numeric
 * types); *out is malloc'd, free() it. */
int cgan__npy_read_raw(cgan__stream *s, const cgan__npy_header *h, unsigned char **out);
/* Element i of a string payload (raw, C order) as UTF-8 into buf; returns
 * the bytes needed including the NUL, or -1 for invalid code points. */
int64_t cgan__npy_string_utf8(const cgan__npy_header *h, const unsigned char *raw, int64_t i,
                              char *buf, size_t cap);

/* ------------------------------------------------------------------ writing */
/* The 10-byte preamble plus a version 1.0 header dictionary for descr and
 * shape, padded to a multiple of 64 bytes and ending in '\n'.  Returns the
 * total length, or 0 if cap is too small. */
size_t cgan__npy_format_header(char *buf, size_t cap, const char *descr, int ndim,
                               const int64_t *shape);
/* Bytes of the UTF-32 payload for n strings (also validates UTF-8): the
 * width in code points goes to *width; -1 for invalid UTF-8. */
int64_t cgan__utf8_max_codepoints(const char *const *strings, int64_t n, int64_t *width);
/* Encode s as exactly width little-endian UTF-32 code units (zero padded). */
void cgan__utf8_to_utf32le(const char *s, int64_t width, unsigned char *out);

#endif /* CGAN_NPY_INTERNAL_H */
