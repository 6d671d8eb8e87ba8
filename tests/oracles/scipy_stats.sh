#!/bin/sh
# Regenerate tests/data/analysis/stats_cases.txt: KS and Wasserstein-1
# distances from scipy.stats (Debian's python3-scipy).
set -e
here=$(cd "$(dirname "$0")" && pwd)
/usr/bin/python3 "$here/scipy_stats.py" "$here/../data/analysis/stats_cases.txt"
echo "scipy_stats: wrote tests/data/analysis/stats_cases.txt"
