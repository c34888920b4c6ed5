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
