/* What the AVX-512 kernels of our own share (attn_band.c, gemm_thin.c and
 * the 4x4 stride-2 convolutions): whether this compiler and target can
 * build them at all, the function attribute that builds one for AVX-512
 * whatever the library's baseline (each is called only after
 * __builtin_cpu_supports("avx512f")), lane masks and an L2 prefetch. */
#ifndef CGAN_AVX512_H
#define CGAN_AVX512_H

#if defined(__GNUC__) && defined(__x86_64__)
#define CGAN__AVX512_KERNELS 1
#include <immintrin.h>
#include <stdint.h>

#define AVX512 __attribute__((target("avx512f")))

/* The mask of the first n lanes of a vector (n clamped to 0..16). */
static inline __mmask16 lanes(int64_t n) {
    return n >= 16 ? (__mmask16)0xFFFF : n <= 0 ? (__mmask16)0 : (__mmask16)((1u << n) - 1);
}

/* Ask for the n floats at p to be brought into L2 before they are packed:
 * the convolution kernels' inputs come from memory, and their packing
 * would otherwise wait on each miss with the FMA units idle.  The caller
 * keeps [p, p + n) inside its array (a prefetch never faults, but the
 * address arithmetic must stay defined). */
static inline void prefetch_l2(const float *p, int64_t n) {
    for (int64_t i = 0; i < n; i += 16) _mm_prefetch((const char *)(p + i), _MM_HINT_T1);
}
#endif

#endif /* CGAN_AVX512_H */
