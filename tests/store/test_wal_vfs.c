/*
 * The WAL write gathering of src/store/wal_vfs.c on a real SQLite file:
 * a transaction larger than the gathering buffer, whose pages spill to
 * the WAL before the COMMIT and are read back inside it; what another
 * connection sees; and kill -9 of a writing process, after which every
 * acknowledged row is there and the file is sound.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "csirt/common.h"
#include "csirt/store.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[256];

static int
setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/csirt-walvfs-test-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int
teardown(void **state)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int64_t
count_of(struct store *st, const char *sql)
{
	json_t *rows = NULL;
	int64_t n;

	assert_int_equal(store_query_json(st, sql, NULL, &rows), CSIRT_OK);
	n = json_integer_value(json_object_get(json_array_get(rows, 0), "n"));
	json_decref(rows);
	return n;
}

/* 3,000 rows of 3,000 bytes: ~9 MB of WAL in one transaction, more than
 * the 4 MiB the VFS gathers, with a page cache of 8 pages so that SQLite
 * writes frames long before the COMMIT and reads them back. */
#define BIG_ROWS 3000

static void
test_big_transaction_spills_and_reads_back(void **state)
{
	struct store *st, *other;
	char msg[64];

	assert_int_equal(store_open(dir, &st, NULL), CSIRT_OK);
	assert_int_equal(store_open(dir, &other, NULL), CSIRT_OK);
	assert_int_equal(store_exec(st, "CREATE TABLE big (id INTEGER PRIMARY KEY, b TEXT)", NULL,
	    NULL, NULL), CSIRT_OK);
	assert_int_equal(store_exec(st, "PRAGMA cache_size = 8", NULL, NULL, NULL), CSIRT_OK);
	assert_int_equal(store_begin(st), CSIRT_OK);
	for (int i = 1; i <= BIG_ROWS; i++)
		assert_int_equal(store_exec(st, "INSERT INTO big (id, b) VALUES (?1,"
		    " printf('%.3000c', char(65 + ?1 % 26)))", json_pack("[i]", i), NULL, NULL), CSIRT_OK);
	/* read back inside the transaction: pages that went to the WAL */
	assert_int_equal(count_of(st, "SELECT count(*) AS n FROM big"
	    " WHERE b = printf('%.3000c', char(65 + id % 26))"), BIG_ROWS);
	/* the other connection does not see an uncommitted row */
	assert_int_equal(count_of(other, "SELECT count(*) AS n FROM big"), 0);
	assert_int_equal(store_commit(st), CSIRT_OK);
	assert_int_equal(count_of(other, "SELECT count(*) AS n FROM big"
	    " WHERE b = printf('%.3000c', char(65 + id % 26))"), BIG_ROWS);
	/* a checkpoint copies the frames back: it reads every one of them */
	{
		json_t *rows = NULL;

		assert_int_equal(store_query_json(other, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, &rows),
		    CSIRT_OK);
		assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 0), "busy")), 0);
		json_decref(rows);
	}
	assert_int_equal(count_of(other, "SELECT sum(length(b)) / 3000 AS n FROM big"), BIG_ROWS);
	assert_int_equal(store_integrity_check(other, msg, sizeof(msg)), CSIRT_OK);
	store_close(other);
	store_close(st);
}

/* A child process commits one row per transaction and reports each
 * acknowledged one through a pipe; it is killed with SIGKILL mid-stream. */
#define KILL_AFTER 150

static void
test_kill_9_keeps_every_acknowledged_row(void **state)
{
	struct store *st;
	int fds[2];
	pid_t pid;
	int last = 0, got, status;
	char msg[64];

	assert_int_equal(store_open(dir, &st, NULL), CSIRT_OK);
	assert_int_equal(store_exec(st, "CREATE TABLE acked (id INTEGER PRIMARY KEY, pad TEXT)", NULL,
	    NULL, NULL), CSIRT_OK);
	store_close(st);
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		if (store_open(dir, &st, NULL) != CSIRT_OK)
			_exit(1);
		for (int i = 1; i < 1000000; i++) {
			if (store_begin(st) != CSIRT_OK ||
			    store_exec(st, "INSERT INTO acked (id, pad) VALUES (?1, printf('%.5000c', 'x'))",
			    json_pack("[i]", i), NULL, NULL) != CSIRT_OK || store_commit(st) != CSIRT_OK)
				_exit(1);
			if (write(fds[1], &i, sizeof(i)) != (ssize_t)sizeof(i))
				_exit(1);
		}
		_exit(0);
	}
	close(fds[1]);
	while (last < KILL_AFTER && read(fds[0], &got, sizeof(got)) == (ssize_t)sizeof(got))
		last = got;
	kill(pid, SIGKILL);
	/* acknowledgements already in the pipe count too */
	while (read(fds[0], &got, sizeof(got)) == (ssize_t)sizeof(got))
		last = got;
	close(fds[0]);
	waitpid(pid, &status, 0);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(last >= KILL_AFTER, 1);
	assert_int_equal(store_open(dir, &st, NULL), CSIRT_OK);
	assert_int_equal(store_integrity_check(st, msg, sizeof(msg)), CSIRT_OK);
	{
		char sql[128];

		snprintf(sql, sizeof(sql), "SELECT count(*) AS n FROM acked WHERE id <= %d"
		    " AND length(pad) = 5000", last);
		assert_int_equal(count_of(st, sql), last);
	}
	store_close(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_big_transaction_spills_and_reads_back, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_kill_9_keeps_every_acknowledged_row, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
