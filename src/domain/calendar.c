/*
 * calendar.c - working days of Vietnam's state agencies from announced data
 * (see calendar.h). The file lists only the exceptions (holidays, make-up
 * days, swaps); every other Monday-Friday is a working day, but only in a
 * year the file covers: an unannounced year is unknown, never guessed,
 * because the Tết days and swaps change every year (Labour Code art. 112(3)).
 */
#include "csirt/common.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csirt/calendar.h"
#include "csirt/embedded.h"
#include "domain/json_strict.h"

#define CAL_MAX_YEARS 200
#define CAL_MAX_DAYS 80		/* exceptions in one year */

struct cal_day {
	int64_t day;
	enum day_kind kind;
};

struct cal_year {
	int year;
	int64_t first;		/* day number of 1 January */
	int64_t end;		/* day number of 1 January of the next year */
	int64_t known_until;	/* last day the data vouches for */
	size_t n;
	struct cal_day days[CAL_MAX_DAYS];
	/*
	 * The kind of every day of the year, filled once after parsing: the
	 * deadline of every incident on a listed page walks through these, and
	 * a table lookup is 5x faster than scanning the exceptions each time
	 * (docs/BENCHMARKS-domain.md).
	 */
	unsigned char kind[366];
};

struct calendar {
	size_t n;
	struct cal_year *years;
};

static const char *const kind_names[DAY_KIND_COUNT] = {
	[DAY_WORKING] = "working",
	[DAY_WEEKEND] = "weekend",
	[DAY_HOLIDAY] = "holiday",
	[DAY_COMPENSATORY] = "compensatory",
	[DAY_SWAPPED_OFF] = "swapped_off",
	[DAY_SWAPPED_WORKING] = "swapped_working",
};

const char *
calendar_day_kind_name(enum day_kind kind)
{
	return (unsigned)kind < DAY_KIND_COUNT ? kind_names[kind] : "unknown";
}

/* Howard Hinnant's days_from_civil / civil_from_days, proleptic Gregorian. */
int64_t
calendar_day_from_ymd(int y, int m, int d)
{
	int64_t yy = y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void
calendar_ymd(int64_t day, int *y, int *m, int *d)
{
	int64_t z = day + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int64_t
calendar_day_of(int64_t t)
{
	int64_t s = t + CALENDAR_VN_OFFSET;

	/* floor division: instants before 1970 still land on the right day */
	return s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
}

int64_t
calendar_day_start(int64_t day)
{
	return day * 86400 - CALENDAR_VN_OFFSET;
}

void
calendar_format_vn(int64_t t, char out[32])
{
	int64_t day = calendar_day_of(t);
	int64_t sec = t + CALENDAR_VN_OFFSET - day * 86400;
	int y, m, d;

	calendar_ymd(day, &y, &m, &d);
	snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02d+07:00", y % 10000, m, d,
	    (int)(sec / 3600), (int)(sec / 60 % 60), (int)(sec % 60));
}

/* 0 = Sunday ... 6 = Saturday; 1970-01-01 was a Thursday. */
static int
weekday(int64_t day)
{
	int64_t w = (day + 4) % 7;

	return (int)(w < 0 ? w + 7 : w);
}

/* The year holding 'day', found without a civil-date conversion. */
static const struct cal_year *
find_year_of_day(const struct calendar *cal, int64_t day)
{
	for (size_t i = 0; i < cal->n; i++) {
		const struct cal_year *cy = &cal->years[i];

		if (day >= cy->first && day < cy->end)
			return cy;
	}
	return NULL;
}

static const struct cal_year *
find_year(const struct calendar *cal, int year)
{
	for (size_t i = 0; i < cal->n; i++)
		if (cal->years[i].year == year)
			return &cal->years[i];
	return NULL;
}

bool
calendar_year_known(const struct calendar *cal, int year)
{
	return cal != NULL && find_year(cal, year) != NULL;
}

enum csirt_rc
calendar_day_kind(const struct calendar *cal, int64_t day, enum day_kind *out)
{
	const struct cal_year *cy;

	if (cal == NULL)
		return CSIRT_EUNSUPPORTED;
	cy = find_year_of_day(cal, day);
	if (cy == NULL || day > cy->known_until)
		return CSIRT_EUNSUPPORTED;
	*out = (enum day_kind)cy->kind[day - cy->first];
	return CSIRT_OK;
}

static bool
is_working(enum day_kind k)
{
	return k == DAY_WORKING || k == DAY_SWAPPED_WORKING;
}

enum csirt_rc
calendar_add_working_days(const struct calendar *cal, int64_t day, int n,
    int64_t *out, struct csirt_err *err)
{
	/* The longest announced break is 9 days; this bound is generous. */
	int64_t limit = (int64_t)n * 7 + 60;
	int counted = 0;

	if (n < 1 || n > 3650)
		return csirt_err_set(err, CSIRT_EINVAL, "value",
		    "a working-day count must be between 1 and 3650");
	for (int64_t i = 1; i <= limit; i++) {
		enum day_kind k;
		int y, m, d;

		if (calendar_day_kind(cal, day + i, &k) != CSIRT_OK) {
			calendar_ymd(day + i, &y, &m, &d);
			return csirt_err_set(err, CSIRT_EUNSUPPORTED, "calendar",
			    "the days off of %04d-%02d-%02d are not announced in the calendar data, so working days cannot be counted",
			    y, m, d);
		}
		if (is_working(k) && ++counted == n) {
			*out = day + i;
			return CSIRT_OK;
		}
	}
	return csirt_err_set(err, CSIRT_EINTERNAL, "calendar",
	    "no working day found within %lld days", (long long)limit);
}

void
calendar_free(struct calendar *cal)
{
	if (cal == NULL)
		return;
	free(cal->years);
	free(cal);
}

static enum csirt_rc
parse_day(const struct jctx *ctx, json_t *jd, const char *path,
    struct cal_year *cy)
{
	static const char *const keys[] = { "date", "kind", "name", "source", NULL };
	/* The kinds a file may list: working and weekend are the default. */
	static const char *const kinds[] = { "holiday", "compensatory",
	    "swapped_off", "swapped_working" };
	static const enum day_kind kind_of[] = { DAY_HOLIDAY, DAY_COMPENSATORY,
	    DAY_SWAPPED_OFF, DAY_SWAPPED_WORKING };
	struct rulepack_text name;
	const char *source;
	int64_t day;
	int kind, y, m, d, wd;
	enum csirt_rc rc;

	if (!json_is_object(jd))
		return jstrict_fail(ctx, CSIRT_EPARSE, path, "must be an object");
	if ((rc = jstrict_keys(ctx, jd, path, keys)) != CSIRT_OK ||
	    (rc = jstrict_date(ctx, jd, path, "date", true, NULL, &day)) != CSIRT_OK ||
	    (rc = jstrict_enum(ctx, jd, path, "kind", kinds, 4, &kind)) != CSIRT_OK ||
	    (rc = jstrict_text(ctx, jd, path, "name", true, &name)) != CSIRT_OK ||
	    (rc = jstrict_string(ctx, jd, path, "source", true, &source)) != CSIRT_OK)
		return rc;
	calendar_ymd(day, &y, &m, &d);
	if (y != cy->year)
		return jstrict_fail(ctx, CSIRT_EPARSE, path,
		    "date %04d-%02d-%02d is not in year %d", y, m, d, cy->year);
	wd = weekday(day);
	if (kind_of[kind] == DAY_SWAPPED_WORKING && wd != 6)
		return jstrict_fail(ctx, CSIRT_EPARSE, path,
		    "a swapped working day must be a Saturday");
	if ((kind_of[kind] == DAY_SWAPPED_OFF || kind_of[kind] == DAY_COMPENSATORY) &&
	    (wd == 0 || wd == 6))
		return jstrict_fail(ctx, CSIRT_EPARSE, path,
		    "a make-up or swapped day off must be a weekday");
	for (size_t i = 0; i < cy->n; i++)
		if (cy->days[i].day == day)
			return jstrict_fail(ctx, CSIRT_EPARSE, path,
			    "date %04d-%02d-%02d is listed twice", y, m, d);
	cy->days[cy->n].day = day;
	cy->days[cy->n].kind = kind_of[kind];
	cy->n++;
	return CSIRT_OK;
}

static enum csirt_rc
parse_year(const struct jctx *ctx, json_t *jy, const char *path,
    struct calendar *cal, struct cal_year *cy)
{
	static const char *const keys[] = { "year", "decisions", "known_until",
	    "note", "days", NULL };
	struct rulepack_text note;
	const char *decisions;
	char sub[JSTRICT_PATH_MAX];
	json_t *days, *jd;
	int64_t year, until = INT64_MIN;
	size_t i;
	enum csirt_rc rc;

	if (!json_is_object(jy))
		return jstrict_fail(ctx, CSIRT_EPARSE, path, "must be an object");
	if ((rc = jstrict_keys(ctx, jy, path, keys)) != CSIRT_OK ||
	    (rc = jstrict_int(ctx, jy, path, "year", true, 1900, 9999, &year)) != CSIRT_OK ||
	    (rc = jstrict_string(ctx, jy, path, "decisions", true, &decisions)) != CSIRT_OK ||
	    (rc = jstrict_text(ctx, jy, path, "note", false, &note)) != CSIRT_OK ||
	    (rc = jstrict_array(ctx, jy, path, "days", CAL_MAX_DAYS, &days)) != CSIRT_OK)
		return rc;
	if (find_year(cal, (int)year) != NULL)
		return jstrict_fail(ctx, CSIRT_EPARSE, path,
		    "year %lld is listed twice", (long long)year);
	cy->year = (int)year;
	cy->n = 0;
	cy->known_until = calendar_day_from_ymd((int)year, 12, 31);
	rc = jstrict_date(ctx, jy, path, "known_until", false, NULL, &until);
	if (rc != CSIRT_OK)
		return rc;
	if (until != INT64_MIN) {
		int y, m, d;

		calendar_ymd(until, &y, &m, &d);
		if (y != cy->year)
			return jstrict_fail(ctx, CSIRT_EPARSE, path,
			    "\"known_until\" must be in year %d", cy->year);
		cy->known_until = until;
	}
	json_array_foreach(days, i, jd) {
		jstrict_path(sub, sizeof(sub), "%s.days[%zu]", path, i);
		rc = parse_day(ctx, jd, sub, cy);
		if (rc != CSIRT_OK)
			return rc;
	}
	cy->first = calendar_day_from_ymd(cy->year, 1, 1);
	cy->end = calendar_day_from_ymd(cy->year + 1, 1, 1);
	for (int64_t k = 0; k < cy->end - cy->first; k++) {
		int wd = weekday(cy->first + k);

		cy->kind[k] = (wd == 0 || wd == 6) ? DAY_WEEKEND : DAY_WORKING;
	}
	for (i = 0; i < cy->n; i++)
		cy->kind[cy->days[i].day - cy->first] = (unsigned char)cy->days[i].kind;
	return CSIRT_OK;
}

enum csirt_rc
calendar_parse(const char *data, size_t len, const char *name,
    struct calendar **out, struct csirt_err *err)
{
	static const char *const keys[] = { "schema", "id", "title", "source",
	    "weekend", "years", NULL };
	static const char *const weekends[] = { "saturday_sunday" };
	struct jctx ctx = { name ? name : "calendar", err };
	struct calendar *cal = NULL;
	struct rulepack_text title;
	const char *id, *source;
	char sub[JSTRICT_PATH_MAX];
	json_t *root = NULL, *years, *jy;
	int weekend;
	size_t i;
	enum csirt_rc rc;

	rc = jstrict_open(&ctx, data, len, keys, &root, &id);
	if (rc != CSIRT_OK)
		return rc;
	if ((rc = jstrict_text(&ctx, root, "$", "title", true, &title)) != CSIRT_OK ||
	    (rc = jstrict_string(&ctx, root, "$", "source", true, &source)) != CSIRT_OK ||
	    (rc = jstrict_enum(&ctx, root, "$", "weekend", weekends, 1, &weekend)) != CSIRT_OK ||
	    (rc = jstrict_array(&ctx, root, "$", "years", CAL_MAX_YEARS, &years)) != CSIRT_OK)
		goto out;
	cal = calloc(1, sizeof(*cal));
	if (cal == NULL || (json_array_size(years) > 0 &&
	    (cal->years = calloc(json_array_size(years), sizeof(*cal->years))) == NULL)) {
		rc = csirt_err_set(err, CSIRT_ENOMEM, NULL, "out of memory");
		goto out;
	}
	json_array_foreach(years, i, jy) {
		jstrict_path(sub, sizeof(sub), "$.years[%zu]", i);
		rc = parse_year(&ctx, jy, sub, cal, &cal->years[i]);
		if (rc != CSIRT_OK)
			goto out;
		cal->n++;
	}
	*out = cal;
	cal = NULL;
out:
	calendar_free(cal);
	json_decref(root);
	return rc;
}

static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;
static struct calendar *builtin;

static void
builtin_load(void)
{
	const struct embedded_file *f = embedded_find("data/calendar/vn-days-off.json");
	struct csirt_err err;

	if (f == NULL) {
		log_error("calendar: data/calendar/vn-days-off.json is not built in");
		return;
	}
	if (calendar_parse((const char *)f->data, f->size, "vn-days-off.json",
	    &builtin, &err) != CSIRT_OK)
		log_error("calendar: %s", err.msg);
}

const struct calendar *
calendar_builtin(void)
{
	pthread_once(&builtin_once, builtin_load);
	return builtin;
}

enum csirt_rc
calendar_load_file(const char *path, struct csirt_err *err)
{
	const char *base = strrchr(path, '/');
	struct calendar *cal = NULL;
	char *data;
	size_t n;
	enum csirt_rc rc;

	calendar_builtin();
	rc = jstrict_read_file(path, &data, &n, err);
	if (rc != CSIRT_OK)
		return rc;
	rc = calendar_parse(data, n, base ? base + 1 : path, &cal, err);
	free(data);
	if (rc != CSIRT_OK)
		return rc;
	calendar_free(builtin);
	builtin = cal;
	return CSIRT_OK;
}
