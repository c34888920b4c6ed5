/*
 * fields.c - JSON input helpers for the form builders (see fields.h).
 */
#include "csirt/common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report/fields.h"

struct walk {
	size_t nodes;
	struct csirt_err *err;
};

static enum csirt_rc
walk(json_t *v, int depth, struct walk *w)
{
	enum csirt_rc rc;

	if (++w->nodes > INPUT_MAX_NODES)
		return csirt_err_set(w->err, CSIRT_ETOOBIG, NULL,
		    "the input has more than %d values", INPUT_MAX_NODES);
	if (depth > INPUT_MAX_DEPTH)
		return csirt_err_set(w->err, CSIRT_ETOOBIG, NULL,
		    "the input is nested more than %d levels deep",
		    INPUT_MAX_DEPTH);
	if (json_is_string(v) && json_string_length(v) > INPUT_MAX_STRING)
		return csirt_err_set(w->err, CSIRT_ETOOBIG, NULL,
		    "a text value is longer than %d bytes", INPUT_MAX_STRING);
	if (json_is_array(v)) {
		size_t i;
		json_t *e;

		if (json_array_size(v) > DOC_MAX_TABLE_ROWS)
			return csirt_err_set(w->err, CSIRT_ETOOBIG, NULL,
			    "a list has more than %d entries",
			    DOC_MAX_TABLE_ROWS);
		json_array_foreach(v, i, e) {
			rc = walk(e, depth + 1, w);
			if (rc != CSIRT_OK)
				return rc;
		}
	} else if (json_is_object(v)) {
		const char *k;
		json_t *e;

		json_object_foreach(v, k, e) {
			rc = walk(e, depth + 1, w);
			if (rc != CSIRT_OK)
				return rc;
		}
	}
	return CSIRT_OK;
}

enum csirt_rc
input_check(json_t *root, struct csirt_err *err)
{
	struct walk w = { 0, err };

	if (!json_is_object(root))
		return csirt_err_set(err, CSIRT_EINVAL, NULL,
		    "the input must be a JSON object");
	return walk(root, 0, &w);
}

json_t *
jget(json_t *root, const char *path)
{
	const char *p = path;
	json_t *v = root;

	/* Paths are string literals of the builders, a few segments long. */
	while (v != NULL && *p != '\0') {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);

		if (!json_is_object(v))
			return NULL;
		v = json_object_getn(v, p, n);
		p += n;
		if (*p == '.')
			p++;
	}
	return v;
}

static enum csirt_rc
scalar_append(struct buf *b, json_t *v)
{
	if (json_is_string(v))
		return buf_append(b, json_string_value(v), json_string_length(v));
	if (json_is_integer(v))
		return buf_printf(b, "%lld", (long long)json_integer_value(v));
	if (json_is_real(v))
		return buf_printf(b, "%g", json_real_value(v));
	if (json_is_true(v))
		return buf_append_str(b, "Có");
	if (json_is_false(v))
		return buf_append_str(b, "Không");
	return CSIRT_OK;	/* null, objects: nothing to print */
}

char *
value_text(json_t *v)
{
	struct buf b;
	enum csirt_rc rc = CSIRT_OK;

	if (v == NULL || json_is_null(v))
		return NULL;
	buf_init(&b, (size_t)INPUT_MAX_STRING * 64);
	if (json_is_array(v)) {
		size_t i;
		json_t *e;

		json_array_foreach(v, i, e) {
			size_t before = b.len;

			if (b.len > 0)
				rc = buf_append_str(&b, "; ");
			if (rc == CSIRT_OK)
				rc = scalar_append(&b, e);
			if (rc != CSIRT_OK)
				break;
			if (b.len == before + 2 && before > 0)
				b.len = before;	/* an empty element */
		}
	} else {
		rc = scalar_append(&b, v);
	}
	if (rc != CSIRT_OK || b.len == 0) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b);
}

char *
jtext(json_t *root, const char *path)
{
	return value_text(jget(root, path));
}

long long
jint(json_t *root, const char *path, long long fallback)
{
	json_t *v = jget(root, path);

	if (json_is_integer(v))
		return (long long)json_integer_value(v);
	if (json_is_real(v) && isfinite(json_real_value(v)) &&
	    fabs(json_real_value(v)) < 9e15)
		return (long long)json_real_value(v);
	return fallback;
}

char *
format_datetime(const char *iso, bool with_time)
{
	int64_t t;
	time_t vn;
	struct tm tm;
	char out[64];

	if (iso == NULL || iso[0] == '\0')
		return NULL;
	if (time_parse_iso(iso, &t) != CSIRT_OK || t < 0 ||
	    t > (int64_t)253402300799)	/* 9999-12-31 */
		return strdup(iso);
	vn = (time_t)(t + 7 * 3600);	/* Vietnam: UTC+7, no summer time */
	if (gmtime_r(&vn, &tm) == NULL)
		return strdup(iso);
	if (with_time)
		snprintf(out, sizeof(out), "%02d/%02d/%04d %02d:%02d",
		    tm.tm_mday, tm.tm_mon + 1, tm.tm_year + 1900, tm.tm_hour,
		    tm.tm_min);
	else
		snprintf(out, sizeof(out), "%02d/%02d/%04d", tm.tm_mday,
		    tm.tm_mon + 1, tm.tm_year + 1900);
	return strdup(out);
}

char *
jdatetime(json_t *root, const char *path)
{
	return format_datetime(jstring(root, path), true);
}

char *
jdate(json_t *root, const char *path)
{
	return format_datetime(jstring(root, path), false);
}

void
format_count(double v, char *out, size_t n)
{
	char digits[40];
	size_t len, o = 0;
	int k;
	bool neg = v < 0;

	if (!isfinite(v) || fabs(v) >= 1e18) {
		snprintf(out, n, "%g", v);
		return;
	}
	snprintf(digits, sizeof(digits), "%.0f", fabs(v));
	len = strlen(digits);
	if (neg && o + 1 < n)
		out[o++] = '-';
	for (size_t i = 0; i < len && o + 2 < n; i++) {
		out[o++] = digits[i];
		k = (int)(len - i - 1);
		if (k > 0 && k % 3 == 0)
			out[o++] = '.';
	}
	out[o] = '\0';
}

/* "Đắk Lắk, ngày 05 tháng 01 năm 2026" (Decree 30: leading zeros for days
 * below 10 and months 1 and 2; we zero-pad every month, which is allowed). */
static void
place_date(struct doc *d, json_t *input)
{
	char *place = jtext(input, "document.place");
	json_t *date = jget(input, "document.date");
	int64_t t;
	time_t vn;
	struct tm tm;

	if (json_is_string(date) &&
	    time_parse_iso(json_string_value(date), &t) == CSIRT_OK &&
	    t >= 0 && t < (int64_t)253402300799) {
		vn = (time_t)(t + 7 * 3600);
		gmtime_r(&vn, &tm);
		doc_setf(d, &d->place_date, "%s, ngày %02d tháng %02d năm %04d",
		    place ? place : "……", tm.tm_mday, tm.tm_mon + 1,
		    tm.tm_year + 1900);
	} else {
		doc_setf(d, &d->place_date, "%s, ngày …… tháng …… năm ……",
		    place ? place : "……");
	}
	free(place);
}

static void
strings_at(struct doc *d, json_t *input, const char *path,
    void (*add)(struct doc *, const char *))
{
	json_t *a = jget(input, path);
	size_t i;
	json_t *e;

	if (json_is_string(a)) {
		add(d, json_string_value(a));
		return;
	}
	json_array_foreach(a, i, e)
		if (json_is_string(e))
			add(d, json_string_value(e));
}

/* Sets a title-block slot from the text at 'path', else 'fallback'. */
static void
set_from(struct doc *d, char **slot, json_t *input, const char *path,
    const char *fallback)
{
	char *s = jtext(input, path);

	doc_set(d, slot, s ? s : fallback);
	free(s);
}

void
doc_title_block(struct doc *d, json_t *input, const char *issuer_default,
    const char *position_default)
{
	char *s;

	set_from(d, &d->parent_body, input, "document.parent_body", NULL);
	/* Box 2 is mandatory: a blank form gets a dotted line to fill in. */
	set_from(d, &d->issuer, input, "document.issuer",
	    issuer_default ? issuer_default : "……");
	s = jtext(input, "document.number");
	doc_setf(d, &d->number, "Số: %s", s ? s : "……/……");
	free(s);
	place_date(d, input);
	strings_at(d, input, "document.addressees", doc_addressee);
	strings_at(d, input, "document.recipients", doc_recipient);
	set_from(d, &d->sign_authority, input, "document.signer.authority",
	    NULL);
	set_from(d, &d->sign_position, input, "document.signer.position",
	    position_default);
	set_from(d, &d->sign_name, input, "document.signer.name", NULL);
	doc_set(d, &d->sign_hint, "(Ký, ghi rõ họ tên, đóng dấu hoặc ký số)");
}

void
field_path(struct doc *d, json_t *root, const char *label, const char *path)
{
	doc_field_take(d, label, jtext(root, path));
}

void
table_from_array(struct doc *d, json_t *root, const char *path,
    const char *const *headers, const char *const *keys,
    const double *widths, size_t cols)
{
	json_t *a = jget(root, path);
	size_t n = json_is_array(a) ? json_array_size(a) : 0;
	struct doc_table *t = doc_table(d, (n ? n : 1) + 1, cols, widths);
	char num[24];
	size_t i;
	json_t *e;

	if (t == NULL)
		return;
	for (size_t c = 0; c < cols; c++)
		doc_table_set(d, t, 0, c, headers[c]);
	if (n == 0)
		return;
	json_array_foreach(a, i, e) {
		for (size_t c = 0; c < cols; c++) {
			if (keys[c] == NULL) {
				snprintf(num, sizeof(num), "%zu", i + 1);
				doc_table_set(d, t, i + 1, c, num);
			} else if (json_is_object(e)) {
				json_t *v = json_object_get(e, keys[c]);
				char *txt;
				const char *k = keys[c];
				size_t kl = strlen(k);

				/* Keys ending in "_at" hold timestamps. */
				if (kl > 3 && strcmp(k + kl - 3, "_at") == 0 &&
				    json_is_string(v))
					txt = format_datetime(
					    json_string_value(v), true);
				else
					txt = value_text(v);
				doc_table_take(d, t, i + 1, c, txt);
			} else if (c == 1 || cols == 1) {
				doc_table_take(d, t, i + 1, c, value_text(e));
			}
		}
	}
}

const char *
jstring(json_t *root, const char *path)
{
	json_t *v = jget(root, path);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

enum csirt_rc
doc_finish(struct doc *d, struct csirt_err *err)
{
	if (d->failed)
		return csirt_err_set(err, CSIRT_ENOMEM, NULL,
		    "out of memory while building the document");
	return CSIRT_OK;
}

void
fields_under(struct doc *d, json_t *root, const char *prefix,
    const struct field_spec *specs, size_t n)
{
	char path[128];

	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s.%s", prefix, specs[i].key);
		field_path(d, root, specs[i].label, path);
	}
}
