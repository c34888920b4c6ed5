/*
 * Unit tests for the obligations engine at fixed dates: interval
 * obligations by level (assessment, scan, drill), a response plan made
 * stale by a change, the dated reports (Form 05, Mẫu 08), the 2026 quy chế
 * and its transition deadline, informational rules, the choice of regime,
 * dossier time limits across Tết, the Quốc khánh swap and an unannounced
 * year, and malformed obligation files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "csirt/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csirt/obligation.h"
#include "domain_test.h"

static int64_t
day(int y, int m, int d)
{
	return calendar_day_from_ymd(y, m, d);
}

static const struct obligation_set *
regime(const char *id)
{
	const struct obligation_set *s = obligation_set_for_day(strcmp(id, "vn-2017") == 0 ?
	    day(2026, 6, 30) : day(2026, 12, 1));

	assert_non_null(s);
	assert_string_equal(s->id, id);
	return s;
}

/* Evaluates and returns the result of the obligation of 'kind'. */
static struct obligation_result
eval(const struct obligation_set *set, enum obligation_scope scope,
    const struct obligation_facts *f, int64_t today, const char *kind)
{
	struct obligation_result r[OBLIGATION_MAX_RULES];
	size_t n = obligation_evaluate(set, scope, f, today, r, OBLIGATION_MAX_RULES);

	for (size_t i = 0; i < n; i++)
		if (strcmp(r[i].rule->kind, kind) == 0)
			return r[i];
	fail_msg("no obligation of kind %s in %s", kind, set->id);
	return r[0];
}

#define ASSERT_STATUS(res, st) assert_string_equal(obligation_status_name((res).status), st)

static void
test_regime_choice(void **state)
{
	(void)state;
	assert_int_equal(obligation_builtin_count(), 2);
	assert_null(obligation_set_for_day(day(2017, 10, 31)));
	assert_string_equal(obligation_set_for_day(day(2017, 11, 1))->id, "vn-2017");
	assert_string_equal(obligation_set_for_day(day(2026, 6, 30))->id, "vn-2017");
	assert_string_equal(obligation_set_for_day(day(2026, 7, 1))->id, "vn-2026");
}

static void
test_scan_interval(void **state)
{
	const struct obligation_set *s = regime("vn-2017");
	struct obligation_facts f;
	struct obligation_result r;

	(void)state;
	obligation_facts_init(&f);
	f.level = 3;
	r = eval(s, OBL_SCOPE_SYSTEM, &f, day(2026, 5, 1), "vuln_scan");
	ASSERT_STATUS(r, "overdue");			/* never scanned */
	assert_true(r.due_day == OBLIGATION_NO_DAY);
	f.last[OA_VULN_SCAN] = day(2026, 1, 10);
	r = eval(s, OBL_SCOPE_SYSTEM, &f, day(2026, 5, 1), "vuln_scan");
	ASSERT_STATUS(r, "done");
	assert_true(r.due_day == day(2026, 7, 10));
	assert_true(r.rests_on_day == day(2026, 1, 10));
	ASSERT_STATUS(eval(s, OBL_SCOPE_SYSTEM, &f, day(2026, 6, 10), "vuln_scan"), "due_soon");
	ASSERT_STATUS(eval(s, OBL_SCOPE_SYSTEM, &f, day(2026, 7, 10), "vuln_scan"), "due_soon");
	ASSERT_STATUS(eval(s, OBL_SCOPE_SYSTEM, &f, day(2026, 7, 11), "vuln_scan"), "overdue");
	/* 31 August + 6 months ends on the last day of February. */
	f.last[OA_VULN_SCAN] = day(2025, 8, 31);
	assert_true(eval(s, OBL_SCOPE_SYSTEM, &f, day(2025, 9, 1), "vuln_scan").due_day ==
	    day(2026, 2, 28));
	f.last[OA_VULN_SCAN] = day(2023, 8, 31);
	assert_true(eval(s, OBL_SCOPE_SYSTEM, &f, day(2023, 9, 1), "vuln_scan").due_day ==
	    day(2024, 2, 29));
}

static void
test_assessment_by_level(void **state)
{
	const struct obligation_set *s = regime("vn-2017");
	struct obligation_facts f;
	struct obligation_result r;

	(void)state;
	obligation_facts_init(&f);
	f.last[OA_ASSESSMENT] = day(2025, 3, 1);
	r = eval(s, OBL_SCOPE_SYSTEM, &f, day(2026, 5, 1), "assessment");
	ASSERT_STATUS(r, "unknown");			/* level 0 */
	f.level = 1;
	r = eval(s, OBL_SCOPE_SYSTEM, &f, day(2026, 5, 1), "assessment");
	ASSERT_STATUS(r, "done");
	assert_true(r.due_day == day(2027, 3, 1));	/* every 2 years */
	f.level = 4;
	r = eval(s, OBL_SCOPE_SYSTEM, &f, day(2026, 5, 1), "assessment");
	ASSERT_STATUS(r, "overdue");
	assert_true(r.due_day == day(2026, 3, 1));	/* yearly */
	f.level = 5;
	assert_true(eval(s, OBL_SCOPE_SYSTEM, &f, day(2025, 4, 1), "assessment").due_day ==
	    day(2025, 9, 1));				/* 6 months */
	assert_string_equal(r.rule->confidence, "H");
	assert_non_null(strstr(r.rule->source, "Art 20.2.c"));
}

static void
test_drill_and_plan(void **state)
{
	const struct obligation_set *s = regime("vn-2017");
	struct obligation_facts f;
	struct obligation_result r;

	(void)state;
	obligation_facts_init(&f);
	ASSERT_STATUS(eval(s, OBL_SCOPE_SYSTEM, &f, day(2026, 5, 1), "drill"), "unknown");
	f.level = 2;
	ASSERT_STATUS(eval(s, OBL_SCOPE_SYSTEM, &f, day(2026, 5, 1), "drill"), "not_applicable");
	f.level = 3;
	ASSERT_STATUS(eval(s, OBL_SCOPE_SYSTEM, &f, day(2026, 5, 1), "drill"), "overdue");
	f.last[OA_DRILL] = day(2025, 11, 1);
	ASSERT_STATUS(eval(s, OBL_SCOPE_SYSTEM, &f, day(2026, 5, 1), "drill"), "done");

	f.last[OA_RESPONSE_PLAN] = day(2026, 1, 5);
	ASSERT_STATUS(eval(s, OBL_SCOPE_SYSTEM, &f, day(2026, 5, 1), "response_plan"), "done");
	f.last[OA_SYSTEM_CHANGE] = day(2026, 3, 2);	/* changed after the review */
	r = eval(s, OBL_SCOPE_SYSTEM, &f, day(2026, 5, 1), "response_plan");
	ASSERT_STATUS(r, "overdue");
	assert_true(r.due_day == day(2026, 3, 2));
	f.last[OA_RESPONSE_PLAN] = day(2026, 3, 20);	/* reviewed again */
	ASSERT_STATUS(eval(s, OBL_SCOPE_SYSTEM, &f, day(2026, 5, 1), "response_plan"), "done");
}

static void
test_level_approval(void **state)
{
	const struct obligation_set *s = regime("vn-2017");
	struct obligation_facts f;
	struct obligation_result r;

	(void)state;
	obligation_facts_init(&f);
	r = eval(s, OBL_SCOPE_SYSTEM, &f, day(2024, 9, 1), "level_approval");
	ASSERT_STATUS(r, "due_soon");			/* CT 09: by 30/09/2024 */
	ASSERT_STATUS(eval(s, OBL_SCOPE_SYSTEM, &f, day(2024, 6, 1), "level_approval"), "pending");
	r = eval(s, OBL_SCOPE_SYSTEM, &f, day(2026, 5, 1), "level_approval");
	ASSERT_STATUS(r, "overdue");
	assert_true(r.due_day == day(2024, 9, 30));
	f.level = 2;					/* approved, date unknown */
	ASSERT_STATUS(eval(s, OBL_SCOPE_SYSTEM, &f, day(2026, 5, 1), "level_approval"), "done");
}

static void
test_form05_dates(void **state)
{
	const struct obligation_set *s = regime("vn-2017");
	struct obligation_facts f;
	struct obligation_result r;

	(void)state;
	obligation_facts_init(&f);
	r = eval(s, OBL_SCOPE_ORG, &f, day(2026, 3, 1), "form05");
	ASSERT_STATUS(r, "overdue");			/* never sent: missed 14/12 */
	assert_true(r.due_day == day(2025, 12, 14));
	f.last[OA_FORM05] = day(2025, 12, 10);
	r = eval(s, OBL_SCOPE_ORG, &f, day(2026, 3, 1), "form05");
	ASSERT_STATUS(r, "done");			/* December's was on time */
	assert_true(r.due_day == day(2026, 6, 19));	/* "before 20 June" */
	ASSERT_STATUS(eval(s, OBL_SCOPE_ORG, &f, day(2026, 5, 25), "form05"), "due_soon");
	ASSERT_STATUS(eval(s, OBL_SCOPE_ORG, &f, day(2026, 6, 19), "form05"), "due_soon");
	ASSERT_STATUS(eval(s, OBL_SCOPE_ORG, &f, day(2026, 6, 20), "form05"), "overdue");
	f.last[OA_FORM05] = day(2026, 6, 1);
	r = eval(s, OBL_SCOPE_ORG, &f, day(2026, 6, 10), "form05");
	ASSERT_STATUS(r, "done");
	assert_true(r.due_day == day(2026, 6, 19));
	/* Sent in June, now in early December: the December one is due soon. */
	r = eval(s, OBL_SCOPE_ORG, &f, day(2026, 12, 1), "form05");
	ASSERT_STATUS(r, "due_soon");
	assert_true(r.due_day == day(2026, 12, 14));
}

static void
test_2026_regime(void **state)
{
	const struct obligation_set *s = regime("vn-2026");
	struct obligation_facts f;
	struct obligation_result r;

	(void)state;
	obligation_facts_init(&f);
	/* Quy chế: before approval; for systems approved earlier, transition. */
	r = eval(s, OBL_SCOPE_SYSTEM, &f, day(2026, 9, 1), "regulation");
	ASSERT_STATUS(r, "pending");
	f.level = 3;
	f.first_approval = f.last[OA_LEVEL_APPROVAL] = day(2025, 5, 1);
	r = eval(s, OBL_SCOPE_SYSTEM, &f, day(2026, 9, 1), "regulation");
	ASSERT_STATUS(r, "pending");
	assert_true(r.due_day == day(2027, 6, 30));
	ASSERT_STATUS(eval(s, OBL_SCOPE_SYSTEM, &f, day(2027, 6, 10), "regulation"), "due_soon");
	ASSERT_STATUS(eval(s, OBL_SCOPE_SYSTEM, &f, day(2027, 7, 1), "regulation"), "overdue");
	f.last[OA_REGULATION] = day(2026, 10, 1);
	r = eval(s, OBL_SCOPE_SYSTEM, &f, day(2026, 11, 1), "regulation");
	ASSERT_STATUS(r, "done");
	assert_non_null(strstr(r.reason, "after the level approval"));
	assert_string_equal(r.rule->confidence, "MH");

	/* Scan intervals by level (TCVN, confidence M). */
	f.last[OA_VULN_SCAN] = day(2026, 7, 15);
	f.level = 1;
	r = eval(s, OBL_SCOPE_SYSTEM, &f, day(2026, 8, 1), "vuln_scan");
	assert_true(r.due_day == day(2027, 7, 15));
	assert_string_equal(r.rule->confidence, "M");
	f.level = 5;
	assert_true(eval(s, OBL_SCOPE_SYSTEM, &f, day(2026, 8, 1), "vuln_scan").due_day ==
	    day(2026, 10, 15));
	ASSERT_STATUS(eval(s, OBL_SCOPE_SYSTEM, &f, day(2026, 8, 1), "assessment"), "unknown");
}

static void
test_2026_annual_report(void **state)
{
	const struct obligation_set *s = regime("vn-2026");
	struct obligation_facts f;
	struct obligation_result r;

	(void)state;
	obligation_facts_init(&f);
	f.last[OA_ANNUAL_REPORT] = day(2025, 12, 18);
	f.last[OA_ANNUAL_REPORT_MPS] = day(2025, 12, 23);
	ASSERT_STATUS(eval(s, OBL_SCOPE_ORG, &f, day(2026, 12, 22), "annual_report_mps"),
	    "not_applicable");				/* owns no system */
	f.owns_systems = true;
	r = eval(s, OBL_SCOPE_ORG, &f, day(2026, 12, 22), "annual_report_mps");
	ASSERT_STATUS(r, "due_soon");
	assert_true(r.due_day == day(2026, 12, 24));	/* "before 25/12" */
	r = eval(s, OBL_SCOPE_ORG, &f, day(2026, 12, 22), "annual_report");
	ASSERT_STATUS(r, "overdue");			/* before 20/12 was missed */
	assert_true(r.due_day == day(2026, 12, 19));
	f.last[OA_ANNUAL_REPORT] = day(2026, 12, 16);
	ASSERT_STATUS(eval(s, OBL_SCOPE_ORG, &f, day(2026, 12, 22), "annual_report"), "done");
	r = eval(s, OBL_SCOPE_ORG, &f, day(2026, 12, 22), "budget_share");
	ASSERT_STATUS(r, "unknown");
	assert_true(r.rule->schedule == OBL_INFORMATIONAL);
	ASSERT_STATUS(eval(s, OBL_SCOPE_ORG, &f, day(2026, 12, 22), "contact_point"), "overdue");
	/* Never sent: the deadline of 2025 was before NĐ 331 took effect
	 * ("since"), so only the coming one counts; a year later the missed
	 * one does. */
	f.last[OA_ANNUAL_REPORT_MPS] = OBLIGATION_NO_DAY;
	ASSERT_STATUS(eval(s, OBL_SCOPE_ORG, &f, day(2026, 12, 1), "annual_report_mps"), "due_soon");
	ASSERT_STATUS(eval(s, OBL_SCOPE_ORG, &f, day(2027, 3, 1), "annual_report_mps"), "overdue");
	f.last[OA_CONTACT_POINT] = day(2022, 11, 1);
	ASSERT_STATUS(eval(s, OBL_SCOPE_ORG, &f, day(2026, 12, 22), "contact_point"), "done");
}

static void
test_dossier_limits(void **state)
{
	const struct obligation_set *s17 = regime("vn-2017"), *s26 = regime("vn-2026");
	struct csirt_err err;
	int64_t due = 0;

	(void)state;
	/* 5 working days from Friday 13/02/2026 step over Tết (16-20/02). */
	assert_int_equal(obligation_dossier_due(s26, NULL, DOSSIER_VALIDITY_CHECK, 3,
	    day(2026, 2, 13), &due, &err), CSIRT_OK);
	assert_true(due == day(2026, 2, 27));
	/* 7 working days from 27/08/2026 step over the swapped Monday 31/08
	 * and Quốc khánh (01-02/09). */
	assert_int_equal(obligation_dossier_due(s26, NULL, DOSSIER_APPROVAL, 4,
	    day(2026, 8, 27), &due, &err), CSIRT_OK);
	assert_true(due == day(2026, 9, 10));
	/* 2017: level 3 appraisal in calendar days (ND 85 Art 16.2). */
	assert_int_equal(obligation_dossier_due(s17, NULL, DOSSIER_APPRAISAL, 3,
	    day(2026, 2, 13), &due, &err), CSIRT_OK);
	assert_true(due == day(2026, 2, 28));
	/* The calendar data knows 2026 only up to 22/11 (a swap of 23/11 was
	 * proposed, not decided): 5 working days from Monday 16/11 reach the
	 * unknown days, and 25 from 01/12 reach 2027; both say so. */
	assert_int_equal(obligation_dossier_due(s26, NULL, DOSSIER_VALIDITY_CHECK, 3,
	    day(2026, 11, 16), &due, &err), CSIRT_EUNSUPPORTED);
	if (strstr(err.msg, "2026-11-23") == NULL)
		fail_msg("%s", err.msg);
	assert_int_equal(obligation_dossier_due(s26, NULL, DOSSIER_APPRAISAL, 4,
	    day(2026, 12, 1), &due, &err), CSIRT_EUNSUPPORTED);
	/* 2025 is announced: 25 working days from 01/12/2025 pass New Year
	 * (01/01) and the swapped Friday 02/01/2026: 22 in December, then 5, 6, 7. */
	assert_int_equal(obligation_dossier_due(s26, NULL, DOSSIER_APPRAISAL, 4,
	    day(2025, 12, 1), &due, &err), CSIRT_OK);
	assert_true(due == day(2026, 1, 7));
	assert_int_equal(obligation_dossier_due(s26, NULL, DOSSIER_APPRAISAL, 2,
	    day(2026, 12, 1), &due, &err), CSIRT_ENOTFOUND);
	assert_int_equal(obligation_dossier_due(s26, NULL, DOSSIER_APPRAISAL, 6,
	    day(2026, 12, 1), &due, &err), CSIRT_EINVAL);
}

static void
test_dossier_procedure(void **state)
{
	const struct obligation_set *s17 = regime("vn-2017"), *s26 = regime("vn-2026");

	(void)state;
	assert_true(dossier_transition_allowed(DS_DRAFT, DS_SUBMITTED));
	assert_false(dossier_transition_allowed(DS_DRAFT, DS_APPROVED));
	assert_false(dossier_transition_allowed(DS_SUBMITTED, DS_APPRAISAL));	/* check first */
	assert_true(dossier_transition_allowed(DS_VALIDITY_CHECK, DS_RETURNED));
	assert_true(dossier_transition_allowed(DS_APPRAISAL, DS_APPROVAL));
	assert_true(dossier_transition_allowed(DS_APPROVAL, DS_APPROVED));
	assert_true(dossier_transition_allowed(DS_RETURNED, DS_DRAFT));
	for (int to = 0; to < DS_STATE_COUNT; to++)
		assert_false(dossier_transition_allowed(DS_APPROVED, (enum dossier_state)to));
	assert_int_equal(dossier_state_from_name("validity_check"), DS_VALIDITY_CHECK);
	assert_int_equal(dossier_state_from_name("valid"), -1);
	assert_int_equal(dossier_state_step(DS_SUBMITTED), DOSSIER_VALIDITY_CHECK);
	assert_int_equal(dossier_state_step(DS_DRAFT), -1);
	/* Who appraises level 4 changed with the regime (NĐ 331 Art 18.3). */
	assert_non_null(strstr(s17->appraiser[4].en, "Information and Communications"));
	assert_non_null(strstr(s26->appraiser[4].en, "Public Security"));
	assert_non_null(strstr(s26->approver[3].en, "owner"));
}

static void
expect_bad(const char *from, const char *to, const char *msg)
{
	char *text = mutate(shipped("data/obligations/vn-2017.json"), from, to);
	struct obligation_set *set = NULL;
	struct csirt_err err;

	assert_int_equal(obligation_set_parse(text, strlen(text), "x.json", &set, &err) !=
	    CSIRT_OK, 1);
	assert_null(set);
	if (strstr(err.msg, msg) == NULL)
		fail_msg("expected '%s' in: %s", msg, err.msg);
	free(text);
}

static void
test_bad_files(void **state)
{
	struct obligation_set *set = NULL;
	struct csirt_err err;
	const char *ok = shipped("data/obligations/vn-2026.json");

	(void)state;
	assert_int_equal(obligation_set_parse(ok, strlen(ok), "vn-2026.json", &set, &err),
	    CSIRT_OK);
	obligation_set_free(set);
	expect_bad("\"schedule\": \"interval\"", "\"schedule\": \"sometimes\"", "unknown schedule");
	expect_bad("\"months\": [0, 24", "\"months\": [0, 240", "from 0 to 120");
	expect_bad("\"months\": [0, 24, 24, 12, 12, 6]", "\"months\": [24, 12, 12, 6]",
	    "six intervals");
	expect_bad("\"before\": [\"06-20\", \"12-15\"]", "\"before\": [\"12-15\", \"06-20\"]",
	    "in order");
	expect_bad("\"before\": [\"06-20\"", "\"before\": [\"02-30\"", "MM-DD");
	expect_bad("\"activity\": \"drill\"", "\"activity\": \"party\"", "unknown activity");
	expect_bad("\"min_level\": 3", "\"min_levle\": 3", "min_levle");
	expect_bad("\"lead_days\": 30", "\"lead_days\": 0", "lead_days");
	expect_bad("{\"unit\": \"none\"}", "{\"unit\": \"none\", \"value\": 3}", "no value");
	expect_bad("\"id\": \"vn2017-ob-assessment\"", "\"id\": \"vn2017-ob-level-approval\"",
	    "duplicate");
	assert_int_not_equal(obligation_set_parse("{", 1, "x.json", &set, &err), CSIRT_OK);
	assert_int_not_equal(obligation_set_parse("", 0, "x.json", &set, &err), CSIRT_OK);
}

/* The security share of IT budgets is data of each set (budget.c checks
 * every line against both). */
static void
test_budget_share(void **state)
{
	const struct obligation_set *a = regime("vn-2017"), *b = regime("vn-2026");

	(void)state;
	assert_true(a->has_budget && b->has_budget);
	assert_int_equal(a->budget_percent, 10);
	assert_int_equal(b->budget_percent, 15);
	assert_non_null(strstr(a->budget_source, "14/CT-TTg"));
	assert_non_null(strstr(b->budget_source, "Art 38"));
	assert_string_equal(b->budget_rule, "vn2026-budget-share");
	assert_int_equal(obligation_builtin_count() >= 2, 1);
	assert_ptr_equal(obligation_builtin_at(0), a);
	assert_null(obligation_builtin_at(obligation_builtin_count()));
	expect_bad("\"required_percent\": 10", "\"required_percent\": 0", "required_percent");
	expect_bad("\"required_percent\": 10", "\"required_percent\": \"10\"", "required_percent");
	expect_bad("\"required_percent\": 10", "\"required_share\": 10", "required_share");
	expect_bad("\"rule\": \"vn2017-budget-share\"", "\"rule\": \"Budget Share\"", "rule");
}

static void
test_json(void **state)
{
	const struct obligation_set *s = regime("vn-2026");
	struct obligation_facts f;
	struct obligation_result r;
	json_t *j;

	(void)state;
	obligation_facts_init(&f);
	f.level = 3;
	f.last[OA_DRILL] = day(2026, 1, 2);
	r = eval(s, OBL_SCOPE_SYSTEM, &f, day(2026, 9, 1), "drill");
	j = obligation_result_to_json(&r, "vi");
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "done");
	assert_string_equal(json_string_value(json_object_get(j, "due_on")), "2027-01-02");
	assert_string_equal(json_string_value(json_object_get(j, "rests_on_date")), "2026-01-02");
	assert_string_equal(json_string_value(json_object_get(j, "rests_on")), "drill");
	assert_string_equal(json_string_value(json_object_get(j, "regime")), "vn-2026");
	assert_string_equal(json_string_value(json_object_get(j, "label")),
	    "Diễn tập ứng cứu sự cố");
	json_decref(j);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_regime_choice),
		cmocka_unit_test(test_scan_interval),
		cmocka_unit_test(test_assessment_by_level),
		cmocka_unit_test(test_drill_and_plan),
		cmocka_unit_test(test_level_approval),
		cmocka_unit_test(test_form05_dates),
		cmocka_unit_test(test_2026_regime),
		cmocka_unit_test(test_2026_annual_report),
		cmocka_unit_test(test_dossier_limits),
		cmocka_unit_test(test_budget_share),
		cmocka_unit_test(test_dossier_procedure),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
