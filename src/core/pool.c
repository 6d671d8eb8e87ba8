/* A tiny persistent worker pool for the memory-bound loops between GEMMs
 * (im2col, col2im, layout moves).  Workers sleep on a condition variable
 * (never spin), so they do not fight OpenBLAS's own threads for the cores:
 * at any moment either OpenBLAS or this pool has work.  cgan__threads() - 1
 * workers are started on first use; the calling thread takes a share too.
 *
 * Items are handed out dynamically, `grain` at a time, from an atomic
 * counter: on a loaded machine a descheduled thread delays the job by one
 * grain at most, not by a fixed share.  Which thread does an item never
 * changes what the item computes, so a kernel whose items write disjoint
 * memory gives the same bits whatever the thread count.  A second caller
 * arriving while the pool is busy (two user threads, each with its own
 * model) runs its loop serially instead of waiting.  After fork() the child
 * starts with no workers (pthread_atfork); at exit the workers are joined. */
#include "internal.h"

#include <pthread.h>
#include <stdatomic.h>

#define POOL_MAX 64

typedef struct pool {
    pthread_mutex_t lock;
    pthread_cond_t wake, done;
    pthread_mutex_t busy; /* held by the caller that owns the current job */
    int started;          /* workers running */
    int quit;             /* set at unload: workers return */
    pthread_t threads[POOL_MAX];
    uint64_t generation;  /* bumped per job */
    int pending;          /* workers still on the current job */
    int parts;            /* chunks of the current job (1 + active workers) */
    cgan__range_fn fn;
    void *ctx;
    int64_t n, grain;
    _Atomic int64_t next; /* first item not yet handed out */
} pool;

static pool P = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER,
                 PTHREAD_MUTEX_INITIALIZER, 0, 0, {0}, 0, 0, 0, NULL, NULL, 0, 1, 0};
static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

/* Take grains until the job is exhausted. */
static void drain(cgan__range_fn fn, void *ctx, int64_t n, int64_t grain, int part) {
    for (;;) {
        int64_t b = atomic_fetch_add(&P.next, grain);
        if (b >= n) return;
        fn(ctx, b, b + grain < n ? b + grain : n, part);
    }
}

static void *worker(void *arg) {
    int id = (int)(intptr_t)arg; /* 1..started */
    uint64_t seen = 0;
    pthread_mutex_lock(&P.lock);
    for (;;) {
        while (P.generation == seen && !P.quit) pthread_cond_wait(&P.wake, &P.lock);
        if (P.quit) break;
        seen = P.generation;
        if (id >= P.parts) continue; /* not needed for this job */
        cgan__range_fn fn = P.fn;
        void *ctx = P.ctx;
        int64_t n = P.n, grain = P.grain;
        pthread_mutex_unlock(&P.lock);
        drain(fn, ctx, n, grain, id);
        pthread_mutex_lock(&P.lock);
        if (--P.pending == 0) pthread_cond_signal(&P.done);
    }
    pthread_mutex_unlock(&P.lock);
    return NULL;
}

/* At exit (or dlclose), stop and join the workers, so that nothing of
 * theirs (stacks, thread-local blocks) outlives the library: valgrind and
 * leak checkers see no live threads.  Workers finish any job first. */
__attribute__((destructor)) static void stop_workers(void) {
    pthread_mutex_lock(&P.lock);
    int n = P.started;
    P.quit = 1;
    pthread_cond_broadcast(&P.wake);
    pthread_mutex_unlock(&P.lock);
    for (int i = 0; i < n; i++) pthread_join(P.threads[i], NULL);
    P.started = 0;
}

static void child_after_fork(void) {
    /* the workers do not exist in the child: start afresh */
    pthread_mutex_init(&P.lock, NULL);
    pthread_mutex_init(&P.busy, NULL);
    pthread_cond_init(&P.wake, NULL);
    pthread_cond_init(&P.done, NULL);
    P.started = 0;
    P.pending = 0;
    P.quit = 0;
}

static void register_atfork(void) { pthread_atfork(NULL, NULL, child_after_fork); }

/* Start workers up to want (called with P.lock held); returns how many run. */
static int ensure_workers(int want) {
    if (want > POOL_MAX - 1) want = POOL_MAX - 1;
    while (P.started < want) {
        int ok = pthread_create(&P.threads[P.started], NULL, worker,
                                (void *)(intptr_t)(P.started + 1)) == 0;
        if (!ok) break;
        P.started++;
    }
    return P.started < want ? P.started : want;
}

int cgan__parallel_max(void) { return cgan__threads() < POOL_MAX ? cgan__threads() : POOL_MAX; }

void cgan__parallel_for(int64_t n, int64_t grain, cgan__range_fn fn, void *ctx) {
    if (n <= 0) return;
    int parts = cgan__parallel_max();
    if (grain < 1) grain = 1;
    if ((int64_t)parts > (n + grain - 1) / grain) parts = (int)((n + grain - 1) / grain);
    if (parts <= 1 || pthread_mutex_trylock(&P.busy) != 0) {
        fn(ctx, 0, n, 0);
        return;
    }
    pthread_once(&atfork_once, register_atfork);
    pthread_mutex_lock(&P.lock);
    parts = 1 + ensure_workers(parts - 1);
    P.fn = fn;
    P.ctx = ctx;
    P.n = n;
    P.grain = grain;
    atomic_store(&P.next, 0);
    P.parts = parts;
    P.pending = parts - 1;
    P.generation++;
    if (parts > 1) pthread_cond_broadcast(&P.wake);
    pthread_mutex_unlock(&P.lock);
    drain(fn, ctx, n, grain, 0);
    pthread_mutex_lock(&P.lock);
    while (P.pending > 0) pthread_cond_wait(&P.done, &P.lock);
    pthread_mutex_unlock(&P.lock);
    pthread_mutex_unlock(&P.busy);
}
