/*
 * Unit tests for the calendar (Vietnam's working days) and the deadline
 * calculus: hours, calendar days, working days across Tết, 30/4-1/5 and a
 * swapped Saturday, an unannounced year, and the rules of both packs.
 * All times are written with an explicit offset or as Vietnam time.
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
#include <time.h>

#include "csirt/calendar.h"
#include "csirt/deadline.h"
#include "csirt/rulepack.h"
#include "domain_test.h"

static const char *data_dir;

static int64_t
at(const char *iso)
{
	int64_t t;

	if (time_parse_iso(iso, &t) != CSIRT_OK)
		fail_msg("bad time in test: %s", iso);
	return t;
}

static int64_t
day(int y, int m, int d)
{
	return calendar_day_from_ymd(y, m, d);
}

static enum day_kind
kind(int y, int m, int d)
{
	enum day_kind k;

	assert_int_equal(calendar_day_kind(calendar_builtin(), day(y, m, d), &k), CSIRT_OK);
	return k;
}

static void
test_day_numbers(void **state)
{
	int y, m, d;
	char s[32];

	assert_int_equal(day(1970, 1, 1), 0);
	calendar_ymd(day(2026, 2, 17), &y, &m, &d);
	assert_int_equal(y * 10000 + m * 100 + d, 20260217);
	/* 23:30 in Vietnam is still the same day; 00:30 the next. */
	assert_int_equal(calendar_day_of(at("2026-02-16T23:30")), day(2026, 2, 16));
	assert_int_equal(calendar_day_of(at("2026-02-16T17:30:00Z")), day(2026, 2, 17));
	assert_int_equal(calendar_day_start(day(2026, 7, 1)), at("2026-07-01T00:00"));
	calendar_format_vn(at("2026-08-20T03:00:00Z"), s);
	assert_string_equal(s, "2026-08-20T10:00:00+07:00");
	for (int64_t k = -800000; k < 800000; k += 997) {
		calendar_ymd(k, &y, &m, &d);
		assert_int_equal(calendar_day_from_ymd(y, m, d), k);
	}
}

static void
test_kinds(void **state)
{
	const struct calendar *cal = calendar_builtin();
	enum day_kind k;

	assert_non_null(cal);
	assert_int_equal(kind(2026, 2, 17), DAY_HOLIDAY);		/* mùng 1 Tết */
	assert_int_equal(kind(2026, 2, 23), DAY_WORKING);
	assert_int_equal(kind(2026, 2, 21), DAY_WEEKEND);
	assert_int_equal(kind(2024, 2, 13), DAY_COMPENSATORY);
	assert_int_equal(kind(2025, 4, 26), DAY_SWAPPED_WORKING);	/* a Saturday */
	assert_int_equal(kind(2025, 5, 2), DAY_SWAPPED_OFF);
	assert_int_equal(kind(2026, 4, 27), DAY_COMPENSATORY);
	assert_int_equal(kind(2026, 8, 22), DAY_SWAPPED_WORKING);
	assert_int_equal(kind(2026, 11, 20), DAY_WORKING);
	assert_string_equal(calendar_day_kind_name(DAY_SWAPPED_WORKING), "swapped_working");
	/* 2027 is not announced; 2026 is known only to 22/11. */
	assert_false(calendar_year_known(cal, 2027));
	assert_true(calendar_year_known(cal, 2026));
	assert_int_equal(calendar_day_kind(cal, day(2027, 3, 1), &k), CSIRT_EUNSUPPORTED);
	assert_int_equal(calendar_day_kind(cal, day(2023, 3, 1), &k), CSIRT_EUNSUPPORTED);
	assert_int_equal(calendar_day_kind(cal, day(2026, 11, 23), &k), CSIRT_EUNSUPPORTED);
	assert_int_equal(calendar_day_kind(NULL, day(2026, 1, 5), &k), CSIRT_EUNSUPPORTED);
}

/* The n-th working day after y-m-d, as yyyymmdd, or 0 when unknown. */
static int
wd(int y, int m, int d, int n)
{
	int64_t out;
	int yy, mm, dd;

	if (calendar_add_working_days(calendar_builtin(), day(y, m, d), n, &out, NULL) != CSIRT_OK)
		return 0;
	calendar_ymd(out, &yy, &mm, &dd);
	return yy * 10000 + mm * 100 + dd;
}

static void
test_working_days(void **state)
{
	struct csirt_err err;
	int64_t out;

	/* Tết 2026: Fri 13/02, then the break 14/02-22/02. */
	assert_int_equal(wd(2026, 2, 13, 1), 20260223);
	assert_int_equal(wd(2026, 2, 13, 5), 20260227);
	/* Tết 2024 with the make-up days 13-14/02. */
	assert_int_equal(wd(2024, 2, 7, 1), 20240215);
	/* 30/4-1/5 2025 with the Saturday 26/04 made a working day. */
	assert_int_equal(wd(2025, 4, 24, 1), 20250425);
	assert_int_equal(wd(2025, 4, 24, 2), 20250426);	/* the swapped Saturday */
	assert_int_equal(wd(2025, 4, 24, 3), 20250428);
	assert_int_equal(wd(2025, 4, 29, 1), 20250505);	/* 30/4, 1/5, 2/5 (swapped) off */
	/* 30/4-1/5 2024: Mon 29/04 swapped off, Sat 04/05 worked. */
	assert_int_equal(wd(2024, 4, 26, 1), 20240502);
	assert_int_equal(wd(2024, 5, 3, 1), 20240504);
	/* Hùng Kings 2026 falls on a Sunday: make-up Monday 27/04. */
	assert_int_equal(wd(2026, 4, 24, 1), 20260428);
	/* Across a year end into a known year. */
	assert_int_equal(wd(2024, 12, 31, 1), 20250102);
	/* Into an unannounced year, or the undecided end of 2026: unknown. */
	assert_int_equal(wd(2026, 11, 20, 1), 0);
	assert_int_equal(wd(2026, 11, 18, 1), 20261119);
	assert_int_equal(calendar_add_working_days(calendar_builtin(), day(2027, 1, 4), 1, &out, &err),
	    CSIRT_EUNSUPPORTED);
	assert_non_null(strstr(err.msg, "2027-01-05"));
	assert_non_null(strstr(err.msg, "not announced"));
	assert_int_equal(calendar_add_working_days(calendar_builtin(), day(2025, 1, 1), 0, &out, NULL),
	    CSIRT_EINVAL);
	assert_int_equal(calendar_add_working_days(calendar_builtin(), day(2025, 1, 1), 3651, &out, NULL),
	    CSIRT_EINVAL);
}

static void
test_due_units(void **state)
{
	int64_t due;
	char s[32];

	assert_int_equal(deadline_due(NULL, UNIT_HOURS, 72, at("2026-08-20T10:00"), &due, NULL), CSIRT_OK);
	assert_int_equal(due, at("2026-08-23T10:00"));
	assert_int_equal(deadline_due(NULL, UNIT_IMMEDIATE, 0, at("2026-08-20T10:00"), &due, NULL), CSIRT_OK);
	assert_int_equal(due, at("2026-08-20T10:00"));
	/* 5 calendar days: the day of detection is not counted; ends at 24:00. */
	assert_int_equal(deadline_due(NULL, UNIT_CALENDAR_DAYS, 5, at("2025-02-20T10:00"), &due, NULL), CSIRT_OK);
	calendar_format_vn(due, s);
	assert_string_equal(s, "2025-02-25T23:59:59+07:00");
	/* Detected 23:30 Vietnam time (16:30 UTC) still counts from that day... */
	assert_int_equal(deadline_due(NULL, UNIT_CALENDAR_DAYS, 5, at("2025-02-20T16:30:00Z"), &due, NULL), CSIRT_OK);
	assert_int_equal(due, at("2025-02-25T23:59:59"));
	/* ...and 00:30 Vietnam time (17:30 UTC the day before) from the next. */
	assert_int_equal(deadline_due(NULL, UNIT_CALENDAR_DAYS, 5, at("2025-02-20T17:30:00Z"), &due, NULL), CSIRT_OK);
	assert_int_equal(due, at("2025-02-26T23:59:59"));
	/* Calendar days run through Tết without stopping. */
	assert_int_equal(deadline_due(NULL, UNIT_CALENDAR_DAYS, 5, at("2026-02-13T09:00"), &due, NULL), CSIRT_OK);
	assert_int_equal(due, at("2026-02-18T23:59:59"));
	/* Working days do not. */
	assert_int_equal(deadline_due(calendar_builtin(), UNIT_WORKING_DAYS, 5, at("2026-02-13T09:00"), &due, NULL), CSIRT_OK);
	assert_int_equal(due, at("2026-02-27T23:59:59"));
	assert_int_equal(deadline_due(NULL, UNIT_NONE, 0, at("2026-02-13T09:00"), &due, NULL), CSIRT_ENOTFOUND);
}

/* The host's time zone must not matter: compute in UTC+7 ourselves. */
static void
test_host_tz_ignored(void **state)
{
	int64_t due;

	setenv("TZ", "America/Los_Angeles", 1);
	tzset();
	assert_int_equal(deadline_due(NULL, UNIT_CALENDAR_DAYS, 5, at("2025-02-20T16:30:00Z"), &due, NULL), CSIRT_OK);
	assert_int_equal(due, at("2025-02-25T23:59:59+07:00"));
	setenv("TZ", "UTC", 1);
	tzset();
}

static const struct deadline *
find(const struct deadline *dl, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(dl[i].rule->id, id) == 0)
			return &dl[i];
	return NULL;
}

static void
test_vn2017(void **state)
{
	const struct rulepack *p = rulepack_find("vn-2017");
	struct deadline_facts f = { .detected_at = at("2025-04-28T15:00"),
	    .severity = SEVERITY_NORMAL };
	struct deadline dl[16];
	const struct deadline *d;
	size_t n;

	assert_int_equal(deadline_compute(p, NULL, &f, dl, 16, &n, NULL), CSIRT_OK);
	/* Normal incident within capacity: notify, update (pending). */
	assert_int_equal(n, 2);
	d = find(dl, n, "vn2017-notify");
	assert_int_equal(d->status, DEADLINE_DUE);
	assert_int_equal(d->due_at, at("2025-05-03T23:59:59"));	/* calendar days: through 30/4-1/5 */
	assert_ptr_equal(d->pack, p);
	d = find(dl, n, "vn2017-notify-update");
	assert_int_equal(d->status, DEADLINE_PENDING);
	assert_non_null(strstr(d->reason, "response_ended_at"));

	f.beyond_capacity = true;
	f.response_ended_at = at("2025-05-10T08:00");
	f.received_at = at("2025-04-28T15:05");
	f.contact_changed_at = at("2025-04-29T09:00");
	f.severity = SEVERITY_SERIOUS;
	assert_int_equal(deadline_compute(p, NULL, &f, dl, 16, &n, NULL), CSIRT_OK);
	assert_int_equal(n, 7);
	d = find(dl, n, "vn2017-initial-report");
	assert_int_equal(d->status, DEADLINE_IMMEDIATE);
	assert_int_equal(d->due_at, f.detected_at);
	d = find(dl, n, "vn2017-closure-report");
	assert_int_equal(d->due_at, at("2025-05-15T23:59:59"));
	d = find(dl, n, "vn2017-acknowledge");
	assert_int_equal(d->due_at, f.received_at);
	d = find(dl, n, "vn2017-contact-change");
	assert_int_equal(d->due_at, at("2025-04-30T09:00"));
	assert_non_null(find(dl, n, "vn2017-serious-escalation"));
	/* 'max' smaller than the list: count still says how many apply. */
	assert_int_equal(deadline_compute(p, NULL, &f, dl, 2, &n, NULL), CSIRT_OK);
	assert_int_equal(n, 7);
}

static void
test_vn2026(void **state)
{
	const struct rulepack *p = rulepack_find("vn-2026");
	struct deadline_facts f = { .detected_at = at("2026-08-20T10:00"),
	    .severity = SEVERITY_UNDEFINED };
	struct deadline dl[16];
	const struct deadline *d;
	size_t n;
	json_t *j;

	assert_int_equal(deadline_compute(p, NULL, &f, dl, 16, &n, NULL), CSIRT_OK);
	d = find(dl, n, "vn2026-06");
	assert_int_equal(d->status, DEADLINE_DUE);
	assert_int_equal(d->due_at, at("2026-08-23T10:00"));
	/* "Serious" is undefined in 2026: the 24 h rule says so. */
	d = find(dl, n, "vn2026-07");
	assert_int_equal(d->status, DEADLINE_UNDEFINED);
	assert_non_null(strstr(d->reason, "defines none"));
	assert_null(find(dl, n, "vn2026-08"));
	assert_null(find(dl, n, "vn2026-15"));
	d = find(dl, n, "vn2026-13");
	assert_int_equal(d->status, DEADLINE_NO_LIMIT);

	j = deadline_to_json(find(dl, n, "vn2026-06"), "vi");
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "due_local")), "2026-08-23T10:00:00+07:00");
	assert_string_equal(json_string_value(json_object_get(j, "due_at")), "2026-08-23T03:00:00Z");
	assert_string_equal(json_string_value(json_object_get(j, "status")), "due");
	assert_string_equal(json_string_value(json_object_get(j, "confidence")), "MH");
	assert_string_equal(json_string_value(json_object_get(j, "recipient")), "Cơ quan chuyên trách của Bộ Công an");
	json_decref(j);
	j = deadline_to_json(find(dl, n, "vn2026-07"), "en");
	assert_true(json_is_null(json_object_get(j, "due_at")));
	assert_true(json_is_string(json_object_get(j, "reason")));
	json_decref(j);

	/* Classified serious by the province; security signs; personal data. */
	f.severity = SEVERITY_SERIOUS;
	f.national_security_signs = true;
	f.personal_data = true;
	assert_int_equal(deadline_compute(p, NULL, &f, dl, 16, &n, NULL), CSIRT_OK);
	assert_int_equal(find(dl, n, "vn2026-07")->due_at, at("2026-08-21T10:00"));
	assert_int_equal(find(dl, n, "vn2026-08")->status, DEADLINE_IMMEDIATE);
	assert_int_equal(find(dl, n, "vn2026-15")->due_at, at("2026-08-23T10:00"));
	f.severity = SEVERITY_NORMAL;
	assert_int_equal(deadline_compute(p, NULL, &f, dl, 16, &n, NULL), CSIRT_OK);
	assert_null(find(dl, n, "vn2026-07"));
}

static void
test_working_day_pack(void **state)
{
	char path[512];
	struct rulepack *p = NULL;
	struct deadline_facts f = { .severity = SEVERITY_SERIOUS };
	struct deadline dl[4];
	struct csirt_err err;
	size_t n;

	snprintf(path, sizeof(path), "%s/province-2026.json", data_dir);
	assert_int_equal(rulepack_load_file(path, &p, &err), CSIRT_OK);
	/* Detected on the eve of Tết 2026: 3 working days end 25/02. */
	f.detected_at = at("2026-02-13T16:00");
	assert_int_equal(deadline_compute(p, NULL, &f, dl, 4, &n, NULL), CSIRT_OK);
	assert_int_equal(n, 2);
	assert_int_equal(dl[0].status, DEADLINE_DUE);
	assert_int_equal(dl[0].due_at, at("2026-02-25T23:59:59"));
	assert_int_equal(dl[1].due_at, at("2026-02-23T23:59:59"));
	/* Across 30/4-1/5 2025 and the swapped Saturday 26/04. */
	f.detected_at = at("2025-04-25T08:00");
	assert_int_equal(deadline_compute(p, NULL, &f, dl, 4, &n, NULL), CSIRT_OK);
	assert_int_equal(dl[0].due_at, at("2025-04-29T23:59:59"));	/* 26/4 (Sat), 28/4, 29/4 */
	assert_int_equal(dl[1].due_at, at("2025-04-26T23:59:59"));	/* the Saturday */
	/* A year not announced: unknown, never a guess. */
	f.detected_at = at("2027-03-01T08:00");
	assert_int_equal(deadline_compute(p, NULL, &f, dl, 4, &n, NULL), CSIRT_OK);
	assert_int_equal(dl[0].status, DEADLINE_UNKNOWN);
	assert_int_equal(dl[0].due_at, 0);
	assert_non_null(strstr(dl[0].reason, "not announced"));
	rulepack_free(p);
}

static void
test_bad_facts(void **state)
{
	const struct rulepack *p = rulepack_find("vn-2026");
	struct deadline_facts f = { 0 };
	struct deadline dl[4];
	struct csirt_err err;
	size_t n = 99;

	assert_int_equal(deadline_compute(p, NULL, &f, dl, 4, &n, &err), CSIRT_EINVAL);
	assert_int_equal(n, 0);
	assert_string_equal(err.field, "detected_at");
	f.detected_at = INT64_MAX;
	assert_int_equal(deadline_compute(p, NULL, &f, dl, 4, &n, &err), CSIRT_EINVAL);
	f.detected_at = at("2026-08-20T10:00");
	f.response_ended_at = -5;
	assert_int_equal(deadline_compute(p, NULL, &f, dl, 4, &n, &err), CSIRT_EINVAL);
}

/* The calendar file is validated as strictly as the packs. */
static void
test_calendar_malformed(void **state)
{
	const char *good = shipped("data/calendar/vn-days-off.json");
	static const struct { const char *from, *to, *needle; } cases[] = {
		{ "\"kind\": \"swapped_working\"", "\"kind\": \"holiday_ish\"", "unknown kind \"holiday_ish\"" },
		{ "\"date\": \"2024-05-04\"", "\"date\": \"2024-05-05\"", "$.years[0].days[12]: a swapped working day must be a Saturday" },
		{ "\"date\": \"2024-02-13\"", "\"date\": \"2024-02-10\"", "must be a weekday" },
		{ "\"date\": \"2024-01-01\"", "\"date\": \"2025-01-01\"", "is not in year 2024" },
		{ "\"date\": \"2024-02-09\"", "\"date\": \"2024-02-08\"", "listed twice" },
		{ "\"year\": 2025", "\"year\": 2024", "year 2024 is listed twice" },
		{ "\"known_until\": \"2026-11-22\"", "\"known_until\": \"2027-01-01\"", "must be in year 2026" },
		{ "\"weekend\": \"saturday_sunday\"", "\"weekend\": \"friday_saturday\"", "unknown weekend" },
		{ "\"schema\": 1,", "\"schema\": 1, \"x\": 1,", "vn-days-off.json: $: unknown key \"x\"" },
	};
	struct calendar *cal = NULL;
	struct csirt_err err;

	assert_int_equal(calendar_parse(good, strlen(good), "vn-days-off.json", &cal, &err), CSIRT_OK);
	calendar_free(cal);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *t = mutate(good, cases[i].from, cases[i].to);

		cal = NULL;
		assert_int_equal(calendar_parse(t, strlen(t), "vn-days-off.json", &cal, &err), CSIRT_EPARSE);
		assert_null(cal);
		if (strstr(err.msg, cases[i].needle) == NULL)
			fail_msg("case %zu: '%s' lacks '%s'", i, err.msg, cases[i].needle);
		free(t);
	}
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_day_numbers),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_working_days),
		cmocka_unit_test(test_due_units),
		cmocka_unit_test(test_host_tz_ignored),
		cmocka_unit_test(test_vn2017),
		cmocka_unit_test(test_vn2026),
		cmocka_unit_test(test_working_day_pack),
		cmocka_unit_test(test_bad_facts),
		cmocka_unit_test(test_calendar_malformed),
	};

	data_dir = argc > 1 ? argv[1] : "tests/domain/data";
	return cmocka_run_group_tests(tests, NULL, NULL);
}
