/*
 * sink.h - a capped buffer with a sticky error, for the renderers that emit
 * text (HTML, the XML parts of DOCX): each append after the first failure
 * is skipped, and the renderer checks sink.rc once at the end, so a
 * document that hit the cap is reported, never returned cut short.
 */
#ifndef CSIRT_REPORT_SINK_H
#define CSIRT_REPORT_SINK_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "csirt/buf.h"

struct sink {
	struct buf *b;
	enum csirt_rc rc;
};

static inline void
putn(struct sink *s, const char *p, size_t n)
{
	if (s->rc == CSIRT_OK)
		s->rc = buf_append(s->b, p, n);
}

static inline void
put(struct sink *s, const char *p)
{
	if (p != NULL)
		putn(s, p, strlen(p));
}

static inline void putf(struct sink *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static inline void
putf(struct sink *s, const char *fmt, ...)
{
	va_list ap;

	if (s->rc != CSIRT_OK)
		return;
	va_start(ap, fmt);
	s->rc = buf_vprintf(s->b, fmt, ap);
	va_end(ap);
}

/* Escapes &, <, >, " and ' (valid in HTML text, attributes and XML). */
static inline void
put_escaped(struct sink *s, const char *p)
{
	const char *run = p;

	if (p == NULL)
		return;
	for (; *p; p++) {
		const char *rep;

		switch (*p) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		putn(s, run, (size_t)(p - run));
		put(s, rep);
		run = p + 1;
	}
	put(s, run);
}

#endif
