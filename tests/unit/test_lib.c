/* Unit tests for src/lib: the capped buffer, number and time parsing, UTF-8. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "csirt/common.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static void
test_buf_cap(void **state)
{
	struct buf b;

	buf_init(&b, 8);
	assert_int_equal(buf_append_str(&b, "1234"), CSIRT_OK);
	assert_int_equal(buf_append_str(&b, "5678"), CSIRT_OK);
	assert_int_equal(buf_append_str(&b, "9"), CSIRT_ETOOBIG);
	assert_int_equal(b.len, 8);
	assert_string_equal(b.data, "12345678");
	buf_reset(&b);
	assert_int_equal(buf_printf(&b, "%d-%s", 42, "ab"), CSIRT_OK);
	assert_string_equal(b.data, "42-ab");
	assert_int_equal(buf_printf(&b, "%s", "too long"), CSIRT_ETOOBIG);
	buf_release(&b);
}

static void
test_parse_int(void **state)
{
	int64_t v;

	assert_int_equal(parse_int64("42", 0, 100, &v), CSIRT_OK);
	assert_int_equal(v, 42);
	assert_int_equal(parse_int64("101", 0, 100, &v), CSIRT_EINVAL);
	assert_int_equal(parse_int64("4x", 0, 100, &v), CSIRT_EINVAL);
	assert_int_equal(parse_int64("", 0, 100, &v), CSIRT_EINVAL);
	assert_int_equal(parse_int64(" 4", 0, 100, &v), CSIRT_EINVAL);
	assert_int_equal(parse_int64("99999999999999999999", 0, INT64_MAX, &v), CSIRT_EINVAL);
}

static void
test_time(void **state)
{
	int64_t t;
	char s[32];

	assert_int_equal(time_parse_iso("2026-07-01T00:00:00Z", &t), CSIRT_OK);
	assert_int_equal(t, 1782864000);
	time_format_iso(t, s);
	assert_string_equal(s, "2026-07-01T00:00:00Z");
	/* No offset means Vietnam time, UTC+7. */
	assert_int_equal(time_parse_iso("2026-07-01T07:00", &t), CSIRT_OK);
	assert_int_equal(t, 1782864000);
	assert_int_equal(time_parse_iso("2026-07-01T02:00+02:00", &t), CSIRT_OK);
	assert_int_equal(t, 1782864000);
	assert_int_equal(time_parse_iso("2026-02-29", &t), CSIRT_EINVAL);
	assert_int_equal(time_parse_iso("2024-02-29", &t), CSIRT_OK);
	assert_int_equal(time_parse_iso("2026-13-01", &t), CSIRT_EINVAL);
	assert_int_equal(time_parse_iso("yesterday", &t), CSIRT_EINVAL);
	assert_int_equal(time_parse_iso("2026-07-01T25:00Z", &t), CSIRT_EINVAL);
}

/* The hand-written formatter against gmtime_r + strftime over the whole
 * range of years 0-9999, with times before 1970 and leap days. */
static void
test_time_format_matches_libc(void **state)
{
	uint64_t x = 88172645463325252ull;	/* xorshift: reproducible */
	const int64_t lo = -62167219200LL, hi = 253402300799LL;	/* 0000..9999 */
	char mine[32], libc[64];

	for (int i = 0; i < 200000; i++) {
		int64_t t;
		time_t tt;
		struct tm tm;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		t = lo + (int64_t)(x % (uint64_t)(hi - lo + 1));
		if (i < 4)
			t = (int64_t[]){ 0, -1, 951782400, 4107456000LL }[i];	/* 2000-02-29 */
		tt = (time_t)t;
		gmtime_r(&tt, &tm);
		strftime(libc, sizeof(libc), "%Y-%m-%dT%H:%M:%SZ", &tm);
		if (tm.tm_year + 1900 < 1000) {	/* %Y does not pad years below 1000 */
			char rest[24];

			snprintf(rest, sizeof(rest), "%.20s", strchr(libc, 0x2d));
			snprintf(libc, sizeof(libc), "%04d%s", tm.tm_year + 1900, rest);
		}
		time_format_iso(t, mine);
		assert_string_equal(mine, libc);
	}
	time_format_iso(hi + 1, mine);
	assert_string_equal(mine, "0000-00-00T00:00:00Z");
}

static void
test_json_string(void **state)
{
	struct buf b;

	buf_init(&b, 64);
	assert_int_equal(buf_append_json_string(&b, "Sự \"cố\"\\\n\x01", 14), CSIRT_OK);
	assert_string_equal(b.data, "\"Sự \\\"cố\\\"\\\\\\n\\u0001\"");
	assert_int_equal(buf_append_int(&b, -9223372036854775807LL - 1), CSIRT_OK);
	assert_string_equal(b.data + b.len - 20, "-9223372036854775808");
	buf_release(&b);
	/* the cap holds, and a string that does not fit leaves nothing */
	buf_init(&b, 10);
	assert_int_equal(buf_append_str(&b, "12345"), CSIRT_OK);
	assert_int_equal(buf_append_json_string(&b, "abcdef", 6), CSIRT_ETOOBIG);
	assert_string_equal(b.data, "12345");
	assert_int_equal(buf_append_json_string(&b, "abc", 3), CSIRT_OK);
	assert_string_equal(b.data, "12345\"abc\"");
	buf_release(&b);
}

static void
test_utf8(void **state)
{
	const char *vi = "Sự cố mã độc";

	assert_true(utf8_valid(vi, strlen(vi)));
	assert_false(utf8_valid("\xC0\xAF", 2));		/* overlong '/' */
	assert_false(utf8_valid("\xED\xA0\x80", 3));	/* surrogate */
	assert_false(utf8_valid("a\0b", 3));		/* embedded NUL */
	assert_false(utf8_valid("\xE1\xBB", 2));		/* truncated */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_cap),
		cmocka_unit_test(test_parse_int),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_time_format_matches_libc),
		cmocka_unit_test(test_json_string),
		cmocka_unit_test(test_utf8),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
