/* The data pipeline's condition scaling is the loss module's scaler: the
 * manifest's and the data set's scalers reproduce the scaled conditions,
 * which are checked against the formula written out here (log10, then
 * 2 (v - min) / (max - min) - 1, a constant column 0). */
#include "test_util.h"

#include <unistd.h>

static const char *src_dir(void) { return test_data_path("data/micrographs"); }

/* A manifest in a scratch folder naming the fixture micrographs by
 * absolute path. */
static void write_manifest(const char *path) {
    FILE *fp = fopen(path, "w");
    ck_assert_ptr_nonnull(fp);
    fprintf(fp, "path,um_per_px,temperature_C,strain_rate_per_s,alloy\n");
    fprintf(fp, "%s/t900_r0.001_a.tif,1,900,0.001,7\n", src_dir());
    fprintf(fp, "%s/t1000_r0.1_b.tif,1,1000,0.1,7\n", src_dir());
    fprintf(fp, "%s/t1000_r0.001_a.tif,1,950,0.01,7\n", src_dir());
    fclose(fp);
}

static const double raw[3][3] = {{900, 0.001, 7}, {1000, 0.1, 7}, {950, 0.01, 7}};

START_TEST(manifest_and_dataset_share_the_scaler) {
    char dir[512], mpath[600], npz[600];
    snprintf(dir, sizeof dir, "%s", test_tmpdir());
    snprintf(mpath, sizeof mpath, "%s/m.csv", dir);
    snprintf(npz, sizeof npz, "%s/d.npz", dir);
    write_manifest(mpath);
    cgan_manifest *m;
    CK_OK(cgan_manifest_load(&m, mpath));
    CK_OK(cgan_manifest_set_log_column(m, "strain_rate_per_s"));
    const cgan_cond_scaler *ms = cgan_manifest_scaler(m);
    ck_assert_ptr_nonnull(ms);
    ck_assert_int_eq(cgan_cond_scaler_columns(ms), 3);
    /* by hand: T over 900..1000, log10 rate over -3..-1, alloy constant */
    for (int r = 0; r < 3; r++) {
        double want[3] = {2 * (raw[r][0] - 900) / 100 - 1, 2 * (log10(raw[r][1]) + 3) / 2 - 1, 0};
        double got[3];
        float f[3];
        CK_OK(cgan_manifest_scaled(m, r, f));
        CK_OK(cgan_cond_scaler_apply(ms, raw[r], 1, got));
        for (int c = 0; c < 3; c++) {
            ck_assert_msg(fabs(got[c] - want[c]) < 1e-12, "row %d col %d: %g vs %g", r, c, got[c], want[c]);
            ck_assert(f[c] == (float)got[c]);
        }
    }
    /* the data set saves that scaling and hands it back as a scaler */
    cgan_prepare_opts *o;
    cgan_dataset *d;
    CK_OK(cgan_prepare_opts_create(&o));
    CK_OK(cgan_prepare_opts_set(o, CGAN_PREPARE_SIZE, 32));
    CK_OK(cgan_prepare_opts_set(o, CGAN_PREPARE_UM_PER_PX, 1.0));
    CK_OK(cgan_prepare_opts_set(o, CGAN_PREPARE_PATCHES_PER_IMAGE, 1));
    CK_OK(cgan_prepare_opts_set(o, CGAN_PREPARE_AUGMENT, 0));
    CK_OK(cgan_prepare_opts_set(o, CGAN_PREPARE_CONTINUOUS, 1));
    CK_OK(cgan_prepare_run(m, o, npz, NULL, NULL));
    CK_OK(cgan_dataset_load(&d, npz));
    const cgan_cond_scaler *ds = cgan_dataset_scaler(d);
    ck_assert_ptr_nonnull(ds);
    for (int c = 0; c < 3; c++) {
        double lo, hi, dlo, dhi;
        int lg, dlg;
        CK_OK(cgan_manifest_scaling(m, c, &lo, &hi, &lg));
        CK_OK(cgan_dataset_scaling(d, c, &dlo, &dhi, &dlg));
        ck_assert(dlo == (float)lo && dhi == (float)hi && dlg == lg); /* saved as float32 */
        ck_assert_int_eq(lg, c == 1);
    }
    /* each patch's saved conditions are the scaler applied to its row */
    int64_t n = cgan_dataset_count(d);
    ck_assert_int_eq(n, 3);
    cgan_npz_reader *rd;
    int64_t srcrow[3];
    CK_OK(cgan_npz_reader_open(&rd, npz));
    CK_OK(cgan_npz_read_int64(rd, "patch_source", srcrow, 3));
    cgan_npz_reader_destroy(rd);
    const float *cond = cgan_dataset_conditions(d);
    for (int64_t i = 0; i < n; i++) {
        double got[3], back[3], sc[3];
        CK_OK(cgan_cond_scaler_apply(ds, raw[srcrow[i]], 1, got));
        for (int c = 0; c < 3; c++) {
            ck_assert(fabs(cond[i * 3 + c] - got[c]) < 1e-5);
            sc[c] = cond[i * 3 + c];
        }
        CK_OK(cgan_cond_scaler_invert(ds, sc, 1, back));
        ck_assert(fabs(back[0] - raw[srcrow[i]][0]) < 1e-3);
        ck_assert(fabs(back[1] / raw[srcrow[i]][1] - 1) < 1e-4);
        ck_assert(back[2] == 7.0); /* a constant column comes back as its constant */
    }
    cgan_dataset_destroy(d);
    cgan_prepare_opts_destroy(o);
    cgan_manifest_destroy(m);
    /* no condition columns: no scaler */
    FILE *fp = fopen(mpath, "w");
    fprintf(fp, "path,um_per_px\n%s/t900_r0.001_a.tif,1\n", src_dir());
    fclose(fp);
    CK_OK(cgan_manifest_load(&m, mpath));
    ck_assert_ptr_null(cgan_manifest_scaler(m));
    CK_FAILS(cgan_manifest_scaling(m, 0, NULL, NULL, NULL), CGAN_EINVAL);
    cgan_manifest_destroy(m);
    ck_assert_ptr_null(cgan_manifest_scaler(NULL));
    ck_assert_ptr_null(cgan_dataset_scaler(NULL));
    unlink(mpath);
    unlink(npz);
    rmdir(dir);
}
END_TEST

Suite *cgan_test_data_scaling_suite(void) {
    Suite *s = suite_create("data_scaling");
    TCase *tc = tcase_create("scaler");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, manifest_and_dataset_share_the_scaler);
    suite_add_tcase(s, tc);
    return s;
}
