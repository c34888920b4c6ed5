/*
 * json_strict.h - strict reading of the domain's JSON data files (rule
 * packs, the calendar, the taxonomy) with jansson. Internal to src/domain.
 *
 * Every error names the file and the JSON path ("vn-2017.json: $.rules[2].
 * duration.unit: ..."), so that a province editing a pack sees at once what
 * to fix. Unknown keys are errors: a misspelt key must not be ignored, or a
 * deadline would silently take a default.
 */
#ifndef CSIRT_DOMAIN_JSON_STRICT_H
#define CSIRT_DOMAIN_JSON_STRICT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "csirt/err.h"
#include "csirt/rulepack.h"

#define JSTRICT_PATH_MAX 128
#define JSTRICT_STRING_MAX 2048

struct jctx {
	const char *name;	/* file name for messages */
	struct csirt_err *err;
};

/*
 * Messages go to users and into JSON, which must be valid UTF-8: a text cut
 * at a byte count may split a character. jstrict_trim() drops an incomplete
 * sequence at the end of s; jstrict_clip() copies at most max bytes of s
 * into buf (max + 1 bytes) without splitting one, and returns buf.
 */
void jstrict_trim(char *s);

/*
 * Replaces every byte that does not start a valid UTF-8 character with '?'.
 * For text we did not write: jansson's error excerpt of the input ("near
 * '...'") is cut by bytes, and a file name may be in any encoding.
 */
void jstrict_sanitize(char *s);
const char *jstrict_clip(const char *s, size_t max, char *buf);

/*
 * Reads a whole data file of at most RULEPACK_MAX_BYTES (one byte more is
 * read so that the parser can say "too big"). *data is a new buffer the
 * caller frees. CSIRT_ENOTFOUND when the file does not exist, else EIO.
 */
enum csirt_rc jstrict_read_file(const char *path, char **data, size_t *len,
    struct csirt_err *err);

/* Writes a sub-path ("$.rules[2]") into out; truncates safely. */
void jstrict_path(char *out, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Formats "name: path: message" into ctx->err and returns rc. */
enum csirt_rc jstrict_fail(const struct jctx *ctx, enum csirt_rc rc,
    const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/*
 * Parses (data, len) as one JSON object of at most 'max' bytes. Rejects
 * duplicate keys and NUL bytes. On success *root is a new reference.
 */
enum csirt_rc jstrict_load(const struct jctx *ctx, const char *data,
    size_t len, size_t max, json_t **root);

/*
 * The start every domain data file shares: jstrict_load(), then only the
 * top-level 'keys', "schema": 1 and an "id" (jstrict_id). On success *root
 * is a new reference and *id points into it.
 */
enum csirt_rc jstrict_open(const struct jctx *ctx, const char *data,
    size_t len, const char *const *keys, json_t **root, const char **id);

/* Fails when obj (an object at 'path') has a key not in 'allowed' (NULL-ended). */
enum csirt_rc jstrict_keys(const struct jctx *ctx, json_t *obj,
    const char *path, const char *const *allowed);

/*
 * Typed getters. 'required' false: a missing key leaves *out untouched and
 * returns CSIRT_OK. The value found is borrowed from obj.
 */
enum csirt_rc jstrict_object(const struct jctx *ctx, json_t *obj,
    const char *path, const char *key, bool required, json_t **out);
enum csirt_rc jstrict_array(const struct jctx *ctx, json_t *obj,
    const char *path, const char *key, size_t max_items, json_t **out);
enum csirt_rc jstrict_string(const struct jctx *ctx, json_t *obj,
    const char *path, const char *key, bool required, const char **out);
enum csirt_rc jstrict_int(const struct jctx *ctx, json_t *obj,
    const char *path, const char *key, bool required, int64_t min,
    int64_t max, int64_t *out);
enum csirt_rc jstrict_bool(const struct jctx *ctx, json_t *obj,
    const char *path, const char *key, bool required, bool *out);

/* {"vi": "...", "en": "..."}, both required and non-empty. */
enum csirt_rc jstrict_text(const struct jctx *ctx, json_t *obj,
    const char *path, const char *key, bool required,
    struct rulepack_text *out);

/* "YYYY-MM-DD" -> calendar day number. */
enum csirt_rc jstrict_date(const struct jctx *ctx, json_t *obj,
    const char *path, const char *key, bool required, const char **text,
    int64_t *day);

/* An identifier: 1..64 of [a-z0-9._-]. */
enum csirt_rc jstrict_id(const struct jctx *ctx, json_t *obj,
    const char *path, const char *key, const char **out);

/* A string that must be one of 'names' (count n); *out is its index. */
enum csirt_rc jstrict_enum(const struct jctx *ctx, json_t *obj,
    const char *path, const char *key, const char *const *names, int n,
    int *out);

#endif
