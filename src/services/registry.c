/*
 * registry.c - organisations, information systems, users and team
 * members. The tenant rule for a unit officer: it sees and changes only
 * what belongs to its own organisation's subtree (an organisation by its
 * place in the tree, a system by its owner or operator); anything else
 * answers "not found", as if it did not exist.
 */
#include "csirt/common.h"
#include "csirt/entities.h"
#include "csirt/registry.h"
#include "services/services_int.h"

#include <string.h>

/* The organisation fields that place a record in the tree. */
static void
scope_fields(const struct entity_def *def, const char **a, const char **b)
{
	*a = *b = NULL;
	if (def == &entity_org) {
		*a = "id";
	} else if (def == &entity_system) {
		*a = "owner_org_id";
		*b = "operator_org_id";
	} else if (def == &entity_user || def == &entity_team_member) {
		*a = "org_id";
	}
}

static int
in_scope(struct store *st, const struct actor *who, const struct entity_def *def, json_t *rec)
{
	int64_t scope = actor_scope(who);
	const char *fa, *fb;
	int yes = 0;

	if (!scope)
		return 1;
	scope_fields(def, &fa, &fb);
	if (fa == NULL)
		return 0;
	if (store_org_in_subtree(st, scope, json_integer_value(json_object_get(rec, fa)), &yes) ==
	    CSIRT_OK && yes)
		return 1;
	if (fb && store_org_in_subtree(st, scope, json_integer_value(json_object_get(rec, fb)), &yes) ==
	    CSIRT_OK && yes)
		return 1;
	return 0;
}

/* Checks the references a record makes (parent, owner, operator...). */
static enum csirt_rc
check_refs(struct store *st, const struct actor *who, const struct entity_def *def, int64_t self,
    json_t *rec, struct csirt_err *err)
{
	static const char *const org_refs[] = { "parent_id", "org_id", "owner_org_id",
		"operator_org_id" };
	int64_t scope = actor_scope(who);

	for (size_t i = 0; i < ARRAY_SIZE(org_refs); i++) {
		json_t *v = json_object_get(rec, org_refs[i]), *o = NULL;
		int yes = 1;

		if (!json_is_integer(v))
			continue;
		if (store_get(st, &entity_org, json_integer_value(v), &o) != CSIRT_OK)
			return csirt_err_set(err, CSIRT_EINVAL, org_refs[i], "no such organisation");
		json_decref(o);
		if (scope)
			store_org_in_subtree(st, scope, json_integer_value(v), &yes);
		if (!yes)
			return csirt_err_set(err, CSIRT_EINVAL, org_refs[i], "no such organisation");
		/* The tree must stay a tree: no organisation below itself. */
		if (def == &entity_org && strcmp(org_refs[i], "parent_id") == 0 && self) {
			store_org_in_subtree(st, self, json_integer_value(v), &yes);
			if (yes)
				return csirt_err_set(err, CSIRT_EINVAL, "parent_id",
				    "an organisation cannot be placed below itself");
		}
	}
	if (json_is_integer(json_object_get(rec, "user_id"))) {
		json_t *u = NULL;

		if (store_get(st, &entity_user, json_integer_value(json_object_get(rec, "user_id")), &u) !=
		    CSIRT_OK)
			return csirt_err_set(err, CSIRT_EINVAL, "user_id", "no such user");
		json_decref(u);
	}
	return CSIRT_OK;
}

enum csirt_rc
registry_create(struct store *st, const struct actor *who, const struct entity_def *def,
    json_t *in, int64_t *id, struct csirt_err *err)
{
	json_t *rec = NULL;
	enum csirt_rc rc = schema_validate(def, in, 1, &rec, err);

	if (rc != CSIRT_OK)
		return rc;
	/* A unit officer creates below its own organisation only. */
	if (actor_scope(who) && def == &entity_org && !json_is_integer(json_object_get(rec, "parent_id")))
		json_object_set_new(rec, "parent_id", json_integer(who->org_id));
	rc = store_begin(st);
	if (rc != CSIRT_OK)
		goto out;
	rc = svc_create_finish(st, who, def, rec, id, check_refs(st, who, def, 0, rec, err));
	if (rc == CSIRT_ECONFLICT && !err->msg[0])
		csirt_err_set(err, rc, NULL, "conflicts with an existing record");
out:
	json_decref(rec);
	return rc;
}

enum csirt_rc
registry_get(struct store *st, const struct actor *who, const struct entity_def *def, int64_t id,
    json_t **out)
{
	json_t *rec = NULL;
	enum csirt_rc rc = store_get(st, def, id, &rec);

	if (rc != CSIRT_OK)
		return rc;
	if (!in_scope(st, who, def, rec)) {
		json_decref(rec);
		return CSIRT_ENOTFOUND;
	}
	schema_render(def, rec);
	*out = rec;
	return CSIRT_OK;
}

enum csirt_rc
registry_update(struct store *st, const struct actor *who, const struct entity_def *def, int64_t id,
    json_t *in, struct csirt_err *err)
{
	json_t *rec = NULL, *before = NULL, *after = NULL;
	enum csirt_rc rc = schema_validate(def, in, 0, &rec, err);

	if (rc != CSIRT_OK)
		return rc;
	rc = store_begin(st);
	if (rc != CSIRT_OK)
		goto out;
	rc = store_get(st, def, id, &before);
	if (rc == CSIRT_OK && !in_scope(st, who, def, before))
		rc = CSIRT_ENOTFOUND;
	if (rc == CSIRT_OK)
		rc = check_refs(st, who, def, id, rec, err);
	if (rc == CSIRT_OK)
		rc = store_update(st, def, id, rec);
	if (rc == CSIRT_ECONFLICT && !err->msg[0])
		csirt_err_set(err, rc, NULL, "conflicts with an existing record");
	if (rc == CSIRT_OK && (rc = store_get(st, def, id, &after)) == CSIRT_OK)
		svc_audit(st, who, "update", def->name, id, before, after);
	if (rc == CSIRT_OK)
		rc = store_commit(st);
	else
		store_rollback(st);
out:
	json_decref(rec);
	json_decref(before);
	json_decref(after);
	return rc;
}

enum csirt_rc
registry_list(struct store *st, const struct actor *who, const struct entity_def *def,
    const char *q, int64_t page, int64_t per_page, json_t **out)
{
	struct store_query query;
	json_t *items = NULL;
	int64_t total = 0;
	enum csirt_rc rc;
	const char *fa, *fb;
	char like[300];

	memset(&query, 0, sizeof(query));
	scope_fields(def, &fa, &fb);
	query.scope_field = fa;
	query.scope_field2 = fb;
	query.scope_org = actor_scope(who);
	if (q && *q && schema_field(def, def == &entity_user ? "username" :
	    def == &entity_team_member ? "full_name" : "name")) {
		snprintf(like, sizeof(like), "%%%.200s%%", q);
		query.filters[0].field = def == &entity_user ? "username" :
		    def == &entity_team_member ? "full_name" : "name";
		query.filters[0].op = SQ_LIKE;
		query.filters[0].is_text = 1;
		query.filters[0].text = like;
		query.n_filters = 1;
	}
	query.limit = per_page;
	query.offset = (page - 1) * per_page;
	rc = store_list(st, def, &query, &items, &total);
	if (rc != CSIRT_OK)
		return rc;
	for (size_t i = 0; i < json_array_size(items); i++)
		schema_render(def, json_array_get(items, i));
	*out = json_pack("{s:o,s:I,s:I,s:I}", "items", items, "total", (json_int_t)total, "page",
	    (json_int_t)page, "per_page", (json_int_t)per_page);
	return CSIRT_OK;
}

enum csirt_rc
registry_team_get(struct store *st, json_t **out)
{
	json_t *rows = NULL;
	enum csirt_rc rc = store_query_json(st, "SELECT name, decision_no, decision_date,"
	    " secretariat_org_id, updated_at FROM team WHERE id = 1", NULL, &rows);

	if (rc != CSIRT_OK)
		return rc;
	*out = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	if (*out == NULL)
		*out = json_pack("{s:s,s:s,s:s,s:n}", "name", "", "decision_no", "", "decision_date", "",
		    "secretariat_org_id");
	return CSIRT_OK;
}

enum csirt_rc
registry_team_update(struct store *st, const struct actor *who, json_t *in, struct csirt_err *err)
{
	static const struct field_def team_fields[] = {
		{ "name", FT_TEXT, 0, 300, 0, 0, NULL },
		{ "decision_no", FT_TEXT, 0, 100, 0, 0, NULL },
		{ "decision_date", FT_TEXT, 0, 10, 0, 0, NULL },
		{ "secretariat_org_id", FT_REF, FF_NULLABLE, 0, 0, 0, NULL },
	};
	static const struct entity_def team_def = { "team", "team", team_fields, 4 };
	json_t *rec = NULL, *before = NULL, *after = NULL;
	enum csirt_rc rc = schema_validate(&team_def, in, 0, &rec, err);

	if (rc != CSIRT_OK)
		return rc;
	rc = store_begin(st);
	if (rc != CSIRT_OK)
		goto out;
	registry_team_get(st, &before);
	{
		json_t *refs = json_pack("{s:O?}", "org_id", json_object_get(rec, "secretariat_org_id"));

		rc = check_refs(st, who, &team_def, 0, refs, err);
		json_decref(refs);
	}
	if (rc == CSIRT_OK)
		rc = store_exec(st, "INSERT INTO team (id, name, updated_at) VALUES (1, '', ?1)"
		    " ON CONFLICT (id) DO NOTHING", json_pack("[I]", (json_int_t)time_now()), NULL, NULL);
	if (rc == CSIRT_OK)
		rc = store_update(st, &team_def, 1, rec);
	if (rc == CSIRT_OK && (rc = registry_team_get(st, &after)) == CSIRT_OK)
		svc_audit(st, who, "update", "team", 1, before, after);
	if (rc == CSIRT_OK)
		rc = store_commit(st);
	else
		store_rollback(st);
out:
	json_decref(rec);
	json_decref(before);
	json_decref(after);
	return rc;
}

enum csirt_rc
registry_activity_add(struct store *st, const struct actor *who, int64_t system_id, json_t *in,
    int64_t *id, struct csirt_err *err)
{
	json_t *rec = NULL, *sys = NULL;
	enum csirt_rc rc = schema_validate(&entity_activity, in, 1, &rec, err);

	if (rc != CSIRT_OK)
		return rc;
	if (json_integer_value(json_object_get(rec, "performed_at")) > time_now() + 300) {
		json_decref(rec);
		return csirt_err_set(err, CSIRT_EINVAL, "performed_at", "an activity cannot be in the future");
	}
	rc = store_begin(st);
	if (rc != CSIRT_OK)
		goto out;
	rc = store_get(st, &entity_system, system_id, &sys);
	if (rc == CSIRT_OK && !in_scope(st, who, &entity_system, sys))
		rc = CSIRT_ENOTFOUND;
	json_object_set_new(rec, "system_id", json_integer(system_id));
	if (who->user_id)
		json_object_set_new(rec, "recorded_by", json_integer(who->user_id));
	if (rc == CSIRT_OK)
		rc = store_insert(st, &entity_activity, rec, id);
	if (rc == CSIRT_OK) {
		svc_audit(st, who, "record_activity", "system", system_id, NULL, rec);
		rc = store_commit(st);
	} else {
		store_rollback(st);
	}
out:
	json_decref(sys);
	json_decref(rec);
	return rc;
}

enum csirt_rc
registry_activity_list(struct store *st, const struct actor *who, int64_t system_id, json_t **out)
{
	json_t *sys = NULL, *rows = NULL;
	enum csirt_rc rc = store_get(st, &entity_system, system_id, &sys);
	size_t i;
	json_t *r;

	if (rc == CSIRT_OK && !in_scope(st, who, &entity_system, sys))
		rc = CSIRT_ENOTFOUND;
	json_decref(sys);
	if (rc != CSIRT_OK)
		return rc;
	rc = store_query_json(st, "SELECT a.id, a.system_id, a.kind, a.performed_at, a.summary, a.result,"
	    " a.created_at, u.username AS recorded_by FROM activities a LEFT JOIN users u"
	    " ON u.id = a.recorded_by WHERE a.system_id = ?1 ORDER BY a.performed_at DESC, a.id DESC",
	    json_pack("[I]", (json_int_t)system_id), &rows);
	if (rc != CSIRT_OK)
		return rc;
	json_array_foreach(rows, i, r) {
		json_t *res = json_object_get(r, "result");
		json_t *parsed = json_is_string(res) ? json_loads(json_string_value(res), 0, NULL) : NULL;

		if (parsed)
			json_object_set_new(r, "result", parsed);
		schema_render(&entity_activity, r);
	}
	*out = rows;
	return CSIRT_OK;
}
