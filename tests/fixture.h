/* Reading oracle fixtures in tests: NumPy .npy files (version 1.0/2.0,
 * little-endian float32 '<f4' or float64 '<f8', C order), as written by the
 * scripts in tests/oracles/.  Test-only; the library has its own reader. */
#ifndef CGAN_TEST_FIXTURE_H
#define CGAN_TEST_FIXTURE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fixture_array {
    int ndim;
    int64_t shape[8];
    int64_t numel;
    double *data; /* converted to double whatever the stored type */
} fixture_array;

/* Load tests/data/<name>; returns 0 on success, -1 (with a message on
 * stderr) otherwise. */
static inline int fixture_load(const char *path, fixture_array *out) {
    unsigned char magic[10];
    FILE *fp = fopen(path, "rb");
    memset(out, 0, sizeof *out);
    if (!fp) {
        fprintf(stderr, "fixture: cannot open %s\n", path);
        return -1;
    }
    if (fread(magic, 1, 8, fp) != 8 || memcmp(magic, "\x93NUMPY", 6) != 0) goto bad;
    uint32_t hlen = 0;
    if (magic[6] == 1) {
        unsigned char b[2];
        if (fread(b, 1, 2, fp) != 2) goto bad;
        hlen = b[0] | (uint32_t)b[1] << 8;
    } else {
        unsigned char b[4];
        if (fread(b, 1, 4, fp) != 4) goto bad;
        hlen = b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    }
    char *hdr = calloc(1, hlen + 1);
    if (!hdr || fread(hdr, 1, hlen, fp) != hlen) {
        free(hdr);
        goto bad;
    }
    int is64 = strstr(hdr, "'<f8'") != NULL;
    if ((!is64 && !strstr(hdr, "'<f4'")) || strstr(hdr, "'fortran_order': True")) {
        free(hdr);
        goto bad;
    }
    char *p = strchr(strstr(hdr, "'shape'"), '(') + 1;
    out->numel = 1;
    while (*p && *p != ')') {
        while (*p == ' ' || *p == ',') p++;
        if (*p == ')') break;
        out->shape[out->ndim] = strtoll(p, &p, 10);
        out->numel *= out->shape[out->ndim++];
    }
    free(hdr);
    out->data = malloc(sizeof(double) * (size_t)(out->numel ? out->numel : 1));
    for (int64_t i = 0; i < out->numel; i++) {
        if (is64) {
            double v;
            if (fread(&v, 8, 1, fp) != 1) goto bad;
            out->data[i] = v;
        } else {
            float v;
            if (fread(&v, 4, 1, fp) != 1) goto bad;
            out->data[i] = v;
        }
    }
    fclose(fp);
    return 0;
bad:
    fprintf(stderr, "fixture: %s is not a little-endian float .npy file\n", path);
    fclose(fp);
    free(out->data);
    out->data = NULL;
    return -1;
}

static inline void fixture_free(fixture_array *a) {
    free(a->data);
    a->data = NULL;
}

#endif
