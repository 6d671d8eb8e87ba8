/* cgan_report_write: read a comparison directory (and optionally a run
 * directory and a sample sheet), copy the pictures next to the page, draw
 * the loss curves, and write summary.json and report.html. */
#include "report_internal.h"
#include "cgan/report.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void join(char *buf, size_t n, const char *dir, const char *name) {
    snprintf(buf, n, "%s/%s", dir, name);
}

/* mkdir -p */
static int make_dir(const char *dir) {
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", dir);
    for (char *p = buf + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            if (mkdir(buf, 0777) != 0 && errno != EEXIST) break;
            *p = '/';
        }
    if (mkdir(buf, 0777) != 0 && errno != EEXIST)
        return cgan__error(CGAN_EIO, "cgan_report_write: cannot create %s: %s", dir, strerror(errno));
    return CGAN_OK;
}

static int exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Byte copy of src to dst through a temporary file. */
static int copy_file(const char *src, const char *dst) {
    FILE *in = fopen(src, "rb");
    if (in == NULL)
        return cgan__error(CGAN_EIO, "cgan_report_write: cannot read %s: %s", src, strerror(errno));
    cgan__atomic_file af;
    int rc = cgan__atomic_open(&af, dst);
    if (rc == CGAN_OK) {
        char buf[1 << 15];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, in)) > 0)
            if (fwrite(buf, 1, n, af.fp) != n) break;
        if (ferror(in) || ferror(af.fp)) {
            cgan__atomic_abort(&af);
            rc = cgan__error(CGAN_EIO, "cgan_report_write: copying %s to %s failed", src, dst);
        } else {
            rc = cgan__atomic_commit(&af);
        }
    }
    fclose(in);
    return rc;
}

/* The last samples_NNNNNN.png of a run directory (names sort by step). */
static char *last_sheet(const char *run_dir) {
    DIR *d = opendir(run_dir);
    char best[512] = "";
    if (d == NULL) return NULL;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (strncmp(e->d_name, "samples_", 8) == 0 && n > 12 && strcmp(e->d_name + n - 4, ".png") == 0 &&
            n < sizeof best && strcmp(e->d_name, best) > 0)
            snprintf(best, sizeof best, "%s", e->d_name);
    }
    closedir(d);
    if (best[0] == '\0') return NULL;
    char *path = malloc(strlen(run_dir) + strlen(best) + 2);
    if (path) sprintf(path, "%s/%s", run_dir, best);
    return path;
}

static int load(cgan__table *t, const char *dir, const char *name, const char *const *cols) {
    char path[4096];
    join(path, sizeof path, dir, name);
    int rc = cgan__table_load(t, path), c;
    for (int i = 0; rc == CGAN_OK && cols[i]; i++) rc = cgan__table_need(t, cols[i], &c);
    return rc;
}

static int read_tables(cgan__report_in *in) {
    static const char *const means[] = {"Condition", "Feature", "Real", "Generated", "DeviationPct",
                                        "CI95Lo", "CI95Hi", "FloorPct", "NReal", "NGenerated", NULL};
    static const char *const mapd[] = {"Feature", "MAPD", "FloorMAPD", NULL};
    static const char *const recog[] = {"Set", "Method", "Condition", "Images", "Correct",
                                        "Accuracy", NULL};
    static const char *const conf[] = {"Set", "Condition", NULL};
    static const char *const settings[] = {"Key", "Value", NULL};
    const char *d = in->compare_dir;
    int rc = load(&in->means, d, "means.csv", means);
    if (rc == CGAN_OK) rc = load(&in->mapd, d, "deviations.csv", mapd);
    if (rc == CGAN_OK) rc = load(&in->recog, d, "recognition.csv", recog);
    if (rc == CGAN_OK) rc = load(&in->conf, d, "confusion.csv", conf);
    if (rc == CGAN_OK) rc = load(&in->settings, d, "settings.csv", settings);
    if (rc != CGAN_OK) return rc;
    /* conditions in order of first appearance in means.csv */
    in->conds = calloc((size_t)in->means.nrow + 1, sizeof(char *));
    if (in->conds == NULL) return cgan__error(CGAN_ENOMEM, "cgan_report_write: out of memory");
    int cc = cgan__table_col(&in->means, "Condition");
    for (int64_t i = 0; i < in->means.nrow; i++) {
        const char *c = cgan__table_str(&in->means, i, cc);
        int seen = 0;
        for (int k = 0; k < in->ncond && !seen; k++) seen = !strcmp(in->conds[k], c);
        if (!seen) in->conds[in->ncond++] = (char *)c;
    }
    if (in->ncond == 0)
        return cgan__error(CGAN_EFORMAT, "cgan_report_write: %s/means.csv has no conditions", d);
    for (int k = 0; k < in->ncond; k++)
        if (cgan__table_col(&in->conf, in->conds[k]) < 0)
            return cgan__error(CGAN_EFORMAT, "cgan_report_write: %s/confusion.csv has no column '%s'",
                               d, in->conds[k]);
    return CGAN_OK;
}

static void free_in(cgan__report_in *in) {
    cgan__table_free(&in->means);
    cgan__table_free(&in->mapd);
    cgan__table_free(&in->recog);
    cgan__table_free(&in->conf);
    cgan__table_free(&in->settings);
    free(in->conds);
    cgan__loss_log_free(&in->log);
}

typedef int (*writer_fn)(FILE *fp, const cgan__report_in *in);

static int write_page(const char *out_dir, const char *name, writer_fn fn, const cgan__report_in *in) {
    char path[4096];
    cgan__atomic_file af;
    join(path, sizeof path, out_dir, name);
    int rc = cgan__atomic_open(&af, path);
    if (rc != CGAN_OK) return rc;
    rc = fn(af.fp, in);
    if (rc != CGAN_OK) {
        cgan__atomic_abort(&af);
        return rc;
    }
    return cgan__atomic_commit(&af);
}

/* Pictures, the sample sheet and the loss curves into out_dir. */
static int gather(cgan__report_in *in, const char *out_dir, char **sheet_found) {
    char src[4096], dst[4096];
    int rc = CGAN_OK;
    for (int k = 0; k < CGAN__REPORT_N_PICTURES && rc == CGAN_OK; k++) {
        join(src, sizeof src, in->compare_dir, cgan__report_pictures[k]);
        join(dst, sizeof dst, out_dir, cgan__report_pictures[k]);
        if (exists(src) && (rc = copy_file(src, dst)) == CGAN_OK) in->have_svg[k] = 1;
    }
    const char *sheet = in->sheet_src;
    if (sheet == NULL && in->run_dir) sheet = *sheet_found = last_sheet(in->run_dir);
    if (rc == CGAN_OK && sheet) {
        join(dst, sizeof dst, out_dir, "sample_sheet.png");
        if ((rc = copy_file(sheet, dst)) == CGAN_OK) in->have_sheet = 1, in->sheet_used = sheet;
    }
    if (rc == CGAN_OK && in->run_dir) {
        join(src, sizeof src, in->run_dir, "log.csv");
        join(dst, sizeof dst, out_dir, "losses.svg");
        rc = cgan__loss_log_read(&in->log, src);
        if (rc == CGAN_OK) rc = cgan__loss_log_svg(&in->log, dst);
        in->have_log = rc == CGAN_OK;
    }
    return rc;
}

int cgan_report_write(const char *out_dir, const char *compare_dir, const char *run_dir,
                      const char *sheet) {
    CGAN__CHECK_NOT_NULL(out_dir, "out_dir");
    CGAN__CHECK_NOT_NULL(compare_dir, "compare_dir");
    cgan__report_in in;
    char *sheet_found = NULL;
    memset(&in, 0, sizeof in);
    in.compare_dir = compare_dir;
    in.run_dir = run_dir;
    in.sheet_src = sheet;
    int rc = read_tables(&in);
    if (rc == CGAN_OK) rc = make_dir(out_dir);
    if (rc == CGAN_OK) rc = gather(&in, out_dir, &sheet_found);
    if (rc == CGAN_OK) rc = write_page(out_dir, "summary.json", cgan__report_json, &in);
    if (rc == CGAN_OK) rc = write_page(out_dir, "report.html", cgan__report_html, &in);
    free_in(&in);
    free(sheet_found);
    return rc;
}
