/*
 * api_hunts.c - threat hunts on uploaded logs: start one on a system
 * (the log is the raw request body, streamed to a file like evidence),
 * follow its progress, list hunts, read its hits.
 */
#include "csirt/common.h"
#include "csirt/hunts.h"
#include "http/api.h"

void
api_system_hunt_start(struct request *req, struct response *res)
{
	struct csirt_err err;
	char hex[65];
	int64_t id = 0;
	enum csirt_rc rc;

	csirt_err_clear(&err);
	if (req_upload_finish(req, res, "send the log file (EVTX, JSON lines, syslog; gzip or zip)"
	    " as the request body, with ?filename=NAME", hex) != 0)
		return;
	rc = hunts_create(req->st, &req->actor, req->params[0], req->cfg->data_dir, req->upload_path,
	    hex, (int64_t)req->upload_size, req_query(req, "filename"), &id, &err);
	req_upload_moved(req);
	api_reply(res, rc, &err, 202, rc == CSIRT_OK ? json_pack("{s:I,s:s,s:s,s:I}", "id",
	    (json_int_t)id, "status", "queued", "sha256", hex, "size", (json_int_t)req->upload_size) :
	    NULL);
}

void
api_hunt_get(struct request *req, struct response *res)
{
	json_t *out = NULL;
	enum csirt_rc rc = hunts_get(req->st, &req->actor, req->params[0], &out);

	api_reply(res, rc, NULL, 200, out);
}

void
api_hunt_list(struct request *req, struct response *res)
{
	int64_t page, per_page, system_id;
	json_t *out = NULL;
	enum csirt_rc rc;

	if (req_query_int(req, res, "page", 1, 1000000, 1, &page) != 0 ||
	    req_query_int(req, res, "per_page", 1, 200, 25, &per_page) != 0 ||
	    req_query_int(req, res, "system_id", 1, INT64_MAX, 0, &system_id) != 0)
		return;
	rc = hunts_list(req->st, &req->actor, system_id, page, per_page, &out);
	api_reply(res, rc, NULL, 200, out);
}

void
api_hunt_hits(struct request *req, struct response *res)
{
	json_t *out = NULL;
	enum csirt_rc rc = hunts_hits(req->st, &req->actor, req->params[0], &out);

	api_reply(res, rc, NULL, 200, out);
}
