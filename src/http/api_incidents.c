/*
 * api_incidents.c - incidents and what hangs below them, plus the public
 * report page's two endpoints.
 */
#include "csirt/common.h"
#include "csirt/entities.h"
#include "csirt/incidents.h"
#include "http/api.h"

#include <stdio.h>
#include <string.h>

void
api_reply(struct response *res, enum csirt_rc rc, const struct csirt_err *err, unsigned status,
    json_t *body)
{
	if (rc != CSIRT_OK) {
		json_decref(body);
		res_err(res, rc, err);
		return;
	}
	res_json(res, status, body);
}

void
api_create_under(struct request *req, struct response *res, api_create_fn fn)
{
	json_t *body = req_json(req, res);
	struct csirt_err err;
	int64_t id = 0;
	enum csirt_rc rc;

	if (body == NULL)
		return;
	csirt_err_clear(&err);
	rc = fn(req->st, &req->actor, req->params[0], body, &id, &err);
	json_decref(body);
	api_reply(res, rc, &err, 201, rc == CSIRT_OK ? json_pack("{s:I}", "id", (json_int_t)id) : NULL);
}

/* 500 summaries of a few kB at most each */
#define LIST_PAGE_MAX (8u << 20)

static int
page_args(struct request *req, struct response *res, int64_t *page, int64_t *per_page)
{
	if (req_query_int(req, res, "page", 1, 1000000, 1, page) != 0 ||
	    req_query_int(req, res, "per_page", 1, 200, 25, per_page) != 0)
		return -1;
	return 0;
}

static int
time_arg(struct request *req, struct response *res, const char *name, int64_t *out)
{
	const char *v = req_query(req, name);
	char msg[128];

	*out = 0;
	if (v == NULL || *v == '\0')
		return 0;
	if (time_parse_iso(v, out) != CSIRT_OK) {
		snprintf(msg, sizeof(msg), "'%s' must be a date like 2026-08-20", name);
		res_error(res, 400, "invalid", msg);
		return -1;
	}
	return 0;
}

void
api_incident_list(struct request *req, struct response *res)
{
	struct incident_filter f;
	struct csirt_err err;
	struct buf out;
	const char *order = req_query(req, "order");
	enum csirt_rc rc;

	memset(&f, 0, sizeof(f));
	csirt_err_clear(&err);
	if (page_args(req, res, &f.page, &f.per_page) != 0 ||
	    req_query_int(req, res, "org_id", 1, INT64_MAX, 0, &f.org_id) != 0 ||
	    req_query_int(req, res, "system_id", 1, INT64_MAX, 0, &f.system_id) != 0 ||
	    time_arg(req, res, "from", &f.from) != 0 || time_arg(req, res, "to", &f.to) != 0)
		return;
	f.step = req_query(req, "step");
	f.status = req_query(req, "status");
	f.severity = req_query(req, "severity");
	f.taxonomy_code = req_query(req, "taxonomy_code");
	f.q = req_query(req, "q");
	f.sort = req_query(req, "sort");
	if (f.sort && *f.sort == '\0')
		f.sort = NULL;
	f.desc = order == NULL || strcmp(order, "asc") != 0;
	if (f.q && (strlen(f.q) > 500 || !utf8_valid(f.q, strlen(f.q)))) {
		res_error(res, 400, "invalid", "the search text is too long or not valid UTF-8");
		return;
	}
	buf_init(&out, LIST_PAGE_MAX);
	rc = incident_list(req->st, &req->actor, &f, &out, &err);
	if (rc != CSIRT_OK) {
		buf_release(&out);
		res_err(res, rc, &err);
		return;
	}
	res->content_type = "application/json; charset=utf-8";
	res->raw_len = out.len;
	res->raw = buf_detach(&out);
}

void
api_incident_create(struct request *req, struct response *res)
{
	json_t *body = req_json(req, res);
	struct csirt_err err;
	char code[TRACKING_CODE_MAX];
	int64_t id = 0;
	enum csirt_rc rc;

	if (body == NULL)
		return;
	csirt_err_clear(&err);
	rc = incident_create(req->st, &req->actor, body, "api", &id, code, &err);
	json_decref(body);
	api_reply(res, rc, &err, 201, rc == CSIRT_OK ? json_pack("{s:I,s:s}", "id", (json_int_t)id,
	    "tracking_code", code) : NULL);
}

void
api_incident_get(struct request *req, struct response *res)
{
	json_t *out = NULL;
	enum csirt_rc rc = incident_get(req->st, &req->actor, req->params[0], &out);

	api_reply(res, rc, NULL, 200, out);
}

/* A change made with a JSON body, answered with the incident as it now is. */
static void
change_incident(struct request *req, struct response *res,
    enum csirt_rc (*fn)(struct store *, const struct actor *, int64_t, json_t *, struct csirt_err *))
{
	json_t *body = req_json(req, res), *out = NULL;
	struct csirt_err err;
	enum csirt_rc rc;

	if (body == NULL)
		return;
	csirt_err_clear(&err);
	rc = fn(req->st, &req->actor, req->params[0], body, &err);
	json_decref(body);
	if (rc == CSIRT_OK)
		rc = incident_get(req->st, &req->actor, req->params[0], &out);
	api_reply(res, rc, &err, 200, out);
}

void
api_incident_update(struct request *req, struct response *res)
{
	change_incident(req, res, incident_update);
}

void
api_incident_transition(struct request *req, struct response *res)
{
	json_t *body = req_json(req, res), *out = NULL, *stable;
	struct csirt_err err;
	enum csirt_rc rc;
	const char *key;
	json_t *v;

	if (body == NULL)
		return;
	csirt_err_clear(&err);
	json_object_foreach(body, key, v) {
		if (strcmp(key, "to") && strcmp(key, "reason") && strcmp(key, "system_stable")) {
			csirt_err_set(&err, CSIRT_EINVAL, key, "unknown field '%.60s'", key);
			json_decref(body);
			res_err(res, CSIRT_EINVAL, &err);
			return;
		}
	}
	stable = json_object_get(body, "system_stable");
	if (stable && !json_is_boolean(stable)) {
		json_decref(body);
		res_error(res, 400, "invalid", "'system_stable' must be true or false");
		return;
	}
	rc = incident_transition(req->st, &req->actor, req->params[0],
	    json_string_value(json_object_get(body, "to")),
	    json_string_value(json_object_get(body, "reason")),
	    stable ? json_is_true(stable) : -1, &err);
	json_decref(body);
	if (rc == CSIRT_OK)
		rc = incident_get(req->st, &req->actor, req->params[0], &out);
	api_reply(res, rc, &err, 200, out);
}

void
api_incident_classify(struct request *req, struct response *res)
{
	change_incident(req, res, incident_classify);
}

void
api_incident_deadline_met(struct request *req, struct response *res)
{
	json_t *body = req_json(req, res);
	struct csirt_err err;
	enum csirt_rc rc;
	const char *note;

	if (body == NULL)
		return;
	csirt_err_clear(&err);
	note = json_string_value(json_object_get(body, "note"));
	if (note && (strlen(note) > 2000 || !utf8_valid(note, strlen(note)))) {
		json_decref(body);
		res_error(res, 400, "invalid", "'note' is too long or not valid text");
		return;
	}
	rc = incident_deadline_met(req->st, &req->actor, req->params[0], req->text_param, note, &err);
	json_decref(body);
	api_reply(res, rc, &err, 200, rc == CSIRT_OK ? json_pack("{s:b}", "ok", 1) : NULL);
}

static void
children(struct request *req, struct response *res, const char *kind)
{
	json_t *out = NULL;
	enum csirt_rc rc = incident_children(req->st, &req->actor, req->params[0], kind, &out);

	api_reply(res, rc, NULL, 200, rc == CSIRT_OK ? json_pack("{s:o}", "items", out) : NULL);
}

void api_incident_tasks(struct request *req, struct response *res) { children(req, res, "tasks"); }
void api_incident_comments(struct request *req, struct response *res) { children(req, res, "comments"); }
void api_incident_observables(struct request *req, struct response *res) { children(req, res, "observables"); }
void api_incident_evidence(struct request *req, struct response *res) { children(req, res, "evidence"); }
void api_incident_timeline(struct request *req, struct response *res) { children(req, res, "timeline"); }
void api_incident_transitions(struct request *req, struct response *res) { children(req, res, "transitions"); }

void
api_incident_task_add(struct request *req, struct response *res)
{
	api_create_under(req, res, incident_add_task);
}

void
api_task_update(struct request *req, struct response *res)
{
	json_t *body = req_json(req, res);
	struct csirt_err err;
	enum csirt_rc rc;

	if (body == NULL)
		return;
	csirt_err_clear(&err);
	rc = incident_update_task(req->st, &req->actor, req->params[0], body, &err);
	json_decref(body);
	api_reply(res, rc, &err, 200, rc == CSIRT_OK ? json_pack("{s:b}", "ok", 1) : NULL);
}

void
api_incident_comment_add(struct request *req, struct response *res)
{
	api_create_under(req, res, incident_add_comment);
}

void
api_incident_observable_add(struct request *req, struct response *res)
{
	json_t *body = req_json(req, res), *t, *v, *n;
	struct csirt_err err;
	int64_t id = 0;
	enum csirt_rc rc;

	if (body == NULL)
		return;
	csirt_err_clear(&err);
	t = json_object_get(body, "type");
	v = json_object_get(body, "value");
	n = json_object_get(body, "note");
	if (!json_is_string(t) || !json_is_string(v) || (n && !json_is_string(n)) ||
	    json_object_size(body) > 3 || json_string_length(v) > 2000 ||
	    (n && json_string_length(n) > 1000) ||
	    !utf8_valid(json_string_value(v), json_string_length(v))) {
		json_decref(body);
		res_error(res, 400, "invalid", "give 'type' and 'value' (strings) and optionally 'note'");
		return;
	}
	rc = incident_add_observable(req->st, &req->actor, req->params[0], json_string_value(t),
	    json_string_value(v), json_string_value(n), &id, &err);
	json_decref(body);
	api_reply(res, rc, &err, 201, rc == CSIRT_OK ? json_pack("{s:I}", "id", (json_int_t)id) : NULL);
}

void
api_observable_get(struct request *req, struct response *res)
{
	json_t *rows = NULL, *inc = NULL, *obs;
	enum csirt_rc rc;
	int64_t scope = actor_scope(&req->actor);

	rc = store_query_json(req->st, "SELECT id, type, value, first_seen FROM observables WHERE id = ?1",
	    json_pack("[I]", (json_int_t)req->params[0]), &rows);
	if (rc != CSIRT_OK || json_array_size(rows) == 0) {
		json_decref(rows);
		res_err(res, rc == CSIRT_OK ? CSIRT_ENOTFOUND : rc, NULL);
		return;
	}
	obs = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	/* The incidents this observable was seen in, within the actor's scope. */
	rc = store_query_json(req->st, "SELECT i.id, i.tracking_code, i.title, i.step, i.org_id"
	    " FROM incidents i JOIN incident_observables x ON x.incident_id = i.id"
	    " WHERE x.observable_id = ?1 AND (?2 = 0 OR i.org_id IN (WITH RECURSIVE sub(id) AS"
	    " (SELECT ?2 UNION ALL SELECT o.id FROM orgs o JOIN sub ON o.parent_id = sub.id)"
	    " SELECT id FROM sub)) ORDER BY i.id DESC LIMIT 200",
	    json_pack("[I,I]", (json_int_t)req->params[0], (json_int_t)scope), &inc);
	if (rc == CSIRT_OK)
		json_object_set_new(obs, "incidents", inc);
	api_reply(res, rc, NULL, 200, obs);
}

void
api_incident_evidence_add(struct request *req, struct response *res)
{
	const char *name = req_query(req, "filename");
	const char *ctype = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "Content-Type");
	struct csirt_err err;
	char hex[65];
	int64_t id = 0;
	enum csirt_rc rc;

	csirt_err_clear(&err);
	if (req_upload_finish(req, res, "send the file as the request body (any content type),"
	    " with ?filename=NAME", hex) != 0)
		return;
	rc = incident_add_evidence(req->st, &req->actor, req->params[0], req->cfg->data_dir,
	    req->upload_path, hex, (int64_t)req->upload_size, name ? name : "evidence.bin", ctype,
	    req_query(req, "description"), &id, &err);
	req_upload_moved(req);
	api_reply(res, rc, &err, 201, rc == CSIRT_OK ? json_pack("{s:I,s:s,s:I}", "id", (json_int_t)id,
	    "sha256", hex, "size", (json_int_t)req->upload_size) : NULL);
}

void
api_evidence_content(struct request *req, struct response *res)
{
	json_t *meta = NULL;
	int fd = -1;
	enum csirt_rc rc = incident_open_evidence(req->st, &req->actor, req->params[0],
	    req->cfg->data_dir, &fd, &meta);

	res_stored_file(res, rc, fd, meta);
}

void
api_evidence_custody(struct request *req, struct response *res)
{
	json_t *ev = NULL, *rows = NULL;
	enum csirt_rc rc = store_get(req->st, &entity_evidence, req->params[0], &ev);

	if (rc == CSIRT_OK)
		rc = incident_visible(req->st, &req->actor,
		    json_integer_value(json_object_get(ev, "incident_id")));
	if (rc == CSIRT_OK)
		rc = store_query_json(req->st, "SELECT at, actor, action, note FROM custody"
		    " WHERE evidence_id = ?1 ORDER BY id", json_pack("[I]", (json_int_t)req->params[0]),
		    &rows);
	if (rc == CSIRT_OK) {
		schema_render(&entity_evidence, ev);
		for (size_t i = 0; i < json_array_size(rows); i++) {
			json_t *r = json_array_get(rows, i);
			char iso[32];

			time_format_iso(json_integer_value(json_object_get(r, "at")), iso);
			json_object_set_new(r, "at", json_string(iso));
		}
		json_object_set_new(ev, "custody", rows);
	}
	api_reply(res, rc, NULL, 200, ev);
}

/* The public report page (Art 9.2.c): anyone may notify an incident. Only
 * a fixed set of fields is accepted; the answer is a tracking code and
 * nothing else about the system. */
void
api_public_report(struct request *req, struct response *res)
{
	static const char *const allowed[] = { "title", "description", "detected_at",
		"reporter_org", "reporter_address", "reporter_phone", "reporter_email", "contact_name",
		"contact_phone", "contact_email", "system_name", "public_ips", "domains",
		"handled_status", "recommendations" };
	json_t *body = req_json(req, res);
	struct actor public_actor;
	struct csirt_err err;
	char code[TRACKING_CODE_MAX];
	int64_t id = 0;
	enum csirt_rc rc;
	const char *key;
	json_t *v;

	if (body == NULL)
		return;
	csirt_err_clear(&err);
	json_object_foreach(body, key, v) {
		size_t i;

		for (i = 0; i < ARRAY_SIZE(allowed); i++)
			if (strcmp(key, allowed[i]) == 0)
				break;
		if (i == ARRAY_SIZE(allowed)) {
			csirt_err_set(&err, CSIRT_EINVAL, key, "unknown field '%.60s'", key);
			json_decref(body);
			res_err(res, CSIRT_EINVAL, &err);
			return;
		}
	}
	if (json_string_length(json_object_get(body, "reporter_email")) == 0 &&
	    json_string_length(json_object_get(body, "reporter_phone")) == 0 &&
	    json_string_length(json_object_get(body, "contact_email")) == 0 &&
	    json_string_length(json_object_get(body, "contact_phone")) == 0) {
		json_decref(body);
		csirt_err_set(&err, CSIRT_EINVAL, "reporter_email",
		    "give an e-mail address or a phone number so that the team can reach you");
		res_err(res, CSIRT_EINVAL, &err);
		return;
	}
	memset(&public_actor, 0, sizeof(public_actor));
	snprintf(public_actor.username, sizeof(public_actor.username), "public:%.50s", req->client_ip);
	public_actor.role = ROLE_NONE;
	rc = incident_create(req->st, &public_actor, body, "public", &id, code, &err);
	json_decref(body);
	api_reply(res, rc, &err, 201, rc == CSIRT_OK ? json_pack("{s:s,s:s}", "tracking_code", code,
	    "message", "Đã tiếp nhận thông báo sự cố. Dùng mã tra cứu để theo dõi tình trạng.") : NULL);
}

void
api_public_status(struct request *req, struct response *res)
{
	json_t *out = NULL;
	enum csirt_rc rc = incident_public_status(req->st, req->text_param, &out);

	api_reply(res, rc, NULL, 200, out);
}
