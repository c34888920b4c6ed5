/*
 * api_misc.c - reference data (taxonomy, rule packs, procedure steps),
 * the audit log, the dashboard and the route list.
 */
#include "csirt/common.h"
#include "csirt/procedure.h"
#include "csirt/rulepack.h"
#include "csirt/taxonomy.h"
#include "http/api.h"

#include <stdio.h>
#include <string.h>

void
api_taxonomy(struct request *req, struct response *res)
{
	const struct taxonomy *tax = taxonomy_builtin();
	json_t *arr = json_array();

	for (size_t i = 0; tax && i < taxonomy_count(tax); i++) {
		const struct taxonomy_entry *e = taxonomy_at(tax, i);

		json_array_append_new(arr, json_pack("{s:s,s:s?,s:s,s:s,s:b,s:i}", "code", e->code,
		    "parent", e->parent, "name_vi", e->name_vi, "name_en", e->name_en, "leaf", e->leaf,
		    "form05_row", e->form05_row));
	}
	res_json(res, 200, json_pack("{s:o,s:s}", "items", arr, "source",
	    "Kế hoạch ứng phó sự cố tỉnh Đắk Lắk 06/2021, mục II.3.a (DOMAIN.md §10)"));
}

void
api_procedure(struct request *req, struct response *res)
{
	json_t *arr = json_array();

	for (int s = 0; s < STEP_COUNT; s++)
		json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s}", "code",
		    procedure_step_code(s), "label", procedure_step_label(s), "name_vi",
		    procedure_step_name(s, "vi"), "name_en", procedure_step_name(s, "en")));
	res_json(res, 200, json_pack("{s:o,s:s}", "items", arr, "source",
	    "Thông tư 20/2017/TT-BTTTT Điều 11"));
}

void
api_rulepacks(struct request *req, struct response *res)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < rulepack_builtin_count(); i++) {
		const struct rulepack *p = rulepack_builtin_at(i);
		json_t *rules = json_array();

		for (size_t k = 0; k < p->rule_count; k++) {
			const struct rulepack_rule *r = &p->rules[k];

			json_array_append_new(rules, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:s?,s:s,s:s}",
			    "id", r->id, "label_vi", r->label.vi, "label_en", r->label.en, "trigger",
			    rulepack_trigger_name(r->trigger), "anchor", rulepack_anchor_name(r->anchor),
			    "unit", rulepack_unit_name(r->unit), "value", r->value, "recipient",
			    r->recipient.vi, "source", r->source, "confidence", r->confidence));
		}
		json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:b,s:o}", "id", p->id,
		    "title_vi", p->title.vi, "title_en", p->title.en, "valid_from", p->valid_from,
		    "serious_defined", p->serious.defined, "rules", rules));
	}
	res_json(res, 200, json_pack("{s:o}", "items", arr));
}

void
api_audit_list(struct request *req, struct response *res)
{
	int64_t page, per_page, entity_id, total = 0;
	json_t *items = NULL;
	const char *entity = req_query(req, "entity");
	enum csirt_rc rc;

	if (req_query_int(req, res, "page", 1, 1000000, 1, &page) != 0 ||
	    req_query_int(req, res, "per_page", 1, 500, 50, &per_page) != 0 ||
	    req_query_int(req, res, "entity_id", 1, INT64_MAX, 0, &entity_id) != 0)
		return;
	rc = store_audit_list(req->st, entity && *entity ? entity : NULL, entity_id, per_page,
	    (page - 1) * per_page, &items, &total);
	api_reply(res, rc, NULL, 200, rc == CSIRT_OK ? json_pack("{s:o,s:I}", "items", items, "total",
	    (json_int_t)total) : NULL);
}

void
api_audit_verify(struct request *req, struct response *res)
{
	int64_t rows = 0, bad = 0;
	char msg[256];
	enum csirt_rc rc = store_audit_verify(req->st, &rows, &bad, msg, sizeof(msg));

	if (rc != CSIRT_OK && rc != CSIRT_ECONFLICT) {
		res_err(res, rc, NULL);
		return;
	}
	res_json(res, 200, json_pack("{s:b,s:I,s:I,s:s}", "intact", rc == CSIRT_OK, "rows",
	    (json_int_t)rows, "first_bad_id", (json_int_t)bad, "message", msg));
}

/* The deadline queries start from the open incidents (CROSS JOIN fixes
 * that order in SQLite): with 100,000 stored incidents, mostly closed,
 * walking every deadline by due date instead took 6 times longer
 * (docs/BENCHMARKS-ui.md). */

/* The scope clause for dashboard queries: parameter ?1 is the scope root
 * (0 = whole province). */
#define SCOPE "(?1 = 0 OR i.org_id IN (WITH RECURSIVE sub(id) AS (SELECT ?1 UNION ALL" \
	" SELECT o.id FROM orgs o JOIN sub ON o.parent_id = sub.id) SELECT id FROM sub))"

void
api_dashboard(struct request *req, struct response *res)
{
	json_int_t scope = actor_scope(&req->actor);
	json_int_t now = time_now();
	/* "today" is the calendar day in Vietnam (UTC+7). */
	json_int_t day_end = ((now + 7 * 3600) / 86400 + 1) * 86400 - 7 * 3600;
	json_t *out = json_object(), *rows;
	struct {
		const char *key;
		const char *sql;
		json_t *params;
	} q[] = {
		{ "open_by_step", "SELECT i.step, i.severity, count(*) AS n FROM incidents i"
		    " WHERE i.status = 'open' AND " SCOPE " GROUP BY i.step, i.severity",
		    json_pack("[I]", scope) },
		/* Serious incidents first (few: found from the severity index),
		 * then the earliest due of the others (the open-deadline index in
		 * due order, stopping at 50) instead of sorting every overdue
		 * deadline of the province. */
		{ "deadlines_overdue", "SELECT * FROM (SELECT * FROM (SELECT d.incident_id, i.tracking_code,"
		    " i.title, i.severity, d.rule_id, d.label_vi, d.label_en, d.due_at, d.source FROM incidents i"
		    " INDEXED BY incidents_severity CROSS JOIN deadlines d ON d.incident_id = i.id"
		    " WHERE d.met_at IS NULL AND d.due_at < ?2 AND i.status = 'open' AND i.severity = 'serious'"
		    " AND " SCOPE " ORDER BY d.due_at LIMIT 50) UNION ALL SELECT * FROM (SELECT d.incident_id,"
		    " i.tracking_code, i.title, i.severity, d.rule_id, d.label_vi, d.label_en, d.due_at, d.source"
		    " FROM deadlines d INDEXED BY deadlines_dashboard JOIN incidents i ON i.id = d.incident_id"
		    " WHERE d.met_at IS NULL AND d.incident_open = 1 AND d.due_at < ?2 AND i.status = 'open' AND i.severity <> 'serious'"
		    " AND " SCOPE " ORDER BY d.due_at LIMIT 50)) LIMIT 50",
		    json_pack("[I,I]", scope, now) },
		{ "deadlines_today", "SELECT d.incident_id, i.tracking_code, i.title, i.severity,"
		    " d.rule_id, d.label_vi, d.label_en, d.due_at, d.source FROM deadlines d"
		    " INDEXED BY deadlines_dashboard JOIN incidents i ON i.id = d.incident_id"
		    " WHERE d.met_at IS NULL AND d.incident_open = 1 AND d.due_at >= ?2 AND d.due_at < ?3 AND i.status = 'open'"
		    " AND " SCOPE " ORDER BY i.severity = 'serious' DESC, d.due_at LIMIT 50",
		    json_pack("[I,I,I]", scope, now, day_end) },
		{ "serious_open", "SELECT i.id, i.tracking_code, i.title, i.step, i.detected_at"
		    " FROM incidents i WHERE i.status = 'open' AND i.severity = 'serious' AND " SCOPE
		    " ORDER BY i.detected_at DESC LIMIT 20", json_pack("[I]", scope) },
		/* Counts kept per month, group and organisation by triggers
		 * (migration 0015): the last twelve months in Vietnam time. */
		{ "by_month_group", "SELECT c.month, c.grp, sum(c.n) AS n FROM incident_month_counts c"
		    " WHERE c.month >= strftime('%Y-%m', ?2 + 25200, 'unixepoch', 'start of month',"
		    " '-11 months') AND c.n > 0 AND (?1 = 0 OR c.org_id IN (WITH RECURSIVE sub(id) AS"
		    " (SELECT ?1 UNION ALL SELECT o.id FROM orgs o JOIN sub ON o.parent_id = sub.id)"
		    " SELECT id FROM sub)) GROUP BY c.month, c.grp ORDER BY c.month",
		    json_pack("[I,I]", scope, now) },
		{ "latest_alerts", "SELECT a.id, a.title, a.severity, a.source, a.count, a.last_seen,"
		    " a.status FROM alerts a WHERE a.status = 'open' AND ?1 = 0"
		    " ORDER BY a.last_seen DESC LIMIT 10", json_pack("[I]", scope) },
	};

	for (size_t i = 0; i < ARRAY_SIZE(q); i++) {
		rows = NULL;
		if (store_query_json(req->st, q[i].sql, q[i].params, &rows) != CSIRT_OK) {
			json_decref(out);
			for (size_t k = i + 1; k < ARRAY_SIZE(q); k++)
				json_decref(q[k].params);
			res_err(res, CSIRT_EDB, NULL);
			return;
		}
		for (size_t r = 0; r < json_array_size(rows); r++) {
			json_t *row = json_array_get(rows, r);
			const char *tk[] = { "due_at", "detected_at", "last_seen" };

			for (size_t t = 0; t < ARRAY_SIZE(tk); t++) {
				json_t *v = json_object_get(row, tk[t]);
				char iso[32];

				if (json_is_integer(v)) {
					time_format_iso(json_integer_value(v), iso);
					json_object_set_new(row, tk[t], json_string(iso));
				}
			}
		}
		json_object_set_new(out, q[i].key, rows);
	}
	json_object_set_new(out, "now", json_integer(now));
	res_json(res, 200, out);
}

void
api_route_list(struct request *req, struct response *res)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < api_route_count; i++) {
		const struct route *r = &api_routes[i];
		json_t *roles = json_array();
		const enum role all[] = { ROLE_ADMIN, ROLE_COORDINATOR, ROLE_RESPONDER,
			ROLE_UNIT_OFFICER, ROLE_AUDITOR };

		for (size_t k = 0; k < ARRAY_SIZE(all); k++)
			if ((r->flags & RF_PUBLIC) || (r->roles & all[k]))
				json_array_append_new(roles, json_string(role_code(all[k])));
		json_array_append_new(arr, json_pack("{s:s,s:s,s:b,s:o}", "method", r->method, "path",
		    r->pattern, "public", (r->flags & RF_PUBLIC) != 0, "roles", roles));
	}
	res_json(res, 200, json_pack("{s:o}", "items", arr));
}
