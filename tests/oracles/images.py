"""Image fixtures for tests/check_tiff.c, written by an independent encoder
(Pillow, Debian python3-pil) into DIR (tests/data/images).

Pixel values are closed formulas that tests/check_tiff.c repeats:
  8-bit   v8(x, y)  = (7x + 13y) mod 256
  16-bit  v16(x, y) = (977x + 131y) mod 65536
  RGB     (v8, 255 - v8, 3x mod 256)
Images are 40 wide and 30 high.
"""
import sys

import numpy as np
from PIL import Image

W, H = 40, 30


def v8():
    y, x = np.mgrid[0:H, 0:W]
    return ((7 * x + 13 * y) % 256).astype(np.uint8)


def v16():
    y, x = np.mgrid[0:H, 0:W]
    return ((977 * x + 131 * y) % 65536).astype(np.uint16)


def rgb():
    y, x = np.mgrid[0:H, 0:W]
    a = v8()
    return np.stack([a, 255 - a, (3 * x % 256).astype(np.uint8)], axis=-1)


def main(out):
    g8 = Image.fromarray(v8(), mode="L")
    g16 = Image.fromarray(v16())
    assert g16.mode == "I;16"
    c = Image.fromarray(rgb(), mode="RGB")
    g8.save(f"{out}/gray8.png")
    g16.save(f"{out}/gray16.png")
    c.save(f"{out}/rgb8.png")
    g8.save(f"{out}/gray8.bmp")
    g8.save(f"{out}/gray8.pgm")
    g8.save(f"{out}/gray8.jpg", quality=95)
    g8.save(f"{out}/gray8.tif")
    g8.save(f"{out}/gray8_lzw.tif", compression="tiff_lzw")
    g16.save(f"{out}/gray16.tif")
    c.save(f"{out}/rgb8.tif", compression="tiff_deflate")
    # two pages: the reader must take the first one
    inverse = Image.fromarray(255 - v8(), mode="L")
    g8.save(f"{out}/multipage.tif", save_all=True, append_images=[inverse])
    # a PNG with a .tif name: dispatch is by content, not extension
    g8.save(f"{out}/png_named.tif", format="PNG")


if __name__ == "__main__":
    main(sys.argv[1])
