/* Unit tests for src/lib: the capped buffer, number and time parsing, UTF-8. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "csirt/common.h"

#include <string.h>

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
		cmocka_unit_test(test_utf8),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
