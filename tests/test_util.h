/* Helpers shared by the Check suites. */
#ifndef CGAN_TEST_UTIL_H
#define CGAN_TEST_UTIL_H

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgan.h"

/* Assert a libcgan call succeeded, printing the library's message if not. */
#define CK_OK(call)                                                                   \
    do {                                                                              \
        int rc_ = (call);                                                             \
        ck_assert_msg(rc_ == CGAN_OK, "%s -> %d (%s)", #call, rc_, cgan_last_error()); \
    } while (0)

/* Assert a call failed with the given status and left a non-empty message. */
#define CK_FAILS(call, status)                                                        \
    do {                                                                              \
        cgan_clear_error();                                                           \
        int rc_ = (call);                                                             \
        ck_assert_msg(rc_ == (status), "%s -> %d, expected %d (%s)", #call, rc_,      \
                      (int)(status), cgan_last_error());                              \
        ck_assert_msg(cgan_last_error()[0] != '\0', "%s set no error message", #call); \
    } while (0)

/* A reproducible uniform number in [-0.5, 0.5) from a xorshift state (the
 * kernel suites' random operands; not for anything statistical). */
static inline float test_rand_uniform(uint64_t *s) {
    *s ^= *s << 13, *s ^= *s >> 7, *s ^= *s << 17;
    return (float)((double)(*s >> 11) / 9007199254740992.0 - 0.5);
}

/* Whether the kernels of our own that need AVX-512 should run here. */
static inline int cpu_has_avx512(void) {
#if defined(__GNUC__) && defined(__x86_64__)
    return __builtin_cpu_supports("avx512f") != 0;
#else
    return 0;
#endif
}

/* A kernel of our own declined case i: right only without AVX-512, and
 * then say so once on stderr. */
static inline void ck_declined(const char *suite, int i) {
    ck_assert_msg(!cpu_has_avx512(), "case %d declined on an AVX-512 CPU", i);
    fprintf(stderr, "%s: no AVX-512 on this CPU, the kernel is not used\n", suite);
}

/* Path of a file under tests/data. */
static inline const char *test_data_path(const char *name) {
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/%s", CGAN_TEST_DATA, name);
    return buf;
}

/* A fresh empty directory for a test's output files. */
static inline const char *test_tmpdir(void) {
    static char buf[256];
    snprintf(buf, sizeof buf, "/tmp/cgan-test-XXXXXX");
    return mkdtemp(buf);
}

#endif
