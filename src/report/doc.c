/*
 * doc.c - building the document model (see doc.h). Allocation failures set
 * doc->failed instead of being returned from every call, so that a form
 * builder reads as the form it fills; the builder checks doc->failed once.
 */
#include "csirt/common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/doc.h"

void
doc_init(struct doc *d)
{
	memset(d, 0, sizeof(*d));
}

static void
table_free(struct doc_table *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->rows * t->cols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->widths);
	free(t);
}

static void
chart_free(struct doc_chart *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->n; i++)
		free(c->labels[i]);
	free(c->labels);
	free(c->values);
	free(c->title);
	free(c);
}

static void
strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
doc_free(struct doc *d)
{
	char **strings[] = { &d->form_label, &d->parent_body, &d->issuer,
	    &d->number, &d->vv, &d->place_date, &d->doc_type, &d->summary,
	    &d->sign_authority, &d->sign_position, &d->sign_hint,
	    &d->sign_name };

	for (size_t i = 0; i < ARRAY_SIZE(strings); i++)
		free(*strings[i]);
	for (size_t i = 0; i < d->n_blocks; i++) {
		free(d->blocks[i].label);
		free(d->blocks[i].text);
		table_free(d->blocks[i].table);
		chart_free(d->blocks[i].chart);
	}
	free(d->blocks);
	strv_free(d->addressees, d->n_addressees);
	strv_free(d->recipients, d->n_recipients);
	doc_init(d);
}

static char *
dup_or_fail(struct doc *d, const char *s)
{
	char *p;

	if (s == NULL)
		return NULL;
	p = strdup(s);
	if (p == NULL)
		d->failed = true;
	return p;
}

void
doc_set(struct doc *d, char **slot, const char *value)
{
	free(*slot);
	*slot = dup_or_fail(d, value);
}

static char *
vformat(struct doc *d, const char *fmt, va_list ap)
{
	char *p = NULL;

	if (vasprintf(&p, fmt, ap) < 0) {
		d->failed = true;
		return NULL;
	}
	return p;
}

void
doc_setf(struct doc *d, char **slot, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	free(*slot);
	*slot = vformat(d, fmt, ap);
	va_end(ap);
}

/* Appends a block; returns NULL (and marks the document) past the cap. */
static struct doc_block *
block_new(struct doc *d, enum doc_block_kind kind)
{
	struct doc_block *b;

	if (d->n_blocks >= DOC_MAX_BLOCKS) {
		d->failed = true;
		return NULL;
	}
	if (d->n_blocks == d->cap_blocks) {
		size_t cap = d->cap_blocks ? d->cap_blocks * 2 : 32;
		struct doc_block *p = realloc(d->blocks, cap * sizeof(*p));

		if (p == NULL) {
			d->failed = true;
			return NULL;
		}
		d->blocks = p;
		d->cap_blocks = cap;
	}
	b = &d->blocks[d->n_blocks++];
	memset(b, 0, sizeof(*b));
	b->kind = kind;
	return b;
}

void
doc_heading(struct doc *d, const char *fmt, ...)
{
	struct doc_block *b = block_new(d, DOC_HEADING);
	va_list ap;

	if (b == NULL)
		return;
	va_start(ap, fmt);
	b->label = vformat(d, fmt, ap);
	va_end(ap);
}

void
doc_paragraph(struct doc *d, const char *text)
{
	struct doc_block *b;

	if (text == NULL || text[0] == '\0')
		return;
	b = block_new(d, DOC_PARAGRAPH);
	if (b != NULL)
		b->text = dup_or_fail(d, text);
}

void
doc_notice(struct doc *d, const char *text)
{
	struct doc_block *b = block_new(d, DOC_NOTICE);

	if (b != NULL)
		b->text = dup_or_fail(d, text);
}

void
doc_field_take(struct doc *d, const char *label, char *value)
{
	struct doc_block *b = block_new(d, DOC_FIELD);

	if (b == NULL) {
		free(value);
		return;
	}
	b->label = dup_or_fail(d, label);
	b->text = value;
}

void
doc_field(struct doc *d, const char *label, const char *value)
{
	doc_field_take(d, label, dup_or_fail(d, value));
}

static void
strv_push(struct doc *d, char ***v, size_t *n, const char *s)
{
	char **p;

	if (s == NULL || s[0] == '\0')
		return;
	if (*n >= DOC_MAX_TABLE_ROWS) {
		d->failed = true;
		return;
	}
	p = realloc(*v, (*n + 1) * sizeof(*p));
	if (p == NULL) {
		d->failed = true;
		return;
	}
	*v = p;
	p[*n] = dup_or_fail(d, s);
	if (p[*n] != NULL)
		(*n)++;
}

void
doc_addressee(struct doc *d, const char *name)
{
	strv_push(d, &d->addressees, &d->n_addressees, name);
}

void
doc_recipient(struct doc *d, const char *name)
{
	strv_push(d, &d->recipients, &d->n_recipients, name);
}

struct doc_table *
doc_table(struct doc *d, size_t rows, size_t cols, const double *widths)
{
	struct doc_block *b;
	struct doc_table *t;

	if (rows == 0 || rows > DOC_MAX_TABLE_ROWS + 2 || cols == 0 ||
	    cols > DOC_MAX_TABLE_COLS) {
		d->failed = true;
		return NULL;
	}
	b = block_new(d, DOC_TABLE);
	if (b == NULL)
		return NULL;
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		goto fail;
	b->table = t;
	t->cells = calloc(rows * cols, sizeof(*t->cells));
	t->widths = calloc(cols, sizeof(*t->widths));
	if (t->cells == NULL || t->widths == NULL)
		goto fail;
	t->rows = rows;
	t->cols = cols;
	for (size_t i = 0; i < cols; i++)
		t->widths[i] = widths ? widths[i] : 1.0;
	t->small = cols > 6;
	return t;
fail:
	d->failed = true;
	return NULL;
}

void
doc_table_take(struct doc *d, struct doc_table *t, size_t row, size_t col,
    char *text)
{
	if (t == NULL || row >= t->rows || col >= t->cols) {
		free(text);
		return;
	}
	free(t->cells[row * t->cols + col]);
	t->cells[row * t->cols + col] = text;
}

void
doc_table_set(struct doc *d, struct doc_table *t, size_t row, size_t col,
    const char *text)
{
	doc_table_take(d, t, row, col, dup_or_fail(d, text));
}

struct doc_chart *
doc_chart(struct doc *d, enum chart_kind kind, const char *title, size_t n)
{
	struct doc_block *b;
	struct doc_chart *c;

	if (n == 0 || n > DOC_MAX_CHART_POINTS) {
		d->failed = true;
		return NULL;
	}
	b = block_new(d, DOC_CHART);
	if (b == NULL)
		return NULL;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		goto fail;
	b->chart = c;
	c->kind = kind;
	c->title = dup_or_fail(d, title);
	c->labels = calloc(n, sizeof(*c->labels));
	c->values = calloc(n, sizeof(*c->values));
	if (c->labels == NULL || c->values == NULL)
		goto fail;
	c->n = n;
	return c;
fail:
	d->failed = true;
	return NULL;
}

void
doc_chart_point(struct doc *d, struct doc_chart *c, size_t i,
    const char *label, double value)
{
	if (c == NULL || i >= c->n)
		return;
	free(c->labels[i]);
	c->labels[i] = dup_or_fail(d, label ? label : "");
	c->values[i] = value;
}
