"""Fixtures for cgan_grey_autocorrelation (tests/check_analysis_texture.c).

The same quantity computed another way: the pooled sums of products and the
pair counts of every offset come from zero-padded FFTs (numpy) instead of
libcgan's direct sums over pixel pairs, then are pooled per distance shell
(|d| rounded to r) and normalised by the pair count and the variance.

Writes tests/data/analysis/autocorr_<case>_{img,mask,rho}.npy (float64
image and mask; rho for lags 1..max_lag).  Run with /usr/bin/python3.
"""
import os
import sys

import numpy as np


def autocorrelation(img, mask, max_lag):
    ok = (mask == 0).astype(float)
    mean = (img * ok).sum() / ok.sum()
    c = (img - mean) * ok
    var = (c * c).sum() / ok.sum()
    h, w = img.shape
    shape = (2 * h, 2 * w)  # zero padding: no wrap-around
    fc, fo = np.fft.rfft2(c, shape), np.fft.rfft2(ok, shape)
    prod = np.fft.irfft2(fc * np.conj(fc), shape)  # prod[dy, dx] = sum c(x) c(x + d)
    pairs = np.rint(np.fft.irfft2(fo * np.conj(fo), shape))
    s, n = np.zeros(max_lag + 1), np.zeros(max_lag + 1)
    for dy in range(-max_lag, max_lag + 1):
        for dx in range(-max_lag, max_lag + 1):
            k = int(np.floor(np.hypot(dx, dy) + 0.5))
            if 1 <= k <= max_lag:
                s[k] += prod[dy % shape[0], dx % shape[1]]
                n[k] += pairs[dy % shape[0], dx % shape[1]]
    return s[1:] / n[1:] / var


def cases(rng):
    # smooth random field (Gaussian-filtered noise by FFT), no mask
    h, w = 40, 50
    f = np.fft.rfft2(rng.normal(size=(h, w)))
    ky, kx = np.fft.fftfreq(h)[:, None], np.fft.rfftfreq(w)[None, :]
    field = np.fft.irfft2(f * np.exp(-(kx**2 + ky**2) * 200), (h, w))
    yield "smooth", field.astype(np.float32), np.zeros((h, w), np.float32), 8
    # lamellae of period 5 px at an angle, in [0, 1], with noise and a masked band
    h, w = 48, 64
    y, x = np.mgrid[0:h, 0:w]
    lam = 0.5 + 0.4 * np.sign(np.sin(2 * np.pi * (0.8 * x + 0.6 * y) / 5.0)) + rng.normal(0, 0.05, (h, w))
    mask = np.zeros((h, w), np.float32)
    mask[10:18, :] = 1
    mask[:, 50:] = 1
    yield "lamellae_masked", lam.astype(np.float32), mask, 6
    # tiny image, lags up to 4
    yield "tiny", rng.uniform(0, 1, (7, 9)).astype(np.float32), np.zeros((7, 9), np.float32), 4


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(11)
    for name, img, mask, lag in cases(rng):
        rho = autocorrelation(img.astype(np.float64), mask, lag)
        np.save(os.path.join(out, "autocorr_%s_img.npy" % name), img.astype(np.float64))
        np.save(os.path.join(out, "autocorr_%s_mask.npy" % name), mask.astype(np.float64))
        np.save(os.path.join(out, "autocorr_%s_rho.npy" % name), rho)
        print(name, lag, np.round(rho, 4))


if __name__ == "__main__":
    main()
