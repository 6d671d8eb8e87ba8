/* The spinodal data set: Cahn-Hilliard runs over a grid of mean
 * compositions (and optionally temperatures), a snapshot at every annealing
 * time, with the phase fraction and wavelength of each snapshot. */
#include "synth_internal.h"

#include <math.h>
#include <string.h>

#define GAS_R 8.314462618
#define MAX_LIST 256

struct cgan_synth_spinodal {
    double p[CGAN_SYNTH_SPINODAL_N_PARAMS];
    double *list[3];
    int n[3];
};

static const struct {
    const char *name;
    double lo, hi, def;
} params[CGAN_SYNTH_SPINODAL_N_PARAMS] = {
    {"SIZE", 16, 4096, 256},     {"RUNS", 1, 1000, 2},           {"UM_PER_PX", 1e-6, 1e3, 0.005},
    {"KAPPA", 0.05, 100, 1.5},   {"DT", 1e-3, 100, 1.0},         {"T_REF", 300, 3000, 700},
    {"Q_MOBILITY", 0, 1e6, 60e3}, {"NOISE", 0.0, 0.5, 0.05},
};
static const char *list_names[3] = {"COMPOSITIONS", "TIMES", "TEMPERATURES"};

static const double default_comps[] = {0.30, 0.35, 0.40, 0.45, 0.50};
static const double default_times[] = {200, 400, 800, 1600, 3200};

void cgan_synth_spinodal_destroy(cgan_synth_spinodal *d) {
    if (d == NULL) return;
    for (int i = 0; i < 3; i++) free(d->list[i]);
    free(d);
}

int cgan_synth_spinodal_create(cgan_synth_spinodal **out) {
    cgan_synth_spinodal *d;
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    if ((d = calloc(1, sizeof *d)) == NULL)
        return cgan__error(CGAN_ENOMEM, "cgan_synth_spinodal_create: out of memory");
    for (int i = 0; i < CGAN_SYNTH_SPINODAL_N_PARAMS; i++) d->p[i] = params[i].def;
    if (cgan_synth_spinodal_set_list(d, CGAN_SYNTH_SPINODAL_COMPOSITIONS, default_comps, 5) ||
        cgan_synth_spinodal_set_list(d, CGAN_SYNTH_SPINODAL_TIMES, default_times, 5)) {
        cgan_synth_spinodal_destroy(d);
        return cgan__error(CGAN_ENOMEM, "cgan_synth_spinodal_create: out of memory");
    }
    *out = d;
    return CGAN_OK;
}

int cgan_synth_spinodal_set_param(cgan_synth_spinodal *d, int key, double value) {
    CGAN__CHECK_NOT_NULL(d, "data set");
    if (key < 0 || key >= CGAN_SYNTH_SPINODAL_N_PARAMS)
        return cgan__error(CGAN_EINVAL, "cgan_synth_spinodal_set_param: unknown key %d", key);
    if (!(value >= params[key].lo && value <= params[key].hi))
        return cgan__error(CGAN_EINVAL, "cgan_synth_spinodal_set_param: %s = %g is not in [%g, %g]",
                           params[key].name, value, params[key].lo, params[key].hi);
    if ((key == CGAN_SYNTH_SPINODAL_SIZE && (value != floor(value) || fmod(value, 2.0) != 0.0)) ||
        (key == CGAN_SYNTH_SPINODAL_RUNS && value != floor(value)))
        return cgan__error(CGAN_EINVAL, "cgan_synth_spinodal_set_param: %s = %g must be a whole%s "
                                        "number", params[key].name, value,
                           key == CGAN_SYNTH_SPINODAL_SIZE ? ", even" : "");
    d->p[key] = value;
    return CGAN_OK;
}

int cgan_synth_spinodal_get_param(const cgan_synth_spinodal *d, int key, double *value) {
    CGAN__CHECK_NOT_NULL(d, "data set");
    CGAN__CHECK_NOT_NULL(value, "value");
    if (key < 0 || key >= CGAN_SYNTH_SPINODAL_N_PARAMS)
        return cgan__error(CGAN_EINVAL, "cgan_synth_spinodal_get_param: unknown key %d", key);
    *value = d->p[key];
    return CGAN_OK;
}

int cgan_synth_spinodal_set_list(cgan_synth_spinodal *d, int list, const double *values, int n) {
    static const char *fn = "cgan_synth_spinodal_set_list";
    double *copy = NULL;
    CGAN__CHECK_NOT_NULL(d, "data set");
    if (list < 0 || list > 2) return cgan__error(CGAN_EINVAL, "%s: unknown list %d", fn, list);
    if (n < (list == CGAN_SYNTH_SPINODAL_TEMPERATURES ? 0 : 1) || n > MAX_LIST)
        return cgan__error(CGAN_EINVAL, "%s: %s needs %d..%d values, got %d", fn, list_names[list],
                           list == CGAN_SYNTH_SPINODAL_TEMPERATURES ? 0 : 1, MAX_LIST, n);
    if (n > 0) CGAN__CHECK_NOT_NULL(values, "values");
    for (int i = 0; i < n; i++) {
        double v = values[i];
        int ok = list == CGAN_SYNTH_SPINODAL_COMPOSITIONS ? v >= 0.05 && v <= 0.95
                 : list == CGAN_SYNTH_SPINODAL_TIMES      ? v > 0.0 && v <= 1e7
                                                          : v >= 300.0 && v <= 3000.0;
        if (!ok)
            return cgan__error(CGAN_EINVAL, "%s: %s value %g is out of range (%s)", fn,
                               list_names[list], v,
                               list == CGAN_SYNTH_SPINODAL_COMPOSITIONS ? "0.05..0.95"
                               : list == CGAN_SYNTH_SPINODAL_TIMES      ? "0 < t <= 1e7"
                                                                        : "300..3000 K");
        for (int j = 0; j < i; j++)
            if (values[j] == v)
                return cgan__error(CGAN_EINVAL, "%s: %s value %g is listed twice", fn,
                                   list_names[list], v);
    }
    if (n > 0) {
        if ((copy = malloc(sizeof(double) * (size_t)n)) == NULL)
            return cgan__error(CGAN_ENOMEM, "%s: out of memory", fn);
        memcpy(copy, values, sizeof(double) * (size_t)n);
    }
    free(d->list[list]);
    d->list[list] = copy;
    d->n[list] = n;
    return CGAN_OK;
}

int cgan_synth_spinodal_material(const cgan_synth_spinodal *d, double temperature_K,
                                 double *mobility, double *kappa) {
    double tref;
    CGAN__CHECK_NOT_NULL(d, "data set");
    tref = d->p[CGAN_SYNTH_SPINODAL_T_REF];
    if (temperature_K <= 0.0) temperature_K = tref;
    /* Arrhenius mobility; interfaces broaden toward the critical temperature. */
    if (mobility)
        *mobility = exp(-d->p[CGAN_SYNTH_SPINODAL_Q_MOBILITY] / GAS_R *
                        (1.0 / temperature_K - 1.0 / tref));
    if (kappa) *kappa = d->p[CGAN_SYNTH_SPINODAL_KAPPA] * temperature_K / tref;
    return CGAN_OK;
}

/* ------------------------------------------------------------ writing */
typedef struct snap {
    char name[96];
    double phase_fraction, wavelength;
} snap;

typedef struct ctx {
    const cgan_synth_spinodal *d;
    const char *dir;
    uint64_t seed;
    double *times; /* ascending */
    int nt, ntemp, runs;
    snap *snaps;   /* [sim][time] */
} ctx;

static uint64_t bits_of(double v) {
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    return u;
}

static void decode(const ctx *x, int sim, int *ci, int *ti, int *run) {
    int nT = x->ntemp > 0 ? x->ntemp : 1;
    *run = sim % x->runs;
    *ti = (sim / x->runs) % nT;
    *ci = sim / (x->runs * nT);
}

static void image_name(const ctx *x, char *buf, size_t n, int ci, int ti, int time_i, int run) {
    double c = x->d->list[0][ci], t = x->times[time_i];
    if (x->ntemp > 0)
        snprintf(buf, n, "x%g_T%g_t%g_run%d", c, x->d->list[2][ti], t, run);
    else
        snprintf(buf, n, "x%g_t%g_run%d", c, t, run);
}

static int run_sim(int sim, void *user) {
    ctx *x = user;
    const cgan_synth_spinodal *d = x->d;
    int ci, ti, run, size = (int)d->p[CGAN_SYNTH_SPINODAL_SIZE], rc;
    double comp, temp, mob, kap;
    cgan_spinodal *s = NULL;
    cgan_tensor *field = NULL, *img = NULL;
    decode(x, sim, &ci, &ti, &run);
    comp = d->list[0][ci];
    temp = x->ntemp > 0 ? d->list[2][ti] : 0.0;
    cgan_synth_spinodal_material(d, temp, &mob, &kap);
    rc = cgan_spinodal_create(&s, size, comp, d->p[CGAN_SYNTH_SPINODAL_NOISE],
                              cgan__synth_seed(x->seed, bits_of(comp) ^ (bits_of(temp) * 31u),
                                               (uint64_t)run));
    if (rc == CGAN_OK) rc = cgan_spinodal_set_param(s, CGAN_SPINODAL_MOBILITY, mob);
    if (rc == CGAN_OK) rc = cgan_spinodal_set_param(s, CGAN_SPINODAL_KAPPA, kap);
    if (rc == CGAN_OK) rc = cgan_spinodal_set_param(s, CGAN_SPINODAL_DT, d->p[CGAN_SYNTH_SPINODAL_DT]);
    if (rc == CGAN_OK) rc = cgan_tensor_create4(&img, 1, 1, size, size);
    for (int k = 0; k < x->nt && rc == CGAN_OK; k++) {
        snap *o = &x->snaps[(size_t)sim * x->nt + k];
        char path[4096];
        image_name(x, o->name, sizeof o->name, ci, ti, k, run);
        if ((rc = cgan_spinodal_run_until(s, x->times[k])) ||
            (rc = cgan_spinodal_field(s, &field)) ||
            (rc = cgan_synth_structure(field, 0.0, &o->wavelength, &o->phase_fraction)))
            break;
        for (int64_t q = 0; q < img->numel; q++) img->data[q] = 0.5f * (1.0f + field->data[q]);
        cgan_tensor_destroy(field);
        field = NULL;
        snprintf(path, sizeof path, "%s/images/%s.png", x->dir, o->name);
        rc = cgan_image_write_png(path, img, 0.0f, 1.0f, 8);
    }
    cgan_tensor_destroy(field);
    cgan_tensor_destroy(img);
    cgan_spinodal_destroy(s);
    return rc;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int write_csvs(const ctx *x, int nsim) {
    const cgan_synth_spinodal *d = x->d;
    cgan__atomic_file man, tru;
    char path[4096];
    double um = d->p[CGAN_SYNTH_SPINODAL_UM_PER_PX];
    int rc, nT = x->ntemp > 0 ? x->ntemp : 1;
    snprintf(path, sizeof path, "%s/manifest.csv", x->dir);
    if ((rc = cgan__atomic_open(&man, path)) != CGAN_OK) return rc;
    snprintf(path, sizeof path, "%s/truth.csv", x->dir);
    if ((rc = cgan__atomic_open(&tru, path)) != CGAN_OK) {
        cgan__atomic_abort(&man);
        return rc;
    }
    fprintf(man.fp, "path,um_per_px,composition,time%s\n", x->ntemp ? ",temperature" : "");
    fprintf(tru.fp, "image,composition,time%s,run,phase_fraction,wavelength_px,wavelength_um\n",
            x->ntemp ? ",temperature" : "");
    /* Condition-major order: the images of one condition are adjacent. */
    for (int ci = 0; ci < d->n[0]; ci++)
        for (int ti = 0; ti < nT; ti++)
            for (int k = 0; k < x->nt; k++)
                for (int run = 0; run < x->runs; run++) {
                    int sim = (ci * nT + ti) * x->runs + run;
                    const snap *o = &x->snaps[(size_t)sim * x->nt + k];
                    char temp[48] = "";
                    if (x->ntemp) snprintf(temp, sizeof temp, ",%g", d->list[2][ti]);
                    fprintf(man.fp, "images/%s.png,%.9g,%g,%g%s\n", o->name, um, d->list[0][ci],
                            x->times[k], temp);
                    fprintf(tru.fp, "images/%s.png,%g,%g%s,%d,%.6f,%.4f,%.6g\n", o->name,
                            d->list[0][ci], x->times[k], temp, run, o->phase_fraction,
                            o->wavelength, o->wavelength * um);
                }
    (void)nsim;
    if ((rc = cgan__atomic_commit(&man)) != CGAN_OK) {
        cgan__atomic_abort(&tru);
        return rc;
    }
    return cgan__atomic_commit(&tru);
}

int cgan_synth_spinodal_write_dataset(const cgan_synth_spinodal *d, const char *dir,
                                      uint64_t seed) {
    ctx x;
    int nsim, rc;
    char path[4096];
    CGAN__CHECK_NOT_NULL(d, "data set");
    CGAN__CHECK_NOT_NULL(dir, "dir");
    snprintf(path, sizeof path, "%s/images", dir);
    if ((rc = cgan__synth_mkdir(dir)) || (rc = cgan__synth_mkdir(path))) return rc;
    memset(&x, 0, sizeof x);
    x.d = d;
    x.dir = dir;
    x.seed = seed;
    x.nt = d->n[1];
    x.ntemp = d->n[2];
    x.runs = (int)d->p[CGAN_SYNTH_SPINODAL_RUNS];
    nsim = d->n[0] * (x.ntemp > 0 ? x.ntemp : 1) * x.runs;
    x.times = malloc(sizeof(double) * (size_t)x.nt);
    x.snaps = calloc((size_t)nsim * x.nt, sizeof(snap));
    if (!x.times || !x.snaps) {
        free(x.times);
        free(x.snaps);
        return cgan__error(CGAN_ENOMEM, "cgan_synth_spinodal_write_dataset: out of memory");
    }
    memcpy(x.times, d->list[1], sizeof(double) * (size_t)x.nt);
    qsort(x.times, (size_t)x.nt, sizeof(double), cmp_double);
    rc = cgan__synth_parallel(nsim, cgan__threads(), run_sim, &x);
    if (rc == CGAN_OK) rc = write_csvs(&x, nsim);
    free(x.times);
    free(x.snaps);
    return rc;
}
