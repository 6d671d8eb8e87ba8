#!/bin/sh
# Regenerate tests/data/nn/ (layer and optimizer fixtures) with Debian's
# python3-torch.  See torch_layers.py for the format.
set -e
cd "$(dirname "$0")/../.."
rm -f tests/data/nn/*.npy
/usr/bin/python3 tests/oracles/torch_layers.py tests/data/nn
