/*
 * Unit tests for the procedure of TT 20/2017 Art 11: every (from, to) pair
 * under every combination of facts, against a table written out here by
 * hand from the article, plus codes, names and messages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "csirt/common.h"

#include <string.h>

#include "csirt/procedure.h"

/* The allowed moves, each with the facts it needs ('-' = none). */
static const struct {
	const char *from, *to;
	char needs;	/* '-' always, 'S' stable, 'U' unstable, 'C' closure report */
} edges[] = {
	{ "1a", "1b", '-' }, { "1b", "1c", '-' }, { "1c", "1d", '-' },
	{ "1c", "1dd", '-' }, { "1d", "1dd", '-' }, { "1dd", "1e", '-' },
	{ "1e", "2", '-' }, { "2", "3a", '-' }, { "3a", "3b", '-' },
	{ "3b", "3c", '-' }, { "3c", "2", 'U' }, { "3c", "4", 'S' },
	{ "4", "closed", 'C' },
};

static bool
expected(enum incident_step from, enum incident_step to,
    const struct procedure_ctx *ctx)
{
	for (size_t i = 0; i < ARRAY_SIZE(edges); i++) {
		if (strcmp(edges[i].from, procedure_step_code(from)) != 0 ||
		    strcmp(edges[i].to, procedure_step_code(to)) != 0)
			continue;
		switch (edges[i].needs) {
		case 'S': return ctx->system_stable;
		case 'U': return !ctx->system_stable;
		case 'C': return ctx->closure_report_complete;
		default: return true;
		}
	}
	return false;
}

static void
test_every_pair(void **state)
{
	size_t allowed_total = 0;

	for (int c = 0; c < 4; c++) {
		struct procedure_ctx ctx = { .closure_report_complete = c & 1,
		    .system_stable = (c >> 1) & 1 };

		for (int f = 0; f < STEP_COUNT; f++) {
			enum incident_step next[STEP_COUNT];
			size_t n = procedure_next_steps(f, &ctx, next, STEP_COUNT);
			size_t want = 0;

			for (int t = 0; t < STEP_COUNT; t++) {
				struct csirt_err err = { 0 };
				enum csirt_rc rc = procedure_check(f, t, &ctx, &err);

				if (expected(f, t, &ctx)) {
					assert_int_equal(rc, CSIRT_OK);
					assert_true(want < n);
					assert_int_equal(next[want], t);
					want++;
					allowed_total++;
				} else {
					assert_int_equal(rc, CSIRT_ECONFLICT);
					assert_int_equal(err.rc, CSIRT_ECONFLICT);
					/* the message names the target step */
					assert_non_null(strstr(err.msg, procedure_step_label(t)));
				}
			}
			assert_int_equal(n, want);
		}
	}
	/* 10 plain edges in each of 4 contexts + 3c->2 twice + 3c->4 twice + 4->closed twice */
	assert_int_equal(allowed_total, 4 * 10 + 2 + 2 + 2);
}

static void
test_loop_and_closure(void **state)
{
	struct procedure_ctx unstable = { .system_stable = false };
	struct procedure_ctx stable = { .system_stable = true };
	struct procedure_ctx closable = { .closure_report_complete = true };
	struct csirt_err err;

	/* 3c loops back to 2 until the system is stable, then goes to 4. */
	assert_int_equal(procedure_check(STEP_3C, STEP_2, &unstable, NULL), CSIRT_OK);
	assert_int_equal(procedure_check(STEP_3C, STEP_4, &unstable, &err), CSIRT_ECONFLICT);
	assert_non_null(strstr(err.msg, "not stable"));
	assert_int_equal(procedure_check(STEP_3C, STEP_4, &stable, NULL), CSIRT_OK);
	assert_int_equal(procedure_check(STEP_3C, STEP_2, &stable, &err), CSIRT_ECONFLICT);
	assert_non_null(strstr(err.msg, "stable"));
	/* A second lap: 2 -> 3a -> 3b -> 3c works again. */
	assert_int_equal(procedure_check(STEP_2, STEP_3A, NULL, NULL), CSIRT_OK);
	/* Closing needs Form 04. */
	assert_int_equal(procedure_check(STEP_4, STEP_CLOSED, NULL, &err), CSIRT_ECONFLICT);
	assert_non_null(strstr(err.msg, "Form 04"));
	assert_string_equal(err.field, "step");
	assert_int_equal(procedure_check(STEP_4, STEP_CLOSED, &closable, NULL), CSIRT_OK);
	/* Nothing leaves closed; nothing stays in place. */
	assert_int_equal(procedure_check(STEP_CLOSED, STEP_1A, &closable, &err), CSIRT_ECONFLICT);
	assert_non_null(strstr(err.msg, "closed"));
	assert_int_equal(procedure_check(STEP_2, STEP_2, NULL, &err), CSIRT_ECONFLICT);
	assert_non_null(strstr(err.msg, "already at step 2"));
	/* A skip names both steps. */
	assert_int_equal(procedure_check(STEP_1A, STEP_2, NULL, &err), CSIRT_ECONFLICT);
	assert_non_null(strstr(err.msg, "from step 1a (Receive and verify) to step 2"));
	/* Out of range */
	assert_int_equal(procedure_check(STEP_COUNT, STEP_1A, NULL, NULL), CSIRT_EINVAL);
	assert_int_equal(procedure_check(STEP_1A, (enum incident_step)-1, NULL, NULL), CSIRT_EINVAL);
	assert_int_equal(procedure_next_steps(STEP_COUNT, NULL, NULL, 0), 0);
	/* NULL ctx: not stable, no closure report. */
	assert_int_equal(procedure_next_steps(STEP_4, NULL, NULL, 0), 0);
	assert_int_equal(procedure_next_steps(STEP_1C, NULL, NULL, 0), 2);
}

static void
test_codes_and_names(void **state)
{
	static const char *const codes[STEP_COUNT] = { "1a", "1b", "1c", "1d",
	    "1dd", "1e", "2", "3a", "3b", "3c", "4", "closed" };
	enum incident_step s;

	for (int i = 0; i < STEP_COUNT; i++) {
		assert_string_equal(procedure_step_code(i), codes[i]);
		assert_int_equal(procedure_step_parse(codes[i], &s), CSIRT_OK);
		assert_int_equal(s, i);
		assert_non_null(procedure_step_name(i, "vi"));
		assert_non_null(procedure_step_name(i, "en"));
	}
	assert_int_equal(procedure_step_parse("1đ", &s), CSIRT_OK);
	assert_int_equal(s, STEP_1DD);
	assert_string_equal(procedure_step_label(STEP_1DD), "1đ");
	assert_int_equal(procedure_step_parse("1f", &s), CSIRT_EINVAL);
	assert_int_equal(procedure_step_parse("", &s), CSIRT_EINVAL);
	assert_int_equal(procedure_step_parse("1A", &s), CSIRT_EINVAL);
	assert_int_equal(procedure_step_parse(NULL, &s), CSIRT_EINVAL);
	/* GLOSSARY.md wording */
	assert_string_equal(procedure_step_name(STEP_1A, "vi"), "Tiếp nhận, xác minh sự cố");
	assert_string_equal(procedure_step_name(STEP_1D, "vi"), "Chỉ đạo xử lý sự cố (nếu cần)");
	assert_string_equal(procedure_step_name(STEP_1DD, "vi"), "Báo cáo sự cố");
	assert_string_equal(procedure_step_name(STEP_2, "vi"),
	    "Triển khai ứng cứu, ngăn chặn và xử lý sự cố");
	assert_string_equal(procedure_step_name(STEP_3C, "en"), "Test and assess the system");
	assert_string_equal(procedure_step_name(STEP_4, "en"), "Review and lessons learned");
	assert_null(procedure_step_name(STEP_COUNT, "en"));
	assert_null(procedure_step_code(STEP_COUNT));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_pair),
		cmocka_unit_test(test_loop_and_closure),
		cmocka_unit_test(test_codes_and_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
