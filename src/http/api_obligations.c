/*
 * api_obligations.c - obligations of systems and organisations (list,
 * dashboard summary, CSV export) and the reports an organisation records.
 * Level dossiers and their procedure are at the end.
 * Query parameters: org_id, status, kind, date (YYYY-MM-DD, to see the
 * state on another day), lang (vi|en).
 */
#include "csirt/common.h"
#include "csirt/dossiers.h"
#include "csirt/obligations.h"
#include "http/api.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads the filter; on a bad parameter answers 400 and returns -1. */
static int
filter_read(struct request *req, struct response *res, struct obligations_filter *f)
{
	const char *date = req_query(req, "date"), *lang = req_query(req, "lang");

	memset(f, 0, sizeof(*f));
	if (req_query_int(req, res, "org_id", 1, INT64_MAX, 0, &f->org_id) != 0)
		return -1;
	f->status = req_query(req, "status");
	f->kind = req_query(req, "kind");
	f->lang = lang && strcmp(lang, "vi") == 0 ? "vi" : "en";
	if (date && obligations_parse_day(date, &f->day) != CSIRT_OK) {
		res_error(res, 400, "invalid", "date must be a real day as YYYY-MM-DD");
		return -1;
	}
	return 0;
}

/* The JSON views: the list (all, or one system's) and the summary. */
static void
answer(struct request *req, struct response *res, int64_t system_id, int summary)
{
	struct obligations_filter f;
	struct csirt_err err;
	json_t *out = NULL;
	enum csirt_rc rc;

	if (filter_read(req, res, &f) != 0)
		return;
	f.system_id = system_id;
	csirt_err_clear(&err);
	rc = summary ? obligations_summary(req->st, &req->actor, &f, &out, &err) :
	    obligations_list(req->st, &req->actor, &f, &out, &err);
	api_reply(res, rc, &err, 200, out);
}

void api_obligation_list(struct request *req, struct response *res) { answer(req, res, 0, 0); }
void api_obligation_summary(struct request *req, struct response *res) { answer(req, res, 0, 1); }

void
api_system_obligations(struct request *req, struct response *res)
{
	answer(req, res, req->params[0], 0);
}

void
api_obligation_csv(struct request *req, struct response *res)
{
	struct obligations_filter f;
	struct csirt_err err;
	char *csv = NULL;
	size_t len = 0;
	enum csirt_rc rc;

	if (filter_read(req, res, &f) != 0)
		return;
	csirt_err_clear(&err);
	rc = obligations_csv(req->st, &req->actor, &f, &csv, &len, &err);
	if (rc != CSIRT_OK) {
		res_err(res, rc, &err);
		return;
	}
	free(res->raw);
	res->raw = csv;
	res->raw_len = len;
	res->status = 200;
	res->content_type = "text/csv; charset=utf-8";
	res_header(res, "Content-Disposition", "attachment; filename=\"obligations.csv\"");
}

void
api_org_activities(struct request *req, struct response *res)
{
	json_t *out = NULL;
	enum csirt_rc rc = obligations_org_activity_list(req->st, &req->actor, req->params[0], &out);

	api_reply(res, rc, NULL, 200, rc == CSIRT_OK ? json_pack("{s:o}", "items", out) : NULL);
}

void
api_org_activity_add(struct request *req, struct response *res)
{
	json_t *body = req_json(req, res);
	struct csirt_err err;
	int64_t id = 0;
	enum csirt_rc rc;

	if (body == NULL)
		return;
	csirt_err_clear(&err);
	rc = obligations_org_activity_add(req->st, &req->actor, req->params[0], body, &id, &err);
	json_decref(body);
	api_reply(res, rc, &err, 201, rc == CSIRT_OK ? json_pack("{s:I}", "id", (json_int_t)id) :
	    NULL);
}

/* --- level dossiers ---------------------------------------------------- */

static const char *
lang_of(struct request *req)
{
	const char *lang = req_query(req, "lang");

	return lang && strcmp(lang, "vi") == 0 ? "vi" : "en";
}

void
api_dossier_list(struct request *req, struct response *res)
{
	json_t *out = NULL;
	int64_t system_id;
	enum csirt_rc rc;

	if (req_query_int(req, res, "system_id", 1, INT64_MAX, 0, &system_id) != 0)
		return;
	rc = dossier_list(req->st, &req->actor, system_id, lang_of(req), &out);
	api_reply(res, rc, NULL, 200, out);
}

void
api_dossier_create(struct request *req, struct response *res)
{
	json_t *body = req_json(req, res);
	struct csirt_err err;
	int64_t id = 0;
	enum csirt_rc rc;

	if (body == NULL)
		return;
	csirt_err_clear(&err);
	rc = dossier_create(req->st, &req->actor, body, &id, &err);
	json_decref(body);
	api_reply(res, rc, &err, 201, rc == CSIRT_OK ? json_pack("{s:I}", "id", (json_int_t)id) :
	    NULL);
}

void
api_dossier_get(struct request *req, struct response *res)
{
	json_t *out = NULL;
	enum csirt_rc rc = dossier_get(req->st, &req->actor, req->params[0], lang_of(req), &out);

	api_reply(res, rc, NULL, 200, out);
}

void
api_dossier_transition(struct request *req, struct response *res)
{
	static const char *const text_keys[] = { "reason", "decision_no", "decision_date" };
	json_t *body = req_json(req, res), *out = NULL;
	struct dossier_step_in in;
	struct csirt_err err;
	enum csirt_rc rc;

	if (body == NULL)
		return;
	in.to = json_string_value(json_object_get(body, "to"));
	in.reason = json_string_value(json_object_get(body, "reason"));
	in.decision_no = json_string_value(json_object_get(body, "decision_no"));
	in.decision_date = json_string_value(json_object_get(body, "decision_date"));
	csirt_err_clear(&err);
	for (size_t i = 0; i < ARRAY_SIZE(text_keys); i++) {
		json_t *v = json_object_get(body, text_keys[i]);

		if (v != NULL && !json_is_string(v))
			in.to = NULL;	/* a wrong type is refused, not ignored */
	}
	if (in.to == NULL)
		rc = csirt_err_set(&err, CSIRT_EINVAL, "to",
		    "\"to\" (the next state) is required; reason, decision_no, decision_date are text");
	else if ((in.reason && !utf8_valid(in.reason, strlen(in.reason))) ||
	    (in.decision_no && !utf8_valid(in.decision_no, strlen(in.decision_no))) ||
	    (in.decision_date && obligations_parse_day(in.decision_date, &(int64_t){ 0 }) !=
	    CSIRT_OK))
		rc = csirt_err_set(&err, CSIRT_EINVAL, NULL,
		    "reason and decision_no must be text; decision_date a day as YYYY-MM-DD");
	else
		rc = dossier_transition(req->st, &req->actor, req->params[0], &in, &err);
	if (rc == CSIRT_OK)
		rc = dossier_get(req->st, &req->actor, req->params[0], lang_of(req), &out);
	json_decref(body);
	api_reply(res, rc, &err, 200, out);
}

/* A file name for storage and download: ASCII letters, digits, . _ - only. */
static void
plain_filename(const char *in, char *out, size_t size)
{
	size_t n = 0;

	for (; in && *in && n + 1 < size && n < 100; in++)
		out[n++] = (isalnum((unsigned char)*in) || strchr("._-", *in)) ? *in : '_';
	out[n] = '\0';
	if (n == 0 || out[0] == '.')
		snprintf(out, size, "part.bin");
}

void
api_dossier_part_get(struct request *req, struct response *res)
{
	json_t *meta = NULL;
	int fd = -1;
	enum csirt_rc rc = dossier_open_part(req->st, &req->actor, req->params[0], req->text_param,
	    req->cfg->data_dir, &fd, &meta);

	res_stored_file(res, rc, fd, meta);
}

void
api_dossier_part_add(struct request *req, struct response *res)
{
	const char *ctype = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "Content-Type");
	struct dossier_part_in in;
	char hex[65], name[128];
	struct csirt_err err;
	enum csirt_rc rc;

	csirt_err_clear(&err);
	if (req_upload_finish(req, res, "send the file as the request body, with ?filename=NAME",
	    hex) != 0)
		return;
	plain_filename(req_query(req, "filename"), name, sizeof(name));
	in.part = req->text_param;
	in.tmp_path = req->upload_path;
	in.sha256 = hex;
	in.size = (int64_t)req->upload_size;
	in.filename = name;
	in.content_type = ctype && strlen(ctype) < 100 && !strpbrk(ctype, "\r\n\"") &&
	    utf8_valid(ctype, strlen(ctype)) ? ctype : "application/octet-stream";
	rc = dossier_add_part(req->st, &req->actor, req->params[0], req->cfg->data_dir, &in, &err);
	req_upload_moved(req);
	api_reply(res, rc, &err, 201, rc == CSIRT_OK ? json_pack("{s:s,s:s}", "part", in.part,
	    "sha256", hex) : NULL);
}
