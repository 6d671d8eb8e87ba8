#!/bin/sh
# Regenerate the synthetic TIFF micrographs of tests/data/data/micrographs.
set -e
mkdir -p tests/data/data/micrographs
/usr/bin/python3 tests/oracles/micrographs.py tests/data/data/micrographs
echo "micrographs: regenerated tests/data/data/micrographs"
