/*
 * Private to src/losses: the cgan_loss layout, the argument checks shared by
 * the compute functions, and the double-precision kernels (pure functions
 * over arrays, no handles) that the tests also call directly for
 * finite-difference checks.
 */
#ifndef CGAN_LOSS_INTERNAL_H
#define CGAN_LOSS_INTERNAL_H

#include "../core/internal.h"

/* Normalisation floor of F.normalize (math-spec 3.1). */
#define CGAN__NORM_EPS 1e-12

struct cgan_loss {
    int kind;      /* CGAN_LOSS_* */
    int n_classes; /* 2c */
    double weight;
    double temperature;              /* 2c */
    double alpha, delta;             /* continuous */
    int distance, reduction, target; /* continuous: CGAN_DISTANCE_/REDUCTION_/TARGET_ */
    int detach_e;                    /* continuous */
    /* Diagnostics of the last successful call (NaN when not produced). */
    double st_value, st_wasserstein, st_mean_real, st_mean_fake;
    double st_degenerate_rows, st_zero_norm_rows, st_active_pairs, st_mean_target;
    /* Workspace: grows to the largest batch, never shrinks. */
    double *ws;
    size_t ws_len;
    int32_t *labels;
    size_t labels_len;
};

/* ---------------------------------------------------- shared API plumbing */
/* CGAN_EINVAL unless loss is non-NULL and of the given kind. */
int cgan__loss_require(const cgan_loss *loss, int kind, const char *fn);
/* Reset every statistic to NaN (called at the start of each compute). */
void cgan__loss_reset_stats(cgan_loss *loss);
/* At least n doubles of workspace (NULL and CGAN_ENOMEM set on failure). */
double *cgan__loss_workspace(cgan_loss *loss, size_t n);
/* The handle's label buffer with room for m labels (NULL + ENOMEM). */
int32_t *cgan__loss_label_buffer(cgan_loss *loss, int64_t m);
/* t must be 2-D; *rows, *cols receive its extents.  If rows_expected >= 0
 * the first extent must equal it (CGAN_ESHAPE naming arg, the shape and
 * what it must match). */
int cgan__loss_check_matrix(const char *fn, const char *arg, const cgan_tensor *t,
                            int64_t rows_expected, const char *match, int64_t *rows, int64_t *cols);
/* g must be NULL or have exactly the shape of like (CGAN_ESHAPE otherwise). */
int cgan__loss_check_grad(const char *fn, const char *arg, const cgan_tensor *g,
                          const cgan_tensor *like, const char *like_name);
/* Convert labels ([m] or [m,1], whole numbers in [0, n_classes)) to int32. */
int cgan__loss_labels(const char *fn, const char *arg, const cgan_tensor *labels, int64_t m,
                      int n_classes, int32_t *out);
/* Copy t's elements into doubles; CGAN_ENUMERIC naming the element if one
 * is not finite. */
int cgan__loss_input(const char *fn, const char *arg, const cgan_tensor *t, double *dst);
/* CGAN_ENUMERIC if any of n values, times scale, is not a finite float. */
int cgan__loss_check_output(const char *fn, const char *arg, const double *src, int64_t n,
                            double scale);
/* dst[i] = (float)(scale * src[i]); call cgan__loss_check_output first. */
void cgan__loss_store(cgan_tensor *dst, const double *src, double scale);

/* ------------------------------------------------------- numeric kernels */
/* u_i = x_i / max(|x_i|, eps) for the m rows of x [m, d]; norms[i] = |x_i|.
 * Returns the number of rows with |x_i| < eps. */
int64_t cgan__rows_normalize(int64_t m, int64_t d, const double *x, double *u, double *norms);
/* Backward of cgan__rows_normalize: dx_i = (du_i - (u_i.du_i) u_i) / |x_i|,
 * or du_i / eps below the floor.  dx may be du (in place). */
void cgan__rows_normalize_backward(int64_t m, int64_t d, const double *u, const double *norms,
                                   const double *du, double *dx);

/* Pairwise distances.  dist [m, m] (symmetric, zero diagonal for l2/l2n).
 * xs [m, d] and norms [m] receive the normalised rows for cos / l2n (unused
 * for l2).  Returns the number of zero-norm rows (cos / l2n). */
int64_t cgan__pairwise_distance(int kind, int64_t m, int64_t d, const double *x, double *xs,
                                double *norms, double *dist);
/* dx [m, d] = scale * sum_j S_ij dD_ij/dx_i, where S [m, m] holds
 * dL/dD_ij + dL/dD_ji (symmetric).  Subgradient 0 where D_ij = 0 (l2). */
void cgan__pairwise_distance_backward(int kind, int64_t m, int64_t d, const double *x,
                                      const double *xs, const double *norms, const double *dist,
                                      const double *S, double scale, double *dx);

/* 2C (math-spec 3), unweighted.  l, e [m, d], y [m] labels, t > 0.
 * dl, de (or NULL) receive the gradients.  ws: cgan__loss_2c_workspace
 * doubles.  Returns the loss. */
typedef struct cgan__2c_stats {
    int64_t degenerate_rows, zero_norm_rows;
} cgan__2c_stats;
size_t cgan__loss_2c_workspace(int64_t m, int64_t d);
double cgan__loss_2c(int64_t m, int64_t d, const double *l, const double *e, const int32_t *y,
                     double t, double *dl, double *de, double *ws, cgan__2c_stats *st);

/* Continuous contrastive loss (math-spec 4), unweighted.  l [m, dl];
 * target "learned": e [m, de]; target "fixed": cond [m, k].  cond may also
 * be given with "learned" (statistics only).  gl, ge (or NULL) receive the
 * gradients (ge untouched for "fixed").  ws: cgan__loss_ccl_workspace. */
typedef struct cgan__ccl_params {
    int distance, reduction, target;
    double alpha, delta;
} cgan__ccl_params;
typedef struct cgan__ccl_stats {
    int64_t active_pairs, zero_norm_rows;
    double mean_target; /* NaN when there is no pair to average */
} cgan__ccl_stats;
size_t cgan__loss_ccl_workspace(int64_t m, int64_t dl, int64_t de);
double cgan__loss_ccl(const cgan__ccl_params *p, int64_t m, int64_t dl, const double *l,
                      int64_t de, const double *e, int64_t k, const double *cond, double *gl,
                      double *ge, double *ws, cgan__ccl_stats *st);

#endif /* CGAN_LOSS_INTERNAL_H */
