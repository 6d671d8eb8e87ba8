/*
 * libcgan neural-network core: layers with exact gradients, the model
 * handle (a DAG of layers with several inputs and outputs), optimizers.
 *
 * Include <cgan.h>, not this file directly.  docs/nn.md has the design and
 * the conventions in full; in short:
 *  - Tensors are float32 NCHW.  Every layer's first axis is the batch.
 *  - Forward outputs and backward input-gradients are BORROWED tensors owned
 *    by the layer / model: valid until the next forward (or backward) call
 *    on the same handle or its destruction.  Do not destroy or reshape them.
 *  - Backward WRITES input gradients and ACCUMULATES (+=) parameter
 *    gradients, so two passes sum; zero them with *_zero_grad.
 *  - Parameter, gradient and buffer tensors returned by getters are views
 *    into the layer's storage, valid for the layer's (model's) lifetime.
 *    Write their contents freely (initialisation, checkpoint load); never
 *    destroy or reshape them.
 *  - A handle is not safe for concurrent use; use one model per thread.
 */
#ifndef CGAN_NN_H
#define CGAN_NN_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ==================================================================== flags */
/* Layer constructor flags. */
#define CGAN_LAYER_NO_BIAS 0x1u /* linear / conv / convt without a bias */

/* Forward modes (bit set).  Neither TRAIN nor EVAL: the model's (or, for a
 * standalone layer, train) mode.  NO_GRAD keeps nothing for backward: a
 * following backward fails with CGAN_ESTATE.  Train-mode batch norm updates
 * its running statistics on every forward, NO_GRAD or not (as PyTorch). */
#define CGAN_MODE_DEFAULT 0x0u
#define CGAN_MODE_TRAIN   0x1u
#define CGAN_MODE_EVAL    0x2u
#define CGAN_MODE_NO_GRAD 0x4u

/* Backward flags: which gradients to compute.  Input gradients are
 * written, parameter gradients accumulated.  With neither flag, backward
 * only validates its arguments. */
#define CGAN_GRAD_INPUTS 0x1u
#define CGAN_GRAD_PARAMS 0x2u

/* Parameter initialisation schemes (cgan_layer_init / cgan_model_init). */
#define CGAN_INIT_GAN   0 /* N(0,0.02) weights, 0 biases, BN gamma N(1,0.02), beta 0,
                             embeddings N(0,1), attention gamma 0 (math-spec 2.8) */
#define CGAN_INIT_TORCH 1 /* PyTorch defaults: U(+-1/sqrt(fan_in)) weights and
                             biases (convt fan_in = out_c*k*k), BN 1/0, embeddings
                             N(0,1), attention gamma 0 */

/* =================================================================== layers */
typedef struct cgan_layer cgan_layer;

/* Constructors.  Each returns CGAN_OK and a new layer in *out, or an error
 * (CGAN_EINVAL for a bad size, CGAN_ENOMEM) with *out = NULL.  Parameters
 * start at zero (BN gamma 1, running_var 1): call cgan_layer_init or
 * cgan_model_init, or set them.  Parameter names are given per layer. */

/* y = x W^T + b on x [N,in]; out [N,out].  Params "weight" [out,in], "bias" [out].
 * Also the layer for continuous condition vectors (x = scaled conditions). */
CGAN_API int cgan_layer_create_linear(cgan_layer **out, int64_t in_features,
                                      int64_t out_features, uint32_t flags);
/* 2-D convolution, zero padding, dilation 1, groups 1, square kernel.
 * x [N,in_c,H,W] -> [N,out_c,(H+2p-k)/s+1,(W+2p-k)/s+1].
 * Params "weight" [out_c,in_c,k,k], "bias" [out_c]. */
CGAN_API int cgan_layer_create_conv2d(cgan_layer **out, int64_t in_c, int64_t out_c,
                                      int kernel, int stride, int padding, uint32_t flags);
/* Conv2d followed by LeakyReLU(slope), slope >= 0, in one layer (same
 * parameters as cgan_layer_create_conv2d; output = activation): the
 * activation and its derivative are applied while each chunk of images is
 * in cache instead of in two more passes over memory. */
CGAN_API int cgan_layer_create_conv2d_lrelu(cgan_layer **out, int64_t in_c, int64_t out_c,
                                            int kernel, int stride, int padding, double slope,
                                            uint32_t flags);
/* Transposed 2-D convolution (output_padding 0, dilation 1).
 * x [N,in_c,H,W] -> [N,out_c,(H-1)s-2p+k,(W-1)s-2p+k].
 * Params "weight" [in_c,out_c,k,k] (PyTorch layout), "bias" [out_c]. */
CGAN_API int cgan_layer_create_convt2d(cgan_layer **out, int64_t in_c, int64_t out_c,
                                       int kernel, int stride, int padding, uint32_t flags);
/* BatchNorm2d on [N,C,H,W] (PyTorch: biased variance to normalise, unbiased
 * in running_var; eps 1e-5 and momentum 0.1 are PyTorch's defaults).
 * Params "weight" (gamma) [C], "bias" (beta) [C]; buffers "running_mean",
 * "running_var" [C], "num_batches_tracked" [1] (a float holding a count). */
CGAN_API int cgan_layer_create_batchnorm2d(cgan_layer **out, int64_t channels, double eps,
                                           double momentum, uint32_t flags);
/* BatchNorm2d followed by LeakyReLU(slope) in one pass (same parameters and
 * buffers as cgan_layer_create_batchnorm2d; output = activation). */
CGAN_API int cgan_layer_create_batchnorm2d_lrelu(cgan_layer **out, int64_t channels,
                                                 double eps, double momentum, double slope,
                                                 uint32_t flags);
/* Element-wise activations on any shape.  LeakyReLU's derivative at 0 is
 * slope, ReLU's is 0 (as PyTorch). */
CGAN_API int cgan_layer_create_leaky_relu(cgan_layer **out, double slope, uint32_t flags);
CGAN_API int cgan_layer_create_relu(cgan_layer **out, uint32_t flags);
CGAN_API int cgan_layer_create_tanh(cgan_layer **out, uint32_t flags);
/* SAGAN self-attention (math-spec 2.6 variant O) on [N,C,H,W], C a multiple
 * of 8: y = gamma * V softmax(Q^T K)^T + x, no scaling.  Params
 * "query.weight" [C/8,C,1,1], "query.bias", "key.weight" [C/8,C,1,1],
 * "key.bias", "value.weight" [C,C,1,1], "value.bias", "gamma" [1]. */
CGAN_API int cgan_layer_create_self_attention(cgan_layer **out, int64_t channels,
                                              uint32_t flags);
/* Class index -> vector.  Input: labels as a float tensor [N] or [N,1] of
 * whole numbers in [0, num_classes); output [N,dim].  Param "weight"
 * [num_classes,dim].  The labels get no gradient. */
CGAN_API int cgan_layer_create_embedding(cgan_layer **out, int64_t num_classes, int64_t dim,
                                         uint32_t flags);
/* View each sample as `shape` (ndim 1..3, the batch axis excluded): index
 * maps, e.g. [N,8192] -> [N,512,4,4] puts element 16c+4h+w at (c,h,w). */
CGAN_API int cgan_layer_create_reshape(cgan_layer **out, int ndim, const int64_t *shape,
                                       uint32_t flags);
/* [N,...] -> [N, product of the rest]. */
CGAN_API int cgan_layer_create_flatten(cgan_layer **out, uint32_t flags);
/* Two inputs: features A [N,C,H,W] and a condition plane B [N,H*W] or
 * [N,1,H,W] -> [N,C+1,H,W], the plane as the last channel. */
CGAN_API int cgan_layer_create_concat_plane(cgan_layer **out, uint32_t flags);
/* Two inputs of the same shape -> their element-wise product. */
CGAN_API int cgan_layer_create_mul(cgan_layer **out, uint32_t flags);

/* Destroy a standalone layer.  NULL is a no-op; so is a layer owned by a
 * model (the model destroys it). */
CGAN_API void cgan_layer_destroy(cgan_layer *l);

/* Kind name ("conv2d", "batchnorm2d", ...); static string, "" if l is NULL. */
CGAN_API const char *cgan_layer_kind(const cgan_layer *l);
/* Number of inputs the layer takes (1 or 2); 0 if l is NULL. */
CGAN_API int cgan_layer_num_inputs(const cgan_layer *l);

/* Run a standalone layer (not one owned by a model: CGAN_ESTATE).  inputs
 * has n_inputs tensors; *out receives the layer's output (borrowed, valid
 * until the next forward or destruction).  Inputs are read during the call
 * only.  Errors: CGAN_EINVAL (NULL, wrong count, bad label), CGAN_ESHAPE. */
CGAN_API int cgan_layer_forward(cgan_layer *l, const cgan_tensor *const *inputs, int n_inputs,
                                uint32_t mode, const cgan_tensor **out);
/* Backward of the last forward.  Pass the same inputs again (same shapes,
 * unchanged contents) and dout shaped like the output.  flags: CGAN_GRAD_*.
 * dinputs (NULL allowed) receives n_inputs borrowed tensors, the written
 * input gradients (NULL entries for inputs without a gradient, e.g. labels,
 * or when CGAN_GRAD_INPUTS is not set); valid until the next call.
 * Errors: CGAN_ESTATE (no forward, or a NO_GRAD forward), CGAN_ESHAPE,
 * CGAN_EINVAL. */
CGAN_API int cgan_layer_backward(cgan_layer *l, const cgan_tensor *const *inputs, int n_inputs,
                                 const cgan_tensor *dout, uint32_t flags,
                                 const cgan_tensor **dinputs);

/* Trainable parameters and buffers of the layer, in a fixed order. */
CGAN_API int cgan_layer_num_params(const cgan_layer *l);
CGAN_API int cgan_layer_num_buffers(const cgan_layer *l);
/* index in [0, num_params): name (static, e.g. "weight"), value and gradient
 * views; any out-parameter may be NULL. */
CGAN_API int cgan_layer_get_param(cgan_layer *l, int index, const char **name,
                                  cgan_tensor **value, cgan_tensor **grad);
CGAN_API int cgan_layer_get_buffer(cgan_layer *l, int index, const char **name,
                                   cgan_tensor **value);
/* Zero every parameter gradient. */
CGAN_API int cgan_layer_zero_grad(cgan_layer *l);
/* Initialise parameters (scheme CGAN_INIT_*) from rng and reset buffers
 * (running_mean 0, running_var 1, num_batches_tracked 0). */
CGAN_API int cgan_layer_init(cgan_layer *l, cgan_rng *rng, int scheme);

/* ==================================================================== model */
/* A directed acyclic graph of layers.  Values are numbered in the order they
 * are added: model inputs (cgan_model_add_input) and nodes
 * (cgan_model_add_node) share one id space; a node's inputs are earlier ids.
 * Any values can be marked as outputs.  Parameter and buffer names are
 * "PREFIX.NODE.PARAM", e.g. "generator.up1.weight", "critic.bn2.running_var". */
typedef struct cgan_model cgan_model;

/* prefix: the name prefix ("generator"); NULL or "" for none. */
CGAN_API int  cgan_model_create(cgan_model **out, const char *prefix);
CGAN_API void cgan_model_destroy(cgan_model *m);

/* Declare the next model input (position = order of declaration); *id gets
 * its value id.  name is for messages only (NULL allowed). */
CGAN_API int cgan_model_add_input(cgan_model *m, const char *name, int *id);
/* Add a node applying `layer` to the values `inputs` (n_inputs ids, as many
 * as the layer takes).  name must be unique in the model, 1..63 characters
 * of [A-Za-z0-9_] (parameter names are built from it).  On success the model
 * OWNS the layer (never destroy it yourself) and *id (may be NULL) gets the
 * node's value id; on failure the caller still owns it. */
CGAN_API int cgan_model_add_node(cgan_model *m, const char *name, cgan_layer *layer,
                                 const int *inputs, int n_inputs, int *id);
/* Mark value id as the next model output; *index (may be NULL) gets its position. */
CGAN_API int cgan_model_add_output(cgan_model *m, int id, int *index);
CGAN_API int cgan_model_num_inputs(const cgan_model *m);
CGAN_API int cgan_model_num_outputs(const cgan_model *m);
/* The layer of node `name` (borrowed), e.g. to read its parameters. */
CGAN_API int cgan_model_get_layer(cgan_model *m, const char *name, cgan_layer **layer);

/* Persistent mode: train (1, the default) or eval (0). */
CGAN_API int cgan_model_set_train(cgan_model *m, int train);
CGAN_API int cgan_model_is_train(const cgan_model *m);

/* Forward pass.  inputs: one tensor per model input, in declaration order,
 * copied during the call.  mode: CGAN_MODE_* bits.  Afterwards
 * cgan_model_get_output gives the outputs (borrowed, valid until the next
 * forward).  Errors: CGAN_EINVAL, CGAN_ESHAPE (naming the node), CGAN_ESTATE
 * (no outputs declared). */
CGAN_API int cgan_model_forward(cgan_model *m, const cgan_tensor *const *inputs, int n_inputs,
                                uint32_t mode);
CGAN_API int cgan_model_get_output(const cgan_model *m, int index, const cgan_tensor **out);
/* Backward of the last forward.  douts: one gradient per output (n_outputs
 * entries; a NULL entry or a NULL array means zero), each shaped like its
 * output; gradients reaching one value from several consumers are summed.
 * flags: CGAN_GRAD_PARAMS accumulates into the parameter gradients (without
 * it they are left untouched: a frozen model), CGAN_GRAD_INPUTS computes the
 * model-input gradients (cgan_model_get_input_grad).  Repeated backward
 * calls after one forward are allowed and accumulate.  Errors: CGAN_ESTATE
 * (no forward, or a NO_GRAD forward), CGAN_ESHAPE, CGAN_EINVAL. */
CGAN_API int cgan_model_backward(cgan_model *m, const cgan_tensor *const *douts, int n_outputs,
                                 uint32_t flags);
/* Gradient w.r.t. model input `index` from the last backward with
 * CGAN_GRAD_INPUTS (zeros for inputs without a gradient path, such as
 * labels).  Borrowed, valid until the next forward/backward. */
CGAN_API int cgan_model_get_input_grad(const cgan_model *m, int index, const cgan_tensor **out);

/* Parameters (trainable) and buffers (running statistics), in node order. */
CGAN_API int     cgan_model_num_params(const cgan_model *m);  /* tensors */
CGAN_API int     cgan_model_num_buffers(const cgan_model *m); /* tensors */
CGAN_API int64_t cgan_model_count_trainable(const cgan_model *m); /* scalars */
/* Full name (valid for the model's lifetime), value and gradient views;
 * out-parameters may be NULL. */
CGAN_API int cgan_model_get_param(cgan_model *m, int index, const char **name,
                                  cgan_tensor **value, cgan_tensor **grad);
CGAN_API int cgan_model_get_buffer(cgan_model *m, int index, const char **name,
                                   cgan_tensor **value);
/* Look up by full name ("generator.up1.weight") or without the prefix
 * ("up1.weight").  CGAN_EINVAL naming the key if absent. */
CGAN_API int cgan_model_find_param(cgan_model *m, const char *name, cgan_tensor **value,
                                   cgan_tensor **grad);
CGAN_API int cgan_model_find_buffer(cgan_model *m, const char *name, cgan_tensor **value);

CGAN_API int cgan_model_zero_grad(cgan_model *m);
/* Clamp every trainable parameter into [lo, hi] (WGAN weight clipping);
 * buffers are untouched. */
CGAN_API int cgan_model_clamp_params(cgan_model *m, float lo, float hi);
/* Initialise every layer in node order (see cgan_layer_init). */
CGAN_API int cgan_model_init(cgan_model *m, cgan_rng *rng, int scheme);
/* An independent copy (same graph, parameters, buffers, mode; gradients
 * zero, no forward state), e.g. one model per thread. */
CGAN_API int cgan_model_clone(cgan_model **out, const cgan_model *src);

/* Profiling: with profiling on, every forward and backward of a node adds
 * its wall-clock seconds and its GEMM-like FLOPs (2 per multiply-add; conv,
 * transposed conv, linear, self-attention; 0 for the others) to per-node
 * counters.  Off by default (then nothing is measured).  Turning it on or
 * off does not clear the counters; cgan_model_profile_reset does. */
CGAN_API int cgan_model_set_profiling(cgan_model *m, int on);
CGAN_API int cgan_model_profile_reset(cgan_model *m);
CGAN_API int cgan_model_num_nodes(const cgan_model *m);
/* Node `index` (0..num_nodes-1, insertion order): its name and layer kind
 * (valid for the model's lifetime) and, for pass 0 = forward / 1 = backward,
 * the accumulated seconds, FLOPs and number of calls.  Out-parameters may be
 * NULL.  Errors: CGAN_EINVAL (index or pass out of range). */
CGAN_API int cgan_model_node_profile(const cgan_model *m, int index, int pass,
                                     const char **name, const char **kind,
                                     double *seconds, double *flop, int64_t *calls);

/* =============================================================== optimizers */
typedef struct cgan_optim cgan_optim;

typedef enum cgan_optim_kind {
    CGAN_OPTIM_SGD     = 0, /* with momentum, dampening, nesterov, weight decay */
    CGAN_OPTIM_ADAM    = 1, /* bias-corrected; weight decay as L2 (not AdamW) */
    CGAN_OPTIM_RMSPROP = 2  /* PyTorch semantics: eps after the sqrt, no bias correction */
} cgan_optim_kind;

/* Keys of cgan_optim_set / cgan_optim_get (defaults as PyTorch, lr 1e-3
 * except SGD which has lr 0.01). */
typedef enum cgan_optim_key {
    CGAN_OPTIM_LR           = 0,
    CGAN_OPTIM_ALPHA        = 1, /* RMSprop smoothing, 0.99 */
    CGAN_OPTIM_EPS          = 2, /* 1e-8 */
    CGAN_OPTIM_BETA1        = 3, /* Adam, 0.9 */
    CGAN_OPTIM_BETA2        = 4, /* Adam, 0.999 */
    CGAN_OPTIM_MOMENTUM     = 5, /* SGD / RMSprop, 0 */
    CGAN_OPTIM_WEIGHT_DECAY = 6, /* L2 added to the gradient, 0 */
    CGAN_OPTIM_DAMPENING    = 7, /* SGD, 0 */
    CGAN_OPTIM_NESTEROV     = 8, /* SGD, 0 or 1 */
    CGAN_OPTIM_CENTERED     = 9  /* RMSprop, 0 or 1 */
} cgan_optim_key;

/* An optimizer over the trainable parameters the model has now.  The model
 * is borrowed: it must outlive the optimizer and keep its graph. */
CGAN_API int  cgan_optim_create(cgan_optim **out, int kind, cgan_model *model);
CGAN_API void cgan_optim_destroy(cgan_optim *o);
/* CGAN_EINVAL for a key the kind does not use or a value out of range. */
CGAN_API int cgan_optim_set(cgan_optim *o, int key, double value);
CGAN_API int cgan_optim_get(const cgan_optim *o, int key, double *value);
/* One update from the model's current gradients (which it leaves as they are). */
CGAN_API int cgan_optim_step(cgan_optim *o);
/* Steps taken so far (set it when restoring a checkpoint). */
CGAN_API int64_t cgan_optim_get_step(const cgan_optim *o);
CGAN_API int     cgan_optim_set_step(cgan_optim *o, int64_t step);
/* Per-parameter state tensors, named "PARAM.KIND" with PyTorch's kinds:
 * RMSprop "square_avg" (+ "momentum_buffer", "grad_avg" when enabled), Adam
 * "exp_avg", "exp_avg_sq", SGD "momentum_buffer" (when momentum > 0), e.g.
 * "critic.conv1.weight.square_avg".  Enabling momentum / centering adds its
 * state (zeros).  Views valid until the optimizer is destroyed; write them
 * to restore a checkpoint. */
CGAN_API int cgan_optim_num_states(const cgan_optim *o);
CGAN_API int cgan_optim_get_state(cgan_optim *o, int index, const char **name,
                                  cgan_tensor **value);
CGAN_API int cgan_optim_find_state(cgan_optim *o, const char *name, cgan_tensor **value);

#ifdef __cplusplus
}
#endif
#endif /* CGAN_NN_H */
