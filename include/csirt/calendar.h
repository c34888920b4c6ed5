/*
 * calendar.h - Vietnam's working days for state agencies, from data.
 *
 * A working day is Monday-Friday, minus the announced holidays, make-up
 * days (nghỉ bù) and swapped days off, plus the Saturdays made working days
 * by a swap (làm bù). The days come from data/calendar/vn-days-off.json,
 * one entry per announced day with its source. Years that are not in the
 * data are unknown, and so are days the data marks "uncertain": arithmetic
 * that needs such a day fails with CSIRT_EUNSUPPORTED instead of guessing.
 *
 * Days are numbered as days since 1970-01-01 on Vietnam's civil calendar
 * (UTC+7, no daylight saving), computed with a fixed offset so that the
 * result never depends on the host's time-zone database.
 */
#ifndef CSIRT_CALENDAR_H
#define CSIRT_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csirt/err.h"

#define CALENDAR_VN_OFFSET (7 * 3600)	/* Asia/Ho_Chi_Minh, no DST */

enum day_kind {
	DAY_WORKING,		/* Mon-Fri, not announced off */
	DAY_WEEKEND,		/* Sat or Sun, not announced working */
	DAY_HOLIDAY,		/* statutory holiday (Labour Code art. 112) */
	DAY_COMPENSATORY,	/* nghỉ bù (art. 111(3)) */
	DAY_SWAPPED_OFF,	/* weekday made a day off by a swap */
	DAY_SWAPPED_WORKING,	/* Saturday made a working day (làm bù) */
	DAY_UNCERTAIN,		/* announced as possibly changed; not decided */
	DAY_KIND_COUNT
};

struct calendar;

/*
 * Parses a calendar file (pointer, length; need not be NUL-terminated).
 * 'name' names the file in error messages. On success *out is a new
 * calendar the caller frees with calendar_free().
 */
enum csirt_rc calendar_parse(const char *data, size_t len, const char *name,
    struct calendar **out, struct csirt_err *err);
void calendar_free(struct calendar *cal);

/*
 * The built-in calendar (data/calendar/vn-days-off.json), loaded once and
 * kept for the life of the process. NULL only if the shipped data is broken
 * (a unit test guards against that).
 */
const struct calendar *calendar_builtin(void);

/*
 * Replaces the built-in calendar with the file at 'path' (e.g. a province's
 * DATA/calendar/vn-days-off.json that adds a newly announced year). On a
 * parse error the built-in calendar stays. Call it once at start, before
 * other threads use the calendar. A missing file is CSIRT_ENOTFOUND.
 */
enum csirt_rc calendar_load_file(const char *path, struct csirt_err *err);

/* Day number (VN civil date) of a UTC instant, and back to 00:00 VN time. */
int64_t calendar_day_of(int64_t t);
int64_t calendar_day_start(int64_t day);
int64_t calendar_day_from_ymd(int y, int m, int d);
void calendar_ymd(int64_t day, int *y, int *m, int *d);

/* Writes t as Vietnam time, "2026-08-23T17:00:00+07:00". */
void calendar_format_vn(int64_t t, char out[32]);

/* True when the data covers the year (it was announced). */
bool calendar_year_known(const struct calendar *cal, int year);

/*
 * The kind of a day. CSIRT_EUNSUPPORTED (and *out untouched) when its year
 * is not in the data; an uncertain day is returned as DAY_UNCERTAIN.
 */
enum csirt_rc calendar_day_kind(const struct calendar *cal, int64_t day,
    enum day_kind *out);

/*
 * The n-th working day after 'day' (day itself not counted; n >= 1,
 * n <= 3650). CSIRT_EUNSUPPORTED, with the reason in err, when a day that
 * must be examined is in an unknown year or is uncertain.
 */
enum csirt_rc calendar_add_working_days(const struct calendar *cal,
    int64_t day, int n, int64_t *out, struct csirt_err *err);

/* Stable ASCII name of a kind ("holiday", "swapped_working"...). */
const char *calendar_day_kind_name(enum day_kind kind);

#endif
