/* The paper's ablation (Fig. S-5): alloy_discrete.c with the contrastive
 * loss switched off (contrastive = 0, WGAN only), everything else identical:
 * the same data, seeds, model size, iterations and measurement, so that its
 * condition-recognition accuracy and MAPD compare directly with
 * alloy_discrete's.  Same options:
 *
 *   alloy_ablation [--smoke | --full] [--out DIR] [--iters N] [--width W]
 *                  [--batch B] [--seed S]
 *
 * The one setting that differs is the whole experiment, so the program is
 * that setting plus the discrete experiment's source. */
#define ALLOY_CONTRASTIVE CGAN_CONTRASTIVE_NONE
#define ALLOY_NAME "alloy_ablation"
#include "alloy_discrete.c"
