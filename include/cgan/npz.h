/*
 * libcgan NumPy I/O: .npy arrays and .npz archives that numpy.load opens and
 * that np.save / np.savez / np.savez_compressed files can be read from.
 * Checkpoints, prepared data sets and `cgan generate` outputs use it.
 * Include <cgan.h>, not this file directly.  docs/npz.md has examples.
 *
 * What is written: .npy format version 1.0, little-endian, C order; .npz =
 * a zip archive of NAME.npy members, deflated with zlib (or stored), with
 * ZIP64 records when a member or the archive passes 4 GiB.
 * What is read: .npy versions 1.0, 2.0 and 3.0; dtypes bool, (u)int8..64,
 * float16/32/64 in either byte order, unicode ('<U') and byte ('|S')
 * strings; C or Fortran order; zip members stored or deflated, ZIP64 too.
 * Every member's CRC-32 is checked.  A truncated, corrupted or foreign file
 * gives CGAN_EFORMAT with the file and member named in cgan_last_error();
 * it never crashes.
 *
 * Thread safety: a writer or reader handle must not be used by two threads
 * at once; distinct handles are independent.
 */
#ifndef CGAN_NPZ_H
#define CGAN_NPZ_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Most dimensions an array may have to be read or written. */
#define CGAN_NPY_MAX_DIMS 8

/* Element types (the dtype of a member).  Values are frozen. */
typedef enum cgan_npy_dtype {
    CGAN_NPY_BOOL    = 1,  /* '|b1' */
    CGAN_NPY_UINT8   = 2,  /* '|u1' */
    CGAN_NPY_INT8    = 3,  /* '|i1' */
    CGAN_NPY_UINT16  = 4,  /* '<u2' */
    CGAN_NPY_INT16   = 5,  /* '<i2' */
    CGAN_NPY_UINT32  = 6,  /* '<u4' */
    CGAN_NPY_INT32   = 7,  /* '<i4' */
    CGAN_NPY_UINT64  = 8,  /* '<u8' */
    CGAN_NPY_INT64   = 9,  /* '<i8' */
    CGAN_NPY_FLOAT16 = 10, /* '<f2' */
    CGAN_NPY_FLOAT32 = 11, /* '<f4' */
    CGAN_NPY_FLOAT64 = 12, /* '<f8' */
    CGAN_NPY_UNICODE = 13, /* '<U n': fixed-width UTF-32 strings */
    CGAN_NPY_BYTES   = 14  /* '|S n': fixed-width byte strings */
} cgan_npy_dtype;

/* Static name of a dtype ("float32", "int64", ...); never NULL. */
CGAN_API const char *cgan_npy_dtype_name(int dtype);

/* ================================================================ .npy files */

/* Write a float32 tensor to a .npy file ('<f4', the tensor's shape),
 * atomically (temporary file, then rename).
 * Errors: CGAN_EINVAL (NULL argument), CGAN_EIO (cannot write). */
CGAN_API int cgan_npy_save(const char *path, const cgan_tensor *t);

/* Read a numeric .npy file into a new float32 tensor (*out, owned by the
 * caller, free with cgan_tensor_destroy).  A 0-d array becomes shape [1].
 * Errors: CGAN_EIO (cannot open), CGAN_EFORMAT (not a valid .npy, a string
 * dtype, or an array with a zero extent), CGAN_EUNSUPPORTED (more than 4
 * dimensions: tensors have at most 4). */
CGAN_API int cgan_npy_load(const char *path, cgan_tensor **out);

/* ============================================================ .npz writing */
typedef struct cgan_npz_writer cgan_npz_writer;

/* Flags for cgan_npz_writer_create. */
#define CGAN_NPZ_STORED 0x1u /* store members uncompressed (as np.savez does) */
#define CGAN_NPZ_ZIP64  0x2u /* always write ZIP64 records (tests, huge sets) */

/* Start an archive for path.  Nothing appears under path until
 * cgan_npz_writer_finish succeeds: members go to a temporary file in the
 * same directory.  flags: 0 (deflate) or CGAN_NPZ_* bits.
 * Errors: CGAN_EINVAL, CGAN_EIO (cannot create the temporary file). */
CGAN_API int  cgan_npz_writer_create(cgan_npz_writer **out, const char *path, uint32_t flags);
/* Discard the writer.  Without a successful finish, nothing is written and
 * the temporary file is removed.  NULL is a no-op. */
CGAN_API void cgan_npz_writer_destroy(cgan_npz_writer *w);

/* Add member NAME (stored as "NAME.npy"; numpy.load shows it as NAME).
 * Names are 1..1000 bytes, without NUL, not starting with '/', unique in the
 * archive (a duplicate is CGAN_EINVAL).  Data is copied during the call.
 * After a failed add (other than CGAN_EINVAL) the writer is unusable and
 * finish fails.  Errors: CGAN_EINVAL, CGAN_ESTATE (after finish or a
 * failure), CGAN_EIO. */

/* A float32 tensor with its own shape. */
CGAN_API int cgan_npz_add_tensor(cgan_npz_writer *w, const char *name, const cgan_tensor *t);
/* float32 '<f4' of any shape: ndim 0..CGAN_NPY_MAX_DIMS (0 = a scalar, one
 * value), extents >= 0 (an extent 0 gives an empty array; data may then be
 * NULL). */
CGAN_API int cgan_npz_add_float(cgan_npz_writer *w, const char *name, int ndim,
                                const int64_t *shape, const float *data);
/* float64 '<f8' of any shape, same rules (values that must round-trip
 * exactly, e.g. learning rates and condition scaling). */
CGAN_API int cgan_npz_add_double(cgan_npz_writer *w, const char *name, int ndim,
                                 const int64_t *shape, const double *data);
/* int64 '<i8' of any shape, same rules. */
CGAN_API int cgan_npz_add_int64(cgan_npz_writer *w, const char *name, int ndim,
                                const int64_t *shape, const int64_t *data);
/* 0-d scalars. */
CGAN_API int cgan_npz_add_float_scalar(cgan_npz_writer *w, const char *name, float value);
CGAN_API int cgan_npz_add_int64_scalar(cgan_npz_writer *w, const char *name, int64_t value);
/* n raw bytes as a 1-D '|u1' array (e.g. an RNG state). */
CGAN_API int cgan_npz_add_bytes(cgan_npz_writer *w, const char *name, const uint8_t *data,
                                int64_t n);
/* n UTF-8 strings as a 1-D unicode array ('<U k', k = the longest string in
 * code points; numpy shows a str array).  Invalid UTF-8 is CGAN_EINVAL. */
CGAN_API int cgan_npz_add_strings(cgan_npz_writer *w, const char *name,
                                  const char *const *strings, int64_t n);

/* Write the central directory and rename the file into place.  The writer
 * must still be destroyed.  Errors: CGAN_ESTATE (called twice or after a
 * failed add), CGAN_EIO. */
CGAN_API int cgan_npz_writer_finish(cgan_npz_writer *w);

/* ============================================================ .npz reading */
typedef struct cgan_npz_reader cgan_npz_reader;

/* Open an archive and read its directory (members are read on demand).
 * Errors: CGAN_EIO (cannot open), CGAN_EFORMAT (not a zip, truncated,
 * encrypted or an unknown compression method). */
CGAN_API int  cgan_npz_reader_open(cgan_npz_reader **out, const char *path);
CGAN_API void cgan_npz_reader_destroy(cgan_npz_reader *r); /* NULL is a no-op */

/* Number of members. */
CGAN_API int64_t     cgan_npz_reader_count(const cgan_npz_reader *r);
/* Name of member i without the ".npy" suffix, as numpy.load shows it.
 * Borrowed, valid until the reader is destroyed; NULL if i is out of range. */
CGAN_API const char *cgan_npz_reader_name(const cgan_npz_reader *r, int64_t i);
/* 1 if the archive has member name, 0 if not (or r/name is NULL). */
CGAN_API int         cgan_npz_reader_has(const cgan_npz_reader *r, const char *name);

/* dtype (a cgan_npy_dtype), number of dimensions and extents of a member
 * (shape needs room for CGAN_NPY_MAX_DIMS); numel = product of the extents
 * (1 for a 0-d array); itemsize = bytes per element (for strings, the fixed
 * width).  Any output may be NULL.  Only the member's header is decoded.
 * Errors: CGAN_EINVAL (no such member), CGAN_EFORMAT (damaged, or a
 * structured, object or complex dtype), CGAN_EUNSUPPORTED (more than
 * CGAN_NPY_MAX_DIMS dimensions). */
CGAN_API int cgan_npz_member_info(cgan_npz_reader *r, const char *name, int *dtype, int *ndim,
                                  int64_t *shape, int64_t *numel, int64_t *itemsize);

/* A numeric member as a new float32 tensor (*out owned by the caller).  The
 * tensor keeps the member's shape; a 0-d member becomes [1].
 * Errors: CGAN_EINVAL, CGAN_EFORMAT (damaged, string dtype or a zero
 * extent), CGAN_EUNSUPPORTED (more than 4 dims). */
CGAN_API int cgan_npz_read_tensor(cgan_npz_reader *r, const char *name, cgan_tensor **out);
/* A numeric member converted to float into dst, which holds exactly n =
 * numel elements (CGAN_ESHAPE otherwise). */
CGAN_API int cgan_npz_read_float(cgan_npz_reader *r, const char *name, float *dst, int64_t n);
/* A numeric member converted to double into dst (exactly n = numel). */
CGAN_API int cgan_npz_read_double(cgan_npz_reader *r, const char *name, double *dst, int64_t n);
/* An integer or bool member into dst (exactly n = numel values).  Float
 * members are accepted when every value is a whole number that fits
 * (PyTorch's num_batches_tracked may come as either); otherwise
 * CGAN_EFORMAT.  uint64 values above INT64_MAX are CGAN_EFORMAT. */
CGAN_API int cgan_npz_read_int64(cgan_npz_reader *r, const char *name, int64_t *dst, int64_t n);
/* The raw bytes of a one-byte member ('|u1', '|i1', '|b1'); n = numel. */
CGAN_API int cgan_npz_read_bytes(cgan_npz_reader *r, const char *name, uint8_t *dst, int64_t n);
/* Element `index` (row-major) of a string member ('<U' or '|S') as UTF-8,
 * NUL-terminated, into buf of cap bytes; trailing NULs are dropped as numpy
 * does.  *needed (may be NULL) receives the bytes required including the
 * NUL; if cap is too small buf gets nothing and CGAN_ESHAPE is returned.
 * The decoded member is cached, so reading every element costs one pass. */
CGAN_API int cgan_npz_read_string(cgan_npz_reader *r, const char *name, int64_t index, char *buf,
                                  size_t cap, size_t *needed);

#ifdef __cplusplus
}
#endif
#endif /* CGAN_NPZ_H */
