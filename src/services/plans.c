/*
 * plans.c - response plans (phương án ứng cứu sự cố) of a system, DOMAIN.md
 * §5-6: versioned per system, each scenario keyed to the taxonomy with its
 * initial priority steps, the conditions for keeping the system running,
 * resources and estimated budget. A plan is edited as a draft; approving
 * it supersedes the approved version, and approving or reviewing it records
 * the response_plan activity the obligations engine reads.
 */
#include "csirt/common.h"
#include "csirt/entities.h"
#include "csirt/plans.h"
#include "csirt/taxonomy.h"
#include "services/services_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One scenario, normalised with every key present. */
static enum csirt_rc
check_scenario(json_t *s, size_t i, json_t **out, struct csirt_err *err)
{
	static const char *const keys[] = { "taxonomy_code", "title", "priority_steps",
		"keep_running_conditions", "resources", "estimated_budget" };
	json_t *code = json_object_get(s, "taxonomy_code"), *steps, *v, *budget;
	const char *k;
	size_t n;

	if (!json_is_object(s))
		return csirt_err_set(err, CSIRT_EINVAL, "scenarios", "scenario %zu must be an object", i);
	json_object_foreach(s, k, v) {
		for (n = 0; n < ARRAY_SIZE(keys) && strcmp(k, keys[n]) != 0; n++)
			;
		if (n == ARRAY_SIZE(keys))
			return csirt_err_set(err, CSIRT_EINVAL, "scenarios",
			    "scenario %zu: unknown field '%.60s'", i, k);
	}
	if (!svc_text_ok(code, 8) || taxonomy_find(taxonomy_builtin(), json_string_value(code)) == NULL)
		return csirt_err_set(err, CSIRT_EINVAL, "scenarios",
		    "scenario %zu: taxonomy_code must be a code of GET /api/taxonomy", i);
	if (!svc_text_ok(json_object_get(s, "title"), 300) ||
	    json_string_length(json_object_get(s, "title")) == 0)
		return csirt_err_set(err, CSIRT_EINVAL, "scenarios",
		    "scenario %zu: a title is required (300 bytes)", i);
	steps = json_object_get(s, "priority_steps");
	if (steps && (!json_is_array(steps) || json_array_size(steps) > PLAN_MAX_STEPS))
		return csirt_err_set(err, CSIRT_EINVAL, "scenarios",
		    "scenario %zu: priority_steps must be a list of at most %d texts", i,
		    PLAN_MAX_STEPS);
	json_array_foreach(steps, n, v)
		if (!svc_text_ok(v, 2000))
			return csirt_err_set(err, CSIRT_EINVAL, "scenarios",
			    "scenario %zu: step %zu must be a text of at most 2000 bytes", i, n);
	for (n = 3; n < 5; n++)
		if (json_object_get(s, keys[n]) && !svc_text_ok(json_object_get(s, keys[n]), 4000))
			return csirt_err_set(err, CSIRT_EINVAL, "scenarios",
			    "scenario %zu: %s must be a text of at most 4000 bytes", i, keys[n]);
	budget = json_object_get(s, "estimated_budget");
	if (budget && (!json_is_integer(budget) || json_integer_value(budget) < 0 ||
	    json_integer_value(budget) > 1000000000000000LL))
		return csirt_err_set(err, CSIRT_EINVAL, "scenarios",
		    "scenario %zu: estimated_budget must be an integer amount of VND >= 0", i);
	*out = json_pack("{s:O,s:O,s:o,s:s,s:s,s:I}", "taxonomy_code", code, "title",
	    json_object_get(s, "title"), "priority_steps", steps ? json_incref(steps) : json_array(),
	    "keep_running_conditions", json_string_value(json_object_get(s, keys[3])) ?
	    json_string_value(json_object_get(s, keys[3])) : "", "resources",
	    json_string_value(json_object_get(s, keys[4])) ?
	    json_string_value(json_object_get(s, keys[4])) : "",
	    "estimated_budget", (json_int_t)(budget ? json_integer_value(budget) : 0));
	return *out ? CSIRT_OK : CSIRT_ENOMEM;
}

/* The scenarios are checked by hand (a list of objects), the rest by the
 * entity definition. */
enum csirt_rc
plan_validate(json_t *in, int creating, json_t **rec, struct csirt_err *err)
{
	json_t *copy, *scen, *norm = NULL, *s;
	size_t i;
	enum csirt_rc rc = CSIRT_OK;

	*rec = NULL;
	if (!json_is_object(in))
		return csirt_err_set(err, CSIRT_EINVAL, NULL, "the body must be a JSON object");
	copy = json_copy(in);
	if (copy == NULL)
		return CSIRT_ENOMEM;
	scen = json_incref(json_object_get(copy, "scenarios"));
	json_object_del(copy, "scenarios");
	if (scen) {
		char *dumped = json_dumps(scen, JSON_COMPACT);

		if (!json_is_array(scen) || json_array_size(scen) > PLAN_MAX_SCENARIOS)
			rc = csirt_err_set(err, CSIRT_EINVAL, "scenarios",
			    "scenarios must be a list of at most %d", PLAN_MAX_SCENARIOS);
		else if (dumped == NULL || strlen(dumped) > PLAN_SCENARIOS_MAX_BYTES)
			rc = csirt_err_set(err, CSIRT_EINVAL, "scenarios",
			    "the scenarios are over %d KB", PLAN_SCENARIOS_MAX_BYTES / 1024);
		free(dumped);
		norm = json_array();
		json_array_foreach(scen, i, s) {
			json_t *one = NULL;

			if (rc != CSIRT_OK)
				break;
			rc = check_scenario(s, i, &one, err);
			if (rc == CSIRT_OK)
				json_array_append_new(norm, one);
		}
	}
	if (rc == CSIRT_OK)
		rc = schema_validate(&entity_response_plan, copy, creating, rec, err);
	if (rc == CSIRT_OK && (norm || creating))
		json_object_set_new(*rec, "scenarios", norm ? json_incref(norm) : json_array());
	json_decref(norm);
	json_decref(scen);
	json_decref(copy);
	return rc;
}

/* The next version of the system's plan, and the new draft's status. */
static enum csirt_rc
new_version(struct store *st, const struct actor *who, int64_t system_id, json_t *before,
    json_t *rec, struct csirt_err *err)
{
	json_t *rows = NULL;
	enum csirt_rc rc = store_query_json(st, "SELECT COALESCE(MAX(version), 0) + 1 AS v"
	    " FROM response_plans WHERE system_id = ?1", json_pack("[I]", (json_int_t)system_id),
	    &rows);

	(void)before;
	(void)err;
	if (rc != CSIRT_OK)
		return rc;
	json_object_set(rec, "version", json_object_get(json_array_get(rows, 0), "v"));
	json_object_set_new(rec, "status", json_string("draft"));
	if (who->user_id)
		json_object_set_new(rec, "created_by", json_integer(who->user_id));
	json_decref(rows);
	return CSIRT_OK;
}

enum csirt_rc
plan_create(struct store *st, const struct actor *who, int64_t system_id, json_t *in,
    int64_t *id, struct csirt_err *err)
{
	json_t *rec = NULL;
	enum csirt_rc rc = plan_validate(in, 1, &rec, err);

	if (rc == CSIRT_OK)
		rc = svc_system_record_insert(st, who, &entity_response_plan, system_id, rec,
		    new_version, id, err);
	json_decref(rec);
	return rc;
}

enum csirt_rc
plan_list(struct store *st, const struct actor *who, int64_t system_id, json_t **out)
{
	return svc_system_record_list(st, who, &entity_response_plan, system_id, "version", out);
}

enum csirt_rc
plan_get(struct store *st, const struct actor *who, int64_t id, json_t **out)
{
	return svc_system_record_load(st, who, &entity_response_plan, id, out);
}

/* Loads the plan in a write transaction and checks its status. */
static enum csirt_rc
load_in_status(struct store *st, const struct actor *who, int64_t id, const char *status,
    const char *why, json_t **plan, struct csirt_err *err)
{
	enum csirt_rc rc = plan_get(st, who, id, plan);

	if (rc != CSIRT_OK)
		return rc;
	if (strcmp(json_string_value(json_object_get(*plan, "status")), status) != 0) {
		rc = csirt_err_set(err, CSIRT_ECONFLICT, "status", "%s; this plan is %s", why,
		    json_string_value(json_object_get(*plan, "status")));
		json_decref(*plan);
		*plan = NULL;
	}
	return rc;
}

/* Only a draft is edited. */
static enum csirt_rc
is_draft(struct store *st, const struct actor *who, int64_t owner, json_t *before, json_t *rec,
    struct csirt_err *err)
{
	(void)st;
	(void)who;
	(void)owner;
	(void)rec;
	if (strcmp(json_string_value(json_object_get(before, "status")), "draft") == 0)
		return CSIRT_OK;
	return csirt_err_set(err, CSIRT_ECONFLICT, "status", "only a draft is edited: make a new"
	    " version of an approved plan; this plan is %s",
	    json_string_value(json_object_get(before, "status")));
}

enum csirt_rc
plan_update(struct store *st, const struct actor *who, int64_t id, json_t *in,
    struct csirt_err *err)
{
	json_t *rec = NULL;
	enum csirt_rc rc = plan_validate(in, 0, &rec, err);

	if (rc == CSIRT_OK)
		rc = svc_record_update(st, who, &entity_response_plan, id, rec, plan_get, is_draft,
		    "update", err);
	json_decref(rec);
	return rc;
}

/* {"<day_key>":"YYYY-MM-DD" (not in the future), "note"} and nothing else. */
static enum csirt_rc
check_step(json_t *in, const char *day_key, int64_t *day, struct csirt_err *err)
{
	const char *k;
	json_t *v;

	if (!json_is_object(in))
		return csirt_err_set(err, CSIRT_EINVAL, NULL, "the body must be a JSON object");
	json_object_foreach(in, k, v)
		if (strcmp(k, day_key) != 0 && strcmp(k, "note") != 0)
			return csirt_err_set(err, CSIRT_EINVAL, k, "unknown field '%.60s'", k);
	if (json_object_get(in, "note") && !svc_text_ok(json_object_get(in, "note"), 4000))
		return csirt_err_set(err, CSIRT_EINVAL, "note", "'note' must be a text of at most 4000"
		    " bytes");
	return svc_day_field(in, day_key, 1, 1, day, err);
}

static const char *
note_of(json_t *in)
{
	const char *s = json_string_value(json_object_get(in, "note"));

	return s ? s : "";
}

/* approve (1) or review (0): both record the activity the obligation
 * "response plan reviewed within 12 months" rests on. */
static enum csirt_rc
plan_step(struct store *st, const struct actor *who, int64_t id, json_t *in, int approving,
    struct csirt_err *err)
{
	const char *day_key = approving ? "approved_on" : "reviewed_on";
	json_t *before = NULL, *after = NULL, *result;
	char summary[512];
	int64_t day, sys, version;
	enum csirt_rc rc = check_step(in, day_key, &day, err);

	if (rc != CSIRT_OK)
		return rc;
	if (approving && who->role != ROLE_ADMIN && who->role != ROLE_COORDINATOR)
		return csirt_err_set(err, CSIRT_EFORBIDDEN, NULL,
		    "only the Department (admin or coordinator) approves a plan");
	rc = store_begin(st);
	if (rc != CSIRT_OK)
		return rc;
	rc = load_in_status(st, who, id, approving ? "draft" : "approved",
	    approving ? "only a draft is approved" : "only the approved plan is reviewed",
	    &before, err);
	if (rc != CSIRT_OK)
		goto out_rollback;
	sys = json_integer_value(json_object_get(before, "system_id"));
	version = json_integer_value(json_object_get(before, "version"));
	if (approving) {
		rc = store_exec(st, "UPDATE response_plans SET status = 'superseded', updated_at = ?2"
		    " WHERE system_id = ?1 AND status = 'approved'",
		    json_pack("[I,I]", (json_int_t)sys, (json_int_t)time_now()), NULL, NULL);
		if (rc == CSIRT_OK)
			rc = store_exec(st, "UPDATE response_plans SET status = 'approved',"
			    " approved_by = ?2, approved_at = ?3, approved_on = ?4, approval_note = ?5,"
			    " updated_at = ?3 WHERE id = ?1", json_pack("[I,o,I,O,s]", (json_int_t)id,
			    who->user_id ? json_integer(who->user_id) : json_null(),
			    (json_int_t)time_now(), json_object_get(in, day_key), note_of(in)), NULL,
			    NULL);
	} else {
		rc = store_exec(st, "UPDATE response_plans SET reviewed_on = ?2, review_note = ?3,"
		    " updated_at = ?4 WHERE id = ?1", json_pack("[I,O,s,I]", (json_int_t)id,
		    json_object_get(in, day_key), note_of(in), (json_int_t)time_now()), NULL, NULL);
	}
	snprintf(summary, sizeof(summary), "%s phương án ứng cứu sự cố phiên bản %lld: %.300s",
	    approving ? "Phê duyệt" : "Rà soát", (long long)version,
	    json_string_value(json_object_get(before, "title")));
	result = json_pack("{s:I,s:I,s:s}", "plan_id", (json_int_t)id, "version",
	    (json_int_t)version, "step", approving ? "approved" : "reviewed");
	if (rc == CSIRT_OK)
		rc = svc_activity_record(st, who, sys, "response_plan", day, summary, result);
	json_decref(result);
	if (rc == CSIRT_OK)
		rc = plan_get(st, who, id, &after);
	if (rc != CSIRT_OK)
		goto out_rollback;
	svc_audit(st, who, approving ? "approve" : "review", "response_plan", id, before, after);
	json_decref(before);
	json_decref(after);
	return store_commit(st);

out_rollback:
	store_rollback(st);
	json_decref(before);
	return rc;
}

enum csirt_rc
plan_approve(struct store *st, const struct actor *who, int64_t id, json_t *in,
    struct csirt_err *err)
{
	return plan_step(st, who, id, in, 1, err);
}

enum csirt_rc
plan_review(struct store *st, const struct actor *who, int64_t id, json_t *in,
    struct csirt_err *err)
{
	return plan_step(st, who, id, in, 0, err);
}
