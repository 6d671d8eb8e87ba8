/* Row softmax and its backward, for the attention matrix. */
#include "kernels.h"

#include <math.h>

void cgan__softmax_rows(float *a, int64_t rows, int64_t cols) {
    for (int64_t r = 0; r < rows; r++) {
        float *row = a + r * cols;
        float mx = row[0];
        for (int64_t j = 1; j < cols; j++) mx = row[j] > mx ? row[j] : mx;
        float s = 0.0f;
        for (int64_t j = 0; j < cols; j++) {
            row[j] = expf(row[j] - mx);
            s += row[j];
        }
        float inv = 1.0f / s;
        for (int64_t j = 0; j < cols; j++) row[j] *= inv;
    }
}

void cgan__softmax_bwd_rows(const float *a, float *g, int64_t rows, int64_t cols) {
    for (int64_t r = 0; r < rows; r++) {
        const float *ar = a + r * cols;
        float *gr = g + r * cols;
        float s = (float)cgan__dot(gr, ar, cols);
        for (int64_t j = 0; j < cols; j++) gr[j] = ar[j] * (gr[j] - s);
    }
}
