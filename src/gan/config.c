/* The model configuration: the paper's values by default (Tables 1-3,
 * architecture.md), each changeable through a keyed, validated setter. */
#include "gan_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct key_info {
    int key;
    const char *name;
    double paper;      /* default of CGAN_PRESET_PAPER */
    double lo, hi;     /* accepted range (inclusive) */
    int integer;       /* must be a whole number */
} key_info;

static const key_info keys[] = {
    {CGAN_CONFIG_IMAGE_SIZE, "image_size", 128, 64, 256, 1},
    {CGAN_CONFIG_NOISE_DIM, "noise_dim", 128, 1, 4096, 1},
    {CGAN_CONFIG_NUM_CLASSES, "num_classes", 8, 1, 100000, 1},
    {CGAN_CONFIG_COND_DIM, "cond_dim", 0, 0, 64, 1},
    {CGAN_CONFIG_G_WIDTH, "g_width", 64, 8, 1024, 1},
    {CGAN_CONFIG_D_WIDTH, "d_width", 64, 8, 1024, 1},
    {CGAN_CONFIG_SELF_ATTENTION, "self_attention", 1, 0, 1, 1},
    {CGAN_CONFIG_G_OUTPUT_BN, "g_output_bn", 1, 0, 1, 1},
    {CGAN_CONFIG_PROJ_ACTIVATION, "proj_activation", 0, 0, 1, 1},
    {CGAN_CONFIG_PROXY_REUSE, "proxy_reuse", 0, 0, 1, 1},
    {CGAN_CONFIG_EMBED_DIM, "embed_dim", 64, 1, 4096, 1},
    {CGAN_CONFIG_LRELU_SLOPE, "lrelu_slope", 0.2, 0, 1, 0},
    {CGAN_CONFIG_INIT, "init", CGAN_INIT_GAN, 0, 1, 1},
    {CGAN_CONFIG_LR_G, "lr_g", 2e-4, 0, 10, 0},
    {CGAN_CONFIG_LR_D, "lr_d", 2e-4, 0, 10, 0},
    {CGAN_CONFIG_N_CRITIC, "n_critic", 4, 1, 1000, 1},
    {CGAN_CONFIG_CLIP, "clip", 0.009, 0, 1e30, 0},
    {CGAN_CONFIG_BATCH, "batch", 128, 2, 65536, 1},
    {CGAN_CONFIG_CONTRASTIVE, "contrastive", CGAN_CONTRASTIVE_AUTO, -1, 2, 1},
    {CGAN_CONFIG_CONTRASTIVE_WEIGHT, "contrastive_weight", 1, 0, 1e6, 0},
    {CGAN_CONFIG_TEMPERATURE, "temperature", 0.1, 1e-6, 1e6, 0},
    {CGAN_CONFIG_CCL_ALPHA, "ccl_alpha", 1, 1e-12, 1e6, 0},
    {CGAN_CONFIG_CCL_DELTA, "ccl_delta", 0.1, 0, 1e6, 0},
    {CGAN_CONFIG_CCL_DISTANCE, "ccl_distance", CGAN_DISTANCE_COS, 0, 2, 1},
    {CGAN_CONFIG_CCL_REDUCTION, "ccl_reduction", CGAN_REDUCTION_PAPER, 0, 1, 1},
    {CGAN_CONFIG_OPTIMIZER, "optimizer", CGAN_OPTIM_RMSPROP, 0, 2, 1},
    {CGAN_CONFIG_PER_CLASS, "per_class", 0, 0, 65536, 1},
};
static const int n_keys = (int)(sizeof keys / sizeof keys[0]);

static const key_info *find_key(int key) {
    for (int i = 0; i < n_keys; i++)
        if (keys[i].key == key) return &keys[i];
    return NULL;
}

int cgan_config_create(cgan_config **out, int preset) {
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    if (preset != CGAN_PRESET_PAPER && preset != CGAN_PRESET_SMALL)
        return cgan__error(CGAN_EINVAL, "cgan_config_create: unknown preset %d", preset);
    cgan_config *c = calloc(1, sizeof *c);
    if (c == NULL) return cgan__error(CGAN_ENOMEM, "cgan_config_create: out of memory");
    for (int i = 0; i < n_keys; i++) c->v[keys[i].key] = keys[i].paper;
    if (preset == CGAN_PRESET_SMALL) {
        c->v[CGAN_CONFIG_IMAGE_SIZE] = 64;
        c->v[CGAN_CONFIG_G_WIDTH] = 32;
        c->v[CGAN_CONFIG_D_WIDTH] = 32;
        c->v[CGAN_CONFIG_BATCH] = 64;
    }
    *out = c;
    return CGAN_OK;
}

int cgan_config_clone(cgan_config **out, const cgan_config *src) {
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    CGAN__CHECK_NOT_NULL(src, "src");
    *out = malloc(sizeof **out);
    if (*out == NULL) return cgan__error(CGAN_ENOMEM, "cgan_config_clone: out of memory");
    **out = *src;
    return CGAN_OK;
}

void cgan_config_destroy(cgan_config *c) { free(c); }

int cgan_config_set(cgan_config *c, int key, double value) {
    const key_info *k = find_key(key);
    CGAN__CHECK_NOT_NULL(c, "config");
    if (k == NULL) return cgan__error(CGAN_EINVAL, "cgan_config_set: unknown key %d", key);
    if (!isfinite(value) || value < k->lo || value > k->hi || (k->integer && value != floor(value)))
        return cgan__error(CGAN_EINVAL, "cgan_config_set: %s = %g is not %s in [%g, %g]", k->name,
                           value, k->integer ? "a whole number" : "a number", k->lo, k->hi);
    if (key == CGAN_CONFIG_IMAGE_SIZE && value != 64 && value != 128 && value != 256)
        return cgan__error(CGAN_EINVAL, "cgan_config_set: image_size must be 64, 128 or 256, not %g",
                           value);
    c->v[key] = value;
    return CGAN_OK;
}

int cgan_config_get(const cgan_config *c, int key, double *value) {
    CGAN__CHECK_NOT_NULL(c, "config");
    CGAN__CHECK_NOT_NULL(value, "value");
    if (find_key(key) == NULL) return cgan__error(CGAN_EINVAL, "cgan_config_get: unknown key %d", key);
    *value = c->v[key];
    return CGAN_OK;
}

static int key_by_name(const char *fn, const char *name, int *key) {
    if (name == NULL) return cgan__error(CGAN_EINVAL, "%s: name is NULL", fn);
    for (int i = 0; i < n_keys; i++)
        if (strcmp(keys[i].name, name) == 0) {
            *key = keys[i].key;
            return CGAN_OK;
        }
    return cgan__error(CGAN_EINVAL, "%s: unknown setting '%s'", fn, name);
}

int cgan_config_set_by_name(cgan_config *c, const char *name, double value) {
    int key, rc;
    if ((rc = key_by_name(__func__, name, &key)) != CGAN_OK) return rc;
    return cgan_config_set(c, key, value);
}

int cgan_config_get_by_name(const cgan_config *c, const char *name, double *value) {
    int key, rc;
    if ((rc = key_by_name(__func__, name, &key)) != CGAN_OK) return rc;
    return cgan_config_get(c, key, value);
}

int cgan_config_key_at(int index, int *key, const char **name) {
    if (index < 0 || index >= n_keys)
        return cgan__error(CGAN_EINVAL, "cgan_config_key_at: index %d is not in [0, %d)", index, n_keys);
    if (key) *key = keys[index].key;
    if (name) *name = keys[index].name;
    return CGAN_OK;
}

int cgan__cfg_int(const cgan_config *c, int key) { return (int)c->v[key]; }
double cgan__cfg_num(const cgan_config *c, int key) { return c->v[key]; }

int cgan__cfg_contrastive(const cgan_config *c) {
    int v = cgan__cfg_int(c, CGAN_CONFIG_CONTRASTIVE);
    if (v != CGAN_CONTRASTIVE_AUTO) return v;
    return cgan__cfg_int(c, CGAN_CONFIG_COND_DIM) > 0 ? CGAN_CONTRASTIVE_CONTINUOUS
                                                      : CGAN_CONTRASTIVE_2C;
}

int cgan__cfg_validate(const cgan_config *c) {
    int k = cgan__cfg_int(c, CGAN_CONFIG_COND_DIM), contrastive = cgan__cfg_contrastive(c);
    if (cgan__cfg_int(c, CGAN_CONFIG_PROXY_REUSE) && cgan__cfg_int(c, CGAN_CONFIG_EMBED_DIM) != 64)
        return cgan__error(CGAN_EINVAL, "config: proxy_reuse needs embed_dim 64 (the label plane is "
                                        "8x8), not %d", cgan__cfg_int(c, CGAN_CONFIG_EMBED_DIM));
    if (k == 0 && contrastive == CGAN_CONTRASTIVE_CONTINUOUS)
        return cgan__error(CGAN_EINVAL, "config: the continuous contrastive loss needs cond_dim > 0");
    if (k > 0 && contrastive == CGAN_CONTRASTIVE_2C && cgan__cfg_int(c, CGAN_CONFIG_NUM_CLASSES) < 1)
        return cgan__error(CGAN_EINVAL, "config: 2C with continuous conditions needs num_classes");
    if (cgan__cfg_int(c, CGAN_CONFIG_G_WIDTH) % 8 != 0 && cgan__cfg_int(c, CGAN_CONFIG_SELF_ATTENTION))
        return cgan__error(CGAN_EINVAL, "config: self-attention needs g_width divisible by 8, not %d",
                           cgan__cfg_int(c, CGAN_CONFIG_G_WIDTH));
    return CGAN_OK;
}
