/* The alloy generator: truth consistency, the paper's trends, cracks,
 * determinism and argument errors. */
#include "test_util.h"
#include "synth_files.h"

#include "synth/synth_internal.h"

static const double temps[4] = {800, 900, 1000, 1100};
static const double rates[2] = {0.001, 0.1};

static cgan_synth_alloy *small_generator(int w, int h) {
    cgan_synth_alloy *g;
    CK_OK(cgan_synth_alloy_create(&g));
    CK_OK(cgan_synth_alloy_set_param(g, CGAN_SYNTH_ALLOY_WIDTH, w));
    CK_OK(cgan_synth_alloy_set_param(g, CGAN_SYNTH_ALLOY_HEIGHT, h));
    return g;
}

/* Independent ellipse fit: eigen-decomposition of the covariance of the
 * pixel centres (with the 1/12 of a unit square), scaled to the area. */
static void fit_ellipse(const float *lab, int w, int h, int l, double *major, double *minor,
                        double *angle, double *area, double *cx, double *cy) {
    double n = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            if ((int)lab[y * w + x] == l) {
                double px = x + 0.5, py = y + 0.5;
                n++, sx += px, sy += py, sxx += px * px, syy += py * py, sxy += px * py;
            }
    double mx = sx / n, my = sy / n;
    double a = sxx / n - mx * mx + 1.0 / 12, c = syy / n - my * my + 1.0 / 12, b = sxy / n - mx * my;
    double tr = a + c, det = a * c - b * b, l1 = tr / 2 + sqrt(tr * tr / 4 - det), l2 = det / l1;
    /* eigenvector of l1 in image coordinates (y down) */
    double vx = b, vy = l1 - a;
    if (fabs(vx) + fabs(vy) < 1e-300) vx = a >= c ? 1 : 0, vy = a >= c ? 0 : 1;
    *angle = fmod(atan2(-vy, vx) * 180 / M_PI + 360.0, 180.0); /* y up on screen */
    *major = 2 * sqrt(n / M_PI) * pow(l1 / l2, 0.25);
    *minor = 2 * sqrt(n / M_PI) * pow(l2 / l1, 0.25);
    *area = n, *cx = mx, *cy = my;
}

/* The measurement agrees with an analytic ellipse drawn on a grid. */
START_TEST(measure_drawn_ellipse) {
    const int w = 200, h = 160;
    int32_t *lab = calloc((size_t)w * h, sizeof(int32_t));
    double rows[2 * CGAN_SYNTH_GRAIN_COLUMNS];
    const double a = 40, b = 15, th = 30 * M_PI / 180; /* counter-clockwise on screen */
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            double dx = x + 0.5 - 100, dy = -(y + 0.5 - 80); /* y up */
            double u = dx * cos(th) + dy * sin(th), v = -dx * sin(th) + dy * cos(th);
            if (u * u / (a * a) + v * v / (b * b) <= 1) lab[y * w + x] = 1;
        }
    lab[5 * w + 5] = 2; /* one pixel at a known place */
    CK_OK(cgan__synth_measure_labels(lab, w, h, 2, rows));
    ck_assert_double_eq_tol(rows[CGAN_SYNTH_GRAIN_X], 100.0, 0.05);
    ck_assert_double_eq_tol(rows[CGAN_SYNTH_GRAIN_Y], 80.0, 0.05);
    ck_assert_double_eq_tol(rows[CGAN_SYNTH_GRAIN_MAJOR], 2 * a, 0.02 * 2 * a);
    ck_assert_double_eq_tol(rows[CGAN_SYNTH_GRAIN_MINOR], 2 * b, 0.02 * 2 * b);
    ck_assert_double_eq_tol(rows[CGAN_SYNTH_GRAIN_ANGLE], 30.0, 0.5);
    ck_assert_double_eq_tol(rows[CGAN_SYNTH_GRAIN_AREA], M_PI * a * b, 0.01 * M_PI * a * b);
    ck_assert_double_eq(rows[CGAN_SYNTH_GRAIN_EDGE], 0.0);
    {
        const double *r = rows + CGAN_SYNTH_GRAIN_COLUMNS; /* ImageJ: 1 px -> 2/sqrt(pi) */
        ck_assert_double_eq_tol(r[CGAN_SYNTH_GRAIN_MAJOR], 2 / sqrt(M_PI), 1e-12);
        ck_assert_double_eq_tol(r[CGAN_SYNTH_GRAIN_X], 5.5, 1e-12);
        ck_assert_double_eq(r[CGAN_SYNTH_GRAIN_ANGLE], 0.0);
    }
    free(lab);
}
END_TEST

/* 8-connected flood fill from the first pixel of label l: its size.
 * mark[q] == l flags pixels already visited for label l. */
static int64_t connected_size(const float *lab, int w, int h, int l, int *stack, int *mark) {
    int64_t seen = 0;
    int top = 0, start = -1;
    for (int q = 0; q < w * h && start < 0; q++)
        if ((int)lab[q] == l) start = q;
    stack[top++] = start;
    mark[start] = l;
    while (top) {
        int q = stack[--top], x = q % w, y = q / w;
        seen++;
        for (int dy = -1; dy <= 1; dy++)
            for (int dx = -1; dx <= 1; dx++) {
                int xx = x + dx, yy = y + dy, r = yy * w + xx;
                if (xx < 0 || yy < 0 || xx >= w || yy >= h || mark[r] == l || (int)lab[r] != l)
                    continue;
                mark[r] = l;
                stack[top++] = r;
            }
    }
    return seen;
}

/* Every true grain: its table row is its pixels (area, centroid, ellipse
 * against an independent fit), it is one 8-connected particle, its pixels
 * are grain grey, and no other grain comes closer than the gap. */
START_TEST(truth_consistency) {
    const int w = 384, h = 288;
    cgan_synth_alloy *g = small_generator(w, h);
    const double conds[3][2] = {{800, 0.1}, {1000, 0.001}, {1100, 0.1}};
    int *stack = malloc(sizeof(int) * w * h), *mark = malloc(sizeof(int) * w * h);
    for (int k = 0; k < 3; k++) {
        cgan_synth_image *m;
        double gap;
        CK_OK(cgan_synth_alloy_render(g, conds[k][0], conds[k][1], 100 + k, &m));
        CK_OK(cgan_synth_alloy_model(g, conds[k][0], conds[k][1], CGAN_SYNTH_Q_GAP_PX, &gap));
        const float *lab = cgan_tensor_data_const(cgan_synth_image_labels(m));
        const float *pix = cgan_tensor_data_const(cgan_synth_image_pixels(m));
        const float *rows = cgan_tensor_data_const(cgan_synth_image_grains(m));
        int64_t n = cgan_synth_image_grain_count(m), total = 0;
        double grain_grey = 0, eut_grey = 0;
        int64_t ng = 0, ne = 0;
        ck_assert_msg(n > 20, "only %lld grains", (long long)n);
        memset(mark, 0, sizeof(int) * w * h);
        ck_assert_int_eq(cgan_tensor_dim(cgan_synth_image_grains(m), 0), n);
        for (int l = 1; l <= n; l++) {
            const float *r = rows + (size_t)(l - 1) * CGAN_SYNTH_GRAIN_COLUMNS;
            double maj, min, ang, area, cx, cy;
            fit_ellipse(lab, w, h, l, &maj, &min, &ang, &area, &cx, &cy);
            ck_assert_double_eq(r[CGAN_SYNTH_GRAIN_AREA], area);
            ck_assert_double_eq_tol(r[CGAN_SYNTH_GRAIN_X], cx, 1e-3);
            ck_assert_double_eq_tol(r[CGAN_SYNTH_GRAIN_Y], cy, 1e-3);
            ck_assert_double_eq_tol(r[CGAN_SYNTH_GRAIN_MAJOR], maj, 1e-4 * maj);
            ck_assert_double_eq_tol(r[CGAN_SYNTH_GRAIN_MINOR], min, 1e-4 * min);
            if (maj / min > 1.01) { /* the angle of a near-circle is undefined */
                double d = fabs(r[CGAN_SYNTH_GRAIN_ANGLE] - ang);
                ck_assert_msg(fmin(d, 180 - d) < 0.01, "grain %d: angle %g vs %g", l,
                              r[CGAN_SYNTH_GRAIN_ANGLE], ang);
            }
            ck_assert_msg(r[CGAN_SYNTH_GRAIN_ANGLE] >= 0 && r[CGAN_SYNTH_GRAIN_ANGLE] < 180, "angle");
            ck_assert_msg(connected_size(lab, w, h, l, stack, mark) == (int64_t)area,
                          "grain %d is not one 8-connected particle", l);
            total += (int64_t)area;
        }
        /* Pixel loops count violations and assert once: Check records every
         * assertion, which would dominate the run time here. */
        {
            int64_t bad_grey = 0, too_close = 0;
            int r = (int)floor(gap - 1.0), bx = 0, by = 0;
            for (int y = 1; y < h - 1; y++)
                for (int x = 1; x < w - 1; x++) {
                    int q = y * w + x, l = (int)lab[q], interior = 1;
                    for (int d = -1; d <= 1; d += 2)
                        interior &= (int)lab[q + d] == l && (int)lab[q + d * w] == l;
                    if (!interior) continue;
                    if (l) grain_grey += pix[q] * 255.0, ng++;
                    else eut_grey += pix[q] * 255.0, ne++;
                    if (l && !(pix[q] * 255.0 > 60 && pix[q] * 255.0 < 120)) bad_grey++, bx = x, by = y;
                }
            ck_assert_msg(bad_grey == 0, "%lld interior grain pixels outside grey 60..120, e.g. "
                                         "(%d,%d)", (long long)bad_grey, bx, by);
            /* No two grains closer than the gap (1 px of rasterisation slack). */
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    int l = (int)lab[y * w + x];
                    if (!l) continue;
                    for (int dy = -r; dy <= r; dy++)
                        for (int dx = -r; dx <= r; dx++) {
                            int xx = x + dx, yy = y + dy, o;
                            if (xx < 0 || yy < 0 || xx >= w || yy >= h || dx * dx + dy * dy > r * r)
                                continue;
                            o = (int)lab[yy * w + xx];
                            if (o != 0 && o != l) too_close++;
                        }
                }
            ck_assert_msg(too_close == 0, "%lld pixel pairs of different grains closer than %d px",
                          (long long)too_close, r);
        }
        ck_assert_msg(fabs(grain_grey / ng - SYNTH_GREY_GRAIN) < 3, "grain grey %g", grain_grey / ng);
        ck_assert_msg(fabs(eut_grey / ne - 140) < 8, "eutectic grey %g", eut_grey / ne);
        {
            double frac = (double)total / (w * h);
            ck_assert_msg(frac > 0.25 && frac < 0.40, "primary fraction %g", frac);
        }
        cgan_synth_image_destroy(m);
    }
    free(stack);
    free(mark);
    cgan_synth_alloy_destroy(g);
}
END_TEST

/* Cracks lie in the eutectic only, inside the exclusion mask. */
START_TEST(cracks_in_eutectic_and_mask) {
    const int w = 512, h = 384;
    cgan_synth_alloy *g = small_generator(w, h);
    synth_alloy_cond c;
    cgan_rng *rng;
    int32_t *lab = calloc((size_t)w * h, sizeof(int32_t));
    uint8_t *crack = calloc((size_t)w * h, 1), *mask = calloc((size_t)w * h, 1);
    int n, nc;
    int64_t crack_px = 0;
    CK_OK(cgan__synth_alloy_cond(g, 800, 0.1, &c));
    CK_OK(cgan_rng_create(&rng, 5));
    CK_OK(cgan__synth_place_grains(&c, 0.36, rng, w, h, lab, &n));
    CK_OK(cgan__synth_cracks(&c, rng, w, h, lab, crack, mask, &nc));
    ck_assert_msg(nc >= 1, "no crack at 800 C, 0.1/s");
    int64_t on_grain = 0, unmasked = 0;
    for (int q = 0; q < w * h; q++) {
        if (!crack[q]) continue;
        crack_px++;
        on_grain += lab[q] != 0;
        unmasked += !mask[q];
    }
    ck_assert_msg(on_grain == 0, "%lld crack pixels on grains", (long long)on_grain);
    ck_assert_msg(unmasked == 0, "%lld crack pixels outside the mask", (long long)unmasked);
    ck_assert_msg(crack_px > 100, "only %lld crack pixels", (long long)crack_px);
    cgan_rng_destroy(rng);
    free(lab);
    free(crack);
    free(mask);
    cgan_synth_alloy_destroy(g);
}
END_TEST

/* Per condition: mean area, mean aspect ratio (interior grains) and the
 * eutectic's wavelength measured on the image. */
typedef struct cond_stats {
    double area, ar, angle_dev, lambda, period;
    int cracks;
    double mask_px;
} cond_stats;

static void measure_condition(cgan_synth_alloy *g, double t, double rate, cond_stats *st) {
    cgan_synth_image *m;
    cgan_tensor *eut;
    double n = 0, sa = 0, sar = 0, sdev = 0;
    CK_OK(cgan_synth_alloy_render(g, t, rate, 7, &m));
    const float *rows = cgan_tensor_data_const(cgan_synth_image_grains(m));
    for (int64_t i = 0; i < cgan_synth_image_grain_count(m); i++) {
        const float *r = rows + i * CGAN_SYNTH_GRAIN_COLUMNS;
        double a = r[CGAN_SYNTH_GRAIN_ANGLE];
        if (r[CGAN_SYNTH_GRAIN_EDGE] != 0) continue;
        n++;
        sa += r[CGAN_SYNTH_GRAIN_AREA];
        sar += r[CGAN_SYNTH_GRAIN_MAJOR] / r[CGAN_SYNTH_GRAIN_MINOR];
        sdev += fmin(a, 180 - a);
    }
    st->area = sa / n;
    st->ar = sar / n;
    st->angle_dev = sdev / n;
    /* The eutectic alone: grains painted with the eutectic's mean grey. */
    CK_OK(cgan_tensor_clone(&eut, cgan_synth_image_pixels(m)));
    {
        const float *lab = cgan_tensor_data_const(cgan_synth_image_labels(m));
        float *d = cgan_tensor_data(eut);
        for (int64_t q = 0; q < cgan_tensor_numel(eut); q++)
            if (lab[q] > 0) d[q] = 140.0f / 255.0f;
    }
    CK_OK(cgan_synth_structure(eut, 0.5, &st->lambda, NULL));
    CK_OK(cgan_synth_alloy_model(g, t, rate, CGAN_SYNTH_Q_LAMELLA_PERIOD_PX, &st->period));
    st->cracks = cgan_synth_image_crack_count(m);
    st->mask_px = 0;
    {
        const float *mk = cgan_tensor_data_const(cgan_synth_image_crack_mask(m));
        for (int64_t q = 0; q < cgan_tensor_numel(eut); q++) st->mask_px += mk[q];
    }
    cgan_tensor_destroy(eut);
    cgan_synth_image_destroy(m);
}

/* The paper's section 2, computed from the generator's own truth. */
START_TEST(trends_follow_the_paper) {
    cgan_synth_alloy *g = small_generator(640, 480);
    cond_stats st[4][2];
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 2; j++) {
            measure_condition(g, temps[i], rates[j], &st[i][j]);
            fprintf(stderr, "check_synth_alloy: %4.0f C %5g /s: mean area %7.1f px, AR %.2f, "
                            "|angle| %.1f deg, eutectic wavelength %.2f px (model %.2f), "
                            "%d cracks\n",
                    temps[i], rates[j], st[i][j].area, st[i][j].ar, st[i][j].angle_dev,
                    st[i][j].lambda, st[i][j].period, st[i][j].cracks);
        }
    for (int j = 0; j < 2; j++)
        for (int i = 1; i < 4; i++) {
            ck_assert_msg(st[i][j].area > 1.05 * st[i - 1][j].area, "area not rising with T");
            ck_assert_msg(st[i][j].ar < st[i - 1][j].ar - 0.05, "AR not falling with T");
            ck_assert_msg(st[i][j].lambda > st[i - 1][j].lambda, "lamellae not coarsening");
        }
    for (int i = 0; i < 4; i++) {
        ck_assert_msg(st[i][1].ar > st[i][0].ar + 0.2, "AR not rising with rate at %g C", temps[i]);
        for (int j = 0; j < 2; j++) {
            /* flattened perpendicular to the vertical compression axis */
            ck_assert_msg(st[i][j].angle_dev < 25, "mean |angle| %g", st[i][j].angle_dev);
            ck_assert_msg(fabs(st[i][j].lambda / st[i][j].period - 1) < 0.25,
                          "wavelength %g vs period %g", st[i][j].lambda, st[i][j].period);
            /* cracks (and a mask) only when cold and fast */
            if (temps[i] <= 900 && rates[j] >= 0.1)
                ck_assert_msg(st[i][j].cracks > 0 && st[i][j].mask_px > 0, "no crack");
            else if (temps[i] >= 1000 || rates[j] < 0.01)
                ck_assert_msg(st[i][j].cracks == 0 && st[i][j].mask_px == 0, "unexpected crack");
        }
    }
    cgan_synth_alloy_destroy(g);
}
END_TEST

/* The model quantities move the way the paper says. */
START_TEST(model_quantities) {
    cgan_synth_alloy *g;
    double v[4][2][CGAN_SYNTH_N_QUANTITIES];
    CK_OK(cgan_synth_alloy_create(&g));
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 2; j++)
            for (int q = 0; q < CGAN_SYNTH_N_QUANTITIES; q++)
                CK_OK(cgan_synth_alloy_model(g, temps[i], rates[j], q, &v[i][j][q]));
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 2; j++) {
            double p = v[i][j][CGAN_SYNTH_Q_LAMELLA_PERIOD_PX];
            ck_assert_msg(p >= 3.0 && p <= 8.0, "period %g px outside 3..8", p);
        }
    /* at high temperature the lamellae break up at the low rate only */
    ck_assert_msg(v[3][0][CGAN_SYNTH_Q_SPHEROIDISATION] > 0.6, "1100 C, 0.001/s lamellar");
    ck_assert_msg(v[3][1][CGAN_SYNTH_Q_SPHEROIDISATION] < 0.05, "1100 C, 0.1/s not lamellar");
    ck_assert_msg(v[0][0][CGAN_SYNTH_Q_SPHEROIDISATION] < 0.1, "800 C broke up");
    cgan_synth_alloy_destroy(g);
}
END_TEST

/* Same seed, same bytes whatever the thread count; the files are there. */
START_TEST(dataset_deterministic) {
    cgan_synth_alloy *g = small_generator(320, 240);
    const double t2[2] = {800, 1100}, r1[1] = {0.1};
    const char *files[] = {"manifest.csv", "truth.csv", "images.csv",
                           "images/T800_rate0.1_00.png", "images/T1100_rate0.1_01.png",
                           "masks/T800_rate0.1_01.png", "labels/T1100_rate0.1_00.png"};
    char a[256], b[256], c[256], pa[512], pb[512];
    size_t n;
    char *man;
    snprintf(a, sizeof a, "%s", test_tmpdir());
    snprintf(b, sizeof b, "%s", test_tmpdir());
    snprintf(c, sizeof c, "%s", test_tmpdir());
    CK_OK(cgan_synth_alloy_set_conditions(g, t2, 2, r1, 1));
    CK_OK(cgan_set_num_threads(1));
    CK_OK(cgan_synth_alloy_write_dataset(g, a, 2, 9, CGAN_SYNTH_WRITE_LABELS));
    CK_OK(cgan_set_num_threads(2));
    CK_OK(cgan_synth_alloy_write_dataset(g, b, 2, 9, CGAN_SYNTH_WRITE_LABELS));
    CK_OK(cgan_synth_alloy_write_dataset(g, c, 2, 10, CGAN_SYNTH_WRITE_LABELS));
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(pa, sizeof pa, "%s/%s", a, files[i]);
        snprintf(pb, sizeof pb, "%s/%s", b, files[i]);
        ck_assert_msg(synth_same_file(pa, pb), "%s differs between two runs (or is missing)", files[i]);
    }
    snprintf(pa, sizeof pa, "%s/%s", a, files[3]);
    snprintf(pb, sizeof pb, "%s/%s", c, files[3]);
    ck_assert_msg(!synth_same_file(pa, pb), "seed 10 gave the bytes of seed 9");
    snprintf(pa, sizeof pa, "%s/manifest.csv", a);
    man = synth_read_file(pa, &n);
    ck_assert_msg(strstr(man, "path,um_per_px,mask,temperature_C,strain_rate_per_s\n"
                              "images/T800_rate0.1_00.png,0.078125,masks/T800_rate0.1_00.png,"
                              "800,0.1\n") == man, "%s", man);
    ck_assert_msg(strstr(man, "images/T1100_rate0.1_01.png,0.078125,,1100,0.1\n") != NULL, "%s",
                  man);
    free(man);
    {   /* the label PNG holds the grain indices of truth.csv */
        cgan_tensor *lab;
        double maxl = 0;
        snprintf(pa, sizeof pa, "%s/labels/T1100_rate0.1_00.png", a);
        CK_OK(cgan_image_read(pa, &lab, NULL));
        for (int64_t q = 0; q < cgan_tensor_numel(lab); q++)
            if (cgan_tensor_data(lab)[q] * 65535.0 > maxl) maxl = cgan_tensor_data(lab)[q] * 65535.0;
        snprintf(pa, sizeof pa, "%s/truth.csv", a);
        man = synth_read_file(pa, &n);
        {
            char key[64];
            snprintf(key, sizeof key, "images/T1100_rate0.1_00.png,T1100_rate0.1,1100,0.1,%d,",
                     (int)lrint(maxl));
            ck_assert_msg(strstr(man, key) != NULL, "no truth row for label %g", maxl);
            snprintf(key, sizeof key, "images/T1100_rate0.1_00.png,T1100_rate0.1,1100,0.1,%d,",
                     (int)lrint(maxl) + 1);
            ck_assert_msg(strstr(man, key) == NULL, "a truth row beyond the last label");
        }
        free(man);
        cgan_tensor_destroy(lab);
    }
    cgan_synth_alloy_destroy(g);
}
END_TEST

START_TEST(alloy_bad_arguments) {
    cgan_synth_alloy *g;
    cgan_synth_image *m = (cgan_synth_image *)1;
    const double bad_t[1] = {100}, ok_t[2] = {800, 800}, ok_r[1] = {0.1};
    double v;
    CK_OK(cgan_synth_alloy_create(&g));
    CK_FAILS(cgan_synth_alloy_set_param(g, CGAN_SYNTH_ALLOY_WIDTH, 10), CGAN_EINVAL);
    ck_assert_msg(strstr(cgan_last_error(), "WIDTH") != NULL, "%s", cgan_last_error());
    CK_FAILS(cgan_synth_alloy_set_param(g, CGAN_SYNTH_ALLOY_WIDTH, 100.5), CGAN_EINVAL);
    CK_FAILS(cgan_synth_alloy_set_param(g, CGAN_SYNTH_ALLOY_COMPRESSION, 0.95), CGAN_EINVAL);
    CK_FAILS(cgan_synth_alloy_set_param(g, CGAN_SYNTH_ALLOY_N_PARAMS, 1), CGAN_EINVAL);
    CK_OK(cgan_synth_alloy_get_param(g, CGAN_SYNTH_ALLOY_WIDTH, &v));
    ck_assert_double_eq(v, 1024);
    CK_FAILS(cgan_synth_alloy_set_conditions(g, bad_t, 1, ok_r, 1), CGAN_EINVAL);
    ck_assert_msg(strstr(cgan_last_error(), "temperature 100") != NULL, "%s", cgan_last_error());
    CK_FAILS(cgan_synth_alloy_set_conditions(g, ok_t, 2, ok_r, 1), CGAN_EINVAL);
    CK_FAILS(cgan_synth_alloy_set_conditions(g, ok_t, 0, ok_r, 1), CGAN_EINVAL);
    CK_FAILS(cgan_synth_alloy_render(g, 900, 0.0, 1, &m), CGAN_EINVAL);
    ck_assert_ptr_null(m);
    ck_assert_msg(strstr(cgan_last_error(), "strain rate") != NULL, "%s", cgan_last_error());
    CK_FAILS(cgan_synth_alloy_model(g, 900, 0.1, 99, &v), CGAN_EINVAL);
    CK_FAILS(cgan_synth_alloy_write_dataset(g, "/tmp", 0, 1, 0), CGAN_EINVAL);
    CK_FAILS(cgan_synth_alloy_write_dataset(g, "/tmp", 1, 1, 0x80), CGAN_EINVAL);
    CK_FAILS(cgan_synth_alloy_write_dataset(g, "/proc/version", 1, 1, 0), CGAN_EIO);
    cgan_synth_alloy_destroy(g);
}
END_TEST

Suite *cgan_test_synth_alloy_suite(void) {
    Suite *s = suite_create("synth_alloy");
    TCase *tc = tcase_create("alloy");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, measure_drawn_ellipse);
    tcase_add_test(tc, truth_consistency);
    tcase_add_test(tc, cracks_in_eutectic_and_mask);
    tcase_add_test(tc, trends_follow_the_paper);
    tcase_add_test(tc, model_quantities);
    tcase_add_test(tc, dataset_deterministic);
    tcase_add_test(tc, alloy_bad_arguments);
    suite_add_tcase(s, tc);
    return s;
}
