/* Analysis settings: a keyed table of doubles with range checks. */
#include "analysis_internal.h"

#include <math.h>
#include <stdlib.h>

typedef struct param_info {
    const char *name;
    double def, lo, hi;
    int integer;
} param_info;

/* Defaults reproduce ImageJ's Analyze Particles with the Default threshold. */
static const param_info params[CGAN__N_PARAMS] = {
    [CGAN_ANALYSIS_PHASE] = {"CGAN_ANALYSIS_PHASE", CGAN_PHASE_DARK, 0, 2, 1},
    [CGAN_ANALYSIS_THRESHOLD] = {"CGAN_ANALYSIS_THRESHOLD", -1, -1, 255, 1},
    [CGAN_ANALYSIS_WINDOW_LO] = {"CGAN_ANALYSIS_WINDOW_LO", 0, 0, 255, 0},
    [CGAN_ANALYSIS_WINDOW_HI] = {"CGAN_ANALYSIS_WINDOW_HI", 255, 0, 255, 0},
    [CGAN_ANALYSIS_SMOOTH_SIGMA] = {"CGAN_ANALYSIS_SMOOTH_SIGMA", 0, 0, 100, 0},
    [CGAN_ANALYSIS_EDGES] = {"CGAN_ANALYSIS_EDGES", CGAN_EDGES_KEEP, 0, 2, 1},
    [CGAN_ANALYSIS_INCLUDE_HOLES] = {"CGAN_ANALYSIS_INCLUDE_HOLES", 0, 0, 1, 1},
    [CGAN_ANALYSIS_MIN_SIZE] = {"CGAN_ANALYSIS_MIN_SIZE", 0, 0, 1e12, 1},
    [CGAN_ANALYSIS_MAX_SIZE] = {"CGAN_ANALYSIS_MAX_SIZE", 0, 0, 1e12, 1},
    [CGAN_ANALYSIS_UM_PER_PX] = {"CGAN_ANALYSIS_UM_PER_PX", 0, 0, 1e6, 0},
    [CGAN_ANALYSIS_S2_RADIUS] = {"CGAN_ANALYSIS_S2_RADIUS", 32, 1, 1024, 1},
    [CGAN_ANALYSIS_SPECKLE_SIZE] = {"CGAN_ANALYSIS_SPECKLE_SIZE", 4, 0, 1e12, 1},
    [CGAN_ANALYSIS_AGGREGATION] = {"CGAN_ANALYSIS_AGGREGATION", CGAN_AGG_POOLED, 0, 1, 1},
    [CGAN_ANALYSIS_BOOTSTRAP] = {"CGAN_ANALYSIS_BOOTSTRAP", 200, 0, 100000, 1},
    [CGAN_ANALYSIS_SEED] = {"CGAN_ANALYSIS_SEED", 1, 0, 9007199254740992.0, 1},
    [CGAN_ANALYSIS_OPEN_RADIUS] = {"CGAN_ANALYSIS_OPEN_RADIUS", 0, 0, 64, 1},
};

int cgan_analysis_opts_create(cgan_analysis_opts **out) {
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = malloc(sizeof **out);
    if (*out == NULL) return cgan__error(CGAN_ENOMEM, "%s: out of memory", __func__);
    for (int k = 0; k < CGAN__N_PARAMS; k++) (*out)->v[k] = params[k].def;
    return CGAN_OK;
}

void cgan_analysis_opts_destroy(cgan_analysis_opts *o) { free(o); }

int cgan_analysis_opts_set(cgan_analysis_opts *o, cgan_analysis_param key, double value) {
    CGAN__CHECK_NOT_NULL(o, "o");
    if ((int)key < 0 || (int)key >= CGAN__N_PARAMS)
        return cgan__error(CGAN_EINVAL, "%s: unknown key %d", __func__, (int)key);
    const param_info *p = &params[key];
    if (!(value >= p->lo && value <= p->hi) || (p->integer && value != floor(value)))
        return cgan__error(CGAN_EINVAL, "%s: %s = %g is outside %s[%g, %g]", __func__, p->name,
                           value, p->integer ? "the whole numbers in " : "", p->lo, p->hi);
    o->v[key] = value;
    return CGAN_OK;
}

int cgan_analysis_opts_get(const cgan_analysis_opts *o, cgan_analysis_param key, double *value) {
    CGAN__CHECK_NOT_NULL(o, "o");
    CGAN__CHECK_NOT_NULL(value, "value");
    if ((int)key < 0 || (int)key >= CGAN__N_PARAMS)
        return cgan__error(CGAN_EINVAL, "%s: unknown key %d", __func__, (int)key);
    *value = o->v[key];
    return CGAN_OK;
}

const char *cgan__analysis_param_name(int key) {
    return key >= 0 && key < CGAN__N_PARAMS ? params[key].name : NULL;
}
