/* Options of cgan_prepare_run, set by key so the set can grow. */
#include "../core/internal.h"
#include "prepare_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int cgan_prepare_opts_create(cgan_prepare_opts **out) {
    CGAN__CHECK_NOT_NULL(out, "out");
    cgan_prepare_opts *o = calloc(1, sizeof *o);
    *out = NULL;
    if (!o) return cgan__error(CGAN_ENOMEM, "cgan_prepare_opts_create: out of memory");
    o->size = 128;
    o->um_per_px = 0; /* required */
    o->per_image = 16;
    o->augment = CGAN_AUGMENT_DEFAULT;
    o->seed = 1;
    o->contrast = 1;
    o->pct_lo = 0.5;
    o->pct_hi = 99.5;
    o->jitter = 0.05;
    o->min_per_class = 16;
    *out = o;
    return CGAN_OK;
}

void cgan_prepare_opts_destroy(cgan_prepare_opts *o) {
    if (!o) return;
    free(o->reference);
    free(o);
}

static int whole(double v, double lo, double hi) { return v == floor(v) && v >= lo && v <= hi; }

int cgan_prepare_opts_set(cgan_prepare_opts *o, int key, double v) {
    CGAN__CHECK_NOT_NULL(o, "o");
    const char *why = NULL;
    switch (key) {
    case CGAN_PREPARE_SIZE: if (whole(v, 8, 4096)) o->size = (int64_t)v; else why = "a whole number in 8..4096"; break;
    case CGAN_PREPARE_UM_PER_PX: if (v > 0 && isfinite(v)) o->um_per_px = v; else why = "positive"; break;
    case CGAN_PREPARE_PATCHES_PER_IMAGE: if (whole(v, 0, 1e7)) o->per_image = (int64_t)v; else why = "a whole number >= 0"; break;
    case CGAN_PREPARE_STRIDE: if (whole(v, 0, 1e6)) o->stride = (int64_t)v; else why = "a whole number >= 0"; break;
    case CGAN_PREPARE_AUGMENT:
        if (whole(v, 0, 15)) o->augment = (uint32_t)v; else why = "a combination of CGAN_AUGMENT_* flags";
        break;
    case CGAN_PREPARE_CONTINUOUS: if (v == 0 || v == 1) o->continuous = (int)v; else why = "0 or 1"; break;
    case CGAN_PREPARE_SEED: if (whole(v, 0, 9007199254740992.0)) o->seed = (uint64_t)v; else why = "a whole number >= 0"; break;
    case CGAN_PREPARE_CONTRAST: if (whole(v, 0, 2)) o->contrast = (int)v; else why = "0, 1 or 2"; break;
    case CGAN_PREPARE_PERCENTILE_LO: if (v >= 0 && v < 100) o->pct_lo = v; else why = "in [0, 100)"; break;
    case CGAN_PREPARE_PERCENTILE_HI: if (v > 0 && v <= 100) o->pct_hi = v; else why = "in (0, 100]"; break;
    case CGAN_PREPARE_JITTER: if (v >= 0 && v <= 1) o->jitter = v; else why = "in [0, 1]"; break;
    case CGAN_PREPARE_MIN_PER_CLASS: if (whole(v, 0, 1e9)) o->min_per_class = (int64_t)v; else why = "a whole number >= 0"; break;
    default: return cgan__error(CGAN_EINVAL, "cgan_prepare_opts_set: unknown key %d", key);
    }
    if (why) return cgan__error(CGAN_EINVAL, "cgan_prepare_opts_set: key %d must be %s, not %g", key, why, v);
    return CGAN_OK;
}

int cgan_prepare_opts_get(const cgan_prepare_opts *o, int key, double *v) {
    CGAN__CHECK_NOT_NULL(o, "o");
    CGAN__CHECK_NOT_NULL(v, "value");
    switch (key) {
    case CGAN_PREPARE_SIZE: *v = (double)o->size; break;
    case CGAN_PREPARE_UM_PER_PX: *v = o->um_per_px; break;
    case CGAN_PREPARE_PATCHES_PER_IMAGE: *v = (double)o->per_image; break;
    case CGAN_PREPARE_STRIDE: *v = (double)o->stride; break;
    case CGAN_PREPARE_AUGMENT: *v = o->augment; break;
    case CGAN_PREPARE_CONTINUOUS: *v = o->continuous; break;
    case CGAN_PREPARE_SEED: *v = (double)o->seed; break;
    case CGAN_PREPARE_CONTRAST: *v = o->contrast; break;
    case CGAN_PREPARE_PERCENTILE_LO: *v = o->pct_lo; break;
    case CGAN_PREPARE_PERCENTILE_HI: *v = o->pct_hi; break;
    case CGAN_PREPARE_JITTER: *v = o->jitter; break;
    case CGAN_PREPARE_MIN_PER_CLASS: *v = (double)o->min_per_class; break;
    default: return cgan__error(CGAN_EINVAL, "cgan_prepare_opts_get: unknown key %d", key);
    }
    return CGAN_OK;
}

int cgan_prepare_opts_set_reference(cgan_prepare_opts *o, const char *image_path) {
    CGAN__CHECK_NOT_NULL(o, "o");
    char *p = image_path ? strdup(image_path) : NULL;
    if (image_path && !p) return cgan__error(CGAN_ENOMEM, "cgan_prepare_opts_set_reference: out of memory");
    free(o->reference);
    o->reference = p;
    return CGAN_OK;
}
