/*
 * taxonomy.c - the incident taxonomy of seed 004 (see taxonomy.h), read
 * from data so that a province can extend its situations without a build.
 */
#include "csirt/common.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csirt/embedded.h"
#include "csirt/taxonomy.h"
#include "domain/json_strict.h"

#define TAX_MAX_GROUPS 16
#define TAX_MAX_TYPES 32	/* per group */
#define TAX_MAX_ENTRIES (TAX_MAX_GROUPS * (TAX_MAX_TYPES + 1))
#define TAX_MAX_ROWS 32

struct taxonomy {
	size_t n;
	struct taxonomy_entry entries[TAX_MAX_ENTRIES];
	int rows;				/* Form 05 rows: 1..rows */
	const struct taxonomy_entry *row_entry[TAX_MAX_ROWS + 1];
	json_t *json;				/* owns the strings */
};

void
taxonomy_free(struct taxonomy *tax)
{
	if (tax == NULL)
		return;
	json_decref(tax->json);
	free(tax);
}

static enum csirt_rc
parse_entry(const struct jctx *ctx, json_t *je, const char *path,
    struct taxonomy *tax, const char *parent, bool has_types)
{
	struct taxonomy_entry *e = &tax->entries[tax->n];
	struct rulepack_text name;
	int64_t row = 0;
	size_t plen;
	enum csirt_rc rc;

	if ((rc = jstrict_id(ctx, je, path, "code", &e->code)) != CSIRT_OK ||
	    (rc = jstrict_text(ctx, je, path, "name", true, &name)) != CSIRT_OK ||
	    (rc = jstrict_int(ctx, je, path, "form05_row", false, 1, TAX_MAX_ROWS, &row)) != CSIRT_OK)
		return rc;
	/* A group is digits; a sub-type is "<group>.<digits>". */
	plen = parent ? strlen(parent) : 0;
	if (parent != NULL && (strncmp(e->code, parent, plen) != 0 ||
	    e->code[plen] != '.' || e->code[plen + 1] == '\0' ||
	    strspn(e->code + plen + 1, "0123456789") != strlen(e->code + plen + 1)))
		return jstrict_fail(ctx, CSIRT_EPARSE, path,
		    "code \"%s\" must be \"%s.<number>\"", e->code, parent);
	if (parent == NULL && strspn(e->code, "0123456789") != strlen(e->code))
		return jstrict_fail(ctx, CSIRT_EPARSE, path,
		    "group code \"%s\" must be a number", e->code);
	for (size_t i = 0; i < tax->n; i++)
		if (strcmp(tax->entries[i].code, e->code) == 0)
			return jstrict_fail(ctx, CSIRT_EPARSE, path,
			    "code \"%s\" is used twice", e->code);
	if (row != 0) {
		if (has_types)
			return jstrict_fail(ctx, CSIRT_EPARSE, path,
			    "a group with sub-types cannot have a Form 05 row");
		if (tax->row_entry[row] != NULL)
			return jstrict_fail(ctx, CSIRT_EPARSE, path,
			    "Form 05 row %lld is used twice", (long long)row);
		tax->row_entry[row] = e;
		if (row > tax->rows)
			tax->rows = (int)row;
	}
	e->parent = parent;
	e->name_vi = name.vi;
	e->name_en = name.en;
	e->leaf = !has_types;
	e->form05_row = (int)row;
	tax->n++;
	return CSIRT_OK;
}

static enum csirt_rc
parse_group(const struct jctx *ctx, json_t *jg, const char *path,
    struct taxonomy *tax)
{
	static const char *const gkeys[] = { "code", "name", "types", "form05_row", NULL };
	static const char *const tkeys[] = { "code", "name", "form05_row", NULL };
	char sub[JSTRICT_PATH_MAX];
	json_t *types = json_object_get(jg, "types"), *jt;
	const char *gcode;
	size_t i;
	enum csirt_rc rc;

	if (!json_is_object(jg))
		return jstrict_fail(ctx, CSIRT_EPARSE, path, "must be an object");
	if ((rc = jstrict_keys(ctx, jg, path, gkeys)) != CSIRT_OK)
		return rc;
	if (types != NULL && (rc = jstrict_array(ctx, jg, path, "types",
	    TAX_MAX_TYPES, &types)) != CSIRT_OK)
		return rc;
	if (types != NULL && json_array_size(types) == 0)
		return jstrict_fail(ctx, CSIRT_EPARSE, path,
		    "\"types\" must not be empty (leave it out instead)");
	rc = parse_entry(ctx, jg, path, tax, NULL, types != NULL);
	if (rc != CSIRT_OK || types == NULL)
		return rc;
	gcode = tax->entries[tax->n - 1].code;
	json_array_foreach(types, i, jt) {
		jstrict_path(sub, sizeof(sub), "%s.types[%zu]", path, i);
		if (!json_is_object(jt))
			return jstrict_fail(ctx, CSIRT_EPARSE, sub, "must be an object");
		if ((rc = jstrict_keys(ctx, jt, sub, tkeys)) != CSIRT_OK ||
		    (rc = parse_entry(ctx, jt, sub, tax, gcode, false)) != CSIRT_OK)
			return rc;
	}
	return CSIRT_OK;
}

enum csirt_rc
taxonomy_parse(const char *data, size_t len, const char *name,
    struct taxonomy **out, struct csirt_err *err)
{
	static const char *const keys[] = { "schema", "id", "source",
	    "form05_source", "groups", NULL };
	struct jctx ctx = { name ? name : "taxonomy", err };
	struct taxonomy *tax = NULL;
	const char *id, *source;
	char sub[JSTRICT_PATH_MAX];
	json_t *root = NULL, *groups, *jg;
	size_t i;
	enum csirt_rc rc;

	rc = jstrict_open(&ctx, data, len, keys, &root, &id);
	if (rc != CSIRT_OK)
		return rc;
	tax = calloc(1, sizeof(*tax));
	if (tax == NULL) {
		json_decref(root);
		return csirt_err_set(err, CSIRT_ENOMEM, NULL, "out of memory");
	}
	tax->json = root;
	if ((rc = jstrict_string(&ctx, root, "$", "source", true, &source)) != CSIRT_OK ||
	    (rc = jstrict_string(&ctx, root, "$", "form05_source", true, &source)) != CSIRT_OK ||
	    (rc = jstrict_array(&ctx, root, "$", "groups", TAX_MAX_GROUPS, &groups)) != CSIRT_OK)
		goto out;
	json_array_foreach(groups, i, jg) {
		jstrict_path(sub, sizeof(sub), "$.groups[%zu]", i);
		rc = parse_group(&ctx, jg, sub, tax);
		if (rc != CSIRT_OK)
			goto out;
	}
	for (int r = 1; r <= tax->rows; r++) {
		if (tax->row_entry[r] == NULL) {
			rc = jstrict_fail(&ctx, CSIRT_EPARSE, "$.groups",
			    "Form 05 rows must be numbered 1 to %d without gaps; row %d is missing",
			    tax->rows, r);
			goto out;
		}
	}
	*out = tax;
	tax = NULL;
out:
	taxonomy_free(tax);
	return rc;
}

static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;
static struct taxonomy *builtin;

static void
builtin_load(void)
{
	const struct embedded_file *f = embedded_find("data/domain/taxonomy.json");
	struct csirt_err err;

	if (f == NULL) {
		log_error("taxonomy: data/domain/taxonomy.json is not built in");
		return;
	}
	if (taxonomy_parse((const char *)f->data, f->size, "taxonomy.json",
	    &builtin, &err) != CSIRT_OK)
		log_error("taxonomy: %s", err.msg);
}

const struct taxonomy *
taxonomy_builtin(void)
{
	pthread_once(&builtin_once, builtin_load);
	return builtin;
}

size_t
taxonomy_count(const struct taxonomy *tax)
{
	return tax ? tax->n : 0;
}

const struct taxonomy_entry *
taxonomy_at(const struct taxonomy *tax, size_t i)
{
	return tax && i < tax->n ? &tax->entries[i] : NULL;
}

const struct taxonomy_entry *
taxonomy_find(const struct taxonomy *tax, const char *code)
{
	for (size_t i = 0; tax && code && i < tax->n; i++)
		if (strcmp(tax->entries[i].code, code) == 0)
			return &tax->entries[i];
	return NULL;
}

enum csirt_rc
taxonomy_validate(const struct taxonomy *tax, const char *code,
    struct csirt_err *err)
{
	const struct taxonomy_entry *e = taxonomy_find(tax, code);
	char clip[21];

	if (e == NULL)
		return csirt_err_set(err, CSIRT_EINVAL, "classification",
		    "unknown incident type \"%s\"",
		    jstrict_clip(code ? code : "", 20, clip));
	if (!e->leaf)
		return csirt_err_set(err, CSIRT_EINVAL, "classification",
		    "\"%s\" is a group; choose one of its sub-types (%s.1, %s.2, ...)",
		    e->code, e->code, e->code);
	return CSIRT_OK;
}

const char *
taxonomy_name(const struct taxonomy_entry *e, const char *lang)
{
	if (e == NULL)
		return NULL;
	return lang != NULL && strcmp(lang, "vi") == 0 ? e->name_vi : e->name_en;
}

int
taxonomy_form05_rows(const struct taxonomy *tax)
{
	return tax ? tax->rows : 0;
}

const struct taxonomy_entry *
taxonomy_form05_row(const struct taxonomy *tax, int row)
{
	if (tax == NULL || row < 1 || row > tax->rows)
		return NULL;
	return tax->row_entry[row];
}
