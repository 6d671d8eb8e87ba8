/* --set NAME=VALUE, shared by cgan train and cgan bench. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cgan.h>

#include "commands.h"

int cli_config_set(const char *cmd, const char *usage, cgan_config *c, const char *arg) {
    char name[128], *end;
    const char *eq = strchr(arg, '=');
    if (eq == NULL || eq == arg || (size_t)(eq - arg) >= sizeof name)
        return cli_usage(cmd, usage, "--set needs NAME=VALUE");
    memcpy(name, arg, (size_t)(eq - arg));
    name[eq - arg] = '\0';
    double v = strtod(eq + 1, &end);
    if (end == eq + 1 || *end) {
        fprintf(stderr, "cgan %s: --set %s: '%s' is not a number\n", cmd, name, eq + 1);
        return 2;
    }
    if (cgan_config_set_by_name(c, name, v) != CGAN_OK) {
        fprintf(stderr, "cgan %s: --set %s: %s\n", cmd, arg, cgan_last_error());
        return 2;
    }
    return 0;
}
