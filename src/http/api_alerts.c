/*
 * api_alerts.c - the alert queue.
 */
#include "csirt/common.h"
#include "csirt/alerts.h"
#include "http/api.h"

#include <string.h>

void
api_alert_list(struct request *req, struct response *res)
{
	int64_t page, per_page;
	json_t *out = NULL;
	enum csirt_rc rc;

	if (req_query_int(req, res, "page", 1, 1000000, 1, &page) != 0 ||
	    req_query_int(req, res, "per_page", 1, 200, 25, &per_page) != 0)
		return;
	rc = alert_list(req->st, &req->actor, req_query(req, "status"), page, per_page, &out);
	api_reply(res, rc, NULL, 200, out);
}

void
api_alert_create(struct request *req, struct response *res)
{
	json_t *body = req_json(req, res);
	struct csirt_err err;
	int64_t id = 0, merged = 0;
	enum csirt_rc rc;

	if (body == NULL)
		return;
	csirt_err_clear(&err);
	rc = alert_create(req->st, &req->actor, body, &id, &merged, &err);
	json_decref(body);
	api_reply(res, rc, &err, merged ? 200 : 201, rc == CSIRT_OK ? json_pack("{s:I,s:b}", "id",
	    (json_int_t)id, "merged", merged != 0) : NULL);
}

void
api_alert_get(struct request *req, struct response *res)
{
	json_t *out = NULL;
	enum csirt_rc rc = alert_get(req->st, &req->actor, req->params[0], &out);

	api_reply(res, rc, NULL, 200, out);
}

void
api_alert_merge(struct request *req, struct response *res)
{
	json_t *body = req_json(req, res), *into;
	struct csirt_err err;
	enum csirt_rc rc;

	if (body == NULL)
		return;
	csirt_err_clear(&err);
	into = json_object_get(body, "into");
	if (!json_is_integer(into) || json_integer_value(into) < 1)
		rc = csirt_err_set(&err, CSIRT_EINVAL, "into", "give 'into': the id of an open alert");
	else
		rc = alert_merge(req->st, &req->actor, req->params[0], json_integer_value(into), &err);
	json_decref(body);
	api_reply(res, rc, &err, 200, rc == CSIRT_OK ? json_pack("{s:b}", "ok", 1) : NULL);
}

void
api_alert_promote(struct request *req, struct response *res)
{
	json_t *body = req->body.len ? req_json(req, res) : json_object(), *inc;
	struct csirt_err err;
	int64_t result = 0;
	enum csirt_rc rc;

	if (body == NULL)
		return;
	csirt_err_clear(&err);
	inc = json_object_get(body, "incident_id");
	if (inc && (!json_is_integer(inc) || json_integer_value(inc) < 1))
		rc = csirt_err_set(&err, CSIRT_EINVAL, "incident_id", "'incident_id' must be an incident id");
	else
		rc = alert_promote(req->st, &req->actor, req->params[0],
		    inc ? json_integer_value(inc) : 0, &result, &err);
	json_decref(body);
	api_reply(res, rc, &err, 200, rc == CSIRT_OK ? json_pack("{s:I}", "incident_id",
	    (json_int_t)result) : NULL);
}

void
api_alert_dismiss(struct request *req, struct response *res)
{
	json_t *body = req->body.len ? req_json(req, res) : json_object(), *reason;
	struct csirt_err err;
	enum csirt_rc rc;

	if (body == NULL)
		return;
	csirt_err_clear(&err);
	reason = json_object_get(body, "reason");
	if (reason && (!json_is_string(reason) || json_string_length(reason) > 2000))
		rc = csirt_err_set(&err, CSIRT_EINVAL, "reason", "'reason' must be text");
	else
		rc = alert_dismiss(req->st, &req->actor, req->params[0], json_string_value(reason), &err);
	json_decref(body);
	api_reply(res, rc, &err, 200, rc == CSIRT_OK ? json_pack("{s:b}", "ok", 1) : NULL);
}
