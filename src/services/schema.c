#include "csirt/common.h"
#include "csirt/schema.h"

#include <string.h>

const struct field_def *
schema_field(const struct entity_def *def, const char *name)
{
	for (size_t i = 0; i < def->n_fields; i++)
		if (strcmp(def->fields[i].name, name) == 0)
			return &def->fields[i];
	return NULL;
}

static int
in_choices(const char *const *choices, const char *s)
{
	for (; *choices; choices++)
		if (strcmp(*choices, s) == 0)
			return 1;
	return 0;
}

static enum csirt_rc
check_text(const struct field_def *f, const char *s, size_t len, struct csirt_err *err)
{
	if (!utf8_valid(s, len))
		return csirt_err_set(err, CSIRT_EINVAL, f->name, "'%s' is not valid UTF-8 text", f->name);
	if (f->max_len && (int64_t)len > f->max_len)
		return csirt_err_set(err, CSIRT_EINVAL, f->name, "'%s' is longer than %lld bytes",
		    f->name, (long long)f->max_len);
	if (f->choices && !in_choices(f->choices, s))
		return csirt_err_set(err, CSIRT_EINVAL, f->name, "'%s' has a value that is not allowed",
		    f->name);
	return CSIRT_OK;
}

static enum csirt_rc
validate_field(const struct field_def *f, json_t *v, json_t **out, struct csirt_err *err)
{
	enum csirt_rc rc;
	int64_t t;

	if (json_is_null(v)) {
		if (!(f->flags & FF_NULLABLE))
			return csirt_err_set(err, CSIRT_EINVAL, f->name, "'%s' may not be null", f->name);
		*out = json_null();
		return CSIRT_OK;
	}
	switch (f->type) {
	case FT_TEXT:
	case FT_ENUM:
		if (!json_is_string(v))
			return csirt_err_set(err, CSIRT_EINVAL, f->name, "'%s' must be a string", f->name);
		rc = check_text(f, json_string_value(v), json_string_length(v), err);
		if (rc != CSIRT_OK)
			return rc;
		*out = json_incref(v);
		return CSIRT_OK;
	case FT_INT:
	case FT_REF:
		if (!json_is_integer(v))
			return csirt_err_set(err, CSIRT_EINVAL, f->name, "'%s' must be an integer", f->name);
		t = json_integer_value(v);
		if (f->type == FT_REF ? t < 1 : (t < f->min || t > f->max))
			return csirt_err_set(err, CSIRT_EINVAL, f->name, "'%s' is out of range", f->name);
		*out = json_incref(v);
		return CSIRT_OK;
	case FT_BOOL:
		if (!json_is_boolean(v))
			return csirt_err_set(err, CSIRT_EINVAL, f->name, "'%s' must be true or false", f->name);
		*out = json_incref(v);
		return CSIRT_OK;
	case FT_TIME:
		if (!json_is_string(v) || time_parse_iso(json_string_value(v), &t) != CSIRT_OK)
			return csirt_err_set(err, CSIRT_EINVAL, f->name,
			    "'%s' must be a date and time like 2026-08-20T14:30:00+07:00", f->name);
		*out = json_integer(t);
		return CSIRT_OK;
	case FT_LIST: {
		size_t i;
		json_t *item;

		if (!json_is_array(v))
			return csirt_err_set(err, CSIRT_EINVAL, f->name, "'%s' must be a list of strings", f->name);
		if ((int64_t)json_array_size(v) > f->max)
			return csirt_err_set(err, CSIRT_EINVAL, f->name, "'%s' has more than %lld items",
			    f->name, (long long)f->max);
		json_array_foreach(v, i, item) {
			if (!json_is_string(item))
				return csirt_err_set(err, CSIRT_EINVAL, f->name,
				    "'%s' must be a list of strings", f->name);
			rc = check_text(f, json_string_value(item), json_string_length(item), err);
			if (rc != CSIRT_OK)
				return rc;
		}
		*out = json_incref(v);
		return CSIRT_OK;
	}
	case FT_OBJECT: {
		char *s;
		size_t n;

		if (!json_is_object(v))
			return csirt_err_set(err, CSIRT_EINVAL, f->name, "'%s' must be an object", f->name);
		s = json_dumps(v, JSON_COMPACT);
		if (s == NULL)
			return CSIRT_ENOMEM;
		n = strlen(s);
		rc = utf8_valid(s, n) ? CSIRT_OK : CSIRT_EINVAL;
		free(s);
		if (rc != CSIRT_OK || (f->max_len && (int64_t)n > f->max_len))
			return csirt_err_set(err, CSIRT_EINVAL, f->name, "'%s' is too large or not valid text",
			    f->name);
		*out = json_incref(v);
		return CSIRT_OK;
	}
	}
	return CSIRT_EINTERNAL;
}

enum csirt_rc
schema_validate(const struct entity_def *def, json_t *in, int creating, json_t **out,
    struct csirt_err *err)
{
	const char *key;
	json_t *v, *res;
	enum csirt_rc rc;

	if (!json_is_object(in))
		return csirt_err_set(err, CSIRT_EINVAL, NULL, "the body must be a JSON object");
	res = json_object();
	if (res == NULL)
		return CSIRT_ENOMEM;
	json_object_foreach(in, key, v) {
		const struct field_def *f = schema_field(def, key);
		json_t *norm = NULL;

		if (f == NULL) {
			rc = csirt_err_set(err, CSIRT_EINVAL, key, "unknown field '%.60s'", key);
			goto out_fail;
		}
		if ((f->flags & FF_READONLY) || (!creating && (f->flags & FF_CREATE_ONLY))) {
			rc = csirt_err_set(err, CSIRT_EINVAL, key, "field '%s' cannot be set", key);
			goto out_fail;
		}
		rc = validate_field(f, v, &norm, err);
		if (rc != CSIRT_OK)
			goto out_fail;
		json_object_set_new(res, key, norm);
	}
	if (creating) {
		for (size_t i = 0; i < def->n_fields; i++) {
			const struct field_def *f = &def->fields[i];
			json_t *v2 = json_object_get(res, f->name);

			if ((f->flags & FF_REQUIRED) &&
			    (v2 == NULL || (json_is_string(v2) && json_string_length(v2) == 0))) {
				rc = csirt_err_set(err, CSIRT_EINVAL, f->name, "'%s' is required", f->name);
				goto out_fail;
			}
		}
	}
	*out = res;
	return CSIRT_OK;

out_fail:
	json_decref(res);
	return rc;
}

void
schema_render(const struct entity_def *def, json_t *obj)
{
	for (size_t i = 0; i < def->n_fields; i++) {
		const struct field_def *f = &def->fields[i];
		json_t *v;
		char iso[32];

		if (f->type != FT_TIME)
			continue;
		v = json_object_get(obj, f->name);
		if (json_is_integer(v)) {
			time_format_iso(json_integer_value(v), iso);
			json_object_set_new(obj, f->name, json_string(iso));
		}
	}
}

void
schema_render_times(json_t *rows, const char *const *keys, size_t n)
{
	size_t i;
	json_t *r;
	char iso[32];

	if (json_is_object(rows)) {
		json_t *one = json_array();

		json_array_append(one, rows);
		schema_render_times(one, keys, n);
		json_decref(one);
		return;
	}
	json_array_foreach(rows, i, r) {
		for (size_t k = 0; k < n; k++) {
			json_t *v = json_object_get(r, keys[k]);

			if (json_is_integer(v)) {
				time_format_iso(json_integer_value(v), iso);
				json_object_set_new(r, keys[k], json_string(iso));
			}
		}
	}
}
