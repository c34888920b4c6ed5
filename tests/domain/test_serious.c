/* Unit tests for the serious/normal test (QĐ 05/2017 Art 9) and 2026's "undefined". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "csirt/common.h"

#include <string.h>

#include "csirt/rulepack.h"
#include "csirt/serious.h"
#include "domain_test.h"

static const struct rulepack *
pack2017(void)
{
	const struct rulepack *p = rulepack_find("vn-2017");

	assert_non_null(p);
	return p;
}

static bool
held(const struct serious_result *r, const char *id)
{
	for (size_t i = 0; i < r->held_count; i++)
		if (strcmp(r->held[i]->id, id) == 0)
			return true;
	return false;
}

static enum severity
assess(const struct rulepack *p, struct serious_input in, struct serious_result *r)
{
	assert_int_equal(serious_assess(p, &in, r, NULL), CSIRT_OK);
	return r->result;
}

static void
test_levels(void **state)
{
	struct serious_input in = { .impact_service_disruption = true,
	    .owner_cannot_handle = true };
	struct serious_result r;

	for (int level = 0; level <= 5; level++) {
		in.system_level = level;
		assert_int_equal(assess(pack2017(), in, &r),
		    level >= 4 ? SEVERITY_SERIOUS : SEVERITY_NORMAL);
		assert_int_equal(held(&r, "system_level"), level >= 4);
		assert_true(held(&r, "impact_service_disruption"));
		assert_true(held(&r, "owner_cannot_handle"));
	}
	in.system_level = 4;
	assess(pack2017(), in, &r);
	assert_string_equal(r.rule_id, "qd05-art9");
	assert_string_equal(r.source, "QĐ 05/2017/QĐ-TTg Art 9");
	assert_string_equal(r.confidence, "H");
	assert_non_null(strstr(r.message_en, "Serious"));
	in.system_level = 3;
	assess(pack2017(), in, &r);
	assert_non_null(strstr(r.message_en, "not at a qualifying level"));
	assert_non_null(strstr(r.message_vi, "thông thường"));
}

static void
test_national_critical(void **state)
{
	struct serious_input in = { .system_level = 0, .national_critical_list = true,
	    .impact_loss_of_control = true, .owner_cannot_handle = true };
	struct serious_result r;

	assert_int_equal(assess(pack2017(), in, &r), SEVERITY_SERIOUS);
	assert_true(held(&r, "national_critical_list"));
	assert_false(held(&r, "system_level"));
	assert_true(held(&r, "impact_loss_of_control"));
	assert_int_equal(r.held_count, 3);
}

static void
test_each_impact(void **state)
{
	static const char *const ids[] = { "impact_service_disruption",
	    "impact_secret_disclosure", "impact_integrity_unrecoverable",
	    "impact_loss_of_control", "impact_wide_spread" };
	struct serious_result r;

	for (int i = 0; i < 5; i++) {
		struct serious_input in = { .system_level = 5, .owner_cannot_handle = true };
		bool *impact[] = { &in.impact_service_disruption,
		    &in.impact_secret_disclosure, &in.impact_integrity_unrecoverable,
		    &in.impact_loss_of_control, &in.impact_wide_spread };

		*impact[i] = true;
		assert_int_equal(assess(pack2017(), in, &r), SEVERITY_SERIOUS);
		assert_true(held(&r, ids[i]));
		assert_int_equal(r.held_count, 3);
	}
	/* No impact: normal, even at level 5 with an owner who cannot cope. */
	struct serious_input none = { .system_level = 5, .owner_cannot_handle = true };
	assert_int_equal(assess(pack2017(), none, &r), SEVERITY_NORMAL);
	assert_non_null(strstr(r.message_en, "none of the impacts"));
}

static void
test_owner_can_handle(void **state)
{
	struct serious_input in = { .system_level = 5, .national_critical_list = true,
	    .impact_service_disruption = true, .impact_secret_disclosure = true,
	    .impact_integrity_unrecoverable = true, .impact_loss_of_control = true,
	    .impact_wide_spread = true, .owner_cannot_handle = false };
	struct serious_result r;

	assert_int_equal(assess(pack2017(), in, &r), SEVERITY_NORMAL);
	assert_false(held(&r, "owner_cannot_handle"));
	assert_int_equal(r.held_count, 7);
	assert_non_null(strstr(r.message_en, "owner can handle"));
}

static void
test_bad_level(void **state)
{
	struct serious_input in = { .system_level = 6 };
	struct serious_result r;
	struct csirt_err err;

	assert_int_equal(serious_assess(pack2017(), &in, &r, &err), CSIRT_EINVAL);
	assert_string_equal(err.field, "system_level");
	in.system_level = -1;
	assert_int_equal(serious_assess(pack2017(), &in, &r, NULL), CSIRT_EINVAL);
}

static void
test_2026_undefined(void **state)
{
	const struct rulepack *p = rulepack_find("vn-2026");
	struct serious_input in = { .system_level = 5, .impact_service_disruption = true,
	    .owner_cannot_handle = true };
	struct serious_result r;

	assert_non_null(p);
	assert_int_equal(assess(p, in, &r), SEVERITY_UNDEFINED);
	assert_int_equal(r.held_count, 0);
	assert_string_equal(r.rule_id, "vn2026-17");
	assert_non_null(strstr(r.message_en, "defines no"));
	assert_non_null(strstr(r.message_vi, "không định nghĩa"));
	assert_string_equal(severity_code(r.result), "undefined");
}

/* A province may configure its own definition in its 2026 pack. */
static void
test_province_definition(void **state)
{
	char *text = mutate(shipped("data/rules/vn-2026.json"),
	    "\"defined\": false,",
	    "\"defined\": true, \"min_level\": 3, \"national_critical_list\": false,"
	    " \"impacts\": [\"service_disruption\"], \"owner_cannot_handle_required\": false,");
	struct rulepack *p = NULL;
	struct serious_input in = { .system_level = 3, .impact_service_disruption = true };
	struct serious_result r;
	struct csirt_err err;

	assert_int_equal(rulepack_parse(text, strlen(text), "province.json", &p, &err), CSIRT_OK);
	assert_int_equal(assess(p, in, &r), SEVERITY_SERIOUS);
	in.impact_service_disruption = false;
	in.impact_loss_of_control = true;	/* not counted by this province */
	assert_int_equal(assess(p, in, &r), SEVERITY_NORMAL);
	in.system_level = 5;
	in.national_critical_list = true;
	in.impact_service_disruption = true;
	assert_int_equal(assess(p, in, &r), SEVERITY_SERIOUS);
	assert_false(held(&r, "national_critical_list"));
	rulepack_free(p);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_levels),
		cmocka_unit_test(test_national_critical),
		cmocka_unit_test(test_each_impact),
		cmocka_unit_test(test_owner_can_handle),
		cmocka_unit_test(test_bad_level),
		cmocka_unit_test(test_2026_undefined),
		cmocka_unit_test(test_province_definition),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
