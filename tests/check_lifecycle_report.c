/* The report's error paths and one small report (suite "lifecycle": run
 * under valgrind by `make check`). */
#include "test_util.h"
#include "report_fixture.h"

START_TEST(report_errors_and_cycle) {
    const char *dir = test_tmpdir();
    char cmp[300], out[300], run[300];
    snprintf(cmp, sizeof cmp, "%s/cmp", dir);
    snprintf(out, sizeof out, "%s/out", dir);
    snprintf(run, sizeof run, "%s/run", dir);
    CK_FAILS(cgan_report_write(NULL, cmp, NULL, NULL), CGAN_EINVAL);
    CK_FAILS(cgan_report_write(out, NULL, NULL, NULL), CGAN_EINVAL);
    CK_FAILS(cgan_report_write(out, cmp, NULL, NULL), CGAN_EIO); /* no such directory */
    ck_assert_ptr_nonnull(strstr(cgan_last_error(), "means.csv"));
    mkdir(cmp, 0777);
    mkdir(run, 0777);
    fake_compare(cmp);
    CK_FAILS(cgan_report_write(out, cmp, run, NULL), CGAN_EIO); /* run without log.csv */
    put(run, "log.csv", "iteration,wasserstein,gen_loss\n1,0.5,\n1,,2\n2,0.4,1.5\n");
    put(run, "samples_000002.png", "not really a png, copied as is\n");
    CK_OK(cgan_report_write(out, cmp, run, NULL));
    CK_FAILS(cgan_report_write(out, cmp, NULL, "/nonexistent/sheet.png"), CGAN_EIO);
    CK_FAILS(cgan_report_loss_svg(NULL, "x.svg", NULL, NULL), CGAN_EINVAL);
    put(run, "log.csv", "iteration,\"unterminated\n1\n");
    CK_FAILS(cgan_report_write(out, cmp, run, NULL), CGAN_EFORMAT);
}
END_TEST

Suite *cgan_test_lifecycle_report_suite(void) {
    Suite *s = suite_create("lifecycle");
    TCase *t = tcase_create("report");
    tcase_add_test(t, report_errors_and_cycle);
    suite_add_tcase(s, t);
    return s;
}
