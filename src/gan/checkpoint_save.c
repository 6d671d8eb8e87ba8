/* Writing a checkpoint: a NumPy .npz with every parameter and buffer under
 * its architecture.md name, plus what resuming needs (optimizer state, step
 * counters, random state) and what using the model needs (configuration,
 * condition names and scaling).  The npz writer commits atomically. */
#include "gan_internal.h"

#include <stdio.h>
#include <string.h>

/* Parameters as float32; buffers too, except num_batches_tracked which
 * PyTorch keeps as a 0-d int64. */
static int add_model(cgan_npz_writer *w, cgan_model *m) {
    int rc = CGAN_OK;
    for (int i = 0; rc == CGAN_OK && i < cgan_model_num_params(m); i++) {
        const char *name;
        cgan_tensor *v;
        if ((rc = cgan_model_get_param(m, i, &name, &v, NULL)) == CGAN_OK) rc = cgan_npz_add_tensor(w, name, v);
    }
    for (int i = 0; rc == CGAN_OK && i < cgan_model_num_buffers(m); i++) {
        const char *name;
        cgan_tensor *v;
        if ((rc = cgan_model_get_buffer(m, i, &name, &v)) != CGAN_OK) break;
        size_t len = strlen(name), suffix = strlen("num_batches_tracked");
        if (len >= suffix && strcmp(name + len - suffix, "num_batches_tracked") == 0)
            rc = cgan_npz_add_int64_scalar(w, name, (int64_t)cgan_tensor_data(v)[0]);
        else
            rc = cgan_npz_add_tensor(w, name, v);
    }
    return rc;
}

static int add_optim(cgan_npz_writer *w, cgan_optim *o, const char *which) {
    char key[1100];
    snprintf(key, sizeof key, "optim.%s.step", which);
    int rc = cgan_npz_add_int64_scalar(w, key, cgan_optim_get_step(o));
    for (int i = 0; rc == CGAN_OK && i < cgan_optim_num_states(o); i++) {
        const char *name;
        cgan_tensor *v;
        if ((rc = cgan_optim_get_state(o, i, &name, &v)) != CGAN_OK) break;
        snprintf(key, sizeof key, "optim.%s", name);
        rc = cgan_npz_add_tensor(w, key, v);
    }
    return rc;
}

static int add_config(cgan_npz_writer *w, const cgan_config *c) {
    int rc = CGAN_OK, key;
    const char *name;
    char member[64];
    for (int i = 0; rc == CGAN_OK && cgan_config_key_at(i, &key, &name) == CGAN_OK; i++) {
        snprintf(member, sizeof member, "config.%s", name);
        rc = cgan_npz_add_double(w, member, 0, NULL, &c->v[key]);
    }
    cgan_clear_error(); /* the loop ends on key_at's "index out of range" */
    return rc;
}

static int add_conditions(cgan_npz_writer *w, const cgan_gan *g) {
    int rc = CGAN_OK;
    int64_t ncls = cgan__cfg_int(&g->cfg, CGAN_CONFIG_NUM_CLASSES);
    int k = cgan__cfg_int(&g->cfg, CGAN_CONFIG_COND_DIM);
    if (g->class_names)
        rc = cgan_npz_add_strings(w, "classes.names", (const char *const *)g->class_names, ncls);
    if (rc != CGAN_OK || k == 0 || !cgan_cond_scaler_is_fitted(g->scaler)) return rc;
    double lo[64], hi[64];
    int64_t log10_on[64], n = k;
    for (int col = 0; rc == CGAN_OK && col < k; col++) {
        int flag;
        rc = cgan_cond_scaler_get_column(g->scaler, col, &lo[col], &hi[col], &flag);
        log10_on[col] = flag;
    }
    if (rc == CGAN_OK && g->column_names)
        rc = cgan_npz_add_strings(w, "conditions.names", (const char *const *)g->column_names, k);
    if (rc == CGAN_OK) rc = cgan_npz_add_double(w, "conditions.min", 1, &n, lo);
    if (rc == CGAN_OK) rc = cgan_npz_add_double(w, "conditions.max", 1, &n, hi);
    if (rc == CGAN_OK) rc = cgan_npz_add_int64(w, "conditions.log10", 1, &n, log10_on);
    return rc;
}

static int add_training_state(cgan_npz_writer *w, const cgan_gan *g) {
    uint8_t state[CGAN_RNG_STATE_BYTES];
    int64_t nm = CGAN__N_METRICS;
    int rc = cgan_rng_get_state(g->rng, state);
    if (rc == CGAN_OK) rc = cgan_npz_add_bytes(w, "train.rng_state", state, CGAN_RNG_STATE_BYTES);
    if (rc == CGAN_OK) rc = cgan_npz_add_int64_scalar(w, "train.seed", (int64_t)g->seed);
    if (rc == CGAN_OK) rc = cgan_npz_add_int64_scalar(w, "train.critic_steps", g->critic_steps);
    if (rc == CGAN_OK) rc = cgan_npz_add_int64_scalar(w, "train.generator_steps", g->gen_steps);
    if (rc == CGAN_OK) rc = cgan_npz_add_int64_scalar(w, "train.batches_drawn", g->batches_drawn);
    if (rc == CGAN_OK) rc = cgan_npz_add_double(w, "train.metrics", 1, &nm, g->metric);
    return rc;
}

int cgan_gan_save(const cgan_gan *g, const char *path) {
    cgan_npz_writer *w = NULL;
    const char *magic = CGAN__CKPT_MAGIC;
    int rc;
    CGAN__CHECK_NOT_NULL(g, "gan");
    CGAN__CHECK_NOT_NULL(path, "path");
    if ((rc = cgan_npz_writer_create(&w, path, 0)) != CGAN_OK) return rc;
    rc = cgan_npz_add_strings(w, "format", &magic, 1);
    if (rc == CGAN_OK) rc = cgan_npz_add_int64_scalar(w, "format_version", CGAN__CKPT_VERSION);
    if (rc == CGAN_OK) rc = add_config(w, &g->cfg);
    if (rc == CGAN_OK) rc = add_conditions(w, g);
    if (rc == CGAN_OK) rc = add_model(w, g->gen);
    if (rc == CGAN_OK) rc = add_optim(w, g->opt_g, "generator");
    if (rc == CGAN_OK && g->critic) rc = add_model(w, g->critic);
    if (rc == CGAN_OK && g->critic) rc = add_optim(w, g->opt_d, "critic");
    if (rc == CGAN_OK) rc = add_training_state(w, g);
    if (rc == CGAN_OK) rc = cgan_npz_writer_finish(w);
    cgan_npz_writer_destroy(w); /* without a finish, nothing was written */
    return rc;
}
