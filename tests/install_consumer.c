/* A downstream program, compiled outside the tree by tests/install_test.sh
 * as C and as C++ with nothing but `pkg-config --cflags --libs cgan`. */
#include <cgan.h>
#include <stdio.h>

int main(void) {
    cgan_tensor *t = NULL;
    cgan_rng *r = NULL;
    if (cgan_version_number() != CGAN_VERSION_NUMBER) {
        fprintf(stderr, "header %s, library %s\n", CGAN_VERSION_STRING, cgan_version_string());
        return 1;
    }
    if (cgan_tensor_create4(&t, 2, 3, 0, 0) != CGAN_OK || cgan_rng_create(&r, 1) != CGAN_OK ||
        cgan_tensor_fill_normal(t, r, 0.0f, 1.0f) != CGAN_OK) {
        fprintf(stderr, "failed: %s\n", cgan_last_error());
        return 1;
    }
    printf("libcgan %s: %lld elements\n", cgan_version_string(), (long long)cgan_tensor_numel(t));
    cgan_tensor_destroy(t);
    cgan_rng_destroy(r);
    return 0;
}
