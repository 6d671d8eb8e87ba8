/* The generator of Table 1 (architecture.md): the condition's embedding
 * multiplies the noise element-wise, a linear layer makes a 8w x 4 x 4
 * tensor, transposed convolutions double the size up to the image, with
 * self-attention at 32x32 and batch norm before the final tanh. */
#include "graph_builder.h"

int cgan_build_generator(cgan_model **out, const cgan_config *c, cgan_rng *rng) {
    graph_builder b;
    cgan_layer *l = NULL;
    int z, y, h, rc = gb_begin(&b, out, c, "generator", "z", "condition", &z, &y);
    if (rc != CGAN_OK) return rc;
    const int64_t nz = cgan__cfg_int(c, CGAN_CONFIG_NOISE_DIM), w = cgan__cfg_int(c, CGAN_CONFIG_G_WIDTH);
    const int size = cgan__cfg_int(c, CGAN_CONFIG_IMAGE_SIZE);
    const double slope = cgan__cfg_num(c, CGAN_CONFIG_LRELU_SLOPE);
    const int continuous = cgan__cfg_int(c, CGAN_CONFIG_COND_DIM) > 0;

    h = gb_condition(&b, continuous ? "cond" : "embed", y, c, nz);
    rc = cgan_layer_create_mul(&l, 0);
    h = gb_add(&b, rc, l, "mix", h, z);
    rc = cgan_layer_create_linear(&l, nz, 8 * w * 16, 0);
    h = gb_add(&b, rc, l, "fc", h, -1);
    rc = cgan_layer_create_reshape(&l, 3, (int64_t[]){8 * w, 4, 4}, 0);
    h = gb_add(&b, rc, l, "view", h, -1);
    h = gb_bn_lrelu(&b, "bn1", gb_conv(&b, "up1", h, 8 * w, 4 * w, 1), 4 * w, slope);
    h = gb_bn_lrelu(&b, "bn2", gb_conv(&b, "up2", h, 4 * w, 2 * w, 1), 2 * w, slope);
    h = gb_bn_lrelu(&b, "bn3", gb_conv(&b, "up3", h, 2 * w, w, 1), w, slope);
    if (cgan__cfg_int(c, CGAN_CONFIG_SELF_ATTENTION)) {
        rc = cgan_layer_create_self_attention(&l, w, 0);
        h = gb_add(&b, rc, l, "attn", h, -1);
    }
    if (size >= 128) h = gb_bn_lrelu(&b, "bn4", gb_conv(&b, "up4", h, w, w, 1), w, slope);
    if (size >= 256) h = gb_bn_lrelu(&b, "bn6", gb_conv(&b, "up6", h, w, w, 1), w, slope);
    h = gb_conv(&b, "up5", h, w, 1, 1);
    if (cgan__cfg_int(c, CGAN_CONFIG_G_OUTPUT_BN)) {
        rc = cgan_layer_create_batchnorm2d(&l, 1, 1e-5, 0.1, 0);
        h = gb_add(&b, rc, l, "bn_out", h, -1);
    }
    rc = cgan_layer_create_tanh(&l, 0);
    h = gb_add(&b, rc, l, "tanh", h, -1);
    if (b.rc == CGAN_OK) b.rc = cgan_model_add_output(b.m, h, NULL);
    gb_init(&b, c, rng);
    return gb_finish(&b, out);
}
