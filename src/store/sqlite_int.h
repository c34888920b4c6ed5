/*
 * sqlite_int.h - internals shared by the SQLite backend's files. Nothing
 * outside src/store/ includes this.
 */
#ifndef CSIRT_STORE_SQLITE_INT_H
#define CSIRT_STORE_SQLITE_INT_H

#include <sqlite3.h>
#include <stdint.h>

#include "csirt/store.h"

#define STMT_CACHE_SIZE 64

struct stmt_cache {
	uint64_t hash;	/* of sql: most lookups end on a hash mismatch */
	char *sql;
	sqlite3_stmt *stmt;
	unsigned long used;
	/* the column -> field mapping of this statement's rows, for map_def */
	const struct entity_def *map_def;
	const struct field_def **map;
	unsigned char *keep;
	int map_cols;
};

/*
 * Totals of list queries, kept while the database does not change: a
 * count(*) over 100,000 rows costs milliseconds, and a list page is asked
 * for far more often than incidents are written. PRAGMA data_version
 * (changes by other connections) and sqlite3_total_changes (this one)
 * tell when the cache must be dropped.
 */
#define COUNT_CACHE_SIZE 32

struct count_cache {
	char *key;	/* the WHERE clause and its bound values */
	int64_t total;
	unsigned long used;
};

struct store {
	sqlite3 *db;
	char dir[1024];
	struct stmt_cache cache[STMT_CACHE_SIZE];
	unsigned long clock;
	struct count_cache counts[COUNT_CACHE_SIZE];
	int64_t counts_data_version;
	int64_t counts_total_changes;
	int holds_write_lock;
};

/* A cached prepared statement, reset and unbound; owned by the cache. */
sqlite3_stmt *store_prepare(struct store *st, const char *sql);

/* Binds a JSON value (integer, real, string, bool, null; arrays and
 * objects as their JSON text) to parameter i. */
int store_bind_json(sqlite3_stmt *s, int i, json_t *v);

/* The current row as an object; columns whose name is a LIST/OBJECT field
 * of 'def' (may be NULL) are parsed back from JSON text. */
json_t *store_row_json(sqlite3_stmt *s, const struct entity_def *def);

/* The same with the column -> field mapping resolved once per statement
 * (store_row_map) instead of once per row. 'map' has one entry per
 * column; NULL entries are columns that are not fields. */
#define ROW_MAP_MAX 128
int store_row_map(sqlite3_stmt *s, const struct entity_def *def,
    const struct field_def *map[ROW_MAP_MAX], unsigned char keep[ROW_MAP_MAX]);
/* The mapping of a cached statement, computed once per statement and
 * entity definition. Returns the number of columns. */
int store_row_map_cached(struct store *st, sqlite3_stmt *s, const struct entity_def *def,
    const struct field_def *const **map, const unsigned char **keep);
json_t *store_row_json_mapped(sqlite3_stmt *s, int ncols, const struct field_def *const *map,
    const unsigned char *keep);

/* Search text of incident 'id': store_fts_write writes it on this
 * connection; store_group_fts_defer queues it for the open grouped batch
 * (written just before its COMMIT, dropped if the member rolls back). */
enum csirt_rc store_fts_write(struct store *st, int64_t id, const char *folded);
enum csirt_rc store_group_fts_defer(int64_t id, const char *folded);

/* For tests: open and migrate only up to schema 'upto'. */
enum csirt_rc store_open_upto(const char *dir, int upto, struct store **out,
    struct csirt_err *err);

/* The name of the VFS that writes a commit's WAL frames at once
 * (wal_vfs.c), or NULL for SQLite's default. It relies on every
 * connection that shares the file committing with synchronous=FULL. */
const char *store_wal_vfs(void);

#endif
