/* Condition names as directory names: one character for one, so names
 * that differ only in their values (all a manifest's class names do) stay
 * distinct. */
#include "../core/internal.h"

#include <string.h>

static int plain(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           strchr("._-+=,", c) != NULL;
}

int cgan_condition_dirname(const char *name, char *buf, size_t cap) {
    CGAN__CHECK_NOT_NULL(name, "name");
    CGAN__CHECK_NOT_NULL(buf, "buf");
    size_t n = strlen(name);
    if (n == 0) return cgan__error(CGAN_EINVAL, "cgan_condition_dirname: the name is empty");
    if (cap < n + 1)
        return cgan__error(CGAN_EINVAL, "cgan_condition_dirname: buf holds %zu bytes, '%s' needs %zu",
                           cap, name, n + 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        buf[i] = c == ' ' ? ',' : plain(c) ? (char)c : '_';
    }
    if (buf[0] == '.') buf[0] = '_';
    buf[n] = '\0';
    return CGAN_OK;
}
