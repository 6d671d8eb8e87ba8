/* Report files of the condition recognition (recognition.csv,
 * confusion.csv, recognition_images.csv, the confusion.svg heat maps) and
 * the settings table of the comparison (settings.csv). */
#include "comparison_internal.h"
#include "svg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const set_names[2] = {"real", "generated"};
static const char *const set_methods[2] = {"leave-one-out on real images",
                                           "nearest real-condition centroid"};

static const int64_t *conf(const cgan_comparison *c, int set) {
    return c->confusion + (size_t)set * c->ncond * c->ncond;
}

/* Generated first: the number the report is about; then the baseline. */
static int write_summary(const cgan_comparison *c, FILE *fp, const void *arg) {
    (void)arg;
    fputs("Set,Method,Condition,Images,Correct,Accuracy,Chance\n", fp);
    for (int si = 0; si < 2; si++) {
        int s = 1 - si;
        int64_t all = 0, right = 0;
        for (int k = 0; k <= c->ncond; k++) {
            int64_t n = 0, ok = 0;
            if (k < c->ncond) {
                n = c->members[2 * k + s].n; /* unassigned images count as wrong */
                ok = conf(c, s)[k * c->ncond + k];
                all += n, right += ok;
            } else {
                n = all, ok = right;
            }
            fprintf(fp, "%s,%s,", set_names[s], set_methods[s]);
            cgan__csv_str(fp, k < c->ncond ? c->cond_names[k] : "all");
            fprintf(fp, ",%lld,%lld,", (long long)n, (long long)ok);
            cgan__csv_num(fp, n ? (double)ok / (double)n : NAN);
            fputc(',', fp);
            cgan__csv_num(fp, 1.0 / c->ncond);
            fputc('\n', fp);
        }
    }
    return CGAN_OK;
}

static int write_confusion(const cgan_comparison *c, FILE *fp, const void *arg) {
    (void)arg;
    fputs("Set,Condition", fp);
    for (int a = 0; a < c->ncond; a++) fputc(',', fp), cgan__csv_str(fp, c->cond_names[a]);
    fputc('\n', fp);
    for (int si = 0; si < 2; si++)
        for (int k = 0; k < c->ncond; k++) {
            fprintf(fp, "%s,", set_names[1 - si]);
            cgan__csv_str(fp, c->cond_names[k]);
            for (int a = 0; a < c->ncond; a++)
                fprintf(fp, ",%lld", (long long)conf(c, 1 - si)[k * c->ncond + a]);
            fputc('\n', fp);
        }
    return CGAN_OK;
}

static int write_images(const cgan_comparison *c, FILE *fp, const void *arg) {
    (void)arg;
    fputs("Set,Condition,Path,Assigned,Correct\n", fp);
    for (int64_t i = 0; i < c->nimg; i++) {
        const cgan__image_rec *r = &c->img[i];
        int a = c->assigned[i];
        fprintf(fp, "%s,", set_names[r->set]);
        cgan__csv_str(fp, c->cond_names[r->cond]);
        fputc(',', fp);
        cgan__csv_str(fp, r->path);
        fputc(',', fp);
        cgan__csv_str(fp, a >= 0 ? c->cond_names[a] : "");
        fprintf(fp, ",%d\n", a == r->cond);
    }
    return CGAN_OK;
}

static int write_settings(const cgan_comparison *c, FILE *fp, const void *arg) {
    (void)arg;
    fputs("Key,Value\n", fp);
    for (int k = 0; k < CGAN__N_PARAMS; k++) {
        fprintf(fp, "%s,", cgan__analysis_param_name(k));
        cgan__csv_num(fp, c->opts.v[k]);
        fputc('\n', fp);
    }
    fputs("RecognitionFeatures,", fp);
    for (int j = 0; j < CGAN_RECOGNITION_N_FEATURES; j++)
        fprintf(fp, "%s%s", j ? " " : "", cgan_recognition_feature_name(j));
    fputc('\n', fp);
    return CGAN_OK;
}

int cgan__write_recognition_csv(const cgan_comparison *c, const char *dir) {
    int rc = cgan__write_report_file(c, dir, "recognition.csv", write_summary, NULL);
    if (rc == CGAN_OK) rc = cgan__write_report_file(c, dir, "confusion.csv", write_confusion, NULL);
    if (rc == CGAN_OK)
        rc = cgan__write_report_file(c, dir, "recognition_images.csv", write_images, NULL);
    return rc;
}

int cgan__write_settings_csv(const cgan_comparison *c, const char *dir) {
    return cgan__write_report_file(c, dir, "settings.csv", write_settings, NULL);
}

/* ------------------------------------------------------------ heat map */
/* One confusion matrix at (x0, y0): cells shaded by the row fraction,
 * with the count written in; rows and columns numbered 1..n. */
static void heat_map(const cgan_comparison *c, FILE *fp, int set, double x0, double y0,
                     double cell) {
    int n = c->ncond;
    char buf[160];
    snprintf(buf, sizeof buf, "%s: accuracy %.1f %%", set ? "generated, by real centroids"
                                                          : "real, leave-one-out (baseline)",
             100.0 * c->rec_acc[set]);
    cgan__svg_text(fp, x0 + n * cell / 2, y0 - 34, "middle", 14, 1, 0, buf);
    cgan__svg_text(fp, x0 + n * cell / 2, y0 - 14, "middle", 12, 0, 0, "assigned condition");
    cgan__svg_text(fp, x0 - 30, y0 + n * cell / 2, "middle", 12, 0, -90, "true condition");
    for (int k = 0; k < n; k++) {
        int64_t tot = 0;
        for (int a = 0; a < n; a++) tot += conf(c, set)[k * n + a];
        snprintf(buf, sizeof buf, "%d", k + 1);
        cgan__svg_text(fp, x0 - 8, y0 + (k + 0.5) * cell + 4, "end", 11, 0, 0, buf);
        cgan__svg_text(fp, x0 + (k + 0.5) * cell, y0 + n * cell + 16, "middle", 11, 0, 0, buf);
        for (int a = 0; a < n; a++) {
            int64_t v = conf(c, set)[k * n + a];
            double f = tot ? (double)v / (double)tot : 0;
            /* white to the report's blue (#1f77b4) */
            int r = (int)lround(255 - f * (255 - 0x1f)), g = (int)lround(255 - f * (255 - 0x77)),
                b = (int)lround(255 - f * (255 - 0xb4));
            fprintf(fp,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                    "fill=\"#%02x%02x%02x\" stroke=\"%s\" stroke-width=\"%s\"/>\n",
                    x0 + a * cell, y0 + k * cell, cell, cell, r, g, b, a == k ? "#333" : "#ccc",
                    a == k ? "1.5" : "1");
            snprintf(buf, sizeof buf, "%lld", (long long)v);
            fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" text-anchor=\"middle\" "
                        "fill=\"%s\">%s</text>\n",
                    x0 + (a + 0.5) * cell, y0 + (k + 0.5) * cell + 4, cell > 30 ? 12 : 9,
                    f > 0.55 ? "white" : "#222", buf);
        }
    }
}

static int draw_confusion(const cgan_comparison *c, FILE *fp, const void *arg) {
    (void)arg;
    int n = c->ncond;
    double cell = n <= 8 ? 44 : fmax(14, 352.0 / n), side = n * cell;
    double W = 2 * side + 240, H = side + 110 + 18.0 * n + 30;
    cgan__svg_begin(fp, (int)W, (int)H, "Condition recognition: confusion matrices");
    heat_map(c, fp, 1, 80, 70, cell);
    heat_map(c, fp, 0, 80 + side + 120, 70, cell);
    /* key: number -> condition name */
    double ky = 70 + side + 44;
    for (int k = 0; k < n; k++) {
        char buf[300];
        snprintf(buf, sizeof buf, "%d: %.200s", k + 1, c->cond_names[k]);
        cgan__svg_text(fp, 40, ky + 18.0 * k, "start", 12, 0, 0, buf);
    }
    char chance[80];
    snprintf(chance, sizeof chance, "chance: %.1f %%", 100.0 / n);
    cgan__svg_text(fp, W - 20, ky, "end", 12, 0, 0, chance);
    cgan__svg_end(fp);
    return CGAN_OK;
}

int cgan__write_recognition_svg(const cgan_comparison *c, const char *dir) {
    return cgan__write_report_file(c, dir, "confusion.svg", draw_confusion, NULL);
}
