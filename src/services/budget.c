/*
 * budget.c - budget lines of IT plans and projects and their
 * information-security share (budget.h). The required share is data of
 * each rule set, so a line shows the check of both regimes side by side:
 * a project budgeted before 2026 is judged by Directive 14's 10 % and the
 * Department also sees whether it reaches Law 116's 15 %.
 */
#include "csirt/common.h"
#include "csirt/budget.h"
#include "csirt/entities.h"
#include "csirt/obligation.h"
#include "services/services_int.h"

#include <math.h>
#include <string.h>

json_t *
budget_checks(int64_t total, int64_t security)
{
	json_t *checks = json_array();

	for (size_t i = 0; i < obligation_builtin_count(); i++) {
		const struct obligation_set *set = obligation_builtin_at(i);

		if (!set->has_budget)
			continue;
		/* Integers: amounts are capped at 10^15 VND, so * 100 fits. */
		json_array_append_new(checks, json_pack("{s:s,s:s,s:s,s:s,s:i,s:b}", "regime",
		    set->id, "rule", set->budget_rule, "source", set->budget_source, "confidence",
		    set->budget_confidence, "required_percent", set->budget_percent, "met",
		    total > 0 && security * 100 >= (int64_t)set->budget_percent * total));
	}
	return checks;
}

static void
render(json_t *line)
{
	int64_t total = json_integer_value(json_object_get(line, "total_amount"));
	int64_t sec = json_integer_value(json_object_get(line, "security_amount"));
	double share = total > 0 ? round((double)sec * 10000.0 / (double)total) / 100.0 : 0.0;

	json_object_set_new(line, "security_share", json_real(share));
	json_object_set_new(line, "checks", budget_checks(total, sec));
	schema_render(&entity_budget_line, line);
}

/* The organisation (and system, if any) must be in the actor's scope, and
 * the security amount at most the total. 'merged' is the whole line. */
static enum csirt_rc
check_line(struct store *st, const struct actor *who, json_t *merged, struct csirt_err *err)
{
	int64_t scope = actor_scope(who), org = json_integer_value(json_object_get(merged, "org_id"));
	json_t *o = NULL, *sys = json_object_get(merged, "system_id");
	int yes = 1;

	if (store_get(st, &entity_org, org, &o) != CSIRT_OK)
		return csirt_err_set(err, CSIRT_EINVAL, "org_id", "no such organisation");
	json_decref(o);
	if (scope)
		store_org_in_subtree(st, scope, org, &yes);
	if (!yes)
		return csirt_err_set(err, CSIRT_EINVAL, "org_id", "no such organisation");
	if (json_is_integer(sys) && svc_system_visible(st, who, json_integer_value(sys)) != CSIRT_OK)
		return csirt_err_set(err, CSIRT_EINVAL, "system_id", "no such information system");
	if (json_integer_value(json_object_get(merged, "security_amount")) >
	    json_integer_value(json_object_get(merged, "total_amount")))
		return csirt_err_set(err, CSIRT_EINVAL, "security_amount",
		    "the security amount cannot exceed the total");
	return CSIRT_OK;
}

enum csirt_rc
budget_create(struct store *st, const struct actor *who, json_t *in, int64_t *id,
    struct csirt_err *err)
{
	json_t *rec = NULL;
	enum csirt_rc rc = schema_validate(&entity_budget_line, in, 1, &rec, err);

	if (rc != CSIRT_OK)
		return rc;
	rc = store_begin(st);
	if (rc != CSIRT_OK)
		goto out;
	rc = svc_create_finish(st, who, &entity_budget_line, rec, id, check_line(st, who, rec, err));
out:
	json_decref(rec);
	return rc;
}

/* The raw line if its organisation is in the actor's scope. */
static enum csirt_rc
load(struct store *st, const struct actor *who, int64_t id, json_t **out)
{
	json_t *rec = NULL;
	int64_t scope = actor_scope(who);
	int yes = 1;
	enum csirt_rc rc = store_get(st, &entity_budget_line, id, &rec);

	if (rc != CSIRT_OK)
		return rc;
	if (scope)
		store_org_in_subtree(st, scope, json_integer_value(json_object_get(rec, "org_id")),
		    &yes);
	if (!yes) {
		json_decref(rec);
		return CSIRT_ENOTFOUND;
	}
	*out = rec;
	return CSIRT_OK;
}

enum csirt_rc
budget_get(struct store *st, const struct actor *who, int64_t id, json_t **out)
{
	enum csirt_rc rc = load(st, who, id, out);

	if (rc == CSIRT_OK)
		render(*out);
	return rc;
}

enum csirt_rc
budget_list(struct store *st, const struct actor *who, int64_t org_id, int64_t year,
    json_t **out)
{
	struct store_query q;
	json_t *items = NULL;
	int64_t total = 0;
	enum csirt_rc rc;

	memset(&q, 0, sizeof(q));
	q.scope_field = "org_id";
	q.scope_org = actor_scope(who);
	if (year)
		q.filters[q.n_filters++] = (struct store_filter){ "year", SQ_EQ, 0, year, NULL };
	q.sort = "year";
	q.desc = 1;
	q.limit = 5000;
	rc = store_list(st, &entity_budget_line, &q, &items, &total);
	if (rc != CSIRT_OK)
		return rc;
	for (size_t i = json_array_size(items); i-- > 0;) {
		json_t *line = json_array_get(items, i);
		int yes = 1;

		if (org_id)
			store_org_in_subtree(st, org_id, json_integer_value(json_object_get(line,
			    "org_id")), &yes);
		if (!yes)
			json_array_remove(items, i);
		else
			render(line);
	}
	*out = svc_items(items);
	return *out ? CSIRT_OK : CSIRT_ENOMEM;
}

/* The line as it would be after the change must pass check_line. */
static enum csirt_rc
check_change(struct store *st, const struct actor *who, int64_t owner, json_t *before,
    json_t *rec, struct csirt_err *err)
{
	json_t *merged = json_deep_copy(before);
	enum csirt_rc rc;

	(void)owner;
	if (merged == NULL)
		return CSIRT_ENOMEM;
	json_object_update(merged, rec);
	rc = check_line(st, who, merged, err);
	json_decref(merged);
	return rc;
}

enum csirt_rc
budget_update(struct store *st, const struct actor *who, int64_t id, json_t *in,
    struct csirt_err *err)
{
	json_t *rec = NULL;
	enum csirt_rc rc = schema_validate(&entity_budget_line, in, 0, &rec, err);

	if (rc == CSIRT_OK)
		rc = svc_record_update(st, who, &entity_budget_line, id, rec, load, check_change,
		    "update", err);
	json_decref(rec);
	return rc;
}

enum csirt_rc
budget_delete(struct store *st, const struct actor *who, int64_t id)
{
	return svc_record_delete(st, who, &entity_budget_line, id, load);
}
