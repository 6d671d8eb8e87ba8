/* The generator's output tanh is a vectorised polynomial
 * (src/kernels/exp_approx.h), not libm's tanhf: it must stay within 2
 * float ulps (1.2 measured) of tanh computed in double, over a dense sweep that crosses
 * the switch between its two forms (|x| = 0.625), and keep the limits. */
#include "test_util.h"

#include "kernels/kernels.h"

START_TEST(tanh_within_ulps_of_double) {
    const int64_t n = 400001; /* -20 .. 20 in steps of 1e-4 */
    float *x = malloc(sizeof(float) * n), *y = malloc(sizeof(float) * n);
    for (int64_t i = 0; i < n; i++) x[i] = (float)(-20.0 + 1e-4 * (double)i);
    x[0] = -INFINITY, x[1] = 1e-30f, x[2] = -3e-8f, x[3] = 0.625f, x[4] = -0.62499994f;
    cgan__tanh_fwd(x, y, n);
    double worst = 0.0;
    int64_t at = 0;
    for (int64_t i = 0; i < n; i++) {
        double want = tanh((double)x[i]), ulp = fmax(fabs(want), 1e-37) * 0x1p-23;
        double e = fabs(y[i] - want) / ulp;
        if (e > worst) worst = e, at = i;
    }
    ck_assert_msg(worst <= 2.0, "tanh(%.9g) = %.9g, double %.9g: %.1f ulp", x[at], y[at],
                  tanh((double)x[at]), worst);
    ck_assert(y[0] == -1.0f && y[n - 1] == 1.0f);
    free(x), free(y);
}
END_TEST

Suite *cgan_test_kernels_tanh_suite(void) {
    Suite *su = suite_create("kernels_tanh");
    TCase *tc = tcase_create("tanh");
    tcase_add_test(tc, tanh_within_ulps_of_double);
    suite_add_tcase(su, tc);
    return su;
}
