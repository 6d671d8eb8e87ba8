/* The self-attention's fused band kernel (src/kernels/attn_band.c) against
 * a double-precision softmax(Q^T K) V^T computed here, for the shapes that
 * take each of its paths: AVX-512 with 32-column blocks, and with 16-column
 * remainders (C = 64, 48, 80; P a multiple of 32: the
 * scores' register tile; P = 48, C = 16: the scores of 16 keys), and the
 * portable loop (C = 8, not a multiple of 16; P = 36, not a multiple of 16,
 * whose last band is short).  Scores reach about +-40 so the row maximum
 * matters.  The bands' rows are staged four bands at a time, then
 * cgan__attn_store writes O and y = gamma O + x (gamma 0.75 here) for their
 * columns (32 rows: the 16-row path; 4 at the end of P = 36: the portable
 * one); both are checked, and that nothing else is written.  The layer as
 * a whole is checked against PyTorch in nn_torch. */
#include "test_util.h"

#include "kernels/kernels.h"

#define STAGED 4 /* bands whose rows are stored together */

typedef struct band_case {
    int64_t Cq, C, P;
} band_case;

static const band_case cases[] = {
    {8, 64, 1024}, {2, 48, 64}, {3, 80, 32}, {1, 8, 64}, {8, 64, 36}, {4, 16, 48},
};

/* p[j] = softmax_j(Q^T K)[i, j] in double */
static void softmax_row_double(const float *q, const float *k, int64_t Cq, int64_t P, int64_t i,
                               double *p) {
    double mx = -INFINITY, sum = 0.0;
    for (int64_t j = 0; j < P; j++) {
        p[j] = 0.0;
        for (int64_t c = 0; c < Cq; c++) p[j] += (double)q[c * P + i] * k[c * P + j];
        mx = p[j] > mx ? p[j] : mx;
    }
    for (int64_t j = 0; j < P; j++) sum += (p[j] = exp(p[j] - mx));
    for (int64_t j = 0; j < P; j++) p[j] /= sum;
}

START_TEST(band_matches_double_reference) {
    const band_case *k = &cases[_i];
    int64_t Cq = k->Cq, C = k->C, P = k->P;
    float *q = malloc(sizeof(float) * Cq * P), *kk = malloc(sizeof(float) * Cq * P);
    float *vt = malloc(sizeof(float) * P * C), *a = malloc(sizeof(float) * CGAN__ATTN_BAND * P);
    float *ot = malloc(sizeof(float) * STAGED * CGAN__ATTN_BAND * C);
    float *x = malloc(sizeof(float) * C * P), *o = malloc(sizeof(float) * C * P);
    float *y = malloc(sizeof(float) * C * P);
    const float gamma = 0.75f, unset = -1234.5f;
    double *s = malloc(sizeof(double) * P);
    uint64_t seed = 88172645463325252ull;
    for (int64_t i = 0; i < Cq * P; i++) q[i] = 4.4f * test_rand_uniform(&seed), kk[i] = 4.4f * test_rand_uniform(&seed);
    for (int64_t i = 0; i < P * C; i++) vt[i] = 2.0f * test_rand_uniform(&seed);
    for (int64_t i = 0; i < P * C; i++) x[i] = test_rand_uniform(&seed), o[i] = y[i] = unset;
    double worst = 0.0;
    for (int64_t s0 = 0; s0 < P; s0 += STAGED * CGAN__ATTN_BAND) {
        int64_t s1 = s0 + STAGED * CGAN__ATTN_BAND < P ? s0 + STAGED * CGAN__ATTN_BAND : P;
        for (int64_t i0 = s0; i0 < s1; i0 += CGAN__ATTN_BAND) {
            int64_t i1 = i0 + CGAN__ATTN_BAND < s1 ? i0 + CGAN__ATTN_BAND : s1;
            cgan__attn_band(q, kk, Cq, P, i0, i1, vt, C, a, ot + (i0 - s0) * C);
        }
        cgan__attn_store(ot, s1 - s0, C, P, s0, x, gamma, o, y);
        /* the store wrote these columns of o and y, and not yet the next ones */
        for (int64_t c = 0; c < C && s1 < P; c++)
            ck_assert(o[c * P + s1] == unset && y[c * P + s1] == unset);
        for (int64_t i = s0; i < s1; i++) {
            softmax_row_double(q, kk, Cq, P, i, s);
            for (int64_t c = 0; c < C; c++) {
                double want = 0.0;
                for (int64_t j = 0; j < P; j++) want += s[j] * vt[j * C + c];
                double err = fabs(o[c * P + i] - want);
                double err_y = fabs(y[c * P + i] - (gamma * want + x[c * P + i]));
                worst = fmax(worst, fmax(err, err_y));
            }
        }
    }
    /* outputs are averages of values in [-1, 1): absolute error is relative */
    ck_assert_msg(worst < 2e-6, "Cq %lld C %lld P %lld: largest error %g", (long long)Cq,
                  (long long)C, (long long)P, worst);
    free(q), free(kk), free(vt), free(a), free(ot), free(s), free(x), free(o), free(y);
}
END_TEST

/* The backward's softmax rows (cgan__attn_softmax_band), in bands of 16
 * rows and, where P allows, a last band of 8 or a band of 4 (the portable
 * rows): each probability within 1e-6 of its double value (probabilities
 * are at most 1, so absolute error is what matters). */
START_TEST(softmax_band_matches_double) {
    const band_case *k = &cases[_i];
    int64_t Cq = k->Cq, P = k->P;
    float *q = malloc(sizeof(float) * Cq * P), *kk = malloc(sizeof(float) * Cq * P);
    float *a = malloc(sizeof(float) * 16 * P);
    double *s = malloc(sizeof(double) * P);
    uint64_t seed = 0x2545F4914F6CDD1Dull;
    for (int64_t i = 0; i < Cq * P; i++) q[i] = 4.4f * test_rand_uniform(&seed), kk[i] = 4.4f * test_rand_uniform(&seed);
    double worst = 0.0;
    for (int64_t i0 = 0; i0 < P;) {
        int64_t rows = P - i0 >= 16 ? 16 : P - i0 >= 8 ? 8 : P - i0;
        if (i0 == 16 && P - i0 >= 4) rows = 4; /* not a multiple of 8 */
        cgan__attn_softmax_band(q, kk, Cq, P, i0, i0 + rows, a);
        for (int64_t i = i0; i < i0 + rows; i++) {
            softmax_row_double(q, kk, Cq, P, i, s);
            for (int64_t j = 0; j < P; j++) worst = fmax(worst, fabs(a[(i - i0) * P + j] - s[j]));
        }
        i0 += rows;
    }
    ck_assert_msg(worst < 1e-6, "Cq %lld P %lld: largest error %g", (long long)Cq, (long long)P,
                  worst);
    free(q), free(kk), free(a), free(s);
}
END_TEST

Suite *cgan_test_nn_attn_band_suite(void) {
    Suite *su = suite_create("nn_attn_band");
    TCase *tc = tcase_create("band");
    tcase_add_loop_test(tc, band_matches_double_reference, 0,
                        (int)(sizeof cases / sizeof cases[0]));
    tcase_add_loop_test(tc, softmax_band_matches_double, 0,
                        (int)(sizeof cases / sizeof cases[0]));
    suite_add_tcase(su, tc);
    return su;
}
