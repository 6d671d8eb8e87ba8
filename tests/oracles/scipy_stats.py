"""Fixtures for libcgan's two-sample distances (tests/check_analysis_stats.c).

For several sample pairs (normal, tied integers, heavy-tailed areas, very
unequal sizes) writes the samples and scipy.stats' answers:
  D  = scipy.stats.ks_2samp(a, b).statistic
  W1 = scipy.stats.wasserstein_distance(a, b)
  p  = scipy.special.kolmogorov((sqrt(ne) + 0.12 + 0.11/sqrt(ne)) * D),
       ne = na nb / (na + nb)   (the asymptotic p-value libcgan documents)
Output: tests/data/analysis/stats_cases.txt.  Run with /usr/bin/python3.
"""
import os
import sys

import numpy as np
import scipy
from scipy import special, stats


def cases():
    rng = np.random.default_rng(2024)
    yield rng.normal(0, 1, 50), rng.normal(0.3, 1.2, 70)
    yield rng.integers(0, 6, 40).astype(float), rng.integers(1, 7, 45).astype(float)
    yield np.exp(rng.normal(3, 1, 300)), np.exp(rng.normal(3.2, 0.9, 250))
    yield rng.uniform(1, 5, 7), rng.uniform(1, 5, 400)
    yield np.array([1.0, 1.0, 2.0, 3.0]), np.array([1.0, 2.0, 2.0, 2.0, 5.0])
    x = rng.normal(0, 1, 30)
    yield x, x.copy()
    yield np.array([42.0]), np.array([7.0, 8.0])


def main():
    out = sys.argv[1]
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        f.write("# scipy %s: na nb / a / b / D W1 p\n" % scipy.__version__)
        for a, b in cases():
            d = stats.ks_2samp(a, b).statistic
            w = stats.wasserstein_distance(a, b)
            ne = len(a) * len(b) / (len(a) + len(b))
            p = special.kolmogorov((np.sqrt(ne) + 0.12 + 0.11 / np.sqrt(ne)) * d)
            f.write("%d %d\n" % (len(a), len(b)))
            f.write(" ".join("%.17g" % v for v in a) + "\n")
            f.write(" ".join("%.17g" % v for v in b) + "\n")
            f.write("%.17g %.17g %.17g\n" % (d, w, p))


if __name__ == "__main__":
    main()
