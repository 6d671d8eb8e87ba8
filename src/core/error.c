/* Status strings, the thread-local last error and the log callback. */
#include "internal.h"

#include <string.h>

#define CGAN__ERRBUF 1024

static _Thread_local char last_message[CGAN__ERRBUF];
static _Thread_local int last_status;

static cgan_log_fn log_fn;
static void *log_user;
static int log_max_level = CGAN_LOG_WARN;

const char *cgan_status_string(int status) {
    switch (status) {
    case CGAN_OK: return "CGAN_OK: success";
    case CGAN_EINVAL: return "CGAN_EINVAL: invalid argument";
    case CGAN_ENOMEM: return "CGAN_ENOMEM: out of memory";
    case CGAN_ESHAPE: return "CGAN_ESHAPE: incompatible shapes";
    case CGAN_ESTATE: return "CGAN_ESTATE: call order violated";
    case CGAN_EIO: return "CGAN_EIO: input/output error";
    case CGAN_EFORMAT: return "CGAN_EFORMAT: corrupt or unsupported file format";
    case CGAN_EVERSION: return "CGAN_EVERSION: incompatible file version";
    case CGAN_ENUMERIC: return "CGAN_ENUMERIC: non-finite value";
    case CGAN_EUNSUPPORTED: return "CGAN_EUNSUPPORTED: not supported";
    case CGAN_EINTERRUPTED: return "CGAN_EINTERRUPTED: interrupted";
    case CGAN_EINTERNAL: return "CGAN_EINTERNAL: internal error";
    default: return "unknown status";
    }
}

const char *cgan_last_error(void) { return last_message; }
int cgan_last_status(void) { return last_status; }

void cgan_clear_error(void) {
    last_message[0] = '\0';
    last_status = CGAN_OK;
}

int cgan__error(int status, const char *fmt, ...) {
    char buf[CGAN__ERRBUF];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    /* buf first: fmt's arguments may point into last_message itself. */
    memcpy(last_message, buf, sizeof buf);
    last_status = status;
    cgan__log(CGAN_LOG_DEBUG, "%s (%s)", buf, cgan_status_string(status));
    return status;
}

void cgan_set_log_callback(cgan_log_fn fn, void *user, int max_level) {
    log_fn = fn;
    log_user = user;
    log_max_level = max_level;
}

void cgan_log_to_stderr(int level, const char *msg, void *user) {
    static const char *names[] = {"error", "warning", "info", "debug"};
    (void)user;
    fprintf(stderr, "libcgan: %s: %s\n", (level >= 0 && level <= 3) ? names[level] : "log", msg);
}

void cgan__log(int level, const char *fmt, ...) {
    char buf[CGAN__ERRBUF];
    va_list ap;
    if (log_fn == NULL || level > log_max_level) return;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    log_fn(level, buf, log_user);
}
