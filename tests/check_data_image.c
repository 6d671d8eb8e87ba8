/* Resampling keeps physical sizes, masks stay conservative, contrast
 * normalisation matches independent computations, patch positions respect
 * masks and counts, augmentation sets follow the physics policy. */
#include "test_util.h"

/* A disk of diameter d_um centred in an n x n image at um_per_px. */
static cgan_tensor *disk(int64_t n, double um_per_px, double d_um) {
    cgan_tensor *t;
    CK_OK(cgan_tensor_create4(&t, 1, 1, n, n));
    double r = d_um / um_per_px / 2, c = n / 2.0;
    for (int64_t y = 0; y < n; y++)
        for (int64_t x = 0; x < n; x++) {
            /* 4x4 supersampled coverage, so the disk edge is antialiased */
            int in = 0;
            for (int sy = 0; sy < 4; sy++)
                for (int sx = 0; sx < 4; sx++) {
                    double px = x + (sx + 0.5) / 4 - c, py = y + (sy + 0.5) / 4 - c;
                    in += px * px + py * py <= r * r;
                }
            cgan_tensor_data(t)[y * n + x] = in / 16.0f;
        }
    return t;
}

/* Diameter in um from the area above half intensity. */
static double measured_diameter(const cgan_tensor *t, double um_per_px) {
    int64_t above = 0;
    for (int64_t i = 0; i < cgan_tensor_numel(t); i++) above += cgan_tensor_data_const(t)[i] > 0.5f;
    return 2.0 * sqrt((double)above / M_PI) * um_per_px;
}

START_TEST(resample_preserves_physical_size) {
    const double cases[][3] = {{0.5, 1.3, 40.0}, {0.5, 2.0, 40.0}, {2.0, 0.7, 60.0}, {0.31, 0.5, 25.0}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        double src = cases[k][0], dst = cases[k][1], d = cases[k][2];
        int64_t n = (int64_t)(2.5 * d / src);
        cgan_tensor *img = disk(n, src, d), *out;
        CK_OK(cgan_image_resample(&out, img, src, dst));
        double before = measured_diameter(img, src), after = measured_diameter(out, dst);
        ck_assert_msg(fabs(before - d) / d < 0.02, "case %zu: source disk %g um, not %g", k, before, d);
        ck_assert_msg(fabs(after - d) / d < 0.02, "case %zu: %g -> %g um/px: disk %g um, not %g", k,
                      src, dst, after, d);
        /* the image's own extent: floor(W src / dst) pixels of dst um */
        ck_assert_int_eq(cgan_tensor_dim(out, 3), (int64_t)floor(n * src / dst + 1e-9));
        ck_assert(fabs(cgan_tensor_dim(out, 3) * dst - n * src) < dst);
        cgan_tensor_destroy(img);
        cgan_tensor_destroy(out);
    }
}
END_TEST

START_TEST(mask_resample_is_conservative) {
    cgan_tensor *m, *out;
    CK_OK(cgan_tensor_create4(&m, 1, 1, 100, 100));
    cgan_tensor_data(m)[37 * 100 + 61] = 1.0f; /* one bad pixel */
    CK_OK(cgan_mask_resample(&out, m, 1.0, 3.0));
    ck_assert_int_eq(cgan_tensor_dim(out, 3), 33);
    int64_t set = 0;
    for (int64_t i = 0; i < cgan_tensor_numel(out); i++) set += cgan_tensor_data(out)[i] != 0;
    ck_assert_int_eq(set, 1);
    ck_assert(cgan_tensor_data(out)[(37 / 3) * 33 + 61 / 3] == 1.0f);
    cgan_tensor_destroy(out);
    CK_OK(cgan_mask_resample(&out, m, 1.0, 0.5)); /* enlarged: 2x2 block */
    set = 0;
    for (int64_t i = 0; i < cgan_tensor_numel(out); i++) set += cgan_tensor_data(out)[i] != 0;
    ck_assert_int_eq(set, 4);
    cgan_tensor_destroy(out);
    cgan_tensor_destroy(m);
    CK_FAILS(cgan_image_resample(&out, NULL, 1, 1), CGAN_EINVAL);
}
END_TEST

START_TEST(crop_and_stretch) {
    cgan_tensor *img, *c, *mask;
    CK_OK(cgan_tensor_create4(&img, 1, 1, 10, 10));
    for (int i = 0; i < 100; i++) cgan_tensor_data(img)[i] = (float)i; /* 0..99 */
    CK_OK(cgan_image_crop(&c, img, 2, 3, 4, 5));
    ck_assert(cgan_tensor_dim(c, 2) == 5 && cgan_tensor_dim(c, 3) == 4 && cgan_tensor_data(c)[0] == 32.0f);
    cgan_tensor_destroy(c);
    CK_FAILS(cgan_image_crop(&c, img, 8, 0, 4, 4), CGAN_EINVAL);
    /* percentile p of 0..99 with linear interpolation is 0.99 p */
    CK_OK(cgan_tensor_create4(&mask, 1, 1, 10, 10));
    for (int i = 90; i < 100; i++) cgan_tensor_data(mask)[i] = 1; /* 90..99 excluded */
    CK_OK(cgan_image_stretch(img, mask, 10.0, 90.0));
    /* usable 0..89: p10 = 8.9, p90 = 80.1 */
    ck_assert(fabs(cgan_tensor_data(img)[0] - 0.0f) < 1e-6);
    ck_assert(fabs(cgan_tensor_data(img)[40] - (40 - 8.9) / (80.1 - 8.9)) < 1e-5);
    ck_assert(cgan_tensor_data(img)[85] == 1.0f);
    cgan_tensor_destroy(mask);
    cgan_tensor_destroy(img);
}
END_TEST

static int cmpf(const void *a, const void *b) {
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

START_TEST(histogram_matching_takes_reference_distribution) {
    cgan_tensor *img, *ref;
    cgan_rng *r;
    CK_OK(cgan_rng_create(&r, 5));
    CK_OK(cgan_tensor_create4(&img, 1, 1, 20, 30));
    CK_OK(cgan_tensor_create4(&ref, 1, 1, 20, 30));
    CK_OK(cgan_tensor_fill_uniform(img, r, 0, 1));
    for (int i = 0; i < 600; i++) cgan_tensor_data(ref)[i] = (float)pow(cgan_rng_uniform(r), 3.0);
    float before[600], after[600], want[600];
    memcpy(before, cgan_tensor_data(img), sizeof before);
    CK_OK(cgan_image_match_histogram(img, NULL, ref, NULL));
    memcpy(after, cgan_tensor_data(img), sizeof after);
    memcpy(want, cgan_tensor_data(ref), sizeof want);
    /* the order of pixels is kept, the values become the reference's */
    for (int i = 0; i < 600; i++)
        for (int j = i + 1; j < 600; j += 37) ck_assert((before[i] < before[j]) == (after[i] < after[j]) || after[i] == after[j]);
    qsort(after, 600, sizeof(float), cmpf);
    qsort(want, 600, sizeof(float), cmpf);
    for (int i = 0; i < 600; i++) ck_assert_msg(fabs(after[i] - want[i]) < 1e-6, "rank %d", i);
    cgan_tensor_destroy(img);
    cgan_tensor_destroy(ref);
    cgan_rng_destroy(r);
}
END_TEST

START_TEST(patch_positions_respect_mask_and_counts) {
    cgan_tensor *mask;
    cgan_rng *rng;
    int64_t xy[2 * 400], found;
    const int64_t H = 60, W = 80, S = 16;
    CK_OK(cgan_tensor_create4(&mask, 1, 1, H, W));
    for (int64_t y = 20; y < 30; y++)
        for (int64_t x = 30; x < 45; x++) cgan_tensor_data(mask)[y * W + x] = 1;
    /* grid, stride 16: count usable corners by brute force */
    int64_t expect = 0;
    for (int64_t y = 0; y + S <= H; y += 16)
        for (int64_t x = 0; x + S <= W; x += 16) {
            int clear = !(x < 45 && x + S > 30 && y < 30 && y + S > 20);
            expect += clear;
        }
    CK_OK(cgan_patch_positions(mask, H, W, S, 16, 0, NULL, xy, 400, &found));
    ck_assert_int_eq(found, expect);
    CK_OK(cgan_patch_positions(mask, H, W, S, 16, 3, NULL, xy, 400, &found));
    ck_assert_int_eq(found, 3);
    CK_OK(cgan_rng_create(&rng, 3));
    CK_OK(cgan_patch_positions(mask, H, W, S, 0, 50, rng, xy, 400, &found));
    ck_assert_int_eq(found, 50);
    for (int64_t k = 0; k < found; k++) {
        int64_t x = xy[2 * k], y = xy[2 * k + 1];
        ck_assert(x >= 0 && y >= 0 && x + S <= W && y + S <= H);
        ck_assert_msg(!(x < 45 && x + S > 30 && y < 30 && y + S > 20), "patch %lld at %lld,%lld hits the mask",
                      (long long)k, (long long)x, (long long)y);
        for (int64_t j = 0; j < k; j++) ck_assert(!(xy[2 * j] == x && xy[2 * j + 1] == y));
    }
    /* a patch larger than the image: none */
    CK_OK(cgan_patch_positions(NULL, 10, 10, 16, 0, 5, rng, xy, 400, &found));
    ck_assert_int_eq(found, 0);
    CK_FAILS(cgan_patch_positions(NULL, 10, 10, 4, 0, 5, NULL, xy, 400, &found), CGAN_EINVAL);
    cgan_rng_destroy(rng);
    cgan_tensor_destroy(mask);
}
END_TEST

START_TEST(augmentation_policy) {
    int list[8], n;
    n = cgan_augment_transforms(CGAN_AUGMENT_DEFAULT, list, 8);
    ck_assert_int_eq(n, 4);
    for (int i = 0; i < n; i++) ck_assert_msg(list[i] <= CGAN_TRANSFORM_ROT180, "default has transform %d", list[i]);
    ck_assert_int_eq(list[0], CGAN_TRANSFORM_IDENTITY);
    ck_assert_int_eq(cgan_augment_transforms(0, list, 8), 1);
    ck_assert_int_eq(cgan_augment_transforms(CGAN_AUGMENT_DEFAULT | CGAN_AUGMENT_ROT90, list, 8), 8);
    /* on a patch with a vertical "compression axis", the default set keeps it vertical */
    float src[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9}, dst[9], twice[9];
    CK_OK(cgan_patch_transform(src, dst, 3, CGAN_TRANSFORM_ROT90)); /* counter-clockwise */
    const float rot90[9] = {3, 6, 9, 2, 5, 8, 1, 4, 7};
    ck_assert_int_eq(memcmp(dst, rot90, sizeof dst), 0);
    CK_OK(cgan_patch_transform(src, dst, 3, CGAN_TRANSFORM_FLIP_H));
    CK_OK(cgan_patch_transform(dst, twice, 3, CGAN_TRANSFORM_FLIP_V));
    CK_OK(cgan_patch_transform(src, dst, 3, CGAN_TRANSFORM_ROT180));
    ck_assert_int_eq(memcmp(dst, twice, sizeof dst), 0); /* flipH then flipV = rot180 */
    CK_OK(cgan_patch_transform(src, dst, 3, CGAN_TRANSFORM_ROT270));
    CK_OK(cgan_patch_transform(dst, twice, 3, CGAN_TRANSFORM_ROT90));
    ck_assert_int_eq(memcmp(src, twice, sizeof src), 0);
    CK_OK(cgan_patch_transform(src, dst, 3, CGAN_TRANSFORM_TRANSPOSE));
    ck_assert(dst[1] == 4 && dst[3] == 2);
    CK_FAILS(cgan_patch_transform(src, src, 3, 1), CGAN_EINVAL);
}
END_TEST

Suite *cgan_test_data_image_suite(void) {
    Suite *s = suite_create("data_image");
    TCase *tc = tcase_create("steps");
    tcase_add_test(tc, resample_preserves_physical_size);
    tcase_add_test(tc, mask_resample_is_conservative);
    tcase_add_test(tc, crop_and_stretch);
    tcase_add_test(tc, histogram_matching_takes_reference_distribution);
    tcase_add_test(tc, patch_positions_respect_mask_and_counts);
    tcase_add_test(tc, augmentation_policy);
    suite_add_tcase(s, tc);
    return s;
}
