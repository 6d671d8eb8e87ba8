/* What conv2d.c and convt2d.c share: their constructor arguments, kept in
 * iarg[] by cgan__conv_layer_new, and the input check. */
#ifndef CGAN_CONV_COMMON_H
#define CGAN_CONV_COMMON_H

#include "../kernels/kernels.h"
#include "../nn/nn_internal.h"

#define CI(l) ((l)->iarg[0])
#define CO(l) ((l)->iarg[1])
#define KS(l) ((int)(l)->iarg[2])
#define ST(l) ((int)(l)->iarg[3])
#define PD(l) ((int)(l)->iarg[4])

/* x must be [N, in_c, H, W]. */
static inline int conv_check_input(const cgan_layer *l, const cgan_tensor *x) {
    char buf[64];
    if (x->ndim != 4 || x->shape[1] != CI(l))
        return cgan__error(CGAN_ESHAPE, "%s: input %s is not [N, %lld, H, W]", l->ops->kind,
                           CGAN__SHAPE_STR(x, buf), (long long)CI(l));
    return CGAN_OK;
}

/* Images per chunk: the batch is processed a few images at a time so that
 * the im2col matrix of a chunk (rows x columns floats, columns = images *
 * plane) stays in the last-level cache instead of being written to and read
 * back from memory whole; about 1024 columns, at most 2^21 floats, at least
 * one image, and at most a quarter of the batch (rounded up), so that a
 * small batch still has chunks for both threads and the kernels of our own
 * (which need a chunk per thread).  From the shapes alone, so results do
 * not depend on threads. */
static inline int64_t conv_chunk_images(int64_t N, int64_t plane, int64_t rows) {
    int64_t by_cols = 1024 / plane, by_size = ((int64_t)1 << 21) / (rows * plane);
    int64_t c = by_cols < by_size ? by_cols : by_size;
    int64_t quarter = (N + 3) / 4;
    if (c > quarter) c = quarter;
    if (c < 1) c = 1;
    return c < N ? c : N;
}

/* One chunk of images [n0, n0+c): scratch holds the caller's scratch_floats
 * for this thread; dw (NULL when no weight gradient is wanted) receives
 * beta*dw + this chunk's contribution; par says whether the chunk's kernels
 * may split over the pool (cgan__sgemm) or must run whole on this thread
 * (cgan__sgemm_whole).  Chosen from the shape alone, like everything here.
 * next_c: the images of the chunk [n0+c, n0+c+next_c) that this thread
 * runs next (0: none), whose inputs the kernels may prefetch. */
typedef void (*conv_chunk_fn)(void *ctx, int64_t n0, int64_t c, int64_t next_c, float *scratch,
                              float *dw, float beta, int par);

/* Before the chunks run in parallel: fill shared (shared_floats, read by
 * every chunk), e.g. with the weights in a kernel's tile order; part
 * (0 <= part < parts) of it, the parts on the pool's threads, part 0 also
 * setting whatever in ctx the chunks read (they run after all parts). */
typedef void (*conv_prepare_fn)(void *ctx, float *shared, int64_t part, int64_t parts);

typedef struct conv_chunks {
    int64_t N, chunk;      /* images, images per chunk (conv_chunk_images) */
    size_t scratch_floats; /* per thread */
    float *dw;             /* weight gradient to accumulate into, or NULL */
    size_t dw_floats;
    conv_chunk_fn fn;
    void *ctx;
    conv_prepare_fn prepare; /* or NULL; called only when chunks run in parallel */
    size_t shared_floats;
} conv_chunks;

/* Run fn over every chunk (conv_chunks.c); CGAN_ENOMEM if scratch cannot grow. */
int conv_run_chunks(cgan__ws *ws, const conv_chunks *job);

/* Whether a layer is 4x4, stride 2, padding 1 with an even large plane
 * (big_h x big_w): the shape the kernels of our own
 * (src/kernels/conv_k4s2*.c, convt_k4s2.c, conv1_k4s2.c) take. */
static inline int conv_k4s2p1_layer(const cgan_layer *l, int64_t big_h, int64_t big_w) {
    return KS(l) == 4 && ST(l) == 2 && PD(l) == 1 && big_h % 2 == 0 && big_w % 2 == 0;
}

/* Whether a chunk may try those kernels: it runs whole on its thread
 * (!par) and the large planes are exactly twice the small ones. */
static inline int conv_k4s2p1_chunk(const cgan_layer *l, int par, int64_t small_h,
                                    int64_t small_w, int64_t big_h, int64_t big_w) {
    return !par && conv_k4s2p1_layer(l, big_h, big_w) && big_h == 2 * small_h &&
           big_w == 2 * small_w;
}

/* a GEMM split over the pool, or whole on this thread */
#define CONV_GEMM(par) ((par) ? cgan__sgemm : cgan__sgemm_whole)

#endif
