/* Core: version, status codes, the thread-local last error, logging,
 * tensors, the random generator and PNG round trips. */
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_util.h"

START_TEST(version_matches_header) {
    ck_assert_uint_eq(cgan_version_number(), CGAN_VERSION_NUMBER);
    ck_assert_str_eq(cgan_version_string(), CGAN_VERSION_STRING);
}
END_TEST

START_TEST(status_strings_are_distinct) {
    int codes[] = {CGAN_OK, CGAN_EINVAL, CGAN_ENOMEM, CGAN_ESHAPE, CGAN_ESTATE, CGAN_EIO,
                   CGAN_EFORMAT, CGAN_EVERSION, CGAN_ENUMERIC, CGAN_EUNSUPPORTED,
                   CGAN_EINTERRUPTED, CGAN_EINTERNAL};
    int n = (int)(sizeof codes / sizeof codes[0]);
    for (int i = 0; i < n; i++) {
        ck_assert_ptr_nonnull(cgan_status_string(codes[i]));
        for (int j = 0; j < i; j++)
            ck_assert_str_ne(cgan_status_string(codes[i]), cgan_status_string(codes[j]));
    }
    ck_assert_str_eq(cgan_status_string(12345), "unknown status");
}
END_TEST

static void *other_thread_error(void *arg) {
    int64_t bad = -1;
    cgan_tensor *t;
    (void)arg;
    cgan_tensor_create(&t, 1, &bad);
    return strdup(cgan_last_error());
}

START_TEST(last_error_is_thread_local) {
    pthread_t th;
    char *other;
    cgan_tensor *t;
    CK_FAILS(cgan_tensor_create(&t, 0, NULL), CGAN_EINVAL);
    ck_assert_ptr_null(t);
    char mine[256];
    snprintf(mine, sizeof mine, "%s", cgan_last_error());
    ck_assert_ptr_nonnull(strstr(mine, "shape is NULL"));
    pthread_create(&th, NULL, other_thread_error, NULL);
    pthread_join(th, (void **)&other);
    ck_assert_ptr_nonnull(strstr(other, "not positive"));
    ck_assert_str_eq(cgan_last_error(), mine); /* untouched by the other thread */
    ck_assert_int_eq(cgan_last_status(), CGAN_EINVAL);
    free(other);
    cgan_clear_error();
    ck_assert_str_eq(cgan_last_error(), "");
    ck_assert_int_eq(cgan_last_status(), CGAN_OK);
}
END_TEST

static int log_calls;
static void count_log(int level, const char *msg, void *user) {
    (void)msg;
    ck_assert_int_eq(level, CGAN_LOG_DEBUG);
    *(int *)user += 1;
}

START_TEST(errors_reach_the_log_callback) {
    cgan_tensor *t;
    log_calls = 0;
    cgan_set_log_callback(count_log, &log_calls, CGAN_LOG_DEBUG);
    cgan_tensor_create(&t, 5, (int64_t[]){1, 1, 1, 1, 1});
    cgan_set_log_callback(NULL, NULL, CGAN_LOG_WARN);
    cgan_tensor_create(&t, 5, (int64_t[]){1, 1, 1, 1, 1});
    ck_assert_int_eq(log_calls, 1);
}
END_TEST

START_TEST(tensor_shape_and_data) {
    cgan_tensor *t, *c;
    int64_t shape[4];
    int nd;
    CK_OK(cgan_tensor_create4(&t, 2, 3, 4, 0));
    ck_assert_int_eq(cgan_tensor_ndim(t), 3);
    ck_assert_int_eq(cgan_tensor_numel(t), 24);
    ck_assert_int_eq(cgan_tensor_dim(t, 2), 4);
    ck_assert_int_eq(cgan_tensor_dim(t, 3), 0);
    CK_OK(cgan_tensor_shape(t, &nd, shape));
    ck_assert_int_eq(nd, 3);
    ck_assert_int_eq(shape[1], 3);
    for (int i = 0; i < 24; i++) ck_assert_float_eq(cgan_tensor_data(t)[i], 0.0f);
    CK_OK(cgan_tensor_fill(t, 2.5f));
    CK_OK(cgan_tensor_clone(&c, t));
    cgan_tensor_data(t)[5] = -1.0f;
    ck_assert_float_eq(cgan_tensor_data(c)[5], 2.5f);
    CK_OK(cgan_tensor_copy(c, t));
    ck_assert_float_eq(cgan_tensor_data_const(c)[5], -1.0f);
    CK_OK(cgan_tensor_reshape(c, 2, (int64_t[]){6, 4}));
    CK_FAILS(cgan_tensor_copy(c, t), CGAN_ESHAPE);
    CK_FAILS(cgan_tensor_reshape(c, 2, (int64_t[]){5, 5}), CGAN_ESHAPE);
    float buf[24];
    CK_OK(cgan_tensor_get_data(t, buf, 24));
    ck_assert_float_eq(buf[5], -1.0f);
    buf[0] = 7.0f;
    CK_OK(cgan_tensor_set_data(c, buf, 24));
    ck_assert_float_eq(cgan_tensor_data(c)[0], 7.0f);
    CK_FAILS(cgan_tensor_set_data(c, buf, 23), CGAN_ESHAPE);
    CK_FAILS(cgan_tensor_get_data(c, NULL, 24), CGAN_EINVAL);
    cgan_tensor_destroy(t);
    cgan_tensor_destroy(c);
}
END_TEST

START_TEST(tensor_bad_arguments) {
    cgan_tensor *t = (cgan_tensor *)1;
    CK_FAILS(cgan_tensor_create(NULL, 1, (int64_t[]){1}), CGAN_EINVAL);
    CK_FAILS(cgan_tensor_create(&t, 1, (int64_t[]){0}), CGAN_EINVAL);
    ck_assert_ptr_null(t);
    CK_FAILS(cgan_tensor_create(&t, 2, (int64_t[]){INT64_MAX / 2, 4}), CGAN_EINVAL);
    CK_FAILS(cgan_tensor_fill(NULL, 0.0f), CGAN_EINVAL);
    CK_FAILS(cgan_tensor_clone(&t, NULL), CGAN_EINVAL);
    ck_assert_ptr_null(cgan_tensor_data(NULL));
    ck_assert_int_eq(cgan_tensor_numel(NULL), 0);
    cgan_tensor_destroy(NULL);
}
END_TEST

START_TEST(rng_is_reproducible_and_restorable) {
    cgan_rng *a, *b;
    uint8_t state[CGAN_RNG_STATE_BYTES];
    CK_OK(cgan_rng_create(&a, 42));
    CK_OK(cgan_rng_create(&b, 42));
    for (int i = 0; i < 100; i++) ck_assert_uint_eq(cgan_rng_u64(a), cgan_rng_u64(b));
    (void)cgan_rng_normal(a); /* leaves a spare normal in the state */
    CK_OK(cgan_rng_get_state(a, state));
    double expect[5];
    for (int i = 0; i < 5; i++) expect[i] = cgan_rng_normal(a);
    CK_OK(cgan_rng_set_state(b, state));
    for (int i = 0; i < 5; i++) ck_assert(cgan_rng_normal(b) == expect[i]);
    memset(state, 0, sizeof state);
    CK_FAILS(cgan_rng_set_state(b, state), CGAN_EFORMAT);
    CK_OK(cgan_rng_seed(b, 43));
    ck_assert_uint_ne(cgan_rng_u64(a), cgan_rng_u64(b));
    cgan_rng_destroy(a);
    cgan_rng_destroy(b);
}
END_TEST

/* Moments of 200k draws against the distributions' own (4-sigma bounds). */
START_TEST(rng_distributions) {
    cgan_rng *r;
    cgan_tensor *t;
    const int n = 200000;
    double sum = 0, sq = 0;
    CK_OK(cgan_rng_create(&r, 7));
    CK_OK(cgan_tensor_create4(&t, n, 0, 0, 0));
    CK_OK(cgan_tensor_fill_normal(t, r, 1.0f, 2.0f));
    for (int i = 0; i < n; i++) {
        double v = cgan_tensor_data(t)[i];
        sum += v;
        sq += v * v;
    }
    double mean = sum / n, var = sq / n - mean * mean;
    ck_assert_double_eq_tol(mean, 1.0, 4 * 2.0 / sqrt(n));
    ck_assert_double_eq_tol(var, 4.0, 4 * 4.0 * sqrt(2.0 / n));
    CK_OK(cgan_tensor_fill_uniform(t, r, -1.0f, 3.0f));
    sum = 0;
    for (int i = 0; i < n; i++) {
        float v = cgan_tensor_data(t)[i];
        ck_assert(v >= -1.0f && v < 3.0f);
        sum += v;
    }
    ck_assert_double_eq_tol(sum / n, 1.0, 4 * 4.0 / sqrt(12.0 * n));
    int hist[7] = {0};
    for (int i = 0; i < 70000; i++) hist[cgan_rng_below(r, 7)]++;
    for (int k = 0; k < 7; k++) ck_assert_int_lt(abs(hist[k] - 10000), 400);
    cgan_tensor_destroy(t);
    cgan_rng_destroy(r);
}
END_TEST

START_TEST(png_round_trip_8_and_16_bit) {
    const char *dir = test_tmpdir();
    char path[512];
    cgan_tensor *img, *back;
    int bits;
    CK_OK(cgan_tensor_create4(&img, 1, 1, 5, 7));
    for (int i = 0; i < 35; i++) cgan_tensor_data(img)[i] = (float)i / 34.0f;
    for (int pass = 0; pass < 2; pass++) {
        int want = pass ? 16 : 8;
        double q = pass ? 65535.0 : 255.0;
        snprintf(path, sizeof path, "%s/r%d.png", dir, want);
        CK_OK(cgan_image_write_png(path, img, 0.0f, 1.0f, want));
        /* Written files get the usual mode (0666 less the umask), not 0600. */
        struct stat st;
        mode_t mask = umask(022);
        umask(mask);
        ck_assert_int_eq(stat(path, &st), 0);
        ck_assert_int_eq(st.st_mode & 0777, 0666 & ~mask);
        CK_OK(cgan_image_read(path, &back, &bits));
        ck_assert_int_eq(bits, want);
        ck_assert_int_eq(cgan_tensor_dim(back, 2), 5);
        ck_assert_int_eq(cgan_tensor_dim(back, 3), 7);
        for (int i = 0; i < 35; i++)
            ck_assert_double_eq_tol(cgan_tensor_data(back)[i], i / 34.0, 0.5 / q + 1e-7);
        cgan_tensor_destroy(back);
        unlink(path);
    }
    CK_FAILS(cgan_image_write_png(path, img, 1.0f, 0.0f, 8), CGAN_EINVAL);
    CK_FAILS(cgan_image_write_png(path, img, 0.0f, 1.0f, 12), CGAN_EINVAL);
    cgan_tensor_destroy(img);
    rmdir(dir);
}
END_TEST

START_TEST(image_errors_name_the_file) {
    cgan_tensor *img;
    const char *dir = test_tmpdir();
    char path[512];
    CK_FAILS(cgan_image_read("/nonexistent/x.png", &img, NULL), CGAN_EIO);
    ck_assert_ptr_nonnull(strstr(cgan_last_error(), "/nonexistent/x.png"));
    snprintf(path, sizeof path, "%s/garbage.png", dir);
    FILE *fp = fopen(path, "wb");
    fputs("\x89PNG\r\n\x1a\nthis is not a png", fp);
    fclose(fp);
    CK_FAILS(cgan_image_read(path, &img, NULL), CGAN_EFORMAT);
    ck_assert_ptr_nonnull(strstr(cgan_last_error(), "garbage.png"));
    ck_assert_ptr_null(img);
    unlink(path);
    rmdir(dir);
}
END_TEST

Suite *cgan_test_core_suite(void) {
    Suite *s = suite_create("core");
    TCase *tc = tcase_create("errors");
    tcase_add_test(tc, version_matches_header);
    tcase_add_test(tc, status_strings_are_distinct);
    tcase_add_test(tc, last_error_is_thread_local);
    tcase_add_test(tc, errors_reach_the_log_callback);
    suite_add_tcase(s, tc);
    tc = tcase_create("tensor");
    tcase_add_test(tc, tensor_shape_and_data);
    tcase_add_test(tc, tensor_bad_arguments);
    suite_add_tcase(s, tc);
    tc = tcase_create("rng");
    tcase_add_test(tc, rng_is_reproducible_and_restorable);
    tcase_add_test(tc, rng_distributions);
    suite_add_tcase(s, tc);
    tc = tcase_create("image");
    tcase_add_test(tc, png_round_trip_8_and_16_bit);
    tcase_add_test(tc, image_errors_name_the_file);
    suite_add_tcase(s, tc);
    return s;
}
