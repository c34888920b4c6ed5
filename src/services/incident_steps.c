/*
 * incident_steps.c - moving an incident along the procedure of Circular
 * 20/2017 Art 11 (the rules themselves are in src/domain/procedure.c).
 */
#include "csirt/common.h"
#include "csirt/entities.h"
#include "csirt/incidents.h"
#include "csirt/procedure.h"
#include "services/services_int.h"

#include <string.h>

enum csirt_rc
incident_transition(struct store *st, const struct actor *who, int64_t id, const char *to,
    const char *reason, int system_stable, struct csirt_err *err)
{
	enum incident_step from_step, to_step;
	struct procedure_ctx ctx = { 0 };
	json_t *before = NULL, *after = NULL, *closure, *upd = NULL;
	enum csirt_rc rc;
	int64_t now = time_now();

	if (to == NULL || procedure_step_parse(to, &to_step) != CSIRT_OK)
		return csirt_err_set(err, CSIRT_EINVAL, "to", "unknown step; use one of 1a 1b 1c 1d 1dd"
		    " 1e 2 3a 3b 3c 4 closed");
	if (reason == NULL || *reason == '\0' || strlen(reason) > 4000 ||
	    !utf8_valid(reason, strlen(reason)))
		return csirt_err_set(err, CSIRT_EINVAL, "reason",
		    "every move needs a reason (1 to 4000 bytes of text)");
	rc = store_begin(st);
	if (rc != CSIRT_OK)
		return rc;
	rc = svc_incident_load(st, who, id, &before);
	if (rc != CSIRT_OK)
		goto out_rollback;
	if (procedure_step_parse(json_string_value(json_object_get(before, "step")), &from_step) !=
	    CSIRT_OK) {
		rc = CSIRT_EINTERNAL;
		goto out_rollback;
	}
	closure = json_object_get(before, "closure");
	ctx.closure_report_complete = json_is_object(closure) &&
	    json_string_length(json_object_get(closure, "summary")) > 0;
	/* The result of step 3c: said by the caller, or read from where it
	 * goes (back to 2 means not stable, on to 4 means stable). */
	if (system_stable >= 0)
		ctx.system_stable = system_stable;
	else
		ctx.system_stable = to_step != STEP_2;
	rc = procedure_check(from_step, to_step, &ctx, err);
	if (rc != CSIRT_OK)
		goto out_rollback;
	upd = json_pack("{s:s}", "step", procedure_step_code(to_step));
	if (to_step == STEP_4 && json_is_null(json_object_get(before, "response_ended_at")))
		json_object_set_new(upd, "response_ended_at", json_integer(now));
	if (to_step == STEP_CLOSED) {
		json_object_set_new(upd, "status", json_string("closed"));
		json_object_set_new(upd, "closed_at", json_integer(now));
		json_object_set_new(upd, "handled_status", json_string("handled"));
	}
	rc = store_update(st, &entity_incident, id, upd);
	if (rc == CSIRT_OK)
		rc = store_exec(st, "INSERT INTO transitions (incident_id, from_step, to_step, at,"
		    " actor_id, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", json_pack("[I,s,s,I,o,s]",
		    (json_int_t)id, procedure_step_code(from_step), procedure_step_code(to_step),
		    (json_int_t)now, who && who->user_id ? json_integer(who->user_id) : json_null(),
		    reason), NULL, NULL);
	if (rc == CSIRT_OK)
		rc = svc_deadlines_refresh(st, id);
	if (rc == CSIRT_OK && (rc = store_get(st, &entity_incident, id, &after)) == CSIRT_OK) {
		json_object_set_new(after, "reason", json_string(reason));
		svc_audit(st, who, "transition", "incident", id, before, after);
	}
	if (rc != CSIRT_OK)
		goto out_rollback;
	json_decref(upd);
	json_decref(before);
	json_decref(after);
	return store_commit(st);

out_rollback:
	store_rollback(st);
	json_decref(upd);
	json_decref(before);
	json_decref(after);
	return rc;
}
