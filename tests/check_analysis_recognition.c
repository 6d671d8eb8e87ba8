/* Condition recognition: the nearest-centroid classifier on hand-computed
 * cases and synthetic feature clusters (a shuffled labelling must fall to
 * chance), and within a comparison on images of clearly different drawn
 * microstructures, with the feature vectors rebuilt from the per-image
 * measurements. */
#include "test_util.h"

#include <sys/stat.h>

/* Class 0 centred at (0, 2000), class 1 at (1, 2100): raw distances would
 * send (0.1, 2100) to class 1 (the B offset of 100 dominates), standardised
 * ones (A spans 0..1 with sd 0.5, B has sd ~1001) to class 0. */
START_TEST(standardisation_decides_by_spread_not_units) {
    const double train[] = {0, 1000, 5, 0, 3000, 5, 1, 1100, 5, 1, 3100, 5};
    const int lab[] = {0, 0, 1, 1};
    const double x[] = {0.1, 2100, 5,  0.1, 2100, 1e9, /* constant feature ignored */
                        NAN, 2100, 5,                  /* NaN counts as the mean 0.5 */
                        0.9, 2000, 5};
    int got[4];
    CK_OK(cgan_recognition_classify(train, lab, 4, 3, 2, x, 4, got));
    ck_assert_int_eq(got[0], 0);
    ck_assert_int_eq(got[1], 0);
    /* z(A) = 0 is equidistant in A; z(B) = +0.05 is nearer class 1's +0.05 */
    ck_assert_int_eq(got[2], 1);
    ck_assert_int_eq(got[3], 1);
    /* a class without training rows is never assigned */
    CK_OK(cgan_recognition_classify(train, lab, 4, 3, 5, x, 4, got));
    for (int i = 0; i < 4; i++) ck_assert_int_lt(got[i], 2);
}
END_TEST

/* Leave-one-out: each row against centroids without it.  Rows 0..2 are
 * class 0 near 0, rows 3..4 class 1 at 10 and 11, row 5 the only class-2
 * row at 10.4.  Row 5 cannot be class 2 and goes to class 1 (10.5); rows 3
 * and 4, without themselves, see class 1 at 11 or 10 and class 2 at 10.4,
 * which is nearer. */
START_TEST(leave_one_out_by_hand) {
    const double train[] = {0, 1, -1, 10, 11, 10.4};
    const int lab[] = {0, 0, 0, 1, 1, 2};
    int got[6];
    CK_OK(cgan_recognition_loo(train, lab, 6, 1, 3, got));
    const int want[] = {0, 0, 0, 2, 2, 1};
    for (int i = 0; i < 6; i++) ck_assert_int_eq(got[i], want[i]);
    /* 10.4 in class 1 as well: every row is recognised */
    const double t2[] = {0, 1, -1, 10, 11, 10.4};
    const int l2[] = {0, 0, 0, 1, 1, 1};
    CK_OK(cgan_recognition_loo(t2, l2, 6, 1, 2, got));
    for (int i = 0; i < 6; i++) ck_assert_int_eq(got[i], l2[i]);
}
END_TEST

enum { NC = 8, PER = 40, D = 5 };

/* PER points per class around centres 6 apart per feature, unit noise;
 * feature 2 is in "other units" (x 1e4) to show scaling does not matter. */
static void clusters(cgan_rng *r, double *x, int *lab) {
    for (int k = 0; k < NC; k++)
        for (int i = 0; i < PER; i++) {
            int row = k * PER + i;
            lab[row] = k;
            for (int j = 0; j < D; j++) {
                double centre = 6.0 * ((k >> (j % 3)) & 1) + 3.0 * (j == 4 ? k : 0);
                x[row * D + j] = (centre + cgan_rng_normal(r)) * (j == 2 ? 1e4 : 1);
            }
        }
}

static double accuracy(const int *got, const int *lab, int n) {
    int ok = 0;
    for (int i = 0; i < n; i++) ok += got[i] == lab[i];
    return (double)ok / n;
}

START_TEST(clusters_are_recognised_and_shuffled_labels_are_chance) {
    cgan_rng *r;
    CK_OK(cgan_rng_create(&r, 7));
    static double x[NC * PER * D], y[NC * PER * D];
    static int lab[NC * PER], ylab[NC * PER], got[NC * PER], shuf[NC * PER];
    const int n = NC * PER;
    clusters(r, x, lab);
    clusters(r, y, ylab);
    CK_OK(cgan_recognition_loo(x, lab, n, D, NC, got));
    ck_assert_double_ge(accuracy(got, lab, n), 0.99);
    CK_OK(cgan_recognition_classify(x, lab, n, D, NC, y, n, got));
    ck_assert_double_ge(accuracy(got, ylab, n), 0.99);
    /* the same features with labels shuffled carry no information */
    double loo = 0, cls = 0;
    const int reps = 12;
    for (int rep = 0; rep < reps; rep++) {
        memcpy(shuf, lab, sizeof lab);
        for (int i = n - 1; i > 0; i--) {
            int j = (int)cgan_rng_below(r, i + 1), t = shuf[i];
            shuf[i] = shuf[j], shuf[j] = t;
        }
        CK_OK(cgan_recognition_loo(x, shuf, n, D, NC, got));
        loo += accuracy(got, shuf, n) / reps;
        CK_OK(cgan_recognition_classify(x, shuf, n, D, NC, y, n, got));
        cls += accuracy(got, ylab, n) / reps;
    }
    ck_assert_msg(fabs(loo - 1.0 / NC) < 0.04, "shuffled leave-one-out accuracy %g", loo);
    ck_assert_msg(fabs(cls - 1.0 / NC) < 0.04, "shuffled classification accuracy %g", cls);
    cgan_rng_destroy(r);
}
END_TEST

/* ------------------------------------------------ through a comparison */
/* A 96 x 96 image of dark ellipses (semi-axes a x b px) on white at random
 * centres, drawn by hand. */
static void draw(const char *path, double a, double b, int count, uint64_t seed) {
    cgan_tensor *t;
    cgan_rng *r;
    CK_OK(cgan_tensor_create4(&t, 1, 1, 96, 96));
    CK_OK(cgan_rng_create(&r, seed));
    float *p = cgan_tensor_data(t);
    for (int i = 0; i < 96 * 96; i++) p[i] = 0.9f;
    for (int e = 0; e < count; e++) {
        double cx = (double)cgan_rng_below(r, 96), cy = (double)cgan_rng_below(r, 96);
        for (int y = 0; y < 96; y++)
            for (int x = 0; x < 96; x++) {
                double u = (x + 0.5 - cx) / a, v = (y + 0.5 - cy) / b;
                if (u * u + v * v <= 1) p[y * 96 + x] = 0.15f;
            }
    }
    CK_OK(cgan_image_write_png(path, t, 0, 1, 8));
    cgan_rng_destroy(r);
    cgan_tensor_destroy(t);
}

static const struct { const char *name; double a, b; int count; } conds[3] = {
    {"fine", 2.5, 2.5, 60}, {"coarse", 8, 8, 8}, {"elongated", 10, 3, 14}};

static void fill(cgan_imageset *s, const char *dir, const char *set, uint64_t seed) {
    char path[512];
    for (int k = 0; k < 3; k++) {
        snprintf(path, sizeof path, "%s/%s_%s", dir, set, conds[k].name);
        mkdir(path, 0777);
        for (int i = 0; i < 3; i++) {
            snprintf(path, sizeof path, "%s/%s_%s/%d.png", dir, set, conds[k].name, i);
            draw(path, conds[k].a, conds[k].b, conds[k].count, seed + 10 * k + i);
            CK_OK(cgan_imageset_add(s, path, conds[k].name, 0));
        }
    }
}

/* The comparison's feature vector of one image, rebuilt from its own
 * measurement (correlation length: 1/e crossing of the normalised S2) and
 * the grey autocorrelation of the image. */
#define NF CGAN_RECOGNITION_N_FEATURES
static void vector_of(const char *path, const cgan_analysis_opts *o, double *v) {
    cgan_tensor *t;
    cgan_micrograph *m;
    CK_OK(cgan_image_read(path, &t, NULL));
    CK_OK(cgan_micrograph_analyze(&m, t, 8, o));
    static const cgan_feature f[7] = {CGAN_FEATURE_MEAN_AREA, CGAN_FEATURE_DENSITY,
                                      CGAN_FEATURE_MEAN_AR, CGAN_FEATURE_PHASE_FRACTION, 0,
                                      CGAN_FEATURE_CHORD_X, CGAN_FEATURE_CHORD_Y};
    for (int j = 0; j < 7; j++)
        if (j != 4) CK_OK(cgan_micrograph_feature(m, f[j], &v[j]));
    double s2[33];
    int R = cgan_micrograph_s2_radius(m);
    CK_OK(cgan_micrograph_s2(m, s2, R + 1));
    double p = s2[0], g_prev = 1;
    v[4] = R;
    for (int k = 1; k <= R; k++) {
        double g = (s2[k] - p * p) / (p - p * p);
        if (g <= exp(-1.0)) {
            v[4] = k - 1 + (g_prev - exp(-1.0)) / (g_prev - g);
            break;
        }
        g_prev = g;
    }
    CK_OK(cgan_grey_autocorrelation(t, NULL, CGAN_RECOGNITION_TEXTURE_LAGS, v + 7));
    cgan_micrograph_destroy(m);
    cgan_tensor_destroy(t);
}

START_TEST(drawn_conditions_are_recognised_in_a_comparison) {
    const char *dir = test_tmpdir();
    cgan_imageset *rs, *gs;
    cgan_analysis_opts *o;
    cgan_comparison *c;
    CK_OK(cgan_analysis_opts_create(&o));
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_BOOTSTRAP, 4));
    CK_OK(cgan_imageset_create(&rs));
    CK_OK(cgan_imageset_create(&gs));
    fill(rs, dir, "real", 100);
    fill(gs, dir, "gen", 900);
    CK_OK(cgan_comparison_run(&c, rs, gs, o));
    double acc[2];
    int64_t conf[2][9];
    for (int s = 0; s < 2; s++) CK_OK(cgan_comparison_recognition(c, s, &acc[s], conf[s]));
    ck_assert_double_eq(acc[CGAN_SET_GENERATED], 1.0);
    ck_assert_double_eq(acc[CGAN_SET_REAL], 1.0);
    for (int s = 0; s < 2; s++)
        for (int k = 0; k < 9; k++) ck_assert_int_eq(conf[s][k], k % 4 == 0 ? 3 : 0);
    /* the assignments equal the classifier run on vectors rebuilt by hand */
    double xr[9 * NF], xg[9 * NF];
    int lab[9], got[9];
    char path[512];
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < 3; i++) {
            lab[3 * k + i] = k;
            snprintf(path, sizeof path, "%s/real_%s/%d.png", dir, conds[k].name, i);
            vector_of(path, o, xr + NF * (3 * k + i));
            snprintf(path, sizeof path, "%s/gen_%s/%d.png", dir, conds[k].name, i);
            vector_of(path, o, xg + NF * (3 * k + i));
        }
    for (int i = 0; i < 9; i++) {
        double v[2][NF];
        CK_OK(cgan_comparison_recognition_vector(c, CGAN_SET_REAL, i, v[0]));
        CK_OK(cgan_comparison_recognition_vector(c, CGAN_SET_GENERATED, i, v[1]));
        for (int j = 0; j < NF; j++) {
            ck_assert_double_eq_tol(v[0][j], xr[NF * i + j], 1e-9 * fabs(xr[NF * i + j]));
            ck_assert_double_eq_tol(v[1][j], xg[NF * i + j], 1e-9 * fabs(xg[NF * i + j]));
        }
    }
    CK_FAILS(cgan_comparison_recognition_vector(c, CGAN_SET_REAL, 9, xr), CGAN_EINVAL);
    CK_OK(cgan_recognition_classify(xr, lab, 9, NF, 3, xg, 9, got));
    for (int i = 0; i < 9; i++) ck_assert_int_eq(got[i], cgan_comparison_assigned(c, CGAN_SET_GENERATED, i));
    /* labels swapped between two real conditions: the generated images of
     * those conditions are now "wrong", 3 of 9 stay right */
    cgan_imageset *rs2;
    cgan_comparison *c2;
    CK_OK(cgan_imageset_create(&rs2));
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < 3; i++) {
            snprintf(path, sizeof path, "%s/real_%s/%d.png", dir, conds[k].name, i);
            CK_OK(cgan_imageset_add(rs2, path, conds[k == 0 ? 1 : k == 1 ? 0 : 2].name, 0));
        }
    CK_OK(cgan_comparison_run(&c2, rs2, gs, o));
    CK_OK(cgan_comparison_recognition(c2, CGAN_SET_GENERATED, &acc[1], NULL));
    ck_assert_double_eq_tol(acc[1], 3.0 / 9, 1e-12);
    /* report files */
    snprintf(path, sizeof path, "%s/report", dir);
    CK_OK(cgan_comparison_write_report(c, path));
    const char *files[] = {"recognition.csv", "confusion.csv", "recognition_images.csv",
                           "settings.csv", "confusion.svg"};
    for (int i = 0; i < 5; i++) {
        char f[600];
        struct stat st;
        snprintf(f, sizeof f, "%s/%s", path, files[i]);
        ck_assert_msg(stat(f, &st) == 0 && st.st_size > 0, "%s missing", files[i]);
    }
    cgan_comparison_destroy(c);
    cgan_comparison_destroy(c2);
    cgan_imageset_destroy(rs);
    cgan_imageset_destroy(rs2);
    cgan_imageset_destroy(gs);
    cgan_analysis_opts_destroy(o);
}
END_TEST

Suite *cgan_test_analysis_recognition_suite(void) {
    Suite *s = suite_create("analysis_recognition");
    TCase *t = tcase_create("recognition");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, standardisation_decides_by_spread_not_units);
    tcase_add_test(t, leave_one_out_by_hand);
    tcase_add_test(t, clusters_are_recognised_and_shuffled_labels_are_chance);
    tcase_add_test(t, drawn_conditions_are_recognised_in_a_comparison);
    suite_add_tcase(s, t);
    return s;
}
