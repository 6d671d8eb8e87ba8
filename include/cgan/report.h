/*
 * libcgan report: one HTML page and a machine-readable summary of an
 * experiment, assembled from the directory `cgan compare` /
 * cgan_comparison_write_report wrote, optionally a training run directory
 * (its log.csv) and a sample sheet.  Include <cgan.h>, not this file
 * directly.  docs/report.md describes the page and the summary.json schema.
 */
#ifndef CGAN_REPORT_H
#define CGAN_REPORT_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Write out_dir/report.html and out_dir/summary.json (out_dir is created if
 * missing) from:
 *   compare_dir  a comparison report directory (required): means.csv,
 *                deviations.csv, recognition.csv, confusion.csv and
 *                settings.csv are read; its SVG plots are copied;
 *   run_dir      a training run directory or NULL: log.csv is drawn as
 *                losses.svg (the Wasserstein estimate and every loss term
 *                against the iteration);
 *   sheet        a sample-sheet PNG or NULL; when NULL and run_dir holds
 *                samples_NNNNNN.png sheets, the last one is used.
 * The page references only files that exist in out_dir (copied or
 * written there), so the directory can be moved or archived as a whole.
 * A picture the inputs do not provide is left out and the page says so.
 * Every file is written atomically.  Errors: CGAN_EINVAL (NULL out_dir or
 * compare_dir), CGAN_EIO (a directory or file that cannot be read or
 * written, named in the message), CGAN_EFORMAT (a table without the
 * expected columns, naming the file and column), CGAN_ENOMEM. */
CGAN_API int cgan_report_write(const char *out_dir, const char *compare_dir, const char *run_dir,
                               const char *sheet);

/* Draw a training log (CSV with a header row) as SVG loss curves, written
 * atomically to svg_path.  Columns are found by name, case and punctuation
 * ignored: the x axis is the first of "iteration", "iter", "step"
 * (otherwise the row number); every other column with numbers, except
 * step counters, step kinds and times ("kind", "critic step", "elapsed",
 * "seconds", "time", "images/s", "lr"), becomes a panel, the column named
 * like "wasserstein" first.  Values of one iteration are averaged (critic
 * and generator rows fill different columns), and long logs are averaged
 * into at most 600 points.  *n_series (may be NULL) receives the number of
 * panels drawn, *n_iterations (may be NULL) the number of distinct
 * iterations.  Errors: CGAN_EIO (unreadable log), CGAN_EFORMAT (no header,
 * a malformed row, or no numeric loss column, naming the file and line). */
CGAN_API int cgan_report_loss_svg(const char *log_csv, const char *svg_path, int *n_series,
                                  int64_t *n_iterations);

#ifdef __cplusplus
}
#endif
#endif /* CGAN_REPORT_H */
