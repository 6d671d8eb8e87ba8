/* The size of the last-level cache, for kernels that decide whether to
 * stream an output past the caches (an output larger than the cache would
 * only evict what the next pass needs). */
#include "internal.h"

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

/* The kernel's sysfs entry for cpu0's level-3 cache (what lscpu shows),
 * else sysconf, else 32 MiB.  sysconf alone is not enough: in this
 * project's virtual machine glibc reports the host's 384 MiB, sysfs the
 * 32 MiB the guest sees. */
static double llc_bytes = 32.0 * 1024 * 1024;
static pthread_once_t llc_once = PTHREAD_ONCE_INIT;

static void read_llc(void) {
    FILE *f = fopen("/sys/devices/system/cpu/cpu0/cache/index3/size", "r");
    long kib = 0;
    char unit = 0;
    if (f) {
        if (fscanf(f, "%ld%c", &kib, &unit) == 2 && unit == 'K' && kib > 0)
            llc_bytes = 1024.0 * (double)kib;
        fclose(f);
        if (kib > 0) return;
    }
    long b = sysconf(_SC_LEVEL3_CACHE_SIZE);
    if (b > 0) llc_bytes = (double)b;
}

int cgan__exceeds_llc(double bytes) {
    pthread_once(&llc_once, read_llc);
    return bytes > llc_bytes;
}
