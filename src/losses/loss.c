/* The cgan_loss handle: creation per kind, keyed parameters, statistics and
 * the workspace.  The compute functions live in one file per loss. */
#include "loss_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define KIND_BIT(k) (1u << (k))
#define ALL_KINDS (KIND_BIT(CGAN_LOSS_WGAN) | KIND_BIT(CGAN_LOSS_2C) | KIND_BIT(CGAN_LOSS_CONTINUOUS))

/* One row per key: which kinds have it and the names of its values when it
 * is an enumeration (NULL-terminated) or a flag. */
typedef struct param_key {
    const char *name;
    unsigned kinds;
    const char *const *names; /* NULL: a number */
} param_key;

static const char *const distance_names[] = {"cos", "l2", "l2n", NULL};
static const char *const reduction_names[] = {"paper", "pairmean", NULL};
static const char *const target_names[] = {"learned", "fixed", NULL};
static const char *const flag_names[] = {"off", "on", NULL};

static const param_key keys[] = {
    {"weight", ALL_KINDS, NULL},
    {"temperature", KIND_BIT(CGAN_LOSS_2C), NULL},
    {"alpha", KIND_BIT(CGAN_LOSS_CONTINUOUS), NULL},
    {"delta", KIND_BIT(CGAN_LOSS_CONTINUOUS), NULL},
    {"distance", KIND_BIT(CGAN_LOSS_CONTINUOUS), distance_names},
    {"reduction", KIND_BIT(CGAN_LOSS_CONTINUOUS), reduction_names},
    {"target", KIND_BIT(CGAN_LOSS_CONTINUOUS), target_names},
    {"detach_e", KIND_BIT(CGAN_LOSS_CONTINUOUS), flag_names},
};

static const char *kind_name(int kind) {
    switch (kind) {
    case CGAN_LOSS_WGAN: return "wgan";
    case CGAN_LOSS_2C: return "2c";
    case CGAN_LOSS_CONTINUOUS: return "continuous";
    default: return "";
    }
}

static int create(cgan_loss **out, int kind, const char *fn) {
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    cgan_loss *loss = calloc(1, sizeof *loss);
    if (loss == NULL) return cgan__error(CGAN_ENOMEM, "%s: out of memory", fn);
    loss->kind = kind;
    loss->weight = 1.0;
    loss->temperature = 0.1; /* paper, math-spec A16 */
    loss->alpha = 1.0;       /* math-spec 4.5 defaults */
    loss->delta = 0.1;
    loss->distance = CGAN_DISTANCE_COS;
    loss->reduction = CGAN_REDUCTION_PAPER;
    loss->target = CGAN_TARGET_LEARNED;
    cgan__loss_reset_stats(loss);
    *out = loss;
    return CGAN_OK;
}

int cgan_loss_create_wgan(cgan_loss **out) { return create(out, CGAN_LOSS_WGAN, __func__); }

int cgan_loss_create_2c(cgan_loss **out, int n_classes) {
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    if (n_classes < 1)
        return cgan__error(CGAN_EINVAL, "cgan_loss_create_2c: n_classes %d is not >= 1", n_classes);
    int rc = create(out, CGAN_LOSS_2C, __func__);
    if (rc == CGAN_OK) (*out)->n_classes = n_classes;
    return rc;
}

int cgan_loss_create_continuous(cgan_loss **out) {
    return create(out, CGAN_LOSS_CONTINUOUS, __func__);
}

void cgan_loss_destroy(cgan_loss *loss) {
    if (loss == NULL) return;
    cgan__free(loss->ws);
    cgan__free(loss->labels);
    free(loss);
}

int cgan_loss_kind(const cgan_loss *loss) { return loss ? loss->kind : 0; }

const char *cgan_loss_kind_name(const cgan_loss *loss) { return loss ? kind_name(loss->kind) : ""; }

/* --------------------------------------------------------------- params */
static const param_key *find_key(const cgan_loss *loss, const char *key, const char *fn) {
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (strcmp(keys[i].name, key) != 0) continue;
        if (!(keys[i].kinds & KIND_BIT(loss->kind))) {
            cgan__error(CGAN_EINVAL, "%s: a %s loss has no parameter \"%s\"", fn,
                        kind_name(loss->kind), key);
            return NULL;
        }
        return &keys[i];
    }
    cgan__error(CGAN_EINVAL, "%s: unknown loss parameter \"%s\"", fn, key);
    return NULL;
}

static int set_checked(cgan_loss *loss, const param_key *k, double v, const char *fn) {
    const char *name = k->name;
    if (!isfinite(v)) return cgan__error(CGAN_EINVAL, "%s: %s must be finite", fn, name);
    if (k->names) {
        int count = 0;
        while (k->names[count]) count++;
        if (v != floor(v) || v < 0 || v >= count)
            return cgan__error(CGAN_EINVAL, "%s: %s = %g is not one of 0..%d", fn, name, v,
                               count - 1);
    }
    if (strcmp(name, "weight") == 0) {
        if (v < 0) return cgan__error(CGAN_EINVAL, "%s: weight %g is negative", fn, v);
        loss->weight = v;
    } else if (strcmp(name, "temperature") == 0) {
        if (v <= 0) return cgan__error(CGAN_EINVAL, "%s: temperature %g is not > 0", fn, v);
        loss->temperature = v;
    } else if (strcmp(name, "alpha") == 0) {
        /* math-spec 4.4: alpha = 0 only pulls every embedding together. */
        if (v <= 0)
            return cgan__error(CGAN_EINVAL,
                               "%s: alpha %g is not > 0 (alpha = 0 drops the target distances "
                               "and collapses every embedding together)", fn, v);
        loss->alpha = v;
    } else if (strcmp(name, "delta") == 0) {
        if (v < 0) return cgan__error(CGAN_EINVAL, "%s: delta %g is negative", fn, v);
        loss->delta = v;
    } else if (strcmp(name, "distance") == 0) {
        loss->distance = (int)v;
    } else if (strcmp(name, "reduction") == 0) {
        loss->reduction = (int)v;
    } else if (strcmp(name, "target") == 0) {
        loss->target = (int)v;
    } else if (strcmp(name, "detach_e") == 0) {
        loss->detach_e = (int)v;
    } else {
        return cgan__error(CGAN_EINTERNAL, "%s: parameter \"%s\" has no storage", fn, name);
    }
    return CGAN_OK;
}

int cgan_loss_set_param(cgan_loss *loss, const char *key, double value) {
    CGAN__CHECK_NOT_NULL(loss, "loss");
    CGAN__CHECK_NOT_NULL(key, "key");
    const param_key *k = find_key(loss, key, __func__);
    if (k == NULL) return CGAN_EINVAL;
    return set_checked(loss, k, value, __func__);
}

int cgan_loss_set_option(cgan_loss *loss, const char *key, const char *value) {
    CGAN__CHECK_NOT_NULL(loss, "loss");
    CGAN__CHECK_NOT_NULL(key, "key");
    CGAN__CHECK_NOT_NULL(value, "value");
    const param_key *k = find_key(loss, key, __func__);
    if (k == NULL) return CGAN_EINVAL;
    if (k->names) {
        for (int i = 0; k->names[i]; i++)
            if (strcmp(k->names[i], value) == 0) return set_checked(loss, k, i, __func__);
        if (k->names == flag_names && (strcmp(value, "0") == 0 || strcmp(value, "1") == 0))
            return set_checked(loss, k, value[0] - '0', __func__);
        char list[128] = "";
        for (int i = 0; k->names[i]; i++) {
            strncat(list, i ? ", " : "", sizeof list - strlen(list) - 1);
            strncat(list, k->names[i], sizeof list - strlen(list) - 1);
        }
        return cgan__error(CGAN_EINVAL, "%s: %s \"%s\" is not one of %s", __func__, key, value,
                           list);
    }
    char *end;
    double v = strtod(value, &end);
    if (end == value || *end != '\0')
        return cgan__error(CGAN_EINVAL, "%s: %s \"%s\" is not a number", __func__, key, value);
    return set_checked(loss, k, v, __func__);
}

int cgan_loss_get_param(const cgan_loss *loss, const char *key, double *value) {
    CGAN__CHECK_NOT_NULL(loss, "loss");
    CGAN__CHECK_NOT_NULL(key, "key");
    CGAN__CHECK_NOT_NULL(value, "value");
    const param_key *k = find_key(loss, key, __func__);
    if (k == NULL) return CGAN_EINVAL;
    const char *n = k->name;
    if (strcmp(n, "weight") == 0) *value = loss->weight;
    else if (strcmp(n, "temperature") == 0) *value = loss->temperature;
    else if (strcmp(n, "alpha") == 0) *value = loss->alpha;
    else if (strcmp(n, "delta") == 0) *value = loss->delta;
    else if (strcmp(n, "distance") == 0) *value = loss->distance;
    else if (strcmp(n, "reduction") == 0) *value = loss->reduction;
    else if (strcmp(n, "target") == 0) *value = loss->target;
    else *value = loss->detach_e;
    return CGAN_OK;
}

/* ----------------------------------------------------------------- stats */
void cgan__loss_reset_stats(cgan_loss *loss) {
    loss->st_value = loss->st_wasserstein = loss->st_mean_real = loss->st_mean_fake = NAN;
    loss->st_degenerate_rows = loss->st_zero_norm_rows = NAN;
    loss->st_active_pairs = loss->st_mean_target = NAN;
}

int cgan_loss_get_stat(const cgan_loss *loss, const char *key, double *value) {
    CGAN__CHECK_NOT_NULL(loss, "loss");
    CGAN__CHECK_NOT_NULL(key, "key");
    CGAN__CHECK_NOT_NULL(value, "value");
    static const struct {
        const char *name;
        unsigned kinds;
        size_t offset;
    } stats[] = {
        {"value", ALL_KINDS, offsetof(cgan_loss, st_value)},
        {"wasserstein", KIND_BIT(CGAN_LOSS_WGAN), offsetof(cgan_loss, st_wasserstein)},
        {"mean_real", KIND_BIT(CGAN_LOSS_WGAN), offsetof(cgan_loss, st_mean_real)},
        {"mean_fake", KIND_BIT(CGAN_LOSS_WGAN), offsetof(cgan_loss, st_mean_fake)},
        {"degenerate_rows", KIND_BIT(CGAN_LOSS_2C), offsetof(cgan_loss, st_degenerate_rows)},
        {"zero_norm_rows", KIND_BIT(CGAN_LOSS_2C) | KIND_BIT(CGAN_LOSS_CONTINUOUS),
         offsetof(cgan_loss, st_zero_norm_rows)},
        {"active_pairs", KIND_BIT(CGAN_LOSS_CONTINUOUS), offsetof(cgan_loss, st_active_pairs)},
        {"mean_target_distance", KIND_BIT(CGAN_LOSS_CONTINUOUS),
         offsetof(cgan_loss, st_mean_target)},
    };
    for (size_t i = 0; i < sizeof stats / sizeof stats[0]; i++) {
        if (strcmp(stats[i].name, key) != 0) continue;
        if (!(stats[i].kinds & KIND_BIT(loss->kind))) break;
        memcpy(value, (const char *)loss + stats[i].offset, sizeof *value);
        return CGAN_OK;
    }
    return cgan__error(CGAN_EINVAL, "%s: a %s loss reports no statistic \"%s\"", __func__,
                       kind_name(loss->kind), key);
}

/* ------------------------------------------------------------- workspace */
double *cgan__loss_workspace(cgan_loss *loss, size_t n) {
    if (n <= loss->ws_len) return loss->ws;
    if (n > SIZE_MAX / sizeof(double)) {
        cgan__error(CGAN_ENOMEM, "loss workspace of %zu doubles is too large", n);
        return NULL;
    }
    double *ws = cgan__alloc(n * sizeof(double));
    if (ws == NULL) {
        cgan__error(CGAN_ENOMEM, "cannot allocate a loss workspace of %zu doubles", n);
        return NULL;
    }
    cgan__free(loss->ws);
    loss->ws = ws;
    loss->ws_len = n;
    return ws;
}

int32_t *cgan__loss_label_buffer(cgan_loss *loss, int64_t m) {
    if ((size_t)m <= loss->labels_len) return loss->labels;
    int32_t *b = cgan__alloc((size_t)m * sizeof(int32_t));
    if (b == NULL) {
        cgan__error(CGAN_ENOMEM, "cannot allocate %lld labels", (long long)m);
        return NULL;
    }
    cgan__free(loss->labels);
    loss->labels = b;
    loss->labels_len = (size_t)m;
    return b;
}

int cgan__loss_require(const cgan_loss *loss, int kind, const char *fn) {
    CGAN__CHECK_NOT_NULL(loss, "loss");
    if (loss->kind != kind)
        return cgan__error(CGAN_EINVAL, "%s: the handle is a %s loss, not a %s loss", fn,
                           kind_name(loss->kind), kind_name(kind));
    return CGAN_OK;
}
