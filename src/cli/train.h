/* Pieces of `cgan train` (cmd_train.c): the run directory's files
 * (train_files.c) and the training loop with progress, periodic
 * checkpoints, sample sheets and signal handling (train_run.c). */
#ifndef CGAN_CLI_TRAIN_H
#define CGAN_CLI_TRAIN_H

#include <stdio.h>

#include "cgan.h"

/* Noise seed of the sample sheets: fixed, so sheets of different
 * iterations and runs show the same z for every condition. */
#define TRAIN_SHEET_SEED 20240607ULL
#define TRAIN_SHEET_COLS 8

/* One training session (a fresh run or one resumed part of it). */
typedef struct train_run {
    cgan_gan *g;
    const cgan_dataset *d;
    const char *dir;        /* RUN_DIR */
    long long total;        /* iterations the whole run trains */
    long long start;        /* iterations done before this session */
    long long ckpt_every;   /* 0 = only at the end */
    long long sample_every; /* 0 = only the final sheet */
    long long interrupt_at; /* testing hook: raise SIGINT after this iteration (0 = off) */
    FILE *log;              /* RUN_DIR/log.csv, positioned for appending */
    double elapsed0;        /* training seconds before this session (from the log) */
    struct train_sheet *sheet; /* noise and conditions of the sample sheets */
    /* filled while running */
    double t0;              /* monotonic clock at the session's start */
    double last_draw;       /* last progress update (terminal) */
    long long saved_at;     /* iteration of the newest checkpoint on disk */
    int tty;                /* stderr is a terminal */
    int failed;             /* a checkpoint or sheet could not be written */
} train_run;

/* ---------------------------------------------------------- train_files.c */
/* mkdir -p; 0 or -1 with errno set. */
int train_mkdir(const char *path);
/* "DIR/NAME" into buf. */
const char *train_path(char *buf, size_t cap, const char *dir, const char *name);
/* Write RUN_DIR/config.txt (command line, data set, settings) atomically. */
int train_write_config(const train_run *r, const char *data_path, unsigned long long seed,
                       int argc, char **argv);
/* Append a "resumed" section (command line, new total) to config.txt. */
int train_append_resume(const train_run *r, int argc, char **argv);
/* A whole-number setting recorded in config.txt (its last "KEY = " line,
 * e.g. "iterations", "threads"); -1 if there is none. */
long long train_read_setting(const char *dir, const char *key);
/* Open log.csv for a fresh run: a new file with the header. */
int train_log_create(train_run *r);
/* Open log.csv to continue after iteration r->start: rows of later
 * iterations (written after the checkpoint by an interrupted run) are
 * dropped by rewriting the file atomically; r->elapsed0 becomes the last
 * kept row's elapsed time. */
int train_log_resume(train_run *r, int n_critic);

/* ------------------------------------------------------------ train_run.c */
/* A configuration setting of g as an integer. */
long long train_cfg(const cgan_gan *g, int key);
/* Train from r->start to r->total with SIGINT/SIGTERM handling.  Returns
 * the process exit status: 0 done, 128 + signal after a clean stop with a
 * checkpoint, 1 on failure. */
int train_loop(train_run *r);

#endif
