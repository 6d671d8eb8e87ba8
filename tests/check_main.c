/* One runner for every Check suite.  Suites are found by the Makefile: each
 * tests/check_*.c defines `Suite *cgan_test_NAME_suite(void)`, listed in the
 * generated suites.h.  CK_RUN_SUITE / CK_RUN_CASE select a subset. */
#include <check.h>
#include <stdlib.h>

#define SUITE(fn) Suite *fn(void);
#include "suites.h"
#undef SUITE

int main(void) {
    SRunner *sr = srunner_create(NULL);
#define SUITE(fn) srunner_add_suite(sr, fn());
#include "suites.h"
#undef SUITE
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
