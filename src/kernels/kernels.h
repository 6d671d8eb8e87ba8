/*
 * Pure numeric kernels over float arrays: no handles, no errors, no
 * allocation.  Callers (src/layers/) validate shapes and provide scratch.
 * Layout comments use row-major [rows, cols] shapes; P = H*W.
 */
#ifndef CGAN_KERNELS_H
#define CGAN_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/* Hot loops are built for AVX-512 and AVX2 as well as the baseline, chosen
 * at load time (GCC function multiversioning): the installed library stays
 * portable.  Clones must be static (a global one would export its resolver);
 * the cgan__ entry points call them. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define CGAN__MULTIVERSION __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define CGAN__MULTIVERSION
#endif

/* ---------------------------------------------------------------- gemm.c */
/* Row-major C[M,N] = alpha * op(A) op(B) + beta * C, op = transpose when
 * ta/tb is non-zero (A is [M,K] or [K,M]); a thin cblas_sgemm shim. */
void cgan__sgemm(int ta, int tb, int64_t M, int64_t N, int64_t K, float alpha,
                 const float *A, int64_t lda, const float *B, int64_t ldb, float beta,
                 float *C, int64_t ldc);
/* The same as one single-threaded BLAS call, never split: for callers that
 * already run on the pool (a chunk of a convolution per thread). */
void cgan__sgemm_whole(int ta, int tb, int64_t M, int64_t N, int64_t K, float alpha,
                       const float *A, int64_t lda, const float *B, int64_t ldb, float beta,
                       float *C, int64_t ldc);

/* The same for A of at most 16 rows (any rows when K <= 32) and B not
 * transposed, by a kernel of our own where the CPU has AVX-512
 * (gemm_thin.c); returns 0, having done nothing, for other shapes or CPUs. */
int cgan__sgemm_thin(int ta, int tb, int64_t M, int64_t N, int64_t K, float alpha,
                     const float *A, int64_t lda, const float *B, int64_t ldb, float beta,
                     float *C, int64_t ldc);

/* Hints from the chunk runner to the convolution kernels below (NULL:
 * none).  next_x (and for the weight gradient next_dy): what the next chunk
 * on the calling thread reads, next_c images laid out like the current
 * chunk's (0: nothing follows), to prefetch while the current one ends.
 * stream_out: the layer's whole output is larger than the last-level
 * cache, so its consumer will not find it there: the transposed kernel
 * then writes an output it writes only once past the caches
 * (non-temporal stores, no read of each line before it is written).
 * packed_w: the weights already in the kernel's tile order (by its _pack
 * function, once per layer call instead of once per chunk), or NULL. */
typedef struct cgan__chunk_hints {
    const float *next_x, *next_dy;
    int64_t next_c;
    int stream_out;
    const float *packed_w;
} cgan__chunk_hints;

/* ----------------------------------------------------------- conv_k4s2.c */
/* y [c, Co, H/2, W/2] = conv(x [c, Ci, H, W], w [Co, Ci*16]) + bias (or
 * NULL) for a 4x4 kernel, stride 2, padding 1, single-threaded, by an
 * AVX-512 implicit GEMM of our own; scratch holds scratch_floats.  Returns
 * 0, having done nothing, where it does not apply (CPU, output width not
 * 4/8/16/32, 4x4 outputs of an odd number of images, Co not a multiple of
 * 8, scratch too small). */
int cgan__conv_k4s2p1_fwd(const float *x, int64_t c, int64_t Ci, int64_t H, int64_t W,
                          const float *w, int64_t Co, const float *bias, float *y, float *scratch,
                          size_t scratch_floats, const cgan__chunk_hints *hints);
/* w [Co, Ci*16] in that kernel's tile order, Co * Ci * 16 floats into
 * packed (for cgan__chunk_hints.packed_w); nothing without AVX-512 kernels.
 * Part part of parts (0 <= part < parts) packs its share of the input
 * channels, so that the pool's threads can pack together; all parts
 * together give the same array whatever parts is.
 * _fits: whether the kernel takes this shape (for some chunk sizes), so
 * that packing is worth it. */
void cgan__conv_k4s2p1_pack(const float *w, int64_t Ci, int64_t Co, float *packed,
                            int64_t part, int64_t parts);
int cgan__conv_k4s2p1_fits(int64_t H, int64_t W, int64_t Co);

/* ------------------------------------------------------- conv_k4s2_dw.c */
/* dw [Co, Ci*16] = beta dw (beta 0 or 1) + the weight gradient of the same
 * convolution over a chunk: dy [c, Co, H/2, W/2] against the patches of x
 * [c, Ci, H, W], single-threaded, AVX-512; db (or NULL) [Co] = beta db +
 * the chunk's sums of dy (the bias gradient), taken as dy is packed.
 * Returns 0, having done nothing, where it does not apply (CPU, Co not a
 * multiple of 8, W outside 4..256, scratch too small). */
int cgan__conv_k4s2p1_dw(const float *x, const float *dy, int64_t c, int64_t Ci, int64_t H,
                         int64_t W, int64_t Co, float *dw, float *db, float beta, float *scratch,
                         size_t scratch_floats, const cgan__chunk_hints *hints);

/* ---------------------------------------------------------- conv1_k4s2.c */
/* The same convolution of one-channel images x [c, 1, H, W], w [Co, 16]:
 * y [c, Co, H/2, W/2] = conv + bias (or NULL), then LeakyReLU(slope) when
 * act; stream: write y past the caches (when 64-byte aligned).
 * Single-threaded, AVX-512, scratch of 4 * H * W floats; returns 0, having
 * done nothing, where it does not apply (CPU, W/2 not a multiple of 32 or
 * above 256, Co not a multiple of 16, scratch too small). */
int cgan__conv1_k4s2p1_fwd(const float *x, int64_t c, int64_t H, int64_t W, const float *w,
                           int64_t Co, const float *bias, int act, float slope, float *y,
                           int stream, float *scratch, size_t scratch_floats);
/* Its gradients over a chunk: g = dy * LeakyReLU'(y) (dy itself when y is
 * NULL); dw [Co, 16] = beta dw + sum g x-patches, db [Co] (or NULL) = beta
 * db + sum g (beta 0 or 1).  Returns 0 where it does not apply (as above,
 * with W/2 a multiple of 16; scratch too small). */
int cgan__conv1_k4s2p1_dw(const float *x, const float *dy, const float *y, float slope,
                          int64_t c, int64_t H, int64_t W, int64_t Co, float *dw, float *db,
                          float beta, float *scratch, size_t scratch_floats);
/* the scratch floats it needs */
size_t cgan__conv1_k4s2p1_dw_scratch(int64_t H, int64_t W, int64_t Co);

/* ---------------------------------------------------------- convt_k4s2.c */
/* y [c, Cout, 2Hi, 2Wi] = transposed conv(x [c, Cin, Hi, Wi], w [Cin, Cout,
 * 4, 4]) + bias (or NULL), 4x4 kernel, stride 2, padding 1, single-threaded,
 * by an AVX-512 implicit GEMM of our own (also a convolution's input
 * gradient, with its [Co, Ci, 4, 4] weights); scratch holds scratch_floats.
 * Returns 0, having done nothing, where it does not apply (CPU, Wi not 4,
 * 8, 16 or 32, chunk pixels c*Hi*Wi not whole strips of 32, Cout below 8,
 * scratch too small). */
int cgan__convt_k4s2p1(const float *x, int64_t c, int64_t Cin, int64_t Hi, int64_t Wi,
                       const float *w, int64_t Cout, const float *bias, float *y, float *scratch,
                       size_t scratch_floats, const cgan__chunk_hints *hints);
/* w [Cin, Cout, 4, 4] in that kernel's tile order, _packed_floats (Cout
 * rounded up to a multiple of 8) into packed (for
 * cgan__chunk_hints.packed_w), in parts as above; _fits as above. */
void cgan__convt_k4s2p1_pack(const float *w, int64_t Cin, int64_t Cout, float *packed,
                             int64_t part, int64_t parts);
size_t cgan__convt_k4s2p1_packed_floats(int64_t Cin, int64_t Cout);
int cgan__convt_k4s2p1_fits(int64_t Hi, int64_t Wi, int64_t Cout);

/* -------------------------------------------------------------- im2col.c */
/* Image x [C,H,W] -> cols [C*k*k, Ho*Wo] at row stride ld: row (c*k+a)*k+b,
 * column i*Wo+j holds x[c, i*s-p+a, j*s-p+b] (0 outside the image). */
void cgan__im2col(const float *x, int64_t C, int64_t H, int64_t W, int k, int s, int p,
                  int64_t Ho, int64_t Wo, float *cols, int64_t ld);
/* The adjoint: x [C,H,W] = scatter-add of cols (x is overwritten). */
void cgan__col2im(const float *cols, int64_t ld, int64_t C, int64_t H, int64_t W, int k,
                  int s, int p, int64_t Ho, int64_t Wo, float *x);

/* ------------------------------------------------------ batch_parallel.c */
/* The batch forms, split over (image, channel) on the worker pool (same
 * bits for any thread count).  im2col of x [N,C,H,W] into cols
 * [C*k*k, N*Ho*Wo] (image n in columns n*Ho*Wo..); col2im the adjoint into
 * x [N,C,H,W] (overwritten), plus bias[c] when bias is not NULL; the layout
 * moves as below. */
void cgan__im2col_batch(const float *x, int64_t N, int64_t C, int64_t H, int64_t W, int k,
                        int s, int p, int64_t Ho, int64_t Wo, float *cols);
void cgan__col2im_batch(const float *cols, int64_t N, int64_t C, int64_t H, int64_t W, int k,
                        int s, int p, int64_t Ho, int64_t Wo, const float *bias, float *x);
void cgan__nchw_to_cn_par(const float *x, int64_t N, int64_t C, int64_t P, float *y);
void cgan__cn_to_nchw_par(const float *y, int64_t N, int64_t C, int64_t P, const float *bias,
                          float *x);
/* -------------------------------------------------------------- layout.c */
/* x [N,C,P] -> y [C, N*P] (the batch folded into the columns). */
void cgan__nchw_to_cn(const float *x, int64_t N, int64_t C, int64_t P, float *y);
/* y [C, N*P] -> x [N,C,P], plus bias[c] when bias is not NULL. */
void cgan__cn_to_nchw(const float *y, int64_t N, int64_t C, int64_t P, const float *bias,
                      float *x);
/* t [cols, rows] = a [rows, cols] transposed (8 x 16 blocks in registers
 * where the CPU has AVX-512 and rows % 8 == 0, cols % 16 == 0). */
void cgan__transpose(const float *a, int64_t rows, int64_t cols, float *t);
/* Per channel sums of a [N,C,P] array added to out[c] (bias gradients). */
void cgan__sum_nchw_acc(const float *x, int64_t N, int64_t C, int64_t P, float *out);
/* Channel c's sum over the N planes of x [N,C,P], in plane order. */
double cgan__sum_channel(const float *x, int64_t N, int64_t C, int64_t P, int64_t c);
/* Sum of n floats, accumulated in double over float partial sums. */
double cgan__sum(const float *x, int64_t n);
/* Dot product, same accumulation. */
double cgan__dot(const float *x, const float *y, int64_t n);

/* --------------------------------------------------------- elementwise.c */
void cgan__add_inplace(float *y, const float *x, int64_t n);            /* y += x */
void cgan__mul(const float *a, const float *b, float *y, int64_t n);    /* y = a*b */
void cgan__lrelu_fwd(const float *x, float *y, int64_t n, float slope);
/* dx = dy * (x > 0 ? 1 : slope) */
void cgan__lrelu_bwd(const float *x, const float *dy, float *dx, int64_t n, float slope);
/* The same two on the calling thread only (x may be y, dy may be dx). */
void cgan__lrelu_fwd1(const float *x, float *y, int64_t n, float slope);
void cgan__lrelu_bwd1(const float *x, const float *dy, float *dx, int64_t n, float slope);
void cgan__tanh_fwd(const float *x, float *y, int64_t n);
/* dx = dy * (1 - y^2), from the output */
void cgan__tanh_bwd(const float *y, const float *dy, float *dx, int64_t n);
void cgan__clamp(float *x, int64_t n, float lo, float hi);

/* ------------------------------------------------------------------ bn.c */
/* Per channel mean and biased variance (one pass about the first plane's
 * mean, double accumulation) of x [N,C,P]; parts: 2*N*C doubles of scratch. */
void cgan__bn_stats(const float *x, int64_t N, int64_t C, int64_t P, double *mean,
                    double *var, double *parts);
/* y = x*scale[c] + shift[c], then LeakyReLU(slope) when act is non-zero;
 * stream: y may bypass the caches (it is larger than they are). */
void cgan__bn_apply(const float *x, int64_t N, int64_t C, int64_t P, const float *scale,
                    const float *shift, int act, float slope, float *y, int stream);
/* Per channel sdy[c] = sum g and sdyx[c] = sum g*(x - mean[c]), where g = dy,
 * or for a fused LeakyReLU g = dy * (v > 0 ? 1 : slope), v = x * act_scale[c]
 * + act_shift[c] (the forward's scale and shift; NULL: no activation);
 * parts: 2*N*C doubles of scratch. */
void cgan__bn_bwd_sums(const float *x, const float *dy, const float *act_scale,
                       const float *act_shift, float slope, int64_t N, int64_t C, int64_t P,
                       const float *mean, double *sdy, double *sdyx, double *parts);
/* dx = a[c]*g + b[c]*(x - mean[c]) + d[c], g as above (both BN backward
 * forms reduce to this); stream as for cgan__bn_apply. */
void cgan__bn_bwd_apply(const float *x, const float *dy, const float *act_scale,
                        const float *act_shift, float slope, int64_t N, int64_t C, int64_t P,
                        const float *a, const float *b, const float *mean, const float *d,
                        float *dx, int stream);

/* ------------------------------------------------------------- softmax.c */
/* Softmax of each row of a [rows, cols], in place (max subtracted). */
void cgan__softmax_rows(float *a, int64_t rows, int64_t cols);
/* Rows i0..i1-1 of the attention scores softmax_rows(Q^T K) for q, k
 * [Cq, P], row i at a + (i - i0) * P. */
void cgan__attn_softmax_rows(const float *q, const float *k, int64_t P, int64_t Cq, int64_t i0,
                             int64_t i1, float *a);
/* Softmax backward in place: g[i,j] <- a[i,j] * (g[i,j] - sum_j' g[i,j'] a[i,j']). */
void cgan__softmax_bwd_rows(const float *a, float *g, int64_t rows, int64_t cols);

/* ----------------------------------------------------------- attn_band.c */
/* One band of rows i0..i1-1 (at most CGAN__ATTN_BAND) of the attention:
 * ot[i - i0, c] = O[c, i] = sum_j softmax_j(Q^T K)[i, j] vT[j, c] for q, k
 * [Cq, P] and vT [P, C]; a is scratch of CGAN__ATTN_BAND * P floats, ot
 * has CGAN__ATTN_BAND rows of C.  The band's rows of the P x P matrix stay
 * in L1 (no 4 MiB matrix per image). */
#define CGAN__ATTN_BAND 8
void cgan__attn_band(const float *q, const float *k, int64_t Cq, int64_t P, int64_t i0,
                     int64_t i1, const float *vT, int64_t C, float *a, float *ot);
/* Columns i0 .. i0 + rows - 1 of o [C, P] (unless o is NULL) and of
 * y = gamma O + x from ot [rows, C], the rows of consecutive bands. */
void cgan__attn_store(const float *ot, int64_t rows, int64_t C, int64_t P, int64_t i0,
                      const float *x, float gamma, float *o, float *y);
/* Rows i0..i1-1 of softmax(Q^T K) into a [i1 - i0, P] (as
 * cgan__attn_softmax_rows, with the band kernel's loops where they apply). */
void cgan__attn_softmax_band(const float *q, const float *k, int64_t Cq, int64_t P, int64_t i0,
                             int64_t i1, float *a);

#endif /* CGAN_KERNELS_H */
