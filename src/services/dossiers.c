/*
 * dossiers.c - level dossiers (hồ sơ đề xuất cấp độ): created by the
 * system's operator, moved through the procedure of the domain
 * (obligation.h, dossier_*) with the time limit of each step computed
 * under the regime in force the day the step begins. The Department
 * (admin, coordinator) receives, checks, appraises and approves; an
 * operator (unit officer in scope) drafts, submits and reworks. Approval
 * records a level_approval activity and sets the system's level, in the
 * same transaction; under NĐ 331/2026 it needs the system's quy chế first.
 */
#include "csirt/common.h"
#include "csirt/filestore.h"
#include "csirt/calendar.h"
#include "csirt/dossiers.h"
#include "csirt/entities.h"
#include "csirt/obligation.h"
#include "csirt/registry.h"
#include "services/services_int.h"

#include <stdio.h>
#include <string.h>

/* The five parts of NĐ 85 Art 15 / NĐ 331 Art 21; the last for L4-5 only. */
static const char *const part_names[] = { "overview", "design", "justification",
	"security_plan", "infosec_opinion" };

static const struct field_def dossier_fields[] = {
	{ "system_id", FT_REF, FF_REQUIRED | FF_CREATE_ONLY, 0, 0, 0, NULL },
	{ "proposed_level", FT_INT, FF_REQUIRED, 0, 1, 5, NULL },
	{ "justification", FT_TEXT, 0, 20000, 0, 0, NULL },
	{ "criteria", FT_LIST, 0, 500, 0, 20, NULL },
	/* set by the service */
	{ "state", FT_TEXT, FF_READONLY, 32, 0, 0, NULL },
	{ "state_entered_at", FT_TIME, FF_READONLY, 0, 0, 0, NULL },
	{ "regime", FT_TEXT, FF_READONLY, 32, 0, 0, NULL },
	{ "created_by", FT_REF, FF_READONLY | FF_NULLABLE, 0, 0, 0, NULL },
	{ "created_at", FT_TIME, FF_READONLY | FF_NULLABLE, 0, 0, 0, NULL },
	{ "updated_at", FT_TIME, FF_READONLY | FF_NULLABLE, 0, 0, 0, NULL },
};
static const struct entity_def dossier_def = { "level_dossier", "level_dossiers",
	dossier_fields, ARRAY_SIZE(dossier_fields) };

static const char dossier_columns[] = "SELECT d.id, d.system_id, s.name AS system_name,"
    " s.owner_org_id, s.operator_org_id, d.proposed_level, d.justification, d.criteria,"
    " d.state, d.state_entered_at, d.regime, d.due_on, d.due_note, d.decision_no,"
    " d.decision_date, d.created_at, d.updated_at FROM level_dossiers d"
    " JOIN systems s ON s.id = d.system_id";

static void
day_text(int64_t day, char out[16])
{
	int y, m, d;

	calendar_ymd(day, &y, &m, &d);
	snprintf(out, 16, "%04d-%02d-%02d", y, m, d);
}

/* The system if the actor may see it (operator's or owner's subtree). */
static enum csirt_rc
system_visible(struct store *st, const struct actor *who, int64_t system_id)
{
	json_t *sys = NULL;
	enum csirt_rc rc = registry_get(st, who, &entity_system, system_id, &sys);

	json_decref(sys);
	return rc;
}

static enum csirt_rc
dossier_load(struct store *st, const struct actor *who, int64_t id, json_t **out)
{
	char sql[sizeof(dossier_columns) + 32];
	json_t *rows = NULL;
	enum csirt_rc rc;

	snprintf(sql, sizeof(sql), "%s WHERE d.id = ?1", dossier_columns);
	rc = store_query_json(st, sql, json_pack("[I]", (json_int_t)id), &rows);
	if (rc != CSIRT_OK)
		return rc;
	*out = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	if (*out == NULL)
		return CSIRT_ENOTFOUND;
	rc = system_visible(st, who, json_integer_value(json_object_get(*out, "system_id")));
	if (rc != CSIRT_OK) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* Adds the parsed criteria, the appraiser and approver of the level under
 * the regime of the dossier's current step, and times as ISO text. */
static void
render(json_t *d, const char *lang)
{
	const struct obligation_set *set;
	json_t *c = json_object_get(d, "criteria");
	json_t *parsed = json_is_string(c) ? json_loads(json_string_value(c), 0, NULL) : NULL;
	int level = (int)json_integer_value(json_object_get(d, "proposed_level"));

	json_object_set_new(d, "criteria", parsed ? parsed : json_array());
	set = obligation_set_for_day(calendar_day_of(time_now()));
	if (set && level >= 1 && level <= 5) {
		json_object_set_new(d, "appraiser", json_string(rulepack_text(&set->appraiser[level],
		    lang)));
		json_object_set_new(d, "approver", json_string(rulepack_text(&set->approver[level],
		    lang)));
		json_object_set_new(d, "authorities_source", json_string(set->authorities_source));
		json_object_set_new(d, "limits_source", json_string(set->dossier_source));
	}
	schema_render(&dossier_def, d);
	if (json_string_length(json_object_get(d, "due_on")) == 0)
		json_object_set_new(d, "due_on", json_null());
}

enum csirt_rc
dossier_create(struct store *st, const struct actor *who, json_t *in, int64_t *id,
    struct csirt_err *err)
{
	const struct obligation_set *set = obligation_set_for_day(calendar_day_of(time_now()));
	json_t *rec = NULL;
	enum csirt_rc rc = schema_validate(&dossier_def, in, 1, &rec, err);

	if (rc != CSIRT_OK)
		return rc;
	rc = store_begin(st);
	if (rc != CSIRT_OK)
		goto out;
	rc = system_visible(st, who, json_integer_value(json_object_get(rec, "system_id")));
	if (rc == CSIRT_ENOTFOUND)
		csirt_err_set(err, CSIRT_EINVAL, "system_id", "no such information system");
	json_object_set_new(rec, "state", json_string("draft"));
	json_object_set_new(rec, "state_entered_at", json_integer(time_now()));
	json_object_set_new(rec, "regime", json_string(set ? set->id : ""));
	if (who->user_id)
		json_object_set_new(rec, "created_by", json_integer(who->user_id));
	rc = svc_create_finish(st, who, &dossier_def, rec, id, rc);
out:
	json_decref(rec);
	return rc == CSIRT_ENOTFOUND ? CSIRT_EINVAL : rc;
}

enum csirt_rc
dossier_get(struct store *st, const struct actor *who, int64_t id, const char *lang,
    json_t **out)
{
	json_t *d = NULL, *steps = NULL;
	enum csirt_rc rc = dossier_load(st, who, id, &d);

	if (rc != CSIRT_OK)
		return rc;
	rc = store_query_json(st, "SELECT from_state, to_state, reason, regime, due_on, actor, at"
	    " FROM level_dossier_steps WHERE dossier_id = ?1 ORDER BY id",
	    json_pack("[I]", (json_int_t)id), &steps);
	if (rc != CSIRT_OK) {
		json_decref(d);
		return rc;
	}
	render(d, lang);
	{
		static const char *const at[] = { "at" };

		schema_render_times(steps, at, ARRAY_SIZE(at));
	}
	json_object_set_new(d, "steps", steps);
	steps = NULL;
	rc = store_query_json(st, "SELECT id, part, sha256, size, filename, content_type, created_at"
	    " FROM level_dossier_parts WHERE dossier_id = ?1 ORDER BY id",
	    json_pack("[I]", (json_int_t)id), &steps);
	if (rc != CSIRT_OK) {
		json_decref(d);
		return rc;
	}
	{
		static const char *const created[] = { "created_at" };

		schema_render_times(steps, created, ARRAY_SIZE(created));
	}
	json_object_set_new(d, "parts", steps);
	*out = d;
	return CSIRT_OK;
}

/* Names the first required part missing from the dossier, or NULL. */
static const char *
missing_part(struct store *st, int64_t id, int level)
{
	for (size_t i = 0; i < ARRAY_SIZE(part_names); i++) {
		json_t *rows = NULL;
		int64_t n;

		if (i == 4 && level < 4)
			break;
		if (store_query_json(st, "SELECT COUNT(*) AS n FROM level_dossier_parts"
		    " WHERE dossier_id = ?1 AND part = ?2", json_pack("[I,s]", (json_int_t)id,
		    part_names[i]), &rows) != CSIRT_OK)
			return part_names[i];
		n = json_integer_value(json_object_get(json_array_get(rows, 0), "n"));
		json_decref(rows);
		if (n == 0)
			return part_names[i];
	}
	return NULL;
}

enum csirt_rc
dossier_open_part(struct store *st, const struct actor *who, int64_t id, const char *part,
    const char *data_dir, int *fd, json_t **meta)
{
	json_t *d = NULL, *rows = NULL;
	enum csirt_rc rc = dossier_load(st, who, id, &d);

	json_decref(d);
	if (rc != CSIRT_OK)
		return rc;
	rc = store_query_json(st, "SELECT filename, sha256, size FROM level_dossier_parts"
	    " WHERE dossier_id = ?1 AND part = ?2 ORDER BY id DESC LIMIT 1",
	    json_pack("[I,s]", (json_int_t)id, part), &rows);
	if (rc != CSIRT_OK)
		return rc;
	*meta = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	if (*meta == NULL)
		return CSIRT_ENOTFOUND;
	rc = filestore_open(data_dir, json_string_value(json_object_get(*meta, "sha256")), fd);
	if (rc != CSIRT_OK) {
		json_decref(*meta);
		*meta = NULL;
	}
	return rc;
}

enum csirt_rc
dossier_add_part(struct store *st, const struct actor *who, int64_t id, const char *data_dir,
    const struct dossier_part_in *in, struct csirt_err *err)
{
	json_t *d = NULL;
	const char *state;
	size_t i;
	enum csirt_rc rc;

	for (i = 0; i < ARRAY_SIZE(part_names) && strcmp(in->part, part_names[i]) != 0; i++)
		;
	if (i == ARRAY_SIZE(part_names))
		return csirt_err_set(err, CSIRT_EINVAL, "part", "the parts are overview, design,"
		    " justification, security_plan, infosec_opinion");
	if (in->size <= 0)
		return csirt_err_set(err, CSIRT_EINVAL, NULL, "send the file as the request body");
	rc = dossier_load(st, who, id, &d);
	if (rc != CSIRT_OK)
		return rc;
	state = json_string_value(json_object_get(d, "state"));
	if (strcmp(state, "draft") != 0) {
		json_decref(d);
		return csirt_err_set(err, CSIRT_ECONFLICT, "part",
		    "parts are added while the dossier is a draft");
	}
	json_decref(d);
	rc = filestore_put(data_dir, in->tmp_path, in->sha256);
	if (rc != CSIRT_OK)
		return rc;
	rc = store_begin(st);
	if (rc != CSIRT_OK)
		return rc;
	rc = store_exec(st, "INSERT INTO level_dossier_parts (dossier_id, part, sha256, size, filename,"
	    " content_type, uploaded_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	    json_pack("[I,s,s,I,s,s,o,I]", (json_int_t)id, part_names[i], in->sha256,
	    (json_int_t)in->size, in->filename, in->content_type,
	    who->user_id ? json_integer(who->user_id) : json_null(), (json_int_t)time_now()),
	    NULL, NULL);
	if (rc == CSIRT_OK) {
		json_t *note = json_pack("{s:s,s:s,s:I}", "part", part_names[i], "sha256", in->sha256,
		    "size", (json_int_t)in->size);

		svc_audit(st, who, "add_part", "level_dossier", id, NULL, note);
		json_decref(note);
		return store_commit(st);
	}
	store_rollback(st);
	return rc;
}

enum csirt_rc
dossier_list(struct store *st, const struct actor *who, int64_t system_id, const char *lang,
    json_t **out)
{
	char sql[sizeof(dossier_columns) + 64];
	json_t *rows = NULL, *items, *d;
	size_t i;
	enum csirt_rc rc;

	snprintf(sql, sizeof(sql), "%s WHERE ?1 = 0 OR d.system_id = ?1 ORDER BY d.id DESC",
	    dossier_columns);
	rc = store_query_json(st, sql, json_pack("[I]", (json_int_t)system_id), &rows);
	if (rc != CSIRT_OK)
		return rc;
	items = json_array();
	json_array_foreach(rows, i, d) {
		if (system_visible(st, who, json_integer_value(json_object_get(d, "system_id"))) !=
		    CSIRT_OK)
			continue;
		render(d, lang);
		json_array_append(items, d);
	}
	json_decref(rows);
	*out = json_pack("{s:o}", "items", items);
	return *out ? CSIRT_OK : CSIRT_ENOMEM;
}

/* The due date of the step 'to' begins today; keeps 'due' for the
 * validity check, which counts from receipt (the submission). */
static void
step_due(const struct obligation_set *set, enum dossier_state to, int level, int64_t today,
    char due[16], char *note, size_t note_size)
{
	struct csirt_err e;
	int64_t day;
	int step = dossier_state_step(to);

	if (to == DS_VALIDITY_CHECK)
		return;
	due[0] = '\0';
	note[0] = '\0';
	if (step < 0 || set == NULL)
		return;
	csirt_err_clear(&e);
	switch (obligation_dossier_due(set, NULL, (enum dossier_step)step, level, today, &day, &e)) {
	case CSIRT_OK:
		day_text(day, due);
		break;
	case CSIRT_ENOTFOUND:
		snprintf(note, note_size, "the law sets no time limit for this step");
		break;
	default:
		snprintf(note, note_size, "unknown: %s", e.msg);
		break;
	}
}

/* NĐ 331/2026 Art 30.7: the quy chế before the approval. */
static enum csirt_rc
check_regulation(struct store *st, int64_t system_id, struct csirt_err *err)
{
	json_t *rows = NULL;
	enum csirt_rc rc = store_query_json(st, "SELECT COUNT(*) AS n FROM activities"
	    " WHERE system_id = ?1 AND kind = 'regulation'", json_pack("[I]", (json_int_t)system_id),
	    &rows);

	if (rc == CSIRT_OK && json_integer_value(json_object_get(json_array_get(rows, 0), "n")) == 0)
		rc = csirt_err_set(err, CSIRT_ECONFLICT, "to", "NĐ 331/2026 Art 30.7: record the"
		    " system's cybersecurity regulation (quy chế, activity \"regulation\") before"
		    " approving its level");
	json_decref(rows);
	return rc;
}

static enum csirt_rc
approve(struct store *st, const struct actor *who, json_t *d, const char *decision_no,
    const char *decision_date)
{
	int64_t sys = json_integer_value(json_object_get(d, "system_id"));
	int64_t level = json_integer_value(json_object_get(d, "proposed_level"));
	char summary[300];
	enum csirt_rc rc;

	snprintf(summary, sizeof(summary), "Phê duyệt cấp độ %lld; quyết định %.100s %.20s",
	    (long long)level, decision_no, decision_date);
	/* The obligations engine reads approvals from activities, like scans. */
	rc = store_exec(st, "INSERT INTO activities (system_id, kind, performed_at, summary, result,"
	    " recorded_by, created_at) VALUES (?1, 'level_approval', ?2, ?3, ?4, ?5, ?2)",
	    json_pack("[I,I,s,s,o]", (json_int_t)sys, (json_int_t)time_now(), summary, "{}",
	    who->user_id ? json_integer(who->user_id) : json_null()), NULL, NULL);
	if (rc == CSIRT_OK)
		rc = store_exec(st, "UPDATE systems SET level = ?1, updated_at = ?2 WHERE id = ?3",
		    json_pack("[I,I,I]", (json_int_t)level, (json_int_t)time_now(), (json_int_t)sys),
		    NULL, NULL);
	if (rc == CSIRT_OK)
		svc_audit(st, who, "approve_level", "system", sys, NULL, d);
	return rc;
}

enum csirt_rc
dossier_transition(struct store *st, const struct actor *who, int64_t id,
    const struct dossier_step_in *in, struct csirt_err *err)
{
	const struct obligation_set *set;
	int64_t today = calendar_day_of(time_now());
	json_t *d = NULL, *after = NULL;
	char due[16] = "", note[CSIRT_ERR_MSG_MAX + 16] = "";
	int to = dossier_state_from_name(in->to), from;
	int staff = who->role == ROLE_ADMIN || who->role == ROLE_COORDINATOR;
	enum csirt_rc rc;

	if (to < 0)
		return csirt_err_set(err, CSIRT_EINVAL, "to", "unknown dossier state");
	if ((in->reason && strlen(in->reason) > 4000) || (in->decision_no &&
	    strlen(in->decision_no) > 100) || (in->decision_date && strlen(in->decision_date) > 10))
		return csirt_err_set(err, CSIRT_EINVAL, NULL, "a field is too long");
	/* The operator drafts and submits; the receiving body does the rest. */
	if (to != DS_SUBMITTED && to != DS_DRAFT && !staff)
		return csirt_err_set(err, CSIRT_EFORBIDDEN, "to",
		    "only the Department (admin or coordinator) checks, appraises and approves");
	rc = store_begin(st);
	if (rc != CSIRT_OK)
		return rc;
	rc = dossier_load(st, who, id, &d);
	if (rc != CSIRT_OK)
		goto out_rollback;
	from = dossier_state_from_name(json_string_value(json_object_get(d, "state")));
	if (from < 0 || !dossier_transition_allowed((enum dossier_state)from,
	    (enum dossier_state)to)) {
		rc = csirt_err_set(err, CSIRT_ECONFLICT, "to", "this step is not allowed from %s",
		    json_string_value(json_object_get(d, "state")));
		goto out_rollback;
	}
	set = obligation_set_for_day(today);
	if (to == DS_SUBMITTED) {
		const char *part = missing_part(st, id,
		    (int)json_integer_value(json_object_get(d, "proposed_level")));

		if (part) {
			rc = csirt_err_set(err, CSIRT_ECONFLICT, "to",
			    "the dossier lacks its part \"%s\" (NĐ 85/2016 Art 15; NĐ 331/2026 Art 21)",
			    part);
			goto out_rollback;
		}
	}
	if (to == DS_APPROVED && set && strcmp(set->id, "vn-2017") != 0 &&
	    (rc = check_regulation(st, json_integer_value(json_object_get(d, "system_id")), err)) !=
	    CSIRT_OK)
		goto out_rollback;
	snprintf(due, sizeof(due), "%s", json_string_value(json_object_get(d, "due_on")));
	snprintf(note, sizeof(note), "%s", json_string_value(json_object_get(d, "due_note")));
	step_due(set, (enum dossier_state)to,
	    (int)json_integer_value(json_object_get(d, "proposed_level")), today, due, note,
	    sizeof(note));
	rc = store_exec(st, "UPDATE level_dossiers SET state = ?1, state_entered_at = ?2, regime = ?3,"
	    " due_on = ?4, due_note = ?5, decision_no = CASE WHEN ?6 = '' THEN decision_no ELSE ?6 END,"
	    " decision_date = CASE WHEN ?7 = '' THEN decision_date ELSE ?7 END, updated_at = ?2"
	    " WHERE id = ?8", json_pack("[s,I,s,s,s,s,s,I]", in->to, (json_int_t)time_now(),
	    set ? set->id : "", due, note, in->decision_no ? in->decision_no : "",
	    in->decision_date ? in->decision_date : "", (json_int_t)id), NULL, NULL);
	if (rc == CSIRT_OK)
		rc = store_exec(st, "INSERT INTO level_dossier_steps (dossier_id, from_state, to_state,"
		    " reason, regime, due_on, actor, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
		    json_pack("[I,s,s,s,s,s,s,I]", (json_int_t)id, dossier_state_name(from), in->to,
		    in->reason ? in->reason : "", set ? set->id : "", due, who->username,
		    (json_int_t)time_now()), NULL, NULL);
	if (rc == CSIRT_OK && to == DS_APPROVED)
		rc = approve(st, who, d, in->decision_no ? in->decision_no : "",
		    in->decision_date ? in->decision_date : "");
	if (rc == CSIRT_OK)
		rc = dossier_load(st, who, id, &after);
	if (rc != CSIRT_OK)
		goto out_rollback;
	svc_audit(st, who, "transition", "level_dossier", id, d, after);
	json_decref(d);
	json_decref(after);
	return store_commit(st);

out_rollback:
	store_rollback(st);
	json_decref(d);
	return rc;
}
