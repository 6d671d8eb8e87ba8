/* Sequential byte streams over a plain file or a zip member (stored or
 * deflated), with exact sizes and the CRC-32 checked at the end.  Every
 * shortfall or inconsistency is CGAN_EFORMAT naming the file and member. */
#include "npy_internal.h"

#include <stdlib.h>
#include <string.h>

#define INBUF 65536

int cgan__stream_open(cgan__stream *s, FILE *fp, const cgan__npy_where *at, int method,
                      uint64_t in_bytes, uint64_t out_bytes, int check_crc, uint32_t crc) {
    memset(s, 0, sizeof *s);
    s->fp = fp;
    s->at = *at;
    s->method = method;
    s->check_crc = check_crc;
    s->want_crc = crc;
    s->crc = (uint32_t)crc32(0L, Z_NULL, 0);
    s->in_left = in_bytes;
    s->out_left = out_bytes;
    if (method == 0) {
        if (in_bytes != out_bytes)
            return cgan__npy_fail(at, CGAN_EFORMAT, "stored member sizes disagree (%llu vs %llu)",
                                  (unsigned long long)in_bytes, (unsigned long long)out_bytes);
        return CGAN_OK;
    }
    if (method != 8)
        return cgan__npy_fail(at, CGAN_EFORMAT, "compression method %d is not supported", method);
    s->inbuf = malloc(INBUF);
    if (!s->inbuf) return cgan__npy_fail(at, CGAN_ENOMEM, "out of memory");
    if (inflateInit2(&s->z, -MAX_WBITS) != Z_OK) {
        free(s->inbuf);
        s->inbuf = NULL;
        return cgan__npy_fail(at, CGAN_ENOMEM, "cannot initialise zlib");
    }
    s->z_ready = 1;
    return CGAN_OK;
}

void cgan__stream_close(cgan__stream *s) {
    if (s->z_ready) inflateEnd(&s->z);
    free(s->inbuf);
    s->inbuf = NULL;
    s->z_ready = 0;
}

static int read_stored(cgan__stream *s, unsigned char *buf, size_t n) {
    size_t got = fread(buf, 1, n, s->fp);
    if (got != n)
        return cgan__npy_fail(&s->at, CGAN_EFORMAT, "truncated: file ends %llu bytes early",
                              (unsigned long long)(n - got));
    s->in_left -= n;
    return CGAN_OK;
}

static int read_deflated(cgan__stream *s, unsigned char *buf, size_t n) {
    s->z.next_out = buf;
    while (n > 0) {
        uInt chunk = n > (1u << 30) ? (1u << 30) : (uInt)n;
        s->z.avail_out = chunk;
        while (s->z.avail_out > 0) {
            if (s->z.avail_in == 0) {
                if (s->in_left == 0)
                    return cgan__npy_fail(&s->at, CGAN_EFORMAT,
                                          "compressed data ends before the recorded size");
                size_t want = s->in_left < INBUF ? (size_t)s->in_left : INBUF;
                size_t got = fread(s->inbuf, 1, want, s->fp);
                if (got != want)
                    return cgan__npy_fail(&s->at, CGAN_EFORMAT, "truncated: file ends inside the data");
                s->in_left -= got;
                s->z.next_in = s->inbuf;
                s->z.avail_in = (uInt)got;
            }
            int zr = inflate(&s->z, Z_NO_FLUSH);
            if (zr == Z_STREAM_END && s->z.avail_out > 0)
                return cgan__npy_fail(&s->at, CGAN_EFORMAT,
                                      "deflate stream ends before the recorded size");
            if (zr != Z_OK && zr != Z_STREAM_END && !(zr == Z_BUF_ERROR && s->z.avail_out == 0))
                return cgan__npy_fail(&s->at, CGAN_EFORMAT, "corrupt deflate data (%s)",
                                      s->z.msg ? s->z.msg : "zlib error");
        }
        n -= chunk;
    }
    return CGAN_OK;
}

int cgan__stream_read(cgan__stream *s, void *buf, size_t n) {
    int rc;
    if (n > s->out_left)
        return cgan__npy_fail(&s->at, CGAN_EFORMAT,
                              "truncated: %llu bytes needed but only %llu remain",
                              (unsigned long long)n, (unsigned long long)s->out_left);
    if (n == 0) return CGAN_OK;
    rc = s->method == 0 ? read_stored(s, buf, n) : read_deflated(s, buf, n);
    if (rc != CGAN_OK) return rc;
    s->out_left -= n;
    if (s->check_crc) {
        const unsigned char *p = buf;
        size_t left = n;
        while (left > 0) { /* crc32 takes a uInt length */
            uInt c = left > (1u << 30) ? (1u << 30) : (uInt)left;
            s->crc = (uint32_t)crc32(s->crc, p, c);
            p += c;
            left -= c;
        }
    }
    return CGAN_OK;
}

int cgan__stream_finish(cgan__stream *s) {
    if (s->out_left > 0)
        return cgan__npy_fail(&s->at, CGAN_EFORMAT, "%llu unexpected bytes after the array data",
                              (unsigned long long)s->out_left);
    if (s->check_crc && s->crc != s->want_crc)
        return cgan__npy_fail(&s->at, CGAN_EFORMAT,
                              "CRC-32 mismatch (recorded %08x, computed %08x): corrupt data",
                              (unsigned)s->want_crc, (unsigned)s->crc);
    return CGAN_OK;
}
