/* Cahn-Hilliard solver, structure factor and the spinodal data set. */
#include "test_util.h"
#include "synth_files.h"

#include <sys/stat.h>

/* Mass (total composition) is conserved to 1e-6 relative at every step. */
START_TEST(ch_mass_conserved) {
    cgan_spinodal *s;
    double m0, m, worst = 0.0;
    CK_OK(cgan_spinodal_create(&s, 64, 0.4, 0.05, 7));
    CK_OK(cgan_spinodal_mass(s, &m0));
    ck_assert_double_eq_tol(m0, 0.4 * 64 * 64, 1e-9 * m0);
    for (int i = 0; i < 400; i++) {
        CK_OK(cgan_spinodal_step(s, 1.0));
        CK_OK(cgan_spinodal_mass(s, &m));
        if (fabs(m - m0) / m0 > worst) worst = fabs(m - m0) / m0;
    }
    ck_assert_msg(worst < 1e-6, "relative mass drift %g", worst);
    cgan_spinodal_destroy(s);
}
END_TEST

/* The discrete free energy never increases, step after step, for small and
 * large steps and in the droplet and bicontinuous regimes.  The tolerance
 * (1e-12 relative) only absorbs round-off in summing the energy. */
START_TEST(ch_energy_never_increases) {
    const double comps[2] = {0.35, 0.5}, dts[2] = {0.5, 8.0};
    for (int c = 0; c < 2; c++)
        for (int d = 0; d < 2; d++) {
            cgan_spinodal *s;
            double e0, e, first;
            CK_OK(cgan_spinodal_create(&s, 64, comps[c], 0.05, 11 + c));
            CK_OK(cgan_spinodal_free_energy(s, &e0));
            first = e0;
            for (int i = 0; i < 400; i++) {
                CK_OK(cgan_spinodal_step(s, dts[d]));
                CK_OK(cgan_spinodal_free_energy(s, &e));
                ck_assert_msg(e <= e0 + 1e-12 * fabs(e0),
                              "x=%g dt=%g step %d: energy rose from %.15g to %.15g", comps[c],
                              dts[d], i, e0, e);
                e0 = e;
            }
            /* ...and it did decrease a lot: decomposition happened. */
            ck_assert_msg(e0 < 0.75 * first, "x=%g dt=%g: energy %g -> %g", comps[c], dts[d],
                          first, e0);
            cgan_spinodal_destroy(s);
        }
}
END_TEST

/* Late-stage coarsening (Lifshitz-Slyozov): L ~ t^(1/3).  Least-squares
 * slope of log L against log t over t = 200..3200 on a 256^2 grid. */
START_TEST(ch_coarsening_exponent) {
    const double times[] = {200, 283, 400, 566, 800, 1131, 1600, 2263, 3200};
    const int nt = (int)(sizeof times / sizeof times[0]);
    double sx = 0, sy = 0, sxx = 0, sxy = 0, slope;
    cgan_spinodal *s;
    CK_OK(cgan_spinodal_create(&s, 256, 0.5, 0.05, 3));
    for (int i = 0; i < nt; i++) {
        cgan_tensor *f;
        double lam, x, y;
        CK_OK(cgan_spinodal_run_until(s, times[i]));
        CK_OK(cgan_spinodal_field(s, &f));
        CK_OK(cgan_synth_structure(f, 0.0, &lam, NULL));
        cgan_tensor_destroy(f);
        x = log(times[i]);
        y = log(lam);
        sx += x, sy += y, sxx += x * x, sxy += x * y;
    }
    slope = (nt * sxy - sx * sy) / (nt * sxx - sx * sx);
    fprintf(stderr, "check_synth_spinodal: coarsening exponent d ln L / d ln t = %.3f "
                    "(t = 200..3200, 256^2, x = 0.5; LSW: 1/3)\n", slope);
    ck_assert_msg(slope > 0.25 && slope < 0.42, "coarsening exponent %g", slope);
    cgan_spinodal_destroy(s);
}
END_TEST

/* run_until lands exactly on the requested time with steps <= DT. */
START_TEST(ch_run_until_exact) {
    cgan_spinodal *s;
    double v;
    CK_OK(cgan_spinodal_create(&s, 16, 0.5, 0.05, 1));
    CK_OK(cgan_spinodal_set_param(s, CGAN_SPINODAL_DT, 0.3));
    CK_OK(cgan_spinodal_get_param(s, CGAN_SPINODAL_DT, &v));
    ck_assert_double_eq(v, 0.3);
    CK_OK(cgan_spinodal_run_until(s, 10.0));
    ck_assert_double_eq(cgan_spinodal_time(s), 10.0);
    CK_OK(cgan_spinodal_run_until(s, 10.0));
    ck_assert_double_eq(cgan_spinodal_time(s), 10.0);
    cgan_spinodal_destroy(s);
}
END_TEST

static cgan_tensor *cosine_field(int n, int mx, int my) {
    cgan_tensor *t;
    cgan_tensor_create4(&t, 1, 1, n, n);
    float *d = cgan_tensor_data(t);
    for (int y = 0; y < n; y++)
        for (int x = 0; x < n; x++) d[y * n + x] = (float)cos(2 * M_PI * (mx * x + my * y) / n);
    return t;
}

/* A single Fourier mode has exactly its own wavelength; a square wave has
 * its phase fraction. */
START_TEST(structure_of_known_fields) {
    double lam, frac;
    cgan_tensor *t = cosine_field(128, 8, 0);
    CK_OK(cgan_synth_structure(t, 0.01, &lam, &frac));
    ck_assert_double_eq_tol(lam, 16.0, 1e-6);
    ck_assert_double_eq_tol(frac, 7.0 / 16.0, 1e-12); /* cos(pi x / 8) > 0.01: 7 of 16 */
    cgan_tensor_destroy(t);
    t = cosine_field(128, 5, 7);
    CK_OK(cgan_synth_structure(t, 0.5, &lam, &frac));
    ck_assert_double_eq_tol(lam, 128.0 / sqrt(25.0 + 49.0), 1e-6);
    ck_assert_msg(fabs(frac - 1.0 / 3.0) < 0.01, "fraction above cos = 0.5: %g", frac);
    cgan_tensor_destroy(t);
    CK_OK(cgan_tensor_create4(&t, 1, 1, 32, 32));
    CK_FAILS(cgan_synth_structure(t, 0.0, &lam, NULL), CGAN_EINVAL); /* constant */
    CK_OK(cgan_synth_structure(t, 0.0, NULL, &frac));
    ck_assert_double_eq(frac, 0.0);
    cgan_tensor_destroy(t);
}
END_TEST

START_TEST(ch_bad_arguments) {
    cgan_spinodal *s = (cgan_spinodal *)1;
    CK_FAILS(cgan_spinodal_create(&s, 33, 0.5, 0.05, 1), CGAN_EINVAL);
    ck_assert_ptr_null(s);
    CK_FAILS(cgan_spinodal_create(&s, 64, 1.2, 0.05, 1), CGAN_EINVAL);
    ck_assert_msg(strstr(cgan_last_error(), "composition") != NULL, "%s", cgan_last_error());
    CK_FAILS(cgan_spinodal_create(&s, 64, 0.5, -1.0, 1), CGAN_EINVAL);
    CK_OK(cgan_spinodal_create(&s, 16, 0.5, 0.05, 1));
    CK_FAILS(cgan_spinodal_set_param(s, CGAN_SPINODAL_KAPPA, -1.0), CGAN_EINVAL);
    ck_assert_msg(strstr(cgan_last_error(), "KAPPA") != NULL, "%s", cgan_last_error());
    CK_FAILS(cgan_spinodal_set_param(s, 99, 1.0), CGAN_EINVAL);
    CK_FAILS(cgan_spinodal_step(s, 0.0), CGAN_EINVAL);
    CK_OK(cgan_spinodal_run_until(s, 5.0));
    CK_FAILS(cgan_spinodal_run_until(s, 4.0), CGAN_EINVAL);
    CK_FAILS(cgan_spinodal_step(NULL, 1.0), CGAN_EINVAL);
    cgan_spinodal_destroy(s);
}
END_TEST

/* ------------------------------------------------------------ data set */
static int count_lines(const char *s) {
    int n = 0;
    for (; *s; s++) n += *s == '\n';
    return n;
}

static void small_set(cgan_synth_spinodal *d) {
    const double comps[] = {0.35, 0.5}, times[] = {300, 100};
    CK_OK(cgan_synth_spinodal_set_param(d, CGAN_SYNTH_SPINODAL_SIZE, 48));
    CK_OK(cgan_synth_spinodal_set_param(d, CGAN_SYNTH_SPINODAL_RUNS, 2));
    CK_OK(cgan_synth_spinodal_set_list(d, CGAN_SYNTH_SPINODAL_COMPOSITIONS, comps, 2));
    CK_OK(cgan_synth_spinodal_set_list(d, CGAN_SYNTH_SPINODAL_TIMES, times, 2));
}

START_TEST(spinodal_dataset_files) {
    cgan_synth_spinodal *d;
    const char *dir = test_tmpdir();
    char path[512];
    size_t n;
    char *man, *tru;
    CK_OK(cgan_synth_spinodal_create(&d));
    small_set(d);
    CK_OK(cgan_synth_spinodal_write_dataset(d, dir, 5));
    snprintf(path, sizeof path, "%s/manifest.csv", dir);
    man = synth_read_file(path, &n);
    snprintf(path, sizeof path, "%s/truth.csv", dir);
    tru = synth_read_file(path, &n);
    ck_assert_ptr_nonnull(man);
    ck_assert_ptr_nonnull(tru);
    ck_assert_int_eq(count_lines(man), 1 + 2 * 2 * 2);
    ck_assert_int_eq(count_lines(tru), 1 + 2 * 2 * 2);
    ck_assert_msg(strncmp(man, "path,um_per_px,composition,time\n", 32) == 0, "%s", man);
    ck_assert_msg(strstr(man, "images/x0.35_t100_run1.png,0.005,0.35,100\n") != NULL, "%s", man);
    ck_assert_msg(strncmp(tru, "image,composition,time,run,phase_fraction,wavelength_px,"
                               "wavelength_um\n", 70) == 0, "%s", tru);
    {
        cgan_tensor *img;
        snprintf(path, sizeof path, "%s/images/x0.5_t300_run0.png", dir);
        CK_OK(cgan_image_read(path, &img, NULL));
        ck_assert_int_eq(cgan_tensor_dim(img, 3), 48);
        cgan_tensor_destroy(img);
    }
    free(man);
    free(tru);
    /* A temperature list adds the column. */
    {
        const double temps[] = {650, 750};
        CK_OK(cgan_synth_spinodal_set_list(d, CGAN_SYNTH_SPINODAL_TEMPERATURES, temps, 2));
        CK_OK(cgan_synth_spinodal_set_param(d, CGAN_SYNTH_SPINODAL_RUNS, 1));
        CK_OK(cgan_synth_spinodal_write_dataset(d, dir, 5));
        snprintf(path, sizeof path, "%s/manifest.csv", dir);
        man = synth_read_file(path, &n);
        ck_assert_msg(strncmp(man, "path,um_per_px,composition,time,temperature\n", 44) == 0, "%s",
                      man);
        ck_assert_int_eq(count_lines(man), 1 + 2 * 2 * 2);
        free(man);
    }
    {
        double m1, k1, m2, k2;
        CK_OK(cgan_synth_spinodal_material(d, 650, &m1, &k1));
        CK_OK(cgan_synth_spinodal_material(d, 750, &m2, &k2));
        ck_assert_msg(m2 > m1 && k2 > k1, "mobility and kappa rise with T");
    }
    cgan_synth_spinodal_destroy(d);
}
END_TEST

/* The continuous conditions map smoothly onto the truth: at a fixed
 * composition the wavelength grows with time, at a fixed time the phase
 * fraction grows with composition. */
START_TEST(spinodal_truth_trends) {
    const double comps[] = {0.35, 0.42, 0.5};
    double frac[3][3], lam[3][3];
    const double times[] = {300, 600, 1200};
    for (int c = 0; c < 3; c++) {
        cgan_spinodal *s;
        CK_OK(cgan_spinodal_create(&s, 128, comps[c], 0.05, 9));
        for (int t = 0; t < 3; t++) {
            cgan_tensor *f;
            CK_OK(cgan_spinodal_run_until(s, times[t]));
            CK_OK(cgan_spinodal_field(s, &f));
            CK_OK(cgan_synth_structure(f, 0.0, &lam[c][t], &frac[c][t]));
            cgan_tensor_destroy(f);
        }
        cgan_spinodal_destroy(s);
    }
    for (int c = 0; c < 3; c++)
        for (int t = 0; t < 3; t++) {
            if (t) ck_assert_msg(lam[c][t] > lam[c][t - 1], "x=%g: wavelength %g then %g",
                                 comps[c], lam[c][t - 1], lam[c][t]);
            if (c) ck_assert_msg(frac[c][t] > frac[c - 1][t] + 0.03, "t=%g: fraction %g then %g",
                                 times[t], frac[c - 1][t], frac[c][t]);
            /* the lever rule, less what is still in the interfaces */
            ck_assert_msg(fabs(frac[c][t] - comps[c]) < 0.08, "x=%g t=%g: fraction %g", comps[c],
                          times[t], frac[c][t]);
        }
}
END_TEST

/* Same seed, same bytes, whatever the thread count; another seed differs. */
START_TEST(spinodal_deterministic) {
    cgan_synth_spinodal *d;
    char a[256], b[256], c[256], pa[512], pb[512];
    const char *files[] = {"manifest.csv", "truth.csv", "images/x0.35_t300_run1.png",
                           "images/x0.5_t100_run0.png"};
    snprintf(a, sizeof a, "%s", test_tmpdir());
    snprintf(b, sizeof b, "%s", test_tmpdir());
    snprintf(c, sizeof c, "%s", test_tmpdir());
    CK_OK(cgan_synth_spinodal_create(&d));
    small_set(d);
    CK_OK(cgan_set_num_threads(1));
    CK_OK(cgan_synth_spinodal_write_dataset(d, a, 42));
    CK_OK(cgan_set_num_threads(2));
    CK_OK(cgan_synth_spinodal_write_dataset(d, b, 42));
    CK_OK(cgan_synth_spinodal_write_dataset(d, c, 43));
    for (int i = 0; i < 4; i++) {
        snprintf(pa, sizeof pa, "%s/%s", a, files[i]);
        snprintf(pb, sizeof pb, "%s/%s", b, files[i]);
        ck_assert_msg(synth_same_file(pa, pb), "%s differs between two runs", files[i]);
    }
    snprintf(pa, sizeof pa, "%s/%s", a, files[2]);
    snprintf(pb, sizeof pb, "%s/%s", c, files[2]);
    ck_assert_msg(!synth_same_file(pa, pb), "seed 43 gave the bytes of seed 42");
    cgan_synth_spinodal_destroy(d);
}
END_TEST

START_TEST(spinodal_dataset_bad_arguments) {
    cgan_synth_spinodal *d;
    const double dup[] = {0.3, 0.3}, bad[] = {0.99}, neg[] = {-5};
    double v;
    CK_OK(cgan_synth_spinodal_create(&d));
    CK_FAILS(cgan_synth_spinodal_set_list(d, CGAN_SYNTH_SPINODAL_COMPOSITIONS, dup, 2),
             CGAN_EINVAL);
    ck_assert_msg(strstr(cgan_last_error(), "twice") != NULL, "%s", cgan_last_error());
    CK_FAILS(cgan_synth_spinodal_set_list(d, CGAN_SYNTH_SPINODAL_COMPOSITIONS, bad, 1),
             CGAN_EINVAL);
    ck_assert_msg(strstr(cgan_last_error(), "COMPOSITIONS") != NULL, "%s", cgan_last_error());
    CK_FAILS(cgan_synth_spinodal_set_list(d, CGAN_SYNTH_SPINODAL_TIMES, neg, 1), CGAN_EINVAL);
    CK_FAILS(cgan_synth_spinodal_set_list(d, CGAN_SYNTH_SPINODAL_TIMES, NULL, 0), CGAN_EINVAL);
    CK_OK(cgan_synth_spinodal_set_list(d, CGAN_SYNTH_SPINODAL_TEMPERATURES, NULL, 0));
    CK_FAILS(cgan_synth_spinodal_set_param(d, CGAN_SYNTH_SPINODAL_SIZE, 101), CGAN_EINVAL);
    ck_assert_msg(strstr(cgan_last_error(), "SIZE") != NULL, "%s", cgan_last_error());
    CK_FAILS(cgan_synth_spinodal_set_param(d, CGAN_SYNTH_SPINODAL_RUNS, 0), CGAN_EINVAL);
    CK_OK(cgan_synth_spinodal_get_param(d, CGAN_SYNTH_SPINODAL_SIZE, &v));
    ck_assert_double_eq(v, 256);
    CK_FAILS(cgan_synth_spinodal_write_dataset(d, "/proc/no-such-dir/x", 1), CGAN_EIO);
    cgan_synth_spinodal_destroy(d);
}
END_TEST

Suite *cgan_test_synth_spinodal_suite(void) {
    Suite *s = suite_create("synth_spinodal");
    TCase *tc = tcase_create("cahn_hilliard");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, ch_mass_conserved);
    tcase_add_test(tc, ch_energy_never_increases);
    tcase_add_test(tc, ch_coarsening_exponent);
    tcase_add_test(tc, ch_run_until_exact);
    tcase_add_test(tc, structure_of_known_fields);
    tcase_add_test(tc, ch_bad_arguments);
    suite_add_tcase(s, tc);
    tc = tcase_create("dataset");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, spinodal_dataset_files);
    tcase_add_test(tc, spinodal_truth_trends);
    tcase_add_test(tc, spinodal_deterministic);
    tcase_add_test(tc, spinodal_dataset_bad_arguments);
    suite_add_tcase(s, tc);
    return s;
}
