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

/* One line into L1 or L2.  Volatile asm rather than _mm_prefetch: GCC
 * counts a prefetch as free of side effects and deletes a call to a
 * function that does nothing else (seen with GCC 12 at -O1 and above). */
static inline void prefetch_line_l1(const void *p) {
    __asm__ volatile("prefetcht0 %0" : : "m"(*(const char *)p));
}
static inline void prefetch_line_l2(const void *p) {
    __asm__ volatile("prefetcht1 %0" : : "m"(*(const char *)p));
}

/* Ask for the n floats at p to be brought into L2 before they are packed:
 * the convolution kernels' inputs come from memory, and their packing
 * would otherwise wait on each miss with the FMA units idle.  The caller
 * keeps [p, p + n) inside its array (a prefetch never faults, but the
 * address arithmetic must stay defined). */
static inline void prefetch_l2(const float *p, int64_t n) {
    for (int64_t i = 0; i < n; i += 16) prefetch_line_l2(p + i);
}

/* Piece i of `pieces` of n regions of len floats at base + k * stride
 * (k < n), taken as one sequence: a kernel spreads the prefetch of what
 * it reads next over the steps of what it computes now. */
static inline void prefetch_piece(const float *base, int64_t n, int64_t stride, int64_t len,
                                  int64_t i, int64_t pieces) {
    int64_t total = n * len, size = (total + pieces - 1) / pieces;
    int64_t b = i * size, e = b + size < total ? b + size : total;
    while (b < e) {
        int64_t k = b / len, o = b % len, m = len - o < e - b ? len - o : e - b;
        prefetch_l2(base + k * stride + o, m);
        b += m;
    }
}
#endif

#endif /* CGAN_AVX512_H */
