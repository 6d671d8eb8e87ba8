/* The paper model: builders (parameter counts and names of Tables 1-2),
 * configuration, training steps and loop, checkpoints and resume. */
#include <stdlib.h>
#include <unistd.h>

#include "fixture.h"
#include "gan_test_util.h"

START_TEST(paper_parameter_counts) {
    cgan_config *c;
    cgan_model *g, *d;
    CK_OK(cgan_config_create(&c, CGAN_PRESET_PAPER));
    CK_OK(cgan_build_generator(&g, c, NULL));
    CK_OK(cgan_build_critic(&d, c, NULL));
    ck_assert_int_eq(cgan_model_count_trainable(g), 3883604);
    ck_assert_int_eq(cgan_model_count_trainable(d), 3416897);
    cgan_tensor *t;
    const char *names[] = {"generator.embed.weight", "generator.fc.weight", "generator.up1.weight",
                           "generator.attn.query.weight", "generator.attn.gamma", "generator.up5.bias",
                           "generator.bn_out.weight"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) CK_OK(cgan_model_find_param(g, names[i], &t, NULL));
    CK_OK(cgan_model_find_param(g, "generator.up1.weight", &t, NULL));
    ck_assert_int_eq(cgan_tensor_dim(t, 0), 512);
    ck_assert_int_eq(cgan_tensor_dim(t, 1), 256);
    CK_OK(cgan_model_find_param(d, "critic.conv5.weight", &t, NULL));
    ck_assert_int_eq(cgan_tensor_dim(t, 1), 257);
    CK_OK(cgan_model_find_param(d, "critic.proxy.weight", &t, NULL));
    CK_OK(cgan_model_find_buffer(d, "critic.bn5.num_batches_tracked", &t));
    CK_FAILS(cgan_model_find_param(d, "critic.bn1.weight", &t, NULL), CGAN_EINVAL);
    /* Table 2's "Conv + LReLU (no BN)" is one fused layer */
    cgan_layer *l;
    CK_OK(cgan_model_get_layer(d, "conv1", &l));
    ck_assert_str_eq(cgan_layer_kind(l), "conv2d_lrelu");
    cgan_model_destroy(g);
    cgan_model_destroy(d);
    cgan_config_destroy(c);
}
END_TEST

/* Image sizes 64 and 256 and continuous conditions build and run. */
START_TEST(variants_build_and_run) {
    int sizes[] = {64, 256};
    for (int v = 0; v < 3; v++) {
        cgan_config *c;
        cgan_gan *g;
        cgan_tensor *z, *cond, *out;
        CK_OK(cgan_config_create(&c, CGAN_PRESET_SMALL));
        CK_OK(cgan_config_set(c, CGAN_CONFIG_G_WIDTH, 8));
        CK_OK(cgan_config_set(c, CGAN_CONFIG_D_WIDTH, 8));
        if (v < 2) CK_OK(cgan_config_set(c, CGAN_CONFIG_IMAGE_SIZE, sizes[v]));
        else CK_OK(cgan_config_set(c, CGAN_CONFIG_COND_DIM, 2));
        int64_t s = v == 1 ? 256 : 64;
        CK_OK(cgan_gan_create(&g, c, 5));
        CK_OK(cgan_tensor_create4(&z, 3, 128, 0, 0));
        CK_OK(cgan_gan_noise(g, 1, z));
        if (v < 2) {
            CK_OK(cgan_tensor_create4(&cond, 3, 0, 0, 0));
            cgan_tensor_data(cond)[1] = 7;
        } else {
            CK_OK(cgan_tensor_create4(&cond, 3, 2, 0, 0));
            CK_OK(cgan_tensor_fill(cond, 0.5f));
        }
        CK_OK(cgan_tensor_create4(&out, 3, 1, s, s));
        CK_OK(cgan_gan_generate(g, z, cond, 0, out));
        for (int64_t i = 0; i < cgan_tensor_numel(out); i++)
            ck_assert(fabsf(cgan_tensor_data(out)[i]) <= 1.0f);
        CK_OK(cgan_gan_critic_step(g, out, cond, z, cond));
        CK_OK(cgan_gan_generator_step(g, z, cond));
        cgan_tensor_destroy(z);
        cgan_tensor_destroy(cond);
        cgan_tensor_destroy(out);
        cgan_gan_destroy(g);
        cgan_config_destroy(c);
    }
}
END_TEST

START_TEST(config_keys_and_errors) {
    cgan_config *c;
    double v;
    int key;
    const char *name;
    CK_OK(cgan_config_create(&c, CGAN_PRESET_PAPER));
    CK_OK(cgan_config_get_by_name(c, "clip", &v));
    ck_assert_double_eq(v, 0.009);
    CK_OK(cgan_config_get(c, CGAN_CONFIG_N_CRITIC, &v));
    ck_assert_double_eq(v, 4);
    CK_OK(cgan_config_get(c, CGAN_CONFIG_LR_D, &v));
    ck_assert_double_eq(v, 2e-4);
    CK_OK(cgan_config_get(c, CGAN_CONFIG_TEMPERATURE, &v));
    ck_assert_double_eq(v, 0.1);
    CK_FAILS(cgan_config_set(c, CGAN_CONFIG_IMAGE_SIZE, 100), CGAN_EINVAL);
    ck_assert_ptr_nonnull(strstr(cgan_last_error(), "image_size"));
    CK_FAILS(cgan_config_set(c, CGAN_CONFIG_BATCH, 2.5), CGAN_EINVAL);
    CK_FAILS(cgan_config_set_by_name(c, "learning_rate", 1), CGAN_EINVAL);
    ck_assert_ptr_nonnull(strstr(cgan_last_error(), "learning_rate"));
    CK_FAILS(cgan_config_set(c, 999, 1), CGAN_EINVAL);
    CK_OK(cgan_config_set(c, CGAN_CONFIG_PROXY_REUSE, 1));
    CK_OK(cgan_config_set(c, CGAN_CONFIG_EMBED_DIM, 32));
    cgan_model *m;
    CK_FAILS(cgan_build_critic(&m, c, NULL), CGAN_EINVAL);
    ck_assert_ptr_null(m);
    int n = 0;
    while (cgan_config_key_at(n, &key, &name) == CGAN_OK) n++;
    ck_assert_int_ge(n, 27);
    cgan_config_destroy(c);
}
END_TEST

static cgan_gan *tiny_gan(uint64_t seed) {
    cgan_config *c;
    cgan_gan *g;
    CK_OK(cgan_config_create(&c, CGAN_PRESET_SMALL));
    CK_OK(cgan_config_set(c, CGAN_CONFIG_G_WIDTH, 8));
    CK_OK(cgan_config_set(c, CGAN_CONFIG_D_WIDTH, 8));
    CK_OK(cgan_config_set(c, CGAN_CONFIG_NUM_CLASSES, 4));
    CK_OK(cgan_config_set(c, CGAN_CONFIG_BATCH, 8));
    CK_OK(cgan_gan_create(&g, c, seed));
    cgan_config_destroy(c);
    return g;
}

/* Every parameter, buffer and optimizer state of two GANs bit-identical. */
static void assert_same_state(cgan_gan *a, cgan_gan *b) {
    cgan_model *ma[2] = {cgan_gan_generator(a), cgan_gan_critic(a)};
    cgan_model *mb[2] = {cgan_gan_generator(b), cgan_gan_critic(b)};
    for (int k = 0; k < 2; k++) {
        ck_assert_int_eq(cgan_model_num_params(ma[k]), cgan_model_num_params(mb[k]));
        for (int i = 0; i < cgan_model_num_params(ma[k]); i++) {
            const char *name;
            cgan_tensor *x, *y;
            CK_OK(cgan_model_get_param(ma[k], i, &name, &x, NULL));
            CK_OK(cgan_model_get_param(mb[k], i, NULL, &y, NULL));
            ck_assert_msg(!memcmp(cgan_tensor_data(x), cgan_tensor_data(y), sizeof(float) * (size_t)cgan_tensor_numel(x)),
                          "%s differs", name);
        }
        for (int i = 0; i < cgan_model_num_buffers(ma[k]); i++) {
            const char *name;
            cgan_tensor *x, *y;
            CK_OK(cgan_model_get_buffer(ma[k], i, &name, &x));
            CK_OK(cgan_model_get_buffer(mb[k], i, NULL, &y));
            ck_assert_msg(!memcmp(cgan_tensor_data(x), cgan_tensor_data(y), sizeof(float) * (size_t)cgan_tensor_numel(x)),
                          "%s differs", name);
        }
    }
}

/* Training N iterations in one go equals training k, saving, loading and
 * training N - k: the checkpoint holds the whole state. */
START_TEST(resume_is_bit_exact) {
    const char *dir = test_tmpdir();
    char data[512], ckpt[512];
    cgan_dataset *d;
    snprintf(data, sizeof data, "%s/data.npz", dir);
    snprintf(ckpt, sizeof ckpt, "%s/ckpt.npz", dir);
    write_tiny_dataset(data, 24, 64, 4);
    CK_OK(cgan_dataset_load(&d, data));
    cgan_gan *straight = tiny_gan(11), *first = tiny_gan(11), *resumed;
    CK_OK(cgan_gan_adopt_dataset(straight, d));
    CK_OK(cgan_gan_adopt_dataset(first, d));
    CK_OK(cgan_gan_train(straight, d, 3, NULL, NULL));
    CK_OK(cgan_gan_train(first, d, 1, NULL, NULL));
    CK_OK(cgan_gan_save(first, ckpt));
    CK_OK(cgan_gan_load(&resumed, ckpt));
    ck_assert_str_eq(cgan_gan_class_name(resumed, 2), "class2");
    CK_OK(cgan_gan_train(resumed, d, 2, NULL, NULL));
    assert_same_state(straight, resumed);
    double a, b;
    CK_OK(cgan_gan_get_metric(straight, CGAN_METRIC_GEN_STEPS, &a));
    CK_OK(cgan_gan_get_metric(resumed, CGAN_METRIC_GEN_STEPS, &b));
    ck_assert_double_eq(a, 3);
    ck_assert_double_eq(b, 3);
    CK_OK(cgan_gan_get_metric(straight, CGAN_METRIC_WASSERSTEIN, &a));
    CK_OK(cgan_gan_get_metric(resumed, CGAN_METRIC_WASSERSTEIN, &b));
    ck_assert(a == b);
    /* Critic parameters stay clipped. */
    cgan_model *m = cgan_gan_critic(resumed);
    for (int i = 0; i < cgan_model_num_params(m); i++) {
        cgan_tensor *t;
        CK_OK(cgan_model_get_param(m, i, NULL, &t, NULL));
        for (int64_t j = 0; j < cgan_tensor_numel(t); j++) ck_assert(fabsf(cgan_tensor_data(t)[j]) <= 0.009f);
    }
    cgan_gan_destroy(straight);
    cgan_gan_destroy(first);
    cgan_gan_destroy(resumed);
    cgan_dataset_destroy(d);
    unlink(data);
    unlink(ckpt);
    rmdir(dir);
}
END_TEST

static int stop_after_two(cgan_gan *g, int kind, void *user) {
    (void)g;
    return kind == CGAN_STEP_GENERATOR && ++*(int *)user >= 2;
}

START_TEST(callback_stops_training_cleanly) {
    const char *dir = test_tmpdir();
    char data[512];
    cgan_dataset *d;
    int calls = 0;
    double v;
    snprintf(data, sizeof data, "%s/data.npz", dir);
    write_tiny_dataset(data, 16, 64, 4);
    CK_OK(cgan_dataset_load(&d, data));
    cgan_gan *g = tiny_gan(3);
    CK_FAILS(cgan_gan_train(g, d, 10, stop_after_two, &calls), CGAN_EINTERRUPTED);
    CK_OK(cgan_gan_get_metric(g, CGAN_METRIC_GEN_STEPS, &v));
    ck_assert_double_eq(v, 2);
    CK_OK(cgan_gan_get_metric(g, CGAN_METRIC_CRITIC_STEPS, &v));
    ck_assert_double_eq(v, 8);
    cgan_gan_destroy(g);
    cgan_dataset_destroy(d);
    unlink(data);
    rmdir(dir);
}
END_TEST

/* A NaN in the data makes the step fail with CGAN_ENUMERIC and change no
 * parameter. */
START_TEST(non_finite_loss_changes_nothing) {
    cgan_gan *g = tiny_gan(4), *ref = tiny_gan(4);
    cgan_tensor *x, *y, *z;
    CK_OK(cgan_tensor_create4(&x, 8, 1, 64, 64));
    CK_OK(cgan_tensor_create4(&y, 8, 0, 0, 0));
    CK_OK(cgan_tensor_create4(&z, 8, 128, 0, 0));
    cgan_tensor_data(x)[100] = NAN;
    CK_FAILS(cgan_gan_critic_step(g, x, y, z, y), CGAN_ENUMERIC);
    cgan_model *a = cgan_gan_critic(g), *b = cgan_gan_critic(ref);
    for (int i = 0; i < cgan_model_num_params(a); i++) {
        cgan_tensor *p, *q;
        CK_OK(cgan_model_get_param(a, i, NULL, &p, NULL));
        CK_OK(cgan_model_get_param(b, i, NULL, &q, NULL));
        ck_assert(!memcmp(cgan_tensor_data(p), cgan_tensor_data(q), sizeof(float) * (size_t)cgan_tensor_numel(p)));
    }
    cgan_tensor_destroy(x);
    cgan_tensor_destroy(y);
    cgan_tensor_destroy(z);
    cgan_gan_destroy(g);
    cgan_gan_destroy(ref);
}
END_TEST

START_TEST(bad_arguments) {
    cgan_gan *g = tiny_gan(1), *none;
    cgan_tensor *x, *y, *z, *wrong;
    CK_OK(cgan_tensor_create4(&x, 8, 1, 64, 64));
    CK_OK(cgan_tensor_create4(&y, 8, 0, 0, 0));
    CK_OK(cgan_tensor_create4(&z, 8, 128, 0, 0));
    CK_OK(cgan_tensor_create4(&wrong, 8, 1, 32, 32));
    CK_FAILS(cgan_gan_critic_step(g, wrong, y, z, y), CGAN_ESHAPE);
    ck_assert_ptr_nonnull(strstr(cgan_last_error(), "[8, 1, 32, 32]"));
    CK_FAILS(cgan_gan_critic_step(g, x, z, z, y), CGAN_ESHAPE);
    CK_FAILS(cgan_gan_generator_step(g, y, y), CGAN_ESHAPE);
    cgan_tensor_data(y)[3] = 9; /* class 9 of 4 */
    CK_FAILS(cgan_gan_generator_step(g, z, y), CGAN_EINVAL);
    CK_FAILS(cgan_gan_generate(g, z, y, 0, wrong), CGAN_ESHAPE);
    CK_FAILS(cgan_gan_critic_step(NULL, x, y, z, y), CGAN_EINVAL);
    CK_FAILS(cgan_gan_scale_conditions(g, (double[]){1}, 1, x), CGAN_EINVAL);
    CK_FAILS(cgan_gan_load(&none, "/nonexistent/ckpt.npz"), CGAN_EIO);
    ck_assert_ptr_null(none);
    CK_FAILS(cgan_gan_save(g, "/nonexistent-dir/ckpt.npz"), CGAN_EIO);
    cgan_tensor_destroy(x);
    cgan_tensor_destroy(y);
    cgan_tensor_destroy(z);
    cgan_tensor_destroy(wrong);
    cgan_gan_destroy(g);
}
END_TEST

/* Truncated, corrupted and foreign files: a format error naming the member
 * (or the archive), never a crash. */
START_TEST(damaged_checkpoints_are_rejected) {
    const char *dir = test_tmpdir();
    char ckpt[512], bad[512];
    cgan_gan *g = tiny_gan(2), *back;
    snprintf(ckpt, sizeof ckpt, "%s/ok.npz", dir);
    snprintf(bad, sizeof bad, "%s/bad.npz", dir);
    CK_OK(cgan_gan_save(g, ckpt));
    FILE *fp = fopen(ckpt, "rb");
    fseek(fp, 0, SEEK_END);
    long size = ftell(fp);
    unsigned char *buf = malloc((size_t)size);
    fseek(fp, 0, SEEK_SET);
    ck_assert_int_eq(fread(buf, 1, (size_t)size, fp), size);
    fclose(fp);
    for (int trial = 0; trial < 24; trial++) {
        long len = trial < 12 ? size * trial / 12 : size;
        if (trial >= 12) buf[(size / 13) * (trial - 11)] ^= 0x5a;
        fp = fopen(bad, "wb");
        fwrite(buf, 1, (size_t)len, fp);
        fclose(fp);
        int rc = cgan_gan_load(&back, bad);
        if (rc == CGAN_OK) { /* a flip in bytes that carry no meaning */
            cgan_gan_destroy(back);
            continue;
        }
        ck_assert_msg(rc == CGAN_EFORMAT || rc == CGAN_EVERSION, "trial %d: %d %s", trial, rc, cgan_last_error());
        ck_assert_ptr_nonnull(strstr(cgan_last_error(), "bad.npz"));
        if (trial >= 12) buf[(size / 13) * (trial - 11)] ^= 0x5a;
    }
    /* A data set is not a checkpoint. */
    write_tiny_dataset(bad, 4, 64, 2);
    CK_FAILS(cgan_gan_load(&back, bad), CGAN_EFORMAT);
    ck_assert_ptr_nonnull(strstr(cgan_last_error(), "not a libcgan checkpoint"));
    free(buf);
    cgan_gan_destroy(g);
    unlink(ckpt);
    unlink(bad);
    rmdir(dir);
}
END_TEST

Suite *cgan_test_gan_model_suite(void) {
    Suite *s = suite_create("gan_model");
    TCase *tc = tcase_create("model");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, paper_parameter_counts);
    tcase_add_test(tc, variants_build_and_run);
    tcase_add_test(tc, config_keys_and_errors);
    tcase_add_test(tc, resume_is_bit_exact);
    tcase_add_test(tc, callback_stops_training_cleanly);
    tcase_add_test(tc, non_finite_loss_changes_nothing);
    tcase_add_test(tc, bad_arguments);
    tcase_add_test(tc, damaged_checkpoints_are_rejected);
    suite_add_tcase(s, tc);
    return s;
}
