/*
 * deadline.h - the deadline calculus: given a rule pack and an incident's
 * facts, which reports are due when. Pure functions: no store, no clock.
 *
 * How a duration becomes a due time (docs/rulepacks.md, "Counting time"):
 *  - immediate: due at the anchor itself;
 *  - hours: anchor + N hours (Civil Code 2015 Art 147.1: counted from the
 *    moment);
 *  - calendar_days: the end (24:00, Vietnam time; due_at is its last second,
 *    23:59:59) of the N-th day after the
 *    anchor's day; the anchor's day is not counted (Civil Code Art 147.3,
 *    148.1). We do not push the end past a weekend or holiday (Art 148.5):
 *    the earlier time is never late, and holiday data before 2024 is absent;
 *  - working_days: the end of the N-th working day after the anchor's day,
 *    by the calendar; "unknown" when the count reaches an unannounced year;
 *  - none: the law sets no limit; no due time.
 */
#ifndef CSIRT_DEADLINE_H
#define CSIRT_DEADLINE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csirt/calendar.h"
#include "csirt/err.h"
#include "csirt/rulepack.h"
#include "csirt/serious.h"

/* Times are seconds since the epoch, UTC; 0 means "has not happened". */
struct deadline_facts {
	int64_t detected_at;		/* required */
	int64_t received_at;		/* a notification received, or 0 */
	int64_t response_ended_at;	/* or 0 while the response goes on */
	int64_t contact_changed_at;	/* contact point changed, or 0 */
	bool beyond_capacity;
	enum severity severity;		/* from serious_assess() */
	bool national_security_signs;
	bool personal_data;
	bool complex;
};

enum deadline_status {
	DEADLINE_DUE,		/* due_at holds the due time */
	DEADLINE_IMMEDIATE,	/* due_at = the anchor: "immediately" */
	DEADLINE_NO_LIMIT,	/* the law sets none */
	DEADLINE_PENDING,	/* the anchor has not happened yet */
	DEADLINE_UNKNOWN,	/* the calendar cannot say (unannounced year) */
	DEADLINE_UNDEFINED,	/* the law leaves the trigger undefined */
	DEADLINE_STATUS_COUNT
};

struct deadline {
	const struct rulepack *pack;		/* borrowed */
	const struct rulepack_rule *rule;	/* borrowed from pack */
	enum deadline_status status;
	int64_t anchor_at;			/* 0 when pending */
	int64_t due_at;				/* DUE and IMMEDIATE only */
	char reason[CSIRT_ERR_MSG_MAX];			/* why not DUE, in English */
};

/* "due", "immediately", "no_limit", "pending", "unknown", "undefined". */
const char *deadline_status_code(enum deadline_status s);

/*
 * Computes the deadlines of every rule of 'pack' that applies to 'facts'
 * (rules whose trigger does not hold are left out; a "serious" rule under a
 * pack with no definition is listed as DEADLINE_UNDEFINED). Writes at most
 * 'max' entries to out and sets *count to how many apply. 'cal' may be NULL
 * for the built-in calendar. CSIRT_EINVAL when detected_at is 0.
 */
enum csirt_rc deadline_compute(const struct rulepack *pack,
    const struct calendar *cal, const struct deadline_facts *facts,
    struct deadline *out, size_t max, size_t *count, struct csirt_err *err);

/*
 * The due time of one duration counted from 'anchor'. For UNIT_NONE
 * CSIRT_ENOTFOUND; CSIRT_EUNSUPPORTED (reason in err) when the calendar
 * cannot say.
 */
enum csirt_rc deadline_due(const struct calendar *cal, enum rule_unit unit,
    int value, int64_t anchor, int64_t *due, struct csirt_err *err);

/*
 * One deadline as JSON for the API and the CLI: rule id, label, recipient,
 * source, confidence, note (in 'lang', "vi" or "en"), pack id, status,
 * anchor_at and due_at (RFC 3339 UTC, or null), due_local (Vietnam time, or
 * null) and reason (or null). Returns a new reference, NULL on ENOMEM.
 */
json_t *deadline_to_json(const struct deadline *d, const char *lang);

#endif
