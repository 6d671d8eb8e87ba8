/* The binary opening (CGAN_ANALYSIS_OPEN_RADIUS) against its definition
 * evaluated by brute force, and the exclusion mask of
 * cgan_micrograph_analyze_masked on hand-made images. */
#include "test_util.h"

/* Opening by definition: erosion keeps a pixel when every in-image pixel of
 * its (2r+1)^2 window is set; dilation sets a pixel when any in-image pixel
 * of its window survived the erosion. */
static void open_reference(const uint8_t *in, uint8_t *out, int w, int h, int r) {
    uint8_t *er = malloc((size_t)w * h);
    for (int pass = 0; pass < 2; pass++) {
        const uint8_t *src = pass == 0 ? in : er;
        uint8_t *dst = pass == 0 ? er : out;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int all = 1, any = 0;
                for (int dy = -r; dy <= r; dy++)
                    for (int dx = -r; dx <= r; dx++) {
                        int xx = x + dx, yy = y + dy;
                        if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
                        all &= src[yy * w + xx];
                        any |= src[yy * w + xx];
                    }
                dst[y * w + x] = (uint8_t)(pass == 0 ? all : any);
            }
    }
    free(er);
}

/* Bright phase (grey 255) over black, opened with radius r. */
static cgan_micrograph *analyze_binary(const uint8_t *b, int w, int h, int r) {
    cgan_tensor *t;
    cgan_analysis_opts *o;
    cgan_micrograph *m;
    CK_OK(cgan_tensor_create4(&t, 1, 1, h, w));
    for (int i = 0; i < w * h; i++) cgan_tensor_data(t)[i] = b[i] ? 1.0f : 0.0f;
    CK_OK(cgan_analysis_opts_create(&o));
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_PHASE, CGAN_PHASE_WINDOW));
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_WINDOW_LO, 128));
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_OPEN_RADIUS, r));
    CK_OK(cgan_micrograph_analyze(&m, t, 8, o));
    cgan_analysis_opts_destroy(o);
    cgan_tensor_destroy(t);
    return m;
}

START_TEST(opening_matches_definition) {
    const int sizes[3][2] = {{37, 23}, {64, 64}, {16, 41}};
    cgan_rng *rng;
    CK_OK(cgan_rng_create(&rng, 3));
    for (int s = 0; s < 3; s++)
        for (int r = 1; r <= 3; r++) {
            int w = sizes[s][0], h = sizes[s][1];
            uint8_t *in = malloc((size_t)w * h), *ref = malloc((size_t)w * h);
            /* sparse noise plus rectangles of 1..8 px: features of every width */
            for (int i = 0; i < w * h; i++) in[i] = cgan_rng_uniform(rng) < 0.3;
            for (int k = 0; k < w * h / 40; k++) {
                int x0 = (int)cgan_rng_below(rng, (uint64_t)w), y0 = (int)cgan_rng_below(rng, (uint64_t)h);
                int rw = 1 + (int)cgan_rng_below(rng, 8), rh = 1 + (int)cgan_rng_below(rng, 8);
                for (int y = y0; y < y0 + rh && y < h; y++)
                    for (int x = x0; x < x0 + rw && x < w; x++) in[y * w + x] = 1;
            }
            open_reference(in, ref, w, h, r);
            cgan_micrograph *m = analyze_binary(in, w, h, r);
            cgan_tensor *mask;
            CK_OK(cgan_micrograph_mask(m, &mask));
            int64_t diff = 0, set = 0;
            for (int i = 0; i < w * h; i++) {
                diff += cgan_tensor_data(mask)[i] != (float)ref[i];
                set += ref[i];
            }
            ck_assert_msg(diff == 0, "%dx%d r=%d: %lld pixels differ", w, h, r, (long long)diff);
            ck_assert_msg(set > 0 && set < (int64_t)w * h, "degenerate case %dx%d r=%d", w, h, r);
            cgan_tensor_destroy(mask);
            cgan_micrograph_destroy(m);
            free(in);
            free(ref);
        }
    cgan_rng_destroy(rng);
}
END_TEST

/* A one-pixel line and a two-pixel bar vanish at r = 1, a 3x3 block stays. */
START_TEST(opening_removes_thin_features) {
    enum { w = 20, h = 12 };
    uint8_t b[w * h] = {0};
    for (int x = 1; x < 19; x++) b[1 * w + x] = 1;               /* line */
    for (int x = 2; x < 12; x++) b[4 * w + x] = b[5 * w + x] = 1; /* bar */
    for (int y = 7; y < 10; y++)
        for (int x = 14; x < 17; x++) b[y * w + x] = 1; /* block */
    cgan_micrograph *m = analyze_binary(b, w, h, 1);
    double area;
    ck_assert_int_eq(cgan_micrograph_count(m), 1);
    CK_OK(cgan_micrograph_column(m, CGAN_COL_AREA, &area, 1));
    ck_assert_double_eq(area, 9);
    cgan_micrograph_destroy(m);
    m = analyze_binary(b, w, h, 0);
    ck_assert_int_eq(cgan_micrograph_count(m), 3);
    cgan_micrograph_destroy(m);
}
END_TEST

/* White field with dark 5x5 squares at x = 4, 16, 28 (y = 10) and a 7x7
 * ring with a 3x3 hole at (4, 20). */
static cgan_tensor *squares(void) {
    cgan_tensor *t;
    CK_OK(cgan_tensor_create4(&t, 1, 1, 30, 40));
    float *d = cgan_tensor_data(t);
    for (int i = 0; i < 1200; i++) d[i] = 1.0f;
    for (int k = 0; k < 3; k++)
        for (int y = 10; y < 15; y++)
            for (int x = 4 + 12 * k; x < 9 + 12 * k; x++) d[y * 40 + x] = 0.0f;
    for (int y = 20; y < 27; y++)
        for (int x = 4; x < 11; x++)
            if (y < 22 || y > 24 || x < 6 || x > 8) d[y * 40 + x] = 0.0f;
    return t;
}

static double feature(const cgan_micrograph *m, cgan_feature f) {
    double v;
    CK_OK(cgan_micrograph_feature(m, f, &v));
    return v;
}

START_TEST(exclusion_mask_cuts_particles) {
    cgan_tensor *img = squares(), *ex;
    cgan_analysis_opts *o;
    cgan_micrograph *m;
    CK_OK(cgan_analysis_opts_create(&o));
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_THRESHOLD, 128));
    CK_OK(cgan_tensor_create4(&ex, 1, 1, 30, 40));
    CK_OK(cgan_tensor_fill(ex, 0.0f));
    /* a 3x3 patch over the last square's bottom-right corner pixel (32, 14) */
    for (int y = 14; y < 17; y++)
        for (int x = 32; x < 35; x++) cgan_tensor_data(ex)[y * 40 + x] = 1.0f;
    cgan_tensor_data(ex)[23 * 40 + 7] = 1.0f; /* the centre of the ring's hole */

    CK_OK(cgan_micrograph_analyze_masked(&m, img, 8, NULL, o));
    ck_assert_int_eq(cgan_micrograph_count(m), 4);
    cgan_micrograph_destroy(m);

    /* Excluded pixels are never phase and no area; with edges kept, the
     * square's remaining 24 pixels still count (docs/analysis.md: an
     * excluded region cuts particles as the image border does). */
    CK_OK(cgan_micrograph_analyze_masked(&m, img, 8, ex, o));
    ck_assert_int_eq(cgan_micrograph_count(m), 4);
    ck_assert_double_eq_tol(feature(m, CGAN_FEATURE_DENSITY), 4.0 / (1200 - 10), 1e-15);
    /* 75 + 40 phase pixels, one of them excluded, over the 1190 field pixels */
    ck_assert_double_eq_tol(feature(m, CGAN_FEATURE_PHASE_FRACTION), 114.0 / 1190, 1e-15);
    ck_assert_double_eq_tol(feature(m, CGAN_FEATURE_AREA_FRACTION), 114.0 / 1190, 1e-15);
    cgan_micrograph_destroy(m);

    /* With exclude-edges the cut square is dropped like a border grain; the
     * ring stays: the excluded pixel in its hole touches none of its pixels. */
    CK_OK(cgan_analysis_opts_set(o, CGAN_ANALYSIS_EDGES, CGAN_EDGES_EXCLUDE));
    CK_OK(cgan_micrograph_analyze_masked(&m, img, 8, ex, o));
    ck_assert_int_eq(cgan_micrograph_count(m), 3);
    ck_assert_double_eq_tol(feature(m, CGAN_FEATURE_DENSITY), 3.0 / (1200 - 10), 1e-15);
    ck_assert_double_eq_tol(feature(m, CGAN_FEATURE_AREA_FRACTION), 90.0 / 1190, 1e-15);
    cgan_micrograph_destroy(m);

    cgan_tensor_destroy(ex);
    cgan_analysis_opts_destroy(o);
    cgan_tensor_destroy(img);
}
END_TEST

Suite *cgan_test_analysis_morph_suite(void) {
    Suite *s = suite_create("analysis_morph");
    TCase *tc = tcase_create("morph");
    tcase_add_test(tc, opening_matches_definition);
    tcase_add_test(tc, opening_removes_thin_features);
    tcase_add_test(tc, exclusion_mask_cuts_particles);
    suite_add_tcase(s, tc);
    return s;
}
