/* Per-node profiling of a model (cgan_model_set_profiling): wall-clock
 * seconds and GEMM-like FLOPs per pass, accumulated in the layers. */
#include "model_internal.h"

#include <string.h>
#include <time.h>

double cgan__now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

double cgan__layer_fwd_flop(const cgan_layer *l) {
    const char *kind = l->ops->kind;
    const int64_t *x = l->in_shape[0];
    double n = (double)x[0];
    if (!strcmp(kind, "linear")) return 2.0 * n * (double)l->iarg[0] * (double)l->iarg[1];
    if (!strcmp(kind, "conv2d") || !strcmp(kind, "conv2d_lrelu") || !strcmp(kind, "convt2d")) {
        double kk = (double)(l->iarg[2] * l->iarg[2]), ci = (double)l->iarg[0];
        double co = (double)l->iarg[1];
        if (kind[4] == 't') /* every input pixel meets the whole kernel */
            return 2.0 * n * ci * (double)(x[2] * x[3]) * co * kk;
        return 2.0 * n * co * (double)(l->out->shape[2] * l->out->shape[3]) * ci * kk;
    }
    if (!strcmp(kind, "self_attention")) {
        double c = (double)l->iarg[0], p = (double)(x[2] * x[3]), c2 = c + c / 4.0;
        return 2.0 * n * (c2 * c * p + p * p * c / 8.0 + c * p * p);
    }
    return 0.0;
}

void cgan__profile_add(cgan_layer *l, int pass, double seconds, int want_dx, int want_params) {
    double f = cgan__layer_fwd_flop(l);
    if (pass == 1) {
        /* dX and dW each cost one forward; attention also recomputes its scores */
        double passes = (double)(want_dx + want_params);
        if (!strcmp(l->ops->kind, "self_attention")) {
            double c = (double)l->iarg[0], p = (double)(l->in_shape[0][2] * l->in_shape[0][3]);
            double extra = 2.0 * (double)l->in_shape[0][0] * p * p * c / 8.0;
            const float *gamma = l->param_block + (int64_t)(c + c / 4) * (int64_t)c + (int64_t)(c + c / 4);
            /* gamma == 0 skips everything but the gamma gradient (see self_attention.c) */
            f = *gamma == 0.0f ? 0.0 : passes * f + extra;
        } else {
            f *= passes;
        }
    }
    l->prof_s[pass] += seconds;
    l->prof_flop[pass] += f;
    l->prof_calls[pass]++;
}

int cgan_model_set_profiling(cgan_model *m, int on) {
    CGAN__CHECK_NOT_NULL(m, "model");
    m->profiling = on != 0;
    return CGAN_OK;
}

int cgan_model_profile_reset(cgan_model *m) {
    CGAN__CHECK_NOT_NULL(m, "model");
    for (int i = 0; i < m->n_nodes; i++) {
        cgan_layer *l = m->nodes[i].layer;
        memset(l->prof_s, 0, sizeof l->prof_s);
        memset(l->prof_flop, 0, sizeof l->prof_flop);
        memset(l->prof_calls, 0, sizeof l->prof_calls);
    }
    return CGAN_OK;
}

int cgan_model_num_nodes(const cgan_model *m) { return m ? m->n_nodes : 0; }

int cgan_model_node_profile(const cgan_model *m, int index, int pass, const char **name,
                            const char **kind, double *seconds, double *flop, int64_t *calls) {
    CGAN__CHECK_NOT_NULL(m, "model");
    if (index < 0 || index >= m->n_nodes)
        return cgan__error(CGAN_EINVAL, "%s: node %d is outside 0..%d", __func__, index,
                           m->n_nodes - 1);
    if (pass != 0 && pass != 1)
        return cgan__error(CGAN_EINVAL, "%s: pass %d is not 0 (forward) or 1 (backward)",
                           __func__, pass);
    const cgan_layer *l = m->nodes[index].layer;
    if (name) *name = m->nodes[index].name;
    if (kind) *kind = l->ops->kind;
    if (seconds) *seconds = l->prof_s[pass];
    if (flop) *flop = l->prof_flop[pass];
    if (calls) *calls = l->prof_calls[pass];
    return CGAN_OK;
}
