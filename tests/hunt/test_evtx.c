/*
 * test_evtx.c - the EVTX reader on our own synthetic files
 * (tests/hunt/gen_evtx.py): fields come out under Sigma's names, and a bad
 * record, a bad chunk or a truncated file costs only what is broken.
 */
#include "csirt/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "csirt/hunt.h"

struct seen {
	int n;
	char images[8][128];
	char first_cmd[128];
	char host[64];
	char time[40];
	int64_t eid;
	uint64_t records[8];
};

static bool
collect(struct hunt_event *ev, void *ctx)
{
	struct seen *s = ctx;
	const struct hunt_field *f = hunt_event_get(ev, "Image", 5);

	if (s->n < 8) {
		snprintf(s->images[s->n], sizeof(s->images[0]), "%s",
		    f ? f->value : "");
		s->records[s->n] = ev->record;
	}
	if (s->n == 0) {
		f = hunt_event_get(ev, "commandline", 11);
		snprintf(s->first_cmd, sizeof(s->first_cmd), "%s", f ? f->value : "");
		snprintf(s->host, sizeof(s->host), "%s", ev->host);
		snprintf(s->time, sizeof(s->time), "%s", ev->time);
		s->eid = ev->event_id;
	}
	s->n++;
	return true;
}

static unsigned char *
load(const char *name, size_t *len)
{
	char path[512];
	FILE *f;
	unsigned char *d;
	long n;

	snprintf(path, sizeof(path), "%s/%s", HUNT_TEST_DATA, name);
	f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	d = malloc((size_t)n);
	assert_non_null(d);
	assert_int_equal(fread(d, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return d;
}

static void
test_fields(void **state)
{
	size_t len;
	unsigned char *d = load("small.evtx", &len);
	struct seen s = { 0 };
	struct hunt_read_stats st = { 0 };

	(void)state;
	assert_int_equal(hunt_format_detect(d, len), HUNT_FORMAT_EVTX);
	assert_int_equal(hunt_evtx_read(d, len, "small.evtx", collect, &s, &st),
	    CSIRT_OK);
	assert_int_equal(s.n, 2);
	assert_int_equal(st.events, 2);
	assert_int_equal(st.bad_records, 0);
	assert_string_equal(s.images[0], "C:\\Windows\\System32\\cmd.exe");
	assert_string_equal(s.first_cmd, "cmd.exe /c whoami");
	assert_string_equal(s.host, "host1.example.vn");
	assert_string_equal(s.time, "2023-11-14T22:13:21.000000Z");
	assert_int_equal(s.eid, 1);
	assert_int_equal(s.records[1], 2);
	free(d);
}

/* Offset of the n-th record signature (0-based) in the first chunk. */
static size_t
record_at(const unsigned char *d, size_t len, int n)
{
	for (size_t p = 4096 + 512; p + 4 <= len; p++)
		if (memcmp(d + p, "**\0\0", 4) == 0 && n-- == 0)
			return p;
	fail_msg("record not found");
	return 0;
}

static void
test_bad_record_header_skipped(void **state)
{
	size_t len;
	unsigned char *d = load("three.evtx", &len);
	struct seen s = { 0 };
	struct hunt_read_stats st = { 0 };

	(void)state;
	d[record_at(d, len, 1)] = 'X';	/* break record 2's signature */
	assert_int_equal(hunt_evtx_read(d, len, "three.evtx", collect, &s, &st),
	    CSIRT_OK);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.images[0], "C:\\Windows\\System32\\cmd.exe");
	assert_string_equal(s.images[1], "C:\\Windows\\System32\\net.exe");
	assert_true(st.bad_records >= 1);
	assert_true(st.first_error[0] != '\0');
	free(d);
}

static void
test_bad_record_body_skipped(void **state)
{
	size_t len;
	unsigned char *d = load("three.evtx", &len);
	struct seen s = { 0 };
	struct hunt_read_stats st = { 0 };
	size_t r2;

	(void)state;
	r2 = record_at(d, len, 1);
	/* the template instance token of record 2 becomes an unknown token */
	assert_int_equal(d[r2 + 24 + 4], 0x0c);
	d[r2 + 24 + 4] = 0x3f;
	assert_int_equal(hunt_evtx_read(d, len, "three.evtx", collect, &s, &st),
	    CSIRT_OK);
	assert_int_equal(s.n, 2);
	assert_int_equal(st.bad_records, 1);
	assert_string_equal(s.images[1], "C:\\Windows\\System32\\net.exe");
	free(d);
}

static void
test_truncated_file(void **state)
{
	size_t len;
	unsigned char *d = load("three.evtx", &len);
	struct seen s = { 0 };
	struct hunt_read_stats st = { 0 };
	size_t r3;

	(void)state;
	r3 = record_at(d, len, 2);
	/* cut inside record 3: records 1 and 2 survive */
	assert_int_equal(hunt_evtx_read(d, r3 + 10, "cut.evtx", collect, &s,
	    &st), CSIRT_OK);
	assert_int_equal(s.n, 2);
	free(d);
}

static void
test_bad_chunk_then_good_chunk(void **state)
{
	size_t len;
	unsigned char *d = load("small.evtx", &len), *two;
	struct seen s = { 0 };
	struct hunt_read_stats st = { 0 };

	(void)state;
	/* file header + a garbage chunk + the good chunk */
	two = malloc(len + 65536);
	assert_non_null(two);
	memcpy(two, d, 4096);
	memset(two + 4096, 0xA5, 65536);
	memcpy(two + 4096 + 65536, d + 4096, len - 4096);
	assert_int_equal(hunt_evtx_read(two, len + 65536, "two.evtx", collect,
	    &s, &st), CSIRT_OK);
	assert_int_equal(s.n, 2);
	assert_int_equal(st.bad_chunks, 1);
	free(two);
	free(d);
}

static void
test_not_evtx(void **state)
{
	struct hunt_read_stats st = { 0 };
	struct seen s = { 0 };

	(void)state;
	assert_int_equal(hunt_evtx_read((const unsigned char *)"{\"a\":1}", 7,
	    "x", collect, &s, &st), CSIRT_EPARSE);
	assert_int_equal(hunt_format_detect((const unsigned char *)" {\"a\":1}",
	    8), HUNT_FORMAT_JSONL);
	assert_int_equal(hunt_format_detect((const unsigned char *)"<13>Jan", 7),
	    HUNT_FORMAT_SYSLOG);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_bad_record_header_skipped),
		cmocka_unit_test(test_bad_record_body_skipped),
		cmocka_unit_test(test_truncated_file),
		cmocka_unit_test(test_bad_chunk_then_good_chunk),
		cmocka_unit_test(test_not_evtx),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
