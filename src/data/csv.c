/* One CSV record: comma-separated, fields optionally in double quotes with
 * "" for a quote, surrounding spaces of unquoted fields trimmed, CRLF or LF
 * line ends. */
#include "../core/internal.h"
#include "data_internal.h"

#include <stdlib.h>
#include <string.h>

static char *dup_range(const char *a, size_t n) {
    char *s = malloc(n + 1);
    if (s) {
        memcpy(s, a, n);
        s[n] = '\0';
    }
    return s;
}

void cgan__csv_free(char **fields, int n) {
    for (int i = 0; i < n; i++) free(fields[i]);
    free(fields);
}

int cgan__csv_skip_comment(const char **pp) {
    const char *s = *pp;
    while (*s == ' ' || *s == '\t') s++;
    if (*s != '#' && *s != '\n' && *s != '\r') return 0;
    while (*s && *s != '\n') s++;
    *pp = *s ? s + 1 : s;
    return 1;
}

int cgan__csv_record(const char **pp, char ***fields, int *n, const char **why) {
    const char *p = *pp;
    char **f = NULL;
    int count = 0, cap = 0;
    *fields = NULL;
    *n = 0;
    for (;;) {
        char *val;
        while (*p == ' ' || *p == '\t') p++;
        if (*p == '"') {
            size_t len = 0;
            const char *q = ++p;
            /* measure, then copy with "" -> " */
            while (*q && !(*q == '"' && q[1] != '"') && *q != '\n') q += (*q == '"') ? 2 : 1, len++;
            if (*q != '"') {
                cgan__csv_free(f, count);
                *why = "unterminated quoted field";
                return -1;
            }
            val = malloc(len + 1);
            for (size_t k = 0; val && k < len; k++) {
                val[k] = *p;
                p += (*p == '"') ? 2 : 1;
            }
            if (val) val[len] = '\0';
            p = q + 1;
            while (*p == ' ' || *p == '\t') p++;
            if (*p && *p != ',' && *p != '\n' && *p != '\r') {
                free(val);
                cgan__csv_free(f, count);
                *why = "text after a closing quote";
                return -1;
            }
        } else {
            const char *a = p;
            while (*p && *p != ',' && *p != '\n' && *p != '\r') p++;
            const char *b = p;
            while (b > a && (b[-1] == ' ' || b[-1] == '\t')) b--;
            val = dup_range(a, (size_t)(b - a));
        }
        if (count == cap) {
            cap = cap ? 2 * cap : 8;
            char **g = realloc(f, (size_t)cap * sizeof *g);
            if (!g) {
                free(val);
                cgan__csv_free(f, count);
                *why = "out of memory";
                return -1;
            }
            f = g;
        }
        if (!val) {
            cgan__csv_free(f, count);
            *why = "out of memory";
            return -1;
        }
        f[count++] = val;
        if (*p == ',') {
            p++;
            continue;
        }
        break;
    }
    if (*p == '\r') p++;
    if (*p == '\n') p++;
    *pp = p;
    *fields = f;
    *n = count;
    return 0;
}
