/* The options record behind cgan_prepare_opts. */
#ifndef CGAN_PREPARE_INTERNAL_H
#define CGAN_PREPARE_INTERNAL_H

#include "../core/internal.h"

struct cgan_prepare_opts {
    int64_t size, per_image, stride, min_per_class;
    double um_per_px, pct_lo, pct_hi, jitter;
    uint32_t augment;
    int continuous, contrast;
    uint64_t seed;
    char *reference;
};

#endif
