/* Training on a prepared data set: real batches from the balanced sampler,
 * noise and fake conditions from the GAN's own random generator.  Every bit
 * of randomness comes from state that checkpoints save (the generator's
 * state and the number of sampler batches drawn), so a resumed run is
 * identical to an uninterrupted one. */
#include "gan_internal.h"

#include <stdlib.h>
#include <string.h>

/* The sampler's seed is derived from the GAN's, so one seed fixes the run. */
#define SAMPLER_SEED_SALT 0x5a4d504c45520000ULL

typedef struct train_ctx {
    cgan_gan *g;
    const cgan_dataset *d;
    cgan_sampler *sampler;
    int64_t batch, n_classes, k;
    int64_t *idx;
    float *class_cond; /* continuous: the scaled conditions of each class [n_classes * k] */
} train_ctx;

static int check_dataset(const cgan_gan *g, const cgan_dataset *d) {
    const cgan_config *c = &g->cfg;
    int64_t s = cgan__cfg_int(c, CGAN_CONFIG_IMAGE_SIZE);
    int k = cgan__cfg_int(c, CGAN_CONFIG_COND_DIM);
    if (cgan_dataset_size(d) != s)
        return cgan__error(CGAN_EINVAL, "cgan_gan_train: data set patches are %lld px, the model makes %lld px",
                           (long long)cgan_dataset_size(d), (long long)s);
    if (k == 0 && cgan_dataset_classes(d) != cgan__cfg_int(c, CGAN_CONFIG_NUM_CLASSES))
        return cgan__error(CGAN_EINVAL, "cgan_gan_train: data set has %lld classes, the model %d",
                           (long long)cgan_dataset_classes(d), cgan__cfg_int(c, CGAN_CONFIG_NUM_CLASSES));
    if (k > 0 && (!cgan_dataset_continuous(d) || cgan_dataset_columns(d) != k))
        return cgan__error(CGAN_EINVAL, "cgan_gan_train: the model takes %d continuous conditions; the "
                           "data set has %d%s", k, cgan_dataset_columns(d),
                           cgan_dataset_continuous(d) ? "" : " and was prepared without --continuous");
    if (g->critic == NULL)
        return cgan__error(CGAN_ESTATE, "cgan_gan_train: this model was loaded without a critic");
    return CGAN_OK;
}

/* Patches per condition in a batch: as configured, else batch / classes,
 * at least 2 (the contrastive loss needs positives), dividing the batch. */
static int64_t per_class(const cgan_config *c, int64_t batch, int64_t n_classes) {
    int64_t pc = cgan__cfg_int(c, CGAN_CONFIG_PER_CLASS);
    if (pc <= 0) pc = batch / n_classes < 2 ? 2 : batch / n_classes;
    if (pc > batch) pc = batch;
    while (batch % pc != 0) pc--;
    return pc;
}

static void ctx_free(train_ctx *t) {
    cgan_sampler_destroy(t->sampler);
    free(t->idx);
    free(t->class_cond);
}

static int ctx_init(train_ctx *t, cgan_gan *g, const cgan_dataset *d) {
    const int64_t *labels = cgan_dataset_labels(d);
    int64_t n = cgan_dataset_count(d);
    int rc;
    memset(t, 0, sizeof *t);
    t->g = g;
    t->d = d;
    t->batch = cgan__cfg_int(&g->cfg, CGAN_CONFIG_BATCH);
    t->n_classes = cgan_dataset_classes(d);
    t->k = cgan__cfg_int(&g->cfg, CGAN_CONFIG_COND_DIM);
    t->idx = malloc((size_t)t->batch * sizeof *t->idx);
    if (t->idx == NULL) return cgan__error(CGAN_ENOMEM, "cgan_gan_train: out of memory");
    rc = cgan_sampler_create(&t->sampler, labels, n, per_class(&g->cfg, t->batch, t->n_classes),
                             g->seed ^ SAMPLER_SEED_SALT);
    /* Resume: replay the sampler to where the saved run stopped. */
    for (int64_t b = 0; rc == CGAN_OK && b < g->batches_drawn; b++)
        rc = cgan_sampler_next(t->sampler, t->idx, t->batch);
    if (rc == CGAN_OK && t->k > 0) {
        const float *cond = cgan_dataset_conditions(d);
        t->class_cond = calloc((size_t)(t->n_classes * t->k), sizeof(float));
        if (t->class_cond == NULL) return cgan__error(CGAN_ENOMEM, "cgan_gan_train: out of memory");
        for (int64_t i = n - 1; i >= 0; i--) /* every class's conditions, from any of its patches */
            memcpy(t->class_cond + labels[i] * t->k, cond + i * t->k, (size_t)t->k * sizeof(float));
    }
    if (rc == CGAN_OK) rc = cgan__tensor_resize(g->z, 2, (int64_t[]){t->batch, cgan__cfg_int(&g->cfg, CGAN_CONFIG_NOISE_DIM)});
    if (rc == CGAN_OK) rc = cgan__tensor_resize(g->real, 4, (int64_t[]){t->batch, 1, cgan_dataset_size(d), cgan_dataset_size(d)});
    int64_t cond_shape[2] = {t->batch, t->k > 0 ? t->k : 1};
    if (rc == CGAN_OK) rc = cgan__tensor_resize(g->real_cond, t->k > 0 ? 2 : 1, cond_shape);
    if (rc == CGAN_OK) rc = cgan__tensor_resize(g->fake_cond, t->k > 0 ? 2 : 1, cond_shape);
    return rc;
}

/* A real batch with its conditions. */
static int draw_real(train_ctx *t) {
    cgan_gan *g = t->g;
    int rc = cgan_sampler_next(t->sampler, t->idx, t->batch);
    if (rc != CGAN_OK) return rc;
    g->batches_drawn++;
    return t->k > 0 ? cgan_dataset_gather(t->d, t->idx, t->batch, g->real, NULL, g->real_cond)
                    : cgan_dataset_gather(t->d, t->idx, t->batch, g->real, g->real_cond, NULL);
}

/* Noise (batch x noise normals), then the fake conditions: a class uniform
 * over the data set's conditions for each sample. */
static int draw_fake(train_ctx *t) {
    cgan_gan *g = t->g;
    int rc = cgan_tensor_fill_normal(g->z, g->rng, 0.0f, 1.0f);
    float *fc = g->fake_cond->data;
    for (int64_t i = 0; rc == CGAN_OK && i < t->batch; i++) {
        int64_t cls = cgan_rng_below(g->rng, t->n_classes);
        if (t->k > 0)
            memcpy(fc + i * t->k, t->class_cond + cls * t->k, (size_t)t->k * sizeof(float));
        else
            fc[i] = (float)cls;
    }
    return rc;
}

int cgan_gan_train(cgan_gan *g, const cgan_dataset *d, int64_t iterations, cgan_step_fn on_step,
                   void *user) {
    train_ctx t;
    int rc, stop = 0;
    CGAN__CHECK_NOT_NULL(g, "gan");
    CGAN__CHECK_NOT_NULL(d, "dataset");
    if (iterations < 0) return cgan__error(CGAN_EINVAL, "cgan_gan_train: iterations %lld < 0", (long long)iterations);
    if ((rc = check_dataset(g, d)) != CGAN_OK) return rc;
    rc = ctx_init(&t, g, d);
    int n_critic = cgan__cfg_int(&g->cfg, CGAN_CONFIG_N_CRITIC);
    for (int64_t it = 0; rc == CGAN_OK && it < iterations && !stop; it++) {
        for (int s = 0; rc == CGAN_OK && s < n_critic; s++) {
            if ((rc = draw_real(&t)) == CGAN_OK && (rc = draw_fake(&t)) == CGAN_OK)
                rc = cgan_gan_critic_step(g, g->real, g->real_cond, g->z, g->fake_cond);
            if (rc == CGAN_OK && on_step) stop |= on_step(g, CGAN_STEP_CRITIC, user);
        }
        if (rc == CGAN_OK && (rc = draw_fake(&t)) == CGAN_OK)
            rc = cgan_gan_generator_step(g, g->z, g->fake_cond);
        if (rc == CGAN_OK && on_step) stop |= on_step(g, CGAN_STEP_GENERATOR, user);
    }
    ctx_free(&t);
    if (rc == CGAN_OK && stop)
        return cgan__error(CGAN_EINTERRUPTED, "cgan_gan_train: stopped by the step callback after "
                           "iteration %lld", (long long)g->gen_steps);
    return rc;
}
