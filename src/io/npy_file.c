/* Standalone .npy files: `cgan generate` reads noise vectors from one and
 * writes images to one. */
#include "npy_internal.h"

#include <errno.h>
#include <string.h>

int cgan_npy_save(const char *path, const cgan_tensor *t) {
    cgan__atomic_file af;
    char hdr[640];
    int rc;
    CGAN__CHECK_NOT_NULL(path, "path");
    CGAN__CHECK_NOT_NULL(t, "t");
    size_t hlen = cgan__npy_format_header(hdr, sizeof hdr, "<f4", t->ndim, t->shape);
    if ((rc = cgan__atomic_open(&af, path)) != CGAN_OK) return rc;
    if (fwrite(hdr, 1, hlen, af.fp) != hlen ||
        fwrite(t->data, sizeof(float), (size_t)t->numel, af.fp) != (size_t)t->numel) {
        cgan__atomic_abort(&af);
        return cgan__error(CGAN_EIO, "cannot write %s: write failed (disk full?)", path);
    }
    return cgan__atomic_commit(&af);
}

int cgan_npy_load(const char *path, cgan_tensor **out) {
    cgan__stream s;
    cgan__npy_header h;
    int64_t one = 1;
    int rc;
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    CGAN__CHECK_NOT_NULL(path, "path");
    FILE *fp = fopen(path, "rb");
    if (!fp) return cgan__error(CGAN_EIO, "cannot open %s: %s", path, strerror(errno));
    cgan__npy_where at = {path, NULL};
    off_t size = -1;
    if (fseeko(fp, 0, SEEK_END) == 0) size = ftello(fp);
    if (size < 0 || fseeko(fp, 0, SEEK_SET) != 0) {
        fclose(fp);
        return cgan__error(CGAN_EIO, "cannot read %s: not a seekable file", path);
    }
    rc = cgan__stream_open(&s, fp, &at, 0, (uint64_t)size, (uint64_t)size, 0, 0);
    if (rc == CGAN_OK) rc = cgan__npy_read_header(&s, &h);
    if (rc == CGAN_OK && h.data_bytes != s.out_left)
        rc = cgan__npy_fail(&at, CGAN_EFORMAT, "array needs %llu bytes but the file has %llu (truncated?)",
                            (unsigned long long)h.data_bytes, (unsigned long long)s.out_left);
    if (rc == CGAN_OK && h.ndim > CGAN_TENSOR_MAX_DIMS)
        rc = cgan__npy_fail(&at, CGAN_EUNSUPPORTED, "%d dimensions; tensors have at most %d", h.ndim,
                            CGAN_TENSOR_MAX_DIMS);
    if (rc == CGAN_OK && h.numel == 0)
        rc = cgan__npy_fail(&at, CGAN_EFORMAT, "array is empty; a tensor needs every extent >= 1");
    if (rc == CGAN_OK) rc = cgan_tensor_create(out, h.ndim ? h.ndim : 1, h.ndim ? h.shape : &one);
    if (rc == CGAN_OK) rc = cgan__npy_read_floats(&s, &h, cgan_tensor_data(*out));
    cgan__stream_close(&s);
    fclose(fp);
    if (rc != CGAN_OK) {
        cgan_tensor_destroy(*out);
        *out = NULL;
    }
    return rc;
}
