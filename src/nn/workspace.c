/* The scratch workspace shared by a model's layers: one growing block. */
#include "nn_internal.h"

float *cgan__ws_get(cgan__ws *ws, size_t n) {
    if (n <= ws->cap && ws->p != NULL) return ws->p;
    if (n > SIZE_MAX / sizeof(float)) {
        cgan__error(CGAN_ENOMEM, "workspace of %zu floats is too large", n);
        return NULL;
    }
    float *p = cgan__alloc(n * sizeof(float));
    if (p == NULL) {
        cgan__error(CGAN_ENOMEM, "cannot allocate a workspace of %zu floats", n);
        return NULL;
    }
    cgan__free(ws->p);
    ws->p = p;
    ws->cap = n;
    return p;
}

void cgan__ws_free(cgan__ws *ws) {
    cgan__free(ws->p);
    ws->p = NULL;
    ws->cap = 0;
}
