#!/bin/sh
# Regenerate tests/data/gan/ from the PyTorch reference of the paper model.
set -e
cd "$(dirname "$0")/../.."
/usr/bin/python3 tests/oracles/torch_model.py tests/data/gan
