/* WGAN losses on the critic outputs (math-spec 5.1):
 *   L_D = mean D(fake) - mean D(real),   L_G = -mean D(fake),
 * with the gradients with respect to the critic outputs, and the
 * Wasserstein estimate mean D(real) - mean D(fake). */
#include "loss_internal.h"

#include <math.h>

/* Mean of a tensor's elements in double; CGAN_ENUMERIC on a NaN/Inf. */
static int mean_of(const char *fn, const char *arg, const cgan_tensor *t, double *mean) {
    double s = 0.0;
    CGAN__CHECK_NOT_NULL(t, arg);
    for (int64_t i = 0; i < t->numel; i++) {
        if (!isfinite(t->data[i]))
            return cgan__error(CGAN_ENUMERIC, "%s: element %lld of %s is %g", fn, (long long)i,
                               arg, (double)t->data[i]);
        s += t->data[i];
    }
    *mean = s / (double)t->numel;
    return CGAN_OK;
}

int cgan_loss_wgan_critic(cgan_loss *loss, const cgan_tensor *d_real, const cgan_tensor *d_fake,
                          double *value, cgan_tensor *grad_real, cgan_tensor *grad_fake) {
    static const char *fn = "cgan_loss_wgan_critic";
    double real, fake;
    int rc;
    if ((rc = cgan__loss_require(loss, CGAN_LOSS_WGAN, fn)) != CGAN_OK) return rc;
    cgan__loss_reset_stats(loss);
    CGAN__CHECK_NOT_NULL(value, "value");
    if ((rc = mean_of(fn, "d_real", d_real, &real)) != CGAN_OK ||
        (rc = mean_of(fn, "d_fake", d_fake, &fake)) != CGAN_OK)
        return rc;
    if ((rc = cgan__loss_check_grad(fn, "grad_real", grad_real, d_real, "d_real")) != CGAN_OK ||
        (rc = cgan__loss_check_grad(fn, "grad_fake", grad_fake, d_fake, "d_fake")) != CGAN_OK)
        return rc;
    double v = loss->weight * (fake - real);
    *value = v;
    if (!isfinite(v))
        return cgan__error(CGAN_ENUMERIC, "%s: the loss is %g (mean D(real) %g, mean D(fake) %g)",
                           fn, v, real, fake);
    if (grad_real) cgan_tensor_fill(grad_real, (float)(-loss->weight / (double)d_real->numel));
    if (grad_fake) cgan_tensor_fill(grad_fake, (float)(loss->weight / (double)d_fake->numel));
    loss->st_value = v;
    loss->st_mean_real = real;
    loss->st_mean_fake = fake;
    loss->st_wasserstein = real - fake;
    return CGAN_OK;
}

int cgan_loss_wgan_generator(cgan_loss *loss, const cgan_tensor *d_fake, double *value,
                             cgan_tensor *grad_fake) {
    static const char *fn = "cgan_loss_wgan_generator";
    double fake;
    int rc;
    if ((rc = cgan__loss_require(loss, CGAN_LOSS_WGAN, fn)) != CGAN_OK) return rc;
    cgan__loss_reset_stats(loss);
    CGAN__CHECK_NOT_NULL(value, "value");
    if ((rc = mean_of(fn, "d_fake", d_fake, &fake)) != CGAN_OK) return rc;
    if ((rc = cgan__loss_check_grad(fn, "grad_fake", grad_fake, d_fake, "d_fake")) != CGAN_OK)
        return rc;
    double v = -loss->weight * fake;
    *value = v;
    if (!isfinite(v)) return cgan__error(CGAN_ENUMERIC, "%s: the loss is %g", fn, v);
    if (grad_fake) cgan_tensor_fill(grad_fake, (float)(-loss->weight / (double)d_fake->numel));
    loss->st_value = v;
    loss->st_mean_fake = fake;
    return CGAN_OK;
}
