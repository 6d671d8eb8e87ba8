/* xoshiro256** seeded through splitmix64; normals by the polar method.
 * The state is small and explicit so checkpoints can store it exactly. */
#include "internal.h"

#include <math.h>
#include <stdlib.h>

struct cgan_rng {
    uint64_t s[4];
    int has_spare; /* the polar method makes normals in pairs */
    double spare;
};

static uint64_t splitmix64(uint64_t *x) {
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t next(cgan_rng *r) {
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

int cgan_rng_seed(cgan_rng *r, uint64_t seed) {
    CGAN__CHECK_NOT_NULL(r, "rng");
    for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&seed);
    r->has_spare = 0;
    r->spare = 0.0;
    return CGAN_OK;
}

int cgan_rng_create(cgan_rng **out, uint64_t seed) {
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = calloc(1, sizeof **out);
    if (*out == NULL) return cgan__error(CGAN_ENOMEM, "cgan_rng_create: out of memory");
    return cgan_rng_seed(*out, seed);
}

void cgan_rng_destroy(cgan_rng *r) { free(r); }

uint64_t cgan_rng_u64(cgan_rng *r) { return r ? next(r) : 0; }

double cgan_rng_uniform(cgan_rng *r) {
    if (r == NULL) return 0.0;
    return (double)(next(r) >> 11) * 0x1.0p-53;
}

double cgan_rng_normal(cgan_rng *r) {
    double u, v, s;
    if (r == NULL) return 0.0;
    if (r->has_spare) {
        r->has_spare = 0;
        return r->spare;
    }
    do {
        u = 2.0 * cgan_rng_uniform(r) - 1.0;
        v = 2.0 * cgan_rng_uniform(r) - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    s = sqrt(-2.0 * log(s) / s);
    r->spare = v * s;
    r->has_spare = 1;
    return u * s;
}

int64_t cgan_rng_below(cgan_rng *r, int64_t n) {
    if (r == NULL || n <= 0) return 0;
    /* Lemire-free rejection: unbiased and simple. */
    uint64_t limit = UINT64_MAX - UINT64_MAX % (uint64_t)n;
    uint64_t x;
    do x = next(r);
    while (x >= limit);
    return (int64_t)(x % (uint64_t)n);
}

int cgan_tensor_fill_normal(cgan_tensor *t, cgan_rng *r, float mean, float std) {
    CGAN__CHECK_NOT_NULL(t, "tensor");
    CGAN__CHECK_NOT_NULL(r, "rng");
    for (int64_t i = 0; i < t->numel; i++) t->data[i] = (float)(mean + std * cgan_rng_normal(r));
    return CGAN_OK;
}

int cgan_tensor_fill_uniform(cgan_tensor *t, cgan_rng *r, float lo, float hi) {
    CGAN__CHECK_NOT_NULL(t, "tensor");
    CGAN__CHECK_NOT_NULL(r, "rng");
    if (!(hi >= lo)) return cgan__error(CGAN_EINVAL, "cgan_tensor_fill_uniform: hi < lo");
    for (int64_t i = 0; i < t->numel; i++)
        t->data[i] = (float)(lo + (hi - lo) * cgan_rng_uniform(r));
    return CGAN_OK;
}

static void put_u64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static uint64_t get_u64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v |= (uint64_t)p[i] << (8 * i);
    return v;
}

int cgan_rng_get_state(const cgan_rng *r, uint8_t *state) {
    union { double d; uint64_t u; } spare;
    CGAN__CHECK_NOT_NULL(r, "rng");
    CGAN__CHECK_NOT_NULL(state, "state");
    for (int i = 0; i < 4; i++) put_u64(state + 8 * i, r->s[i]);
    put_u64(state + 32, (uint64_t)r->has_spare);
    spare.d = r->spare;
    put_u64(state + 40, spare.u);
    return CGAN_OK;
}

int cgan_rng_set_state(cgan_rng *r, const uint8_t *state) {
    union { double d; uint64_t u; } spare;
    uint64_t s[4], has;
    CGAN__CHECK_NOT_NULL(r, "rng");
    CGAN__CHECK_NOT_NULL(state, "state");
    for (int i = 0; i < 4; i++) s[i] = get_u64(state + 8 * i);
    has = get_u64(state + 32);
    if ((s[0] | s[1] | s[2] | s[3]) == 0 || has > 1)
        return cgan__error(CGAN_EFORMAT, "cgan_rng_set_state: not a valid generator state");
    for (int i = 0; i < 4; i++) r->s[i] = s[i];
    r->has_spare = (int)has;
    spare.u = get_u64(state + 40);
    r->spare = spare.d;
    return CGAN_OK;
}
