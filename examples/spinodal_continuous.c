/* Continuous conditioning (the paper's section 4) on Cahn-Hilliard spinodal
 * micrographs: conditions (composition, annealing time) on a grid; the
 * interior conditions with odd grid indices (4 of a 5 x 5 grid) are held
 * out of training.  A model with continuous conditions and the continuous
 * contrastive loss generates at the unseen conditions and at the training
 * ones; a discrete baseline (2C loss on the training conditions as classes)
 * can only generate a class, so at an unseen condition it generates the
 * nearest training condition.  Both are compared with the simulation's truth
 * (independent runs, seed 2): phase fraction and characteristic wavelength
 * (cgan_synth_structure) measured the same way on generated and simulated
 * patches.  Reported: MAPD at held-out vs training conditions.
 *
 *   spinodal_continuous [--smoke | --full] [--out DIR] [--iters N]
 *                       [--width W] [--batch B] [--seed S]
 *
 * --smoke: a 3 x 3 grid of 64-px fields (centre held out), widths 8, 2
 *          iterations: seconds, and the numbers mean nothing.  Default: 5 x 5
 *          grid, 128-px fields, 64-px patches, widths 16, batch 32, 300
 *          iterations per model.  --full: 256-px fields, 128-px patches,
 *          the paper's widths (64) and batch (128), 20000 iterations. */
#define _POSIX_C_SOURCE 200809L
#include <cgan.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXC 64 /* conditions */
#define DEFAULT_OUT "out/examples/spinodal_continuous"

typedef struct settings {
    int smoke, full, width, batch, field, size, runs, count;
    int64_t iters;
    uint64_t seed;
    const char *out;
} settings;

/* One condition: its values, whether it is held out, truth and predictions. */
typedef struct cond {
    double x, t;
    int held;
    double truth[2], cont[2], disc[2]; /* phase fraction, wavelength px */
    int64_t nearest;                   /* discrete baseline: class generated */
} cond;

static int ok(int st, const char *what) {
    if (st == CGAN_OK) return 1;
    fprintf(stderr, "spinodal_continuous: %s failed: %s: %s\n", what, cgan_status_string(st),
            cgan_last_error());
    return 0;
}

static int parse(int argc, char **argv, settings *s) {
    *s = (settings){0, 0, 16, 32, 128, 64, 2, 32, 300, 1, DEFAULT_OUT};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i]; int v = i + 1 < argc;
        if (!strcmp(a, "--smoke")) s->smoke = 1;
        else if (!strcmp(a, "--full")) s->full = 1;
        else if (v && !strcmp(a, "--out")) s->out = argv[++i];
        else if (v && !strcmp(a, "--iters")) s->iters = atoll(argv[++i]);
        else if (v && !strcmp(a, "--width")) s->width = atoi(argv[++i]);
        else if (v && !strcmp(a, "--batch")) s->batch = atoi(argv[++i]);
        else if (v && !strcmp(a, "--seed")) s->seed = strtoull(argv[++i], NULL, 10);
        else {
            fprintf(stderr, "usage: spinodal_continuous [--smoke | --full] [--out DIR] "
                            "[--iters N] [--width W] [--batch B] [--seed S]\n");
            return 0;
        }
    }
    if (s->full) { s->field = 256; s->size = 128; s->width = 64; s->batch = 128; s->iters = 20000; s->runs = 4; }
    if (s->smoke) { s->field = 64; s->width = 8; s->batch = 8; s->iters = 2; s->runs = 1; s->count = 4; }
    if (s->smoke && !strcmp(s->out, DEFAULT_OUT)) s->out = DEFAULT_OUT "_smoke"; /* keep real runs */
    return s->iters > 0 && s->width > 0 && s->batch > 0;
}

/* Simulate the grid (one seed) into dir; returns the number of conditions. */
static int simulate(const settings *s, const char *dir, uint64_t seed) {
    static const double xs[5] = {0.30, 0.35, 0.40, 0.45, 0.50}, ts[5] = {200, 400, 800, 1600, 3200};
    static const double smoke_xs[3] = {0.35, 0.40, 0.45}, smoke_ts[3] = {50, 100, 200};
    cgan_synth_spinodal *sim = NULL;
    int n = s->smoke ? 3 : 5;
    int good = ok(cgan_synth_spinodal_create(&sim), "cgan_synth_spinodal_create") &&
               ok(cgan_synth_spinodal_set_list(sim, CGAN_SYNTH_SPINODAL_COMPOSITIONS, s->smoke ? smoke_xs : xs, n), "compositions") &&
               ok(cgan_synth_spinodal_set_list(sim, CGAN_SYNTH_SPINODAL_TIMES, s->smoke ? smoke_ts : ts, n), "times") &&
               ok(cgan_synth_spinodal_set_param(sim, CGAN_SYNTH_SPINODAL_SIZE, s->field), "size") &&
               ok(cgan_synth_spinodal_set_param(sim, CGAN_SYNTH_SPINODAL_RUNS, s->runs), "runs") &&
               ok(cgan_synth_spinodal_write_dataset(sim, dir, seed), dir);
    cgan_synth_spinodal_destroy(sim);
    if (good) printf("simulated %d x %d conditions x %d run(s), seed %llu -> %s\n", n, n, s->runs,
                     (unsigned long long)seed, dir);
    return good ? n * n : 0;
}

/* Held out: interior grid points with odd indices in both directions. */
static int held_out(int i, int n) { return (i / n) % 2 == 1 && (i % n) % 2 == 1 && i / n < n - 1 && i % n < n - 1; }

/* The conditions of the seed-2 simulation's manifest (class order), and a
 * training manifest next to it with the held-out rows left out. */
static int split(const char *dir, cond *c, int nc, char *train_csv, size_t cap) {
    char path[1100];
    cgan_manifest *m = NULL;
    FILE *f = NULL;
    int n = (int)(sqrt((double)nc) + 0.5);
    snprintf(path, sizeof path, "%s/manifest.csv", dir);
    snprintf(train_csv, cap, "%s/train_manifest.csv", dir);
    if (!ok(cgan_manifest_load(&m, path), path)) return 0;
    int good = cgan_manifest_classes(m) == nc && cgan_manifest_columns(m) == 2 &&
               !strcmp(cgan_manifest_column_name(m, 0), "composition");
    if (!good) fprintf(stderr, "spinodal_continuous: %s: unexpected conditions\n", path);
    if (good && !(f = fopen(train_csv, "w"))) {
        perror(train_csv);
        good = 0;
    }
    if (good) fprintf(f, "path,um_per_px,composition,time\n");
    for (int64_t r = 0; good && r < cgan_manifest_rows(m); r++) {
        int64_t k = cgan_manifest_class(m, r); /* ascending composition, then time */
        c[k].x = cgan_manifest_value(m, r, 0);
        c[k].t = cgan_manifest_value(m, r, 1);
        c[k].held = held_out((int)k, n);
        if (!c[k].held) /* paths relative to the manifest's folder */
            fprintf(f, "%s,%.17g,%.17g,%.17g\n", cgan_manifest_path(m, r) + strlen(dir) + 1,
                    cgan_manifest_um_per_px(m, r), c[k].x, c[k].t);
    }
    if (f && fclose(f) != 0) good = 0;
    cgan_manifest_destroy(m);
    return good;
}

/* Patches of a manifest; continuous: conditions as numbers, log10(time). */
static int prepare(const settings *s, const char *csv, int continuous, int augment, const char *npz) {
    cgan_manifest *m = NULL;
    cgan_prepare_opts *o = NULL;
    uint32_t flags = CGAN_AUGMENT_FLIPS | CGAN_AUGMENT_ROT180 | CGAN_AUGMENT_ROT90; /* isotropic */
    int good = ok(cgan_manifest_load(&m, csv), csv) && ok(cgan_manifest_set_log_column(m, "time"), "log10 time") &&
               ok(cgan_prepare_opts_create(&o), "prepare options") &&
               ok(cgan_prepare_opts_set(o, CGAN_PREPARE_SIZE, s->size), "size") &&
               ok(cgan_prepare_opts_set(o, CGAN_PREPARE_UM_PER_PX, cgan_manifest_um_per_px(m, 0)), "scale") &&
               ok(cgan_prepare_opts_set(o, CGAN_PREPARE_PATCHES_PER_IMAGE, s->smoke ? 1 : 8), "patches") &&
               ok(cgan_prepare_opts_set(o, CGAN_PREPARE_CONTRAST, 0), "contrast") && /* keep phi */
               ok(cgan_prepare_opts_set(o, CGAN_PREPARE_MIN_PER_CLASS, 1), "min per class") &&
               ok(cgan_prepare_opts_set(o, CGAN_PREPARE_CONTINUOUS, continuous), "continuous") &&
               ok(cgan_prepare_opts_set(o, CGAN_PREPARE_AUGMENT, augment ? flags : 0), "augment") &&
               ok(cgan_prepare_run(m, o, npz, NULL, NULL), npz);
    cgan_prepare_opts_destroy(o);
    cgan_manifest_destroy(m);
    return good;
}

static int train(const settings *s, const char *npz, int continuous, cgan_gan **g, cgan_dataset **d) {
    cgan_config *c = NULL;
    int good = ok(cgan_dataset_load(d, npz), npz) && ok(cgan_config_create(&c, CGAN_PRESET_PAPER), "config") &&
               ok(cgan_config_set(c, CGAN_CONFIG_IMAGE_SIZE, (double)cgan_dataset_size(*d)), "image_size") &&
               ok(cgan_config_set(c, CGAN_CONFIG_NUM_CLASSES, (double)cgan_dataset_classes(*d)), "num_classes") &&
               ok(cgan_config_set(c, CGAN_CONFIG_COND_DIM, continuous ? cgan_dataset_columns(*d) : 0), "cond_dim") &&
               ok(cgan_config_set(c, CGAN_CONFIG_G_WIDTH, s->width), "g_width") &&
               ok(cgan_config_set(c, CGAN_CONFIG_D_WIDTH, s->width), "d_width") &&
               ok(cgan_config_set(c, CGAN_CONFIG_BATCH, s->batch), "batch") &&
               ok(cgan_gan_create(g, c, s->seed), "cgan_gan_create") && ok(cgan_gan_adopt_dataset(*g, *d), "adopt");
    cgan_config_destroy(c);
    if (!good) return 0;
    printf("training the %s model: %lld patches, %lld conditions, %lld iterations, widths %d, batch %d\n",
           continuous ? "continuous (continuous contrastive loss)" : "discrete baseline (2C loss)",
           (long long)cgan_dataset_count(*d), (long long)cgan_dataset_classes(*d), (long long)s->iters,
           s->width, s->batch);
    fflush(stdout);
    return ok(cgan_gan_train(*g, *d, s->iters, NULL, NULL), "cgan_gan_train");
}

/* Mean phase fraction and wavelength over the n images of t [n,1,S,S]. */
static int measure(cgan_tensor *t, int64_t n, double *v) {
    int64_t px = cgan_tensor_dim(t, 2) * cgan_tensor_dim(t, 3);
    cgan_tensor *one = NULL;
    int good = ok(cgan_tensor_create4(&one, 1, 1, cgan_tensor_dim(t, 2), cgan_tensor_dim(t, 3)), "tensor");
    v[0] = v[1] = 0;
    for (int64_t i = 0; good && i < n; i++) {
        double wl, pf;
        good = ok(cgan_tensor_set_data(one, cgan_tensor_data(t) + i * px, px), "copy") &&
               ok(cgan_synth_structure(one, 0.0, &wl, &pf), "cgan_synth_structure");
        v[0] += pf / (double)n;
        v[1] += wl / (double)n;
    }
    cgan_tensor_destroy(one);
    return good;
}

/* Truth: the simulated (seed 2) patches of each condition. */
static int truth(const cgan_dataset *d, cond *c, int nc) {
    const int64_t *lab = cgan_dataset_labels(d);
    int64_t idx[4096], S = cgan_dataset_size(d);
    cgan_tensor *t = NULL;
    int good = cgan_dataset_classes(d) == nc;
    for (int k = 0; good && k < nc; k++) {
        int64_t n = 0;
        for (int64_t i = 0; i < cgan_dataset_count(d) && n < 4096; i++)
            if (lab[i] == k) idx[n++] = i;
        good = n > 0 && ok(cgan_tensor_create4(&t, n, 1, S, S), "tensor") &&
               ok(cgan_dataset_gather(d, idx, n, t, NULL, NULL), "gather") && measure(t, n, c[k].truth);
        cgan_tensor_destroy(t), t = NULL;
    }
    return good;
}

/* Generate s->count images per condition (the same noise) and measure them.
 * disc: generate class c[k].nearest instead of the condition itself. */
static int predict(const settings *s, cgan_gan *g, cond *c, int nc, int disc) {
    cgan_tensor *z = NULL, *y = NULL, *img = NULL;
    double nz, raw[2 * 1024];
    int64_t n = s->count, S = s->size;
    int good = n <= 1024 && ok(cgan_config_get(cgan_gan_config(g), CGAN_CONFIG_NOISE_DIM, &nz), "noise") &&
               ok(cgan_tensor_create4(&z, n, (int64_t)nz, 0, 0), "noise") &&
               ok(cgan_tensor_create4(&img, n, 1, S, S), "images") && ok(cgan_gan_noise(g, 7, z), "noise") &&
               ok(disc ? cgan_tensor_create4(&y, n, 0, 0, 0) : cgan_tensor_create4(&y, n, 2, 0, 0), "conditions");
    for (int k = 0; good && k < nc; k++) {
        for (int64_t i = 0; i < n; i++) { raw[2 * i] = c[k].x; raw[2 * i + 1] = c[k].t; }
        good = (disc ? ok(cgan_tensor_fill(y, (float)c[k].nearest), "labels")
                     : ok(cgan_gan_scale_conditions(g, raw, n, y), "cgan_gan_scale_conditions")) &&
               ok(cgan_gan_generate(g, z, y, 0, img), "cgan_gan_generate") &&
               measure(img, n, disc ? c[k].disc : c[k].cont);
    }
    cgan_tensor_destroy(z), cgan_tensor_destroy(y), cgan_tensor_destroy(img);
    return good;
}

/* The discrete baseline's class for each condition: itself when trained on,
 * else the nearest training condition in (composition, log10 time) scaled
 * by the grid's ranges (ties: the first). */
static void nearest(cond *c, int nc) {
    double rx = fabs(c[nc - 1].x - c[0].x), rt = fabs(log10(c[nc - 1].t / c[0].t));
    for (int k = 0; k < nc; k++) {
        double best = INFINITY;
        for (int j = 0, cls = 0; j < nc; j++) {
            if (c[j].held) continue;
            double dx = (c[k].x - c[j].x) / rx, dt = log10(c[k].t / c[j].t) / rt, d2 = dx * dx + dt * dt;
            if (d2 < best - 1e-9) { best = d2; c[k].nearest = cls; } /* ties: rounding */
            cls++; /* training classes are the non-held conditions, in order */
        }
    }
}

/* MAPD over the training and the held-out conditions; a condition whose
 * true value is 0 (no second phase yet) has no percentage and is skipped. */
static void report(const cond *c, int nc) {
    double sum[2][2][2] = {{{0}}}; /* [model][held][feature] */
    int cnt[2][2] = {{0}};         /* [held][feature] */
    printf("\n%5s %6s %5s | %7s %7s | %7s %7s | %5s %7s %7s\n", "x", "time", "set", "pf", "lambda",
           "pf cont", "l cont", "class", "pf disc", "l disc");
    for (int k = 0; k < nc; k++) {
        printf("%5.2f %6.0f %5s | %7.3f %7.2f | %7.3f %7.2f | %5lld %7.3f %7.2f\n", c[k].x, c[k].t,
               c[k].held ? "HELD" : "train", c[k].truth[0], c[k].truth[1], c[k].cont[0], c[k].cont[1],
               (long long)c[k].nearest, c[k].disc[0], c[k].disc[1]);
        for (int f = 0; f < 2; f++) {
            if (c[k].truth[f] == 0) continue;
            cnt[c[k].held][f]++;
            sum[0][c[k].held][f] += 100 * fabs(c[k].cont[f] - c[k].truth[f]) / c[k].truth[f];
            sum[1][c[k].held][f] += 100 * fabs(c[k].disc[f] - c[k].truth[f]) / c[k].truth[f];
        }
    }
    printf("\nMAPD vs simulation          training   held-out   held/train  (conditions)\n");
    for (int m = 0; m < 2; m++)
        for (int f = 0; f < 2; f++) {
            double tr = sum[m][0][f] / cnt[0][f], he = sum[m][1][f] / cnt[1][f];
            printf("%-10s %-14s %8.1f %% %8.1f %% %10.2f   (%d, %d)\n", m ? "discrete" : "continuous",
                   f ? "wavelength" : "phase fraction", tr, he, he / tr, cnt[0][f], cnt[1][f]);
        }
}

int main(int argc, char **argv) {
    settings s;
    cond c[MAXC] = {{0}};
    char sim_train[1024], sim_test[1024], csv[1100], test_csv[1100], npz[3][1100], ckpt[1100];
    cgan_dataset *test = NULL, *dc = NULL, *dd = NULL;
    cgan_gan *gc = NULL, *gd = NULL;
    printf("spinodal_continuous: libcgan %s\n", cgan_version_string());
    if (!parse(argc, argv, &s)) return 2;
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (s.smoke) printf("smoke run: tiny settings, the numbers below mean nothing\n");
    snprintf(sim_train, sizeof sim_train, "%s/sim_train", s.out);
    snprintf(sim_test, sizeof sim_test, "%s/sim_truth", s.out);
    snprintf(test_csv, sizeof test_csv, "%s/manifest.csv", sim_test);
    snprintf(npz[0], sizeof npz[0], "%s/train_continuous.npz", s.out);
    snprintf(npz[1], sizeof npz[1], "%s/train_discrete.npz", s.out);
    snprintf(npz[2], sizeof npz[2], "%s/truth.npz", s.out);
    int nc = simulate(&s, sim_train, 1);
    int good = nc > 0 && simulate(&s, sim_test, 2) == nc && split(sim_train, c, nc, csv, sizeof csv) &&
               prepare(&s, csv, 1, 1, npz[0]) && prepare(&s, csv, 0, 1, npz[1]) &&
               prepare(&s, test_csv, 0, 0, npz[2]) && ok(cgan_dataset_load(&test, npz[2]), npz[2]) &&
               truth(test, c, nc);
    if (good) nearest(c, nc);
    good = good && train(&s, npz[0], 1, &gc, &dc) && predict(&s, gc, c, nc, 0);
    snprintf(ckpt, sizeof ckpt, "%s/continuous.npz", s.out);
    good = good && ok(cgan_gan_save(gc, ckpt), ckpt);
    good = good && train(&s, npz[1], 0, &gd, &dd) && predict(&s, gd, c, nc, 1);
    snprintf(ckpt, sizeof ckpt, "%s/discrete.npz", s.out);
    good = good && ok(cgan_gan_save(gd, ckpt), ckpt);
    if (good) report(c, nc);
    cgan_gan_destroy(gc), cgan_gan_destroy(gd);
    cgan_dataset_destroy(dc), cgan_dataset_destroy(dd), cgan_dataset_destroy(test);
    return good ? 0 : 1;
}
