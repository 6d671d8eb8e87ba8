/* Converting .npy payloads: every numeric dtype to float or int64, byte
 * order, Fortran order, and fixed-width strings to UTF-8. */
#include "npy_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_ELEMS 16384

static uint64_t load_uint(const unsigned char *p, int size, int swap) {
    uint64_t v = 0;
    for (int b = 0; b < size; b++) {
        int k = swap ? size - 1 - b : b; /* little-endian byte b */
        v |= (uint64_t)p[k] << (8 * b);
    }
    return v;
}

static float half_to_float(uint16_t h) {
    int e = (h >> 10) & 0x1f, m = h & 0x3ff;
    float v;
    if (e == 0) v = ldexpf((float)m, -24);
    else if (e == 31) v = m ? NAN : INFINITY;
    else v = ldexpf((float)(m | 0x400), e - 25);
    return (h & 0x8000) ? -v : v;
}

/* One element as double (exact for every integer up to 2^53, floats). */
static double elem_double(const cgan__npy_header *h, const unsigned char *p) {
    uint64_t u = load_uint(p, (int)h->itemsize, h->swap);
    switch (h->dtype) {
    case CGAN_NPY_BOOL: return u != 0;
    case CGAN_NPY_INT8: return (int8_t)u;
    case CGAN_NPY_INT16: return (int16_t)u;
    case CGAN_NPY_INT32: return (int32_t)u;
    case CGAN_NPY_INT64: return (double)(int64_t)u;
    case CGAN_NPY_FLOAT16: return half_to_float((uint16_t)u);
    case CGAN_NPY_FLOAT32: {
        uint32_t b = (uint32_t)u;
        float f;
        memcpy(&f, &b, 4);
        return f;
    }
    case CGAN_NPY_FLOAT64: {
        double d;
        memcpy(&d, &u, 8);
        return d;
    }
    default: return (double)u; /* unsigned kinds */
    }
}

static int is_numeric(int dtype) { return dtype >= CGAN_NPY_BOOL && dtype <= CGAN_NPY_FLOAT64; }
static int is_float(int dtype) { return dtype >= CGAN_NPY_FLOAT16 && dtype <= CGAN_NPY_FLOAT64; }

/* Reorder a column-major array of elem-byte elements into row-major. */
static int fortran_to_c(const cgan__npy_header *h, void *data, size_t elem) {
    int64_t idx[CGAN_NPY_MAX_DIMS] = {0}, fstride[CGAN_NPY_MAX_DIMS];
    if (!h->fortran || h->ndim < 2 || h->numel == 0) return CGAN_OK;
    unsigned char *tmp = malloc((size_t)h->numel * elem), *src = data;
    if (!tmp) return CGAN_ENOMEM;
    memcpy(tmp, data, (size_t)h->numel * elem);
    fstride[0] = 1;
    for (int k = 1; k < h->ndim; k++) fstride[k] = fstride[k - 1] * h->shape[k - 1];
    for (int64_t c = 0; c < h->numel; c++) {
        int64_t f = 0;
        for (int k = 0; k < h->ndim; k++) f += idx[k] * fstride[k];
        memcpy(src + (size_t)c * elem, tmp + (size_t)f * elem, elem);
        for (int k = h->ndim - 1; k >= 0; k--) { /* next C-order index */
            if (++idx[k] < h->shape[k]) break;
            idx[k] = 0;
        }
    }
    free(tmp);
    return CGAN_OK;
}

/* Stream the payload in chunks, handing each element to a converter. */
typedef int (*convert_fn)(const cgan__npy_header *h, const unsigned char *p, void *dst, int64_t i);

static int read_converted(cgan__stream *s, const cgan__npy_header *h, void *dst, size_t elem,
                          convert_fn fn) {
    unsigned char *buf = malloc((size_t)CHUNK_ELEMS * (size_t)h->itemsize);
    int rc = CGAN_OK;
    if (!buf) return cgan__npy_fail(&s->at, CGAN_ENOMEM, "out of memory");
    for (int64_t i = 0; i < h->numel && rc == CGAN_OK;) {
        int64_t n = h->numel - i < CHUNK_ELEMS ? h->numel - i : CHUNK_ELEMS;
        rc = cgan__stream_read(s, buf, (size_t)(n * h->itemsize));
        for (int64_t j = 0; j < n && rc == CGAN_OK; j++)
            rc = fn(h, buf + j * h->itemsize, dst, i + j);
        i += n;
    }
    free(buf);
    if (rc == CGAN_OK) rc = cgan__stream_finish(s);
    if (rc == CGAN_OK && fortran_to_c(h, dst, elem) != CGAN_OK)
        rc = cgan__npy_fail(&s->at, CGAN_ENOMEM, "out of memory");
    return rc;
}

static int conv_float(const cgan__npy_header *h, const unsigned char *p, void *dst, int64_t i) {
    ((float *)dst)[i] = (float)elem_double(h, p);
    return CGAN_OK;
}

static int conv_double(const cgan__npy_header *h, const unsigned char *p, void *dst, int64_t i) {
    ((double *)dst)[i] = elem_double(h, p);
    return CGAN_OK;
}

/* Shared state for the error message of a non-integral float. */
static _Thread_local const cgan__npy_where *conv_at;

static int conv_int64(const cgan__npy_header *h, const unsigned char *p, void *dst, int64_t i) {
    int64_t *out = dst;
    if (is_float(h->dtype)) {
        double d = elem_double(h, p);
        if (!(d == floor(d)) || d < -9.2233720368547758e18 || d >= 9.2233720368547758e18)
            return cgan__npy_fail(conv_at, CGAN_EFORMAT,
                                  "element %lld is %g, not a whole number that fits int64",
                                  (long long)i, d);
        out[i] = (int64_t)d;
        return CGAN_OK;
    }
    uint64_t u = load_uint(p, (int)h->itemsize, h->swap);
    switch (h->dtype) {
    case CGAN_NPY_INT8: out[i] = (int8_t)u; break;
    case CGAN_NPY_INT16: out[i] = (int16_t)u; break;
    case CGAN_NPY_INT32: out[i] = (int32_t)u; break;
    case CGAN_NPY_INT64: out[i] = (int64_t)u; break;
    case CGAN_NPY_BOOL: out[i] = u != 0; break;
    default:
        if (u > (uint64_t)INT64_MAX)
            return cgan__npy_fail(conv_at, CGAN_EFORMAT, "element %lld = %llu does not fit int64",
                                  (long long)i, (unsigned long long)u);
        out[i] = (int64_t)u;
    }
    return CGAN_OK;
}

/* '<f4' and '<i8' are what libcgan and PyTorch write: read them straight
 * into the destination (the per-element path is ~10x slower). */
static int read_native(cgan__stream *s, const cgan__npy_header *h, void *dst, size_t elem) {
    int rc = cgan__stream_read(s, dst, (size_t)h->data_bytes);
    if (rc == CGAN_OK) rc = cgan__stream_finish(s);
    if (rc == CGAN_OK && fortran_to_c(h, dst, elem) != CGAN_OK)
        rc = cgan__npy_fail(&s->at, CGAN_ENOMEM, "out of memory");
    return rc;
}

int cgan__npy_read_floats(cgan__stream *s, const cgan__npy_header *h, float *dst) {
    if (!is_numeric(h->dtype))
        return cgan__npy_fail(&s->at, CGAN_EFORMAT, "dtype '%s' is not numeric", h->descr);
    if (h->dtype == CGAN_NPY_FLOAT32 && !h->swap) return read_native(s, h, dst, sizeof(float));
    return read_converted(s, h, dst, sizeof(float), conv_float);
}

int cgan__npy_read_doubles(cgan__stream *s, const cgan__npy_header *h, double *dst) {
    if (!is_numeric(h->dtype))
        return cgan__npy_fail(&s->at, CGAN_EFORMAT, "dtype '%s' is not numeric", h->descr);
    if (h->dtype == CGAN_NPY_FLOAT64 && !h->swap) return read_native(s, h, dst, sizeof(double));
    return read_converted(s, h, dst, sizeof(double), conv_double);
}

int cgan__npy_read_int64s(cgan__stream *s, const cgan__npy_header *h, int64_t *dst) {
    if (!is_numeric(h->dtype))
        return cgan__npy_fail(&s->at, CGAN_EFORMAT, "dtype '%s' is not numeric", h->descr);
    if (h->dtype == CGAN_NPY_INT64 && !h->swap) return read_native(s, h, dst, sizeof(int64_t));
    conv_at = &s->at;
    return read_converted(s, h, dst, sizeof(int64_t), conv_int64);
}

int cgan__npy_read_raw(cgan__stream *s, const cgan__npy_header *h, unsigned char **out) {
    size_t n = (size_t)h->data_bytes;
    unsigned char *buf = malloc(n ? n : 1);
    int rc;
    *out = NULL;
    if (!buf) return cgan__npy_fail(&s->at, CGAN_ENOMEM, "out of memory for %zu bytes", n);
    rc = cgan__stream_read(s, buf, n);
    if (rc == CGAN_OK) rc = cgan__stream_finish(s);
    if (rc == CGAN_OK && h->swap) { /* to little-endian, per element or UTF-32 unit */
        size_t unit = h->dtype == CGAN_NPY_UNICODE ? 4 : (size_t)h->itemsize;
        for (size_t i = 0; i + unit <= n; i += unit)
            for (size_t a = 0, b = unit - 1; a < b; a++, b--) {
                unsigned char t = buf[i + a];
                buf[i + a] = buf[i + b];
                buf[i + b] = t;
            }
    }
    if (rc == CGAN_OK && fortran_to_c(h, buf, (size_t)h->itemsize) != CGAN_OK)
        rc = cgan__npy_fail(&s->at, CGAN_ENOMEM, "out of memory");
    if (rc != CGAN_OK) {
        free(buf);
        return rc;
    }
    *out = buf;
    return CGAN_OK;
}

/* ------------------------------------------------------------------ strings */
static size_t put_utf8(uint32_t c, char *o) {
    if (c < 0x80) return o[0] = (char)c, 1;
    if (c < 0x800) return o[0] = (char)(0xc0 | c >> 6), o[1] = (char)(0x80 | (c & 0x3f)), 2;
    if (c < 0x10000) {
        o[0] = (char)(0xe0 | c >> 12);
        o[1] = (char)(0x80 | ((c >> 6) & 0x3f));
        o[2] = (char)(0x80 | (c & 0x3f));
        return 3;
    }
    o[0] = (char)(0xf0 | c >> 18);
    o[1] = (char)(0x80 | ((c >> 12) & 0x3f));
    o[2] = (char)(0x80 | ((c >> 6) & 0x3f));
    o[3] = (char)(0x80 | (c & 0x3f));
    return 4;
}

int64_t cgan__npy_string_utf8(const cgan__npy_header *h, const unsigned char *raw, int64_t i,
                              char *buf, size_t cap) {
    const unsigned char *p = raw + i * h->itemsize;
    int64_t len, need = 1;
    char tmp[4];
    if (h->dtype == CGAN_NPY_BYTES) {
        for (len = h->itemsize; len > 0 && p[len - 1] == 0; len--) {}
        if (buf && cap >= (size_t)len + 1) {
            memcpy(buf, p, (size_t)len);
            buf[len] = '\0';
        }
        return len + 1;
    }
    int64_t units = h->itemsize / 4;
    for (len = units; len > 0 && load_uint(p + 4 * (len - 1), 4, 0) == 0; len--) {}
    for (int64_t k = 0; k < len; k++) {
        uint32_t c = (uint32_t)load_uint(p + 4 * k, 4, 0);
        if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) return -1;
        need += (int64_t)put_utf8(c, tmp);
    }
    if (buf && cap >= (size_t)need) {
        size_t o = 0;
        for (int64_t k = 0; k < len; k++) o += put_utf8((uint32_t)load_uint(p + 4 * k, 4, 0), buf + o);
        buf[o] = '\0';
    }
    return need;
}

/* Decode one UTF-8 sequence; returns its length or 0 if invalid. */
static int get_utf8(const unsigned char *s, uint32_t *cp) {
    if (s[0] < 0x80) return *cp = s[0], 1;
    int n = (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3 : (s[0] & 0xf8) == 0xf0 ? 4 : 0;
    if (n == 0) return 0;
    uint32_t c = s[0] & (0x7f >> n);
    for (int k = 1; k < n; k++) {
        if ((s[k] & 0xc0) != 0x80) return 0;
        c = c << 6 | (s[k] & 0x3f);
    }
    static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (c < min[n] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) return 0;
    *cp = c;
    return n;
}

int64_t cgan__utf8_max_codepoints(const char *const *strings, int64_t n, int64_t *width) {
    int64_t w = 0;
    for (int64_t i = 0; i < n; i++) {
        const unsigned char *s = (const unsigned char *)strings[i];
        int64_t count = 0;
        uint32_t cp;
        if (!s) return -1;
        while (*s) {
            int k = get_utf8(s, &cp);
            if (k == 0) return -1;
            s += k;
            count++;
        }
        if (count > w) w = count;
    }
    *width = w;
    return w * 4 * n;
}

void cgan__utf8_to_utf32le(const char *s, int64_t width, unsigned char *out) {
    const unsigned char *p = (const unsigned char *)s;
    int64_t k = 0;
    uint32_t cp;
    memset(out, 0, (size_t)width * 4);
    while (*p && k < width) {
        p += get_utf8(p, &cp);
        for (int b = 0; b < 4; b++) out[4 * k + b] = (unsigned char)(cp >> (8 * b));
        k++;
    }
}
