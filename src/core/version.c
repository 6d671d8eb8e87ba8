/* Runtime version, so a program can detect a header/library mismatch. */
#include "internal.h"

unsigned cgan_version_number(void) { return CGAN_VERSION_NUMBER; }
const char *cgan_version_string(void) { return CGAN_VERSION_STRING; }
