/* Image sets from a data manifest: the same images given as a manifest and
 * as DIR/<condition>/ give identical numbers, a roi is measured as the
 * cropped image, a mask excludes exactly what cropping would, and errors
 * name the manifest line or the file. */
#include "test_util.h"

#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *C900 = "temperature_C=900,strain_rate_per_s=0.001";
static const char *C1000 = "temperature_C=1000,strain_rate_per_s=0.1";

static void rm_rf(const char *dir) {
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* dir/m.csv holding the printf-formatted text; returns its path. */
static const char *write_manifest(const char *dir, const char *fmt, ...) {
    static char path[600];
    snprintf(path, sizeof path, "%s/m.csv", dir);
    FILE *fp = fopen(path, "w");
    ck_assert_ptr_nonnull(fp);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(fp, fmt, ap);
    va_end(ap);
    fclose(fp);
    return path;
}

static cgan_tensor *read_img(const char *path, int *bits) {
    cgan_tensor *t;
    CK_OK(cgan_image_read(path, &t, bits));
    return t;
}

static void put(const char *dir, const char *cond, const char *name, const cgan_tensor *img) {
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", dir, cond);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/%s/%s", dir, cond, name);
    CK_OK(cgan_image_write_png(p, img, 0.0f, 1.0f, 8));
}

/* tests/data/analysis/manifest.csv as a directory: r003 cropped to its roi. */
static void make_dir(const char *dir) {
    static const char *src[4] = {"imagej/r000.pgm", "imagej/r001.pgm", "imagej/r002.pgm",
                                 "imagej/r003.pgm"};
    for (int i = 0; i < 4; i++) {
        cgan_tensor *t = read_img(test_data_path(src[i]), NULL), *c = NULL;
        char name[32];
        snprintf(name, sizeof name, "r%03d.png", i);
        if (i == 3) {
            CK_OK(cgan_image_crop(&c, t, 10, 20, 100, 90));
            put(dir, C1000, name, c);
        } else {
            put(dir, i < 2 ? C900 : C1000, name, t);
        }
        cgan_tensor_destroy(c);
        cgan_tensor_destroy(t);
    }
}

START_TEST(manifest_matches_directory) {
    char dir[512];
    snprintf(dir, sizeof dir, "%s", test_tmpdir());
    make_dir(dir);
    cgan_imageset *r, *g;
    cgan_analysis_opts *o;
    cgan_comparison *c;
    CK_OK(cgan_imageset_create(&r));
    CK_OK(cgan_imageset_create(&g));
    CK_OK(cgan_imageset_add_manifest(r, test_data_path("analysis/manifest.csv")));
    CK_OK(cgan_imageset_add_dir(g, dir, 0.5));
    ck_assert_int_eq(cgan_imageset_count(r), 4);
    CK_OK(cgan_analysis_opts_create(&o));
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_BOOTSTRAP, 4));
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_EDGES, CGAN_EDGES_EXCLUDE));
    CK_OK(cgan_comparison_run(&c, r, g, o));
    ck_assert_int_eq(cgan_comparison_n_conditions(c), 2);
    ck_assert_str_eq(cgan_comparison_condition(c, 0), C900);
    ck_assert_str_eq(cgan_comparison_condition(c, 1), C1000);
    for (int k = 0; k < 2; k++)
        for (int f = 0; f < CGAN_FEATURE_COUNT_; f++) {
            double a, b;
            CK_OK(cgan_comparison_mean(c, k, CGAN_SET_REAL, f, &a));
            CK_OK(cgan_comparison_mean(c, k, CGAN_SET_GENERATED, f, &b));
            ck_assert_msg(a == b || (isnan(a) && isnan(b)), "cond %d feature %d: %.17g vs %.17g", k, f, a, b);
        }
    for (int s = 0; s < CGAN_SAMPLE_COUNT_; s++) {
        double d;
        CK_OK(cgan_comparison_distance(c, 1, s, CGAN_DIST_KS, &d, NULL));
        ck_assert(d == 0.0);
    }
    /* density is per um^2 at the manifest's 0.5 um/px: the roi's 100 x 90 px count */
    double dens, count;
    CK_OK(cgan_comparison_mean(c, 1, CGAN_SET_REAL, CGAN_FEATURE_DENSITY, &dens));
    CK_OK(cgan_comparison_mean(c, 1, CGAN_SET_REAL, CGAN_FEATURE_COUNT, &count));
    ck_assert(fabs(dens - 2 * count / (0.25 * (128.0 * 128.0 + 100.0 * 90.0))) < 1e-12);
    cgan_comparison_destroy(c);
    cgan_analysis_opts_destroy(o);
    cgan_imageset_destroy(r);
    cgan_imageset_destroy(g);
    rm_rf(dir);
}
END_TEST

static cgan_micrograph *analyze(const cgan_tensor *img, int bits, const cgan_tensor *mask,
                                const cgan_analysis_opts *o) {
    cgan_micrograph *m;
    CK_OK(cgan_micrograph_analyze_masked(&m, img, bits, mask, o));
    return m;
}

/* Every number of a and b agrees; b's coordinates are shifted by (dx, dy). */
static void same_measurement(const cgan_micrograph *a, const cgan_micrograph *b, double dx, double dy) {
    int64_t n = cgan_micrograph_count(a);
    ck_assert_int_eq(n, cgan_micrograph_count(b));
    ck_assert_msg(n > 3, "only %lld particles", (long long)n);
    double *x = malloc(sizeof(double) * n), *y = malloc(sizeof(double) * n);
    for (int col = 0; col < CGAN_COL_COUNT_; col++) {
        CK_OK(cgan_micrograph_column(a, col, x, n));
        CK_OK(cgan_micrograph_column(b, col, y, n));
        double shift = col == CGAN_COL_X ? dx : col == CGAN_COL_Y ? dy : 0;
        for (int64_t i = 0; i < n; i++)
            ck_assert_msg(fabs(x[i] - (y[i] + shift)) <= 1e-9 * fabs(x[i]) + 1e-12,
                          "column %d particle %lld: %.17g vs %.17g", col, (long long)i, x[i], y[i] + shift);
    }
    free(x);
    free(y);
    for (int f = 0; f < CGAN_FEATURE_COUNT_; f++) {
        double u, v;
        CK_OK(cgan_micrograph_feature(a, f, &u));
        CK_OK(cgan_micrograph_feature(b, f, &v));
        ck_assert_msg(fabs(u - v) <= 1e-12 * fabs(u) || (isnan(u) && isnan(v)), "feature %d: %.17g vs %.17g", f, u, v);
    }
    int R = cgan_micrograph_s2_radius(a);
    ck_assert_int_eq(R, cgan_micrograph_s2_radius(b));
    double s2a[64], s2b[64];
    CK_OK(cgan_micrograph_s2(a, s2a, R + 1));
    CK_OK(cgan_micrograph_s2(b, s2b, R + 1));
    for (int k = 0; k <= R; k++) ck_assert_msg(fabs(s2a[k] - s2b[k]) < 1e-12, "S2(%d)", k);
    for (int axis = 0; axis < 2; axis++) {
        int64_t na, nb;
        CK_OK(cgan_micrograph_chords(a, axis, NULL, 0, &na));
        CK_OK(cgan_micrograph_chords(b, axis, NULL, 0, &nb));
        ck_assert_int_eq(na, nb);
    }
}

/* Masking everything outside a rectangle measures what cropping to it
 * does: 8-bit and 16-bit images, auto threshold, each edge mode. */
START_TEST(mask_outside_rectangle_equals_crop) {
    static const char *imgs[2] = {"imagej/r000.pgm", "imagej_gen/sixteen.png"};
    const int64_t x0 = 20, y0 = 30, w = 90, h = 80;
    cgan_analysis_opts *o;
    CK_OK(cgan_analysis_opts_create(&o));
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_UM_PER_PX, 0.25));
    for (int i = 0; i < 2; i++)
        for (int edges = 0; edges < 3; edges++) {
            int bits;
            cgan_tensor *img = read_img(test_data_path(imgs[i]), &bits), *crop, *mask;
            ck_assert_int_eq(bits, i == 0 ? 8 : 16);
            int64_t H = cgan_tensor_dim(img, 2), W = cgan_tensor_dim(img, 3);
            CK_OK(cgan_tensor_create4(&mask, 1, 1, H, W));
            for (int64_t y = 0; y < H; y++)
                for (int64_t x = 0; x < W; x++)
                    cgan_tensor_data(mask)[y * W + x] = !(x >= x0 && x < x0 + w && y >= y0 && y < y0 + h);
            CK_OK(cgan_image_crop(&crop, img, x0, y0, w, h));
            CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_EDGES, edges));
            cgan_micrograph *a = analyze(img, bits, mask, o), *b = analyze(crop, bits, NULL, o);
            same_measurement(a, b, 0.25 * x0, 0.25 * y0);
            cgan_micrograph_destroy(a);
            cgan_micrograph_destroy(b);
            /* an all-zero mask changes nothing */
            memset(cgan_tensor_data(mask), 0, sizeof(float) * (size_t)(H * W));
            a = analyze(img, bits, mask, o);
            b = analyze(img, bits, NULL, o);
            same_measurement(a, b, 0, 0);
            cgan_micrograph_destroy(a);
            cgan_micrograph_destroy(b);
            cgan_tensor_destroy(crop);
            cgan_tensor_destroy(mask);
            cgan_tensor_destroy(img);
        }
    cgan_analysis_opts_destroy(o);
}
END_TEST

/* A manifest row with roi and mask is measured on the cropped image with
 * the cropped mask (fixture micrograph with a crack mask). */
START_TEST(manifest_roi_and_mask) {
    char dir[512], path[8192], srcdir[4096];
    snprintf(dir, sizeof dir, "%s", test_tmpdir());
    snprintf(srcdir, sizeof srcdir, "%s", test_data_path("data/micrographs"));
    const char *man = write_manifest(dir, "path,um_per_px,rate/s,roi,mask\n%s/t1000_r0.1_b.tif,1.0,0.1,"
                                          "5:10:150:100,%s/t1000_r0.1_b_mask.png\n", srcdir, srcdir);
    cgan_imageset *s;
    cgan_analysis_opts *o;
    cgan_comparison *c;
    CK_OK(cgan_imageset_create(&s));
    CK_OK(cgan_imageset_add_manifest(s, man));
    CK_OK(cgan_analysis_opts_create(&o));
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_BOOTSTRAP, 0));
    CK_OK(cgan_comparison_run(&c, s, s, o));
    ck_assert_str_eq(cgan_comparison_condition(c, 0), "rate_s=0.1"); /* '/' made safe */
    snprintf(path, sizeof path, "%s/t1000_r0.1_b.tif", srcdir);
    cgan_tensor *img = read_img(path, NULL), *ci, *cm;
    snprintf(path, sizeof path, "%s/t1000_r0.1_b_mask.png", srcdir);
    cgan_tensor *mask = read_img(path, NULL);
    CK_OK(cgan_image_crop(&ci, img, 5, 10, 150, 100));
    CK_OK(cgan_image_crop(&cm, mask, 5, 10, 150, 100));
    double excluded = 0;
    for (int64_t i = 0; i < 150 * 100; i++) excluded += cgan_tensor_data(cm)[i] != 0;
    ck_assert(excluded > 50); /* the crack crosses the roi */
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_UM_PER_PX, 1.0));
    cgan_micrograph *m = analyze(ci, 8, cm, o);
    for (int f = 0; f < CGAN_FEATURE_COUNT_; f++) {
        double u, v;
        CK_OK(cgan_micrograph_feature(m, f, &u));
        CK_OK(cgan_comparison_mean(c, 0, CGAN_SET_REAL, f, &v));
        ck_assert_msg(u == v || (isnan(u) && isnan(v)), "feature %d", f);
    }
    double phase, pf;
    cgan_tensor *pm;
    CK_OK(cgan_micrograph_mask(m, &pm));
    phase = 0;
    for (int64_t i = 0; i < 150 * 100; i++) {
        ck_assert(!(cgan_tensor_data(pm)[i] != 0 && cgan_tensor_data(cm)[i] != 0)); /* never phase */
        phase += cgan_tensor_data(pm)[i];
    }
    CK_OK(cgan_micrograph_feature(m, CGAN_FEATURE_PHASE_FRACTION, &pf));
    ck_assert(fabs(pf - phase / (150 * 100 - excluded)) < 1e-15); /* per usable area */
    cgan_tensor_destroy(pm);
    cgan_micrograph_destroy(m);
    cgan_tensor_destroy(ci), cgan_tensor_destroy(cm), cgan_tensor_destroy(img), cgan_tensor_destroy(mask);
    cgan_comparison_destroy(c);
    cgan_analysis_opts_destroy(o);
    cgan_imageset_destroy(s);
    rm_rf(dir);
}
END_TEST

START_TEST(errors_name_the_line_or_file) {
    char dir[512], path[600], img[4096];
    snprintf(dir, sizeof dir, "%s", test_tmpdir());
    snprintf(img, sizeof img, "%s", test_data_path("imagej/r000.pgm"));
    const char *man = write_manifest(dir, "path,um_per_px,T\n%s,1,900\n%s/missing.png,1,900\n", img, dir);
    cgan_imageset *s;
    CK_OK(cgan_imageset_create(&s));
    CK_OK(cgan_imageset_add(s, img, "x", 0));
    CK_FAILS(cgan_imageset_add_manifest(s, man), CGAN_EFORMAT);
    ck_assert_msg(strstr(cgan_last_error(), "line 3") && strstr(cgan_last_error(), "missing.png"),
                  "%s", cgan_last_error());
    ck_assert_int_eq(cgan_imageset_count(s), 1); /* nothing added */
    snprintf(path, sizeof path, "%s/none.csv", dir);
    CK_FAILS(cgan_imageset_add_manifest(s, path), CGAN_EIO);
    CK_FAILS(cgan_imageset_add_manifest(NULL, path), CGAN_EINVAL);
    /* a roi outside the image is found when measuring, naming the file */
    man = write_manifest(dir, "path,um_per_px,T,roi\n%s,1,900,100:100:64:64\n", img);
    cgan_imageset_destroy(s);
    CK_OK(cgan_imageset_create(&s));
    CK_OK(cgan_imageset_add_manifest(s, man));
    cgan_analysis_opts *o;
    cgan_comparison *c;
    CK_OK(cgan_analysis_opts_create(&o));
    CK_FAILS(cgan_comparison_run(&c, s, s, o), CGAN_ESHAPE);
    ck_assert_msg(strstr(cgan_last_error(), "r000.pgm") && strstr(cgan_last_error(), "100:100:64:64"),
                  "%s", cgan_last_error());
    /* masks of another size or excluding everything */
    cgan_tensor *t = read_img(img, NULL), *mask;
    cgan_micrograph *m;
    CK_OK(cgan_tensor_create4(&mask, 1, 1, 64, 128));
    CK_FAILS(cgan_micrograph_analyze_masked(&m, t, 8, mask, o), CGAN_ESHAPE);
    cgan_tensor_destroy(mask);
    CK_OK(cgan_tensor_create4(&mask, 1, 1, 128, 128));
    for (int64_t i = 0; i < 128 * 128; i++) cgan_tensor_data(mask)[i] = 1;
    CK_FAILS(cgan_micrograph_analyze_masked(&m, t, 8, mask, o), CGAN_EINVAL);
    cgan_tensor_destroy(mask);
    cgan_tensor_destroy(t);
    cgan_analysis_opts_destroy(o);
    cgan_imageset_destroy(s);
    rm_rf(dir);
}
END_TEST

START_TEST(condition_dirnames) {
    char b[64];
    CK_OK(cgan_condition_dirname("temperature_C=900 strain_rate_per_s=0.001", b, sizeof b));
    ck_assert_str_eq(b, "temperature_C=900,strain_rate_per_s=0.001");
    CK_OK(cgan_condition_dirname("rate/s=1e-05 T=-5", b, sizeof b));
    ck_assert_str_eq(b, "rate_s=1e-05,T=-5");
    CK_OK(cgan_condition_dirname("..x\\y:\xc3\xa9", b, sizeof b));
    ck_assert_str_eq(b, "_.x_y___");
    CK_OK(cgan_condition_dirname("all", b, 4));
    ck_assert_str_eq(b, "all");
    CK_FAILS(cgan_condition_dirname("all", b, 3), CGAN_EINVAL);
    CK_FAILS(cgan_condition_dirname("", b, sizeof b), CGAN_EINVAL);
    CK_FAILS(cgan_condition_dirname(NULL, b, sizeof b), CGAN_EINVAL);
}
END_TEST

Suite *cgan_test_analysis_manifest_suite(void) {
    Suite *s = suite_create("analysis_manifest");
    TCase *tc = tcase_create("manifest");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, manifest_matches_directory);
    tcase_add_test(tc, mask_outside_rectangle_equals_crop);
    tcase_add_test(tc, manifest_roi_and_mask);
    tcase_add_test(tc, errors_name_the_line_or_file);
    tcase_add_test(tc, condition_dirnames);
    suite_add_tcase(s, tc);
    return s;
}
