/*
 * api_reports.c - official forms of an incident (Form 03, Form 04, the
 * 72-hour report), its MISP export, and the periodic reports (Form 05,
 * quarterly, annual) as PDF, DOCX or HTML.
 */
#include "csirt/common.h"
#include "csirt/report.h"
#include "csirt/report_data.h"
#include "http/api.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* Rendering goes through pango and fontconfig, whose caches are shared by
 * the process: one document at a time. Forms take tens of milliseconds. */
static pthread_mutex_t render_lock = PTHREAD_MUTEX_INITIALIZER;

static void
send_document(struct request *req, struct response *res, const char *kind, json_t *input,
    const char *name)
{
	const char *f = req_query(req, "format");
	enum report_format fmt = REPORT_PDF;
	struct csirt_err err;
	struct buf out;
	char disp[200], probe[16];
	enum csirt_rc rc;

	if (f && *f) {
		snprintf(probe, sizeof(probe), "x.%.8s", f);
		if (report_format_from_path(probe, &fmt) != CSIRT_OK) {
			res_error(res, 400, "invalid", "format must be pdf, docx or html");
			return;
		}
	}
	csirt_err_clear(&err);
	buf_init(&out, (size_t)64 << 20);
	pthread_mutex_lock(&render_lock);
	rc = report_render_buf(kind, input, fmt, &out, &err);
	pthread_mutex_unlock(&render_lock);
	if (rc != CSIRT_OK) {
		buf_release(&out);
		res_err(res, rc, &err);
		return;
	}
	res->status = 200;
	res->raw_len = out.len;
	res->raw = buf_detach(&out);
	res->content_type = report_content_type(fmt);
	/* Always a download, HTML too: the printable page styles itself
	 * inline, which the server's strict Content-Security-Policy (no
	 * 'unsafe-inline') would block if it were shown from csirt's origin;
	 * opened from the disk it renders and prints as designed. */
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s.%s\"", name,
	    fmt == REPORT_PDF ? "pdf" : fmt == REPORT_DOCX ? "docx" : "html");
	res_header(res, "Content-Disposition", disp);
}

void
api_incident_form(struct request *req, struct response *res)
{
	const char *kind = req->text_param;
	json_t *input = NULL;
	enum csirt_rc rc;
	char name[200];

	if (strcmp(kind, "form03") && strcmp(kind, "form04") && strcmp(kind, "report72h") &&
	    strcmp(kind, "misp")) {
		res_error(res, 404, "not_found", "forms of an incident: form03, form04, report72h, misp");
		return;
	}
	rc = report_data_incident(req->st, &req->actor, req->params[0], &input);
	if (rc != CSIRT_OK) {
		res_err(res, rc, NULL);
		return;
	}
	if (strcmp(kind, "misp") == 0) {
		res_json(res, 200, report_misp_event(input));
		json_decref(input);
		return;
	}
	snprintf(name, sizeof(name), "%s-%s", kind,
	    json_string_value(json_object_get(input, "tracking_code")));
	send_document(req, res, kind, input, name);
	json_decref(input);
}

void
api_report(struct request *req, struct response *res)
{
	const char *kind = req->text_param;
	json_t *input = NULL;
	struct csirt_err err;
	int64_t year, quarter;
	enum csirt_rc rc;
	char name[200];

	csirt_err_clear(&err);
	int64_t org_id;

	if (req_query_int(req, res, "org_id", 1, INT64_MAX, 0, &org_id) != 0 ||
	    req_query_int(req, res, "year", 2017, 9999, 0, &year) != 0 ||
	    req_query_int(req, res, "quarter", 1, 4, 0, &quarter) != 0)
		return;
	if (strcmp(kind, "form05") == 0) {
		rc = report_data_form05(req->st, &req->actor, req_query(req, "period"), &input, &err);
		snprintf(name, sizeof(name), "form05-%.8s", req_query(req, "period") ? req_query(req, "period") : "");
	} else if (strcmp(kind, "form01") == 0 || strcmp(kind, "form02") == 0) {
		rc = org_id == 0 ? csirt_err_set(&err, CSIRT_EINVAL, "org_id", "give org_id") :
		    report_data_member(req->st, &req->actor, org_id, &input, &err);
		snprintf(name, sizeof(name), "%s-%lld", kind, (long long)org_id);
	} else if (strcmp(kind, "mau08") == 0) {
		rc = year == 0 ? csirt_err_set(&err, CSIRT_EINVAL, "year", "give year") :
		    report_data_mau08(req->st, &req->actor, (int)year, &input, &err);
		snprintf(name, sizeof(name), "mau08-%lld", (long long)year);
	} else if (strcmp(kind, "quarterly") == 0 || strcmp(kind, "annual") == 0) {
		int annual = strcmp(kind, "annual") == 0;

		if (year == 0 || (!annual && quarter == 0))
			rc = csirt_err_set(&err, CSIRT_EINVAL, "year", "give year (and quarter for a quarterly report)");
		else
			rc = report_data_periodic(req->st, &req->actor, (int)year, annual ? 0 : (int)quarter,
			    &input, &err);
		snprintf(name, sizeof(name), "%s-%lld%s%lld", kind, (long long)year, annual ? "" : "-Q",
		    annual ? 0LL : (long long)quarter);
		if (annual)
			snprintf(name, sizeof(name), "annual-%lld", (long long)year);
	} else {
		res_error(res, 404, "not_found", "reports: form01, form02, form05, mau08, quarterly, annual");
		return;
	}
	if (rc != CSIRT_OK) {
		res_err(res, rc, &err);
		return;
	}
	send_document(req, res, kind, input, name);
	json_decref(input);
}
