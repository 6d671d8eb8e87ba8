/* The report: summary.json from hand-written comparison tables (known
 * numbers), checked with a small JSON parser; report.html references only
 * files it wrote; loss curves from logs with renamed columns, missing
 * columns and more iterations than points; a real comparison end to end. */
#include "test_util.h"
#include "report_fixture.h"

#include <ctype.h>
#include <sys/stat.h>

/* ------------------------------------------------------ tiny JSON check */
static const char *jvalue(const char *p);
static const char *jws(const char *p) {
    while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') p++;
    return p;
}
static const char *jstring(const char *p) {
    if (p == NULL || *p != '"') return NULL;
    for (p++; *p && *p != '"'; p++) {
        if ((unsigned char)*p < 0x20) return NULL;
        if (*p == '\\' && !*++p) return NULL;
    }
    return *p == '"' ? p + 1 : NULL;
}
static const char *jnumber(const char *p) {
    const char *q = p + (*p == '-');
    if (!isdigit((unsigned char)*q)) return NULL;
    char *e;
    strtod(p, &e);
    return e;
}
static const char *jlist(const char *p, char close, int object) {
    p = jws(p + 1);
    if (*p == close) return p + 1;
    for (;;) {
        if (object) {
            p = jstring(jws(p));
            if (p == NULL || *(p = jws(p)) != ':') return NULL;
            p++;
        }
        if ((p = jvalue(p)) == NULL) return NULL;
        p = jws(p);
        if (*p == ',') {
            p++;
            continue;
        }
        return *p == close ? p + 1 : NULL;
    }
}
static const char *jvalue(const char *p) {
    p = jws(p);
    if (*p == '{') return jlist(p, '}', 1);
    if (*p == '[') return jlist(p, ']', 0);
    if (*p == '"') return jstring(p);
    if (!strncmp(p, "true", 4) || !strncmp(p, "null", 4)) return p + 4;
    if (!strncmp(p, "false", 5)) return p + 5;
    return jnumber(p);
}
/* Whole text is one JSON value. */
static int json_valid(const char *text) {
    const char *e = jvalue(text);
    return e != NULL && *jws(e) == '\0';
}

static char *slurp(const char *path) {
    FILE *fp = fopen(path, "rb");
    ck_assert_msg(fp != NULL, "cannot open %s", path);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    ck_assert_int_eq(fread(s, 1, (size_t)n, fp), (size_t)n);
    s[n] = '\0';
    fclose(fp);
    return s;
}

/* Number after "key": in text (the first occurrence after from). */
static double json_num_after(const char *text, const char *from, const char *key) {
    const char *p = strstr(text, from);
    ck_assert_msg(p != NULL, "no %s", from);
    char k[128];
    snprintf(k, sizeof k, "\"%s\": ", key);
    p = strstr(p, k);
    ck_assert_msg(p != NULL, "no %s after %s", key, from);
    return strtod(p + strlen(k), NULL);
}

static int exists(const char *dir, const char *name) {
    char path[600];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &st) == 0 && st.st_size > 0;
}

/* Every src="..." / href="..." of the page exists in dir. */
static int check_refs(const char *dir, const char *html) {
    int n = 0;
    for (const char *p = html; (p = strstr(p, "=\"")) != NULL; p += 2) {
        if (!(p >= html + 3 && (!strncmp(p - 3, "src", 3) || !strncmp(p - 4, "href", 4)))) continue;
        char name[256];
        const char *e = strchr(p + 2, '"');
        snprintf(name, sizeof name, "%.*s", (int)(e - p - 2), p + 2);
        ck_assert_msg(exists(dir, name), "report.html references missing %s", name);
        n++;
    }
    return n;
}

START_TEST(summary_from_known_tables) {
    char cmp[300], out[300];
    const char *dir = test_tmpdir();
    snprintf(cmp, sizeof cmp, "%s/cmp", dir);
    snprintf(out, sizeof out, "%s/out/nested", dir);
    mkdir(cmp, 0777);
    fake_compare(cmp);
    CK_OK(cgan_report_write(out, cmp, NULL, NULL));
    char path[400];
    snprintf(path, sizeof path, "%s/summary.json", out);
    char *js = slurp(path);
    ck_assert_msg(json_valid(js), "summary.json is not valid JSON:\n%s", js);
    ck_assert_double_eq_tol(json_num_after(js, "\"headline\"", "recognition_accuracy"), 5.0 / 6, 1e-15);
    ck_assert_double_eq(json_num_after(js, "\"headline\"", "recognition_chance"), 0.5);
    ck_assert_double_eq(json_num_after(js, "\"headline\"", "mapd_grain_size_pct"), 10);
    ck_assert_double_eq(json_num_after(js, "\"name\": \"B\"", "n_real"), 3);
    ck_assert_double_eq(json_num_after(js, "\"name\": \"B\"", "MeanAR"), 1.5);
    ck_assert_double_eq(json_num_after(js, "\"noise_floor\"", "MeanArea"), 3.5);
    ck_assert_double_eq(json_num_after(js, "\"measurement\"", "CGAN_ANALYSIS_MIN_SIZE"), 20);
    ck_assert_ptr_nonnull(strstr(js, "\"confusion\": [[2, 1], [0, 3]]"));
    ck_assert_ptr_nonnull(strstr(js, "\"ci95_lo_pct\": {\"MeanArea\": 5, \"Density\": null"));
    ck_assert_ptr_nonnull(strstr(js, "\"features\": [\"MeanArea\", \"Density\"]"));
    ck_assert_ptr_nonnull(strstr(js, "\"training\": null"));
    free(js);
    snprintf(path, sizeof path, "%s/report.html", out);
    char *html = slurp(path);
    ck_assert_int_ge(check_refs(out, html), 2); /* scatter_size.svg, summary.json */
    ck_assert_ptr_null(strstr(html, "confusion.svg\""));  /* not provided: not referenced */
    ck_assert_ptr_nonnull(strstr(html, "83.3 %"));
    free(html);
    /* a table without its columns is named */
    put(cmp, "deviations.csv", "Feature,MAPD\nMeanArea,1\n");
    CK_FAILS(cgan_report_write(out, cmp, NULL, NULL), CGAN_EFORMAT);
    ck_assert_ptr_nonnull(strstr(cgan_last_error(), "FloorMAPD"));
}
END_TEST

/* Iterations 0..1499, four critic rows (wasserstein = it, critic = it + c)
 * then a generator row (gen = -it) per iteration; columns renamed. */
START_TEST(loss_curves_bin_iterations) {
    const char *dir = test_tmpdir();
    char log[300], svg[300];
    snprintf(log, sizeof log, "%s/log.csv", dir);
    snprintf(svg, sizeof svg, "%s/l.svg", dir);
    FILE *fp = fopen(log, "w");
    fputs("Kind,ITERATION,critic step,W estimate Wasserstein,Critic loss,Gen loss,elapsed (s)\n", fp);
    for (int it = 0; it < 1500; it++) {
        for (int c = 0; c < 4; c++) fprintf(fp, "critic,%d,%d,%d,%d,,%g\n", it, c, it, it + c, it * 0.1);
        fprintf(fp, "generator,%d,,,,%d,%g\n", it, -it, it * 0.1);
    }
    fclose(fp);
    int ns;
    int64_t ni;
    CK_OK(cgan_report_loss_svg(log, svg, &ns, &ni));
    ck_assert_int_eq(ns, 3);
    ck_assert_int_eq(ni, 1500);
    char *s = slurp(svg);
    ck_assert_ptr_nonnull(strstr(s, "Wasserstein estimate: W estimate Wasserstein"));
    /* first panel's path: at most 600 points */
    const char *p = strstr(s, "<path fill=\"none\"");
    ck_assert_ptr_nonnull(p);
    int pts = 0;
    for (const char *q = p; *q && strncmp(q, "\"/>", 3); q++) pts += *q == 'L' || *q == 'M';
    ck_assert_int_eq(pts, 600);
    free(s);
    /* no iteration column: rows are the x axis; no loss column: an error */
    fp = fopen(log, "w");
    fputs("loss,kind\n1,a\n2,b\n3,c\n", fp);
    fclose(fp);
    CK_OK(cgan_report_loss_svg(log, svg, &ns, &ni));
    ck_assert_int_eq(ns, 1);
    ck_assert_int_eq(ni, 3);
    fp = fopen(log, "w");
    fputs("iteration,elapsed\n1,0.5\n", fp);
    fclose(fp);
    CK_FAILS(cgan_report_loss_svg(log, svg, NULL, NULL), CGAN_EFORMAT);
}
END_TEST

/* A real comparison of three test images per side, reported: the JSON
 * headline equals the API's numbers. */
START_TEST(report_of_a_comparison) {
    const char *dir = test_tmpdir();
    static const char *imgs[] = {"imagej/r000.pgm", "imagej/r001.pgm", "imagej/r002.pgm",
                                 "imagej/r003.pgm"};
    cgan_imageset *r, *g;
    cgan_analysis_opts *o;
    cgan_comparison *c;
    CK_OK(cgan_analysis_opts_create(&o));
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_BOOTSTRAP, 5));
    CK_OK(cgan_imageset_create(&r));
    CK_OK(cgan_imageset_create(&g));
    for (int i = 0; i < 4; i++) {
        CK_OK(cgan_imageset_add(r, test_data_path(imgs[i]), i < 2 ? "T=1" : "T=2", 0));
        CK_OK(cgan_imageset_add(g, test_data_path(imgs[3 - i]), i < 2 ? "T=1" : "T=2", 0));
    }
    CK_OK(cgan_comparison_run(&c, r, g, o));
    char cmp[300], out[300], path[400];
    snprintf(cmp, sizeof cmp, "%s/cmp", dir);
    snprintf(out, sizeof out, "%s/out", dir);
    CK_OK(cgan_comparison_write_report(c, cmp));
    CK_OK(cgan_report_write(out, cmp, NULL, NULL));
    snprintf(path, sizeof path, "%s/summary.json", out);
    char *js = slurp(path);
    ck_assert(json_valid(js));
    double acc, mapd;
    CK_OK(cgan_comparison_recognition(c, CGAN_SET_GENERATED, &acc, NULL));
    CK_OK(cgan_comparison_mapd(c, CGAN_FEATURE_DENSITY, &mapd, NULL));
    ck_assert_double_eq(json_num_after(js, "\"headline\"", "recognition_accuracy"), acc);
    ck_assert_double_eq(json_num_after(js, "\"headline\"", "mapd_density_pct"), mapd);
    free(js);
    snprintf(path, sizeof path, "%s/report.html", out);
    char *html = slurp(path);
    ck_assert_int_eq(check_refs(out, html), 8); /* 7 plots + summary.json */
    free(html);
    cgan_comparison_destroy(c);
    cgan_imageset_destroy(r);
    cgan_imageset_destroy(g);
    cgan_analysis_opts_destroy(o);
}
END_TEST

Suite *cgan_test_report_suite(void) {
    Suite *s = suite_create("report");
    TCase *t = tcase_create("report");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, summary_from_known_tables);
    tcase_add_test(t, loss_curves_bin_iterations);
    tcase_add_test(t, report_of_a_comparison);
    suite_add_tcase(s, t);
    return s;
}
