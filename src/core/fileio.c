/* Atomic file output: a crash or error never leaves a half-written file
 * under the final name. */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cgan__atomic_open(cgan__atomic_file *af, const char *path) {
    size_t n;
    int fd;
    memset(af, 0, sizeof *af);
    if (path == NULL || path[0] == '\0') return cgan__error(CGAN_EINVAL, "output path is empty");
    n = strlen(path);
    af->final_path = malloc(n + 1);
    af->tmp_path = malloc(n + 16);
    if (!af->final_path || !af->tmp_path) {
        free(af->final_path);
        free(af->tmp_path);
        memset(af, 0, sizeof *af);
        return cgan__error(CGAN_ENOMEM, "out of memory");
    }
    memcpy(af->final_path, path, n + 1);
    snprintf(af->tmp_path, n + 16, "%s.tmp.XXXXXX", path);
    fd = mkstemp(af->tmp_path);
    if (fd < 0 || (af->fp = fdopen(fd, "wb")) == NULL) {
        int e = errno;
        if (fd >= 0) {
            close(fd);
            unlink(af->tmp_path);
        }
        free(af->final_path);
        free(af->tmp_path);
        memset(af, 0, sizeof *af);
        return cgan__error(CGAN_EIO, "cannot create %s: %s", path, strerror(e));
    }
    return CGAN_OK;
}

void cgan__atomic_abort(cgan__atomic_file *af) {
    if (af->fp) fclose(af->fp);
    if (af->tmp_path) unlink(af->tmp_path);
    free(af->final_path);
    free(af->tmp_path);
    memset(af, 0, sizeof *af);
}

int cgan__atomic_commit(cgan__atomic_file *af) {
    int failed = 0, e = 0;
    if (af->fp == NULL) return cgan__error(CGAN_ESTATE, "atomic file is not open");
    if (fflush(af->fp) != 0 || ferror(af->fp)) failed = 1, e = errno;
    if (!failed && fsync(fileno(af->fp)) != 0 && errno != EINVAL) failed = 1, e = errno;
    if (fclose(af->fp) != 0 && !failed) failed = 1, e = errno;
    af->fp = NULL;
    if (!failed && rename(af->tmp_path, af->final_path) != 0) failed = 1, e = errno;
    if (failed) {
        char path[1024];
        snprintf(path, sizeof path, "%s", af->final_path);
        cgan__atomic_abort(af);
        return cgan__error(CGAN_EIO, "cannot write %s: %s", path, strerror(e));
    }
    free(af->final_path);
    free(af->tmp_path);
    memset(af, 0, sizeof *af);
    return CGAN_OK;
}
