/* The critic of Table 2 (architecture.md): a strided-convolution trunk, the
 * condition's 8x8 label plane appended as one more channel before conv5, an
 * adversarial head D(x, y) and a projection head l(x), plus the proxy e(y)
 * that the contrastive loss compares l(x) with. */
#include "graph_builder.h"

#include <math.h>

/* math-spec 4.2: a continuous proxy e(y) = W y + b needs b ~ N(0, 1) so that
 * e(0) != 0 and its cosine geometry exists from the start; W Xavier. */
static int init_continuous_proxy(cgan_model *m, cgan_rng *rng, int64_t k, int64_t dim) {
    cgan_tensor *wt, *bias;
    int rc;
    if ((rc = cgan_model_find_param(m, "proxy.weight", &wt, NULL)) != CGAN_OK ||
        (rc = cgan_model_find_param(m, "proxy.bias", &bias, NULL)) != CGAN_OK)
        return rc;
    double a = sqrt(6.0 / (double)(k + dim));
    if ((rc = cgan_tensor_fill_uniform(wt, rng, (float)-a, (float)a)) != CGAN_OK) return rc;
    return cgan_tensor_fill_normal(bias, rng, 0.0f, 1.0f);
}

int cgan_build_critic(cgan_model **out, const cgan_config *c, cgan_rng *rng) {
    graph_builder b;
    cgan_layer *l = NULL;
    int x, y, h, plane, d, p, e, rc = gb_begin(&b, out, c, "critic", "image", "condition", &x, &y);
    if (rc != CGAN_OK) return rc;
    const int64_t w = cgan__cfg_int(c, CGAN_CONFIG_D_WIDTH), dim = cgan__cfg_int(c, CGAN_CONFIG_EMBED_DIM);
    const int size = cgan__cfg_int(c, CGAN_CONFIG_IMAGE_SIZE);
    const int64_t k = cgan__cfg_int(c, CGAN_CONFIG_COND_DIM);
    const double slope = cgan__cfg_num(c, CGAN_CONFIG_LRELU_SLOPE);
    const int proxy_reuse = cgan__cfg_int(c, CGAN_CONFIG_PROXY_REUSE);

    h = x;
    if (size >= 256) h = gb_conv_lrelu(&b, "conv0", h, 1, w, slope);
    h = gb_conv_lrelu(&b, "conv1", h, size >= 256 ? w : 1, w, slope);
    if (size >= 128) h = gb_bn_lrelu(&b, "bn2", gb_conv(&b, "conv2", h, w, w, 0), w, slope);
    h = gb_bn_lrelu(&b, "bn3", gb_conv(&b, "conv3", h, w, 2 * w, 0), 2 * w, slope);
    h = gb_bn_lrelu(&b, "bn4", gb_conv(&b, "conv4", h, 2 * w, 4 * w, 0), 4 * w, slope);
    plane = gb_condition(&b, k > 0 ? "cond" : "embed", y, c, 64);
    rc = cgan_layer_create_concat_plane(&l, 0);
    h = gb_add(&b, rc, l, "concat", h, plane);
    h = gb_bn_lrelu(&b, "bn5", gb_conv(&b, "conv5", h, 4 * w + 1, 2 * w, 0), 2 * w, slope);
    rc = cgan_layer_create_flatten(&l, 0);
    h = gb_add(&b, rc, l, "flat", h, -1);
    rc = cgan_layer_create_linear(&l, 2 * w * 16, 1, 0);
    d = gb_add(&b, rc, l, "out", h, -1);
    rc = cgan_layer_create_linear(&l, 2 * w * 16, 16 * w, 0);
    p = gb_add(&b, rc, l, "proj1", h, -1);
    if (cgan__cfg_int(c, CGAN_CONFIG_PROJ_ACTIVATION)) {
        rc = cgan_layer_create_leaky_relu(&l, slope, 0);
        p = gb_add(&b, rc, l, "proj_act", p, -1);
    }
    rc = cgan_layer_create_linear(&l, 16 * w, dim, 0);
    p = gb_add(&b, rc, l, "proj2", p, -1);
    e = proxy_reuse ? plane : gb_condition(&b, "proxy", y, c, dim);
    if (b.rc == CGAN_OK) b.rc = cgan_model_add_output(b.m, d, NULL);
    if (b.rc == CGAN_OK) b.rc = cgan_model_add_output(b.m, p, NULL);
    if (b.rc == CGAN_OK) b.rc = cgan_model_add_output(b.m, e, NULL);
    gb_init(&b, c, rng);
    if (b.rc == CGAN_OK && rng && k > 0 && !proxy_reuse) b.rc = init_continuous_proxy(b.m, rng, k, dim);
    return gb_finish(&b, out);
}
