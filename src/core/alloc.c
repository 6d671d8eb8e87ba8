/* Aligned allocation: every large float array starts on a 64-byte line. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

void *cgan__alloc(size_t bytes) {
    void *p = NULL;
    if (bytes == 0) bytes = 64;
    bytes = (bytes + 63) & ~(size_t)63;
    if (posix_memalign(&p, 64, bytes) != 0) return NULL;
    return p;
}

void *cgan__calloc(size_t bytes) {
    void *p = cgan__alloc(bytes);
    if (p) memset(p, 0, bytes ? bytes : 64);
    return p;
}

void cgan__free(void *p) { free(p); }
