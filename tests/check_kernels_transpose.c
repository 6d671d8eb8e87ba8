/* cgan__transpose (src/kernels/layout.c): t = a^T, by 8 x 16 register
 * transposes where the shape allows (rows a multiple of 8, columns of 16,
 * AVX-512) and a plain loop otherwise, against the definition: the
 * attention's V^T (64 x 1024), a single block, and shapes that take the
 * plain loop (rows or columns not multiples). */
#include "test_util.h"

#include "kernels/kernels.h"

static const int64_t shapes[][2] = {{64, 1024}, {8, 16}, {16, 48}, {5, 16}, {8, 20}, {3, 7}};

START_TEST(transpose_matches_definition) {
    int64_t rows = shapes[_i][0], cols = shapes[_i][1];
    float *a = malloc(sizeof(float) * rows * cols), *t = malloc(sizeof(float) * rows * cols);
    uint64_t s = 0x9E3779B97F4A7C15ull;
    for (int64_t i = 0; i < rows * cols; i++) a[i] = test_rand_uniform(&s);
    cgan__transpose(a, rows, cols, t);
    for (int64_t r = 0; r < rows; r++)
        for (int64_t c = 0; c < cols; c++)
            ck_assert_msg(t[c * rows + r] == a[r * cols + c], "%lldx%lld: t[%lld][%lld] = %g, a = %g",
                          (long long)rows, (long long)cols, (long long)c, (long long)r,
                          t[c * rows + r], a[r * cols + c]);
    free(a), free(t);
}
END_TEST

Suite *cgan_test_kernels_transpose_suite(void) {
    Suite *su = suite_create("kernels_transpose");
    TCase *tc = tcase_create("transpose");
    tcase_add_loop_test(tc, transpose_matches_definition, 0,
                        (int)(sizeof shapes / sizeof shapes[0]));
    suite_add_tcase(su, tc);
    return su;
}
