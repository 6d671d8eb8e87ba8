/* Private declarations of the report module (src/report/): CSV tables read
 * back from a comparison directory, the training log, and the writers of
 * report.html and summary.json. */
#ifndef CGAN_REPORT_INTERNAL_H
#define CGAN_REPORT_INTERNAL_H

#include "../core/internal.h"

#include <stdio.h>

/* ---- table.c: a whole CSV file with a header row */
typedef struct cgan__table {
    char *path;
    int ncol;
    char **head;
    int64_t nrow;
    char ***cell;   /* cell[row][col]; rows shorter than the header read as "" */
    int *len;       /* fields in each row */
    int64_t *line;  /* file line of each row (for messages) */
} cgan__table;

/* Read path (comment lines starting with '#' and blank lines skipped).
 * Errors: CGAN_EIO (naming the file), CGAN_EFORMAT (file and line). */
int cgan__table_load(cgan__table *t, const char *path);
void cgan__table_free(cgan__table *t);
/* Column index of an exact header name, -1 when absent. */
int cgan__table_col(const cgan__table *t, const char *name);
/* The same, failing with CGAN_EFORMAT naming the file and the column. */
int cgan__table_need(const cgan__table *t, const char *name, int *col);
const char *cgan__table_str(const cgan__table *t, int64_t row, int col);
/* A cell as a number: NaN when empty or not a number ("nan", "inf" read). */
double cgan__table_num(const cgan__table *t, int64_t row, int col);

/* ---- losses.c: a training log binned per iteration */
typedef struct cgan__loss_log {
    int ns;           /* series (loss columns) */
    char **names;     /* header names, wasserstein first */
    int64_t np;       /* points after binning */
    double *x, *y;    /* x[np], y[ns * np] (NaN where a bin has no value) */
    double *last;     /* [ns] value at the last iteration that has one */
    int64_t n_iter;   /* distinct iterations */
    double last_x;    /* the last iteration */
    char xname[64];   /* header of the x column, or "row" */
} cgan__loss_log;
int cgan__loss_log_read(cgan__loss_log *L, const char *path);
void cgan__loss_log_free(cgan__loss_log *L);
/* Draw the log as small multiples, one panel per series. */
int cgan__loss_log_svg(const cgan__loss_log *L, const char *svg_path);

/* ---- report inputs, as read by report.c */
typedef struct cgan__report_in {
    const char *compare_dir, *run_dir, *sheet_src; /* as given (run/sheet may be NULL) */
    cgan__table means, mapd, recog, conf, settings;
    int ncond;
    char **conds;     /* borrowed from means, order of first appearance */
    int have_log;     /* losses.svg written, log read */
    cgan__loss_log log;
    int have_sheet;   /* sample_sheet.png copied */
    const char *sheet_used;  /* the sheet file copied, or NULL */
    int have_svg[8];  /* copied pictures, cgan__report_pictures order */
} cgan__report_in;

#define CGAN__REPORT_N_PICTURES 7
/* The comparison plots the page shows, in page order. */
extern const char *const cgan__report_pictures[CGAN__REPORT_N_PICTURES];

/* summary_json.c / html.c: write into an open file. */
int cgan__report_json(FILE *fp, const cgan__report_in *in);
int cgan__report_html(FILE *fp, const cgan__report_in *in);

/* Text helpers: JSON string and number (null for NaN/inf); HTML-escaped text. */
void cgan__json_str(FILE *fp, const char *s);
void cgan__json_num(FILE *fp, double v);
void cgan__html_text(FILE *fp, const char *s);

#endif
