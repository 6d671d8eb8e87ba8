/* cgan_prepare_run: every micrograph of a manifest, once, to patches of one
 * physical size in one .npz (docs/data.md).  Per row: read, mask, roi,
 * resample to the common scale, contrast (percentile stretch, optionally
 * histogram matching to a reference), [-1, 1], patch positions clear of the
 * mask, augmentation copies.  Nothing is written unless every row works. */
#include "../core/internal.h"
#include "data_internal.h"
#include "prepare_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* The growing data set. */
typedef struct pset {
    int64_t n, cap, s, k;
    float *patches;     /* n * s * s */
    int64_t *cls, *row, *xform;
    float *box;         /* n * 4: x, y, w, h in source pixels */
} pset;

typedef struct ctx {
    const cgan_manifest *m;
    const cgan_prepare_opts *o;
    cgan_prepare_report_fn report;
    void *user;
    cgan_rng *rng;
    int xforms[8], n_xforms;
    cgan_tensor *ref;   /* reference for histogram matching */
    pset ps;
    int64_t *base_per_class;
} ctx;

static void say(ctx *c, int event, int64_t row, const char *fmt, ...) CGAN__PRINTF(4, 5);
static void say(ctx *c, int event, int64_t row, const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    if (!c->report) return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    c->report(event, row, msg, c->user);
}

/* Prefix the last error with the manifest line. */
static int row_fail(ctx *c, int64_t row, int rc) {
    return cgan__error(rc, "manifest %s line %lld: %s", cgan__manifest_file(c->m),
                       (long long)cgan_manifest_line(c->m, row), cgan_last_error());
}

static int grow(pset *p) {
    if (p->n < p->cap) return CGAN_OK;
    int64_t cap = p->cap ? 2 * p->cap : 256;
    float *pa = realloc(p->patches, sizeof(float) * (size_t)(cap * p->s * p->s));
    if (pa) p->patches = pa;
    int64_t *a = realloc(p->cls, sizeof(int64_t) * (size_t)cap);
    if (a) p->cls = a;
    int64_t *b = realloc(p->row, sizeof(int64_t) * (size_t)cap);
    if (b) p->row = b;
    int64_t *x = realloc(p->xform, sizeof(int64_t) * (size_t)cap);
    if (x) p->xform = x;
    float *bx = realloc(p->box, sizeof(float) * 4 * (size_t)cap);
    if (bx) p->box = bx;
    if (!pa || !a || !b || !x || !bx) return cgan__error(CGAN_ENOMEM, "cgan_prepare_run: out of memory");
    p->cap = cap;
    return CGAN_OK;
}

static void pset_free(pset *p) {
    free(p->patches);
    free(p->cls);
    free(p->row);
    free(p->xform);
    free(p->box);
}

/* Read a row's image (and mask), crop to its roi, resample, stretch.
 * *img / *mask are new tensors at the common scale; *mask may be NULL. */
static int load_row(ctx *c, int64_t row, cgan_tensor **img, cgan_tensor **mask, int64_t *roi) {
    const cgan_manifest *m = c->m;
    cgan_tensor *raw = NULL, *rawmask = NULL, *t = NULL;
    int64_t h, w;
    double src = cgan_manifest_um_per_px(m, row), dst = c->o->um_per_px;
    int rc;
    *img = *mask = NULL;
    if ((rc = cgan_image_read(cgan_manifest_path(m, row), &raw, NULL)) != CGAN_OK) return row_fail(c, row, rc);
    cgan__image_hw(raw, &h, &w);
    if (cgan_manifest_mask(m, row)) {
        int64_t mh, mw;
        if ((rc = cgan_image_read(cgan_manifest_mask(m, row), &rawmask, NULL)) != CGAN_OK) goto fail;
        cgan__image_hw(rawmask, &mh, &mw);
        if (mh != h || mw != w) {
            rc = cgan__error(CGAN_ESHAPE, "mask %s is %lldx%lld px but image %s is %lldx%lld px",
                             cgan_manifest_mask(m, row), (long long)mw, (long long)mh,
                             cgan_manifest_path(m, row), (long long)w, (long long)h);
            goto fail;
        }
    }
    roi[0] = roi[1] = 0, roi[2] = w, roi[3] = h;
    if (cgan_manifest_roi(m, row, roi) == 1) {
        if (roi[0] + roi[2] > w || roi[1] + roi[3] > h) {
            rc = cgan__error(CGAN_ESHAPE, "roi %lld:%lld:%lld:%lld is outside the %lldx%lld image %s",
                             (long long)roi[0], (long long)roi[1], (long long)roi[2], (long long)roi[3],
                             (long long)w, (long long)h, cgan_manifest_path(m, row));
            goto fail;
        }
        if ((rc = cgan_image_crop(&t, raw, roi[0], roi[1], roi[2], roi[3])) != CGAN_OK) goto fail;
        cgan_tensor_destroy(raw);
        raw = t;
        if (rawmask) {
            if ((rc = cgan_image_crop(&t, rawmask, roi[0], roi[1], roi[2], roi[3])) != CGAN_OK) goto fail;
            cgan_tensor_destroy(rawmask);
            rawmask = t;
        }
    }
    if ((rc = cgan_image_resample(img, raw, src, dst)) != CGAN_OK) goto fail;
    if (rawmask && (rc = cgan_mask_resample(mask, rawmask, src, dst)) != CGAN_OK) goto fail;
    if (c->o->contrast >= 1 && (rc = cgan_image_stretch(*img, *mask, c->o->pct_lo, c->o->pct_hi)) != CGAN_OK)
        goto fail;
    cgan_tensor_destroy(raw);
    cgan_tensor_destroy(rawmask);
    return CGAN_OK;
fail:
    cgan_tensor_destroy(raw);
    cgan_tensor_destroy(rawmask);
    cgan_tensor_destroy(*img);
    cgan_tensor_destroy(*mask);
    *img = *mask = NULL;
    return row_fail(c, row, rc);
}

static int do_row(ctx *c, int64_t row) {
    cgan_tensor *img, *mask;
    int64_t roi[4], h, w, s = c->o->size, found = 0;
    int rc = load_row(c, row, &img, &mask, roi);
    if (rc != CGAN_OK) return rc;
    if (c->ref && (rc = cgan_image_match_histogram(img, mask, c->ref, NULL)) != CGAN_OK) {
        rc = row_fail(c, row, rc);
        goto out;
    }
    cgan__image_hw(img, &h, &w);
    for (int64_t i = 0; i < img->numel; i++) img->data[i] = 2.0f * img->data[i] - 1.0f;
    int64_t want = c->o->per_image;
    if (c->o->stride > 0 && want == 0) want = (h / c->o->stride + 1) * (w / c->o->stride + 1);
    int64_t *xy = malloc(sizeof(int64_t) * 2 * (size_t)(want ? want : 1));
    if (!xy) {
        rc = cgan__error(CGAN_ENOMEM, "cgan_prepare_run: out of memory");
        goto out;
    }
    rc = cgan_patch_positions(mask, h, w, s, c->o->stride, c->o->stride > 0 ? c->o->per_image : want,
                              c->rng, xy, want, &found);
    float *base = rc == CGAN_OK ? malloc(sizeof(float) * (size_t)(s * s)) : NULL;
    if (rc == CGAN_OK && !base) rc = cgan__error(CGAN_ENOMEM, "cgan_prepare_run: out of memory");
    double scale = c->o->um_per_px / cgan_manifest_um_per_px(c->m, row); /* source px per px */
    int64_t cls = cgan_manifest_class(c->m, row);
    int jitter = (c->o->augment & CGAN_AUGMENT_JITTER) && c->o->jitter > 0;
    int copies = c->n_xforms + (jitter && c->n_xforms == 1);
    for (int64_t p = 0; p < found && rc == CGAN_OK; p++) {
        for (int64_t y = 0; y < s; y++)
            memcpy(base + y * s, img->data + (xy[2 * p + 1] + y) * w + xy[2 * p], sizeof(float) * (size_t)s);
        for (int t = 0; t < copies && rc == CGAN_OK; t++) {
            if ((rc = grow(&c->ps)) != CGAN_OK) break;
            int64_t i = c->ps.n++;
            float *dst = c->ps.patches + i * s * s;
            int xf = t < c->n_xforms ? c->xforms[t] : CGAN_TRANSFORM_IDENTITY;
            cgan__transform(base, dst, s, xf);
            if (jitter && t > 0) { /* brightness offset on the copies, never the original */
                float off = (float)((2.0 * cgan_rng_uniform(c->rng) - 1.0) * c->o->jitter);
                for (int64_t j = 0; j < s * s; j++) {
                    float v = dst[j] + off;
                    dst[j] = v < -1.0f ? -1.0f : v > 1.0f ? 1.0f : v;
                }
            }
            c->ps.cls[i] = cls;
            c->ps.row[i] = row;
            c->ps.xform[i] = xf;
            c->ps.box[4 * i] = (float)(roi[0] + xy[2 * p] * scale);
            c->ps.box[4 * i + 1] = (float)(roi[1] + xy[2 * p + 1] * scale);
            c->ps.box[4 * i + 2] = c->ps.box[4 * i + 3] = (float)(s * scale);
        }
    }
    if (rc == CGAN_OK) {
        int64_t excluded = 0;
        for (int64_t i = 0; mask && i < mask->numel; i++) excluded += mask->data[i] != 0.0f;
        double px_um2 = c->o->um_per_px * c->o->um_per_px;
        c->base_per_class[cls] += found;
        say(c, CGAN_PREPARE_EVENT_IMAGE, row,
            "line %lld %s: %lldx%lld px at %g um/px -> %lldx%lld px at %g um/px; %lld of %lld "
            "patches kept (%lld stored with augmentation); area excluded %.1f%% (%.0f um^2); class %s",
            (long long)cgan_manifest_line(c->m, row), cgan__manifest_raw_path(c->m, row),
            (long long)roi[2], (long long)roi[3], cgan_manifest_um_per_px(c->m, row), (long long)w,
            (long long)h, c->o->um_per_px, (long long)found, (long long)want, (long long)(found * copies),
            100.0 * (double)excluded / (double)(h * w), (double)excluded * px_um2,
            cgan_manifest_class_name(c->m, cls));
    }
    free(base);
    free(xy);
out:
    cgan_tensor_destroy(img);
    cgan_tensor_destroy(mask);
    return rc;
}

/* The reference distribution for histogram matching. */
static int make_reference(ctx *c) {
    cgan_tensor *mask = NULL;
    int64_t roi[4];
    int rc;
    if (c->o->contrast < 2) return CGAN_OK;
    if (!c->o->reference) {
        rc = load_row(c, 0, &c->ref, &mask, roi);
        if (rc == CGAN_OK && mask) { /* keep only usable pixels' distribution */
            int64_t n;
            float *v = cgan__usable_sorted(c->ref, mask, &n);
            cgan_tensor_destroy(c->ref);
            c->ref = NULL;
            rc = !v ? cgan__error(CGAN_ENOMEM, "cgan_prepare_run: out of memory")
                    : n == 0 ? cgan__error(CGAN_EINVAL, "reference image is entirely masked")
                             : cgan_tensor_create4(&c->ref, n, 0, 0, 0);
            if (rc == CGAN_OK) memcpy(c->ref->data, v, sizeof(float) * (size_t)n);
            if (rc == CGAN_OK) rc = cgan_tensor_reshape(c->ref, 2, (int64_t[]){1, n});
            free(v);
        }
        cgan_tensor_destroy(mask);
        return rc;
    }
    if ((rc = cgan_image_read(c->o->reference, &c->ref, NULL)) != CGAN_OK) return rc;
    return cgan_image_stretch(c->ref, NULL, c->o->pct_lo, c->o->pct_hi);
}


static int write_set(ctx *c, const char *out_path);

int cgan_prepare_run(const cgan_manifest *m, const cgan_prepare_opts *o, const char *out_path,
                     cgan_prepare_report_fn report, void *user) {
    ctx c;
    int rc;
    CGAN__CHECK_NOT_NULL(m, "m");
    CGAN__CHECK_NOT_NULL(o, "o");
    CGAN__CHECK_NOT_NULL(out_path, "out_path");
    if (!(o->um_per_px > 0))
        return cgan__error(CGAN_EINVAL, "cgan_prepare_run: the common scale (CGAN_PREPARE_UM_PER_PX) is not set");
    if (o->stride == 0 && o->per_image == 0)
        return cgan__error(CGAN_EINVAL, "cgan_prepare_run: random positions need patches per image > 0");
    if (o->pct_lo >= o->pct_hi)
        return cgan__error(CGAN_EINVAL, "cgan_prepare_run: percentiles %g >= %g", o->pct_lo, o->pct_hi);
    memset(&c, 0, sizeof c);
    c.m = m;
    c.o = o;
    c.report = report;
    c.user = user;
    c.ps.s = o->size;
    c.ps.k = cgan_manifest_columns(m);
    if ((c.n_xforms = cgan_augment_transforms(o->augment, c.xforms, 8)) < 0) return c.n_xforms;
    if ((rc = cgan_rng_create(&c.rng, o->seed)) != CGAN_OK) return rc;
    c.base_per_class = calloc((size_t)cgan_manifest_classes(m), sizeof(int64_t));
    rc = c.base_per_class ? make_reference(&c) : cgan__error(CGAN_ENOMEM, "cgan_prepare_run: out of memory");
    for (int64_t r = 0; r < cgan_manifest_rows(m) && rc == CGAN_OK; r++) rc = do_row(&c, r);
    if (rc == CGAN_OK && c.ps.n == 0)
        rc = cgan__error(CGAN_EINVAL, "cgan_prepare_run: no %lld px patch (%g um wide) fits in any "
                         "image outside its mask; nothing written", (long long)o->size,
                         (double)o->size * o->um_per_px);
    for (int64_t k = 0; rc == CGAN_OK && k < cgan_manifest_classes(m); k++)
        if (c.base_per_class[k] < o->min_per_class)
            say(&c, CGAN_PREPARE_EVENT_WARNING, -1,
                "class %s has only %lld patches (before augmentation), fewer than %lld: add images "
                "or patches per image", cgan_manifest_class_name(m, k), (long long)c.base_per_class[k],
                (long long)o->min_per_class);
    if (rc == CGAN_OK) rc = write_set(&c, out_path);
    cgan_tensor_destroy(c.ref);
    cgan_rng_destroy(c.rng);
    free(c.base_per_class);
    pset_free(&c.ps);
    return rc;
}

/* ----------------------------------------------------------- the archive */
static int write_set(ctx *c, const char *out_path) {
    const cgan_manifest *m = c->m;
    const cgan_prepare_opts *o = c->o;
    int64_t n = c->ps.n, k = c->ps.k, s = c->ps.s, nc = cgan_manifest_classes(m), rows = cgan_manifest_rows(m);
    cgan_npz_writer *w = NULL;
    float *scaled = malloc(sizeof(float) * (size_t)(n * k + 1)), *raw = malloc(sizeof(float) * (size_t)(n * k + 1));
    float *cc = malloc(sizeof(float) * (size_t)(nc * k + 1)), *smin = malloc(sizeof(float) * (size_t)(k + 1));
    float *smax = malloc(sizeof(float) * (size_t)(k + 1)), *src_um = malloc(sizeof(float) * (size_t)rows);
    int64_t *slog = malloc(sizeof(int64_t) * (size_t)(k + 1));
    const char **names = malloc(sizeof(char *) * (size_t)(nc + k + rows + 1));
    char settings[8][160];
    const char *set_ptr[8];
    int rc = CGAN_OK;
    if (!scaled || !raw || !cc || !smin || !smax || !src_um || !slog || !names) {
        rc = cgan__error(CGAN_ENOMEM, "cgan_prepare_run: out of memory");
        goto out;
    }
    float *tmp = malloc(sizeof(float) * (size_t)(k + 1));
    for (int64_t i = 0; tmp && i < n; i++) {
        cgan_manifest_scaled(m, c->ps.row[i], tmp);
        for (int64_t j = 0; j < k; j++) {
            scaled[i * k + j] = tmp[j];
            raw[i * k + j] = (float)cgan_manifest_value(m, c->ps.row[i], (int)j);
        }
    }
    free(tmp);
    for (int64_t r = 0; r < rows; r++) {
        src_um[r] = (float)cgan_manifest_um_per_px(m, r);
        for (int64_t j = 0; j < k; j++)
            cc[cgan_manifest_class(m, r) * k + j] = (float)cgan_manifest_value(m, r, (int)j);
    }
    for (int64_t j = 0; j < k; j++) {
        double lo, hi;
        int lg;
        cgan_manifest_scaling(m, (int)j, &lo, &hi, &lg);
        smin[j] = (float)lo, smax[j] = (float)hi, slog[j] = lg;
    }
    snprintf(settings[0], 160, "size=%lld", (long long)s);
    snprintf(settings[1], 160, "um_per_px=%g", o->um_per_px);
    snprintf(settings[2], 160, "patch_um=%g", (double)s * o->um_per_px);
    snprintf(settings[3], 160, "positions=%s", o->stride ? "grid" : "random");
    snprintf(settings[4], 160, "patches_per_image=%lld stride=%lld seed=%llu", (long long)o->per_image,
             (long long)o->stride, (unsigned long long)o->seed);
    snprintf(settings[5], 160, "augment=%s%s%s%s", o->augment & CGAN_AUGMENT_FLIPS ? "flips," : "",
             o->augment & CGAN_AUGMENT_ROT180 ? "rot180," : "", o->augment & CGAN_AUGMENT_ROT90 ? "rot90," : "",
             o->augment & CGAN_AUGMENT_JITTER ? "jitter," : "");
    snprintf(settings[6], 160, "contrast=%s percentiles=%g,%g jitter=%g",
             o->contrast == 0 ? "none" : o->contrast == 1 ? "percentile" : "histogram-match", o->pct_lo,
             o->pct_hi, o->jitter);
    snprintf(settings[7], 160, "manifest=%s", cgan__manifest_file(m));
    for (int i = 0; i < 8; i++) set_ptr[i] = settings[i];
    if ((rc = cgan_npz_writer_create(&w, out_path, 0)) != CGAN_OK) goto out;
    const char *fmt = "cgan-dataset", *mode = o->continuous ? "continuous" : "discrete";
    rc = cgan_npz_add_strings(w, "format", &fmt, 1);
    if (!rc) rc = cgan_npz_add_int64_scalar(w, "version", 1);
    if (!rc) rc = cgan_npz_add_float(w, "patches", 4, (int64_t[]){n, 1, s, s}, c->ps.patches);
    if (!rc) rc = cgan_npz_add_int64(w, "class", 1, &n, c->ps.cls);
    if (!rc) rc = cgan_npz_add_float(w, "conditions", 2, (int64_t[]){n, k}, scaled);
    if (!rc) rc = cgan_npz_add_float(w, "conditions_raw", 2, (int64_t[]){n, k}, raw);
    for (int64_t i = 0; i < nc; i++) names[i] = cgan_manifest_class_name(m, i);
    if (!rc) rc = cgan_npz_add_strings(w, "class_names", names, nc);
    if (!rc) rc = cgan_npz_add_float(w, "class_conditions", 2, (int64_t[]){nc, k}, cc);
    for (int64_t j = 0; j < k; j++) names[j] = cgan_manifest_column_name(m, (int)j);
    if (!rc) rc = cgan_npz_add_strings(w, "columns", names, k);
    if (!rc) rc = cgan_npz_add_float(w, "scale_min", 1, &k, smin);
    if (!rc) rc = cgan_npz_add_float(w, "scale_max", 1, &k, smax);
    if (!rc) rc = cgan_npz_add_int64(w, "scale_log10", 1, &k, slog);
    if (!rc) rc = cgan_npz_add_strings(w, "mode", &mode, 1);
    if (!rc) rc = cgan_npz_add_int64_scalar(w, "size", s);
    if (!rc) rc = cgan_npz_add_float_scalar(w, "um_per_px", (float)o->um_per_px);
    for (int64_t r = 0; r < rows; r++) names[r] = cgan__manifest_raw_path(m, r);
    if (!rc) rc = cgan_npz_add_strings(w, "source_files", names, rows);
    if (!rc) rc = cgan_npz_add_float(w, "source_um_per_px", 1, &rows, src_um);
    if (!rc) rc = cgan_npz_add_int64(w, "patch_source", 1, &n, c->ps.row);
    if (!rc) rc = cgan_npz_add_float(w, "patch_box", 2, (int64_t[]){n, 4}, c->ps.box);
    if (!rc) rc = cgan_npz_add_int64(w, "patch_transform", 1, &n, c->ps.xform);
    if (!rc) rc = cgan_npz_add_strings(w, "settings", set_ptr, 8);
    if (!rc) rc = cgan_npz_writer_finish(w);
out:
    cgan_npz_writer_destroy(w);
    free(scaled), free(raw), free(cc), free(smin), free(smax), free(src_um), free(slog), free(names);
    return rc;
}
