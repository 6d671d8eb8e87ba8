/*
 * Private helpers shared by every libcgan source file.  Never installed.
 * Internal non-static symbols use the cgan__ prefix; they are hidden from
 * the shared library by -fvisibility=hidden and the version script.
 */
#ifndef CGAN_INTERNAL_H
#define CGAN_INTERNAL_H

#include "cgan.h"

#include <stdarg.h>
#include <stdio.h>

#if defined(__GNUC__)
#define CGAN__PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define CGAN__PRINTF(a, b)
#endif

/* Record an error for cgan_last_error(), log it at DEBUG level and return
 * the status, so that failures read `return cgan__error(CGAN_EINVAL, ...)`. */
int cgan__error(int status, const char *fmt, ...) CGAN__PRINTF(2, 3);
/* Send a message to the log callback (if any). */
void cgan__log(int level, const char *fmt, ...) CGAN__PRINTF(2, 3);

/* Argument checks for the API boundary; each sets the error and returns it. */
#define CGAN__CHECK_NOT_NULL(p, what)                                          \
    do {                                                                       \
        if ((p) == NULL) return cgan__error(CGAN_EINVAL, "%s: %s is NULL", __func__, what); \
    } while (0)

/* The tensor's layout, visible to the library only. */
struct cgan_tensor {
    int ndim;
    int64_t shape[CGAN_TENSOR_MAX_DIMS];
    int64_t numel;
    float *data;
    size_t capacity; /* elements allocated; grows, never shrinks */
};

/* Give t a new shape, growing its storage only when needed (contents are
 * kept up to the old size).  Used for layer outputs: no allocation after
 * the first call with the largest shape. */
int cgan__tensor_resize(cgan_tensor *t, int ndim, const int64_t *shape);
/* Number of elements for a shape; -1 if invalid or overflowing. */
int64_t cgan__shape_numel(int ndim, const int64_t *shape);
/* "[2, 3, 4]" into buf for error messages. */
const char *cgan__shape_str(const cgan_tensor *t, char *buf, size_t n);

/* 64-byte aligned allocation (for SIMD-friendly arrays); free with cgan__free. */
void *cgan__alloc(size_t bytes);
void *cgan__calloc(size_t bytes);
void  cgan__free(void *p);

/* H and W of an image tensor ([H,W], [1,H,W] or [1,1,H,W]); -1 otherwise. */
int cgan__image_hw(const cgan_tensor *img, int64_t *h, int64_t *w);

/* Atomic file output: write to "path.tmp.XXXXXX", then rename over path.
 * cgan__atomic_commit closes, fsyncs and renames; cgan__atomic_abort
 * closes and removes the temporary file. */
typedef struct cgan__atomic_file {
    FILE *fp;
    char *final_path;
    char *tmp_path;
} cgan__atomic_file;
int  cgan__atomic_open(cgan__atomic_file *af, const char *path);
int  cgan__atomic_commit(cgan__atomic_file *af);
void cgan__atomic_abort(cgan__atomic_file *af);

/* Thread count for the library's own loops (>= 1). */
int cgan__threads(void);

/* Run fn(ctx, b, e, part) over [0, n) in ranges of `grain` items (the last
 * one shorter), handed out dynamically to the calling thread and sleeping
 * pool workers (src/core/pool.c); part (0..cgan__parallel_max()-1) names the
 * thread, for per-thread scratch.  Returns when all are done.  A call made
 * while the pool is busy (from inside fn, or from another user thread) runs
 * serially on the caller as part 0.  Results must not depend on which part
 * runs an item (items write disjoint memory). */
typedef void (*cgan__range_fn)(void *ctx, int64_t begin, int64_t end, int part);
void cgan__parallel_for(int64_t n, int64_t grain, cgan__range_fn fn, void *ctx);
int cgan__parallel_max(void);

/* Whether this many bytes are more than the last-level cache holds
 * (cache_size.c): an output that large may be streamed past the caches. */
int cgan__exceeds_llc(double bytes);

#endif /* CGAN_INTERNAL_H */
