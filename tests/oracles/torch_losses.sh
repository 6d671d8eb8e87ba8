#!/bin/sh
# Regenerate tests/data/loss/ (WGAN, 2C and continuous contrastive losses,
# values and gradients) with PyTorch autograd.  Needs Debian's python3-torch.
set -e
cd "$(dirname "$0")/../.."
mkdir -p tests/data/loss
/usr/bin/python3 tests/oracles/torch_losses.py tests/data/loss
