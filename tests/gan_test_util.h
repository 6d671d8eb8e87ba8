/* Helpers for the model tests: loading parameters by name from an .npz
 * (PyTorch state_dict exports) and writing a tiny prepared data set. */
#ifndef CGAN_GAN_TEST_UTIL_H
#define CGAN_GAN_TEST_UTIL_H

#include "test_util.h"

/* Set every parameter and buffer of m from the member of the same name. */
static inline void load_named(cgan_model *m, const char *npz_path) {
    cgan_npz_reader *r;
    CK_OK(cgan_npz_reader_open(&r, npz_path));
    for (int i = 0; i < cgan_model_num_params(m); i++) {
        const char *name;
        cgan_tensor *v;
        CK_OK(cgan_model_get_param(m, i, &name, &v, NULL));
        ck_assert_msg(cgan_npz_reader_has(r, name), "%s lacks %s", npz_path, name);
        CK_OK(cgan_npz_read_float(r, name, cgan_tensor_data(v), cgan_tensor_numel(v)));
    }
    for (int i = 0; i < cgan_model_num_buffers(m); i++) {
        const char *name;
        cgan_tensor *v;
        CK_OK(cgan_model_get_buffer(m, i, &name, &v));
        CK_OK(cgan_npz_read_float(r, name, cgan_tensor_data(v), cgan_tensor_numel(v)));
    }
    cgan_npz_reader_destroy(r);
}

/* Largest |a - b| / (atol + rtol |b|) over two arrays; <= 1 passes. */
static inline double rel_excess(const float *a, const float *b, int64_t n, double atol, double rtol,
                                 int64_t *worst) {
    double m = 0.0;
    for (int64_t i = 0; i < n; i++) {
        double e = fabs((double)a[i] - b[i]) / (atol + rtol * fabs((double)b[i]));
        if (e > m || e != e) {
            m = e != e ? INFINITY : e;
            if (worst) *worst = i;
        }
    }
    return m;
}

/* Compare a tensor with an .npy fixture in tests/data. */
static inline void expect_close(const cgan_tensor *t, const char *fixture, double atol, double rtol) {
    fixture_array f;
    int64_t worst = 0;
    ck_assert_int_eq(fixture_load(test_data_path(fixture), &f), 0);
    ck_assert_int_eq(f.numel, cgan_tensor_numel(t));
    float *b = malloc(sizeof(float) * (size_t)f.numel);
    for (int64_t i = 0; i < f.numel; i++) b[i] = (float)f.data[i];
    double e = rel_excess(cgan_tensor_data_const(t), b, f.numel, atol, rtol, &worst);
    ck_assert_msg(e <= 1.0, "%s: element %lld is %.8g, PyTorch %.8g (atol %g rtol %g)", fixture,
                  (long long)worst, cgan_tensor_data_const(t)[worst], b[worst], atol, rtol);
    free(b);
    fixture_free(&f);
}

/* A prepared data set with n patches of side s in `classes` discrete
 * classes (patch i has class i % classes), noise patterns per class. */
static inline void write_tiny_dataset(const char *path, int64_t n, int64_t s, int64_t classes) {
    cgan_npz_writer *w;
    cgan_rng *r;
    cgan_tensor *patches;
    const char *fmt = "cgan-dataset", *mode = "discrete";
    char names[16][16];
    const char *name_ptrs[16];
    int64_t *cls = malloc(sizeof(int64_t) * (size_t)n), zero = 0, cond_shape[2] = {n, 0};
    CK_OK(cgan_rng_create(&r, 99));
    CK_OK(cgan_tensor_create4(&patches, n, 1, s, s));
    float *p = cgan_tensor_data(patches);
    for (int64_t i = 0; i < n; i++) {
        cls[i] = i % classes;
        for (int64_t j = 0; j < s * s; j++)
            p[i * s * s + j] = (float)tanh(0.3 * cgan_rng_normal(r) + (cls[i] - classes / 2.0) * 0.2 +
                                          ((j / s + cls[i]) % 4 == 0 ? 0.5 : -0.2));
    }
    for (int64_t c = 0; c < classes; c++) {
        snprintf(names[c], sizeof names[c], "class%lld", (long long)c);
        name_ptrs[c] = names[c];
    }
    CK_OK(cgan_npz_writer_create(&w, path, 0));
    CK_OK(cgan_npz_add_strings(w, "format", &fmt, 1));
    CK_OK(cgan_npz_add_tensor(w, "patches", patches));
    CK_OK(cgan_npz_add_int64(w, "class", 1, &n, cls));
    CK_OK(cgan_npz_add_float(w, "conditions", 2, cond_shape, NULL));
    CK_OK(cgan_npz_add_strings(w, "class_names", name_ptrs, classes));
    CK_OK(cgan_npz_add_strings(w, "columns", NULL, 0));
    CK_OK(cgan_npz_add_float(w, "scale_min", 1, &zero, NULL));
    CK_OK(cgan_npz_add_float(w, "scale_max", 1, &zero, NULL));
    CK_OK(cgan_npz_add_int64(w, "scale_log10", 1, &zero, NULL));
    CK_OK(cgan_npz_add_strings(w, "mode", &mode, 1));
    CK_OK(cgan_npz_add_float_scalar(w, "um_per_px", 0.1f));
    CK_OK(cgan_npz_writer_finish(w));
    cgan_npz_writer_destroy(w);
    cgan_tensor_destroy(patches);
    cgan_rng_destroy(r);
    free(cls);
}

#endif
