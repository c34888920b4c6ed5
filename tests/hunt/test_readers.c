/*
 * test_readers.c - JSON lines, syslog/auditd, and the input layer (gzip,
 * zip, directories) on fixtures made here or in tests/hunt/data.
 */
#include "csirt/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>
#include <zlib.h>

#include <cmocka.h>

#include "csirt/hunt.h"

/* Remembers the events' fields as "name=value\n" lines. */
struct got {
	int n;
	char text[8192];
	char sources[4][256];
	char host[64], time[64], channel[64];
	int64_t eid;
};

static bool
keep(struct hunt_event *ev, void *ctx)
{
	struct got *g = ctx;
	size_t len = strlen(g->text);

	if (g->n < 4)
		snprintf(g->sources[g->n], sizeof(g->sources[0]), "%s", ev->source);
	if (g->n == 0) {
		snprintf(g->host, sizeof(g->host), "%s", ev->host);
		snprintf(g->time, sizeof(g->time), "%s", ev->time);
		snprintf(g->channel, sizeof(g->channel), "%s", ev->channel);
		g->eid = ev->event_id;
	}
	for (size_t i = 0; i < ev->nfields && len < sizeof(g->text) - 1; i++) {
		int w = snprintf(g->text + len, sizeof(g->text) - len, "%s=%s\n",
		    ev->fields[i].name, ev->fields[i].value);

		if (w < 0)
			break;
		len += (size_t)w;
		if (len >= sizeof(g->text))
			len = sizeof(g->text) - 1;
	}
	g->n++;
	return true;
}

static void
test_jsonl_flat_and_nested(void **state)
{
	static const char data[] =
	    "{\"EventID\":1,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\","
	    "\"Hostname\":\"ws1\",\"Image\":\"C:\\\\x\\\\cmd.exe\",\"n\":null,"
	    "\"ok\":true,\"tags\":[\"a\",\"b\"]}\n"
	    "not json at all\n"
	    "{\"winlog\":{\"channel\":\"Security\",\"event_id\":4624,"
	    "\"event_data\":{\"TargetUserName\":\"bob\"}},"
	    "\"process\":{\"command_line\":\"whoami\"}}\n"
	    "[1,2]\n";
	struct got g = { 0 };
	struct hunt_read_stats st = { 0 };

	(void)state;
	assert_int_equal(hunt_jsonl_read(data, strlen(data), "x.jsonl", keep, &g,
	    &st), CSIRT_OK);
	assert_int_equal(g.n, 2);
	assert_int_equal(st.bad_records, 2);
	assert_string_equal(g.host, "ws1");
	assert_int_equal(g.eid, 1);
	assert_non_null(strstr(g.text, "Image=C:\\x\\cmd.exe\n"));
	assert_non_null(strstr(g.text, "ok=true\n"));
	assert_non_null(strstr(g.text, "tags=a\ntags=b\n"));
	assert_null(strstr(g.text, "n="));
	/* nested: dotted path, plus the bare name under event_data */
	assert_non_null(strstr(g.text, "winlog.event_data.TargetUserName=bob\n"));
	assert_non_null(strstr(g.text, "\nTargetUserName=bob\n"));
	assert_non_null(strstr(g.text, "process.command_line=whoami\n"));
}

static void
test_json_evtx_rendering(void **state)
{
	/* pretty-printed EVTX-as-JSON, two documents back to back */
	static const char data[] =
	    "{\n \"Event\": {\n  \"System\": {\n"
	    "   \"Provider\": {\"#attributes\": {\"Name\": \"Microsoft-Windows-Sysmon\"}},\n"
	    "   \"EventID\": 7,\n   \"Channel\": \"Microsoft-Windows-Sysmon/Operational\",\n"
	    "   \"TimeCreated\": {\"#attributes\": {\"SystemTime\": \"2025-01-02T03:04:05Z\"}},\n"
	    "   \"Computer\": \"pc\"\n  },\n"
	    "  \"EventData\": {\"ImageLoaded\": \"C:\\\\a.dll\"}\n }\n}\n"
	    "{\"Event\": {\"System\": {\"EventID\": {\"#text\": 4624, "
	    "\"#attributes\": {\"Qualifiers\": \"\"}}}}}\n";
	struct got g = { 0 };
	struct hunt_read_stats st = { 0 };

	(void)state;
	assert_int_equal(hunt_jsonl_read(data, strlen(data), "e.json", keep, &g,
	    &st), CSIRT_OK);
	assert_int_equal(g.n, 2);
	assert_int_equal(st.bad_records, 0);
	assert_string_equal(g.channel, "Microsoft-Windows-Sysmon/Operational");
	assert_string_equal(g.time, "2025-01-02T03:04:05Z");
	assert_string_equal(g.host, "pc");
	assert_non_null(strstr(g.text, "\nImageLoaded=C:\\a.dll\n"));
	assert_non_null(strstr(g.text, "Provider_Name=Microsoft-Windows-Sysmon\n"));
	assert_non_null(strstr(g.text, "\nEventID=4624\n"));
}

static void
test_syslog_formats(void **state)
{
	static const char data[] =
	    "Nov 23 09:01:02 web1 sshd[812]: Failed password for root from 203.0.113.9 port 22 ssh2\n"
	    "<34>1 2026-11-23T09:01:03.5Z db1 su 77 ID47 [origin ip=\"10.0.0.1\"] 'su root' failed\n"
	    "type=EXECVE msg=audit(1700000000.123:42): argc=3 a0=\"rm\" a1=\"-rf\" a2=2F746D70\n"
	    "\n"
	    "free text line without header\n";
	struct got g = { 0 };
	struct hunt_read_stats st = { 0 };

	(void)state;
	assert_int_equal(hunt_syslog_read(data, strlen(data), "auth.log", keep,
	    &g, &st), CSIRT_OK);
	assert_int_equal(g.n, 4);
	assert_string_equal(g.host, "web1");
	assert_string_equal(g.time, "Nov 23 09:01:02");
	assert_non_null(strstr(g.text, "program=sshd\npid=812\n"));
	assert_non_null(strstr(g.text,
	    "message=Failed password for root from 203.0.113.9 port 22 ssh2\n"));
	assert_non_null(strstr(g.text, "host=db1\nprogram=su\npid=77\nmsgid=ID47\n"));
	assert_non_null(strstr(g.text, "ip=10.0.0.1\n"));
	assert_non_null(strstr(g.text, "message='su root' failed\n"));
	assert_non_null(strstr(g.text, "program=auditd\n"));
	assert_non_null(strstr(g.text, "timestamp=1700000000.123:42\n"));
	assert_non_null(strstr(g.text, "type=EXECVE\n"));
	assert_non_null(strstr(g.text, "a1=-rf\n"));
	assert_non_null(strstr(g.text, "a2=/tmp\n"));	/* hex decoded */
	assert_non_null(strstr(g.text, "message=free text line without header\n"));
}

static char tmpdir[256];

static void
write_file(const char *name, const void *data, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void
on_err(const char *source, const char *msg, void *ctx)
{
	int *n = ctx;

	(void)source;
	(void)msg;
	(*n)++;
}

struct both {
	struct got g;
	int errors;
};

static bool
keep_both(struct hunt_event *ev, void *ctx)
{
	return keep(ev, &((struct both *)ctx)->g);
}

static void
on_err_both(const char *source, const char *msg, void *ctx)
{
	on_err(source, msg, &((struct both *)ctx)->errors);
}

static void
test_input_gzip_zip_dir(void **state)
{
	static const char line[] = "{\"EventID\":4625,\"Channel\":\"Security\"}\n";
	char path[512];
	struct both b = { 0 };
	struct hunt_read_stats st = { 0 };
	struct hunt_input_opts in = { .on_event = keep_both,
		.on_error = on_err_both, .ctx = &b, .stats = &st };
	gzFile gz;
	zip_t *z;
	zip_source_t *src;
	int zerr;

	(void)state;
	/* a.jsonl.gz */
	snprintf(path, sizeof(path), "%s/a.jsonl.gz", tmpdir);
	gz = gzopen(path, "wb");
	assert_non_null(gz);
	assert_int_equal(gzwrite(gz, line, sizeof(line) - 1), (int)sizeof(line) - 1);
	gzclose(gz);
	/* b.zip holding logs/b.json */
	snprintf(path, sizeof(path), "%s/b.zip", tmpdir);
	z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	assert_non_null(z);
	src = zip_source_buffer(z, line, sizeof(line) - 1, 0);
	assert_true(zip_file_add(z, "logs/b.json", src, ZIP_FL_OVERWRITE) >= 0);
	assert_int_equal(zip_close(z), 0);
	/* c.gz: corrupt gzip, reported and skipped */
	write_file("c.gz", "\x1f\x8b\x08\x00garbage-garbage", 19);
	/* d.log: syslog */
	write_file("d.log", "Nov 23 09:01:02 h p: x\n", 23);
	assert_int_equal(hunt_input_read_path(tmpdir, &in), CSIRT_OK);
	assert_int_equal(b.g.n, 3);
	assert_true(strstr(b.g.sources[0], "a.jsonl.gz") != NULL);
	assert_true(strstr(b.g.sources[1], "b.zip:logs/b.json") != NULL);
	assert_true(strstr(b.g.sources[2], "d.log") != NULL);
	assert_int_equal(b.errors, 1);
	/* a missing path is an error for the caller */
	snprintf(path, sizeof(path), "%s/none", tmpdir);
	assert_int_equal(hunt_input_read_path(path, &in), CSIRT_EIO);
}

static int
setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/csirt-hunt-test-XXXXXX");
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char cmd[600];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jsonl_flat_and_nested),
		cmocka_unit_test(test_json_evtx_rendering),
		cmocka_unit_test(test_syslog_formats),
		cmocka_unit_test(test_input_gzip_zip_dir),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
