#!/bin/sh
# NumPy oracle for the .npy/.npz module (run from the top directory after
# `make lib`, by `make oracles`):
#  1. regenerate tests/data/npz/ with np.save / np.savez / np.savez_compressed
#     (tests/check_npz.c reads them);
#  2. round trip: build tests/oracles/npz_write.c against lib/libcgan.a, let
#     it write deflated, stored and ZIP64 archives plus a .npy, and check every
#     value with numpy.load and zipfile's CRC test.
set -e
PY=/usr/bin/python3
mkdir -p tests/data/npz
$PY tests/oracles/numpy_npz.py fixtures tests/data/npz
tmp=$(mktemp -d /tmp/cgan-npz-oracle-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
${CC:-cc} -std=c99 -Iinclude tests/oracles/npz_write.c lib/libcgan.a \
    $(pkg-config --libs openblas zlib stb libpng libtiff-4 fftw3f) -lm -lpthread -o "$tmp/npz_write"
"$tmp/npz_write" "$tmp"
$PY tests/oracles/numpy_npz.py verify "$tmp/deflate.npz" "$tmp/stored.npz" "$tmp/zip64.npz" "$tmp/z.npy"
echo "numpy_npz: fixtures regenerated, libcgan archives open in numpy"
