/* Bad arguments and wrong call order return the documented status with a
 * message that names the function or node. */
#include "nn_models.h"

static int has(const char *needle) { return strstr(cgan_last_error(), needle) != NULL; }

START_TEST(constructor_arguments) {
    cgan_layer *l = (cgan_layer *)1;
    CK_FAILS(cgan_layer_create_linear(NULL, 2, 3, 0), CGAN_EINVAL);
    CK_FAILS(cgan_layer_create_linear(&l, 0, 3, 0), CGAN_EINVAL);
    ck_assert_ptr_null(l);
    CK_FAILS(cgan_layer_create_linear(&l, 2, 3, 0x80), CGAN_EINVAL);
    CK_FAILS(cgan_layer_create_conv2d(&l, 1, 2, 0, 1, 0, 0), CGAN_EINVAL);
    CK_FAILS(cgan_layer_create_conv2d(&l, 1, 2, 3, 0, 0, 0), CGAN_EINVAL);
    CK_FAILS(cgan_layer_create_convt2d(&l, 1, 2, 3, 1, -1, 0), CGAN_EINVAL);
    CK_FAILS(cgan_layer_create_batchnorm2d(&l, 4, 0.0, 0.1, 0), CGAN_EINVAL);
    CK_FAILS(cgan_layer_create_batchnorm2d(&l, 4, 1e-5, 1.5, 0), CGAN_EINVAL);
    CK_FAILS(cgan_layer_create_batchnorm2d_lrelu(&l, 4, 1e-5, 0.1, -0.2, 0), CGAN_EINVAL);
    CK_FAILS(cgan_layer_create_conv2d_lrelu(&l, 1, 4, 4, 2, 1, -0.2, 0), CGAN_EINVAL);
    CK_FAILS(cgan_layer_create_conv2d_lrelu(&l, 1, 4, 4, 2, 1, NAN, 0), CGAN_EINVAL);
    CK_FAILS(cgan_layer_create_conv2d_lrelu(&l, 0, 4, 4, 2, 1, 0.2, 0), CGAN_EINVAL);
    CK_FAILS(cgan_layer_create_self_attention(&l, 12, 0), CGAN_EINVAL);
    ck_assert(has("multiple of 8"));
    CK_FAILS(cgan_layer_create_embedding(&l, 0, 4, 0), CGAN_EINVAL);
    CK_FAILS(cgan_layer_create_reshape(&l, 4, (int64_t[]){1, 2, 3, 4}, 0), CGAN_EINVAL);
    CK_FAILS(cgan_layer_create_reshape(&l, 2, NULL, 0), CGAN_EINVAL);
    CK_FAILS(cgan_layer_create_leaky_relu(&l, NAN, 0), CGAN_EINVAL);
    CK_FAILS(cgan_layer_create_mul(&l, 1), CGAN_EINVAL);
    ck_assert_str_eq(cgan_layer_kind(NULL), "");
    ck_assert_int_eq(cgan_layer_num_params(NULL), 0);
    cgan_layer_destroy(NULL);
}
END_TEST

START_TEST(layer_call_errors) {
    cgan_layer *conv, *emb, *bn;
    cgan_tensor *x, *bad, *dy, *lab;
    const cgan_tensor *y, *din[1];
    CK_OK(cgan_layer_create_conv2d(&conv, 3, 4, 4, 2, 1, 0));
    CK_OK(cgan_tensor_create4(&x, 2, 3, 8, 8));
    CK_OK(cgan_tensor_create4(&bad, 2, 2, 8, 8));
    CK_OK(cgan_tensor_create4(&dy, 2, 4, 3, 3));
    const cgan_tensor *in[1] = {x}, *inbad[1] = {bad};
    CK_FAILS(cgan_layer_forward(NULL, in, 1, 0, &y), CGAN_EINVAL);
    CK_FAILS(cgan_layer_forward(conv, NULL, 1, 0, &y), CGAN_EINVAL);
    CK_FAILS(cgan_layer_forward(conv, in, 2, 0, &y), CGAN_EINVAL);
    CK_FAILS(cgan_layer_forward(conv, in, 1, CGAN_MODE_TRAIN | CGAN_MODE_EVAL, &y), CGAN_EINVAL);
    CK_FAILS(cgan_layer_forward(conv, inbad, 1, 0, &y), CGAN_ESHAPE);
    ck_assert(has("conv2d") && has("[2, 2, 8, 8]"));
    /* backward before any forward, and after a NO_GRAD forward */
    CK_FAILS(cgan_layer_backward(conv, in, 1, dy, CGAN_GRAD_INPUTS, din), CGAN_ESTATE);
    CK_OK(cgan_layer_forward(conv, in, 1, CGAN_MODE_NO_GRAD, &y));
    CK_FAILS(cgan_layer_backward(conv, in, 1, dy, CGAN_GRAD_INPUTS, din), CGAN_ESTATE);
    CK_OK(cgan_layer_forward(conv, in, 1, 0, &y));
    CK_FAILS(cgan_layer_backward(conv, in, 1, dy, CGAN_GRAD_INPUTS, din), CGAN_ESHAPE);
    ck_assert(has("dout"));
    CK_FAILS(cgan_layer_backward(conv, in, 1, NULL, CGAN_GRAD_INPUTS, din), CGAN_EINVAL);
    CK_FAILS(cgan_layer_backward(conv, inbad, 1, y, CGAN_GRAD_INPUTS, din), CGAN_ESHAPE);
    CK_FAILS(cgan_layer_backward(conv, in, 1, y, 0x10, din), CGAN_EINVAL);
    CK_OK(cgan_layer_backward(conv, in, 1, y, CGAN_GRAD_INPUTS, din));
    /* a failed forward leaves nothing to backward */
    CK_FAILS(cgan_layer_forward(conv, inbad, 1, 0, &y), CGAN_ESHAPE);
    CK_FAILS(cgan_layer_backward(conv, in, 1, dy, CGAN_GRAD_INPUTS, din), CGAN_ESTATE);
    CK_FAILS(cgan_layer_get_param(conv, 2, NULL, NULL, NULL), CGAN_EINVAL);
    CK_FAILS(cgan_layer_get_buffer(conv, 0, NULL, NULL), CGAN_EINVAL);
    CK_FAILS(cgan_layer_init(conv, NULL, CGAN_INIT_GAN), CGAN_EINVAL);

    /* labels: out of range and not whole numbers, naming the index */
    CK_OK(cgan_layer_create_embedding(&emb, 8, 4, 0));
    CK_OK(cgan_tensor_create4(&lab, 3, 0, 0, 0));
    float l1[3] = {0, 7, 8}, l2[3] = {1.5f, 0, 0}, l3[3] = {0, -1, 0};
    const cgan_tensor *lin[1] = {lab};
    CK_OK(cgan_tensor_set_data(lab, l1, 3));
    CK_FAILS(cgan_layer_forward(emb, lin, 1, 0, &y), CGAN_EINVAL);
    ck_assert(has("label 8 at index 2"));
    CK_OK(cgan_tensor_set_data(lab, l2, 3));
    CK_FAILS(cgan_layer_forward(emb, lin, 1, 0, &y), CGAN_EINVAL);
    ck_assert(has("index 0"));
    CK_OK(cgan_tensor_set_data(lab, l3, 3));
    CK_FAILS(cgan_layer_forward(emb, lin, 1, 0, &y), CGAN_EINVAL);
    ck_assert(has("index 1"));

    /* train-mode BN needs more than one value per channel */
    cgan_tensor *one;
    CK_OK(cgan_layer_create_batchnorm2d(&bn, 3, 1e-5, 0.1, 0));
    CK_OK(cgan_tensor_create4(&one, 1, 3, 1, 1));
    const cgan_tensor *oin[1] = {one};
    CK_FAILS(cgan_layer_forward(bn, oin, 1, CGAN_MODE_TRAIN, &y), CGAN_ESHAPE);
    CK_OK(cgan_layer_forward(bn, oin, 1, CGAN_MODE_EVAL, &y));

    cgan_tensor_destroy(one);
    cgan_tensor_destroy(x);
    cgan_tensor_destroy(bad);
    cgan_tensor_destroy(dy);
    cgan_tensor_destroy(lab);
    cgan_layer_destroy(conv);
    cgan_layer_destroy(emb);
    cgan_layer_destroy(bn);
}
END_TEST

START_TEST(model_errors) {
    cgan_model *m, *m2;
    cgan_layer *l, *l2;
    int x, v;
    CK_FAILS(cgan_model_create(NULL, "x"), CGAN_EINVAL);
    CK_OK(cgan_model_create(&m, "critic"));
    CK_OK(cgan_model_create(&m2, NULL));
    CK_OK(cgan_model_add_input(m, "image", &x));
    CK_OK(cgan_layer_create_conv2d(&l, 1, 2, 4, 2, 1, 0));
    CK_FAILS(cgan_model_add_node(m, "bad.name", l, &x, 1, &v), CGAN_EINVAL);
    CK_FAILS(cgan_model_add_node(m, "conv1", l, (int[]){5}, 1, &v), CGAN_EINVAL);
    ck_assert(has("value 5"));
    CK_FAILS(cgan_model_add_node(m, "conv1", l, &x, 2, &v), CGAN_EINVAL);
    CK_FAILS(cgan_model_add_node(m, "conv1", NULL, &x, 1, &v), CGAN_EINVAL);
    CK_OK(cgan_model_add_node(m, "conv1", l, &x, 1, &v));
    /* owned now: not usable standalone, not addable elsewhere, destroy ignored */
    CK_FAILS(cgan_layer_forward(l, NULL, 1, 0, NULL), CGAN_ESTATE);
    CK_FAILS(cgan_model_add_node(m2, "conv1", l, &x, 1, NULL), CGAN_EINVAL);
    cgan_layer_destroy(l);
    CK_OK(cgan_layer_create_tanh(&l2, 0));
    CK_FAILS(cgan_model_add_node(m, "conv1", l2, &v, 1, NULL), CGAN_EINVAL);
    ck_assert(has("used twice"));
    cgan_layer_destroy(l2); /* the caller still owns it after a failure */

    cgan_tensor *img, *wrong, *d;
    const cgan_tensor *o;
    CK_OK(cgan_tensor_create4(&img, 2, 1, 8, 8));
    CK_OK(cgan_tensor_create4(&wrong, 2, 3, 8, 8));
    const cgan_tensor *in[1] = {img}, *inw[1] = {wrong};
    CK_FAILS(cgan_model_forward(m, in, 1, 0), CGAN_ESTATE); /* no outputs yet */
    CK_FAILS(cgan_model_add_output(m, 7, NULL), CGAN_EINVAL);
    CK_OK(cgan_model_add_output(m, v, NULL));
    CK_FAILS(cgan_model_get_output(m, 0, &o), CGAN_ESTATE);
    CK_FAILS(cgan_model_backward(m, NULL, 0, CGAN_GRAD_PARAMS), CGAN_ESTATE);
    CK_FAILS(cgan_model_forward(m, in, 2, 0), CGAN_EINVAL);
    CK_FAILS(cgan_model_forward(m, (const cgan_tensor *[]){NULL}, 1, 0), CGAN_EINVAL);
    CK_FAILS(cgan_model_forward(m, inw, 1, 0), CGAN_ESHAPE);
    ck_assert(has("node 'conv1'") && has("conv2d"));
    CK_FAILS(cgan_model_forward(m, in, 1, 0x40), CGAN_EINVAL);
    CK_OK(cgan_model_forward(m, in, 1, 0));
    CK_FAILS(cgan_model_get_output(m, 1, &o), CGAN_EINVAL);
    CK_OK(cgan_model_get_output(m, 0, &o));
    CK_OK(cgan_tensor_create4(&d, 2, 2, 5, 5));
    const cgan_tensor *dd[1] = {d};
    CK_FAILS(cgan_model_backward(m, dd, 1, CGAN_GRAD_PARAMS), CGAN_ESHAPE);
    CK_FAILS(cgan_model_backward(m, dd, 2, CGAN_GRAD_PARAMS), CGAN_EINVAL);
    CK_FAILS(cgan_model_backward(m, dd, 1, 0x8), CGAN_EINVAL);
    CK_FAILS(cgan_model_get_input_grad(m, 3, &o), CGAN_EINVAL);
    CK_FAILS(cgan_model_get_param(m, 2, NULL, NULL, NULL), CGAN_EINVAL);
    CK_FAILS(cgan_model_get_buffer(m, 0, NULL, NULL), CGAN_EINVAL);
    CK_FAILS(cgan_model_find_buffer(m, "conv1.weight", NULL), CGAN_EINVAL);
    CK_FAILS(cgan_model_get_layer(m, "conv9", &l), CGAN_EINVAL);
    CK_FAILS(cgan_model_init(m, NULL, CGAN_INIT_GAN), CGAN_EINVAL);
    cgan_rng *r;
    CK_OK(cgan_rng_create(&r, 1));
    CK_FAILS(cgan_model_init(m, r, 7), CGAN_EINVAL);
    cgan_rng_destroy(r);
    CK_FAILS(cgan_model_forward(NULL, in, 1, 0), CGAN_EINVAL);
    CK_FAILS(cgan_model_backward(NULL, NULL, 0, 0), CGAN_EINVAL);
    CK_FAILS(cgan_model_zero_grad(NULL), CGAN_EINVAL);
    ck_assert_int_eq(cgan_model_num_params(NULL), 0);
    cgan_tensor_destroy(img);
    cgan_tensor_destroy(wrong);
    cgan_tensor_destroy(d);
    cgan_model_destroy(m);
    cgan_model_destroy(m2);
    cgan_model_destroy(NULL);
}
END_TEST

START_TEST(optim_errors) {
    cgan_model *m = mini_critic();
    cgan_optim *o;
    double v;
    cgan_tensor *t;
    CK_FAILS(cgan_optim_create(&o, CGAN_OPTIM_RMSPROP, NULL), CGAN_EINVAL);
    CK_FAILS(cgan_optim_create(&o, 9, m), CGAN_EINVAL);
    CK_OK(cgan_optim_create(&o, CGAN_OPTIM_RMSPROP, m));
    CK_FAILS(cgan_optim_set(o, CGAN_OPTIM_BETA1, 0.9), CGAN_EINVAL);
    ck_assert(has("beta1"));
    CK_FAILS(cgan_optim_set(o, CGAN_OPTIM_ALPHA, 1.0), CGAN_EINVAL);
    CK_FAILS(cgan_optim_set(o, CGAN_OPTIM_LR, NAN), CGAN_EINVAL);
    CK_FAILS(cgan_optim_set(o, CGAN_OPTIM_LR, -1.0), CGAN_EINVAL);
    CK_FAILS(cgan_optim_set(o, 99, 1.0), CGAN_EINVAL);
    CK_FAILS(cgan_optim_get(o, CGAN_OPTIM_NESTEROV, &v), CGAN_EINVAL);
    CK_OK(cgan_optim_get(o, CGAN_OPTIM_ALPHA, &v));
    ck_assert(v == 0.99);
    CK_OK(cgan_optim_get(o, CGAN_OPTIM_EPS, &v));
    ck_assert(v == 1e-8);
    CK_FAILS(cgan_optim_find_state(o, "critic.conv1.weight.exp_avg", &t), CGAN_EINVAL);
    CK_OK(cgan_optim_find_state(o, "critic.conv1.weight.square_avg", &t));
    ck_assert_int_eq(cgan_optim_num_states(o), cgan_model_num_params(m));
    CK_OK(cgan_optim_set(o, CGAN_OPTIM_MOMENTUM, 0.5));
    ck_assert_int_eq(cgan_optim_num_states(o), 2 * cgan_model_num_params(m));
    CK_FAILS(cgan_optim_get_state(o, 1000, NULL, NULL), CGAN_EINVAL);
    CK_FAILS(cgan_optim_set_step(o, -1), CGAN_EINVAL);
    cgan_optim_destroy(o);
    CK_OK(cgan_optim_create(&o, CGAN_OPTIM_SGD, m));
    ck_assert_int_eq(cgan_optim_num_states(o), 0); /* no momentum, no state */
    CK_OK(cgan_optim_set(o, CGAN_OPTIM_NESTEROV, 1));
    CK_FAILS(cgan_optim_step(o), CGAN_EINVAL);
    ck_assert(has("Nesterov"));
    cgan_optim_destroy(o);
    cgan_optim_destroy(NULL);
    CK_FAILS(cgan_optim_step(NULL), CGAN_EINVAL);
    cgan_model_destroy(m);
}
END_TEST

Suite *cgan_test_nn_errors_suite(void) {
    Suite *s = suite_create("nn_errors");
    TCase *tc = tcase_create("errors");
    tcase_add_test(tc, constructor_arguments);
    tcase_add_test(tc, layer_call_errors);
    tcase_add_test(tc, model_errors);
    tcase_add_test(tc, optim_errors);
    suite_add_tcase(s, tc);
    return s;
}
