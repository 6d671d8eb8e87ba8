/* How conv2d and convt2d walk the batch chunk by chunk (conv_common.h).
 *
 * One chunk: run on the calling thread, its kernels split over the pool.
 * Two or more (PARALLEL_MIN_CHUNKS): the chunks themselves are the parallel
 * items, each thread with its own scratch and whole (unsplit) GEMMs.  That
 * takes one pool job per layer call instead of several per chunk (each a
 * wake-up of the workers), and an unsplit GEMM packs its operands once.
 *
 * The weight gradient is a sum over chunks.  In parallel it is summed in a
 * fixed number of groups of consecutive chunks, each into its own partial
 * buffer, and the partials are added in group order: which thread runs a
 * group never changes the bits, and neither does the thread count. */
#include "conv_common.h"

#include "../core/internal.h"

#include <string.h>

#define PARALLEL_MIN_CHUNKS 2 /* fewer: parallel inside each chunk instead */
#define MAX_GROUPS 8           /* from the shape, never the thread count */

typedef struct group_job {
    const conv_chunks *job;
    int64_t n_chunks, per_group;
    size_t scratch_stride, partial_stride; /* floats, whole cache lines */
    float *scratch, *partials;
} group_job;

static void run_groups(void *ctx, int64_t b, int64_t e, int part) {
    const group_job *g = ctx;
    const conv_chunks *j = g->job;
    float *scratch = g->scratch + (size_t)part * g->scratch_stride;
    for (int64_t grp = b; grp < e; grp++) {
        float *dw = j->dw ? g->partials + (size_t)grp * g->partial_stride : NULL;
        int64_t k0 = grp * g->per_group, k1 = k0 + g->per_group;
        if (k1 > g->n_chunks) k1 = g->n_chunks;
        for (int64_t k = k0; k < k1; k++) {
            int64_t n0 = k * j->chunk, c = j->N - n0 < j->chunk ? j->N - n0 : j->chunk;
            int64_t next_c = k + 1 < k1 ? (j->N - n0 - c < j->chunk ? j->N - n0 - c : j->chunk) : 0;
            /* the group's first chunk overwrites its partial, the rest add to it */
            j->fn(j->ctx, n0, c, next_c, scratch, dw, k == k0 ? 0.0f : 1.0f, 0);
        }
    }
}

typedef struct reduce_job {
    const float *partials;
    int64_t n_groups;
    size_t len;
    float *dw;
} reduce_job;

/* dw[i] += the groups' partials summed in group order, a block of
 * elements at a time so that every loop runs along memory */
static void reduce_range(void *ctx, int64_t b, int64_t e, int part) {
    const reduce_job *r = ctx;
    (void)part;
    float s[256];
    for (int64_t i0 = b; i0 < e; i0 += 256) {
        int64_t len = e - i0 < 256 ? e - i0 : 256;
        memcpy(s, r->partials + i0, (size_t)len * sizeof *s);
        for (int64_t g = 1; g < r->n_groups; g++) {
            const float *p = r->partials + (size_t)g * r->len + i0;
            for (int64_t i = 0; i < len; i++) s[i] += p[i];
        }
        for (int64_t i = 0; i < len; i++) r->dw[i0 + i] += s[i];
    }
}

/* The prepare step (e.g. packing a layer's weights, up1's 8 MiB), in as
 * many parts as the pool has threads rather than serially before them. */
typedef struct prepare_job {
    const conv_chunks *job;
    float *shared;
    int64_t parts;
} prepare_job;

static void prepare_range(void *ctx, int64_t b, int64_t e, int part) {
    const prepare_job *p = ctx;
    (void)part;
    for (int64_t i = b; i < e; i++) p->job->prepare(p->job->ctx, p->shared, i, p->parts);
}

/* floats rounded up to whole cache lines, so per-thread slices do not share one */
static size_t line_round(size_t n) { return (n + 15) / 16 * 16; }

int conv_run_chunks(cgan__ws *ws, const conv_chunks *j) {
    int64_t n_chunks = (j->N + j->chunk - 1) / j->chunk;
    if (n_chunks < PARALLEL_MIN_CHUNKS) {
        float *scratch = cgan__ws_get(ws, j->scratch_floats);
        if (scratch == NULL) return CGAN_ENOMEM;
        for (int64_t n0 = 0; n0 < j->N; n0 += j->chunk) {
            int64_t c = j->N - n0 < j->chunk ? j->N - n0 : j->chunk;
            j->fn(j->ctx, n0, c, 0, scratch, j->dw, 1.0f, 1);
        }
        return CGAN_OK;
    }
    int64_t groups = n_chunks < MAX_GROUPS ? n_chunks : MAX_GROUPS;
    int64_t per_group = (n_chunks + groups - 1) / groups;
    groups = (n_chunks + per_group - 1) / per_group;
    size_t stride = line_round(j->scratch_floats), dw_len = j->dw ? line_round(j->dw_floats) : 0;
    size_t parts = (size_t)cgan__parallel_max();
    size_t shared = j->prepare ? line_round(j->shared_floats) : 0;
    float *ws_p = cgan__ws_get(ws, parts * stride + (size_t)groups * dw_len + shared);
    if (ws_p == NULL) return CGAN_ENOMEM;
    group_job g = {j, n_chunks, per_group, stride, dw_len, ws_p, ws_p + parts * stride};
    if (j->prepare) {
        prepare_job pj = {j, ws_p + parts * stride + (size_t)groups * dw_len, (int64_t)parts};
        cgan__parallel_for(pj.parts, 1, prepare_range, &pj);
    }
    cgan__parallel_for(groups, 1, run_groups, &g);
    if (j->dw) {
        reduce_job r = {g.partials, groups, dw_len, j->dw};
        cgan__parallel_for((int64_t)j->dw_floats, 4096, reduce_range, &r);
    }
    return CGAN_OK;
}
