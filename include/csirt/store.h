/*
 * store.h - the one interface between the services and the database.
 *
 * The services never see SQL or SQLite types: records go in and out as
 * JSON objects described by an entity_def (schema.h), and the few
 * operations that are not plain records (audit chain, observables,
 * transitions) have functions of their own. The SQLite backend lives in
 * src/store/sqlite_*.c; a PostgreSQL backend implements this same header.
 *
 * A struct store is one connection: use it from one thread at a time.
 * store_thread() hands each thread its own connection to the same
 * database, so readers run in parallel (WAL) and writers queue on the
 * database lock (BEGIN IMMEDIATE with a busy timeout).
 */
#ifndef CSIRT_STORE_H
#define CSIRT_STORE_H

#include <jansson.h>
#include <stdint.h>

#include "csirt/buf.h"
#include "csirt/err.h"
#include "csirt/schema.h"

struct store;

/*
 * Opens (creating if needed) DIR/csirt.db and applies the migrations that
 * are not yet applied, each in its own transaction. WAL, foreign keys on,
 * synchronous=FULL.
 */
enum csirt_rc store_open(const char *dir, struct store **out, struct csirt_err *err);
void store_close(struct store *st);

/* The connection of the calling thread for the database in 'dir' (opened on
 * first use, closed at thread exit). NULL on failure. */
struct store *store_thread(const char *dir);

/* Highest migration applied, and the number shipped in this build. */
int store_schema_version(struct store *st);
int store_schema_latest(void);

enum csirt_rc store_begin(struct store *st);	/* a write transaction */
enum csirt_rc store_commit(struct store *st);
void store_rollback(struct store *st);

/*
 * Group commit for a long-running process with many writing threads (the
 * server): from start to stop, the transactions of store_thread()
 * connections to 'dir' that queue behind one another are committed
 * together, one fsync for several. store_commit() still returns only
 * once the work is durable. See src/store/transaction.c.
 */
enum csirt_rc store_group_commit_start(const char *dir, struct csirt_err *err);
void store_group_commit_stop(void);
/* The server counts requests that may write (+1 when one starts, -1 when
 * it ends): a finished transaction with such requests under way waits a
 * moment for them to join its commit. */
void store_write_intent(int delta);
enum csirt_rc store_integrity_check(struct store *st, char *msg, size_t msgsz);

/* --- generic records ------------------------------------------------- */

/* Inserts 'rec' (validated; times in seconds) plus created_at/updated_at if
 * the entity has them. *id receives the new row id. */
enum csirt_rc store_insert(struct store *st, const struct entity_def *def, json_t *rec,
    int64_t *id);
/* Updates the fields present in 'rec'; CSIRT_ENOTFOUND if no such row. */
enum csirt_rc store_update(struct store *st, const struct entity_def *def, int64_t id,
    json_t *rec);
/* *out: a new object with every field (times in seconds) plus "id". */
enum csirt_rc store_get(struct store *st, const struct entity_def *def, int64_t id,
    json_t **out);

enum store_op { SQ_EQ, SQ_GE, SQ_LE, SQ_LIKE };

struct store_filter {
	const char *field;	/* a field of the entity, or "id" */
	enum store_op op;
	int is_text;
	int64_t num;
	const char *text;
};

#define STORE_MAX_FILTERS 16

struct store_query {
	struct store_filter filters[STORE_MAX_FILTERS];
	size_t n_filters;
	/* Tenant scope: rows whose scope_field is an organisation in the
	 * subtree of scope_org (0 = no scope). */
	const char *scope_field;	/* a field, or "id" for organisations */
	const char *scope_field2;	/* or this one (NULL = none) */
	int64_t scope_org;
	int64_t system_id;	/* incidents only: linked to this system */
	const char *fts;	/* incidents only: folded full-text query */
	const char *columns;	/* "id, title, ..." from the caller's own constant;
				   NULL = every field */
	const char *sort;	/* a field name; NULL = id */
	int desc;
	int64_t limit, offset;
};

/* *items: new array of records; *total: count of all matching rows (with a
 * full-text query, at most STORE_COUNT_CAP: "this many or more"). */
#define STORE_COUNT_CAP 1000
enum csirt_rc store_list(struct store *st, const struct entity_def *def,
    const struct store_query *q, json_t **items, int64_t *total);
/* The same page as a JSON array appended to 'text', times as ISO 8601
 * strings (as schema_render() shows them): for list pages, where building
 * a jansson object per value cost most of the request. */
enum csirt_rc store_list_text(struct store *st, const struct entity_def *def,
    const struct store_query *q, struct buf *text, int64_t *total);

/* Two numbers that change whenever the database may have changed, by this
 * connection or any other: what a cache of query results checks before it
 * answers from memory (PRAGMA data_version and this connection's changes). */
void store_change_stamp(struct store *st, int64_t stamp[2]);

/* True when org 'id' is 'root' or below it. */
enum csirt_rc store_org_in_subtree(struct store *st, int64_t root, int64_t id, int *yes);

/* --- full text ------------------------------------------------------- */

/* Replaces the search text of incident 'id' (already folded). */
enum csirt_rc store_fts_set(struct store *st, int64_t id, const char *folded);

/* --- audit chain ----------------------------------------------------- */

struct audit_entry {
	int64_t actor_id;	/* 0 = system */
	const char *actor;	/* user name, "system", "public" */
	const char *action;	/* "create", "update", "transition", ... */
	const char *entity;
	int64_t entity_id;
	json_t *before;		/* borrowed; NULL = null */
	json_t *after;		/* borrowed; NULL = null */
};

/* Appends to the chain inside the caller's transaction. */
enum csirt_rc store_audit_append(struct store *st, const struct audit_entry *e);
/* Walks the chain; on a break *bad_id is the first row that fails. */
enum csirt_rc store_audit_verify(struct store *st, int64_t *rows, int64_t *bad_id,
    char *msg, size_t msgsz);
/*
 * The chain cannot tell on its own that its newest rows were cut off, or
 * that it was rewritten from the start: that takes an anchor kept apart
 * from the database (the server appends one to DATA/audit-anchors.txt and
 * its log every few minutes; `csirt audit head` prints one to copy away).
 * store_audit_head: the newest row's id and hash (0 and the genesis hash
 * when the log is empty). store_audit_row_hash: row id's stored hash, or
 * CSIRT_ENOTFOUND.
 */
enum csirt_rc store_audit_head(struct store *st, int64_t *id, char hash[65]);
enum csirt_rc store_audit_row_hash(struct store *st, int64_t id, char hash[65]);
enum csirt_rc store_audit_list(struct store *st, const char *entity, int64_t entity_id,
    int64_t limit, int64_t offset, json_t **items, int64_t *total);

/* --- raw access for the few services that need a specific query ------ */

/*
 * Runs a parameterised SQL statement of the SQLite backend and returns
 * its rows as an array of objects (column name -> value). Parameters
 * come from 'params' (array of integers, strings or nulls; consumed:
 * the reference is stolen, so json_pack() can be passed inline; NULL = none). This is the
 * seam a PostgreSQL backend replaces query by query; services call it
 * only through store_*.c helpers, never with user-built SQL.
 */
enum csirt_rc store_query_json(struct store *st, const char *sql, json_t *params,
    json_t **rows);
enum csirt_rc store_exec(struct store *st, const char *sql, json_t *params,
    int64_t *changes, int64_t *last_id);

#endif
