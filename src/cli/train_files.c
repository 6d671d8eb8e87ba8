/* The run directory of `cgan train`: config.txt (what was run) and log.csv
 * (every step).  Checkpoints and sheets are written by the library. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "train.h"

static const char *log_header =
    "step,iteration,critic_step,wasserstein,critic_wgan,critic_contrastive,gen_wgan,gen_contrastive,"
    "elapsed_s\n";

int train_mkdir(const char *path) {
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) return errno = ENAMETOOLONG, -1;
    for (char *p = strchr(buf + 1, '/'); p; p = strchr(p + 1, '/')) {
        *p = '\0';
        int bad = mkdir(buf, 0777) != 0 && errno != EEXIST;
        *p = '/';
        if (bad) return -1;
    }
    return mkdir(buf, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

const char *train_path(char *buf, size_t cap, const char *dir, const char *name) {
    snprintf(buf, cap, "%s/%s", dir, name);
    return buf;
}

/* Write the temporary file, then rename: a reader never sees half a file. */
static FILE *open_tmp(char *tmp, size_t cap, const char *path) {
    snprintf(tmp, cap, "%s.tmp", path);
    return fopen(tmp, "w");
}

static int commit_tmp(FILE *f, const char *tmp, const char *path) {
    int bad = ferror(f) | (fclose(f) != 0);
    if (bad || rename(tmp, path) != 0) {
        fprintf(stderr, "cgan train: cannot write %s: %s\n", path, strerror(errno));
        remove(tmp);
        return -1;
    }
    return 0;
}

/* The command line, arguments with spaces or quotes single-quoted. */
static void print_command(FILE *f, int argc, char **argv) {
    fprintf(f, "command = cgan");
    for (int i = 0; i < argc; i++) {
        if (argv[i][strcspn(argv[i], " \t'\"$\\")] == '\0' && argv[i][0]) {
            fprintf(f, " %s", argv[i]);
            continue;
        }
        fputs(" '", f);
        for (const char *p = argv[i]; *p; p++)
            if (*p == '\'') fputs("'\\''", f);
            else fputc(*p, f);
        fputc('\'', f);
    }
    fputc('\n', f);
}

int train_write_config(const train_run *r, const char *data_path, unsigned long long seed,
                       int argc, char **argv) {
    char path[4200], tmp[4300];
    const char *name;
    int key;
    double v;
    FILE *f = open_tmp(tmp, sizeof tmp, train_path(path, sizeof path, r->dir, "config.txt"));
    if (f == NULL) {
        fprintf(stderr, "cgan train: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    fprintf(f, "# cgan train run (libcgan %s); `cgan info checkpoint.npz` shows its state\n",
            cgan_version_string());
    print_command(f, argc, argv);
    fprintf(f, "data = %s\n", data_path);
    fprintf(f, "data_patches = %lld\ndata_size = %lld\ndata_mode = %s\ndata_classes = %lld\n",
            (long long)cgan_dataset_count(r->d), (long long)cgan_dataset_size(r->d),
            cgan_dataset_continuous(r->d) ? "continuous" : "discrete", (long long)cgan_dataset_classes(r->d));
    for (int64_t c = 0; c < cgan_dataset_classes(r->d); c++)
        fprintf(f, "class.%lld = %s\n", (long long)c, cgan_dataset_class_name(r->d, c));
    fprintf(f, "seed = %llu\niterations = %lld\n", seed, r->total);
    fprintf(f, "checkpoint_every = %lld\nsample_every = %lld\nsample_noise_seed = %llu\nthreads = %d\n",
            r->ckpt_every, r->sample_every, TRAIN_SHEET_SEED, cgan_get_num_threads());
    for (int i = 0; cgan_config_key_at(i, &key, &name) == CGAN_OK; i++) {
        cgan_config_get(cgan_gan_config(r->g), key, &v);
        fprintf(f, "config.%s = %.17g\n", name, v);
    }
    return commit_tmp(f, tmp, path);
}

int train_append_resume(const train_run *r, int argc, char **argv) {
    char path[4200];
    FILE *f = fopen(train_path(path, sizeof path, r->dir, "config.txt"), "a");
    if (f == NULL) {
        fprintf(stderr, "cgan train: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    fprintf(f, "# resumed at iteration %lld\n", r->start);
    print_command(f, argc, argv);
    fprintf(f, "iterations = %lld\nthreads = %d\n", r->total, cgan_get_num_threads());
    return fclose(f) == 0 ? 0 : -1;
}

long long train_read_setting(const char *dir, const char *key) {
    char path[4200], line[4096];
    long long value = -1;
    size_t n = strlen(key);
    FILE *f = fopen(train_path(path, sizeof path, dir, "config.txt"), "r");
    if (f == NULL) return -1;
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, key, n) && !strncmp(line + n, " = ", 3)) value = strtoll(line + n + 3, NULL, 10);
    fclose(f);
    return value;
}

static int open_append(train_run *r, const char *path) {
    r->log = fopen(path, "a");
    if (r->log == NULL) fprintf(stderr, "cgan train: cannot open %s: %s\n", path, strerror(errno));
    return r->log ? 0 : -1;
}

int train_log_create(train_run *r) {
    char path[4200], tmp[4300];
    FILE *f = open_tmp(tmp, sizeof tmp, train_path(path, sizeof path, r->dir, "log.csv"));
    if (f == NULL) {
        fprintf(stderr, "cgan train: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    fputs(log_header, f);
    r->elapsed0 = 0;
    return commit_tmp(f, tmp, path) == 0 ? open_append(r, path) : -1;
}

/* A complete row's iteration (second field) and elapsed time (last field);
 * 0 for the header, a partial line (no newline) or anything unreadable. */
static int parse_row(const char *line, long long *iter, double *elapsed) {
    const char *comma = strchr(line, ',');
    char *end;
    size_t n = strlen(line);
    if (comma == NULL || n == 0 || line[n - 1] != '\n') return 0;
    *iter = strtoll(comma + 1, &end, 10);
    if (end == comma + 1 || *end != ',') return 0;
    const char *last = strrchr(line, ',');
    *elapsed = strtod(last + 1, &end);
    return *end == '\n';
}

int train_log_resume(train_run *r, int n_critic) {
    char path[4200], tmp[4300], line[1024];
    long long kept = 0, dropped = 0, iter;
    double elapsed;
    train_path(path, sizeof path, r->dir, "log.csv");
    FILE *in = fopen(path, "r");
    if (in == NULL) {
        fprintf(stderr, "cgan train: warning: %s is missing; starting a new log\n", path);
        return train_log_create(r);
    }
    FILE *out = open_tmp(tmp, sizeof tmp, path);
    if (out == NULL) {
        fprintf(stderr, "cgan train: cannot write %s: %s\n", tmp, strerror(errno));
        fclose(in);
        return -1;
    }
    fputs(log_header, out);
    r->elapsed0 = 0;
    while (fgets(line, sizeof line, in)) {
        if (!parse_row(line, &iter, &elapsed)) continue; /* header, or a row cut off by a crash */
        if (iter > r->start) {
            dropped++;
            continue;
        }
        fputs(line, out);
        kept++;
        r->elapsed0 = elapsed;
    }
    fclose(in);
    if (commit_tmp(out, tmp, path) != 0) return -1;
    if (dropped) fprintf(stderr, "cgan train: log.csv: dropped %lld rows written after the checkpoint\n", dropped);
    if (kept != r->start * (n_critic + 1))
        fprintf(stderr, "cgan train: warning: log.csv has %lld rows for the checkpoint's %lld iterations "
                        "(expected %lld); continuing it anyway\n", kept, r->start, r->start * (n_critic + 1));
    return open_append(r, path);
}
