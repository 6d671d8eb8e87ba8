/* cgan prepare: a manifest of micrographs -> one prepared data set (.npz). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgan.h"
#include "commands.h"

static const char *prepare_usage =
    "--manifest M.csv --out DATA.npz --um-per-px U [--size 128] [--patches-per-image N]\n"
    "       [--stride PX] [--augment flips,rot180,rot90,jitter|none] [--isotropic] [--jitter A]\n"
    "       [--continuous] [--log COL]... [--contrast none|percentile|histmatch]\n"
    "       [--reference IMG] [--percentiles LO,HI] [--min-per-class N] [--seed S] [--sheet OUT.png]\n"
    "\n"
    "Cuts every micrograph of the manifest into patches of one physical size (size x um-per-px\n"
    "micrometres), after resampling to the common scale and contrast normalisation, and saves\n"
    "them with their conditions in one .npz (docs/data.md).  Default augmentation: flips and\n"
    "180-degree rotation; 90-degree rotations only with --isotropic.  Nothing is written if\n"
    "any row fails.";

static void report(int event, int64_t row, const char *msg, void *user) {
    (void)row, (void)user;
    if (event == CGAN_PREPARE_EVENT_WARNING) fprintf(stderr, "cgan prepare: warning: %s\n", msg);
    else printf("%s\n", msg);
}

/* flips,rot180,rot90,jitter | none -> flags */
static int parse_augment(const char *s, uint32_t *flags) {
    char buf[256];
    *flags = 0;
    if (!strcmp(s, "none")) return 0;
    snprintf(buf, sizeof buf, "%s", s);
    for (char *t = strtok(buf, ","); t; t = strtok(NULL, ",")) {
        if (!strcmp(t, "flips")) *flags |= CGAN_AUGMENT_FLIPS;
        else if (!strcmp(t, "rot180")) *flags |= CGAN_AUGMENT_ROT180;
        else if (!strcmp(t, "rot90")) *flags |= CGAN_AUGMENT_ROT90;
        else if (!strcmp(t, "jitter")) *flags |= CGAN_AUGMENT_JITTER;
        else return -1;
    }
    return 0;
}

static int number(const char *s, double *v) {
    char *end;
    *v = strtod(s, &end);
    return end != s && *end == '\0';
}

int cli_cmd_prepare(int argc, char **argv) {
    const char *cmd = "prepare", *manifest = NULL, *out = NULL, *sheet = NULL, *logs[16];
    int n_logs = 0, isotropic = 0, have_augment = 0, rc = 1;
    uint32_t augment = CGAN_AUGMENT_DEFAULT;
    cgan_prepare_opts *o = NULL;
    cgan_manifest *m = NULL;
    if (cgan_prepare_opts_create(&o) != CGAN_OK) return cli_fail(cmd, "cannot create options");
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        double x;
        int key = 0;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            printf("usage: cgan prepare %s\n", prepare_usage);
            cgan_prepare_opts_destroy(o);
            return 0;
        }
        if (!strcmp(a, "--isotropic")) { isotropic = 1; continue; }
        if (!strcmp(a, "--continuous")) { cgan_prepare_opts_set(o, CGAN_PREPARE_CONTINUOUS, 1); continue; }
        if (!v) {
            cgan_prepare_opts_destroy(o);
            return cli_usage(cmd, prepare_usage, "an option lacks its value");
        }
        i++;
        if (!strcmp(a, "--manifest")) manifest = v;
        else if (!strcmp(a, "--out")) out = v;
        else if (!strcmp(a, "--sheet")) sheet = v;
        else if (!strcmp(a, "--log") && n_logs < 16) logs[n_logs++] = v;
        else if (!strcmp(a, "--reference")) cgan_prepare_opts_set_reference(o, v);
        else if (!strcmp(a, "--augment")) {
            have_augment = 1;
            if (parse_augment(v, &augment) != 0) {
                cgan_prepare_opts_destroy(o);
                return cli_usage(cmd, prepare_usage, "--augment takes flips,rot180,rot90,jitter or none");
            }
        } else if (!strcmp(a, "--contrast")) {
            x = !strcmp(v, "none") ? 0 : !strcmp(v, "percentile") ? 1 : !strcmp(v, "histmatch") ? 2 : -1;
            if (x < 0) {
                cgan_prepare_opts_destroy(o);
                return cli_usage(cmd, prepare_usage, "--contrast takes none, percentile or histmatch");
            }
            cgan_prepare_opts_set(o, CGAN_PREPARE_CONTRAST, x);
        } else if (!strcmp(a, "--percentiles")) {
            double lo, hi;
            if (sscanf(v, "%lf,%lf", &lo, &hi) != 2 || cgan_prepare_opts_set(o, CGAN_PREPARE_PERCENTILE_LO, lo) ||
                cgan_prepare_opts_set(o, CGAN_PREPARE_PERCENTILE_HI, hi)) {
                cgan_prepare_opts_destroy(o);
                return cli_usage(cmd, prepare_usage, "--percentiles takes LO,HI in 0..100");
            }
        } else {
            key = !strcmp(a, "--size") ? CGAN_PREPARE_SIZE
                : !strcmp(a, "--um-per-px") ? CGAN_PREPARE_UM_PER_PX
                : !strcmp(a, "--patches-per-image") ? CGAN_PREPARE_PATCHES_PER_IMAGE
                : !strcmp(a, "--stride") ? CGAN_PREPARE_STRIDE
                : !strcmp(a, "--seed") ? CGAN_PREPARE_SEED
                : !strcmp(a, "--jitter") ? CGAN_PREPARE_JITTER
                : !strcmp(a, "--min-per-class") ? CGAN_PREPARE_MIN_PER_CLASS : 0;
            if (!key) {
                char msg[300];
                snprintf(msg, sizeof msg, "unknown option %s", a);
                cgan_prepare_opts_destroy(o);
                return cli_usage(cmd, prepare_usage, msg);
            }
            if (!number(v, &x) || cgan_prepare_opts_set(o, key, x) != CGAN_OK) {
                char msg[600];
                snprintf(msg, sizeof msg, "%s %s: %s", a, v, cgan_last_error());
                cgan_prepare_opts_destroy(o);
                return cli_usage(cmd, prepare_usage, msg);
            }
        }
    }
    double um = 0;
    cgan_prepare_opts_get(o, CGAN_PREPARE_UM_PER_PX, &um);
    if (!manifest || !out || um <= 0) {
        cgan_prepare_opts_destroy(o);
        return cli_usage(cmd, prepare_usage, "--manifest, --out and --um-per-px are required");
    }
    if ((augment & CGAN_AUGMENT_ROT90) && !isotropic) {
        cgan_prepare_opts_destroy(o);
        return cli_usage(cmd, prepare_usage,
                         "rot90 changes a deformed microstructure's meaning: add --isotropic if the "
                         "material has no preferred axis");
    }
    if (isotropic && !have_augment) augment |= CGAN_AUGMENT_ROT90; /* the whole square group */
    cgan_prepare_opts_set(o, CGAN_PREPARE_AUGMENT, augment);
    if (cgan_manifest_load(&m, manifest) != CGAN_OK) {
        cli_fail(cmd, "bad manifest");
        goto done;
    }
    for (int i = 0; i < n_logs; i++)
        if (cgan_manifest_set_log_column(m, logs[i]) != CGAN_OK) {
            cli_fail(cmd, "--log");
            goto done;
        }
    if (cgan_prepare_run(m, o, out, report, NULL) != CGAN_OK) {
        cli_fail(cmd, "failed, nothing written");
        goto done;
    }
    printf("wrote %s: %lld classes\n", out, (long long)cgan_manifest_classes(m));
    if (sheet) {
        cgan_dataset *d;
        if (cgan_dataset_load(&d, out) != CGAN_OK || cgan_dataset_sheet(d, sheet, 8, 1) != CGAN_OK) {
            cli_fail(cmd, "sample sheet");
            cgan_dataset_destroy(d);
            goto done;
        }
        cgan_dataset_destroy(d);
        printf("wrote %s\n", sheet);
    }
    rc = 0;
done:
    cgan_manifest_destroy(m);
    cgan_prepare_opts_destroy(o);
    return rc;
}
