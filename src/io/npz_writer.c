/* Writing .npz archives: each member is a .npy image streamed through
 * deflate (or stored) into a temporary file; the local header is patched
 * with the CRC-32 and sizes afterwards, and finish appends the central
 * directory and renames the file into place.  Entries get a fixed
 * 1980-01-01 timestamp so the same data always gives the same bytes. */
#include "npy_internal.h"

#include <stdlib.h>
#include <string.h>

#define OUTBUF 65536
#define ZIP64_AT 0xffffffffu

typedef struct wentry {
    char *name; /* "NAME.npy" */
    uint32_t crc;
    uint64_t csize, usize, offset;
    int zip64;  /* local header carries a ZIP64 extra field */
} wentry;

struct cgan_npz_writer {
    cgan__atomic_file af;
    char *path;
    uint32_t flags;
    int state; /* 0 open, 1 finished, 2 failed */
    wentry *e;
    int64_t n, cap;
    unsigned char *outbuf;
    /* the member being written */
    z_stream z;
    uint32_t crc;
    uint64_t csize;
};

static void put16(unsigned char *p, unsigned v) { p[0] = (unsigned char)v; p[1] = (unsigned char)(v >> 8); }
static void put32(unsigned char *p, uint32_t v) { put16(p, v & 0xffff); put16(p + 2, v >> 16); }
static void put64(unsigned char *p, uint64_t v) { put32(p, (uint32_t)v); put32(p + 4, (uint32_t)(v >> 32)); }

static int io_fail(cgan_npz_writer *w, const char *what) {
    w->state = 2;
    return cgan__error(CGAN_EIO, "cannot write %s: %s", w->path, what);
}

int cgan_npz_writer_create(cgan_npz_writer **out, const char *path, uint32_t flags) {
    int rc;
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    CGAN__CHECK_NOT_NULL(path, "path");
    if (flags & ~(CGAN_NPZ_STORED | CGAN_NPZ_ZIP64))
        return cgan__error(CGAN_EINVAL, "cgan_npz_writer_create: unknown flags 0x%x", flags);
    cgan_npz_writer *w = calloc(1, sizeof *w);
    if (!w || !(w->path = strdup(path)) || !(w->outbuf = malloc(OUTBUF))) {
        if (w) free(w->path);
        free(w);
        return cgan__error(CGAN_ENOMEM, "cgan_npz_writer_create: out of memory");
    }
    w->flags = flags;
    if ((rc = cgan__atomic_open(&w->af, path)) != CGAN_OK) {
        free(w->outbuf);
        free(w->path);
        free(w);
        return rc;
    }
    *out = w;
    return CGAN_OK;
}

void cgan_npz_writer_destroy(cgan_npz_writer *w) {
    if (!w) return;
    if (w->af.fp) cgan__atomic_abort(&w->af);
    for (int64_t i = 0; i < w->n; i++) free(w->e[i].name);
    free(w->e);
    free(w->outbuf);
    free(w->path);
    free(w);
}

static int check_name(cgan_npz_writer *w, const char *fn, const char *name) {
    if (!w) return cgan__error(CGAN_EINVAL, "%s: writer is NULL", fn);
    if (w->state != 0)
        return cgan__error(CGAN_ESTATE, "%s: writer for %s is %s", fn, w->path,
                           w->state == 1 ? "already finished" : "unusable after a failure");
    if (!name || !name[0] || strlen(name) > 1000 || name[0] == '/')
        return cgan__error(CGAN_EINVAL, "%s: member name must be 1..1000 bytes, not starting with '/'", fn);
    size_t len = strlen(name);
    for (int64_t i = 0; i < w->n; i++)
        if (strlen(w->e[i].name) == len + 4 && !strncmp(w->e[i].name, name, len))
            return cgan__error(CGAN_EINVAL, "%s: %s already has a member '%s'", fn, w->path, name);
    return CGAN_OK;
}

/* Local file header (30 bytes), name, and for ZIP64 the extra field with
 * both sizes (the 32-bit fields then hold 0xffffffff).  Returns its size. */
static size_t local_header(unsigned char *h, const wentry *e, int method) {
    size_t nlen = strlen(e->name);
    put32(h, 0x04034b50);
    put16(h + 4, e->zip64 ? 45 : 20);
    put16(h + 6, 0x800);   /* names are UTF-8 */
    put16(h + 8, (unsigned)method);
    put16(h + 10, 0);      /* time 00:00 */
    put16(h + 12, 0x21);   /* date 1980-01-01 */
    put32(h + 14, e->crc);
    put32(h + 18, e->zip64 ? ZIP64_AT : (uint32_t)e->csize);
    put32(h + 22, e->zip64 ? ZIP64_AT : (uint32_t)e->usize);
    put16(h + 26, (unsigned)nlen);
    put16(h + 28, e->zip64 ? 20 : 0);
    memcpy(h + 30, e->name, nlen);
    if (!e->zip64) return 30 + nlen;
    put16(h + 30 + nlen, 0x0001);
    put16(h + 32 + nlen, 16);
    put64(h + 34 + nlen, e->usize);
    put64(h + 42 + nlen, e->csize);
    return 50 + nlen;
}

static int emit(cgan_npz_writer *w, const void *buf, size_t n) {
    if (n && fwrite(buf, 1, n, w->af.fp) != n) return io_fail(w, "write failed (disk full?)");
    w->csize += n;
    return CGAN_OK;
}

/* Feed member bytes: CRC, then deflate or copy. */
static int feed(cgan_npz_writer *w, const void *data, size_t n, int last) {
    const unsigned char *p = data;
    size_t left = n;
    do {
        uInt c = left > (1u << 30) ? (1u << 30) : (uInt)left;
        if (c) w->crc = (uint32_t)crc32(w->crc, p, c);
        if (w->flags & CGAN_NPZ_STORED) {
            if (emit(w, p, c) != CGAN_OK) return CGAN_EIO;
        } else {
            int fin = last && left == c, zr;
            w->z.next_in = (Bytef *)p;
            w->z.avail_in = c;
            do { /* until the input is used up, and with Z_FINISH until the end */
                w->z.next_out = w->outbuf;
                w->z.avail_out = OUTBUF;
                zr = deflate(&w->z, fin ? Z_FINISH : Z_NO_FLUSH);
                if (zr == Z_STREAM_ERROR) return io_fail(w, "zlib deflate failed");
                if (emit(w, w->outbuf, OUTBUF - w->z.avail_out) != CGAN_OK) return CGAN_EIO;
            } while (fin ? zr != Z_STREAM_END : (w->z.avail_out == 0 || w->z.avail_in > 0));
        }
        p += c;
        left -= c;
    } while (left > 0);
    return CGAN_OK;
}

/* Converter from the caller's array to the stored bytes, chunk by chunk. */
typedef size_t (*encode_fn)(const void *src, int64_t first, int64_t count, unsigned char *out);

static size_t enc_copy4(const void *src, int64_t a, int64_t n, unsigned char *o) {
    memcpy(o, (const char *)src + a * 4, (size_t)n * 4); /* little-endian host */
    return (size_t)n * 4;
}
static size_t enc_copy8(const void *src, int64_t a, int64_t n, unsigned char *o) {
    memcpy(o, (const char *)src + a * 8, (size_t)n * 8);
    return (size_t)n * 8;
}
static size_t enc_copy1(const void *src, int64_t a, int64_t n, unsigned char *o) {
    memcpy(o, (const char *)src + a, (size_t)n);
    return (size_t)n;
}

/* Write one member: header text, then numel elements of itemsize bytes. */
static int add_member(cgan_npz_writer *w, const char *name, const char *descr, int ndim,
                      const int64_t *shape, int64_t numel, int64_t itemsize, const void *src,
                      encode_fn enc) {
    char hdr[640];
    size_t hlen = cgan__npy_format_header(hdr, sizeof hdr, descr, ndim, shape);
    size_t nlen = strlen(name) + 4, lhlen;
    int method = (w->flags & CGAN_NPZ_STORED) ? 0 : 8;
    unsigned char lh[30 + 1004 + 20];
    int rc = CGAN_OK;
    if (hlen == 0) return cgan__error(CGAN_EINTERNAL, "npz: header for '%s' does not fit", name);
    if (w->n == w->cap) {
        int64_t cap = w->cap ? 2 * w->cap : 16;
        wentry *e = realloc(w->e, (size_t)cap * sizeof *e);
        if (!e) return cgan__error(CGAN_ENOMEM, "npz: out of memory");
        w->e = e;
        w->cap = cap;
    }
    wentry *e = &w->e[w->n];
    memset(e, 0, sizeof *e);
    e->usize = hlen + (uint64_t)numel * (uint64_t)itemsize;
    /* deflate may expand incompressible data slightly; decide ZIP64 up front */
    e->zip64 = (w->flags & CGAN_NPZ_ZIP64) || e->usize + e->usize / 1000 + 1024 >= ZIP64_AT;
    if (!(e->name = malloc(nlen + 1))) return cgan__error(CGAN_ENOMEM, "npz: out of memory");
    snprintf(e->name, nlen + 1, "%s.npy", name);
    w->n++; /* from here the entry is owned by the writer */
    off_t off = ftello(w->af.fp);
    if (off < 0) return io_fail(w, "cannot tell the file position");
    e->offset = (uint64_t)off;
    lhlen = local_header(lh, e, method); /* CRC and sizes are patched below */
    if (fwrite(lh, 1, lhlen, w->af.fp) != lhlen) return io_fail(w, "write failed (disk full?)");
    w->crc = (uint32_t)crc32(0L, Z_NULL, 0);
    w->csize = 0;
    if (!(w->flags & CGAN_NPZ_STORED) &&
        deflateInit2(&w->z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return io_fail(w, "cannot initialise zlib");
    rc = feed(w, hdr, hlen, numel == 0);
    unsigned char *chunk = rc == CGAN_OK ? malloc(65536) : NULL;
    if (rc == CGAN_OK && !chunk) rc = io_fail(w, "out of memory");
    int64_t per = itemsize > 0 ? 65536 / itemsize : 0;
    for (int64_t i = 0; rc == CGAN_OK && i < numel; i += per) {
        int64_t cnt = numel - i < per ? numel - i : per;
        size_t nb = enc(src, i, cnt, chunk);
        rc = feed(w, chunk, nb, i + cnt == numel);
    }
    free(chunk);
    if (!(w->flags & CGAN_NPZ_STORED)) deflateEnd(&w->z);
    if (rc != CGAN_OK) return rc;
    e->crc = w->crc;
    e->csize = w->csize;
    if (!e->zip64 && e->csize >= ZIP64_AT) return io_fail(w, "member grew past 4 GiB unexpectedly");
    /* patch the local header now that CRC and sizes are known */
    local_header(lh, e, method);
    off_t end = ftello(w->af.fp);
    if (end < 0 || fseeko(w->af.fp, (off_t)e->offset, SEEK_SET) != 0 ||
        fwrite(lh, 1, lhlen, w->af.fp) != lhlen ||
        fseeko(w->af.fp, end, SEEK_SET) != 0)
        return io_fail(w, "cannot patch the local header");
    return CGAN_OK;
}

static int check_shape(const char *fn, int ndim, const int64_t *shape, const void *data,
                       int64_t *numel) {
    *numel = 1;
    if (ndim < 0 || ndim > CGAN_NPY_MAX_DIMS)
        return cgan__error(CGAN_EINVAL, "%s: ndim %d is not in 0..%d", fn, ndim, CGAN_NPY_MAX_DIMS);
    if (ndim > 0 && !shape) return cgan__error(CGAN_EINVAL, "%s: shape is NULL", fn);
    for (int i = 0; i < ndim; i++) {
        if (shape[i] < 0 || (shape[i] > 0 && *numel > (INT64_MAX >> 4) / shape[i]))
            return cgan__error(CGAN_EINVAL, "%s: extent %lld of axis %d is invalid", fn,
                               (long long)shape[i], i);
        *numel *= shape[i];
    }
    if (*numel > 0 && !data) return cgan__error(CGAN_EINVAL, "%s: data is NULL", fn);
    return CGAN_OK;
}

/* A fixed-size numeric member: dtype descr, itemsize bytes per element. */
static int add_numeric(cgan_npz_writer *w, const char *fn, const char *name, const char *descr,
                       int64_t itemsize, encode_fn enc, int ndim, const int64_t *shape,
                       const void *data) {
    int64_t numel;
    int rc = check_name(w, fn, name);
    if (rc == CGAN_OK) rc = check_shape(fn, ndim, shape, data, &numel);
    if (rc == CGAN_OK) rc = add_member(w, name, descr, ndim, shape, numel, itemsize, data, enc);
    return rc;
}

int cgan_npz_add_float(cgan_npz_writer *w, const char *name, int ndim, const int64_t *shape,
                       const float *data) {
    return add_numeric(w, __func__, name, "<f4", 4, enc_copy4, ndim, shape, data);
}

int cgan_npz_add_int64(cgan_npz_writer *w, const char *name, int ndim, const int64_t *shape,
                       const int64_t *data) {
    return add_numeric(w, __func__, name, "<i8", 8, enc_copy8, ndim, shape, data);
}

int cgan_npz_add_double(cgan_npz_writer *w, const char *name, int ndim, const int64_t *shape,
                        const double *data) {
    return add_numeric(w, __func__, name, "<f8", 8, enc_copy8, ndim, shape, data);
}

int cgan_npz_add_tensor(cgan_npz_writer *w, const char *name, const cgan_tensor *t) {
    CGAN__CHECK_NOT_NULL(t, "t");
    return cgan_npz_add_float(w, name, t->ndim, t->shape, t->data);
}

int cgan_npz_add_float_scalar(cgan_npz_writer *w, const char *name, float value) {
    return cgan_npz_add_float(w, name, 0, NULL, &value);
}

int cgan_npz_add_int64_scalar(cgan_npz_writer *w, const char *name, int64_t value) {
    return cgan_npz_add_int64(w, name, 0, NULL, &value);
}

int cgan_npz_add_bytes(cgan_npz_writer *w, const char *name, const uint8_t *data, int64_t n) {
    int rc = check_name(w, __func__, name);
    int64_t numel;
    if (rc == CGAN_OK) rc = check_shape(__func__, 1, &n, data, &numel);
    if (rc == CGAN_OK) rc = add_member(w, name, "|u1", 1, &n, n, 1, data, enc_copy1);
    return rc;
}

int cgan_npz_add_strings(cgan_npz_writer *w, const char *name, const char *const *strings,
                         int64_t n) {
    int64_t width, bytes;
    char descr[24];
    int rc = check_name(w, __func__, name);
    if (rc != CGAN_OK) return rc;
    if (n < 0 || (n > 0 && !strings))
        return cgan__error(CGAN_EINVAL, "%s: need n >= 0 strings", __func__);
    if ((bytes = cgan__utf8_max_codepoints(strings, n, &width)) < 0)
        return cgan__error(CGAN_EINVAL, "%s: member '%s' has a NULL or invalid UTF-8 string",
                           __func__, name);
    if (width == 0) width = 1; /* numpy writes '<U1' for empty strings */
    unsigned char *buf = malloc((size_t)(n * width * 4) + 1);
    if (!buf) return cgan__error(CGAN_ENOMEM, "%s: out of memory", __func__);
    for (int64_t i = 0; i < n; i++) cgan__utf8_to_utf32le(strings[i], width, buf + i * width * 4);
    snprintf(descr, sizeof descr, "<U%lld", (long long)width);
    rc = add_member(w, name, descr, 1, &n, n * width * 4, 1, buf, enc_copy1);
    free(buf);
    return rc;
}

int cgan_npz_writer_finish(cgan_npz_writer *w) {
    CGAN__CHECK_NOT_NULL(w, "w");
    if (w->state != 0)
        return cgan__error(CGAN_ESTATE, "cgan_npz_writer_finish: writer for %s is %s", w->path,
                           w->state == 1 ? "already finished" : "unusable after a failure");
    off_t cd_start = ftello(w->af.fp);
    if (cd_start < 0) return io_fail(w, "cannot tell the file position");
    for (int64_t i = 0; i < w->n; i++) {
        const wentry *e = &w->e[i];
        unsigned char c[46 + 1004 + 28], *x;
        size_t nlen = strlen(e->name), xlen = 0;
        int big_u = e->zip64 || e->usize >= ZIP64_AT, big_c = e->zip64 || e->csize >= ZIP64_AT;
        int big_o = (w->flags & CGAN_NPZ_ZIP64) || e->offset >= ZIP64_AT;
        put32(c, 0x02014b50);
        put16(c + 4, (3 << 8) | 45); /* made by Unix, zip 4.5 */
        put16(c + 6, big_u || big_c || big_o ? 45 : 20);
        put16(c + 8, 0x800);
        put16(c + 10, (w->flags & CGAN_NPZ_STORED) ? 0 : 8);
        put16(c + 12, 0);
        put16(c + 14, 0x21);
        put32(c + 16, e->crc);
        put32(c + 20, big_c ? ZIP64_AT : (uint32_t)e->csize);
        put32(c + 24, big_u ? ZIP64_AT : (uint32_t)e->usize);
        put16(c + 28, (unsigned)nlen);
        put16(c + 32, 0);
        put16(c + 34, 0);
        put16(c + 36, 0);
        put32(c + 38, (uint32_t)0644 << 16);
        put32(c + 42, big_o ? ZIP64_AT : (uint32_t)e->offset);
        memcpy(c + 46, e->name, nlen);
        x = c + 46 + nlen + 4;
        if (big_u) put64(x + xlen, e->usize), xlen += 8;
        if (big_c) put64(x + xlen, e->csize), xlen += 8;
        if (big_o) put64(x + xlen, e->offset), xlen += 8;
        if (xlen) {
            put16(c + 46 + nlen, 0x0001);
            put16(c + 46 + nlen + 2, (unsigned)xlen);
            xlen += 4;
        }
        put16(c + 30, (unsigned)xlen);
        if (fwrite(c, 1, 46 + nlen + xlen, w->af.fp) != 46 + nlen + xlen)
            return io_fail(w, "write failed (disk full?)");
    }
    off_t cd_end = ftello(w->af.fp);
    if (cd_end < 0) return io_fail(w, "cannot tell the file position");
    uint64_t cd_size = (uint64_t)(cd_end - cd_start), cd_off = (uint64_t)cd_start;
    int z64 = (w->flags & CGAN_NPZ_ZIP64) || w->n >= 0xffff || cd_size >= ZIP64_AT || cd_off >= ZIP64_AT;
    unsigned char t[56 + 20 + 22];
    size_t tl = 0;
    if (z64) {
        put32(t, 0x06064b50);
        put64(t + 4, 44);
        put16(t + 12, (3 << 8) | 45);
        put16(t + 14, 45);
        put32(t + 16, 0);
        put32(t + 20, 0);
        put64(t + 24, (uint64_t)w->n);
        put64(t + 32, (uint64_t)w->n);
        put64(t + 40, cd_size);
        put64(t + 48, cd_off);
        put32(t + 56, 0x07064b50);
        put32(t + 60, 0);
        put64(t + 64, (uint64_t)cd_end);
        put32(t + 72, 1);
        tl = 76;
    }
    put32(t + tl, 0x06054b50);
    put16(t + tl + 4, 0);
    put16(t + tl + 6, 0);
    put16(t + tl + 8, z64 ? 0xffff : (unsigned)w->n);
    put16(t + tl + 10, z64 ? 0xffff : (unsigned)w->n);
    put32(t + tl + 12, z64 ? ZIP64_AT : (uint32_t)cd_size);
    put32(t + tl + 16, z64 ? ZIP64_AT : (uint32_t)cd_off);
    put16(t + tl + 20, 0);
    if (fwrite(t, 1, tl + 22, w->af.fp) != tl + 22) return io_fail(w, "write failed (disk full?)");
    int rc = cgan__atomic_commit(&w->af);
    w->state = rc == CGAN_OK ? 1 : 2;
    return rc;
}
