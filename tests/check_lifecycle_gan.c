/* Create/destroy and error paths of the model module under valgrind. */
#include <unistd.h>

#include "fixture.h"
#include "gan_test_util.h"

START_TEST(gan_cycles) {
    const char *dir = test_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/c.npz", dir);
    for (int i = 0; i < 3; i++) {
        cgan_config *c, *copy;
        cgan_gan *g, *back;
        CK_OK(cgan_config_create(&c, CGAN_PRESET_SMALL));
        CK_OK(cgan_config_set(c, CGAN_CONFIG_G_WIDTH, 8));
        CK_OK(cgan_config_set(c, CGAN_CONFIG_D_WIDTH, 8));
        CK_OK(cgan_config_set(c, CGAN_CONFIG_COND_DIM, i == 2 ? 2 : 0));
        CK_OK(cgan_config_clone(&copy, c));
        CK_OK(cgan_gan_create(&g, copy, (uint64_t)i));
        if (i == 0) CK_OK(cgan_gan_set_class_names(g, (const char *[]){"a", "b", "c", "d", "e", "f", "g", "h"}, 8));
        CK_OK(cgan_gan_save(g, path));
        CK_OK(cgan_gan_load(&back, path));
        cgan_gan_destroy(back);
        cgan_gan_destroy(g);
        cgan_config_destroy(c);
        cgan_config_destroy(copy);
    }
    cgan_gan *none;
    write_tiny_dataset(path, 4, 64, 2); /* not a checkpoint */
    CK_FAILS(cgan_gan_load(&none, path), CGAN_EFORMAT);
    FILE *fp = fopen(path, "wb");
    fputs("PK\x03\x04 truncated", fp);
    fclose(fp);
    CK_FAILS(cgan_gan_load(&none, path), CGAN_EFORMAT);
    cgan_gan_destroy(NULL);
    cgan_config_destroy(NULL);
    unlink(path);
    rmdir(dir);
}
END_TEST

Suite *cgan_test_lifecycle_gan_suite(void) {
    Suite *s = suite_create("lifecycle");
    TCase *tc = tcase_create("gan");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, gan_cycles);
    suite_add_tcase(s, tc);
    return s;
}
