/* Small models shaped like the paper's networks, for the model tests. */
#ifndef CGAN_TEST_NN_MODELS_H
#define CGAN_TEST_NN_MODELS_H

#include "test_util.h"

static inline void add_node(cgan_model *m, const char *name, int rc, cgan_layer *l,
                            const int *in, int n_in, int *id) {
    ck_assert_msg(rc == CGAN_OK, "creating %s: %s", name, cgan_last_error());
    CK_OK(cgan_model_add_node(m, name, l, in, n_in, id));
}
#define NODE(m, name, ctor, id, ...)                                                   \
    do {                                                                               \
        cgan_layer *l_ = NULL;                                                         \
        int in_[] = {__VA_ARGS__};                                                     \
        int rc_ = (ctor); /* before l_ is read */                                      \
        add_node(m, name, rc_, l_, in_, (int)(sizeof in_ / sizeof in_[0]), id);        \
    } while (0)

/* A critic in miniature: x [N,1,8,8] and labels [N] in 0..2 -> outputs
 * out [N,1] (adversarial head), proj2 [N,3] (projection head, sharing the
 * trunk) and proxy [N,3] (class proxy).  683 trainable parameters.
 * slope: of the LeakyReLUs (1 makes the graph smooth for finite differences). */
static inline cgan_model *mini_critic_slope(double slope) {
    cgan_model *m;
    int x, y, v, t, e;
    CK_OK(cgan_model_create(&m, "critic"));
    CK_OK(cgan_model_add_input(m, "image", &x));
    CK_OK(cgan_model_add_input(m, "label", &y));
    NODE(m, "conv1", cgan_layer_create_conv2d(&l_, 1, 4, 4, 2, 1, 0), &v, x);
    NODE(m, "act1", cgan_layer_create_leaky_relu(&l_, slope, 0), &v, v);
    NODE(m, "conv2", cgan_layer_create_conv2d(&l_, 4, 6, 4, 2, 1, 0), &v, v);
    NODE(m, "bn2", cgan_layer_create_batchnorm2d_lrelu(&l_, 6, 1e-5, 0.1, slope, 0), &v, v);
    NODE(m, "embed", cgan_layer_create_embedding(&l_, 3, 4, 0), &e, y);
    NODE(m, "cat", cgan_layer_create_concat_plane(&l_, 0), &v, v, e);
    NODE(m, "flat", cgan_layer_create_flatten(&l_, 0), &t, v);
    NODE(m, "out", cgan_layer_create_linear(&l_, 28, 1, 0), &v, t);
    CK_OK(cgan_model_add_output(m, v, NULL));
    NODE(m, "proj1", cgan_layer_create_linear(&l_, 28, 5, 0), &v, t);
    NODE(m, "proj2", cgan_layer_create_linear(&l_, 5, 3, 0), &v, v);
    CK_OK(cgan_model_add_output(m, v, NULL));
    NODE(m, "proxy", cgan_layer_create_embedding(&l_, 3, 3, 0), &v, y);
    CK_OK(cgan_model_add_output(m, v, NULL));
    return m;
}

/* A generator in miniature: z [N,8], labels [N] in 0..2 -> image [N,1,8,8]
 * through embed*z, fc, reshape, convt+BN+LReLU, self-attention, convt, BN, tanh. */
static inline cgan_model *mini_generator_slope(double slope) {
    cgan_model *m;
    int z, y, v, e;
    CK_OK(cgan_model_create(&m, "generator"));
    CK_OK(cgan_model_add_input(m, "noise", &z));
    CK_OK(cgan_model_add_input(m, "label", &y));
    NODE(m, "embed", cgan_layer_create_embedding(&l_, 3, 8, 0), &e, y);
    NODE(m, "cond", cgan_layer_create_mul(&l_, 0), &v, e, z);
    NODE(m, "fc", cgan_layer_create_linear(&l_, 8, 64, 0), &v, v);
    NODE(m, "view", cgan_layer_create_reshape(&l_, 3, (int64_t[]){16, 2, 2}, 0), &v, v);
    NODE(m, "up1", cgan_layer_create_convt2d(&l_, 16, 8, 4, 2, 1, 0), &v, v);
    NODE(m, "bn1", cgan_layer_create_batchnorm2d(&l_, 8, 1e-5, 0.1, 0), &v, v);
    NODE(m, "act1", cgan_layer_create_leaky_relu(&l_, slope, 0), &v, v);
    NODE(m, "attn", cgan_layer_create_self_attention(&l_, 8, 0), &v, v);
    NODE(m, "up2", cgan_layer_create_convt2d(&l_, 8, 1, 4, 2, 1, 0), &v, v);
    NODE(m, "bn_out", cgan_layer_create_batchnorm2d(&l_, 1, 1e-5, 0.1, 0), &v, v);
    NODE(m, "tanh", cgan_layer_create_tanh(&l_, 0), &v, v);
    CK_OK(cgan_model_add_output(m, v, NULL));
    return m;
}

static inline cgan_model *mini_critic(void) { return mini_critic_slope(0.2); }
static inline cgan_model *mini_generator(void) { return mini_generator_slope(0.2); }

#endif
