/*
 * audit.c - the append-only, hash-chained audit log.
 *
 * Each row stores hash = SHA-256(prev_hash, at, actor_id, actor, action,
 * entity, entity_id, before, after) over the exact text stored, so that
 * store_audit_verify recomputes it from the row alone. Changing any field
 * of a row, deleting a row in the middle or reordering rows breaks the
 * chain at that row. Triggers refuse UPDATE and DELETE through SQLite;
 * the chain catches edits made to the file by other means.
 */
#include "csirt/common.h"
#include "csirt/store.h"
#include "store/sqlite_int.h"

#include <sodium.h>
#include <string.h>

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

static void
chain_hash(const char *prev, int64_t at, int64_t actor_id, const char *actor, const char *action,
    const char *entity, int64_t entity_id, const char *before, const char *after, char out[65])
{
	crypto_hash_sha256_state h;
	unsigned char digest[crypto_hash_sha256_BYTES];
	char num[64];
	const char *parts[] = { prev, actor, action, entity, before, after };
	int64_t nums[] = { at, actor_id, entity_id };

	crypto_hash_sha256_init(&h);
	/* Each part is length-prefixed so that field boundaries cannot shift. */
	for (size_t i = 0; i < ARRAY_SIZE(parts); i++) {
		snprintf(num, sizeof(num), "%zu:", strlen(parts[i]));
		crypto_hash_sha256_update(&h, (const unsigned char *)num, strlen(num));
		crypto_hash_sha256_update(&h, (const unsigned char *)parts[i], strlen(parts[i]));
	}
	for (size_t i = 0; i < ARRAY_SIZE(nums); i++) {
		snprintf(num, sizeof(num), "#%lld;", (long long)nums[i]);
		crypto_hash_sha256_update(&h, (const unsigned char *)num, strlen(num));
	}
	crypto_hash_sha256_final(&h, digest);
	hex_encode(digest, sizeof(digest), out);
}

static char *
dump_or_null(json_t *v)
{
	if (v == NULL)
		return strdup("null");
	return json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
}

enum csirt_rc
store_audit_append(struct store *st, const struct audit_entry *e)
{
	sqlite3_stmt *s;
	char prev[65] = GENESIS, hash[65];
	char *before = NULL, *after = NULL;
	int64_t at = time_now();
	enum csirt_rc rc = CSIRT_OK;

	s = store_prepare(st, "SELECT hash FROM audit ORDER BY id DESC LIMIT 1");
	if (s == NULL)
		return CSIRT_EDB;
	if (sqlite3_step(s) == SQLITE_ROW)
		snprintf(prev, sizeof(prev), "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_reset(s);
	before = dump_or_null(e->before);
	after = dump_or_null(e->after);
	if (before == NULL || after == NULL) {
		rc = CSIRT_ENOMEM;
		goto out;
	}
	chain_hash(prev, at, e->actor_id, e->actor, e->action, e->entity, e->entity_id, before,
	    after, hash);
	s = store_prepare(st, "INSERT INTO audit (at, actor_id, actor, action, entity, entity_id,"
	    " before, after, prev_hash, hash) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)");
	if (s == NULL) {
		rc = CSIRT_EDB;
		goto out;
	}
	sqlite3_bind_int64(s, 1, at);
	sqlite3_bind_int64(s, 2, e->actor_id);
	sqlite3_bind_text(s, 3, e->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, e->action, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, e->entity, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 6, e->entity_id);
	sqlite3_bind_text(s, 7, before, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 8, after, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 9, prev, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 10, hash, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = CSIRT_EDB;
	sqlite3_reset(s);
out:
	free(before);
	free(after);
	return rc;
}

static const char *
col_text(sqlite3_stmt *s, int i)
{
	const char *t = (const char *)sqlite3_column_text(s, i);
	return t ? t : "";
}

enum csirt_rc
store_audit_verify(struct store *st, int64_t *rows, int64_t *bad_id, char *msg, size_t msgsz)
{
	sqlite3_stmt *s;
	char prev[65] = GENESIS, hash[65];
	int64_t n = 0;
	int step;

	*bad_id = 0;
	s = store_prepare(st, "SELECT id, at, actor_id, actor, action, entity, entity_id, before,"
	    " after, prev_hash, hash FROM audit ORDER BY id");
	if (s == NULL)
		return CSIRT_EDB;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0);

		n++;
		if (strcmp(col_text(s, 9), prev) != 0) {
			*bad_id = id;
			snprintf(msg, msgsz, "row %lld does not follow the row before it"
			    " (a row was removed, inserted or reordered)", (long long)id);
			break;
		}
		chain_hash(prev, sqlite3_column_int64(s, 1), sqlite3_column_int64(s, 2), col_text(s, 3),
		    col_text(s, 4), col_text(s, 5), sqlite3_column_int64(s, 6), col_text(s, 7),
		    col_text(s, 8), hash);
		if (strcmp(hash, col_text(s, 10)) != 0) {
			*bad_id = id;
			snprintf(msg, msgsz, "row %lld was changed after it was written", (long long)id);
			break;
		}
		memcpy(prev, hash, sizeof(prev));
	}
	sqlite3_reset(s);
	*rows = n;
	if (*bad_id)
		return CSIRT_ECONFLICT;
	if (step != SQLITE_DONE && step != SQLITE_ROW)
		return CSIRT_EDB;
	snprintf(msg, msgsz, "%lld rows, chain intact, head %.16s", (long long)n, prev);
	return CSIRT_OK;
}

enum csirt_rc
store_audit_row_hash(struct store *st, int64_t id, char hash[65])
{
	sqlite3_stmt *s;
	int step;

	s = store_prepare(st, "SELECT id, hash FROM audit WHERE id = ?1");
	if (s == NULL)
		return CSIRT_EDB;
	sqlite3_bind_int64(s, 1, id);
	step = sqlite3_step(s);
	if (step == SQLITE_ROW)
		snprintf(hash, 65, "%s", col_text(s, 1));
	sqlite3_reset(s);
	if (step == SQLITE_DONE)
		return CSIRT_ENOTFOUND;
	return step == SQLITE_ROW ? CSIRT_OK : CSIRT_EDB;
}

enum csirt_rc
store_audit_head(struct store *st, int64_t *id, char hash[65])
{
	sqlite3_stmt *s = store_prepare(st, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1");
	int step;

	if (s == NULL)
		return CSIRT_EDB;
	*id = 0;
	snprintf(hash, 65, "%s", GENESIS);
	step = sqlite3_step(s);
	if (step == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		snprintf(hash, 65, "%s", col_text(s, 1));
	}
	sqlite3_reset(s);
	return step == SQLITE_ROW || step == SQLITE_DONE ? CSIRT_OK : CSIRT_EDB;
}

enum csirt_rc
store_audit_list(struct store *st, const char *entity, int64_t entity_id, int64_t limit,
    int64_t offset, json_t **items, int64_t *total)
{
	json_t *rows = NULL, *cnt = NULL;
	enum csirt_rc rc;
	const char *where = " WHERE (?1 IS NULL OR entity = ?1) AND (?2 = 0 OR entity_id = ?2)";
	char sql[512];

	snprintf(sql, sizeof(sql), "SELECT id, at, actor_id, actor, action, entity, entity_id,"
	    " before, after, hash FROM audit%s ORDER BY id DESC LIMIT ?3 OFFSET ?4", where);
	rc = store_query_json(st, sql, json_pack("[s?,I,I,I]", entity, (json_int_t)entity_id,
	    (json_int_t)limit, (json_int_t)offset), &rows);
	if (rc == CSIRT_OK) {
		snprintf(sql, sizeof(sql), "SELECT count(*) AS n FROM audit%s", where);
		rc = store_query_json(st, sql, json_pack("[s?,I]", entity, (json_int_t)entity_id), &cnt);
	}
	if (rc != CSIRT_OK) {
		json_decref(rows);
		return rc;
	}
	*total = json_integer_value(json_object_get(json_array_get(cnt, 0), "n"));
	json_decref(cnt);
	/* before/after are stored as JSON text: give them back as JSON. */
	for (size_t i = 0; i < json_array_size(rows); i++) {
		json_t *r = json_array_get(rows, i);
		const char *keys[] = { "before", "after" };

		for (size_t k = 0; k < 2; k++) {
			json_t *t = json_object_get(r, keys[k]);
			json_t *p = json_is_string(t) ? json_loads(json_string_value(t),
			    JSON_DECODE_ANY, NULL) : NULL;
			if (p)
				json_object_set_new(r, keys[k], p);
		}
	}
	*items = rows;
	return CSIRT_OK;
}
