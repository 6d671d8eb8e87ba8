/* Named parameters and buffers of a model, and the loops over all of them:
 * zero_grad, clamp (WGAN clipping), init, clone. */
#include "../kernels/kernels.h"
#include "model_internal.h"

#include <string.h>

int cgan_model_num_params(const cgan_model *m) { return m ? m->n_params : 0; }
int cgan_model_num_buffers(const cgan_model *m) { return m ? m->n_buffers : 0; }

int64_t cgan_model_count_trainable(const cgan_model *m) {
    int64_t n = 0;
    if (m == NULL) return 0;
    for (int i = 0; i < m->n_params; i++)
        n += m->params[i].layer->params[m->params[i].index].value.numel;
    return n;
}

int cgan_model_get_param(cgan_model *m, int index, const char **name, cgan_tensor **value,
                         cgan_tensor **grad) {
    CGAN__CHECK_NOT_NULL(m, "model");
    if (index < 0 || index >= m->n_params)
        return cgan__error(CGAN_EINVAL, "%s: index %d is outside 0..%d", __func__, index,
                           m->n_params - 1);
    cgan__param *p = &m->params[index].layer->params[m->params[index].index];
    if (name) *name = m->params[index].name;
    if (value) *value = &p->value;
    if (grad) *grad = &p->grad;
    return CGAN_OK;
}

int cgan_model_get_buffer(cgan_model *m, int index, const char **name, cgan_tensor **value) {
    CGAN__CHECK_NOT_NULL(m, "model");
    if (index < 0 || index >= m->n_buffers)
        return cgan__error(CGAN_EINVAL, "%s: index %d is outside 0..%d", __func__, index,
                           m->n_buffers - 1);
    if (name) *name = m->buffers[index].name;
    if (value) *value = &m->buffers[index].layer->buffers[m->buffers[index].index].value;
    return CGAN_OK;
}

/* Index of the entry called `name`, with or without the "PREFIX." part. */
static int lookup(const cgan_model *m, const cgan__named *list, int n, const char *name) {
    size_t pl = strlen(m->prefix);
    for (int i = 0; i < n; i++) {
        const char *full = list[i].name;
        if (!strcmp(full, name)) return i;
        if (pl > 0 && !strcmp(full + pl + 1, name)) return i;
    }
    return -1;
}

int cgan_model_find_param(cgan_model *m, const char *name, cgan_tensor **value,
                          cgan_tensor **grad) {
    CGAN__CHECK_NOT_NULL(m, "model");
    CGAN__CHECK_NOT_NULL(name, "name");
    int i = lookup(m, m->params, m->n_params, name);
    if (i < 0) return cgan__error(CGAN_EINVAL, "%s: the model has no parameter '%s'", __func__, name);
    return cgan_model_get_param(m, i, NULL, value, grad);
}

int cgan_model_find_buffer(cgan_model *m, const char *name, cgan_tensor **value) {
    CGAN__CHECK_NOT_NULL(m, "model");
    CGAN__CHECK_NOT_NULL(name, "name");
    int i = lookup(m, m->buffers, m->n_buffers, name);
    if (i < 0) return cgan__error(CGAN_EINVAL, "%s: the model has no buffer '%s'", __func__, name);
    return cgan_model_get_buffer(m, i, NULL, value);
}

int cgan_model_zero_grad(cgan_model *m) {
    CGAN__CHECK_NOT_NULL(m, "model");
    for (int i = 0; i < m->n_nodes; i++) cgan_layer_zero_grad(m->nodes[i].layer);
    return CGAN_OK;
}

int cgan_model_clamp_params(cgan_model *m, float lo, float hi) {
    CGAN__CHECK_NOT_NULL(m, "model");
    if (!(lo <= hi))
        return cgan__error(CGAN_EINVAL, "%s: range [%g, %g] is empty or NaN", __func__,
                           (double)lo, (double)hi);
    for (int i = 0; i < m->n_params; i++) {
        cgan__param *p = &m->params[i].layer->params[m->params[i].index];
        cgan__clamp(p->value.data, p->value.numel, lo, hi);
    }
    return CGAN_OK;
}

int cgan_model_init(cgan_model *m, cgan_rng *rng, int scheme) {
    CGAN__CHECK_NOT_NULL(m, "model");
    CGAN__CHECK_NOT_NULL(rng, "rng");
    for (int i = 0; i < m->n_nodes; i++) {
        int rc = cgan_layer_init(m->nodes[i].layer, rng, scheme);
        if (rc != CGAN_OK) return rc;
    }
    return CGAN_OK;
}

int cgan_model_clone(cgan_model **out, const cgan_model *src) {
    int rc;
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    CGAN__CHECK_NOT_NULL(src, "src");
    cgan_model *m;
    if ((rc = cgan_model_create(&m, src->prefix)) != CGAN_OK) return rc;
    for (int v = 0; v < src->n_values; v++) {
        const cgan__value *val = &src->values[v];
        if (val->is_input) {
            rc = cgan_model_add_input(m, src->inputs[val->index].name, NULL);
        } else {
            const cgan__node *nd = &src->nodes[val->index];
            cgan_layer *l;
            if ((rc = cgan__layer_clone(&l, nd->layer)) == CGAN_OK &&
                (rc = cgan_model_add_node(m, nd->name, l, nd->in, nd->n_in, NULL)) != CGAN_OK)
                cgan_layer_destroy(l);
        }
        if (rc != CGAN_OK) goto fail;
    }
    for (int k = 0; k < src->n_outputs; k++)
        if ((rc = cgan_model_add_output(m, src->outputs[k], NULL)) != CGAN_OK) goto fail;
    m->train = src->train;
    *out = m;
    return CGAN_OK;
fail:
    cgan_model_destroy(m);
    return rc;
}
