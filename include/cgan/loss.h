/*
 * libcgan losses: the WGAN critic / generator losses, the ContraGAN
 * conditional contrastive loss "2C", the paper's continuous contrastive
 * loss, the proxy-table helpers and the scaling of continuous conditions.
 * Include <cgan.h>, not this file directly.  docs/losses.md gives every
 * formula as implemented and the reasons for each choice.
 *
 * Conventions of this module:
 *  - A loss is a cgan_loss handle of one kind, created by the create function
 *    of that kind, configured with keyed setters and evaluated by the compute
 *    function of that kind (calling another kind's compute gives CGAN_EINVAL).
 *  - Inputs are float32 tensors; the arithmetic is done in double precision
 *    inside the handle, the value is returned as a double.
 *  - Gradients are written (not accumulated) into tensors the caller owns.
 *    Each gradient tensor must have exactly the shape of the input it belongs
 *    to (CGAN_ESHAPE otherwise, naming both shapes); pass NULL for a gradient
 *    that is not wanted.
 *  - Value and gradients include the loss weight (key "weight", default 1).
 *  - Labels are float tensors of shape [m] or [m, 1] holding whole numbers in
 *    [0, n_classes); anything else is CGAN_EINVAL naming the row.
 *  - A NaN/Inf in an input, the value or a gradient gives CGAN_ENUMERIC.
 *  - After a failure the outputs are unspecified and the handle keeps its
 *    parameters; its statistics (cgan_loss_get_stat) are reset to NaN.
 *  - A handle must not be used by two threads at once.  The handle keeps a
 *    workspace that grows to the largest batch seen; no other allocation
 *    happens in the compute calls.
 */
#ifndef CGAN_LOSS_H
#define CGAN_LOSS_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ================================================================ the handle */
typedef struct cgan_loss cgan_loss;

/* Kinds (values frozen, append-only). */
#define CGAN_LOSS_WGAN       1 /* critic and generator WGAN losses */
#define CGAN_LOSS_2C         2 /* ContraGAN conditional contrastive loss */
#define CGAN_LOSS_CONTINUOUS 3 /* the paper's continuous contrastive loss */

/* Values of the enumerated keys (pass them to cgan_loss_set_param as double,
 * or their names to cgan_loss_set_option). */
#define CGAN_DISTANCE_COS 0 /* "cos":  1 - a^.b^ (rows normalised, eps 1e-12) */
#define CGAN_DISTANCE_L2  1 /* "l2":   |a - b| from explicit differences */
#define CGAN_DISTANCE_L2N 2 /* "l2n":  |a^ - b^| (chord between normalised rows) */
#define CGAN_REDUCTION_PAPER    0 /* "paper":    sum over ordered pairs / m */
#define CGAN_REDUCTION_PAIRMEAN 1 /* "pairmean": sum over ordered pairs / (m(m-1)) */
#define CGAN_TARGET_LEARNED 0 /* "learned": target distances D^e from embeddings e */
#define CGAN_TARGET_FIXED   1 /* "fixed":   D^y = |y~_i - y~_j| / (2 sqrt k) from
                                 the scaled conditions, no learned part */

/* Create a WGAN loss (keys: weight).  *out is NULL on failure. */
CGAN_API int cgan_loss_create_wgan(cgan_loss **out);
/* Create a 2C loss for labels in [0, n_classes) (n_classes >= 1).
 * Keys: temperature (default 0.1, must be > 0), weight. */
CGAN_API int cgan_loss_create_2c(cgan_loss **out, int n_classes);
/* Create a continuous contrastive loss.  Keys: alpha (default 1, must be
 * > 0: alpha = 0 only pulls every embedding together), delta (default 0.1,
 * >= 0), distance (cos), reduction (paper), weight, detach_e (0/1, default
 * 0: when 1 the gradient into e is zero), target (learned). */
CGAN_API int cgan_loss_create_continuous(cgan_loss **out);
/* NULL-safe. */
CGAN_API void cgan_loss_destroy(cgan_loss *loss);

/* CGAN_LOSS_* kind of the handle, 0 if loss is NULL. */
CGAN_API int cgan_loss_kind(const cgan_loss *loss);
/* Static name of the kind: "wgan", "2c", "continuous" ("" if NULL). */
CGAN_API const char *cgan_loss_kind_name(const cgan_loss *loss);

/* Set a numeric parameter by key (see each create function for the keys of
 * a kind).  Enumerated keys take the CGAN_DISTANCE_ / CGAN_REDUCTION_ /
 * CGAN_TARGET_ values, flags take 0 or 1.  Errors: CGAN_EINVAL for an unknown
 * key, a key the kind does not have, or a value out of range (the handle is
 * unchanged). */
CGAN_API int cgan_loss_set_param(cgan_loss *loss, const char *key, double value);
/* Same from text, for command lines and configuration files: enumerated
 * keys take their names ("cos", "l2", "l2n", "paper", "pairmean", "learned",
 * "fixed"), the others a number ("0.05", "1e-3"). */
CGAN_API int cgan_loss_set_option(cgan_loss *loss, const char *key, const char *value);
/* Current value of a parameter (enumerations as their numeric value). */
CGAN_API int cgan_loss_get_param(const cgan_loss *loss, const char *key, double *value);

/* Diagnostics of the last successful compute call, by key; NaN before the
 * first one, after a failure, and for keys that call did not produce (every
 * compute call resets them all).  Keys:
 *   all kinds:   "value" (the weighted loss returned last)
 *   wgan:        "wasserstein" (mean D(real) - mean D(fake), unweighted; from
 *                the critic call only), "mean_real", "mean_fake"
 *   2c:          "degenerate_rows" (rows with no other-class sample, whose
 *                term is 0), "zero_norm_rows" (rows of l or e with norm
 *                < 1e-12, whose gradient carries a 1e12 scale)
 *   continuous:  "active_pairs" (ordered pairs with |r| > delta),
 *                "mean_target_distance" (mean D^e, or D^y, over the pairs
 *                whose conditions differ when cond was given, over all pairs
 *                otherwise; below delta means the target has collapsed),
 *                "zero_norm_rows"
 * Errors: CGAN_EINVAL for a key the kind does not report. */
CGAN_API int cgan_loss_get_stat(const cgan_loss *loss, const char *key, double *value);

/* ====================================================================== WGAN */
/* Critic loss L_D = weight * (mean D(fake) - mean D(real)).
 * d_real, d_fake: critic outputs (any shape; m_real and m_fake elements).
 * grad_real / grad_fake (or NULL): dL_D/dD, shapes of d_real / d_fake,
 * filled with -weight/m_real and +weight/m_fake.  The Wasserstein estimate
 * mean D(real) - mean D(fake) is available as the stat "wasserstein". */
CGAN_API int cgan_loss_wgan_critic(cgan_loss *loss, const cgan_tensor *d_real,
                                   const cgan_tensor *d_fake, double *value,
                                   cgan_tensor *grad_real, cgan_tensor *grad_fake);
/* Generator loss L_G = -weight * mean D(fake); grad_fake = -weight/m. */
CGAN_API int cgan_loss_wgan_generator(cgan_loss *loss, const cgan_tensor *d_fake, double *value,
                                      cgan_tensor *grad_fake);

/* ======================================================================== 2C */
/* Conditional contrastive loss (ContraGAN eq. 3, math-spec 3):
 *   u_i = l_i / max(|l_i|, 1e-12), v_i = e_i / max(|e_i|, 1e-12)
 *   a_i = u_i.v_i / t,  s_ik = u_i.u_k / t
 *   L_i = LSE({a_i} u {s_ik : k != i}) - LSE({a_i} u {s_ik : k != i, y_k = y_i})
 *   L = weight * (1/m) sum_i L_i, with L_i = 0 (and no gradient) for a row
 *   whose every other sample shares its label (and for m = 1).
 * l: image embeddings [m, D]; e: the proxies of the rows' classes [m, D]
 * (cgan_loss_proxy_gather makes it from a proxy table); labels: [m] or [m,1].
 * grad_l, grad_e: [m, D] or NULL.  Stable for small temperatures. */
CGAN_API int cgan_loss_2c(cgan_loss *loss, const cgan_tensor *l, const cgan_tensor *e,
                          const cgan_tensor *labels, double *value, cgan_tensor *grad_l,
                          cgan_tensor *grad_e);

/* ================================================================ continuous */
/* Continuous contrastive loss (paper eq. 1, math-spec 4):
 *   r_ij = D^l_ij - alpha * T_ij,  h_ij = max(0, |r_ij| - delta)
 *   L = weight * s * sum_{i != j} h_ij,  s = 1/m ("paper") or 1/(m(m-1))
 * D^l = d(l_i, l_j) with the chosen distance; T = D^e = d(e_i, e_j) (target
 * "learned") or T = D^y from the scaled conditions (target "fixed").
 * l: [m, Dl]; e: [m, De] (required for target "learned", ignored and may be
 * NULL for "fixed"); cond: the scaled conditions [m, k] (required for
 * "fixed"; optional otherwise, then only used for the stat
 * "mean_target_distance").  grad_l [m, Dl], grad_e [m, De] or NULL; grad_e
 * is zero with detach_e = 1 or target "fixed".  Kinks take the subgradient
 * 0 (|r| at 0, max(0, .) at |r| = delta, |a - b| at a = b), as torch does. */
CGAN_API int cgan_loss_continuous(cgan_loss *loss, const cgan_tensor *l, const cgan_tensor *e,
                                  const cgan_tensor *cond, double *value, cgan_tensor *grad_l,
                                  cgan_tensor *grad_e);

/* ============================================================ proxy helpers */
/* out[i, :] = table[labels[i], :].  table [n_classes, D], labels [m] or
 * [m, 1] with whole numbers in [0, n_classes), out [m, D]. */
CGAN_API int cgan_loss_proxy_gather(const cgan_tensor *table, const cgan_tensor *labels,
                                    cgan_tensor *out);
/* table_grad[labels[i], :] += rows[i, :] for every i (accumulates, like every
 * parameter gradient: zero it first).  rows [m, D], table_grad [n_classes, D]. */
CGAN_API int cgan_loss_proxy_scatter_add(const cgan_tensor *rows, const cgan_tensor *labels,
                                         cgan_tensor *table_grad);

/* ========================================================= condition scaling */
/* Scaling of continuous process conditions to [-1, 1] (math-spec 4.2), one
 * column at a time:
 *   x' = log10(x) for a column flagged log-scaled, x' = x otherwise
 *   x~ = 2 (x' - min') / (max' - min') - 1      (min', max' of the training set)
 *   x~ = 0 for a constant column (max' == min')
 * Values outside the training range are not clipped: they extrapolate
 * linearly (a value one range beyond max maps to 3).  min' and max' are
 * stored in the transformed (log10) domain; save them with
 * cgan_cond_scaler_get_column and restore them with _set_column. */
typedef struct cgan_cond_scaler cgan_cond_scaler;

/* A scaler for k >= 1 columns, none log-scaled, not yet fitted. */
CGAN_API int  cgan_cond_scaler_create(cgan_cond_scaler **out, int k);
CGAN_API void cgan_cond_scaler_destroy(cgan_cond_scaler *s); /* NULL-safe */
CGAN_API int  cgan_cond_scaler_columns(const cgan_cond_scaler *s); /* k, 0 if NULL */
/* 1 once fitted or every column set, 0 otherwise. */
CGAN_API int  cgan_cond_scaler_is_fitted(const cgan_cond_scaler *s);
/* Flag column col (0-based) as log-scaled (1) or linear (0).  Clears the fit. */
CGAN_API int  cgan_cond_scaler_set_log10(cgan_cond_scaler *s, int col, int log10_on);
/* Fit min/max per column on raw training values, row-major [n_rows, k].
 * CGAN_EINVAL (naming row and column) for a non-finite value or a value
 * <= 0 in a log-scaled column; the scaler is unchanged then. */
CGAN_API int  cgan_cond_scaler_fit(cgan_cond_scaler *s, const double *raw, int64_t n_rows);
/* Scale raw values [n_rows, k] into scaled [n_rows, k] (may be the same
 * array).  CGAN_ESTATE before a fit; CGAN_EINVAL as for fit. */
CGAN_API int  cgan_cond_scaler_apply(const cgan_cond_scaler *s, const double *raw, int64_t n_rows,
                                     double *scaled);
/* Same into a float tensor of shape [n_rows, k] (the critic's input). */
CGAN_API int  cgan_cond_scaler_apply_tensor(const cgan_cond_scaler *s, const double *raw,
                                            int64_t n_rows, cgan_tensor *scaled);
/* Inverse of apply (a constant column returns its constant). */
CGAN_API int  cgan_cond_scaler_invert(const cgan_cond_scaler *s, const double *scaled,
                                      int64_t n_rows, double *raw);
/* Stored scaling of one column: min', max' (log10 domain if flagged) and the
 * flag.  Any output pointer may be NULL.  CGAN_ESTATE before a fit. */
CGAN_API int  cgan_cond_scaler_get_column(const cgan_cond_scaler *s, int col, double *min,
                                          double *max, int *log10_on);
/* Restore one column (min <= max, both finite).  The scaler counts as fitted
 * once every column has been fitted or set. */
CGAN_API int  cgan_cond_scaler_set_column(cgan_cond_scaler *s, int col, double min, double max,
                                          int log10_on);

#ifdef __cplusplus
}
#endif
#endif /* CGAN_LOSS_H */
