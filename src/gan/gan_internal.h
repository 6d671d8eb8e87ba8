/* Private layout of the configuration and the GAN handle. */
#ifndef CGAN_GAN_INTERNAL_H
#define CGAN_GAN_INTERNAL_H

#include "../core/internal.h"

#define CGAN__CONFIG_SLOTS 34 /* one past the largest cgan_config_key */

struct cgan_config {
    double v[CGAN__CONFIG_SLOTS];
};

/* Typed reads of settings that are validated on set. */
int    cgan__cfg_int(const cgan_config *c, int key);
double cgan__cfg_num(const cgan_config *c, int key);
/* The contrastive loss actually used (AUTO resolved). */
int    cgan__cfg_contrastive(const cgan_config *c);
/* Check the settings fit together (e.g. proxy reuse needs embed_dim 64). */
int    cgan__cfg_validate(const cgan_config *c);

struct cgan_gan {
    cgan_config cfg;
    cgan_model *gen, *critic; /* critic NULL for a generator-only checkpoint */
    cgan_optim *opt_g, *opt_d;
    cgan_loss *wgan, *contrastive; /* contrastive NULL when none */
    cgan_rng *rng;           /* noise and fake conditions while training */
    uint64_t seed;           /* also seeds the data sampler */
    int64_t critic_steps, gen_steps, batches_drawn;
    double metric[9];        /* cgan_metric values of the last steps (CGAN__N_METRICS) */
    /* condition metadata */
    char **class_names;      /* num_classes entries, or NULL */
    char **column_names;     /* cond_dim entries, or NULL */
    cgan_cond_scaler *scaler; /* continuous only */
    /* buffers reused across steps (no allocation after the first) */
    cgan_tensor *d_real, *grad_d, *grad_l, *grad_e;
    cgan_tensor *z, *fake_cond, *real, *real_cond;
};

/* Build the pair of networks and their optimizers/losses from g->cfg. */
int  cgan__gan_build(cgan_gan *g, int with_critic);
/* Check a condition tensor suits the model: labels [N] / [N,1] or scaled
 * conditions [N,k], N = n. */
int  cgan__check_condition(const cgan_gan *g, const char *fn, const char *what,
                           const cgan_tensor *cond, int64_t n);
void cgan__gan_free_metadata(cgan_gan *g);

#endif

/* Checkpoint format (docs/checkpoint-format.md). */
#define CGAN__CKPT_MAGIC   "libcgan-checkpoint"
#define CGAN__CKPT_VERSION 1
#define CGAN__N_METRICS    9
