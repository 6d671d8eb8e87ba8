#!/bin/sh
# bin/cgan generate against PyTorch at the paper's full size (see the .py).
set -e
cd "$(dirname "$0")/../.."
/usr/bin/python3 tests/oracles/torch_generate_cli.py bin/cgan
