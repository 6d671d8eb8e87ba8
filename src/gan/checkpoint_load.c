/* Reading a checkpoint written by cgan_gan_save, or a generator exported
 * from PyTorch with architecture.md's names and nothing else (its
 * configuration then follows from the parameter shapes).  Every failure
 * names the file and the member; nothing is half-loaded into a caller's
 * object because a new GAN is built and only returned on success. */
#include "gan_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct loader {
    cgan_npz_reader *r;
    const char *path;
} loader;

static int missing(const loader *L, const char *member) {
    return cgan__error(CGAN_EFORMAT, "%s: member '%s' is missing", L->path, member);
}

/* Member shape as a count of elements and its extents. */
static int member_shape(const loader *L, const char *name, int *ndim, int64_t *shape, int64_t *numel) {
    if (!cgan_npz_reader_has(L->r, name)) return missing(L, name);
    return cgan_npz_member_info(L->r, name, NULL, ndim, shape, numel, NULL);
}

/* Load float32 member `name` into t, which must have the same shape (a 0-d
 * member fits a [1] tensor). */
static int load_tensor(const loader *L, const char *name, cgan_tensor *t) {
    int ndim, rc;
    int64_t shape[CGAN_NPY_MAX_DIMS], numel;
    if ((rc = member_shape(L, name, &ndim, shape, &numel)) != CGAN_OK) return rc;
    int same = ndim == t->ndim && memcmp(shape, t->shape, (size_t)ndim * sizeof *shape) == 0;
    if (!same && !(ndim == 0 && t->numel == 1)) {
        char want[64], got[96] = "[";
        for (int i = 0; i < ndim; i++)
            snprintf(got + strlen(got), sizeof got - strlen(got), i ? ", %lld" : "%lld", (long long)shape[i]);
        strncat(got, "]", sizeof got - strlen(got) - 1);
        return cgan__error(CGAN_EFORMAT, "%s: member '%s' has shape %s, the model needs %s", L->path,
                           name, got, cgan__shape_str(t, want, sizeof want));
    }
    return cgan_npz_read_float(L->r, name, t->data, t->numel);
}

static int load_model(const loader *L, cgan_model *m) {
    int rc = CGAN_OK;
    for (int i = 0; rc == CGAN_OK && i < cgan_model_num_params(m); i++) {
        const char *name;
        cgan_tensor *v;
        if ((rc = cgan_model_get_param(m, i, &name, &v, NULL)) == CGAN_OK) rc = load_tensor(L, name, v);
    }
    for (int i = 0; rc == CGAN_OK && i < cgan_model_num_buffers(m); i++) {
        const char *name;
        cgan_tensor *v;
        int64_t count;
        if ((rc = cgan_model_get_buffer(m, i, &name, &v)) != CGAN_OK) break;
        size_t len = strlen(name), suffix = strlen("num_batches_tracked");
        if (len >= suffix && strcmp(name + len - suffix, "num_batches_tracked") == 0) {
            if (!cgan_npz_reader_has(L->r, name)) rc = missing(L, name);
            else if ((rc = cgan_npz_read_int64(L->r, name, &count, 1)) == CGAN_OK) v->data[0] = (float)count;
        } else {
            rc = load_tensor(L, name, v);
        }
    }
    return rc;
}

static int load_optim(const loader *L, cgan_optim *o, const char *which) {
    char key[1100];
    int64_t step;
    snprintf(key, sizeof key, "optim.%s.step", which);
    if (!cgan_npz_reader_has(L->r, key)) return missing(L, key);
    int rc = cgan_npz_read_int64(L->r, key, &step, 1);
    if (rc == CGAN_OK) rc = cgan_optim_set_step(o, step);
    for (int i = 0; rc == CGAN_OK && i < cgan_optim_num_states(o); i++) {
        const char *name;
        cgan_tensor *v;
        if ((rc = cgan_optim_get_state(o, i, &name, &v)) != CGAN_OK) break;
        snprintf(key, sizeof key, "optim.%s", name);
        rc = load_tensor(L, key, v);
    }
    return rc;
}

/* The configuration saved in the file, or inferred from generator shapes. */
static int read_config(const loader *L, cgan_config *c, int *full) {
    int rc = CGAN_OK, key, ndim;
    int64_t shape[CGAN_NPY_MAX_DIMS], numel;
    const char *name;
    char member[64];
    *full = cgan_npz_reader_has(L->r, "config.image_size");
    if (*full) {
        for (int i = 0; rc == CGAN_OK && cgan_config_key_at(i, &key, &name) == CGAN_OK; i++) {
            snprintf(member, sizeof member, "config.%s", name);
            double v;
            if (!cgan_npz_reader_has(L->r, member)) continue; /* a setting newer files add */
            rc = cgan_npz_read_double(L->r, member, &v, 1);
            if (rc == CGAN_OK && (rc = cgan_config_set(c, key, v)) != CGAN_OK)
                rc = cgan__error(CGAN_EFORMAT, "%s: member '%s': %s", L->path, member, cgan_last_error());
        }
        if (rc == CGAN_OK) cgan_clear_error();
        return rc;
    }
    /* A bare generator: embed [n, nz] or cond [nz, k]; fc [8w*16, nz]. */
    int continuous = cgan_npz_reader_has(L->r, "generator.cond.weight");
    const char *cond = continuous ? "generator.cond.weight" : "generator.embed.weight";
    if (!cgan_npz_reader_has(L->r, cond) && !cgan_npz_reader_has(L->r, "generator.fc.weight"))
        return cgan__error(CGAN_EFORMAT, "%s: not a libcgan checkpoint: no member 'format' and no "
                                         "generator.* parameters", L->path);
    if ((rc = member_shape(L, cond, &ndim, shape, &numel)) != CGAN_OK) return rc;
    if (ndim != 2) return cgan__error(CGAN_EFORMAT, "%s: member '%s' is not 2-D", L->path, cond);
    rc = cgan_config_set(c, CGAN_CONFIG_NOISE_DIM, (double)(continuous ? shape[0] : shape[1]));
    if (rc == CGAN_OK) rc = cgan_config_set(c, continuous ? CGAN_CONFIG_COND_DIM : CGAN_CONFIG_NUM_CLASSES,
                                            (double)(continuous ? shape[1] : shape[0]));
    if (rc == CGAN_OK && (rc = member_shape(L, "generator.fc.weight", &ndim, shape, &numel)) == CGAN_OK)
        rc = cgan_config_set(c, CGAN_CONFIG_G_WIDTH, (double)(shape[0] / 128));
    if (rc == CGAN_OK)
        rc = cgan_config_set(c, CGAN_CONFIG_IMAGE_SIZE,
                             cgan_npz_reader_has(L->r, "generator.up6.weight")   ? 256
                             : cgan_npz_reader_has(L->r, "generator.up4.weight") ? 128 : 64);
    if (rc == CGAN_OK)
        rc = cgan_config_set(c, CGAN_CONFIG_SELF_ATTENTION, cgan_npz_reader_has(L->r, "generator.attn.gamma"));
    if (rc == CGAN_OK)
        rc = cgan_config_set(c, CGAN_CONFIG_G_OUTPUT_BN, cgan_npz_reader_has(L->r, "generator.bn_out.weight"));
    if (rc != CGAN_OK)
        return cgan__error(CGAN_EFORMAT, "%s: generator shapes do not describe a libcgan model: %s",
                           L->path, cgan_last_error());
    return CGAN_OK;
}

static int check_format(const loader *L) {
    char magic[64];
    int64_t version;
    int rc;
    if (!cgan_npz_reader_has(L->r, "format")) return CGAN_OK; /* a bare exported generator */
    if ((rc = cgan_npz_read_string(L->r, "format", 0, magic, sizeof magic, NULL)) != CGAN_OK) return rc;
    if (strcmp(magic, CGAN__CKPT_MAGIC) != 0)
        return cgan__error(CGAN_EFORMAT, "%s: member 'format' says '%s', not a libcgan checkpoint",
                           L->path, magic);
    if (!cgan_npz_reader_has(L->r, "format_version")) return missing(L, "format_version");
    if ((rc = cgan_npz_read_int64(L->r, "format_version", &version, 1)) != CGAN_OK) return rc;
    if (version > CGAN__CKPT_VERSION || version < 1)
        return cgan__error(CGAN_EVERSION, "%s: checkpoint format version %lld; this libcgan reads "
                           "version %d", L->path, (long long)version, CGAN__CKPT_VERSION);
    return CGAN_OK;
}

static int read_strings(const loader *L, const char *member, int64_t n, char ***out) {
    int rc = CGAN_OK, ndim;
    int64_t shape[CGAN_NPY_MAX_DIMS], numel;
    *out = NULL;
    if ((rc = member_shape(L, member, &ndim, shape, &numel)) != CGAN_OK) return rc;
    if (numel != n)
        return cgan__error(CGAN_EFORMAT, "%s: member '%s' has %lld names, expected %lld", L->path,
                           member, (long long)numel, (long long)n);
    char **a = calloc((size_t)n, sizeof *a);
    if (a == NULL) return cgan__error(CGAN_ENOMEM, "out of memory");
    for (int64_t i = 0; rc == CGAN_OK && i < n; i++) {
        size_t need = 0;
        cgan_npz_read_string(L->r, member, i, NULL, 0, &need);
        a[i] = malloc(need ? need : 1);
        rc = a[i] ? cgan_npz_read_string(L->r, member, i, a[i], need ? need : 1, NULL)
                  : cgan__error(CGAN_ENOMEM, "out of memory");
    }
    if (rc != CGAN_OK) {
        for (int64_t i = 0; i < n; i++) free(a[i]);
        free(a);
        return rc;
    }
    *out = a;
    return CGAN_OK;
}

static int read_conditions(const loader *L, cgan_gan *g) {
    int rc = CGAN_OK;
    int64_t ncls = cgan__cfg_int(&g->cfg, CGAN_CONFIG_NUM_CLASSES);
    int k = cgan__cfg_int(&g->cfg, CGAN_CONFIG_COND_DIM);
    if (cgan_npz_reader_has(L->r, "classes.names")) rc = read_strings(L, "classes.names", ncls, &g->class_names);
    if (rc != CGAN_OK || k == 0 || !cgan_npz_reader_has(L->r, "conditions.min")) return rc;
    double lo[64], hi[64];
    int64_t log10_on[64];
    if ((rc = cgan_npz_read_double(L->r, "conditions.min", lo, k)) != CGAN_OK ||
        (rc = cgan_npz_read_double(L->r, "conditions.max", hi, k)) != CGAN_OK ||
        (rc = cgan_npz_read_int64(L->r, "conditions.log10", log10_on, k)) != CGAN_OK)
        return rc;
    for (int col = 0; rc == CGAN_OK && col < k; col++)
        rc = cgan_cond_scaler_set_column(g->scaler, col, lo[col], hi[col], (int)log10_on[col]);
    if (rc == CGAN_OK && cgan_npz_reader_has(L->r, "conditions.names"))
        rc = read_strings(L, "conditions.names", k, &g->column_names);
    return rc;
}

static int read_training_state(const loader *L, cgan_gan *g) {
    uint8_t state[CGAN_RNG_STATE_BYTES];
    int64_t seed;
    const char *need[] = {"train.rng_state", "train.seed", "train.critic_steps", "train.generator_steps",
                          "train.batches_drawn", "train.metrics"};
    for (size_t i = 0; i < sizeof need / sizeof need[0]; i++)
        if (!cgan_npz_reader_has(L->r, need[i])) return missing(L, need[i]);
    int rc = cgan_npz_read_bytes(L->r, "train.rng_state", state, CGAN_RNG_STATE_BYTES);
    if (rc == CGAN_OK && (rc = cgan_rng_set_state(g->rng, state)) != CGAN_OK)
        rc = cgan__error(CGAN_EFORMAT, "%s: member 'train.rng_state': %s", L->path, cgan_last_error());
    if (rc == CGAN_OK && (rc = cgan_npz_read_int64(L->r, "train.seed", &seed, 1)) == CGAN_OK)
        g->seed = (uint64_t)seed;
    if (rc == CGAN_OK) rc = cgan_npz_read_int64(L->r, "train.critic_steps", &g->critic_steps, 1);
    if (rc == CGAN_OK) rc = cgan_npz_read_int64(L->r, "train.generator_steps", &g->gen_steps, 1);
    if (rc == CGAN_OK) rc = cgan_npz_read_int64(L->r, "train.batches_drawn", &g->batches_drawn, 1);
    if (rc == CGAN_OK) rc = cgan_npz_read_double(L->r, "train.metrics", g->metric, CGAN__N_METRICS);
    return rc;
}

int cgan_gan_load(cgan_gan **out, const char *path) {
    loader L = {NULL, path};
    cgan_gan *g = NULL;
    cgan_config *c = NULL;
    int rc, full = 0;
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    CGAN__CHECK_NOT_NULL(path, "path");
    if ((rc = cgan_npz_reader_open(&L.r, path)) != CGAN_OK) return rc;
    rc = check_format(&L);
    if (rc == CGAN_OK) rc = cgan_config_create(&c, CGAN_PRESET_PAPER);
    if (rc == CGAN_OK) rc = read_config(&L, c, &full);
    if (rc == CGAN_OK && (g = calloc(1, sizeof *g)) == NULL) rc = cgan__error(CGAN_ENOMEM, "out of memory");
    if (rc == CGAN_OK) {
        g->cfg = *c;
        rc = cgan__cfg_validate(&g->cfg);
    }
    if (rc == CGAN_OK) rc = cgan__gan_build(g, full);
    if (rc == CGAN_OK) rc = load_model(&L, g->gen);
    if (rc == CGAN_OK && full) rc = load_model(&L, g->critic);
    if (rc == CGAN_OK && full) rc = load_optim(&L, g->opt_g, "generator");
    if (rc == CGAN_OK && full) rc = load_optim(&L, g->opt_d, "critic");
    if (rc == CGAN_OK && full) rc = read_training_state(&L, g);
    if (rc == CGAN_OK) rc = read_conditions(&L, g);
    cgan_npz_reader_destroy(L.r);
    cgan_config_destroy(c);
    if (rc != CGAN_OK) {
        cgan_gan_destroy(g);
        return rc;
    }
    *out = g;
    return CGAN_OK;
}
