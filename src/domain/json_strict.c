/*
 * json_strict.c - the strict JSON reading shared by the rule packs, the
 * calendar and the taxonomy (see json_strict.h for why it is strict).
 */
#include "csirt/common.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "csirt/calendar.h"
#include "domain/json_strict.h"

enum csirt_rc
jstrict_read_file(const char *path, char **data, size_t *len,
    struct csirt_err *err)
{
	FILE *f = fopen(path, "rb");
	enum csirt_rc rc = CSIRT_OK;

	if (f == NULL)
		return csirt_err_set(err, errno == ENOENT ? CSIRT_ENOTFOUND : CSIRT_EIO,
		    NULL, "cannot open %s: %s", path, strerror(errno));
	*data = malloc(RULEPACK_MAX_BYTES + 1);
	if (*data == NULL) {
		rc = csirt_err_set(err, CSIRT_ENOMEM, NULL, "out of memory");
		goto out;
	}
	*len = fread(*data, 1, RULEPACK_MAX_BYTES + 1, f);
	if (ferror(f)) {
		rc = csirt_err_set(err, CSIRT_EIO, NULL, "cannot read %s", path);
		free(*data);
		*data = NULL;
	}
out:
	fclose(f);
	return rc;
}

void
jstrict_trim(char *s)
{
	size_t n = strlen(s), start = n, need;
	unsigned char lead;

	/* Find the start of the last character: at most 3 continuation bytes. */
	while (start > 0 && n - start < 4 && ((unsigned char)s[start - 1] & 0xC0) == 0x80)
		start--;
	if (start == 0)
		return;
	lead = (unsigned char)s[start - 1];
	if (lead < 0x80)
		return;
	need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
	if (n - (start - 1) < need)
		s[start - 1] = '\0';
}

void
jstrict_sanitize(char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;

		if (len <= n - i && utf8_valid(s + i, len)) {
			i += len;
			continue;
		}
		s[i++] = '?';
	}
}

const char *
jstrict_clip(const char *s, size_t max, char *buf)
{
	size_t n = strlen(s);

	if (n > max)
		n = max;
	memcpy(buf, s, n);
	buf[n] = '\0';
	jstrict_trim(buf);
	return buf;
}

void
jstrict_path(char *out, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out, size, fmt, ap);
	va_end(ap);
}

enum csirt_rc
jstrict_fail(const struct jctx *ctx, enum csirt_rc rc, const char *path,
    const char *fmt, ...)
{
	char what[CSIRT_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	jstrict_trim(what);
	csirt_err_set(ctx->err, rc, path, "%s: %s: %s", ctx->name, path, what);
	if (ctx->err != NULL) {
		jstrict_trim(ctx->err->msg);
		jstrict_sanitize(ctx->err->msg);
		jstrict_trim(ctx->err->field);
		jstrict_sanitize(ctx->err->field);
	}
	return rc;
}

enum csirt_rc
jstrict_load(const struct jctx *ctx, const char *data, size_t len, size_t max,
    json_t **root)
{
	json_error_t jerr;
	json_t *j;

	if (data == NULL && len > 0)
		return jstrict_fail(ctx, CSIRT_EINVAL, "$", "no data");
	if (len > max)
		return jstrict_fail(ctx, CSIRT_ETOOBIG, "$",
		    "file is %zu bytes, more than the limit of %zu", len, max);
	/* jansson validates UTF-8 and refuses \u0000 without JSON_ALLOW_NUL. */
	j = json_loadb(data ? data : "", len, JSON_REJECT_DUPLICATES, &jerr);
	if (j == NULL)
		return jstrict_fail(ctx, CSIRT_EPARSE, "$",
		    "not valid JSON (line %d, column %d): %s", jerr.line,
		    jerr.column, jerr.text);
	if (!json_is_object(j)) {
		json_decref(j);
		return jstrict_fail(ctx, CSIRT_EPARSE, "$",
		    "the top level must be an object");
	}
	*root = j;
	return CSIRT_OK;
}

enum csirt_rc
jstrict_open(const struct jctx *ctx, const char *data, size_t len,
    const char *const *keys, json_t **root, const char **id)
{
	json_t *j = NULL;
	int64_t schema;
	enum csirt_rc rc;

	rc = jstrict_load(ctx, data, len, RULEPACK_MAX_BYTES, &j);
	if (rc != CSIRT_OK)
		return rc;
	/* Version 1 is the only schema; a later one must be read knowingly. */
	if ((rc = jstrict_keys(ctx, j, "$", keys)) != CSIRT_OK ||
	    (rc = jstrict_int(ctx, j, "$", "schema", true, 1, 1, &schema)) != CSIRT_OK ||
	    (rc = jstrict_id(ctx, j, "$", "id", id)) != CSIRT_OK) {
		json_decref(j);
		return rc;
	}
	*root = j;
	return CSIRT_OK;
}

enum csirt_rc
jstrict_keys(const struct jctx *ctx, json_t *obj, const char *path,
    const char *const *allowed)
{
	const char *key;
	json_t *value;

	json_object_foreach(obj, key, value) {
		bool known = false;

		(void)value;
		for (const char *const *a = allowed; *a != NULL; a++) {
			if (strcmp(*a, key) == 0) {
				known = true;
				break;
			}
		}
		if (!known) {
			char clip[41];

			return jstrict_fail(ctx, CSIRT_EPARSE, path,
			    "unknown key \"%s\"", jstrict_clip(key, 40, clip));
		}
	}
	return CSIRT_OK;
}

/* Looks a key up; CSIRT_ENOTFOUND (no error text) when absent and optional. */
static enum csirt_rc
get(const struct jctx *ctx, json_t *obj, const char *path, const char *key,
    bool required, json_t **out)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL || json_is_null(v)) {
		if (required)
			return jstrict_fail(ctx, CSIRT_EPARSE, path,
			    "missing required key \"%s\"", key);
		return CSIRT_ENOTFOUND;
	}
	*out = v;
	return CSIRT_OK;
}

#define GET_OR_RETURN(v)						\
	do {								\
		enum csirt_rc rc_ = get(ctx, obj, path, key, required, &(v)); \
		if (rc_ == CSIRT_ENOTFOUND)				\
			return CSIRT_OK;				\
		if (rc_ != CSIRT_OK)					\
			return rc_;					\
	} while (0)

enum csirt_rc
jstrict_object(const struct jctx *ctx, json_t *obj, const char *path,
    const char *key, bool required, json_t **out)
{
	json_t *v = NULL;

	GET_OR_RETURN(v);
	if (!json_is_object(v))
		return jstrict_fail(ctx, CSIRT_EPARSE, path,
		    "\"%s\" must be an object", key);
	*out = v;
	return CSIRT_OK;
}

enum csirt_rc
jstrict_array(const struct jctx *ctx, json_t *obj, const char *path,
    const char *key, size_t max_items, json_t **out)
{
	json_t *v = NULL;
	bool required = true;

	GET_OR_RETURN(v);
	if (!json_is_array(v))
		return jstrict_fail(ctx, CSIRT_EPARSE, path,
		    "\"%s\" must be an array", key);
	if (json_array_size(v) > max_items)
		return jstrict_fail(ctx, CSIRT_ETOOBIG, path,
		    "\"%s\" has %zu items, more than the limit of %zu", key,
		    json_array_size(v), max_items);
	*out = v;
	return CSIRT_OK;
}

enum csirt_rc
jstrict_string(const struct jctx *ctx, json_t *obj, const char *path,
    const char *key, bool required, const char **out)
{
	json_t *v = NULL;

	GET_OR_RETURN(v);
	if (!json_is_string(v))
		return jstrict_fail(ctx, CSIRT_EPARSE, path,
		    "\"%s\" must be a string", key);
	if (json_string_length(v) == 0)
		return jstrict_fail(ctx, CSIRT_EPARSE, path,
		    "\"%s\" must not be empty", key);
	if (json_string_length(v) > JSTRICT_STRING_MAX)
		return jstrict_fail(ctx, CSIRT_ETOOBIG, path,
		    "\"%s\" is longer than %d bytes", key, JSTRICT_STRING_MAX);
	*out = json_string_value(v);
	return CSIRT_OK;
}

enum csirt_rc
jstrict_int(const struct jctx *ctx, json_t *obj, const char *path,
    const char *key, bool required, int64_t min, int64_t max, int64_t *out)
{
	json_t *v = NULL;

	GET_OR_RETURN(v);
	if (!json_is_integer(v))
		return jstrict_fail(ctx, CSIRT_EPARSE, path,
		    "\"%s\" must be an integer", key);
	if (json_integer_value(v) < min || json_integer_value(v) > max)
		return jstrict_fail(ctx, CSIRT_EPARSE, path,
		    "\"%s\" must be between %lld and %lld", key,
		    (long long)min, (long long)max);
	*out = json_integer_value(v);
	return CSIRT_OK;
}

enum csirt_rc
jstrict_bool(const struct jctx *ctx, json_t *obj, const char *path,
    const char *key, bool required, bool *out)
{
	json_t *v = NULL;

	GET_OR_RETURN(v);
	if (!json_is_boolean(v))
		return jstrict_fail(ctx, CSIRT_EPARSE, path,
		    "\"%s\" must be true or false", key);
	*out = json_is_true(v);
	return CSIRT_OK;
}

enum csirt_rc
jstrict_text(const struct jctx *ctx, json_t *obj, const char *path,
    const char *key, bool required, struct rulepack_text *out)
{
	static const char *const keys[] = { "vi", "en", NULL };
	char sub[JSTRICT_PATH_MAX];
	json_t *t = NULL;
	enum csirt_rc rc;

	rc = jstrict_object(ctx, obj, path, key, required, &t);
	if (rc != CSIRT_OK || t == NULL)
		return rc;
	jstrict_path(sub, sizeof(sub), "%s.%s", path, key);
	rc = jstrict_keys(ctx, t, sub, keys);
	if (rc == CSIRT_OK)
		rc = jstrict_string(ctx, t, sub, "vi", true, &out->vi);
	if (rc == CSIRT_OK)
		rc = jstrict_string(ctx, t, sub, "en", true, &out->en);
	return rc;
}

enum csirt_rc
jstrict_date(const struct jctx *ctx, json_t *obj, const char *path,
    const char *key, bool required, const char **text, int64_t *day)
{
	const char *s = NULL;
	int64_t t;
	enum csirt_rc rc;

	rc = jstrict_string(ctx, obj, path, key, required, &s);
	if (rc != CSIRT_OK || s == NULL)
		return rc;
	/* time_parse_iso takes a bare date as 00:00 Vietnam time. */
	if (strlen(s) != 10 || time_parse_iso(s, &t) != CSIRT_OK) {
		char clip[21];

		return jstrict_fail(ctx, CSIRT_EPARSE, path,
		    "\"%s\" must be a date YYYY-MM-DD, not \"%s\"", key,
		    jstrict_clip(s, 20, clip));
	}
	if (text != NULL)
		*text = s;
	*day = calendar_day_of(t);
	return CSIRT_OK;
}

enum csirt_rc
jstrict_id(const struct jctx *ctx, json_t *obj, const char *path,
    const char *key, const char **out)
{
	const char *s;
	size_t n;
	enum csirt_rc rc;

	rc = jstrict_string(ctx, obj, path, key, true, &s);
	if (rc != CSIRT_OK)
		return rc;
	n = strlen(s);
	if (n > 64 || strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789._-") != n)
		return jstrict_fail(ctx, CSIRT_EPARSE, path,
		    "\"%s\" must be 1 to 64 of a-z, 0-9, '.', '_', '-'", key);
	*out = s;
	return CSIRT_OK;
}

enum csirt_rc
jstrict_enum(const struct jctx *ctx, json_t *obj, const char *path,
    const char *key, const char *const *names, int n, int *out)
{
	char list[160] = "", clip[33];
	size_t used = 0;
	const char *s;
	enum csirt_rc rc;

	rc = jstrict_string(ctx, obj, path, key, true, &s);
	if (rc != CSIRT_OK)
		return rc;
	for (int i = 0; i < n; i++) {
		if (strcmp(s, names[i]) == 0) {
			*out = i;
			return CSIRT_OK;
		}
	}
	for (int i = 0; i < n && used < sizeof(list); i++) {
		int w = snprintf(list + used, sizeof(list) - used, "%s%s",
		    i ? ", " : "", names[i]);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	return jstrict_fail(ctx, CSIRT_EPARSE, path,
	    "unknown %s \"%s\" (expected one of: %s)", key,
	    jstrict_clip(s, 32, clip), list);
}
