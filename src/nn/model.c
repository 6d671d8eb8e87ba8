/* The model: a DAG of layers over numbered values (model inputs and node
 * outputs), traversed forward in insertion order and backward in reverse.
 * Gradients: each value has one model-owned gradient tensor; the first
 * contribution is written into it directly, later ones (a value used by
 * several nodes, e.g. the critic trunk feeding two heads) go through a
 * scratch tensor and are added. */
#include "model_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static int grow(void **arr, int *cap, int need, size_t elem) {
    if (need <= *cap) return CGAN_OK;
    int nc = *cap ? *cap * 2 : 8;
    while (nc < need) nc *= 2;
    void *p = realloc(*arr, (size_t)nc * elem);
    if (p == NULL) return cgan__error(CGAN_ENOMEM, "model: out of memory");
    memset((char *)p + (size_t)*cap * elem, 0, (size_t)(nc - *cap) * elem);
    *arr = p;
    *cap = nc;
    return CGAN_OK;
}

int cgan_model_create(cgan_model **out, const char *prefix) {
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    cgan_model *m = calloc(1, sizeof *m);
    if (m == NULL) return cgan__error(CGAN_ENOMEM, "%s: out of memory", __func__);
    m->prefix = strdup(prefix ? prefix : "");
    m->train = 1;
    if (m->prefix == NULL || cgan_tensor_create4(&m->scratch[0], 1, 0, 0, 0) != CGAN_OK ||
        cgan_tensor_create4(&m->scratch[1], 1, 0, 0, 0) != CGAN_OK) {
        cgan_model_destroy(m);
        return cgan__error(CGAN_ENOMEM, "%s: out of memory", __func__);
    }
    *out = m;
    return CGAN_OK;
}

void cgan_model_destroy(cgan_model *m) {
    if (m == NULL) return;
    for (int i = 0; i < m->n_nodes; i++) cgan__layer_destroy_owned(m->nodes[i].layer);
    for (int i = 0; i < m->n_inputs; i++) cgan_tensor_destroy(m->inputs[i].data);
    for (int i = 0; i < m->n_values; i++) cgan_tensor_destroy(m->values[i].grad);
    for (int i = 0; i < m->n_params; i++) free(m->params[i].name);
    for (int i = 0; i < m->n_buffers; i++) free(m->buffers[i].name);
    cgan_tensor_destroy(m->scratch[0]);
    cgan_tensor_destroy(m->scratch[1]);
    cgan__ws_free(&m->ws);
    free(m->nodes);
    free(m->inputs);
    free(m->values);
    free(m->outputs);
    free(m->params);
    free(m->buffers);
    free(m->prefix);
    free(m);
}

static int new_value(cgan_model *m, int is_input, int index, int *id) {
    int rc = grow((void **)&m->values, &m->cap_values, m->n_values + 1, sizeof *m->values);
    if (rc != CGAN_OK) return rc;
    cgan__value *v = &m->values[m->n_values];
    memset(v, 0, sizeof *v);
    if ((rc = cgan_tensor_create4(&v->grad, 1, 0, 0, 0)) != CGAN_OK) return rc;
    v->is_input = is_input;
    v->index = index;
    *id = m->n_values++;
    return CGAN_OK;
}

int cgan_model_add_input(cgan_model *m, const char *name, int *id) {
    int rc, vid;
    CGAN__CHECK_NOT_NULL(m, "model");
    if ((rc = grow((void **)&m->inputs, &m->cap_inputs, m->n_inputs + 1, sizeof *m->inputs)))
        return rc;
    cgan__input *in = &m->inputs[m->n_inputs];
    memset(in, 0, sizeof *in);
    snprintf(in->name, sizeof in->name, "%s", name ? name : "input");
    if ((rc = cgan_tensor_create4(&in->data, 1, 0, 0, 0)) != CGAN_OK) return rc;
    if ((rc = new_value(m, 1, m->n_inputs, &vid)) != CGAN_OK) {
        cgan_tensor_destroy(in->data);
        in->data = NULL;
        return rc;
    }
    in->value = vid;
    m->n_inputs++;
    m->fwd_state = 0;
    if (id) *id = vid;
    return CGAN_OK;
}

static int valid_name(const char *s) {
    size_t n = strlen(s);
    if (n == 0 || n > 63) return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '_') return 0;
    return 1;
}

static char *full_name(const cgan_model *m, const char *node, const char *leaf) {
    size_t n = strlen(m->prefix) + strlen(node) + strlen(leaf) + 3;
    char *s = malloc(n);
    if (s == NULL) return NULL;
    if (m->prefix[0]) snprintf(s, n, "%s.%s.%s", m->prefix, node, leaf);
    else snprintf(s, n, "%s.%s", node, leaf);
    return s;
}

/* Register the layer's parameters and buffers under "PREFIX.NODE.NAME". */
static int index_layer(cgan_model *m, cgan_layer *l, const char *node) {
    int rc;
    if ((rc = grow((void **)&m->params, &m->cap_params, m->n_params + l->n_params, sizeof *m->params)) ||
        (rc = grow((void **)&m->buffers, &m->cap_buffers, m->n_buffers + l->n_buffers,
                   sizeof *m->buffers)))
        return rc;
    int np = m->n_params, nb = m->n_buffers;
    for (int i = 0; i < l->n_params; i++) {
        m->params[np + i].name = full_name(m, node, l->params[i].name);
        m->params[np + i].layer = l;
        m->params[np + i].index = i;
        if (m->params[np + i].name == NULL) goto oom;
    }
    for (int i = 0; i < l->n_buffers; i++) {
        m->buffers[nb + i].name = full_name(m, node, l->buffers[i].name);
        m->buffers[nb + i].layer = l;
        m->buffers[nb + i].index = i;
        if (m->buffers[nb + i].name == NULL) goto oom;
    }
    m->n_params += l->n_params;
    m->n_buffers += l->n_buffers;
    return CGAN_OK;
oom:
    for (int i = 0; i < l->n_params; i++) free(m->params[np + i].name);
    for (int i = 0; i < l->n_buffers; i++) free(m->buffers[nb + i].name);
    return cgan__error(CGAN_ENOMEM, "model: out of memory");
}

int cgan_model_add_node(cgan_model *m, const char *name, cgan_layer *layer, const int *inputs,
                        int n_inputs, int *id) {
    int rc, vid;
    CGAN__CHECK_NOT_NULL(m, "model");
    CGAN__CHECK_NOT_NULL(name, "name");
    CGAN__CHECK_NOT_NULL(layer, "layer");
    if (!valid_name(name))
        return cgan__error(CGAN_EINVAL, "%s: node name \"%s\" is not 1..63 characters of "
                           "[A-Za-z0-9_]", __func__, name);
    if (layer->owned)
        return cgan__error(CGAN_EINVAL, "%s: layer for node '%s' already belongs to a model",
                           __func__, name);
    for (int i = 0; i < m->n_nodes; i++)
        if (!strcmp(m->nodes[i].name, name))
            return cgan__error(CGAN_EINVAL, "%s: node name '%s' is used twice", __func__, name);
    if (n_inputs != layer->ops->n_inputs)
        return cgan__error(CGAN_EINVAL, "%s: node '%s' (%s) takes %d input(s), got %d", __func__,
                           name, layer->ops->kind, layer->ops->n_inputs, n_inputs);
    CGAN__CHECK_NOT_NULL(inputs, "inputs");
    for (int k = 0; k < n_inputs; k++)
        if (inputs[k] < 0 || inputs[k] >= m->n_values)
            return cgan__error(CGAN_EINVAL, "%s: node '%s' input %d is value %d; only 0..%d exist",
                               __func__, name, k, inputs[k], m->n_values - 1);
    if ((rc = grow((void **)&m->nodes, &m->cap_nodes, m->n_nodes + 1, sizeof *m->nodes)))
        return rc;
    if ((rc = index_layer(m, layer, name)) != CGAN_OK) return rc;
    if ((rc = new_value(m, 0, m->n_nodes, &vid)) != CGAN_OK) {
        for (int i = 0; i < layer->n_params; i++) free(m->params[--m->n_params].name);
        for (int i = 0; i < layer->n_buffers; i++) free(m->buffers[--m->n_buffers].name);
        return rc;
    }
    cgan__node *nd = &m->nodes[m->n_nodes++];
    memset(nd, 0, sizeof *nd);
    snprintf(nd->name, sizeof nd->name, "%s", name);
    nd->layer = layer;
    nd->n_in = n_inputs;
    for (int k = 0; k < n_inputs; k++) nd->in[k] = inputs[k];
    nd->value = vid;
    layer->owned = 1;
    cgan__ws_free(&layer->own_ws);
    layer->ws = &m->ws;
    layer->fwd_state = 0;
    m->fwd_state = 0;
    if (id) *id = vid;
    return CGAN_OK;
}

int cgan_model_add_output(cgan_model *m, int id, int *index) {
    CGAN__CHECK_NOT_NULL(m, "model");
    if (id < 0 || id >= m->n_values)
        return cgan__error(CGAN_EINVAL, "%s: value %d does not exist (0..%d)", __func__, id,
                           m->n_values - 1);
    int rc = grow((void **)&m->outputs, &m->cap_outputs, m->n_outputs + 1, sizeof *m->outputs);
    if (rc != CGAN_OK) return rc;
    m->outputs[m->n_outputs] = id;
    if (index) *index = m->n_outputs;
    m->n_outputs++;
    return CGAN_OK;
}

int cgan_model_num_inputs(const cgan_model *m) { return m ? m->n_inputs : 0; }
int cgan_model_num_outputs(const cgan_model *m) { return m ? m->n_outputs : 0; }

int cgan_model_get_layer(cgan_model *m, const char *name, cgan_layer **layer) {
    CGAN__CHECK_NOT_NULL(m, "model");
    CGAN__CHECK_NOT_NULL(name, "name");
    CGAN__CHECK_NOT_NULL(layer, "layer");
    *layer = NULL;
    for (int i = 0; i < m->n_nodes; i++)
        if (!strcmp(m->nodes[i].name, name)) {
            *layer = m->nodes[i].layer;
            return CGAN_OK;
        }
    return cgan__error(CGAN_EINVAL, "%s: no node named '%s'", __func__, name);
}

int cgan_model_set_train(cgan_model *m, int train) {
    CGAN__CHECK_NOT_NULL(m, "model");
    m->train = train ? 1 : 0;
    return CGAN_OK;
}

int cgan_model_is_train(const cgan_model *m) { return m ? m->train : 0; }

const cgan_tensor *cgan__model_value(const cgan_model *m, int v) {
    const cgan__value *val = &m->values[v];
    return val->is_input ? m->inputs[val->index].data : m->nodes[val->index].layer->out;
}

/* Re-raise a layer's error with the node it happened in. */
int cgan__model_node_error(const cgan_model *m, const cgan__node *nd, const char *fn, int rc) {
    char msg[400];
    snprintf(msg, sizeof msg, "%s", cgan_last_error());
    return cgan__error(rc, "%s: node '%s': %s", fn, nd->name, msg);
}

int cgan_model_forward(cgan_model *m, const cgan_tensor *const *inputs, int n_inputs,
                       uint32_t mode) {
    int rc;
    CGAN__CHECK_NOT_NULL(m, "model");
    if (n_inputs != m->n_inputs)
        return cgan__error(CGAN_EINVAL, "%s: the model has %d input(s), got %d", __func__,
                           m->n_inputs, n_inputs);
    if (n_inputs > 0) CGAN__CHECK_NOT_NULL(inputs, "inputs");
    if (mode & ~(CGAN_MODE_TRAIN | CGAN_MODE_EVAL | CGAN_MODE_NO_GRAD))
        return cgan__error(CGAN_EINVAL, "%s: unknown mode bits 0x%x", __func__, (unsigned)mode);
    if ((mode & CGAN_MODE_TRAIN) && (mode & CGAN_MODE_EVAL))
        return cgan__error(CGAN_EINVAL, "%s: mode has both TRAIN and EVAL", __func__);
    if (m->n_outputs == 0)
        return cgan__error(CGAN_ESTATE, "%s: the model has no outputs (cgan_model_add_output)",
                           __func__);
    int train = (mode & CGAN_MODE_TRAIN) ? 1 : (mode & CGAN_MODE_EVAL) ? 0 : m->train;
    int keep = !(mode & CGAN_MODE_NO_GRAD);
    m->fwd_state = 0;
    m->have_input_grads = 0;
    for (int k = 0; k < n_inputs; k++) {
        if (inputs[k] == NULL)
            return cgan__error(CGAN_EINVAL, "%s: input %d ('%s') is NULL", __func__, k,
                               m->inputs[k].name);
        cgan_tensor *dst = m->inputs[k].data;
        if ((rc = cgan__tensor_resize(dst, inputs[k]->ndim, inputs[k]->shape)) != CGAN_OK) return rc;
        memcpy(dst->data, inputs[k]->data, (size_t)inputs[k]->numel * sizeof(float));
    }
    int64_t batch = n_inputs > 0 ? inputs[0]->shape[0] : 0;
    for (int k = 1; k < n_inputs; k++)
        if (inputs[k]->shape[0] != batch)
            return cgan__error(CGAN_ESHAPE, "%s: input %d ('%s') has batch %lld, input 0 has %lld",
                               __func__, k, m->inputs[k].name, (long long)inputs[k]->shape[0],
                               (long long)batch);
    for (int i = 0; i < m->n_nodes; i++) {
        cgan__node *nd = &m->nodes[i];
        const cgan_tensor *in[CGAN__MAX_INPUTS];
        for (int k = 0; k < nd->n_in; k++) in[k] = cgan__model_value(m, nd->in[k]);
        double t0 = m->profiling ? cgan__now() : 0.0;
        if ((rc = cgan__layer_fwd(nd->layer, in, train, keep)) != CGAN_OK)
            return cgan__model_node_error(m, nd, __func__, rc);
        if (m->profiling) cgan__profile_add(nd->layer, 0, cgan__now() - t0, 0, 0);
    }
    m->fwd_state = keep ? 2 : 1;
    return CGAN_OK;
}

int cgan_model_get_output(const cgan_model *m, int index, const cgan_tensor **out) {
    CGAN__CHECK_NOT_NULL(m, "model");
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    if (index < 0 || index >= m->n_outputs)
        return cgan__error(CGAN_EINVAL, "%s: output %d does not exist (the model has %d)",
                           __func__, index, m->n_outputs);
    if (m->fwd_state == 0)
        return cgan__error(CGAN_ESTATE, "%s: no successful forward pass yet", __func__);
    *out = cgan__model_value(m, m->outputs[index]);
    return CGAN_OK;
}

int cgan_model_get_input_grad(const cgan_model *m, int index, const cgan_tensor **out) {
    CGAN__CHECK_NOT_NULL(m, "model");
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    if (index < 0 || index >= m->n_inputs)
        return cgan__error(CGAN_EINVAL, "%s: input %d does not exist (the model has %d)",
                           __func__, index, m->n_inputs);
    if (!m->have_input_grads)
        return cgan__error(CGAN_ESTATE, "%s: the last backward did not compute input gradients "
                           "(CGAN_GRAD_INPUTS)", __func__);
    *out = m->values[m->inputs[index].value].grad;
    return CGAN_OK;
}
