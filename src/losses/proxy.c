/* Class-proxy table helpers for the 2C loss: gather the proxies of a
 * batch's labels, and scatter the proxies' gradient back into the table's
 * gradient (math-spec 3.3: dP[c] = sum over rows of class c of de_i). */
#include "loss_internal.h"

#include <stdlib.h>

/* Validate table [C, D], labels [m] / [m, 1] and rows [m, D]; y gets the
 * labels (caller frees). */
static int check_args(const char *fn, const cgan_tensor *table, const char *table_name,
                      const cgan_tensor *labels, const cgan_tensor *rows, const char *rows_name,
                      int32_t **y) {
    int64_t C, D, m, d;
    int rc;
    *y = NULL;
    if ((rc = cgan__loss_check_matrix(fn, table_name, table, -1, NULL, &C, &D)) != CGAN_OK ||
        (rc = cgan__loss_check_matrix(fn, rows_name, rows, -1, NULL, &m, &d)) != CGAN_OK)
        return rc;
    if (d != D) {
        char a[64], b[64];
        return cgan__error(CGAN_ESHAPE, "%s: %s has shape %s, expected %lld columns to match %s %s",
                           fn, rows_name, cgan__shape_str(rows, a, sizeof a), (long long)D,
                           table_name, cgan__shape_str(table, b, sizeof b));
    }
    if (C > INT32_MAX) return cgan__error(CGAN_EINVAL, "%s: %s has too many rows", fn, table_name);
    *y = malloc((size_t)m * sizeof **y);
    if (*y == NULL) return cgan__error(CGAN_ENOMEM, "%s: out of memory", fn);
    if ((rc = cgan__loss_labels(fn, "labels", labels, m, (int)C, *y)) != CGAN_OK) {
        free(*y);
        *y = NULL;
    }
    return rc;
}

int cgan_loss_proxy_gather(const cgan_tensor *table, const cgan_tensor *labels, cgan_tensor *out) {
    int32_t *y;
    int rc = check_args(__func__, table, "table", labels, out, "out", &y);
    if (rc != CGAN_OK) return rc;
    int64_t m = out->shape[0], D = out->shape[1];
    for (int64_t i = 0; i < m; i++)
        for (int64_t c = 0; c < D; c++) out->data[i * D + c] = table->data[(int64_t)y[i] * D + c];
    free(y);
    return CGAN_OK;
}

int cgan_loss_proxy_scatter_add(const cgan_tensor *rows, const cgan_tensor *labels,
                                cgan_tensor *table_grad) {
    int32_t *y;
    int rc = check_args(__func__, table_grad, "table_grad", labels, rows, "rows", &y);
    if (rc != CGAN_OK) return rc;
    int64_t m = rows->shape[0], D = rows->shape[1];
    for (int64_t i = 0; i < m; i++)
        for (int64_t c = 0; c < D; c++) table_grad->data[(int64_t)y[i] * D + c] += rows->data[i * D + c];
    free(y);
    return CGAN_OK;
}
