/* cgan bench: seconds per training iteration of the paper model on synthetic
 * data (no I/O), generator inference rate, a per-layer breakdown, peak RSS
 * and the environment.  A benchmark: nothing passes or fails on time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "cgan.h"
#include "commands.h"

static const char *usage =
    "[--batch B] [--iters N] [--threads T] [--infer-batch B] [--config paper|small]\n"
    "                 [--set NAME=VALUE]... [--no-layers] [--json]\n"
    "  Time N training iterations (N_CRITIC critic steps + 1 generator step,\n"
    "  after one warm-up iteration) of the configuration on random tensors and\n"
    "  print the median, min and max seconds, the generator's inference rate\n"
    "  (eval mode, images/s), a per-layer forward/backward breakdown with\n"
    "  GFLOP/s (GEMM-like work only), peak RSS and the environment.\n"
    "  Defaults: --batch 64 --iters 5 --threads 0 (library default)\n"
    "  --infer-batch = batch --config paper.  --set changes any setting of\n"
    "  `cgan info` by name, as for cgan train (--set g_width=16).";

typedef struct bench_opts {
    int batch, iters, threads, infer_batch, json, layers, preset;
    int n_sets;
    const char *sets[32]; /* --set NAME=VALUE, applied in order */
} bench_opts;

typedef struct bench_result {
    double *iter_s; /* per timed iteration */
    double infer_ips, infer_s;
    double peak_rss_mib;
    double total_flop; /* GEMM-like FLOPs of one iteration (profiled) */
} bench_result;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(const double *v, int n) {
    double *s = malloc((size_t)n * sizeof *s);
    if (s == NULL) return v[0];
    memcpy(s, v, (size_t)n * sizeof *s);
    qsort(s, (size_t)n, sizeof *s, cmp_double);
    double m = n % 2 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    free(s);
    return m;
}

static void cpu_model(char *buf, size_t size) {
    snprintf(buf, size, "unknown");
    FILE *fp = fopen("/proc/cpuinfo", "r");
    if (fp == NULL) return;
    char line[512];
    while (fgets(line, sizeof line, fp)) {
        if (strncmp(line, "model name", 10) != 0) continue;
        const char *p = strchr(line, ':');
        if (p == NULL) break;
        for (p++; *p == ' ' || *p == '\t'; p++) {}
        snprintf(buf, size, "%s", p);
        buf[strcspn(buf, "\n")] = '\0';
        break;
    }
    fclose(fp);
}

static double peak_rss_mib(void) {
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0) return 0.0;
    return (double)ru.ru_maxrss / 1024.0; /* kB on Linux */
}

/* Random inputs of one step: images in [-1, 1], labels, noise, fake labels. */
typedef struct bench_data {
    cgan_tensor *real, *real_cond, *z, *fake_cond;
} bench_data;

static void data_free(bench_data *d) {
    cgan_tensor_destroy(d->real);
    cgan_tensor_destroy(d->real_cond);
    cgan_tensor_destroy(d->z);
    cgan_tensor_destroy(d->fake_cond);
}

static int data_make(bench_data *d, int64_t n, int64_t size, int64_t noise, int64_t classes,
                     cgan_rng *rng) {
    memset(d, 0, sizeof *d);
    if (cgan_tensor_create4(&d->real, n, 1, size, size) != CGAN_OK ||
        cgan_tensor_create4(&d->real_cond, n, 0, 0, 0) != CGAN_OK ||
        cgan_tensor_create4(&d->z, n, noise, 0, 0) != CGAN_OK ||
        cgan_tensor_create4(&d->fake_cond, n, 0, 0, 0) != CGAN_OK)
        return 1;
    cgan_tensor_fill_uniform(d->real, rng, -1.0f, 1.0f);
    cgan_tensor_fill_normal(d->z, rng, 0.0f, 1.0f);
    float *rc = cgan_tensor_data(d->real_cond), *fc = cgan_tensor_data(d->fake_cond);
    for (int64_t i = 0; i < n; i++) {
        rc[i] = (float)(i % classes); /* every class present, as the balanced sampler */
        fc[i] = (float)cgan_rng_below(rng, (uint64_t)classes);
    }
    return 0;
}

static int iteration(cgan_gan *g, const bench_data *d, int n_critic) {
    for (int k = 0; k < n_critic; k++)
        if (cgan_gan_critic_step(g, d->real, d->real_cond, d->z, d->fake_cond) != CGAN_OK) return 1;
    return cgan_gan_generator_step(g, d->z, d->fake_cond) != CGAN_OK;
}

static void print_layers(cgan_model *m, const char *net, int iters, int json, int *first) {
    int n = cgan_model_num_nodes(m);
    for (int i = 0; i < n; i++) {
        const char *name, *kind;
        double s[2], f[2];
        int64_t calls[2];
        for (int p = 0; p < 2; p++)
            cgan_model_node_profile(m, i, p, &name, &kind, &s[p], &f[p], &calls[p]);
        if (calls[0] == 0) continue;
        double fs = s[0] / iters, bs = s[1] / iters;
        double fg = s[0] > 0 ? f[0] / s[0] * 1e-9 : 0.0, bg = s[1] > 0 ? f[1] / s[1] * 1e-9 : 0.0;
        if (json) {
            printf("%s\n    {\"net\": \"%s\", \"node\": \"%s\", \"kind\": \"%s\", \"fwd_s\": %.6f, "
                   "\"bwd_s\": %.6f, \"fwd_gflops\": %.1f, \"bwd_gflops\": %.1f}",
                   *first ? "" : ",", net, name, kind, fs, bs, fg, bg);
            *first = 0;
        } else {
            printf("  %-9s %-8s %-18s %9.4f %9.4f", net, name, kind, fs, bs);
            if (f[0] > 0) printf(" %8.1f %8.1f", fg, bg);
            printf("\n");
        }
    }
}

static double profiled_seconds(cgan_model *m, double *flop) {
    double t = 0.0;
    for (int i = 0; i < cgan_model_num_nodes(m); i++)
        for (int p = 0; p < 2; p++) {
            double s, f;
            cgan_model_node_profile(m, i, p, NULL, NULL, &s, &f, NULL);
            t += s;
            *flop += f;
        }
    return t;
}

static int parse(int argc, char **argv, bench_opts *o) {
    *o = (bench_opts){64, 5, 0, 0, 0, 1, CGAN_PRESET_PAPER, 0, {0}};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int *target = !strcmp(a, "--batch") ? &o->batch : !strcmp(a, "--iters") ? &o->iters
                    : !strcmp(a, "--threads") ? &o->threads
                    : !strcmp(a, "--infer-batch") ? &o->infer_batch : NULL;
        if (target) {
            char *end;
            if (i + 1 >= argc) return cli_usage("bench", usage, "an option needs a value");
            long v = strtol(argv[++i], &end, 10);
            if (*end || v < 0 || v > 100000) return cli_usage("bench", usage, "bad number");
            *target = (int)v;
        } else if (!strcmp(a, "--config") && i + 1 < argc) {
            const char *c = argv[++i];
            if (!strcmp(c, "paper")) o->preset = CGAN_PRESET_PAPER;
            else if (!strcmp(c, "small")) o->preset = CGAN_PRESET_SMALL;
            else return cli_usage("bench", usage, "--config is paper or small");
        } else if (!strcmp(a, "--set") && i + 1 < argc) {
            if (o->n_sets == (int)(sizeof o->sets / sizeof o->sets[0]))
                return cli_usage("bench", usage, "too many --set options");
            o->sets[o->n_sets++] = argv[++i];
        } else if (!strcmp(a, "--json")) {
            o->json = 1;
        } else if (!strcmp(a, "--no-layers")) {
            o->layers = 0;
        } else {
            return cli_usage("bench", usage, "unknown option");
        }
    }
    if (o->batch < 2 || o->iters < 1) return cli_usage("bench", usage, "need --batch >= 2, --iters >= 1");
    if (o->infer_batch == 0) o->infer_batch = o->batch;
    return 0;
}

static int run(const bench_opts *o, cgan_gan *g, const cgan_config *c, bench_result *r) {
    double v;
    cgan_config_get(c, CGAN_CONFIG_IMAGE_SIZE, &v);
    int64_t size = (int64_t)v;
    cgan_config_get(c, CGAN_CONFIG_NOISE_DIM, &v);
    int64_t noise = (int64_t)v;
    cgan_config_get(c, CGAN_CONFIG_NUM_CLASSES, &v);
    int64_t classes = (int64_t)v;
    cgan_config_get(c, CGAN_CONFIG_N_CRITIC, &v);
    int n_critic = (int)v;
    cgan_rng *rng;
    bench_data d, e;
    cgan_tensor *img = NULL;
    int fail = 1;
    if (cgan_rng_create(&rng, 12345) != CGAN_OK) return 1;
    if (data_make(&d, o->batch, size, noise, classes, rng) ||
        data_make(&e, o->infer_batch, size, noise, classes, rng) ||
        cgan_tensor_create4(&img, o->infer_batch, 1, size, size) != CGAN_OK)
        goto out;
    cgan_model *gm = cgan_gan_generator(g), *cm = cgan_gan_critic(g);
    if (iteration(g, &d, n_critic)) goto out; /* warm-up: buffers grow here */
    cgan_model_set_profiling(gm, 1);
    cgan_model_set_profiling(cm, 1);
    for (int it = 0; it < o->iters; it++) {
        double t0 = now();
        if (iteration(g, &d, n_critic)) goto out;
        r->iter_s[it] = now() - t0;
    }
    cgan_model_set_profiling(gm, 0);
    cgan_model_set_profiling(cm, 0);
    /* inference: eval mode, one warm-up batch, then the median of 3 */
    if (cgan_gan_generate(g, e.z, e.fake_cond, 0, img) != CGAN_OK) goto out;
    double t[3];
    for (int k = 0; k < 3; k++) {
        double t0 = now();
        if (cgan_gan_generate(g, e.z, e.fake_cond, 0, img) != CGAN_OK) goto out;
        t[k] = now() - t0;
    }
    r->infer_s = median(t, 3);
    r->infer_ips = (double)o->infer_batch / r->infer_s;
    r->peak_rss_mib = peak_rss_mib();
    fail = 0;
out:
    data_free(&d);
    data_free(&e);
    cgan_tensor_destroy(img);
    cgan_rng_destroy(rng);
    return fail;
}

static void report(const bench_opts *o, const bench_result *r, cgan_gan *g) {
    char cpu[256];
    cpu_model(cpu, sizeof cpu);
    const char *coretype = getenv("OPENBLAS_CORETYPE");
    double med = median(r->iter_s, o->iters), lo = r->iter_s[0], hi = r->iter_s[0];
    for (int i = 1; i < o->iters; i++) {
        lo = r->iter_s[i] < lo ? r->iter_s[i] : lo;
        hi = r->iter_s[i] > hi ? r->iter_s[i] : hi;
    }
    cgan_model *gm = cgan_gan_generator(g), *cm = cgan_gan_critic(g);
    double flop = 0.0, prof = profiled_seconds(gm, &flop) + profiled_seconds(cm, &flop);
    flop /= o->iters;
    prof /= o->iters;
    const char *cfg = o->preset == CGAN_PRESET_PAPER ? "paper" : "small";
    if (o->json) {
        printf("{\n  \"implementation\": \"libcgan %s\", \"config\": \"%s\", \"batch\": %d, "
               "\"iters\": %d,\n", cgan_version_string(), cfg, o->batch, o->iters);
        printf("  \"set\": [");
        for (int i = 0; i < o->n_sets; i++) printf("%s\"%s\"", i ? ", " : "", o->sets[i]);
        printf("],\n");
        printf("  \"iter_s\": {\"median\": %.4f, \"min\": %.4f, \"max\": %.4f, \"all\": [", med,
               lo, hi);
        for (int i = 0; i < o->iters; i++) printf("%s%.4f", i ? ", " : "", r->iter_s[i]);
        printf("]},\n  \"gflop_per_iter\": %.1f, \"gflops\": %.1f,\n", flop * 1e-9,
               flop / med * 1e-9);
        printf("  \"infer_batch\": %d, \"infer_images_per_s\": %.1f,\n", o->infer_batch, r->infer_ips);
        printf("  \"peak_rss_mib\": %.1f,\n", r->peak_rss_mib);
        printf("  \"env\": {\"blas_core\": \"%s\", \"blas_config\": \"%s\", \"threads\": %d, "
               "\"cpu\": \"%s\", \"OPENBLAS_CORETYPE\": %s%s%s}", cgan_blas_corename(),
               cgan_blas_config(), cgan_get_num_threads(), cpu, coretype ? "\"" : "",
               coretype ? coretype : "null", coretype ? "\"" : "");
        if (o->layers) {
            int first = 1;
            printf(",\n  \"layers\": [");
            print_layers(gm, "generator", o->iters, 1, &first);
            print_layers(cm, "critic", o->iters, 1, &first);
            printf("\n  ]");
        }
        printf("\n}\n");
        return;
    }
    printf("libcgan %s bench: %s configuration, batch %d, %d iterations\n",
           cgan_version_string(), cfg, o->batch, o->iters);
    for (int i = 0; i < o->n_sets; i++) printf("%s%s", i ? " " : "settings: ", o->sets[i]);
    if (o->n_sets) printf("\n");
    printf("environment: OpenBLAS core %s, %d thread(s), OPENBLAS_CORETYPE=%s\n",
           cgan_blas_corename(), cgan_get_num_threads(), coretype ? coretype : "(unset)");
    printf("             %s\n             cpu: %s\n", cgan_blas_config(), cpu);
    printf("train iteration: median %.3f s (min %.3f, max %.3f); %.1f GFLOP, %.1f GFLOP/s\n",
           med, lo, hi, flop * 1e-9, flop / med * 1e-9);
    printf("inference (eval, batch %d): %.1f images/s\n", o->infer_batch, r->infer_ips);
    printf("peak RSS: %.1f MiB\n", r->peak_rss_mib);
    if (!o->layers) return;
    printf("per layer, seconds per iteration (all steps) and GFLOP/s:\n");
    printf("  %-9s %-8s %-18s %9s %9s %8s %8s\n", "net", "node", "kind", "fwd s", "bwd s",
           "fwd GF/s", "bwd GF/s");
    int first = 1;
    print_layers(gm, "generator", o->iters, 0, &first);
    print_layers(cm, "critic", o->iters, 0, &first);
    double mean = 0.0;
    for (int i = 0; i < o->iters; i++) mean += r->iter_s[i] / o->iters;
    printf("  layers total %.4f s; outside the layers (losses, optimizer, clipping, copies): "
           "%.4f s (of the mean iteration, %.4f s)\n", prof, mean - prof, mean);
}

int cli_cmd_bench(int argc, char **argv) {
    bench_opts o;
    bench_result r = {0};
    cgan_config *c = NULL;
    cgan_gan *g = NULL;
    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        printf("usage: cgan bench %s\n", usage);
        return 0;
    }
    int rc = parse(argc, argv, &o);
    if (rc) return rc;
    if (o.threads > 0 && cgan_set_num_threads(o.threads) != CGAN_OK)
        return cli_fail("bench", "cannot set the thread count");
    r.iter_s = calloc((size_t)o.iters, sizeof *r.iter_s);
    if (r.iter_s == NULL) return cli_fail("bench", "out of memory");
    rc = 1;
    if (cgan_config_create(&c, o.preset) != CGAN_OK ||
        cgan_config_set(c, CGAN_CONFIG_BATCH, o.batch) != CGAN_OK) {
        rc = cli_fail("bench", "cannot create the configuration");
        goto done;
    }
    for (int i = 0; i < o.n_sets; i++)
        if ((rc = cli_config_set("bench", usage, c, o.sets[i])) != 0) goto done;
    rc = 1;
    if (cgan_gan_create(&g, c, 1) != CGAN_OK) {
        rc = cli_fail("bench", "cannot create the model");
    } else if (run(&o, g, c, &r)) {
        rc = cli_fail("bench", "a training step failed");
    } else {
        report(&o, &r, g);
        rc = 0;
    }
done:
    cgan_gan_destroy(g);
    cgan_config_destroy(c);
    free(r.iter_s);
    return rc;
}
