/*
 * incidents.c - filing, reading, listing, updating and classifying
 * incidents, with their deadlines from the rule pack chosen by the date of
 * detection. Transitions and the children of an incident are in
 * incident_steps.c and incident_children.c.
 */
#include "csirt/common.h"
#include "csirt/deadline.h"
#include "csirt/entities.h"
#include "csirt/incidents.h"
#include "csirt/observable.h"
#include "csirt/procedure.h"
#include "csirt/rulepack.h"
#include "csirt/serious.h"
#include "csirt/taxonomy.h"
#include "services/services_int.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define MAX_SYSTEMS_PER_INCIDENT 50
#define MAX_OBSERVABLES_PER_REQUEST 200

void
svc_audit(struct store *st, const struct actor *who, const char *action, const char *entity,
    int64_t id, json_t *before, json_t *after)
{
	struct audit_entry e = {
		.actor_id = who ? who->user_id : 0,
		.actor = who ? (who->username[0] ? who->username : "public") : "system",
		.action = action, .entity = entity, .entity_id = id,
		.before = before, .after = after,
	};
	store_audit_append(st, &e);
}

enum csirt_rc
svc_create_finish(struct store *st, const struct actor *who, const struct entity_def *def,
    json_t *rec, int64_t *id, enum csirt_rc rc)
{
	if (rc == CSIRT_OK)
		rc = store_insert(st, def, rec, id);
	if (rc != CSIRT_OK) {
		store_rollback(st);
		return rc;
	}
	svc_audit(st, who, "create", def->name, *id, NULL, rec);
	return store_commit(st);
}

/* Crockford base32 without I, L, O, U: readable over the phone. 16
 * characters carry 80 random bits, so codes cannot be guessed. */
static void
tracking_code_new(int64_t detected_at, char code[TRACKING_CODE_MAX])
{
	static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	unsigned char raw[16];
	char part[20];
	int year, m, d;

	calendar_ymd(calendar_day_of(detected_at), &year, &m, &d);
	randombytes_buf(raw, sizeof(raw));
	for (int i = 0; i < 16; i++)
		part[i] = alphabet[raw[i] & 31];
	snprintf(code, TRACKING_CODE_MAX, "SC%04d-%.4s-%.4s-%.4s-%.4s", year, part, part + 4,
	    part + 8, part + 12);
}

enum csirt_rc
svc_incident_load(struct store *st, const struct actor *who, int64_t id, json_t **out)
{
	json_t *inc = NULL;
	enum csirt_rc rc = store_get(st, &entity_incident, id, &inc);
	int64_t scope = who ? actor_scope(who) : 0;
	int64_t org;
	int yes = 0;

	if (rc != CSIRT_OK)
		return rc;
	if (scope) {
		org = json_integer_value(json_object_get(inc, "org_id"));
		if (org == 0 || store_org_in_subtree(st, scope, org, &yes) != CSIRT_OK || !yes) {
			json_decref(inc);
			return CSIRT_ENOTFOUND;
		}
	}
	*out = inc;
	return CSIRT_OK;
}

enum csirt_rc
incident_visible(struct store *st, const struct actor *who, int64_t id)
{
	json_t *inc = NULL;
	enum csirt_rc rc = svc_incident_load(st, who, id, &inc);

	json_decref(inc);
	return rc;
}

/* An organisation a unit officer names must be inside its subtree. */
static enum csirt_rc
check_org_scope(struct store *st, const struct actor *who, int64_t org, struct csirt_err *err)
{
	int64_t scope = actor_scope(who);
	int yes = 0;
	json_t *o = NULL;

	if (org == 0)
		return CSIRT_OK;
	if (store_get(st, &entity_org, org, &o) != CSIRT_OK)
		return csirt_err_set(err, CSIRT_EINVAL, "org_id", "no such organisation");
	json_decref(o);
	if (!scope)
		return CSIRT_OK;
	if (store_org_in_subtree(st, scope, org, &yes) != CSIRT_OK || !yes)
		return csirt_err_set(err, CSIRT_EINVAL, "org_id", "no such organisation");
	return CSIRT_OK;
}

static void
fold_append(struct buf *b, json_t *v)
{
	size_t i;
	json_t *item;

	if (json_is_string(v)) {
		text_fold(json_string_value(v), json_string_length(v), b);
		buf_append_str(b, " ");
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, item)
			fold_append(b, item);
	}
}

static enum csirt_rc reindex_rec(struct store *st, int64_t id, json_t *inc);

enum csirt_rc
incident_reindex(struct store *st, int64_t id)
{
	json_t *inc = NULL;
	enum csirt_rc rc = store_get(st, &entity_incident, id, &inc);

	if (rc == CSIRT_OK)
		rc = reindex_rec(st, id, inc);
	json_decref(inc);
	return rc;
}

static enum csirt_rc
reindex_rec(struct store *st, int64_t id, json_t *inc)
{
	static const char *const fields[] = { "tracking_code", "title", "description",
		"reporter_org", "operator_name", "owner_name", "system_name", "public_ips",
		"domains", "os", "services", "measures_taken", "recommendations" };
	json_t *rows = NULL;
	struct buf b;
	enum csirt_rc rc;
	size_t i;
	json_t *r;

	buf_init(&b, 1 << 20);
	for (i = 0; i < ARRAY_SIZE(fields); i++)
		fold_append(&b, json_object_get(inc, fields[i]));
	rc = store_query_json(st, "SELECT s.name FROM systems s JOIN incident_systems x"
	    " ON x.system_id = s.id WHERE x.incident_id = ?1", json_pack("[I]", (json_int_t)id), &rows);
	if (rc == CSIRT_OK)
		json_array_foreach(rows, i, r)
			fold_append(&b, json_object_get(r, "name"));
	json_decref(rows);
	rows = NULL;
	rc = store_query_json(st, "SELECT o.value FROM observables o JOIN incident_observables x"
	    " ON x.observable_id = o.id WHERE x.incident_id = ?1", json_pack("[I]", (json_int_t)id),
	    &rows);
	if (rc == CSIRT_OK)
		json_array_foreach(rows, i, r)
			fold_append(&b, json_object_get(r, "value"));
	json_decref(rows);
	rc = store_fts_set(st, id, b.data ? b.data : "");
	buf_release(&b);
	return rc;
}

/* Recomputes the deadlines of an incident from its rule pack and facts,
 * keeping what was already marked as met. */
static enum csirt_rc deadlines_refresh_rec(struct store *st, int64_t id, json_t *inc);

enum csirt_rc
svc_deadlines_refresh(struct store *st, int64_t id)
{
	json_t *inc = NULL;
	enum csirt_rc rc = store_get(st, &entity_incident, id, &inc);

	if (rc == CSIRT_OK)
		rc = deadlines_refresh_rec(st, id, inc);
	json_decref(inc);
	return rc;
}

static enum csirt_rc
deadlines_refresh_rec(struct store *st, int64_t id, json_t *inc)
{
	const struct rulepack *pack;
	struct deadline_facts facts;
	struct deadline dl[RULEPACK_MAX_RULES];
	size_t n = 0;
	struct csirt_err err;
	enum csirt_rc rc;
	const char *sev;

	pack = rulepack_find(json_string_value(json_object_get(inc, "rulepack")));
	if (pack == NULL)
		return CSIRT_OK;	/* detected before every pack: no legal timer */
	memset(&facts, 0, sizeof(facts));
	facts.detected_at = json_integer_value(json_object_get(inc, "detected_at"));
	facts.received_at = json_integer_value(json_object_get(inc, "reported_at"));
	facts.response_ended_at = json_integer_value(json_object_get(inc, "response_ended_at"));
	facts.beyond_capacity = json_is_true(json_object_get(inc, "beyond_capacity"));
	facts.national_security_signs = json_is_true(json_object_get(inc, "national_security_signs"));
	facts.personal_data = json_is_true(json_object_get(inc, "personal_data"));
	sev = json_string_value(json_object_get(inc, "severity"));
	facts.severity = sev && strcmp(sev, "serious") == 0 ? SEVERITY_SERIOUS :
	    sev && strcmp(sev, "normal") == 0 ? SEVERITY_NORMAL : SEVERITY_UNDEFINED;
	rc = deadline_compute(pack, calendar_builtin(), &facts, dl, ARRAY_SIZE(dl), &n, &err);
	if (rc != CSIRT_OK) {
		log_warn("deadlines of incident %lld: %s", (long long)id, err.msg);
		return rc;
	}
	for (size_t i = 0; i < n; i++) {
		const struct rulepack_rule *r = dl[i].rule;
		int has_due = dl[i].status == DEADLINE_DUE || dl[i].status == DEADLINE_IMMEDIATE;
		char note[512];

		snprintf(note, sizeof(note), "%s%s%s", dl[i].reason,
		    dl[i].reason[0] && r->note.en ? " " : "", r->note.en ? r->note.en : "");
		rc = store_exec(st,
		    "INSERT INTO deadlines (incident_id, rule_id, rulepack, label_vi, label_en, recipient,"
		    " source, confidence, due_at, status, note) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)"
		    " ON CONFLICT (incident_id, rule_id) DO UPDATE SET due_at = excluded.due_at,"
		    " status = excluded.status, note = excluded.note, label_vi = excluded.label_vi,"
		    " label_en = excluded.label_en, recipient = excluded.recipient,"
		    " source = excluded.source, confidence = excluded.confidence",
		    json_pack("[I,s,s,s,s,s?,s,s,o,s,s]", (json_int_t)id, r->id, pack->id,
			r->label.vi, r->label.en, r->recipient.vi, r->source, r->confidence,
			has_due ? json_integer(dl[i].due_at) : json_null(),
			deadline_status_code(dl[i].status), note), NULL, NULL);
		if (rc != CSIRT_OK)
			return rc;
	}
	return CSIRT_OK;
}

static enum csirt_rc
link_systems(struct store *st, const struct actor *who, int64_t id, json_t *systems,
    struct csirt_err *err)
{
	size_t i;
	json_t *v;
	enum csirt_rc rc;

	if (systems == NULL)
		return CSIRT_OK;
	if (!json_is_array(systems) || json_array_size(systems) > MAX_SYSTEMS_PER_INCIDENT)
		return csirt_err_set(err, CSIRT_EINVAL, "systems", "'systems' must be a list of system ids");
	store_exec(st, "DELETE FROM incident_systems WHERE incident_id = ?1",
	    json_pack("[I]", (json_int_t)id), NULL, NULL);
	json_array_foreach(systems, i, v) {
		json_t *sys = NULL;
		int64_t sid = json_is_integer(v) ? json_integer_value(v) : 0;

		if (sid < 1 || store_get(st, &entity_system, sid, &sys) != CSIRT_OK)
			return csirt_err_set(err, CSIRT_EINVAL, "systems", "no such information system");
		rc = check_org_scope(st, who, json_integer_value(json_object_get(sys, "operator_org_id")),
		    err);
		if (rc != CSIRT_OK && check_org_scope(st, who,
		    json_integer_value(json_object_get(sys, "owner_org_id")), err) != CSIRT_OK) {
			json_decref(sys);
			return csirt_err_set(err, CSIRT_EINVAL, "systems", "no such information system");
		}
		json_decref(sys);
		rc = store_exec(st, "INSERT OR IGNORE INTO incident_systems (incident_id, system_id)"
		    " VALUES (?1, ?2)", json_pack("[I,I]", (json_int_t)id, (json_int_t)sid), NULL, NULL);
		if (rc != CSIRT_OK)
			return rc;
	}
	return CSIRT_OK;
}

enum csirt_rc
svc_observable_link(struct store *st, int64_t incident_id, int64_t alert_id, const char *type,
    const char *value, const char *note, int64_t *obs_id, struct csirt_err *err)
{
	enum observable_type t;
	char norm[2048];
	json_t *rows = NULL;
	enum csirt_rc rc;
	int64_t oid;

	if (type == NULL || observable_type_parse(type, &t) != CSIRT_OK)
		return csirt_err_set(err, CSIRT_EINVAL, "type",
		    "observable type must be ip, domain, url, md5, sha1, sha256, email or file");
	if (value == NULL || observable_normalise(t, value, strlen(value), norm, sizeof(norm)) != CSIRT_OK)
		return csirt_err_set(err, CSIRT_EINVAL, "value", "'%.100s' is not a valid %s",
		    value ? value : "", type);
	rc = store_exec(st, "INSERT OR IGNORE INTO observables (type, value, first_seen)"
	    " VALUES (?1, ?2, ?3)", json_pack("[s,s,I]", observable_type_code(t), norm,
	    (json_int_t)time_now()), NULL, NULL);
	if (rc != CSIRT_OK)
		return rc;
	rc = store_query_json(st, "SELECT id FROM observables WHERE type = ?1 AND value = ?2",
	    json_pack("[s,s]", observable_type_code(t), norm), &rows);
	if (rc != CSIRT_OK)
		return rc;
	oid = json_integer_value(json_object_get(json_array_get(rows, 0), "id"));
	json_decref(rows);
	if (incident_id)
		rc = store_exec(st, "INSERT OR IGNORE INTO incident_observables (incident_id,"
		    " observable_id, added_at, note) VALUES (?1, ?2, ?3, ?4)",
		    json_pack("[I,I,I,s]", (json_int_t)incident_id, (json_int_t)oid,
		    (json_int_t)time_now(), note ? note : ""), NULL, NULL);
	if (rc == CSIRT_OK && alert_id)
		rc = store_exec(st, "INSERT OR IGNORE INTO alert_observables (alert_id, observable_id)"
		    " VALUES (?1, ?2)", json_pack("[I,I]", (json_int_t)alert_id, (json_int_t)oid), NULL,
		    NULL);
	if (obs_id)
		*obs_id = oid;
	return rc;
}

static enum csirt_rc
link_observables(struct store *st, int64_t id, json_t *obs, struct csirt_err *err)
{
	size_t i;
	json_t *o;
	enum csirt_rc rc;

	if (obs == NULL)
		return CSIRT_OK;
	if (!json_is_array(obs) || json_array_size(obs) > MAX_OBSERVABLES_PER_REQUEST)
		return csirt_err_set(err, CSIRT_EINVAL, "observables",
		    "'observables' must be a list of at most %d {\"type\",\"value\"} objects",
		    MAX_OBSERVABLES_PER_REQUEST);
	json_array_foreach(obs, i, o) {
		rc = svc_observable_link(st, id, 0, json_string_value(json_object_get(o, "type")),
		    json_string_value(json_object_get(o, "value")), NULL, NULL, err);
		if (rc != CSIRT_OK)
			return rc;
	}
	return CSIRT_OK;
}

enum csirt_rc
incident_create(struct store *st, const struct actor *who, json_t *in, const char *source,
    int64_t *id, char code[TRACKING_CODE_MAX], struct csirt_err *err)
{
	json_t *copy = NULL, *rec = NULL, *systems, *obs, *after = NULL;
	const struct rulepack *pack = NULL;
	enum csirt_rc rc;
	int64_t detected, now = time_now();
	const char *tax;

	if (!json_is_object(in))
		return csirt_err_set(err, CSIRT_EINVAL, NULL, "the body must be a JSON object");
	/* 'systems' and 'observables' are relations, not columns. */
	copy = json_copy(in);
	if (copy == NULL)
		return CSIRT_ENOMEM;
	systems = json_incref(json_object_get(copy, "systems"));
	obs = json_incref(json_object_get(copy, "observables"));
	json_object_del(copy, "systems");
	json_object_del(copy, "observables");
	rc = schema_validate(&entity_incident, copy, 1, &rec, err);
	if (rc != CSIRT_OK)
		goto out;
	detected = json_integer_value(json_object_get(rec, "detected_at"));
	if (detected > now + 300) {
		rc = csirt_err_set(err, CSIRT_EINVAL, "detected_at", "the time of detection is in the future");
		goto out;
	}
	tax = json_string_value(json_object_get(rec, "taxonomy_code"));
	if (tax && *tax && taxonomy_validate(taxonomy_builtin(), tax, err) != CSIRT_OK) {
		rc = CSIRT_EINVAL;
		err->rc = rc;
		snprintf(err->field, sizeof(err->field), "taxonomy_code");
		goto out;
	}
	/* A unit officer files for its own organisation (or one below it). */
	if (who && who->role == ROLE_UNIT_OFFICER &&
	    (!json_object_get(rec, "org_id") || json_is_null(json_object_get(rec, "org_id"))))
		json_object_set_new(rec, "org_id", json_integer(who->org_id));
	if (who) {
		rc = check_org_scope(st, who, json_integer_value(json_object_get(rec, "org_id")), err);
		if (rc != CSIRT_OK)
			goto out;
	}
	if (rulepack_for_date(detected, &pack, NULL) != CSIRT_OK)
		pack = NULL;
	tracking_code_new(detected, code);
	json_object_set_new(rec, "tracking_code", json_string(code));
	json_object_set_new(rec, "source", json_string(source));
	json_object_set_new(rec, "step", json_string("1a"));
	json_object_set_new(rec, "status", json_string("open"));
	json_object_set_new(rec, "severity", json_string("unclassified"));
	json_object_set_new(rec, "rulepack", json_string(pack ? pack->id : ""));
	json_object_set_new(rec, "reported_at", json_integer(now));
	if (who && who->user_id)
		json_object_set_new(rec, "created_by", json_integer(who->user_id));

	rc = store_begin(st);
	if (rc != CSIRT_OK)
		goto out;
	rc = store_insert(st, &entity_incident, rec, id);
	if (rc == CSIRT_ECONFLICT)
		csirt_err_set(err, rc, "org_id", "no such organisation");
	if (rc == CSIRT_OK)
		rc = link_systems(st, who, *id, systems, err);
	if (rc == CSIRT_OK)
		rc = link_observables(st, *id, obs, err);
	/* One read of the new row serves the deadlines, the search text and
	 * the audit record. */
	if (rc == CSIRT_OK)
		rc = store_get(st, &entity_incident, *id, &after);
	if (rc == CSIRT_OK)
		rc = deadlines_refresh_rec(st, *id, after);
	if (rc == CSIRT_OK)
		rc = reindex_rec(st, *id, after);
	if (rc == CSIRT_OK)
		svc_audit(st, who, "create", "incident", *id, NULL, after);
	if (rc == CSIRT_OK)
		rc = store_commit(st);
	else
		store_rollback(st);
out:
	json_decref(after);
	json_decref(systems);
	json_decref(obs);
	json_decref(rec);
	json_decref(copy);
	return rc;
}

static json_t *
incident_context(const char *step_code, json_t *inc)
{
	enum incident_step step, next[STEP_COUNT];
	struct procedure_ctx ctx = { 0 };
	json_t *closure = json_object_get(inc, "closure");
	json_t *arr = json_array();
	size_t n;

	ctx.closure_report_complete = json_is_object(closure) &&
	    json_string_length(json_object_get(closure, "summary")) > 0;
	ctx.system_stable = true;
	if (procedure_step_parse(step_code, &step) != CSIRT_OK)
		return arr;
	n = procedure_next_steps(step, &ctx, next, STEP_COUNT);
	/* 3c can go back to 2 whatever the flag said: list both so the UI
	 * can offer the loop; the transition checks the flag. */
	if (step == STEP_3C) {
		ctx.system_stable = false;
		n += procedure_next_steps(step, &ctx, next + n, STEP_COUNT - n);
	}
	for (size_t i = 0; i < n; i++) {
		int dup = 0;

		for (size_t k = 0; k < i; k++)
			dup |= next[k] == next[i];
		if (!dup)
			json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s}", "code",
			    procedure_step_code(next[i]), "label", procedure_step_label(next[i]),
			    "name_vi", procedure_step_name(next[i], "vi"),
			    "name_en", procedure_step_name(next[i], "en")));
	}
	return arr;
}

void
svc_render_deadlines(json_t *rows)
{
	size_t i;
	json_t *d;
	int64_t now = time_now();

	json_array_foreach(rows, i, d) {
		json_t *due = json_object_get(d, "due_at");
		int met = !json_is_null(json_object_get(d, "met_at"));
		const char *state = "open";
		char iso[32];

		if (met)
			state = "met";
		else if (json_is_integer(due) && json_integer_value(due) < now)
			state = "overdue";
		else if (!json_is_integer(due))
			state = json_string_value(json_object_get(d, "status"));
		json_object_set_new(d, "state", json_string(state));
		if (json_is_integer(due)) {
			json_object_set_new(d, "seconds_left", json_integer(json_integer_value(due) - now));
			time_format_iso(json_integer_value(due), iso);
			json_object_set_new(d, "due_at", json_string(iso));
		}
		if (met) {
			time_format_iso(json_integer_value(json_object_get(d, "met_at")), iso);
			json_object_set_new(d, "met_at", json_string(iso));
		}
	}
}

enum csirt_rc
incident_get(struct store *st, const struct actor *who, int64_t id, json_t **out)
{
	json_t *inc = NULL, *rows = NULL;
	enum csirt_rc rc = svc_incident_load(st, who, id, &inc);
	const struct taxonomy_entry *tax;
	enum incident_step step;
	const char *code;

	if (rc != CSIRT_OK)
		return rc;
	code = json_string_value(json_object_get(inc, "step"));
	json_object_set_new(inc, "next_steps", incident_context(code, inc));
	if (procedure_step_parse(code, &step) == CSIRT_OK) {
		json_object_set_new(inc, "step_label", json_string(procedure_step_label(step)));
		json_object_set_new(inc, "step_name_vi", json_string(procedure_step_name(step, "vi")));
		json_object_set_new(inc, "step_name_en", json_string(procedure_step_name(step, "en")));
	}
	tax = taxonomy_find(taxonomy_builtin(), json_string_value(json_object_get(inc, "taxonomy_code")));
	if (tax) {
		json_object_set_new(inc, "taxonomy_name_vi", json_string(tax->name_vi));
		json_object_set_new(inc, "taxonomy_name_en", json_string(tax->name_en));
	}
	rc = store_query_json(st, "SELECT s.id, s.name, s.level, s.owner_org_id, s.operator_org_id"
	    " FROM systems s JOIN incident_systems x ON x.system_id = s.id WHERE x.incident_id = ?1"
	    " ORDER BY s.id", json_pack("[I]", (json_int_t)id), &rows);
	if (rc == CSIRT_OK)
		json_object_set_new(inc, "systems", rows);
	rows = NULL;
	if (rc == CSIRT_OK)
		rc = store_query_json(st, "SELECT rule_id, rulepack, label_vi, label_en, recipient,"
		    " source, confidence, due_at, status, note, met_at FROM deadlines"
		    " WHERE incident_id = ?1 ORDER BY due_at IS NULL, due_at, id",
		    json_pack("[I]", (json_int_t)id), &rows);
	if (rc == CSIRT_OK) {
		svc_render_deadlines(rows);
		json_object_set_new(inc, "deadlines", rows);
	}
	if (rc != CSIRT_OK) {
		json_decref(inc);
		return rc;
	}
	schema_render(&entity_incident, inc);
	*out = inc;
	return CSIRT_OK;
}

enum csirt_rc
incident_update(struct store *st, const struct actor *who, int64_t id, json_t *in,
    struct csirt_err *err)
{
	json_t *before = NULL, *rec = NULL, *copy = NULL, *after = NULL, *systems = NULL;
	enum csirt_rc rc;
	const char *tax;

	if (!json_is_object(in))
		return csirt_err_set(err, CSIRT_EINVAL, NULL, "the body must be a JSON object");
	copy = json_copy(in);
	systems = json_incref(json_object_get(copy, "systems"));
	json_object_del(copy, "systems");
	rc = schema_validate(&entity_incident, copy, 0, &rec, err);
	if (rc != CSIRT_OK)
		goto out;
	if (json_object_get(rec, "detected_at") &&
	    json_integer_value(json_object_get(rec, "detected_at")) > time_now() + 300) {
		rc = csirt_err_set(err, CSIRT_EINVAL, "detected_at", "the time of detection is in the future");
		goto out;
	}
	tax = json_string_value(json_object_get(rec, "taxonomy_code"));
	if (tax && *tax && taxonomy_validate(taxonomy_builtin(), tax, err) != CSIRT_OK) {
		rc = CSIRT_EINVAL;
		snprintf(err->field, sizeof(err->field), "taxonomy_code");
		goto out;
	}
	if (json_object_get(rec, "org_id")) {
		rc = check_org_scope(st, who, json_integer_value(json_object_get(rec, "org_id")), err);
		if (rc != CSIRT_OK)
			goto out;
	}
	rc = store_begin(st);
	if (rc != CSIRT_OK)
		goto out;
	rc = svc_incident_load(st, who, id, &before);
	if (rc == CSIRT_OK && strcmp(json_string_value(json_object_get(before, "status")), "closed") == 0)
		rc = csirt_err_set(err, CSIRT_ECONFLICT, NULL, "a closed incident cannot be changed");
	if (rc == CSIRT_OK && json_object_get(rec, "detected_at")) {
		const struct rulepack *pack = NULL;

		rulepack_for_date(json_integer_value(json_object_get(rec, "detected_at")), &pack, NULL);
		json_object_set_new(rec, "rulepack", json_string(pack ? pack->id : ""));
	}
	if (rc == CSIRT_OK)
		rc = store_update(st, &entity_incident, id, rec);
	if (rc == CSIRT_ECONFLICT && !err->msg[0])
		csirt_err_set(err, rc, "org_id", "no such organisation");
	if (rc == CSIRT_OK)
		rc = link_systems(st, who, id, systems, err);
	if (rc == CSIRT_OK)
		rc = svc_deadlines_refresh(st, id);
	if (rc == CSIRT_OK)
		rc = incident_reindex(st, id);
	if (rc == CSIRT_OK && (rc = store_get(st, &entity_incident, id, &after)) == CSIRT_OK)
		svc_audit(st, who, "update", "incident", id, before, after);
	if (rc == CSIRT_OK)
		rc = store_commit(st);
	else
		store_rollback(st);
out:
	json_decref(systems);
	json_decref(after);
	json_decref(before);
	json_decref(rec);
	json_decref(copy);
	return rc;
}

enum csirt_rc
incident_list(struct store *st, const struct actor *who, const struct incident_filter *f,
    struct buf *out, struct csirt_err *err)
{
	struct store_query q;
	int64_t total = 0;
	enum csirt_rc rc;
	struct buf folded;
	static const char *const sortable[] = { "id", "detected_at", "reported_at", "updated_at",
		"title", "step", "severity", "status" };
	int sort_ok = 0;

	memset(&q, 0, sizeof(q));
#define ADD_TEXT(name, val) do { if ((val) && *(val)) { \
		q.filters[q.n_filters].field = name; q.filters[q.n_filters].op = SQ_EQ; \
		q.filters[q.n_filters].is_text = 1; q.filters[q.n_filters].text = (val); \
		q.n_filters++; } } while (0)
#define ADD_NUM(name, o, val) do { if (val) { \
		q.filters[q.n_filters].field = name; q.filters[q.n_filters].op = o; \
		q.filters[q.n_filters].num = (val); q.n_filters++; } } while (0)
	ADD_TEXT("step", f->step);
	ADD_TEXT("status", f->status);
	ADD_TEXT("severity", f->severity);
	ADD_TEXT("taxonomy_code", f->taxonomy_code);
	ADD_NUM("detected_at", SQ_GE, f->from);
	ADD_NUM("detected_at", SQ_LE, f->to);
#undef ADD_TEXT
#undef ADD_NUM
	q.scope_field = "org_id";
	q.scope_org = actor_scope(who);
	if (f->org_id) {
		/* A filter by organisation means its whole subtree; a unit
		 * officer's own scope still applies on top. */
		if (q.scope_org) {
			int yes = 0;

			store_org_in_subtree(st, q.scope_org, f->org_id, &yes);
			if (!yes)
				q.scope_org = -1;	/* matches nothing */
			else
				q.scope_org = f->org_id;
		} else {
			q.scope_org = f->org_id;
		}
	}
	q.system_id = f->system_id;
	for (size_t i = 0; i < ARRAY_SIZE(sortable); i++)
		sort_ok |= f->sort == NULL || strcmp(f->sort, sortable[i]) == 0;
	if (!sort_ok)
		return csirt_err_set(err, CSIRT_EINVAL, "sort", "cannot sort by that field");
	/* A list shows a summary; the full record is one GET away. */
	q.columns = "id, tracking_code, title, org_id, source, step, status, severity, taxonomy_code,"
	    " rulepack, detected_at, reported_at, closed_at, system_name, confidential, created_at,"
	    " updated_at";
	q.sort = f->sort;
	q.desc = f->desc;
	q.limit = f->per_page;
	q.offset = (f->page - 1) * f->per_page;
	buf_init(&folded, 4096);
	if (f->q && *f->q) {
		/* Each word becomes a quoted term, so user input cannot inject
		 * FTS5 syntax; only the last word is a prefix (it may still be
		 * being typed): "su co ma d" -> "su" "co" "ma" "d"*. Prefix
		 * terms on every word would expand to thousands of terms. */
		struct buf tmp;
		const char *p;

		buf_init(&tmp, 2048);
		if (text_fold(f->q, strlen(f->q), &tmp) != CSIRT_OK) {
			buf_release(&tmp);
			buf_release(&folded);
			return csirt_err_set(err, CSIRT_EINVAL, "q", "the search text is too long");
		}
		p = tmp.data;
		while (p && *p) {
			size_t n = 0;

			while (*p && !((unsigned char)*p >= 0x80 || (*p >= '0' && *p <= '9') ||
			    (*p >= 'a' && *p <= 'z')))
				p++;
			while (p[n] && ((unsigned char)p[n] >= 0x80 || (p[n] >= '0' && p[n] <= '9') ||
			    (p[n] >= 'a' && p[n] <= 'z')))
				n++;
			if (n) {
				const char *rest = p + n;

				while (*rest && !((unsigned char)*rest >= 0x80 ||
				    (*rest >= '0' && *rest <= '9') || (*rest >= 'a' && *rest <= 'z')))
					rest++;
				buf_printf(&folded, "%s\"%.*s\"%s", folded.len ? " " : "", (int)n, p,
				    *rest ? "" : "*");
			}
			p += n;
		}
		buf_release(&tmp);
		q.fts = folded.data ? folded.data : "\"\"";
	}
	/* The busiest page of the API: written as text, not built as objects. */
	rc = buf_append_str(out, "{\"items\":");
	if (rc == CSIRT_OK)
		rc = store_list_text(st, &entity_incident, &q, out, &total);
	buf_release(&folded);
	if (rc == CSIRT_OK)
		rc = buf_printf(out, ",\"total\":%lld,\"page\":%lld,\"per_page\":%lld,"
		    "\"total_is_lower_bound\":%s}", (long long)total, (long long)f->page,
		    (long long)f->per_page, q.fts && total >= STORE_COUNT_CAP ? "true" : "false");
	return rc;
}

enum csirt_rc
incident_classify(struct store *st, const struct actor *who, int64_t id, json_t *in,
    struct csirt_err *err)
{
	static const struct {
		const char *name;
		size_t offset;
	} impacts[] = {
		{ "service_disruption", offsetof(struct serious_input, impact_service_disruption) },
		{ "secret_disclosure", offsetof(struct serious_input, impact_secret_disclosure) },
		{ "integrity_unrecoverable", offsetof(struct serious_input, impact_integrity_unrecoverable) },
		{ "loss_of_control", offsetof(struct serious_input, impact_loss_of_control) },
		{ "wide_spread", offsetof(struct serious_input, impact_wide_spread) },
	};
	struct serious_input si;
	struct serious_result sr;
	json_t *before = NULL, *after = NULL, *rows = NULL, *crit, *v, *upd;
	const struct rulepack *pack;
	const char *key, *tax;
	enum csirt_rc rc;
	size_t i;

	if (!json_is_object(in))
		return csirt_err_set(err, CSIRT_EINVAL, NULL, "the body must be a JSON object");
	memset(&si, 0, sizeof(si));
	json_object_foreach(in, key, v) {
		if (strcmp(key, "taxonomy_code") == 0) {
			if (!json_is_string(v) || taxonomy_validate(taxonomy_builtin(),
			    json_string_value(v), err) != CSIRT_OK) {
				snprintf(err->field, sizeof(err->field), "taxonomy_code");
				return CSIRT_EINVAL;
			}
		} else if (strcmp(key, "owner_cannot_handle") == 0) {
			if (!json_is_boolean(v))
				return csirt_err_set(err, CSIRT_EINVAL, key, "'%s' must be true or false", key);
			si.owner_cannot_handle = json_is_true(v);
		} else if (strcmp(key, "impacts") == 0) {
			json_t *item;

			if (!json_is_array(v))
				return csirt_err_set(err, CSIRT_EINVAL, key, "'impacts' must be a list");
			json_array_foreach(v, i, item) {
				size_t k;

				for (k = 0; k < ARRAY_SIZE(impacts); k++)
					if (json_is_string(item) &&
					    strcmp(json_string_value(item), impacts[k].name) == 0)
						break;
				if (k == ARRAY_SIZE(impacts))
					return csirt_err_set(err, CSIRT_EINVAL, key, "unknown impact; use "
					    "service_disruption, secret_disclosure, integrity_unrecoverable,"
					    " loss_of_control or wide_spread");
				*(bool *)((char *)&si + impacts[k].offset) = true;
			}
		} else {
			return csirt_err_set(err, CSIRT_EINVAL, key, "unknown field '%.60s'", key);
		}
	}
	rc = store_begin(st);
	if (rc != CSIRT_OK)
		return rc;
	rc = svc_incident_load(st, who, id, &before);
	if (rc != CSIRT_OK)
		goto out_rollback;
	if (strcmp(json_string_value(json_object_get(before, "status")), "closed") == 0) {
		rc = csirt_err_set(err, CSIRT_ECONFLICT, NULL, "a closed incident cannot be reclassified");
		goto out_rollback;
	}
	/* The system level and the national critical list come from the
	 * register: the highest level among the affected systems. */
	rc = store_query_json(st, "SELECT max(s.level) AS level, max(s.national_critical) AS crit"
	    " FROM systems s JOIN incident_systems x ON x.system_id = s.id WHERE x.incident_id = ?1",
	    json_pack("[I]", (json_int_t)id), &rows);
	if (rc != CSIRT_OK)
		goto out_rollback;
	si.system_level = (int)json_integer_value(json_object_get(json_array_get(rows, 0), "level"));
	si.national_critical_list = json_integer_value(json_object_get(json_array_get(rows, 0), "crit"));
	json_decref(rows);
	if (si.system_level == 0)
		si.system_level = (int)json_integer_value(json_object_get(before, "system_level"));
	pack = rulepack_find(json_string_value(json_object_get(before, "rulepack")));
	if (pack == NULL) {
		rc = csirt_err_set(err, CSIRT_EUNSUPPORTED, NULL,
		    "no rule pack covers the date of detection of this incident");
		goto out_rollback;
	}
	rc = serious_assess(pack, &si, &sr, err);
	if (rc != CSIRT_OK)
		goto out_rollback;
	crit = json_array();
	for (i = 0; i < sr.held_count; i++)
		json_array_append_new(crit, json_string(sr.held[i]->id));
	upd = json_pack("{s:s,s:o}", "severity", severity_code(sr.result), "serious_criteria", crit);
	tax = json_string_value(json_object_get(in, "taxonomy_code"));
	if (tax)
		json_object_set_new(upd, "taxonomy_code", json_string(tax));
	rc = store_update(st, &entity_incident, id, upd);
	json_decref(upd);
	if (rc == CSIRT_OK)
		rc = svc_deadlines_refresh(st, id);
	if (rc == CSIRT_OK && (rc = store_get(st, &entity_incident, id, &after)) == CSIRT_OK) {
		json_object_set_new(after, "classification_message_vi", json_string(sr.message_vi));
		json_object_set_new(after, "classification_message_en", json_string(sr.message_en));
		json_object_set_new(after, "classification_rule", json_pack("{s:s?,s:s?,s:s?}", "id",
		    sr.rule_id, "source", sr.source, "confidence", sr.confidence));
		svc_audit(st, who, "classify", "incident", id, before, after);
	}
	if (rc != CSIRT_OK)
		goto out_rollback;
	json_decref(before);
	json_decref(after);
	return store_commit(st);

out_rollback:
	store_rollback(st);
	json_decref(before);
	json_decref(after);
	return rc;
}

enum csirt_rc
incident_deadline_met(struct store *st, const struct actor *who, int64_t id, const char *rule_id,
    const char *note, struct csirt_err *err)
{
	json_t *inc = NULL;
	int64_t changes = 0;
	enum csirt_rc rc = store_begin(st);

	if (rc != CSIRT_OK)
		return rc;
	rc = svc_incident_load(st, who, id, &inc);
	json_decref(inc);
	if (rc == CSIRT_OK)
		rc = store_exec(st, "UPDATE deadlines SET met_at = ?1, note = CASE WHEN ?4 = '' THEN note"
		    " ELSE ?4 END WHERE incident_id = ?2 AND rule_id = ?3 AND met_at IS NULL",
		    json_pack("[I,I,s,s]", (json_int_t)time_now(), (json_int_t)id, rule_id,
		    note ? note : ""), &changes, NULL);
	if (rc == CSIRT_OK && changes == 0)
		rc = csirt_err_set(err, CSIRT_ENOTFOUND, "rule_id",
		    "no open deadline with that rule on this incident");
	if (rc == CSIRT_OK) {
		json_t *a = json_pack("{s:s,s:s}", "rule_id", rule_id, "note", note ? note : "");
		svc_audit(st, who, "deadline_met", "incident", id, NULL, a);
		json_decref(a);
		return store_commit(st);
	}
	store_rollback(st);
	return rc;
}

enum csirt_rc
incident_public_status(struct store *st, const char *code, json_t **out)
{
	json_t *rows = NULL, *r;
	enum csirt_rc rc;
	enum incident_step step;
	char iso[32];

	rc = store_query_json(st, "SELECT tracking_code, step, status, reported_at, updated_at, closed_at"
	    " FROM incidents WHERE tracking_code = ?1", json_pack("[s]", code), &rows);
	if (rc != CSIRT_OK)
		return rc;
	r = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	if (r == NULL)
		return CSIRT_ENOTFOUND;
	if (procedure_step_parse(json_string_value(json_object_get(r, "step")), &step) == CSIRT_OK) {
		json_object_set_new(r, "step_name_vi", json_string(procedure_step_name(step, "vi")));
		json_object_set_new(r, "step_name_en", json_string(procedure_step_name(step, "en")));
	}
	const char *keys[] = { "reported_at", "updated_at", "closed_at" };
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		json_t *v = json_object_get(r, keys[i]);

		if (json_is_integer(v)) {
			time_format_iso(json_integer_value(v), iso);
			json_object_set_new(r, keys[i], json_string(iso));
		}
	}
	*out = r;
	return CSIRT_OK;
}
