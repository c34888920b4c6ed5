/*
 * api_plans.c - response plans, drills and suppliers of a system, and
 * budget lines (issue 6). The handlers parse the request and call the
 * services of plans.h and budget.h; a change answers the changed record.
 */
#include "csirt/common.h"
#include "csirt/budget.h"
#include "csirt/plans.h"
#include "http/api.h"

#include <string.h>

typedef enum csirt_rc (*get_fn)(struct store *st, const struct actor *who, int64_t id,
    json_t **out);
typedef enum csirt_rc (*list_fn)(struct store *st, const struct actor *who, int64_t system_id,
    json_t **out);
typedef enum csirt_rc (*change_fn)(struct store *st, const struct actor *who, int64_t id,
    json_t *in, struct csirt_err *err);

static void
get(struct request *req, struct response *res, get_fn fn)
{
	json_t *out = NULL;
	enum csirt_rc rc = fn(req->st, &req->actor, req->params[0], &out);

	api_reply(res, rc, NULL, 200, out);
}

static void
list(struct request *req, struct response *res, list_fn fn)
{
	json_t *out = NULL;
	enum csirt_rc rc = fn(req->st, &req->actor, req->params[0], &out);

	api_reply(res, rc, NULL, 200, out);
}

/* PATCH or a step (approve, complete...): answers the record after it. */
static void
change(struct request *req, struct response *res, change_fn fn, get_fn after)
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
		rc = after(req->st, &req->actor, req->params[0], &out);
	api_reply(res, rc, &err, 200, out);
}

static void
removed(struct response *res, enum csirt_rc rc)
{
	api_reply(res, rc, NULL, 200, rc == CSIRT_OK ? json_pack("{s:b}", "deleted", 1) : NULL);
}

/* --- response plans ---------------------------------------------------- */

void api_system_plans(struct request *req, struct response *res) { list(req, res, plan_list); }
void api_system_plan_add(struct request *req, struct response *res) { api_create_under(req, res, plan_create); }
void api_plan_get(struct request *req, struct response *res) { get(req, res, plan_get); }
void api_plan_update(struct request *req, struct response *res) { change(req, res, plan_update, plan_get); }
void api_plan_approve(struct request *req, struct response *res) { change(req, res, plan_approve, plan_get); }
void api_plan_review(struct request *req, struct response *res) { change(req, res, plan_review, plan_get); }

/* --- drills ------------------------------------------------------------ */

void api_system_drills(struct request *req, struct response *res) { list(req, res, drill_list); }
void api_system_drill_add(struct request *req, struct response *res) { api_create_under(req, res, drill_create); }
void api_drill_get(struct request *req, struct response *res) { get(req, res, drill_get); }
void api_drill_update(struct request *req, struct response *res) { change(req, res, drill_update, drill_get); }
void api_drill_complete(struct request *req, struct response *res) { change(req, res, drill_complete, drill_get); }
void api_drill_cancel(struct request *req, struct response *res) { change(req, res, drill_cancel, drill_get); }

/* --- suppliers --------------------------------------------------------- */

static void
suppliers(struct request *req, struct response *res, int64_t system_id)
{
	struct supplier_filter f;
	json_t *out = NULL;
	enum csirt_rc rc;

	memset(&f, 0, sizeof(f));
	f.system_id = system_id;
	f.q = req_query(req, "q");
	if (req_query_int(req, res, "org_id", 1, INT64_MAX, 0, &f.org_id) != 0 ||
	    req_query_int(req, res, "expiring_days", 0, 36600, -1, &f.expiring_days) != 0)
		return;
	if (f.q && (strlen(f.q) > 200 || !utf8_valid(f.q, strlen(f.q)))) {
		res_error(res, 400, "invalid", "the search text is too long or not valid UTF-8");
		return;
	}
	rc = supplier_list(req->st, &req->actor, &f, &out);
	api_reply(res, rc, NULL, 200, out);
}

void api_system_suppliers(struct request *req, struct response *res) { suppliers(req, res, req->params[0]); }
void api_suppliers(struct request *req, struct response *res) { suppliers(req, res, 0); }
void api_system_supplier_add(struct request *req, struct response *res) { api_create_under(req, res, supplier_create); }
void api_supplier_get(struct request *req, struct response *res) { get(req, res, supplier_get); }
void api_supplier_update(struct request *req, struct response *res) { change(req, res, supplier_update, supplier_get); }

void
api_supplier_delete(struct request *req, struct response *res)
{
	removed(res, supplier_delete(req->st, &req->actor, req->params[0]));
}

/* --- budget lines ------------------------------------------------------ */

void
api_budget_list(struct request *req, struct response *res)
{
	int64_t org_id, year;
	json_t *out = NULL;
	enum csirt_rc rc;

	if (req_query_int(req, res, "org_id", 1, INT64_MAX, 0, &org_id) != 0 ||
	    req_query_int(req, res, "year", 2000, 2100, 0, &year) != 0)
		return;
	rc = budget_list(req->st, &req->actor, org_id, year, &out);
	api_reply(res, rc, NULL, 200, out);
}

/* Budget lines hang below no path id: api_create_under's parent is unused. */
static enum csirt_rc
budget_create_at(struct store *st, const struct actor *who, int64_t parent, json_t *in,
    int64_t *id, struct csirt_err *err)
{
	(void)parent;
	return budget_create(st, who, in, id, err);
}

void api_budget_create(struct request *req, struct response *res) { api_create_under(req, res, budget_create_at); }
void api_budget_get(struct request *req, struct response *res) { get(req, res, budget_get); }
void api_budget_update(struct request *req, struct response *res) { change(req, res, budget_update, budget_get); }

void
api_budget_delete(struct request *req, struct response *res)
{
	removed(res, budget_delete(req->st, &req->actor, req->params[0]));
}
