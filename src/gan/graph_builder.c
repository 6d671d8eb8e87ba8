#include "graph_builder.h"

int gb_add(graph_builder *b, int create_rc, cgan_layer *layer, const char *name, int in0, int in1) {
    int inputs[2] = {in0, in1}, id = -1;
    if (b->rc != CGAN_OK || create_rc != CGAN_OK) {
        if (b->rc == CGAN_OK) b->rc = create_rc;
        cgan_layer_destroy(layer);
        return -1;
    }
    int rc = cgan_model_add_node(b->m, name, layer, inputs, in1 >= 0 ? 2 : 1, &id);
    if (rc != CGAN_OK) {
        cgan_layer_destroy(layer);
        b->rc = rc;
        return -1;
    }
    return id;
}

int gb_conv(graph_builder *b, const char *name, int in, int64_t cin, int64_t cout, int transposed) {
    cgan_layer *l = NULL;
    int rc = transposed ? cgan_layer_create_convt2d(&l, cin, cout, 4, 2, 1, 0)
                        : cgan_layer_create_conv2d(&l, cin, cout, 4, 2, 1, 0);
    return gb_add(b, rc, l, name, in, -1);
}

int gb_conv_lrelu(graph_builder *b, const char *name, int in, int64_t cin, int64_t cout,
                  double slope) {
    cgan_layer *l = NULL;
    int rc = cgan_layer_create_conv2d_lrelu(&l, cin, cout, 4, 2, 1, slope, 0);
    return gb_add(b, rc, l, name, in, -1);
}

int gb_bn_lrelu(graph_builder *b, const char *name, int in, int64_t c, double slope) {
    cgan_layer *l = NULL;
    int rc = cgan_layer_create_batchnorm2d_lrelu(&l, c, 1e-5, 0.1, slope, 0);
    return gb_add(b, rc, l, name, in, -1);
}

int gb_condition(graph_builder *b, const char *name, int in, const cgan_config *c, int64_t dim) {
    cgan_layer *l = NULL;
    int k = cgan__cfg_int(c, CGAN_CONFIG_COND_DIM);
    int rc = k > 0 ? cgan_layer_create_linear(&l, k, dim, 0)
                   : cgan_layer_create_embedding(&l, cgan__cfg_int(c, CGAN_CONFIG_NUM_CLASSES), dim, 0);
    return gb_add(b, rc, l, name, in, -1);
}

int gb_begin(graph_builder *b, cgan_model **out, const cgan_config *c, const char *prefix,
             const char *in0, const char *in1, int *id0, int *id1) {
    int rc;
    b->m = NULL;
    b->rc = CGAN_OK;
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    CGAN__CHECK_NOT_NULL(c, "config");
    if ((rc = cgan__cfg_validate(c)) != CGAN_OK) return rc;
    if ((rc = cgan_model_create(&b->m, prefix)) != CGAN_OK) return rc;
    if ((rc = cgan_model_add_input(b->m, in0, id0)) != CGAN_OK ||
        (rc = cgan_model_add_input(b->m, in1, id1)) != CGAN_OK) {
        cgan_model_destroy(b->m);
        b->m = NULL;
    }
    return rc;
}

void gb_init(graph_builder *b, const cgan_config *c, cgan_rng *rng) {
    if (b->rc == CGAN_OK && rng) b->rc = cgan_model_init(b->m, rng, cgan__cfg_int(c, CGAN_CONFIG_INIT));
}

int gb_finish(graph_builder *b, cgan_model **out) {
    if (b->rc != CGAN_OK) {
        cgan_model_destroy(b->m);
        b->m = NULL;
        return b->rc;
    }
    *out = b->m;
    return CGAN_OK;
}
