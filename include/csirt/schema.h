/*
 * schema.h - the fields of each entity, described once and used three ways:
 * to validate API input (types, lengths, choices, unknown fields), to build
 * the SQL of the generic store operations, and to render records as JSON
 * (times as ISO 8601 in UTC).
 *
 * In the store, a field's column has the field's name. Types map to
 * columns as: TEXT/ENUM -> TEXT, INT/BOOL/TIME/REF -> INTEGER,
 * LIST/OBJECT -> TEXT holding JSON.
 */
#ifndef CSIRT_SCHEMA_H
#define CSIRT_SCHEMA_H

#include <jansson.h>
#include <stdint.h>

#include "csirt/err.h"

enum field_type {
	FT_TEXT,	/* UTF-8 string, max_len bytes */
	FT_ENUM,	/* one of choices[] */
	FT_INT,		/* integer in [min, max] */
	FT_REF,		/* id of another entity (integer > 0) or null */
	FT_BOOL,
	FT_TIME,	/* API: ISO 8601 string; store: seconds UTC */
	FT_LIST,	/* array of strings, each <= max_len; at most max items */
	FT_OBJECT,	/* JSON object, serialised size <= max_len */
};

#define FF_REQUIRED	0x01	/* must be present on create */
#define FF_READONLY	0x02	/* set by the server, never accepted as input */
#define FF_CREATE_ONLY	0x04	/* accepted on create, not on update */
#define FF_NULLABLE	0x08	/* may be null (REF and TIME fields) */

struct field_def {
	const char *name;
	enum field_type type;
	unsigned flags;
	int64_t max_len;		/* TEXT/LIST item/OBJECT bytes */
	int64_t min, max;		/* INT range; LIST max items in max */
	const char *const *choices;	/* ENUM (and LIST items, if set); NULL-terminated */
};

struct entity_def {
	const char *name;	/* "incident" (API and audit name) */
	const char *table;	/* "incidents" */
	const struct field_def *fields;
	size_t n_fields;
};

const struct field_def *schema_field(const struct entity_def *def, const char *name);

/*
 * Checks an API object against the definition and returns a new object
 * with only known fields, times converted to seconds. 'creating' applies
 * FF_REQUIRED and FF_CREATE_ONLY. Unknown fields, wrong types, overlong
 * strings, invalid UTF-8 and bad choices are CSIRT_EINVAL with the field
 * named in err. On success *out is a new reference.
 */
enum csirt_rc schema_validate(const struct entity_def *def, json_t *in, int creating,
    json_t **out, struct csirt_err *err);

/* Converts time fields (seconds) of a stored record to ISO 8601, in place. */
void schema_render(const struct entity_def *def, json_t *obj);
/* The same for rows of a specific query: the integer values (seconds) at
 * 'keys' of each object of the array 'rows' (or of one object) become ISO
 * 8601 strings. */
void schema_render_times(json_t *rows, const char *const *keys, size_t n);

#endif
