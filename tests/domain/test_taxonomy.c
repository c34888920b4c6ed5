/* Unit tests for the seed-004 taxonomy: completeness, lookup, Form 05 rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "csirt/common.h"

#include <stdio.h>
#include <string.h>

#include "csirt/taxonomy.h"

static void
test_complete(void **state)
{
	static const char *const codes[] = { "1", "1.1", "1.2", "1.3", "1.4",
	    "1.5", "1.6", "1.7", "1.8", "1.9", "1.10", "2", "2.1", "2.2", "2.3",
	    "2.4", "2.5", "3", "3.1", "3.2", "3.3", "3.4", "3.5", "4" };
	const struct taxonomy *tax = taxonomy_builtin();
	size_t leaves = 0;

	assert_non_null(tax);
	/* 4 groups + 10 + 5 + 5 sub-types = 24 codes; GLOSSARY lists 24 rows */
	assert_int_equal(taxonomy_count(tax), ARRAY_SIZE(codes));
	for (size_t i = 0; i < ARRAY_SIZE(codes); i++) {
		const struct taxonomy_entry *e = taxonomy_at(tax, i);

		assert_string_equal(e->code, codes[i]);
		assert_non_null(e->name_vi);
		assert_non_null(e->name_en);
		leaves += e->leaf;
	}
	assert_int_equal(leaves, 21);	/* 20 sub-types + group 4 */
	assert_null(taxonomy_at(tax, ARRAY_SIZE(codes)));
}

static void
test_lookup(void **state)
{
	const struct taxonomy *tax = taxonomy_builtin();
	const struct taxonomy_entry *e;
	struct csirt_err err;

	e = taxonomy_find(tax, "1.6");
	assert_non_null(e);
	assert_string_equal(taxonomy_name(e, "vi"), "Tấn công mã hóa phần mềm, dữ liệu, thiết bị");
	assert_string_equal(taxonomy_name(e, "en"), "Encryption of software, data, devices (ransomware)");
	assert_string_equal(e->parent, "1");
	e = taxonomy_find(tax, "3.4");
	assert_string_equal(taxonomy_name(e, "vi"), "Lỗi liên quan đến việc dừng dịch vụ vì lý do bắt buộc");
	e = taxonomy_find(tax, "4");
	assert_true(e->leaf);
	assert_null(e->parent);
	assert_null(taxonomy_find(tax, "1.11"));
	assert_null(taxonomy_find(tax, NULL));

	assert_int_equal(taxonomy_validate(tax, "1.10", NULL), CSIRT_OK);
	assert_int_equal(taxonomy_validate(tax, "4", NULL), CSIRT_OK);
	assert_int_equal(taxonomy_validate(tax, "2", &err), CSIRT_EINVAL);
	assert_non_null(strstr(err.msg, "group"));
	assert_int_equal(taxonomy_validate(tax, "5", &err), CSIRT_EINVAL);
	assert_non_null(strstr(err.msg, "unknown"));
	assert_int_equal(taxonomy_validate(tax, "", NULL), CSIRT_EINVAL);
	assert_int_equal(taxonomy_validate(tax, NULL, NULL), CSIRT_EINVAL);
}

static void
test_form05(void **state)
{
	const struct taxonomy *tax = taxonomy_builtin();
	char code[8];

	assert_int_equal(taxonomy_form05_rows(tax), 10);
	for (int r = 1; r <= 10; r++) {
		snprintf(code, sizeof(code), "1.%d", r);
		assert_string_equal(taxonomy_form05_row(tax, r)->code, code);
		assert_int_equal(taxonomy_find(tax, code)->form05_row, r);
	}
	assert_null(taxonomy_form05_row(tax, 0));
	assert_null(taxonomy_form05_row(tax, 11));
	/* Not attacks: no Form 05 row. */
	assert_int_equal(taxonomy_find(tax, "2.1")->form05_row, 0);
	assert_int_equal(taxonomy_find(tax, "3.5")->form05_row, 0);
	assert_int_equal(taxonomy_find(tax, "4")->form05_row, 0);
	assert_int_equal(taxonomy_find(tax, "1")->form05_row, 0);
}

static void
expect_bad(const char *json, const char *needle)
{
	struct taxonomy *tax = NULL;
	struct csirt_err err = { 0 };

	assert_int_not_equal(taxonomy_parse(json, strlen(json), "t.json", &tax, &err), CSIRT_OK);
	assert_null(tax);
	if (strstr(err.msg, needle) == NULL)
		fail_msg("message '%s' lacks '%s'", err.msg, needle);
}

#define HEAD "{\"schema\":1,\"id\":\"t\",\"source\":\"s\",\"form05_source\":\"f\",\"groups\":["
#define NAME "\"name\":{\"vi\":\"v\",\"en\":\"e\"}"

static void
test_malformed(void **state)
{
	struct taxonomy *tax = NULL;
	const char *ok = HEAD "{\"code\":\"1\"," NAME ",\"types\":[{\"code\":\"1.1\"," NAME ",\"form05_row\":1}]}]}";

	assert_int_equal(taxonomy_parse(ok, strlen(ok), "t.json", &tax, NULL), CSIRT_OK);
	assert_int_equal(taxonomy_count(tax), 2);
	taxonomy_free(tax);
	expect_bad(HEAD "{\"code\":\"1\"," NAME ",\"types\":[{\"code\":\"2.1\"," NAME "}]}]}",
	    "t.json: $.groups[0].types[0]: code \"2.1\" must be \"1.<number>\"");
	expect_bad(HEAD "{\"code\":\"1\"," NAME "},{\"code\":\"1\"," NAME "}]}", "used twice");
	expect_bad(HEAD "{\"code\":\"1\"," NAME ",\"colour\":1}]}", "unknown key \"colour\"");
	expect_bad(HEAD "{\"code\":\"1\"," NAME ",\"form05_row\":2}]}", "row 1 is missing");
	expect_bad(HEAD "{\"code\":\"1\"," NAME ",\"types\":[]}]}", "must not be empty");
	expect_bad("[]", "top level");
	expect_bad(HEAD, "not valid JSON");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_complete),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_form05),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
