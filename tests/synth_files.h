/* File helpers shared by the synth test suites. */
#ifndef CGAN_TEST_SYNTH_FILES_H
#define CGAN_TEST_SYNTH_FILES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The whole file, NUL-terminated (free it); NULL if it cannot be read. */
static inline char *synth_read_file(const char *path, size_t *n) {
    FILE *fp = fopen(path, "rb");
    char *buf;
    long len;
    *n = 0;
    if (!fp) return NULL;
    fseek(fp, 0, SEEK_END);
    len = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    buf = malloc((size_t)len + 1);
    *n = fread(buf, 1, (size_t)len, fp);
    buf[*n] = '\0';
    fclose(fp);
    return buf;
}

/* 1 if both files exist and hold the same bytes. */
static inline int synth_same_file(const char *a, const char *b) {
    size_t na = 0, nb = 0;
    char *x = synth_read_file(a, &na), *y = synth_read_file(b, &nb);
    int same = x && y && na == nb && memcmp(x, y, na) == 0;
    free(x);
    free(y);
    return same;
}

#endif
