/* Image sets, the per-condition comparison and its report, checked against
 * per-image measurements recombined by hand, plus the error paths. */
#include "test_util.h"

#include <sys/stat.h>

static const char *imgs[] = {"imagej_gen/blobs2.pgm", "imagej_gen/blobs4.pgm",
                             "imagej_gen/lamellae.pgm", "imagej/r000.pgm", "imagej/r001.pgm",
                             "imagej/r002.pgm", "imagej/r003.pgm"};

static cgan_micrograph *measure(const char *name, const cgan_analysis_opts *o) {
    cgan_tensor *t;
    cgan_micrograph *m;
    CK_OK(cgan_image_read(test_data_path(name), &t, NULL));
    CK_OK(cgan_micrograph_analyze(&m, t, 8, o));
    cgan_tensor_destroy(t);
    return m;
}

static void add(cgan_imageset *s, int i, const char *cond) {
    CK_OK(cgan_imageset_add(s, test_data_path(imgs[i]), cond, 0));
}

/* Real: A = {0,1,2}, B = {3,4}; generated: A = {3,5}, B = {6}. */
static cgan_comparison *run(const cgan_analysis_opts *o) {
    cgan_imageset *r, *g;
    cgan_comparison *c;
    CK_OK(cgan_imageset_create(&r));
    CK_OK(cgan_imageset_create(&g));
    add(r, 0, "A"), add(r, 1, "A"), add(r, 2, "A"), add(r, 3, "B"), add(r, 4, "B");
    add(g, 3, "A"), add(g, 5, "A"), add(g, 6, "B");
    ck_assert_int_eq(cgan_imageset_count(r), 5);
    CK_OK(cgan_comparison_run(&c, r, g, o));
    cgan_imageset_destroy(r);
    cgan_imageset_destroy(g);
    return c;
}

START_TEST(means_pool_the_images) {
    cgan_analysis_opts *o;
    CK_OK(cgan_analysis_opts_create(&o));
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_BOOTSTRAP, 20));
    cgan_comparison *c = run(o);
    ck_assert_int_eq(cgan_comparison_n_conditions(c), 2);
    ck_assert_str_eq(cgan_comparison_condition(c, 0), "A");
    ck_assert_str_eq(cgan_comparison_condition(c, 1), "B");
    ck_assert_ptr_null(cgan_comparison_condition(c, 2));
    /* pooled mean area and AR of real A = sums over its three images */
    double sa = 0, sar = 0, n = 0, px = 0, sum_img_ar = 0;
    int64_t pool_n = 0;
    double *pool = malloc(sizeof(double) * 20000), *gpool = malloc(sizeof(double) * 20000);
    for (int i = 0; i < 3; i++) {
        cgan_micrograph *m = measure(imgs[i], o);
        int64_t k = cgan_micrograph_count(m);
        double *col = malloc(sizeof(double) * (k + 1)), mar;
        CK_OK(cgan_micrograph_column(m, CGAN_COL_AREA, col, k));
        for (int64_t j = 0; j < k; j++) sa += col[j], pool[pool_n++] = col[j];
        CK_OK(cgan_micrograph_column(m, CGAN_COL_AR, col, k));
        for (int64_t j = 0; j < k; j++) sar += col[j];
        CK_OK(cgan_micrograph_feature(m, CGAN_FEATURE_MEAN_AR, &mar));
        sum_img_ar += mar;
        n += k;
        px += 128.0 * 128.0;
        free(col);
        cgan_micrograph_destroy(m);
    }
    double v;
    CK_OK(cgan_comparison_mean(c, 0, CGAN_SET_REAL, CGAN_FEATURE_MEAN_AREA, &v));
    ck_assert(fabs(v - sa / n) < 1e-12 * v);
    CK_OK(cgan_comparison_mean(c, 0, CGAN_SET_REAL, CGAN_FEATURE_MEAN_AR, &v));
    ck_assert(fabs(v - sar / n) < 1e-12 * v);
    CK_OK(cgan_comparison_mean(c, 0, CGAN_SET_REAL, CGAN_FEATURE_DENSITY, &v));
    ck_assert(fabs(v - n / px) < 1e-15);
    /* deviation, MAPD and KS from the same numbers */
    double g, dev, lo, hi, mapd, floor, d, dref;
    CK_OK(cgan_comparison_mean(c, 0, CGAN_SET_GENERATED, CGAN_FEATURE_MEAN_AREA, &g));
    CK_OK(cgan_comparison_mean(c, 0, CGAN_SET_REAL, CGAN_FEATURE_MEAN_AREA, &v));
    CK_OK(cgan_comparison_deviation(c, 0, CGAN_FEATURE_MEAN_AREA, &dev, &lo, &hi));
    ck_assert(fabs(dev - 100 * (g - v) / v) < 1e-9);
    ck_assert(isfinite(lo) && isfinite(hi) && lo <= hi);
    double dev_b;
    CK_OK(cgan_comparison_deviation(c, 1, CGAN_FEATURE_MEAN_AREA, &dev_b, NULL, NULL));
    CK_OK(cgan_comparison_mapd(c, CGAN_FEATURE_MEAN_AREA, &mapd, &floor));
    ck_assert(fabs(mapd - (fabs(dev) + fabs(dev_b)) / 2) < 1e-9);
    ck_assert(isfinite(floor) && floor > 0);
    int64_t gn = 0;
    for (int i = 3; i <= 5; i += 2) {
        cgan_micrograph *m = measure(imgs[i], o);
        CK_OK(cgan_micrograph_column(m, CGAN_COL_AREA, gpool + gn, 20000 - gn));
        gn += cgan_micrograph_count(m);
        cgan_micrograph_destroy(m);
    }
    CK_OK(cgan_stats_ks(pool, pool_n, gpool, gn, &dref, NULL));
    CK_OK(cgan_comparison_distance(c, 0, CGAN_SAMPLE_AREA, CGAN_DIST_KS, &d, &floor));
    ck_assert(fabs(d - dref) < 1e-15);
    ck_assert(isfinite(floor));
    /* condition B has a single generated image and two real ones: a floor
     * exists (two halves of one image each) */
    CK_OK(cgan_comparison_distance(c, 1, CGAN_SAMPLE_AR, CGAN_DIST_W1, &d, &floor));
    ck_assert(isfinite(d) && isfinite(floor));
    cgan_comparison_destroy(c);

    /* image-weighted aggregation: the mean of per-image means */
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_AGGREGATION, CGAN_AGG_IMAGE));
    c = run(o);
    CK_OK(cgan_comparison_mean(c, 0, CGAN_SET_REAL, CGAN_FEATURE_MEAN_AR, &v));
    ck_assert(fabs(v - sum_img_ar / 3) < 1e-12);
    cgan_comparison_destroy(c);
    free(pool);
    free(gpool);
    cgan_analysis_opts_destroy(o);
}
END_TEST

START_TEST(identical_sets_and_seeds) {
    cgan_analysis_opts *o;
    cgan_imageset *r;
    cgan_comparison *c, *c2;
    CK_OK(cgan_analysis_opts_create(&o));
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_BOOTSTRAP, 10));
    CK_OK(cgan_imageset_create(&r));
    for (int i = 0; i < 4; i++) add(r, i, "only");
    CK_OK(cgan_comparison_run(&c, r, r, o));
    CK_OK(cgan_comparison_run(&c2, r, r, o));
    double v, f1, f2, x;
    for (int f = 0; f < CGAN_FEATURE_COUNT_; f++) {
        CK_OK(cgan_comparison_deviation(c, 0, f, &v, NULL, NULL));
        ck_assert(v == 0 || isnan(v));
    }
    CK_OK(cgan_comparison_distance(c, 0, CGAN_SAMPLE_AREA, CGAN_DIST_KS, &v, &f1));
    ck_assert(v == 0);
    CK_OK(cgan_comparison_distance(c2, 0, CGAN_SAMPLE_AREA, CGAN_DIST_KS, &x, &f2));
    ck_assert(f1 == f2); /* same seed, same floor */
    cgan_comparison_destroy(c2);
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_SEED, 77));
    CK_OK(cgan_comparison_run(&c2, r, r, o));
    CK_OK(cgan_comparison_distance(c2, 0, CGAN_SAMPLE_AREA, CGAN_DIST_KS, &x, &f2));
    ck_assert(f1 != f2);
    cgan_comparison_destroy(c);
    cgan_comparison_destroy(c2);
    cgan_imageset_destroy(r);
    cgan_analysis_opts_destroy(o);
}
END_TEST

static void copy_as_png(const char *src, const char *dst) {
    cgan_tensor *t;
    CK_OK(cgan_image_read(test_data_path(src), &t, NULL));
    CK_OK(cgan_image_write_png(dst, t, 0.0f, 1.0f, 8));
    cgan_tensor_destroy(t);
}

static int file_has(const char *path, const char *text) {
    FILE *fp = fopen(path, "r");
    if (!fp) return 0;
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    return strstr(buf, text) != NULL;
}

START_TEST(directory_layout_and_report) {
    const char *tmp = test_tmpdir();
    char p[512];
    const char *dirs[] = {"real", "real/T1", "real/T2", "gen", "gen/T1", "gen/T2"};
    for (int i = 0; i < 6; i++) {
        snprintf(p, sizeof p, "%s/%s", tmp, dirs[i]);
        ck_assert_int_eq(mkdir(p, 0777), 0);
    }
    for (int i = 0; i < 7; i++) {
        snprintf(p, sizeof p, "%s/%s/%s/img%d.png", tmp, i < 4 ? "real" : "gen",
                 i % 2 ? "T2" : "T1", i);
        copy_as_png(imgs[i], p);
    }
    snprintf(p, sizeof p, "%s/real/T1/notes.txt", tmp); /* ignored: not an image */
    FILE *fp = fopen(p, "w");
    fputs("x", fp);
    fclose(fp);
    cgan_imageset *r, *g;
    cgan_analysis_opts *o;
    cgan_comparison *c;
    CK_OK(cgan_imageset_create(&r));
    CK_OK(cgan_imageset_create(&g));
    snprintf(p, sizeof p, "%s/real", tmp);
    CK_OK(cgan_imageset_add_dir(r, p, 0));
    ck_assert_int_eq(cgan_imageset_count(r), 4);
    snprintf(p, sizeof p, "%s/gen", tmp);
    CK_OK(cgan_imageset_add_dir(g, p, 0.25));
    CK_OK(cgan_analysis_opts_create(&o));
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_BOOTSTRAP, 10));
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_UM_PER_PX, 0.25));
    CK_OK(cgan_comparison_run(&c, r, g, o));
    snprintf(p, sizeof p, "%s/report", tmp);
    CK_OK(cgan_comparison_write_report(c, p));
    const char *files[] = {"means.csv", "deviations.csv", "distances.csv", "histograms.csv",
                           "s2.csv", "images.csv", "scatter_size.svg", "scatter_density.svg",
                           "scatter_ar.svg", "deviations.svg", "dist_area.svg", "dist_ar.svg"};
    for (int i = 0; i < 12; i++) {
        snprintf(p, sizeof p, "%s/report/%s", tmp, files[i]);
        const char *want = strstr(files[i], ".svg") ? "</svg>" : "\n";
        ck_assert_msg(file_has(p, want), "%s missing or incomplete", p);
    }
    snprintf(p, sizeof p, "%s/report/means.csv", tmp);
    ck_assert(file_has(p, "Condition,Feature,Real,Generated,DeviationPct"));
    ck_assert(file_has(p, "T2,MeanAR,"));
    snprintf(p, sizeof p, "%s/report/scatter_size.svg", tmp);
    ck_assert(file_has(p, ">T1</text>") && file_has(p, "x = y"));
    cgan_comparison_destroy(c);
    cgan_imageset_destroy(r);
    cgan_imageset_destroy(g);
    cgan_analysis_opts_destroy(o);
}
END_TEST

START_TEST(errors_name_the_problem) {
    cgan_imageset *r, *g;
    cgan_analysis_opts *o;
    cgan_comparison *c;
    CK_OK(cgan_analysis_opts_create(&o));
    CK_OK(cgan_imageset_create(&r));
    CK_OK(cgan_imageset_create(&g));
    CK_FAILS(cgan_comparison_run(&c, r, g, o), CGAN_EINVAL); /* empty */
    ck_assert_ptr_null(c);
    ck_assert(strstr(cgan_last_error(), "empty") != NULL);
    add(r, 0, "A");
    add(g, 1, "B");
    CK_FAILS(cgan_comparison_run(&c, r, g, o), CGAN_EINVAL);
    ck_assert(strstr(cgan_last_error(), "'B'") != NULL);
    add(g, 2, "A");
    add(r, 3, "B");
    CK_OK(cgan_imageset_add(g, "/nonexistent/x.png", "A", 0));
    CK_FAILS(cgan_comparison_run(&c, r, g, o), CGAN_EIO);
    ck_assert(strstr(cgan_last_error(), "/nonexistent/x.png") != NULL);
    cgan_imageset_destroy(g);
    CK_OK(cgan_imageset_create(&g));
    const char *tmp = test_tmpdir();
    char p[512];
    snprintf(p, sizeof p, "%s/broken.png", tmp);
    FILE *fp = fopen(p, "w");
    fputs("not a png", fp);
    fclose(fp);
    CK_OK(cgan_imageset_add(g, p, "A", 0));
    add(g, 4, "B");
    CK_FAILS(cgan_comparison_run(&c, r, g, o), CGAN_EFORMAT);
    ck_assert(strstr(cgan_last_error(), "broken.png") != NULL);
    CK_FAILS(cgan_imageset_add_dir(g, "/nonexistent-dir", 0), CGAN_EIO);
    CK_FAILS(cgan_imageset_add_dir(g, tmp, 0), CGAN_EINVAL); /* no condition sub-dirs */
    CK_FAILS(cgan_imageset_add(g, "x.png", "", 0), CGAN_EINVAL);
    CK_FAILS(cgan_imageset_add(g, "x.png", "A", -1), CGAN_EINVAL);
    /* options and measurement */
    CK_FAILS(cgan_analysis_opts_set(o, CGAN_ANALYSIS_THRESHOLD, 256), CGAN_EINVAL);
    CK_FAILS(cgan_analysis_opts_set(o, CGAN_ANALYSIS_MIN_SIZE, 2.5), CGAN_EINVAL);
    CK_FAILS(cgan_analysis_opts_set(o, (cgan_analysis_param)99, 0), CGAN_EINVAL);
    cgan_tensor *t;
    cgan_micrograph *m;
    CK_OK(cgan_tensor_create4(&t, 1, 1, 8, 8));
    cgan_tensor_data(t)[5] = -0.5f; /* a [-1,1] image passed unmapped */
    CK_FAILS(cgan_micrograph_analyze(&m, t, 8, o), CGAN_EINVAL);
    ck_assert_ptr_null(m);
    CK_FAILS(cgan_micrograph_analyze(&m, t, 12, o), CGAN_EINVAL);
    cgan_tensor_destroy(t);
    CK_OK(cgan_tensor_create4(&t, 2, 1, 8, 8));
    CK_FAILS(cgan_micrograph_analyze(&m, t, 8, o), CGAN_ESHAPE);
    cgan_tensor_destroy(t);
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_PHASE, CGAN_PHASE_WINDOW));
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_WINDOW_LO, 200));
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_WINDOW_HI, 100));
    CK_OK(cgan_tensor_create4(&t, 1, 1, 8, 8));
    CK_FAILS(cgan_micrograph_analyze(&m, t, 8, o), CGAN_EINVAL);
    cgan_tensor_destroy(t);
    cgan_imageset_destroy(r);
    cgan_imageset_destroy(g);
    cgan_analysis_opts_destroy(o);
}
END_TEST

Suite *cgan_test_analysis_compare_suite(void) {
    Suite *s = suite_create("analysis_compare");
    TCase *tc = tcase_create("compare");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, means_pool_the_images);
    tcase_add_test(tc, identical_sets_and_seeds);
    tcase_add_test(tc, directory_layout_and_report);
    tcase_add_test(tc, errors_name_the_problem);
    suite_add_tcase(s, tc);
    return s;
}
