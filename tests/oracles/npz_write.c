/* Writes the archives tests/oracles/numpy_npz.py checks with numpy.load:
 *   npz_write OUT_DIR  ->  OUT/deflate.npz, stored.npz, zip64.npz, z.npy
 * The values are the closed formulas of numpy_npz.py's written(). */
#include <stdio.h>
#include <string.h>

#include <cgan.h>

static int write_one(const char *path, uint32_t flags) {
    cgan_npz_writer *w;
    float f4[24], five[6], fc[6];
    int64_t i8[4] = {-(INT64_C(1) << 40), -1, 0, INT64_C(1) << 62};
    uint8_t rng[48];
    const char *names[3] = {"900C 0.001/s", "\xc2\xb5m\xc2\xb2 ok", ""};
    for (int i = 0; i < 24; i++) f4[i] = i * 0.25f - 1.0f;
    for (int i = 0; i < 6; i++) five[i] = fc[i] = (float)i;
    for (int i = 0; i < 48; i++) rng[i] = (uint8_t)i;
    int rc = cgan_npz_writer_create(&w, path, flags);
    if (rc == CGAN_OK) rc = cgan_npz_add_float(w, "f4", 3, (int64_t[]){2, 3, 4}, f4);
    if (rc == CGAN_OK) rc = cgan_npz_add_int64(w, "i8", 1, (int64_t[]){4}, i8);
    if (rc == CGAN_OK) rc = cgan_npz_add_float_scalar(w, "scalar", 2.5f);
    if (rc == CGAN_OK) rc = cgan_npz_add_int64_scalar(w, "step", 12345);
    if (rc == CGAN_OK) rc = cgan_npz_add_bytes(w, "rng", rng, 48);
    if (rc == CGAN_OK) rc = cgan_npz_add_strings(w, "names", names, 3);
    if (rc == CGAN_OK) rc = cgan_npz_add_float(w, "empty", 2, (int64_t[]){0, 3}, NULL);
    if (rc == CGAN_OK) rc = cgan_npz_add_float(w, "f4_5d", 5, (int64_t[]){1, 1, 1, 2, 3}, five);
    if (rc == CGAN_OK) rc = cgan_npz_add_float(w, "generator.fc.weight", 2, (int64_t[]){3, 2}, fc);
    if (rc == CGAN_OK) rc = cgan_npz_writer_finish(w);
    cgan_npz_writer_destroy(w);
    if (rc != CGAN_OK) fprintf(stderr, "npz_write %s: %s\n", path, cgan_last_error());
    return rc;
}

int main(int argc, char **argv) {
    char path[4096];
    cgan_tensor *z;
    if (argc != 2) return 2;
    snprintf(path, sizeof path, "%s/deflate.npz", argv[1]);
    if (write_one(path, 0)) return 1;
    snprintf(path, sizeof path, "%s/stored.npz", argv[1]);
    if (write_one(path, CGAN_NPZ_STORED)) return 1;
    snprintf(path, sizeof path, "%s/zip64.npz", argv[1]);
    if (write_one(path, CGAN_NPZ_ZIP64)) return 1;
    if (cgan_tensor_create4(&z, 3, 8, 0, 0)) return 1;
    for (int i = 0; i < 24; i++) cgan_tensor_data(z)[i] = i * 0.125f - 1.0f;
    snprintf(path, sizeof path, "%s/z.npy", argv[1]);
    int rc = cgan_npy_save(path, z);
    cgan_tensor_destroy(z);
    if (rc) fprintf(stderr, "npz_write %s: %s\n", path, cgan_last_error());
    return rc != 0;
}
