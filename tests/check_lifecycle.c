/* Create/destroy cycles of every object kind and the error paths.  `make
 * check` runs this suite under valgrind, which fails on any leak. */
#include "test_util.h"

START_TEST(tensor_and_rng_cycles) {
    for (int i = 0; i < 50; i++) {
        cgan_tensor *t, *c;
        cgan_rng *r;
        CK_OK(cgan_tensor_create4(&t, 2, 3, 4, 5));
        CK_OK(cgan_tensor_clone(&c, t));
        CK_OK(cgan_rng_create(&r, (uint64_t)i));
        CK_OK(cgan_tensor_fill_normal(c, r, 0.0f, 1.0f));
        cgan_tensor_destroy(t);
        cgan_tensor_destroy(c);
        cgan_rng_destroy(r);
    }
    cgan_tensor *t;
    CK_FAILS(cgan_tensor_create(&t, 1, (int64_t[]){-3}), CGAN_EINVAL);
}
END_TEST

START_TEST(image_error_paths) {
    cgan_tensor *img;
    CK_FAILS(cgan_image_read("/nonexistent.png", &img, NULL), CGAN_EIO);
    CK_OK(cgan_tensor_create4(&img, 4, 4, 0, 0));
    CK_FAILS(cgan_image_write_png("/nonexistent-dir/x.png", img, 0.0f, 1.0f, 8), CGAN_EIO);
    cgan_tensor_destroy(img);
}
END_TEST

Suite *cgan_test_lifecycle_suite(void) {
    Suite *s = suite_create("lifecycle");
    TCase *tc = tcase_create("cycles");
    tcase_add_test(tc, tensor_and_rng_cycles);
    tcase_add_test(tc, image_error_paths);
    suite_add_tcase(s, tc);
    return s;
}
