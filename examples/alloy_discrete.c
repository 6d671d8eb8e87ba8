/* The paper's main experiment on the synthetic alloy: 8 discrete process
 * conditions (4 temperatures x 2 strain rates), a conditional WGAN trained
 * with the ContraGAN (2C) contrastive loss, every condition generated from
 * the same noise, and the generated patches compared with held-out real
 * patches (from micrographs of another seed) with the grain recipe of
 * docs/analysis.md section 5: mean grain size, density and aspect ratio per
 * condition, their MAPD, and condition-recognition accuracy.
 *
 *   alloy_discrete [--smoke | --full] [--out DIR] [--iters N] [--width W]
 *                  [--batch B] [--seed S]
 *
 * --smoke: 2 conditions, 64-px patches, widths 8, 2 iterations (seconds; the
 *          numbers mean nothing).  Default: 8 conditions, 128-px patches,
 *          widths 16, batch 32, 300 iterations (minutes on 2 cores).
 * --full:  the paper's model (Tables 1-3: widths 64, batch 128), 20000
 *          iterations (days on a CPU).
 * Every call is checked; a failure prints the library's message and exits 1.
 * alloy_ablation.c is this program with the contrastive loss switched off. */
#define _POSIX_C_SOURCE 200809L
#include <cgan.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef ALLOY_CONTRASTIVE
#define ALLOY_CONTRASTIVE CGAN_CONTRASTIVE_2C
#define ALLOY_NAME "alloy_discrete"
#endif

#define UM_PER_PX 0.078125 /* the micrographs' scale: 128 px = 10 um, as the paper */

typedef struct settings {
    int smoke, width, batch, size, train_images, test_images, per_image, count;
    int64_t iters;
    uint64_t seed;
    const char *out;
} settings;

/* Report a failed call with the library's message; returns 1 if st is OK. */
static int ok(int st, const char *what) {
    if (st == CGAN_OK) return 1;
    fprintf(stderr, "%s: %s failed: %s: %s\n", ALLOY_NAME, what, cgan_status_string(st),
            cgan_last_error());
    return 0;
}

static int make_dir(const char *path) {
    if (mkdir(path, 0777) == 0 || errno == EEXIST) return 1;
    fprintf(stderr, "%s: cannot create %s: %s\n", ALLOY_NAME, path, strerror(errno));
    return 0;
}

static int parse(int argc, char **argv, settings *s) {
    static char out[512];
    int full = 0;
    *s = (settings){0, 16, 32, 128, 4, 4, 40, 96, 300, 1, NULL};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--smoke")) s->smoke = 1;
        else if (!strcmp(a, "--full")) full = 1;
        else if (v && !strcmp(a, "--out")) s->out = argv[++i];
        else if (v && !strcmp(a, "--iters")) s->iters = atoll(argv[++i]);
        else if (v && !strcmp(a, "--width")) s->width = atoi(argv[++i]);
        else if (v && !strcmp(a, "--batch")) s->batch = atoi(argv[++i]);
        else if (v && !strcmp(a, "--seed")) s->seed = strtoull(argv[++i], NULL, 10);
        else {
            fprintf(stderr, "usage: %s [--smoke | --full] [--out DIR] [--iters N] [--width W] "
                            "[--batch B] [--seed S]\n", ALLOY_NAME);
            return 0;
        }
    }
    if (full) { s->width = 64; s->batch = 128; s->iters = 20000; s->count = 100; }
    if (s->smoke) {
        s->width = 8; s->batch = 8; s->size = 64; s->iters = 2;
        s->train_images = 1; s->test_images = 1; s->per_image = 8; s->count = 4;
    }
    if (!s->out) {
        /* a smoke run never overwrites a real run's outputs */
        snprintf(out, sizeof out, "out/examples/%s%s", ALLOY_NAME, s->smoke ? "_smoke" : "");
        s->out = out;
    }
    return s->iters > 0 && s->width > 0 && s->batch > 0;
}

/* Synthetic micrographs of one seed, then patches (augmented for training). */
static int make_data(const settings *s, const char *name, int images, uint64_t seed, int augment,
                     char *npz, size_t cap) {
    static const double temps[4] = {800, 900, 1000, 1100}, rates[2] = {0.001, 0.1};
    static const double smoke_temps[2] = {800, 1100};
    char dir[1024], manifest[1100];
    cgan_synth_alloy *gen = NULL;
    cgan_manifest *m = NULL;
    cgan_prepare_opts *o = NULL;
    int good = ok(cgan_synth_alloy_create(&gen), "cgan_synth_alloy_create");
    snprintf(dir, sizeof dir, "%s/%s_micrographs", s->out, name);
    snprintf(manifest, sizeof manifest, "%s/manifest.csv", dir);
    snprintf(npz, cap, "%s/%s.npz", s->out, name);
    if (good && s->smoke) /* 2 conditions of small images */
        good = ok(cgan_synth_alloy_set_conditions(gen, smoke_temps, 2, rates + 1, 1), "conditions") &&
               ok(cgan_synth_alloy_set_param(gen, CGAN_SYNTH_ALLOY_WIDTH, 256), "width") &&
               ok(cgan_synth_alloy_set_param(gen, CGAN_SYNTH_ALLOY_HEIGHT, 192), "height");
    else if (good)
        good = ok(cgan_synth_alloy_set_conditions(gen, temps, 4, rates, 2), "conditions");
    good = good && ok(cgan_synth_alloy_write_dataset(gen, dir, images, seed, 0), dir) &&
           ok(cgan_manifest_load(&m, manifest), manifest) &&
           ok(cgan_prepare_opts_create(&o), "cgan_prepare_opts_create") &&
           ok(cgan_prepare_opts_set(o, CGAN_PREPARE_SIZE, s->size), "patch size") &&
           ok(cgan_prepare_opts_set(o, CGAN_PREPARE_UM_PER_PX, UM_PER_PX), "scale") &&
           ok(cgan_prepare_opts_set(o, CGAN_PREPARE_PATCHES_PER_IMAGE, s->per_image), "patches") &&
           ok(cgan_prepare_opts_set(o, CGAN_PREPARE_SEED, (double)seed), "seed") &&
           ok(cgan_prepare_opts_set(o, CGAN_PREPARE_MIN_PER_CLASS, 1), "min per class") &&
           ok(cgan_prepare_opts_set(o, CGAN_PREPARE_AUGMENT, augment ? CGAN_AUGMENT_DEFAULT : 0),
              "augmentation") &&
           ok(cgan_prepare_run(m, o, npz, NULL, NULL), npz);
    if (good)
        printf("%s: %d micrograph(s) per condition (seed %llu), %lld conditions -> %s\n", name,
               images, (unsigned long long)seed, (long long)cgan_manifest_classes(m), npz);
    cgan_prepare_opts_destroy(o);
    cgan_manifest_destroy(m);
    cgan_synth_alloy_destroy(gen);
    return good;
}

/* Print progress about ten times during training. */
static int on_step(cgan_gan *g, int kind, void *user) {
    const int64_t *every = user;
    double it, w, c;
    if (kind != CGAN_STEP_GENERATOR) return 0;
    cgan_gan_get_metric(g, CGAN_METRIC_GEN_STEPS, &it);
    if ((int64_t)it % *every == 0) {
        cgan_gan_get_metric(g, CGAN_METRIC_WASSERSTEIN, &w);
        cgan_gan_get_metric(g, CGAN_METRIC_GEN_CONTRASTIVE, &c);
        printf("  iteration %6.0f  Wasserstein estimate %8.4f  generator contrastive %7.4f\n", it,
               w, c);
        fflush(stdout);
    }
    return 0;
}

static int train(const settings *s, const cgan_dataset *d, cgan_gan **g) {
    cgan_config *c = NULL;
    int64_t every = s->iters >= 10 ? s->iters / 10 : 1;
    int good = ok(cgan_config_create(&c, CGAN_PRESET_PAPER), "config") &&
               ok(cgan_config_set(c, CGAN_CONFIG_IMAGE_SIZE, (double)cgan_dataset_size(d)), "image_size") &&
               ok(cgan_config_set(c, CGAN_CONFIG_NUM_CLASSES, (double)cgan_dataset_classes(d)), "num_classes") &&
               ok(cgan_config_set(c, CGAN_CONFIG_G_WIDTH, s->width), "g_width") &&
               ok(cgan_config_set(c, CGAN_CONFIG_D_WIDTH, s->width), "d_width") &&
               ok(cgan_config_set(c, CGAN_CONFIG_BATCH, s->batch), "batch") &&
               ok(cgan_config_set(c, CGAN_CONFIG_CONTRASTIVE, ALLOY_CONTRASTIVE), "contrastive") &&
               ok(cgan_gan_create(g, c, s->seed), "cgan_gan_create") &&
               ok(cgan_gan_adopt_dataset(*g, d), "cgan_gan_adopt_dataset");
    cgan_config_destroy(c);
    if (!good) return 0;
    printf("training: %lld iterations, widths %d, batch %d, contrastive loss %s\n",
           (long long)s->iters, s->width, s->batch,
           ALLOY_CONTRASTIVE == CGAN_CONTRASTIVE_NONE ? "off (ablation)" : "2C");
    return ok(cgan_gan_train(*g, d, s->iters, on_step, &every), "cgan_gan_train");
}

/* s->count images per condition, the same noise for every condition. */
static int generate(const settings *s, cgan_gan *g, const cgan_dataset *d, const char *dir) {
    cgan_tensor *z = NULL, *y = NULL, *img = NULL, *one = NULL;
    double nz;
    int good = make_dir(dir) && ok(cgan_config_get(cgan_gan_config(g), CGAN_CONFIG_NOISE_DIM, &nz), "noise") &&
               ok(cgan_tensor_create4(&z, s->count, (int64_t)nz, 0, 0), "noise tensor") &&
               ok(cgan_tensor_create4(&y, s->count, 0, 0, 0), "label tensor") &&
               ok(cgan_tensor_create4(&img, s->count, 1, s->size, s->size), "image tensor") &&
               ok(cgan_tensor_create4(&one, 1, 1, s->size, s->size), "image tensor") &&
               ok(cgan_gan_noise(g, 7, z), "cgan_gan_noise");
    for (int64_t c = 0; good && c < cgan_dataset_classes(d); c++) {
        char sub[1400], name[256], path[1500];
        int64_t px = (int64_t)s->size * s->size;
        good = ok(cgan_tensor_fill(y, (float)c), "labels") &&
               ok(cgan_gan_generate(g, z, y, 0, img), "cgan_gan_generate") &&
               ok(cgan_condition_dirname(cgan_dataset_class_name(d, c), name, sizeof name), "dirname");
        snprintf(sub, sizeof sub, "%s/%s", dir, name);
        good = good && make_dir(sub);
        for (int i = 0; good && i < s->count; i++) {
            snprintf(path, sizeof path, "%s/gen_%04d.png", sub, i);
            good = ok(cgan_tensor_set_data(one, cgan_tensor_data(img) + i * px, px), "copy") &&
                   ok(cgan_image_write_png(path, one, -1.0f, 1.0f, 8), path);
        }
    }
    cgan_tensor_destroy(z);
    cgan_tensor_destroy(y);
    cgan_tensor_destroy(img);
    cgan_tensor_destroy(one);
    return good;
}

/* The grain recipe of docs/analysis.md section 5, then the comparison. */
static int compare(const settings *s, const char *real_dir, const char *gen_dir) {
    static const cgan_feature feats[3] = {CGAN_FEATURE_MEAN_AREA, CGAN_FEATURE_DENSITY,
                                          CGAN_FEATURE_MEAN_AR};
    static const char *const labels[3] = {"mean area um^2", "density 1/um^2", "aspect ratio"};
    cgan_analysis_opts *o = NULL;
    cgan_imageset *real = NULL, *gen = NULL;
    cgan_comparison *cmp = NULL;
    char report[1100];
    double acc_gen = 0, acc_real = 0;
    snprintf(report, sizeof report, "%s/compare", s->out);
    int good = ok(cgan_analysis_opts_create(&o), "analysis options") &&
               ok(cgan_analysis_opts_set(o, CGAN_ANALYSIS_PHASE, CGAN_PHASE_WINDOW), "phase") &&
               ok(cgan_analysis_opts_set(o, CGAN_ANALYSIS_WINDOW_LO, 72), "window lo") &&
               ok(cgan_analysis_opts_set(o, CGAN_ANALYSIS_WINDOW_HI, 150), "window hi") &&
               ok(cgan_analysis_opts_set(o, CGAN_ANALYSIS_OPEN_RADIUS, 1), "opening") &&
               ok(cgan_analysis_opts_set(o, CGAN_ANALYSIS_INCLUDE_HOLES, 1), "holes") &&
               ok(cgan_analysis_opts_set(o, CGAN_ANALYSIS_MIN_SIZE, 20), "min size") &&
               ok(cgan_analysis_opts_set(o, CGAN_ANALYSIS_EDGES, CGAN_EDGES_EXCLUDE), "edges") &&
               ok(cgan_analysis_opts_set(o, CGAN_ANALYSIS_UM_PER_PX, UM_PER_PX), "scale") &&
               ok(cgan_analysis_opts_set(o, CGAN_ANALYSIS_BOOTSTRAP, s->smoke ? 0 : 200), "bootstrap") &&
               ok(cgan_imageset_create(&real), "imageset") && ok(cgan_imageset_create(&gen), "imageset") &&
               ok(cgan_imageset_add_dir(real, real_dir, 0), real_dir) &&
               ok(cgan_imageset_add_dir(gen, gen_dir, 0), gen_dir) &&
               ok(cgan_comparison_run(&cmp, real, gen, o), "cgan_comparison_run") &&
               ok(cgan_comparison_write_report(cmp, report), report);
    if (good) {
        printf("\n%-44s %9s %9s %9s %9s %8s %8s %7s %7s\n", "condition", "area", "area gen",
               "density", "dens gen", "AR", "AR gen", "dArea%", "dDens%");
        for (int i = 0; i < cgan_comparison_n_conditions(cmp); i++) {
            double v[6], dev[2];
            for (int f = 0; f < 3; f++) {
                cgan_comparison_mean(cmp, i, CGAN_SET_REAL, feats[f], &v[2 * f]);
                cgan_comparison_mean(cmp, i, CGAN_SET_GENERATED, feats[f], &v[2 * f + 1]);
            }
            cgan_comparison_deviation(cmp, i, feats[0], &dev[0], NULL, NULL);
            cgan_comparison_deviation(cmp, i, feats[1], &dev[1], NULL, NULL);
            printf("%-44s %9.3f %9.3f %9.4f %9.4f %8.3f %8.3f %7.1f %7.1f\n",
                   cgan_comparison_condition(cmp, i), v[0], v[1], v[2], v[3], v[4], v[5], dev[0], dev[1]);
        }
        printf("(nan: no grain measured in a condition's generated images; MAPD skips it)\n");
        for (int f = 0; f < 3; f++) {
            double mapd, floor;
            good = good && ok(cgan_comparison_mapd(cmp, feats[f], &mapd, &floor), "MAPD");
            if (good) printf("MAPD %-16s %6.1f %%  (real-vs-real floor %.1f %%)\n", labels[f], mapd, floor);
        }
        good = good && ok(cgan_comparison_recognition(cmp, CGAN_SET_GENERATED, &acc_gen, NULL), "recognition") &&
               ok(cgan_comparison_recognition(cmp, CGAN_SET_REAL, &acc_real, NULL), "recognition");
        if (good)
            printf("condition recognition: generated %.1f %%, real leave-one-out %.1f %%, chance %.1f %%\n"
                   "report files in %s\n", 100 * acc_gen, 100 * acc_real,
                   100.0 / cgan_comparison_n_conditions(cmp), report);
    }
    cgan_comparison_destroy(cmp);
    cgan_imageset_destroy(real);
    cgan_imageset_destroy(gen);
    cgan_analysis_opts_destroy(o);
    return good;
}

int main(int argc, char **argv) {
    settings s;
    char train_npz[1100], test_npz[1100], real_dir[1100], gen_dir[1100], ckpt[1100];
    cgan_dataset *train_set = NULL, *test_set = NULL;
    cgan_gan *g = NULL;
    int good;
    printf("%s: libcgan %s\n", ALLOY_NAME, cgan_version_string());
    if (!parse(argc, argv, &s)) return 2;
    setvbuf(stdout, NULL, _IOLBF, 0); /* progress shows up when piped to a file */
    if (s.smoke) printf("smoke run: tiny settings, the numbers below mean nothing\n");
    snprintf(real_dir, sizeof real_dir, "%s/real", s.out);
    snprintf(gen_dir, sizeof gen_dir, "%s/generated", s.out);
    snprintf(ckpt, sizeof ckpt, "%s/checkpoint.npz", s.out);
    good = make_data(&s, "train", s.train_images, 1, 1, train_npz, sizeof train_npz) &&
           make_data(&s, "test", s.test_images, 2, 0, test_npz, sizeof test_npz) &&
           ok(cgan_dataset_load(&train_set, train_npz), train_npz) &&
           ok(cgan_dataset_load(&test_set, test_npz), test_npz) &&
           ok(cgan_dataset_export_png(test_set, real_dir, s.count, 3, NULL), real_dir) &&
           train(&s, train_set, &g) && ok(cgan_gan_save(g, ckpt), ckpt) &&
           generate(&s, g, train_set, gen_dir) && compare(&s, real_dir, gen_dir);
    cgan_gan_destroy(g);
    cgan_dataset_destroy(train_set);
    cgan_dataset_destroy(test_set);
    return good ? 0 : 1;
}
