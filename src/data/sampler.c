/* Batches with positives: groups of per_class patches of one class.  Classes
 * come from a reshuffled cycle (distinct within a batch while there are
 * enough), patches from a reshuffled cycle per class. */
#include "../core/internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct cycle {
    int64_t *item, n, pos;
} cycle;

struct cgan_sampler {
    cgan_rng *rng;
    int64_t per_class, n_classes;
    cycle classes;
    cycle *members; /* per class */
    int64_t *used;  /* classes of the batch being drawn */
    int64_t used_cap;
};

static void shuffle(cgan_rng *r, int64_t *a, int64_t n) {
    for (int64_t i = n - 1; i > 0; i--) { /* Fisher-Yates */
        int64_t j = cgan_rng_below(r, i + 1), t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

static int64_t take(cgan_rng *r, cycle *c) {
    if (c->pos == c->n) {
        shuffle(r, c->item, c->n);
        c->pos = 0;
    }
    return c->item[c->pos++];
}

void cgan_sampler_destroy(cgan_sampler *s) {
    if (!s) return;
    for (int64_t k = 0; s->members && k < s->n_classes; k++) free(s->members[k].item);
    free(s->members);
    free(s->classes.item);
    free(s->used);
    cgan_rng_destroy(s->rng);
    free(s);
}

int cgan_sampler_create(cgan_sampler **out, const int64_t *class_of, int64_t n, int64_t per_class,
                        uint64_t seed) {
    int rc;
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    CGAN__CHECK_NOT_NULL(class_of, "class_of");
    if (n < 1 || per_class < 1)
        return cgan__error(CGAN_EINVAL, "cgan_sampler_create: need n >= 1 and per_class >= 1");
    int64_t nc = 0;
    for (int64_t i = 0; i < n; i++) {
        if (class_of[i] < 0)
            return cgan__error(CGAN_EINVAL, "cgan_sampler_create: class_of[%lld] = %lld is negative",
                               (long long)i, (long long)class_of[i]);
        if (class_of[i] + 1 > nc) nc = class_of[i] + 1;
    }
    cgan_sampler *s = calloc(1, sizeof *s);
    if (!s) return cgan__error(CGAN_ENOMEM, "cgan_sampler_create: out of memory");
    s->per_class = per_class;
    s->n_classes = nc;
    s->members = calloc((size_t)nc, sizeof *s->members);
    s->classes.item = malloc(sizeof(int64_t) * (size_t)nc);
    if ((rc = cgan_rng_create(&s->rng, seed)) != CGAN_OK || !s->members || !s->classes.item) {
        cgan_sampler_destroy(s);
        return rc != CGAN_OK ? rc : cgan__error(CGAN_ENOMEM, "cgan_sampler_create: out of memory");
    }
    for (int64_t i = 0; i < n; i++) s->members[class_of[i]].n++;
    for (int64_t k = 0; k < nc; k++) {
        cycle *c = &s->members[k];
        if (c->n > 0) {
            s->classes.item[s->classes.n++] = k; /* empty class indices are skipped */
            if (!(c->item = malloc(sizeof(int64_t) * (size_t)c->n))) {
                cgan_sampler_destroy(s);
                return cgan__error(CGAN_ENOMEM, "cgan_sampler_create: out of memory");
            }
            c->pos = 0;
        }
        c->n = 0;
    }
    for (int64_t i = 0; i < n; i++) {
        cycle *c = &s->members[class_of[i]];
        c->item[c->n++] = i;
    }
    s->classes.pos = s->classes.n; /* shuffle on first use */
    for (int64_t k = 0; k < nc; k++) s->members[k].pos = s->members[k].n;
    *out = s;
    return CGAN_OK;
}

int cgan_sampler_next(cgan_sampler *s, int64_t *indices, int64_t batch) {
    CGAN__CHECK_NOT_NULL(s, "s");
    CGAN__CHECK_NOT_NULL(indices, "indices");
    if (batch < 1 || batch % s->per_class != 0)
        return cgan__error(CGAN_EINVAL, "cgan_sampler_next: batch %lld is not a positive multiple of "
                           "%lld patches per class", (long long)batch, (long long)s->per_class);
    if (batch / s->per_class > s->used_cap) {
        int64_t *u = realloc(s->used, sizeof *u * (size_t)(batch / s->per_class));
        if (!u) return cgan__error(CGAN_ENOMEM, "cgan_sampler_next: out of memory");
        s->used = u;
        s->used_cap = batch / s->per_class;
    }
    int64_t groups = batch / s->per_class, *used = s->used;
    for (int64_t g = 0; g < groups; g++) {
        cycle *cl = &s->classes;
        if (cl->pos == cl->n) { /* next epoch over the classes */
            shuffle(s->rng, cl->item, cl->n);
            cl->pos = 0;
        }
        /* a class already in this batch (after a reshuffle) swaps with a
         * later unused one, so classes stay distinct when there are enough */
        for (int64_t j = cl->pos; groups <= cl->n && j < cl->n; j++) {
            int64_t seen = 0;
            for (int64_t u = 0; u < g && !seen; u++) seen = used[u] == cl->item[j];
            if (!seen) {
                int64_t t = cl->item[cl->pos];
                cl->item[cl->pos] = cl->item[j];
                cl->item[j] = t;
                break;
            }
        }
        used[g] = cl->item[cl->pos++];
        cycle *c = &s->members[used[g]];
        for (int64_t j = 0; j < s->per_class; j++) indices[g * s->per_class + j] = take(s->rng, c);
    }
    return CGAN_OK;
}
