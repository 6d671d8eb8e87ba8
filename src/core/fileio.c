/* Atomic file output: a crash or error never leaves a half-written file
 * under the final name. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Create "path.tmp.XXXXXX" exclusively with mode 0666 filtered by the
 * umask (mkstemp would force 0600, and the renamed file keeps its mode). */
static int open_temp(char *tmp, size_t cap, const char *path) {
    static atomic_uint counter;
    for (int attempt = 0; attempt < 100; attempt++) {
        unsigned long r = (unsigned long)getpid() * 2654435761u ^ (unsigned long)time(NULL) ^
                          (unsigned long)atomic_fetch_add(&counter, 1) * 40503u;
        snprintf(tmp, cap, "%s.tmp.%06lx", path, r & 0xffffffUL);
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST) return fd;
    }
    return -1;
}

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
    fd = open_temp(af->tmp_path, n + 16, path);
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
