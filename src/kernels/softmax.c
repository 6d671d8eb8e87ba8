/* Row softmax and its backward, for the attention matrix (P x P per
 * sample, so the exponential is the hot spot: exp_approx.h's polynomial,
 * which the compiler vectorises, instead of libm's scalar expf). */
#include "exp_approx.h"
#include "kernels.h"

#include <string.h>

/* Sixteen independent lanes for the max and the sum, so both reductions
 * vectorise without reassociating a single accumulator. */
#define LANES 16
static inline void softmax_row(float *row, int64_t cols) {
    float lane[LANES], acc[LANES];
    int64_t j = 0, body = cols - cols % LANES;
    for (int l = 0; l < LANES; l++) lane[l] = row[0];
    for (; j < body; j += LANES)
        for (int l = 0; l < LANES; l++) lane[l] = row[j + l] > lane[l] ? row[j + l] : lane[l];
    float mx = lane[0];
    for (int l = 1; l < LANES; l++) mx = lane[l] > mx ? lane[l] : mx;
    for (; j < cols; j++) mx = row[j] > mx ? row[j] : mx;
    for (int l = 0; l < LANES; l++) acc[l] = 0.0f;
    for (j = 0; j < body; j += LANES)
        for (int l = 0; l < LANES; l++) {
            float e = exp_nonpos(row[j + l] - mx);
            row[j + l] = e;
            acc[l] += e;
        }
    float s = 0.0f;
    for (; j < cols; j++) {
        row[j] = exp_nonpos(row[j] - mx);
        s += row[j];
    }
    for (int l = 0; l < LANES; l++) s += acc[l];
    float inv = 1.0f / s;
    for (j = 0; j < cols; j++) row[j] *= inv;
}

static CGAN__MULTIVERSION void softmax_rows(float *a, int64_t rows, int64_t cols) {
    for (int64_t r = 0; r < rows; r++) softmax_row(a + r * cols, cols);
}

/* Row i of Q^T K (an inner dimension of C/8 = 8 is too thin for a GEMM to
 * run well) built in place and softmaxed while it is still in L1. */
static CGAN__MULTIVERSION void attn_softmax(const float *q, const float *k, int64_t P,
                                            int64_t Cq, int64_t i0, int64_t i1, float *a) {
    for (int64_t i = i0; i < i1; i++) {
        float *row = a + (i - i0) * P;
        float q0 = q[i];
        for (int64_t j = 0; j < P; j++) row[j] = q0 * k[j];
        for (int64_t c = 1; c < Cq; c++) {
            float qc = q[c * P + i];
            const float *kc = k + c * P;
            for (int64_t j = 0; j < P; j++) row[j] += qc * kc[j];
        }
        softmax_row(row, P);
    }
}

static CGAN__MULTIVERSION void softmax_bwd_rows(const float *a, float *g, int64_t rows,
                                                int64_t cols) {
    for (int64_t r = 0; r < rows; r++) {
        const float *ar = a + r * cols;
        float *gr = g + r * cols;
        float acc[LANES] = {0};
        int64_t j = 0, body = cols - cols % LANES;
        for (; j < body; j += LANES)
            for (int l = 0; l < LANES; l++) acc[l] += gr[j + l] * ar[j + l];
        float s = 0.0f;
        for (; j < cols; j++) s += gr[j] * ar[j];
        for (int l = 0; l < LANES; l++) s += acc[l];
        for (j = 0; j < cols; j++) gr[j] = ar[j] * (gr[j] - s);
    }
}

void cgan__softmax_rows(float *a, int64_t rows, int64_t cols) { softmax_rows(a, rows, cols); }

void cgan__attn_softmax_rows(const float *q, const float *k, int64_t P, int64_t Cq, int64_t i0,
                             int64_t i1, float *a) {
    attn_softmax(q, k, P, Cq, i0, i1, a);
}

void cgan__softmax_bwd_rows(const float *a, float *g, int64_t rows, int64_t cols) {
    softmax_bwd_rows(a, g, rows, cols);
}
