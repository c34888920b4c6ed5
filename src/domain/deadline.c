/*
 * deadline.c - from rule pack and facts to due times (see deadline.h for
 * how each unit is counted and why).
 */
#include "csirt/common.h"

#include <stdio.h>
#include <string.h>

#include "csirt/deadline.h"
#include "domain/json_strict.h"

static const char *const status_codes[DEADLINE_STATUS_COUNT] = {
	[DEADLINE_DUE] = "due",
	[DEADLINE_IMMEDIATE] = "immediately",
	[DEADLINE_NO_LIMIT] = "no_limit",
	[DEADLINE_PENDING] = "pending",
	[DEADLINE_UNKNOWN] = "unknown",
	[DEADLINE_UNDEFINED] = "undefined",
};

const char *
deadline_status_code(enum deadline_status s)
{
	return (unsigned)s < DEADLINE_STATUS_COUNT ? status_codes[s] : "unknown";
}

enum csirt_rc
deadline_due(const struct calendar *cal, enum rule_unit unit, int value,
    int64_t anchor, int64_t *due, struct csirt_err *err)
{
	int64_t day;
	enum csirt_rc rc;

	switch (unit) {
	case UNIT_IMMEDIATE:
		*due = anchor;
		return CSIRT_OK;
	case UNIT_HOURS:
		*due = anchor + (int64_t)value * 3600;
		return CSIRT_OK;
	case UNIT_CALENDAR_DAYS:
		/*
		 * Ends at 24:00 of the value-th day after the anchor's day;
		 * shown as its last second, 23:59:59, so the date reads right.
		 */
		*due = calendar_day_start(calendar_day_of(anchor) + value + 1) - 1;
		return CSIRT_OK;
	case UNIT_WORKING_DAYS:
		rc = calendar_add_working_days(cal, calendar_day_of(anchor), value,
		    &day, err);
		if (rc != CSIRT_OK)
			return rc;
		*due = calendar_day_start(day + 1) - 1;
		return CSIRT_OK;
	case UNIT_NONE:
	case UNIT_COUNT:
		break;
	}
	return csirt_err_set(err, CSIRT_ENOTFOUND, NULL, "the law sets no time limit");
}

#define TIME_MAX INT64_C(253402300799)	/* 9999-12-31T23:59:59Z */

static bool
time_in_range(int64_t t)
{
	return t >= 0 && t <= TIME_MAX;
}

static int64_t
anchor_time(const struct deadline_facts *f, enum rule_anchor a)
{
	switch (a) {
	case ANCHOR_DETECTED: return f->detected_at;
	case ANCHOR_RECEIVED: return f->received_at;
	case ANCHOR_RESPONSE_ENDED: return f->response_ended_at;
	case ANCHOR_CONTACT_CHANGED: return f->contact_changed_at;
	case ANCHOR_COUNT: break;
	}
	return 0;
}

/*
 * Does the rule apply? Returns false to leave it out; 'undefined' is set
 * when it would apply if the law said what its trigger means.
 */
static bool
applies(const struct rulepack_rule *r, const struct deadline_facts *f,
    bool *undefined)
{
	*undefined = false;
	switch (r->trigger) {
	case TRIGGER_ALWAYS: return true;
	case TRIGGER_BEYOND_CAPACITY: return f->beyond_capacity;
	case TRIGGER_SERIOUS:
		if (f->severity == SEVERITY_UNDEFINED)
			*undefined = true;
		return f->severity != SEVERITY_NORMAL;
	case TRIGGER_NATIONAL_SECURITY: return f->national_security_signs;
	case TRIGGER_PERSONAL_DATA: return f->personal_data;
	case TRIGGER_COMPLEX: return f->complex;
	case TRIGGER_CONTACT_CHANGED: return f->contact_changed_at != 0;
	case TRIGGER_NOTIFICATION_RECEIVED: return f->received_at != 0;
	case TRIGGER_COUNT: break;
	}
	return false;
}

static void
compute_one(const struct rulepack *pack, const struct calendar *cal,
    const struct rulepack_rule *r, const struct deadline_facts *f,
    bool undefined, struct deadline *d)
{
	struct csirt_err err;

	memset(d, 0, sizeof(*d));
	d->pack = pack;
	d->rule = r;
	d->anchor_at = anchor_time(f, r->anchor);
	if (undefined) {
		d->status = DEADLINE_UNDEFINED;
		snprintf(d->reason, sizeof(d->reason),
		    "applies to serious incidents, and %s defines none (%s)",
		    pack->id, pack->serious.source);
		jstrict_trim(d->reason);
		return;
	}
	if (r->unit == UNIT_NONE) {
		d->status = DEADLINE_NO_LIMIT;
		snprintf(d->reason, sizeof(d->reason), "the law sets no time limit");
		return;
	}
	if (d->anchor_at == 0) {
		d->status = DEADLINE_PENDING;
		snprintf(d->reason, sizeof(d->reason), "counts from %s, which has not happened yet",
		    rulepack_anchor_name(r->anchor));
		return;
	}
	if (deadline_due(cal, r->unit, r->value, d->anchor_at, &d->due_at, &err) != CSIRT_OK) {
		d->status = DEADLINE_UNKNOWN;
		snprintf(d->reason, sizeof(d->reason), "%s", err.msg);
		return;
	}
	d->status = r->unit == UNIT_IMMEDIATE ? DEADLINE_IMMEDIATE : DEADLINE_DUE;
}

static json_t *
time_or_null(int64_t t, bool local)
{
	char s[32];

	if (local)
		calendar_format_vn(t, s);
	else
		time_format_iso(t, s);
	return json_string(s);
}

json_t *
deadline_to_json(const struct deadline *d, const char *lang)
{
	const struct rulepack_rule *r = d->rule;
	bool has_due = d->status == DEADLINE_DUE || d->status == DEADLINE_IMMEDIATE;
	const char *note = rulepack_text(&r->note, lang);

	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:s, s:s, s:s, s:i, s:o, s:o, s:o, s:s?}",
	    "rule", r->id,
	    "label", rulepack_text(&r->label, lang),
	    "recipient", rulepack_text(&r->recipient, lang),
	    "source", r->source,
	    "confidence", r->confidence,
	    "note", note,
	    "pack", d->pack->id,
	    "status", deadline_status_code(d->status),
	    "unit", rulepack_unit_name(r->unit),
	    "value", r->value,
	    "anchor_at", d->anchor_at ? time_or_null(d->anchor_at, false) : json_null(),
	    "due_at", has_due ? time_or_null(d->due_at, false) : json_null(),
	    "due_local", has_due ? time_or_null(d->due_at, true) : json_null(),
	    "reason", d->reason[0] ? d->reason : NULL);
}

enum csirt_rc
deadline_compute(const struct rulepack *pack, const struct calendar *cal,
    const struct deadline_facts *facts, struct deadline *out, size_t max,
    size_t *count, struct csirt_err *err)
{
	size_t n = 0;

	*count = 0;
	if (facts->detected_at == 0)
		return csirt_err_set(err, CSIRT_EINVAL, "detected_at",
		    "the time of detection is required");
	/* Bounded times keep the arithmetic below far from overflow. */
	if (!time_in_range(facts->detected_at) || !time_in_range(facts->received_at) ||
	    !time_in_range(facts->response_ended_at) ||
	    !time_in_range(facts->contact_changed_at))
		return csirt_err_set(err, CSIRT_EINVAL, "time",
		    "a time is outside the years 1970 to 9999");
	if (cal == NULL)
		cal = calendar_builtin();
	for (size_t i = 0; i < pack->rule_count; i++) {
		const struct rulepack_rule *r = &pack->rules[i];
		bool undefined;

		if (!applies(r, facts, &undefined))
			continue;
		if (n < max)
			compute_one(pack, cal, r, facts, undefined, &out[n]);
		n++;
	}
	*count = n;
	return CSIRT_OK;
}
