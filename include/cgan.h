/*
 * libcgan: conditional Wasserstein GANs for microstructure prediction.
 *
 * This umbrella header is the whole public API; include only this file.
 * Every symbol is prefixed cgan_ / CGAN_.  The headers are C99 and C++ safe.
 * docs/api.md describes the conventions (ownership, errors, threads) and
 * docs/abi.md the compatibility policy.
 */
#ifndef CGAN_H
#define CGAN_H

#include "cgan/core.h"
#include "cgan/image.h"
#include "cgan/npz.h"
#include "cgan/nn.h"
#include "cgan/loss.h"
#include "cgan/data.h"
#include "cgan/analysis.h"
#include "cgan/gan.h"
#include "cgan/synth.h"
#include "cgan/report.h"

#endif /* CGAN_H */
