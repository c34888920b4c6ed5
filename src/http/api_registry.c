/*
 * api_registry.c - organisations, information systems, users, the team.
 */
#include "csirt/common.h"
#include "csirt/entities.h"
#include "csirt/registry.h"
#include "http/api.h"

#include <string.h>

static void
list(struct request *req, struct response *res, const struct entity_def *def)
{
	int64_t page, per_page;
	json_t *out = NULL;
	enum csirt_rc rc;
	const char *q = req_query(req, "q");

	if (req_query_int(req, res, "page", 1, 1000000, 1, &page) != 0 ||
	    req_query_int(req, res, "per_page", 1, 500, 100, &per_page) != 0)
		return;
	if (q && (strlen(q) > 200 || !utf8_valid(q, strlen(q)))) {
		res_error(res, 400, "invalid", "the search text is too long or not valid UTF-8");
		return;
	}
	rc = registry_list(req->st, &req->actor, def, q, page, per_page, &out);
	api_reply(res, rc, NULL, 200, out);
}

static void
create(struct request *req, struct response *res, const struct entity_def *def)
{
	json_t *body = req_json(req, res);
	struct csirt_err err;
	int64_t id = 0;
	enum csirt_rc rc;

	if (body == NULL)
		return;
	csirt_err_clear(&err);
	rc = registry_create(req->st, &req->actor, def, body, &id, &err);
	json_decref(body);
	api_reply(res, rc, &err, 201, rc == CSIRT_OK ? json_pack("{s:I}", "id", (json_int_t)id) : NULL);
}

static void
get(struct request *req, struct response *res, const struct entity_def *def)
{
	json_t *out = NULL;
	enum csirt_rc rc = registry_get(req->st, &req->actor, def, req->params[0], &out);

	api_reply(res, rc, NULL, 200, out);
}

static void
update(struct request *req, struct response *res, const struct entity_def *def)
{
	json_t *body = req_json(req, res), *out = NULL;
	struct csirt_err err;
	enum csirt_rc rc;

	if (body == NULL)
		return;
	csirt_err_clear(&err);
	rc = registry_update(req->st, &req->actor, def, req->params[0], body, &err);
	json_decref(body);
	if (rc == CSIRT_OK)
		rc = registry_get(req->st, &req->actor, def, req->params[0], &out);
	api_reply(res, rc, &err, 200, out);
}

void api_org_list(struct request *req, struct response *res) { list(req, res, &entity_org); }
void api_org_create(struct request *req, struct response *res) { create(req, res, &entity_org); }
void api_org_get(struct request *req, struct response *res) { get(req, res, &entity_org); }
void api_org_update(struct request *req, struct response *res) { update(req, res, &entity_org); }
void api_system_list(struct request *req, struct response *res) { list(req, res, &entity_system); }
void api_system_create(struct request *req, struct response *res) { create(req, res, &entity_system); }
void api_system_get(struct request *req, struct response *res) { get(req, res, &entity_system); }
void api_system_update(struct request *req, struct response *res) { update(req, res, &entity_system); }
void api_user_list(struct request *req, struct response *res) { list(req, res, &entity_user); }
void api_user_get(struct request *req, struct response *res) { get(req, res, &entity_user); }
void api_user_update(struct request *req, struct response *res) { update(req, res, &entity_user); }
void api_member_list(struct request *req, struct response *res) { list(req, res, &entity_team_member); }
void api_member_create(struct request *req, struct response *res) { create(req, res, &entity_team_member); }
void api_member_update(struct request *req, struct response *res) { update(req, res, &entity_team_member); }

void
api_user_create(struct request *req, struct response *res)
{
	json_t *body = req_json(req, res), *rec = NULL, *pw;
	struct csirt_err err;
	int64_t id = 0;
	enum csirt_rc rc;

	if (body == NULL)
		return;
	csirt_err_clear(&err);
	pw = json_incref(json_object_get(body, "password"));
	json_object_del(body, "password");
	if (pw && !json_is_string(pw)) {
		rc = csirt_err_set(&err, CSIRT_EINVAL, "password", "'password' must be a string");
	} else {
		rc = schema_validate(&entity_user, body, 1, &rec, &err);
		if (rc == CSIRT_OK)
			rc = accounts_create_user(req->st, &req->actor, rec,
			    pw ? json_string_value(pw) : NULL, &id, &err);
	}
	json_decref(pw);
	json_decref(rec);
	json_decref(body);
	api_reply(res, rc, &err, 201, rc == CSIRT_OK ? json_pack("{s:I}", "id", (json_int_t)id) : NULL);
}

void
api_user_password(struct request *req, struct response *res)
{
	json_t *body = req_json(req, res);
	struct csirt_err err;
	enum csirt_rc rc;
	const char *pw;

	if (body == NULL)
		return;
	csirt_err_clear(&err);
	pw = json_string_value(json_object_get(body, "password"));
	if (pw == NULL)
		rc = csirt_err_set(&err, CSIRT_EINVAL, "password", "give 'password'");
	else
		rc = accounts_set_password(req->st, &req->actor, req->params[0], pw,
		    !json_is_false(json_object_get(body, "must_change")), &err);
	json_decref(body);
	api_reply(res, rc, &err, 200, rc == CSIRT_OK ? json_pack("{s:b}", "ok", 1) : NULL);
}

void
api_team_get(struct request *req, struct response *res)
{
	json_t *out = NULL;
	enum csirt_rc rc = registry_team_get(req->st, &out);

	api_reply(res, rc, NULL, 200, out);
}

void
api_team_update(struct request *req, struct response *res)
{
	json_t *body = req_json(req, res), *out = NULL;
	struct csirt_err err;
	enum csirt_rc rc;

	if (body == NULL)
		return;
	csirt_err_clear(&err);
	rc = registry_team_update(req->st, &req->actor, body, &err);
	json_decref(body);
	if (rc == CSIRT_OK)
		rc = registry_team_get(req->st, &out);
	api_reply(res, rc, &err, 200, out);
}

void
api_system_activities(struct request *req, struct response *res)
{
	json_t *out = NULL;
	enum csirt_rc rc = registry_activity_list(req->st, &req->actor, req->params[0], &out);

	api_reply(res, rc, NULL, 200, rc == CSIRT_OK ? json_pack("{s:o}", "items", out) : NULL);
}

void
api_system_activity_add(struct request *req, struct response *res)
{
	api_create_under(req, res, registry_activity_add);
}
