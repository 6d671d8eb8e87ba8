/* `cgan synth alloy|spinodal`: write synthetic micrograph data sets with
 * their ground truth (docs/synthetic-data.md). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cgan.h"
#include "commands.h"

#define MAX_VALUES 256

static const char *alloy_usage =
    "--out DIR [options]\n"
    "  Micrographs of a hypo-eutectic two-phase alloy after hot compression, one set\n"
    "  per (temperature, strain rate), with manifest.csv, truth.csv and images.csv.\n"
    "  --out DIR                   output directory (created if missing)\n"
    "  --size WxH | N              image size in px (default 1024x768)\n"
    "  --images-per-condition N    images per condition (default 2)\n"
    "  --seed S                    random seed (default 1); same seed, same bytes\n"
    "  --temperatures LIST         deg C, comma-separated (default 800,900,1000,1100)\n"
    "  --strain-rates LIST         1/s, comma-separated (default 0.001,0.1)\n"
    "  --um-per-px U               scale (default 0.078125: 128 px = 10 um)\n"
    "  --compression F             height reduction of the test (default 0.5)\n"
    "  --primary-fraction F        area fraction of primary grains (default 0.36)\n"
    "  --labels                    also write labels/NAME.png (16-bit grain index)\n"
    "  --threads N                 worker threads (default: all cores)";

static const char *spinodal_usage =
    "--out DIR [options]\n"
    "  Cahn-Hilliard spinodal decomposition over a grid of mean compositions (and\n"
    "  optionally temperatures), one snapshot per annealing time, with manifest.csv\n"
    "  and truth.csv (phase fraction, characteristic wavelength).\n"
    "  --out DIR                   output directory (created if missing)\n"
    "  --compositions LIST         mean composition x in 0.05..0.95 (default\n"
    "                              0.30,0.35,0.40,0.45,0.50)\n"
    "  --times LIST                annealing times, simulation units (default\n"
    "                              200,400,800,1600,3200)\n"
    "  --temperatures LIST         K; adds a temperature column (default: none)\n"
    "  --size PX                   grid and image size, even (default 256)\n"
    "  --runs N                    independent runs = images per condition (default 2)\n"
    "  --seed S                    random seed (default 1); same seed, same bytes\n"
    "  --um-per-px U               scale written to the manifest (default 0.005)\n"
    "  --kappa K                   gradient energy coefficient, px^2 (default 1.5)\n"
    "  --dt DT                     largest time step (default 1)\n"
    "  --threads N                 worker threads (default: all cores)";

static const char *synth_usage = "alloy|spinodal [--help] ...\n"
                                 "  cgan synth alloy --help     deformed two-phase alloy\n"
                                 "  cgan synth spinodal --help  Cahn-Hilliard spinodal data set";

/* Whole-string number parsers: a usage message names the option. */
static int parse_double(const char *opt, const char *s, double *v, char *err, size_t n) {
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    if (end == s || *end != '\0' || errno != 0) {
        snprintf(err, n, "%s: '%s' is not a number", opt, s);
        return -1;
    }
    return 0;
}

static int parse_int(const char *opt, const char *s, long lo, long hi, long *v, char *err,
                     size_t n) {
    char *end;
    errno = 0;
    *v = strtol(s, &end, 10);
    if (end == s || *end != '\0' || errno != 0 || *v < lo || *v > hi) {
        snprintf(err, n, "%s: '%s' is not a whole number in %ld..%ld", opt, s, lo, hi);
        return -1;
    }
    return 0;
}

static int parse_seed(const char *s, uint64_t *v, char *err, size_t n) {
    char *end;
    errno = 0;
    *v = strtoull(s, &end, 10);
    if (end == s || *end != '\0' || errno != 0 || s[0] == '-') {
        snprintf(err, n, "--seed: '%s' is not a non-negative whole number", s);
        return -1;
    }
    return 0;
}

static int parse_list(const char *opt, const char *s, double *v, int *count, char *err, size_t n) {
    char buf[4096], *tok, *save = NULL;
    *count = 0;
    if (strlen(s) >= sizeof buf) {
        snprintf(err, n, "%s: the list is too long", opt);
        return -1;
    }
    strcpy(buf, s);
    for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (*count >= MAX_VALUES) {
            snprintf(err, n, "%s: more than %d values", opt, MAX_VALUES);
            return -1;
        }
        if (parse_double(opt, tok, &v[(*count)++], err, n)) return -1;
    }
    if (*count == 0) {
        snprintf(err, n, "%s: the list is empty", opt);
        return -1;
    }
    return 0;
}

static int parse_size(const char *s, long *w, long *h, char *err, size_t n) {
    char *end;
    errno = 0;
    *w = strtol(s, &end, 10);
    if (end != s && *end == 'x') {
        const char *t = end + 1;
        *h = strtol(t, &end, 10);
        if (end == t) end = (char *)t - 1; /* force the error below */
    } else {
        *h = *w;
    }
    if (end == s || *end != '\0' || errno != 0 || *w < 32 || *h < 32 || *w > 16384 || *h > 16384) {
        snprintf(err, n, "--size: '%s' is not WxH or N with sides in 32..16384", s);
        return -1;
    }
    return 0;
}

/* The value of option argv[*i], or NULL (with a message) if it is missing. */
static const char *value_of(int argc, char **argv, int *i, char *err, size_t n) {
    if (*i + 1 >= argc) {
        snprintf(err, n, "%s needs a value", argv[*i]);
        return NULL;
    }
    return argv[++*i];
}

static double seconds_since(const struct timespec *t0) {
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0->tv_nsec);
}

static int run_alloy(int argc, char **argv) {
    const char *cmd = "synth alloy", *out = NULL;
    char err[512];
    double temps[MAX_VALUES], rates[MAX_VALUES], um = 0.078125, comp = 0.5, frac = 0.36;
    int nt = 4, nr = 2, rc, usage_rc = 0;
    long w = 1024, h = 768, per = 2, threads = 0;
    uint64_t seed = 1;
    uint32_t flags = 0;
    cgan_synth_alloy *g = NULL;
    struct timespec t0;
    temps[0] = 800, temps[1] = 900, temps[2] = 1000, temps[3] = 1100;
    rates[0] = 0.001, rates[1] = 0.1;
    err[0] = '\0';
    for (int i = 1; i < argc && !err[0]; i++) {
        const char *a = argv[i], *v = NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            printf("usage: cgan synth alloy %s\n", alloy_usage);
            return 0;
        }
        if (!strcmp(a, "--labels")) {
            flags |= CGAN_SYNTH_WRITE_LABELS;
            continue;
        }
        if (strncmp(a, "--", 2) != 0) {
            snprintf(err, sizeof err, "unexpected argument '%s'", a);
            break;
        }
        if (strcmp(a, "--out") && strcmp(a, "--size") && strcmp(a, "--images-per-condition") &&
            strcmp(a, "--seed") && strcmp(a, "--temperatures") && strcmp(a, "--strain-rates") &&
            strcmp(a, "--um-per-px") && strcmp(a, "--compression") &&
            strcmp(a, "--primary-fraction") && strcmp(a, "--threads")) {
            snprintf(err, sizeof err, "unknown option '%s'", a);
            break;
        }
        if ((v = value_of(argc, argv, &i, err, sizeof err)) == NULL) break;
        if (!strcmp(a, "--out")) out = v;
        else if (!strcmp(a, "--size")) parse_size(v, &w, &h, err, sizeof err);
        else if (!strcmp(a, "--images-per-condition")) parse_int(a, v, 1, 1000, &per, err, sizeof err);
        else if (!strcmp(a, "--seed")) parse_seed(v, &seed, err, sizeof err);
        else if (!strcmp(a, "--temperatures")) parse_list(a, v, temps, &nt, err, sizeof err);
        else if (!strcmp(a, "--strain-rates")) parse_list(a, v, rates, &nr, err, sizeof err);
        else if (!strcmp(a, "--um-per-px")) parse_double(a, v, &um, err, sizeof err);
        else if (!strcmp(a, "--compression")) parse_double(a, v, &comp, err, sizeof err);
        else if (!strcmp(a, "--primary-fraction")) parse_double(a, v, &frac, err, sizeof err);
        else parse_int(a, v, 1, 64, &threads, err, sizeof err);
    }
    if (!err[0] && out == NULL) snprintf(err, sizeof err, "--out DIR is required");
    if (err[0]) return cli_usage(cmd, alloy_usage, err);
    if (cgan_synth_alloy_create(&g) != CGAN_OK) return cli_fail(cmd, "cannot create the generator");
    /* Range errors from the library are usage errors: name the option. */
    {
        const char *opt = NULL;
        if (cgan_synth_alloy_set_param(g, CGAN_SYNTH_ALLOY_WIDTH, (double)w)) opt = "--size";
        else if (cgan_synth_alloy_set_param(g, CGAN_SYNTH_ALLOY_HEIGHT, (double)h)) opt = "--size";
        else if (cgan_synth_alloy_set_param(g, CGAN_SYNTH_ALLOY_UM_PER_PX, um)) opt = "--um-per-px";
        else if (cgan_synth_alloy_set_param(g, CGAN_SYNTH_ALLOY_COMPRESSION, comp)) opt = "--compression";
        else if (cgan_synth_alloy_set_param(g, CGAN_SYNTH_ALLOY_PRIMARY_FRACTION, frac))
            opt = "--primary-fraction";
        else if (cgan_synth_alloy_set_conditions(g, temps, nt, rates, nr))
            opt = "--temperatures/--strain-rates";
        if (opt) {
            snprintf(err, sizeof err, "%s: %s", opt, cgan_last_error());
            usage_rc = 1;
        }
    }
    if (usage_rc) {
        cgan_synth_alloy_destroy(g);
        return cli_usage(cmd, alloy_usage, err);
    }
    if (threads > 0) cgan_set_num_threads((int)threads);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rc = cgan_synth_alloy_write_dataset(g, out, (int)per, seed, flags);
    cgan_synth_alloy_destroy(g);
    if (rc != CGAN_OK) return cli_fail(cmd, "failed");
    printf("cgan synth alloy: %d conditions x %ld images of %ldx%ld px in %s (%.1f s)\n", nt * nr,
           per, w, h, out, seconds_since(&t0));
    return 0;
}

static int run_spinodal(int argc, char **argv) {
    const char *cmd = "synth spinodal", *out = NULL;
    char err[512];
    double comps[MAX_VALUES], times[MAX_VALUES], temps[MAX_VALUES];
    double um = 0.005, kappa = 1.5, dt = 1.0;
    int nc = 0, ntm = 0, nT = 0, rc;
    long size = 256, runs = 2, threads = 0;
    uint64_t seed = 1;
    cgan_synth_spinodal *d = NULL;
    struct timespec t0;
    const char *opt = NULL;
    err[0] = '\0';
    for (int i = 1; i < argc && !err[0]; i++) {
        const char *a = argv[i], *v = NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            printf("usage: cgan synth spinodal %s\n", spinodal_usage);
            return 0;
        }
        if (strncmp(a, "--", 2) != 0) {
            snprintf(err, sizeof err, "unexpected argument '%s'", a);
            break;
        }
        if (strcmp(a, "--out") && strcmp(a, "--compositions") && strcmp(a, "--times") &&
            strcmp(a, "--temperatures") && strcmp(a, "--size") && strcmp(a, "--runs") &&
            strcmp(a, "--images-per-condition") && strcmp(a, "--seed") &&
            strcmp(a, "--um-per-px") && strcmp(a, "--kappa") && strcmp(a, "--dt") &&
            strcmp(a, "--threads")) {
            snprintf(err, sizeof err, "unknown option '%s'", a);
            break;
        }
        if ((v = value_of(argc, argv, &i, err, sizeof err)) == NULL) break;
        if (!strcmp(a, "--out")) out = v;
        else if (!strcmp(a, "--compositions")) parse_list(a, v, comps, &nc, err, sizeof err);
        else if (!strcmp(a, "--times")) parse_list(a, v, times, &ntm, err, sizeof err);
        else if (!strcmp(a, "--temperatures")) parse_list(a, v, temps, &nT, err, sizeof err);
        else if (!strcmp(a, "--size")) parse_int(a, v, 16, 4096, &size, err, sizeof err);
        else if (!strcmp(a, "--runs") || !strcmp(a, "--images-per-condition"))
            parse_int(a, v, 1, 1000, &runs, err, sizeof err);
        else if (!strcmp(a, "--seed")) parse_seed(v, &seed, err, sizeof err);
        else if (!strcmp(a, "--um-per-px")) parse_double(a, v, &um, err, sizeof err);
        else if (!strcmp(a, "--kappa")) parse_double(a, v, &kappa, err, sizeof err);
        else if (!strcmp(a, "--dt")) parse_double(a, v, &dt, err, sizeof err);
        else parse_int(a, v, 1, 64, &threads, err, sizeof err);
    }
    if (!err[0] && out == NULL) snprintf(err, sizeof err, "--out DIR is required");
    if (err[0]) return cli_usage(cmd, spinodal_usage, err);
    if (cgan_synth_spinodal_create(&d) != CGAN_OK) return cli_fail(cmd, "cannot create the data set");
    if (cgan_synth_spinodal_set_param(d, CGAN_SYNTH_SPINODAL_SIZE, (double)size)) opt = "--size";
    else if (cgan_synth_spinodal_set_param(d, CGAN_SYNTH_SPINODAL_RUNS, (double)runs)) opt = "--runs";
    else if (cgan_synth_spinodal_set_param(d, CGAN_SYNTH_SPINODAL_UM_PER_PX, um)) opt = "--um-per-px";
    else if (cgan_synth_spinodal_set_param(d, CGAN_SYNTH_SPINODAL_KAPPA, kappa)) opt = "--kappa";
    else if (cgan_synth_spinodal_set_param(d, CGAN_SYNTH_SPINODAL_DT, dt)) opt = "--dt";
    else if (nc && cgan_synth_spinodal_set_list(d, CGAN_SYNTH_SPINODAL_COMPOSITIONS, comps, nc))
        opt = "--compositions";
    else if (ntm && cgan_synth_spinodal_set_list(d, CGAN_SYNTH_SPINODAL_TIMES, times, ntm))
        opt = "--times";
    else if (nT && cgan_synth_spinodal_set_list(d, CGAN_SYNTH_SPINODAL_TEMPERATURES, temps, nT))
        opt = "--temperatures";
    if (opt) {
        snprintf(err, sizeof err, "%s: %s", opt, cgan_last_error());
        cgan_synth_spinodal_destroy(d);
        return cli_usage(cmd, spinodal_usage, err);
    }
    if (threads > 0) cgan_set_num_threads((int)threads);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rc = cgan_synth_spinodal_write_dataset(d, out, seed);
    cgan_synth_spinodal_destroy(d);
    if (rc != CGAN_OK) return cli_fail(cmd, "failed");
    printf("cgan synth spinodal: %d compositions x %d times%s x %ld runs of %ldx%ld px in %s "
           "(%.1f s)\n", nc ? nc : 5, ntm ? ntm : 5, nT ? " x temperatures" : "", runs, size,
           size, out, seconds_since(&t0));
    return 0;
}

int cli_cmd_synth(int argc, char **argv) {
    if (argc < 2) return cli_usage("synth", synth_usage, "which generator: alloy or spinodal?");
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        printf("usage: cgan synth %s\n", synth_usage);
        return 0;
    }
    if (!strcmp(argv[1], "alloy")) return run_alloy(argc - 1, argv + 1);
    if (!strcmp(argv[1], "spinodal")) return run_spinodal(argc - 1, argv + 1);
    {
        char err[256];
        snprintf(err, sizeof err, "unknown generator '%s' (alloy or spinodal)", argv[1]);
        return cli_usage("synth", synth_usage, err);
    }
}
