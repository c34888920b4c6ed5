/*
 * buf.h - a growable byte buffer with a hard cap (after curl's dynbuf).
 *
 * A buffer never grows past 'max' bytes: an append that would cross it
 * fails with CSIRT_ETOOBIG and leaves the buffer as it was. The content is
 * always NUL-terminated (the NUL is not counted in 'len'), so it can be
 * handed to C string functions, but it may also hold embedded NULs.
 */
#ifndef CSIRT_BUF_H
#define CSIRT_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "csirt/err.h"

struct buf {
	char *data;	/* owned; NULL until the first append */
	size_t len;
	size_t cap;
	size_t max;	/* hard cap on len */
};

void buf_init(struct buf *b, size_t max);
void buf_release(struct buf *b);	/* frees the data; b may be re-inited */
void buf_reset(struct buf *b);		/* len = 0, memory kept */

enum csirt_rc buf_append(struct buf *b, const void *data, size_t len);
enum csirt_rc buf_append_str(struct buf *b, const char *s);
enum csirt_rc buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
enum csirt_rc buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Appends s (len bytes, valid UTF-8: the caller checks) as a JSON string
 * literal with its quotes; all or nothing. */
enum csirt_rc buf_append_json_string(struct buf *b, const char *s, size_t len);
/* Appends v in decimal. */
enum csirt_rc buf_append_int(struct buf *b, long long v);

/* Hands the data to the caller (who frees it) and resets b. Never NULL. */
char *buf_detach(struct buf *b);

#endif
