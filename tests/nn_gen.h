/* Test data shared with tests/oracles/torch_layers.py: tensors generated
 * from a hash of (tag, index), so fixtures need not store inputs and
 * parameters, and comparisons against stored (possibly sampled) results. */
#ifndef CGAN_TEST_NN_GEN_H
#define CGAN_TEST_NN_GEN_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"
#include "test_util.h"

static inline uint64_t gen_fnv1a(const char *s) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* sum(a * b) in double over two tensors of equal size. */
static inline double cgan__test_dot(const cgan_tensor *a, const cgan_tensor *b) {
    double s = 0.0;
    for (int64_t i = 0; i < cgan_tensor_numel(a); i++)
        s += (double)cgan_tensor_data_const(a)[i] * cgan_tensor_data_const(b)[i];
    return s;
}

/* Same values as gen() in torch_layers.py. */
static inline void gen_fill(float *out, int64_t n, const char *tag, double lo, double hi,
                            double quant) {
    uint64_t seed = gen_fnv1a(tag);
    for (int64_t i = 0; i < n; i++) {
        uint64_t z = seed + (uint64_t)(i + 1) * 0x9E3779B97F4A7C15ULL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        z = z ^ (z >> 31);
        double u = (double)(z >> 40) / (double)(1 << 24);
        float v = (float)(lo + (hi - lo) * u);
        if (quant > 0) v = (float)(rint((double)v * quant) / quant);
        out[i] = v;
    }
}

static inline const char *nn_path(const char *cs, const char *name, const char *ext) {
    static char rel[512];
    snprintf(rel, sizeof rel, "nn/%s__%s%s", cs, name, ext);
    return test_data_path(rel);
}

/* Largest magnitude in fixture CASE__NAME. */
static inline double nn_maxabs(const char *cs, const char *name) {
    fixture_array ref;
    double m = 0.0;
    ck_assert_msg(fixture_load(nn_path(cs, name, ".npy"), &ref) == 0, "%s/%s: no fixture", cs, name);
    for (int64_t i = 0; i < ref.numel; i++) m = fmax(m, fabs(ref.data[i]));
    fixture_free(&ref);
    return m;
}

/* Compare n values against fixture CASE__NAME (full, or sampled with
 * NAME.idx.npy): |got - ref| <= rtol |ref| + atol * max(max|ref|, scale).
 * `scale` matters for a tensor that is zero in exact arithmetic (e.g. the
 * attention key bias, to which softmax is invariant): its float rounding
 * noise is judged against the layer's other gradients.  Returns the worst
 * excess ratio (<= 1 passes) and fails the test with a message. */
static inline double nn_compare_scaled(const char *cs, const char *name, const float *got,
                                       int64_t n, double rtol, double atol, double scale) {
    fixture_array ref, idx = {0};
    ck_assert_msg(fixture_load(nn_path(cs, name, ".npy"), &ref) == 0, "%s/%s: no fixture", cs, name);
    int sampled = access(nn_path(cs, name, ".idx.npy"), R_OK) == 0;
    if (sampled) ck_assert(fixture_load(nn_path(cs, name, ".idx.npy"), &idx) == 0);
    else ck_assert_msg(ref.numel == n, "%s/%s: %lld values, fixture has %lld", cs, name,
                       (long long)n, (long long)ref.numel);
    double maxabs = 0.0, worst = 0.0;
    for (int64_t i = 0; i < ref.numel; i++) maxabs = fmax(maxabs, fabs(ref.data[i]));
    maxabs = fmax(maxabs, scale);
    int64_t worst_i = -1;
    double worst_got = 0, worst_ref = 0;
    for (int64_t i = 0; i < ref.numel; i++) {
        int64_t j = sampled ? (int64_t)idx.data[i] : i;
        ck_assert(j >= 0 && j < n);
        double tol = rtol * fabs(ref.data[i]) + atol * maxabs + 1e-30;
        double r = fabs((double)got[j] - ref.data[i]) / tol;
        if (!(r <= worst)) {
            worst = isnan(r) ? INFINITY : r;
            worst_i = j;
            worst_got = got[j];
            worst_ref = ref.data[i];
        }
    }
    ck_assert_msg(worst <= 1.0, "%s/%s: element %lld is %.9g, PyTorch %.9g (tolerance %g rel + %g "
                  "of max %g)", cs, name, (long long)worst_i, worst_got, worst_ref, rtol, atol, maxabs);
    fixture_free(&ref);
    fixture_free(&idx);
    return worst;
}

static inline double nn_compare(const char *cs, const char *name, const float *got, int64_t n,
                                double rtol, double atol) {
    return nn_compare_scaled(cs, name, got, n, rtol, atol, 0.0);
}

#endif
