/* The generic layer handle: parameter storage, validation around the
 * per-kind forward/backward, and the public standalone-layer API. */
#include "nn_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void view_init(struct cgan_tensor *t, float *data, int ndim, const int64_t *shape) {
    memset(t, 0, sizeof *t);
    t->ndim = ndim;
    t->numel = 1;
    for (int i = 0; i < ndim; i++) {
        t->shape[i] = shape[i];
        t->numel *= shape[i];
    }
    t->data = data;
    t->capacity = (size_t)t->numel;
}

static int64_t spec_numel(const cgan__pspec *s) {
    int64_t n = 1;
    for (int i = 0; i < s->ndim; i++) n *= s->shape[i];
    return n;
}

static void fill_init_ones(struct cgan_tensor *t, int init) {
    float v = (init == CGAN__INIT_BN_GAMMA || init == CGAN__INIT_ONE) ? 1.0f : 0.0f;
    for (int64_t i = 0; i < t->numel; i++) t->data[i] = v;
}

int cgan__layer_new(cgan_layer **out, const cgan__layer_ops *ops, const cgan__pspec *params,
                    int n_params, const cgan__pspec *buffers, int n_buffers) {
    int64_t np = 0, nb = 0;
    *out = NULL;
    cgan_layer *l = calloc(1, sizeof *l);
    if (l == NULL) return cgan__error(CGAN_ENOMEM, "cannot allocate a %s layer", ops->kind);
    l->ops = ops;
    l->ws = &l->own_ws;
    for (int i = 0; i < n_params; i++) {
        int64_t n = spec_numel(&params[i]);
        if (n < 1 || n > (INT64_MAX / 8) - np) {
            free(l);
            return cgan__error(CGAN_EINVAL, "%s: parameter %s is too large", ops->kind, params[i].name);
        }
        np += n;
    }
    for (int i = 0; i < n_buffers; i++) nb += spec_numel(&buffers[i]);
    if ((uint64_t)np > SIZE_MAX / sizeof(float) / 2) {
        free(l);
        return cgan__error(CGAN_EINVAL, "%s: parameters are too large", ops->kind);
    }
    l->param_block = cgan__calloc((size_t)(np ? np : 1) * sizeof(float));
    l->grad_block = cgan__calloc((size_t)(np ? np : 1) * sizeof(float));
    l->buffer_block = cgan__calloc((size_t)(nb ? nb : 1) * sizeof(float));
    if (cgan_tensor_create4(&l->out, 1, 0, 0, 0) != CGAN_OK || !l->param_block ||
        !l->grad_block || !l->buffer_block) {
        cgan_layer_destroy(l);
        return cgan__error(CGAN_ENOMEM, "cannot allocate a %s layer with %lld parameters",
                           ops->kind, (long long)np);
    }
    int64_t off = 0;
    for (int i = 0; i < n_params; i++) {
        cgan__param *p = &l->params[i];
        p->name = params[i].name;
        p->init = params[i].init;
        p->fan_in = params[i].fan_in;
        view_init(&p->value, l->param_block + off, params[i].ndim, params[i].shape);
        view_init(&p->grad, l->grad_block + off, params[i].ndim, params[i].shape);
        fill_init_ones(&p->value, p->init);
        off += p->value.numel;
    }
    off = 0;
    for (int i = 0; i < n_buffers; i++) {
        cgan__buffer *b = &l->buffers[i];
        b->name = buffers[i].name;
        b->init = buffers[i].init;
        view_init(&b->value, l->buffer_block + off, buffers[i].ndim, buffers[i].shape);
        fill_init_ones(&b->value, b->init);
        off += b->value.numel;
    }
    l->n_params = n_params;
    l->n_buffers = n_buffers;
    *out = l;
    return CGAN_OK;
}

int cgan__cache(cgan_layer *l, int slot, int ndim, const int64_t *shape) {
    if (l->cache[slot] == NULL) {
        int rc = cgan_tensor_create(&l->cache[slot], ndim, shape);
        return rc;
    }
    return cgan__tensor_resize(l->cache[slot], ndim, shape);
}

static void destroy_layer(cgan_layer *l) {
    cgan_tensor_destroy(l->out);
    for (int i = 0; i < CGAN__MAX_CACHE; i++) cgan_tensor_destroy(l->cache[i]);
    for (int i = 0; i < CGAN__MAX_INPUTS; i++) cgan_tensor_destroy(l->din[i]);
    cgan__ws_free(&l->own_ws);
    cgan__free(l->param_block);
    cgan__free(l->grad_block);
    cgan__free(l->buffer_block);
    free(l);
}

void cgan_layer_destroy(cgan_layer *l) {
    if (l == NULL || l->owned) return;
    destroy_layer(l);
}

void cgan__layer_destroy_owned(cgan_layer *l) {
    if (l) destroy_layer(l);
}

const char *cgan_layer_kind(const cgan_layer *l) { return l ? l->ops->kind : ""; }
int cgan_layer_num_inputs(const cgan_layer *l) { return l ? l->ops->n_inputs : 0; }

int cgan__layer_fwd(cgan_layer *l, const cgan_tensor *const *in, int train, int keep) {
    int rc;
    l->fwd_state = 0;
    for (int k = 0; k < l->ops->n_inputs; k++)
        if (in[k] == NULL)
            return cgan__error(CGAN_EINVAL, "%s forward: input %d is NULL", l->ops->kind, k);
    if ((rc = l->ops->forward(l, in, train, keep)) != CGAN_OK) return rc;
    for (int k = 0; k < l->ops->n_inputs; k++) {
        l->in_ndim[k] = in[k]->ndim;
        memcpy(l->in_shape[k], in[k]->shape, sizeof l->in_shape[k]);
    }
    l->fwd_train = train;
    l->fwd_state = keep ? 1 : 0;
    return CGAN_OK;
}

int cgan__layer_bwd(cgan_layer *l, const cgan_tensor *const *in, const cgan_tensor *dout,
                    cgan_tensor *const *din, int want_params) {
    char a[64], b[64];
    if (l->fwd_state != 1)
        return cgan__error(CGAN_ESTATE, "%s backward: no forward pass with gradients kept "
                           "(call forward without CGAN_MODE_NO_GRAD first)", l->ops->kind);
    if (dout == NULL) return cgan__error(CGAN_EINVAL, "%s backward: dout is NULL", l->ops->kind);
    for (int k = 0; k < l->ops->n_inputs; k++) {
        if (in[k] == NULL)
            return cgan__error(CGAN_EINVAL, "%s backward: input %d is NULL", l->ops->kind, k);
        if (in[k]->ndim != l->in_ndim[k] ||
            memcmp(in[k]->shape, l->in_shape[k], sizeof l->in_shape[k]) != 0)
            return cgan__error(CGAN_ESHAPE, "%s backward: input %d has shape %s, the forward "
                               "pass had another", l->ops->kind, k, cgan__shape_str(in[k], a, sizeof a));
    }
    if (dout->ndim != l->out->ndim || memcmp(dout->shape, l->out->shape, sizeof dout->shape) != 0)
        return cgan__error(CGAN_ESHAPE, "%s backward: dout has shape %s, the output is %s",
                           l->ops->kind, cgan__shape_str(dout, a, sizeof a),
                           cgan__shape_str(l->out, b, sizeof b));
    for (int k = 0; k < l->ops->n_inputs; k++) {
        if (din[k] == NULL) continue;
        int rc = cgan__tensor_resize(din[k], in[k]->ndim, in[k]->shape);
        if (rc != CGAN_OK) return rc;
    }
    return l->ops->backward(l, in, dout, din, want_params);
}

/* ----------------------------------------------------------- public layer API */
static int check_standalone(const cgan_layer *l, const char *fn, int n_inputs) {
    if (l == NULL) return cgan__error(CGAN_EINVAL, "%s: layer is NULL", fn);
    if (l->owned)
        return cgan__error(CGAN_ESTATE, "%s: the %s layer belongs to a model; run the model",
                           fn, l->ops->kind);
    if (n_inputs != l->ops->n_inputs)
        return cgan__error(CGAN_EINVAL, "%s: a %s layer takes %d input(s), got %d", fn,
                           l->ops->kind, l->ops->n_inputs, n_inputs);
    return CGAN_OK;
}

int cgan_layer_forward(cgan_layer *l, const cgan_tensor *const *inputs, int n_inputs,
                       uint32_t mode, const cgan_tensor **out) {
    int rc;
    if (out) *out = NULL;
    if ((rc = check_standalone(l, __func__, n_inputs)) != CGAN_OK) return rc;
    CGAN__CHECK_NOT_NULL(inputs, "inputs");
    if ((mode & CGAN_MODE_TRAIN) && (mode & CGAN_MODE_EVAL))
        return cgan__error(CGAN_EINVAL, "%s: mode has both TRAIN and EVAL", __func__);
    int train = !(mode & CGAN_MODE_EVAL);
    if ((rc = cgan__layer_fwd(l, inputs, train, !(mode & CGAN_MODE_NO_GRAD))) != CGAN_OK)
        return rc;
    if (out) *out = l->out;
    return CGAN_OK;
}

int cgan_layer_backward(cgan_layer *l, const cgan_tensor *const *inputs, int n_inputs,
                        const cgan_tensor *dout, uint32_t flags, const cgan_tensor **dinputs) {
    int rc;
    cgan_tensor *din[CGAN__MAX_INPUTS] = {NULL, NULL};
    if (dinputs)
        for (int k = 0; k < n_inputs && k < CGAN__MAX_INPUTS; k++) dinputs[k] = NULL;
    if ((rc = check_standalone(l, __func__, n_inputs)) != CGAN_OK) return rc;
    CGAN__CHECK_NOT_NULL(inputs, "inputs");
    if (flags & ~(CGAN_GRAD_INPUTS | CGAN_GRAD_PARAMS))
        return cgan__error(CGAN_EINVAL, "%s: unknown flags 0x%x", __func__, (unsigned)flags);
    if (flags & CGAN_GRAD_INPUTS) {
        for (int k = 0; k < n_inputs; k++) {
            if (l->ops->nodiff & (1u << k)) continue;
            if (l->din[k] == NULL && (rc = cgan_tensor_create4(&l->din[k], 1, 0, 0, 0)) != CGAN_OK)
                return rc;
            din[k] = l->din[k];
        }
    }
    rc = cgan__layer_bwd(l, inputs, dout, din, (flags & CGAN_GRAD_PARAMS) && l->n_params > 0);
    if (rc != CGAN_OK) return rc;
    if (dinputs)
        for (int k = 0; k < n_inputs; k++) dinputs[k] = din[k];
    return CGAN_OK;
}

int cgan_layer_num_params(const cgan_layer *l) { return l ? l->n_params : 0; }
int cgan_layer_num_buffers(const cgan_layer *l) { return l ? l->n_buffers : 0; }

int cgan_layer_get_param(cgan_layer *l, int index, const char **name, cgan_tensor **value,
                         cgan_tensor **grad) {
    CGAN__CHECK_NOT_NULL(l, "layer");
    if (index < 0 || index >= l->n_params)
        return cgan__error(CGAN_EINVAL, "%s: index %d is outside 0..%d of a %s layer", __func__,
                           index, l->n_params - 1, l->ops->kind);
    if (name) *name = l->params[index].name;
    if (value) *value = &l->params[index].value;
    if (grad) *grad = &l->params[index].grad;
    return CGAN_OK;
}

int cgan_layer_get_buffer(cgan_layer *l, int index, const char **name, cgan_tensor **value) {
    CGAN__CHECK_NOT_NULL(l, "layer");
    if (index < 0 || index >= l->n_buffers)
        return cgan__error(CGAN_EINVAL, "%s: index %d is outside 0..%d of a %s layer", __func__,
                           index, l->n_buffers - 1, l->ops->kind);
    if (name) *name = l->buffers[index].name;
    if (value) *value = &l->buffers[index].value;
    return CGAN_OK;
}

int cgan_layer_zero_grad(cgan_layer *l) {
    CGAN__CHECK_NOT_NULL(l, "layer");
    for (int i = 0; i < l->n_params; i++)
        memset(l->params[i].grad.data, 0, (size_t)l->params[i].grad.numel * sizeof(float));
    return CGAN_OK;
}

int cgan_layer_init(cgan_layer *l, cgan_rng *rng, int scheme) {
    CGAN__CHECK_NOT_NULL(l, "layer");
    CGAN__CHECK_NOT_NULL(rng, "rng");
    if (scheme != CGAN_INIT_GAN && scheme != CGAN_INIT_TORCH)
        return cgan__error(CGAN_EINVAL, "%s: unknown scheme %d", __func__, scheme);
    for (int i = 0; i < l->n_params; i++) {
        cgan__param *p = &l->params[i];
        float bound = p->fan_in > 0 ? (float)(1.0 / sqrt((double)p->fan_in)) : 0.0f;
        switch (p->init) {
        case CGAN__INIT_WEIGHT:
            if (scheme == CGAN_INIT_GAN) cgan_tensor_fill_normal(&p->value, rng, 0.0f, 0.02f);
            else cgan_tensor_fill_uniform(&p->value, rng, -bound, bound);
            break;
        case CGAN__INIT_BIAS:
            if (scheme == CGAN_INIT_GAN) cgan_tensor_fill(&p->value, 0.0f);
            else cgan_tensor_fill_uniform(&p->value, rng, -bound, bound);
            break;
        case CGAN__INIT_BN_GAMMA:
            if (scheme == CGAN_INIT_GAN) cgan_tensor_fill_normal(&p->value, rng, 1.0f, 0.02f);
            else cgan_tensor_fill(&p->value, 1.0f);
            break;
        case CGAN__INIT_EMBED:
            cgan_tensor_fill_normal(&p->value, rng, 0.0f, 1.0f);
            break;
        default:
            fill_init_ones(&p->value, p->init);
        }
    }
    for (int i = 0; i < l->n_buffers; i++) fill_init_ones(&l->buffers[i].value, l->buffers[i].init);
    return CGAN_OK;
}
