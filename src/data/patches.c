/* Where patches can be cut: every corner whose size x size square lies
 * inside the image and overlaps no excluded pixel (an integral image makes
 * each test O(1)). */
#include "../core/internal.h"
#include "data_internal.h"

#include <stdlib.h>

int cgan_patch_positions(const cgan_tensor *mask, int64_t h, int64_t w, int64_t size,
                         int64_t stride, int64_t count, cgan_rng *rng, int64_t *xy, int64_t cap,
                         int64_t *found) {
    int64_t mh, mw;
    CGAN__CHECK_NOT_NULL(found, "found");
    *found = 0;
    if (h < 1 || w < 1 || size < 1 || stride < 0 || count < 0 || cap < 0 || (cap > 0 && !xy))
        return cgan__error(CGAN_EINVAL, "cgan_patch_positions: bad sizes (h %lld, w %lld, size %lld, "
                           "stride %lld, count %lld)", (long long)h, (long long)w, (long long)size,
                           (long long)stride, (long long)count);
    if (mask && (cgan__image_hw(mask, &mh, &mw) != 0 || mh != h || mw != w))
        return cgan__error(CGAN_ESHAPE, "cgan_patch_positions: mask is not %lldx%lld", (long long)w,
                           (long long)h);
    if (stride == 0 && count > 0 && !rng)
        return cgan__error(CGAN_EINVAL, "cgan_patch_positions: random positions need an rng");
    if (size > h || size > w) return CGAN_OK;
    int64_t *ii = cgan__integral(mask, h, w);
    if (mask && !ii) return cgan__error(CGAN_ENOMEM, "cgan_patch_positions: out of memory");
    int64_t nx = w - size + 1, ny = h - size + 1;
    if (stride > 0) {
        /* usable grid corners, then `count` of them spread evenly */
        int64_t gx = (nx - 1) / stride + 1, gy = (ny - 1) / stride + 1, n = 0;
        int64_t *all = malloc(sizeof *all * 2 * (size_t)(gx * gy));
        if (!all) {
            free(ii);
            return cgan__error(CGAN_ENOMEM, "cgan_patch_positions: out of memory");
        }
        for (int64_t y = 0; y < ny; y += stride)
            for (int64_t x = 0; x < nx; x += stride)
                if (cgan__integral_sum(ii, w, x, y, x + size, y + size) == 0) {
                    all[2 * n] = x;
                    all[2 * n + 1] = y;
                    n++;
                }
        int64_t keep = count > 0 && count < n ? count : n;
        if (keep > cap) keep = cap;
        for (int64_t k = 0; k < keep; k++) {
            int64_t j = keep == n ? k : (k * n) / keep;
            xy[2 * k] = all[2 * j];
            xy[2 * k + 1] = all[2 * j + 1];
        }
        *found = keep;
        free(all);
    } else {
        /* distinct random corners; give up after many misses (small usable area) */
        int64_t want = count < cap ? count : cap, tries = 200 * want + 1000;
        while (*found < want && tries-- > 0) {
            int64_t x = cgan_rng_below(rng, nx), y = cgan_rng_below(rng, ny), dup = 0;
            if (cgan__integral_sum(ii, w, x, y, x + size, y + size) != 0) continue;
            for (int64_t k = 0; k < *found && !dup; k++) dup = xy[2 * k] == x && xy[2 * k + 1] == y;
            if (dup) continue;
            xy[2 * *found] = x;
            xy[2 * *found + 1] = y;
            (*found)++;
        }
    }
    free(ii);
    return CGAN_OK;
}
