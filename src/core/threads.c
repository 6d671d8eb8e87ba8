/* One thread setting for the library's loops and GEMMs (its own pool,
 * src/core/pool.c); OpenBLAS is kept single-threaded so that only one pool
 * ever runs. */
#include "internal.h"

#include <cblas.h>
#include <stdlib.h>
#include <unistd.h>

static int num_threads; /* 0: not set yet */

static int default_threads(void) {
    const char *env = getenv("OPENBLAS_NUM_THREADS");
    if (env == NULL || atoi(env) < 1) env = getenv("OMP_NUM_THREADS");
    if (env != NULL && atoi(env) >= 1) return atoi(env);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n >= 1 ? (int)n : 1;
}

int cgan_set_num_threads(int n) {
    if (n < 0) return cgan__error(CGAN_EINVAL, "cgan_set_num_threads: %d is negative", n);
    num_threads = n == 0 ? default_threads() : n;
    /* OpenBLAS itself stays single-threaded: the library splits its GEMMs
     * over its own pool (src/kernels/gemm.c) */
    openblas_set_num_threads(1);
    return CGAN_OK;
}

int cgan_get_num_threads(void) { return cgan__threads(); }

int cgan__threads(void) {
    if (num_threads == 0) num_threads = default_threads();
    return num_threads;
}

const char *cgan_blas_corename(void) {
    const char *s = openblas_get_corename();
    return s ? s : "";
}

const char *cgan_blas_config(void) {
    const char *s = openblas_get_config();
    return s ? s : "";
}
