/* One alloy micrograph: grains, eutectic, cracks, then the optics (grain
 * shading, blur, noise, 8-bit quantisation), with the true grain table. */
#include "synth_internal.h"

#include <math.h>
#include <string.h>

#define BLUR_SIGMA 0.55 /* px: the microscope's point spread */
#define NOISE_SD 5.0    /* grey levels: detector noise */
#define SHADE_SD 3.5    /* grey levels: slow contrast variation inside grains */

void cgan_synth_image_destroy(cgan_synth_image *m) {
    if (m == NULL) return;
    cgan_tensor_destroy(m->pixels);
    cgan_tensor_destroy(m->labels);
    cgan_tensor_destroy(m->mask);
    cgan_tensor_destroy(m->grains);
    free(m);
}

const cgan_tensor *cgan_synth_image_pixels(const cgan_synth_image *m) { return m ? m->pixels : NULL; }
const cgan_tensor *cgan_synth_image_labels(const cgan_synth_image *m) { return m ? m->labels : NULL; }
const cgan_tensor *cgan_synth_image_crack_mask(const cgan_synth_image *m) {
    return m ? m->mask : NULL;
}
const cgan_tensor *cgan_synth_image_grains(const cgan_synth_image *m) { return m ? m->grains : NULL; }
int64_t cgan_synth_image_grain_count(const cgan_synth_image *m) { return m ? m->n_grains : 0; }
int cgan_synth_image_crack_count(const cgan_synth_image *m) { return m ? m->n_cracks : 0; }

/* Seeds of the independent streams of one image, so that changing one
 * stage (e.g. the crack count) leaves the others' random numbers alone. */
enum { STREAM_GRAINS = 1, STREAM_EUTECTIC, STREAM_CRACKS, STREAM_OPTICS };

static int render(const cgan_synth_alloy *g, const synth_alloy_cond *c, uint64_t seed,
                  cgan_synth_image *m) {
    int w = (int)g->p[CGAN_SYNTH_ALLOY_WIDTH], h = (int)g->p[CGAN_SYNTH_ALLOY_HEIGHT], n = 0;
    size_t np = (size_t)w * h;
    int32_t *lab = calloc(np, sizeof(int32_t));
    float *eut = malloc(sizeof(float) * np), *shade = malloc(sizeof(float) * np);
    uint8_t *crack = calloc(np, 1), *mask = calloc(np, 1);
    double *rows = NULL;
    cgan_rng *rng[5] = {NULL};
    int rc = CGAN_OK;
    if (!lab || !eut || !shade || !crack || !mask) {
        rc = cgan__error(CGAN_ENOMEM, "cgan_synth_alloy_render: out of memory (%dx%d)", w, h);
        goto done;
    }
    for (int s = STREAM_GRAINS; s <= STREAM_OPTICS; s++)
        if ((rc = cgan_rng_create(&rng[s], cgan__synth_seed(seed, (uint64_t)s, 0))) != CGAN_OK)
            goto done;
    if ((rc = cgan__synth_place_grains(c, g->p[CGAN_SYNTH_ALLOY_PRIMARY_FRACTION], rng[STREAM_GRAINS],
                                       w, h, lab, &n)) ||
        (rc = cgan__synth_eutectic(c, rng[STREAM_EUTECTIC], w, h, eut)) ||
        (rc = cgan__synth_cracks(c, rng[STREAM_CRACKS], w, h, lab, crack, mask, &m->n_cracks)) ||
        (rc = cgan__synth_random_field(rng[STREAM_OPTICS], w, h, SYNTH_FIELD_LOWPASS,
                                       0.6 * c->grain_d_px, 0, shade)))
        goto done;
    for (size_t q = 0; q < np; q++) {
        double v = lab[q] ? SYNTH_GREY_GRAIN + SHADE_SD * shade[q] : eut[q];
        if (crack[q]) v = SYNTH_GREY_CRACK;
        eut[q] = (float)v;
    }
    if ((rc = cgan__synth_blur(eut, w, h, BLUR_SIGMA)) != CGAN_OK) goto done;
    if ((rc = cgan_tensor_create4(&m->pixels, 1, 1, h, w)) ||
        (rc = cgan_tensor_create4(&m->labels, 1, 1, h, w)) ||
        (rc = cgan_tensor_create4(&m->mask, 1, 1, h, w)))
        goto done;
    for (size_t q = 0; q < np; q++) {
        double v = floor(eut[q] + NOISE_SD * cgan_rng_normal(rng[STREAM_OPTICS]) + 0.5);
        v = v < 0.0 ? 0.0 : v > 255.0 ? 255.0 : v;
        m->pixels->data[q] = (float)(v / 255.0);
        m->labels->data[q] = (float)lab[q];
        m->mask->data[q] = mask[q] ? 1.0f : 0.0f;
    }
    m->n_grains = n;
    if (n > 0) {
        if ((rows = malloc(sizeof(double) * (size_t)n * CGAN_SYNTH_GRAIN_COLUMNS)) == NULL) {
            rc = cgan__error(CGAN_ENOMEM, "cgan_synth_alloy_render: out of memory");
            goto done;
        }
        if ((rc = cgan__synth_measure_labels(lab, w, h, n, rows)) ||
            (rc = cgan_tensor_create4(&m->grains, n, CGAN_SYNTH_GRAIN_COLUMNS, 0, 0)))
            goto done;
        for (size_t i = 0; i < (size_t)n * CGAN_SYNTH_GRAIN_COLUMNS; i++)
            m->grains->data[i] = (float)rows[i];
    }
done:
    for (int s = 0; s < 5; s++) cgan_rng_destroy(rng[s]);
    free(lab);
    free(eut);
    free(shade);
    free(crack);
    free(mask);
    free(rows);
    return rc;
}

int cgan_synth_alloy_render(const cgan_synth_alloy *g, double temperature_C, double strain_rate,
                            uint64_t seed, cgan_synth_image **out) {
    synth_alloy_cond c;
    cgan_synth_image *m;
    int rc;
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    CGAN__CHECK_NOT_NULL(g, "generator");
    if ((rc = cgan__synth_alloy_cond(g, temperature_C, strain_rate, &c)) != CGAN_OK) return rc;
    if ((m = calloc(1, sizeof *m)) == NULL)
        return cgan__error(CGAN_ENOMEM, "cgan_synth_alloy_render: out of memory");
    if ((rc = render(g, &c, seed, m)) != CGAN_OK) {
        cgan_synth_image_destroy(m);
        return rc;
    }
    *out = m;
    return CGAN_OK;
}
