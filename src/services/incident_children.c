/*
 * incident_children.c - what hangs below an incident: tasks, comments,
 * observables (de-duplicated across incidents, so "seen before" shows),
 * evidence (content-addressed by SHA-256, with a chain-of-custody log)
 * and the timeline that merges them.
 */
#include "csirt/common.h"
#include "csirt/entities.h"
#include "csirt/filestore.h"
#include "csirt/incidents.h"
#include "services/services_int.h"

#include <stdio.h>
#include <string.h>

static int
is_closed(json_t *inc)
{
	return strcmp(json_string_value(json_object_get(inc, "status")), "closed") == 0;
}

static enum csirt_rc
open_incident_for_change(struct store *st, const struct actor *who, int64_t id,
    struct csirt_err *err)
{
	json_t *inc = NULL;
	enum csirt_rc rc = svc_incident_load(st, who, id, &inc);

	if (rc == CSIRT_OK && is_closed(inc))
		rc = csirt_err_set(err, CSIRT_ECONFLICT, NULL, "the incident is closed");
	json_decref(inc);
	return rc;
}

static enum csirt_rc
check_assignee(struct store *st, json_t *rec, struct csirt_err *err)
{
	json_t *a = json_object_get(rec, "assignee_id"), *u = NULL;

	if (a == NULL || json_is_null(a))
		return CSIRT_OK;
	if (store_get(st, &entity_user, json_integer_value(a), &u) != CSIRT_OK)
		return csirt_err_set(err, CSIRT_EINVAL, "assignee_id", "no such user");
	json_decref(u);
	return CSIRT_OK;
}

enum csirt_rc
incident_add_task(struct store *st, const struct actor *who, int64_t id, json_t *in,
    int64_t *task_id, struct csirt_err *err)
{
	json_t *rec = NULL;
	enum csirt_rc rc = schema_validate(&entity_task, in, 1, &rec, err);

	if (rc != CSIRT_OK)
		return rc;
	rc = store_begin(st);
	if (rc == CSIRT_OK) {
		rc = open_incident_for_change(st, who, id, err);
		if (rc == CSIRT_OK)
			rc = check_assignee(st, rec, err);
		json_object_set_new(rec, "incident_id", json_integer(id));
		if (who->user_id)
			json_object_set_new(rec, "created_by", json_integer(who->user_id));
		rc = svc_create_finish(st, who, &entity_task, rec, task_id, rc);
	}
	json_decref(rec);
	return rc;
}

enum csirt_rc
incident_update_task(struct store *st, const struct actor *who, int64_t task_id, json_t *in,
    struct csirt_err *err)
{
	json_t *rec = NULL, *before = NULL, *after = NULL;
	enum csirt_rc rc = schema_validate(&entity_task, in, 0, &rec, err);

	if (rc != CSIRT_OK)
		return rc;
	rc = store_begin(st);
	if (rc != CSIRT_OK)
		goto out;
	rc = store_get(st, &entity_task, task_id, &before);
	if (rc == CSIRT_OK)
		rc = open_incident_for_change(st, who,
		    json_integer_value(json_object_get(before, "incident_id")), err);
	if (rc == CSIRT_OK)
		rc = check_assignee(st, rec, err);
	if (rc == CSIRT_OK)
		rc = store_update(st, &entity_task, task_id, rec);
	if (rc == CSIRT_OK && (rc = store_get(st, &entity_task, task_id, &after)) == CSIRT_OK)
		svc_audit(st, who, "update", "task", task_id, before, after);
	if (rc == CSIRT_OK)
		rc = store_commit(st);
	else
		store_rollback(st);
out:
	json_decref(rec);
	json_decref(before);
	json_decref(after);
	return rc;
}

enum csirt_rc
incident_add_comment(struct store *st, const struct actor *who, int64_t id, json_t *in,
    int64_t *comment_id, struct csirt_err *err)
{
	json_t *rec = NULL;
	enum csirt_rc rc = schema_validate(&entity_comment, in, 1, &rec, err);

	if (rc != CSIRT_OK)
		return rc;
	rc = store_begin(st);
	if (rc == CSIRT_OK) {
		/* Comments stay possible on a closed incident: lessons learned
		 * are often written afterwards. */
		rc = incident_visible(st, who, id);
		json_object_set_new(rec, "incident_id", json_integer(id));
		if (who->user_id)
			json_object_set_new(rec, "author_id", json_integer(who->user_id));
		rc = svc_create_finish(st, who, &entity_comment, rec, comment_id, rc);
	}
	json_decref(rec);
	return rc;
}

enum csirt_rc
incident_add_observable(struct store *st, const struct actor *who, int64_t id, const char *type,
    const char *value, const char *note, int64_t *obs_id, struct csirt_err *err)
{
	enum csirt_rc rc = store_begin(st);

	if (rc != CSIRT_OK)
		return rc;
	rc = open_incident_for_change(st, who, id, err);
	if (rc == CSIRT_OK)
		rc = svc_observable_link(st, id, 0, type, value, note, obs_id, err);
	if (rc == CSIRT_OK)
		rc = incident_reindex(st, id);
	if (rc == CSIRT_OK) {
		json_t *a = json_pack("{s:s?,s:s?,s:I}", "type", type, "value", value,
		    "observable_id", (json_int_t)*obs_id);
		svc_audit(st, who, "add_observable", "incident", id, NULL, a);
		json_decref(a);
		return store_commit(st);
	}
	store_rollback(st);
	return rc;
}

enum csirt_rc
incident_children(struct store *st, const struct actor *who, int64_t id, const char *kind,
    json_t **out)
{
	static const char *const times[] = { "at", "created_at", "updated_at", "due_at", "added_at",
		"first_seen" };
	const char *sql;
	enum csirt_rc rc = incident_visible(st, who, id);

	if (rc != CSIRT_OK)
		return rc;
	if (strcmp(kind, "tasks") == 0)
		sql = "SELECT t.*, u.username AS assignee FROM tasks t LEFT JOIN users u"
		    " ON u.id = t.assignee_id WHERE t.incident_id = ?1 ORDER BY t.id";
	else if (strcmp(kind, "comments") == 0)
		sql = "SELECT c.*, u.username AS author FROM comments c LEFT JOIN users u"
		    " ON u.id = c.author_id WHERE c.incident_id = ?1 ORDER BY c.id";
	else if (strcmp(kind, "observables") == 0)
		/* seen_elsewhere counts the other incidents with the same
		 * observable, whatever the actor's scope: it reveals a count,
		 * never which incidents. */
		sql = "SELECT o.id, o.type, o.value, o.first_seen, x.added_at, x.note,"
		    " (SELECT count(*) FROM incident_observables y WHERE y.observable_id = o.id"
		    "  AND y.incident_id <> x.incident_id) AS seen_elsewhere,"
		    " (SELECT count(*) FROM alert_observables a WHERE a.observable_id = o.id) AS seen_in_alerts"
		    " FROM observables o JOIN incident_observables x ON x.observable_id = o.id"
		    " WHERE x.incident_id = ?1 ORDER BY o.type, o.value";
	else if (strcmp(kind, "evidence") == 0)
		sql = "SELECT e.*, u.username AS added_by_name FROM evidence e LEFT JOIN users u"
		    " ON u.id = e.added_by WHERE e.incident_id = ?1 ORDER BY e.id";
	else if (strcmp(kind, "transitions") == 0)
		sql = "SELECT t.id, t.from_step, t.to_step, t.at, t.reason, u.username AS actor"
		    " FROM transitions t LEFT JOIN users u ON u.id = t.actor_id"
		    " WHERE t.incident_id = ?1 ORDER BY t.id";
	else if (strcmp(kind, "timeline") == 0)
		sql = "SELECT * FROM ("
		    " SELECT t.at, 'transition' AS kind, u.username AS actor,"
		    "  t.from_step || ' -> ' || t.to_step || ': ' || t.reason AS text FROM transitions t"
		    "  LEFT JOIN users u ON u.id = t.actor_id WHERE t.incident_id = ?1"
		    " UNION ALL SELECT c.created_at, 'comment', u.username, c.body FROM comments c"
		    "  LEFT JOIN users u ON u.id = c.author_id WHERE c.incident_id = ?1"
		    " UNION ALL SELECT t.created_at, 'task', u.username, t.title FROM tasks t"
		    "  LEFT JOIN users u ON u.id = t.created_by WHERE t.incident_id = ?1"
		    " UNION ALL SELECT e.added_at, 'evidence', u.username, e.filename || ' (' || e.sha256 || ')'"
		    "  FROM evidence e LEFT JOIN users u ON u.id = e.added_by WHERE e.incident_id = ?1"
		    " UNION ALL SELECT i.reported_at, 'reported', i.source, i.title FROM incidents i"
		    "  WHERE i.id = ?1"
		    ") ORDER BY at, kind";
	else
		return CSIRT_ENOTFOUND;
	rc = store_query_json(st, sql, json_pack("[I]", (json_int_t)id), out);
	if (rc == CSIRT_OK)
		schema_render_times(*out, times, ARRAY_SIZE(times));
	return rc;
}

/* A file name as the user gave it, made safe to store and to send back in
 * a Content-Disposition header: no path, no control or quote characters. */
static void
safe_filename(const char *in, char *out, size_t outsz)
{
	const char *base = in ? strrchr(in, '/') : NULL;
	size_t n = 0;

	base = base ? base + 1 : (in ? in : "");
	for (; *base && n + 1 < outsz; base++) {
		unsigned char c = (unsigned char)*base;

		if (c < 0x20 || c == '"' || c == '\\' || c == 0x7f)
			continue;
		out[n++] = (char)c;
	}
	out[n] = '\0';
	if (n == 0 || strcmp(out, ".") == 0 || strcmp(out, "..") == 0)
		snprintf(out, outsz, "evidence.bin");
	else if (!utf8_valid(out, n))
		snprintf(out, outsz, "evidence.bin");
}

enum csirt_rc
incident_add_evidence(struct store *st, const struct actor *who, int64_t id, const char *data_dir,
    const char *tmp_path, const char *sha256, int64_t size, const char *filename,
    const char *content_type, const char *description, int64_t *evidence_id,
    struct csirt_err *err)
{
	char name[256], ctype[201];
	json_t *rec;
	enum csirt_rc rc;

	if (!filestore_hash_ok(sha256))
		return CSIRT_EINTERNAL;
	safe_filename(filename, name, sizeof(name));
	snprintf(ctype, sizeof(ctype), "%s", content_type && *content_type &&
	    utf8_valid(content_type, strlen(content_type)) && !strpbrk(content_type, "\r\n") ?
	    content_type : "application/octet-stream");
	if (description && (strlen(description) > 4000 || !utf8_valid(description, strlen(description))))
		return csirt_err_set(err, CSIRT_EINVAL, "description", "the description is not acceptable");
	rc = filestore_put(data_dir, tmp_path, sha256);
	if (rc != CSIRT_OK)
		return rc;
	rc = store_begin(st);
	if (rc != CSIRT_OK)
		return rc;
	rc = open_incident_for_change(st, who, id, err);
	rec = json_pack("{s:I,s:s,s:s,s:I,s:s,s:s,s:I}", "incident_id", (json_int_t)id, "sha256", sha256,
	    "filename", name, "size", (json_int_t)size, "content_type", ctype, "description",
	    description ? description : "", "added_at", (json_int_t)time_now());
	if (who->user_id)
		json_object_set_new(rec, "added_by", json_integer(who->user_id));
	if (rc == CSIRT_OK)
		rc = store_insert(st, &entity_evidence, rec, evidence_id);
	if (rc == CSIRT_OK)
		rc = store_exec(st, "INSERT INTO custody (evidence_id, at, actor_id, actor, action, note)"
		    " VALUES (?1, ?2, ?3, ?4, 'received', ?5)", json_pack("[I,I,o,s,s]",
		    (json_int_t)*evidence_id, (json_int_t)time_now(),
		    who->user_id ? json_integer(who->user_id) : json_null(),
		    who->username, "uploaded; SHA-256 computed on receipt"), NULL, NULL);
	if (rc == CSIRT_OK) {
		svc_audit(st, who, "add_evidence", "incident", id, NULL, rec);
		rc = store_commit(st);
	} else {
		store_rollback(st);
	}
	json_decref(rec);
	return rc;
}

enum csirt_rc
incident_open_evidence(struct store *st, const struct actor *who, int64_t evidence_id,
    const char *data_dir, int *fd, json_t **meta)
{
	json_t *ev = NULL;
	enum csirt_rc rc = store_get(st, &entity_evidence, evidence_id, &ev);
	const char *sha;

	if (rc != CSIRT_OK)
		return rc;
	rc = incident_visible(st, who, json_integer_value(json_object_get(ev, "incident_id")));
	if (rc != CSIRT_OK)
		goto out_fail;
	sha = json_string_value(json_object_get(ev, "sha256"));
	rc = filestore_open(data_dir, sha, fd);
	if (rc != CSIRT_OK)
		goto out_fail;
	/* Every read of evidence is part of its chain of custody. */
	if (store_begin(st) == CSIRT_OK) {
		store_exec(st, "INSERT INTO custody (evidence_id, at, actor_id, actor, action, note)"
		    " VALUES (?1, ?2, ?3, ?4, 'downloaded', '')", json_pack("[I,I,o,s]",
		    (json_int_t)evidence_id, (json_int_t)time_now(),
		    who->user_id ? json_integer(who->user_id) : json_null(), who->username), NULL, NULL);
		store_commit(st);
	}
	*meta = ev;
	return CSIRT_OK;

out_fail:
	json_decref(ev);
	return rc;
}
