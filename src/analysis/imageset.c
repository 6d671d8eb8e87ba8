/* A list of images with their processing condition and scale.  Directory
 * layout DIR/<condition>/<image>; manifest readers call cgan_imageset_add
 * once per row. */
#include "analysis_internal.h"
#include "comparison_internal.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

int cgan_imageset_create(cgan_imageset **out) {
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = calloc(1, sizeof **out);
    if (*out == NULL) return cgan__error(CGAN_ENOMEM, "%s: out of memory", __func__);
    return CGAN_OK;
}

void cgan__imageset_truncate(cgan_imageset *s, int64_t n) {
    for (; s->n > n; s->n--) {
        free(s->items[s->n - 1].path);
        free(s->items[s->n - 1].condition);
        free(s->items[s->n - 1].mask);
    }
}

void cgan_imageset_destroy(cgan_imageset *s) {
    if (s == NULL) return;
    cgan__imageset_truncate(s, 0);
    free(s->items);
    free(s);
}

int64_t cgan_imageset_count(const cgan_imageset *s) { return s ? s->n : 0; }

int cgan_imageset_add(cgan_imageset *s, const char *path, const char *condition, double um_per_px) {
    CGAN__CHECK_NOT_NULL(s, "s");
    CGAN__CHECK_NOT_NULL(path, "path");
    CGAN__CHECK_NOT_NULL(condition, "condition");
    return cgan__imageset_add_item(s, path, condition, um_per_px, NULL, NULL);
}

int cgan__imageset_add_item(cgan_imageset *s, const char *path, const char *condition,
                            double um_per_px, const int64_t *roi, const char *mask) {
    const char *fn = "cgan_imageset_add";
    if (!(um_per_px >= 0) || um_per_px > 1e6)
        return cgan__error(CGAN_EINVAL, "%s: um_per_px = %g for %s", fn, um_per_px, path);
    if (condition[0] == '\0')
        return cgan__error(CGAN_EINVAL, "%s: empty condition name for %s", fn, path);
    if (s->n == s->cap) {
        int64_t cap = s->cap ? 2 * s->cap : 32;
        cgan__image_item *it = realloc(s->items, sizeof *it * (size_t)cap);
        if (it == NULL) return cgan__error(CGAN_ENOMEM, "%s: out of memory", fn);
        s->items = it;
        s->cap = cap;
    }
    cgan__image_item *it = &s->items[s->n];
    it->path = strdup(path);
    it->condition = strdup(condition);
    it->um_per_px = um_per_px;
    it->has_roi = roi != NULL;
    if (roi) memcpy(it->roi, roi, sizeof it->roi);
    it->mask = mask ? strdup(mask) : NULL;
    if (!it->path || !it->condition || (mask && !it->mask)) {
        free(it->path);
        free(it->condition);
        free(it->mask);
        return cgan__error(CGAN_ENOMEM, "%s: out of memory", fn);
    }
    s->n++;
    return CGAN_OK;
}

static int is_image_name(const char *name) {
    static const char *ext[] = {".png", ".pgm", ".tif", ".tiff", ".jpg", ".jpeg", ".bmp"};
    const char *dot = strrchr(name, '.');
    if (dot == NULL || name[0] == '.') return 0;
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++)
        if (strcasecmp(dot, ext[i]) == 0) return 1;
    return 0;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of the entries of dir that pass keep(); *names is malloc'ed. */
static int list_dir(const char *dir, int want_dirs, char ***names, int *n) {
    DIR *d = opendir(dir);
    if (d == NULL)
        return cgan__error(CGAN_EIO, "cgan_imageset_add_dir: cannot read directory %s: %s", dir,
                           strerror(errno));
    char **v = NULL;
    int cnt = 0, cap = 0, rc = CGAN_OK;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &st) != 0) continue;
        if (want_dirs ? !S_ISDIR(st.st_mode) : !(S_ISREG(st.st_mode) && is_image_name(e->d_name)))
            continue;
        if (cnt == cap) {
            char **t = realloc(v, sizeof *v * (size_t)(cap = cap ? 2 * cap : 16));
            if (t == NULL) { rc = CGAN_ENOMEM; break; }
            v = t;
        }
        if ((v[cnt] = strdup(e->d_name)) == NULL) { rc = CGAN_ENOMEM; break; }
        cnt++;
    }
    closedir(d);
    if (rc != CGAN_OK) {
        for (int i = 0; i < cnt; i++) free(v[i]);
        free(v);
        return cgan__error(CGAN_ENOMEM, "cgan_imageset_add_dir: out of memory");
    }
    if (cnt > 1) qsort(v, (size_t)cnt, sizeof *v, cmp_str);
    *names = v;
    *n = cnt;
    return CGAN_OK;
}

static void free_names(char **v, int n) {
    for (int i = 0; i < n; i++) free(v[i]);
    free(v);
}

int cgan_imageset_add_dir(cgan_imageset *s, const char *dir, double um_per_px) {
    CGAN__CHECK_NOT_NULL(s, "s");
    CGAN__CHECK_NOT_NULL(dir, "dir");
    char **conds;
    int nc, rc, added = 0;
    if ((rc = list_dir(dir, 1, &conds, &nc)) != CGAN_OK) return rc;
    for (int c = 0; c < nc && rc == CGAN_OK; c++) {
        char sub[4096], path[8192];
        char **files;
        int nf;
        if (snprintf(sub, sizeof sub, "%s/%s", dir, conds[c]) >= (int)sizeof sub) {
            rc = cgan__error(CGAN_EINVAL, "cgan_imageset_add_dir: path too long: %s/%s", dir,
                             conds[c]);
            break;
        }
        if ((rc = list_dir(sub, 0, &files, &nf)) != CGAN_OK) break;
        for (int f = 0; f < nf && rc == CGAN_OK; f++) {
            snprintf(path, sizeof path, "%s/%s", sub, files[f]);
            rc = cgan_imageset_add(s, path, conds[c], um_per_px);
            added += rc == CGAN_OK;
        }
        free_names(files, nf);
    }
    free_names(conds, nc);
    if (rc == CGAN_OK && added == 0)
        rc = cgan__error(CGAN_EINVAL,
                         "cgan_imageset_add_dir: no images in %s (expected %s/<condition>/*.png)",
                         dir, dir);
    return rc;
}
