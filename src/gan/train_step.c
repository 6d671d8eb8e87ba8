/* One critic update and one generator update (math-spec 5.1-5.3).
 *
 * The critic loss is a real-only term plus a fake-only term, so it is done
 * as two forward/backward passes whose parameter gradients accumulate: the
 * same gradients as one backward of the sum, with each batch norm seeing one
 * kind of batch only (as the reference implementations do). */
#include "gan_internal.h"

#include <math.h>

int cgan__check_condition(const cgan_gan *g, const char *fn, const char *what,
                          const cgan_tensor *cond, int64_t n) {
    int k = cgan__cfg_int(&g->cfg, CGAN_CONFIG_COND_DIM);
    if (cond == NULL) return cgan__error(CGAN_EINVAL, "%s: %s is NULL", fn, what);
    int ok = k > 0 ? (cond->ndim == 2 && cond->shape[0] == n && cond->shape[1] == k)
                   : ((cond->ndim == 1 && cond->shape[0] == n) ||
                      (cond->ndim == 2 && cond->shape[0] == n && cond->shape[1] == 1));
    if (!ok) {
        char buf[64];
        if (k > 0)
            return cgan__error(CGAN_ESHAPE, "%s: %s is %s, expected [%lld, %d] scaled conditions", fn,
                               what, cgan__shape_str(cond, buf, sizeof buf), (long long)n, k);
        return cgan__error(CGAN_ESHAPE, "%s: %s is %s, expected [%lld] class labels", fn, what,
                           cgan__shape_str(cond, buf, sizeof buf), (long long)n);
    }
    return CGAN_OK;
}

static int check_images(const cgan_gan *g, const char *fn, const cgan_tensor *x, int64_t *n) {
    int64_t s = cgan__cfg_int(&g->cfg, CGAN_CONFIG_IMAGE_SIZE);
    if (x == NULL) return cgan__error(CGAN_EINVAL, "%s: real images are NULL", fn);
    if (x->ndim != 4 || x->shape[1] != 1 || x->shape[2] != s || x->shape[3] != s || x->shape[0] < 2) {
        char buf[64];
        return cgan__error(CGAN_ESHAPE, "%s: real images are %s, expected [N >= 2, 1, %lld, %lld]", fn,
                           cgan__shape_str(x, buf, sizeof buf), (long long)s, (long long)s);
    }
    *n = x->shape[0];
    return CGAN_OK;
}

static int check_noise(const cgan_gan *g, const char *fn, const cgan_tensor *z, int64_t *n) {
    int64_t nz = cgan__cfg_int(&g->cfg, CGAN_CONFIG_NOISE_DIM);
    if (z == NULL) return cgan__error(CGAN_EINVAL, "%s: noise z is NULL", fn);
    if (z->ndim != 2 || z->shape[1] != nz || z->shape[0] < 2) {
        char buf[64];
        return cgan__error(CGAN_ESHAPE, "%s: noise z is %s, expected [N >= 2, %lld]", fn,
                           cgan__shape_str(z, buf, sizeof buf), (long long)nz);
    }
    *n = z->shape[0];
    return CGAN_OK;
}

/* Make t a [n, cols] tensor (growing its storage only when needed). */
static int shape2(cgan_tensor *t, int64_t n, int64_t cols) {
    return cgan__tensor_resize(t, 2, (int64_t[]){n, cols});
}

static int not_finite(const char *fn, const char *what, double v) {
    return cgan__error(CGAN_ENUMERIC, "%s: the %s is %g; no parameter was changed (lower the "
                                      "learning rate or check the data)", fn, what, v);
}

/* Contrastive term on (l, e) for the batch's conditions; fills grad_l and
 * (if wanted) grad_e, and returns its weighted value in *value. */
static int contrastive(cgan_gan *g, const cgan_tensor *l, const cgan_tensor *e,
                       const cgan_tensor *cond, double *value, int want_grad_e) {
    int64_t n = l->shape[0], dim = l->shape[1];
    int rc;
    *value = 0.0;
    if (g->contrastive == NULL) return CGAN_OK;
    if ((rc = shape2(g->grad_l, n, dim)) != CGAN_OK || (rc = shape2(g->grad_e, n, dim)) != CGAN_OK)
        return rc;
    cgan_tensor *ge = want_grad_e ? g->grad_e : NULL;
    if (cgan_loss_kind(g->contrastive) == CGAN_LOSS_2C)
        return cgan_loss_2c(g->contrastive, l, e, cond, value, g->grad_l, ge);
    return cgan_loss_continuous(g->contrastive, l, e, cond, value, g->grad_l, ge);
}

int cgan_gan_critic_step(cgan_gan *g, const cgan_tensor *real, const cgan_tensor *real_cond,
                         const cgan_tensor *z, const cgan_tensor *fake_cond) {
    static const char *fn = "cgan_gan_critic_step";
    const cgan_tensor *fake, *d, *l, *e;
    int64_t n = 0, nf = 0;
    double c2 = 0.0, wgan = 0.0;
    int rc;
    CGAN__CHECK_NOT_NULL(g, "gan");
    if (g->critic == NULL)
        return cgan__error(CGAN_ESTATE, "%s: this model was loaded without a critic", fn);
    if ((rc = check_images(g, fn, real, &n)) != CGAN_OK ||
        (rc = cgan__check_condition(g, fn, "real_cond", real_cond, n)) != CGAN_OK ||
        (rc = check_noise(g, fn, z, &nf)) != CGAN_OK ||
        (rc = cgan__check_condition(g, fn, "fake_cond", fake_cond, nf)) != CGAN_OK)
        return rc;

    /* Fakes from the generator in train mode without gradients; its batch
     * norm still updates its running statistics (math-spec 2.4).  The
     * output stays valid until the generator runs again. */
    if ((rc = cgan_model_forward(g->gen, (const cgan_tensor *[]){z, fake_cond}, 2,
                                 CGAN_MODE_TRAIN | CGAN_MODE_NO_GRAD)) != CGAN_OK ||
        (rc = cgan_model_get_output(g->gen, 0, &fake)) != CGAN_OK)
        return rc;
    if ((rc = cgan_model_zero_grad(g->critic)) != CGAN_OK) return rc;

    /* Real pass: -1/m on D(real) plus the contrastive term on real data. */
    if ((rc = cgan_model_forward(g->critic, (const cgan_tensor *[]){real, real_cond}, 2,
                                 CGAN_MODE_TRAIN)) != CGAN_OK ||
        (rc = cgan_model_get_output(g->critic, 0, &d)) != CGAN_OK ||
        (rc = cgan_model_get_output(g->critic, 1, &l)) != CGAN_OK ||
        (rc = cgan_model_get_output(g->critic, 2, &e)) != CGAN_OK)
        return rc;
    if ((rc = cgan__tensor_resize(g->d_real, d->ndim, d->shape)) != CGAN_OK ||
        (rc = cgan_tensor_copy(g->d_real, d)) != CGAN_OK) /* D(real), for the WGAN value */
        return rc;
    if ((rc = contrastive(g, l, e, real_cond, &c2, 1)) != CGAN_OK) return rc;
    if (!isfinite(c2)) return not_finite(fn, "contrastive loss", c2);
    if ((rc = cgan__tensor_resize(g->grad_d, d->ndim, d->shape)) != CGAN_OK) return rc;
    if ((rc = cgan_tensor_fill(g->grad_d, (float)(-1.0 / (double)n))) != CGAN_OK) return rc;
    const cgan_tensor *douts[3] = {g->grad_d, g->contrastive ? g->grad_l : NULL,
                                   g->contrastive ? g->grad_e : NULL};
    if ((rc = cgan_model_backward(g->critic, douts, 3, CGAN_GRAD_PARAMS)) != CGAN_OK) return rc;

    /* Fake pass: +1/m on D(fake). */
    if ((rc = cgan_model_forward(g->critic, (const cgan_tensor *[]){fake, fake_cond}, 2,
                                 CGAN_MODE_TRAIN)) != CGAN_OK ||
        (rc = cgan_model_get_output(g->critic, 0, &d)) != CGAN_OK)
        return rc;
    if ((rc = cgan__tensor_resize(g->grad_d, d->ndim, d->shape)) != CGAN_OK) return rc;
    if ((rc = cgan_loss_wgan_critic(g->wgan, g->d_real, d, &wgan, NULL, g->grad_d)) != CGAN_OK) return rc;
    if (!isfinite(wgan)) return not_finite(fn, "WGAN critic loss", wgan);
    if ((rc = cgan_model_backward(g->critic, (const cgan_tensor *[]){g->grad_d, NULL, NULL}, 3,
                                  CGAN_GRAD_PARAMS)) != CGAN_OK)
        return rc;

    double clip = cgan__cfg_num(&g->cfg, CGAN_CONFIG_CLIP);
    if ((rc = cgan_optim_step(g->opt_d)) != CGAN_OK ||
        (rc = cgan_model_clamp_params(g->critic, (float)-clip, (float)clip)) != CGAN_OK)
        return rc;
    cgan_loss_get_stat(g->wgan, "wasserstein", &g->metric[CGAN_METRIC_WASSERSTEIN]);
    g->metric[CGAN_METRIC_CRITIC_WGAN] = wgan;
    g->metric[CGAN_METRIC_CRITIC_CONTRASTIVE] = c2;
    g->metric[CGAN_METRIC_CRITIC_LOSS] = wgan + c2;
    g->critic_steps++;
    return CGAN_OK;
}

int cgan_gan_generator_step(cgan_gan *g, const cgan_tensor *z, const cgan_tensor *fake_cond) {
    static const char *fn = "cgan_gan_generator_step";
    const cgan_tensor *fake, *d, *l, *e, *dimg;
    int64_t n;
    double wgan = 0.0, c2 = 0.0;
    int rc;
    CGAN__CHECK_NOT_NULL(g, "gan");
    if (g->critic == NULL)
        return cgan__error(CGAN_ESTATE, "%s: this model was loaded without a critic", fn);
    if ((rc = check_noise(g, fn, z, &n)) != CGAN_OK ||
        (rc = cgan__check_condition(g, fn, "fake_cond", fake_cond, n)) != CGAN_OK)
        return rc;
    if ((rc = cgan_model_zero_grad(g->gen)) != CGAN_OK ||
        (rc = cgan_model_forward(g->gen, (const cgan_tensor *[]){z, fake_cond}, 2, CGAN_MODE_TRAIN)) !=
            CGAN_OK ||
        (rc = cgan_model_get_output(g->gen, 0, &fake)) != CGAN_OK)
        return rc;
    /* The critic runs in train mode (its batch norm uses this batch) but is
     * frozen: only the gradient w.r.t. its input image is computed. */
    if ((rc = cgan_model_forward(g->critic, (const cgan_tensor *[]){fake, fake_cond}, 2,
                                 CGAN_MODE_TRAIN)) != CGAN_OK ||
        (rc = cgan_model_get_output(g->critic, 0, &d)) != CGAN_OK ||
        (rc = cgan_model_get_output(g->critic, 1, &l)) != CGAN_OK ||
        (rc = cgan_model_get_output(g->critic, 2, &e)) != CGAN_OK)
        return rc;
    if ((rc = cgan__tensor_resize(g->grad_d, d->ndim, d->shape)) != CGAN_OK ||
        (rc = cgan_loss_wgan_generator(g->wgan, d, &wgan, g->grad_d)) != CGAN_OK)
        return rc;
    /* The proxies e(y) are constants here (math-spec 3.5). */
    if ((rc = contrastive(g, l, e, fake_cond, &c2, 0)) != CGAN_OK) return rc;
    if (!isfinite(wgan + c2)) return not_finite(fn, "generator loss", wgan + c2);
    const cgan_tensor *douts[3] = {g->grad_d, g->contrastive ? g->grad_l : NULL, NULL};
    if ((rc = cgan_model_backward(g->critic, douts, 3, CGAN_GRAD_INPUTS)) != CGAN_OK ||
        (rc = cgan_model_get_input_grad(g->critic, 0, &dimg)) != CGAN_OK ||
        (rc = cgan_model_backward(g->gen, (const cgan_tensor *[]){dimg}, 1, CGAN_GRAD_PARAMS)) != CGAN_OK ||
        (rc = cgan_optim_step(g->opt_g)) != CGAN_OK)
        return rc;
    g->metric[CGAN_METRIC_GEN_WGAN] = wgan;
    g->metric[CGAN_METRIC_GEN_CONTRASTIVE] = c2;
    g->metric[CGAN_METRIC_GEN_LOSS] = wgan + c2;
    g->gen_steps++;
    return CGAN_OK;
}

int cgan_gan_get_metric(const cgan_gan *g, int metric, double *value) {
    CGAN__CHECK_NOT_NULL(g, "gan");
    CGAN__CHECK_NOT_NULL(value, "value");
    switch (metric) {
    case CGAN_METRIC_CRITIC_STEPS: *value = (double)g->critic_steps; return CGAN_OK;
    case CGAN_METRIC_GEN_STEPS: *value = (double)g->gen_steps; return CGAN_OK;
    default:
        if (metric < 0 || metric > CGAN_METRIC_GEN_LOSS)
            return cgan__error(CGAN_EINVAL, "cgan_gan_get_metric: unknown metric %d", metric);
        *value = g->metric[metric];
        return CGAN_OK;
    }
}
