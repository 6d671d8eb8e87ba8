/* The alloy model: how temperature and strain rate set the microstructure
 * (docs/synthetic-data.md has the same formulas with the reasoning).
 *
 * Thermally activated coarsening uses D(T) = exp(-Q_diff/R (1/T - 1/T_ref))
 * over the time at temperature t_exp = soak + strain / rate; recovery and
 * cracking follow the Zener-Hollomon parameter Z = rate exp(Q_def / (R T)). */
#include "synth_internal.h"

#include <math.h>
#include <string.h>

#define GAS_R 8.314462618
#define T_REF_K (1100.0 + 273.15)

/* Constants of the model, in micrometres and seconds. */
#define PERIOD0_UM 0.234      /* as-cast lamella spacing (3 px at 0.078 um/px) */
#define PERIOD_K_UM3 1.67e-4  /* lamella coarsening rate at T_ref, um^3/s */
#define SPHEROID_T_S 250.0    /* D * t_def at which half the lamellae broke up */
#define SPHEROID_EXP 1.5
#define GRAIN0_UM 1.6         /* as-cast primary fragment diameter */
#define GRAIN_K_UM3 0.033     /* fragment coarsening rate at T_ref, um^3/s */
#define RECOVERY_LNZ 13.6     /* ln Z at which half the strain is recovered */
#define RECOVERY_SLOPE 0.37
#define CRACK_LNZ 18.6        /* ln Z at which half the maximum crack count appears */
#define CRACK_WIDTH 0.5
#define CRACKS_MAX 6.0        /* per 1024 x 768 px field */

static const struct {
    const char *name;
    double lo, hi, def;
} params[CGAN_SYNTH_ALLOY_N_PARAMS] = {
    {"WIDTH", 32, 16384, 1024},
    {"HEIGHT", 32, 16384, 768},
    {"UM_PER_PX", 0.005, 5.0, 0.078125},
    {"COMPRESSION", 0.0, 0.8, 0.5},
    {"SOAK_S", 0.0, 1e6, 600.0},
    {"PRIMARY_FRACTION", 0.05, 0.45, 0.36},
    {"Q_DIFFUSION", 0.0, 1e6, 120e3},
    {"Q_DEFORMATION", 0.0, 1e6, 200e3},
};

static const double default_temps[] = {800, 900, 1000, 1100};
static const double default_rates[] = {0.001, 0.1};

static int check_condition(const char *fn, double t, double rate) {
    if (!(t >= 200.0 && t <= 2000.0))
        return cgan__error(CGAN_EINVAL, "%s: temperature %g C is not in [200, 2000]", fn, t);
    if (!(rate >= 1e-6 && rate <= 1e3))
        return cgan__error(CGAN_EINVAL, "%s: strain rate %g /s is not in [1e-6, 1e3]", fn, rate);
    return CGAN_OK;
}

int cgan_synth_alloy_create(cgan_synth_alloy **out) {
    cgan_synth_alloy *g;
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    if ((g = calloc(1, sizeof *g)) == NULL)
        return cgan__error(CGAN_ENOMEM, "cgan_synth_alloy_create: out of memory");
    for (int i = 0; i < CGAN_SYNTH_ALLOY_N_PARAMS; i++) g->p[i] = params[i].def;
    if (cgan_synth_alloy_set_conditions(g, default_temps, 4, default_rates, 2) != CGAN_OK) {
        cgan_synth_alloy_destroy(g);
        return cgan__error(CGAN_ENOMEM, "cgan_synth_alloy_create: out of memory");
    }
    *out = g;
    return CGAN_OK;
}

void cgan_synth_alloy_destroy(cgan_synth_alloy *g) {
    if (g == NULL) return;
    free(g->temps);
    free(g->rates);
    free(g);
}

int cgan_synth_alloy_set_param(cgan_synth_alloy *g, int key, double value) {
    CGAN__CHECK_NOT_NULL(g, "generator");
    if (key < 0 || key >= CGAN_SYNTH_ALLOY_N_PARAMS)
        return cgan__error(CGAN_EINVAL, "cgan_synth_alloy_set_param: unknown key %d", key);
    if (!(value >= params[key].lo && value <= params[key].hi))
        return cgan__error(CGAN_EINVAL, "cgan_synth_alloy_set_param: %s = %g is not in [%g, %g]",
                           params[key].name, value, params[key].lo, params[key].hi);
    if ((key == CGAN_SYNTH_ALLOY_WIDTH || key == CGAN_SYNTH_ALLOY_HEIGHT) && value != floor(value))
        return cgan__error(CGAN_EINVAL, "cgan_synth_alloy_set_param: %s = %g is not a whole number",
                           params[key].name, value);
    g->p[key] = value;
    return CGAN_OK;
}

int cgan_synth_alloy_get_param(const cgan_synth_alloy *g, int key, double *value) {
    CGAN__CHECK_NOT_NULL(g, "generator");
    CGAN__CHECK_NOT_NULL(value, "value");
    if (key < 0 || key >= CGAN_SYNTH_ALLOY_N_PARAMS)
        return cgan__error(CGAN_EINVAL, "cgan_synth_alloy_get_param: unknown key %d", key);
    *value = g->p[key];
    return CGAN_OK;
}

int cgan_synth_alloy_set_conditions(cgan_synth_alloy *g, const double *temperatures_C,
                                    int n_temperatures, const double *strain_rates, int n_rates) {
    static const char *fn = "cgan_synth_alloy_set_conditions";
    double *t, *r;
    CGAN__CHECK_NOT_NULL(g, "generator");
    CGAN__CHECK_NOT_NULL(temperatures_C, "temperatures_C");
    CGAN__CHECK_NOT_NULL(strain_rates, "strain_rates");
    if (n_temperatures < 1 || n_temperatures > 64 || n_rates < 1 || n_rates > 64)
        return cgan__error(CGAN_EINVAL, "%s: need 1..64 temperatures and 1..64 strain rates, "
                                        "got %d and %d", fn, n_temperatures, n_rates);
    for (int i = 0; i < n_temperatures; i++)
        for (int j = 0; j < n_rates; j++) {
            int rc = check_condition(fn, temperatures_C[i], strain_rates[j]);
            if (rc != CGAN_OK) return rc;
        }
    for (int i = 0; i < n_temperatures; i++)
        for (int j = 0; j < i; j++)
            if (temperatures_C[i] == temperatures_C[j])
                return cgan__error(CGAN_EINVAL, "%s: temperature %g is listed twice", fn,
                                   temperatures_C[i]);
    for (int i = 0; i < n_rates; i++)
        for (int j = 0; j < i; j++)
            if (strain_rates[i] == strain_rates[j])
                return cgan__error(CGAN_EINVAL, "%s: strain rate %g is listed twice", fn,
                                   strain_rates[i]);
    t = malloc(sizeof(double) * (size_t)n_temperatures);
    r = malloc(sizeof(double) * (size_t)n_rates);
    if (t == NULL || r == NULL) {
        free(t);
        free(r);
        return cgan__error(CGAN_ENOMEM, "%s: out of memory", fn);
    }
    memcpy(t, temperatures_C, sizeof(double) * (size_t)n_temperatures);
    memcpy(r, strain_rates, sizeof(double) * (size_t)n_rates);
    free(g->temps);
    free(g->rates);
    g->temps = t;
    g->rates = r;
    g->n_temps = n_temperatures;
    g->n_rates = n_rates;
    return CGAN_OK;
}

static double logistic(double x) { return 1.0 / (1.0 + exp(-x)); }

int cgan__synth_alloy_cond(const cgan_synth_alloy *g, double temperature_C, double rate,
                           synth_alloy_cond *c) {
    int rc = check_condition("cgan_synth_alloy", temperature_C, rate);
    double tk = temperature_C + 273.15, um = g->p[CGAN_SYNTH_ALLOY_UM_PER_PX];
    double strain = -log(1.0 - g->p[CGAN_SYNTH_ALLOY_COMPRESSION]);
    double d = exp(-g->p[CGAN_SYNTH_ALLOY_Q_DIFFUSION] / GAS_R * (1.0 / tk - 1.0 / T_REF_K));
    double t_def = strain / rate, t_exp = g->p[CGAN_SYNTH_ALLOY_SOAK_S] + t_def;
    double p_um, d_um, dt;
    if (rc != CGAN_OK) return rc;
    p_um = cbrt(PERIOD0_UM * PERIOD0_UM * PERIOD0_UM + PERIOD_K_UM3 * d * t_exp);
    d_um = cbrt(GRAIN0_UM * GRAIN0_UM * GRAIN0_UM + GRAIN_K_UM3 * d * t_exp);
    dt = d * t_def;
    c->period_px = p_um / um;
    c->spheroid = dt > 0.0 ? 1.0 / (1.0 + pow(SPHEROID_T_S / dt, SPHEROID_EXP)) : 0.0;
    c->log_zener = log(rate) + g->p[CGAN_SYNTH_ALLOY_Q_DEFORMATION] / (GAS_R * tk);
    c->eff_strain = strain * logistic(RECOVERY_SLOPE * (c->log_zener - RECOVERY_LNZ));
    c->grain_d_px = d_um / um;
    c->cracks_per_field = strain > 0.0 ? CRACKS_MAX * logistic((c->log_zener - CRACK_LNZ) /
                                                                CRACK_WIDTH)
                                       : 0.0;
    c->gap_px = 2.0 + 1.2 * c->period_px;
    return CGAN_OK;
}

int cgan_synth_alloy_model(const cgan_synth_alloy *g, double temperature_C, double strain_rate,
                           int quantity, double *value) {
    synth_alloy_cond c;
    int rc;
    CGAN__CHECK_NOT_NULL(g, "generator");
    CGAN__CHECK_NOT_NULL(value, "value");
    if (quantity < 0 || quantity >= CGAN_SYNTH_N_QUANTITIES)
        return cgan__error(CGAN_EINVAL, "cgan_synth_alloy_model: unknown quantity %d", quantity);
    if ((rc = cgan__synth_alloy_cond(g, temperature_C, strain_rate, &c)) != CGAN_OK) return rc;
    switch (quantity) {
    case CGAN_SYNTH_Q_LAMELLA_PERIOD_PX: *value = c.period_px; break;
    case CGAN_SYNTH_Q_SPHEROIDISATION: *value = c.spheroid; break;
    case CGAN_SYNTH_Q_EFFECTIVE_STRAIN: *value = c.eff_strain; break;
    case CGAN_SYNTH_Q_GRAIN_DIAMETER_PX: *value = c.grain_d_px; break;
    case CGAN_SYNTH_Q_CRACKS: *value = c.cracks_per_field; break;
    case CGAN_SYNTH_Q_LOG_ZENER: *value = c.log_zener; break;
    default: *value = c.gap_px; break;
    }
    return CGAN_OK;
}
