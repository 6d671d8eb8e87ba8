/* Reading .npz archives: the zip central directory (ZIP64 too) is parsed at
 * open; members are decoded on demand through a checked stream.  Sizes and
 * offsets from the file are validated before use, so a corrupted archive
 * gives CGAN_EFORMAT and never an out-of-bounds read or a huge allocation. */
#include "npy_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct zentry {
    char *name;       /* as stored, e.g. "a.npy" */
    char *key;        /* without ".npy" */
    int method;
    uint32_t crc;
    uint64_t csize, usize, offset;
    int hdr_known;    /* hdr parsed and checked against usize */
    cgan__npy_header hdr;
} zentry;

struct cgan_npz_reader {
    FILE *fp;
    char *path;
    uint64_t cd_offset;  /* member data must end before this */
    int64_t n;
    zentry *e;
    int64_t cached;      /* entry whose raw payload is in cache_raw, -1 none */
    unsigned char *cache_raw;
};

static uint16_t rd16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const unsigned char *p) {
    return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t rd64(const unsigned char *p) { return rd32(p) | (uint64_t)rd32(p + 4) << 32; }

static int bad(const cgan_npz_reader *r, const char *why) {
    return cgan__error(CGAN_EFORMAT, "%s: not a valid .npz archive: %s", r->path, why);
}

static int read_at(FILE *fp, uint64_t off, void *buf, size_t n) {
    if (fseeko(fp, (off_t)off, SEEK_SET) != 0) return -1;
    return fread(buf, 1, n, fp) == n ? 0 : -1;
}

/* End of central directory (and its ZIP64 twin): where the directory is. */
static int find_directory(cgan_npz_reader *r, uint64_t size, uint64_t *count, uint64_t *cd_size) {
    size_t tail = size < 65557 ? (size_t)size : 65557;
    unsigned char *buf = malloc(tail), *eocd = NULL;
    uint64_t eocd_pos = 0;
    int rc = CGAN_OK;
    if (!buf) return cgan__error(CGAN_ENOMEM, "%s: out of memory", r->path);
    if (read_at(r->fp, size - tail, buf, tail) != 0) {
        free(buf);
        return bad(r, "cannot read the end of the file");
    }
    for (size_t i = tail - 22 + 1; i-- > 0;)
        if (rd32(buf + i) == 0x06054b50 && i + 22 + rd16(buf + i + 20) <= tail) {
            eocd = buf + i;
            eocd_pos = size - tail + i;
            break;
        }
    if (!eocd) {
        free(buf);
        return bad(r, "no zip end-of-directory record (not a zip file, or truncated)");
    }
    if (rd16(eocd + 4) != 0 || rd16(eocd + 6) != 0) rc = bad(r, "multi-disk archives are not supported");
    *count = rd16(eocd + 10);
    *cd_size = rd32(eocd + 12);
    r->cd_offset = rd32(eocd + 16);
    uint64_t limit = eocd_pos;
    if (rc == CGAN_OK && (*count == 0xffff || *cd_size == 0xffffffffu || r->cd_offset == 0xffffffffu)) {
        unsigned char loc[20], z[56];
        if (eocd_pos < 20 || read_at(r->fp, eocd_pos - 20, loc, 20) != 0 || rd32(loc) != 0x07064b50)
            rc = bad(r, "ZIP64 locator missing");
        else if (rd64(loc + 8) + 56 > eocd_pos - 20 || read_at(r->fp, rd64(loc + 8), z, 56) != 0 ||
                 rd32(z) != 0x06064b50)
            rc = bad(r, "ZIP64 end-of-directory record missing");
        else {
            *count = rd64(z + 32);
            *cd_size = rd64(z + 40);
            r->cd_offset = rd64(z + 48);
            limit = rd64(loc + 8);
        }
    }
    free(buf);
    if (rc == CGAN_OK && (r->cd_offset > limit || *cd_size > limit - r->cd_offset))
        rc = bad(r, "central directory lies outside the file (truncated?)");
    if (rc == CGAN_OK && *count > *cd_size / 46) rc = bad(r, "member count does not fit the directory");
    return rc;
}

/* Values at 0xffffffff come from the ZIP64 extra field, in this order. */
static int zip64_extra(const unsigned char *x, size_t len, zentry *e, int need_u, int need_c,
                       int need_o) {
    while (len >= 4) {
        uint16_t id = rd16(x), sz = rd16(x + 2);
        if ((size_t)sz + 4 > len) return -1;
        if (id == 0x0001) {
            const unsigned char *p = x + 4, *end = x + 4 + sz;
            if (need_u) { if (p + 8 > end) return -1; e->usize = rd64(p); p += 8; }
            if (need_c) { if (p + 8 > end) return -1; e->csize = rd64(p); p += 8; }
            if (need_o) { if (p + 8 > end) return -1; e->offset = rd64(p); }
            return 0;
        }
        x += 4 + sz;
        len -= 4 + (size_t)sz;
    }
    return need_u || need_c || need_o ? -1 : 0;
}

static int parse_directory(cgan_npz_reader *r, const unsigned char *cd, uint64_t cd_size,
                           uint64_t count) {
    const unsigned char *p = cd, *end = cd + cd_size;
    r->e = calloc(count ? count : 1, sizeof *r->e);
    if (!r->e) return cgan__error(CGAN_ENOMEM, "%s: out of memory", r->path);
    for (uint64_t i = 0; i < count; i++) {
        zentry *e = &r->e[i];
        if (p + 46 > end || rd32(p) != 0x02014b50) return bad(r, "corrupt central directory");
        size_t nlen = rd16(p + 28), xlen = rd16(p + 30), clen = rd16(p + 32);
        if (p + 46 + nlen + xlen + clen > end) return bad(r, "corrupt central directory");
        r->n = (int64_t)i + 1; /* so that destroy frees what this entry gets */
        e->name = malloc(nlen + 1);
        e->key = malloc(nlen + 1);
        if (!e->name || !e->key) return cgan__error(CGAN_ENOMEM, "%s: out of memory", r->path);
        memcpy(e->name, p + 46, nlen);
        e->name[nlen] = '\0';
        if (strlen(e->name) != nlen) return bad(r, "NUL byte in a member name");
        memcpy(e->key, e->name, nlen + 1);
        if (nlen > 4 && !strcmp(e->key + nlen - 4, ".npy")) e->key[nlen - 4] = '\0';
        e->method = rd16(p + 10);
        e->crc = rd32(p + 16);
        e->csize = rd32(p + 20);
        e->usize = rd32(p + 24);
        e->offset = rd32(p + 42);
        if (zip64_extra(p + 46 + nlen, xlen, e, e->usize == 0xffffffffu, e->csize == 0xffffffffu,
                        e->offset == 0xffffffffu) != 0)
            return cgan__error(CGAN_EFORMAT, "%s member '%s': bad ZIP64 extra field", r->path, e->key);
        if (rd16(p + 8) & 1)
            return cgan__error(CGAN_EFORMAT, "%s member '%s': encrypted members are not supported",
                               r->path, e->key);
        if (e->method != 0 && e->method != 8)
            return cgan__error(CGAN_EFORMAT, "%s member '%s': compression method %d is not supported "
                               "(only stored and deflate)", r->path, e->key, e->method);
        if (e->offset > r->cd_offset || e->csize > r->cd_offset - e->offset)
            return cgan__error(CGAN_EFORMAT, "%s member '%s': data lies outside the file (truncated?)",
                               r->path, e->key);
        p += 46 + nlen + xlen + clen;
    }
    return CGAN_OK;
}

int cgan_npz_reader_open(cgan_npz_reader **out, const char *path) {
    uint64_t count = 0, cd_size = 0, size;
    unsigned char *cd = NULL;
    int rc;
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    CGAN__CHECK_NOT_NULL(path, "path");
    cgan_npz_reader *r = calloc(1, sizeof *r);
    if (!r || !(r->path = strdup(path))) {
        free(r);
        return cgan__error(CGAN_ENOMEM, "cgan_npz_reader_open: out of memory");
    }
    r->cached = -1;
    r->fp = fopen(path, "rb");
    if (!r->fp) {
        rc = cgan__error(CGAN_EIO, "cannot open %s: %s", path, strerror(errno));
        goto fail;
    }
    if (fseeko(r->fp, 0, SEEK_END) != 0 || (size = (uint64_t)ftello(r->fp)) < 22) {
        rc = bad(r, "file is too short to be a zip archive");
        goto fail;
    }
    if ((rc = find_directory(r, size, &count, &cd_size)) != CGAN_OK) goto fail;
    cd = malloc(cd_size ? (size_t)cd_size : 1);
    if (!cd) {
        rc = cgan__error(CGAN_ENOMEM, "%s: out of memory", path);
        goto fail;
    }
    if (read_at(r->fp, r->cd_offset, cd, (size_t)cd_size) != 0) {
        rc = bad(r, "cannot read the central directory");
        goto fail;
    }
    if ((rc = parse_directory(r, cd, cd_size, count)) != CGAN_OK) goto fail;
    r->n = (int64_t)count;
    free(cd);
    *out = r;
    return CGAN_OK;
fail:
    free(cd);
    cgan_npz_reader_destroy(r);
    return rc;
}

void cgan_npz_reader_destroy(cgan_npz_reader *r) {
    if (!r) return;
    if (r->fp) fclose(r->fp);
    for (int64_t i = 0; i < r->n; i++) {
        free(r->e[i].name);
        free(r->e[i].key);
    }
    free(r->e);
    free(r->cache_raw);
    free(r->path);
    free(r);
}

int64_t cgan_npz_reader_count(const cgan_npz_reader *r) { return r ? r->n : 0; }

const char *cgan_npz_reader_name(const cgan_npz_reader *r, int64_t i) {
    return r && i >= 0 && i < r->n ? r->e[i].key : NULL;
}

static int64_t lookup(const cgan_npz_reader *r, const char *name) {
    for (int64_t i = 0; i < r->n; i++)
        if (!strcmp(r->e[i].key, name)) return i;
    return -1;
}

int cgan_npz_reader_has(const cgan_npz_reader *r, const char *name) {
    return r && name && lookup(r, name) >= 0;
}

/* Position a checked stream at member i's data and decode its header. */
static int open_member(cgan_npz_reader *r, const char *fn, const char *name, int64_t *idx,
                       cgan__stream *s, cgan__npy_header *h) {
    unsigned char lh[30];
    int64_t i;
    int rc;
    if (!r) return cgan__error(CGAN_EINVAL, "%s: reader is NULL", fn);
    if (!name) return cgan__error(CGAN_EINVAL, "%s: name is NULL", fn);
    if ((i = lookup(r, name)) < 0)
        return cgan__error(CGAN_EINVAL, "%s: %s has no member '%s'", fn, r->path, name);
    zentry *e = &r->e[i];
    cgan__npy_where at = {r->path, e->key};
    if (read_at(r->fp, e->offset, lh, 30) != 0 || rd32(lh) != 0x04034b50)
        return cgan__npy_fail(&at, CGAN_EFORMAT, "bad local zip header");
    uint64_t data = e->offset + 30 + rd16(lh + 26) + rd16(lh + 28);
    size_t nlen = rd16(lh + 26);
    if (data > r->cd_offset || e->csize > r->cd_offset - data)
        return cgan__npy_fail(&at, CGAN_EFORMAT, "data lies outside the file (truncated?)");
    char *lname = malloc(nlen + 1);
    if (!lname) return cgan__npy_fail(&at, CGAN_ENOMEM, "out of memory");
    rc = fread(lname, 1, nlen, r->fp) == nlen && nlen == strlen(e->name) &&
         !memcmp(lname, e->name, nlen) ? CGAN_OK : -1;
    free(lname);
    if (rc != CGAN_OK) return cgan__npy_fail(&at, CGAN_EFORMAT, "local header names another member");
    /* deflate cannot expand data more than ~1032:1; anything else is corrupt */
    if (e->method == 8 && e->usize / 1032 > e->csize + 1)
        return cgan__npy_fail(&at, CGAN_EFORMAT, "implausible uncompressed size %llu",
                              (unsigned long long)e->usize);
    if (fseeko(r->fp, (off_t)data, SEEK_SET) != 0)
        return cgan__npy_fail(&at, CGAN_EFORMAT, "cannot seek to the data");
    rc = cgan__stream_open(s, r->fp, &at, e->method, e->csize, e->usize, 1, e->crc);
    if (rc == CGAN_OK) rc = cgan__npy_read_header(s, h);
    if (rc == CGAN_OK && h->data_bytes != s->out_left)
        rc = cgan__npy_fail(&at, CGAN_EFORMAT,
                            "array of %llu bytes (dtype '%s') does not match the %llu bytes stored",
                            (unsigned long long)h->data_bytes, h->descr,
                            (unsigned long long)s->out_left);
    if (rc != CGAN_OK) {
        cgan__stream_close(s);
        return rc;
    }
    e->hdr = *h;
    e->hdr_known = 1;
    *idx = i;
    return CGAN_OK;
}

int cgan_npz_member_info(cgan_npz_reader *r, const char *name, int *dtype, int *ndim,
                         int64_t *shape, int64_t *numel, int64_t *itemsize) {
    cgan__npy_header h;
    int64_t i = r && name ? lookup(r, name) : -1;
    if (i >= 0 && r->e[i].hdr_known) {
        h = r->e[i].hdr;
    } else {
        cgan__stream s;
        int rc = open_member(r, __func__, name, &i, &s, &h);
        if (rc != CGAN_OK) return rc;
        cgan__stream_close(&s);
    }
    if (dtype) *dtype = h.dtype;
    if (ndim) *ndim = h.ndim;
    if (shape) memcpy(shape, h.shape, sizeof h.shape);
    if (numel) *numel = h.numel;
    if (itemsize) *itemsize = h.dtype == CGAN_NPY_UNICODE ? h.itemsize / 4 : h.itemsize;
    return CGAN_OK;
}

static int check_count(cgan_npz_reader *r, const char *fn, int64_t i, const cgan__npy_header *h,
                       int64_t n) {
    if (n != h->numel)
        return cgan__error(CGAN_ESHAPE, "%s: %s member '%s' has %lld elements, the buffer %lld", fn,
                           r->path, r->e[i].key, (long long)h->numel, (long long)n);
    return CGAN_OK;
}

/* Shared by read_float / read_int64: member into a caller buffer of n. */
static int read_into(cgan_npz_reader *r, const char *fn, const char *name, void *dst, int64_t n,
                     int kind) {
    cgan__stream s;
    cgan__npy_header h;
    int64_t i;
    int rc = open_member(r, fn, name, &i, &s, &h);
    if (rc != CGAN_OK) return rc;
    rc = check_count(r, fn, i, &h, n);
    if (rc == CGAN_OK && n > 0 && !dst) rc = cgan__error(CGAN_EINVAL, "%s: dst is NULL", fn);
    if (rc == CGAN_OK)
        rc = kind == 1   ? cgan__npy_read_int64s(&s, &h, dst)
             : kind == 2 ? cgan__npy_read_doubles(&s, &h, dst)
                         : cgan__npy_read_floats(&s, &h, dst);
    cgan__stream_close(&s);
    return rc;
}

int cgan_npz_read_float(cgan_npz_reader *r, const char *name, float *dst, int64_t n) {
    return read_into(r, __func__, name, dst, n, 0);
}

int cgan_npz_read_int64(cgan_npz_reader *r, const char *name, int64_t *dst, int64_t n) {
    return read_into(r, __func__, name, dst, n, 1);
}

int cgan_npz_read_double(cgan_npz_reader *r, const char *name, double *dst, int64_t n) {
    return read_into(r, __func__, name, dst, n, 2);
}

int cgan_npz_read_tensor(cgan_npz_reader *r, const char *name, cgan_tensor **out) {
    cgan__stream s;
    cgan__npy_header h;
    int64_t i, one = 1;
    int rc;
    CGAN__CHECK_NOT_NULL(out, "out");
    *out = NULL;
    if ((rc = open_member(r, __func__, name, &i, &s, &h)) != CGAN_OK) return rc;
    if (h.ndim > CGAN_TENSOR_MAX_DIMS)
        rc = cgan__npy_fail(&s.at, CGAN_EUNSUPPORTED, "%d dimensions; tensors have at most %d",
                            h.ndim, CGAN_TENSOR_MAX_DIMS);
    else if (h.numel == 0)
        rc = cgan__npy_fail(&s.at, CGAN_EFORMAT, "array is empty; a tensor needs every extent >= 1");
    if (rc == CGAN_OK) rc = cgan_tensor_create(out, h.ndim ? h.ndim : 1, h.ndim ? h.shape : &one);
    if (rc == CGAN_OK) rc = cgan__npy_read_floats(&s, &h, cgan_tensor_data(*out));
    cgan__stream_close(&s);
    if (rc != CGAN_OK) {
        cgan_tensor_destroy(*out);
        *out = NULL;
    }
    return rc;
}

int cgan_npz_read_bytes(cgan_npz_reader *r, const char *name, uint8_t *dst, int64_t n) {
    cgan__stream s;
    cgan__npy_header h;
    int64_t i;
    int rc = open_member(r, __func__, name, &i, &s, &h);
    if (rc != CGAN_OK) return rc;
    if (h.itemsize != 1 || h.dtype == CGAN_NPY_BYTES)
        rc = cgan__npy_fail(&s.at, CGAN_EFORMAT, "dtype '%s' is not a one-byte numeric type", h.descr);
    if (rc == CGAN_OK) rc = check_count(r, __func__, i, &h, n);
    if (rc == CGAN_OK && n > 0 && !dst) rc = cgan__error(CGAN_EINVAL, "%s: dst is NULL", __func__);
    if (rc == CGAN_OK) {
        unsigned char *raw;
        if ((rc = cgan__npy_read_raw(&s, &h, &raw)) == CGAN_OK) {
            memcpy(dst, raw, (size_t)n);
            free(raw);
        }
    }
    cgan__stream_close(&s);
    return rc;
}

int cgan_npz_read_string(cgan_npz_reader *r, const char *name, int64_t index, char *buf,
                         size_t cap, size_t *needed) {
    int64_t i = r && name ? lookup(r, name) : -1;
    int rc;
    if (needed) *needed = 0;
    if (i < 0 || i != r->cached) {
        cgan__stream s;
        cgan__npy_header h;
        unsigned char *raw = NULL;
        if ((rc = open_member(r, __func__, name, &i, &s, &h)) != CGAN_OK) return rc;
        if (h.dtype != CGAN_NPY_UNICODE && h.dtype != CGAN_NPY_BYTES)
            rc = cgan__npy_fail(&s.at, CGAN_EFORMAT, "dtype '%s' is not a string type", h.descr);
        if (rc == CGAN_OK) rc = cgan__npy_read_raw(&s, &h, &raw);
        cgan__stream_close(&s);
        if (rc != CGAN_OK) return rc;
        free(r->cache_raw);
        r->cache_raw = raw;
        r->cached = i;
    }
    const cgan__npy_header *h = &r->e[i].hdr;
    cgan__npy_where at = {r->path, r->e[i].key};
    if (index < 0 || index >= h->numel)
        return cgan__error(CGAN_EINVAL, "%s: index %lld is outside %s member '%s' (%lld strings)",
                           __func__, (long long)index, r->path, r->e[i].key, (long long)h->numel);
    int64_t need = cgan__npy_string_utf8(h, r->cache_raw, index, NULL, 0);
    if (need < 0) return cgan__npy_fail(&at, CGAN_EFORMAT, "string %lld holds an invalid code point",
                                        (long long)index);
    if (needed) *needed = (size_t)need;
    if (!buf || cap < (size_t)need)
        return cgan__error(CGAN_ESHAPE, "%s: string %lld of '%s' needs %lld bytes, buffer has %zu",
                           __func__, (long long)index, r->e[i].key, (long long)need, cap);
    cgan__npy_string_utf8(h, r->cache_raw, index, buf, cap);
    return CGAN_OK;
}
