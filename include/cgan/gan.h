/*
 * libcgan: the paper's model.  A configuration, the generator and critic
 * builders of Tables 1-2, the GAN handle that trains them (Table 3: WGAN
 * with weight clipping, RMSprop, 4 critic updates per generator update, the
 * ContraGAN or continuous contrastive loss), sampling, and checkpoints.
 *
 * Include <cgan.h>, not this file directly.  docs/model.md has the details
 * and docs/checkpoint-format.md the file format.
 */
#ifndef CGAN_GAN_H
#define CGAN_GAN_H

#include "core.h"
#include "nn.h"
#include "loss.h"
#include "data.h"

#ifdef __cplusplus
extern "C" {
#endif

/* =============================================================== config */
/* Architecture and training settings.  cgan_config_create gives the paper's
 * model (Tables 1-3); every value can be changed with a keyed setter before
 * the networks are built. */
typedef struct cgan_config cgan_config;

typedef enum cgan_config_key {
    /* architecture */
    CGAN_CONFIG_IMAGE_SIZE = 1,       /* 64, 128 (paper) or 256 */
    CGAN_CONFIG_NOISE_DIM = 2,        /* z size (128) */
    CGAN_CONFIG_NUM_CLASSES = 3,      /* discrete conditions: number of classes (8) */
    CGAN_CONFIG_COND_DIM = 4,         /* continuous conditions: columns k; 0 = discrete (0) */
    CGAN_CONFIG_G_WIDTH = 5,          /* generator width w: 8w,4w,2w,w,w channels (64) */
    CGAN_CONFIG_D_WIDTH = 6,          /* critic width w: w,w,2w,4w,2w channels (64) */
    CGAN_CONFIG_SELF_ATTENTION = 7,   /* 1: SAGAN layer after up3 (1) */
    CGAN_CONFIG_G_OUTPUT_BN = 8,      /* 1: Table 1's "Batch Norm(Output)" before tanh (1) */
    CGAN_CONFIG_PROJ_ACTIVATION = 9,  /* 0: none between proj1 and proj2 (paper); 1: LeakyReLU */
    CGAN_CONFIG_PROXY_REUSE = 10,     /* 1: the critic's label-plane embedding is also the
                                         contrastive proxy e(y) (no critic.proxy) (0) */
    CGAN_CONFIG_EMBED_DIM = 11,       /* projection head output l(x) and proxy size (64) */
    CGAN_CONFIG_LRELU_SLOPE = 12,     /* 0.2 */
    CGAN_CONFIG_INIT = 13,            /* CGAN_INIT_GAN (default) or CGAN_INIT_TORCH */
    /* training */
    CGAN_CONFIG_LR_G = 20,            /* generator learning rate (2e-4) */
    CGAN_CONFIG_LR_D = 21,            /* critic learning rate (2e-4) */
    CGAN_CONFIG_N_CRITIC = 22,        /* critic updates per generator update (4) */
    CGAN_CONFIG_CLIP = 23,            /* critic weights clipped to [-c, c] (0.009) */
    CGAN_CONFIG_BATCH = 24,           /* batch size (128) */
    CGAN_CONFIG_CONTRASTIVE = 25,     /* CGAN_CONTRASTIVE_* (AUTO) */
    CGAN_CONFIG_CONTRASTIVE_WEIGHT = 26, /* lambda (1) */
    CGAN_CONFIG_TEMPERATURE = 27,     /* 2C temperature t (0.1) */
    CGAN_CONFIG_CCL_ALPHA = 28,       /* continuous loss alpha (1) */
    CGAN_CONFIG_CCL_DELTA = 29,       /* continuous loss delta (0.1) */
    CGAN_CONFIG_CCL_DISTANCE = 30,    /* CGAN_DISTANCE_* (cos) */
    CGAN_CONFIG_CCL_REDUCTION = 31,   /* CGAN_REDUCTION_* (paper) */
    CGAN_CONFIG_OPTIMIZER = 32,       /* CGAN_OPTIM_* (RMSPROP) */
    CGAN_CONFIG_PER_CLASS = 33        /* real patches per condition in a batch; 0 = auto:
                                         batch / classes, at least 2 (0) */
} cgan_config_key;

#define CGAN_CONTRASTIVE_AUTO       (-1) /* 2C for discrete, continuous loss for continuous */
#define CGAN_CONTRASTIVE_NONE       0    /* WGAN only (the paper's ablation, Fig. S-5) */
#define CGAN_CONTRASTIVE_2C         1    /* ContraGAN eq. 3 */
#define CGAN_CONTRASTIVE_CONTINUOUS 2    /* the paper's eq. 1 */

#define CGAN_PRESET_PAPER 0 /* Tables 1-3 */
#define CGAN_PRESET_SMALL 1 /* 64x64, widths 32, batch 64: for demos and tests */

CGAN_API int  cgan_config_create(cgan_config **out, int preset);
CGAN_API int  cgan_config_clone(cgan_config **out, const cgan_config *src);
CGAN_API void cgan_config_destroy(cgan_config *c);
/* Errors: CGAN_EINVAL naming the key and the accepted range. */
CGAN_API int  cgan_config_set(cgan_config *c, int key, double value);
CGAN_API int  cgan_config_get(const cgan_config *c, int key, double *value);
/* The same by name ("image_size", "lr_d", "contrastive", ... as in the
 * enum without the CGAN_CONFIG_ prefix, lower case). */
CGAN_API int  cgan_config_set_by_name(cgan_config *c, const char *name, double value);
CGAN_API int  cgan_config_get_by_name(const cgan_config *c, const char *name, double *value);
/* Iterate the keys: index 0.. until CGAN_EINVAL; name is static. */
CGAN_API int  cgan_config_key_at(int index, int *key, const char **name);

/* ============================================================= builders */
/* The generator of Table 1 (architecture.md): inputs 0 = noise z [N, noise],
 * 1 = condition (labels [N] as floats, or scaled conditions [N, k]); output
 * 0 = image [N, 1, S, S] in [-1, 1].  Parameter names "generator.*".
 * Parameters are initialised from rng (CGAN_CONFIG_INIT); rng may be NULL to
 * leave them at their construction values. */
CGAN_API int cgan_build_generator(cgan_model **out, const cgan_config *c, cgan_rng *rng);
/* The critic of Table 2: inputs 0 = image [N, 1, S, S], 1 = condition;
 * outputs 0 = D(x, y) [N, 1], 1 = projection l(x) [N, E], 2 = proxy e(y)
 * [N, E].  Parameter names "critic.*". */
CGAN_API int cgan_build_critic(cgan_model **out, const cgan_config *c, cgan_rng *rng);

/* ================================================================== gan */
/* Generator, critic, their optimizers and losses, a random generator, the
 * step counters and the conditions' metadata: everything a checkpoint holds. */
typedef struct cgan_gan cgan_gan;

/* Build both networks from c (copied), initialise them from seed and clip
 * the critic once (math-spec 5.3). */
CGAN_API int  cgan_gan_create(cgan_gan **out, const cgan_config *c, uint64_t seed);
CGAN_API void cgan_gan_destroy(cgan_gan *g);
/* Borrowed views, valid for the GAN's lifetime. */
CGAN_API const cgan_config *cgan_gan_config(const cgan_gan *g);
CGAN_API cgan_model *cgan_gan_generator(cgan_gan *g);
CGAN_API cgan_model *cgan_gan_critic(cgan_gan *g);  /* NULL if loaded without one */

/* Condition metadata, saved with checkpoints.  Discrete: a name per class.
 * Continuous: a name per column and the [-1, 1] scaling (copied from s). */
CGAN_API int cgan_gan_set_class_names(cgan_gan *g, const char *const *names, int64_t n);
CGAN_API const char *cgan_gan_class_name(const cgan_gan *g, int64_t cls); /* NULL if unset */
CGAN_API int cgan_gan_set_conditions(cgan_gan *g, const char *const *column_names,
                                     const cgan_cond_scaler *s);
CGAN_API const char *cgan_gan_condition_column(const cgan_gan *g, int col);
/* Copy class names, column names and scaling from a prepared data set. */
CGAN_API int cgan_gan_adopt_dataset(cgan_gan *g, const cgan_dataset *d);
/* Raw condition values [n * k] (physical units) -> scaled [n, k] tensor. */
CGAN_API int cgan_gan_scale_conditions(const cgan_gan *g, const double *raw, int64_t n,
                                       cgan_tensor *out);

/* ------------------------------------------------------------ training */
/* One critic update (math-spec 5.2 step 1) with all its data given: a real
 * batch and its conditions, noise and fake conditions for the generator.
 * Then the critic is clipped.  Errors: CGAN_ESHAPE, CGAN_EINVAL, CGAN_ENUMERIC
 * (a non-finite loss: no parameter is changed). */
CGAN_API int cgan_gan_critic_step(cgan_gan *g, const cgan_tensor *real,
                                  const cgan_tensor *real_cond, const cgan_tensor *z,
                                  const cgan_tensor *fake_cond);
/* One generator update through the frozen critic (math-spec 5.2 step 2). */
CGAN_API int cgan_gan_generator_step(cgan_gan *g, const cgan_tensor *z,
                                     const cgan_tensor *fake_cond);

typedef enum cgan_metric {
    CGAN_METRIC_WASSERSTEIN = 0,        /* mean D(real) - mean D(fake), last critic step */
    CGAN_METRIC_CRITIC_WGAN = 1,        /* mean D(fake) - mean D(real) */
    CGAN_METRIC_CRITIC_CONTRASTIVE = 2, /* contrastive term on the real batch (unweighted) */
    CGAN_METRIC_GEN_WGAN = 3,           /* -mean D(G(z)) */
    CGAN_METRIC_GEN_CONTRASTIVE = 4,    /* contrastive term on the fake batch (unweighted) */
    CGAN_METRIC_CRITIC_STEPS = 5,       /* critic updates so far */
    CGAN_METRIC_GEN_STEPS = 6,          /* generator updates so far (= iterations) */
    CGAN_METRIC_CRITIC_LOSS = 7,        /* total critic loss of the last step */
    CGAN_METRIC_GEN_LOSS = 8            /* total generator loss of the last step */
} cgan_metric;
CGAN_API int cgan_gan_get_metric(const cgan_gan *g, int metric, double *value);

/* Called after every critic and generator step; return non-zero to stop
 * (cgan_gan_train then returns CGAN_EINTERRUPTED after the current
 * iteration is complete, so the state stays consistent). */
#define CGAN_STEP_CRITIC    1
#define CGAN_STEP_GENERATOR 2
typedef int (*cgan_step_fn)(cgan_gan *g, int step_kind, void *user);

/* Train for `iterations` iterations (each n_critic critic steps and one
 * generator step) on a prepared data set: real batches from the balanced
 * sampler (seeded by the GAN's seed; its position is part of the state),
 * noise and fake conditions from the GAN's random generator (uniform over
 * the data set's conditions).  Resumable: a GAN saved and loaded continues
 * exactly as if never interrupted.  Errors: as the steps, CGAN_EINVAL (data
 * set incompatible with the model), CGAN_EINTERRUPTED. */
CGAN_API int cgan_gan_train(cgan_gan *g, const cgan_dataset *d, int64_t iterations,
                            cgan_step_fn on_step, void *user);

/* ------------------------------------------------------------- sampling */
/* Fill z [N, noise] with N(0, 1) noise from seed (not the GAN's own
 * generator: the same seed gives the same noise for every condition, as the
 * paper's Fig. 2). */
CGAN_API int cgan_gan_noise(const cgan_gan *g, uint64_t seed, cgan_tensor *z);
#define CGAN_GENERATE_BATCH_STATS 0x1u /* batch norm uses the batch's statistics
                                          (train mode) without changing the
                                          running statistics; default: eval mode */
/* Images for noise z [N, noise] and conditions cond ([N] labels or scaled
 * [N, k]) into out [N, 1, S, S], values in [-1, 1].  The model's state is
 * unchanged. */
CGAN_API int cgan_gan_generate(cgan_gan *g, const cgan_tensor *z, const cgan_tensor *cond,
                               uint32_t flags, cgan_tensor *out);

/* ---------------------------------------------------------- checkpoints */
/* Write a NumPy .npz checkpoint (docs/checkpoint-format.md): parameters and
 * buffers by their names ("generator.up1.weight"), optimizer state, step
 * counters, random state, configuration and conditions, so that training
 * resumes bit-exactly.  Written atomically (temporary file + rename). */
CGAN_API int cgan_gan_save(const cgan_gan *g, const char *path);
/* Read a checkpoint.  A file holding only "generator.*" members (e.g.
 * exported from PyTorch) loads too: the configuration follows from the
 * shapes and the GAN has no critic (it can generate, not train).
 * Errors: CGAN_EIO, CGAN_EFORMAT naming the member that is missing,
 * truncated, corrupt or of the wrong shape, CGAN_EVERSION. */
CGAN_API int cgan_gan_load(cgan_gan **out, const char *path);

#ifdef __cplusplus
}
#endif
#endif /* CGAN_GAN_H */
