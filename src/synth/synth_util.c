/* Small shared helpers of the synth module: seeds, the FFTW planner lock,
 * directories and a join-at-the-end worker loop. */
#include "synth_internal.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>

static pthread_mutex_t fftw_mutex = PTHREAD_MUTEX_INITIALIZER;
void cgan__synth_fftw_lock(void) { pthread_mutex_lock(&fftw_mutex); }
void cgan__synth_fftw_unlock(void) { pthread_mutex_unlock(&fftw_mutex); }

uint64_t cgan__synth_seed(uint64_t seed, uint64_t a, uint64_t b) {
    uint64_t z = seed;
    uint64_t parts[2] = {a, b};
    for (int i = 0; i < 2; i++) { /* splitmix64 rounds, one per part */
        z += 0x9e3779b97f4a7c15ULL + parts[i] * 0xd1b54a32d192ed03ULL;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        z ^= z >> 31;
    }
    return z;
}

static int mkdir_one(const char *path) {
    struct stat st;
    if (mkdir(path, 0777) == 0) return CGAN_OK;
    if (errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) return CGAN_OK;
    return cgan__error(CGAN_EIO, "cannot create directory %s: %s", path,
                       errno == EEXIST ? "a file of that name exists" : strerror(errno));
}

int cgan__synth_mkdir(const char *path) {
    char buf[4096];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof buf) return cgan__error(CGAN_EINVAL, "bad directory name '%s'", path);
    memcpy(buf, path, n + 1);
    /* every parent first, like mkdir -p */
    for (size_t i = 1; i < n; i++)
        if (buf[i] == '/' && buf[i - 1] != '/') {
            int rc;
            buf[i] = '\0';
            rc = mkdir_one(buf);
            buf[i] = '/';
            if (rc != CGAN_OK) return rc;
        }
    return mkdir_one(buf);
}

typedef struct worker {
    pthread_mutex_t lock;
    int next, n;
    int (*fn)(int, void *);
    void *user;
    int fail_index, fail_status; /* lowest failing index and its status */
    char fail_msg[512];          /* its message: errors are thread-local */
} worker;

static void *work(void *arg) {
    worker *wk = arg;
    for (;;) {
        int i;
        pthread_mutex_lock(&wk->lock);
        i = wk->next++;
        pthread_mutex_unlock(&wk->lock);
        if (i >= wk->n) return NULL;
        int st = wk->fn(i, wk->user);
        if (st != CGAN_OK) {
            pthread_mutex_lock(&wk->lock);
            if (wk->fail_index < 0 || i < wk->fail_index) {
                wk->fail_index = i;
                wk->fail_status = st;
                snprintf(wk->fail_msg, sizeof wk->fail_msg, "%s", cgan_last_error());
            }
            wk->next = wk->n; /* stop handing out work */
            pthread_mutex_unlock(&wk->lock);
        }
    }
}

int cgan__synth_parallel(int n, int nthreads, int (*fn)(int i, void *user), void *user) {
    worker wk;
    pthread_t th[64];
    int started = 0;
    if (n <= 0) return CGAN_OK;
    if (nthreads > n) nthreads = n;
    if (nthreads > 64) nthreads = 64;
    if (nthreads < 1) nthreads = 1;
    wk.fail_index = -1;
    wk.fail_status = CGAN_OK;
    wk.fail_msg[0] = '\0';
    pthread_mutex_init(&wk.lock, NULL);
    wk.next = 0;
    wk.n = n;
    wk.fn = fn;
    wk.user = user;
    /* The calling thread works too; extra threads only when asked for. */
    for (int t = 1; t < nthreads; t++)
        if (pthread_create(&th[started], NULL, work, &wk) == 0) started++;
    work(&wk);
    for (int t = 0; t < started; t++) pthread_join(th[t], NULL);
    pthread_mutex_destroy(&wk.lock);
    if (wk.fail_index < 0) return CGAN_OK;
    return cgan__error(wk.fail_status, "%s", wk.fail_msg);
}
