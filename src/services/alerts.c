/*
 * alerts.c - the alert queue: de-duplication on intake, merge, promote.
 */
#include "csirt/common.h"
#include "csirt/alerts.h"
#include "csirt/entities.h"
#include "csirt/incidents.h"
#include "services/services_int.h"

#include <string.h>

#define MAX_ALERT_OBSERVABLES 100

/* An open alert that reports the same thing, or 0. */
static int64_t
find_duplicate(struct store *st, const char *dedup_key, int64_t system_id, json_t *obs_ids,
    int64_t now)
{
	json_t *rows = NULL;
	int64_t found = 0;
	size_t i;
	json_t *v;

	/* The same dedup key is the same thing, whenever it happened (a hunt
	 * run again over the same old logs); the looser rule below (same
	 * system, an observable in common) holds within the window only. */
	if (dedup_key && *dedup_key &&
	    store_query_json(st, "SELECT id FROM alerts WHERE dedup_key = ?1 AND status = 'open'"
	    " ORDER BY id LIMIT 1", json_pack("[s]", dedup_key), &rows) == CSIRT_OK) {
		found = json_integer_value(json_object_get(json_array_get(rows, 0), "id"));
		json_decref(rows);
		rows = NULL;
	}
	if (found || !system_id)
		return found;
	json_array_foreach(obs_ids, i, v) {
		if (store_query_json(st, "SELECT a.id FROM alerts a JOIN alert_observables x"
		    " ON x.alert_id = a.id WHERE x.observable_id = ?1 AND a.system_id = ?2"
		    " AND a.status = 'open' AND a.last_seen >= ?3 ORDER BY a.id LIMIT 1",
		    json_pack("[O,I,I]", v, (json_int_t)system_id, (json_int_t)(now - ALERT_MERGE_WINDOW)),
		    &rows) == CSIRT_OK) {
			found = json_integer_value(json_object_get(json_array_get(rows, 0), "id"));
			json_decref(rows);
			rows = NULL;
		}
		if (found)
			break;
	}
	return found;
}

enum csirt_rc
alert_create(struct store *st, const struct actor *who, json_t *in, int64_t *id,
    int64_t *merged_into, struct csirt_err *err)
{
	json_t *copy, *obs, *rec = NULL, *obs_ids = NULL, *sys = NULL, *o;
	const char *event_time = NULL;
	int64_t now = time_now(), seen = now, system_id, dup, oid;
	enum csirt_rc rc;
	size_t i;

	*merged_into = 0;
	if (!json_is_object(in))
		return csirt_err_set(err, CSIRT_EINVAL, NULL, "the body must be a JSON object");
	copy = json_copy(in);
	obs = json_incref(json_object_get(copy, "observables"));
	if (json_object_get(copy, "event_time")) {
		event_time = json_string_value(json_object_get(copy, "event_time"));
		if (event_time == NULL || time_parse_iso(event_time, &seen) != CSIRT_OK) {
			rc = csirt_err_set(err, CSIRT_EINVAL, "event_time", "'event_time' must be ISO 8601");
			goto out;
		}
	}
	json_object_del(copy, "observables");
	json_object_del(copy, "event_time");
	if (obs && (!json_is_array(obs) || json_array_size(obs) > MAX_ALERT_OBSERVABLES)) {
		rc = csirt_err_set(err, CSIRT_EINVAL, "observables",
		    "'observables' must be a list of at most %d {\"type\",\"value\"}", MAX_ALERT_OBSERVABLES);
		goto out;
	}
	rc = schema_validate(&entity_alert, copy, 1, &rec, err);
	if (rc != CSIRT_OK)
		goto out;
	system_id = json_integer_value(json_object_get(rec, "system_id"));
	rc = store_begin(st);
	if (rc != CSIRT_OK)
		goto out;
	if (system_id) {
		if (store_get(st, &entity_system, system_id, &sys) != CSIRT_OK) {
			rc = csirt_err_set(err, CSIRT_EINVAL, "system_id", "no such information system");
			goto out_rollback;
		}
		json_object_set_new(rec, "org_id", json_incref(json_object_get(sys, "operator_org_id")));
	}
	/* Observables first: they decide whether this is a duplicate. */
	obs_ids = json_array();
	json_array_foreach(obs, i, o) {
		rc = svc_observable_link(st, 0, 0, json_string_value(json_object_get(o, "type")),
		    json_string_value(json_object_get(o, "value")), NULL, &oid, err);
		if (rc != CSIRT_OK)
			goto out_rollback;
		json_array_append_new(obs_ids, json_integer(oid));
	}
	dup = find_duplicate(st, json_string_value(json_object_get(rec, "dedup_key")), system_id,
	    obs_ids, now);
	if (dup) {
		rc = store_exec(st, "UPDATE alerts SET count = count + 1, last_seen = max(last_seen, ?1)"
		    " WHERE id = ?2", json_pack("[I,I]", (json_int_t)seen, (json_int_t)dup), NULL, NULL);
		*id = *merged_into = dup;
	} else {
		json_object_set_new(rec, "status", json_string("open"));
		json_object_set_new(rec, "first_seen", json_integer(seen));
		json_object_set_new(rec, "last_seen", json_integer(seen));
		rc = store_insert(st, &entity_alert, rec, id);
	}
	json_array_foreach(obs_ids, i, o)
		if (rc == CSIRT_OK)
			rc = store_exec(st, "INSERT OR IGNORE INTO alert_observables (alert_id, observable_id)"
			    " VALUES (?1, ?2)", json_pack("[I,O]", (json_int_t)*id, o), NULL, NULL);
	if (rc != CSIRT_OK)
		goto out_rollback;
	svc_audit(st, who, dup ? "merge_report" : "create", "alert", *id, NULL, rec);
	rc = store_commit(st);
	goto out;

out_rollback:
	store_rollback(st);
out:
	json_decref(sys);
	json_decref(obs_ids);
	json_decref(rec);
	json_decref(obs);
	json_decref(copy);
	return rc;
}

static enum csirt_rc
alert_load(struct store *st, int64_t id, json_t **out)
{
	enum csirt_rc rc = store_get(st, &entity_alert, id, out);

	return rc;
}

enum csirt_rc
alert_get(struct store *st, const struct actor *who, int64_t id, json_t **out)
{
	json_t *a = NULL, *rows = NULL;
	enum csirt_rc rc = alert_load(st, id, &a);

	if (rc != CSIRT_OK)
		return rc;
	rc = store_query_json(st, "SELECT o.id, o.type, o.value, (SELECT count(*) FROM"
	    " incident_observables y WHERE y.observable_id = o.id) AS seen_in_incidents"
	    " FROM observables o JOIN alert_observables x ON x.observable_id = o.id"
	    " WHERE x.alert_id = ?1 ORDER BY o.type, o.value", json_pack("[I]", (json_int_t)id), &rows);
	if (rc != CSIRT_OK) {
		json_decref(a);
		return rc;
	}
	json_object_set_new(a, "observables", rows);
	schema_render(&entity_alert, a);
	*out = a;
	return CSIRT_OK;
}

enum csirt_rc
alert_list(struct store *st, const struct actor *who, const char *status, int64_t page,
    int64_t per_page, json_t **out)
{
	struct store_query q;
	json_t *items = NULL;
	int64_t total = 0;
	enum csirt_rc rc;

	memset(&q, 0, sizeof(q));
	if (status && *status) {
		q.filters[0].field = "status";
		q.filters[0].is_text = 1;
		q.filters[0].text = status;
		q.n_filters = 1;
	}
	q.desc = 1;
	q.sort = "last_seen";
	q.limit = per_page;
	q.offset = (page - 1) * per_page;
	rc = store_list(st, &entity_alert, &q, &items, &total);
	if (rc != CSIRT_OK)
		return rc;
	for (size_t i = 0; i < json_array_size(items); i++)
		schema_render(&entity_alert, json_array_get(items, i));
	*out = json_pack("{s:o,s:I,s:I,s:I}", "items", items, "total", (json_int_t)total, "page",
	    (json_int_t)page, "per_page", (json_int_t)per_page);
	return CSIRT_OK;
}

static int
is_open(json_t *a)
{
	return strcmp(json_string_value(json_object_get(a, "status")), "open") == 0;
}

enum csirt_rc
alert_merge(struct store *st, const struct actor *who, int64_t id, int64_t into,
    struct csirt_err *err)
{
	json_t *a = NULL, *b = NULL;
	enum csirt_rc rc;

	if (id == into)
		return csirt_err_set(err, CSIRT_EINVAL, "into", "an alert cannot be merged into itself");
	rc = store_begin(st);
	if (rc != CSIRT_OK)
		return rc;
	rc = alert_load(st, id, &a);
	if (rc == CSIRT_OK) {
		rc = alert_load(st, into, &b);
		if (rc == CSIRT_ENOTFOUND)
			csirt_err_set(err, rc, "into", "no such alert to merge into");
	}
	if (rc == CSIRT_OK && (!is_open(a) || !is_open(b)))
		rc = csirt_err_set(err, CSIRT_ECONFLICT, NULL, "only open alerts can be merged");
	if (rc == CSIRT_OK)
		rc = store_exec(st, "INSERT OR IGNORE INTO alert_observables (alert_id, observable_id)"
		    " SELECT ?2, observable_id FROM alert_observables WHERE alert_id = ?1",
		    json_pack("[I,I]", (json_int_t)id, (json_int_t)into), NULL, NULL);
	if (rc == CSIRT_OK)
		rc = store_exec(st, "UPDATE alerts SET count = count + (SELECT count FROM alerts WHERE"
		    " id = ?1), first_seen = min(first_seen, (SELECT first_seen FROM alerts WHERE id = ?1)),"
		    " last_seen = max(last_seen, (SELECT last_seen FROM alerts WHERE id = ?1)) WHERE id = ?2",
		    json_pack("[I,I]", (json_int_t)id, (json_int_t)into), NULL, NULL);
	if (rc == CSIRT_OK)
		rc = store_exec(st, "UPDATE alerts SET status = 'merged', merged_into = ?2 WHERE id = ?1",
		    json_pack("[I,I]", (json_int_t)id, (json_int_t)into), NULL, NULL);
	if (rc == CSIRT_OK) {
		json_t *after = json_pack("{s:I}", "merged_into", (json_int_t)into);
		svc_audit(st, who, "merge", "alert", id, a, after);
		json_decref(after);
		rc = store_commit(st);
	} else {
		store_rollback(st);
	}
	json_decref(a);
	json_decref(b);
	return rc;
}

enum csirt_rc
alert_promote(struct store *st, const struct actor *who, int64_t id, int64_t incident_id,
    int64_t *result_incident, struct csirt_err *err)
{
	json_t *a = NULL, *obs = NULL, *in = NULL;
	enum csirt_rc rc;
	char code[TRACKING_CODE_MAX], iso[32];

	rc = alert_get(st, who, id, &a);
	if (rc != CSIRT_OK)
		return rc;
	if (!is_open(a)) {
		json_decref(a);
		return csirt_err_set(err, CSIRT_ECONFLICT, NULL, "only an open alert can be promoted");
	}
	if (incident_id == 0) {
		/* A new incident, filed as if reported by the alert's source;
		 * its own transaction, then the alert is linked to it. */
		obs = json_array();
		for (size_t i = 0; i < json_array_size(json_object_get(a, "observables")); i++) {
			json_t *o = json_array_get(json_object_get(a, "observables"), i);
			json_array_append_new(obs, json_pack("{s:O,s:O}", "type",
			    json_object_get(o, "type"), "value", json_object_get(o, "value")));
		}
		snprintf(iso, sizeof(iso), "%s", json_string_value(json_object_get(a, "first_seen")));
		in = json_pack("{s:O,s:O,s:s,s:o}", "title", json_object_get(a, "title"),
		    "description", json_object_get(a, "description"), "detected_at", iso,
		    "observables", obs);
		if (json_integer_value(json_object_get(a, "system_id")))
			json_object_set_new(in, "systems", json_pack("[O]", json_object_get(a, "system_id")));
		if (json_integer_value(json_object_get(a, "org_id")))
			json_object_set(in, "org_id", json_object_get(a, "org_id"));
		json_object_set_new(in, "detection_methods", json_pack("[s]", "ids"));
		rc = incident_create(st, who, in, "alert", &incident_id, code, err);
		json_decref(in);
		if (rc != CSIRT_OK) {
			json_decref(a);
			return rc;
		}
	}
	rc = store_begin(st);
	if (rc != CSIRT_OK) {
		json_decref(a);
		return rc;
	}
	rc = incident_visible(st, who, incident_id);
	if (rc == CSIRT_ENOTFOUND)
		csirt_err_set(err, rc, "incident_id", "no such incident");
	if (rc == CSIRT_OK)
		rc = store_exec(st, "INSERT OR IGNORE INTO incident_observables (incident_id, observable_id,"
		    " added_at, note) SELECT ?2, observable_id, ?3, 'from alert' FROM alert_observables"
		    " WHERE alert_id = ?1", json_pack("[I,I,I]", (json_int_t)id, (json_int_t)incident_id,
		    (json_int_t)time_now()), NULL, NULL);
	if (rc == CSIRT_OK)
		rc = store_exec(st, "UPDATE alerts SET status = 'promoted', incident_id = ?2 WHERE id = ?1"
		    " OR merged_into = ?1", json_pack("[I,I]", (json_int_t)id, (json_int_t)incident_id),
		    NULL, NULL);
	if (rc == CSIRT_OK)
		rc = incident_reindex(st, incident_id);
	if (rc == CSIRT_OK) {
		json_t *after = json_pack("{s:I}", "incident_id", (json_int_t)incident_id);
		svc_audit(st, who, "promote", "alert", id, NULL, after);
		json_decref(after);
		rc = store_commit(st);
	} else {
		store_rollback(st);
	}
	json_decref(a);
	if (rc == CSIRT_OK)
		*result_incident = incident_id;
	return rc;
}

enum csirt_rc
alert_dismiss(struct store *st, const struct actor *who, int64_t id, const char *reason,
    struct csirt_err *err)
{
	json_t *a = NULL;
	enum csirt_rc rc = store_begin(st);

	if (rc != CSIRT_OK)
		return rc;
	rc = alert_load(st, id, &a);
	if (rc == CSIRT_OK && !is_open(a))
		rc = csirt_err_set(err, CSIRT_ECONFLICT, NULL, "only an open alert can be dismissed");
	if (rc == CSIRT_OK)
		rc = store_exec(st, "UPDATE alerts SET status = 'dismissed' WHERE id = ?1",
		    json_pack("[I]", (json_int_t)id), NULL, NULL);
	if (rc == CSIRT_OK) {
		json_t *after = json_pack("{s:s}", "reason", reason ? reason : "");
		svc_audit(st, who, "dismiss", "alert", id, a, after);
		json_decref(after);
		rc = store_commit(st);
	} else {
		store_rollback(st);
	}
	json_decref(a);
	return rc;
}
