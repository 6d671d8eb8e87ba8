/* One band of CGAN__ATTN_BAND rows of the self-attention forward: the
 * band's scores Q^T K, their softmax, and the value product
 * oT[r, c] = sum_j a[r, j] vT[j, c], all while the band is still in L1,
 * instead of writing the whole P x P matrix (4 MiB per 32x32 image) and
 * reading it back through a GEMM's packing.  With AVX-512 the band's 8
 * rows x 64 columns live in 32 registers and each step j costs 4 loads of
 * vT and 8 broadcasts of a; other machines, and shapes that are not
 * multiples of 16, take softmax.c's rows and a portable loop. */
#include "avx512.h"
#include "kernels.h"

#include <math.h>
#include <string.h>

#define BAND CGAN__ATTN_BAND

static CGAN__MULTIVERSION void band_portable(const float *a, int64_t lda, int64_t P,
                                             const float *vT, int64_t C, float *oT) {
    memset(oT, 0, (size_t)(BAND * C) * sizeof *oT);
    for (int64_t j = 0; j < P; j++) {
        const float *v = vT + j * C;
        for (int r = 0; r < BAND; r++) {
            float ar = a[r * lda + j], *o = oT + r * C;
            for (int64_t c = 0; c < C; c++) o[c] += ar * v[c];
        }
    }
}

#ifdef CGAN__AVX512_KERNELS
/* Columns c0..c0+16*NV-1 of the band, NV (1..4) vectors per row. */
#define BAND_COLUMNS(NV)                                                                   \
    AVX512 static void band_cols##NV(const float *a, int64_t lda, int64_t P,               \
                                     const float *vT, int64_t C, float *oT) {              \
        __m512 acc[BAND][NV];                                                              \
        for (int r = 0; r < BAND; r++)                                                     \
            for (int v = 0; v < NV; v++) acc[r][v] = _mm512_setzero_ps();                  \
        for (int64_t j = 0; j < P; j++) {                                                  \
            __m512 w[NV];                                                                  \
            for (int v = 0; v < NV; v++) w[v] = _mm512_loadu_ps(vT + j * C + 16 * v);     \
            _Pragma("GCC unroll 8") for (int r = 0; r < BAND; r++) {                       \
                __m512 b = _mm512_set1_ps(a[r * lda + j]);                                 \
                for (int v = 0; v < NV; v++) acc[r][v] = _mm512_fmadd_ps(b, w[v], acc[r][v]); \
            }                                                                              \
        }                                                                                  \
        for (int r = 0; r < BAND; r++)                                                     \
            for (int v = 0; v < NV; v++) _mm512_storeu_ps(oT + r * C + 16 * v, acc[r][v]); \
    }
BAND_COLUMNS(1)
BAND_COLUMNS(4)

AVX512 static void band_avx512(const float *a, int64_t lda, int64_t P, const float *vT,
                               int64_t C, float *oT) {
    int64_t c = 0;
    for (; c + 64 <= C; c += 64) band_cols4(a, lda, P, vT + c, C, oT + c);
    for (; c < C; c += 16) band_cols1(a, lda, P, vT + c, C, oT + c);
}

/* exp(x) for x <= 0 (scores minus their row maximum), 16 lanes: the same
 * range reduction and Cephes polynomial as exp_approx.h's scalar form, with
 * 2^k applied by scalef (no exponent-bit arithmetic, no overflow). */
AVX512 static inline __m512 exp_nonpos16(__m512 x) {
    x = _mm512_max_ps(x, _mm512_set1_ps(-87.0f));
    __m512 fk = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)),
                                     _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fnmadd_ps(fk, _mm512_set1_ps(0.693359375f), x);
    r = _mm512_fnmadd_ps(fk, _mm512_set1_ps(-2.12194440e-4f), r);
    __m512 p = _mm512_set1_ps(1.9875691500e-4f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
    __m512 y = _mm512_fmadd_ps(_mm512_mul_ps(p, r), r, _mm512_add_ps(r, _mm512_set1_ps(1.0f)));
    return _mm512_scalef_ps(y, fk);
}

/* a [BAND, P] = exp(Q^T K - row max) for rows i0.. (the band's last rows
 * repeat row i0 when the band is short); inv[r] = 1 / the row's sum. */
AVX512 static void scores_avx512(const float *q, const float *k, int64_t Cq, int64_t P,
                                 int64_t i0, int64_t rows, float *a, float *inv) {
    __m512 mx[BAND];
    for (int r = 0; r < BAND; r++) mx[r] = _mm512_set1_ps(-INFINITY);
    for (int64_t j = 0; j < P; j += 16) {
        __m512 s[BAND];
        for (int r = 0; r < BAND; r++) s[r] = _mm512_setzero_ps();
        for (int64_t c = 0; c < Cq; c++) {
            __m512 kc = _mm512_loadu_ps(k + c * P + j);
            const float *qc = q + c * P + i0;
            _Pragma("GCC unroll 8") for (int r = 0; r < BAND; r++)
                s[r] = _mm512_fmadd_ps(_mm512_set1_ps(qc[r < rows ? r : 0]), kc, s[r]);
        }
        for (int r = 0; r < BAND; r++) {
            _mm512_storeu_ps(a + r * P + j, s[r]);
            mx[r] = _mm512_max_ps(mx[r], s[r]);
        }
    }
    for (int r = 0; r < BAND; r++) {
        __m512 m = _mm512_set1_ps(_mm512_reduce_max_ps(mx[r])), sum = _mm512_setzero_ps();
        float *row = a + r * P;
        for (int64_t j = 0; j < P; j += 16) {
            __m512 e = exp_nonpos16(_mm512_sub_ps(_mm512_loadu_ps(row + j), m));
            _mm512_storeu_ps(row + j, e);
            sum = _mm512_add_ps(sum, e);
        }
        inv[r] = 1.0f / _mm512_reduce_add_ps(sum);
    }
}

/* The whole band: unnormalised exponentials, their product with V^T, and
 * the softmax's division applied to the C outputs of a row instead of its
 * P exponentials. */
AVX512 static void attn_band_avx512(const float *q, const float *k, int64_t Cq, int64_t P,
                                    int64_t i0, int64_t rows, const float *vT, int64_t C,
                                    float *a, float *oT) {
    float inv[BAND];
    scores_avx512(q, k, Cq, P, i0, rows, a, inv);
    band_avx512(a, P, P, vT, C, oT);
    for (int r = 0; r < BAND; r++) {
        __m512 f = _mm512_set1_ps(inv[r]);
        for (int64_t c = 0; c < C; c += 16)
            _mm512_storeu_ps(oT + r * C + c, _mm512_mul_ps(f, _mm512_loadu_ps(oT + r * C + c)));
    }
}
#endif

void cgan__attn_band(const float *q, const float *k, int64_t Cq, int64_t P, int64_t i0,
                     int64_t i1, const float *vT, int64_t C, float *a, float *oT) {
    int64_t rows = i1 - i0;
#ifdef CGAN__AVX512_KERNELS
    if (C % 16 == 0 && P % 16 == 0 && __builtin_cpu_supports("avx512f")) {
        attn_band_avx512(q, k, Cq, P, i0, rows, vT, C, a, oT);
        return;
    }
#endif
    cgan__attn_softmax_rows(q, k, P, Cq, i0, i1, a);
    if (rows < BAND) memset(a + rows * P, 0, (size_t)((BAND - rows) * P) * sizeof *a);
    band_portable(a, P, P, vT, C, oT);
}
