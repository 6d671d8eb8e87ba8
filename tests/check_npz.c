/* .npy/.npz reader and writer: files made by numpy (tests/data/npz, from
 * tests/oracles/numpy_npz.py) read back to the oracle's closed formulas, and
 * libcgan's own archives read back exactly. */
#include "test_util.h"

#include <unistd.h>

static cgan_npz_reader *open_fixture(const char *name) {
    cgan_npz_reader *r;
    char path[4096];
    snprintf(path, sizeof path, "%s", test_data_path(name));
    CK_OK(cgan_npz_reader_open(&r, path));
    return r;
}

static void check_numpy_archive(const char *file) {
    cgan_npz_reader *r = open_fixture(file);
    cgan_tensor *t;
    int dtype, ndim;
    int64_t shape[CGAN_NPY_MAX_DIMS], numel, itemsize, i8[4];
    float f[24];
    uint8_t u1[256];
    char buf[64];
    size_t need;

    ck_assert_int_eq(cgan_npz_reader_count(r), 19);
    ck_assert(cgan_npz_reader_has(r, "generator.fc.weight"));
    ck_assert(!cgan_npz_reader_has(r, "generator.fc.weight.npy"));
    /* float32 with shape */
    CK_OK(cgan_npz_member_info(r, "f4", &dtype, &ndim, shape, &numel, &itemsize));
    ck_assert_int_eq(dtype, CGAN_NPY_FLOAT32);
    ck_assert_int_eq(ndim, 3);
    ck_assert(shape[0] == 2 && shape[1] == 3 && shape[2] == 4 && numel == 24 && itemsize == 4);
    CK_OK(cgan_npz_read_tensor(r, "f4", &t));
    ck_assert_int_eq(cgan_tensor_ndim(t), 3);
    for (int i = 0; i < 24; i++) ck_assert_float_eq(cgan_tensor_data(t)[i], i * 0.25f - 1.0f);
    cgan_tensor_destroy(t);
    /* float64, int32, float16, big-endian, bool, uint8 -> float */
    CK_OK(cgan_npz_read_float(r, "f8", f, 5));
    for (int i = 0; i < 5; i++) ck_assert_float_eq(f[i], (float)(i / 3.0));
    CK_OK(cgan_npz_read_float(r, "i4", f, 4));
    ck_assert(f[0] == 1 && f[1] == -2 && f[2] == 3 && f[3] == -4);
    CK_OK(cgan_npz_read_float(r, "half", f, 2));
    ck_assert(f[0] == 0.5f && f[1] == -65504.0f);
    CK_OK(cgan_npz_read_float(r, "big", f, 3));
    ck_assert(f[0] == 1.5f && f[1] == -2.0f && f[2] == 3e10f);
    CK_OK(cgan_npz_read_float(r, "b1", f, 3));
    ck_assert(f[0] == 1 && f[1] == 0 && f[2] == 1);
    /* Fortran order comes back in C order */
    CK_OK(cgan_npz_read_float(r, "fortran", f, 12));
    for (int i = 0; i < 12; i++) ck_assert_float_eq(f[i], (float)i);
    /* int64 exactly, scalars */
    CK_OK(cgan_npz_read_int64(r, "i8", i8, 4));
    ck_assert(i8[0] == -(INT64_C(1) << 40) && i8[1] == -1 && i8[2] == 0 && i8[3] == INT64_C(1) << 62);
    CK_OK(cgan_npz_member_info(r, "step", &dtype, &ndim, NULL, &numel, NULL));
    ck_assert(dtype == CGAN_NPY_INT64 && ndim == 0 && numel == 1);
    CK_OK(cgan_npz_read_int64(r, "step", i8, 1));
    ck_assert_int_eq(i8[0], 12345);
    CK_OK(cgan_npz_read_tensor(r, "scalar", &t));
    ck_assert(cgan_tensor_ndim(t) == 1 && cgan_tensor_dim(t, 0) == 1 && cgan_tensor_data(t)[0] == 2.5f);
    cgan_tensor_destroy(t);
    CK_OK(cgan_npz_read_int64(r, "float_int", i8, 2));
    ck_assert(i8[0] == 3 && i8[1] == -4);
    CK_FAILS(cgan_npz_read_int64(r, "float_frac", i8, 1), CGAN_EFORMAT);
    CK_FAILS(cgan_npz_read_int64(r, "u8big", i8, 1), CGAN_EFORMAT);
    ck_assert(strstr(cgan_last_error(), "u8big") != NULL);
    /* bytes */
    CK_OK(cgan_npz_read_bytes(r, "u1", u1, 256));
    for (int i = 0; i < 256; i++) ck_assert_int_eq(u1[i], i);
    CK_FAILS(cgan_npz_read_bytes(r, "f4", u1, 24), CGAN_EFORMAT);
    /* strings, unicode and bytes */
    CK_OK(cgan_npz_member_info(r, "names", &dtype, NULL, shape, NULL, &itemsize));
    ck_assert(dtype == CGAN_NPY_UNICODE && shape[0] == 3 && itemsize == 12);
    CK_OK(cgan_npz_read_string(r, "names", 0, buf, sizeof buf, NULL));
    ck_assert_str_eq(buf, "900C 0.001/s");
    CK_OK(cgan_npz_read_string(r, "names", 1, buf, sizeof buf, &need));
    ck_assert_str_eq(buf, "\xc2\xb5m\xc2\xb2 ok");
    ck_assert_int_eq(need, 9);
    CK_FAILS(cgan_npz_read_string(r, "names", 1, buf, 8, &need), CGAN_ESHAPE);
    ck_assert_int_eq(need, 9);
    CK_OK(cgan_npz_read_string(r, "names", 2, buf, sizeof buf, NULL));
    ck_assert_str_eq(buf, "");
    CK_FAILS(cgan_npz_read_string(r, "names", 3, buf, sizeof buf, NULL), CGAN_EINVAL);
    CK_OK(cgan_npz_read_string(r, "bnames", 1, buf, sizeof buf, NULL));
    ck_assert_str_eq(buf, "de");
    CK_FAILS(cgan_npz_read_string(r, "f4", 0, buf, sizeof buf, NULL), CGAN_EFORMAT);
    CK_FAILS(cgan_npz_read_float(r, "names", f, 3), CGAN_EFORMAT);
    /* shapes a tensor cannot hold */
    CK_FAILS(cgan_npz_read_tensor(r, "empty", &t), CGAN_EFORMAT);
    CK_OK(cgan_npz_member_info(r, "empty", NULL, &ndim, shape, &numel, NULL));
    ck_assert(ndim == 2 && shape[0] == 0 && shape[1] == 3 && numel == 0);
    CK_OK(cgan_npz_read_float(r, "empty", NULL, 0));
    CK_FAILS(cgan_npz_read_tensor(r, "f4_5d", &t), CGAN_EUNSUPPORTED);
    CK_OK(cgan_npz_read_float(r, "f4_5d", f, 6));
    ck_assert(f[5] == 5.0f);
    /* wrong count, unknown member */
    CK_FAILS(cgan_npz_read_float(r, "f4", f, 23), CGAN_ESHAPE);
    CK_FAILS(cgan_npz_read_float(r, "nope", f, 1), CGAN_EINVAL);
    ck_assert(strstr(cgan_last_error(), "nope") != NULL);
    cgan_npz_reader_destroy(r);
}

START_TEST(numpy_savez_opens) { check_numpy_archive("npz/savez.npz"); }
END_TEST

START_TEST(numpy_savez_compressed_opens) { check_numpy_archive("npz/savez_compressed.npz"); }
END_TEST

START_TEST(numpy_npy_files) {
    cgan_tensor *t;
    CK_OK(cgan_npy_load(test_data_path("npz/z.npy"), &t));
    ck_assert(cgan_tensor_dim(t, 0) == 3 && cgan_tensor_dim(t, 1) == 8);
    for (int i = 0; i < 24; i++) ck_assert_float_eq(cgan_tensor_data(t)[i], i * 0.125f - 1.0f);
    cgan_tensor_destroy(t);
    CK_OK(cgan_npy_load(test_data_path("npz/f8.npy"), &t));
    ck_assert(cgan_tensor_data(t)[3] == 3.5f);
    cgan_tensor_destroy(t);
    CK_OK(cgan_npy_load(test_data_path("npz/v2.npy"), &t));
    ck_assert(cgan_tensor_numel(t) == 3 && cgan_tensor_data(t)[2] == 2.0f);
    cgan_tensor_destroy(t);
    CK_FAILS(cgan_npy_load(test_data_path("npz/names.npy"), &t), CGAN_EFORMAT);
    ck_assert(t == NULL);
    CK_FAILS(cgan_npy_load(test_data_path("npz/savez.npz"), &t), CGAN_EFORMAT);
    CK_FAILS(cgan_npy_load("/nonexistent/z.npy", &t), CGAN_EIO);
}
END_TEST

START_TEST(foreign_zip_is_rejected) {
    cgan_npz_reader *r;
    CK_FAILS(cgan_npz_reader_open(&r, test_data_path("npz/foreign.zip")), CGAN_EFORMAT);
    ck_assert(r == NULL);
    ck_assert_msg(strstr(cgan_last_error(), "data") && strstr(cgan_last_error(), "method 12"), "%s",
                  cgan_last_error());
    CK_FAILS(cgan_npz_reader_open(&r, test_data_path("npz/z.npy")), CGAN_EFORMAT);
    CK_FAILS(cgan_npz_reader_open(&r, "/nonexistent.npz"), CGAN_EIO);
}
END_TEST

/* Write every member kind with each flag set and read it all back. */
static void roundtrip(uint32_t flags) {
    const char *dir = test_tmpdir();
    char path[512];
    cgan_npz_writer *w;
    cgan_npz_reader *r;
    cgan_tensor *t, *back;
    int64_t i8[3] = {INT64_MIN, 7, INT64_MAX}, got[3], shape[CGAN_NPY_MAX_DIMS];
    const char *names[2] = {"T=900C rate=0.1", "\xe2\x82\xac"};
    uint8_t bytes[5] = {0, 1, 2, 254, 255}, gb[5];
    char buf[64];
    int dtype, ndim;
    snprintf(path, sizeof path, "%s/x.npz", dir);
    CK_OK(cgan_tensor_create4(&t, 2, 1, 3, 5));
    for (int i = 0; i < 30; i++) cgan_tensor_data(t)[i] = (float)i / 7.0f - 2.0f;
    CK_OK(cgan_npz_writer_create(&w, path, flags));
    CK_OK(cgan_npz_add_tensor(w, "critic.conv1.weight", t));
    CK_OK(cgan_npz_add_int64(w, "ints", 1, (int64_t[]){3}, i8));
    CK_OK(cgan_npz_add_float_scalar(w, "lr", 2e-4f));
    CK_OK(cgan_npz_add_int64_scalar(w, "step", -5));
    CK_OK(cgan_npz_add_bytes(w, "state", bytes, 5));
    CK_OK(cgan_npz_add_strings(w, "classes", names, 2));
    CK_FAILS(cgan_npz_add_float_scalar(w, "lr", 1.0f), CGAN_EINVAL); /* duplicate */
    CK_FAILS(cgan_npz_add_float_scalar(w, "", 1.0f), CGAN_EINVAL);
    CK_FAILS(cgan_npz_add_strings(w, "bad", (const char *[]){"\xff"}, 1), CGAN_EINVAL);
    ck_assert_int_ne(access(path, F_OK), 0); /* nothing under the name before finish */
    CK_OK(cgan_npz_writer_finish(w));
    CK_FAILS(cgan_npz_writer_finish(w), CGAN_ESTATE);
    CK_FAILS(cgan_npz_add_float_scalar(w, "late", 1.0f), CGAN_ESTATE);
    cgan_npz_writer_destroy(w);

    CK_OK(cgan_npz_reader_open(&r, path));
    ck_assert_int_eq(cgan_npz_reader_count(r), 6);
    ck_assert_str_eq(cgan_npz_reader_name(r, 0), "critic.conv1.weight");
    ck_assert_ptr_null(cgan_npz_reader_name(r, 6));
    CK_OK(cgan_npz_member_info(r, "critic.conv1.weight", &dtype, &ndim, shape, NULL, NULL));
    ck_assert(dtype == CGAN_NPY_FLOAT32 && ndim == 4 && shape[0] == 2 && shape[3] == 5);
    CK_OK(cgan_npz_read_tensor(r, "critic.conv1.weight", &back));
    ck_assert_int_eq(memcmp(cgan_tensor_data(back), cgan_tensor_data(t), 30 * sizeof(float)), 0);
    CK_OK(cgan_npz_read_int64(r, "ints", got, 3));
    ck_assert(got[0] == INT64_MIN && got[1] == 7 && got[2] == INT64_MAX);
    CK_OK(cgan_npz_member_info(r, "lr", &dtype, &ndim, NULL, NULL, NULL));
    ck_assert(dtype == CGAN_NPY_FLOAT32 && ndim == 0);
    float lr;
    CK_OK(cgan_npz_read_float(r, "lr", &lr, 1));
    ck_assert(lr == 2e-4f);
    CK_OK(cgan_npz_read_int64(r, "step", got, 1));
    ck_assert_int_eq(got[0], -5);
    CK_OK(cgan_npz_read_bytes(r, "state", gb, 5));
    ck_assert_int_eq(memcmp(gb, bytes, 5), 0);
    CK_OK(cgan_npz_read_string(r, "classes", 0, buf, sizeof buf, NULL));
    ck_assert_str_eq(buf, names[0]);
    CK_OK(cgan_npz_read_string(r, "classes", 1, buf, sizeof buf, NULL));
    ck_assert_str_eq(buf, names[1]);
    cgan_npz_reader_destroy(r);
    cgan_tensor_destroy(back);
    cgan_tensor_destroy(t);
    unlink(path);
    rmdir(dir);
}

START_TEST(roundtrip_deflate) { roundtrip(0); }
END_TEST
START_TEST(roundtrip_stored) { roundtrip(CGAN_NPZ_STORED); }
END_TEST
START_TEST(roundtrip_zip64) { roundtrip(CGAN_NPZ_ZIP64); }
END_TEST

START_TEST(same_data_same_bytes) {
    const char *dir = test_tmpdir();
    char a[512], b[512], cmd[1200];
    for (int k = 0; k < 2; k++) {
        cgan_npz_writer *w;
        snprintf(k ? b : a, 512, "%s/%c.npz", dir, 'a' + k);
        CK_OK(cgan_npz_writer_create(&w, k ? b : a, 0));
        CK_OK(cgan_npz_add_float(w, "x", 1, (int64_t[]){4}, (float[]){1, 2, 3, 4}));
        CK_OK(cgan_npz_writer_finish(w));
        cgan_npz_writer_destroy(w);
    }
    snprintf(cmd, sizeof cmd, "cmp -s %s %s", a, b);
    ck_assert_int_eq(system(cmd), 0);
    unlink(a);
    unlink(b);
    rmdir(dir);
}
END_TEST

START_TEST(npy_roundtrip_and_atomicity) {
    const char *dir = test_tmpdir();
    char path[512], cmd[600];
    cgan_tensor *t, *back;
    snprintf(path, sizeof path, "%s/z.npy", dir);
    CK_OK(cgan_tensor_create4(&t, 4, 128, 0, 0));
    for (int i = 0; i < 512; i++) cgan_tensor_data(t)[i] = (float)i - 100.5f;
    CK_OK(cgan_npy_save(path, t));
    CK_OK(cgan_npy_load(path, &back));
    ck_assert(cgan_tensor_dim(back, 0) == 4 && cgan_tensor_dim(back, 1) == 128);
    ck_assert_int_eq(memcmp(cgan_tensor_data(back), cgan_tensor_data(t), 512 * sizeof(float)), 0);
    cgan_tensor_destroy(back);
    /* a writer destroyed without finish leaves nothing, not even a temp file */
    cgan_npz_writer *w;
    snprintf(path, sizeof path, "%s/never.npz", dir);
    CK_OK(cgan_npz_writer_create(&w, path, 0));
    CK_OK(cgan_npz_add_tensor(w, "t", t));
    cgan_npz_writer_destroy(w);
    snprintf(cmd, sizeof cmd, "test -z \"$(ls -A %s | grep -v z.npy)\"", dir);
    ck_assert_int_eq(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
    cgan_tensor_destroy(t);
}
END_TEST

/* float64 members round-trip exactly; read_double converts other dtypes. */
START_TEST(float64_members_are_exact) {
    const char *dir = test_tmpdir();
    char path[512];
    cgan_npz_writer *w;
    cgan_npz_reader *r;
    double lr = 2e-4, third[3] = {1.0 / 3.0, -1e-300, 12345.678901234567}, back[3];
    float f[2] = {0.1f, -2.5f};
    int64_t three = 3, two = 2;
    int dtype;
    snprintf(path, sizeof path, "%s/d.npz", dir);
    CK_OK(cgan_npz_writer_create(&w, path, 0));
    CK_OK(cgan_npz_add_double(w, "lr", 0, NULL, &lr));
    CK_OK(cgan_npz_add_double(w, "v", 1, &three, third));
    CK_OK(cgan_npz_add_float(w, "f", 1, &two, f));
    CK_FAILS(cgan_npz_add_double(w, "x", 1, &three, NULL), CGAN_EINVAL);
    CK_OK(cgan_npz_writer_finish(w));
    cgan_npz_writer_destroy(w);
    CK_OK(cgan_npz_reader_open(&r, path));
    CK_OK(cgan_npz_member_info(r, "v", &dtype, NULL, NULL, NULL, NULL));
    ck_assert_int_eq(dtype, CGAN_NPY_FLOAT64);
    CK_OK(cgan_npz_read_double(r, "lr", back, 1));
    ck_assert(back[0] == 2e-4);
    CK_OK(cgan_npz_read_double(r, "v", back, 3));
    for (int i = 0; i < 3; i++) ck_assert(back[i] == third[i]);
    CK_OK(cgan_npz_read_double(r, "f", back, 2));
    ck_assert(back[0] == (double)0.1f && back[1] == -2.5);
    CK_FAILS(cgan_npz_read_double(r, "v", back, 2), CGAN_ESHAPE);
    cgan_npz_reader_destroy(r);
    unlink(path);
    rmdir(dir);
}
END_TEST

Suite *cgan_test_npz_suite(void) {
    Suite *s = suite_create("npz");
    TCase *tc = tcase_create("numpy");
    tcase_add_test(tc, numpy_savez_opens);
    tcase_add_test(tc, numpy_savez_compressed_opens);
    tcase_add_test(tc, numpy_npy_files);
    tcase_add_test(tc, foreign_zip_is_rejected);
    suite_add_tcase(s, tc);
    tc = tcase_create("roundtrip");
    tcase_add_test(tc, roundtrip_deflate);
    tcase_add_test(tc, roundtrip_stored);
    tcase_add_test(tc, roundtrip_zip64);
    tcase_add_test(tc, same_data_same_bytes);
    tcase_add_test(tc, float64_members_are_exact);
    tcase_add_test(tc, npy_roundtrip_and_atomicity);
    suite_add_tcase(s, tc);
    return s;
}
