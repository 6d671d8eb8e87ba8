/* The .npy header: a magic string, a version, and a Python dict literal
 * {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), } padded with
 * spaces to a 64-byte boundary.  The parser accepts what numpy writes
 * (versions 1.0-3.0, keys in any order, Python 2 'L' suffixes) and rejects
 * everything else with a reason. */
#include "npy_internal.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int cgan__npy_fail(const cgan__npy_where *at, int status, const char *fmt, ...) {
    char why[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    if (at->member)
        return cgan__error(status, "%s member '%s': %s", at->file, at->member, why);
    return cgan__error(status, "%s: %s", at->file, why);
}

const char *cgan_npy_dtype_name(int dtype) {
    switch (dtype) {
    case CGAN_NPY_BOOL: return "bool";
    case CGAN_NPY_UINT8: return "uint8";
    case CGAN_NPY_INT8: return "int8";
    case CGAN_NPY_UINT16: return "uint16";
    case CGAN_NPY_INT16: return "int16";
    case CGAN_NPY_UINT32: return "uint32";
    case CGAN_NPY_INT32: return "int32";
    case CGAN_NPY_UINT64: return "uint64";
    case CGAN_NPY_INT64: return "int64";
    case CGAN_NPY_FLOAT16: return "float16";
    case CGAN_NPY_FLOAT32: return "float32";
    case CGAN_NPY_FLOAT64: return "float64";
    case CGAN_NPY_UNICODE: return "unicode";
    case CGAN_NPY_BYTES: return "bytes";
    default: return "unknown";
    }
}

/* ------------------------------------------------------------- dict parser */
typedef struct parser {
    const char *p, *end;
} parser;

static void skip_ws(parser *ps) {
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
        ps->p++;
}

static int eat(parser *ps, char c) {
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == c) {
        ps->p++;
        return 1;
    }
    return 0;
}

/* A '...' or "..." literal without escapes (numpy never writes any). */
static int parse_string(parser *ps, char *out, size_t cap) {
    skip_ws(ps);
    if (ps->p >= ps->end || (*ps->p != '\'' && *ps->p != '"')) return -1;
    char q = *ps->p++;
    size_t n = 0;
    while (ps->p < ps->end && *ps->p != q) {
        if (*ps->p == '\\' || n + 1 >= cap) return -1;
        out[n++] = *ps->p++;
    }
    if (ps->p >= ps->end) return -1;
    ps->p++;
    out[n] = '\0';
    return 0;
}

static int parse_word(parser *ps, const char *w) {
    size_t n = strlen(w);
    skip_ws(ps);
    if ((size_t)(ps->end - ps->p) >= n && memcmp(ps->p, w, n) == 0) {
        ps->p += n;
        return 1;
    }
    return 0;
}

/* (), (3,), (2, 3) ... */
static int parse_shape(parser *ps, cgan__npy_header *h, const char **why) {
    if (!eat(ps, '(')) return *why = "shape is not a tuple", -1;
    h->ndim = 0;
    for (;;) {
        if (eat(ps, ')')) return 0;
        skip_ws(ps);
        if (ps->p >= ps->end || !isdigit((unsigned char)*ps->p))
            return *why = "shape holds something other than whole numbers", -1;
        int64_t v = 0;
        while (ps->p < ps->end && isdigit((unsigned char)*ps->p)) {
            if (v > (INT64_MAX - 9) / 10) return *why = "shape extent is too large", -1;
            v = v * 10 + (*ps->p++ - '0');
        }
        if (ps->p < ps->end && (*ps->p == 'L' || *ps->p == 'l')) ps->p++;
        if (h->ndim >= CGAN_NPY_MAX_DIMS) return *why = "too many dimensions", -2;
        h->shape[h->ndim++] = v;
        if (!eat(ps, ',')) {
            if (eat(ps, ')')) return 0;
            return *why = "malformed shape tuple", -1;
        }
    }
}

/* '<f4' and friends: byte order, kind, size. */
static int parse_descr(const char *d, cgan__npy_header *h) {
    char order = d[0], kind;
    long size;
    char *endp;
    if (order != '<' && order != '>' && order != '|' && order != '=') return -1;
    kind = d[1];
    if (!kind || !isdigit((unsigned char)d[2])) return -1;
    size = strtol(d + 2, &endp, 10);
    if (*endp != '\0' || size < 0) return -1;
    h->swap = order == '>';
    h->itemsize = size;
    switch (kind) {
    case 'b': h->dtype = size == 1 ? CGAN_NPY_BOOL : 0; break;
    case 'u':
        h->dtype = size == 1 ? CGAN_NPY_UINT8 : size == 2 ? CGAN_NPY_UINT16
                 : size == 4 ? CGAN_NPY_UINT32 : size == 8 ? CGAN_NPY_UINT64 : 0;
        break;
    case 'i':
        h->dtype = size == 1 ? CGAN_NPY_INT8 : size == 2 ? CGAN_NPY_INT16
                 : size == 4 ? CGAN_NPY_INT32 : size == 8 ? CGAN_NPY_INT64 : 0;
        break;
    case 'f':
        h->dtype = size == 2 ? CGAN_NPY_FLOAT16 : size == 4 ? CGAN_NPY_FLOAT32
                 : size == 8 ? CGAN_NPY_FLOAT64 : 0;
        break;
    case 'U':
        h->dtype = CGAN_NPY_UNICODE;
        if (size > (1 << 24)) return -1;
        h->itemsize = size * 4;
        break;
    case 'S': h->dtype = size <= (1 << 26) ? CGAN_NPY_BYTES : 0; break;
    default: h->dtype = 0;
    }
    if (h->dtype == 0) return -1;
    if (h->itemsize == 1) h->swap = 0;
    return 0;
}

/* Parse the dictionary text (without the preamble). */
static int parse_dict(const char *text, size_t len, cgan__npy_header *h, const cgan__npy_where *at) {
    parser ps = {text, text + len};
    int have_descr = 0, have_order = 0, have_shape = 0;
    const char *why = NULL;
    if (!eat(&ps, '{')) return cgan__npy_fail(at, CGAN_EFORMAT, "header is not a dictionary");
    for (;;) {
        char key[32], descr[32];
        if (eat(&ps, '}')) break;
        if (parse_string(&ps, key, sizeof key) != 0 || !eat(&ps, ':'))
            return cgan__npy_fail(at, CGAN_EFORMAT, "malformed header dictionary");
        if (!strcmp(key, "descr")) {
            if (parse_string(&ps, descr, sizeof descr) != 0 || parse_descr(descr, h) != 0)
                return cgan__npy_fail(at, CGAN_EFORMAT,
                                      "unsupported dtype (only bool, integers, floats and "
                                      "strings; no structured or object arrays)");
            snprintf(h->descr, sizeof h->descr, "%s", descr);
            have_descr = 1;
        } else if (!strcmp(key, "fortran_order")) {
            if (parse_word(&ps, "True")) h->fortran = 1;
            else if (parse_word(&ps, "False")) h->fortran = 0;
            else return cgan__npy_fail(at, CGAN_EFORMAT, "fortran_order is not True or False");
            have_order = 1;
        } else if (!strcmp(key, "shape")) {
            int rc = parse_shape(&ps, h, &why);
            if (rc == -2)
                return cgan__npy_fail(at, CGAN_EUNSUPPORTED, "more than %d dimensions",
                                      CGAN_NPY_MAX_DIMS);
            if (rc != 0) return cgan__npy_fail(at, CGAN_EFORMAT, "%s", why);
            have_shape = 1;
        } else {
            return cgan__npy_fail(at, CGAN_EFORMAT, "unknown header key '%s'", key);
        }
        if (!eat(&ps, ',')) {
            if (eat(&ps, '}')) break;
            return cgan__npy_fail(at, CGAN_EFORMAT, "malformed header dictionary");
        }
    }
    skip_ws(&ps);
    if (ps.p != ps.end) return cgan__npy_fail(at, CGAN_EFORMAT, "junk after the header dictionary");
    if (!have_descr || !have_order || !have_shape)
        return cgan__npy_fail(at, CGAN_EFORMAT, "header lacks descr, fortran_order or shape");
    h->numel = 1;
    for (int i = 0; i < h->ndim; i++) {
        if (h->shape[i] != 0 && h->numel > INT64_MAX / 16 / h->shape[i])
            return cgan__npy_fail(at, CGAN_EFORMAT, "shape is impossibly large");
        h->numel *= h->shape[i];
    }
    if (h->itemsize != 0 && (uint64_t)h->numel > UINT64_MAX / 2 / (uint64_t)h->itemsize)
        return cgan__npy_fail(at, CGAN_EFORMAT, "shape is impossibly large");
    h->data_bytes = (uint64_t)h->numel * (uint64_t)h->itemsize;
    return CGAN_OK;
}

int cgan__npy_read_header(cgan__stream *s, cgan__npy_header *h) {
    unsigned char pre[12];
    uint32_t hlen;
    int rc;
    memset(h, 0, sizeof *h);
    if ((rc = cgan__stream_read(s, pre, 8)) != CGAN_OK) return rc;
    if (memcmp(pre, "\x93NUMPY", 6) != 0)
        return cgan__npy_fail(&s->at, CGAN_EFORMAT, "not a .npy array (bad magic)");
    if (pre[6] < 1 || pre[6] > 3)
        return cgan__npy_fail(&s->at, CGAN_EFORMAT, ".npy format version %d.%d is not supported",
                              pre[6], pre[7]);
    if (pre[6] == 1) {
        if ((rc = cgan__stream_read(s, pre + 8, 2)) != CGAN_OK) return rc;
        hlen = pre[8] | (uint32_t)pre[9] << 8;
    } else {
        if ((rc = cgan__stream_read(s, pre + 8, 4)) != CGAN_OK) return rc;
        hlen = pre[8] | (uint32_t)pre[9] << 8 | (uint32_t)pre[10] << 16 | (uint32_t)pre[11] << 24;
        if (hlen > (1u << 20))
            return cgan__npy_fail(&s->at, CGAN_EFORMAT, "header length %u is implausible", hlen);
    }
    char *text = malloc(hlen + 1);
    if (!text) return cgan__npy_fail(&s->at, CGAN_ENOMEM, "out of memory for the header");
    rc = cgan__stream_read(s, text, hlen);
    if (rc == CGAN_OK) {
        text[hlen] = '\0';
        if (memchr(text, '\0', hlen)) rc = cgan__npy_fail(&s->at, CGAN_EFORMAT, "NUL byte in the header");
        else rc = parse_dict(text, hlen, h, &s->at);
    }
    free(text);
    return rc;
}

size_t cgan__npy_format_header(char *buf, size_t cap, const char *descr, int ndim,
                               const int64_t *shape) {
    char dict[512];
    int n = snprintf(dict, sizeof dict, "{'descr': '%s', 'fortran_order': False, 'shape': (", descr);
    for (int i = 0; i < ndim; i++)
        n += snprintf(dict + n, sizeof dict - (size_t)n, i ? ", %lld" : "%lld", (long long)shape[i]);
    n += snprintf(dict + n, sizeof dict - (size_t)n, ndim == 1 ? ",), }" : "), }");
    /* 10-byte preamble + dict + spaces + '\n' = a multiple of 64 */
    size_t total = ((size_t)10 + (size_t)n + 1 + 63) / 64 * 64;
    if (total > cap) return 0;
    size_t hlen = total - 10;
    memcpy(buf, "\x93NUMPY\x01\x00", 8);
    buf[8] = (char)(hlen & 0xff);
    buf[9] = (char)(hlen >> 8);
    memcpy(buf + 10, dict, (size_t)n);
    memset(buf + 10 + n, ' ', hlen - (size_t)n - 1);
    buf[total - 1] = '\n';
    return total;
}
