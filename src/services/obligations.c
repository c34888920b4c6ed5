/*
 * obligations.c - the obligations of every system and organisation the
 * actor may see, computed on request from what is recorded: nothing is
 * cached, so recording an activity (POST /api/systems/{id}/activities or
 * /api/orgs/{id}/activities) moves the due dates at once. A province has
 * hundreds of systems, not millions: four queries and one pass suffice.
 */
#include "csirt/common.h"
#include "csirt/buf.h"
#include "csirt/calendar.h"
#include "csirt/entities.h"
#include "csirt/obligation.h"
#include "csirt/obligations.h"
#include "services/services_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CSV_MAX (16 * 1024 * 1024)

enum csirt_rc
obligations_parse_day(const char *s, int64_t *day)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d;
	char tail;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || y < 1970 || y > 9999 ||
	    m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return CSIRT_EINVAL;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return CSIRT_EINVAL;
	*day = calendar_day_from_ymd(y, m, d);
	return CSIRT_OK;
}

/* Is org 'id' visible to the actor and inside the filter's subtree? */
static int
org_visible(struct store *st, const struct actor *who, int64_t filter_org, int64_t id)
{
	int64_t scope = actor_scope(who);
	int yes = 1;

	if (scope && (store_org_in_subtree(st, scope, id, &yes) != CSIRT_OK || !yes))
		return 0;
	if (filter_org && (store_org_in_subtree(st, filter_org, id, &yes) != CSIRT_OK || !yes))
		return 0;
	return 1;
}

/* Fills facts->last from rows {owner, kind, last, first} of one owner id. */
static void
facts_from_rows(json_t *rows, const char *owner_key, int64_t owner,
    struct obligation_facts *facts)
{
	size_t i;
	json_t *r;

	json_array_foreach(rows, i, r) {
		int act;

		if (json_integer_value(json_object_get(r, owner_key)) != owner)
			continue;
		act = obligation_activity_from_name(json_string_value(json_object_get(r, "kind")));
		if (act < 0)
			continue;
		facts->last[act] = calendar_day_of(json_integer_value(json_object_get(r, "last")));
		if (act == OA_LEVEL_APPROVAL)
			facts->first_approval =
			    calendar_day_of(json_integer_value(json_object_get(r, "first")));
	}
}

/* Appends the results that pass the filter, with who they belong to
 * ('owner', consumed: NULL means it could not be built). */
static enum csirt_rc
append_results(json_t *items, const struct obligations_filter *f,
    const struct obligation_result *res, size_t n, json_t *owner)
{
	enum csirt_rc rc = owner ? CSIRT_OK : CSIRT_ENOMEM;

	for (size_t i = 0; rc == CSIRT_OK && i < n; i++) {
		json_t *j;

		if (f->status && strcmp(obligation_status_name(res[i].status), f->status) != 0)
			continue;
		if (f->kind && strcmp(res[i].rule->kind, f->kind) != 0)
			continue;
		j = obligation_result_to_json(&res[i], f->lang);
		if (j == NULL || json_object_update(j, owner) != 0 || json_array_append_new(items, j))
			rc = CSIRT_ENOMEM;
	}
	json_decref(owner);
	return rc;
}

static enum csirt_rc
check_filter(const struct obligations_filter *f, int64_t *day,
    const struct obligation_set **set, struct csirt_err *err)
{
	*day = f->day ? f->day : calendar_day_of(time_now());
	if (f->status && obligation_status_from_name(f->status) < 0)
		return csirt_err_set(err, CSIRT_EINVAL, "status",
		    "unknown status (done, due_soon, overdue, not_applicable, unknown, pending)");
	if (f->kind && (strlen(f->kind) > 64 || !utf8_valid(f->kind, strlen(f->kind))))
		return csirt_err_set(err, CSIRT_EINVAL, "kind", "invalid obligation kind");
	*set = obligation_set_for_day(*day);
	if (*set == NULL)
		return csirt_err_set(err, CSIRT_EUNSUPPORTED, "date",
		    "no obligation rules apply on that date (before 2017-11-01)");
	return CSIRT_OK;
}

static json_t *
day_string(int64_t day)
{
	char s[16];
	int y, m, d;

	calendar_ymd(day, &y, &m, &d);
	snprintf(s, sizeof(s), "%04d-%02d-%02d", y, m, d);
	return json_string(s);
}

static enum csirt_rc
eval_orgs(struct store *st, const struct actor *who, const struct obligations_filter *f,
    const struct obligation_set *set, int64_t day, json_t *orgs, json_t *systems,
    json_t *items)
{
	struct obligation_result res[OBLIGATION_MAX_RULES];
	json_t *acts = NULL, *o;
	size_t i, j;
	enum csirt_rc rc;

	rc = store_query_json(st, "SELECT org_id, kind, MAX(performed_at) AS last,"
	    " MIN(performed_at) AS first FROM org_activities GROUP BY org_id, kind", NULL, &acts);
	if (rc != CSIRT_OK)
		return rc;
	json_array_foreach(orgs, i, o) {
		int64_t id = json_integer_value(json_object_get(o, "id")), pub;
		struct obligation_facts facts;
		json_t *owner, *s;
		size_t n;

		if (!org_visible(st, who, f->org_id, id))
			continue;
		obligation_facts_init(&facts);
		facts_from_rows(acts, "org_id", id, &facts);
		if (obligations_parse_day(json_string_value(json_object_get(o,
		    "contact_published_on")), &pub) == CSIRT_OK)
			facts.last[OA_CONTACT_POINT] = pub;
		json_array_foreach(systems, j, s)
			if (json_integer_value(json_object_get(s, "owner_org_id")) == id)
				facts.owns_systems = true;
		n = obligation_evaluate(set, OBL_SCOPE_ORG, &facts, day, res, OBLIGATION_MAX_RULES);
		owner = json_pack("{s:s,s:n,s:n,s:I,s:O}", "scope", "org", "system_id",
		    "system_name", "org_id", (json_int_t)id, "org_name", json_object_get(o, "name"));
		if ((rc = append_results(items, f, res, n, owner)) != CSIRT_OK)
			break;
	}
	json_decref(acts);
	return rc;
}

static enum csirt_rc
eval_systems(struct store *st, const struct actor *who, const struct obligations_filter *f,
    const struct obligation_set *set, int64_t day, json_t *systems, json_t *orgs,
    json_t *items, int *seen)
{
	struct obligation_result res[OBLIGATION_MAX_RULES];
	json_t *acts = NULL, *s;
	size_t i;
	enum csirt_rc rc;

	rc = store_query_json(st, "SELECT system_id, kind, MAX(performed_at) AS last,"
	    " MIN(performed_at) AS first FROM activities"
	    /* Directive 18 asks for live-fire drills: a tabletop one (drills.c
	     * writes its kind into the result) does not count. */
	    " WHERE NOT (kind = 'drill' AND result LIKE '%\"drill_kind\":\"tabletop\"%')"
	    " GROUP BY system_id, kind", NULL, &acts);
	if (rc != CSIRT_OK)
		return rc;
	json_array_foreach(systems, i, s) {
		int64_t id = json_integer_value(json_object_get(s, "id"));
		int64_t own = json_integer_value(json_object_get(s, "owner_org_id"));
		int64_t op = json_integer_value(json_object_get(s, "operator_org_id"));
		struct obligation_facts facts;
		json_t *owner, *org_name = NULL, *o;
		size_t n, k;

		if (f->system_id && id != f->system_id)
			continue;
		if (!org_visible(st, who, f->org_id, own) && !org_visible(st, who, f->org_id, op))
			continue;
		*seen = 1;
		obligation_facts_init(&facts);
		facts.level = (int)json_integer_value(json_object_get(s, "level"));
		facts_from_rows(acts, "system_id", id, &facts);
		json_array_foreach(orgs, k, o)
			if (json_integer_value(json_object_get(o, "id")) == own)
				org_name = json_object_get(o, "name");
		n = obligation_evaluate(set, OBL_SCOPE_SYSTEM, &facts, day, res,
		    OBLIGATION_MAX_RULES);
		owner = json_pack("{s:s,s:I,s:O,s:I,s:O?,s:I}", "scope", "system", "system_id",
		    (json_int_t)id, "system_name", json_object_get(s, "name"), "org_id",
		    (json_int_t)own, "org_name", org_name, "level", (json_int_t)facts.level);
		if ((rc = append_results(items, f, res, n, owner)) != CSIRT_OK)
			break;
	}
	json_decref(acts);
	return rc;
}

enum csirt_rc
obligations_list(struct store *st, const struct actor *who,
    const struct obligations_filter *f, json_t **out, struct csirt_err *err)
{
	const struct obligation_set *set = NULL;
	json_t *orgs = NULL, *systems = NULL, *items = NULL;
	int64_t day;
	int seen = 0;
	enum csirt_rc rc;

	rc = check_filter(f, &day, &set, err);
	if (rc != CSIRT_OK)
		return rc;
	if ((rc = store_query_json(st, "SELECT id, name, contact_published_on FROM orgs"
	    " ORDER BY id", NULL, &orgs)) != CSIRT_OK ||
	    (rc = store_query_json(st, "SELECT id, name, level, owner_org_id, operator_org_id"
	    " FROM systems ORDER BY id", NULL, &systems)) != CSIRT_OK)
		goto out;
	items = json_array();
	if (items == NULL) {
		rc = CSIRT_ENOMEM;
		goto out;
	}
	if (!f->system_id)
		rc = eval_orgs(st, who, f, set, day, orgs, systems, items);
	if (rc == CSIRT_OK)
		rc = eval_systems(st, who, f, set, day, systems, orgs, items, &seen);
	if (rc == CSIRT_OK && f->system_id && !seen)
		rc = CSIRT_ENOTFOUND;	/* another tenant's system does not exist */
	if (rc == CSIRT_OK) {
		*out = json_pack("{s:s,s:o,s:o}", "regime", set->id, "date", day_string(day),
		    "items", items);
		items = NULL;
		if (*out == NULL)
			rc = CSIRT_ENOMEM;
	}
out:
	json_decref(orgs);
	json_decref(systems);
	json_decref(items);
	return rc;
}

enum csirt_rc
obligations_summary(struct store *st, const struct actor *who,
    const struct obligations_filter *f, json_t **out, struct csirt_err *err)
{
	json_t *list = NULL, *by_org = NULL, *orgs = NULL, *statuses = NULL, *it;
	const char *key;
	size_t i;
	enum csirt_rc rc;

	rc = obligations_list(st, who, f, &list, err);
	if (rc != CSIRT_OK)
		return rc;
	by_org = json_object();
	orgs = json_array();
	statuses = json_array();
	if (by_org == NULL || orgs == NULL || statuses == NULL) {
		rc = CSIRT_ENOMEM;
		goto out;
	}
	for (int s = 0; s < OBL_STATUS_COUNT; s++)
		json_array_append_new(statuses, json_string(obligation_status_name(s)));
	json_array_foreach(json_object_get(list, "items"), i, it) {
		char id[24];
		json_t *row, *counts, *c;
		const char *status = json_string_value(json_object_get(it, "status"));

		snprintf(id, sizeof(id), "%lld",
		    (long long)json_integer_value(json_object_get(it, "org_id")));
		row = json_object_get(by_org, id);
		if (row == NULL) {
			counts = json_object();
			for (int s = 0; s < OBL_STATUS_COUNT; s++)
				json_object_set_new(counts, obligation_status_name(s), json_integer(0));
			row = json_pack("{s:O,s:O,s:o,s:i}", "org_id", json_object_get(it, "org_id"),
			    "org_name", json_object_get(it, "org_name"), "counts", counts, "total", 0);
			if (row == NULL || json_object_set_new(by_org, id, row) != 0) {
				rc = CSIRT_ENOMEM;
				goto out;
			}
		}
		counts = json_object_get(row, "counts");
		c = json_object_get(counts, status);
		json_integer_set(c, json_integer_value(c) + 1);
		c = json_object_get(row, "total");
		json_integer_set(c, json_integer_value(c) + 1);
	}
	json_object_foreach(by_org, key, it)
		json_array_append(orgs, it);
	*out = json_pack("{s:O,s:O,s:O,s:O}", "regime", json_object_get(list, "regime"), "date",
	    json_object_get(list, "date"), "statuses", statuses, "orgs", orgs);
	if (*out == NULL)
		rc = CSIRT_ENOMEM;
out:
	json_decref(list);
	json_decref(by_org);
	json_decref(orgs);
	json_decref(statuses);
	return rc;
}

/* One CSV cell: quoted when needed; a leading = + - @ is defused with '. */
static enum csirt_rc
csv_cell(struct buf *b, json_t *v, int last)
{
	char num[32];
	const char *s = num;
	enum csirt_rc rc = CSIRT_OK;

	if (json_is_string(v))
		s = json_string_value(v);
	else if (json_is_integer(v))
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
	else if (json_is_boolean(v))
		s = json_is_true(v) ? "true" : "false";
	else
		s = "";
	rc = buf_append(b, "\"", 1);
	if (rc == CSIRT_OK && strchr("=+-@", s[0]) != NULL && s[0] != '\0' && !json_is_integer(v))
		rc = buf_append(b, "'", 1);
	for (const char *p = s; rc == CSIRT_OK && *p; p++)
		rc = buf_append(b, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1);
	if (rc == CSIRT_OK)
		rc = buf_append(b, last ? "\"\r\n" : "\",", last ? 3 : 2);
	return rc;
}

enum csirt_rc
obligations_csv(struct store *st, const struct actor *who,
    const struct obligations_filter *f, char **csv, size_t *len, struct csirt_err *err)
{
	static const char *const cols[] = { "regime", "scope", "org_id", "org_name", "system_id",
		"system_name", "kind", "label", "status", "due_on", "rests_on", "rests_on_date",
		"rule_id", "source", "confidence", "reason" };
	json_t *list = NULL, *it, *v;
	struct buf b;
	size_t i;
	enum csirt_rc rc;

	rc = obligations_list(st, who, f, &list, err);
	if (rc != CSIRT_OK)
		return rc;
	buf_init(&b, CSV_MAX);
	for (size_t c = 0; rc == CSIRT_OK && c < ARRAY_SIZE(cols); c++) {
		v = json_string(cols[c]);
		rc = csv_cell(&b, v, c + 1 == ARRAY_SIZE(cols));
		json_decref(v);
	}
	json_array_foreach(json_object_get(list, "items"), i, it) {
		for (size_t c = 0; rc == CSIRT_OK && c < ARRAY_SIZE(cols); c++)
			rc = csv_cell(&b, c == 0 ? json_object_get(list, "regime") :
			    json_object_get(it, cols[c]), c + 1 == ARRAY_SIZE(cols));
		if (rc != CSIRT_OK)
			break;
	}
	json_decref(list);
	if (rc != CSIRT_OK) {
		buf_release(&b);
		return rc == CSIRT_ETOOBIG ? csirt_err_set(err, rc, NULL,
		    "the export is too large; filter by organisation") : rc;
	}
	*len = b.len;
	*csv = buf_detach(&b);
	return *csv ? CSIRT_OK : CSIRT_ENOMEM;
}

static enum csirt_rc
org_load(struct store *st, const struct actor *who, int64_t org_id, json_t **org)
{
	enum csirt_rc rc = store_get(st, &entity_org, org_id, org);

	if (rc == CSIRT_OK && !org_visible(st, who, 0, org_id)) {
		json_decref(*org);
		*org = NULL;
		rc = CSIRT_ENOTFOUND;
	}
	return rc;
}

enum csirt_rc
obligations_org_activity_add(struct store *st, const struct actor *who, int64_t org_id,
    json_t *in, int64_t *id, struct csirt_err *err)
{
	json_t *rec = NULL, *org = NULL;
	enum csirt_rc rc = schema_validate(&entity_org_activity, in, 1, &rec, err);

	if (rc != CSIRT_OK)
		return rc;
	if (json_integer_value(json_object_get(rec, "performed_at")) > time_now() + 300) {
		json_decref(rec);
		return csirt_err_set(err, CSIRT_EINVAL, "performed_at",
		    "a report cannot be dated in the future");
	}
	rc = store_begin(st);
	if (rc != CSIRT_OK)
		goto out;
	rc = org_load(st, who, org_id, &org);
	json_object_set_new(rec, "org_id", json_integer(org_id));
	if (who->user_id)
		json_object_set_new(rec, "recorded_by", json_integer(who->user_id));
	if (rc == CSIRT_OK)
		rc = store_insert(st, &entity_org_activity, rec, id);
	if (rc == CSIRT_OK) {
		svc_audit(st, who, "record_report", "org", org_id, NULL, rec);
		rc = store_commit(st);
	} else {
		store_rollback(st);
	}
out:
	json_decref(org);
	json_decref(rec);
	return rc;
}

enum csirt_rc
obligations_org_activity_list(struct store *st, const struct actor *who, int64_t org_id,
    json_t **out)
{
	json_t *org = NULL, *rows = NULL, *r;
	enum csirt_rc rc = org_load(st, who, org_id, &org);
	size_t i;

	json_decref(org);
	if (rc != CSIRT_OK)
		return rc;
	rc = store_query_json(st, "SELECT a.id, a.org_id, a.kind, a.performed_at, a.summary,"
	    " a.created_at, u.username AS recorded_by FROM org_activities a LEFT JOIN users u"
	    " ON u.id = a.recorded_by WHERE a.org_id = ?1 ORDER BY a.performed_at DESC, a.id DESC",
	    json_pack("[I]", (json_int_t)org_id), &rows);
	if (rc != CSIRT_OK)
		return rc;
	json_array_foreach(rows, i, r)
		schema_render(&entity_org_activity, r);
	*out = rows;
	return CSIRT_OK;
}
