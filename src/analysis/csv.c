/* CSV output shared by the measurement tables and the comparison report. */
#include "analysis_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const cgan__feature_names[CGAN_FEATURE_COUNT_] = {
    "Count",         "MeanArea",      "Density",           "MeanAR",
    "AreaFraction",  "PhaseFraction", "SpecificPerimeter", "ChordX",
    "ChordY",        "Euler",         "Speckle",           "MeanECD",
    "ThresholdLo",   "ThresholdHi",   "TotalArea"};

const char *const cgan__sample_names[CGAN_SAMPLE_COUNT_] = {"Area", "ECD", "AR", "ChordX",
                                                             "ChordY"};

void cgan__csv_num(FILE *fp, double v) {
    if (isnan(v)) {
        fputs("nan", fp);
        return;
    }
    char buf[40];
    for (int prec = 9; prec <= 17; prec++) { /* shortest that round-trips */
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) break;
    }
    fputs(buf, fp);
}

void cgan__csv_str(FILE *fp, const char *s) {
    if (strpbrk(s, ",\"\n\r") == NULL) {
        fputs(s, fp);
        return;
    }
    fputc('"', fp);
    for (; *s; s++) {
        if (*s == '"') fputc('"', fp);
        fputc(*s, fp);
    }
    fputc('"', fp);
}

static int check_args(const char *fn, const char *path, const cgan_micrograph *const *ms,
                      const char *const *names, int n) {
    if (path == NULL || ms == NULL || names == NULL || n < 0)
        return cgan__error(CGAN_EINVAL, "%s: path, ms or names is NULL, or n < 0", fn);
    for (int i = 0; i < n; i++)
        if (ms[i] == NULL || names[i] == NULL)
            return cgan__error(CGAN_EINVAL, "%s: ms[%d] or names[%d] is NULL", fn, i, i);
    return CGAN_OK;
}

int cgan_micrograph_write_particles_csv(const char *path, const cgan_micrograph *const *ms,
                                        const char *const *names, int n) {
    static const cgan_particle_col cols[] = {CGAN_COL_AREA,  CGAN_COL_X,     CGAN_COL_Y,
                                             CGAN_COL_PERIM, CGAN_COL_MAJOR, CGAN_COL_MINOR,
                                             CGAN_COL_ANGLE, CGAN_COL_CIRC,  CGAN_COL_AR};
    int rc = check_args(__func__, path, ms, names, n);
    if (rc != CGAN_OK) return rc;
    cgan__atomic_file af;
    if ((rc = cgan__atomic_open(&af, path)) != CGAN_OK) return rc;
    fputs("Image,Area,X,Y,Perim.,Major,Minor,Angle,Circ.,AR\n", af.fp);
    for (int i = 0; i < n; i++)
        for (int64_t p = 0; p < ms[i]->n; p++) {
            cgan__csv_str(af.fp, names[i]);
            for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++) {
                fputc(',', af.fp);
                cgan__csv_num(af.fp, ms[i]->cols[p * CGAN_COL_COUNT_ + cols[c]]);
            }
            fputc('\n', af.fp);
        }
    return cgan__atomic_commit(&af);
}

int cgan_micrograph_write_summary_csv(const char *path, const cgan_micrograph *const *ms,
                                      const char *const *names, int n) {
    int rc = check_args(__func__, path, ms, names, n);
    if (rc != CGAN_OK) return rc;
    cgan__atomic_file af;
    if ((rc = cgan__atomic_open(&af, path)) != CGAN_OK) return rc;
    fputs("Image,Width,Height", af.fp);
    for (int f = 0; f < CGAN_FEATURE_COUNT_; f++) fprintf(af.fp, ",%s", cgan__feature_names[f]);
    fputc('\n', af.fp);
    for (int i = 0; i < n; i++) {
        cgan__csv_str(af.fp, names[i]);
        fprintf(af.fp, ",%d,%d", ms[i]->w, ms[i]->h);
        for (int f = 0; f < CGAN_FEATURE_COUNT_; f++) {
            fputc(',', af.fp);
            cgan__csv_num(af.fp, ms[i]->feat[f]);
        }
        fputc('\n', af.fp);
    }
    return cgan__atomic_commit(&af);
}
