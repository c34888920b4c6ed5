/*
 * api_warnings.c - warnings (cảnh báo) and their targets (warnings.h), and
 * the caller's notifications (notify.h).
 */
#include "csirt/common.h"
#include "csirt/notify.h"
#include "csirt/warnings.h"
#include "http/api.h"

#include <string.h>

void
api_warning_list(struct request *req, struct response *res)
{
	int64_t page, per_page, matched;
	json_t *out = NULL;
	enum csirt_rc rc;

	if (req_query_int(req, res, "page", 1, 1000000, 1, &page) != 0 ||
	    req_query_int(req, res, "per_page", 1, 200, 25, &per_page) != 0 ||
	    req_query_int(req, res, "matched", 0, 1, 0, &matched) != 0)
		return;
	rc = warning_list(req->st, &req->actor, (int)matched, page, per_page, &out);
	api_reply(res, rc, NULL, 200, out);
}

void
api_warning_create(struct request *req, struct response *res)
{
	json_t *body = req_json(req, res);
	struct csirt_err err;
	int64_t id = 0, targets = 0;
	enum csirt_rc rc;

	if (body == NULL)
		return;
	csirt_err_clear(&err);
	rc = warning_issue(req->st, &req->actor, body, &id, &targets, &err);
	json_decref(body);
	api_reply(res, rc, &err, 201, rc == CSIRT_OK ? json_pack("{s:I,s:I}", "id", (json_int_t)id,
	    "targets", (json_int_t)targets) : NULL);
}

void
api_warning_get(struct request *req, struct response *res)
{
	json_t *out = NULL;
	enum csirt_rc rc = warning_get(req->st, &req->actor, req->params[0], &out);

	api_reply(res, rc, NULL, 200, out);
}

void
api_warning_target_update(struct request *req, struct response *res)
{
	json_t *body = req_json(req, res);
	struct csirt_err err;
	enum csirt_rc rc;

	if (body == NULL)
		return;
	csirt_err_clear(&err);
	rc = warning_target_update(req->st, &req->actor, req->params[0], body, &err);
	json_decref(body);
	api_reply(res, rc, &err, 200, rc == CSIRT_OK ? json_pack("{s:b}", "ok", 1) : NULL);
}

/* --- the caller's notifications (notify.h) ----------------------------- */

void
api_notification_list(struct request *req, struct response *res)
{
	int64_t unread;
	json_t *out = NULL;
	enum csirt_rc rc;

	if (req_query_int(req, res, "unread", 0, 1, 0, &unread) != 0)
		return;
	rc = notify_list(req->st, &req->actor, (int)unread, &out);
	api_reply(res, rc, NULL, 200, out);
}

void
api_notification_read(struct request *req, struct response *res)
{
	enum csirt_rc rc = notify_mark_read(req->st, &req->actor, req->params[0]);

	api_reply(res, rc, NULL, 200, rc == CSIRT_OK ? json_pack("{s:b}", "ok", 1) : NULL);
}
