/* The training loop of `cgan train`: cgan_gan_train with a step callback
 * that logs every step, draws the progress line, writes periodic
 * checkpoints and sample sheets, and stops cleanly on SIGINT/SIGTERM. */
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "train.h"

/* The handler only records the signal; the step callback sees it and the
 * library stops after the current iteration. */
static volatile sig_atomic_t stop_signal = 0;

static void on_signal(int sig) {
    static const char msg[] = "\ncgan train: stopping after the current iteration, then saving a checkpoint\n";
    if (stop_signal == 0 && write(STDERR_FILENO, msg, sizeof msg - 1) < 0) {
        /* nothing to do: the message is a courtesy */
    }
    stop_signal = sig;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

long long train_cfg(const cgan_gan *g, int key) {
    double v = 0;
    cgan_config_get(cgan_gan_config(g), key, &v);
    return (long long)v;
}

/* ------------------------------------------------------------ sample sheet */
struct train_sheet {
    cgan_tensor *z, *cond, *img;
    const char **labels;
    int64_t rows;
};

static void sheet_free(struct train_sheet *s) {
    if (s == NULL) return;
    cgan_tensor_destroy(s->z);
    cgan_tensor_destroy(s->cond);
    cgan_tensor_destroy(s->img);
    free(s->labels);
    free(s);
}

/* One row per condition of the data set, the same TRAIN_SHEET_COLS noise
 * vectors in every row. */
static struct train_sheet *sheet_make(train_run *r) {
    const int64_t cols = TRAIN_SHEET_COLS, rows = cgan_dataset_classes(r->d), n = rows * cols;
    const int64_t nz = train_cfg(r->g, CGAN_CONFIG_NOISE_DIM), k = train_cfg(r->g, CGAN_CONFIG_COND_DIM);
    const int64_t side = train_cfg(r->g, CGAN_CONFIG_IMAGE_SIZE);
    struct train_sheet *s = calloc(1, sizeof *s);
    cgan_tensor *z1 = NULL;
    int ok = s && (s->labels = calloc((size_t)rows, sizeof *s->labels)) &&
             cgan_tensor_create4(&z1, cols, nz, 0, 0) == CGAN_OK &&
             cgan_gan_noise(r->g, TRAIN_SHEET_SEED, z1) == CGAN_OK &&
             cgan_tensor_create4(&s->z, n, nz, 0, 0) == CGAN_OK &&
             cgan_tensor_create4(&s->cond, n, k, 0, 0) == CGAN_OK &&
             cgan_tensor_create4(&s->img, n, 1, side, side) == CGAN_OK;
    if (!ok) {
        cgan_tensor_destroy(z1);
        sheet_free(s);
        return NULL;
    }
    s->rows = rows;
    float *z = cgan_tensor_data(s->z), *cond = cgan_tensor_data(s->cond);
    const int64_t *label = cgan_dataset_labels(r->d);
    for (int64_t row = 0; row < rows; row++) {
        s->labels[row] = cgan_dataset_class_name(r->d, row);
        memcpy(z + row * cols * nz, cgan_tensor_data_const(z1), (size_t)(cols * nz) * sizeof(float));
        int64_t i = 0; /* continuous: the row's scaled conditions, from one of its patches */
        while (k > 0 && i < cgan_dataset_count(r->d) - 1 && label[i] != row) i++;
        for (int64_t c = 0; c < cols; c++) {
            if (k == 0) cond[row * cols + c] = (float)row;
            else memcpy(cond + (row * cols + c) * k, cgan_dataset_conditions(r->d) + i * k, (size_t)k * sizeof(float));
        }
    }
    cgan_tensor_destroy(z1);
    return s;
}

static void write_sheet(train_run *r, long long it) {
    char name[64], path[4200];
    if (r->sheet == NULL && (r->sheet = sheet_make(r)) == NULL) {
        r->failed = cli_fail("train", "cannot set up the sample sheet");
        return;
    }
    snprintf(name, sizeof name, "samples_%06lld.png", it);
    struct train_sheet *s = r->sheet;
    if (cgan_gan_generate(r->g, s->z, s->cond, 0, s->img) != CGAN_OK ||
        cgan_sheet_write_png(train_path(path, sizeof path, r->dir, name), s->img, s->rows, TRAIN_SHEET_COLS,
                             s->labels) != CGAN_OK)
        r->failed = cli_fail("train", "cannot write the sample sheet");
}

static void save(train_run *r, long long it) {
    char path[4200];
    if (cgan_gan_save(r->g, train_path(path, sizeof path, r->dir, "checkpoint.npz")) != CGAN_OK)
        r->failed = cli_fail("train", "cannot save the checkpoint");
    else r->saved_at = it;
}

/* ---------------------------------------------------------------- progress */
static void format_eta(char *buf, size_t cap, double s) {
    if (!(s >= 0) || s > 1e8) {
        snprintf(buf, cap, "?");
        return;
    }
    long long t = llround(s);
    snprintf(buf, cap, "%lld:%02lld:%02lld", t / 3600, t / 60 % 60, t % 60);
}

/* Terminal: one line redrawn at most 5 times a second; otherwise a plain
 * line every ~5 % of the run (at most every 100 iterations). */
static void progress(train_run *r, long long it, const double *m) {
    double t = now(), dt = t - r->t0;
    long long every = r->total / 20 < 1 ? 1 : r->total / 20 > 100 ? 100 : r->total / 20;
    if (r->tty ? (t - r->last_draw < 0.2 && it != r->total) : (it % every != 0 && it != r->total)) return;
    r->last_draw = t;
    long long done = it - r->start;
    double ips = dt > 0 ? (double)(done * train_cfg(r->g, CGAN_CONFIG_BATCH) * train_cfg(r->g, CGAN_CONFIG_N_CRITIC)) / dt : 0;
    char eta[32];
    format_eta(eta, sizeof eta, done > 0 ? dt / (double)done * (double)(r->total - it) : -1);
    fprintf(stderr, "%siteration %lld/%lld  %.1f img/s  ETA %s  W %.4g  D_wgan %.4g  D_con %.4g  "
                    "G_wgan %.4g  G_con %.4g%s",
            r->tty ? "\r" : "", it, r->total, ips, eta, m[CGAN_METRIC_WASSERSTEIN],
            m[CGAN_METRIC_CRITIC_WGAN], m[CGAN_METRIC_CRITIC_CONTRASTIVE], m[CGAN_METRIC_GEN_WGAN],
            m[CGAN_METRIC_GEN_CONTRASTIVE], r->tty ? "\033[K" : "\n");
    fflush(stderr);
}

/* --------------------------------------------------------------- callback */
static int on_step(cgan_gan *g, int kind, void *user) {
    train_run *r = user;
    double m[CGAN_METRIC_GEN_STEPS + 1];
    for (int i = 0; i <= CGAN_METRIC_GEN_STEPS; i++) cgan_gan_get_metric(g, i, &m[i]);
    long long it = (long long)m[CGAN_METRIC_GEN_STEPS], cs = (long long)m[CGAN_METRIC_CRITIC_STEPS];
    double el = r->elapsed0 + now() - r->t0;
    /* A critic step belongs to the iteration in progress (it + 1). */
    if (kind == CGAN_STEP_CRITIC) {
        fprintf(r->log, "critic,%lld,%lld,%.9g,%.9g,%.9g,,,%.3f\n", it + 1, cs, m[CGAN_METRIC_WASSERSTEIN],
                m[CGAN_METRIC_CRITIC_WGAN], m[CGAN_METRIC_CRITIC_CONTRASTIVE], el);
        return stop_signal != 0 || r->failed;
    }
    fprintf(r->log, "generator,%lld,%lld,,,,%.9g,%.9g,%.3f\n", it, cs, m[CGAN_METRIC_GEN_WGAN],
            m[CGAN_METRIC_GEN_CONTRASTIVE], el);
    fflush(r->log);
    progress(r, it, m);
    /* The iteration is complete here, so the state is consistent. */
    if (!stop_signal && it < r->total) {
        if (r->ckpt_every > 0 && it % r->ckpt_every == 0) save(r, it);
        if (r->sample_every > 0 && it % r->sample_every == 0) write_sheet(r, it);
    }
    if (r->interrupt_at > 0 && it == r->interrupt_at) raise(SIGINT);
    return stop_signal != 0 || r->failed;
}

/* --------------------------------------------------------------- the loop */
int train_loop(train_run *r) {
    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    stop_signal = 0;
    r->tty = isatty(STDERR_FILENO);
    r->t0 = now();
    r->last_draw = 0;
    r->saved_at = r->start;
    int rc = r->total > r->start ? cgan_gan_train(r->g, r->d, r->total - r->start, on_step, r) : CGAN_OK;
    double v;
    cgan_gan_get_metric(r->g, CGAN_METRIC_GEN_STEPS, &v);
    long long it = (long long)v;
    int status = 0;
    if (r->tty) fputc('\n', stderr);
    if (rc != CGAN_OK && rc != CGAN_EINTERRUPTED) {
        /* Mid-iteration state: keep the last checkpoint rather than save it. */
        cli_fail("train", "training failed");
        fprintf(stderr, "cgan train: %s/checkpoint.npz keeps iteration %lld\n", r->dir, r->saved_at);
        status = 1;
    } else {
        /* A stop requested during the last iteration still completes the run. */
        if (rc == CGAN_EINTERRUPTED && it == r->total && !r->failed) rc = CGAN_OK;
        if (it > r->saved_at) save(r, it); /* also after a failed sheet: keep the work */
        if (!r->failed && rc == CGAN_OK) write_sheet(r, it); /* the final sheet */
    }
    if (r->failed) status = 1;
    if (status == 0 && rc == CGAN_EINTERRUPTED) {
        fprintf(stderr, "cgan train: stopped by %s after iteration %lld of %lld; continue with --resume\n",
                stop_signal == SIGTERM ? "SIGTERM" : "SIGINT", it, r->total);
        status = 128 + (stop_signal ? (int)stop_signal : SIGINT);
    }
    if (status != 1) printf("checkpoint %s/checkpoint.npz: iteration %lld of %lld\n", r->dir, it, r->total);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sheet_free(r->sheet);
    r->sheet = NULL;
    return status;
}
