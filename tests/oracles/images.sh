#!/bin/sh
# Regenerate tests/data/images/ with Pillow (see images.py for the formulas).
set -e
mkdir -p tests/data/images
/usr/bin/python3 tests/oracles/images.py tests/data/images
echo "images: fixtures regenerated in tests/data/images"
