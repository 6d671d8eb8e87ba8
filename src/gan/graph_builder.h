/* A small helper for building models node by node: it remembers the first
 * error so a builder reads as a plain list of layers. */
#ifndef CGAN_GRAPH_BUILDER_H
#define CGAN_GRAPH_BUILDER_H

#include "gan_internal.h"

typedef struct graph_builder {
    cgan_model *m;
    int rc; /* first failure, CGAN_OK while all went well */
} graph_builder;

/* Check the arguments and the configuration, then create the model named
 * prefix with its two inputs (ids in *id0 and *id1). */
int gb_begin(graph_builder *b, cgan_model **out, const cgan_config *c, const char *prefix,
             const char *in0, const char *in1, int *id0, int *id1);
/* Initialise the parameters from rng (none if rng is NULL). */
void gb_init(graph_builder *b, const cgan_config *c, cgan_rng *rng);
/* Hand the model to *out, or destroy it after any failure; returns the status. */
int gb_finish(graph_builder *b, cgan_model **out);
/* Add `layer` (created by the caller with status create_rc) as node `name`
 * on the given inputs; returns the node id (-1 after any failure). */
int gb_add(graph_builder *b, int create_rc, cgan_layer *layer, const char *name, int in0, int in1);
/* Conv or transposed conv k4 s2 p1 with bias (every sampling layer of the tables). */
int gb_conv(graph_builder *b, const char *name, int in, int64_t cin, int64_t cout, int transposed);
/* Conv k4 s2 p1 with bias fused with LeakyReLU (the critic's first layer). */
int gb_conv_lrelu(graph_builder *b, const char *name, int in, int64_t cin, int64_t cout,
                  double slope);
/* BatchNorm2d fused with LeakyReLU (PyTorch defaults eps 1e-5, momentum 0.1). */
int gb_bn_lrelu(graph_builder *b, const char *name, int in, int64_t c, double slope);
/* Discrete: Embedding(n, dim) of the labels; continuous: Linear(k, dim). */
int gb_condition(graph_builder *b, const char *name, int in, const cgan_config *c, int64_t dim);

#endif
