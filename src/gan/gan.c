/* The GAN handle: both networks, their optimizers and losses, the random
 * generator, the step counters and the conditions' metadata. */
#include "gan_internal.h"

#include <stdlib.h>
#include <string.h>

static int make_optim(cgan_optim **out, const cgan_config *c, cgan_model *m, int lr_key) {
    int rc = cgan_optim_create(out, cgan__cfg_int(c, CGAN_CONFIG_OPTIMIZER), m);
    if (rc == CGAN_OK) rc = cgan_optim_set(*out, CGAN_OPTIM_LR, cgan__cfg_num(c, lr_key));
    return rc;
}

static int make_contrastive(cgan_loss **out, const cgan_config *c) {
    int kind = cgan__cfg_contrastive(c), rc;
    double weight = cgan__cfg_num(c, CGAN_CONFIG_CONTRASTIVE_WEIGHT);
    *out = NULL;
    if (kind == CGAN_CONTRASTIVE_NONE || weight == 0.0) return CGAN_OK;
    if (kind == CGAN_CONTRASTIVE_2C) {
        rc = cgan_loss_create_2c(out, cgan__cfg_int(c, CGAN_CONFIG_NUM_CLASSES));
        if (rc == CGAN_OK)
            rc = cgan_loss_set_param(*out, "temperature", cgan__cfg_num(c, CGAN_CONFIG_TEMPERATURE));
    } else {
        rc = cgan_loss_create_continuous(out);
        if (rc == CGAN_OK) rc = cgan_loss_set_param(*out, "alpha", cgan__cfg_num(c, CGAN_CONFIG_CCL_ALPHA));
        if (rc == CGAN_OK) rc = cgan_loss_set_param(*out, "delta", cgan__cfg_num(c, CGAN_CONFIG_CCL_DELTA));
        if (rc == CGAN_OK)
            rc = cgan_loss_set_param(*out, "distance", cgan__cfg_num(c, CGAN_CONFIG_CCL_DISTANCE));
        if (rc == CGAN_OK)
            rc = cgan_loss_set_param(*out, "reduction", cgan__cfg_num(c, CGAN_CONFIG_CCL_REDUCTION));
    }
    if (rc == CGAN_OK) rc = cgan_loss_set_param(*out, "weight", weight);
    return rc;
}

int cgan__gan_build(cgan_gan *g, int with_critic) {
    const cgan_config *c = &g->cfg;
    int rc = cgan_rng_create(&g->rng, g->seed);
    if (rc == CGAN_OK) rc = cgan_build_generator(&g->gen, c, g->rng);
    if (rc == CGAN_OK && with_critic) rc = cgan_build_critic(&g->critic, c, g->rng);
    /* math-spec 5.3: the critic is clipped once at initialisation too. */
    if (rc == CGAN_OK && g->critic) {
        double clip = cgan__cfg_num(c, CGAN_CONFIG_CLIP);
        rc = cgan_model_clamp_params(g->critic, (float)-clip, (float)clip);
    }
    if (rc == CGAN_OK) rc = make_optim(&g->opt_g, c, g->gen, CGAN_CONFIG_LR_G);
    if (rc == CGAN_OK && g->critic) rc = make_optim(&g->opt_d, c, g->critic, CGAN_CONFIG_LR_D);
    if (rc == CGAN_OK) rc = cgan_loss_create_wgan(&g->wgan);
    if (rc == CGAN_OK) rc = make_contrastive(&g->contrastive, c);
    int k = cgan__cfg_int(c, CGAN_CONFIG_COND_DIM);
    if (rc == CGAN_OK && k > 0) rc = cgan_cond_scaler_create(&g->scaler, k);
    cgan_tensor **bufs[] = {&g->d_real, &g->grad_d, &g->grad_l, &g->grad_e,
                            &g->z, &g->fake_cond, &g->real, &g->real_cond};
    for (size_t i = 0; rc == CGAN_OK && i < sizeof bufs / sizeof bufs[0]; i++)
        rc = cgan_tensor_create4(bufs[i], 1, 0, 0, 0);
    for (int i = 0; i < 9; i++) g->metric[i] = 0.0;
    return rc;
}

int cgan_gan_create(cgan_gan **out, const cgan_config *c, uint64_t seed) {
    int rc;
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    CGAN__CHECK_NOT_NULL(c, "config");
    if ((rc = cgan__cfg_validate(c)) != CGAN_OK) return rc;
    cgan_gan *g = calloc(1, sizeof *g);
    if (g == NULL) return cgan__error(CGAN_ENOMEM, "cgan_gan_create: out of memory");
    g->cfg = *c;
    g->seed = seed;
    if ((rc = cgan__gan_build(g, 1)) != CGAN_OK) {
        cgan_gan_destroy(g);
        return rc;
    }
    *out = g;
    return CGAN_OK;
}

static void free_names(char **names, int64_t n) {
    if (names == NULL) return;
    for (int64_t i = 0; i < n; i++) free(names[i]);
    free(names);
}

void cgan__gan_free_metadata(cgan_gan *g) {
    free_names(g->class_names, cgan__cfg_int(&g->cfg, CGAN_CONFIG_NUM_CLASSES));
    free_names(g->column_names, cgan__cfg_int(&g->cfg, CGAN_CONFIG_COND_DIM));
    g->class_names = g->column_names = NULL;
}

void cgan_gan_destroy(cgan_gan *g) {
    if (g == NULL) return;
    cgan_model_destroy(g->gen);
    cgan_model_destroy(g->critic);
    cgan_optim_destroy(g->opt_g);
    cgan_optim_destroy(g->opt_d);
    cgan_loss_destroy(g->wgan);
    cgan_loss_destroy(g->contrastive);
    cgan_rng_destroy(g->rng);
    cgan_cond_scaler_destroy(g->scaler);
    cgan__gan_free_metadata(g);
    cgan_tensor *bufs[] = {g->d_real, g->grad_d, g->grad_l, g->grad_e,
                           g->z, g->fake_cond, g->real, g->real_cond};
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++) cgan_tensor_destroy(bufs[i]);
    free(g);
}

const cgan_config *cgan_gan_config(const cgan_gan *g) { return g ? &g->cfg : NULL; }
cgan_model *cgan_gan_generator(cgan_gan *g) { return g ? g->gen : NULL; }
cgan_model *cgan_gan_critic(cgan_gan *g) { return g ? g->critic : NULL; }

/* Copy n strings into a new array; NULL entries become "". */
static int copy_names(char ***dst, const char *const *names, int64_t n) {
    char **a = calloc((size_t)n, sizeof *a);
    if (a == NULL) return cgan__error(CGAN_ENOMEM, "out of memory");
    for (int64_t i = 0; i < n; i++) {
        a[i] = strdup(names[i] ? names[i] : "");
        if (a[i] == NULL) {
            free_names(a, n);
            return cgan__error(CGAN_ENOMEM, "out of memory");
        }
    }
    *dst = a;
    return CGAN_OK;
}

int cgan_gan_set_class_names(cgan_gan *g, const char *const *names, int64_t n) {
    char **copy;
    int rc;
    CGAN__CHECK_NOT_NULL(g, "gan");
    CGAN__CHECK_NOT_NULL(names, "names");
    int64_t want = cgan__cfg_int(&g->cfg, CGAN_CONFIG_NUM_CLASSES);
    if (n != want)
        return cgan__error(CGAN_EINVAL, "cgan_gan_set_class_names: %lld names for %lld classes",
                           (long long)n, (long long)want);
    if ((rc = copy_names(&copy, names, n)) != CGAN_OK) return rc;
    free_names(g->class_names, n);
    g->class_names = copy;
    return CGAN_OK;
}

const char *cgan_gan_class_name(const cgan_gan *g, int64_t cls) {
    if (g == NULL || g->class_names == NULL || cls < 0 ||
        cls >= cgan__cfg_int(&g->cfg, CGAN_CONFIG_NUM_CLASSES))
        return NULL;
    return g->class_names[cls];
}

int cgan_gan_set_conditions(cgan_gan *g, const char *const *column_names, const cgan_cond_scaler *s) {
    char **copy;
    int rc, k;
    CGAN__CHECK_NOT_NULL(g, "gan");
    CGAN__CHECK_NOT_NULL(column_names, "column_names");
    CGAN__CHECK_NOT_NULL(s, "scaler");
    k = cgan__cfg_int(&g->cfg, CGAN_CONFIG_COND_DIM);
    if (k == 0) return cgan__error(CGAN_EINVAL, "cgan_gan_set_conditions: the model is discrete");
    if (cgan_cond_scaler_columns(s) != k)
        return cgan__error(CGAN_EINVAL, "cgan_gan_set_conditions: scaler has %d columns, model %d",
                           cgan_cond_scaler_columns(s), k);
    for (int col = 0; col < k; col++) {
        double lo, hi;
        int log10_on;
        if ((rc = cgan_cond_scaler_get_column(s, col, &lo, &hi, &log10_on)) != CGAN_OK ||
            (rc = cgan_cond_scaler_set_column(g->scaler, col, lo, hi, log10_on)) != CGAN_OK)
            return rc;
    }
    if ((rc = copy_names(&copy, column_names, k)) != CGAN_OK) return rc;
    free_names(g->column_names, k);
    g->column_names = copy;
    return CGAN_OK;
}

const char *cgan_gan_condition_column(const cgan_gan *g, int col) {
    if (g == NULL || g->column_names == NULL || col < 0 || col >= cgan__cfg_int(&g->cfg, CGAN_CONFIG_COND_DIM))
        return NULL;
    return g->column_names[col];
}

int cgan_gan_adopt_dataset(cgan_gan *g, const cgan_dataset *d) {
    int rc = CGAN_OK;
    CGAN__CHECK_NOT_NULL(g, "gan");
    CGAN__CHECK_NOT_NULL(d, "dataset");
    int k = cgan__cfg_int(&g->cfg, CGAN_CONFIG_COND_DIM);
    int64_t n = cgan_dataset_classes(d);
    if (k == 0) {
        const char **names = calloc((size_t)n, sizeof *names);
        if (names == NULL) return cgan__error(CGAN_ENOMEM, "out of memory");
        for (int64_t i = 0; i < n; i++) names[i] = cgan_dataset_class_name(d, i);
        rc = cgan_gan_set_class_names(g, names, n);
        free(names);
        return rc;
    }
    if (cgan_dataset_columns(d) != k)
        return cgan__error(CGAN_EINVAL, "cgan_gan_adopt_dataset: data set has %d condition columns, "
                                        "the model %d", cgan_dataset_columns(d), k);
    cgan_cond_scaler *s = NULL;
    const char **names = calloc((size_t)k, sizeof *names);
    if (names == NULL) return cgan__error(CGAN_ENOMEM, "out of memory");
    rc = cgan_cond_scaler_create(&s, k);
    for (int col = 0; rc == CGAN_OK && col < k; col++) {
        double lo, hi;
        int log10_on;
        names[col] = cgan_dataset_column_name(d, col);
        rc = cgan_dataset_scaling(d, col, &lo, &hi, &log10_on);
        if (rc == CGAN_OK) rc = cgan_cond_scaler_set_column(s, col, lo, hi, log10_on);
    }
    if (rc == CGAN_OK) rc = cgan_gan_set_conditions(g, names, s);
    cgan_cond_scaler_destroy(s);
    free(names);
    return rc;
}

int cgan_gan_scale_conditions(const cgan_gan *g, const double *raw, int64_t n, cgan_tensor *out) {
    CGAN__CHECK_NOT_NULL(g, "gan");
    CGAN__CHECK_NOT_NULL(raw, "raw");
    CGAN__CHECK_NOT_NULL(out, "out");
    if (g->scaler == NULL)
        return cgan__error(CGAN_EINVAL, "cgan_gan_scale_conditions: the model is discrete");
    return cgan_cond_scaler_apply_tensor(g->scaler, raw, n, out);
}
