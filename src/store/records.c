/*
 * records.c - generic insert, update, get and list of entity records.
 * Column names come from the entity definition, never from input, so the
 * SQL built here cannot be steered by a request.
 */
#include "csirt/common.h"
#include "csirt/store.h"
#include "store/sqlite_int.h"

#include <stdlib.h>
#include <string.h>

int
store_bind_json(sqlite3_stmt *s, int i, json_t *v)
{
	char *text;
	int rc;

	switch (json_typeof(v)) {
	case JSON_INTEGER:
		return sqlite3_bind_int64(s, i, json_integer_value(v));
	case JSON_REAL:
		return sqlite3_bind_double(s, i, json_real_value(v));
	case JSON_STRING:
		return sqlite3_bind_text(s, i, json_string_value(v), (int)json_string_length(v),
		    SQLITE_TRANSIENT);
	case JSON_TRUE:
		return sqlite3_bind_int(s, i, 1);
	case JSON_FALSE:
		return sqlite3_bind_int(s, i, 0);
	case JSON_NULL:
		return sqlite3_bind_null(s, i);
	case JSON_ARRAY:
	case JSON_OBJECT:
		text = json_dumps(v, JSON_COMPACT);
		if (text == NULL)
			return SQLITE_NOMEM;
		rc = sqlite3_bind_text(s, i, text, -1, free);
		return rc;
	}
	return SQLITE_MISUSE;
}

int
store_row_map(sqlite3_stmt *s, const struct entity_def *def, const struct field_def *map[ROW_MAP_MAX],
    unsigned char keep[ROW_MAP_MAX])
{
	int n = sqlite3_column_count(s);

	if (n > ROW_MAP_MAX)
		n = ROW_MAP_MAX;
	for (int i = 0; i < n; i++) {
		const char *name = sqlite3_column_name(s, i);

		map[i] = def ? schema_field(def, name) : NULL;
		/* A record shows only its declared fields: columns such as
		 * users.password_hash never leave the store by accident. */
		keep[i] = def == NULL || map[i] != NULL || strcmp(name, "id") == 0;
	}
	return n;
}

json_t *
store_row_json_mapped(sqlite3_stmt *s, int n, const struct field_def *const *map,
    const unsigned char *keep)
{
	json_t *obj = json_object();

	if (obj == NULL)
		return NULL;
	for (int i = 0; i < n; i++) {
		const struct field_def *f = map[i];
		json_t *v;

		if (!keep[i])
			continue;
		switch (sqlite3_column_type(s, i)) {
		case SQLITE_INTEGER:
			if (f && f->type == FT_BOOL)
				v = json_boolean(sqlite3_column_int64(s, i));
			else
				v = json_integer(sqlite3_column_int64(s, i));
			break;
		case SQLITE_FLOAT:
			v = json_real(sqlite3_column_double(s, i));
			break;
		case SQLITE_NULL:
			v = json_null();
			break;
		default: {
			const char *t = (const char *)sqlite3_column_text(s, i);
			size_t len = (size_t)sqlite3_column_bytes(s, i);

			v = NULL;
			if (f && (f->type == FT_LIST || f->type == FT_OBJECT))
				v = json_loadb(t, len, 0, NULL);
			if (v == NULL)
				v = json_stringn(t ? t : "", len);
			break;
		}
		}
		json_object_set_new_nocheck(obj, sqlite3_column_name(s, i), v ? v : json_null());
	}
	return obj;
}

/* The current row as JSON text, times (FT_TIME integers) as ISO 8601 as
 * schema_render() shows them: the list pages' fast path, without a jansson
 * object per value. Text that is not valid UTF-8 shows as null, as
 * json_stringn() would make it. */
static enum csirt_rc
row_text(struct buf *out, sqlite3_stmt *s, int n, const struct field_def *const *map,
    const unsigned char *keep)
{
	enum csirt_rc rc = buf_append(out, "{", 1);
	int first = 1;

	for (int i = 0; i < n && rc == CSIRT_OK; i++) {
		const struct field_def *f = map[i];
		const char *name = sqlite3_column_name(s, i);

		if (!keep[i])
			continue;
		if (!first)
			rc = buf_append(out, ",", 1);
		first = 0;
		if (rc == CSIRT_OK)
			rc = buf_append_json_string(out, name, strlen(name));
		if (rc == CSIRT_OK)
			rc = buf_append(out, ":", 1);
		if (rc != CSIRT_OK)
			break;
		switch (sqlite3_column_type(s, i)) {
		case SQLITE_INTEGER: {
			int64_t v = sqlite3_column_int64(s, i);
			char iso[32];

			if (f && f->type == FT_BOOL) {
				rc = buf_append_str(out, v ? "true" : "false");
			} else if (f && f->type == FT_TIME) {
				time_format_iso(v, iso);
				rc = buf_append_json_string(out, iso, strlen(iso));
			} else {
				rc = buf_append_int(out, (long long)v);
			}
			break;
		}
		case SQLITE_FLOAT:
			rc = buf_printf(out, "%.17g", sqlite3_column_double(s, i));
			break;
		case SQLITE_NULL:
			rc = buf_append(out, "null", 4);
			break;
		default: {
			const char *t = (const char *)sqlite3_column_text(s, i);
			size_t len = (size_t)sqlite3_column_bytes(s, i);

			if (f && (f->type == FT_LIST || f->type == FT_OBJECT)) {
				/* stored as JSON text; re-checked, as the object path does */
				json_t *v = json_loadb(t ? t : "", len, 0, NULL);
				char *dump = v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;

				json_decref(v);
				if (dump) {
					rc = buf_append_str(out, dump);
					free(dump);
					break;
				}
			}
			if (t == NULL || !utf8_valid(t, len))
				rc = buf_append(out, "null", 4);
			else
				rc = buf_append_json_string(out, t, len);
			break;
		}
		}
	}
	if (rc == CSIRT_OK)
		rc = buf_append(out, "}", 1);
	return rc;
}

int
store_row_map_cached(struct store *st, sqlite3_stmt *s, const struct entity_def *def,
    const struct field_def *const **map, const unsigned char **keep)
{
	struct stmt_cache *c = NULL;

	for (unsigned i = 0; i < STMT_CACHE_SIZE; i++)
		if (st->cache[i].stmt == s)
			c = &st->cache[i];
	if (c == NULL)
		return -1;
	if (c->map_def != def || c->map == NULL) {
		free(c->map);
		free(c->keep);
		c->map = calloc(ROW_MAP_MAX, sizeof(*c->map));
		c->keep = calloc(ROW_MAP_MAX, 1);
		if (c->map == NULL || c->keep == NULL) {
			free(c->map);
			free(c->keep);
			c->map = NULL;
			c->keep = NULL;
			return -1;
		}
		c->map_cols = store_row_map(s, def, c->map, c->keep);
		c->map_def = def;
	}
	*map = c->map;
	*keep = c->keep;
	return c->map_cols;
}

json_t *
store_row_json(sqlite3_stmt *s, const struct entity_def *def)
{
	const struct field_def *map[ROW_MAP_MAX];
	unsigned char keep[ROW_MAP_MAX];
	int n = store_row_map(s, def, map, keep);

	return store_row_json_mapped(s, n, map, keep);
}

static int
has_field(const struct entity_def *def, const char *name)
{
	return schema_field(def, name) != NULL;
}

enum csirt_rc
store_insert(struct store *st, const struct entity_def *def, json_t *rec, int64_t *id)
{
	struct buf sql, vals;
	const char *key;
	json_t *v;
	sqlite3_stmt *s;
	enum csirt_rc rc = CSIRT_OK;
	int64_t now = time_now();
	int i = 1;

	buf_init(&sql, 16384);
	buf_init(&vals, 4096);
	buf_printf(&sql, "INSERT INTO %s (", def->table);
	json_object_foreach(rec, key, v) {
		if (!has_field(def, key))
			continue;
		buf_printf(&sql, "%s%s", i > 1 ? "," : "", key);
		buf_printf(&vals, "%s?%d", i > 1 ? "," : "", i);
		i++;
	}
	if (has_field(def, "created_at") && !json_object_get(rec, "created_at")) {
		buf_printf(&sql, "%screated_at", i > 1 ? "," : "");
		buf_printf(&vals, "%s%lld", i > 1 ? "," : "", (long long)now);
		i++;
	}
	if (has_field(def, "updated_at") && !json_object_get(rec, "updated_at")) {
		buf_printf(&sql, "%supdated_at", i > 1 ? "," : "");
		buf_printf(&vals, "%s%lld", i > 1 ? "," : "", (long long)now);
		i++;
	}
	if (buf_printf(&sql, ") VALUES (%s)", vals.data ? vals.data : "") != CSIRT_OK) {
		rc = CSIRT_ETOOBIG;
		goto out;
	}
	s = store_prepare(st, sql.data);
	if (s == NULL) {
		rc = CSIRT_EDB;
		goto out;
	}
	i = 1;
	json_object_foreach(rec, key, v) {
		if (has_field(def, key))
			store_bind_json(s, i++, v);
	}
	if (sqlite3_step(s) != SQLITE_DONE) {
		int ext = sqlite3_extended_errcode(st->db);

		log_warn("store: insert %s: %s", def->table, sqlite3_errmsg(st->db));
		rc = (ext == SQLITE_CONSTRAINT_FOREIGNKEY || ext == SQLITE_CONSTRAINT_UNIQUE ||
		    ext == SQLITE_CONSTRAINT_CHECK) ? CSIRT_ECONFLICT : CSIRT_EDB;
		sqlite3_reset(s);
		goto out;
	}
	sqlite3_reset(s);
	*id = sqlite3_last_insert_rowid(st->db);
out:
	buf_release(&sql);
	buf_release(&vals);
	return rc;
}

enum csirt_rc
store_update(struct store *st, const struct entity_def *def, int64_t id, json_t *rec)
{
	struct buf sql;
	const char *key;
	json_t *v;
	sqlite3_stmt *s;
	enum csirt_rc rc = CSIRT_OK;
	int i = 1;

	buf_init(&sql, 16384);
	buf_printf(&sql, "UPDATE %s SET ", def->table);
	json_object_foreach(rec, key, v) {
		if (has_field(def, key))
			buf_printf(&sql, "%s%s=?%d", i > 1 ? "," : "", key, i), i++;
	}
	if (has_field(def, "updated_at") && !json_object_get(rec, "updated_at"))
		buf_printf(&sql, "%supdated_at=%lld", i > 1 ? "," : "", (long long)time_now()), i++;
	if (i == 1)
		goto out;	/* nothing to change */
	if (buf_printf(&sql, " WHERE id=?%d", i) != CSIRT_OK) {
		rc = CSIRT_ETOOBIG;
		goto out;
	}
	s = store_prepare(st, sql.data);
	if (s == NULL) {
		rc = CSIRT_EDB;
		goto out;
	}
	i = 1;
	json_object_foreach(rec, key, v) {
		if (has_field(def, key))
			store_bind_json(s, i++, v);
	}
	if (has_field(def, "updated_at") && !json_object_get(rec, "updated_at"))
		i++;
	sqlite3_bind_int64(s, i, id);
	if (sqlite3_step(s) != SQLITE_DONE) {
		int ext = sqlite3_extended_errcode(st->db);

		log_warn("store: update %s: %s", def->table, sqlite3_errmsg(st->db));
		rc = (ext == SQLITE_CONSTRAINT_FOREIGNKEY || ext == SQLITE_CONSTRAINT_UNIQUE ||
		    ext == SQLITE_CONSTRAINT_CHECK) ? CSIRT_ECONFLICT : CSIRT_EDB;
	} else if (sqlite3_changes(st->db) == 0) {
		rc = CSIRT_ENOTFOUND;
	}
	sqlite3_reset(s);
out:
	buf_release(&sql);
	return rc;
}

enum csirt_rc
store_get(struct store *st, const struct entity_def *def, int64_t id, json_t **out)
{
	char sql[256];
	sqlite3_stmt *s;
	int step;

	snprintf(sql, sizeof(sql), "SELECT * FROM %s WHERE id=?1", def->table);
	s = store_prepare(st, sql);
	if (s == NULL)
		return CSIRT_EDB;
	sqlite3_bind_int64(s, 1, id);
	step = sqlite3_step(s);
	if (step == SQLITE_ROW) {
		const struct field_def *const *map;
		const unsigned char *keep;
		int n = store_row_map_cached(st, s, def, &map, &keep);

		*out = n >= 0 ? store_row_json_mapped(s, n, map, keep) : store_row_json(s, def);
		sqlite3_reset(s);
		return *out ? CSIRT_OK : CSIRT_ENOMEM;
	}
	sqlite3_reset(s);
	return step == SQLITE_DONE ? CSIRT_ENOTFOUND : CSIRT_EDB;
}

/* The WHERE clause shared by the count and the page queries. Binds are
 * numbered from 1 in the order filters appear. A text search needs the
 * FROM clause of list_from(). */
static enum csirt_rc
build_where(const struct entity_def *def, const struct store_query *q, struct buf *w)
{
	const char *ops[] = { "=", ">=", "<=", "LIKE" };

	buf_append_str(w, " WHERE 1");
	for (size_t i = 0; i < q->n_filters; i++) {
		const struct store_filter *f = &q->filters[i];

		if (strcmp(f->field, "id") != 0 && !has_field(def, f->field))
			return CSIRT_EINVAL;
		buf_printf(w, " AND %s %s ?", f->field, ops[f->op]);
	}
	if (q->scope_org && q->scope_field) {
		static const char subtree[] = "IN (WITH RECURSIVE sub(id) AS (SELECT ?"
		    " UNION ALL SELECT o.id FROM orgs o JOIN sub ON o.parent_id = sub.id)"
		    " SELECT id FROM sub)";

		if ((strcmp(q->scope_field, "id") != 0 && !has_field(def, q->scope_field)) ||
		    (q->scope_field2 && !has_field(def, q->scope_field2)))
			return CSIRT_EINVAL;
		buf_printf(w, " AND (%s %s", q->scope_field, subtree);
		if (q->scope_field2)
			buf_printf(w, " OR %s %s", q->scope_field2, subtree);
		buf_append_str(w, ")");
	}
	if (q->system_id)
		buf_append_str(w, " AND id IN (SELECT incident_id FROM incident_systems WHERE system_id = ?)");
	if (q->fts && *q->fts)
		buf_append_str(w, " AND incidents_fts MATCH ?");
	return CSIRT_OK;
}

static void
bind_where(sqlite3_stmt *s, const struct store_query *q)
{
	int i = 1;

	for (size_t k = 0; k < q->n_filters; k++) {
		const struct store_filter *f = &q->filters[k];

		if (f->is_text)
			sqlite3_bind_text(s, i++, f->text, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_int64(s, i++, f->num);
	}
	if (q->scope_org && q->scope_field) {
		sqlite3_bind_int64(s, i++, q->scope_org);
		if (q->scope_field2)
			sqlite3_bind_int64(s, i++, q->scope_org);
	}
	if (q->system_id)
		sqlite3_bind_int64(s, i++, q->system_id);
	if (q->fts && *q->fts)
		sqlite3_bind_text(s, i++, q->fts, -1, SQLITE_TRANSIENT);
}

/* The cache key of a count: the WHERE clause and the values bound to it. */
static enum csirt_rc
count_key(const char *where, const struct store_query *q, struct buf *key)
{
	buf_append_str(key, where);
	for (size_t k = 0; k < q->n_filters; k++) {
		if (q->filters[k].is_text)
			buf_printf(key, "\x1f%s", q->filters[k].text);
		else
			buf_printf(key, "\x1f%lld", (long long)q->filters[k].num);
	}
	buf_printf(key, "\x1f%lld\x1f%lld\x1f%s", (long long)q->scope_org, (long long)q->system_id,
	    q->fts ? q->fts : "");
	return key->data ? CSIRT_OK : CSIRT_ENOMEM;
}

static int64_t
data_version(struct store *st)
{
	sqlite3_stmt *s = store_prepare(st, "PRAGMA data_version");
	int64_t v = -1;

	if (s && sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	if (s)
		sqlite3_reset(s);
	return v;
}

void
store_change_stamp(struct store *st, int64_t stamp[2])
{
	stamp[0] = data_version(st);
	stamp[1] = sqlite3_total_changes64(st->db);
}

static struct count_cache *
count_lookup(struct store *st, const char *key)
{
	int64_t dv = data_version(st), tc = sqlite3_total_changes64(st->db);

	if (dv != st->counts_data_version || tc != st->counts_total_changes) {
		for (unsigned i = 0; i < COUNT_CACHE_SIZE; i++) {
			free(st->counts[i].key);
			st->counts[i].key = NULL;
		}
		st->counts_data_version = dv;
		st->counts_total_changes = tc;
		return NULL;
	}
	for (unsigned i = 0; i < COUNT_CACHE_SIZE; i++)
		if (st->counts[i].key && strcmp(st->counts[i].key, key) == 0) {
			st->counts[i].used = ++st->clock;
			return &st->counts[i];
		}
	return NULL;
}

static void
count_remember(struct store *st, const char *key, int64_t total)
{
	unsigned victim = 0;

	for (unsigned i = 1; i < COUNT_CACHE_SIZE; i++)
		if (st->counts[i].used < st->counts[victim].used)
			victim = i;
	free(st->counts[victim].key);
	st->counts[victim].key = strdup(key);
	st->counts[victim].total = total;
	st->counts[victim].used = ++st->clock;
}

/* The FROM clause of a list. A text search walks the index's matches as
 * the outer loop (CROSS JOIN fixes the order), so that a count capped at
 * STORE_COUNT_CAP and a page in id order stop early. Written as
 * "id IN (SELECT rowid ... MATCH ?)", SQLite first gathered every match
 * into a temporary table: 18,436 for a common phrase in 100,000 incidents,
 * 20-69 ms where the join takes 2-14 ms (sqlite3 on the bench database). */
static void
list_from(const struct entity_def *def, const struct store_query *q, struct buf *sql)
{
	if (q->fts && *q->fts)
		buf_printf(sql, "incidents_fts CROSS JOIN %s ON %s.id = incidents_fts.rowid", def->table,
		    def->table);
	else
		buf_append_str(sql, def->table);
}

/* One list query: rows into *items (objects) or, if text is not NULL, as a
 * JSON array into text. */
static enum csirt_rc
list_run(struct store *st, const struct entity_def *def, const struct store_query *q,
    json_t **items, struct buf *text, int64_t *total)
{
	struct buf where, sql;
	sqlite3_stmt *s;
	enum csirt_rc rc;
	const char *sort = q->sort ? q->sort : "id";
	json_t *arr = NULL;
	bool fts = q->fts && *q->fts;

	if (strcmp(sort, "id") != 0 && !has_field(def, sort))
		return CSIRT_EINVAL;
	buf_init(&where, 8192);
	buf_init(&sql, 16384);
	rc = build_where(def, q, &where);
	if (rc != CSIRT_OK)
		goto out;
	if (total) {
		struct buf key;
		struct count_cache *hit;

		buf_init(&key, 16384);
		buf_printf(&key, "%s|", def->table);
		if (count_key(where.data, q, &key) == CSIRT_OK && (hit = count_lookup(st, key.data))) {
			*total = hit->total;
			buf_release(&key);
			goto page;
		}
		/* With a text search the count stops at STORE_COUNT_CAP: past
		 * a thousand matches the exact number helps nobody, and
		 * counting every match of a common word costs most of the query. */
		buf_append_str(&sql, fts ? "SELECT count(*) FROM (SELECT 1 FROM " :
		    "SELECT count(*) FROM ");
		list_from(def, q, &sql);
		buf_append_str(&sql, where.data);
		if (fts)
			buf_printf(&sql, " LIMIT %d)", STORE_COUNT_CAP);
		s = store_prepare(st, sql.data);
		if (s == NULL) {
			buf_release(&key);
			rc = CSIRT_EDB;
			goto out;
		}
		bind_where(s, q);
		if (sqlite3_step(s) != SQLITE_ROW) {
			sqlite3_reset(s);
			buf_release(&key);
			rc = CSIRT_EDB;
			goto out;
		}
		*total = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
		if (key.data)
			count_remember(st, key.data, *total);
		buf_release(&key);
	}
page:
	buf_reset(&sql);
	/* id breaks ties so that paging is stable. A text search in id order
	 * is ordered by the index's rowid (the same number), which the index
	 * yields in order: no sorting of every match. */
	if (q->columns)
		buf_printf(&sql, "SELECT %s FROM ", q->columns);
	else
		buf_printf(&sql, "SELECT %s.* FROM ", def->table);
	list_from(def, q, &sql);
	buf_append_str(&sql, where.data);
	if (fts && strcmp(sort, "id") == 0)
		buf_printf(&sql, " ORDER BY incidents_fts.rowid %s", q->desc ? "DESC" : "ASC");
	else
		buf_printf(&sql, " ORDER BY %s %s, %s.id %s", sort, q->desc ? "DESC" : "ASC", def->table,
		    q->desc ? "DESC" : "ASC");
	buf_printf(&sql, " LIMIT %lld OFFSET %lld", (long long)(q->limit > 0 ? q->limit : 50),
	    (long long)(q->offset > 0 ? q->offset : 0));
	s = store_prepare(st, sql.data);
	if (s == NULL) {
		rc = CSIRT_EDB;
		goto out;
	}
	bind_where(s, q);
	if (text)
		rc = buf_append(text, "[", 1);
	else
		arr = json_array();
	if (rc == CSIRT_OK) {
		const struct field_def *map_local[ROW_MAP_MAX];
		unsigned char keep_local[ROW_MAP_MAX];
		const struct field_def *const *map = map_local;
		const unsigned char *keep = keep_local;
		int ncols = store_row_map_cached(st, s, def, &map, &keep);

		if (ncols < 0) {
			ncols = store_row_map(s, def, map_local, keep_local);
			map = map_local;
			keep = keep_local;
		}

		for (;;) {
			int step = sqlite3_step(s);

			if (step == SQLITE_DONE)
				break;
			if (step != SQLITE_ROW) {
				rc = CSIRT_EDB;
				break;
			}
			if (text == NULL) {
				json_array_append_new(arr, store_row_json_mapped(s, ncols, map, keep));
				continue;
			}
			if (text->data[text->len - 1] != '[')
				rc = buf_append(text, ",", 1);
			if (rc == CSIRT_OK)
				rc = row_text(text, s, ncols, map, keep);
			if (rc != CSIRT_OK)
				break;
		}
	}
	sqlite3_reset(s);
	if (rc == CSIRT_OK && text)
		rc = buf_append(text, "]", 1);
	if (rc != CSIRT_OK) {
		json_decref(arr);
		goto out;
	}
	if (items)
		*items = arr;
out:
	buf_release(&where);
	buf_release(&sql);
	return rc;
}

enum csirt_rc
store_list(struct store *st, const struct entity_def *def, const struct store_query *q,
    json_t **items, int64_t *total)
{
	return list_run(st, def, q, items, NULL, total);
}

enum csirt_rc
store_list_text(struct store *st, const struct entity_def *def, const struct store_query *q,
    struct buf *text, int64_t *total)
{
	return list_run(st, def, q, NULL, text, total);
}

enum csirt_rc
store_org_in_subtree(struct store *st, int64_t root, int64_t id, int *yes)
{
	sqlite3_stmt *s = store_prepare(st,
	    "WITH RECURSIVE sub(id) AS (SELECT ?1 UNION ALL SELECT o.id FROM orgs o"
	    " JOIN sub ON o.parent_id = sub.id) SELECT 1 FROM sub WHERE id = ?2");

	if (s == NULL)
		return CSIRT_EDB;
	sqlite3_bind_int64(s, 1, root);
	sqlite3_bind_int64(s, 2, id);
	*yes = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return CSIRT_OK;
}

/* Writes the search text now, on this connection. */
enum csirt_rc
store_fts_write(struct store *st, int64_t id, const char *folded)
{
	sqlite3_stmt *s = store_prepare(st, "DELETE FROM incidents_fts WHERE rowid = ?1");

	if (s == NULL)
		return CSIRT_EDB;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_step(s);
	sqlite3_reset(s);
	s = store_prepare(st, "INSERT INTO incidents_fts(rowid, text) VALUES (?1, ?2)");
	if (s == NULL)
		return CSIRT_EDB;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, folded, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(s) != SQLITE_DONE) {
		sqlite3_reset(s);
		return CSIRT_EDB;
	}
	sqlite3_reset(s);
	return CSIRT_OK;
}

enum csirt_rc
store_fts_set(struct store *st, int64_t id, const char *folded)
{
	/* Inside a grouped transaction the text waits for the batch's COMMIT:
	 * FTS5 flushes its pending terms to a new segment at every savepoint,
	 * so written per member it cost a segment each (see transaction.c). */
	if (st->holds_write_lock == 2)
		return store_group_fts_defer(id, folded);
	return store_fts_write(st, id, folded);
}

static enum csirt_rc
run_params(struct store *st, sqlite3_stmt *s, json_t *params)
{
	size_t i;
	json_t *v;

	json_array_foreach(params, i, v)
		if (store_bind_json(s, (int)i + 1, v) != SQLITE_OK)
			return CSIRT_EDB;
	return CSIRT_OK;
}

enum csirt_rc
store_query_json(struct store *st, const char *sql, json_t *params, json_t **rows)
{
	sqlite3_stmt *s = store_prepare(st, sql);
	json_t *arr;
	enum csirt_rc rc = CSIRT_OK;

	if (s == NULL || (params && run_params(st, s, params) != CSIRT_OK)) {
		json_decref(params);
		return CSIRT_EDB;
	}
	json_decref(params);
	arr = json_array();
	for (;;) {
		int step = sqlite3_step(s);

		if (step == SQLITE_DONE)
			break;
		if (step != SQLITE_ROW) {
			log_warn("store: query: %s", sqlite3_errmsg(st->db));
			rc = CSIRT_EDB;
			break;
		}
		json_array_append_new(arr, store_row_json(s, NULL));
	}
	sqlite3_reset(s);
	if (rc != CSIRT_OK) {
		json_decref(arr);
		return rc;
	}
	*rows = arr;
	return CSIRT_OK;
}

enum csirt_rc
store_exec(struct store *st, const char *sql, json_t *params, int64_t *changes, int64_t *last_id)
{
	sqlite3_stmt *s = store_prepare(st, sql);
	enum csirt_rc rc = CSIRT_OK;

	if (s == NULL || (params && run_params(st, s, params) != CSIRT_OK)) {
		json_decref(params);
		return CSIRT_EDB;
	}
	json_decref(params);
	if (sqlite3_step(s) != SQLITE_DONE) {
		int ext = sqlite3_extended_errcode(st->db);

		log_warn("store: exec: %s", sqlite3_errmsg(st->db));
		rc = (ext & 0xff) == SQLITE_CONSTRAINT ? CSIRT_ECONFLICT : CSIRT_EDB;
	}
	if (changes)
		*changes = sqlite3_changes(st->db);
	if (last_id)
		*last_id = sqlite3_last_insert_rowid(st->db);
	sqlite3_reset(s);
	return rc;
}
