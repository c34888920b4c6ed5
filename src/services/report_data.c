/*
 * report_data.c - the report engine's inputs, built from the store.
 * Nothing is invented: a figure the store does not hold (foreign support,
 * damage in money) is left out, and the form prints its blank.
 */
#include "csirt/common.h"
#include "csirt/incidents.h"
#include "csirt/obligations.h"
#include "csirt/report_data.h"
#include "csirt/taxonomy.h"

#include <stdio.h>
#include <string.h>

/* Vietnam time (UTC+7, no daylight saving) of the start of a month. */
static int64_t
month_start(int year, int month)
{
	char iso[64];
	int64_t t = 0;

	while (month > 12) {
		month -= 12;
		year++;
	}
	snprintf(iso, sizeof(iso), "%04d-%02d-01T00:00:00+07:00", year, month);
	time_parse_iso(iso, &t);
	return t;
}

static void
move(json_t *to, const char *to_key, json_t *from, const char *from_key)
{
	json_t *v = json_object_get(from, from_key);

	if (v)
		json_object_set(to, to_key, v);
}

enum csirt_rc
report_data_incident(struct store *st, const struct actor *who, int64_t id, json_t **out)
{
	json_t *inc = NULL, *obs = NULL, *dl, *d, *closure;
	enum csirt_rc rc = incident_get(st, who, id, &inc);
	size_t i;

	if (rc != CSIRT_OK)
		return rc;
	rc = incident_children(st, who, id, "observables", &obs);
	if (rc != CSIRT_OK) {
		json_decref(inc);
		return rc;
	}
	json_object_set_new(inc, "reporter", json_object());
	json_object_set_new(inc, "contact", json_object());
	move(json_object_get(inc, "reporter"), "org", inc, "reporter_org");
	move(json_object_get(inc, "reporter"), "address", inc, "reporter_address");
	move(json_object_get(inc, "reporter"), "phone", inc, "reporter_phone");
	move(json_object_get(inc, "reporter"), "email", inc, "reporter_email");
	move(json_object_get(inc, "contact"), "name", inc, "contact_name");
	move(json_object_get(inc, "contact"), "position", inc, "contact_position");
	move(json_object_get(inc, "contact"), "phone", inc, "contact_phone");
	move(json_object_get(inc, "contact"), "email", inc, "contact_email");
	move(inc, "taxonomy_name", inc, "taxonomy_name_vi");
	closure = json_object_get(inc, "closure");
	if (json_is_object(closure) && !json_is_null(json_object_get(inc, "response_ended_at")))
		move(closure, "response_ended_at", inc, "response_ended_at");
	json_object_set_new(inc, "observables", obs);
	/* The form's system block comes from the register when the report
	 * itself did not name the system. */
	if (json_string_length(json_object_get(inc, "system_name")) == 0) {
		json_t *rows = NULL, *sys;

		if (store_query_json(st, "SELECT s.name, s.level, coalesce(op.name, '') AS operator_name,"
		    " coalesce(ow.name, '') AS owner_name, s.isp, s.security_provider, s.os"
		    " FROM incident_systems x JOIN systems s ON s.id = x.system_id"
		    " LEFT JOIN orgs op ON op.id = s.operator_org_id LEFT JOIN orgs ow ON ow.id = s.owner_org_id"
		    " WHERE x.incident_id = ?1 ORDER BY s.level DESC, s.id LIMIT 1",
		    json_pack("[I]", (json_int_t)id), &rows) == CSIRT_OK &&
		    (sys = json_array_get(rows, 0)) != NULL) {
			static const char *const keys[][2] = { { "system_name", "name" },
				{ "operator_name", "operator_name" }, { "owner_name", "owner_name" },
				{ "isp", "isp" }, { "security_provider", "security_provider" }, { "os", "os" } };

			for (size_t k = 0; k < ARRAY_SIZE(keys); k++)
				if (json_string_length(json_object_get(inc, keys[k][0])) == 0)
					move(inc, keys[k][0], sys, keys[k][1]);
			if (json_integer_value(json_object_get(inc, "system_level")) == 0)
				move(inc, "system_level", sys, "level");
		}
		json_decref(rows);
	}
	/* "unclassified" is csirt's state before the test was run, not a
	 * severity the form knows: the form prints its blank. */
	if (strcmp(json_string_value(json_object_get(inc, "severity")), "unclassified") == 0)
		json_object_del(inc, "severity");
	dl = json_object_get(inc, "deadlines");
	json_array_foreach(dl, i, d)
		move(d, "label", d, "label_vi");
	*out = inc;
	return CSIRT_OK;
}

static json_t *
province_org(struct store *st)
{
	json_t *rows = NULL, *o;

	if (store_query_json(st, "SELECT name, address, member_code FROM orgs WHERE parent_id IS NULL"
	    " ORDER BY (type = 'province') DESC, id LIMIT 1", NULL, &rows) != CSIRT_OK)
		return json_object();
	o = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	return o ? o : json_object();
}

#define SCOPE_SQL "(?3 = 0 OR i.org_id IN (WITH RECURSIVE sub(id) AS (SELECT ?3 UNION ALL" \
	" SELECT o.id FROM orgs o JOIN sub ON o.parent_id = sub.id) SELECT id FROM sub))"

enum csirt_rc
report_data_form05(struct store *st, const struct actor *who, const char *period, json_t **out,
    struct csirt_err *err)
{
	const struct taxonomy *tax = taxonomy_builtin();
	int64_t year;
	int half = 0;
	char ybuf[8];
	json_t *rows = NULL, *out_rows, *sup = NULL, *sup_list;
	int64_t from, to;
	enum csirt_rc rc;
	size_t i;
	json_t *r;

	if (period == NULL || (strlen(period) != 4 && strlen(period) != 6))
		return csirt_err_set(err, CSIRT_EINVAL, "period", "period must be like 2026H1 or 2026");
	memcpy(ybuf, period, 4);
	ybuf[4] = '\0';
	if (parse_int64(ybuf, 2017, 9999, &year) != CSIRT_OK)
		return csirt_err_set(err, CSIRT_EINVAL, "period", "period must be like 2026H1 or 2026");
	if (strlen(period) == 6) {
		if (strcmp(period + 4, "H1") != 0)
			return csirt_err_set(err, CSIRT_EINVAL, "period",
			    "Form 05 covers the first six months (H1) or the year");
		half = 1;
	}
	from = month_start((int)year, 1);
	to = month_start((int)year, half ? 7 : 13);
	rc = store_query_json(st, "SELECT i.taxonomy_code AS code, count(*) AS n,"
	    " sum(i.supporters = '[]') AS self_handled, sum(i.supporters <> '[]') AS supported"
	    " FROM incidents i WHERE i.detected_at >= ?1 AND i.detected_at < ?2 AND " SCOPE_SQL
	    " GROUP BY i.taxonomy_code", json_pack("[I,I,I]", (json_int_t)from, (json_int_t)to,
	    (json_int_t)actor_scope(who)), &rows);
	if (rc != CSIRT_OK)
		return rc;
	/* The ten rows of the form, in the form's order (group 1 of the
	 * taxonomy); incidents of other groups are not attacks and have no
	 * row on Form 05. */
	out_rows = json_array();
	for (int row = 1; tax && row <= taxonomy_form05_rows(tax); row++) {
		const struct taxonomy_entry *e = taxonomy_form05_row(tax, row);
		json_int_t n = 0, self = 0, supported = 0;

		if (e == NULL)
			continue;
		json_array_foreach(rows, i, r) {
			if (strcmp(json_string_value(json_object_get(r, "code")), e->code) == 0) {
				n = json_integer_value(json_object_get(r, "n"));
				self = json_integer_value(json_object_get(r, "self_handled"));
				supported = json_integer_value(json_object_get(r, "supported"));
			}
		}
		/* Support by other organisations is recorded without saying
		 * whether they were domestic or foreign: it is counted as
		 * domestic, the foreign and coordinator columns stay blank. */
		json_array_append_new(out_rows, json_pack("{s:s,s:I,s:I,s:I}", "type", e->name_vi,
		    "count", n, "self_handled", self, "domestic_support", supported));
	}
	json_decref(rows);
	rc = store_query_json(st, "SELECT DISTINCT j.value AS name FROM incidents i, json_each(i.supporters) j"
	    " WHERE i.detected_at >= ?1 AND i.detected_at < ?2 AND " SCOPE_SQL " ORDER BY 1",
	    json_pack("[I,I,I]", (json_int_t)from, (json_int_t)to, (json_int_t)actor_scope(who)), &sup);
	if (rc != CSIRT_OK) {
		json_decref(out_rows);
		return rc;
	}
	sup_list = json_array();
	json_array_foreach(sup, i, r)
		json_array_append(sup_list, json_object_get(r, "name"));
	json_decref(sup);
	*out = json_pack("{s:{s:s,s:I,s:i,s:i},s:o,s:o,s:o}", "period", "kind", half ? "H1" : "year",
	    "year", (json_int_t)year, "from_month", 1, "to_month", half ? 6 : 12, "organisation",
	    province_org(st), "rows", out_rows, "domestic_supporters", sup_list);
	return CSIRT_OK;
}

static json_t *
label_counts(struct store *st, const char *sql, int64_t from, int64_t to, int64_t scope)
{
	json_t *rows = NULL;

	if (store_query_json(st, sql, json_pack("[I,I,I]", (json_int_t)from, (json_int_t)to,
	    (json_int_t)scope), &rows) != CSIRT_OK)
		return json_array();
	return rows;
}

enum csirt_rc
report_data_periodic(struct store *st, const struct actor *who, int year, int quarter, json_t **out,
    struct csirt_err *err)
{
	const struct taxonomy *tax = taxonomy_builtin();
	int64_t scope = actor_scope(who), from, to;
	int first = quarter ? (quarter - 1) * 3 + 1 : 1, months = quarter ? 3 : 12;
	json_t *o, *by_month, *by_type, *by_cause, *totals, *rows, *acts, *r;
	size_t i;

	if (year < 2017 || year > 9999 || quarter < 0 || quarter > 4)
		return csirt_err_set(err, CSIRT_EINVAL, "period", "give a year and a quarter 1-4");
	from = month_start(year, first);
	to = month_start(year, first + months);
	by_month = json_array();
	for (int m = 0; m < months; m++) {
		char label[32];

		rows = label_counts(st, "SELECT count(*) AS n FROM incidents i WHERE i.detected_at >= ?1"
		    " AND i.detected_at < ?2 AND " SCOPE_SQL, month_start(year, first + m),
		    month_start(year, first + m + 1), scope);
		snprintf(label, sizeof(label), "%02d/%04d", first + m, year);
		json_array_append_new(by_month, json_pack("{s:s,s:O}", "month", label, "count",
		    json_object_get(json_array_get(rows, 0), "n")));
		json_decref(rows);
	}
	by_type = label_counts(st, "SELECT i.taxonomy_code AS label, count(*) AS count FROM incidents i"
	    " WHERE i.detected_at >= ?1 AND i.detected_at < ?2 AND " SCOPE_SQL
	    " GROUP BY 1 ORDER BY 2 DESC", from, to, scope);
	by_cause = label_counts(st, "SELECT substr(i.taxonomy_code, 1, 1) AS label, count(*) AS count"
	    " FROM incidents i WHERE i.detected_at >= ?1 AND i.detected_at < ?2 AND " SCOPE_SQL
	    " GROUP BY 1 ORDER BY 2 DESC", from, to, scope);
	/* Codes become the taxonomy's names ("" = not yet classified). */
	json_t *lists[] = { by_type, by_cause };
	for (size_t l = 0; l < 2; l++) {
		json_array_foreach(lists[l], i, r) {
			const char *code = json_string_value(json_object_get(r, "label"));
			const struct taxonomy_entry *e = tax && code && *code ? taxonomy_find(tax, code) : NULL;

			json_object_set_new(r, "label", json_string(e ? e->name_vi : "Chưa phân loại"));
		}
	}
	totals = label_counts(st, "SELECT count(*) AS incidents, coalesce(sum(i.severity = 'serious'), 0)"
	    " AS serious, coalesce(sum(i.status = 'closed'), 0) AS closed, coalesce(sum(i.status = 'open'), 0)"
	    " AS open FROM incidents i WHERE i.detected_at >= ?1 AND i.detected_at < ?2 AND " SCOPE_SQL,
	    from, to, scope);
	o = json_pack("{s:{s:i},s:o,s:o,s:o,s:o,s:o}", "period", "year", year, "organisation",
	    province_org(st), "totals", json_incref(json_array_get(totals, 0)), "by_month", by_month,
	    "by_type", by_type, "by_cause", by_cause);
	json_decref(totals);
	if (quarter)
		json_object_set_new(json_object_get(o, "period"), "quarter", json_integer(quarter));
	json_object_set_new(o, "by_organisation", label_counts(st, "SELECT coalesce(g.name,"
	    " 'Không rõ đơn vị') AS label, count(*) AS count FROM incidents i LEFT JOIN orgs g ON"
	    " g.id = i.org_id WHERE i.detected_at >= ?1 AND i.detected_at < ?2 AND " SCOPE_SQL
	    " GROUP BY 1 ORDER BY 2 DESC", from, to, scope));
	rows = label_counts(st, "SELECT i.tracking_code, i.title, coalesce(g.name, '') AS organisation,"
	    " strftime('%d/%m/%Y', i.detected_at + 25200, 'unixepoch') AS detected_at, i.status"
	    " FROM incidents i LEFT JOIN orgs g ON g.id = i.org_id WHERE i.severity = 'serious' AND"
	    " i.detected_at >= ?1 AND i.detected_at < ?2 AND " SCOPE_SQL " ORDER BY i.detected_at",
	    from, to, scope);
	json_object_set_new(o, "serious_incidents", rows);
	/* Response times against the legal deadlines, per rule. */
	rows = label_counts(st, "SELECT d.label_vi AS label, d.rule_id AS rule, count(*) AS total,"
	    " coalesce(sum(d.met_at IS NOT NULL AND d.met_at <= d.due_at), 0) AS met,"
	    " coalesce(sum((d.met_at IS NULL AND d.due_at < strftime('%s','now')) OR d.met_at > d.due_at), 0)"
	    " AS missed FROM deadlines d JOIN incidents i ON i.id = d.incident_id WHERE d.due_at IS NOT NULL"
	    " AND i.detected_at >= ?1 AND i.detected_at < ?2 AND " SCOPE_SQL " GROUP BY 1, 2 ORDER BY 2",
	    from, to, scope);
	json_object_set_new(o, "response_times", rows);
	acts = json_object();
	static const struct {
		const char *key, *kind, *col;
	} kinds[] = { { "drills", "drill", "title" }, { "scans", "vuln_scan", "scope" },
		{ "hunts", "threat_hunt", "scope" } };
	for (size_t k = 0; k < ARRAY_SIZE(kinds); k++) {
		char sql[700];

		snprintf(sql, sizeof(sql), "SELECT strftime('%%d/%%m/%%Y', a.performed_at + 25200,"
		    " 'unixepoch') AS date, s.name AS %s, a.summary AS result FROM activities a JOIN"
		    " systems s ON s.id = a.system_id WHERE a.kind = '%s' AND a.performed_at >= ?1 AND"
		    " a.performed_at < ?2 AND (?3 = 0 OR s.operator_org_id IN (WITH RECURSIVE sub(id) AS"
		    " (SELECT ?3 UNION ALL SELECT o.id FROM orgs o JOIN sub ON o.parent_id = sub.id)"
		    " SELECT id FROM sub)) ORDER BY a.performed_at", kinds[k].col, kinds[k].kind);
		json_object_set_new(acts, kinds[k].key, label_counts(st, sql, from, to, scope));
	}
	json_object_set_new(o, "activities", acts);
	/* Warnings issued in the period and how far their targets got. */
	json_object_set_new(o, "warnings", label_counts(st, "SELECT coalesce(w.external_id, 'CB-' || w.id)"
	    " AS code, w.title, strftime('%d/%m/%Y', w.created_at + 25200, 'unixepoch') AS issued_at,"
	    " count(t.id) AS targets, coalesce(sum(t.state IN ('fixed', 'not_affected', 'accepted_risk')), 0)"
	    " AS remediated, coalesce(sum(t.state IN ('open', 'acknowledged')), 0) AS pending"
	    " FROM warnings w LEFT JOIN warning_targets t ON t.warning_id = w.id LEFT JOIN systems s"
	    " ON s.id = t.system_id WHERE w.created_at >= ?1 AND w.created_at < ?2 AND (?3 = 0 OR"
	    " s.operator_org_id IN (WITH RECURSIVE sub(id) AS (SELECT ?3 UNION ALL SELECT o.id FROM"
	    " orgs o JOIN sub ON o.parent_id = sub.id) SELECT id FROM sub)) GROUP BY w.id"
	    " ORDER BY w.created_at LIMIT 200", from, to, scope));
	/* Compliance on the last day of the period (or today, if earlier):
	 * what is overdue, organisation by organisation. */
	{
		struct obligations_filter f = { 0 };
		json_t *ob = NULL, *list = json_array(), *it;
		int64_t end_day = (to - 1 + 25200) / 86400, today = (time_now() + 25200) / 86400;

		f.status = "overdue";
		f.lang = "vi";
		f.day = end_day < today ? end_day : today;
		if (obligations_list(st, who, &f, &ob, err) == CSIRT_OK) {
			json_array_foreach(json_object_get(ob, "items"), i, it) {
				const char *sys = json_string_value(json_object_get(it, "system_name"));
				const char *label = json_string_value(json_object_get(it, "label"));
				char what[400];

				snprintf(what, sizeof(what), "%s%s%s", label ? label :
				    json_string_value(json_object_get(it, "kind")), sys ? " — " : "", sys ? sys : "");
				json_array_append_new(list, json_pack("{s:O,s:s,s:O,s:s}", "organisation",
				    json_object_get(it, "org_name"), "obligation", what, "due_at",
				    json_object_get(it, "due_on") ? json_object_get(it, "due_on") : json_null(),
				    "status", "Quá hạn"));
				if (json_array_size(list) >= 200)
					break;
			}
			json_decref(ob);
		}
		csirt_err_clear(err);
		json_object_set_new(o, "compliance", list);
	}
	*out = o;
	return CSIRT_OK;
}

/*
 * Mẫu 08 of Decree 331/2026 (annual report on the cybersecurity of
 * information systems): each system of the register with its latest level
 * dossier. What the register does not hold (founding document, planned
 * dates, how far the security plan is implemented) is left blank.
 */
enum csirt_rc
report_data_mau08(struct store *st, const struct actor *who, int year, json_t **out,
    struct csirt_err *err)
{
	json_t *rows = NULL, *systems, *by_type = NULL, *r, *owner;
	int64_t scope = actor_scope(who), total = 0, with_dossier = 0, appraised = 0, approved = 0;
	enum csirt_rc rc;
	size_t i;

	if (year < 2026 || year > 9999)
		return csirt_err_set(err, CSIRT_EINVAL, "year", "Mẫu 08 exists from 2026 (Decree 331/2026)");
	rc = store_query_json(st, "SELECT s.name, coalesce(ow.name, '') AS owner, coalesce(op.name, '')"
	    " AS operator, s.level, d.proposed_level, d.state, d.decision_no, d.decision_date,"
	    " (SELECT count(*) FROM activities a WHERE a.system_id = s.id AND a.kind = 'assessment')"
	    " AS assessments, (SELECT count(*) FROM activities a WHERE a.system_id = s.id AND"
	    " a.kind = 'regulation') AS regulations FROM systems s LEFT JOIN orgs ow ON ow.id = s.owner_org_id"
	    " LEFT JOIN orgs op ON op.id = s.operator_org_id LEFT JOIN level_dossiers d ON d.id ="
	    " (SELECT max(id) FROM level_dossiers WHERE system_id = s.id) WHERE (?1 = 0 OR"
	    " s.owner_org_id IN (WITH RECURSIVE sub(id) AS (SELECT ?1 UNION ALL SELECT o.id FROM orgs o"
	    " JOIN sub ON o.parent_id = sub.id) SELECT id FROM sub)) ORDER BY s.id LIMIT 5000",
	    json_pack("[I]", (json_int_t)scope), &rows);
	if (rc != CSIRT_OK)
		return rc;
	systems = json_array();
	json_array_foreach(rows, i, r) {
		const char *state = json_string_value(json_object_get(r, "state"));
		const char *status = NULL;
		json_t *sys;
		int64_t level = json_integer_value(json_object_get(r, "proposed_level"));

		total++;
		if (state) {
			with_dossier++;
			if (strcmp(state, "approved") == 0)
				status = "approved";
			else if (strcmp(state, "approval") == 0)
				status = "appraised";
			else if (strcmp(state, "draft") == 0 || strcmp(state, "returned") == 0)
				status = "drafting";
			else
				status = "sent_for_appraisal";
			appraised += strcmp(status, "appraised") == 0 || strcmp(status, "approved") == 0;
			approved += strcmp(status, "approved") == 0;
		} else if (json_integer_value(json_object_get(r, "level")) > 0) {
			/* levelled before csirt kept dossiers: approved, decision unknown */
			status = "approved";
			approved++;
			level = json_integer_value(json_object_get(r, "level"));
		}
		sys = json_pack("{s:O,s:O,s:O}", "name", json_object_get(r, "name"), "owner",
		    json_object_get(r, "owner"), "operator", json_object_get(r, "operator"));
		if (level)
			json_object_set_new(sys, "proposed_level", json_integer(level));
		if (status)
			json_object_set_new(sys, "approval_status", json_string(status));
		if (json_string_length(json_object_get(r, "decision_no")))
			json_object_set_new(sys, "approval_decision", json_sprintf("%s, %s",
			    json_string_value(json_object_get(r, "decision_no")),
			    json_string_value(json_object_get(r, "decision_date"))));
		if (json_integer_value(json_object_get(r, "regulations")) > 0)
			json_object_set_new(sys, "regulation", json_string("Đã ban hành"));
		if (json_integer_value(json_object_get(r, "assessments")) > 0)
			json_object_set_new(sys, "inspection", json_string("periodic"));
		json_array_append_new(systems, sys);
	}
	json_decref(rows);
	rc = store_query_json(st, "SELECT system_type AS type, count(*) AS count FROM systems s WHERE"
	    " (?1 = 0 OR s.owner_org_id IN (WITH RECURSIVE sub(id) AS (SELECT ?1 UNION ALL SELECT o.id"
	    " FROM orgs o JOIN sub ON o.parent_id = sub.id) SELECT id FROM sub)) GROUP BY 1 ORDER BY 2 DESC",
	    json_pack("[I]", (json_int_t)scope), &by_type);
	if (rc != CSIRT_OK) {
		json_decref(systems);
		return rc;
	}
	owner = province_org(st);
	*out = json_pack("{s:i,s:{s:I,s:o,s:I,s:I,s:I},s:{s:O?,s:O?},s:o}", "year", year, "summary",
	    "total_systems", (json_int_t)total, "by_type", by_type, "with_dossier", (json_int_t)with_dossier,
	    "appraised", (json_int_t)appraised, "approved", (json_int_t)approved, "owner", "name",
	    json_object_get(owner, "name"), "address", json_object_get(owner, "address"), "systems",
	    systems);
	json_decref(owner);
	return CSIRT_OK;
}

/*
 * Forms 01 and 02 (network member profile, voluntary application) for an
 * organisation: its contact point, the response team's members (the
 * primary contact first) and the information systems it owns or operates.
 * Counts the register does not hold (staff by degree) stay blank.
 */
enum csirt_rc
report_data_member(struct store *st, const struct actor *who, int64_t org_id, json_t **out,
    struct csirt_err *err)
{
	json_t *org = NULL, *rows = NULL, *team = NULL, *systems = NULL, *staff, *contacts, *r;
	int64_t scope = actor_scope(who);
	enum csirt_rc rc;
	size_t i;
	int yes = 1;

	rc = store_query_json(st, "SELECT o.name, coalesce(p.name, '') AS owner_body, o.address, o.phone,"
	    " o.email, o.contact_web AS website, o.contact_hotline, o.contact_email FROM orgs o"
	    " LEFT JOIN orgs p ON p.id = o.parent_id WHERE o.id = ?1", json_pack("[I]", (json_int_t)org_id),
	    &rows);
	if (rc != CSIRT_OK)
		return rc;
	if (scope)
		store_org_in_subtree(st, scope, org_id, &yes);
	org = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	if (org == NULL || !yes) {
		json_decref(org);
		return csirt_err_set(err, CSIRT_ENOTFOUND, "org_id", "no such organisation");
	}
	rc = store_query_json(st, "SELECT full_name AS name, position, phone AS mobile, email,"
	    " certificates, expertise, is_primary_contact, pgp_fingerprint FROM team_members"
	    " WHERE left_on = '' ORDER BY is_primary_contact DESC, id LIMIT 200", NULL, &team);
	if (rc == CSIRT_OK)
		rc = store_query_json(st, "SELECT name, level FROM systems WHERE owner_org_id = ?1 OR"
		    " operator_org_id = ?1 ORDER BY level DESC, id LIMIT 500", json_pack("[I]",
		    (json_int_t)org_id), &systems);
	if (rc != CSIRT_OK) {
		json_decref(org);
		json_decref(team);
		return rc;
	}
	staff = json_array();
	contacts = json_object();
	json_array_foreach(team, i, r) {
		json_t *person = json_pack("{s:O,s:O,s:O,s:O}", "name", json_object_get(r, "name"),
		    "position", json_object_get(r, "position"), "mobile", json_object_get(r, "mobile"),
		    "email", json_object_get(r, "email"));

		if (i == 0)
			json_object_set(contacts, "primary", person);
		else if (i == 1)
			json_object_set(contacts, "backup", person);
		json_decref(person);
		json_array_append_new(staff, json_pack("{s:O,s:O}", "name", json_object_get(r, "name"),
		    "degrees", json_object_get(r, "certificates")));
	}
	*out = json_pack("{s:{s:O,s:O,s:O,s:O,s:O,s:O},s:{s:O,s:O,s:O},s:o,s:o,s:o}",
	    "organisation", "name", json_object_get(org, "name"), "owner_body",
	    json_object_get(org, "owner_body"), "address", json_object_get(org, "address"), "phone",
	    json_object_get(org, "phone"), "email", json_object_get(org, "email"), "website",
	    json_object_get(org, "website"), "reception", "address", json_object_get(org, "address"),
	    "landline", json_object_get(org, "contact_hotline"), "email", json_object_get(org, "contact_email"),
	    "contacts", contacts, "staff", staff, "systems", systems);
	if (json_array_size(team) > 0 && json_string_length(json_object_get(json_array_get(team, 0),
	    "pgp_fingerprint")))
		json_object_set_new(*out, "network", json_pack("{s:O,s:{s:O}}", "email",
		    json_object_get(org, "contact_email"), "pgp", "fingerprint",
		    json_object_get(json_array_get(team, 0), "pgp_fingerprint")));
	json_decref(team);
	json_decref(org);
	return CSIRT_OK;
}
