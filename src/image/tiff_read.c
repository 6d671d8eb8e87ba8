/* TIFF micrographs through Debian's libtiff: 8- or 16-bit unsigned samples,
 * gray (min-is-black or min-is-white) or RGB(A), strips or tiles, chunky or
 * planar; anything else libtiff can decode to 8-bit RGBA (palette, YCbCr,
 * CMYK) goes through TIFFReadRGBAImage.  Only the first page is read.
 * libtiff's messages are captured per handle (never printed). */
#include "../core/internal.h"
#include "image_internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <tiffio.h>

typedef struct tiff_msg {
    char text[256];
} tiff_msg;

static int on_error(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap) {
    tiff_msg *m = user;
    (void)tif;
    (void)module;
    if (m && !m->text[0]) vsnprintf(m->text, sizeof m->text, fmt, ap); /* keep the first */
    return 1;
}

static int on_warning(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap) {
    (void)tif, (void)user, (void)module, (void)fmt, (void)ap;
    return 1; /* unknown tags and the like: silent */
}

/* Copy one decoded block (rows x cols of spp samples, or one plane) into
 * the full interleaved image. */
static void put_block(unsigned char *img, const unsigned char *blk, uint32_t x0, uint32_t y0,
                      uint32_t bw, uint32_t bh, uint32_t w, uint32_t h, int spp, int bps,
                      int plane, int planar) {
    size_t bytes = (size_t)bps / 8;
    int per = planar ? 1 : spp;
    for (uint32_t y = 0; y < bh && y0 + y < h; y++)
        for (uint32_t x = 0; x < bw && x0 + x < w; x++)
            for (int s = 0; s < per; s++) {
                const unsigned char *src = blk + (((size_t)y * bw + x) * per + s) * bytes;
                unsigned char *dst = img + (((size_t)(y0 + y) * w + x0 + x) * spp + (planar ? plane : s)) * bytes;
                memcpy(dst, src, bytes);
            }
}

static int read_samples(TIFF *tif, unsigned char *img, uint32_t w, uint32_t h, int spp, int bps,
                        int planar) {
    int planes = planar ? spp : 1;
    if (TIFFIsTiled(tif)) {
        uint32_t tw = 0, th = 0;
        TIFFGetField(tif, TIFFTAG_TILEWIDTH, &tw);
        TIFFGetField(tif, TIFFTAG_TILELENGTH, &th);
        tmsize_t tsize = TIFFTileSize(tif);
        if (tw == 0 || th == 0 || tsize <= 0) return -1;
        unsigned char *buf = _TIFFmalloc(tsize);
        if (!buf) return -1;
        for (int p = 0; p < planes; p++)
            for (uint32_t y = 0; y < h; y += th)
                for (uint32_t x = 0; x < w; x += tw) {
                    if (TIFFReadTile(tif, buf, x, y, 0, (uint16_t)p) < 0) {
                        _TIFFfree(buf);
                        return -1;
                    }
                    put_block(img, buf, x, y, tw, th, w, h, spp, bps, p, planar);
                }
        _TIFFfree(buf);
        return 0;
    }
    tmsize_t lsize = TIFFScanlineSize(tif);
    if (lsize <= 0) return -1;
    unsigned char *buf = _TIFFmalloc(lsize);
    if (!buf) return -1;
    for (int p = 0; p < planes; p++)
        for (uint32_t y = 0; y < h; y++) {
            if (TIFFReadScanline(tif, buf, y, (uint16_t)p) < 0) {
                _TIFFfree(buf);
                return -1;
            }
            put_block(img, buf, 0, y, w, 1, w, h, spp, bps, p, planar);
        }
    _TIFFfree(buf);
    return 0;
}

/* Palette, YCbCr, CMYK...: let libtiff render 8-bit RGBA. */
static int read_rgba(TIFF *tif, const char *path, uint32_t w, uint32_t h, cgan_tensor **out,
                     tiff_msg *msg) {
    uint32_t *px = _TIFFmalloc((tmsize_t)w * h * sizeof(uint32_t));
    if (!px) return cgan__error(CGAN_ENOMEM, "cannot decode TIFF %s: out of memory", path);
    if (!TIFFReadRGBAImageOriented(tif, w, h, px, ORIENTATION_TOPLEFT, 0)) {
        _TIFFfree(px);
        return cgan__error(CGAN_EFORMAT, "cannot decode TIFF %s: %s", path,
                           msg->text[0] ? msg->text : "unsupported photometric interpretation");
    }
    int rc = cgan_tensor_create4(out, 1, 1, h, w);
    if (rc == CGAN_OK) {
        unsigned char *rgb = malloc((size_t)w * h * 3);
        if (!rgb) {
            _TIFFfree(px);
            cgan_tensor_destroy(*out);
            *out = NULL;
            return cgan__error(CGAN_ENOMEM, "cannot decode TIFF %s: out of memory", path);
        }
        for (size_t i = 0; i < (size_t)w * h; i++) {
            rgb[3 * i] = (unsigned char)TIFFGetR(px[i]);
            rgb[3 * i + 1] = (unsigned char)TIFFGetG(px[i]);
            rgb[3 * i + 2] = (unsigned char)TIFFGetB(px[i]);
        }
        cgan__image_to_gray((*out)->data, rgb, 0, (int)w, (int)h, 3);
        free(rgb);
    }
    _TIFFfree(px);
    return rc;
}

static int decode(TIFF *tif, const char *path, cgan_tensor **out, int *bits, tiff_msg *msg) {
    uint32_t w = 0, h = 0;
    uint16_t bps = 1, spp = 1, photo = PHOTOMETRIC_MINISBLACK, planar = PLANARCONFIG_CONTIG,
             fmt = SAMPLEFORMAT_UINT;
    if (!TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &w) || !TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &h) ||
        w == 0 || h == 0)
        return cgan__error(CGAN_EFORMAT, "cannot decode TIFF %s: no image size", path);
    if ((uint64_t)w * h > ((uint64_t)1 << 31))
        return cgan__error(CGAN_EFORMAT, "cannot decode TIFF %s: %ux%u pixels is too large", path, w, h);
    TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &bps);
    TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &spp);
    TIFFGetFieldDefaulted(tif, TIFFTAG_PLANARCONFIG, &planar);
    TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLEFORMAT, &fmt);
    TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &photo);
    int gray = photo == PHOTOMETRIC_MINISBLACK || photo == PHOTOMETRIC_MINISWHITE;
    int direct = (gray || photo == PHOTOMETRIC_RGB) && (bps == 8 || bps == 16) &&
                 fmt == SAMPLEFORMAT_UINT && spp >= 1 && spp <= 4;
    if (!direct) {
        if (bps > 8 || fmt != SAMPLEFORMAT_UINT)
            return cgan__error(CGAN_EFORMAT,
                               "cannot decode TIFF %s: %u-bit %s samples are not supported (8 or "
                               "16-bit unsigned only)", path, bps,
                               fmt == SAMPLEFORMAT_IEEEFP ? "floating-point"
                               : fmt == SAMPLEFORMAT_INT ? "signed" : "unsigned");
        if (bits) *bits = 8;
        return read_rgba(tif, path, w, h, out, msg);
    }
    size_t bytes = (size_t)w * h * spp * (bps / 8);
    unsigned char *img = malloc(bytes);
    if (!img) return cgan__error(CGAN_ENOMEM, "cannot decode TIFF %s: out of memory", path);
    if (read_samples(tif, img, w, h, spp, bps, planar == PLANARCONFIG_SEPARATE) != 0) {
        free(img);
        return cgan__error(CGAN_EFORMAT, "cannot decode TIFF %s: %s", path,
                           msg->text[0] ? msg->text : "damaged image data");
    }
    int rc = cgan_tensor_create4(out, 1, 1, h, w);
    if (rc == CGAN_OK) {
        /* gray+alpha: only the gray sample counts */
        int use = gray ? 1 : 3;
        if (use != spp) {
            size_t b = bps / 8;
            for (size_t i = 0; i < (size_t)w * h; i++)
                memmove(img + i * use * b, img + i * spp * b, use * b);
        }
        cgan__image_to_gray((*out)->data, img, bps == 16, (int)w, (int)h, use);
        if (photo == PHOTOMETRIC_MINISWHITE)
            for (int64_t i = 0; i < (*out)->numel; i++) (*out)->data[i] = 1.0f - (*out)->data[i];
        if (bits) *bits = bps;
    }
    free(img);
    return rc;
}

int cgan__image_read_tiff(const char *path, cgan_tensor **out, int *bits) {
    tiff_msg msg = {{0}};
    TIFFOpenOptions *opts = TIFFOpenOptionsAlloc();
    if (!opts) return cgan__error(CGAN_ENOMEM, "cannot read TIFF %s: out of memory", path);
    TIFFOpenOptionsSetErrorHandlerExtR(opts, on_error, &msg);
    TIFFOpenOptionsSetWarningHandlerExtR(opts, on_warning, NULL);
    TIFF *tif = TIFFOpenExt(path, "r", opts);
    TIFFOpenOptionsFree(opts);
    if (!tif)
        return cgan__error(CGAN_EFORMAT, "cannot decode TIFF %s: %s", path,
                           msg.text[0] ? msg.text : "not a readable TIFF file");
    int rc = decode(tif, path, out, bits, &msg);
    TIFFClose(tif);
    return rc;
}
