/*
 * libcgan core: version, export macro, status codes, errors, logging,
 * tensors and random number generators.
 *
 * Include <cgan.h>, not this file directly.
 *
 * Conventions that hold for the whole library (docs/api.md says more):
 *  - Every handle is opaque.  Fallible constructors take an out-parameter,
 *    return a status and set *out to NULL on failure; every create has one
 *    destroy, and destroy(NULL) is a no-op.
 *  - Every function that can fail returns int: CGAN_OK (0) or a negative
 *    cgan_status.  The message of the last failure on the calling thread is
 *    cgan_last_error().
 *  - A handle must not be used by two threads at once; distinct handles are
 *    independent.  The library never aborts or exits.
 */
#ifndef CGAN_CORE_H
#define CGAN_CORE_H

#include <stddef.h>
#include <stdint.h>

/* ===================================================================== version */
#define CGAN_VERSION_MAJOR 0
#define CGAN_VERSION_MINOR 1
#define CGAN_VERSION_PATCH 0
#define CGAN_VERSION_NUMBER \
    (CGAN_VERSION_MAJOR * 10000 + CGAN_VERSION_MINOR * 100 + CGAN_VERSION_PATCH)
#define CGAN_VERSION_STRING "0.1.0"

/* ============================================================== export macros */
#if defined(_WIN32) && defined(CGAN_BUILD_SHARED)
#define CGAN_API __declspec(dllexport)
#elif defined(__GNUC__) && __GNUC__ >= 4
#define CGAN_API __attribute__((visibility("default")))
#else
#define CGAN_API
#endif

#if defined(__GNUC__)
#define CGAN_DEPRECATED(msg) __attribute__((deprecated(msg)))
#else
#define CGAN_DEPRECATED(msg)
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Runtime version of the library actually linked (compare with the macros). */
CGAN_API unsigned    cgan_version_number(void);
CGAN_API const char *cgan_version_string(void);

/* ============================================================ status / errors */
/* Values are frozen: new codes are appended, none is ever renumbered. */
typedef enum cgan_status {
    CGAN_OK           = 0,
    CGAN_EINVAL       = -1,  /* bad argument: NULL, out of range, bad option */
    CGAN_ENOMEM       = -2,  /* allocation failed */
    CGAN_ESHAPE       = -3,  /* incompatible tensor shapes */
    CGAN_ESTATE       = -4,  /* call order violated (e.g. backward before forward) */
    CGAN_EIO          = -5,  /* a file could not be opened, read or written */
    CGAN_EFORMAT      = -6,  /* corrupt, truncated or foreign file contents */
    CGAN_EVERSION     = -7,  /* file written by a newer, incompatible version */
    CGAN_ENUMERIC     = -8,  /* non-finite value (NaN/Inf) in a loss or result */
    CGAN_EUNSUPPORTED = -9,  /* valid request the library cannot serve */
    CGAN_EINTERRUPTED = -10, /* stopped on request (e.g. a callback returned non-zero) */
    CGAN_EINTERNAL    = -99  /* a bug in libcgan: please report it */
} cgan_status;

/* Static English name of a status ("CGAN_EINVAL: invalid argument"); never NULL. */
CGAN_API const char *cgan_status_string(int status);
/* The calling thread's last error message, "" if none.  Valid until the next
 * failing libcgan call on the same thread. */
CGAN_API const char *cgan_last_error(void);
/* Status code that went with cgan_last_error() (CGAN_OK if none). */
CGAN_API int         cgan_last_status(void);
CGAN_API void        cgan_clear_error(void);

/* =================================================================== logging */
typedef enum cgan_log_level {
    CGAN_LOG_ERROR = 0,
    CGAN_LOG_WARN  = 1,
    CGAN_LOG_INFO  = 2,
    CGAN_LOG_DEBUG = 3
} cgan_log_level;

/* Receives every message at or below the level set; msg has no trailing newline. */
typedef void (*cgan_log_fn)(int level, const char *msg, void *user);

/* Process-wide.  fn = NULL silences the library (the default).  Set it before
 * other threads use the library; it is not synchronised. */
CGAN_API void cgan_set_log_callback(cgan_log_fn fn, void *user, int max_level);
/* A ready-made callback that prints "libcgan: LEVEL: msg" to stderr. */
CGAN_API void cgan_log_to_stderr(int level, const char *msg, void *user);

/* ==================================================================== tensor */
/* A dense float32 array of 1 to 4 dimensions, row-major (NCHW for images). */
typedef struct cgan_tensor cgan_tensor;

#define CGAN_TENSOR_MAX_DIMS 4

/* Zero-filled tensor of the given shape (every extent >= 1). */
CGAN_API int  cgan_tensor_create(cgan_tensor **out, int ndim, const int64_t *shape);
/* Convenience for 1- to 4-D: pass 0 for unused trailing extents. */
CGAN_API int  cgan_tensor_create4(cgan_tensor **out, int64_t d0, int64_t d1, int64_t d2,
                                  int64_t d3);
CGAN_API int  cgan_tensor_clone(cgan_tensor **out, const cgan_tensor *src);
CGAN_API void cgan_tensor_destroy(cgan_tensor *t);

CGAN_API int     cgan_tensor_ndim(const cgan_tensor *t);          /* 0 if t is NULL */
CGAN_API int64_t cgan_tensor_dim(const cgan_tensor *t, int axis); /* 0 if out of range */
CGAN_API int64_t cgan_tensor_numel(const cgan_tensor *t);
/* Writes ndim extents to shape (room for CGAN_TENSOR_MAX_DIMS). */
CGAN_API int     cgan_tensor_shape(const cgan_tensor *t, int *ndim, int64_t *shape);

/* Borrowed pointer to the elements; valid until the tensor is reshaped to a
 * larger size or destroyed.  NULL if t is NULL. */
CGAN_API float       *cgan_tensor_data(cgan_tensor *t);
CGAN_API const float *cgan_tensor_data_const(const cgan_tensor *t);

/* Change the shape; the element count must stay the same. */
CGAN_API int cgan_tensor_reshape(cgan_tensor *t, int ndim, const int64_t *shape);
/* dst and src must have the same shape. */
CGAN_API int cgan_tensor_copy(cgan_tensor *dst, const cgan_tensor *src);
CGAN_API int cgan_tensor_fill(cgan_tensor *t, float value);
/* Copy n elements in or out; n must equal cgan_tensor_numel(t). */
CGAN_API int cgan_tensor_set_data(cgan_tensor *t, const float *src, int64_t n);
CGAN_API int cgan_tensor_get_data(const cgan_tensor *t, float *dst, int64_t n);

/* ======================================================================= rng */
/* A seedable generator (xoshiro256**).  Its stream is a pure function of the
 * seed and the sequence of calls: it never depends on the thread count. */
typedef struct cgan_rng cgan_rng;

#define CGAN_RNG_STATE_BYTES 48

CGAN_API int      cgan_rng_create(cgan_rng **out, uint64_t seed);
CGAN_API void     cgan_rng_destroy(cgan_rng *r);
CGAN_API int      cgan_rng_seed(cgan_rng *r, uint64_t seed);
CGAN_API uint64_t cgan_rng_u64(cgan_rng *r);                 /* 0 if r is NULL */
CGAN_API double   cgan_rng_uniform(cgan_rng *r);             /* in [0, 1) */
CGAN_API double   cgan_rng_normal(cgan_rng *r);              /* N(0, 1) */
CGAN_API int64_t  cgan_rng_below(cgan_rng *r, int64_t n);    /* uniform in [0, n) */
/* Fill every element with N(mean, std^2) or U[lo, hi). */
CGAN_API int cgan_tensor_fill_normal(cgan_tensor *t, cgan_rng *r, float mean, float std);
CGAN_API int cgan_tensor_fill_uniform(cgan_tensor *t, cgan_rng *r, float lo, float hi);
/* Save / restore the exact generator state (CGAN_RNG_STATE_BYTES bytes,
 * little-endian, portable between machines). */
CGAN_API int cgan_rng_get_state(const cgan_rng *r, uint8_t *state);
CGAN_API int cgan_rng_set_state(cgan_rng *r, const uint8_t *state);

/* =================================================================== threads */
/* Number of threads of the library's pool (the numeric kernels and the
 * GEMMs it splits); 0 = default (OPENBLAS_NUM_THREADS / OMP_NUM_THREADS,
 * else all cores).  Process-wide.  OpenBLAS itself is set to one thread at
 * the first GEMM so that only this pool runs.  Results do not depend on it. */
CGAN_API int cgan_set_num_threads(int n);
CGAN_API int cgan_get_num_threads(void);
/* The BLAS in use, for benchmark reports: OpenBLAS's core name (the kernel
 * set chosen at run time, e.g. "SkylakeX", or "Haswell" when
 * OPENBLAS_CORETYPE forces it) and its build configuration string.  Static
 * strings, never NULL. */
CGAN_API const char *cgan_blas_corename(void);
CGAN_API const char *cgan_blas_config(void);

#ifdef __cplusplus
}
#endif
#endif /* CGAN_CORE_H */
