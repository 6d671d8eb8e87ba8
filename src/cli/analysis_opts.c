/* Measurement options shared by `cgan analyze` and `cgan compare`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgan.h"
#include "commands.h"

static int number(const char *s, double *v) {
    char *end;
    if (s == NULL) return 0;
    *v = strtod(s, &end);
    return end != s && *end == '\0';
}

/* Returns 1 if argv[*i] was a measurement option (consuming its value),
 * 0 if it is not one, -1 on a bad value (message printed). */
int cli_analysis_option(const char *cmd, cgan_analysis_opts *o, int argc, char **argv, int *i) {
    const char *a = argv[*i], *val = *i + 1 < argc ? argv[*i + 1] : NULL;
    double v, hi, phase = 0, level = -1;
    int rc = CGAN_OK, used = 2;
    cgan_analysis_opts_get(o, CGAN_ANALYSIS_PHASE, &phase);
    cgan_analysis_opts_get(o, CGAN_ANALYSIS_THRESHOLD, &level);
    /* --window picks its own phase: it cannot be combined with --bright/--threshold */
    if ((!strcmp(a, "--window") && (phase == CGAN_PHASE_BRIGHT || level >= 0)) ||
        ((!strcmp(a, "--bright") || !strcmp(a, "--threshold")) && phase == CGAN_PHASE_WINDOW)) {
        fprintf(stderr, "cgan %s: --window cannot be combined with --bright or --threshold\n", cmd);
        return -1;
    }
    if (!strcmp(a, "--exclude-edges")) rc = cgan_analysis_opts_set(o, CGAN_ANALYSIS_EDGES, CGAN_EDGES_EXCLUDE), used = 1;
    else if (!strcmp(a, "--gundersen")) rc = cgan_analysis_opts_set(o, CGAN_ANALYSIS_EDGES, CGAN_EDGES_GUNDERSEN), used = 1;
    else if (!strcmp(a, "--include-holes")) rc = cgan_analysis_opts_set(o, CGAN_ANALYSIS_INCLUDE_HOLES, 1), used = 1;
    else if (!strcmp(a, "--bright")) rc = cgan_analysis_opts_set(o, CGAN_ANALYSIS_PHASE, CGAN_PHASE_BRIGHT), used = 1;
    else if (!strcmp(a, "--min-size") || !strcmp(a, "--max-size") || !strcmp(a, "--um-per-px") ||
             !strcmp(a, "--threshold") || !strcmp(a, "--smooth") || !strcmp(a, "--s2-radius") ||
             !strcmp(a, "--speckle") || !strcmp(a, "--open")) {
        static const struct { const char *name; cgan_analysis_param key; } map[] = {
            {"--min-size", CGAN_ANALYSIS_MIN_SIZE},     {"--max-size", CGAN_ANALYSIS_MAX_SIZE},
            {"--um-per-px", CGAN_ANALYSIS_UM_PER_PX},   {"--threshold", CGAN_ANALYSIS_THRESHOLD},
            {"--smooth", CGAN_ANALYSIS_SMOOTH_SIGMA},   {"--s2-radius", CGAN_ANALYSIS_S2_RADIUS},
            {"--speckle", CGAN_ANALYSIS_SPECKLE_SIZE},  {"--open", CGAN_ANALYSIS_OPEN_RADIUS}};
        if (!number(val, &v)) {
            fprintf(stderr, "cgan %s: %s needs a number\n", cmd, a);
            return -1;
        }
        for (size_t k = 0; k < sizeof map / sizeof map[0]; k++)
            if (!strcmp(a, map[k].name)) rc = cgan_analysis_opts_set(o, map[k].key, v);
    } else if (!strcmp(a, "--window")) {
        char buf[64], *colon;
        snprintf(buf, sizeof buf, "%s", val ? val : "");
        colon = strchr(buf, ':');
        if (colon) *colon = '\0';
        if (!colon || !number(buf, &v) || !number(colon + 1, &hi)) {
            fprintf(stderr, "cgan %s: --window needs LO:HI (grey values 0..255)\n", cmd);
            return -1;
        }
        rc = cgan_analysis_opts_set(o, CGAN_ANALYSIS_PHASE, CGAN_PHASE_WINDOW);
        if (rc == CGAN_OK) rc = cgan_analysis_opts_set(o, CGAN_ANALYSIS_WINDOW_LO, v);
        if (rc == CGAN_OK) rc = cgan_analysis_opts_set(o, CGAN_ANALYSIS_WINDOW_HI, hi);
    } else {
        return 0;
    }
    if (rc != CGAN_OK) {
        fprintf(stderr, "cgan %s: %s: %s\n", cmd, a, cgan_last_error());
        return -1;
    }
    *i += used - 1;
    return 1;
}

const char *const cli_analysis_help =
    "measurement (ImageJ 1.53t Analyze Particles semantics):\n"
    "  --threshold T     fixed level 0..255 (default: ImageJ \"Default\" per image)\n"
    "  --bright          measure the bright phase (v > T) instead of the dark (v <= T)\n"
    "  --window LO:HI    measure grey values LO <= v <= HI (intermediate phase)\n"
    "  --smooth SIGMA    Gaussian pre-smoothing in pixels before thresholding\n"
    "  --open R          binary opening of the phase with a (2R+1)^2 square (ImageJ Open)\n"
    "  --exclude-edges   drop particles touching any border (ImageJ)\n"
    "  --gundersen       drop particles touching the left or top border (unbiased)\n"
    "  --include-holes   fill holes; particles inside holes are not counted (ImageJ)\n"
    "  --min-size N      smallest particle in pixels (default 0)\n"
    "  --max-size N      largest particle in pixels (default no limit)\n"
    "  --um-per-px U     scale: lengths in um, areas in um^2 (default pixels)\n"
    "  --speckle N       particles below N px count as speckle (default 4)\n"
    "  --s2-radius R     two-point correlation radius in pixels (default 32)\n";
