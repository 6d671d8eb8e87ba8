/* The library's conventions in one page: version check, status codes with
 * the last-error message, tensors, a seeded generator, and a PNG.
 *
 *   tensor_basics [--smoke] [OUT.png]
 */
#include <cgan.h>
#include <stdio.h>
#include <string.h>

static int fail(const char *what) {
    fprintf(stderr, "tensor_basics: %s: %s\n", what, cgan_last_error());
    return 1;
}

int main(int argc, char **argv) {
    const char *out = NULL;
    cgan_tensor *img = NULL;
    cgan_rng *rng = NULL;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--smoke") != 0) out = argv[i];
    printf("libcgan %s (header %s)\n", cgan_version_string(), CGAN_VERSION_STRING);

    /* A failing call returns a status and leaves a message. */
    if (cgan_tensor_create4(&img, 0, 0, 0, 0) != CGAN_OK)
        printf("expected failure: %s\n", cgan_last_error());

    if (cgan_tensor_create4(&img, 1, 1, 64, 64) != CGAN_OK) return fail("create");
    if (cgan_rng_create(&rng, 2024) != CGAN_OK) return fail("rng");
    if (cgan_tensor_fill_normal(img, rng, 0.0f, 0.5f) != CGAN_OK) return fail("fill");
    float *px = cgan_tensor_data(img);
    double sum = 0.0;
    for (int64_t i = 0; i < cgan_tensor_numel(img); i++) sum += px[i];
    printf("64x64 noise image, mean %.4f\n", sum / (double)cgan_tensor_numel(img));
    if (out && cgan_image_write_png(out, img, -1.0f, 1.0f, 8) != CGAN_OK) return fail(out);
    cgan_tensor_destroy(img);
    cgan_rng_destroy(rng);
    return 0;
}
