/* Reverse traversal of the model graph (see model.c for the gradient
 * buffers).  Only values on a path to something that wants a gradient
 * (a parameter with CGAN_GRAD_PARAMS, a model input with CGAN_GRAD_INPUTS)
 * get one, so e.g. a critic's first conv skips dX in the critic step. */
#include "../kernels/kernels.h"
#include "model_internal.h"

#include <string.h>

static void mark_needs(cgan_model *m, uint32_t flags) {
    for (int v = 0; v < m->n_values; v++) {
        cgan__value *val = &m->values[v];
        val->touched = 0;
        if (val->is_input) {
            val->need = (flags & CGAN_GRAD_INPUTS) != 0;
            continue;
        }
        const cgan__node *nd = &m->nodes[val->index];
        int need = (flags & CGAN_GRAD_PARAMS) && nd->layer->n_params > 0;
        for (int k = 0; k < nd->n_in && !need; k++)
            if (!(nd->layer->ops->nodiff & (1u << k)) && m->values[nd->in[k]].need) need = 1;
        val->need = need;
    }
}

static int seed_outputs(cgan_model *m, const cgan_tensor *const *douts) {
    char a[64], b[64];
    for (int k = 0; k < m->n_outputs; k++) {
        const cgan_tensor *d = douts ? douts[k] : NULL;
        if (d == NULL) continue;
        const cgan_tensor *o = cgan__model_value(m, m->outputs[k]);
        if (d->ndim != o->ndim || memcmp(d->shape, o->shape, sizeof d->shape) != 0)
            return cgan__error(CGAN_ESHAPE, "cgan_model_backward: gradient %d has shape %s, "
                               "output %d is %s", k, cgan__shape_str(d, a, sizeof a), k,
                               cgan__shape_str(o, b, sizeof b));
    }
    for (int k = 0; k < m->n_outputs; k++) {
        const cgan_tensor *d = douts ? douts[k] : NULL;
        cgan__value *val = &m->values[m->outputs[k]];
        if (d == NULL || !val->need) continue;
        if (val->touched) {
            cgan__add_inplace(val->grad->data, d->data, d->numel);
        } else {
            int rc = cgan__tensor_resize(val->grad, d->ndim, d->shape);
            if (rc != CGAN_OK) return rc;
            memcpy(val->grad->data, d->data, (size_t)d->numel * sizeof(float));
            val->touched = 1;
        }
    }
    return CGAN_OK;
}

static int backward_node(cgan_model *m, cgan__node *nd, int want_params) {
    const cgan_tensor *in[CGAN__MAX_INPUTS];
    cgan_tensor *din[CGAN__MAX_INPUTS] = {NULL, NULL};
    int direct[CGAN__MAX_INPUTS] = {0, 0};
    for (int k = 0; k < nd->n_in; k++) {
        cgan__value *src = &m->values[nd->in[k]];
        in[k] = cgan__model_value(m, nd->in[k]);
        if ((nd->layer->ops->nodiff & (1u << k)) || !src->need) continue;
        int taken = src->touched;
        for (int j = 0; j < k; j++) taken |= direct[j] && nd->in[j] == nd->in[k];
        direct[k] = !taken;
        din[k] = taken ? m->scratch[k] : src->grad;
    }
    double t0 = m->profiling ? cgan__now() : 0.0;
    int wp = want_params && nd->layer->n_params > 0;
    int rc = cgan__layer_bwd(nd->layer, in, m->values[nd->value].grad, din, wp);
    if (rc != CGAN_OK) return cgan__model_node_error(m, nd, "cgan_model_backward", rc);
    if (m->profiling)
        cgan__profile_add(nd->layer, 1, cgan__now() - t0, din[0] != NULL || din[1] != NULL, wp);
    for (int k = 0; k < nd->n_in; k++) {
        if (din[k] == NULL) continue;
        cgan__value *src = &m->values[nd->in[k]];
        if (direct[k]) src->touched = 1;
        else cgan__add_inplace(src->grad->data, din[k]->data, din[k]->numel);
    }
    return CGAN_OK;
}

int cgan_model_backward(cgan_model *m, const cgan_tensor *const *douts, int n_outputs,
                        uint32_t flags) {
    int rc;
    CGAN__CHECK_NOT_NULL(m, "model");
    if (flags & ~(CGAN_GRAD_INPUTS | CGAN_GRAD_PARAMS))
        return cgan__error(CGAN_EINVAL, "%s: unknown flags 0x%x", __func__, (unsigned)flags);
    if (douts != NULL && n_outputs != m->n_outputs)
        return cgan__error(CGAN_EINVAL, "%s: the model has %d output(s), got %d gradients",
                           __func__, m->n_outputs, n_outputs);
    if (m->fwd_state != 2)
        return cgan__error(CGAN_ESTATE, "%s: no forward pass with gradients kept (forward "
                           "first, without CGAN_MODE_NO_GRAD)", __func__);
    m->have_input_grads = 0;
    mark_needs(m, flags);
    if ((rc = seed_outputs(m, douts)) != CGAN_OK) return rc;
    for (int i = m->n_nodes - 1; i >= 0; i--) {
        cgan__node *nd = &m->nodes[i];
        const cgan__value *val = &m->values[nd->value];
        if (!val->touched || !val->need) continue; /* zero gradient: nothing to add */
        if ((rc = backward_node(m, nd, (flags & CGAN_GRAD_PARAMS) != 0)) != CGAN_OK) return rc;
    }
    if (flags & CGAN_GRAD_INPUTS) {
        for (int k = 0; k < m->n_inputs; k++) {
            cgan__value *val = &m->values[m->inputs[k].value];
            if (val->touched) continue;
            const cgan_tensor *x = m->inputs[k].data;
            if ((rc = cgan__tensor_resize(val->grad, x->ndim, x->shape)) != CGAN_OK) return rc;
            memset(val->grad->data, 0, (size_t)x->numel * sizeof(float));
        }
        m->have_input_grads = 1;
    }
    return CGAN_OK;
}
