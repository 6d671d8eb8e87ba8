/* CSV tables read back whole: the comparison's report files and the
 * training log.  Fields are parsed by the data module's CSV reader. */
#include "report_internal.h"
#include "../data/data_internal.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static char *slurp(const char *path) {
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) return NULL;
    size_t cap = 1 << 16, n = 0, got;
    char *buf = malloc(cap + 1);
    while (buf && (got = fread(buf + n, 1, cap - n, fp)) > 0) {
        n += got;
        if (n == cap) {
            char *b = realloc(buf, 2 * cap + 1);
            if (b == NULL) free(buf);
            buf = b;
            cap *= 2;
        }
    }
    int bad = ferror(fp);
    fclose(fp);
    if (buf == NULL || bad) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

void cgan__table_free(cgan__table *t) {
    if (t == NULL) return;
    if (t->head) cgan__csv_free(t->head, t->ncol);
    for (int64_t i = 0; i < t->nrow; i++) cgan__csv_free(t->cell[i], t->len[i]);
    free(t->cell);
    free(t->len);
    free(t->line);
    free(t->path);
    memset(t, 0, sizeof *t);
}

static int grow(cgan__table *t, int64_t *cap) {
    if (t->nrow < *cap) return CGAN_OK;
    *cap = *cap ? 2 * *cap : 64;
    char ***c = realloc(t->cell, sizeof *c * (size_t)*cap);
    if (c) t->cell = c;
    int *l = realloc(t->len, sizeof *l * (size_t)*cap);
    if (l) t->len = l;
    int64_t *ln = realloc(t->line, sizeof *ln * (size_t)*cap);
    if (ln) t->line = ln;
    return c && l && ln ? CGAN_OK : CGAN_ENOMEM;
}

int cgan__table_load(cgan__table *t, const char *path) {
    memset(t, 0, sizeof *t);
    char *text = slurp(path);
    if (text == NULL)
        return cgan__error(CGAN_EIO, "cannot read %s: %s", path, errno ? strerror(errno) : "error");
    t->path = strdup(path);
    int rc = t->path ? CGAN_OK : CGAN_ENOMEM;
    const char *p = text;
    int64_t line = 0, cap = 0;
    while (*p && rc == CGAN_OK) {
        const char *why = "";
        char **f;
        int n;
        line++;
        if (cgan__csv_skip_comment(&p)) continue;
        if (cgan__csv_record(&p, &f, &n, &why) != 0) {
            rc = cgan__error(CGAN_EFORMAT, "%s line %lld: %s", path, (long long)line, why);
            break;
        }
        if (t->head == NULL) {
            t->head = f, t->ncol = n;
        } else if ((rc = grow(t, &cap)) == CGAN_OK) {
            t->cell[t->nrow] = f, t->len[t->nrow] = n, t->line[t->nrow] = line;
            t->nrow++;
        } else {
            cgan__csv_free(f, n);
        }
    }
    free(text);
    if (rc == CGAN_ENOMEM) rc = cgan__error(rc, "reading %s: out of memory", path);
    if (rc == CGAN_OK && t->head == NULL)
        rc = cgan__error(CGAN_EFORMAT, "%s: no header row", path);
    if (rc != CGAN_OK) cgan__table_free(t);
    return rc;
}

int cgan__table_col(const cgan__table *t, const char *name) {
    for (int j = 0; j < t->ncol; j++)
        if (strcmp(t->head[j], name) == 0) return j;
    return -1;
}

int cgan__table_need(const cgan__table *t, const char *name, int *col) {
    *col = cgan__table_col(t, name);
    if (*col < 0) return cgan__error(CGAN_EFORMAT, "%s: no column '%s'", t->path, name);
    return CGAN_OK;
}

const char *cgan__table_str(const cgan__table *t, int64_t row, int col) {
    if (row < 0 || row >= t->nrow || col < 0 || col >= t->len[row]) return "";
    return t->cell[row][col];
}

double cgan__table_num(const cgan__table *t, int64_t row, int col) {
    const char *s = cgan__table_str(t, row, col);
    char *end;
    if (*s == '\0') return NAN;
    double v = strtod(s, &end);
    return *end == '\0' ? v : NAN;
}
