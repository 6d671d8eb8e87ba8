/* cgan generate: images from a trained generator for one condition (or
 * every class), from given noise or from a seed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cgan.h"
#include "commands.h"

static const char *usage =
    "--model CKPT.npz (--class K | --condition V1,V2,... | --all-classes)\n"
    "       (--noise Z.npy | --count N [--seed S]) --out OUT [--batch-stats]\n"
    "  K is a class index or name; V are physical condition values (continuous\n"
    "  models).  Z.npy is float32 [N, noise size].  OUT ending in .npy gets a\n"
    "  float32 array [N,1,H,W] in [-1,1]; otherwise OUT is a directory that gets\n"
    "  8-bit PNGs sample_0000.png, ... (with --all-classes, one subdirectory per\n"
    "  class, the same noise for every class as in the paper's Fig. 2).\n"
    "  Batch norm uses its running statistics unless --batch-stats.";

typedef struct gen_args {
    const char *model, *cls, *cond, *noise, *out;
    long long count;
    unsigned long long seed;
    int all, batch_stats;
} gen_args;

static int ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int mkdir_p(const char *path) {
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
            *p = '/';
        }
    return mkdir(buf, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

/* A class's directory: its name made safe for a path, as `cgan compare`
 * matches it (cgan_condition_dirname); class_K for unnamed classes. */
static void dir_name(char *dst, size_t cap, const char *name, long long cls) {
    if (name == NULL || name[0] == '\0' || cgan_condition_dirname(name, dst, cap) != CGAN_OK)
        snprintf(dst, cap, "class_%lld", cls);
}

static int write_output(const char *out, const cgan_tensor *imgs) {
    if (ends_with(out, ".npy")) return cgan_npy_save(out, imgs) == CGAN_OK ? 0 : cli_fail("generate", out);
    if (mkdir_p(out) != 0) {
        fprintf(stderr, "cgan generate: cannot create directory %s: %s\n", out, strerror(errno));
        return 1;
    }
    int64_t n = cgan_tensor_dim(imgs, 0), s = cgan_tensor_dim(imgs, 2);
    cgan_tensor *one = NULL;
    if (cgan_tensor_create4(&one, 1, 1, s, s) != CGAN_OK) return cli_fail("generate", "out of memory");
    for (int64_t i = 0; i < n; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/sample_%04lld.png", out, (long long)i);
        cgan_tensor_set_data(one, cgan_tensor_data_const(imgs) + i * s * s, s * s);
        if (cgan_image_write_png(path, one, -1.0f, 1.0f, 8) != CGAN_OK) {
            cgan_tensor_destroy(one);
            return cli_fail("generate", path);
        }
    }
    cgan_tensor_destroy(one);
    return 0;
}

/* Resolve --class: an index or a class name. */
static int class_index(cgan_gan *g, const char *arg, long long *cls) {
    double n;
    char *end;
    cgan_config_get(cgan_gan_config(g), CGAN_CONFIG_NUM_CLASSES, &n);
    *cls = strtoll(arg, &end, 10);
    if (*end == '\0' && *cls >= 0 && *cls < (long long)n) return 0;
    for (long long i = 0; i < (long long)n; i++)
        if (cgan_gan_class_name(g, i) && !strcmp(cgan_gan_class_name(g, i), arg)) {
            *cls = i;
            return 0;
        }
    fprintf(stderr, "cgan generate: --class %s is neither an index in [0, %d) nor a class name "
                    "(cgan info lists them)\n", arg, (int)n);
    return 2;
}

/* The condition tensor for n samples: a class label, or scaled values. */
static int make_condition(cgan_gan *g, const gen_args *a, long long cls, int64_t n, cgan_tensor **cond) {
    double kd;
    cgan_config_get(cgan_gan_config(g), CGAN_CONFIG_COND_DIM, &kd);
    int k = (int)kd;
    if (k == 0) {
        if (a->cond) return cli_usage("generate", usage, "--condition needs a continuous model; use --class");
        if (cgan_tensor_create4(cond, n, 0, 0, 0) != CGAN_OK) return cli_fail("generate", "condition");
        cgan_tensor_fill(*cond, (float)cls);
        return 0;
    }
    if (!a->cond) return cli_usage("generate", usage, "this model is continuous: give --condition V1,V2,...");
    double raw[64];
    int got = 0;
    const char *p = a->cond;
    while (*p && got < 64) {
        char *end;
        raw[got++] = strtod(p, &end);
        if (end == p || (*end && *end != ',')) return cli_usage("generate", usage, "--condition: not a list of numbers");
        p = *end ? end + 1 : end;
    }
    if (got != k) {
        fprintf(stderr, "cgan generate: --condition has %d values, the model takes %d\n", got, k);
        return 2;
    }
    double *rows = malloc(sizeof(double) * (size_t)(n * k));
    for (int64_t i = 0; rows && i < n; i++) memcpy(rows + i * k, raw, sizeof(double) * (size_t)k);
    int rc = rows && cgan_tensor_create4(cond, n, k, 0, 0) == CGAN_OK &&
             cgan_gan_scale_conditions(g, rows, n, *cond) == CGAN_OK;
    free(rows);
    return rc ? 0 : cli_fail("generate", "condition");
}

static int parse(int argc, char **argv, gen_args *a) {
    memset(a, 0, sizeof *a);
    a->count = -1;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
            printf("usage: cgan generate %s\n", usage);
            return -1;
        } else if (!strcmp(o, "--all-classes")) a->all = 1;
        else if (!strcmp(o, "--batch-stats")) a->batch_stats = 1;
        else if (v == NULL) return cli_usage("generate", usage, "an option is missing its value");
        else if (!strcmp(o, "--model")) a->model = argv[++i];
        else if (!strcmp(o, "--class")) a->cls = argv[++i];
        else if (!strcmp(o, "--condition")) a->cond = argv[++i];
        else if (!strcmp(o, "--noise")) a->noise = argv[++i];
        else if (!strcmp(o, "--out")) a->out = argv[++i];
        else if (!strcmp(o, "--count") || !strcmp(o, "--seed")) {
            char *end;
            unsigned long long x = strtoull(argv[++i], &end, 10);
            if (*end || argv[i][0] == '-') return cli_usage("generate", usage, "--count/--seed need a whole number");
            if (!strcmp(o, "--count")) a->count = (long long)x;
            else a->seed = x;
        } else {
            fprintf(stderr, "cgan generate: unknown option %s\n", o);
            return cli_usage("generate", usage, NULL);
        }
    }
    if (!a->model || !a->out) return cli_usage("generate", usage, "--model and --out are required");
    if ((a->cls != NULL) + (a->cond != NULL) + a->all != 1)
        return cli_usage("generate", usage, "give exactly one of --class, --condition, --all-classes");
    if ((a->noise != NULL) == (a->count >= 0))
        return cli_usage("generate", usage, "give either --noise or --count");
    if (a->count == 0) return cli_usage("generate", usage, "--count must be at least 1");
    return 0;
}

/* Noise from Z.npy or from the seed. */
static int make_noise(cgan_gan *g, const gen_args *a, cgan_tensor **z) {
    double nz;
    cgan_config_get(cgan_gan_config(g), CGAN_CONFIG_NOISE_DIM, &nz);
    if (a->noise) {
        if (cgan_npy_load(a->noise, z) != CGAN_OK) return cli_fail("generate", "cannot read the noise");
        if (cgan_tensor_ndim(*z) != 2 || cgan_tensor_dim(*z, 1) != (int64_t)nz) {
            fprintf(stderr, "cgan generate: %s must be float32 [N, %d]\n", a->noise, (int)nz);
            return 1;
        }
        return 0;
    }
    if (cgan_tensor_create4(z, a->count, (int64_t)nz, 0, 0) != CGAN_OK || cgan_gan_noise(g, a->seed, *z) != CGAN_OK)
        return cli_fail("generate", "noise");
    return 0;
}

static int generate_one(cgan_gan *g, const gen_args *a, long long cls, const cgan_tensor *z, const char *out) {
    int64_t n = cgan_tensor_dim(z, 0);
    double s;
    cgan_tensor *cond = NULL, *imgs = NULL;
    cgan_config_get(cgan_gan_config(g), CGAN_CONFIG_IMAGE_SIZE, &s);
    int rc = make_condition(g, a, cls, n, &cond);
    if (rc == 0 && cgan_tensor_create4(&imgs, n, 1, (int64_t)s, (int64_t)s) != CGAN_OK) rc = cli_fail("generate", "images");
    if (rc == 0 && cgan_gan_generate(g, z, cond, a->batch_stats ? CGAN_GENERATE_BATCH_STATS : 0, imgs) != CGAN_OK)
        rc = cli_fail("generate", "generation failed");
    if (rc == 0) rc = write_output(out, imgs);
    if (rc == 0) fprintf(stderr, "cgan generate: %lld images -> %s\n", (long long)n, out);
    cgan_tensor_destroy(cond);
    cgan_tensor_destroy(imgs);
    return rc;
}

int cli_cmd_generate(int argc, char **argv) {
    gen_args a;
    cgan_gan *g = NULL;
    cgan_tensor *z = NULL;
    long long cls = 0;
    int rc = parse(argc, argv, &a);
    if (rc != 0) return rc < 0 ? 0 : rc;
    if (cgan_gan_load(&g, a.model) != CGAN_OK) return cli_fail("generate", "cannot load the model");
    rc = make_noise(g, &a, &z);
    if (rc == 0 && a.cls) rc = class_index(g, a.cls, &cls);
    if (rc == 0 && !a.all) rc = generate_one(g, &a, cls, z, a.out);
    if (rc == 0 && a.all) {
        double n, k;
        cgan_config_get(cgan_gan_config(g), CGAN_CONFIG_NUM_CLASSES, &n);
        cgan_config_get(cgan_gan_config(g), CGAN_CONFIG_COND_DIM, &k);
        if (k > 0) rc = cli_usage("generate", usage, "--all-classes needs a discrete model");
        for (long long c = 0; rc == 0 && c < (long long)n; c++) {
            char sub[256], path[4400];
            dir_name(sub, sizeof sub, cgan_gan_class_name(g, c), c);
            snprintf(path, sizeof path, "%s/%s", a.out, sub);
            rc = generate_one(g, &a, c, z, path);
        }
    }
    cgan_tensor_destroy(z);
    cgan_gan_destroy(g);
    return rc;
}
