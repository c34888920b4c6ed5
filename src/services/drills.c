/*
 * drills.c - drills (diễn tập) of a system: planned, then done with their
 * findings and lessons learned, or cancelled; linked to the plan version
 * they exercised. Completing one records a drill activity. Directive
 * 18/CT-TTg asks for a live-fire drill (diễn tập thực chiến) every year at
 * level 3 and above, so the activity says which kind it was and the
 * obligations engine counts live-fire drills only (obligations.c).
 */
#include "csirt/common.h"
#include "csirt/entities.h"
#include "csirt/plans.h"
#include "csirt/taxonomy.h"
#include "services/services_int.h"

#include <stdio.h>
#include <string.h>

#define DRILL_MAX_FINDINGS 100

/* The references and days of a drill body (after schema_validate): the
 * plan must be one of the same system; plan_version follows it. */
static enum csirt_rc
check_links(struct store *st, int64_t system_id, json_t *rec, struct csirt_err *err)
{
	json_t *plan_id = json_object_get(rec, "plan_id"), *plan = NULL;
	const char *code = json_string_value(json_object_get(rec, "scenario_code"));
	enum csirt_rc rc;

	if (code && *code && taxonomy_find(taxonomy_builtin(), code) == NULL)
		return csirt_err_set(err, CSIRT_EINVAL, "scenario_code",
		    "scenario_code must be a code of GET /api/taxonomy");
	rc = svc_day_field(rec, "planned_on", 0, 0, NULL, err);
	if (rc != CSIRT_OK || plan_id == NULL)
		return rc;
	if (json_is_null(plan_id)) {
		json_object_set_new(rec, "plan_version", json_null());
		return CSIRT_OK;
	}
	rc = store_get(st, &entity_response_plan, json_integer_value(plan_id), &plan);
	if (rc == CSIRT_OK && json_integer_value(json_object_get(plan, "system_id")) != system_id)
		rc = CSIRT_ENOTFOUND;
	if (rc == CSIRT_OK)
		json_object_set(rec, "plan_version", json_object_get(plan, "version"));
	json_decref(plan);
	if (rc == CSIRT_ENOTFOUND)
		return csirt_err_set(err, CSIRT_EINVAL, "plan_id",
		    "plan_id must be a response plan of the same system");
	return rc;
}

/* A new drill of 'system_id': planned, no findings yet. */
static enum csirt_rc
prepare_new(struct store *st, const struct actor *who, int64_t system_id, json_t *before,
    json_t *rec, struct csirt_err *err)
{
	(void)before;
	json_object_set_new(rec, "status", json_string("planned"));
	json_object_set_new(rec, "findings", json_array());
	if (who->user_id)
		json_object_set_new(rec, "created_by", json_integer(who->user_id));
	return check_links(st, system_id, rec, err);
}

enum csirt_rc
drill_create(struct store *st, const struct actor *who, int64_t system_id, json_t *in,
    int64_t *id, struct csirt_err *err)
{
	json_t *rec = NULL;
	enum csirt_rc rc = schema_validate(&entity_drill, in, 1, &rec, err);

	if (rc == CSIRT_OK)
		rc = svc_system_record_insert(st, who, &entity_drill, system_id, rec, prepare_new, id,
		    err);
	json_decref(rec);
	return rc;
}

enum csirt_rc
drill_list(struct store *st, const struct actor *who, int64_t system_id, json_t **out)
{
	return svc_system_record_list(st, who, &entity_drill, system_id, NULL, out);
}

enum csirt_rc
drill_get(struct store *st, const struct actor *who, int64_t id, json_t **out)
{
	return svc_system_record_load(st, who, &entity_drill, id, out);
}

/* An edit: anything but a cancelled drill, with its links checked. */
static enum csirt_rc
check_edit(struct store *st, const struct actor *who, int64_t owner, json_t *before, json_t *rec,
    struct csirt_err *err)
{
	(void)who;
	(void)owner;
	if (strcmp(json_string_value(json_object_get(before, "status")), "cancelled") == 0)
		return csirt_err_set(err, CSIRT_ECONFLICT, "status", "this drill is cancelled");
	return check_links(st, json_integer_value(json_object_get(before, "system_id")), rec, err);
}

/*
 * Completing or cancelling: a planned drill only. Completing records the
 * drill activity, in the same transaction, on the day it was held, and
 * says which kind it was: only live-fire drills meet Directive 18.
 */
static enum csirt_rc
check_close(struct store *st, const struct actor *who, int64_t owner, json_t *before,
    json_t *rec, struct csirt_err *err)
{
	const char *kind = json_string_value(json_object_get(before, "kind"));
	char summary[512];
	json_t *result;
	int64_t day;
	enum csirt_rc rc;

	(void)owner;
	if (strcmp(json_string_value(json_object_get(before, "status")), "planned") != 0)
		return csirt_err_set(err, CSIRT_ECONFLICT, "status", "this drill is %s; only a"
		    " planned drill is completed or cancelled",
		    json_string_value(json_object_get(before, "status")));
	if (json_object_get(rec, "held_on") == NULL)
		return CSIRT_OK;
	rc = svc_day_field(rec, "held_on", 1, 1, &day, err);
	if (rc != CSIRT_OK)
		return rc;
	snprintf(summary, sizeof(summary), "%s (%s): %.300s", strcmp(kind, "live_fire") == 0 ?
	    "Diễn tập thực chiến" : "Diễn tập trên bàn, không tính là diễn tập thực chiến",
	    kind, json_string_value(json_object_get(before, "title")));
	result = json_pack("{s:O,s:s,s:O}", "drill_id", json_object_get(before, "id"),
	    "drill_kind", kind, "findings", json_object_get(rec, "findings"));
	rc = svc_activity_record(st, who, json_integer_value(json_object_get(before, "system_id")),
	    "drill", day, summary, result);
	json_decref(result);
	return rc;
}

enum csirt_rc
drill_update(struct store *st, const struct actor *who, int64_t id, json_t *in,
    struct csirt_err *err)
{
	json_t *rec = NULL;
	enum csirt_rc rc = schema_validate(&entity_drill, in, 0, &rec, err);

	if (rc == CSIRT_OK)
		rc = svc_record_update(st, who, &entity_drill, id, rec, drill_get, check_edit,
		    "update", err);
	json_decref(rec);
	return rc;
}

enum csirt_rc
drill_findings_validate(json_t *list, json_t **out, struct csirt_err *err)
{
	static const char *const keys[] = { "text", "severity", "status" };
	static const char *const sev[] = { "low", "medium", "high" };
	json_t *f, *v;
	size_t i;

	if (list && (!json_is_array(list) || json_array_size(list) > DRILL_MAX_FINDINGS))
		return csirt_err_set(err, CSIRT_EINVAL, "findings",
		    "findings must be a list of at most %d", DRILL_MAX_FINDINGS);
	*out = json_array();
	json_array_foreach(list, i, f) {
		const char *k, *s, *st;
		int ok = json_is_object(f);

		if (ok)
			json_object_foreach(f, k, v)
				ok = ok && (strcmp(k, keys[0]) == 0 || strcmp(k, keys[1]) == 0 ||
				    strcmp(k, keys[2]) == 0);
		s = json_string_value(json_object_get(f, "severity"));
		st = json_string_value(json_object_get(f, "status"));
		if (!ok || !svc_text_ok(json_object_get(f, "text"), 2000) ||
		    json_string_length(json_object_get(f, "text")) == 0 || s == NULL ||
		    (strcmp(s, sev[0]) != 0 && strcmp(s, sev[1]) != 0 && strcmp(s, sev[2]) != 0) ||
		    (st && strcmp(st, "open") != 0 && strcmp(st, "fixed") != 0)) {
			json_decref(*out);
			*out = NULL;
			return csirt_err_set(err, CSIRT_EINVAL, "findings", "finding %zu needs \"text\""
			    " (2000 bytes), \"severity\" low|medium|high, optional \"status\""
			    " open|fixed, and nothing else", i);
		}
		json_array_append_new(*out, json_pack("{s:O,s:s,s:s}", "text",
		    json_object_get(f, "text"), "severity", s, "status", st ? st : "open"));
	}
	return CSIRT_OK;
}

enum csirt_rc
drill_complete(struct store *st, const struct actor *who, int64_t id, json_t *in,
    struct csirt_err *err)
{
	json_t *rec = NULL, *findings = NULL, *v;
	const char *k;
	enum csirt_rc rc = CSIRT_OK;

	if (!json_is_object(in))
		return csirt_err_set(err, CSIRT_EINVAL, NULL, "the body must be a JSON object");
	json_object_foreach(in, k, v)
		if (strcmp(k, "held_on") != 0 && strcmp(k, "findings") != 0 &&
		    strcmp(k, "lessons_learned") != 0)
			return csirt_err_set(err, CSIRT_EINVAL, k, "unknown field '%.60s'", k);
	if (json_object_get(in, "lessons_learned") &&
	    !svc_text_ok(json_object_get(in, "lessons_learned"), 20000))
		return csirt_err_set(err, CSIRT_EINVAL, "lessons_learned",
		    "'lessons_learned' must be a text of at most 20000 bytes");
	rc = svc_day_field(in, "held_on", 1, 1, NULL, err);
	if (rc == CSIRT_OK)
		rc = drill_findings_validate(json_object_get(in, "findings"), &findings, err);
	if (rc != CSIRT_OK)
		return rc;
	rec = json_pack("{s:s,s:O,s:o}", "status", "done", "held_on",
	    json_object_get(in, "held_on"), "findings", findings);
	if (json_object_get(in, "lessons_learned"))
		json_object_set(rec, "lessons_learned", json_object_get(in, "lessons_learned"));
	rc = svc_record_update(st, who, &entity_drill, id, rec, drill_get, check_close, "complete",
	    err);
	json_decref(rec);
	return rc;
}

enum csirt_rc
drill_cancel(struct store *st, const struct actor *who, int64_t id, json_t *in,
    struct csirt_err *err)
{
	json_t *reason = json_object_get(in, "reason"), *rec;
	enum csirt_rc rc;

	if (!json_is_object(in) || json_object_size(in) != 1 || !svc_text_ok(reason, 4000) ||
	    json_string_length(reason) == 0)
		return csirt_err_set(err, CSIRT_EINVAL, "reason",
		    "give the reason (\"reason\", at most 4000 bytes) and nothing else");
	rec = json_pack("{s:s,s:O}", "status", "cancelled", "cancel_reason", reason);
	rc = svc_record_update(st, who, &entity_drill, id, rec, drill_get, check_close, "cancel",
	    err);
	json_decref(rec);
	return rc;
}
