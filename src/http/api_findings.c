/*
 * api_findings.c - scan results of a system and its findings over time,
 * per system and per organisation, as JSON or CSV.
 */
#include "csirt/common.h"
#include "csirt/findings.h"
#include "http/api.h"

#include <stdlib.h>
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

/* One quoted CSV cell. A text cell starting with = + - @ (or a tab or
 * carriage return, which some spreadsheets skip before looking) gets a
 * leading ' so that a spreadsheet shows it instead of running it as a
 * formula (CSV injection): findings carry text from scanned hosts. */
static enum csirt_rc
csv_field(struct buf *b, json_t *v, int last)
{
	char num[64];
	const char *s = num;
	enum csirt_rc rc;

	if (json_is_string(v))
		s = json_string_value(v);
	else if (json_is_integer(v))
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(num, sizeof(num), "%.3f", json_real_value(v));
	else if (json_is_boolean(v))
		s = json_is_true(v) ? "true" : "false";
	else
		s = "";
	rc = buf_append(b, "\"", 1);
	if (rc == CSIRT_OK && json_is_string(v) && *s != '\0' && strchr("=+-@\t\r", *s) != NULL)
		rc = buf_append(b, "'", 1);
	for (; rc == CSIRT_OK && *s; s++)
		rc = buf_append(b, *s == '"' ? "\"\"" : s, *s == '"' ? 2 : 1);
	if (rc == CSIRT_OK)
		rc = buf_append(b, last ? "\"\r\n" : "\",", last ? 3 : 2);
	return rc;
}

/* The filters of the query string, shared by the JSON list and the CSV
 * export: system_id, org_id, state (or its older name status), lane, kev. */
static int
filter_read(struct request *req, struct response *res, int64_t system_id, struct findings_filter *f)
{
	const char *kev = req_query(req, "kev");

	memset(f, 0, sizeof(*f));
	f->system_id = system_id;
	if (!system_id && req_query_int(req, res, "system_id", 1, INT64_MAX, 0, &f->system_id) != 0)
		return -1;
	if (req_query_int(req, res, "org_id", 1, INT64_MAX, 0, &f->org_id) != 0)
		return -1;
	f->state = req_query(req, "state");
	if (f->state == NULL)
		f->state = req_query(req, "status");
	f->lane = req_query(req, "lane");
	f->kev = -1;
	if (kev != NULL) {
		if (strcmp(kev, "true") == 0 || strcmp(kev, "1") == 0)
			f->kev = 1;
		else if (strcmp(kev, "false") == 0 || strcmp(kev, "0") == 0)
			f->kev = 0;
		else {
			res_error(res, 400, "invalid", "kev must be true or false");
			return -1;
		}
	}
	return 0;
}

static void
reply_csv(struct response *res, json_t *rows)
{
	static const char *const cols[] = { "id", "system_id", "system_name", "component", "cve",
		"host", "port", "lane", "installed", "fixed_version", "cvss", "kev", "kev_due", "epss",
		"status", "first_seen", "last_seen", "fixed_at", "reopened", "decision_reason",
		"decided_at" };
	enum csirt_rc rc = CSIRT_OK;
	struct buf b;
	size_t i;
	json_t *r;

	buf_init(&b, (size_t)64 << 20);
	for (i = 0; rc == CSIRT_OK && i < ARRAY_SIZE(cols); i++)
		rc = buf_printf(&b, "%s%s", cols[i], i + 1 < ARRAY_SIZE(cols) ? "," : "\r\n");
	json_array_foreach(rows, i, r) {
		for (size_t k = 0; rc == CSIRT_OK && k < ARRAY_SIZE(cols); k++)
			rc = csv_field(&b, json_object_get(r, cols[k]), k + 1 == ARRAY_SIZE(cols));
		if (rc != CSIRT_OK)
			break;
	}
	if (rc != CSIRT_OK) {
		struct csirt_err err;

		buf_release(&b);
		csirt_err_set(&err, rc, NULL, "the export is too large; filter by system, organisation or state");
		res_err(res, rc, &err);
		return;
	}
	res->status = 200;
	free(res->raw);
	res->raw_len = b.len;
	res->raw = buf_detach(&b);
	res->content_type = "text/csv; charset=utf-8";
	res_header(res, "Content-Disposition", "attachment; filename=\"findings.csv\"");
}

/* JSON {"items", "truncated"} or, for the .csv routes (and the older
 * ?format=csv), the whole selection as CSV: an export is never cut short,
 * it is refused when more than FINDINGS_EXPORT_MAX findings match. */
static void
reply_findings(struct request *req, struct response *res, int64_t system_id, int csv)
{
	const char *fmt = req_query(req, "format");
	struct findings_filter f;
	struct csirt_err err;
	json_t *rows = NULL;
	int truncated = 0;
	enum csirt_rc rc;

	if (fmt != NULL && strcmp(fmt, "csv") == 0)
		csv = 1;
	if (filter_read(req, res, system_id, &f) != 0)
		return;
	f.max_rows = csv ? FINDINGS_EXPORT_MAX : FINDINGS_LIST_MAX;
	csirt_err_clear(&err);
	rc = findings_list(req->st, &req->actor, &f, &rows, &truncated, &err);
	if (rc == CSIRT_OK && csv && truncated) {
		json_decref(rows);
		rows = NULL;
		rc = csirt_err_set(&err, CSIRT_ETOOBIG, NULL, "more than %d findings match; filter by"
		    " system, organisation or state", FINDINGS_EXPORT_MAX);
	}
	if (rc != CSIRT_OK || !csv) {
		api_reply(res, rc, &err, 200, rc == CSIRT_OK ? json_pack("{s:o,s:b}", "items", rows,
		    "truncated", truncated) : NULL);
		return;
	}
	reply_csv(res, rows);
	json_decref(rows);
}

void
api_system_findings(struct request *req, struct response *res)
{
	reply_findings(req, res, req->params[0], 0);
}

void
api_system_findings_csv(struct request *req, struct response *res)
{
	reply_findings(req, res, req->params[0], 1);
}

void
api_findings(struct request *req, struct response *res)
{
	reply_findings(req, res, 0, 0);
}

void
api_findings_csv(struct request *req, struct response *res)
{
	reply_findings(req, res, 0, 1);
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
