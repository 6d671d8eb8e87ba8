"""Test images for the ImageJ particle oracle (tests/oracles/imagej_particles.sh).

Writes 8-bit PGMs and one 16-bit PNG into the directory given as argv[1]:
random blobs, ellipses at many angles, rings with particles in their holes,
speckle and one-pixel lines, a lamellar alloy-like texture, and a 16-bit
image.  Deterministic (fixed numpy seeds).  Run with /usr/bin/python3.
"""
import os
import sys

import numpy as np
from PIL import Image
from scipy import ndimage


def save_pgm(path, a):
    a = np.clip(np.rint(a), 0, 255).astype(np.uint8)
    with open(path, "wb") as f:
        f.write(b"P5\n%d %d\n255\n" % (a.shape[1], a.shape[0]))
        f.write(a.tobytes())


def blobs(seed, sigma, shape=(128, 128)):
    rng = np.random.default_rng(seed)
    g = ndimage.gaussian_filter(rng.standard_normal(shape), sigma)
    g = (g - g.mean()) / g.std()
    return 128 + 50 * g + rng.normal(0, 6, shape)


def ellipse_mask(shape, cx, cy, a, b, deg):
    y, x = np.mgrid[0:shape[0], 0:shape[1]] + 0.5
    t = np.deg2rad(deg)  # counter-clockwise on screen (y down)
    u = (x - cx) * np.cos(t) - (y - cy) * np.sin(t)
    v = (x - cx) * np.sin(t) + (y - cy) * np.cos(t)
    return (u / a) ** 2 + (v / b) ** 2 <= 1


def ellipses():
    shape = (192, 256)
    rng = np.random.default_rng(7)
    img = np.full(shape, 200.0) + rng.normal(0, 4, shape)
    for k, deg in enumerate(range(0, 180, 15)):
        cx, cy = 32 + 64 * (k % 4), 32 + 64 * (k // 4)
        a, b = 12 + (k % 3) * 4, 5 + (k % 2) * 2
        img[ellipse_mask(shape, cx, cy, a, b, deg)] = 60
    return img


def rings():
    shape = (128, 128)
    img = np.full(shape, 210.0)
    y, x = np.mgrid[0:128, 0:128] + 0.5

    def disc(cx, cy, r):
        return (x - cx) ** 2 + (y - cy) ** 2 <= r * r

    img[disc(32, 32, 24) & ~disc(32, 32, 16)] = 40       # ring
    img[disc(32, 32, 6)] = 40                            # particle in its hole
    img[disc(92, 36, 26) & ~disc(92, 36, 20)] = 40       # ring in ring in ring
    img[disc(92, 36, 14) & ~disc(92, 36, 10)] = 40
    img[disc(92, 36, 3)] = 40
    img[disc(8, 100, 20) & ~disc(8, 100, 12)] = 40       # ring cut by the edge
    img[disc(8, 100, 4)] = 40
    img[70:120, 60:120] = 40                             # square with holes
    img[80:90, 70:80] = 210
    img[95:110, 85:112] = 210
    img[100:104, 95:100] = 40                            # speck in a hole
    img[84, 100] = 210                                   # one-pixel hole
    return img


def speckle():
    rng = np.random.default_rng(11)
    img = np.full((96, 96), 220.0)
    for _ in range(60):
        yy, xx = rng.integers(0, 96, 2)
        img[yy, xx] = 20
        kind = rng.integers(0, 4)
        if kind == 1 and xx + 1 < 96:
            img[yy, xx + 1] = 20                         # domino
        elif kind == 2 and xx + 1 < 96 and yy + 1 < 96:
            img[yy + 1, xx + 1] = 20                     # diagonal pair
        elif kind == 3 and xx + 1 < 96 and yy + 1 < 96:
            img[yy, xx + 1] = 20                         # L triomino
            img[yy + 1, xx] = 20
    img[5, 10:40] = 20                                   # one-pixel lines
    img[50:90, 3] = 20
    for i in range(20):
        img[60 + i, 40 + i] = 20                         # diagonal line
    return img


def lamellae():
    """Grains (~90) in a eutectic of near-black and near-white lamellae."""
    rng = np.random.default_rng(5)
    shape = (128, 128)
    y, x = np.mgrid[0:128, 0:128]
    lam = np.where(np.sin(2 * np.pi * (x * 0.8 + y * 0.6) / 5.0) > 0, 220.0, 30.0)
    g = ndimage.gaussian_filter(rng.standard_normal(shape), 5)
    grains = g > np.quantile(g, 0.7)
    img = np.where(grains, 90.0, lam) + rng.normal(0, 5, shape)
    return img


def sixteen():
    g = blobs(3, 3)
    return np.clip((g - 20) * 150 + 1000, 0, 65535).astype(np.uint16)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    save_pgm(os.path.join(out, "blobs2.pgm"), blobs(1, 2))
    save_pgm(os.path.join(out, "blobs4.pgm"), blobs(2, 4))
    save_pgm(os.path.join(out, "angles.pgm"), ellipses())
    save_pgm(os.path.join(out, "rings.pgm"), rings())
    save_pgm(os.path.join(out, "speckle.pgm"), speckle())
    save_pgm(os.path.join(out, "lamellae.pgm"), lamellae())
    Image.fromarray(sixteen(), mode="I;16").save(os.path.join(out, "sixteen.png"))


if __name__ == "__main__":
    main()
