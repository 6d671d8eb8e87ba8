/* Helpers for the loss suites: PyTorch fixtures from tests/data/loss as
 * tensors, tolerance comparisons and central-difference gradient checks on
 * the double-precision kernels. */
#ifndef CGAN_LOSS_TEST_UTIL_H
#define CGAN_LOSS_TEST_UTIL_H

#include "fixture.h"
#include "test_util.h"

/* Load tests/data/loss/<name>.npy (fails the test if missing). */
static inline fixture_array fx_load(const char *name) {
    char rel[256];
    fixture_array a;
    snprintf(rel, sizeof rel, "loss/%s.npy", name);
    ck_assert_msg(fixture_load(test_data_path(rel), &a) == 0, "cannot load fixture %s", rel);
    return a;
}

/* The fixture as a float tensor of the same shape (1-D or 2-D). */
static inline cgan_tensor *fx_tensor(const char *name) {
    fixture_array a = fx_load(name);
    cgan_tensor *t;
    ck_assert_int_le(a.ndim, 2);
    CK_OK(cgan_tensor_create(&t, a.ndim, a.shape));
    for (int64_t i = 0; i < a.numel; i++) cgan_tensor_data(t)[i] = (float)a.data[i];
    fixture_free(&a);
    return t;
}

static inline double fx_scalar(const char *name) {
    fixture_array a = fx_load(name);
    double v = a.data[0];
    fixture_free(&a);
    return v;
}

static inline cgan_tensor *zeros_like(const cgan_tensor *like) {
    int nd;
    int64_t shape[4];
    cgan_tensor *t;
    CK_OK(cgan_tensor_shape(like, &nd, shape));
    CK_OK(cgan_tensor_create(&t, nd, shape));
    return t;
}

static inline double max_abs(const double *a, int64_t n) {
    double m = 0.0;
    for (int64_t i = 0; i < n; i++) m = fabs(a[i]) > m ? fabs(a[i]) : m;
    return m;
}

/* Largest |got - ref| over the elements, relative to max |ref| (or to 1
 * when ref is all zeros). */
static inline double rel_err(const float *got, const double *ref, int64_t n) {
    double scale = max_abs(ref, n), err = 0.0;
    if (scale == 0.0) scale = 1.0;
    for (int64_t i = 0; i < n; i++) {
        double d = fabs((double)got[i] - ref[i]);
        err = d > err ? d : err;
    }
    return err / scale;
}

/* Compare a float tensor with fixture <name>; shapes must agree. */
static inline double fx_compare(const cgan_tensor *got, const char *name) {
    fixture_array ref = fx_load(name);
    ck_assert_int_eq(ref.numel, cgan_tensor_numel(got));
    double e = rel_err(cgan_tensor_data_const(got), ref.data, ref.numel);
    fixture_free(&ref);
    if (getenv("CGAN_TEST_VERBOSE")) fprintf(stderr, "  %-34s rel err %.2e\n", name, e);
    return e;
}

static inline double rel_diff(double a, double b) {
    double s = fabs(b) > 1.0 ? fabs(b) : 1.0;
    return fabs(a - b) / s;
}

/* Central differences of f at x (n values, restored afterwards) against
 * the analytic gradient g: the largest |fd - g| relative to max |g|. */
typedef double (*fd_value_fn)(void *ctx, const double *x);
static inline double fd_check(fd_value_fn f, void *ctx, double *x, const double *g, int64_t n,
                              double h) {
    double scale = max_abs(g, n), err = 0.0;
    if (scale == 0.0) scale = 1.0;
    for (int64_t i = 0; i < n; i++) {
        double keep = x[i];
        x[i] = keep + h;
        double fp = f(ctx, x);
        x[i] = keep - h;
        double fm = f(ctx, x);
        x[i] = keep;
        double d = fabs((fp - fm) / (2.0 * h) - g[i]);
        err = d > err ? d : err;
    }
    return err / scale;
}

static inline void fill_normal(cgan_rng *r, double *x, int64_t n, double scale) {
    for (int64_t i = 0; i < n; i++) x[i] = scale * cgan_rng_normal(r);
}

#endif
