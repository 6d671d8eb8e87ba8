/* report.html: one self-contained page (inline style, pictures next to it
 * in the same directory) that reads from the headline numbers down to the
 * settings. */
#include "report_internal.h"

#include <math.h>
#include <string.h>

const char *const cgan__report_pictures[CGAN__REPORT_N_PICTURES] = {
    "scatter_size.svg", "scatter_density.svg", "scatter_ar.svg", "deviations.svg",
    "dist_area.svg",    "dist_ar.svg",         "confusion.svg"};

void cgan__html_text(FILE *fp, const char *s) {
    for (; s && *s; s++) switch (*s) {
        case '<': fputs("&lt;", fp); break;
        case '>': fputs("&gt;", fp); break;
        case '&': fputs("&amp;", fp); break;
        case '"': fputs("&quot;", fp); break;
        default: fputc(*s, fp);
        }
}

/* A condition name that may break after its commas (long names of several
 * condition columns have no spaces). */
static void cond_text(FILE *fp, const char *s) {
    char part[2];
    for (; *s; s++) {
        part[0] = *s, part[1] = '\0';
        cgan__html_text(fp, part);
        if (*s == ',') fputs("<wbr>", fp);
    }
}

static void num(FILE *fp, double v, const char *fmt) {
    if (isfinite(v)) fprintf(fp, fmt, v);
    else fputs("&ndash;", fp);
}

static const char *const style =
    "body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;margin:24px auto;max-width:1400px;"
    "color:#222;padding:0 16px}h1{font-size:24px}h2{font-size:19px;border-bottom:1px solid #ccc;"
    "padding-bottom:4px;margin-top:32px}table{border-collapse:collapse;font-size:13px;margin:8px 0}"
    "td,th{border:1px solid #ccc;padding:3px 5px;text-align:right;white-space:nowrap}th{background:#f2f2f2;white-space:normal}"
    "td.l,th.l{text-align:left;white-space:normal;}.row{display:grid;grid-template-columns:repeat(3,1fr);gap:12px}"
    ".row img{width:100%;height:auto;border:1px solid #eee}"
    "img.wide{max-width:100%;height:auto;border:1px solid #eee}.note{color:#666;font-size:13px}"
    ".big{font-size:20px;font-weight:bold}";

/* Row of means.csv for (condition, feature), -1 when absent. */
static int64_t mean_row(const cgan__report_in *in, const char *cond, const char *feat) {
    int cc = cgan__table_col(&in->means, "Condition"), fc = cgan__table_col(&in->means, "Feature");
    for (int64_t i = 0; i < in->means.nrow; i++)
        if (!strcmp(cgan__table_str(&in->means, i, cc), cond) &&
            !strcmp(cgan__table_str(&in->means, i, fc), feat))
            return i;
    return -1;
}

static double mean_val(const cgan__report_in *in, int64_t row, const char *col) {
    return cgan__table_num(&in->means, row, cgan__table_col(&in->means, col));
}

static double lookup(const cgan__table *t, const char *kcol, const char *k, const char *k2col,
                     const char *k2, const char *vcol) {
    int a = cgan__table_col(t, kcol), b = k2col ? cgan__table_col(t, k2col) : -1,
        v = cgan__table_col(t, vcol);
    for (int64_t i = 0; i < t->nrow; i++)
        if (!strcmp(cgan__table_str(t, i, a), k) && (!k2col || !strcmp(cgan__table_str(t, i, b), k2)))
            return cgan__table_num(t, i, v);
    return NAN;
}

static const char *const feats[4] = {"MeanArea", "Density", "MeanAR", "PhaseFraction"};
static const char *const feat_titles[4] = {"grain size (mean area)", "grain density",
                                           "aspect ratio", "phase fraction"};

static void headline(FILE *fp, const cgan__report_in *in) {
    double acc = lookup(&in->recog, "Set", "generated", "Condition", "all", "Accuracy");
    double loo = lookup(&in->recog, "Set", "real", "Condition", "all", "Accuracy");
    fputs("<h2>Summary</h2>\n<table><tr><th class=\"l\">measure</th><th>real vs generated</th>"
          "<th>real vs real (noise floor)</th></tr>\n<tr><td class=\"l\">condition recognition "
          "accuracy (chance ", fp);
    num(fp, in->ncond ? 100.0 / in->ncond : NAN, "%.1f %%");
    fputs(")</td><td class=\"big\">", fp);
    num(fp, 100 * acc, "%.1f %%");
    fputs("</td><td>", fp);
    num(fp, 100 * loo, "%.1f %% (leave-one-out)");
    fputs("</td></tr>\n", fp);
    for (int j = 0; j < 4; j++) {
        fprintf(fp, "<tr><td class=\"l\">MAPD %s</td><td class=\"big\">", feat_titles[j]);
        num(fp, lookup(&in->mapd, "Feature", feats[j], NULL, NULL, "MAPD"), "%.1f %%");
        fputs("</td><td>", fp);
        num(fp, lookup(&in->mapd, "Feature", feats[j], NULL, NULL, "FloorMAPD"), "%.1f %%");
        fputs("</td></tr>\n", fp);
    }
    fputs("</table>\n<p class=\"note\">MAPD: mean over conditions of |generated &minus; real| / "
          "real of the per-condition mean (the paper's Fig. 3d). The floor is the same quantity "
          "between random halves of the real images: differences below it cannot be told from "
          "sampling noise. Recognition: each generated image is assigned to the condition whose "
          "real images' mean standardised feature vector is nearest; the real images classified "
          "leave-one-out show how recognisable the conditions are at all.</p>\n",
          fp);
}

/* An <img> for a picture that was copied into the report, else a note. */
static void picture(FILE *fp, const cgan__report_in *in, int k, const char *alt, int wide) {
    if (!in->have_svg[k]) {
        fprintf(fp, "<p class=\"note\">(%s: not in the comparison directory)</p>\n",
                cgan__report_pictures[k]);
        return;
    }
    fprintf(fp, "<img %ssrc=\"%s\" alt=\"", wide ? "class=\"wide\" " : "", cgan__report_pictures[k]);
    cgan__html_text(fp, alt);
    fputs("\">\n", fp);
}

static void deviation_table(FILE *fp, const cgan__report_in *in) {
    fputs("<h2>Deviation table</h2>\n<table><tr><th class=\"l\" rowspan=\"2\">condition</th>"
          "<th rowspan=\"2\">images real / gen.</th>", fp);
    for (int j = 0; j < 4; j++) fprintf(fp, "<th colspan=\"3\">%s</th>", feat_titles[j]);
    fputs("</tr>\n<tr>", fp);
    for (int j = 0; j < 4; j++) fputs("<th>real</th><th>generated</th><th>deviation (floor)</th>", fp);
    fputs("</tr>\n", fp);
    for (int k = 0; k < in->ncond; k++) {
        fputs("<tr><td class=\"l\">", fp);
        cond_text(fp, in->conds[k]);
        int64_t r0 = mean_row(in, in->conds[k], feats[0]);
        fputs("</td><td>", fp);
        num(fp, mean_val(in, r0, "NReal"), "%.0f");
        fputs(" / ", fp);
        num(fp, mean_val(in, r0, "NGenerated"), "%.0f");
        fputs("</td>", fp);
        for (int j = 0; j < 4; j++) {
            int64_t r = mean_row(in, in->conds[k], feats[j]);
            fputs("<td>", fp);
            num(fp, mean_val(in, r, "Real"), "%.4g");
            fputs("</td><td>", fp);
            num(fp, mean_val(in, r, "Generated"), "%.4g");
            fputs("</td><td>", fp);
            num(fp, mean_val(in, r, "DeviationPct"), "%+.1f %%");
            fputs(" (", fp);
            num(fp, mean_val(in, r, "FloorPct"), "%.1f");
            fputs(")</td>", fp);
        }
        fputs("</tr>\n", fp);
    }
    fputs("<tr><th class=\"l\" colspan=\"2\">MAPD (floor)</th>", fp);
    for (int j = 0; j < 4; j++) {
        fputs("<th colspan=\"3\">", fp);
        num(fp, lookup(&in->mapd, "Feature", feats[j], NULL, NULL, "MAPD"), "%.1f %%");
        fputs(" (", fp);
        num(fp, lookup(&in->mapd, "Feature", feats[j], NULL, NULL, "FloorMAPD"), "%.1f %%");
        fputs(")</th>", fp);
    }
    fputs("</tr>\n</table>\n<p class=\"note\">Units as measured (settings below); every feature "
          "of every condition is in means.csv of the comparison and in summary.json.</p>\n", fp);
}

static void recognition(FILE *fp, const cgan__report_in *in) {
    fputs("<h2>Condition recognition</h2>\n", fp);
    picture(fp, in, 6, "confusion matrices", 1);
    fputs("<table><tr><th class=\"l\">condition</th><th>generated images</th><th>recognised</th>"
          "<th>accuracy</th><th>real, leave-one-out</th></tr>\n", fp);
    for (int k = 0; k <= in->ncond; k++) {
        const char *c = k < in->ncond ? in->conds[k] : "all";
        fputs(k < in->ncond ? "<tr><td class=\"l\">" : "<tr><th class=\"l\">", fp);
        cond_text(fp, c);
        fputs(k < in->ncond ? "</td><td>" : "</th><td>", fp);
        num(fp, lookup(&in->recog, "Set", "generated", "Condition", c, "Images"), "%.0f");
        fputs("</td><td>", fp);
        num(fp, lookup(&in->recog, "Set", "generated", "Condition", c, "Correct"), "%.0f");
        fputs("</td><td>", fp);
        num(fp, 100 * lookup(&in->recog, "Set", "generated", "Condition", c, "Accuracy"), "%.1f %%");
        fputs("</td><td>", fp);
        num(fp, 100 * lookup(&in->recog, "Set", "real", "Condition", c, "Accuracy"), "%.1f %%");
        fputs("</td></tr>\n", fp);
    }
    fputs("</table>\n", fp);
}

static void settings(FILE *fp, const cgan__report_in *in) {
    fputs("<h2>Settings</h2>\n<table><tr><th class=\"l\">input</th><th class=\"l\">path</th></tr>"
          "\n<tr><td class=\"l\">comparison</td><td class=\"l\">", fp);
    cgan__html_text(fp, in->compare_dir);
    fputs("</td></tr>\n<tr><td class=\"l\">training run</td><td class=\"l\">", fp);
    cgan__html_text(fp, in->run_dir ? in->run_dir : "(none)");
    fputs("</td></tr>\n<tr><td class=\"l\">sample sheet</td><td class=\"l\">", fp);
    cgan__html_text(fp, in->sheet_used ? in->sheet_used : "(none)");
    fputs("</td></tr></table>\n<table><tr><th class=\"l\">measurement setting</th><th>value</th></tr>\n",
          fp);
    for (int64_t i = 0; i < in->settings.nrow; i++) {
        fputs("<tr><td class=\"l\">", fp);
        cgan__html_text(fp, cgan__table_str(&in->settings, i, 0));
        fputs("</td><td>", fp);
        cgan__html_text(fp, cgan__table_str(&in->settings, i, 1));
        fputs("</td></tr>\n", fp);
    }
    fputs("</table>\n", fp);
}

int cgan__report_html(FILE *fp, const cgan__report_in *in) {
    fprintf(fp, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<title>libcgan report</title>\n<style>%s</style>\n</head>\n<body>\n"
                "<h1>Real vs generated microstructures</h1>\n<p class=\"note\">",
            style);
    fprintf(fp, "%d conditions. Comparison: ", in->ncond);
    cgan__html_text(fp, in->compare_dir);
    fputs(". Numbers for programs: <a href=\"summary.json\">summary.json</a>.</p>\n", fp);
    headline(fp, in);
    fputs("<h2>Samples</h2>\n", fp);
    if (in->have_sheet)
        fputs("<img class=\"wide\" src=\"sample_sheet.png\" alt=\"sample sheet\">\n<p class=\"note\">"
              "One row per condition (as in the paper's Fig. 2).</p>\n", fp);
    else
        fputs("<p class=\"note\">(no sample sheet given)</p>\n", fp);
    fputs("<h2>Real vs generated per condition (Fig. 3)</h2>\n<div class=\"row\">\n", fp);
    picture(fp, in, 0, "grain size", 0);
    picture(fp, in, 1, "grain density", 0);
    picture(fp, in, 2, "aspect ratio", 0);
    fputs("</div>\n", fp);
    picture(fp, in, 3, "MAPD per feature", 1);
    deviation_table(fp, in);
    fputs("<h2>Distributions per condition (Fig. 4)</h2>\n", fp);
    picture(fp, in, 4, "grain area distributions", 1);
    picture(fp, in, 5, "aspect ratio distributions", 1);
    recognition(fp, in);
    fputs("<h2>Training</h2>\n", fp);
    if (in->have_log)
        fputs("<img class=\"wide\" src=\"losses.svg\" alt=\"loss curves\">\n", fp);
    else
        fputs("<p class=\"note\">(no training run given)</p>\n", fp);
    settings(fp, in);
    fputs("</body>\n</html>\n", fp);
    return ferror(fp) ? cgan__error(CGAN_EIO, "report.html: write error") : CGAN_OK;
}
