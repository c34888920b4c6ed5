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
 * Checkpoints (copying the WAL back into the database) are made by a
 * thread of their own on its own connection, not by the COMMIT that
 * crossed SQLite's 1,000-page mark: measured with 8 writers, the 6% of
 * commits that checkpointed held the write lock for 1.5-2.1 s of the
 * 2.8-3.4 s that all commits held it (about 1,000 page copies and a
 * database fsync each, while every other writer waited). A checkpoint
 * that runs beside the writers lets them go on; the WAL can only start
 * over once everything in it is copied, so past CKPT_INLINE_FRAMES the
 * committing writer copies the (small) rest itself, which keeps the WAL
 * bounded under a write load that never pauses.
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
/* WAL sizes (pages) at which the checkpointer thread is woken, and at
 * which the committing writer checkpoints itself. */
#define CKPT_BACKGROUND_FRAMES 1000
#define CKPT_INLINE_FRAMES 4000

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

static struct {
	struct store *conn;	/* the checkpointer's own connection */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_mutex_t busy;	/* held while a checkpoint runs */
	int due, stop;
} ckpt = { .lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER,
	.busy = PTHREAD_MUTEX_INITIALIZER };

static void *
ckpt_main(void *arg)
{
	pthread_mutex_lock(&ckpt.lock);
	while (!ckpt.stop) {
		if (!ckpt.due) {
			pthread_cond_wait(&ckpt.wake, &ckpt.lock);
			continue;
		}
		ckpt.due = 0;
		pthread_mutex_unlock(&ckpt.lock);
		/* PASSIVE: copies what no reader still needs, never waits
		 * for or blocks the writers */
		pthread_mutex_lock(&ckpt.busy);
		if (sqlite3_wal_checkpoint_v2(ckpt.conn->db, "main", SQLITE_CHECKPOINT_PASSIVE,
		    NULL, NULL) != SQLITE_OK && sqlite3_errcode(ckpt.conn->db) != SQLITE_BUSY)
			log_warn("store: checkpoint: %s", sqlite3_errmsg(ckpt.conn->db));
		pthread_mutex_unlock(&ckpt.busy);
		pthread_mutex_lock(&ckpt.lock);
	}
	pthread_mutex_unlock(&ckpt.lock);
	return NULL;
}

/* Called by SQLite on the writer connection after each COMMIT, with the
 * WAL's size in pages (it replaces SQLite's own automatic checkpoint). */
static int
ckpt_wal_hook(void *arg, sqlite3 *db, const char *name, int frames)
{
	if (frames >= CKPT_INLINE_FRAMES) {
		/* The background one can never finish while frames keep
		 * coming: wait for its run to end (no frame is added while
		 * this writer holds the write lock), then copy the rest, so
		 * that the next transaction can start the WAL over. */
		pthread_mutex_lock(&ckpt.busy);
		sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		pthread_mutex_unlock(&ckpt.busy);
	} else if (frames >= CKPT_BACKGROUND_FRAMES) {
		pthread_mutex_lock(&ckpt.lock);
		ckpt.due = 1;
		pthread_cond_signal(&ckpt.wake);
		pthread_mutex_unlock(&ckpt.lock);
	}
	return SQLITE_OK;
}

/* Starts the checkpointer; without it the writer keeps SQLite's own. */
static void
ckpt_start(const char *dir)
{
	struct csirt_err err;

	if (store_open(dir, &ckpt.conn, &err) != CSIRT_OK)
		return;
	ckpt.stop = ckpt.due = 0;
	if (pthread_create(&ckpt.thread, NULL, ckpt_main, NULL) != 0) {
		store_close(ckpt.conn);
		ckpt.conn = NULL;	/* not running */
		return;
	}
	sqlite3_wal_hook(group.writer->db, ckpt_wal_hook, NULL);
}

static void
ckpt_stop(void)
{
	if (ckpt.conn == NULL)
		return;	/* not running */
	pthread_mutex_lock(&ckpt.lock);
	ckpt.stop = 1;
	pthread_cond_signal(&ckpt.wake);
	pthread_mutex_unlock(&ckpt.lock);
	pthread_join(ckpt.thread, NULL);
	store_close(ckpt.conn);
	ckpt.conn = NULL;
}

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
	/* Outcomes of a previous start must not answer this one's batches,
	 * whose ids start at 1 again. */
	memset(group.results, 0, sizeof(group.results));
	group.id = 1;
	group.writer = w;
	ckpt_start(dir);
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
	ckpt_stop();
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
