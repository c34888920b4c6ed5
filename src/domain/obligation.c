/*
 * obligation.c - reading the obligation sets (data/obligations/, one file per
 * regime) and
 * evaluating them for one system or organisation on one day. See
 * obligation.h for the model and docs/rulepacks.md for the schema.
 *
 * Why "done" means "compliant today" and not "done once": the Department
 * asks "who is behind now?", so an interval obligation is done while the
 * last activity is recent enough, and a dated one (Form 05) while the last
 * deadline was met and the next is not close.
 */
#include "csirt/common.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csirt/deadline.h"
#include "csirt/embedded.h"
#include "csirt/obligation.h"
#include "domain/json_strict.h"

static const char *const status_names[OBL_STATUS_COUNT] = {
	[OBL_DONE] = "done",
	[OBL_DUE_SOON] = "due_soon",
	[OBL_OVERDUE] = "overdue",
	[OBL_NOT_APPLICABLE] = "not_applicable",
	[OBL_UNKNOWN] = "unknown",
	[OBL_PENDING] = "pending",
};

static const char *const activity_names[OA_COUNT] = {
	[OA_VULN_SCAN] = "vuln_scan",
	[OA_THREAT_HUNT] = "threat_hunt",
	[OA_DRILL] = "drill",
	[OA_ASSESSMENT] = "assessment",
	[OA_LEVEL_APPROVAL] = "level_approval",
	[OA_RESPONSE_PLAN] = "response_plan",
	[OA_REGULATION] = "regulation",
	[OA_SYSTEM_CHANGE] = "system_change",
	[OA_CONTACT_POINT] = "contact_point",
	[OA_FORM01] = "form01",
	[OA_FORM05] = "form05",
	[OA_ANNUAL_REPORT] = "annual_report",
	[OA_ANNUAL_REPORT_MPS] = "annual_report_mps",
};

static const char *const scope_names[] = { "system", "org" };
static const char *const schedule_names[OBL_SCHEDULE_COUNT] = {
	[OBL_ONCE] = "once",
	[OBL_INTERVAL] = "interval",
	[OBL_ANNUAL_DATES] = "annual_dates",
	[OBL_INFORMATIONAL] = "informational",
};
static const char *const confidences[] = { "H", "MH", "M", "L", "U" };
static const char *const limit_units[] = { "working_days", "calendar_days", "none" };
static const enum rule_unit limit_unit_values[] = { UNIT_WORKING_DAYS, UNIT_CALENDAR_DAYS,
	UNIT_NONE };
static const char *const step_keys[DOSSIER_STEP_COUNT] = { "validity_check", "appraisal",
	"approval" };

const char *
obligation_status_name(enum obligation_status s)
{
	return (unsigned)s < OBL_STATUS_COUNT ? status_names[s] : NULL;
}

const char *
obligation_activity_name(enum obligation_activity a)
{
	return (unsigned)a < OA_COUNT ? activity_names[a] : NULL;
}

int
obligation_activity_from_name(const char *name)
{
	for (int i = 0; name != NULL && i < OA_COUNT; i++)
		if (strcmp(name, activity_names[i]) == 0)
			return i;
	return -1;
}

int
obligation_status_from_name(const char *name)
{
	for (int i = 0; name != NULL && i < OBL_STATUS_COUNT; i++)
		if (strcmp(name, status_names[i]) == 0)
			return i;
	return -1;
}

void
obligation_set_free(struct obligation_set *set)
{
	if (set == NULL)
		return;
	json_decref(set->json);
	free(set);
}

void
obligation_facts_init(struct obligation_facts *f)
{
	memset(f, 0, sizeof(*f));
	for (int i = 0; i < OA_COUNT; i++)
		f->last[i] = OBLIGATION_NO_DAY;
	f->first_approval = OBLIGATION_NO_DAY;
}

/* --- parsing ---------------------------------------------------------- */

static enum csirt_rc
parse_months(const struct jctx *ctx, json_t *o, const char *path, struct obligation_rule *r)
{
	char sub[JSTRICT_PATH_MAX];
	json_t *a = NULL;
	enum csirt_rc rc;

	if ((rc = jstrict_array(ctx, o, path, "months", 6, &a)) != CSIRT_OK)
		return rc;
	jstrict_path(sub, sizeof(sub), "%s.months", path);
	if (json_array_size(a) != 6)
		return jstrict_fail(ctx, CSIRT_EPARSE, sub,
		    "six intervals are needed: unclassified, then levels 1 to 5");
	for (size_t i = 0; i < 6; i++) {
		json_t *v = json_array_get(a, i);

		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > 120)
			return jstrict_fail(ctx, CSIRT_EPARSE, sub,
			    "item %zu must be a number of months from 0 to 120", i);
		r->months[i] = (int)json_integer_value(v);
	}
	return CSIRT_OK;
}

/* "MM-DD" items of "before": the day the report must precede. */
static enum csirt_rc
parse_dates(const struct jctx *ctx, json_t *o, const char *path, struct obligation_rule *r)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	char sub[JSTRICT_PATH_MAX];
	json_t *a = NULL, *v;
	size_t i;
	enum csirt_rc rc;

	if ((rc = jstrict_array(ctx, o, path, "before", OBLIGATION_MAX_DATES, &a)) != CSIRT_OK)
		return rc;
	jstrict_path(sub, sizeof(sub), "%s.before", path);
	if (json_array_size(a) == 0)
		return jstrict_fail(ctx, CSIRT_EPARSE, sub, "at least one date is needed");
	json_array_foreach(a, i, v) {
		const char *s = json_string_value(v);
		int m, d;

		if (s == NULL || strlen(s) != 5 || s[2] != '-' ||
		    sscanf(s, "%2d-%2d", &m, &d) != 2 || m < 1 || m > 12 || d < 1 ||
		    d > mdays[m - 1] || (m == 2 && d == 29))
			return jstrict_fail(ctx, CSIRT_EPARSE, sub,
			    "item %zu must be a day of the year as \"MM-DD\" (not 29 February)", i);
		if (i > 0 && (m < r->dates[i - 1][0] ||
		    (m == r->dates[i - 1][0] && d <= r->dates[i - 1][1])))
			return jstrict_fail(ctx, CSIRT_EPARSE, sub,
			    "the dates must be in order within the year");
		r->dates[i][0] = m;
		r->dates[i][1] = d;
	}
	r->n_dates = (int)json_array_size(a);
	return CSIRT_OK;
}

static enum csirt_rc
parse_rule(const struct jctx *ctx, json_t *o, const char *path, struct obligation_rule *r)
{
	static const char *const keys[] = { "id", "kind", "scope", "schedule", "activity",
		"months", "min_level", "deadline", "before", "after_change", "before_approval",
		"owners_only", "since", "label", "source", "confidence", "note", NULL };
	int scope, schedule, act, conf;
	int64_t min_level = 0, day;
	const char *text;
	enum csirt_rc rc;

	if (!json_is_object(o))
		return jstrict_fail(ctx, CSIRT_EPARSE, path, "must be an object");
	if ((rc = jstrict_keys(ctx, o, path, keys)) != CSIRT_OK ||
	    (rc = jstrict_id(ctx, o, path, "id", &r->id)) != CSIRT_OK ||
	    (rc = jstrict_id(ctx, o, path, "kind", &r->kind)) != CSIRT_OK ||
	    (rc = jstrict_enum(ctx, o, path, "scope", scope_names, 2, &scope)) != CSIRT_OK ||
	    (rc = jstrict_enum(ctx, o, path, "schedule", schedule_names, OBL_SCHEDULE_COUNT,
	    &schedule)) != CSIRT_OK ||
	    (rc = jstrict_text(ctx, o, path, "label", true, &r->label)) != CSIRT_OK ||
	    (rc = jstrict_text(ctx, o, path, "note", false, &r->note)) != CSIRT_OK ||
	    (rc = jstrict_string(ctx, o, path, "source", true, &r->source)) != CSIRT_OK ||
	    (rc = jstrict_enum(ctx, o, path, "confidence", confidences,
	    (int)ARRAY_SIZE(confidences), &conf)) != CSIRT_OK ||
	    (rc = jstrict_int(ctx, o, path, "min_level", false, 0, 5, &min_level)) != CSIRT_OK ||
	    (rc = jstrict_bool(ctx, o, path, "after_change", false, &r->after_change)) != CSIRT_OK ||
	    (rc = jstrict_bool(ctx, o, path, "before_approval", false, &r->before_approval)) !=
	    CSIRT_OK ||
	    (rc = jstrict_bool(ctx, o, path, "owners_only", false, &r->owners_only)) != CSIRT_OK)
		return rc;
	r->scope = (enum obligation_scope)scope;
	r->schedule = (enum obligation_schedule)schedule;
	r->confidence = confidences[conf];
	r->min_level = (int)min_level;
	r->activity = OA_COUNT;
	r->deadline_day = OBLIGATION_NO_DAY;
	r->since_day = OBLIGATION_NO_DAY;
	if (json_object_get(o, "since") != NULL) {
		if ((rc = jstrict_date(ctx, o, path, "since", true, &text, &day)) != CSIRT_OK)
			return rc;
		r->since_day = day;
	}
	if (json_object_get(o, "activity") != NULL) {
		if ((rc = jstrict_enum(ctx, o, path, "activity", activity_names, OA_COUNT, &act)) !=
		    CSIRT_OK)
			return rc;
		r->activity = (enum obligation_activity)act;
	} else if (r->schedule != OBL_INFORMATIONAL) {
		return jstrict_fail(ctx, CSIRT_EPARSE, path,
		    "\"activity\" is required unless the schedule is informational");
	}
	if (json_object_get(o, "deadline") != NULL) {
		if ((rc = jstrict_date(ctx, o, path, "deadline", true, &text, &day)) != CSIRT_OK)
			return rc;
		r->deadline_day = day;
	}
	/* Each schedule has the one parameter it needs, and no other. */
	if ((r->schedule == OBL_INTERVAL) != (json_object_get(o, "months") != NULL))
		return jstrict_fail(ctx, CSIRT_EPARSE, path,
		    "\"months\" is needed by, and only by, an interval schedule");
	if ((r->schedule == OBL_ANNUAL_DATES) != (json_object_get(o, "before") != NULL))
		return jstrict_fail(ctx, CSIRT_EPARSE, path,
		    "\"before\" is needed by, and only by, an annual_dates schedule");
	if (r->deadline_day != OBLIGATION_NO_DAY && r->schedule != OBL_ONCE)
		return jstrict_fail(ctx, CSIRT_EPARSE, path,
		    "\"deadline\" belongs to a schedule of \"once\"");
	if (r->schedule == OBL_INTERVAL && (rc = parse_months(ctx, o, path, r)) != CSIRT_OK)
		return rc;
	if (r->schedule == OBL_ANNUAL_DATES && (rc = parse_dates(ctx, o, path, r)) != CSIRT_OK)
		return rc;
	return CSIRT_OK;
}

/* "budget": {"rule", "required_percent", "source", "confidence"}. */
static enum csirt_rc
parse_budget(const struct jctx *ctx, json_t *root, struct obligation_set *set)
{
	static const char *const keys[] = { "rule", "required_percent", "source", "confidence",
		NULL };
	json_t *b = NULL;
	int64_t pct = 0;
	int conf;
	enum csirt_rc rc;

	if ((rc = jstrict_object(ctx, root, "$", "budget", false, &b)) != CSIRT_OK || b == NULL)
		return rc;
	if ((rc = jstrict_keys(ctx, b, "$.budget", keys)) != CSIRT_OK ||
	    (rc = jstrict_id(ctx, b, "$.budget", "rule", &set->budget_rule)) != CSIRT_OK ||
	    (rc = jstrict_int(ctx, b, "$.budget", "required_percent", true, 1, 100, &pct)) !=
	    CSIRT_OK ||
	    (rc = jstrict_string(ctx, b, "$.budget", "source", true, &set->budget_source)) !=
	    CSIRT_OK ||
	    (rc = jstrict_enum(ctx, b, "$.budget", "confidence", confidences,
	    (int)ARRAY_SIZE(confidences), &conf)) != CSIRT_OK)
		return rc;
	set->budget_percent = (int)pct;
	set->budget_confidence = confidences[conf];
	set->has_budget = true;
	return CSIRT_OK;
}

static enum csirt_rc
parse_authorities(const struct jctx *ctx, json_t *d, struct obligation_set *set)
{
	static const char *const keys[] = { "appraiser", "approver", NULL };
	char sub[JSTRICT_PATH_MAX];
	json_t *a = NULL;
	enum csirt_rc rc;

	if ((rc = jstrict_string(ctx, d, "$.dossier", "authorities_source", true,
	    &set->authorities_source)) != CSIRT_OK ||
	    (rc = jstrict_array(ctx, d, "$.dossier", "authorities", 5, &a)) != CSIRT_OK)
		return rc;
	if (json_array_size(a) != 5)
		return jstrict_fail(ctx, CSIRT_EPARSE, "$.dossier.authorities",
		    "five entries are needed, for levels 1 to 5");
	for (size_t lv = 0; lv < 5; lv++) {
		json_t *item = json_array_get(a, lv);

		jstrict_path(sub, sizeof(sub), "$.dossier.authorities[%zu]", lv);
		if (!json_is_object(item))
			return jstrict_fail(ctx, CSIRT_EPARSE, sub, "must be an object");
		if ((rc = jstrict_keys(ctx, item, sub, keys)) != CSIRT_OK ||
		    (rc = jstrict_text(ctx, item, sub, "appraiser", true, &set->appraiser[lv + 1])) !=
		    CSIRT_OK ||
		    (rc = jstrict_text(ctx, item, sub, "approver", true, &set->approver[lv + 1])) !=
		    CSIRT_OK)
			return rc;
	}
	return CSIRT_OK;
}

static enum csirt_rc
parse_dossier(const struct jctx *ctx, json_t *root, struct obligation_set *set)
{
	static const char *const keys[] = { "source", "validity_check", "appraisal", "approval",
		"authorities_source", "authorities", NULL };
	static const char *const limit_keys[] = { "unit", "value", NULL };
	char sub[JSTRICT_PATH_MAX];
	json_t *d = NULL, *a = NULL;
	enum csirt_rc rc;

	if ((rc = jstrict_object(ctx, root, "$", "dossier", true, &d)) != CSIRT_OK ||
	    (rc = jstrict_keys(ctx, d, "$.dossier", keys)) != CSIRT_OK ||
	    (rc = jstrict_string(ctx, d, "$.dossier", "source", true, &set->dossier_source)) !=
	    CSIRT_OK || (rc = parse_authorities(ctx, d, set)) != CSIRT_OK)
		return rc;
	for (int s = 0; s < DOSSIER_STEP_COUNT; s++) {
		if ((rc = jstrict_array(ctx, d, "$.dossier", step_keys[s], 5, &a)) != CSIRT_OK)
			return rc;
		if (json_array_size(a) != 5)
			return jstrict_fail(ctx, CSIRT_EPARSE, "$.dossier",
			    "\"%s\" needs five limits, for levels 1 to 5", step_keys[s]);
		for (size_t lv = 0; lv < 5; lv++) {
			json_t *item = json_array_get(a, lv);
			struct obligation_limit *l = &set->dossier[s][lv + 1];
			int64_t value = 0;
			int unit;

			jstrict_path(sub, sizeof(sub), "$.dossier.%s[%zu]", step_keys[s], lv);
			if (!json_is_object(item))
				return jstrict_fail(ctx, CSIRT_EPARSE, sub, "must be an object");
			if ((rc = jstrict_keys(ctx, item, sub, limit_keys)) != CSIRT_OK ||
			    (rc = jstrict_enum(ctx, item, sub, "unit", limit_units,
			    (int)ARRAY_SIZE(limit_units), &unit)) != CSIRT_OK ||
			    (rc = jstrict_int(ctx, item, sub, "value", limit_unit_values[unit] !=
			    UNIT_NONE, 1, 365, &value)) != CSIRT_OK)
				return rc;
			if (limit_unit_values[unit] == UNIT_NONE && json_object_get(item, "value"))
				return jstrict_fail(ctx, CSIRT_EPARSE, sub,
				    "a limit of \"none\" has no value");
			l->unit = limit_unit_values[unit];
			l->value = (int)value;
		}
		set->dossier[s][0] = (struct obligation_limit){ UNIT_NONE, 0 };
	}
	return CSIRT_OK;
}

enum csirt_rc
obligation_set_parse(const char *data, size_t len, const char *name,
    struct obligation_set **out, struct csirt_err *err)
{
	static const char *const keys[] = { "schema", "id", "valid_from", "lead_days", "dossier",
		"obligations", "budget", NULL };
	struct jctx ctx = { name, err };
	struct obligation_set *set;
	char path[JSTRICT_PATH_MAX];
	json_t *root = NULL, *rules = NULL, *o;
	const char *text;
	int64_t lead = 30;
	size_t i;
	enum csirt_rc rc;

	csirt_err_clear(err);
	set = calloc(1, sizeof(*set));
	if (set == NULL)
		return csirt_err_set(err, CSIRT_ENOMEM, NULL, "out of memory");
	rc = jstrict_open(&ctx, data, len, keys, &root, &set->id);
	if (rc != CSIRT_OK)
		goto fail;
	set->json = root;
	if ((rc = jstrict_date(&ctx, root, "$", "valid_from", true, &text, &set->valid_from_day)) !=
	    CSIRT_OK ||
	    (rc = jstrict_int(&ctx, root, "$", "lead_days", false, 1, 366, &lead)) != CSIRT_OK ||
	    (rc = parse_dossier(&ctx, root, set)) != CSIRT_OK ||
	    (rc = parse_budget(&ctx, root, set)) != CSIRT_OK ||
	    (rc = jstrict_array(&ctx, root, "$", "obligations", OBLIGATION_MAX_RULES, &rules)) !=
	    CSIRT_OK)
		goto fail;
	set->lead_days = (int)lead;
	json_array_foreach(rules, i, o) {
		jstrict_path(path, sizeof(path), "$.obligations[%zu]", i);
		rc = parse_rule(&ctx, o, path, &set->rules[i]);
		if (rc != CSIRT_OK)
			goto fail;
		for (size_t k = 0; k < i; k++) {
			if (strcmp(set->rules[k].id, set->rules[i].id) == 0) {
				rc = jstrict_fail(&ctx, CSIRT_EPARSE, path,
				    "duplicate obligation id \"%s\"", set->rules[i].id);
				goto fail;
			}
		}
	}
	set->rule_count = json_array_size(rules);
	*out = set;
	return CSIRT_OK;
fail:
	obligation_set_free(set);
	return rc;
}

/* --- built-in sets ----------------------------------------------------- */

static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;
static struct obligation_set *builtin[8];
static size_t builtin_n;

static void
builtin_load(void)
{
	static const char prefix[] = "data/obligations/";

	for (size_t i = 0; i < embedded_file_count && builtin_n < ARRAY_SIZE(builtin); i++) {
		const struct embedded_file *f = &embedded_files[i];
		struct obligation_set *s;
		struct csirt_err err;
		size_t k;

		if (strncmp(f->name, prefix, sizeof(prefix) - 1) != 0)
			continue;
		if (obligation_set_parse((const char *)f->data, f->size,
		    f->name + sizeof(prefix) - 1, &s, &err) != CSIRT_OK) {
			log_error("obligations: %s", err.msg);
			continue;
		}
		/* Keep them ordered by valid_from (insertion; a handful of files). */
		for (k = builtin_n; k > 0 && builtin[k - 1]->valid_from_day > s->valid_from_day; k--)
			builtin[k] = builtin[k - 1];
		builtin[k] = s;
		builtin_n++;
	}
}

size_t
obligation_builtin_count(void)
{
	pthread_once(&builtin_once, builtin_load);
	return builtin_n;
}

const struct obligation_set *
obligation_builtin_at(size_t i)
{
	return i < obligation_builtin_count() ? builtin[i] : NULL;
}

const struct obligation_set *
obligation_set_for_day(int64_t day)
{
	const struct obligation_set *found = NULL;

	for (size_t i = 0; i < obligation_builtin_count(); i++)
		if (builtin[i]->valid_from_day <= day)
			found = builtin[i];
	return found;
}

/* --- evaluation -------------------------------------------------------- */

/* 'day' plus n months, the day of month clamped to the month's end. */
static int64_t
add_months(int64_t day, int n)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d, max;

	calendar_ymd(day, &y, &m, &d);
	m += n;
	y += (m - 1) / 12;
	m = (m - 1) % 12 + 1;
	max = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
	return calendar_day_from_ymd(y, m, d < max ? d : max);
}

/* reason = head + the date of 'day' (if any) + tail. */
static void
set_reason(struct obligation_result *r, const char *head, int64_t day, const char *tail)
{
	char date[16] = "";
	int y, m, d;

	if (day != OBLIGATION_NO_DAY) {
		calendar_ymd(day, &y, &m, &d);
		snprintf(date, sizeof(date), "%04d-%02d-%02d", y, m, d);
	}
	snprintf(r->reason, sizeof(r->reason), "%s%s%s", head, date, tail);
}

/* Status of a due day that has a lead window: overdue, due soon or fine. */
static enum obligation_status
against_due(int64_t today, int64_t due, int lead, enum obligation_status fine)
{
	if (today > due)
		return OBL_OVERDUE;
	if (today >= due - lead)
		return OBL_DUE_SOON;
	return fine;
}

static void
eval_once(const struct obligation_rule *rule, const struct obligation_facts *f, int64_t today,
    int lead, struct obligation_result *r)
{
	int64_t last = r->rests_on_day;

	if (last != OBLIGATION_NO_DAY || (rule->activity == OA_LEVEL_APPROVAL && f->level > 0)) {
		r->status = OBL_DONE;
		if (rule->before_approval && f->first_approval != OBLIGATION_NO_DAY &&
		    last > f->first_approval)
			set_reason(r, "done, but after the level approval (", last, ")");
		else if (last == OBLIGATION_NO_DAY)
			set_reason(r, "the system has an approved level; no approval date recorded",
			    OBLIGATION_NO_DAY, "");
		return;
	}
	if (rule->before_approval && f->first_approval == OBLIGATION_NO_DAY && f->level == 0) {
		r->status = OBL_PENDING;
		set_reason(r, "required before the level is approved", OBLIGATION_NO_DAY, "");
		return;
	}
	r->due_day = rule->deadline_day;
	if (rule->deadline_day == OBLIGATION_NO_DAY) {
		r->status = OBL_OVERDUE;
		set_reason(r, "required now and never recorded", OBLIGATION_NO_DAY, "");
		return;
	}
	r->status = against_due(today, rule->deadline_day, lead, OBL_PENDING);
	set_reason(r, "never recorded; deadline ", rule->deadline_day, "");
}

static void
eval_interval(const struct obligation_rule *rule, const struct obligation_facts *f,
    int64_t today, int lead, struct obligation_result *r)
{
	int months = rule->months[f->level];
	int64_t last = r->rests_on_day, change = f->last[OA_SYSTEM_CHANGE];

	if (months == 0) {
		r->status = f->level == 0 ? OBL_UNKNOWN : OBL_NOT_APPLICABLE;
		snprintf(r->reason, sizeof(r->reason), f->level == 0 ?
		    "the system's level is not determined" : "not required at level %d", f->level);
		return;
	}
	if (last == OBLIGATION_NO_DAY) {
		r->status = OBL_OVERDUE;
		snprintf(r->reason, sizeof(r->reason), "never recorded (every %d months)", months);
		return;
	}
	if (rule->after_change && change != OBLIGATION_NO_DAY && change > last) {
		r->status = OBL_OVERDUE;
		r->due_day = change;
		set_reason(r, "the system changed on ", change, ", after the last review");
		return;
	}
	r->due_day = add_months(last, months);
	r->status = against_due(today, r->due_day, lead, OBL_DONE);
	snprintf(r->reason, sizeof(r->reason), "every %d months at level %d", months, f->level);
}

/* The k-th "before" day counted over the years: the last day to act. */
static int64_t
annual_due(const struct obligation_rule *rule, int year, int k)
{
	year += k / rule->n_dates - (k % rule->n_dates < 0);
	k = ((k % rule->n_dates) + rule->n_dates) % rule->n_dates;
	return calendar_day_from_ymd(year, rule->dates[k][0], rule->dates[k][1]) - 1;
}

static void
eval_annual(const struct obligation_rule *rule, int64_t today, int lead,
    struct obligation_result *r)
{
	int64_t next, prev, prev2, last = r->rests_on_day;
	int y, m, d, k = 0;

	calendar_ymd(today, &y, &m, &d);
	/* The first deadline on or after today; at most n_dates + 1 steps. */
	while (k <= rule->n_dates && annual_due(rule, y, k) < today)
		k++;
	next = annual_due(rule, y, k);
	prev = annual_due(rule, y, k - 1);
	prev2 = annual_due(rule, y, k - 2);
	r->due_day = next;
	if (last != OBLIGATION_NO_DAY && last > prev) {
		r->status = OBL_DONE;
		set_reason(r, "sent for the period due ", next, "");
	} else if (last != OBLIGATION_NO_DAY && last > prev2) {
		r->status = against_due(today, next, lead, OBL_DONE);
		set_reason(r, "the last one was on time; next due ", next, "");
	} else if (rule->since_day != OBLIGATION_NO_DAY && prev < rule->since_day) {
		/* The last deadline fell before the duty existed. */
		r->status = against_due(today, next, lead, OBL_PENDING);
		set_reason(r, "the first one is due ", next, "");
	} else {
		r->status = OBL_OVERDUE;
		r->due_day = prev;
		set_reason(r, "not sent for the period due ", prev, "");
	}
}

size_t
obligation_evaluate(const struct obligation_set *set, enum obligation_scope scope,
    const struct obligation_facts *facts, int64_t today, struct obligation_result *out,
    size_t max)
{
	struct obligation_facts f = *facts;
	size_t n = 0;

	if (f.level < 0 || f.level > 5)
		f.level = 0;
	for (size_t i = 0; i < set->rule_count && n < max; i++) {
		const struct obligation_rule *rule = &set->rules[i];
		struct obligation_result *r = &out[n];

		if (rule->scope != scope)
			continue;
		memset(r, 0, sizeof(*r));
		r->set = set;
		r->rule = rule;
		r->due_day = OBLIGATION_NO_DAY;
		r->rests_on_day = rule->activity < OA_COUNT ? f.last[rule->activity] :
		    OBLIGATION_NO_DAY;
		n++;
		if (rule->owners_only && !f.owns_systems) {
			r->status = OBL_NOT_APPLICABLE;
			snprintf(r->reason, sizeof(r->reason), "for owners of systems only");
			continue;
		}
		if (rule->min_level > 0 && f.level == 0 && rule->schedule != OBL_INTERVAL) {
			r->status = OBL_UNKNOWN;
			snprintf(r->reason, sizeof(r->reason), "the system's level is not determined");
			continue;
		}
		if (rule->min_level > 0 && f.level > 0 && f.level < rule->min_level) {
			r->status = OBL_NOT_APPLICABLE;
			snprintf(r->reason, sizeof(r->reason), "for level %d and above",
			    rule->min_level);
			continue;
		}
		switch (rule->schedule) {
		case OBL_ONCE:
			eval_once(rule, &f, today, set->lead_days, r);
			break;
		case OBL_INTERVAL:
			eval_interval(rule, &f, today, set->lead_days, r);
			break;
		case OBL_ANNUAL_DATES:
			eval_annual(rule, today, set->lead_days, r);
			break;
		default:
			r->status = OBL_UNKNOWN;
			snprintf(r->reason, sizeof(r->reason),
			    "informational: the law sets no checkable schedule");
			break;
		}
	}
	return n;
}

enum csirt_rc
obligation_dossier_due(const struct obligation_set *set, const struct calendar *cal,
    enum dossier_step step, int level, int64_t entered_day, int64_t *due_day,
    struct csirt_err *err)
{
	const struct obligation_limit *l;
	int64_t due = 0;
	enum csirt_rc rc;

	if (cal == NULL)
		cal = calendar_builtin();
	if ((unsigned)step >= DOSSIER_STEP_COUNT || level < 1 || level > 5)
		return csirt_err_set(err, CSIRT_EINVAL, NULL, "no such dossier step or level");
	l = &set->dossier[step][level];
	if (l->unit == UNIT_NONE)
		return csirt_err_set(err, CSIRT_ENOTFOUND, NULL, "the law sets no time limit");
	/* deadline_due counts from an instant; noon of the entry day is safely inside it. */
	rc = deadline_due(cal, l->unit, l->value, calendar_day_start(entered_day) + 12 * 3600,
	    &due, err);
	if (rc == CSIRT_OK)
		*due_day = calendar_day_of(due);
	return rc;
}

/* --- the dossier procedure --------------------------------------------- */

static const char *const dossier_state_names[DS_STATE_COUNT] = {
	[DS_DRAFT] = "draft",
	[DS_SUBMITTED] = "submitted",
	[DS_VALIDITY_CHECK] = "validity_check",
	[DS_APPRAISAL] = "appraisal",
	[DS_APPROVAL] = "approval",
	[DS_APPROVED] = "approved",
	[DS_RETURNED] = "returned",
};

const char *
dossier_state_name(enum dossier_state s)
{
	return (unsigned)s < DS_STATE_COUNT ? dossier_state_names[s] : NULL;
}

int
dossier_state_from_name(const char *name)
{
	for (int i = 0; name != NULL && i < DS_STATE_COUNT; i++)
		if (strcmp(name, dossier_state_names[i]) == 0)
			return i;
	return -1;
}

bool
dossier_transition_allowed(enum dossier_state from, enum dossier_state to)
{
	switch (from) {
	case DS_DRAFT:
		return to == DS_SUBMITTED;
	case DS_SUBMITTED:
		return to == DS_VALIDITY_CHECK || to == DS_RETURNED;
	case DS_VALIDITY_CHECK:
		return to == DS_APPRAISAL || to == DS_RETURNED;
	case DS_APPRAISAL:
		return to == DS_APPROVAL || to == DS_RETURNED;
	case DS_APPROVAL:
		return to == DS_APPROVED || to == DS_RETURNED;
	case DS_RETURNED:
		return to == DS_DRAFT;
	default:
		return false;	/* approved is final; re-classification is a new dossier */
	}
}

int
dossier_state_step(enum dossier_state state)
{
	switch (state) {
	case DS_SUBMITTED:
	case DS_VALIDITY_CHECK:
		return DOSSIER_VALIDITY_CHECK;	/* counted from receipt */
	case DS_APPRAISAL:
		return DOSSIER_APPRAISAL;
	case DS_APPROVAL:
		return DOSSIER_APPROVAL;
	default:
		return -1;
	}
}

static json_t *
day_json(int64_t day)
{
	char s[16];
	int y, m, d;

	if (day == OBLIGATION_NO_DAY)
		return json_null();
	calendar_ymd(day, &y, &m, &d);
	snprintf(s, sizeof(s), "%04d-%02d-%02d", y, m, d);
	return json_string(s);
}

json_t *
obligation_result_to_json(const struct obligation_result *r, const char *lang)
{
	const struct obligation_rule *rule = r->rule;
	const char *note = rulepack_text(&rule->note, lang);

	return json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:s?,s:o,s:s,s:s,s:s,s:s?,s:s?,s:b}",
	    "rule_id", rule->id, "kind", rule->kind, "label", rulepack_text(&rule->label, lang),
	    "status", obligation_status_name(r->status), "due_on", day_json(r->due_day),
	    "rests_on_date", day_json(r->rests_on_day),
	    "rests_on", obligation_activity_name(rule->activity),
	    "reason", r->reason[0] ? json_string(r->reason) : json_null(),
	    "regime", r->set->id, "source", rule->source, "confidence", rule->confidence,
	    "schedule", schedule_names[rule->schedule], "note", note,
	    "informational", rule->schedule == OBL_INFORMATIONAL);
}
