#include "csirt/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
buf_init(struct buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void
buf_release(struct buf *b)
{
	free(b->data);
	buf_init(b, b->max);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

static enum csirt_rc
buf_reserve(struct buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > b->max || b->len > b->max - extra)
		return CSIRT_ETOOBIG;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return CSIRT_OK;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > ((size_t)-1) / 2 ? need : cap * 2;
	if (cap > b->max + 1)
		cap = b->max + 1;
	p = realloc(b->data, cap);
	if (p == NULL)
		return CSIRT_ENOMEM;
	b->data = p;
	b->cap = cap;
	return CSIRT_OK;
}

enum csirt_rc
buf_append(struct buf *b, const void *data, size_t len)
{
	enum csirt_rc rc = buf_reserve(b, len);

	if (rc != CSIRT_OK)
		return rc;
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return CSIRT_OK;
}

enum csirt_rc
buf_append_str(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

enum csirt_rc
buf_append_json_string(struct buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t worst;
	enum csirt_rc rc;
	char *w;

	/* Reserve the worst case (every byte as \u00XX) so that the copy
	 * below cannot fail half-way; the cap still applies to what is used. */
	if (len > (b->max - 2) / 6)
		worst = len + 2;
	else
		worst = len * 6 + 2;
	rc = buf_reserve(b, worst);
	if (rc != CSIRT_OK) {
		/* too big for the worst case: count exactly */
		worst = 2;
		for (size_t i = 0; i < len; i++) {
			unsigned char c = (unsigned char)s[i];

			worst += c >= 0x20 && c != '"' && c != '\\' ? 1 :
			    (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t') ? 2 : 6;
		}
		rc = buf_reserve(b, worst);
		if (rc != CSIRT_OK)
			return rc;
	}
	w = b->data + b->len;
	*w++ = '"';
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c != '"' && c != '\\') {
			*w++ = (char)c;
			continue;
		}
		*w++ = '\\';
		switch (c) {
		case '"': *w++ = '"'; break;
		case '\\': *w++ = '\\'; break;
		case '\n': *w++ = 'n'; break;
		case '\r': *w++ = 'r'; break;
		case '\t': *w++ = 't'; break;
		default:
			*w++ = 'u';
			*w++ = '0';
			*w++ = '0';
			*w++ = hex[c >> 4];
			*w++ = hex[c & 15];
			break;
		}
	}
	*w++ = '"';
	b->len = (size_t)(w - b->data);
	b->data[b->len] = '\0';
	return CSIRT_OK;
}

enum csirt_rc
buf_append_int(struct buf *b, long long v)
{
	char tmp[24], *p = tmp + sizeof(tmp);
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	return buf_append(b, p, (size_t)(tmp + sizeof(tmp) - p));
}

enum csirt_rc
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	enum csirt_rc rc;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return CSIRT_EINVAL;
	rc = buf_reserve(b, (size_t)n);
	if (rc != CSIRT_OK)
		return rc;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return CSIRT_OK;
}

enum csirt_rc
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	enum csirt_rc rc;

	va_start(ap, fmt);
	rc = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

char *
buf_detach(struct buf *b)
{
	char *p = b->data;

	if (p == NULL) {
		p = calloc(1, 1);
		if (p == NULL)
			abort();	/* one byte: nothing sensible to do */
	}
	buf_init(b, b->max);
	return p;
}
