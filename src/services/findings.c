/*
 * findings.c - vulnerability findings per system over time.
 */
#include "csirt/common.h"
#include "csirt/entities.h"
#include "csirt/findings.h"
#include "csirt/warnings.h"
#include "services/services_int.h"

#include <string.h>

#define MAX_FINDINGS_PER_SCAN 20000

static const char *
text_or(json_t *o, const char *key, const char *def)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v ? v : def;
}

static int
system_in_scope(struct store *st, const struct actor *who, int64_t system_id)
{
	json_t *sys = NULL;
	int64_t scope = actor_scope(who);
	int yes = 1;

	if (store_get(st, &entity_system, system_id, &sys) != CSIRT_OK)
		return 0;
	if (scope) {
		int a = 0, b = 0;

		store_org_in_subtree(st, scope, json_integer_value(json_object_get(sys, "owner_org_id")), &a);
		store_org_in_subtree(st, scope, json_integer_value(json_object_get(sys, "operator_org_id")), &b);
		yes = a || b;
	}
	json_decref(sys);
	return yes;
}

enum csirt_rc
findings_record_scan(struct store *st, const struct actor *who, int64_t system_id, json_t *scan,
    int64_t *activity_id, struct findings_tally *tally, struct csirt_err *err)
{
	json_t *found, *f, *result;
	const char *when_s;
	int64_t when, scan_mark;
	enum csirt_rc rc;
	size_t i;

	memset(tally, 0, sizeof(*tally));
	if (!json_is_object(scan))
		return csirt_err_set(err, CSIRT_EINVAL, NULL, "the body must be a JSON object");
	when_s = json_string_value(json_object_get(scan, "performed_at"));
	if (when_s == NULL || time_parse_iso(when_s, &when) != CSIRT_OK || when > time_now() + 300)
		return csirt_err_set(err, CSIRT_EINVAL, "performed_at", "'performed_at' must be a past ISO 8601 time");
	found = json_object_get(scan, "findings");
	if (found && (!json_is_array(found) || json_array_size(found) > MAX_FINDINGS_PER_SCAN))
		return csirt_err_set(err, CSIRT_EINVAL, "findings", "'findings' must be a list of at most %d",
		    MAX_FINDINGS_PER_SCAN);
	json_array_foreach(found, i, f) {
		const char *comp = json_string_value(json_object_get(f, "component"));
		const char *cve = json_string_value(json_object_get(f, "cve"));

		if (!json_is_object(f) || comp == NULL || cve == NULL || strlen(comp) > 300 ||
		    strlen(cve) > 64 || !utf8_valid(comp, strlen(comp)) || !utf8_valid(cve, strlen(cve)))
			return csirt_err_set(err, CSIRT_EINVAL, "findings",
			    "finding %zu needs 'component' and 'cve' (text)", i);
	}
	rc = store_begin(st);
	if (rc != CSIRT_OK)
		return rc;
	if (!system_in_scope(st, who, system_id)) {
		rc = CSIRT_ENOTFOUND;
		goto out_rollback;
	}
	/* Every finding this scan sees gets last_seen = scan_mark; open ones
	 * left with an older last_seen were not seen again: fixed. */
	scan_mark = when;
	json_array_foreach(found, i, f) {
		json_t *rows = NULL, *row;
		const char *comp = text_or(f, "component", ""), *cve = text_or(f, "cve", "");
		int64_t port = json_integer_value(json_object_get(f, "port"));

		rc = store_query_json(st, "SELECT id, status FROM findings WHERE system_id = ?1 AND"
		    " component = ?2 AND cve = ?3 AND port = ?4", json_pack("[I,s,s,I]",
		    (json_int_t)system_id, comp, cve, (json_int_t)port), &rows);
		if (rc != CSIRT_OK)
			goto out_rollback;
		row = json_array_get(rows, 0);
		if (row == NULL) {
			rc = store_exec(st, "INSERT INTO findings (system_id, component, cve, port, host, lane,"
			    " installed, fixed_version, cvss, kev, kev_due, epss, first_seen, last_seen)"
			    " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?13)",
			    json_pack("[I,s,s,I,s,s,s,s,O,b,s,O,I]", (json_int_t)system_id, comp, cve,
			    (json_int_t)port, text_or(f, "host", ""), text_or(f, "lane", "potential"),
			    text_or(f, "installed", ""), text_or(f, "fixed", ""),
			    json_object_get(f, "cvss") ? json_object_get(f, "cvss") : json_null(),
			    json_is_true(json_object_get(f, "kev")), text_or(f, "kev_due", ""),
			    json_object_get(f, "epss") ? json_object_get(f, "epss") : json_null(),
			    (json_int_t)scan_mark), NULL, NULL);
			tally->new_count++;
		} else {
			const char *status = json_string_value(json_object_get(row, "status"));
			int reopen = strcmp(status, "fixed") == 0;

			rc = store_exec(st, "UPDATE findings SET last_seen = max(last_seen, ?2),"
			    " status = CASE WHEN status = 'fixed' THEN 'open' ELSE status END,"
			    " reopened = reopened + ?3, fixed_at = CASE WHEN status = 'fixed' THEN NULL"
			    " ELSE fixed_at END, kev = ?4, kev_due = ?5 WHERE id = ?1",
			    json_pack("[O,I,i,b,s]", json_object_get(row, "id"), (json_int_t)scan_mark,
			    reopen, json_is_true(json_object_get(f, "kev")), text_or(f, "kev_due", "")),
			    NULL, NULL);
			if (reopen)
				tally->reopened++;
			else if (strcmp(status, "open") == 0)
				tally->still_open++;
		}
		json_decref(rows);
		if (rc != CSIRT_OK)
			goto out_rollback;
	}
	{
		int64_t changes = 0;

		rc = store_exec(st, "UPDATE findings SET status = 'fixed', fixed_at = ?2 WHERE"
		    " system_id = ?1 AND status = 'open' AND last_seen < ?2", json_pack("[I,I]",
		    (json_int_t)system_id, (json_int_t)scan_mark), &changes, NULL);
		tally->fixed = changes;
	}
	if (rc != CSIRT_OK)
		goto out_rollback;
	result = json_pack("{s:I,s:I,s:I,s:I,s:I}", "findings", (json_int_t)json_array_size(found),
	    "new", (json_int_t)tally->new_count, "still_open", (json_int_t)tally->still_open,
	    "fixed", (json_int_t)tally->fixed, "reopened", (json_int_t)tally->reopened);
	if (json_is_array(json_object_get(scan, "services")))
		json_object_set_new(result, "services",
		    json_integer((json_int_t)json_array_size(json_object_get(scan, "services"))));
	rc = store_exec(st, "INSERT INTO activities (system_id, kind, performed_at, summary, result,"
	    " recorded_by, created_at) VALUES (?1, 'vuln_scan', ?2, ?3, ?4, ?5, ?6)",
	    json_pack("[I,I,s,O,o,I]", (json_int_t)system_id, (json_int_t)when,
	    text_or(scan, "summary", "Rà quét lỗ hổng"), result,
	    who->user_id ? json_integer(who->user_id) : json_null(), (json_int_t)time_now()), NULL,
	    activity_id);
	if (rc == CSIRT_OK) {
		int64_t matched = 0;

		/* A warning issued before this scan now reaches the system too. */
		rc = warnings_match_scan(st, system_id, &matched);
		json_object_set_new(result, "warnings_matched", json_integer(matched));
	}
	if (rc == CSIRT_OK)
		svc_audit(st, who, "record_scan", "system", system_id, NULL, result);
	json_decref(result);
	if (rc != CSIRT_OK)
		goto out_rollback;
	return store_commit(st);

out_rollback:
	store_rollback(st);
	return rc;
}

static int
one_of(const char *s, const char *const *allowed, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (strcmp(s, allowed[k]) == 0)
			return 1;
	return 0;
}

enum csirt_rc
findings_list(struct store *st, const struct actor *who, const struct findings_filter *f,
    json_t **out, int *truncated, struct csirt_err *err)
{
	static const char *const states[] = { "open", "fixed", "accepted_risk", "false_positive" };
	static const char *const lanes[] = { "confirmed", "potential" };
	size_t max = f->max_rows ? f->max_rows : FINDINGS_LIST_MAX;
	const char *state = f->state ? f->state : "", *lane = f->lane ? f->lane : "";
	int64_t scope = actor_scope(who), org_id = f->org_id;
	enum csirt_rc rc;
	size_t i;
	json_t *r;

	*out = NULL;
	*truncated = 0;
	if (*state && !one_of(state, states, ARRAY_SIZE(states)))
		return csirt_err_set(err, CSIRT_EINVAL, "state",
		    "state must be open, fixed, accepted_risk or false_positive");
	if (*lane && !one_of(lane, lanes, ARRAY_SIZE(lanes)))
		return csirt_err_set(err, CSIRT_EINVAL, "lane", "lane must be confirmed or potential");
	if (f->system_id && !system_in_scope(st, who, f->system_id))
		return CSIRT_ENOTFOUND;
	if (scope && org_id) {
		int yes = 0;

		store_org_in_subtree(st, scope, org_id, &yes);
		if (!yes)
			return CSIRT_ENOTFOUND;
	}
	if (!org_id)
		org_id = scope;
	/* One row more than asked tells a complete list from a cut one. */
	rc = store_query_json(st, "SELECT f.*, s.name AS system_name FROM findings f JOIN systems s"
	    " ON s.id = f.system_id WHERE (?1 = 0 OR f.system_id = ?1) AND (?3 = '' OR f.status = ?3)"
	    " AND (?4 = '' OR f.lane = ?4) AND (?5 < 0 OR f.kev = ?5)"
	    " AND (?2 = 0 OR s.owner_org_id IN (WITH RECURSIVE sub(id) AS (SELECT ?2 UNION ALL"
	    " SELECT o.id FROM orgs o JOIN sub ON o.parent_id = sub.id) SELECT id FROM sub)"
	    " OR s.operator_org_id IN (WITH RECURSIVE sub(id) AS (SELECT ?2 UNION ALL"
	    " SELECT o.id FROM orgs o JOIN sub ON o.parent_id = sub.id) SELECT id FROM sub))"
	    " ORDER BY f.kev DESC, f.cvss DESC, f.id LIMIT ?6",
	    json_pack("[I,I,s,s,i,I]", (json_int_t)f->system_id, (json_int_t)org_id, state, lane,
	    f->kev < 0 ? -1 : f->kev != 0, (json_int_t)max + 1), out);
	if (rc != CSIRT_OK)
		return rc;
	if (json_array_size(*out) > max) {
		json_array_remove(*out, max);
		*truncated = 1;
	}
	json_array_foreach(*out, i, r)
		json_object_set_new(r, "kev", json_boolean(json_integer_value(json_object_get(r, "kev"))));
	{
		static const char *const keys[] = { "first_seen", "last_seen", "fixed_at", "decided_at" };

		schema_render_times(*out, keys, ARRAY_SIZE(keys));
	}
	return CSIRT_OK;
}

enum csirt_rc
findings_decide(struct store *st, const struct actor *who, int64_t id, const char *status,
    const char *reason, struct csirt_err *err)
{
	json_t *rows = NULL, *before;
	enum csirt_rc rc;

	if (status == NULL || (strcmp(status, "accepted_risk") && strcmp(status, "false_positive") &&
	    strcmp(status, "open")))
		return csirt_err_set(err, CSIRT_EINVAL, "status", "status must be accepted_risk,"
		    " false_positive or open");
	if (strcmp(status, "open") != 0 && (reason == NULL || *reason == '\0' || strlen(reason) > 2000 ||
	    !utf8_valid(reason, strlen(reason))))
		return csirt_err_set(err, CSIRT_EINVAL, "reason", "a decision needs a reason");
	rc = store_begin(st);
	if (rc != CSIRT_OK)
		return rc;
	rc = store_query_json(st, "SELECT * FROM findings WHERE id = ?1", json_pack("[I]", (json_int_t)id),
	    &rows);
	before = rc == CSIRT_OK ? json_array_get(rows, 0) : NULL;
	if (rc == CSIRT_OK && (before == NULL ||
	    !system_in_scope(st, who, json_integer_value(json_object_get(before, "system_id")))))
		rc = CSIRT_ENOTFOUND;
	if (rc == CSIRT_OK)
		rc = store_exec(st, "UPDATE findings SET status = ?2, decision_reason = ?3, decided_by = ?4,"
		    " decided_at = ?5 WHERE id = ?1", json_pack("[I,s,s,o,I]", (json_int_t)id, status,
		    reason ? reason : "", who->user_id ? json_integer(who->user_id) : json_null(),
		    (json_int_t)time_now()), NULL, NULL);
	if (rc == CSIRT_OK) {
		json_t *after = json_pack("{s:s,s:s}", "status", status, "reason", reason ? reason : "");
		svc_audit(st, who, "decide", "finding", id, before, after);
		json_decref(after);
		json_decref(rows);
		return store_commit(st);
	}
	json_decref(rows);
	store_rollback(st);
	return rc;
}
