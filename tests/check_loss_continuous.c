/* The continuous contrastive loss: finite differences on the double kernel
 * for every distance, reduction and target, PyTorch autograd fixtures
 * through the public API, the edge cases of math-spec 4.4 and the
 * argument errors. */
#include "loss_test_util.h"
#include "losses/loss_internal.h"

static const char *const distance_name[] = {"cos", "l2", "l2n"};
static const char *const reduction_name[] = {"paper", "pairmean"};

/* ------------------------------------------------- finite differences */
typedef struct ctx_ccl {
    cgan__ccl_params p;
    int64_t m, dl, de, k;
    const double *l, *e, *cond;
    double *ws;
    int wrt_e;
} ctx_ccl;

static double value_ccl(void *q, const double *x) {
    ctx_ccl *c = q;
    cgan__ccl_stats st;
    return cgan__loss_ccl(&c->p, c->m, c->dl, c->wrt_e ? c->l : x, c->de, c->wrt_e ? x : c->e,
                          c->k, c->cond, NULL, NULL, c->ws, &st);
}

static void fd_case(cgan__ccl_params p, uint64_t seed) {
    const int64_t m = 7, dl = 5, de = 4, k = 2;
    cgan_rng *r;
    CK_OK(cgan_rng_create(&r, seed));
    double *l = malloc(sizeof(double) * m * dl), *e = malloc(sizeof(double) * m * de);
    double *cond = malloc(sizeof(double) * m * k);
    double *gl = malloc(sizeof(double) * m * dl), *ge = malloc(sizeof(double) * m * de);
    double *ws = malloc(sizeof(double) * cgan__loss_ccl_workspace(m, dl, de));
    fill_normal(r, l, m * dl, 1.0);
    fill_normal(r, e, m * de, 1.0);
    for (int64_t i = 0; i < m * k; i++) cond[i] = 2.0 * cgan_rng_uniform(r) - 1.0;
    cgan__ccl_stats st;
    double v = cgan__loss_ccl(&p, m, dl, l, de, e, k, cond, gl, ge, ws, &st);
    ck_assert(isfinite(v) && v > 0.0);
    ck_assert_int_gt(st.active_pairs, 0);
    ctx_ccl c = {p, m, dl, de, k, l, e, cond, ws, 0};
    double err_l = fd_check(value_ccl, &c, l, gl, m * dl, 1e-6), err_e = 0.0;
    if (p.target == CGAN_TARGET_LEARNED) {
        c.wrt_e = 1;
        err_e = fd_check(value_ccl, &c, e, ge, m * de, 1e-6);
    }
    if (getenv("CGAN_TEST_VERBOSE"))
        fprintf(stderr, "  fd %s/%s/%s a %g d %g: dl %.2e de %.2e (%lld active)\n",
                distance_name[p.distance], reduction_name[p.reduction],
                p.target ? "fixed" : "learned", p.alpha, p.delta, err_l, err_e,
                (long long)st.active_pairs);
    ck_assert_msg(err_l < 1e-6 && err_e < 1e-6, "%s/%s target %d: fd error dl %.2e de %.2e",
                  distance_name[p.distance], reduction_name[p.reduction], p.target, err_l, err_e);
    free(l), free(e), free(cond), free(gl), free(ge), free(ws);
    cgan_rng_destroy(r);
}

START_TEST(fd_gradients) {
    uint64_t seed = 100;
    for (int dist = 0; dist < 3; dist++)
        for (int red = 0; red < 2; red++)
            for (int target = 0; target < 2; target++) {
                cgan__ccl_params p = {dist, red, target, 1.0, 0.1};
                fd_case(p, seed++);
            }
    cgan__ccl_params odd = {CGAN_DISTANCE_COS, CGAN_REDUCTION_PAPER, CGAN_TARGET_LEARNED, 0.4, 0.0};
    fd_case(odd, seed++);
    odd.distance = CGAN_DISTANCE_L2;
    odd.alpha = 2.5;
    odd.delta = 0.3;
    fd_case(odd, seed++);
}
END_TEST

/* ------------------------------------------------------- torch oracle */
typedef struct variant {
    const char *tag;
    int distance, reduction, target;
    double alpha, delta;
} variant;

static const variant variants[] = {
    {"_cos_paper", CGAN_DISTANCE_COS, CGAN_REDUCTION_PAPER, 0, 1.0, 0.1},
    {"_cos_pairmean", CGAN_DISTANCE_COS, CGAN_REDUCTION_PAIRMEAN, 0, 1.0, 0.1},
    {"_l2_paper", CGAN_DISTANCE_L2, CGAN_REDUCTION_PAPER, 0, 1.0, 0.1},
    {"_l2_pairmean", CGAN_DISTANCE_L2, CGAN_REDUCTION_PAIRMEAN, 0, 1.0, 0.1},
    {"_l2n_paper", CGAN_DISTANCE_L2N, CGAN_REDUCTION_PAPER, 0, 1.0, 0.1},
    {"_l2n_pairmean", CGAN_DISTANCE_L2N, CGAN_REDUCTION_PAIRMEAN, 0, 1.0, 0.1},
    {"_cos_a0.5_d0.05", CGAN_DISTANCE_COS, CGAN_REDUCTION_PAPER, 0, 0.5, 0.05},
    {"_l2_a0.3_d0", CGAN_DISTANCE_L2, CGAN_REDUCTION_PAPER, 0, 0.3, 0.0},
    {"_fixed_cos", CGAN_DISTANCE_COS, CGAN_REDUCTION_PAIRMEAN, CGAN_TARGET_FIXED, 1.0, 0.1},
};

static void torch_case(const char *name, const variant *vr) {
    char key[128];
    snprintf(key, sizeof key, "%s_l", name);
    cgan_tensor *l = fx_tensor(key);
    snprintf(key, sizeof key, "%s_e", name);
    cgan_tensor *e = fx_tensor(key);
    snprintf(key, sizeof key, "%s_cond", name);
    cgan_tensor *cond = fx_tensor(key);
    cgan_tensor *gl = zeros_like(l), *ge = zeros_like(e);
    cgan_loss *loss;
    double v;
    CK_OK(cgan_loss_create_continuous(&loss));
    CK_OK(cgan_loss_set_param(loss, "distance", vr->distance));
    CK_OK(cgan_loss_set_param(loss, "reduction", vr->reduction));
    CK_OK(cgan_loss_set_param(loss, "target", vr->target));
    CK_OK(cgan_loss_set_param(loss, "alpha", vr->alpha));
    CK_OK(cgan_loss_set_param(loss, "delta", vr->delta));
    CK_OK(cgan_loss_continuous(loss, l, vr->target ? NULL : e, cond, &v, gl,
                               vr->target ? NULL : ge));
    snprintf(key, sizeof key, "%s%s_value", name, vr->tag);
    double ref = fx_scalar(key);
    if (getenv("CGAN_TEST_VERBOSE"))
        fprintf(stderr, "  %s%s value %.12g torch %.12g\n", name, vr->tag, v, ref);
    ck_assert_msg(rel_diff(v, ref) < 1e-10, "%s%s: value %.17g, torch %.17g", name, vr->tag, v, ref);
    snprintf(key, sizeof key, "%s%s_grad_l", name, vr->tag);
    ck_assert_msg(fx_compare(gl, key) < 1e-5, "%s", key);
    if (!vr->target) {
        snprintf(key, sizeof key, "%s%s_grad_e", name, vr->tag);
        ck_assert_msg(fx_compare(ge, key) < 1e-5, "%s", key);
    }
    cgan_loss_destroy(loss);
    cgan_tensor_destroy(l), cgan_tensor_destroy(e), cgan_tensor_destroy(cond);
    cgan_tensor_destroy(gl), cgan_tensor_destroy(ge);
}

START_TEST(torch_m64) {
    for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++)
        torch_case("ccl_m64", &variants[i]);
}
END_TEST

START_TEST(torch_small) {
    for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++)
        torch_case("ccl_small", &variants[i]);
}
END_TEST

START_TEST(torch_zero_norm_rows) {
    torch_case("ccl_zero", &variants[0]);
    torch_case("ccl_zero", &variants[4]);
}
END_TEST

/* ------------------------------------------------------------ edge cases */
static cgan_tensor *matrix(int64_t m, int64_t d, const float *v) {
    cgan_tensor *t;
    CK_OK(cgan_tensor_create4(&t, m, d, 0, 0));
    CK_OK(cgan_tensor_set_data(t, v, m * d));
    return t;
}

static cgan_loss *ccl(int distance, int reduction, double alpha, double delta) {
    cgan_loss *loss;
    CK_OK(cgan_loss_create_continuous(&loss));
    CK_OK(cgan_loss_set_option(loss, "distance", distance_name[distance]));
    CK_OK(cgan_loss_set_option(loss, "reduction", reduction_name[reduction]));
    CK_OK(cgan_loss_set_param(loss, "alpha", alpha));
    CK_OK(cgan_loss_set_param(loss, "delta", delta));
    return loss;
}

static void assert_all_zero(const cgan_tensor *t, float tol) {
    for (int64_t i = 0; i < cgan_tensor_numel(t); i++)
        ck_assert_msg(fabsf(cgan_tensor_data_const(t)[i]) <= tol, "element %lld is %g",
                      (long long)i, (double)cgan_tensor_data_const(t)[i]);
}

/* Run loss on (l, e) and check the value and both gradients are zero
 * within tol_v / tol_g (the gradients are pre-filled with garbage). */
static void assert_zero_loss(cgan_loss *loss, const cgan_tensor *l, const cgan_tensor *e,
                             cgan_tensor *gl, cgan_tensor *ge, double tol_v, float tol_g) {
    double v;
    CK_OK(cgan_tensor_fill(gl, 7.0f));
    CK_OK(cgan_tensor_fill(ge, 7.0f));
    CK_OK(cgan_loss_continuous(loss, l, e, NULL, &v, gl, ge));
    ck_assert_double_le(fabs(v), tol_v);
    assert_all_zero(gl, tol_g);
    assert_all_zero(ge, tol_g);
}

START_TEST(batch_of_one_is_zero) {
    cgan_tensor *l = matrix(1, 3, (float[]){1, 2, 3}), *e = matrix(1, 2, (float[]){4, 5});
    cgan_tensor *gl = zeros_like(l), *ge = zeros_like(e);
    for (int dist = 0; dist < 3; dist++)
        for (int red = 0; red < 2; red++) {
            cgan_loss *loss = ccl(dist, red, 1.0, 0.0);
            assert_zero_loss(loss, l, e, gl, ge, 0.0, 0.0f);
            cgan_loss_destroy(loss);
        }
    cgan_tensor_destroy(l), cgan_tensor_destroy(e), cgan_tensor_destroy(gl), cgan_tensor_destroy(ge);
}
END_TEST

START_TEST(identical_conditions_pull_together) {
    /* e rows equal: D^e = 0 exactly under l2, so only |D^l| - delta is left
     * and its gradient pulls l_0 and l_1 together along l_0 - l_1. */
    cgan_tensor *l = matrix(2, 2, (float[]){0, 0, 3, 4}), *e = matrix(2, 3, (float[]){1, 2, 3, 1, 2, 3});
    cgan_tensor *cond = matrix(2, 1, (float[]){0.5f, 0.5f});
    cgan_tensor *gl = zeros_like(l), *ge = zeros_like(e);
    cgan_loss *loss = ccl(CGAN_DISTANCE_L2, CGAN_REDUCTION_PAPER, 1.0, 0.1);
    double v, mean_target;
    CK_OK(cgan_loss_continuous(loss, l, e, cond, &v, gl, ge));
    /* two ordered pairs, s = 1/2: L = 5 - 0.1 */
    ck_assert_double_eq_tol(v, 4.9, 1e-12);
    const float want[] = {-0.6f, -0.8f, 0.6f, 0.8f}; /* (l_i - l_j) / |l_i - l_j| */
    for (int i = 0; i < 4; i++) ck_assert_float_eq_tol(cgan_tensor_data(gl)[i], want[i], 1e-7f);
    assert_all_zero(ge, 0.0f); /* D^e = 0: the l2 subgradient */
    CK_OK(cgan_loss_get_stat(loss, "mean_target_distance", &mean_target));
    ck_assert(isnan(mean_target)); /* no pair with distinct conditions */
    cgan_loss_destroy(loss);

    /* cosine: D^e is within an ulp of 0, harmless for delta > 0 */
    loss = ccl(CGAN_DISTANCE_COS, CGAN_REDUCTION_PAPER, 1.0, 0.1);
    CK_OK(cgan_tensor_set_data(l, (float[]){1, 0, 0, 1}, 4));
    CK_OK(cgan_loss_continuous(loss, l, e, NULL, &v, gl, ge));
    ck_assert_double_eq_tol(v, 0.9, 1e-12);
    cgan_loss_destroy(loss);
    cgan_tensor_destroy(l), cgan_tensor_destroy(e), cgan_tensor_destroy(cond);
    cgan_tensor_destroy(gl), cgan_tensor_destroy(ge);
}
END_TEST

START_TEST(identical_embeddings_have_zero_l2_gradient) {
    cgan_tensor *l = matrix(2, 2, (float[]){1, 2, 1, 2}), *e = matrix(2, 2, (float[]){0, 0, 0, 2});
    cgan_tensor *gl = zeros_like(l), *ge = zeros_like(e);
    cgan_loss *loss = ccl(CGAN_DISTANCE_L2, CGAN_REDUCTION_PAPER, 1.0, 0.1);
    double v;
    CK_OK(cgan_loss_continuous(loss, l, e, NULL, &v, gl, ge));
    ck_assert_double_eq_tol(v, 1.9, 1e-12); /* r = 0 - 2 */
    assert_all_zero(gl, 0.0f);
    /* r < 0: dL/dD^e = +alpha * s * 2 = 1, so e_0 - e_1 = (0,-2) gives (0,-1) */
    const float want[] = {0, -1, 0, 1};
    for (int i = 0; i < 4; i++) ck_assert_float_eq_tol(cgan_tensor_data(ge)[i], want[i], 1e-7f);
    cgan_loss_destroy(loss);
    cgan_tensor_destroy(l), cgan_tensor_destroy(e), cgan_tensor_destroy(gl), cgan_tensor_destroy(ge);
}
END_TEST

START_TEST(all_rows_identical_delta_zero) {
    float lv[4 * 3], ev[4 * 2];
    for (int i = 0; i < 4; i++) {
        lv[3 * i] = 0.3f, lv[3 * i + 1] = -1.2f, lv[3 * i + 2] = 2.0f;
        ev[2 * i] = 0.7f, ev[2 * i + 1] = 0.1f;
    }
    cgan_tensor *l = matrix(4, 3, lv), *e = matrix(4, 2, ev), *gl = zeros_like(l), *ge = zeros_like(e);
    for (int dist = 0; dist < 3; dist++)
        for (int red = 0; red < 2; red++) {
            cgan_loss *loss = ccl(dist, red, 1.0, 0.0);
            if (dist == CGAN_DISTANCE_COS) /* 1 - u.u is a rounding error away from 0 */
                assert_zero_loss(loss, l, e, gl, ge, 1e-14, 1e-12f);
            else
                assert_zero_loss(loss, l, e, gl, ge, 0.0, 0.0f);
            cgan_loss_destroy(loss);
        }
    cgan_tensor_destroy(l), cgan_tensor_destroy(e), cgan_tensor_destroy(gl), cgan_tensor_destroy(ge);
}
END_TEST

START_TEST(alpha_zero_is_rejected) {
    cgan_loss *loss;
    double a;
    CK_OK(cgan_loss_create_continuous(&loss));
    CK_FAILS(cgan_loss_set_param(loss, "alpha", 0.0), CGAN_EINVAL);
    ck_assert_ptr_nonnull(strstr(cgan_last_error(), "collapses"));
    CK_FAILS(cgan_loss_set_option(loss, "alpha", "0"), CGAN_EINVAL);
    CK_FAILS(cgan_loss_set_param(loss, "alpha", -1.0), CGAN_EINVAL);
    CK_OK(cgan_loss_get_param(loss, "alpha", &a));
    ck_assert_double_eq(a, 1.0); /* unchanged */
    CK_OK(cgan_loss_set_option(loss, "alpha", "0.25"));
    CK_OK(cgan_loss_get_param(loss, "alpha", &a));
    ck_assert_double_eq(a, 0.25);
    cgan_loss_destroy(loss);
}
END_TEST

START_TEST(detach_e_and_fixed_target) {
    cgan_tensor *l = fx_tensor("ccl_small_l"), *e = fx_tensor("ccl_small_e");
    cgan_tensor *cond = fx_tensor("ccl_small_cond");
    cgan_tensor *gl = zeros_like(l), *ge = zeros_like(e), *gl2 = zeros_like(l);
    cgan_loss *loss = ccl(CGAN_DISTANCE_COS, CGAN_REDUCTION_PAPER, 1.0, 0.1);
    double v, v2;
    CK_OK(cgan_loss_continuous(loss, l, e, NULL, &v, gl, ge));
    CK_OK(cgan_loss_set_option(loss, "detach_e", "on"));
    CK_OK(cgan_tensor_fill(ge, 5.0f));
    CK_OK(cgan_loss_continuous(loss, l, e, NULL, &v2, gl2, ge));
    ck_assert_double_eq(v, v2);
    for (int64_t i = 0; i < cgan_tensor_numel(l); i++)
        ck_assert_float_eq(cgan_tensor_data(gl)[i], cgan_tensor_data(gl2)[i]);
    assert_all_zero(ge, 0.0f);

    /* fixed target: cond is required, e may be NULL; grad_e is zero */
    CK_OK(cgan_loss_set_option(loss, "target", "fixed"));
    CK_FAILS(cgan_loss_continuous(loss, l, e, NULL, &v, gl, ge), CGAN_EINVAL);
    CK_OK(cgan_loss_continuous(loss, l, NULL, cond, &v, gl, NULL));
    CK_OK(cgan_tensor_fill(ge, 5.0f));
    CK_OK(cgan_loss_continuous(loss, l, e, cond, &v2, gl2, ge));
    ck_assert_double_eq(v, v2);
    assert_all_zero(ge, 0.0f);
    cgan_loss_destroy(loss);
    cgan_tensor_destroy(l), cgan_tensor_destroy(e), cgan_tensor_destroy(cond);
    cgan_tensor_destroy(gl), cgan_tensor_destroy(ge), cgan_tensor_destroy(gl2);
}
END_TEST

START_TEST(statistics) {
    /* l2 on both sides, delta 0.5: pairs (0,1) r = 1 - 1 = 0 (inactive),
     * (0,2) r = 2 - 3 = -1, (1,2) r = 1 - 2 = -1 (active both ways). */
    cgan_tensor *l = matrix(3, 1, (float[]){0, 1, 2}), *e = matrix(3, 1, (float[]){0, 1, 3});
    cgan_tensor *cond = matrix(3, 1, (float[]){-1, -1, 1});
    cgan_loss *loss = ccl(CGAN_DISTANCE_L2, CGAN_REDUCTION_PAPER, 1.0, 0.5);
    double v, active, mean_target;
    CK_OK(cgan_loss_continuous(loss, l, e, cond, &v, NULL, NULL));
    ck_assert_double_eq_tol(v, 4 * 0.5 / 3.0, 1e-15);
    CK_OK(cgan_loss_get_stat(loss, "active_pairs", &active));
    ck_assert_double_eq(active, 4.0);
    CK_OK(cgan_loss_get_stat(loss, "mean_target_distance", &mean_target));
    ck_assert_double_eq_tol(mean_target, 2.5, 1e-15); /* pairs (0,2), (1,2) */
    CK_OK(cgan_loss_continuous(loss, l, e, NULL, &v, NULL, NULL));
    CK_OK(cgan_loss_get_stat(loss, "mean_target_distance", &mean_target));
    ck_assert_double_eq_tol(mean_target, 2.0, 1e-15); /* all pairs: (1 + 3 + 2) / 3 */
    CK_FAILS(cgan_loss_get_stat(loss, "wasserstein", &v), CGAN_EINVAL);
    cgan_loss_destroy(loss);
    cgan_tensor_destroy(l), cgan_tensor_destroy(e), cgan_tensor_destroy(cond);
}
END_TEST

START_TEST(argument_errors) {
    cgan_tensor *l = matrix(3, 2, (float[]){1, 2, 3, 4, 5, 6});
    cgan_tensor *e3 = matrix(3, 4, (float[]){1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
    cgan_tensor *e2 = matrix(2, 2, (float[]){1, 2, 3, 4}), *bad = zeros_like(e2);
    cgan_loss *loss;
    double v;
    CK_OK(cgan_loss_create_continuous(&loss));
    CK_OK(cgan_loss_continuous(loss, l, e3, NULL, &v, NULL, NULL)); /* De may differ */
    CK_FAILS(cgan_loss_continuous(loss, l, e2, NULL, &v, NULL, NULL), CGAN_ESHAPE);
    ck_assert_ptr_nonnull(strstr(cgan_last_error(), "e has shape [2, 2], expected 3 rows"));
    CK_FAILS(cgan_loss_continuous(loss, l, NULL, NULL, &v, NULL, NULL), CGAN_EINVAL);
    CK_FAILS(cgan_loss_continuous(loss, l, e3, e2, &v, NULL, NULL), CGAN_ESHAPE);
    ck_assert_ptr_nonnull(strstr(cgan_last_error(), "cond"));
    CK_FAILS(cgan_loss_continuous(loss, l, e3, NULL, &v, bad, NULL), CGAN_ESHAPE);
    ck_assert_ptr_nonnull(strstr(cgan_last_error(), "grad_l has shape [2, 2], expected [3, 2]"));
    CK_FAILS(cgan_loss_continuous(loss, l, e3, NULL, &v, NULL, l), CGAN_ESHAPE);
    cgan_tensor_data(e3)[7] = INFINITY;
    CK_FAILS(cgan_loss_continuous(loss, l, e3, NULL, &v, NULL, NULL), CGAN_ENUMERIC);
    ck_assert_ptr_nonnull(strstr(cgan_last_error(), "e[1, 3]"));
    CK_FAILS(cgan_loss_set_option(loss, "distance", "manhattan"), CGAN_EINVAL);
    ck_assert_ptr_nonnull(strstr(cgan_last_error(), "cos, l2, l2n"));
    CK_FAILS(cgan_loss_set_param(loss, "distance", 3), CGAN_EINVAL);
    CK_FAILS(cgan_loss_set_param(loss, "reduction", 0.5), CGAN_EINVAL);
    CK_FAILS(cgan_loss_set_param(loss, "delta", -0.1), CGAN_EINVAL);
    CK_FAILS(cgan_loss_set_param(loss, "delta", NAN), CGAN_EINVAL);
    CK_FAILS(cgan_loss_set_param(loss, "temperature", 0.1), CGAN_EINVAL);
    CK_FAILS(cgan_loss_set_param(loss, "no_such_key", 1), CGAN_EINVAL);
    ck_assert_ptr_nonnull(strstr(cgan_last_error(), "unknown loss parameter"));
    cgan_loss_destroy(loss);
    cgan_tensor_destroy(l), cgan_tensor_destroy(e3), cgan_tensor_destroy(e2), cgan_tensor_destroy(bad);
}
END_TEST

Suite *cgan_test_loss_continuous_suite(void) {
    Suite *s = suite_create("loss_continuous");
    TCase *tc = tcase_create("gradients");
    tcase_add_test(tc, fd_gradients);
    suite_add_tcase(s, tc);
    tc = tcase_create("torch");
    tcase_add_test(tc, torch_m64);
    tcase_add_test(tc, torch_small);
    tcase_add_test(tc, torch_zero_norm_rows);
    suite_add_tcase(s, tc);
    tc = tcase_create("edges");
    tcase_add_test(tc, batch_of_one_is_zero);
    tcase_add_test(tc, identical_conditions_pull_together);
    tcase_add_test(tc, identical_embeddings_have_zero_l2_gradient);
    tcase_add_test(tc, all_rows_identical_delta_zero);
    tcase_add_test(tc, alpha_zero_is_rejected);
    tcase_add_test(tc, detach_e_and_fixed_target);
    tcase_add_test(tc, statistics);
    tcase_add_test(tc, argument_errors);
    suite_add_tcase(s, tc);
    return s;
}
