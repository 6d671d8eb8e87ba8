/* The AVX-512 kernels of the 4x4, stride-2, padding-1 convolution of
 * one-channel images with its LeakyReLU (src/kernels/conv1_k4s2.c) against
 * sums in double written here: the forward with and without bias and
 * activation (slopes 0.2 and 0), streamed stores, 1-3 images, heights 2-16
 * and widths 32-128 (output widths 16-64); the weight and bias gradients
 * through the activation's derivative or without it, beta 0 (overwrite,
 * NaNs ignored) and 1 (accumulate).  Shapes they do not take must be
 * declined.  On a CPU without AVX-512 they decline everything and the test
 * says so. */
#include "test_util.h"

#include "kernels/kernels.h"

typedef struct conv1_case {
    int64_t c, Co, H, W;
    int bias, act;
    float slope, beta;
} conv1_case;

static const conv1_case cases[] = {
    {1, 16, 8, 64, 1, 1, 0.2f, 0.0f},  {3, 32, 16, 64, 1, 1, 0.0f, 1.0f},
    {2, 16, 2, 128, 0, 0, 0.2f, 1.0f}, {2, 16, 6, 32, 1, 1, 0.2f, 0.0f},
};

/* the convolution at output (n, o, i, j), in double */
static double conv_at(const float *x, const float *w, const float *b, int64_t H, int64_t W,
                      int64_t n, int64_t o, int64_t i, int64_t j) {
    double s = b ? b[o] : 0.0;
    for (int64_t a = 0; a < 4; a++)
        for (int64_t t = 0; t < 4; t++) {
            int64_t ih = 2 * i - 1 + a, iw = 2 * j - 1 + t;
            if (ih >= 0 && ih < H && iw >= 0 && iw < W)
                s += (double)w[o * 16 + a * 4 + t] * x[(n * H + ih) * W + iw];
        }
    return s;
}

START_TEST(forward_matches_double) {
    const conv1_case *t = &cases[_i];
    int64_t c = t->c, Co = t->Co, H = t->H, W = t->W, Ho = H / 2, Wo = W / 2, yn = c * Co * Ho * Wo;
    float *x = malloc(sizeof(float) * c * H * W), *w = malloc(sizeof(float) * Co * 16);
    float *b = malloc(sizeof(float) * Co), *y = aligned_alloc(64, sizeof(float) * yn);
    float *scratch = malloc(sizeof(float) * 16 * Ho * Wo);
    uint64_t s = 0x9E3779B97F4A7C15ull + (uint64_t)_i;
    for (int64_t i = 0; i < c * H * W; i++) x[i] = test_rand_uniform(&s);
    for (int64_t i = 0; i < Co * 16; i++) w[i] = test_rand_uniform(&s);
    for (int64_t i = 0; i < Co; i++) b[i] = test_rand_uniform(&s);
    if (Wo % 32 != 0) { /* the forward needs whole 32-pixel blocks */
        ck_assert(!cgan__conv1_k4s2p1_fwd(x, c, H, W, w, Co, b, t->act, t->slope, y, 0, scratch,
                                          (size_t)(16 * Ho * Wo)));
        goto out;
    }
    if (!cgan__conv1_k4s2p1_fwd(x, c, H, W, w, Co, t->bias ? b : NULL, t->act, t->slope, y,
                                _i % 2, scratch, (size_t)(16 * Ho * Wo))) {
        ck_declined("kernels_conv1_k4s2", _i);
        goto out;
    }
    for (int64_t n = 0; n < c; n++)
        for (int64_t o = 0; o < Co; o++)
            for (int64_t i = 0; i < Ho; i++)
                for (int64_t j = 0; j < Wo; j++) {
                    double want = conv_at(x, w, t->bias ? b : NULL, H, W, n, o, i, j);
                    if (t->act && !(want > 0.0)) want *= t->slope;
                    float got = y[((n * Co + o) * Ho + i) * Wo + j];
                    ck_assert_msg(fabs(got - want) <= 1e-5 * (1.0 + fabs(want)),
                                  "case %d: y[%lld][%lld][%lld][%lld] = %.9g, double %.9g", _i,
                                  (long long)n, (long long)o, (long long)i, (long long)j, got,
                                  want);
                }
out:
    free(x), free(w), free(b), free(y), free(scratch);
}
END_TEST

START_TEST(gradients_match_double) {
    const conv1_case *t = &cases[_i];
    int64_t c = t->c, Co = t->Co, H = t->H, W = t->W, Ho = H / 2, Wo = W / 2, P = Ho * Wo;
    int64_t yn = c * Co * P;
    size_t scratch_n = cgan__conv1_k4s2p1_dw_scratch(H, W, Co);
    float *x = malloc(sizeof(float) * c * H * W), *dy = malloc(sizeof(float) * yn);
    float *y = malloc(sizeof(float) * yn), *scratch = malloc(sizeof(float) * scratch_n);
    float *dw = malloc(sizeof(float) * Co * 16), *dw0 = malloc(sizeof(float) * Co * 16);
    float *db = malloc(sizeof(float) * Co), *db0 = malloc(sizeof(float) * Co);
    uint64_t s = 0xD1B54A32D192ED03ull + (uint64_t)_i;
    for (int64_t i = 0; i < c * H * W; i++) x[i] = test_rand_uniform(&s);
    for (int64_t i = 0; i < yn; i++) dy[i] = test_rand_uniform(&s), y[i] = test_rand_uniform(&s);
    for (int64_t i = 0; i < Co * 16; i++)
        dw0[i] = dw[i] = t->beta == 0.0f ? NAN : test_rand_uniform(&s);
    for (int64_t i = 0; i < Co; i++) db0[i] = db[i] = t->beta == 0.0f ? NAN : test_rand_uniform(&s);
    const float *yact = t->act ? y : NULL;
    ck_assert(!cgan__conv1_k4s2p1_dw(x, dy, yact, t->slope, c, H, W, Co, dw, db, t->beta, scratch,
                                     scratch_n / 2)); /* scratch too small */
    if (!cgan__conv1_k4s2p1_dw(x, dy, yact, t->slope, c, H, W, Co, dw, t->bias ? db : NULL,
                               t->beta, scratch, scratch_n)) {
        ck_declined("kernels_conv1_k4s2", _i);
        goto out;
    }
    for (int64_t o = 0; o < Co; o++) {
        double bsum = t->beta == 0.0f ? 0.0 : db0[o], bscale = fabs(bsum);
        for (int64_t k = 0; k < 16; k++) {
            int64_t a = k / 4, b = k % 4;
            double want = t->beta == 0.0f ? 0.0 : dw0[o * 16 + k], scale = fabs(want);
            for (int64_t n = 0; n < c; n++)
                for (int64_t i = 0; i < Ho; i++)
                    for (int64_t j = 0; j < Wo; j++) {
                        int64_t e = ((n * Co + o) * Ho + i) * Wo + j;
                        double g = dy[e] * (yact && !(y[e] > 0.0f) ? (double)t->slope : 1.0);
                        if (k == 0) bsum += g, bscale += fabs(g);
                        int64_t ih = 2 * i - 1 + a, iw = 2 * j - 1 + b;
                        if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                        double p = g * x[(n * H + ih) * W + iw];
                        want += p, scale += fabs(p);
                    }
            ck_assert_msg(fabs(dw[o * 16 + k] - want) <= 1e-6 * scale + 1e-7,
                          "case %d: dW[%lld][%lld] = %.9g, double %.9g", _i, (long long)o,
                          (long long)k, dw[o * 16 + k], want);
        }
        if (t->bias)
            ck_assert_msg(fabs(db[o] - bsum) <= 1e-6 * bscale + 1e-7,
                          "case %d: db[%lld] = %.9g, double %.9g", _i, (long long)o, db[o], bsum);
        else /* no bias wanted: db untouched */
            ck_assert(isnan(db[o]) == isnan(db0[o]) && (isnan(db[o]) || db[o] == db0[o]));
    }
out:
    free(x), free(dy), free(y), free(scratch), free(dw), free(dw0), free(db), free(db0);
}
END_TEST

START_TEST(declines_other_shapes) {
    float buf[8192] = {0};
    /* forward: output width 16; Co 8; odd height; output wider than 256 */
    ck_assert(!cgan__conv1_k4s2p1_fwd(buf, 1, 4, 32, buf, 16, NULL, 0, 0.0f, buf, 0, buf, 8192));
    ck_assert(!cgan__conv1_k4s2p1_fwd(buf, 1, 4, 64, buf, 8, NULL, 0, 0.0f, buf, 0, buf, 8192));
    ck_assert(!cgan__conv1_k4s2p1_fwd(buf, 1, 5, 64, buf, 16, NULL, 0, 0.0f, buf, 0, buf, 8192));
    ck_assert(!cgan__conv1_k4s2p1_fwd(buf, 1, 2, 1024, buf, 16, NULL, 0, 0.0f, buf, 0, buf, 8192));
    /* gradient: output width 8; Co 8; beta 0.5 */
    float *b = buf;
    ck_assert(!cgan__conv1_k4s2p1_dw(b, b, NULL, 1.0f, 1, 4, 16, 16, b, NULL, 0.0f, b, 8192));
    ck_assert(!cgan__conv1_k4s2p1_dw(b, b, NULL, 1.0f, 1, 4, 32, 8, b, NULL, 0.0f, b, 8192));
    ck_assert(!cgan__conv1_k4s2p1_dw(b, b, NULL, 1.0f, 1, 4, 32, 16, b, NULL, 0.5f, b, 8192));
}
END_TEST

Suite *cgan_test_kernels_conv1_k4s2_suite(void) {
    Suite *su = suite_create("kernels_conv1_k4s2");
    TCase *tc = tcase_create("conv1_k4s2");
    int n = (int)(sizeof cases / sizeof cases[0]);
    tcase_add_loop_test(tc, forward_matches_double, 0, n);
    tcase_add_loop_test(tc, gradients_match_double, 0, n);
    tcase_add_test(tc, declines_other_shapes);
    suite_add_tcase(su, tc);
    return su;
}
