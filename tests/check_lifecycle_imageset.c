/* Valgrind cycles of manifest image sets (roi, mask, a failing row) and
 * masked measurement; kept tiny: make check runs "lifecycle" suites under
 * valgrind. */
#include "test_util.h"

#include <unistd.h>

START_TEST(manifest_set_cycle) {
    const char *tmp = test_tmpdir();
    char img[600], mask[600], man[600];
    cgan_tensor *t, *m;
    CK_OK(cgan_tensor_create4(&t, 1, 1, 24, 32));
    CK_OK(cgan_tensor_create4(&m, 1, 1, 24, 32));
    for (int64_t i = 0; i < 24 * 32; i++) {
        cgan_tensor_data(t)[i] = ((i / 32) / 4 + (i % 32) / 4) % 2 ? 0.9f : 0.1f; /* checkerboard */
        cgan_tensor_data(m)[i] = (i % 32) == 13;                                  /* a vertical crack */
    }
    snprintf(img, sizeof img, "%s/i.png", tmp);
    snprintf(mask, sizeof mask, "%s/m.png", tmp);
    snprintf(man, sizeof man, "%s/set.csv", tmp);
    CK_OK(cgan_image_write_png(img, t, 0.0f, 1.0f, 8));
    CK_OK(cgan_image_write_png(mask, m, 0.0f, 1.0f, 8));
    FILE *fp = fopen(man, "w");
    fprintf(fp, "path,um_per_px,T,roi,mask\ni.png,0.5,900,2:2:28:20,m.png\ni.png,0.5,950,,\n");
    fclose(fp);
    cgan_imageset *s;
    cgan_analysis_opts *o;
    cgan_comparison *c;
    cgan_micrograph *mg;
    CK_OK(cgan_imageset_create(&s));
    CK_OK(cgan_imageset_add_manifest(s, man));
    CK_OK(cgan_analysis_opts_create(&o));
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_BOOTSTRAP, 2));
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_S2_RADIUS, 4));
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_EDGES, CGAN_EDGES_EXCLUDE));
    CK_OK(cgan_comparison_run(&c, s, s, o));
    cgan_comparison_destroy(c);
    CK_OK(cgan_micrograph_analyze_masked(&mg, t, 8, m, o));
    cgan_micrograph_destroy(mg);
    /* a missing row: nothing added, nothing leaked */
    fp = fopen(man, "a");
    fprintf(fp, "gone.png,1,900,,\n");
    fclose(fp);
    CK_FAILS(cgan_imageset_add_manifest(s, man), CGAN_EFORMAT);
    ck_assert_int_eq(cgan_imageset_count(s), 2);
    cgan_imageset_destroy(s);
    cgan_analysis_opts_destroy(o);
    cgan_tensor_destroy(t);
    cgan_tensor_destroy(m);
    unlink(img), unlink(mask), unlink(man), rmdir(tmp);
}
END_TEST

Suite *cgan_test_lifecycle_imageset_suite(void) {
    Suite *s = suite_create("lifecycle");
    TCase *tc = tcase_create("imageset_manifest");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, manifest_set_cycle);
    suite_add_tcase(s, tc);
    return s;
}
