/* Manifests (classes, scaling, every bad-row kind), the batch sampler and
 * cgan_prepare_run end to end on the synthetic TIFF micrographs of
 * tests/data/data/micrographs (tests/oracles/micrographs.py). */
#include "test_util.h"

#include <unistd.h>

/* A scratch folder with the fixture micrographs and a manifest text. */
static const char *scratch(const char *manifest_text) {
    static char dir[256], cmd[16384];
    char src[4096];
    snprintf(dir, sizeof dir, "%s", test_tmpdir());
    snprintf(src, sizeof src, "%s", test_data_path("data/micrographs"));
    snprintf(cmd, sizeof cmd, "cp %s/*.tif %s/*.png %s/", src, src, dir);
    ck_assert_int_eq(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "%s/m.csv", dir);
    FILE *fp = fopen(cmd, "w");
    fputs(manifest_text, fp);
    fclose(fp);
    return dir;
}

static void rm_rf(const char *dir) {
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static const char *path_in(const char *dir, const char *name) {
    static char p[600];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return p;
}

#define HEADER "path,um_per_px,temperature_C,strain_rate_per_s\n"

START_TEST(classes_are_stable_and_scaled) {
    const char *a = HEADER "t1000_r0.1_a.tif,0.5,1000,0.1\n"
                           "t900_r0.001_a.tif,1,900,0.001\n"
                           "# a comment line\n"
                           "\n"
                           "t1000_r0.001_a.tif,1,1000,0.001\n"
                           "\"t900_r0.001_b.tif\" , 0.5 ,900,1e-3\r\n";
    const char *dir = scratch(a);
    cgan_manifest *m;
    float sc[2];
    CK_OK(cgan_manifest_load(&m, path_in(dir, "m.csv")));
    ck_assert_int_eq(cgan_manifest_rows(m), 4);
    ck_assert_int_eq(cgan_manifest_columns(m), 2);
    ck_assert_str_eq(cgan_manifest_column_name(m, 1), "strain_rate_per_s");
    ck_assert_int_eq(cgan_manifest_classes(m), 3);
    /* ascending by temperature, then rate, whatever the row order */
    ck_assert_str_eq(cgan_manifest_class_name(m, 0), "temperature_C=900 strain_rate_per_s=0.001");
    ck_assert_str_eq(cgan_manifest_class_name(m, 1), "temperature_C=1000 strain_rate_per_s=0.001");
    ck_assert_str_eq(cgan_manifest_class_name(m, 2), "temperature_C=1000 strain_rate_per_s=0.1");
    ck_assert_int_eq(cgan_manifest_class(m, 0), 2);
    ck_assert_int_eq(cgan_manifest_class(m, 3), 0);
    ck_assert_int_eq(cgan_manifest_line(m, 2), 6);
    ck_assert_str_eq(cgan_manifest_condition_name(m, 1), cgan_manifest_class_name(m, 0));
    ck_assert_str_eq(cgan_manifest_path(m, 3), path_in(dir, "t900_r0.001_b.tif"));
    /* linear scaling, then log10 for the rate */
    CK_OK(cgan_manifest_scaled(m, 0, sc));
    ck_assert(sc[0] == 1.0f && sc[1] == 1.0f);
    CK_OK(cgan_manifest_scaled(m, 2, sc));
    ck_assert(sc[0] == 1.0f && fabs(sc[1] - (2 * (0.001 - 0.001) / (0.1 - 0.001) - 1)) < 1e-6);
    CK_OK(cgan_manifest_set_log_column(m, "strain_rate_per_s"));
    double lo, hi;
    int lg;
    CK_OK(cgan_manifest_scaling(m, 1, &lo, &hi, &lg));
    ck_assert(fabs(lo + 3) < 1e-12 && fabs(hi + 1) < 1e-12 && lg == 1);
    CK_OK(cgan_manifest_scaled(m, 2, sc));
    ck_assert(sc[1] == -1.0f);
    CK_FAILS(cgan_manifest_set_log_column(m, "nope"), CGAN_EINVAL);
    cgan_manifest_destroy(m);
    rm_rf(dir);
}
END_TEST

/* Each bad-row kind gives CGAN_EFORMAT naming the line and the problem. */
START_TEST(bad_rows_are_named) {
    static const struct {
        const char *text, *line, *what;
    } bad[] = {
        {HEADER "t900_r0.001_a.tif,1,900,0.001\nmissing.tif,1,900,0.001\n", "line 3", "not found"},
        {HEADER "t900_r0.001_a.tif,1,hot,0.001\n", "line 2", "'hot', not a number"},
        {HEADER "t900_r0.001_a.tif,0,900,0.001\n", "line 2", "um_per_px"},
        {HEADER "t900_r0.001_a.tif,abc,900,0.001\n", "line 2", "um_per_px"},
        {HEADER "t900_r0.001_a.tif,1,900\n", "line 2", "3 fields"},
        {"path,temperature_C\nt900_r0.001_a.tif,900\n", "line 1", "um_per_px"},
        {"path,um_per_px,roi\nt900_r0.001_a.tif,1,1:2:3\n", "line 2", "roi"},
        {"path,um_per_px,mask\nt900_r0.001_a.tif,1,nomask.png\n", "line 2", "mask 'nomask.png' not found"},
        {"path,um_per_px,T,T\nt900_r0.001_a.tif,1,2,3\n", "line 1", "twice"},
        {HEADER "\"t900_r0.001_a.tif,1,900,0.001\n", "line 2", "quoted"},
        {HEADER, "", "no data rows"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *dir = scratch(bad[i].text);
        cgan_manifest *m;
        CK_FAILS(cgan_manifest_load(&m, path_in(dir, "m.csv")), CGAN_EFORMAT);
        ck_assert_ptr_null(m);
        const char *e = cgan_last_error();
        ck_assert_msg(strstr(e, "m.csv") && strstr(e, bad[i].line) && strstr(e, bad[i].what),
                      "case %zu: '%s'", i, e);
        rm_rf(dir);
    }
    cgan_manifest *m;
    CK_FAILS(cgan_manifest_load(&m, "/nonexistent/m.csv"), CGAN_EIO);
    /* a non-positive value cannot be log-scaled: the line is named */
    const char *dir = scratch("path,um_per_px,rate\nt900_r0.001_a.tif,1,0.1\nt900_r0.001_b.tif,1,0\n");
    CK_OK(cgan_manifest_load(&m, path_in(dir, "m.csv")));
    CK_FAILS(cgan_manifest_set_log_column(m, "rate"), CGAN_EFORMAT);
    ck_assert(strstr(cgan_last_error(), "line 3") != NULL);
    cgan_manifest_destroy(m);
    rm_rf(dir);
}
END_TEST

START_TEST(sampler_composition_and_reproducibility) {
    int64_t cls[100], a[24], b[24];
    for (int i = 0; i < 100; i++) cls[i] = i % 7 == 0 ? 5 : i % 5; /* classes 0..5, uneven */
    cgan_sampler *s1, *s2, *s3;
    CK_OK(cgan_sampler_create(&s1, cls, 100, 4, 42));
    CK_OK(cgan_sampler_create(&s2, cls, 100, 4, 42));
    CK_OK(cgan_sampler_create(&s3, cls, 100, 4, 43));
    int differs = 0, seen[100] = {0};
    for (int it = 0; it < 50; it++) {
        CK_OK(cgan_sampler_next(s1, a, 24));
        CK_OK(cgan_sampler_next(s2, b, 24));
        ck_assert_int_eq(memcmp(a, b, sizeof a), 0);
        CK_OK(cgan_sampler_next(s3, b, 24));
        differs |= memcmp(a, b, sizeof a) != 0;
        int64_t used[6];
        for (int g = 0; g < 6; g++) { /* 6 groups of 4 same-class patches, 6 distinct classes */
            used[g] = cls[a[4 * g]];
            for (int j = 0; j < 4; j++) {
                ck_assert(a[4 * g + j] >= 0 && a[4 * g + j] < 100);
                ck_assert_int_eq(cls[a[4 * g + j]], used[g]);
                seen[a[4 * g + j]] = 1;
            }
            for (int h = 0; h < g; h++) ck_assert_int_ne(used[h], used[g]);
        }
    }
    ck_assert(differs);
    for (int i = 0; i < 100; i++) ck_assert_msg(seen[i], "patch %d never drawn", i);
    CK_FAILS(cgan_sampler_next(s1, a, 6), CGAN_EINVAL);
    cgan_sampler_destroy(s1);
    cgan_sampler_destroy(s2);
    cgan_sampler_destroy(s3);
}
END_TEST

START_TEST(prepare_end_to_end) {
    char mtext[4096], cmd[8192];
    snprintf(cmd, sizeof cmd, "%s/manifest.csv", test_data_path("data/micrographs"));
    FILE *fp = fopen(cmd, "r");
    size_t n = fread(mtext, 1, sizeof mtext - 1, fp);
    fclose(fp);
    mtext[n] = '\0';
    const char *dir = scratch(mtext);
    cgan_manifest *m;
    cgan_prepare_opts *o;
    cgan_dataset *d;
    char out[600];
    snprintf(out, sizeof out, "%s/data.npz", dir);
    CK_OK(cgan_manifest_load(&m, path_in(dir, "m.csv")));
    CK_OK(cgan_prepare_opts_create(&o));
    CK_FAILS(cgan_prepare_run(m, o, out, NULL, NULL), CGAN_EINVAL); /* no um_per_px */
    CK_OK(cgan_prepare_opts_set(o, CGAN_PREPARE_SIZE, 32));
    CK_OK(cgan_prepare_opts_set(o, CGAN_PREPARE_UM_PER_PX, 1.0));
    CK_OK(cgan_prepare_opts_set(o, CGAN_PREPARE_PATCHES_PER_IMAGE, 5));
    CK_FAILS(cgan_prepare_opts_set(o, CGAN_PREPARE_SIZE, 3.5), CGAN_EINVAL);
    CK_OK(cgan_prepare_run(m, o, out, NULL, NULL));
    CK_OK(cgan_dataset_load(&d, out));
    /* 5 rows x 5 patches x 4 default transforms */
    ck_assert_int_eq(cgan_dataset_count(d), 100);
    ck_assert_int_eq(cgan_dataset_size(d), 32);
    ck_assert_int_eq(cgan_dataset_classes(d), 3);
    ck_assert_int_eq(cgan_dataset_columns(d), 2);
    const float *p = cgan_tensor_data_const(cgan_dataset_patches(d));
    for (int64_t i = 0; i < 100 * 32 * 32; i++) ck_assert(p[i] >= -1.0f && p[i] <= 1.0f);
    /* no patch of the masked image touches the crack (checked at source resolution) */
    {
        cgan_npz_reader *r;
        cgan_tensor *mask;
        int64_t src[100];
        float box[400];
        CK_OK(cgan_npz_reader_open(&r, out));
        CK_OK(cgan_npz_read_int64(r, "patch_source", src, 100));
        CK_OK(cgan_npz_read_float(r, "patch_box", box, 400));
        cgan_npz_reader_destroy(r);
        CK_OK(cgan_image_read(path_in(dir, "t1000_r0.1_b_mask.png"), &mask, NULL));
        int checked = 0;
        for (int i = 0; i < 100; i++) {
            if (src[i] != 4) continue;
            checked++;
            ck_assert(box[4 * i + 2] == 32.0f); /* 32 px at 1 um/px = 32 source px at 1 um/px */
            for (int y = (int)box[4 * i + 1]; y < (int)(box[4 * i + 1] + box[4 * i + 3]); y++)
                for (int x = (int)box[4 * i]; x < (int)(box[4 * i] + box[4 * i + 2]); x++)
                    ck_assert_msg(cgan_tensor_data(mask)[y * 160 + x] == 0, "patch %d covers the crack", i);
        }
        ck_assert_int_eq(checked, 20);
        cgan_tensor_destroy(mask);
    }
    /* gather a sampler batch */
    cgan_sampler *s;
    cgan_tensor *img, *lab;
    int64_t idx[8];
    CK_OK(cgan_sampler_create(&s, cgan_dataset_labels(d), 100, 4, 9));
    CK_OK(cgan_sampler_next(s, idx, 8));
    CK_OK(cgan_tensor_create4(&img, 8, 1, 32, 32));
    CK_OK(cgan_tensor_create4(&lab, 8, 0, 0, 0));
    CK_OK(cgan_dataset_gather(d, idx, 8, img, lab, NULL));
    ck_assert(cgan_tensor_data(lab)[0] == cgan_tensor_data(lab)[3]);
    char sheet[600];
    snprintf(sheet, sizeof sheet, "%s/sheet.png", dir);
    CK_OK(cgan_dataset_sheet(d, sheet, 4, 1));
    cgan_tensor *sh;
    CK_OK(cgan_image_read(sheet, &sh, NULL));
    ck_assert_int_eq(cgan_tensor_dim(sh, 2), 8 + 3 * 36 - 4 + 8); /* 3 rows of 32 px, gaps 4 */
    cgan_tensor_destroy(sh);
    /* export: 3 untransformed patches per condition, named as compare matches */
    char exp_dir[600], first[1200], cond[256];
    int64_t written = 0;
    snprintf(exp_dir, sizeof exp_dir, "%s/export", dir);
    CK_OK(cgan_dataset_export_png(d, exp_dir, 3, 5, &written));
    ck_assert_int_eq(written, 9);
    CK_OK(cgan_condition_dirname(cgan_dataset_class_name(d, 2), cond, sizeof cond));
    snprintf(first, sizeof first, "%s/%s/patch_0002.png", exp_dir, cond);
    CK_OK(cgan_image_read(first, &sh, NULL));
    int found = 0; /* the file is one of the class's patches, to 8-bit precision */
    for (int64_t i = 0; i < 100 && !found; i++) {
        if (cgan_dataset_labels(d)[i] != 2) continue;
        int same = 1;
        for (int64_t j = 0; j < 32 * 32 && same; j++)
            same = fabs((p[i * 1024 + j] + 1.0) / 2.0 - cgan_tensor_data(sh)[j]) <= 0.5 / 255 + 1e-6;
        found = same;
    }
    ck_assert_msg(found, "exported patch matches no patch of its class");
    cgan_tensor_destroy(sh);
    CK_FAILS(cgan_dataset_export_png(d, "/nonexistent-dir/x", 3, 5, NULL), CGAN_EIO);
    CK_FAILS(cgan_dataset_export_png(d, exp_dir, 0, 5, NULL), CGAN_EINVAL);
    cgan_tensor_destroy(img);
    cgan_tensor_destroy(lab);
    cgan_sampler_destroy(s);
    cgan_dataset_destroy(d);
    cgan_prepare_opts_destroy(o);
    cgan_manifest_destroy(m);
    rm_rf(dir);
}
END_TEST

/* An unreadable image: the row is named, nothing is written. */
START_TEST(prepare_bad_image_writes_nothing) {
    const char *dir = scratch(HEADER "t900_r0.001_a.tif,1,900,0.001\nbroken.tif,1,1000,0.1\n");
    char p[600], out[600];
    snprintf(p, sizeof p, "%s/broken.tif", dir);
    FILE *fp = fopen(p, "w");
    fputs("II*\0 this is not a TIFF", fp);
    fclose(fp);
    snprintf(out, sizeof out, "%s/data.npz", dir);
    cgan_manifest *m;
    cgan_prepare_opts *o;
    CK_OK(cgan_manifest_load(&m, path_in(dir, "m.csv")));
    CK_OK(cgan_prepare_opts_create(&o));
    CK_OK(cgan_prepare_opts_set(o, CGAN_PREPARE_SIZE, 32));
    CK_OK(cgan_prepare_opts_set(o, CGAN_PREPARE_UM_PER_PX, 1.0));
    CK_FAILS(cgan_prepare_run(m, o, out, NULL, NULL), CGAN_EFORMAT);
    ck_assert_msg(strstr(cgan_last_error(), "line 3") && strstr(cgan_last_error(), "broken.tif"), "%s",
                  cgan_last_error());
    ck_assert_int_ne(access(out, F_OK), 0);
    snprintf(p, sizeof p, "ls %s | grep -q tmp", dir);
    ck_assert_int_ne(system(p), 0); /* grep found no temporary file */
    cgan_prepare_opts_destroy(o);
    cgan_manifest_destroy(m);
    rm_rf(dir);
}
END_TEST

Suite *cgan_test_data_suite(void) {
    Suite *s = suite_create("data");
    TCase *tc = tcase_create("manifest");
    tcase_add_test(tc, classes_are_stable_and_scaled);
    tcase_add_test(tc, bad_rows_are_named);
    suite_add_tcase(s, tc);
    tc = tcase_create("sampler");
    tcase_add_test(tc, sampler_composition_and_reproducibility);
    suite_add_tcase(s, tc);
    tc = tcase_create("prepare");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, prepare_end_to_end);
    tcase_add_test(tc, prepare_bad_image_writes_nothing);
    suite_add_tcase(s, tc);
    return s;
}
