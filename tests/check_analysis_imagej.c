/* Particle measurement against ImageJ 1.53t's own Results tables:
 * tests/data/imagej (the project's reference fixtures: 5 images x 4 option
 * sets) and tests/data/imagej_gen (made by tests/oracles/imagej_particles.sh:
 * 7 images, one 16-bit, x 6 option sets).  Counts, areas and thresholds
 * must be equal; every other column within 1e-6 relative. */
#include "test_util.h"

#define MAXROWS 4096

typedef struct table {
    int n;
    double v[MAXROWS][CGAN_COL_COUNT_];
} table;

static const char *col_names[] = {"Area", "X", "Y", "Perim.", "Major", "Minor", "Angle", "Circ.", "AR"};
#define NCOLS 9

/* ImageJ's CSV: optional unnamed index column, then named columns. */
static void read_table(const char *path, table *t) {
    FILE *fp = fopen(path, "r");
    ck_assert_msg(fp != NULL, "cannot open %s", path);
    char line[4096];
    int map[64], ncol = 0;
    ck_assert(fgets(line, sizeof line, fp) != NULL);
    for (char *tok = strtok(line, ",\r\n"); tok && ncol < 64; tok = strtok(NULL, ",\r\n")) {
        map[ncol] = -1;
        for (int c = 0; c < NCOLS; c++)
            if (strcmp(tok, col_names[c]) == 0) map[ncol] = c;
        ncol++;
    }
    t->n = 0;
    while (fgets(line, sizeof line, fp) && t->n < MAXROWS) {
        char *p = line;
        for (int k = 0; k < ncol; k++) {
            double v = strtod(p, &p);
            if (map[k] >= 0) t->v[t->n][map[k]] = v;
            if (*p == ',') p++;
        }
        t->n++;
    }
    fclose(fp);
}

static int summary_int(const char *path, const char *key) {
    FILE *fp = fopen(path, "r");
    ck_assert_msg(fp != NULL, "cannot open %s", path);
    char line[256];
    size_t k = strlen(key);
    while (fgets(line, sizeof line, fp))
        if (strncmp(line, key, k) == 0 && line[k] == '=') {
            fclose(fp);
            return atoi(line + k + 1);
        }
    fclose(fp);
    ck_abort_msg("%s has no %s", path, key);
    return -1;
}

static void set_options(cgan_analysis_opts *o, const char *set) {
    if (!strcmp(set, "exclude")) CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_EDGES, CGAN_EDGES_EXCLUDE));
    if (!strcmp(set, "holes") || !strcmp(set, "min10holes"))
        CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_INCLUDE_HOLES, 1));
    if (!strcmp(set, "min10holes")) CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_MIN_SIZE, 10));
    if (!strcmp(set, "bright")) CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_PHASE, CGAN_PHASE_BRIGHT));
    if (!strcmp(set, "fixed100")) CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_THRESHOLD, 100));
}

static void check_one(const char *dir, const char *image, const char *stem, const char *set) {
    char path[512], csv[512], sum[512];
    snprintf(path, sizeof path, "%s/%s", dir, image);
    snprintf(csv, sizeof csv, "%s/%s.%s.csv", dir, stem, set);
    snprintf(sum, sizeof sum, "%s/%s.%s.summary.txt", dir, stem, set);
    static table ij;
    read_table(test_data_path(csv), &ij);

    cgan_tensor *img;
    cgan_analysis_opts *o;
    cgan_micrograph *m;
    int bits;
    CK_OK(cgan_image_read(test_data_path(path), &img, &bits));
    CK_OK(cgan_analysis_opts_create(&o));
    set_options(o, set);
    CK_OK(cgan_micrograph_analyze(&m, img, bits, o));

    double lo, hi;
    CK_OK(cgan_micrograph_feature(m, CGAN_FEATURE_THRESHOLD_LO, &lo));
    CK_OK(cgan_micrograph_feature(m, CGAN_FEATURE_THRESHOLD_HI, &hi));
    ck_assert_int_eq((int)lo, summary_int(test_data_path(sum), "threshold_lower"));
    ck_assert_int_eq((int)hi, summary_int(test_data_path(sum), "threshold_upper"));

    int64_t n = cgan_micrograph_count(m);
    ck_assert_msg(n == ij.n, "%s %s: %lld particles, ImageJ %d", image, set, (long long)n, ij.n);
    double *col = malloc(sizeof(double) * (size_t)(n + 1));
    for (int c = 0; c < NCOLS; c++) {
        CK_OK(cgan_micrograph_column(m, (cgan_particle_col)c, col, n));
        for (int64_t i = 0; i < n; i++) {
            double want = ij.v[i][c], got = col[i];
            if (c == CGAN_COL_AREA)
                ck_assert_msg(got == want, "%s %s particle %lld Area %g, ImageJ %g", image, set,
                              (long long)i + 1, got, want);
            else
                ck_assert_msg(fabs(got - want) <= 1e-6 * fmax(1.0, fabs(want)),
                              "%s %s particle %lld %s %.12g, ImageJ %.12g", image, set,
                              (long long)i + 1, col_names[c], got, want);
        }
    }
    free(col);
    cgan_micrograph_destroy(m);
    cgan_analysis_opts_destroy(o);
    cgan_tensor_destroy(img);
}

static const char *fixture_stems[] = {"r000", "r001", "r002", "r003", "ellipses"};
static const char *fixture_sets[] = {"default", "exclude", "holes", "bright"};

START_TEST(reference_fixtures) {
    for (int s = 0; s < 4; s++) {
        char image[64];
        snprintf(image, sizeof image, "%s.pgm", fixture_stems[_i]);
        check_one("imagej", image, fixture_stems[_i], fixture_sets[s]);
    }
}
END_TEST

static const char *gen_images[] = {"blobs2.pgm", "blobs4.pgm", "angles.pgm", "rings.pgm",
                                   "speckle.pgm", "lamellae.pgm", "sixteen.png"};
static const char *gen_sets[] = {"default", "exclude", "holes", "bright", "fixed100", "min10holes"};

START_TEST(generated_images) {
    char stem[64];
    snprintf(stem, sizeof stem, "%s", gen_images[_i]);
    *strrchr(stem, '.') = '\0';
    for (int s = 0; s < 6; s++) check_one("imagej_gen", gen_images[_i], stem, gen_sets[s]);
}
END_TEST

/* The drawn ellipses have known axes and angles (ellipses.truth.csv):
 * ImageJ's area-preserving fit recovers them to about a pixel. */
START_TEST(ellipse_truth) {
    cgan_tensor *img;
    cgan_analysis_opts *o;
    cgan_micrograph *m;
    CK_OK(cgan_image_read(test_data_path("imagej/ellipses.pgm"), &img, NULL));
    CK_OK(cgan_analysis_opts_create(&o));
    CK_OK(cgan_micrograph_analyze(&m, img, 8, o));
    FILE *fp = fopen(test_data_path("imagej/ellipses.truth.csv"), "r");
    char line[256];
    ck_assert(fgets(line, sizeof line, fp) != NULL);
    double x[16], y[16], maj[16], mnr[16], ang[16];
    int64_t n = cgan_micrograph_count(m);
    ck_assert_int_eq(n, 9);
    CK_OK(cgan_micrograph_column(m, CGAN_COL_X, x, 16));
    CK_OK(cgan_micrograph_column(m, CGAN_COL_Y, y, 16));
    CK_OK(cgan_micrograph_column(m, CGAN_COL_MAJOR, maj, 16));
    CK_OK(cgan_micrograph_column(m, CGAN_COL_MINOR, mnr, 16));
    CK_OK(cgan_micrograph_column(m, CGAN_COL_ANGLE, ang, 16));
    int matched = 0;
    double cx, cy, tmaj, tmin, tang, npix;
    while (fscanf(fp, "%lf,%lf,%lf,%lf,%lf,%lf", &cx, &cy, &tmaj, &tmin, &tang, &npix) == 6)
        for (int i = 0; i < n; i++)
            if (fabs(x[i] - cx) < 1 && fabs(y[i] - cy) < 1) {
                matched++;
                ck_assert_msg(fabs(maj[i] - tmaj) < 1.0 && fabs(mnr[i] - tmin) < 1.0,
                              "ellipse at %g,%g: %g x %g, drawn %g x %g", cx, cy, maj[i], mnr[i],
                              tmaj, tmin);
                if (tmaj != tmin) {
                    double d = fabs(ang[i] - tang);
                    ck_assert_msg(fmin(d, 180 - d) < 1.0, "angle %g, drawn %g", ang[i], tang);
                }
            }
    fclose(fp);
    ck_assert_int_eq(matched, 9);
    cgan_micrograph_destroy(m);
    cgan_analysis_opts_destroy(o);
    cgan_tensor_destroy(img);
}
END_TEST

Suite *cgan_test_analysis_imagej_suite(void) {
    Suite *s = suite_create("analysis_imagej");
    TCase *tc = tcase_create("imagej");
    tcase_add_loop_test(tc, reference_fixtures, 0, 5);
    tcase_add_loop_test(tc, generated_images, 0, 7);
    tcase_add_test(tc, ellipse_truth);
    suite_add_tcase(s, tc);
    return s;
}
