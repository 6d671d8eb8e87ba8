/* summary.json: the report's numbers for programs (schema in
 * docs/report.md).  Non-finite numbers are written as null. */
#include "report_internal.h"
#include "../analysis/analysis_internal.h"

#include <math.h>
#include <string.h>

void cgan__json_str(FILE *fp, const char *s) {
    if (s == NULL) {
        fputs("null", fp);
        return;
    }
    fputc('"', fp);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\') fprintf(fp, "\\%c", ch);
        else if (ch == '\n') fputs("\\n", fp);
        else if (ch == '\t') fputs("\\t", fp);
        else if (ch < 0x20) fprintf(fp, "\\u%04x", ch);
        else fputc(ch, fp);
    }
    fputc('"', fp);
}

void cgan__json_num(FILE *fp, double v) {
    if (!isfinite(v)) fputs("null", fp);
    else cgan__csv_num(fp, v);
}

static void key(FILE *fp, int *first, const char *k) {
    fputs(*first ? "" : ", ", fp);
    *first = 0;
    cgan__json_str(fp, k);
    fputs(": ", fp);
}

/* {"Feature": value, ...} of one condition's rows of means.csv. */
static void feature_map(FILE *fp, const cgan__report_in *in, const char *cond, const char *col) {
    const cgan__table *t = &in->means;
    int cc = cgan__table_col(t, "Condition"), fc = cgan__table_col(t, "Feature"),
        vc = cgan__table_col(t, col), first = 1;
    fputc('{', fp);
    for (int64_t i = 0; i < t->nrow; i++)
        if (!strcmp(cgan__table_str(t, i, cc), cond)) {
            key(fp, &first, cgan__table_str(t, i, fc));
            cgan__json_num(fp, cgan__table_num(t, i, vc));
        }
    fputc('}', fp);
}

/* First number in column col of the means rows of a condition. */
static double cond_value(const cgan__report_in *in, const char *cond, const char *col) {
    int cc = cgan__table_col(&in->means, "Condition"), vc = cgan__table_col(&in->means, col);
    for (int64_t i = 0; i < in->means.nrow; i++)
        if (!strcmp(cgan__table_str(&in->means, i, cc), cond))
            return cgan__table_num(&in->means, i, vc);
    return NAN;
}

/* recognition.csv row of (set, condition) -> accuracy, images, correct. */
static int64_t recog_row(const cgan__report_in *in, const char *set, const char *cond) {
    int sc = cgan__table_col(&in->recog, "Set"), cc = cgan__table_col(&in->recog, "Condition");
    for (int64_t i = 0; i < in->recog.nrow; i++)
        if (!strcmp(cgan__table_str(&in->recog, i, sc), set) &&
            !strcmp(cgan__table_str(&in->recog, i, cc), cond))
            return i;
    return -1;
}

static double recog_num(const cgan__report_in *in, const char *set, const char *cond,
                        const char *col) {
    return cgan__table_num(&in->recog, recog_row(in, set, cond), cgan__table_col(&in->recog, col));
}

static void confusion(FILE *fp, const cgan__report_in *in, const char *set) {
    const cgan__table *t = &in->conf;
    int sc = cgan__table_col(t, "Set"), cc = cgan__table_col(t, "Condition");
    fputc('[', fp);
    for (int k = 0; k < in->ncond; k++) {
        fputs(k ? ", [" : "[", fp);
        for (int64_t i = 0; i < t->nrow; i++)
            if (!strcmp(cgan__table_str(t, i, sc), set) &&
                !strcmp(cgan__table_str(t, i, cc), in->conds[k]))
                for (int a = 0; a < in->ncond; a++) {
                    if (a) fputs(", ", fp);
                    cgan__json_num(fp, cgan__table_num(t, i, cgan__table_col(t, in->conds[a])));
                }
        fputc(']', fp);
    }
    fputc(']', fp);
}

static void recognition_set(FILE *fp, const cgan__report_in *in, const char *set) {
    int first = 1, mc = cgan__table_col(&in->recog, "Method");
    fputc('{', fp);
    key(fp, &first, "method");
    cgan__json_str(fp, cgan__table_str(&in->recog, recog_row(in, set, "all"), mc));
    key(fp, &first, "images");
    cgan__json_num(fp, recog_num(in, set, "all", "Images"));
    key(fp, &first, "correct");
    cgan__json_num(fp, recog_num(in, set, "all", "Correct"));
    key(fp, &first, "accuracy");
    cgan__json_num(fp, recog_num(in, set, "all", "Accuracy"));
    key(fp, &first, "confusion");
    confusion(fp, in, set);
    fputc('}', fp);
}

static double mapd_of(const cgan__report_in *in, const char *feature, const char *col) {
    int fc = cgan__table_col(&in->mapd, "Feature"), vc = cgan__table_col(&in->mapd, col);
    for (int64_t i = 0; i < in->mapd.nrow; i++)
        if (!strcmp(cgan__table_str(&in->mapd, i, fc), feature))
            return cgan__table_num(&in->mapd, i, vc);
    return NAN;
}

static void mapd_map(FILE *fp, const cgan__report_in *in, const char *col) {
    int fc = cgan__table_col(&in->mapd, "Feature"), vc = cgan__table_col(&in->mapd, col), first = 1;
    fputc('{', fp);
    for (int64_t i = 0; i < in->mapd.nrow; i++) {
        key(fp, &first, cgan__table_str(&in->mapd, i, fc));
        cgan__json_num(fp, cgan__table_num(&in->mapd, i, vc));
    }
    fputc('}', fp);
}

static void conditions(FILE *fp, const cgan__report_in *in) {
    fputs("  \"conditions\": [", fp);
    for (int k = 0; k < in->ncond; k++) {
        const char *c = in->conds[k];
        int first = 1;
        fputs(k ? ",\n    {" : "\n    {", fp);
        key(fp, &first, "name");
        cgan__json_str(fp, c);
        key(fp, &first, "n_real");
        cgan__json_num(fp, cond_value(in, c, "NReal"));
        key(fp, &first, "n_generated");
        cgan__json_num(fp, cond_value(in, c, "NGenerated"));
        static const char *const cols[5][2] = {{"real", "Real"}, {"generated", "Generated"},
                                               {"deviation_pct", "DeviationPct"},
                                               {"ci95_lo_pct", "CI95Lo"}, {"ci95_hi_pct", "CI95Hi"}};
        for (int j = 0; j < 5; j++) {
            fputs(",\n     ", fp);
            key(fp, &(int){1}, cols[j][0]);
            feature_map(fp, in, c, cols[j][1]);
        }
        fputs(",\n     ", fp);
        key(fp, &(int){1}, "floor_pct");
        feature_map(fp, in, c, "FloorPct");
        fputs(",\n     ", fp);
        first = 1;
        key(fp, &first, "recognition_accuracy");
        cgan__json_num(fp, recog_num(in, "generated", c, "Accuracy"));
        key(fp, &first, "recognition_accuracy_real_loo");
        cgan__json_num(fp, recog_num(in, "real", c, "Accuracy"));
        fputc('}', fp);
    }
    fputs("\n  ],\n", fp);
}

static void training(FILE *fp, const cgan__report_in *in) {
    fputs("  \"training\": ", fp);
    if (!in->have_log) {
        fputs("null,\n", fp);
        return;
    }
    int first = 1;
    fputc('{', fp);
    key(fp, &first, "log");
    cgan__json_str(fp, "log.csv");
    key(fp, &first, "x");
    cgan__json_str(fp, in->log.xname);
    key(fp, &first, "iterations");
    cgan__json_num(fp, (double)in->log.n_iter);
    key(fp, &first, "last_iteration");
    cgan__json_num(fp, in->log.last_x);
    key(fp, &first, "final");
    int f2 = 1;
    fputc('{', fp);
    for (int s = 0; s < in->log.ns; s++) {
        key(fp, &f2, in->log.names[s]);
        cgan__json_num(fp, in->log.last[s]);
    }
    fputs("}},\n", fp);
}

static void settings(FILE *fp, const cgan__report_in *in) {
    const cgan__table *t = &in->settings;
    int kc = cgan__table_col(t, "Key"), vc = cgan__table_col(t, "Value"), first = 1;
    fputs("  \"settings\": {\"measurement\": {", fp);
    for (int64_t i = 0; i < t->nrow; i++) {
        const char *k = cgan__table_str(t, i, kc);
        if (strncmp(k, "CGAN_ANALYSIS_", 14) != 0) continue;
        key(fp, &first, k);
        cgan__json_num(fp, cgan__table_num(t, i, vc));
    }
    fputs("},\n    \"recognition\": {\"classifier\": \"nearest centroid\", \"standardisation\": "
          "\"per-feature mean and standard deviation of the real images\", \"baseline\": "
          "\"leave-one-out on the real images\", \"features\": [",
          fp);
    for (int64_t i = 0; i < t->nrow; i++)
        if (!strcmp(cgan__table_str(t, i, kc), "RecognitionFeatures")) {
            const char *s = cgan__table_str(t, i, vc);
            char name[64];
            int n = 0, off;
            while (sscanf(s, "%63s%n", name, &off) == 1) {
                fputs(n++ ? ", " : "", fp);
                cgan__json_str(fp, name);
                s += off;
            }
        }
    fputs("]}},\n", fp);
}

int cgan__report_json(FILE *fp, const cgan__report_in *in) {
    int first = 1;
    fputs("{\n  \"format\": \"cgan-report\",\n  \"version\": 1,\n  \"inputs\": {", fp);
    key(fp, &first, "compare_dir");
    cgan__json_str(fp, in->compare_dir);
    key(fp, &first, "run_dir");
    cgan__json_str(fp, in->run_dir);
    key(fp, &first, "sheet");
    cgan__json_str(fp, in->sheet_used);
    fputs("},\n", fp);
    /* the headline numbers issue 7 sets targets for */
    double chance = in->ncond ? 1.0 / in->ncond : NAN;
    fputs("  \"headline\": {\"recognition_accuracy\": ", fp);
    cgan__json_num(fp, recog_num(in, "generated", "all", "Accuracy"));
    fputs(", \"recognition_accuracy_real_loo\": ", fp);
    cgan__json_num(fp, recog_num(in, "real", "all", "Accuracy"));
    fputs(", \"recognition_chance\": ", fp);
    cgan__json_num(fp, chance);
    static const char *const hl[3][2] = {
        {"mapd_grain_size_pct", "MeanArea"}, {"mapd_density_pct", "Density"},
        {"mapd_aspect_ratio_pct", "MeanAR"}};
    for (int j = 0; j < 3; j++) {
        fprintf(fp, ", \"%s\": ", hl[j][0]);
        cgan__json_num(fp, mapd_of(in, hl[j][1], "MAPD"));
    }
    fputs("},\n", fp);
    conditions(fp, in);
    fputs("  \"mapd_pct\": ", fp);
    mapd_map(fp, in, "MAPD");
    fputs(",\n  \"recognition\": {\"conditions\": [", fp);
    for (int k = 0; k < in->ncond; k++) {
        fputs(k ? ", " : "", fp);
        cgan__json_str(fp, in->conds[k]);
    }
    fputs("],\n    \"chance\": ", fp);
    cgan__json_num(fp, chance);
    fputs(",\n    \"generated\": ", fp);
    recognition_set(fp, in, "generated");
    fputs(",\n    \"real_leave_one_out\": ", fp);
    recognition_set(fp, in, "real");
    fputs("},\n  \"noise_floor\": {\"mapd_pct\": ", fp);
    mapd_map(fp, in, "FloorMAPD");
    fputs(", \"recognition_accuracy_real_loo\": ", fp);
    cgan__json_num(fp, recog_num(in, "real", "all", "Accuracy"));
    fputs("},\n", fp);
    training(fp, in);
    settings(fp, in);
    fputs("  \"files\": {\"html\": \"report.html\"}\n}\n", fp);
    return ferror(fp) ? cgan__error(CGAN_EIO, "summary.json: write error") : CGAN_OK;
}
