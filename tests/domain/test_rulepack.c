/*
 * Unit tests for rule-pack loading: the shipped packs, strict validation
 * of malformed packs (each error names the file and the JSON path), and
 * the choice of pack by detection date around 01/07/2026.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "csirt/common.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "csirt/rulepack.h"
#include "domain_test.h"

static const char *data_dir;	/* tests/domain/data */

static void
test_shipped(void **state)
{
	const struct rulepack *p17, *p26;
	const struct rulepack_rule *r;

	assert_int_equal(rulepack_builtin_count(), 2);
	p17 = rulepack_builtin_at(0);
	p26 = rulepack_builtin_at(1);
	assert_string_equal(p17->id, "vn-2017");
	assert_string_equal(p26->id, "vn-2026");
	assert_string_equal(p17->valid_from, "2017-11-01");
	assert_string_equal(p26->valid_from, "2026-07-01");
	assert_ptr_equal(rulepack_find("vn-2026"), p26);
	assert_null(rulepack_find("vn-1999"));
	assert_null(rulepack_builtin_at(2));

	r = rulepack_rule_find(p17, "vn2017-notify");
	assert_non_null(r);
	assert_int_equal(r->unit, UNIT_CALENDAR_DAYS);
	assert_int_equal(r->value, 5);
	assert_int_equal(r->trigger, TRIGGER_ALWAYS);
	assert_int_equal(r->anchor, ANCHOR_DETECTED);
	assert_string_equal(r->confidence, "H");
	r = rulepack_rule_find(p17, "vn2017-closure-report");
	assert_int_equal(r->anchor, ANCHOR_RESPONSE_ENDED);
	assert_int_equal(r->trigger, TRIGGER_BEYOND_CAPACITY);
	r = rulepack_rule_find(p17, "vn2017-contact-change");
	assert_int_equal(r->unit, UNIT_HOURS);
	assert_int_equal(r->value, 24);
	assert_true(p17->serious.defined);
	assert_int_equal(p17->serious.min_level, 4);

	r = rulepack_rule_find(p26, "vn2026-06");
	assert_int_equal(r->unit, UNIT_HOURS);
	assert_int_equal(r->value, 72);
	assert_string_equal(r->confidence, "MH");
	r = rulepack_rule_find(p26, "vn2026-07");
	assert_int_equal(r->trigger, TRIGGER_SERIOUS);
	assert_int_equal(r->value, 24);
	r = rulepack_rule_find(p26, "vn2026-08");
	assert_int_equal(r->unit, UNIT_IMMEDIATE);
	r = rulepack_rule_find(p26, "vn2026-15");
	assert_int_equal(r->trigger, TRIGGER_PERSONAL_DATA);
	assert_string_equal(r->confidence, "M");
	assert_false(p26->serious.defined);
	assert_non_null(strstr(rulepack_text(&r->recipient, "en"), "Ministry of Public Security"));
	{
		json_t *j = rulepack_to_json(p26);

		assert_string_equal(json_string_value(json_object_get(j, "id")), "vn-2026");
		assert_int_equal(json_array_size(json_object_get(j, "rules")), p26->rule_count);
		json_decref(j);
	}
}

static void
expect_bad(const char *text, size_t len, enum csirt_rc want, const char *needle)
{
	struct rulepack *p = NULL;
	struct csirt_err err = { 0 };

	assert_int_equal(rulepack_parse(text, len, "vn-2017.json", &p, &err), want);
	assert_null(p);
	assert_int_equal(err.rc, want);
	/* Messages end up in JSON: they must stay valid UTF-8. */
	assert_true(utf8_valid(err.msg, strlen(err.msg)));
	if (strstr(err.msg, needle) == NULL)
		fail_msg("message '%s' lacks '%s'", err.msg, needle);
}

/* Replace 'from' by 'to' in the shipped vn-2017 pack and expect an error. */
static void
bad_variant(const char *from, const char *to, const char *needle)
{
	char *t = mutate(shipped("data/rules/vn-2017.json"), from, to);

	expect_bad(t, strlen(t), CSIRT_EPARSE, needle);
	free(t);
}

static void
test_malformed(void **state)
{
	const char *good = shipped("data/rules/vn-2017.json");

	/* bad JSON */
	expect_bad(good, strlen(good) / 2, CSIRT_EPARSE, "vn-2017.json: $: not valid JSON (line");
	expect_bad("", 0, CSIRT_EPARSE, "not valid JSON");
	expect_bad("[1]", 3, CSIRT_EPARSE, "top level must be an object");
	expect_bad("{\"a\":1,\"a\":2}", 13, CSIRT_EPARSE, "duplicate");
	expect_bad("{\"id\":\"a\0b\"}", 12, CSIRT_EPARSE, "not valid JSON");
	/* jansson quotes the input near the error, cut by bytes (found by fuzzing). */
	{
		static const char cut[] = "{\"a\": \"Báo cáo sự \\\xe1\xbb\xb1\"}";

		expect_bad(cut, sizeof(cut) - 1, CSIRT_EPARSE, "invalid escape");
	}
	/* unknown keys, at each level */
	bad_variant("\"schema\": 1,", "\"schema\": 1, \"extra\": true,", "vn-2017.json: $: unknown key \"extra\"");
	bad_variant("\"source\": \"TT 20/2017 Art 5-7\"", "\"source\": \"TT 20/2017 Art 5-7\", \"sourc\": \"x\"",
	    "vn-2017.json: $.rules[6]: unknown key \"sourc\"");
	bad_variant("\"value\": 24, \"unit\": \"hours\"", "\"value\": 24, \"unit\": \"hours\", \"round\": 1",
	    "$.rules[6].duration: unknown key \"round\"");
	bad_variant("\"vi\": \"Thông báo sự cố\"", "\"vi\": \"Thông báo sự cố\", \"fr\": \"x\"",
	    "$.rules[1].label: unknown key \"fr\"");
	/* wrong unit and other closed lists */
	bad_variant("\"unit\": \"hours\"", "\"unit\": \"weeks\"",
	    "$.rules[6].duration: unknown unit \"weeks\" (expected one of: immediate, hours, calendar_days, working_days, none)");
	bad_variant("\"trigger\": \"always\"", "\"trigger\": \"sometimes\"", "$.rules[1]: unknown trigger \"sometimes\"");
	bad_variant("\"anchor\": \"detected_at\"", "\"anchor\": \"noticed_at\"", "unknown anchor \"noticed_at\"");
	bad_variant("\"confidence\": \"H\"\n  },\n  {\n   \"id\": \"vn2017-notify\"",
	    "\"confidence\": \"X\"\n  },\n  {\n   \"id\": \"vn2017-notify\"", "$.rules[0]: unknown confidence \"X\"");
	/* missing fields */
	bad_variant("\"anchor\": \"received_at\",", "", "vn-2017.json: $.rules[0]: missing required key \"anchor\"");
	bad_variant("\"valid_from\": \"2017-11-01\",", "", "$: missing required key \"valid_from\"");
	bad_variant("\"duration\": {\"value\": 5, \"unit\": \"calendar_days\"},", "",
	    "$.rules[1]: missing required key \"duration\"");
	bad_variant("\"value\": 5, \"unit\": \"calendar_days\"", "\"unit\": \"calendar_days\"",
	    "$.rules[1].duration: unit \"calendar_days\" needs a \"value\"");
	/* wrong types and values */
	bad_variant("\"value\": 5,", "\"value\": \"5\",", "$.rules[1].duration: \"value\" must be an integer");
	bad_variant("\"value\": 5,", "\"value\": 0,", "\"value\" must be between 1 and 3650");
	bad_variant("{\"unit\": \"immediate\"}", "{\"value\": 1, \"unit\": \"immediate\"}",
	    "unit \"immediate\" takes no \"value\"");
	bad_variant("\"rules\": [", "\"rules\": 7, \"x\": [", "unknown key \"x\"");
	bad_variant("\"valid_from\": \"2017-11-01\"", "\"valid_from\": \"2017-13-01\"",
	    "\"valid_from\" must be a date YYYY-MM-DD");
	bad_variant("\"defined\": true,", "\"defined\": \"yes\",", "$.serious: \"defined\" must be true or false");
	bad_variant("\"min_level\": 4,", "\"min_level\": 6,", "$.serious: \"min_level\" must be between 1 and 5");
	bad_variant("\"loss_of_control\",", "\"loss_of_sleep\",", "$.serious.impacts[3]: unknown impact \"loss_of_sleep\"");
	bad_variant("\"id\": \"vn2017-notify-update\"", "\"id\": \"vn2017-notify\"", "$.rules[2]: rule id \"vn2017-notify\" is used twice");
	bad_variant("\"id\": \"vn-2017\"", "\"id\": \"VN 2017\"", "$: \"id\" must be 1 to 64 of a-z");
	bad_variant("\"schema\": 1,", "\"schema\": 2,", "\"schema\" must be between 1 and 1");
	bad_variant("\"en\": \"Incident notification\"", "\"en\": \"\"", "$.rules[1].label: \"en\" must not be empty");
	/* A long Vietnamese key is cut at 40 bytes, never inside a letter. */
	bad_variant("\"schema\": 1,", "\"schema\": 1, \"ảảảảảảảảảảảảảảảảảảảảảả\": 1,",
	    "unknown key \"ảảảảảảảảảảảảả\"");
	bad_variant("\"unit\": \"hours\"", "\"unit\": \"giờgiờgiờgiờgiờgiờgiờgiờgiờgiờgiờgiờ\"",
	    "unknown unit \"giờgiờgiờgiờgiờgiờgi\"");
}

static void
test_undefined_serious_strict(void **state)
{
	char *t = mutate(shipped("data/rules/vn-2026.json"), "\"defined\": false,",
	    "\"defined\": false, \"min_level\": 4,");
	struct rulepack *p = NULL;
	struct csirt_err err;

	assert_int_equal(rulepack_parse(t, strlen(t), "vn-2026.json", &p, &err), CSIRT_EPARSE);
	assert_non_null(strstr(err.msg, "vn-2026.json: $.serious: unknown key \"min_level\""));
	free(t);
	/* An undefined definition must say so in a note. */
	t = mutate(shipped("data/rules/vn-2026.json"), "\"confidence\": \"H\",\n  \"note\"",
	    "\"confidence\": \"H\",\n  \"notes\"");
	assert_int_equal(rulepack_parse(t, strlen(t), "vn-2026.json", &p, &err), CSIRT_EPARSE);
	free(t);
}

static void
test_too_big(void **state)
{
	size_t n = RULEPACK_MAX_BYTES + 1;
	char *big = malloc(n);
	struct rulepack *p = NULL;
	struct csirt_err err;

	assert_non_null(big);
	memset(big, ' ', n);
	assert_int_equal(rulepack_parse(big, n, "big.json", &p, &err), CSIRT_ETOOBIG);
	assert_non_null(strstr(err.msg, "big.json"));
	free(big);
}

static void
test_files(void **state)
{
	char path[512];
	struct rulepack *p = NULL;
	struct csirt_err err;

	snprintf(path, sizeof(path), "%s/province-2026.json", data_dir);
	assert_int_equal(rulepack_load_file(path, &p, &err), CSIRT_OK);
	assert_string_equal(p->id, "province-2026");
	assert_int_equal(p->rules[0].unit, UNIT_WORKING_DAYS);
	rulepack_free(p);
	snprintf(path, sizeof(path), "%s/bad-unit.json", data_dir);
	assert_int_equal(rulepack_load_file(path, &p, &err), CSIRT_EPARSE);
	assert_non_null(strstr(err.msg, "bad-unit.json: $.rules[0].duration: unknown unit \"fortnights\""));
	snprintf(path, sizeof(path), "%s/no-such-file.json", data_dir);
	assert_int_equal(rulepack_load_file(path, &p, &err), CSIRT_EIO);
	assert_int_equal(rulepack_load_file(data_dir, &p, &err), CSIRT_EIO);
}

static const char *
pack_at(const char *iso)
{
	const struct rulepack *p = NULL;
	int64_t t;

	assert_int_equal(time_parse_iso(iso, &t), CSIRT_OK);
	if (rulepack_for_date(t, &p, NULL) != CSIRT_OK)
		return "none";
	return p->id;
}

static void
test_for_date(void **state)
{
	struct csirt_err err;
	const struct rulepack *p;

	assert_string_equal(pack_at("2026-06-30T23:59:59+07:00"), "vn-2017");
	assert_string_equal(pack_at("2026-07-01T00:00:00+07:00"), "vn-2026");
	/* 17:00 UTC on 30/06 is already 01/07 in Vietnam. */
	assert_string_equal(pack_at("2026-06-30T16:59:59Z"), "vn-2017");
	assert_string_equal(pack_at("2026-06-30T17:00:00Z"), "vn-2026");
	assert_string_equal(pack_at("2026-08-20T10:00"), "vn-2026");
	assert_string_equal(pack_at("2030-01-01"), "vn-2026");
	assert_string_equal(pack_at("2017-11-01T00:00"), "vn-2017");
	assert_string_equal(pack_at("2017-10-31T23:59"), "none");
	assert_int_equal(rulepack_for_date(0, &p, &err), CSIRT_ENOTFOUND);
	assert_non_null(strstr(err.msg, "2017-11-01"));
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_undefined_serious_strict),
		cmocka_unit_test(test_too_big),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_for_date),
	};

	data_dir = argc > 1 ? argv[1] : "tests/domain/data";
	return cmocka_run_group_tests(tests, NULL, NULL);
}
