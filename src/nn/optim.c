/* Optimizers over a model's trainable parameters: SGD (momentum), Adam and
 * RMSprop, each following PyTorch 1.13's update order in float arithmetic.
 * State tensors are named "PARAM.KIND" as in PyTorch's optimizer state and
 * are created (zeroed) when the option that needs them is enabled. */
#include "../kernels/kernels.h"
#include "model_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_KINDS 3

typedef struct oparam {
    cgan_tensor *value, *grad;
    const char *name;
    cgan_tensor *state[MAX_KINDS]; /* NULL until its kind is active */
    char *state_name[MAX_KINDS];
} oparam;

struct cgan_optim {
    int kind;
    int n;
    oparam *p;
    double lr, alpha, eps, beta1, beta2, momentum, wd, dampening;
    int nesterov, centered;
    int64_t step;
    int buf_started; /* SGD: momentum buffers hold a value (PyTorch: not None) */
};

/* State kinds per optimizer, in PyTorch's names. */
static const char *const kind_names[3][MAX_KINDS] = {
    {"momentum_buffer", NULL, NULL},
    {"exp_avg", "exp_avg_sq", NULL},
    {"square_avg", "momentum_buffer", "grad_avg"},
};

static int kind_active(const cgan_optim *o, int k) {
    switch (o->kind) {
    case CGAN_OPTIM_SGD: return k == 0 && o->momentum != 0.0;
    case CGAN_OPTIM_ADAM: return k < 2;
    default: return k == 0 || (k == 1 && o->momentum > 0.0) || (k == 2 && o->centered);
    }
}

/* Create the state tensors of every active kind that does not exist yet. */
static int ensure_states(cgan_optim *o) {
    for (int i = 0; i < o->n; i++) {
        oparam *p = &o->p[i];
        for (int k = 0; k < MAX_KINDS; k++) {
            if (!kind_active(o, k) || p->state[k] != NULL) continue;
            const char *kn = kind_names[o->kind][k];
            size_t len = strlen(p->name) + strlen(kn) + 2;
            p->state_name[k] = malloc(len);
            if (p->state_name[k] == NULL) return cgan__error(CGAN_ENOMEM, "optimizer: out of memory");
            snprintf(p->state_name[k], len, "%s.%s", p->name, kn);
            int rc = cgan_tensor_create(&p->state[k], p->value->ndim, p->value->shape);
            if (rc != CGAN_OK) return rc;
            if (o->kind == CGAN_OPTIM_SGD) o->buf_started = 0;
        }
    }
    return CGAN_OK;
}

void cgan_optim_destroy(cgan_optim *o) {
    if (o == NULL) return;
    for (int i = 0; i < o->n; i++)
        for (int k = 0; k < MAX_KINDS; k++) {
            cgan_tensor_destroy(o->p[i].state[k]);
            free(o->p[i].state_name[k]);
        }
    free(o->p);
    free(o);
}

int cgan_optim_create(cgan_optim **out, int kind, cgan_model *model) {
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    CGAN__CHECK_NOT_NULL(model, "model");
    if (kind < CGAN_OPTIM_SGD || kind > CGAN_OPTIM_RMSPROP)
        return cgan__error(CGAN_EINVAL, "%s: unknown optimizer kind %d", __func__, kind);
    cgan_optim *o = calloc(1, sizeof *o);
    if (o == NULL) return cgan__error(CGAN_ENOMEM, "%s: out of memory", __func__);
    o->kind = kind;
    o->n = cgan_model_num_params(model);
    o->p = calloc((size_t)(o->n ? o->n : 1), sizeof *o->p);
    if (o->p == NULL) {
        free(o);
        return cgan__error(CGAN_ENOMEM, "%s: out of memory", __func__);
    }
    for (int i = 0; i < o->n; i++)
        cgan_model_get_param(model, i, &o->p[i].name, &o->p[i].value, &o->p[i].grad);
    o->lr = kind == CGAN_OPTIM_SGD ? 0.01 : 1e-3;
    o->alpha = 0.99;
    o->eps = 1e-8;
    o->beta1 = 0.9;
    o->beta2 = 0.999;
    int rc = ensure_states(o);
    if (rc != CGAN_OK) {
        cgan_optim_destroy(o);
        return rc;
    }
    *out = o;
    return CGAN_OK;
}

static double *key_slot(cgan_optim *o, int key, int *is_flag) {
    int sgd = o->kind == CGAN_OPTIM_SGD, adam = o->kind == CGAN_OPTIM_ADAM,
        rms = o->kind == CGAN_OPTIM_RMSPROP;
    *is_flag = 0;
    switch (key) {
    case CGAN_OPTIM_LR: return &o->lr;
    case CGAN_OPTIM_WEIGHT_DECAY: return &o->wd;
    case CGAN_OPTIM_ALPHA: return rms ? &o->alpha : NULL;
    case CGAN_OPTIM_EPS: return adam || rms ? &o->eps : NULL;
    case CGAN_OPTIM_BETA1: return adam ? &o->beta1 : NULL;
    case CGAN_OPTIM_BETA2: return adam ? &o->beta2 : NULL;
    case CGAN_OPTIM_MOMENTUM: return sgd || rms ? &o->momentum : NULL;
    case CGAN_OPTIM_DAMPENING: return sgd ? &o->dampening : NULL;
    default: break;
    }
    *is_flag = 1;
    return NULL;
}

int cgan_optim_set(cgan_optim *o, int key, double value) {
    static const char *names[] = {"lr", "alpha", "eps", "beta1", "beta2", "momentum",
                                  "weight_decay", "dampening", "nesterov", "centered"};
    CGAN__CHECK_NOT_NULL(o, "optim");
    const char *kn = key >= 0 && key <= 9 ? names[key] : "?";
    if (!isfinite(value))
        return cgan__error(CGAN_EINVAL, "%s: %s = %g is not finite", __func__, kn, value);
    int is_flag;
    double *slot = key_slot(o, key, &is_flag);
    if (key == CGAN_OPTIM_NESTEROV && o->kind == CGAN_OPTIM_SGD) {
        o->nesterov = value != 0.0;
        return CGAN_OK;
    }
    if (key == CGAN_OPTIM_CENTERED && o->kind == CGAN_OPTIM_RMSPROP) {
        o->centered = value != 0.0;
        return ensure_states(o);
    }
    if (slot == NULL)
        return cgan__error(CGAN_EINVAL, "%s: key %d (%s) does not apply to this optimizer",
                           __func__, key, kn);
    int bad = value < 0.0;
    if (key == CGAN_OPTIM_ALPHA || key == CGAN_OPTIM_BETA1 || key == CGAN_OPTIM_BETA2)
        bad = bad || value >= 1.0;
    if (key == CGAN_OPTIM_DAMPENING) bad = value < 0.0 || value > 1.0;
    if (bad) return cgan__error(CGAN_EINVAL, "%s: %s = %g is out of range", __func__, kn, value);
    *slot = value;
    return key == CGAN_OPTIM_MOMENTUM ? ensure_states(o) : CGAN_OK;
}

int cgan_optim_get(const cgan_optim *o, int key, double *value) {
    CGAN__CHECK_NOT_NULL(o, "optim");
    CGAN__CHECK_NOT_NULL(value, "value");
    int is_flag;
    double *slot = key_slot((cgan_optim *)o, key, &is_flag);
    if (key == CGAN_OPTIM_NESTEROV && o->kind == CGAN_OPTIM_SGD) *value = o->nesterov;
    else if (key == CGAN_OPTIM_CENTERED && o->kind == CGAN_OPTIM_RMSPROP) *value = o->centered;
    else if (slot) *value = *slot;
    else return cgan__error(CGAN_EINVAL, "%s: key %d does not apply to this optimizer", __func__, key);
    return CGAN_OK;
}

int64_t cgan_optim_get_step(const cgan_optim *o) { return o ? o->step : 0; }

int cgan_optim_set_step(cgan_optim *o, int64_t step) {
    CGAN__CHECK_NOT_NULL(o, "optim");
    if (step < 0) return cgan__error(CGAN_EINVAL, "%s: step %lld is negative", __func__, (long long)step);
    o->step = step;
    o->buf_started = step > 0; /* restored buffers hold values */
    return CGAN_OK;
}

int cgan_optim_num_states(const cgan_optim *o) {
    int n = 0;
    if (o == NULL) return 0;
    for (int i = 0; i < o->n; i++)
        for (int k = 0; k < MAX_KINDS; k++) n += kind_active(o, k) && o->p[i].state[k];
    return n;
}

int cgan_optim_get_state(cgan_optim *o, int index, const char **name, cgan_tensor **value) {
    CGAN__CHECK_NOT_NULL(o, "optim");
    int n = 0;
    for (int i = 0; i < o->n; i++)
        for (int k = 0; k < MAX_KINDS; k++) {
            if (!kind_active(o, k) || !o->p[i].state[k]) continue;
            if (n++ != index) continue;
            if (name) *name = o->p[i].state_name[k];
            if (value) *value = o->p[i].state[k];
            return CGAN_OK;
        }
    return cgan__error(CGAN_EINVAL, "%s: index %d is outside 0..%d", __func__, index, n - 1);
}

int cgan_optim_find_state(cgan_optim *o, const char *name, cgan_tensor **value) {
    CGAN__CHECK_NOT_NULL(o, "optim");
    CGAN__CHECK_NOT_NULL(name, "name");
    for (int i = 0; i < o->n; i++)
        for (int k = 0; k < MAX_KINDS; k++)
            if (kind_active(o, k) && o->p[i].state[k] && !strcmp(o->p[i].state_name[k], name)) {
                if (value) *value = o->p[i].state[k];
                return CGAN_OK;
            }
    return cgan__error(CGAN_EINVAL, "%s: the optimizer has no state '%s'", __func__, name);
}

/* ------------------------------------------------------------------ updates */
static void sgd(const cgan_optim *o, const oparam *p, int64_t b, int64_t e) {
    float *w = p->value->data;
    const float *g = p->grad->data;
    float lr = (float)o->lr, wd = (float)o->wd, mom = (float)o->momentum;
    float damp1 = (float)(1.0 - o->dampening);
    float *buf = mom != 0.0f ? p->state[0]->data : NULL;
    for (int64_t i = b; i < e; i++) {
        float d = g[i];
        if (wd != 0.0f) d = d + wd * w[i];
        if (buf) {
            buf[i] = o->buf_started ? buf[i] * mom + damp1 * d : d;
            d = o->nesterov ? d + mom * buf[i] : buf[i];
        }
        w[i] = w[i] + (-lr) * d;
    }
}

static void adam(const cgan_optim *o, const oparam *p, int64_t b, int64_t e) {
    float *w = p->value->data, *m = p->state[0]->data, *v = p->state[1]->data;
    const float *g = p->grad->data;
    double t = (double)o->step;
    double bc1 = 1.0 - pow(o->beta1, t), bc2 = 1.0 - pow(o->beta2, t);
    float b1 = (float)o->beta1, b2 = (float)o->beta2;
    float omb1 = (float)(1.0 - o->beta1), omb2 = (float)(1.0 - o->beta2);
    float step_size = (float)(o->lr / bc1), bc2s = (float)sqrt(bc2);
    float eps = (float)o->eps, wd = (float)o->wd;
    for (int64_t i = b; i < e; i++) {
        float d = g[i];
        if (wd != 0.0f) d = d + wd * w[i];
        m[i] = m[i] * b1 + omb1 * d;
        v[i] = v[i] * b2 + omb2 * d * d;
        float denom = sqrtf(v[i]) / bc2s + eps;
        w[i] = w[i] + (-step_size) * m[i] / denom;
    }
}

/* The paper's case (no momentum, not centred, no weight decay) as a loop
 * without branches, so that it vectorises (sqrt and division are exact
 * IEEE operations: the same bits as the general loop below). */
static CGAN__MULTIVERSION void rmsprop_plain(float *restrict w, float *restrict sq,
                                             const float *restrict g, int64_t n,
                                             float a, float oma, float eps, float lr) {
    for (int64_t i = 0; i < n; i++) {
        float d = g[i];
        sq[i] = sq[i] * a + oma * d * d;
        w[i] = w[i] + (-lr) * d / (sqrtf(sq[i]) + eps);
    }
}

static void rmsprop(const cgan_optim *o, const oparam *p, int64_t b, int64_t e) {
    float *w = p->value->data, *sq = p->state[0]->data;
    float *buf = o->momentum > 0.0 ? p->state[1]->data : NULL;
    float *ga = o->centered ? p->state[2]->data : NULL;
    const float *g = p->grad->data;
    float a = (float)o->alpha, oma = (float)(1.0 - o->alpha), eps = (float)o->eps;
    float lr = (float)o->lr, wd = (float)o->wd, mom = (float)o->momentum;
    if (!buf && !ga && wd == 0.0f) {
        rmsprop_plain(w + b, sq + b, g + b, e - b, a, oma, eps, lr);
        return;
    }
    for (int64_t i = b; i < e; i++) {
        float d = g[i];
        if (wd != 0.0f) d = d + wd * w[i];
        sq[i] = sq[i] * a + oma * d * d;
        float avg;
        if (ga) {
            ga[i] = ga[i] * a + oma * d;
            avg = sqrtf(sq[i] + (-1.0f) * ga[i] * ga[i]) + eps;
        } else {
            avg = sqrtf(sq[i]) + eps;
        }
        if (buf) {
            buf[i] = buf[i] * mom + d / avg;
            w[i] = w[i] + (-lr) * buf[i];
        } else {
            w[i] = w[i] + (-lr) * d / avg;
        }
    }
}

/* Elements are independent: any split over threads gives the same bits. */
#define UPDATE_GRAIN 16384

typedef struct update_job {
    const cgan_optim *o;
    const oparam *p;
} update_job;

static void update_range(void *ctx, int64_t b, int64_t e, int part) {
    const update_job *u = ctx;
    (void)part;
    switch (u->o->kind) {
    case CGAN_OPTIM_SGD: sgd(u->o, u->p, b, e); break;
    case CGAN_OPTIM_ADAM: adam(u->o, u->p, b, e); break;
    default: rmsprop(u->o, u->p, b, e); break;
    }
}

int cgan_optim_step(cgan_optim *o) {
    CGAN__CHECK_NOT_NULL(o, "optim");
    if (o->kind == CGAN_OPTIM_SGD && o->nesterov && (o->momentum <= 0.0 || o->dampening != 0.0))
        return cgan__error(CGAN_EINVAL, "%s: Nesterov momentum needs momentum > 0 and "
                           "dampening 0", __func__);
    o->step++;
    for (int i = 0; i < o->n; i++) {
        update_job u = {o, &o->p[i]};
        cgan__parallel_for(o->p[i].value->numel, UPDATE_GRAIN, update_range, &u);
    }
    if (o->kind == CGAN_OPTIM_SGD && o->momentum != 0.0) o->buf_started = 1;
    return CGAN_OK;
}
