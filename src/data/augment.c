/* Augmentation that respects physics: flips and the 180-degree rotation
 * keep the direction of a compression axis (vertical stays vertical), so
 * they are the default; the 90-degree rotations and diagonal mirrors swap
 * the axes and are for isotropic materials only. */
#include "../core/internal.h"
#include "data_internal.h"

int cgan_augment_transforms(uint32_t flags, int *list, int cap) {
    int n = 0, all[8];
    if (flags & ~(CGAN_AUGMENT_FLIPS | CGAN_AUGMENT_ROT180 | CGAN_AUGMENT_ROT90 | CGAN_AUGMENT_JITTER))
        return cgan__error(CGAN_EINVAL, "cgan_augment_transforms: unknown flags 0x%x", flags);
    all[n++] = CGAN_TRANSFORM_IDENTITY;
    if (flags & CGAN_AUGMENT_FLIPS) all[n++] = CGAN_TRANSFORM_FLIP_H, all[n++] = CGAN_TRANSFORM_FLIP_V;
    if (flags & CGAN_AUGMENT_ROT180) all[n++] = CGAN_TRANSFORM_ROT180;
    if (flags & CGAN_AUGMENT_ROT90) {
        all[n++] = CGAN_TRANSFORM_ROT90;
        all[n++] = CGAN_TRANSFORM_ROT270;
        all[n++] = CGAN_TRANSFORM_TRANSPOSE;
        all[n++] = CGAN_TRANSFORM_ANTITRANSPOSE;
    }
    if (!list || cap < n)
        return cgan__error(CGAN_EINVAL, "cgan_augment_transforms: list needs room for %d", n);
    for (int i = 0; i < n; i++) list[i] = all[i];
    return n;
}

void cgan__transform(const float *src, float *dst, int64_t s, int t) {
    for (int64_t y = 0; y < s; y++)
        for (int64_t x = 0; x < s; x++) {
            int64_t sx, sy; /* the source pixel that lands on (x, y) */
            switch (t) {
            case CGAN_TRANSFORM_FLIP_H: sx = s - 1 - x, sy = y; break;
            case CGAN_TRANSFORM_FLIP_V: sx = x, sy = s - 1 - y; break;
            case CGAN_TRANSFORM_ROT180: sx = s - 1 - x, sy = s - 1 - y; break;
            case CGAN_TRANSFORM_ROT90: sx = s - 1 - y, sy = x; break;  /* counter-clockwise */
            case CGAN_TRANSFORM_ROT270: sx = y, sy = s - 1 - x; break;
            case CGAN_TRANSFORM_TRANSPOSE: sx = y, sy = x; break;
            case CGAN_TRANSFORM_ANTITRANSPOSE: sx = s - 1 - y, sy = s - 1 - x; break;
            default: sx = x, sy = y;
            }
            dst[y * s + x] = src[sy * s + sx];
        }
}

int cgan_patch_transform(const float *src, float *dst, int64_t size, int transform) {
    CGAN__CHECK_NOT_NULL(src, "src");
    CGAN__CHECK_NOT_NULL(dst, "dst");
    if (size < 1 || transform < 0 || transform > 7)
        return cgan__error(CGAN_EINVAL, "cgan_patch_transform: size %lld or transform %d is invalid",
                           (long long)size, transform);
    if (src < dst + size * size && dst < src + size * size)
        return cgan__error(CGAN_EINVAL, "cgan_patch_transform: src and dst overlap");
    cgan__transform(src, dst, size, transform);
    return CGAN_OK;
}
