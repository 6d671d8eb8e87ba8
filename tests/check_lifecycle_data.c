/* Create/destroy cycles and error paths of the npz and data handles; run
 * under valgrind by `make check`, so a few damaged archives are read here
 * too (valgrind sees out-of-bounds reads that would not crash). */
#include "test_util.h"
#include "check_npz_robust.h"

START_TEST(npz_cycles) {
    const char *dir = test_tmpdir();
    unsigned char *orig;
    size_t n;
    uint64_t d;
    char path[512];
    ck_assert_int_eq(npz_robust_make(dir, 0, &orig, &n), 0);
    ck_assert_int_eq(npz_robust_digest(npz_robust_path(dir), &d), CGAN_OK);
    snprintf(path, sizeof path, "%s/bad.npz", dir);
    for (size_t cut = 0; cut < n; cut += n / 7) { /* truncations */
        npz_robust_write(path, orig, cut);
        ck_assert_int_eq(npz_robust_digest(path, &d), CGAN_EFORMAT);
    }
    for (size_t i = 0; i < n; i += 1 + n / 40) { /* single flips */
        orig[i] ^= 0xa5;
        npz_robust_write(path, orig, n);
        int rc = npz_robust_digest(path, &d);
        ck_assert(rc == CGAN_OK || rc == CGAN_EFORMAT);
        orig[i] ^= 0xa5;
    }
    /* a writer destroyed mid-way, NULLs */
    cgan_npz_writer *w;
    CK_OK(cgan_npz_writer_create(&w, path, 0));
    CK_OK(cgan_npz_add_int64_scalar(w, "x", 1));
    cgan_npz_writer_destroy(w);
    cgan_npz_writer_destroy(NULL);
    cgan_npz_reader_destroy(NULL);
    CK_FAILS(cgan_npz_writer_create(&w, "/nonexistent-dir/x.npz", 0), CGAN_EIO);
    CK_FAILS(cgan_npz_writer_create(&w, path, 0x100), CGAN_EINVAL);
    cgan_npz_reader *r;
    CK_FAILS(cgan_npz_reader_open(&r, "/nonexistent.npz"), CGAN_EIO);
    cgan_tensor *t;
    CK_FAILS(cgan_npy_load(path, &t), CGAN_EFORMAT);
    free(orig);
    npz_robust_cleanup(dir);
}
END_TEST

START_TEST(data_cycles) {
    cgan_manifest *m;
    cgan_prepare_opts *o;
    cgan_sampler *s;
    cgan_dataset *d;
    int64_t cls[6] = {0, 1, 1, 2, 2, 2}, idx[6];
    CK_FAILS(cgan_manifest_load(&m, "/nonexistent/m.csv"), CGAN_EIO);
    CK_FAILS(cgan_manifest_load(&m, test_data_path("images/gray8.png")), CGAN_EFORMAT);
    CK_OK(cgan_manifest_load(&m, test_data_path("data/micrographs/manifest.csv")));
    CK_OK(cgan_manifest_set_log_column(m, "strain_rate_per_s"));
    cgan_manifest_destroy(m);
    cgan_manifest_destroy(NULL);
    CK_OK(cgan_prepare_opts_create(&o));
    CK_OK(cgan_prepare_opts_set_reference(o, "x.tif"));
    CK_OK(cgan_prepare_opts_set_reference(o, NULL));
    CK_OK(cgan_prepare_opts_set_reference(o, "y.tif"));
    CK_FAILS(cgan_prepare_opts_set(o, 999, 1), CGAN_EINVAL);
    cgan_prepare_opts_destroy(o);
    CK_OK(cgan_sampler_create(&s, cls, 6, 2, 1));
    for (int i = 0; i < 10; i++) CK_OK(cgan_sampler_next(s, idx, 6));
    cgan_sampler_destroy(s);
    CK_FAILS(cgan_sampler_create(&s, cls, 0, 2, 1), CGAN_EINVAL);
    CK_FAILS(cgan_dataset_load(&d, test_data_path("npz/savez.npz")), CGAN_EFORMAT);
    CK_FAILS(cgan_dataset_load(&d, "/nonexistent.npz"), CGAN_EIO);
    cgan_dataset_destroy(NULL);
}
END_TEST

START_TEST(tiff_error_paths) {
    cgan_tensor *img;
    CK_OK(cgan_image_read(test_data_path("images/multipage.tif"), &img, NULL));
    cgan_tensor_destroy(img);
    CK_FAILS(cgan_image_read(test_data_path("npz/z.npy"), &img, NULL), CGAN_EFORMAT);
}
END_TEST

Suite *cgan_test_lifecycle_data_suite(void) {
    Suite *s = suite_create("lifecycle");
    TCase *tc = tcase_create("data");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, npz_cycles);
    tcase_add_test(tc, data_cycles);
    tcase_add_test(tc, tiff_error_paths);
    suite_add_tcase(s, tc);
    return s;
}
