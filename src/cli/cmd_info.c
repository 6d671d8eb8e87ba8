/* cgan info CKPT: what a checkpoint holds. */
#include <stdio.h>
#include <string.h>

#include "cgan.h"
#include "commands.h"

static const char *usage = "CHECKPOINT.npz\n"
                           "  Print the model's configuration, parameter counts, conditions and\n"
                           "  training progress.";

static void print_count(const char *what, cgan_model *m) {
    if (m == NULL) {
        printf("%-10s absent (generator-only checkpoint: can generate, not train)\n", what);
        return;
    }
    printf("%-10s %lld trainable parameters in %d tensors, %d buffers\n", what,
           (long long)cgan_model_count_trainable(m), cgan_model_num_params(m), cgan_model_num_buffers(m));
}

int cli_cmd_info(int argc, char **argv) {
    cgan_gan *g;
    const char *name;
    double v;
    int key;
    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        printf("usage: cgan info %s\n", usage);
        return 0;
    }
    if (argc != 2) return cli_usage("info", usage, "expected one checkpoint file");
    if (cgan_gan_load(&g, argv[1]) != CGAN_OK) return cli_fail("info", "cannot load the checkpoint");
    const cgan_config *c = cgan_gan_config(g);
    printf("checkpoint %s\n", argv[1]);
    print_count("generator", cgan_gan_generator(g));
    print_count("critic", cgan_gan_critic(g));
    cgan_config_get(c, CGAN_CONFIG_COND_DIM, &v);
    int k = (int)v;
    if (k > 0) {
        printf("conditions continuous, %d columns:", k);
        for (int col = 0; col < k; col++) printf(" %s", cgan_gan_condition_column(g, col) ? cgan_gan_condition_column(g, col) : "?");
        printf("\n");
    } else {
        cgan_config_get(c, CGAN_CONFIG_NUM_CLASSES, &v);
        printf("conditions %d classes\n", (int)v);
        for (int64_t i = 0; i < (int64_t)v && cgan_gan_class_name(g, i); i++)
            printf("  class %lld: %s\n", (long long)i, cgan_gan_class_name(g, i));
    }
    cgan_gan_get_metric(g, CGAN_METRIC_GEN_STEPS, &v);
    printf("trained   %lld iterations", (long long)v);
    cgan_gan_get_metric(g, CGAN_METRIC_CRITIC_STEPS, &v);
    printf(" (%lld critic steps)\n", (long long)v);
    printf("configuration\n");
    for (int i = 0; cgan_config_key_at(i, &key, &name) == CGAN_OK; i++) {
        cgan_config_get(c, key, &v);
        printf("  %-20s %g\n", name, v);
    }
    cgan_gan_destroy(g);
    return 0;
}
