/* Re-creating a layer from its kind and constructor arguments (for
 * cgan_model_clone), then copying parameters and buffers. */
#include "nn_internal.h"

#include <string.h>

static int recreate(cgan_layer **out, const cgan_layer *s) {
    const char *k = s->ops->kind;
    const int64_t *i = s->iarg;
    const double *f = s->farg;
    if (!strcmp(k, "linear")) return cgan_layer_create_linear(out, i[0], i[1], s->flags);
    if (!strcmp(k, "conv2d"))
        return cgan_layer_create_conv2d(out, i[0], i[1], (int)i[2], (int)i[3], (int)i[4], s->flags);
    if (!strcmp(k, "conv2d_lrelu"))
        return cgan_layer_create_conv2d_lrelu(out, i[0], i[1], (int)i[2], (int)i[3], (int)i[4],
                                              f[0], s->flags);
    if (!strcmp(k, "convt2d"))
        return cgan_layer_create_convt2d(out, i[0], i[1], (int)i[2], (int)i[3], (int)i[4], s->flags);
    if (!strcmp(k, "batchnorm2d")) return cgan_layer_create_batchnorm2d(out, i[0], f[0], f[1], 0);
    if (!strcmp(k, "batchnorm2d_lrelu"))
        return cgan_layer_create_batchnorm2d_lrelu(out, i[0], f[0], f[1], f[2], 0);
    if (!strcmp(k, "leaky_relu")) return cgan_layer_create_leaky_relu(out, f[0], 0);
    if (!strcmp(k, "relu")) return cgan_layer_create_relu(out, 0);
    if (!strcmp(k, "tanh")) return cgan_layer_create_tanh(out, 0);
    if (!strcmp(k, "self_attention")) return cgan_layer_create_self_attention(out, i[0], 0);
    if (!strcmp(k, "embedding")) return cgan_layer_create_embedding(out, i[0], i[1], 0);
    if (!strcmp(k, "reshape")) return cgan_layer_create_reshape(out, (int)i[0], i + 1, 0);
    if (!strcmp(k, "flatten")) return cgan_layer_create_flatten(out, 0);
    if (!strcmp(k, "concat_plane")) return cgan_layer_create_concat_plane(out, 0);
    if (!strcmp(k, "mul")) return cgan_layer_create_mul(out, 0);
    return cgan__error(CGAN_EINTERNAL, "cannot clone a layer of kind %s", k);
}

int cgan__layer_clone(cgan_layer **out, const cgan_layer *src) {
    int rc = recreate(out, src);
    if (rc != CGAN_OK) return rc;
    int64_t np = 0, nb = 0;
    for (int i = 0; i < src->n_params; i++) np += src->params[i].value.numel;
    for (int i = 0; i < src->n_buffers; i++) nb += src->buffers[i].value.numel;
    memcpy((*out)->param_block, src->param_block, (size_t)np * sizeof(float));
    memcpy((*out)->buffer_block, src->buffer_block, (size_t)nb * sizeof(float));
    return CGAN_OK;
}
