/*
 * sqlite.c - the SQLite backend: connections, pragmas, migrations,
 * transactions, and the generic record operations of store.h.
 *
 * Durability: WAL with synchronous=FULL, so a transaction that returned
 * from COMMIT survives a crash or power loss (with NORMAL, WAL stays
 * consistent but may lose the last commits, per SQLite's documentation).
 * Incident and evidence data must not be lost once acknowledged.
 */
#include "csirt/common.h"
#include "csirt/embedded.h"
#include "csirt/store.h"
#include "store/sqlite_int.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define BUSY_TIMEOUT_MS 10000

static enum csirt_rc
db_error(struct store *st, const char *what)
{
	log_error("store: %s: %s", what, sqlite3_errmsg(st->db));
	return CSIRT_EDB;
}

sqlite3_stmt *
store_prepare(struct store *st, const char *sql)
{
	struct stmt_cache *c;
	sqlite3_stmt *stmt = NULL;
	unsigned victim;
	uint64_t h = 1469598103934665603ull;

	for (const char *p = sql; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	for (unsigned i = 0; i < STMT_CACHE_SIZE; i++) {
		c = &st->cache[i];
		if (c->hash == h && c->sql && strcmp(c->sql, sql) == 0) {
			c->used = ++st->clock;
			sqlite3_reset(c->stmt);
			sqlite3_clear_bindings(c->stmt);
			return c->stmt;
		}
	}
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK) {
		log_error("store: prepare: %s", sqlite3_errmsg(st->db));
		return NULL;
	}
	victim = 0;
	for (unsigned i = 1; i < STMT_CACHE_SIZE; i++)
		if (st->cache[i].used < st->cache[victim].used)
			victim = i;
	c = &st->cache[victim];
	if (c->stmt)
		sqlite3_finalize(c->stmt);
	free(c->sql);
	free(c->map);
	free(c->keep);
	c->map = NULL;
	c->keep = NULL;
	c->map_def = NULL;
	c->sql = strdup(sql);
	if (c->sql == NULL) {
		sqlite3_finalize(stmt);
		c->stmt = NULL;
		return NULL;
	}
	c->stmt = stmt;
	c->hash = h;
	c->used = ++st->clock;
	return stmt;
}

static enum csirt_rc
exec_simple(struct store *st, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		log_error("store: %s", msg ? msg : "exec failed");
		sqlite3_free(msg);
		return CSIRT_EDB;
	}
	return CSIRT_OK;
}

int
store_schema_version(struct store *st)
{
	sqlite3_stmt *s = store_prepare(st, "PRAGMA user_version");
	int v = -1;

	if (s && sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	if (s)
		sqlite3_reset(s);
	return v;
}

/* Migrations are the embedded files "migrations/NNNN_name.sql", applied in
 * order; PRAGMA user_version records the last one applied. */
static int
migration_number(const char *name)
{
	int64_t n;
	char digits[5];

	if (strncmp(name, "migrations/", 11) != 0 || strlen(name) < 16)
		return -1;
	memcpy(digits, name + 11, 4);
	digits[4] = '\0';
	if (parse_int64(digits, 1, 9999, &n) != CSIRT_OK)
		return -1;
	return (int)n;
}

int
store_schema_latest(void)
{
	int latest = 0;

	for (size_t i = 0; i < embedded_file_count; i++) {
		int n = migration_number(embedded_files[i].name);
		if (n > latest)
			latest = n;
	}
	return latest;
}

static enum csirt_rc
migrate(struct store *st, int upto, struct csirt_err *err)
{
	int current = store_schema_version(st);
	int latest = store_schema_latest();

	if (upto > 0 && upto < latest)
		latest = upto;
	if (current > store_schema_latest())
		return csirt_err_set(err, CSIRT_EUNSUPPORTED, NULL,
		    "the database has schema %d, newer than this csirt (%d)", current,
		    store_schema_latest());
	/* Numbers may have gaps (areas reserve ranges); apply, in order, every
	 * shipped migration above the current version. */
	for (int v = current + 1; v <= latest; v++) {
		const struct embedded_file *f = NULL;
		char pragma[64];

		for (size_t i = 0; i < embedded_file_count; i++)
			if (migration_number(embedded_files[i].name) == v)
				f = &embedded_files[i];
		if (f == NULL)
			continue;
		if (exec_simple(st, "BEGIN IMMEDIATE") != CSIRT_OK)
			return csirt_err_set(err, CSIRT_EDB, NULL, "cannot start migration %04d", v);
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", v);
		if (exec_simple(st, (const char *)f->data) != CSIRT_OK ||
		    exec_simple(st, pragma) != CSIRT_OK) {
			exec_simple(st, "ROLLBACK");
			return csirt_err_set(err, CSIRT_EDB, NULL, "migration %s failed", f->name);
		}
		if (exec_simple(st, "COMMIT") != CSIRT_OK)
			return csirt_err_set(err, CSIRT_EDB, NULL, "migration %s failed to commit", f->name);
		log_info("store: applied %s", f->name);
	}
	return CSIRT_OK;
}

enum csirt_rc
store_open_upto(const char *dir, int upto, struct store **out, struct csirt_err *err)
{
	struct store *st;
	char path[4096];
	enum csirt_rc rc;

	if (mkdir(dir, 0750) != 0 && errno != EEXIST)
		return csirt_err_set(err, CSIRT_EIO, NULL, "cannot create data folder %s", dir);
	snprintf(path, sizeof(path), "%s/csirt.db", dir);
	st = calloc(1, sizeof(*st));
	if (st == NULL)
		return CSIRT_ENOMEM;
	snprintf(st->dir, sizeof(st->dir), "%s", dir);
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	    SQLITE_OPEN_NOMUTEX, store_wal_vfs()) != SQLITE_OK) {
		rc = csirt_err_set(err, CSIRT_EDB, NULL, "cannot open %s", path);
		goto out_fail;
	}
	sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(st->db, 1);
	if (exec_simple(st, "PRAGMA journal_mode=WAL") != CSIRT_OK ||
	    exec_simple(st, "PRAGMA synchronous=FULL") != CSIRT_OK ||
	    exec_simple(st, "PRAGMA foreign_keys=ON") != CSIRT_OK ||
	    exec_simple(st, "PRAGMA temp_store=MEMORY") != CSIRT_OK) {
		rc = csirt_err_set(err, CSIRT_EDB, NULL, "cannot configure %s", path);
		goto out_fail;
	}
	rc = migrate(st, upto, err);
	if (rc != CSIRT_OK)
		goto out_fail;
	*out = st;
	return CSIRT_OK;

out_fail:
	store_close(st);
	return rc;
}

enum csirt_rc
store_open(const char *dir, struct store **out, struct csirt_err *err)
{
	return store_open_upto(dir, 0, out, err);
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	store_rollback(st);
	for (unsigned i = 0; i < STMT_CACHE_SIZE; i++) {
		if (st->cache[i].stmt)
			sqlite3_finalize(st->cache[i].stmt);
		free(st->cache[i].sql);
		free(st->cache[i].map);
		free(st->cache[i].keep);
	}
	for (unsigned i = 0; i < COUNT_CACHE_SIZE; i++)
		free(st->counts[i].key);
	sqlite3_close(st->db);
	free(st);
}

static pthread_key_t thread_key;
static pthread_once_t thread_once = PTHREAD_ONCE_INIT;

static void
thread_store_free(void *p)
{
	store_close(p);
}

static void
thread_key_make(void)
{
	pthread_key_create(&thread_key, thread_store_free);
}

struct store *
store_thread(const char *dir)
{
	struct store *st;
	struct csirt_err err;

	pthread_once(&thread_once, thread_key_make);
	st = pthread_getspecific(thread_key);
	if (st && strcmp(st->dir, dir) == 0)
		return st;
	if (st) {
		store_close(st);
		pthread_setspecific(thread_key, NULL);
	}
	if (store_open(dir, &st, &err) != CSIRT_OK) {
		log_error("store: %s", err.msg);
		return NULL;
	}
	pthread_setspecific(thread_key, st);
	return st;
}

enum csirt_rc
store_integrity_check(struct store *st, char *msg, size_t msgsz)
{
	sqlite3_stmt *s = store_prepare(st, "PRAGMA integrity_check");
	const char *res;

	if (s == NULL || sqlite3_step(s) != SQLITE_ROW)
		return db_error(st, "integrity_check");
	res = (const char *)sqlite3_column_text(s, 0);
	snprintf(msg, msgsz, "%s", res ? res : "");
	sqlite3_reset(s);
	return strcmp(msg, "ok") == 0 ? CSIRT_OK : CSIRT_EDB;
}
