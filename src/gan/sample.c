/* Sampling images from the generator for given noise and conditions. */
#include "gan_internal.h"

#include <stdlib.h>
#include <string.h>

/* Eval-mode generation in chunks, so memory stays bounded for any N. */
#define GENERATE_CHUNK 64

int cgan_gan_noise(const cgan_gan *g, uint64_t seed, cgan_tensor *z) {
    cgan_rng *r;
    int rc;
    CGAN__CHECK_NOT_NULL(g, "gan");
    CGAN__CHECK_NOT_NULL(z, "z");
    int64_t nz = cgan__cfg_int(&g->cfg, CGAN_CONFIG_NOISE_DIM);
    if (z->ndim != 2 || z->shape[1] != nz) {
        char buf[64];
        return cgan__error(CGAN_ESHAPE, "cgan_gan_noise: z is %s, expected [N, %lld]",
                           cgan__shape_str(z, buf, sizeof buf), (long long)nz);
    }
    if ((rc = cgan_rng_create(&r, seed)) != CGAN_OK) return rc;
    rc = cgan_tensor_fill_normal(z, r, 0.0f, 1.0f);
    cgan_rng_destroy(r);
    return rc;
}

/* Total size of the model's buffers, and copies of them in and out. */
static size_t buffers_floats(cgan_model *m) {
    size_t n = 0;
    for (int i = 0; i < cgan_model_num_buffers(m); i++) {
        cgan_tensor *t;
        if (cgan_model_get_buffer(m, i, NULL, &t) == CGAN_OK) n += (size_t)cgan_tensor_numel(t);
    }
    return n;
}

static void copy_buffers(cgan_model *m, float *store, int save) {
    for (int i = 0; i < cgan_model_num_buffers(m); i++) {
        cgan_tensor *t;
        if (cgan_model_get_buffer(m, i, NULL, &t) != CGAN_OK) continue;
        size_t n = (size_t)cgan_tensor_numel(t);
        if (save) memcpy(store, cgan_tensor_data(t), n * sizeof(float));
        else memcpy(cgan_tensor_data(t), store, n * sizeof(float));
        store += n;
    }
}

/* Rows [from, from + n) of a tensor as a view-like copy target. */
static int slice_rows(cgan_tensor *dst, const cgan_tensor *src, int64_t from, int64_t n) {
    int64_t shape[CGAN_TENSOR_MAX_DIMS];
    memcpy(shape, src->shape, sizeof shape);
    shape[0] = n;
    int rc = cgan__tensor_resize(dst, src->ndim, shape);
    if (rc != CGAN_OK) return rc;
    int64_t row = src->numel / src->shape[0];
    memcpy(dst->data, src->data + from * row, (size_t)(n * row) * sizeof(float));
    return CGAN_OK;
}

static int run_chunk(cgan_gan *g, const cgan_tensor *z, const cgan_tensor *cond, uint32_t mode,
                     cgan_tensor *out, int64_t from) {
    const cgan_tensor *img;
    int rc = cgan_model_forward(g->gen, (const cgan_tensor *[]){z, cond}, 2, mode);
    if (rc == CGAN_OK) rc = cgan_model_get_output(g->gen, 0, &img);
    if (rc == CGAN_OK)
        memcpy(out->data + from * (img->numel / img->shape[0]), img->data, (size_t)img->numel * sizeof(float));
    return rc;
}

int cgan_gan_generate(cgan_gan *g, const cgan_tensor *z, const cgan_tensor *cond, uint32_t flags,
                      cgan_tensor *out) {
    int64_t s, n, nz;
    int rc;
    CGAN__CHECK_NOT_NULL(g, "gan");
    CGAN__CHECK_NOT_NULL(z, "z");
    CGAN__CHECK_NOT_NULL(out, "out");
    s = cgan__cfg_int(&g->cfg, CGAN_CONFIG_IMAGE_SIZE);
    nz = cgan__cfg_int(&g->cfg, CGAN_CONFIG_NOISE_DIM);
    n = z->shape[0];
    if (z->ndim != 2 || z->shape[1] != nz) {
        char buf[64];
        return cgan__error(CGAN_ESHAPE, "cgan_gan_generate: z is %s, expected [N, %lld]",
                           cgan__shape_str(z, buf, sizeof buf), (long long)nz);
    }
    if ((rc = cgan__check_condition(g, "cgan_gan_generate", "cond", cond, n)) != CGAN_OK) return rc;
    if (out->ndim != 4 || out->shape[0] != n || out->shape[1] != 1 || out->shape[2] != s || out->shape[3] != s) {
        char buf[64];
        return cgan__error(CGAN_ESHAPE, "cgan_gan_generate: out is %s, expected [%lld, 1, %lld, %lld]",
                           cgan__shape_str(out, buf, sizeof buf), (long long)n, (long long)s, (long long)s);
    }
    if (flags & ~CGAN_GENERATE_BATCH_STATS)
        return cgan__error(CGAN_EINVAL, "cgan_gan_generate: unknown flags 0x%x", flags);

    if (flags & CGAN_GENERATE_BATCH_STATS) {
        /* Train-mode batch norm over the whole batch, then the running
         * statistics are put back: sampling never changes the model. */
        if (n < 2) return cgan__error(CGAN_EINVAL, "cgan_gan_generate: batch statistics need N >= 2");
        size_t nb = buffers_floats(g->gen);
        float *saved = malloc((nb ? nb : 1) * sizeof(float));
        if (saved == NULL) return cgan__error(CGAN_ENOMEM, "cgan_gan_generate: out of memory");
        copy_buffers(g->gen, saved, 1);
        rc = run_chunk(g, z, cond, CGAN_MODE_TRAIN | CGAN_MODE_NO_GRAD, out, 0);
        copy_buffers(g->gen, saved, 0);
        free(saved);
        return rc;
    }
    cgan_tensor *zc = NULL, *cc = NULL;
    rc = cgan_tensor_create4(&zc, 1, 1, 0, 0);
    if (rc == CGAN_OK) rc = cgan_tensor_create4(&cc, 1, 1, 0, 0);
    for (int64_t from = 0; rc == CGAN_OK && from < n; from += GENERATE_CHUNK) {
        int64_t m = n - from < GENERATE_CHUNK ? n - from : GENERATE_CHUNK;
        if ((rc = slice_rows(zc, z, from, m)) == CGAN_OK && (rc = slice_rows(cc, cond, from, m)) == CGAN_OK)
            rc = run_chunk(g, zc, cc, CGAN_MODE_EVAL | CGAN_MODE_NO_GRAD, out, from);
    }
    cgan_tensor_destroy(zc);
    cgan_tensor_destroy(cc);
    return rc;
}
