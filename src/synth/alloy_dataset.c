/* The alloy data set on disk: images, crack masks, optional label maps,
 * manifest.csv (for `cgan prepare`), truth.csv (one row per grain) and
 * images.csv (the model's quantities per image). */
#include "synth_internal.h"

#include <math.h>
#include <string.h>

typedef struct job_out {
    char name[96];
    double temp, rate;
    synth_alloy_cond cond;
    int n_grains, n_cracks, has_mask;
    double fraction; /* primary area fraction actually placed */
    float *grains;   /* n_grains x CGAN_SYNTH_GRAIN_COLUMNS */
} job_out;

typedef struct ctx {
    const cgan_synth_alloy *g;
    const char *dir;
    int per;
    uint64_t seed;
    uint32_t flags;
    job_out *jobs;
} ctx;

static uint64_t bits_of(double v) {
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    return u;
}

static void condition_name(char *buf, size_t n, double t, double rate) {
    snprintf(buf, n, "T%g_rate%g", t, rate);
}

static int write_png(const char *dir, const char *sub, const char *name, const cgan_tensor *img,
                     float hi, int bits) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, sub);
    int rc = cgan__synth_mkdir(path);
    if (rc != CGAN_OK) return rc;
    snprintf(path, sizeof path, "%s/%s/%s.png", dir, sub, name);
    return cgan_image_write_png(path, img, 0.0f, hi, bits);
}

static int run_job(int i, void *user) {
    ctx *x = user;
    job_out *o = &x->jobs[i];
    int cond = i / x->per, k = i % x->per;
    int ti = cond / x->g->n_rates, ri = cond % x->g->n_rates, rc;
    cgan_synth_image *m = NULL;
    char cname[64];
    o->temp = x->g->temps[ti];
    o->rate = x->g->rates[ri];
    condition_name(cname, sizeof cname, o->temp, o->rate);
    snprintf(o->name, sizeof o->name, "%s_%02d", cname, k);
    /* The seed follows the condition's values, not its position in the grid. */
    if ((rc = cgan__synth_alloy_cond(x->g, o->temp, o->rate, &o->cond)) ||
        (rc = cgan_synth_alloy_render(x->g, o->temp, o->rate,
                                      cgan__synth_seed(x->seed, bits_of(o->temp) * 31u ^
                                                                    bits_of(o->rate),
                                                       (uint64_t)k),
                                      &m)))
        return rc;
    o->n_grains = (int)m->n_grains;
    o->n_cracks = m->n_cracks;
    o->has_mask = 0;
    o->fraction = 0.0;
    for (int64_t q = 0; q < m->labels->numel; q++) {
        o->fraction += m->labels->data[q] > 0.0f;
        o->has_mask |= m->mask->data[q] > 0.0f;
    }
    o->fraction /= (double)m->labels->numel;
    if (m->n_grains > 0) {
        size_t nb = sizeof(float) * (size_t)m->n_grains * CGAN_SYNTH_GRAIN_COLUMNS;
        if ((o->grains = malloc(nb)) == NULL) {
            cgan_synth_image_destroy(m);
            return cgan__error(CGAN_ENOMEM, "cgan_synth_alloy_write_dataset: out of memory");
        }
        memcpy(o->grains, m->grains->data, nb);
    }
    rc = write_png(x->dir, "images", o->name, m->pixels, 1.0f, 8);
    if (rc == CGAN_OK && o->has_mask) rc = write_png(x->dir, "masks", o->name, m->mask, 1.0f, 8);
    if (rc == CGAN_OK && (x->flags & CGAN_SYNTH_WRITE_LABELS)) {
        if (m->n_grains > 65535)
            rc = cgan__error(CGAN_EUNSUPPORTED, "cgan_synth_alloy_write_dataset: %s has %d grains, "
                                                "more than a 16-bit label map holds",
                             o->name, o->n_grains);
        else
            rc = write_png(x->dir, "labels", o->name, m->labels, 65535.0f, 16);
    }
    cgan_synth_image_destroy(m);
    return rc;
}

static int write_csvs(const ctx *x, int n) {
    const double um = x->g->p[CGAN_SYNTH_ALLOY_UM_PER_PX];
    cgan__atomic_file af[3];
    const char *names[3] = {"manifest.csv", "truth.csv", "images.csv"};
    int rc = CGAN_OK, opened = 0;
    for (; opened < 3; opened++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", x->dir, names[opened]);
        if ((rc = cgan__atomic_open(&af[opened], path)) != CGAN_OK) break;
    }
    if (rc != CGAN_OK) {
        for (int f = 0; f < opened; f++) cgan__atomic_abort(&af[f]);
        return rc;
    }
    fprintf(af[0].fp, "path,um_per_px,mask,temperature_C,strain_rate_per_s\n");
    fprintf(af[1].fp, "image,condition,temperature_C,strain_rate_per_s,grain,x_px,y_px,major_px,"
                      "minor_px,angle_deg,area_px,touches_edge\n");
    fprintf(af[2].fp, "image,condition,temperature_C,strain_rate_per_s,um_per_px,grains,"
                      "primary_fraction,cracks,lamella_period_px,spheroidisation,"
                      "effective_strain,grain_diameter_px,gap_px\n");
    for (int i = 0; i < n; i++) {
        const job_out *o = &x->jobs[i];
        char cname[64];
        condition_name(cname, sizeof cname, o->temp, o->rate);
        fprintf(af[0].fp, "images/%s.png,%.9g,%s%s%s,%g,%g\n", o->name, um,
                o->has_mask ? "masks/" : "", o->has_mask ? o->name : "", o->has_mask ? ".png" : "",
                o->temp, o->rate);
        for (int k = 0; k < o->n_grains; k++) {
            const float *r = o->grains + (size_t)k * CGAN_SYNTH_GRAIN_COLUMNS;
            fprintf(af[1].fp, "images/%s.png,%s,%g,%g,%d,%.4f,%.4f,%.4f,%.4f,%.4f,%.0f,%d\n", o->name,
                    cname, o->temp, o->rate, k + 1, r[CGAN_SYNTH_GRAIN_X], r[CGAN_SYNTH_GRAIN_Y],
                    r[CGAN_SYNTH_GRAIN_MAJOR], r[CGAN_SYNTH_GRAIN_MINOR], r[CGAN_SYNTH_GRAIN_ANGLE],
                    r[CGAN_SYNTH_GRAIN_AREA], (int)r[CGAN_SYNTH_GRAIN_EDGE]);
        }
        fprintf(af[2].fp, "images/%s.png,%s,%g,%g,%.9g,%d,%.5f,%d,%.4f,%.4f,%.4f,%.3f,%.3f\n", o->name,
                cname, o->temp, o->rate, um, o->n_grains, o->fraction, o->n_cracks,
                o->cond.period_px, o->cond.spheroid, o->cond.eff_strain, o->cond.grain_d_px,
                o->cond.gap_px);
    }
    for (int f = 0; f < 3; f++) {
        int r = rc == CGAN_OK ? cgan__atomic_commit(&af[f]) : (cgan__atomic_abort(&af[f]), rc);
        if (rc == CGAN_OK) rc = r;
    }
    return rc;
}

int cgan_synth_alloy_write_dataset(const cgan_synth_alloy *g, const char *dir,
                                   int images_per_condition, uint64_t seed, uint32_t flags) {
    ctx x;
    int n, rc;
    CGAN__CHECK_NOT_NULL(g, "generator");
    CGAN__CHECK_NOT_NULL(dir, "dir");
    if (images_per_condition < 1 || images_per_condition > 1000)
        return cgan__error(CGAN_EINVAL, "cgan_synth_alloy_write_dataset: images_per_condition = %d "
                                        "is not in 1..1000", images_per_condition);
    if (flags & ~CGAN_SYNTH_WRITE_LABELS)
        return cgan__error(CGAN_EINVAL, "cgan_synth_alloy_write_dataset: unknown flags 0x%x",
                           (unsigned)flags);
    if ((rc = cgan__synth_mkdir(dir)) != CGAN_OK) return rc;
    n = g->n_temps * g->n_rates * images_per_condition;
    x.g = g;
    x.dir = dir;
    x.per = images_per_condition;
    x.seed = seed;
    x.flags = flags;
    if ((x.jobs = calloc((size_t)n, sizeof(job_out))) == NULL)
        return cgan__error(CGAN_ENOMEM, "cgan_synth_alloy_write_dataset: out of memory");
    rc = cgan__synth_parallel(n, cgan__threads(), run_job, &x);
    if (rc == CGAN_OK) rc = write_csvs(&x, n);
    for (int i = 0; i < n; i++) free(x.jobs[i].grains);
    free(x.jobs);
    return rc;
}
