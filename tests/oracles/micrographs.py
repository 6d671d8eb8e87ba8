"""Synthetic TIFF micrographs and a manifest for tests/cli_prepare.sh and
tests/check_data*.c, written with Pillow into DIR (tests/data/data/micrographs).

Each image shows bright disks ("grains") on a dark, noisy matrix; the disk
radius in micrometres depends on the condition, so a correct resampling
keeps radii equal across scales.  Images differ in scale (um/px), bit depth,
colour, one has a roi and one a crack mask, one has two pages.
"""
import sys

import numpy as np
from PIL import Image

rng = np.random.default_rng(7)


def grains(h, w, um_per_px, radius_um, bits=8):
    y, x = np.mgrid[0:h, 0:w]
    img = 0.2 + 0.05 * rng.standard_normal((h, w))
    r = radius_um / um_per_px
    for _ in range(int(h * w / (9 * r * r))):
        cy, cx = rng.uniform(0, h), rng.uniform(0, w)
        img[(y - cy) ** 2 + (x - cx) ** 2 <= r * r] = 0.8
    img = np.clip(img, 0, 1)
    if bits == 16:
        return Image.fromarray((img * 65535).astype(np.uint16))
    return Image.fromarray((img * 255).astype(np.uint8), mode="L")


def main(out):
    rows = []
    # (file, um/px, temperature, rate, radius um, kind)
    specs = [
        ("t900_r0.001_a.tif", 1.0, 900, 0.001, 4, "gray8"),
        ("t900_r0.001_b.tif", 0.5, 900, 0.001, 4, "gray16"),
        ("t1000_r0.001_a.tif", 1.0, 1000, 0.001, 7, "rgb"),
        ("t1000_r0.1_a.tif", 0.5, 1000, 0.1, 5, "multipage"),
        ("t1000_r0.1_b.tif", 1.0, 1000, 0.1, 5, "gray8"),
    ]
    for name, um, t, rate, rad, kind in specs:
        h, w = int(120 / um), int(160 / um)  # 160 x 120 um each
        if kind == "gray16":
            grains(h, w, um, rad, 16).save(f"{out}/{name}")
        elif kind == "rgb":
            g = np.asarray(grains(h, w, um, rad))
            Image.fromarray(np.stack([g, g, g], -1), mode="RGB").save(f"{out}/{name}", compression="tiff_deflate")
        elif kind == "multipage":
            grains(h, w, um, rad).save(f"{out}/{name}", save_all=True,
                                      append_images=[Image.new("L", (w, h), 255)])
        else:
            grains(h, w, um, rad).save(f"{out}/{name}", compression="tiff_lzw")
    # a crack across the last image, to be excluded
    m = np.zeros((120, 160), dtype=np.uint8)
    for x in range(160):
        m[max(0, 60 + x // 8 - 2):60 + x // 8 + 2, x] = 255
    Image.fromarray(m, mode="L").save(f"{out}/t1000_r0.1_b_mask.png")
    with open(f"{out}/manifest.csv", "w") as f:
        f.write("path,um_per_px,temperature_C,strain_rate_per_s,roi,mask\n")
        for name, um, t, rate, rad, kind in specs:
            roi = "20:10:200:200" if name == "t900_r0.001_b.tif" else ""
            mask = "t1000_r0.1_b_mask.png" if name == "t1000_r0.1_b.tif" else ""
            f.write(f"{name},{um},{t},{rate},{roi},{mask}\n")


if __name__ == "__main__":
    main(sys.argv[1])
