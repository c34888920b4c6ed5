/*
 * api_auth.c - log-in, log-out, who am I, password change, API tokens.
 */
#include "csirt/common.h"
#include "csirt/entities.h"
#include "http/api.h"

#include <stdio.h>
#include <string.h>

void
api_health(struct request *req, struct response *res)
{
	res_json(res, 200, json_pack("{s:s}", "status", "ok"));
}

static void
session_cookie(struct response *res, const char *token, int max_age)
{
	char v[256];

	/* HttpOnly: scripts cannot read it; SameSite=Strict: other sites
	 * cannot make the browser send it. Secure is added behind TLS. */
	snprintf(v, sizeof(v), "csirt_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d",
	    token, max_age);
	res_header(res, "Set-Cookie", v);
}

static json_t *
me_json(struct store *st, const struct actor *who, const char *csrf)
{
	json_t *u = NULL, *out;

	if (store_get(st, &entity_user, who->user_id, &u) != CSIRT_OK)
		u = json_object();
	schema_render(&entity_user, u);
	json_object_del(u, "password_hash");
	out = json_pack("{s:o}", "user", u);
	if (csrf)
		json_object_set_new(out, "csrf_token", json_string(csrf));
	return out;
}

void
api_login(struct request *req, struct response *res)
{
	json_t *body = req_json(req, res), *u, *p;
	struct actor who;
	char session[TOKEN_HEX_LEN + 1], csrf[TOKEN_HEX_LEN + 1], retry[32];
	struct csirt_err err;
	int64_t wait = 0;
	enum csirt_rc rc;

	if (body == NULL)
		return;
	csirt_err_clear(&err);
	u = json_object_get(body, "username");
	p = json_object_get(body, "password");
	if (!json_is_string(u) || !json_is_string(p) || json_object_size(body) != 2) {
		json_decref(body);
		res_error(res, 400, "invalid", "give exactly 'username' and 'password'");
		return;
	}
	rc = accounts_login(req->st, json_string_value(u), json_string_value(p), req->client_ip,
	    &who, session, csrf, &wait, &err);
	json_decref(body);
	if (rc == CSIRT_ELIMIT) {
		snprintf(retry, sizeof(retry), "%lld", (long long)wait);
		res_header(res, "Retry-After", retry);
	}
	if (rc != CSIRT_OK) {
		res_err(res, rc, &err);
		return;
	}
	session_cookie(res, session, SESSION_TTL_SECONDS);
	res_json(res, 200, me_json(req->st, &who, csrf));
}

void
api_logout(struct request *req, struct response *res)
{
	const char *cookie = MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, "csirt_session");

	if (cookie)
		accounts_logout(req->st, cookie);
	session_cookie(res, "", 0);
	res_json(res, 200, json_pack("{s:b}", "ok", 1));
}

void
api_me(struct request *req, struct response *res)
{
	res_json(res, 200, me_json(req->st, &req->actor, req->via_cookie ? req->csrf : NULL));
}

void
api_password(struct request *req, struct response *res)
{
	json_t *body = req_json(req, res);
	const char *cur, *next;
	struct csirt_err err;
	enum csirt_rc rc;
	struct actor who;
	char s[TOKEN_HEX_LEN + 1], c[TOKEN_HEX_LEN + 1];
	int64_t wait;

	if (body == NULL)
		return;
	csirt_err_clear(&err);
	cur = json_string_value(json_object_get(body, "current_password"));
	next = json_string_value(json_object_get(body, "new_password"));
	if (cur == NULL || next == NULL) {
		json_decref(body);
		res_error(res, 400, "invalid", "give 'current_password' and 'new_password'");
		return;
	}
	/* Re-check the current password through the throttled path. */
	rc = accounts_login(req->st, req->actor.username, cur, req->client_ip, &who, s, c, &wait, &err);
	if (rc == CSIRT_OK) {
		accounts_logout(req->st, s);
		rc = accounts_set_password(req->st, &req->actor, req->actor.user_id, next, 0, &err);
	}
	json_decref(body);
	if (rc != CSIRT_OK) {
		if (rc == CSIRT_EUNAUTH)
			csirt_err_set(&err, CSIRT_EINVAL, "current_password", "the current password is wrong");
		res_err(res, rc == CSIRT_EUNAUTH ? CSIRT_EINVAL : rc, &err);
		return;
	}
	res_json(res, 200, json_pack("{s:b}", "ok", 1));
}

void
api_token_create(struct request *req, struct response *res)
{
	json_t *body = req_json(req, res);
	char token[TOKEN_HEX_LEN + 8];
	struct csirt_err err;
	int64_t id;
	enum csirt_rc rc;

	if (body == NULL)
		return;
	csirt_err_clear(&err);
	rc = accounts_token_create(req->st, &req->actor, req->actor.user_id,
	    json_string_value(json_object_get(body, "name")), token, &id, &err);
	json_decref(body);
	if (rc != CSIRT_OK) {
		res_err(res, rc, &err);
		return;
	}
	res_json(res, 201, json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id, "token", token, "note",
	    "this is the only time the token is shown"));
}

void
api_token_list(struct request *req, struct response *res)
{
	json_t *rows = NULL;
	enum csirt_rc rc = store_query_json(req->st, "SELECT id, name, created_at, last_used_at,"
	    " revoked FROM api_tokens WHERE user_id = ?1 ORDER BY id",
	    json_pack("[I]", (json_int_t)req->actor.user_id), &rows);

	if (rc != CSIRT_OK) {
		res_err(res, rc, NULL);
		return;
	}
	res_json(res, 200, json_pack("{s:o}", "items", rows));
}

void
api_token_revoke(struct request *req, struct response *res)
{
	enum csirt_rc rc = accounts_token_revoke(req->st, &req->actor, req->params[0]);

	if (rc != CSIRT_OK) {
		res_err(res, rc, NULL);
		return;
	}
	res_json(res, 200, json_pack("{s:b}", "ok", 1));
}
