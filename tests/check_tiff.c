/* cgan_image_read for every format a micrograph comes in.  Fixtures in
 * tests/data/images were written by Pillow (tests/oracles/images.py) with
 * the closed formulas repeated here; the TIFF layouts Pillow cannot write
 * (tiles, separate planes, min-is-white, float) are written with libtiff. */
#include "test_util.h"

#include <tiffio.h>
#include <unistd.h>

#define W 40
#define H 30

static double v8(int x, int y) { return ((7 * x + 13 * y) % 256) / 255.0; }
static double v16(int x, int y) { return ((977 * x + 131 * y) % 65536) / 65535.0; }
static double vrgb(int x, int y) {
    int a = (7 * x + 13 * y) % 256;
    return (a + (255 - a) + (3 * x % 256)) / 3.0 / 255.0;
}

/* Read a fixture and compare with f within tol (max abs error). */
static void expect(const char *name, double (*f)(int, int), double tol, int want_bits) {
    cgan_tensor *img;
    int bits = 0;
    double worst = 0.0;
    CK_OK(cgan_image_read(test_data_path(name), &img, &bits));
    ck_assert_int_eq(cgan_tensor_ndim(img), 4);
    ck_assert(cgan_tensor_dim(img, 2) == H && cgan_tensor_dim(img, 3) == W);
    ck_assert_int_eq(bits, want_bits);
    const float *d = cgan_tensor_data_const(img);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            double e = fabs(d[y * W + x] - f(x, y));
            if (e > worst) worst = e;
        }
    ck_assert_msg(worst <= tol, "%s: max error %g > %g", name, worst, tol);
    cgan_tensor_destroy(img);
}

START_TEST(png_8_and_16_bit) {
    expect("images/gray8.png", v8, 1e-6, 8);
    expect("images/gray16.png", v16, 1e-6, 16);
    expect("images/rgb8.png", vrgb, 1e-6, 8);
}
END_TEST

START_TEST(bmp_pgm_jpeg) {
    expect("images/gray8.bmp", v8, 1e-6, 8);
    expect("images/gray8.pgm", v8, 1e-6, 8);
    /* JPEG is lossy; quality 95 of this ramp stays within a few levels */
    expect("images/gray8.jpg", v8, 12.0 / 255, 8);
}
END_TEST

START_TEST(tiff_from_pillow) {
    expect("images/gray8.tif", v8, 1e-6, 8);
    expect("images/gray8_lzw.tif", v8, 1e-6, 8);
    expect("images/gray16.tif", v16, 1e-6, 16);
    expect("images/rgb8.tif", vrgb, 1e-6, 8);
    expect("images/multipage.tif", v8, 1e-6, 8); /* page 1, not page 2 (255 - v8) */
}
END_TEST

START_TEST(dispatch_by_content) { expect("images/png_named.tif", v8, 1e-6, 8); }
END_TEST

/* libtiff-written layouts: tiled, planar RGB, min-is-white. */
static void write_tiff(const char *path, int tiled, int planar, int miniswhite, int bps, int spp) {
    TIFF *t = TIFFOpen(path, "w");
    ck_assert_ptr_nonnull(t);
    TIFFSetField(t, TIFFTAG_IMAGEWIDTH, W);
    TIFFSetField(t, TIFFTAG_IMAGELENGTH, H);
    TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, bps);
    TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, spp);
    TIFFSetField(t, TIFFTAG_PLANARCONFIG, planar ? PLANARCONFIG_SEPARATE : PLANARCONFIG_CONTIG);
    TIFFSetField(t, TIFFTAG_PHOTOMETRIC, spp == 3 ? PHOTOMETRIC_RGB
                 : miniswhite ? PHOTOMETRIC_MINISWHITE : PHOTOMETRIC_MINISBLACK);
    TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_ADOBE_DEFLATE);
    int bytes = bps / 8;
    if (tiled) {
        TIFFSetField(t, TIFFTAG_TILEWIDTH, 16);
        TIFFSetField(t, TIFFTAG_TILELENGTH, 16);
        unsigned char *tile = calloc(16 * 16 * spp, bytes);
        for (int ty = 0; ty < H; ty += 16)
            for (int tx = 0; tx < W; tx += 16) {
                for (int y = 0; y < 16; y++)
                    for (int x = 0; x < 16; x++) {
                        int gx = tx + x, gy = ty + y;
                        unsigned v = gx < W && gy < H ? (unsigned)((977 * gx + 131 * gy) % 65536) : 0;
                        if (bytes == 2) ((uint16_t *)tile)[y * 16 + x] = (uint16_t)v;
                        else tile[y * 16 + x] = (unsigned char)((7 * gx + 13 * gy) % 256);
                    }
                ck_assert(TIFFWriteTile(t, tile, tx, ty, 0, 0) >= 0);
            }
        free(tile);
    } else {
        TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, 7);
        unsigned char row[W * 3 * 2];
        for (int s = 0; s < (planar ? spp : 1); s++)
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    int a = (7 * x + 13 * y) % 256;
                    int c[3] = {a, 255 - a, 3 * x % 256};
                    if (planar) row[x] = (unsigned char)c[s];
                    else if (spp == 3) for (int k = 0; k < 3; k++) row[3 * x + k] = (unsigned char)c[k];
                    else row[x] = (unsigned char)(miniswhite ? 255 - a : a);
                }
                ck_assert(TIFFWriteScanline(t, row, y, (uint16_t)s) >= 0);
            }
    }
    TIFFClose(t);
}

/* Read path, compare every pixel with f, remove the file. */
static void expect_file(const char *path, double (*f)(int, int), int want_bits) {
    cgan_tensor *img;
    int bits;
    CK_OK(cgan_image_read(path, &img, &bits));
    ck_assert_int_eq(bits, want_bits);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            ck_assert_msg(fabs(cgan_tensor_data(img)[y * W + x] - f(x, y)) < 1e-6, "%s at %d,%d", path, x, y);
    cgan_tensor_destroy(img);
    unlink(path);
}

START_TEST(tiff_layouts_from_libtiff) {
    const char *dir = test_tmpdir();
    char p[512];
    snprintf(p, sizeof p, "%s/tiled16.tif", dir);
    write_tiff(p, 1, 0, 0, 16, 1);
    expect_file(p, v16, 16);
    snprintf(p, sizeof p, "%s/tiled8.tif", dir);
    write_tiff(p, 1, 0, 0, 8, 1);
    expect_file(p, v8, 8);
    snprintf(p, sizeof p, "%s/planar.tif", dir);
    write_tiff(p, 0, 1, 0, 8, 3);
    expect_file(p, vrgb, 8);
    snprintf(p, sizeof p, "%s/white.tif", dir);
    write_tiff(p, 0, 0, 1, 8, 1); /* stored inverted, so it reads as v8 */
    expect_file(p, v8, 8);
    rmdir(dir);
}
END_TEST

START_TEST(damaged_files_name_file_and_reason) {
    const char *dir = test_tmpdir();
    char p[512], cmd[8192];
    cgan_tensor *img;
    /* a truncated TIFF: header and directory survive, the strips do not */
    snprintf(p, sizeof p, "%s/cut.tif", dir);
    snprintf(cmd, sizeof cmd, "head -c 300 %s > %s", test_data_path("images/gray16.tif"), p);
    ck_assert_int_eq(system(cmd), 0);
    CK_FAILS(cgan_image_read(p, &img, NULL), CGAN_EFORMAT);
    ck_assert_ptr_null(img);
    ck_assert_msg(strstr(cgan_last_error(), "cut.tif") && strstr(cgan_last_error(), "TIFF"), "%s",
                  cgan_last_error());
    /* TIFF magic and nothing else */
    snprintf(p, sizeof p, "%s/magic.tif", dir);
    FILE *fp = fopen(p, "wb");
    fwrite("II*\0\xff\xff\xff\x7f", 1, 8, fp);
    fclose(fp);
    CK_FAILS(cgan_image_read(p, &img, NULL), CGAN_EFORMAT);
    ck_assert(strstr(cgan_last_error(), "magic.tif") != NULL);
    /* not an image at all */
    snprintf(p, sizeof p, "%s/text.png", dir);
    fp = fopen(p, "wb");
    fputs("hello, world\n", fp);
    fclose(fp);
    CK_FAILS(cgan_image_read(p, &img, NULL), CGAN_EFORMAT);
    ck_assert(strstr(cgan_last_error(), "text.png") != NULL);
    CK_FAILS(cgan_image_read("/nonexistent/a.tif", &img, NULL), CGAN_EIO);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

Suite *cgan_test_tiff_suite(void) {
    Suite *s = suite_create("image_read");
    TCase *tc = tcase_create("formats");
    tcase_add_test(tc, png_8_and_16_bit);
    tcase_add_test(tc, bmp_pgm_jpeg);
    tcase_add_test(tc, tiff_from_pillow);
    tcase_add_test(tc, dispatch_by_content);
    tcase_add_test(tc, tiff_layouts_from_libtiff);
    tcase_add_test(tc, damaged_files_name_file_and_reason);
    suite_add_tcase(s, tc);
    return s;
}
