/*
 * sqlite_int.h - internals shared by the SQLite backend's files. Nothing
 * outside src/store/ includes this.
 */
#ifndef CSIRT_STORE_SQLITE_INT_H
#define CSIRT_STORE_SQLITE_INT_H

#include <sqlite3.h>

#include "csirt/store.h"

#define STMT_CACHE_SIZE 64

struct stmt_cache {
	char *sql;
	sqlite3_stmt *stmt;
	unsigned long used;
};

struct store {
	sqlite3 *db;
	char dir[1024];
	struct stmt_cache cache[STMT_CACHE_SIZE];
	unsigned long clock;
};

/* A cached prepared statement, reset and unbound; owned by the cache. */
sqlite3_stmt *store_prepare(struct store *st, const char *sql);

/* Binds a JSON value (integer, real, string, bool, null; arrays and
 * objects as their JSON text) to parameter i. */
int store_bind_json(sqlite3_stmt *s, int i, json_t *v);

/* The current row as an object; columns whose name is a LIST/OBJECT field
 * of 'def' (may be NULL) are parsed back from JSON text. */
json_t *store_row_json(sqlite3_stmt *s, const struct entity_def *def);

/* For tests: open and migrate only up to schema 'upto'. */
enum csirt_rc store_open_upto(const char *dir, int upto, struct store **out,
    struct csirt_err *err);

#endif
