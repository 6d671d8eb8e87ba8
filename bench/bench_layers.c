/* Forward + backward timing of the paper model's heaviest layers at batch
 * 64 (architecture.md shapes): seconds per call (median of --iters runs),
 * GFLOP/s counting GEMM-like work only, and the environment.  Not a test:
 * nothing passes or fails on time.
 *
 *   bench_layers [--batch B] [--iters N] [--threads T] [--smoke]
 */
#include <cgan.h>
#include <cblas.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct bench_layer {
    const char *name;
    int kind; /* 0 conv, 1 convt, 2 bn+lrelu, 3 attention, 4 linear */
    int64_t ci, co, h; /* input channels, output channels / features, input size */
} bench_layer;

static const bench_layer LAYERS[] = {
    {"G.fc     linear 128->8192", 4, 128, 8192, 1},
    {"G.up1    convt 512->256 4->8", 1, 512, 256, 4},
    {"G.up2    convt 256->128 8->16", 1, 256, 128, 8},
    {"G.up3    convt 128->64 16->32", 1, 128, 64, 16},
    {"G.attn   self-attention 64x32x32", 3, 64, 64, 32},
    {"G.up4    convt 64->64 32->64", 1, 64, 64, 32},
    {"G.bn4    batchnorm+lrelu 64x64x64", 2, 64, 64, 64},
    {"G.up5    convt 64->1 64->128", 1, 64, 1, 64},
    {"D.conv1  conv 1->64 128->64", 0, 1, 64, 128},
    {"D.conv2  conv 64->64 64->32", 0, 64, 64, 64},
    {"D.conv3  conv 64->128 32->16", 0, 64, 128, 32},
    {"D.conv4  conv 128->256 16->8", 0, 128, 256, 16},
    {"D.conv5  conv 257->128 8->4", 0, 257, 128, 8},
    {"D.proj1  linear 2048->1024", 4, 2048, 1024, 1},
};

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* GEMM FLOPs of forward and of backward (dX + dW). */
static void flops(const bench_layer *b, int64_t n, double *fwd, double *bwd) {
    double N = (double)n, k2 = 16.0;
    switch (b->kind) {
    case 0: { /* out size h/2 */
        double po = (double)(b->h / 2) * (b->h / 2);
        *fwd = 2.0 * N * (double)b->co * po * (double)b->ci * k2;
        *bwd = 2.0 * *fwd;
        break;
    }
    case 1: {
        double pin = (double)b->h * b->h;
        *fwd = 2.0 * N * (double)b->ci * pin * (double)b->co * k2;
        *bwd = 2.0 * *fwd;
        break;
    }
    case 3: {
        double C = (double)b->ci, Cq = C / 8, C2 = 2 * Cq + C, P = (double)b->h * b->h;
        *fwd = N * (2 * C2 * C * P + 2 * P * P * Cq + 2 * C * P * P);
        *bwd = N * (2 * P * P * Cq + 4 * C * P * P + 4 * Cq * P * P + 4 * C2 * C * P);
        break;
    }
    case 4:
        *fwd = 2.0 * N * (double)b->ci * (double)b->co;
        *bwd = 2.0 * *fwd;
        break;
    default:
        *fwd = *bwd = 0.0;
    }
}

static int make(const bench_layer *b, cgan_layer **l, cgan_tensor **x, int64_t n) {
    int rc;
    switch (b->kind) {
    case 0: rc = cgan_layer_create_conv2d(l, b->ci, b->co, 4, 2, 1, 0); break;
    case 1: rc = cgan_layer_create_convt2d(l, b->ci, b->co, 4, 2, 1, 0); break;
    case 2: rc = cgan_layer_create_batchnorm2d_lrelu(l, b->ci, 1e-5, 0.1, 0.2, 0); break;
    case 3: rc = cgan_layer_create_self_attention(l, b->ci, 0); break;
    default: rc = cgan_layer_create_linear(l, b->ci, b->co, 0); break;
    }
    if (rc != CGAN_OK) return rc;
    if (b->kind == 4) return cgan_tensor_create4(x, n, b->ci, 0, 0);
    return cgan_tensor_create4(x, n, b->ci, b->h, b->h);
}

static void environment(void) {
    char line[256], model[256] = "unknown";
    FILE *fp = fopen("/proc/cpuinfo", "r");
    while (fp && fgets(line, sizeof line, fp))
        if (!strncmp(line, "model name", 10)) {
            char *p = strchr(line, ':');
            if (p) snprintf(model, sizeof model, "%s", p + 2);
            model[strcspn(model, "\n")] = '\0';
            break;
        }
    if (fp) fclose(fp);
    const char *ct = getenv("OPENBLAS_CORETYPE");
    printf("libcgan %s | CPU: %s | OpenBLAS core: %s (OPENBLAS_CORETYPE=%s) | threads: %d\n",
           cgan_version_string(), model, openblas_get_corename(), ct ? ct : "unset",
           cgan_get_num_threads());
}

int main(int argc, char **argv) {
    int64_t batch = 64;
    int iters = 3, threads = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--batch") && i + 1 < argc) batch = atoll(argv[++i]);
        else if (!strcmp(argv[i], "--iters") && i + 1 < argc) iters = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc) threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--smoke")) batch = 2, iters = 1;
        else {
            fprintf(stderr, "usage: %s [--batch B] [--iters N] [--threads T] [--smoke]\n", argv[0]);
            return 2;
        }
    }
    if (batch < 1 || iters < 1 || iters > 100) return 2;
    cgan_set_num_threads(threads);
    environment();
    printf("batch %lld, median of %d run(s) after one warm-up; backward = input + parameter "
           "gradients\n", (long long)batch, iters);
    printf("%-36s %10s %9s %10s %9s\n", "layer", "fwd s", "GFLOP/s", "bwd s", "GFLOP/s");
    cgan_rng *rng;
    cgan_rng_create(&rng, 1);
    double total_t = 0, total_f = 0;
    for (size_t li = 0; li < sizeof LAYERS / sizeof LAYERS[0]; li++) {
        const bench_layer *b = &LAYERS[li];
        cgan_layer *l = NULL;
        cgan_tensor *x = NULL;
        if (make(b, &l, &x, batch) != CGAN_OK) {
            fprintf(stderr, "%s: %s\n", b->name, cgan_last_error());
            return 1;
        }
        cgan_layer_init(l, rng, CGAN_INIT_GAN);
        if (b->kind == 3) { /* a non-zero gamma, else backward skips the attention */
            cgan_tensor *g;
            cgan_layer_get_param(l, 6, NULL, &g, NULL);
            cgan_tensor_fill(g, 0.1f);
        }
        cgan_tensor_fill_normal(x, rng, 0.0f, 1.0f);
        const cgan_tensor *in[1] = {x}, *y, *din[1];
        double tf[101], tb[101];
        for (int it = 0; it <= iters; it++) { /* it 0 warms up (allocations) */
            double t0 = now();
            int rc = cgan_layer_forward(l, in, 1, CGAN_MODE_TRAIN, &y);
            double t1 = now();
            if (rc == CGAN_OK)
                rc = cgan_layer_backward(l, in, 1, y, CGAN_GRAD_INPUTS | CGAN_GRAD_PARAMS, din);
            double t2 = now();
            if (rc != CGAN_OK) {
                fprintf(stderr, "%s: %s\n", b->name, cgan_last_error());
                return 1;
            }
            tf[it] = t1 - t0;
            tb[it] = t2 - t1;
        }
        qsort(tf + 1, (size_t)iters, sizeof(double), cmp);
        qsort(tb + 1, (size_t)iters, sizeof(double), cmp);
        double mf = tf[1 + iters / 2], mb = tb[1 + iters / 2], ff, fb;
        flops(b, batch, &ff, &fb);
        printf("%-36s %10.4f %9.1f %10.4f %9.1f\n", b->name, mf, ff > 0 ? ff / mf * 1e-9 : 0.0,
               mb, fb > 0 ? fb / mb * 1e-9 : 0.0);
        total_t += mf + mb;
        total_f += ff + fb;
        cgan_layer_destroy(l);
        cgan_tensor_destroy(x);
    }
    printf("%-36s %10.4f s total, %.1f GFLOP/s over the GEMM work\n", "all layers above",
           total_t, total_f / total_t * 1e-9);
    cgan_rng_destroy(rng);
    return 0;
}
