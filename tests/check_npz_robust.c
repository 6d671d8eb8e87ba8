/* Damaged archives: truncations at many offsets and random byte flips must
 * give CGAN_EFORMAT (or, for bytes that carry no meaning, the intact data),
 * never a crash, a hang or a wrong value.  Some cases also run in the
 * lifecycle suite, under valgrind, which catches out-of-bounds reads. */
#include "test_util.h"
#include "check_npz_robust.h"

#include <unistd.h>

START_TEST(truncations_fail_cleanly) {
    const char *dir = test_tmpdir();
    unsigned char *orig;
    size_t n;
    uint64_t want;
    char path[512];
    ck_assert_int_eq(npz_robust_make(dir, 0, &orig, &n), 0);
    ck_assert_int_eq(npz_robust_digest(npz_robust_path(dir), &want), CGAN_OK);
    snprintf(path, sizeof path, "%s/cut.npz", dir);
    for (size_t cut = 0; cut < n; cut += 1 + n / 300) {
        uint64_t d;
        npz_robust_write(path, orig, cut);
        int rc = npz_robust_digest(path, &d);
        ck_assert_msg(rc == CGAN_EFORMAT, "cut at %zu of %zu: %d (%s)", cut, n, rc, cgan_last_error());
        ck_assert(strstr(cgan_last_error(), "cut.npz") != NULL);
    }
    free(orig);
    npz_robust_cleanup(dir);
}
END_TEST

/* Flip 1-3 random bytes, many times, in a deflated and a stored archive. */
static void flips(uint32_t flags, int trials) {
    const char *dir = test_tmpdir();
    unsigned char *orig, *bad;
    size_t n;
    uint64_t want;
    char path[512];
    cgan_rng *rng;
    int failed = 0;
    ck_assert_int_eq(npz_robust_make(dir, flags, &orig, &n), 0);
    ck_assert_int_eq(npz_robust_digest(npz_robust_path(dir), &want), CGAN_OK);
    snprintf(path, sizeof path, "%s/flip.npz", dir);
    bad = malloc(n);
    CK_OK(cgan_rng_create(&rng, 1234 + flags));
    for (int t = 0; t < trials; t++) {
        uint64_t d = 0;
        memcpy(bad, orig, n);
        int k = 1 + (int)cgan_rng_below(rng, 3);
        for (int j = 0; j < k; j++) bad[cgan_rng_below(rng, (int64_t)n)] ^= (unsigned char)(1 + cgan_rng_below(rng, 255));
        npz_robust_write(path, bad, n);
        int rc = npz_robust_digest(path, &d);
        ck_assert_msg(rc == CGAN_OK || rc == CGAN_EFORMAT, "trial %d: status %d (%s)", t, rc,
                      cgan_last_error());
        if (rc == CGAN_OK) ck_assert_msg(d == want, "trial %d: damaged data read as valid", t);
        else failed++;
    }
    ck_assert_int_gt(failed, trials / 2); /* most flips hit meaningful bytes */
    cgan_rng_destroy(rng);
    free(bad);
    free(orig);
    npz_robust_cleanup(dir);
}

START_TEST(flips_deflate) { flips(0, 400); }
END_TEST
START_TEST(flips_stored) { flips(CGAN_NPZ_STORED, 400); }
END_TEST

START_TEST(npy_truncations_and_flips) {
    const char *dir = test_tmpdir();
    char path[512];
    cgan_tensor *t, *back;
    unsigned char buf[4096];
    snprintf(path, sizeof path, "%s/z.npy", dir);
    CK_OK(cgan_tensor_create4(&t, 3, 5, 0, 0));
    for (int i = 0; i < 15; i++) cgan_tensor_data(t)[i] = (float)i;
    CK_OK(cgan_npy_save(path, t));
    FILE *fp = fopen(path, "rb");
    size_t n = fread(buf, 1, sizeof buf, fp);
    fclose(fp);
    for (size_t cut = 0; cut < n; cut++) {
        npz_robust_write(path, buf, cut);
        CK_FAILS(cgan_npy_load(path, &back), CGAN_EFORMAT);
    }
    for (size_t i = 0; i < 128; i++) { /* every header byte */
        int rc;
        buf[i] ^= 0x5a;
        npz_robust_write(path, buf, n);
        rc = cgan_npy_load(path, &back);
        ck_assert_msg(rc == CGAN_OK || rc == CGAN_EFORMAT, "byte %zu: %d", i, rc);
        if (rc == CGAN_OK) { /* padding spaces may change harmlessly */
            ck_assert_int_eq(memcmp(cgan_tensor_data(back), cgan_tensor_data(t), 60), 0);
            cgan_tensor_destroy(back);
        }
        buf[i] ^= 0x5a;
    }
    cgan_tensor_destroy(t);
    unlink(path);
    rmdir(dir);
}
END_TEST

Suite *cgan_test_npz_robust_suite(void) {
    Suite *s = suite_create("npz_robust");
    TCase *tc = tcase_create("damage");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, truncations_fail_cleanly);
    tcase_add_test(tc, flips_deflate);
    tcase_add_test(tc, flips_stored);
    tcase_add_test(tc, npy_truncations_and_flips);
    suite_add_tcase(s, tc);
    return s;
}
