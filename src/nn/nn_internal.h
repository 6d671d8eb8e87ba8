/*
 * Private layer framework: the layer struct, the per-kind vtable and the
 * shared scratch workspace.  Layers (src/layers/) fill a cgan__layer_ops
 * and call cgan__layer_setup; the model (model.c) drives them through
 * cgan__layer_fwd / cgan__layer_bwd.
 */
#ifndef CGAN_NN_INTERNAL_H
#define CGAN_NN_INTERNAL_H

#include "../core/internal.h"

#define CGAN__MAX_PARAMS  8
#define CGAN__MAX_BUFFERS 3
#define CGAN__MAX_INPUTS  2
#define CGAN__MAX_CACHE   4

/* Scratch memory shared by the layers of one model (each layer uses it only
 * during one forward/backward call).  Grows, never shrinks. */
typedef struct cgan__ws {
    float *p;
    size_t cap; /* floats */
} cgan__ws;
/* n floats of scratch, or NULL (error set) if it cannot grow. */
float *cgan__ws_get(cgan__ws *ws, size_t n);
void cgan__ws_free(cgan__ws *ws);

/* How cgan_layer_init fills a parameter. */
enum {
    CGAN__INIT_WEIGHT = 0, /* N(0,0.02) | U(+-1/sqrt(fan_in)) */
    CGAN__INIT_BIAS,       /* 0         | U(+-1/sqrt(fan_in)) */
    CGAN__INIT_BN_GAMMA,   /* N(1,0.02) | 1 */
    CGAN__INIT_ZERO,       /* 0 (BN beta, attention gamma) */
    CGAN__INIT_EMBED,      /* N(0,1) */
    CGAN__INIT_ONE         /* buffers: running_var */
};

typedef struct cgan__param {
    const char *name;         /* static: "weight", "query.bias", ... */
    struct cgan_tensor value; /* view into layer->param_block */
    struct cgan_tensor grad;  /* view into layer->grad_block */
    int init;
    int64_t fan_in;
} cgan__param;

typedef struct cgan__buffer {
    const char *name;
    struct cgan_tensor value; /* view into layer->buffer_block */
    int init;
} cgan__buffer;

/* A parameter or buffer to declare: name, shape, init kind, fan-in. */
typedef struct cgan__pspec {
    const char *name;
    int ndim;
    int64_t shape[4];
    int init;
    int64_t fan_in;
} cgan__pspec;

typedef struct cgan__layer_ops {
    const char *kind;
    int n_inputs;
    unsigned nodiff; /* bit k set: input k has no gradient (labels) */
    /* Check the input shapes, size l->out, compute.  train: batch statistics;
     * keep: save what backward needs.  Inputs are valid, non-NULL. */
    int (*forward)(cgan_layer *l, const cgan_tensor *const *in, int train, int keep);
    /* Gradients of the last kept forward: din[k] (NULL: not wanted) already
     * has in[k]'s shape and must be written; parameter gradients are
     * accumulated when want_params. */
    int (*backward)(cgan_layer *l, const cgan_tensor *const *in, const cgan_tensor *dout,
                    cgan_tensor *const *din, int want_params);
} cgan__layer_ops;

struct cgan_layer {
    const cgan__layer_ops *ops;
    /* constructor arguments, kept so a layer can be re-created (clone) */
    int64_t iarg[6];
    double farg[3];
    uint32_t flags;

    int n_params, n_buffers;
    cgan__param params[CGAN__MAX_PARAMS];
    cgan__buffer buffers[CGAN__MAX_BUFFERS];
    float *param_block, *grad_block, *buffer_block;

    cgan_tensor *out;                      /* forward output, grown as needed */
    cgan_tensor *cache[CGAN__MAX_CACHE];   /* per-kind saved state */
    cgan_tensor *din[CGAN__MAX_INPUTS];    /* standalone backward results */
    cgan__ws own_ws;                       /* used when standalone */
    cgan__ws *ws;                          /* own_ws or the model's */
    int owned;                             /* by a model */

    int fwd_state;   /* 0: nothing to backward, 1: a kept forward */
    int fwd_train;   /* mode of that forward */
    int in_ndim[CGAN__MAX_INPUTS];
    int64_t in_shape[CGAN__MAX_INPUTS][4];

    /* profiling (cgan_model_set_profiling): accumulated per pass */
    double prof_s[2], prof_flop[2]; /* [0] forward, [1] backward */
    int64_t prof_calls[2];
};

/* GEMM-like FLOPs (2 per multiply-add) of the layer's last forward, from its
 * kind, constructor arguments and input/output shapes; 0 for the others. */
double cgan__layer_fwd_flop(const cgan_layer *l);

/* Allocate a layer of the given kind with its parameters and buffers
 * (values zero, except init kinds BN_GAMMA/ONE which start at 1). */
int cgan__layer_new(cgan_layer **out, const cgan__layer_ops *ops, const cgan__pspec *params,
                    int n_params, const cgan__pspec *buffers, int n_buffers);
/* Constructor of a layer without parameters or options: checks out and
 * flags (must be 0) in the name of fn. */
int cgan__layer_new_plain(cgan_layer **out, const cgan__layer_ops *ops, const char *fn,
                          uint32_t flags);
/* Constructor shared by conv2d and convt2d: validates the geometry, declares
 * "weight" (shape given) and "bias" [out_c] unless CGAN_LAYER_NO_BIAS, and
 * stores (in_c, out_c, k, s, p) in iarg[0..4]. */
int cgan__conv_layer_new(cgan_layer **out, const cgan__layer_ops *ops, const char *fn,
                         int64_t in_c, int64_t out_c, int kernel, int stride, int padding,
                         uint32_t flags, const int64_t weight_shape[4], int64_t fan_in);
/* Forward / backward with validation and state bookkeeping; din entries
 * are resized here.  Used by the public layer API and by the model. */
int cgan__layer_fwd(cgan_layer *l, const cgan_tensor *const *in, int train, int keep);
int cgan__layer_bwd(cgan_layer *l, const cgan_tensor *const *in, const cgan_tensor *dout,
                    cgan_tensor *const *din, int want_params);
/* Re-create a layer with the same kind and constructor arguments
 * (parameters copied). */
int cgan__layer_clone(cgan_layer **out, const cgan_layer *src);
/* Free a layer a model owned (cgan_layer_destroy ignores owned layers). */
void cgan__layer_destroy_owned(cgan_layer *l);
/* Size a cache tensor (created on first use). */
int cgan__cache(cgan_layer *l, int slot, int ndim, const int64_t *shape);

/* Shape helpers for error messages and checks. */
#define CGAN__SHAPE_STR(t, buf) cgan__shape_str((t), (buf), sizeof(buf))

#endif /* CGAN_NN_INTERNAL_H */
