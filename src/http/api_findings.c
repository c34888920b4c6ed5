/*
 * api_findings.c - scan results of a system and its findings over time,
 * per system and per organisation, as JSON or CSV.
 */
#include "csirt/common.h"
#include "csirt/findings.h"
#include "http/api.h"

#include <string.h>

void
api_system_scan_add(struct request *req, struct response *res)
{
	json_t *body = req_json(req, res);
	struct findings_tally t;
	struct csirt_err err;
	int64_t id = 0;
	enum csirt_rc rc;

	if (body == NULL)
		return;
	csirt_err_clear(&err);
	rc = findings_record_scan(req->st, &req->actor, req->params[0], body, &id, &t, &err);
	json_decref(body);
	api_reply(res, rc, &err, 201, rc == CSIRT_OK ? json_pack("{s:I,s:I,s:I,s:I,s:I}", "activity_id",
	    (json_int_t)id, "new", (json_int_t)t.new_count, "still_open", (json_int_t)t.still_open,
	    "fixed", (json_int_t)t.fixed, "reopened", (json_int_t)t.reopened) : NULL);
}

static void
csv_field(struct buf *b, json_t *v)
{
	char num[64];
	const char *s = num;

	if (json_is_string(v))
		s = json_string_value(v);
	else if (json_is_integer(v))
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(num, sizeof(num), "%.3f", json_real_value(v));
	else if (json_is_boolean(v))
		s = json_is_true(v) ? "yes" : "no";
	else
		s = "";
	/* Quoted always; a leading =,+,-,@ is prefixed so that a spreadsheet
	 * does not run it as a formula (CSV injection). */
	buf_append_str(b, "\"");
	if (*s == '=' || *s == '+' || *s == '-' || *s == '@')
		buf_append_str(b, "'");
	for (; *s; s++)
		buf_append(b, *s == '"' ? "\"\"" : s, *s == '"' ? 2 : 1);
	buf_append_str(b, "\"");
}

static void
reply_findings(struct request *req, struct response *res, enum csirt_rc rc, json_t *rows)
{
	const char *fmt = req_query(req, "format");
	static const char *const cols[] = { "id", "system_name", "component", "cve", "port", "lane",
		"installed", "fixed_version", "cvss", "kev", "kev_due", "epss", "status", "first_seen",
		"last_seen", "fixed_at", "reopened", "decision_reason" };
	struct buf b;
	size_t i;
	json_t *r;

	if (rc != CSIRT_OK || fmt == NULL || strcmp(fmt, "csv") != 0) {
		api_reply(res, rc, NULL, 200, rc == CSIRT_OK ? json_pack("{s:o}", "items", rows) : NULL);
		return;
	}
	buf_init(&b, (size_t)64 << 20);
	for (i = 0; i < ARRAY_SIZE(cols); i++)
		buf_printf(&b, "%s%s", i ? "," : "", cols[i]);
	buf_append_str(&b, "\r\n");
	json_array_foreach(rows, i, r) {
		for (size_t k = 0; k < ARRAY_SIZE(cols); k++) {
			if (k)
				buf_append_str(&b, ",");
			csv_field(&b, json_object_get(r, cols[k]));
		}
		buf_append_str(&b, "\r\n");
	}
	json_decref(rows);
	res->status = 200;
	res->raw_len = b.len;
	res->raw = buf_detach(&b);
	res->content_type = "text/csv; charset=utf-8";
	res_header(res, "Content-Disposition", "attachment; filename=\"findings.csv\"");
}

void
api_system_findings(struct request *req, struct response *res)
{
	json_t *rows = NULL;
	enum csirt_rc rc = findings_list(req->st, &req->actor, req->params[0], 0, req_query(req, "status"),
	    &rows);

	reply_findings(req, res, rc, rows);
}

void
api_findings(struct request *req, struct response *res)
{
	json_t *rows = NULL;
	int64_t org;
	enum csirt_rc rc;

	if (req_query_int(req, res, "org_id", 1, INT64_MAX, 0, &org) != 0)
		return;
	rc = findings_list(req->st, &req->actor, 0, org, req_query(req, "status"), &rows);
	reply_findings(req, res, rc, rows);
}

void
api_finding_decide(struct request *req, struct response *res)
{
	json_t *body = req_json(req, res);
	struct csirt_err err;
	enum csirt_rc rc;

	if (body == NULL)
		return;
	csirt_err_clear(&err);
	rc = findings_decide(req->st, &req->actor, req->params[0],
	    json_string_value(json_object_get(body, "status")),
	    json_string_value(json_object_get(body, "reason")), &err);
	json_decref(body);
	api_reply(res, rc, &err, 200, rc == CSIRT_OK ? json_pack("{s:b}", "ok", 1) : NULL);
}
