/*
 * transaction.c - write transactions, and group commit for the server.
 *
 * Writers of this process queue on a mutex before they ask SQLite for the
 * write lock: SQLite has one writer at a time anyway, and its busy handler
 * waits by sleeping 1, 2, 5, 10... ms, which under a burst of writes costs
 * far more than the writes themselves. Other processes (the CLI) still
 * meet the busy timeout.
 *
 * Group commit (store_group_commit_start, used by `csirt serve`): a commit
 * with synchronous=FULL costs a WAL fsync plus one WAL frame per page the
 * transaction dirtied, and creating an incident dirties ~38 pages (row,
 * eight indexes, full-text index, audit chain, deadlines, observables) of
 * which most are the same pages the next creation dirties. So while other
 * threads are queued for the write lock, a finished transaction is not
 * committed at once: it becomes a savepoint released into one transaction
 * on a connection shared by all writers, the next queued writer continues
 * in it, and the last one in the queue (or the 64th) commits for all.
 * Nobody returns from store_commit() before the COMMIT that holds its work
 * has returned, so what the API acknowledges is still on disk; a failed
 * COMMIT fails every member of the batch, none of which was acknowledged.
 * A writer alone (no queue) commits at once, as before.
 *
 * While a thread holds the write lock, its struct store uses the shared
 * connection: the connection handle and statement cache are swapped in at
 * begin and out at commit/rollback, so the services' code is unchanged and
 * reads inside the transaction see its writes.
 */
#include "csirt/common.h"
#include "csirt/store.h"
#include "store/sqlite_int.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BATCH_MAX 64
/* How long a finished transaction waits for requests under way to join
 * its batch before it commits alone (PostgreSQL's commit_delay). */
#define GATHER_NS 400000L
/* Outcomes of recent batches; a waiter is never this many batches behind
 * (there are only as many waiters as server threads). */
#define RESULTS 256

static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t batch_done = PTHREAD_COND_INITIALIZER;

static struct {
	struct store *writer;	/* the shared connection; NULL: no grouping */
	atomic_int queued;	/* grouping writers waiting for write_lock */
	atomic_int intents;	/* requests under way that will write */
	int open;		/* BEGIN issued on 'writer', not yet ended */
	unsigned members;	/* savepoints released into the open batch */
	uint64_t id;		/* the open (or next) batch */
	struct {
		uint64_t id;
		enum csirt_rc rc;
	} results[RESULTS];
	/* search texts of the open batch, written just before its COMMIT */
	struct fts_pending {
		int64_t id;
		char *text;
	} *fts;
	size_t n_fts, cap_fts, fts_mark;	/* mark: count when the member began */
} group;

static void
fts_truncate(size_t n)
{
	while (group.n_fts > n)
		free(group.fts[--group.n_fts].text);
}

enum csirt_rc
store_group_fts_defer(int64_t id, const char *folded)
{
	char *copy = strdup(folded);

	if (copy == NULL)
		return CSIRT_ENOMEM;
	if (group.n_fts == group.cap_fts) {
		size_t cap = group.cap_fts ? group.cap_fts * 2 : 64;
		struct fts_pending *p = realloc(group.fts, cap * sizeof(*p));

		if (p == NULL) {
			free(copy);
			return CSIRT_ENOMEM;
		}
		group.fts = p;
		group.cap_fts = cap;
	}
	group.fts[group.n_fts].id = id;
	group.fts[group.n_fts].text = copy;
	group.n_fts++;
	return CSIRT_OK;
}

static enum csirt_rc
exec_sql(struct store *st, const char *sql)
{
	sqlite3_stmt *s = store_prepare(st, sql);
	int rc;

	if (s == NULL)
		return CSIRT_EDB;
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		log_error("store: %s: %s", sql, sqlite3_errmsg(st->db));
		return CSIRT_EDB;
	}
	return CSIRT_OK;
}

/* Exchanges the connection and its statement cache between a thread's
 * store and the shared writer. */
static void
swap_connection(struct store *a, struct store *b)
{
	struct stmt_cache tmp[STMT_CACHE_SIZE];
	sqlite3 *db = a->db;
	unsigned long clock = a->clock;

	a->db = b->db;
	b->db = db;
	a->clock = b->clock;
	b->clock = clock;
	memcpy(tmp, a->cache, sizeof(tmp));
	memcpy(a->cache, b->cache, sizeof(tmp));
	memcpy(b->cache, tmp, sizeof(tmp));
}

/* Ends the open batch with 'rc' for its members (called with write_lock). */
static void
batch_end(enum csirt_rc rc)
{
	unsigned slot = (unsigned)(group.id % RESULTS);

	group.results[slot].id = group.id;
	group.results[slot].rc = rc;
	group.id++;
	group.open = 0;
	group.members = 0;
	fts_truncate(0);
	pthread_cond_broadcast(&batch_done);
}

/* Commits the open batch (called with write_lock). */
static void
batch_commit(void)
{
	struct store *w = group.writer;
	enum csirt_rc rc = CSIRT_OK;

	for (size_t i = 0; i < group.n_fts && rc == CSIRT_OK; i++)
		rc = store_fts_write(w, group.fts[i].id, group.fts[i].text);
	if (rc == CSIRT_OK)
		rc = exec_sql(w, "COMMIT");

	if (rc != CSIRT_OK && !sqlite3_get_autocommit(w->db))
		exec_sql(w, "ROLLBACK");
	batch_end(rc);
}

/*
 * The end of a grouping writer's turn (called with write_lock, which it
 * releases). 'batch' is the batch its work joined, or 0 if none. Leaves
 * the batch open only when another writer is queued: that one (or a later
 * one) commits it, so an open batch always has someone coming.
 */
static enum csirt_rc
turn_end(uint64_t batch)
{
	enum csirt_rc rc = CSIRT_OK;

	if (group.open && !(atomic_load(&group.queued) > 0 && group.members < BATCH_MAX)) {
		if (group.members == 0) {
			exec_sql(group.writer, "ROLLBACK");	/* empty */
			group.open = 0;
			fts_truncate(0);
		} else if (batch == 0 || atomic_load(&group.intents) <= 1) {
			batch_commit();
		}
		/* else: other writing requests are under way; wait for them below */
	}
	if (batch != 0) {
		unsigned slot = (unsigned)(batch % RESULTS);

		while (group.results[slot].id != batch) {
			struct timespec until;

			if (group.open && group.id == batch && atomic_load(&group.queued) == 0) {
				/* Nobody queued behind this batch: give the requests
				 * under way a moment to join, then commit it. */
				clock_gettime(CLOCK_REALTIME, &until);
				until.tv_nsec += GATHER_NS;
				if (until.tv_nsec >= 1000000000L) {
					until.tv_sec++;
					until.tv_nsec -= 1000000000L;
				}
				if (pthread_cond_timedwait(&batch_done, &write_lock, &until) != 0 &&
				    group.results[slot].id != batch && group.open &&
				    group.id == batch && atomic_load(&group.queued) == 0)
					batch_commit();
			} else {
				pthread_cond_wait(&batch_done, &write_lock);
			}
		}
		rc = group.results[slot].rc;
	}
	pthread_mutex_unlock(&write_lock);
	return rc;
}

/* When a statement failed inside the batch, SQLite may have rolled the
 * whole transaction back (I/O error, disk full): then every member's work
 * is gone and the batch has failed. */
static void
batch_check_alive(void)
{
	if (group.open && sqlite3_get_autocommit(group.writer->db)) {
		log_error("store: the grouped transaction was rolled back by SQLite");
		batch_end(CSIRT_EDB);
	}
}

static int
grouping(const struct store *st)
{
	return group.writer != NULL && strcmp(st->dir, group.writer->dir) == 0;
}

static enum csirt_rc
group_begin(struct store *st)
{
	atomic_fetch_add(&group.queued, 1);
	pthread_mutex_lock(&write_lock);
	atomic_fetch_sub(&group.queued, 1);
	if (!group.open) {
		if (exec_sql(group.writer, "BEGIN IMMEDIATE") != CSIRT_OK) {
			turn_end(0);
			return CSIRT_EDB;
		}
		group.open = 1;
		group.members = 0;
	}
	if (exec_sql(group.writer, "SAVEPOINT w") != CSIRT_OK) {
		batch_check_alive();
		turn_end(0);
		return CSIRT_EDB;
	}
	group.fts_mark = group.n_fts;
	swap_connection(st, group.writer);
	st->holds_write_lock = 2;
	return CSIRT_OK;
}

static enum csirt_rc
group_commit(struct store *st)
{
	uint64_t batch = group.id;

	swap_connection(st, group.writer);
	st->holds_write_lock = 0;
	if (exec_sql(group.writer, "RELEASE w") != CSIRT_OK) {
		batch_check_alive();
		if (group.open) {
			exec_sql(group.writer, "ROLLBACK TO w");
			exec_sql(group.writer, "RELEASE w");
			fts_truncate(group.fts_mark);
		}
		turn_end(0);
		return CSIRT_EDB;
	}
	group.members++;
	return turn_end(batch);
}

static void
group_rollback(struct store *st)
{
	swap_connection(st, group.writer);
	st->holds_write_lock = 0;
	batch_check_alive();
	if (group.open) {
		exec_sql(group.writer, "ROLLBACK TO w");
		exec_sql(group.writer, "RELEASE w");
		fts_truncate(group.fts_mark);
		batch_check_alive();
	}
	turn_end(0);
}

enum csirt_rc
store_group_commit_start(const char *dir, struct csirt_err *err)
{
	struct store *w;
	enum csirt_rc rc;

	if (group.writer != NULL)
		return csirt_err_set(err, CSIRT_EINTERNAL, NULL, "group commit already started");
	rc = store_open(dir, &w, err);
	if (rc != CSIRT_OK)
		return rc;
	group.id = 1;
	group.writer = w;
	return CSIRT_OK;
}

void
store_write_intent(int delta)
{
	atomic_fetch_add(&group.intents, delta);
}

void
store_group_commit_stop(void)
{
	pthread_mutex_lock(&write_lock);
	if (group.open)
		batch_commit();
	store_close(group.writer);
	group.writer = NULL;
	fts_truncate(0);
	free(group.fts);
	group.fts = NULL;
	group.cap_fts = 0;
	pthread_mutex_unlock(&write_lock);
}

static void
write_unlock(struct store *st)
{
	if (st->holds_write_lock) {
		st->holds_write_lock = 0;
		pthread_mutex_unlock(&write_lock);
	}
}

enum csirt_rc
store_begin(struct store *st)
{
	if (st->holds_write_lock || !sqlite3_get_autocommit(st->db)) {
		log_error("store: a transaction is already open on this connection");
		return CSIRT_EINTERNAL;
	}
	if (grouping(st))
		return group_begin(st);
	pthread_mutex_lock(&write_lock);
	st->holds_write_lock = 1;
	if (exec_sql(st, "BEGIN IMMEDIATE") != CSIRT_OK) {
		write_unlock(st);
		return CSIRT_EDB;
	}
	return CSIRT_OK;
}

enum csirt_rc
store_commit(struct store *st)
{
	if (st->holds_write_lock == 2)
		return group_commit(st);
	if (exec_sql(st, "COMMIT") != CSIRT_OK) {
		store_rollback(st);
		return CSIRT_EDB;
	}
	write_unlock(st);
	return CSIRT_OK;
}

void
store_rollback(struct store *st)
{
	if (st->holds_write_lock == 2) {
		group_rollback(st);
		return;
	}
	if (!sqlite3_get_autocommit(st->db))
		exec_sql(st, "ROLLBACK");
	write_unlock(st);
}
