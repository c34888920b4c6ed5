/*
 * Unit tests for a province's own data loaded at start: rule packs from a
 * folder (added, or replacing a built-in pack of the same id; all or
 * nothing) and a calendar file that adds a year. Own process: these change
 * the process-wide registry.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "csirt/common.h"

#include <stdio.h>
#include <string.h>

#include "csirt/calendar.h"
#include "csirt/deadline.h"
#include "csirt/rulepack.h"

static const char *data_dir;

static void
path_of(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", data_dir, name);
}

static void
test_packs_dir(void **state)
{
	char dir[512];
	struct csirt_err err;
	const struct rulepack *p;

	/* A broken file: error naming it, and nothing added. */
	path_of(dir, sizeof(dir), "packs-bad");
	assert_int_equal(rulepack_load_dir(dir, &err), CSIRT_EPARSE);
	assert_non_null(strstr(err.msg, "b-broken.json: $.rules[0].duration: unknown unit"));
	assert_int_equal(rulepack_builtin_count(), 2);
	assert_null(rulepack_find("test-2030"));
	/* A missing folder is fine. */
	path_of(dir, sizeof(dir), "no-such-folder");
	assert_int_equal(rulepack_load_dir(dir, &err), CSIRT_OK);
	/* A good folder: one pack added, vn-2026 replaced by the province's. */
	assert_false(rulepack_find("vn-2026")->serious.defined);
	path_of(dir, sizeof(dir), "packs-ok");
	assert_int_equal(rulepack_load_dir(dir, &err), CSIRT_OK);
	assert_int_equal(rulepack_builtin_count(), 3);
	p = rulepack_find("vn-2026");
	assert_true(p->serious.defined);
	assert_int_equal(p->serious.min_level, 3);
	assert_string_equal(rulepack_builtin_at(2)->id, "test-2030");
	assert_int_equal(rulepack_for_date(1893456000 /* 2030-01-01 UTC */, &p, NULL), CSIRT_OK);
	assert_string_equal(p->id, "test-2030");
	assert_int_equal(rulepack_for_date(1787202000 /* 2026-08-20 */, &p, NULL), CSIRT_OK);
	assert_string_equal(p->id, "vn-2026");
}

static void
test_calendar_file(void **state)
{
	char path[512];
	struct csirt_err err;
	int64_t out;
	int y, m, d;

	assert_false(calendar_year_known(calendar_builtin(), 2027));
	path_of(path, sizeof(path), "bad-unit.json");
	assert_int_equal(calendar_load_file(path, &err), CSIRT_EPARSE);
	assert_false(calendar_year_known(calendar_builtin(), 2027));	/* unchanged */
	path_of(path, sizeof(path), "none.json");
	assert_int_equal(calendar_load_file(path, &err), CSIRT_ENOTFOUND);
	path_of(path, sizeof(path), "calendar-test-2027.json");
	assert_int_equal(calendar_load_file(path, &err), CSIRT_OK);
	assert_true(calendar_year_known(calendar_builtin(), 2027));
	/* Thu 31/12/2026 is still unknown (2026 stops at 22/11)... */
	assert_int_equal(calendar_add_working_days(calendar_builtin(),
	    calendar_day_from_ymd(2026, 12, 30), 1, &out, NULL), CSIRT_EUNSUPPORTED);
	/* ...but 2027 now counts: Fri 01/01 holiday, Mon 04/01 off -> Tue 05/01. */
	assert_int_equal(calendar_add_working_days(calendar_builtin(),
	    calendar_day_from_ymd(2026, 12, 31), 1, &out, NULL), CSIRT_OK);
	calendar_ymd(out, &y, &m, &d);
	assert_int_equal(y * 10000 + m * 100 + d, 20270105);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_packs_dir),
		cmocka_unit_test(test_calendar_file),
	};

	data_dir = argc > 1 ? argv[1] : "tests/domain/data";
	return cmocka_run_group_tests(tests, NULL, NULL);
}
