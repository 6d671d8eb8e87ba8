#!/bin/sh
# Regenerate tests/data/analysis/autocorr_*.npy: grey-level autocorrelation
# fixtures computed by FFT with numpy (Debian's python3-numpy).
set -e
here=$(cd "$(dirname "$0")" && pwd)
/usr/bin/python3 "$here/numpy_autocorrelation.py" "$here/../data/analysis"
echo "numpy_autocorrelation: wrote tests/data/analysis/autocorr_*.npy"
