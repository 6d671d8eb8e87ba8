/* The one place that calls BLAS: row-major sgemm through CBLAS (except for
 * A of at most 16 rows, gemm_thin.c).
 *
 * OpenBLAS runs single-threaded (one thread pool only: OpenBLAS's workers
 * would otherwise spin between GEMMs against the library's pool, which does
 * the im2col/col2im/layout work); a large GEMM is split here into column (or
 * row) blocks of C, each a single-threaded cblas_sgemm, which the pool's
 * threads take in turn.  The blocks depend on the shape only, never on the
 * thread count, so the results are the same bits for any number of threads. */
#include "../core/internal.h"
#include "kernels.h"

#include <cblas.h>
#include <pthread.h>

typedef struct gemm_job {
    int ta, tb, split_cols;
    int64_t M, N, K, lda, ldb, ldc, align;
    float alpha, beta;
    const float *A, *B;
    float *C;
} gemm_job;

static void blas(int ta, int tb, int64_t M, int64_t N, int64_t K, float alpha, const float *A,
                 int64_t lda, const float *B, int64_t ldb, float beta, float *C, int64_t ldc) {
    /* thin A: OpenBLAS's packing dominates, our kernel does better */
    if (cgan__sgemm_thin(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc)) return;
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                (blasint)M, (blasint)N, (blasint)K, alpha, A, (blasint)lda, B, (blasint)ldb, beta,
                C, (blasint)ldc);
}

/* item i is the block [i*align, (i+1)*align) of columns (or rows) of C */
static void gemm_range(void *ctx, int64_t b, int64_t e, int part) {
    const gemm_job *g = ctx;
    int64_t lim = g->split_cols ? g->N : g->M;
    for (int64_t blk = b; blk < e; blk++) {
        int64_t i0 = blk * g->align, i1 = i0 + g->align < lim ? i0 + g->align : lim;
        if (g->split_cols) {
            const float *B = g->tb ? g->B + i0 * g->ldb : g->B + i0;
            blas(g->ta, g->tb, g->M, i1 - i0, g->K, g->alpha, g->A, g->lda, B, g->ldb, g->beta,
                 g->C + i0, g->ldc);
        } else {
            const float *A = g->ta ? g->A + i0 : g->A + i0 * g->lda;
            blas(g->ta, g->tb, i1 - i0, g->N, g->K, g->alpha, A, g->lda, g->B, g->ldb, g->beta,
                 g->C + i0 * g->ldc, g->ldc);
        }
    }
}

static pthread_once_t blas_once = PTHREAD_ONCE_INIT;
static void blas_single(void) { openblas_set_num_threads(1); }

/* Handles the empty cases; returns 0 when nothing is left to do. */
static int gemm_trivial(int64_t M, int64_t N, int64_t K, float beta, float *C, int64_t ldc) {
    if (M <= 0 || N <= 0) return 0;
    if (K <= 0) { /* C = beta*C; BLAS would do the same, but be explicit */
        for (int64_t i = 0; i < M; i++)
            for (int64_t j = 0; j < N; j++) C[i * ldc + j] = beta == 0.0f ? 0.0f : beta * C[i * ldc + j];
        return 0;
    }
    return 1;
}

/* below this many multiply-adds a GEMM is not worth splitting */
#define SPLIT_MIN_MACS (1 << 21)
#define BLOCKS 8

void cgan__sgemm(int ta, int tb, int64_t M, int64_t N, int64_t K, float alpha,
                 const float *A, int64_t lda, const float *B, int64_t ldb, float beta,
                 float *C, int64_t ldc) {
    if (!gemm_trivial(M, N, K, beta, C, ldc)) return;
    pthread_once(&blas_once, blas_single);
    if (M * N * K < SPLIT_MIN_MACS) {
        blas(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
        return;
    }
    /* about BLOCKS blocks of a multiple of 64 columns (rows), from the shape alone */
    gemm_job g = {ta, tb, N >= M, M, N, K, lda, ldb, ldc, 0, alpha, beta, A, B, C};
    int64_t len = g.split_cols ? N : M;
    g.align = ((len + BLOCKS - 1) / BLOCKS + 63) / 64 * 64;
    cgan__parallel_for((len + g.align - 1) / g.align, 1, gemm_range, &g);
}

void cgan__sgemm_whole(int ta, int tb, int64_t M, int64_t N, int64_t K, float alpha,
                       const float *A, int64_t lda, const float *B, int64_t ldb, float beta,
                       float *C, int64_t ldc) {
    if (!gemm_trivial(M, N, K, beta, C, ldc)) return;
    pthread_once(&blas_once, blas_single);
    blas(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}
