/* Shared by check_npz_robust.c and the lifecycle suite: a small archive of
 * every member kind, and a digest of everything a reader can get out of it. */
#ifndef CHECK_NPZ_ROBUST_H
#define CHECK_NPZ_ROBUST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgan.h"

static inline const char *npz_robust_path(const char *dir) {
    static char p[512];
    snprintf(p, sizeof p, "%s/orig.npz", dir);
    return p;
}

static inline void npz_robust_write(const char *path, const unsigned char *b, size_t n) {
    FILE *fp = fopen(path, "wb");
    if (fp) {
        if (n) fwrite(b, 1, n, fp);
        fclose(fp);
    }
}

/* Write dir/orig.npz and return its bytes (malloc'd). */
static inline int npz_robust_make(const char *dir, uint32_t flags, unsigned char **bytes, size_t *n) {
    cgan_npz_writer *w;
    float f[200];
    int64_t i8[3] = {1, -2, 3};
    const char *s[2] = {"class A", "class \xc3\xa9"};
    for (int i = 0; i < 200; i++) f[i] = (float)((i * 37) % 101) * 0.01f;
    if (cgan_npz_writer_create(&w, npz_robust_path(dir), flags)) return -1;
    int rc = cgan_npz_add_float(w, "patches", 3, (int64_t[]){2, 10, 10}, f);
    if (!rc) rc = cgan_npz_add_int64(w, "class", 1, (int64_t[]){3}, i8);
    if (!rc) rc = cgan_npz_add_strings(w, "names", s, 2);
    if (!rc) rc = cgan_npz_add_float_scalar(w, "scale", 0.5f);
    if (!rc) rc = cgan_npz_add_bytes(w, "rng", (const uint8_t *)"0123456789", 10);
    if (!rc) rc = cgan_npz_writer_finish(w);
    cgan_npz_writer_destroy(w);
    if (rc) return -1;
    FILE *fp = fopen(npz_robust_path(dir), "rb");
    if (!fp) return -1;
    fseek(fp, 0, SEEK_END);
    *n = (size_t)ftell(fp);
    fseek(fp, 0, SEEK_SET);
    *bytes = malloc(*n);
    size_t got = fread(*bytes, 1, *n, fp);
    fclose(fp);
    return got == *n ? 0 : -1;
}

static inline uint64_t fnv(uint64_t h, const void *p, size_t n) {
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 1099511628211u;
    return h;
}

/* Read every member every way it can be read; fold names and values into
 * a digest.  Returns the first failure status. */
static inline int npz_robust_digest(const char *path, uint64_t *digest) {
    cgan_npz_reader *r;
    uint64_t h = 1469598103934665603u;
    int rc = cgan_npz_reader_open(&r, path);
    if (rc) return rc;
    for (int64_t m = 0; m < cgan_npz_reader_count(r) && rc == CGAN_OK; m++) {
        const char *name = cgan_npz_reader_name(r, m);
        int dtype;
        int64_t numel;
        h = fnv(h, name, strlen(name));
        rc = cgan_npz_member_info(r, name, &dtype, NULL, NULL, &numel, NULL);
        if (rc) break;
        h = fnv(h, &dtype, sizeof dtype);
        if (dtype == CGAN_NPY_UNICODE || dtype == CGAN_NPY_BYTES) {
            char buf[256];
            for (int64_t i = 0; i < numel && rc == CGAN_OK; i++)
                if ((rc = cgan_npz_read_string(r, name, i, buf, sizeof buf, NULL)) == CGAN_OK)
                    h = fnv(h, buf, strlen(buf));
        } else {
            float *f = malloc(sizeof(float) * (size_t)(numel ? numel : 1));
            int64_t *q = malloc(sizeof(int64_t) * (size_t)(numel ? numel : 1));
            rc = cgan_npz_read_float(r, name, f, numel);
            if (rc == CGAN_OK) h = fnv(h, f, sizeof(float) * (size_t)numel);
            if (rc == CGAN_OK && dtype != CGAN_NPY_FLOAT32 && (rc = cgan_npz_read_int64(r, name, q, numel)) == CGAN_OK)
                h = fnv(h, q, sizeof(int64_t) * (size_t)numel);
            free(f);
            free(q);
        }
    }
    cgan_npz_reader_destroy(r);
    *digest = h;
    return rc;
}

static inline void npz_robust_cleanup(const char *dir) {
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", dir);
}

#endif
