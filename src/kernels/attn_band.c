/* One band of CGAN__ATTN_BAND rows of the self-attention forward: the
 * band's scores Q^T K, their softmax, and the value product
 * oT[r, c] = sum_j a[r, j] vT[j, c], all while the band is still in L1,
 * instead of writing the whole P x P matrix (4 MiB per 32x32 image) and
 * reading it back through a GEMM's packing.  With AVX-512 the scores are
 * the convolutions' 8 x 32 register tile (scores_tile), and so is the
 * value product, 32 columns of oT at a time: each step j costs 2 loads of
 * vT and 8 broadcasts of a for 16 FMAs (64 columns at a time needed 32
 * accumulators, and the compiler spilled a quarter of them); other machines, and shapes that are not
 * multiples of 16, take softmax.c's rows and a portable loop.  Then, for
 * several bands at once (cgan__attn_store), their columns of O [C, P] and
 * of the layer's output gamma O + x: with 16 rows or more each channel's
 * part is a whole cache line, where one band's is half of one. */
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
/* Columns c0..c0+16*NV-1 of the band, NV (1 or 2) vectors per row. */
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
BAND_COLUMNS(2)

AVX512 static void band_avx512(const float *a, int64_t lda, int64_t P, const float *vT,
                               int64_t C, float *oT) {
    int64_t c = 0;
    for (; c + 32 <= C; c += 32) band_cols2(a, lda, P, vT + c, C, oT + c);
    for (; c < C; c += 16) band_cols1(a, lda, P, vT + c, C, oT + c);
}

/* 2^x for x <= 0 (scores in base-2 units minus their row maximum), 16
 * lanes: x = k + f with k an integer and |f| <= 1/2, 2^f by its Taylor
 * polynomial of degree 6 (relative error below 1.2e-7, two ulps), 2^k
 * applied by scalef (no exponent-bit arithmetic, no overflow).  The
 * scores are taken in base 2 (queries scaled by log2 e) so that no
 * multiplication by log2 e and no two-part ln 2 reduction is needed. */
AVX512 static inline __m512 exp2_nonpos16(__m512 x) {
    x = _mm512_max_ps(x, _mm512_set1_ps(-125.0f));
    __m512 k = _mm512_roundscale_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 f = _mm512_sub_ps(x, k);
    __m512 p = _mm512_set1_ps(1.5403530393e-4f);
    p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(1.3333558147e-3f));
    p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(9.6181291076e-3f));
    p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(5.5504108665e-2f));
    p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(2.4022650696e-1f));
    p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(6.9314718056e-1f));
    p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(1.0f));
    return _mm512_scalef_ps(p, k);
}

#define LOG2E 1.44269504088896341f

/* Scores (in base 2: times log2 e) for any Cq: 8 broadcasts of queries per
 * key channel and 16 keys; mx[r] receives the rows' running maxima. */
AVX512 static void scores_any(const float *q, const float *k, int64_t Cq, int64_t P, int64_t i0,
                              int64_t rows, float *a, __m512 *mx) {
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
            s[r] = _mm512_mul_ps(s[r], _mm512_set1_ps(LOG2E));
            _mm512_storeu_ps(a + r * P + j, s[r]);
            mx[r] = _mm512_max_ps(mx[r], s[r]);
        }
    }
}

/* Scores (in base 2) of the band's 8 rows against all P keys, P a
 * multiple of 32, Cq <= 64: the 8 x 32 register tile of the convolutions
 * (8 rows x 32 keys in 16 accumulators), the queries (times log2 e)
 * packed as qs[c][r] and broadcast from L1, each key vector loaded once
 * for all 8 rows.  (Two rows at a time with their queries in registers
 * loaded every key vector four times per band, from L2: all of K and the
 * band do not fit in L1 together, and it ran at 100 GFLOP/s.) */
AVX512 static void scores_tile(const float *q, const float *k, int64_t Cq, int64_t P, int64_t i0,
                               int64_t rows, float *a, __m512 *mx) {
    float qs[64 * BAND];
    for (int64_t c = 0; c < Cq; c++)
        for (int r = 0; r < BAND; r++) qs[c * BAND + r] = q[c * P + i0 + (r < rows ? r : 0)] * LOG2E;
    for (int64_t j = 0; j < P; j += 32) {
        __m512 acc[BAND][2];
        for (int r = 0; r < BAND; r++) acc[r][0] = acc[r][1] = _mm512_setzero_ps();
        for (int64_t c = 0; c < Cq; c++) {
            __m512 k0 = _mm512_loadu_ps(k + c * P + j), k1 = _mm512_loadu_ps(k + c * P + j + 16);
            _Pragma("GCC unroll 8") for (int r = 0; r < BAND; r++) {
                __m512 qv = _mm512_set1_ps(qs[c * BAND + r]);
                acc[r][0] = _mm512_fmadd_ps(qv, k0, acc[r][0]);
                acc[r][1] = _mm512_fmadd_ps(qv, k1, acc[r][1]);
            }
        }
        for (int r = 0; r < BAND; r++) {
            _mm512_storeu_ps(a + r * P + j, acc[r][0]);
            _mm512_storeu_ps(a + r * P + j + 16, acc[r][1]);
            mx[r] = _mm512_max_ps(mx[r], _mm512_max_ps(acc[r][0], acc[r][1]));
        }
    }
}

/* a [BAND, P] = exp(Q^T K - row max), as 2^ of the base-2 scores, for
 * rows i0.. (the band's last rows repeat row i0 when the band is short);
 * inv[r] = 1 / the row's sum. */
AVX512 static void scores_avx512(const float *q, const float *k, int64_t Cq, int64_t P,
                                 int64_t i0, int64_t rows, float *a, float *inv) {
    __m512 mx[BAND];
    for (int r = 0; r < BAND; r++) mx[r] = _mm512_set1_ps(-INFINITY);
    if (Cq <= 64 && P % 32 == 0) {
        scores_tile(q, k, Cq, P, i0, rows, a, mx);
    } else {
        scores_any(q, k, Cq, P, i0, rows, a, mx);
    }
    /* two rows at a time: each exponential is a chain of a dozen dependent
     * operations, and the second row's chain fills the first one's gaps */
    for (int r = 0; r < BAND; r += 2) {
        __m512 m0 = _mm512_set1_ps(_mm512_reduce_max_ps(mx[r]));
        __m512 m1 = _mm512_set1_ps(_mm512_reduce_max_ps(mx[r + 1]));
        __m512 sum0 = _mm512_setzero_ps(), sum1 = sum0;
        float *row0 = a + r * P, *row1 = row0 + P;
        for (int64_t j = 0; j < P; j += 16) {
            __m512 e0 = exp2_nonpos16(_mm512_sub_ps(_mm512_loadu_ps(row0 + j), m0));
            __m512 e1 = exp2_nonpos16(_mm512_sub_ps(_mm512_loadu_ps(row1 + j), m1));
            _mm512_storeu_ps(row0 + j, e0);
            _mm512_storeu_ps(row1 + j, e1);
            sum0 = _mm512_add_ps(sum0, e0);
            sum1 = _mm512_add_ps(sum1, e1);
        }
        inv[r] = 1.0f / _mm512_reduce_add_ps(sum0);
        inv[r + 1] = 1.0f / _mm512_reduce_add_ps(sum1);
    }
}

/* row r of a [rows, n] (n a multiple of 16) times inv[r] */
AVX512 static void scale_rows(float *a, int64_t rows, int64_t n, const float *inv) {
    for (int64_t r = 0; r < rows; r++) {
        __m512 f = _mm512_set1_ps(inv[r]);
        for (int64_t j = 0; j < n; j += 16)
            _mm512_storeu_ps(a + r * n + j, _mm512_mul_ps(f, _mm512_loadu_ps(a + r * n + j)));
    }
}

/* The whole band: unnormalised exponentials, their product with V^T, then
 * each row of ot scaled by the row's 1/sum (the softmax's division,
 * applied to C outputs a row instead of P exponentials). */
AVX512 static void attn_band_avx512(const float *q, const float *k, int64_t Cq, int64_t P,
                                    int64_t i0, int64_t rows, const float *vT, int64_t C,
                                    float *a, float *ot) {
    float inv[BAND];
    scores_avx512(q, k, Cq, P, i0, rows, a, inv);
    band_avx512(a, P, P, vT, C, ot);
    scale_rows(ot, rows, C, inv);
}

/* Columns i0 .. i0 + rows - 1 of o and y from ot [rows, C], rows a
 * multiple of 16: per channel, 16 rows gathered down ot's column and
 * stored as one line of o and of y. */
AVX512 static void store_avx512(const float *ot, int64_t rows, int64_t C, int64_t P, int64_t i0,
                                const float *x, float gamma, float *o, float *y) {
    __m512i idx = _mm512_mullo_epi32(
        _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
        _mm512_set1_epi32((int)C));
    __m512 g = _mm512_set1_ps(gamma);
    for (int64_t c = 0; c < C; c++)
        for (int64_t r0 = 0; r0 < rows; r0 += 16) {
            __m512 v = _mm512_i32gather_ps(idx, ot + r0 * C + c, 4);
            int64_t at = c * P + i0 + r0;
            if (o) _mm512_storeu_ps(o + at, v);
            _mm512_storeu_ps(y + at, _mm512_fmadd_ps(g, v, _mm512_loadu_ps(x + at)));
        }
}
#endif

void cgan__attn_band(const float *q, const float *k, int64_t Cq, int64_t P, int64_t i0,
                     int64_t i1, const float *vT, int64_t C, float *a, float *ot) {
    int64_t rows = i1 - i0;
#ifdef CGAN__AVX512_KERNELS
    if (C % 16 == 0 && P % 16 == 0 && __builtin_cpu_supports("avx512f")) {
        attn_band_avx512(q, k, Cq, P, i0, rows, vT, C, a, ot);
        return;
    }
#endif
    cgan__attn_softmax_rows(q, k, P, Cq, i0, i1, a);
    if (rows < BAND) memset(a + rows * P, 0, (size_t)((BAND - rows) * P) * sizeof *a);
    band_portable(a, P, P, vT, C, ot);
}

void cgan__attn_store(const float *ot, int64_t rows, int64_t C, int64_t P, int64_t i0,
                      const float *x, float gamma, float *o, float *y) {
#ifdef CGAN__AVX512_KERNELS
    if (rows % 16 == 0 && __builtin_cpu_supports("avx512f")) {
        store_avx512(ot, rows, C, P, i0, x, gamma, o, y);
        return;
    }
#endif
    for (int64_t c = 0; c < C; c++)
        for (int64_t r = 0; r < rows; r++) {
            float v = ot[r * C + c];
            int64_t at = c * P + i0 + r;
            if (o) o[at] = v;
            y[at] = gamma * v + x[at];
        }
}

/* Rows i0..i1-1 of softmax(Q^T K) into a [(i1 - i0), P], for the backward's
 * bands: the forward's score and exponential loops, then the division. */
void cgan__attn_softmax_band(const float *q, const float *k, int64_t Cq, int64_t P, int64_t i0,
                             int64_t i1, float *a) {
#ifdef CGAN__AVX512_KERNELS
    if (P % 16 == 0 && (i1 - i0) % BAND == 0 && __builtin_cpu_supports("avx512f")) {
        for (int64_t r0 = i0; r0 < i1; r0 += BAND) {
            float inv[BAND], *band = a + (r0 - i0) * P;
            scores_avx512(q, k, Cq, P, r0, BAND, band, inv);
            scale_rows(band, BAND, P, inv);
        }
        return;
    }
#endif
    cgan__attn_softmax_rows(q, k, P, Cq, i0, i1, a);
}
