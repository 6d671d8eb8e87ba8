/* cgan train: a prepared data set -> a trained model in RUN_DIR, with a CSV
 * log of every step, periodic checkpoints and sample sheets, a clean stop on
 * Ctrl-C and bit-exact --resume.  The loop is in train_run.c, the run
 * directory's text files in train_files.c. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "train.h"

#define DEFAULT_ITERATIONS 1000
#define MAX_SETS 64

static const char *usage =
    "--data DATA.npz --out RUN_DIR [--config paper|small] [--iters N | --epochs E]\n"
    "       [--batch B] [--contrastive-weight W] [--continuous] [--seed S] [--resume]\n"
    "       [--set NAME=VALUE]... [--checkpoint-every N] [--sample-every N] [--threads T]\n"
    "  Trains the paper's conditional GAN on a data set made by `cgan prepare`.\n"
    "  The model follows the preset (default paper; small = 64 px, widths 32,\n"
    "  batch 64) adapted to the data: image size from the patches, one class per\n"
    "  condition, or with --continuous (data prepared with --continuous) the\n"
    "  scaled condition columns; the contrastive loss follows (2C or continuous).\n"
    "  --set takes any setting of `cgan info` by name (--set lr_d=1e-4,\n"
    "  --set contrastive=0 for the ablation without the contrastive loss).\n"
    "  --iters N iterations (n_critic critic steps + 1 generator step each;\n"
    "  default 1000) or --epochs E passes of the critic over the patches.\n"
    "  RUN_DIR gets config.txt, log.csv (every step), checkpoint.npz (every N\n"
    "  iterations, default total/10 capped at 1000, and at the end) and\n"
    "  samples_NNNNNN.png (one row per condition, the same noise in each row).\n"
    "  Ctrl-C or SIGTERM stops after the current iteration, saves the checkpoint\n"
    "  and exits with status 130 (SIGTERM: 143).  --resume continues RUN_DIR's\n"
    "  checkpoint to the run's total (or a new --iters/--epochs) with exactly the\n"
    "  bits an uninterrupted run would have; the model's settings come from the\n"
    "  checkpoint, the thread count from config.txt unless --threads is given\n"
    "  (the bits depend on it).";

typedef struct train_args {
    const char *data, *out, *preset;
    const char *sets[MAX_SETS];
    int n_sets, continuous, resume, threads;
    long long iters, batch, ckpt_every, sample_every;
    double epochs, cw;
    unsigned long long seed;
    int has_seed, has_cw;
} train_args;

static int number(const char *opt, const char *s, double lo, double *out) {
    char *end;
    *out = strtod(s, &end);
    if (end == s || *end || !(*out >= lo) || !isfinite(*out)) {
        fprintf(stderr, "cgan train: %s needs a number >= %g, not '%s'\n", opt, lo, s);
        return cli_usage("train", "--help for the options", NULL);
    }
    return 0;
}

static int whole(const char *opt, const char *s, long long lo, long long *out) {
    double v;
    int rc = number(opt, s, (double)lo, &v);
    if (rc == 0 && v != floor(v)) {
        fprintf(stderr, "cgan train: %s needs a whole number, not '%s'\n", opt, s);
        return cli_usage("train", "--help for the options", NULL);
    }
    *out = (long long)v;
    return rc;
}

/* Seeds use all 64 bits, which a double cannot hold. */
static int seed(const char *s, unsigned long long *out) {
    char *end;
    *out = strtoull(s, &end, 10);
    if (end == s || *end || s[0] == '-') {
        fprintf(stderr, "cgan train: --seed needs a whole number >= 0, not '%s'\n", s);
        return cli_usage("train", "--help for the options", NULL);
    }
    return 0;
}

static int parse(int argc, char **argv, train_args *a) {
    memset(a, 0, sizeof *a);
    a->iters = a->batch = a->ckpt_every = a->sample_every = -1;
    a->epochs = -1;
    a->preset = "paper";
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        long long x;
        int rc = 0;
        if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
            printf("usage: cgan train %s\n", usage);
            return -1;
        } else if (!strcmp(o, "--continuous")) a->continuous = 1;
        else if (!strcmp(o, "--resume")) a->resume = 1;
        else if (v == NULL) {
            fprintf(stderr, "cgan train: %s is unknown or misses its value\n", o);
            return cli_usage("train", usage, NULL);
        } else if (i++, !strcmp(o, "--data")) a->data = v; /* i++: the rest take the value v */
        else if (!strcmp(o, "--out")) a->out = v;
        else if (!strcmp(o, "--config")) a->preset = v;
        else if (!strcmp(o, "--iters")) rc = whole(o, v, 1, &a->iters);
        else if (!strcmp(o, "--epochs")) rc = number(o, v, 1e-9, &a->epochs);
        else if (!strcmp(o, "--batch")) rc = whole(o, v, 1, &a->batch);
        else if (!strcmp(o, "--contrastive-weight")) rc = number(o, v, 0, &a->cw), a->has_cw = 1;
        else if (!strcmp(o, "--seed")) rc = seed(v, &a->seed), a->has_seed = 1;
        else if (!strcmp(o, "--checkpoint-every")) rc = whole(o, v, 0, &a->ckpt_every);
        else if (!strcmp(o, "--sample-every")) rc = whole(o, v, 0, &a->sample_every);
        else if (!strcmp(o, "--threads")) rc = whole(o, v, 1, &x), a->threads = (int)x;
        else if (!strcmp(o, "--set")) {
            if (a->n_sets == MAX_SETS) return cli_usage("train", usage, "too many --set options");
            a->sets[a->n_sets++] = v;
        } else {
            fprintf(stderr, "cgan train: unknown option %s\n", o);
            return cli_usage("train", usage, NULL);
        }
        if (rc) return rc;
    }
    if (!a->data || !a->out) return cli_usage("train", usage, "--data and --out are required");
    if (a->iters > 0 && a->epochs > 0) return cli_usage("train", usage, "give --iters or --epochs, not both");
    if (strcmp(a->preset, "paper") && strcmp(a->preset, "small"))
        return cli_usage("train", usage, "--config is paper or small");
    if (a->resume && (a->n_sets || a->batch > 0 || a->has_cw || a->continuous || a->has_seed ||
                      strcmp(a->preset, "paper")))
        return cli_usage("train", usage, "--resume takes the model's settings from the checkpoint: "
                                         "--config, --set, --batch, --contrastive-weight, --continuous "
                                         "and --seed cannot change them");
    return 0;
}

static int exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0;
}

/* The configuration: preset, adapted to the data set, then the options. */
static int make_config(const train_args *a, const cgan_dataset *d, cgan_config **out) {
    cgan_config *c = NULL;
    int rc = 0;
    if (cgan_config_create(&c, strcmp(a->preset, "small") ? CGAN_PRESET_PAPER : CGAN_PRESET_SMALL) != CGAN_OK)
        return cli_fail("train", "configuration");
    if (a->continuous && !cgan_dataset_continuous(d)) {
        fprintf(stderr, "cgan train: --continuous needs a data set prepared with `cgan prepare --continuous`; "
                        "%s has discrete classes (train without --continuous, or prepare it again)\n", a->data);
        rc = 1;
    } else if (cgan_config_set(c, CGAN_CONFIG_IMAGE_SIZE, (double)cgan_dataset_size(d)) != CGAN_OK) {
        fprintf(stderr, "cgan train: %s has %lld px patches; the model makes 64, 128 or 256 px "
                        "(cgan prepare --size)\n", a->data, (long long)cgan_dataset_size(d));
        rc = 1;
    } else if (cgan_config_set(c, CGAN_CONFIG_NUM_CLASSES, (double)cgan_dataset_classes(d)) != CGAN_OK ||
               cgan_config_set(c, CGAN_CONFIG_COND_DIM, a->continuous ? cgan_dataset_columns(d) : 0) != CGAN_OK) {
        rc = cli_fail("train", "the data set's conditions do not fit the model");
    }
    if (rc == 0 && a->batch > 0 && cgan_config_set(c, CGAN_CONFIG_BATCH, (double)a->batch) != CGAN_OK) {
        fprintf(stderr, "cgan train: --batch: %s\n", cgan_last_error());
        rc = 2;
    }
    if (rc == 0 && a->has_cw && cgan_config_set(c, CGAN_CONFIG_CONTRASTIVE_WEIGHT, a->cw) != CGAN_OK) {
        fprintf(stderr, "cgan train: --contrastive-weight: %s\n", cgan_last_error());
        rc = 2;
    }
    for (int i = 0; rc == 0 && i < a->n_sets; i++) rc = cli_config_set("train", usage, c, a->sets[i]);
    if (rc == 0 && !a->continuous && cgan_dataset_continuous(d))
        fprintf(stderr, "cgan train: note: %s was prepared with --continuous; training on its %lld "
                        "classes (add --continuous for continuous conditioning)\n",
                a->data, (long long)cgan_dataset_classes(d));
    if (rc != 0) cgan_config_destroy(c);
    else *out = c;
    return rc;
}

static int setup_new(const train_args *a, train_run *r, const char *ckpt) {
    cgan_config *c = NULL;
    if (exists(ckpt)) {
        fprintf(stderr, "cgan train: %s already holds a checkpoint: add --resume to continue it, "
                        "or choose another --out\n", a->out);
        return 1;
    }
    int rc = make_config(a, r->d, &c);
    if (rc != 0) return rc;
    if (cgan_gan_create(&r->g, c, a->has_seed ? a->seed : 1) != CGAN_OK) rc = cli_fail("train", "cannot build the model");
    else if (cgan_gan_adopt_dataset(r->g, r->d) != CGAN_OK) rc = cli_fail("train", "data set");
    cgan_config_destroy(c);
    return rc;
}

/* The checkpoint must have been trained on data like this data set. */
static int check_resume_data(const train_args *a, train_run *r) {
    const cgan_dataset *d = r->d;
    long long s = train_cfg(r->g, CGAN_CONFIG_IMAGE_SIZE), k = train_cfg(r->g, CGAN_CONFIG_COND_DIM);
    long long n = train_cfg(r->g, CGAN_CONFIG_NUM_CLASSES);
    const char *why = NULL;
    char buf[512];
    if (cgan_gan_critic(r->g) == NULL) why = "the checkpoint holds a generator only and cannot train";
    else if (s != cgan_dataset_size(d))
        snprintf(buf, sizeof buf, "the model makes %lld px images, the data set has %lld px patches", s,
                 (long long)cgan_dataset_size(d)), why = buf;
    else if (k > 0 && (!cgan_dataset_continuous(d) || cgan_dataset_columns(d) != k))
        snprintf(buf, sizeof buf, "the model takes %lld continuous conditions, the data set %s", k,
                 cgan_dataset_continuous(d) ? "has another number of columns" : "was prepared without --continuous"),
            why = buf;
    else if (k == 0 && n != cgan_dataset_classes(d))
        snprintf(buf, sizeof buf, "the model has %lld classes, the data set %lld", n,
                 (long long)cgan_dataset_classes(d)), why = buf;
    for (int col = 0; !why && col < k; col++) {
        const char *m = cgan_gan_condition_column(r->g, col), *x = cgan_dataset_column_name(d, col);
        if (m && x && strcmp(m, x))
            snprintf(buf, sizeof buf, "condition column %d is '%s' in the model, '%s' in the data set", col, m, x),
                why = buf;
    }
    for (int64_t c = 0; !why && k == 0 && c < n; c++) {
        const char *m = cgan_gan_class_name(r->g, c), *x = cgan_dataset_class_name(d, c);
        if (m && x && strcmp(m, x))
            snprintf(buf, sizeof buf, "class %lld is '%s' in the model, '%s' in the data set", (long long)c, m, x),
                why = buf;
    }
    if (why == NULL) return 0;
    fprintf(stderr, "cgan train: %s/checkpoint.npz does not fit %s: %s\n", a->out, a->data, why);
    return 1;
}

static int setup_resume(const train_args *a, train_run *r, const char *ckpt) {
    double v;
    if (!exists(ckpt)) {
        fprintf(stderr, "cgan train: --resume: there is no checkpoint %s to continue (start without --resume)\n", ckpt);
        return 1;
    }
    if (cgan_gan_load(&r->g, ckpt) != CGAN_OK) return cli_fail("train", "cannot load the checkpoint");
    if (check_resume_data(a, r) != 0) return 1;
    cgan_gan_get_metric(r->g, CGAN_METRIC_GEN_STEPS, &v);
    r->start = (long long)v;
    return 0;
}

/* The run's length and the periodic intervals; -1 if the run is complete. */
static int plan(const train_args *a, train_run *r) {
    long long batch = train_cfg(r->g, CGAN_CONFIG_BATCH), n_critic = train_cfg(r->g, CGAN_CONFIG_N_CRITIC);
    if (a->epochs > 0) {
        r->total = (long long)ceil(a->epochs * (double)cgan_dataset_count(r->d) / (double)(batch * n_critic));
        if (r->total < 1) r->total = 1;
        fprintf(stderr, "cgan train: %g epochs of %lld patches at batch %lld x %lld critic steps = %lld iterations\n",
                a->epochs, (long long)cgan_dataset_count(r->d), batch, n_critic, r->total);
    } else if (a->iters > 0) r->total = a->iters;
    else if (!a->resume) r->total = DEFAULT_ITERATIONS;
    else if ((r->total = train_read_setting(a->out, "iterations")) < 1) {
        fprintf(stderr, "cgan train: %s/config.txt records no total; give --iters or --epochs\n", a->out);
        return 1;
    }
    if (r->total < r->start) {
        fprintf(stderr, "cgan train: the checkpoint is at iteration %lld, past the requested %lld\n", r->start, r->total);
        return 1;
    }
    if (r->total == r->start) {
        fprintf(stderr, "cgan train: %s is already trained to iteration %lld; give a larger --iters to go on\n",
                a->out, r->start);
        return -1;
    }
    long long dflt = r->total / 10 < 1 ? 1 : r->total / 10 > 1000 ? 1000 : r->total / 10;
    r->ckpt_every = a->ckpt_every >= 0 ? a->ckpt_every : dflt;
    r->sample_every = a->sample_every >= 0 ? a->sample_every : dflt;
    const char *env = getenv("CGAN_TRAIN_INTERRUPT_AT"); /* testing hook, docs/model.md */
    r->interrupt_at = env ? strtoll(env, NULL, 10) : 0;
    return 0;
}

/* Run directory, config.txt and the log, then train. */
static int run(const train_args *a, train_run *r, int argc, char **argv) {
    if (train_mkdir(a->out) != 0) {
        fprintf(stderr, "cgan train: cannot create %s: %s\n", a->out, strerror(errno));
        return 1;
    }
    int n_critic = (int)train_cfg(r->g, CGAN_CONFIG_N_CRITIC);
    int rc = a->resume ? train_append_resume(r, argc, argv) : train_write_config(r, a->data, a->has_seed ? a->seed : 1, argc, argv);
    if (rc == 0) rc = a->resume ? train_log_resume(r, n_critic) : train_log_create(r);
    if (rc != 0) return 1;
    fprintf(stderr, "cgan train: %s iterations %lld to %lld into %s (%lld patches, %lld %s)\n",
            a->resume ? "resuming," : "training,", r->start + 1, r->total, a->out,
            (long long)cgan_dataset_count(r->d),
            train_cfg(r->g, CGAN_CONFIG_COND_DIM) ? (long long)train_cfg(r->g, CGAN_CONFIG_COND_DIM)
                                                  : (long long)cgan_dataset_classes(r->d),
            train_cfg(r->g, CGAN_CONFIG_COND_DIM) ? "condition columns" : "classes");
    rc = train_loop(r);
    if (fclose(r->log) != 0 && rc == 0) rc = 1;
    return rc;
}

int cli_cmd_train(int argc, char **argv) {
    train_args a;
    cgan_dataset *d = NULL;
    train_run r;
    char ckpt[4200];
    int rc = parse(argc, argv, &a);
    if (rc != 0) return rc < 0 ? 0 : rc;
    /* Resumed runs keep the thread count by default: the bits depend on it. */
    long long threads = a.threads > 0 ? a.threads : a.resume ? train_read_setting(a.out, "threads") : 0;
    if (threads > 0) cgan_set_num_threads((int)threads);
    if (cgan_dataset_load(&d, a.data) != CGAN_OK) return cli_fail("train", "cannot load the data set");
    memset(&r, 0, sizeof r);
    r.d = d;
    r.dir = a.out;
    train_path(ckpt, sizeof ckpt, a.out, "checkpoint.npz");
    rc = a.resume ? setup_resume(&a, &r, ckpt) : setup_new(&a, &r, ckpt);
    if (rc == 0) rc = plan(&a, &r);
    if (rc == 0) rc = run(&a, &r, argc, argv);
    if (rc < 0) rc = 0; /* nothing to do */
    cgan_gan_destroy(r.g);
    cgan_dataset_destroy(d);
    return rc;
}
