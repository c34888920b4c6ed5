/*
 * test_json_scan.c - the JSON reader's SSE2 string scanning against its
 * portable one, on inputs made to put every special byte (quote,
 * backslash, control byte, \u escape, surrogate) at every offset around
 * the 16-byte blocks, and strings cut at every byte before the buffer's
 * end; the lowercased copies and the event's time/host/... against byte-
 * at-a-time references.
 *
 * Inputs are copied into a heap block of exactly their length, so ASan sees
 * a load past the end. Both scanners must give the same events, and a few
 * inputs are also checked against their expected decoding, so that two
 * equal mistakes cannot pass.
 */
#include "csirt/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "csirt/hunt.h"
#include "hunt/reader_int.h"

/* Every event as text: meta, then name, value and lowercased value of each
 * field, with lengths (values may hold any byte but NUL). */
static bool
dump(struct hunt_event *ev, void *ctx)
{
	struct buf *b = ctx;

	(void)buf_printf(b, "#%llu t=%s h=%s c=%s p=%s id=%lld ov=%d n=%zu\n",
	    (unsigned long long)ev->record, ev->time, ev->host, ev->channel,
	    ev->provider, (long long)ev->event_id, ev->overflow, ev->nfields);
	for (size_t i = 0; i < ev->nfields; i++) {
		const struct hunt_field *f = &ev->fields[i];

		(void)buf_printf(b, "%u:", f->name_len);
		(void)buf_append(b, f->name, f->name_len);
		(void)buf_printf(b, " %u:", f->value_len);
		(void)buf_append(b, f->value, f->value_len);
		(void)buf_append(b, " ", 1);
		(void)buf_append(b, f->lower, f->value_len);
		(void)buf_append(b, "\n", 1);
		assert_int_equal(f->name[f->name_len], '\0');
		assert_int_equal(f->value[f->value_len], '\0');
		assert_int_equal(f->lower[f->value_len], '\0');
	}
	return true;
}

/* Reads [s, s+n) (copied to a block of exactly n bytes) with the scanner
 * chosen; returns the dump (caller frees) and the stats. */
static char *
read_with(const char *s, size_t n, bool simd, struct hunt_read_stats *st)
{
	char *copy = malloc(n ? n : 1);
	struct buf b;

	assert_non_null(copy);
	memcpy(copy, s, n);
	buf_init(&b, (size_t)64 << 20);
	memset(st, 0, sizeof(*st));
	hunt_jsonl_set_simd(simd);
	assert_int_equal(hunt_jsonl_read(copy, n, "t", dump, &b, st), CSIRT_OK);
	hunt_jsonl_set_simd(true);
	free(copy);
	(void)buf_printf(&b, "events=%llu bad=%llu err=%s\n",
	    (unsigned long long)st->events, (unsigned long long)st->bad_records,
	    st->first_error);
	return buf_detach(&b);
}

/* Both scanners on s; returns the dump for further checks. */
static char *
same_both_ways(const char *s, size_t n)
{
	struct hunt_read_stats a, b;
	char *x = read_with(s, n, true, &a), *y = read_with(s, n, false, &b);

	if (strcmp(x, y) != 0) {
		print_error("input: %.*s\nsse2:\n%s\nportable:\n%s\n", (int)n, s,
		    x, y);
		fail();
	}
	free(y);
	return x;
}

static void
test_expected_decoding(void **state)
{
	/* a Windows path, every one-letter escape, \u in 1-4 UTF-8 bytes, a
	 * surrogate pair, a lone surrogate and \u0000 (dropped) */
	static const char in[] =
	    "{\"Image\":\"C:\\\\Windows\\\\System32\\\\cmd.exe\","
	    "\"E\":\"q\\\" s\\/ b\\b f\\f n\\n r\\r t\\t\","
	    "\"U\":\"\\u0041\\u00e9\\u20ac\\ud83d\\ude00\\ud800x\\u0000y\"}\n";
	struct hunt_read_stats st;
	char *d;

	(void)state;
	d = same_both_ways(in, sizeof(in) - 1);
	assert_non_null(strstr(d, "5:Image 27:C:\\Windows\\System32\\cmd.exe "
	    "c:\\windows\\system32\\cmd.exe\n"));
	assert_non_null(strstr(d, "1:E 20:q\" s/ b\b f\f n\n r\r t\t "));
	assert_non_null(strstr(d, "1:U 15:A\xc3\xa9\xe2\x82\xac"
	    "\xf0\x9f\x98\x80\xef\xbf\xbdxy a\xc3\xa9"));
	free(d);
	d = read_with(in, sizeof(in) - 1, true, &st);
	assert_int_equal(st.events, 1);
	assert_int_equal(st.bad_records, 0);
	free(d);
}

/* A special sequence at every offset of a string 0..70 bytes long, in a
 * line whose length also varies, so that it falls on every position of a
 * 16-byte block and at the block's edges. */
static void
test_specials_at_every_offset(void **state)
{
	static const char *const specials[] = {
		"\\\\", "\\\"", "\\n", "\\u00e9", "\\ud83d\\ude00", "\\ud800",
		"\\udc00", "\\ud800\\u0041", "\\u0000", "\x01", "\x1f", "\t",
		"\\x", "\\u12", "\\u12g4", "\"", "\xc3\xa9", "\x7f", "\xff",
	};
	char line[512];

	(void)state;
	for (size_t s = 0; s < ARRAY_SIZE(specials); s++)
		for (size_t before = 0; before < 40; before++)
			for (size_t after = 0; after < 36; after += 5) {
				int n = snprintf(line, sizeof(line),
				    "{\"k\":\"%.*s%s%.*s\",\"Z\":1}\n{\"a\":\"b\"}\n",
				    (int)before,
				    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn",
				    specials[s], (int)after,
				    "0123456789abcdefghijklmnopqrstuvwxyz");

				assert_true(n > 0 && (size_t)n < sizeof(line));
				free(same_both_ways(line, (size_t)n));
			}
}

/* A document cut at every byte: the last string ends early, mid-escape,
 * mid-\u, with the buffer (not a newline) as its end. */
static void
test_truncated_everywhere(void **state)
{
	static const char doc[] =
	    "{\"CommandLine\":\"powershell.exe -enc \\\"QUJD\\\" C:\\\\Users\\\\"
	    "x\\u00e9\\ud83d\\ude00 and a long tail after it to pass 32\","
	    "\"\\u004bey\\\\x\":\"v\"}";
	struct hunt_read_stats st;

	(void)state;
	for (size_t n = 0; n <= sizeof(doc) - 1; n++) {
		char *d = same_both_ways(doc, n);

		free(d);
	}
	/* whole: one event; one byte short: a bad record, not a crash */
	free(read_with(doc, sizeof(doc) - 1, true, &st));
	assert_int_equal(st.events, 1);
	free(read_with(doc, sizeof(doc) - 2, true, &st));
	assert_int_equal(st.events, 0);
	assert_int_equal(st.bad_records, 1);
}

/* Keys with escapes, keys longer than the name cap (cut, escapes and all),
 * nested keys and long values with escapes past the 16-byte blocks. */
static void
test_keys_and_long_values(void **state)
{
	char line[4096];
	size_t n = 0;

	(void)state;
	n += (size_t)snprintf(line + n, sizeof(line) - n,
	    "{\"Event\":{\"EventData\":{\"Na\\u006de\":\"x\",\"");
	for (int i = 0; i < 300; i++)	/* a key of 300+ bytes, escapes in it */
		line[n++] = i % 7 == 0 ? '\\' : 'k', line[n++] = i % 7 == 0 ?
		    'n' : (char)('a' + i % 26);
	n += (size_t)snprintf(line + n, sizeof(line) - n, "\":\"");
	for (int i = 0; i < 500; i++)
		n += (size_t)snprintf(line + n, sizeof(line) - n, "%s",
		    i % 3 == 0 ? "\\\\" : i % 5 == 0 ? "\\u00C9" : "Ab");
	n += (size_t)snprintf(line + n, sizeof(line) - n, "\"}}}\n");
	assert_true(n < sizeof(line));
	free(same_both_ways(line, n));
}

struct shape {
	int events;
	size_t nfields;
	bool overflow;
	uint32_t lens[4];
	char last[8];
};

static bool
shape_of(struct hunt_event *ev, void *ctx)
{
	struct shape *sh = ctx;

	sh->events++;
	sh->nfields = ev->nfields;
	sh->overflow = ev->overflow;
	for (size_t i = 0; i < ev->nfields && i < 4; i++)
		sh->lens[i] = ev->fields[i].value_len;
	if (ev->nfields > 0)
		snprintf(sh->last, sizeof(sh->last), "%s",
		    ev->fields[ev->nfields - 1].value);
	return true;
}

/*
 * Near the event's cap (HUNT_EVENT_MAX_TEXT, 8 MiB): a string is kept
 * whole when its decoded bytes fit, else skipped whole (the event says
 * overflow); the fields after it are read. Both scanners alike.
 */
static void
test_event_cap(void **state)
{
	const size_t mb = (size_t)1 << 20;
	size_t cap = 16 * mb, n;
	char *in = malloc(cap);

	(void)state;
	assert_non_null(in);
	for (int simd = 0; simd < 2; simd++) {
		struct hunt_read_stats st = { 0 };
		struct shape sh = { 0 };

		/* 1 MiB plain, then 7.2 MB of \u0000 (dropped) and "ok":
		 * kept, its raw length is not what counts */
		n = (size_t)snprintf(in, cap, "{\"a\":\"");
		memset(in + n, 'x', mb);
		n += mb;
		n += (size_t)snprintf(in + n, cap - n, "\",\"b\":\"");
		for (size_t i = 0; i < 1200000; i++)
			n += (size_t)snprintf(in + n, cap - n, "\\u0000");
		n += (size_t)snprintf(in + n, cap - n, "ok\",\"c\":\"end\"}\n");
		hunt_jsonl_set_simd(simd);
		assert_int_equal(hunt_jsonl_read(in, n, "cap", shape_of, &sh,
		    &st), CSIRT_OK);
		assert_int_equal(sh.events, 1);
		assert_int_equal(sh.nfields, 3);
		assert_false(sh.overflow);
		assert_int_equal(sh.lens[0], mb);
		assert_int_equal(sh.lens[1], 2);
		assert_string_equal(sh.last, "end");

		/* 5 MiB, then 4 MiB decoded: the second is skipped whole */
		memset(&sh, 0, sizeof(sh));
		n = (size_t)snprintf(in, cap, "{\"a\":\"");
		memset(in + n, 'x', 5 * mb);
		n += 5 * mb;
		n += (size_t)snprintf(in + n, cap - n, "\",\"b\":\"");
		for (size_t i = 0; i < 2 * mb; i++)
			in[n++] = 'y', in[n++] = i % 1000 ? 'y' : '\\',
			    in[n++] = i % 1000 ? 'y' : 'n';
		n += (size_t)snprintf(in + n, cap - n, "\",\"c\":\"end\"}\n");
		assert_int_equal(hunt_jsonl_read(in, n, "cap", shape_of, &sh,
		    &st), CSIRT_OK);
		hunt_jsonl_set_simd(true);
		assert_int_equal(sh.events, 1);
		assert_int_equal(sh.nfields, 2);
		assert_true(sh.overflow);
		assert_int_equal(sh.lens[0], 5 * mb);
		assert_string_equal(sh.last, "end");
	}
	free(in);
}

/* A number or literal holding a control byte (a NUL, found by fuzzing:
 * values are C strings) makes a bad record, never a value with it. */
static void
test_control_byte_in_literal(void **state)
{
	static const char in[] = "{\"a\":1\0002,\"b\":\"x\"}\n{\"a\":tr\001ue}\n"
	    "{\"a\":12,\"b\":\"y\"}\n";
	struct hunt_read_stats st;
	char *d;

	(void)state;
	d = same_both_ways(in, sizeof(in) - 1);
	free(d);
	d = read_with(in, sizeof(in) - 1, true, &st);
	assert_int_equal(st.events, 1);
	assert_int_equal(st.bad_records, 2);
	assert_non_null(strstr(d, "1:a 2:12 12\n1:b 1:y y\n"));
	free(d);
}

/* The lowercased copy of a value of every length 0..70 holding every byte
 * that is not NUL, against a byte-at-a-time lowercase. */
static void
test_lowercase(void **state)
{
	struct hunt_event ev;
	char v[80];

	(void)state;
	hunt_event_init(&ev);
	for (unsigned start = 1; start < 256; start += 3)
		for (size_t len = 0; len <= 70; len++) {
			hunt_event_reset(&ev);
			for (size_t i = 0; i < len; i++)
				v[i] = (char)(1 + (start + i * 7) % 255);
			assert_int_equal(hunt_event_add(&ev, "f", 1, v, len),
			    CSIRT_OK);
			assert_int_equal(hunt_event_add(&ev, "g", 1, "AbC", 3),
			    CSIRT_OK);
			hunt_event_finish(&ev);
			for (size_t i = 0; i < len; i++) {
				unsigned char c = (unsigned char)v[i];
				char want = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);

				assert_int_equal(ev.fields[0].lower[i], want);
				assert_int_equal(ev.fields[0].value[i], v[i]);
			}
			assert_int_equal(ev.fields[0].lower[len], '\0');
			assert_string_equal(ev.fields[1].lower, "abc");
		}
	hunt_event_release(&ev);
}

/* The first non-empty value among a kind's names, in the kind's order,
 * reading each name's first field only: as asking hunt_event_get for each
 * name in turn. */
static const char *
meta_reference(const struct hunt_event *ev, const char *const *names)
{
	for (size_t i = 0; names[i] != NULL; i++) {
		const struct hunt_field *f = hunt_event_get(ev, names[i],
		    strlen(names[i]));

		if (f != NULL && f->value_len > 0)
			return f->value;
	}
	return "";
}

static const char *const time_names[] = { "TimeCreated_SystemTime",
	"@timestamp", "timestamp", "UtcTime", "EventTime", NULL };
static const char *const host_names[] = { "Computer", "Hostname",
	"host.name", "host", "hostname", NULL };
static const char *const channel_names[] = { "Channel", "winlog.channel",
	NULL };
static const char *const provider_names[] = { "Provider_Name", "SourceName",
	"winlog.provider_name", NULL };
static const char *const id_names[] = { "EventID", "winlog.event_id", NULL };

static bool
check_meta(struct hunt_event *ev, void *ctx)
{
	const char *id = meta_reference(ev, id_names);
	int64_t want = -1, v;

	(*(int *)ctx)++;
	assert_string_equal(ev->time, meta_reference(ev, time_names));
	assert_string_equal(ev->host, meta_reference(ev, host_names));
	assert_string_equal(ev->channel, meta_reference(ev, channel_names));
	assert_string_equal(ev->provider, meta_reference(ev, provider_names));
	if (*id != '\0' && parse_int64(id, 0, INT32_MAX, &v) == CSIRT_OK)
		want = v;
	assert_int_equal(ev->event_id, want);
	return true;
}

static void
test_meta_fields(void **state)
{
	/* names in other cases, empty first values, later duplicates, near
	 * misses of the same length, EVTX renderings */
	static const char docs[] =
	    "{\"hostname\":\"a\",\"HOSTNAME\":\"b\",\"Computer\":\"\","
	    "\"host\":\"c\",\"Channel\":\"Security\",\"EventID\":\"4624\"}\n"
	    "{\"Computer\":\"\",\"computer\":\"x\",\"HostNamE\":\"h2\","
	    "\"utctime\":\"t1\",\"@TIMESTAMP\":\"t0\",\"EVENTID\":7}\n"
	    "{\"winlog\":{\"channel\":\"System\",\"event_id\":12,"
	    "\"provider_name\":\"P\"},\"host\":{\"name\":\"n\"},"
	    "\"SourceName\":\"\",\"timestamp\":\"ts\",\"Hostnamx\":\"no\"}\n"
	    "{\"Provider_Name\":\"\",\"SourceName\":\"S\",\"Channel\":\"\","
	    "\"EventID\":\"not a number\",\"EventTime\":\"et\",\"Host\":\"\"}\n"
	    "{\"Event\":{\"System\":{\"Provider\":{\"#attributes\":{\"Name\":"
	    "\"Pr\"}},\"EventID\":{\"#text\":\"4688\"},\"TimeCreated\":{"
	    "\"#attributes\":{\"SystemTime\":\"2020\"}},\"Computer\":\"W\"}}}\n"
	    "{\"X\":1}\n";
	struct hunt_read_stats st = { 0 };
	struct buf b;
	int n = 0;
	char *d;

	(void)state;
	assert_int_equal(hunt_jsonl_read(docs, sizeof(docs) - 1, "m",
	    check_meta, &n, &st), CSIRT_OK);
	assert_int_equal(n, 6);
	/* and a few by hand, so that the reference is checked too */
	buf_init(&b, 1 << 20);
	assert_int_equal(hunt_jsonl_read(docs, sizeof(docs) - 1, "m", dump, &b,
	    &st), CSIRT_OK);
	d = buf_detach(&b);
	assert_non_null(strstr(d, "#1 t= h=a c=Security p= id=4624 "));
	assert_non_null(strstr(d, "#2 t=t0 h=h2 c= p= id=7 "));
	assert_non_null(strstr(d, "#3 t=ts h=n c=System p=P id=12 "));
	assert_non_null(strstr(d, "#4 t=et h= c= p=S id=-1 "));
	assert_non_null(strstr(d, "#5 t=2020 h=W c= p=Pr id=4688 "));
	free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expected_decoding),
		cmocka_unit_test(test_specials_at_every_offset),
		cmocka_unit_test(test_truncated_everywhere),
		cmocka_unit_test(test_keys_and_long_values),
		cmocka_unit_test(test_event_cap),
		cmocka_unit_test(test_control_byte_in_literal),
		cmocka_unit_test(test_lowercase),
		cmocka_unit_test(test_meta_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
