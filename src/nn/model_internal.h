/* The model's private layout, shared by model.c, model_backward.c and
 * model_params.c (and the optimizers, which walk the parameter index). */
#ifndef CGAN_MODEL_INTERNAL_H
#define CGAN_MODEL_INTERNAL_H

#include "nn_internal.h"

typedef struct cgan__value {
    int is_input;      /* else a node output */
    int index;         /* input or node index */
    cgan_tensor *grad; /* gradient w.r.t. this value (model-owned) */
    int touched;       /* grad holds a contribution in this backward */
    int need;          /* a gradient must reach this value */
} cgan__value;

typedef struct cgan__input {
    char name[64];
    int value;
    cgan_tensor *data; /* copy of the caller's tensor from the last forward */
} cgan__input;

typedef struct cgan__node {
    char name[64];
    cgan_layer *layer;
    int n_in;
    int in[CGAN__MAX_INPUTS];
    int value;
} cgan__node;

typedef struct cgan__named {
    char *name; /* "PREFIX.NODE.LEAF" */
    cgan_layer *layer;
    int index; /* within the layer's params or buffers */
} cgan__named;

struct cgan_model {
    char *prefix;
    cgan__value *values;
    int n_values, cap_values;
    cgan__input *inputs;
    int n_inputs, cap_inputs;
    cgan__node *nodes;
    int n_nodes, cap_nodes;
    int *outputs;
    int n_outputs, cap_outputs;
    cgan__named *params, *buffers;
    int n_params, cap_params, n_buffers, cap_buffers;
    cgan_tensor *scratch[CGAN__MAX_INPUTS]; /* second contributions to one gradient */
    cgan__ws ws;                            /* shared by every layer */
    int train;
    int profiling; /* cgan_model_set_profiling */
    int fwd_state; /* 0 none, 1 forward without gradients, 2 forward kept */
    int have_input_grads;
};

const cgan_tensor *cgan__model_value(const cgan_model *m, int v);
int cgan__model_node_error(const cgan_model *m, const cgan__node *nd, const char *fn, int rc);

/* Monotonic seconds, for profiling. */
double cgan__now(void);
/* Add one pass (0 forward, 1 backward) of a node to its profile. */
void cgan__profile_add(cgan_layer *l, int pass, double seconds, int want_dx, int want_params);

#endif
