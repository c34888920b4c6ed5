/*
 * system_records.c - what the services of a system's own records (response
 * plans, drills, suppliers) share: the tenant check through the system,
 * loading a record with it, recording the activity that moves an
 * obligation, and reading a day field.
 */
#include "csirt/common.h"
#include "csirt/calendar.h"
#include "csirt/entities.h"
#include "csirt/obligations.h"
#include "csirt/registry.h"
#include "services/services_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum csirt_rc
svc_system_visible(struct store *st, const struct actor *who, int64_t system_id)
{
	json_t *sys = NULL;
	enum csirt_rc rc = registry_get(st, who, &entity_system, system_id, &sys);

	json_decref(sys);
	return rc;
}

enum csirt_rc
svc_system_record_load(struct store *st, const struct actor *who, const struct entity_def *def,
    int64_t id, json_t **out)
{
	json_t *rec = NULL;
	enum csirt_rc rc = store_get(st, def, id, &rec);

	if (rc == CSIRT_OK)
		rc = svc_system_visible(st, who, json_integer_value(json_object_get(rec,
		    "system_id")));
	if (rc != CSIRT_OK) {
		json_decref(rec);
		return rc;
	}
	schema_render(def, rec);
	*out = rec;
	return CSIRT_OK;
}

enum csirt_rc
svc_activity_record(struct store *st, const struct actor *who, int64_t system_id,
    const char *kind, int64_t day, const char *summary, json_t *result)
{
	char *res = result ? json_dumps(result, JSON_COMPACT) : NULL;
	enum csirt_rc rc;

	if (result && res == NULL)
		return CSIRT_ENOMEM;
	rc = store_exec(st, "INSERT INTO activities (system_id, kind, performed_at, summary, result,"
	    " recorded_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	    json_pack("[I,s,I,s,s,o,I]", (json_int_t)system_id, kind,
	    (json_int_t)calendar_day_start(day), summary, res ? res : "{}",
	    who->user_id ? json_integer(who->user_id) : json_null(), (json_int_t)time_now()),
	    NULL, NULL);
	free(res);
	return rc;
}

enum csirt_rc
svc_day_field(json_t *in, const char *key, int required, int past_only, int64_t *day,
    struct csirt_err *err)
{
	json_t *v = json_object_get(in, key);
	int64_t d = -1;

	if (day)
		*day = -1;
	if ((v == NULL || (json_is_string(v) && json_string_length(v) == 0)) && !required)
		return CSIRT_OK;
	if (!json_is_string(v) || obligations_parse_day(json_string_value(v), &d) != CSIRT_OK)
		return csirt_err_set(err, CSIRT_EINVAL, key, "'%s' must be a day as YYYY-MM-DD", key);
	if (past_only && d > calendar_day_of(time_now()))
		return csirt_err_set(err, CSIRT_EINVAL, key, "'%s' cannot be in the future", key);
	if (day)
		*day = d;
	return CSIRT_OK;
}

int
svc_text_ok(json_t *v, size_t max)
{
	return json_is_string(v) && json_string_length(v) <= max &&
	    utf8_valid(json_string_value(v), json_string_length(v));
}

json_t *
svc_items(json_t *rows)
{
	return json_pack("{s:o,s:I}", "items", rows, "total", (json_int_t)json_array_size(rows));
}

enum csirt_rc
svc_system_record_insert(struct store *st, const struct actor *who, const struct entity_def *def,
    int64_t system_id, json_t *rec, svc_check_fn check, int64_t *id, struct csirt_err *err)
{
	enum csirt_rc rc = store_begin(st);

	if (rc != CSIRT_OK)
		return rc;
	rc = svc_system_visible(st, who, system_id);
	json_object_set_new(rec, "system_id", json_integer(system_id));
	if (rc == CSIRT_OK && check)
		rc = check(st, who, system_id, NULL, rec, err);
	return svc_create_finish(st, who, def, rec, id, rc);
}

enum csirt_rc
svc_system_record_list(struct store *st, const struct actor *who, const struct entity_def *def,
    int64_t system_id, const char *sort, json_t **out)
{
	struct store_query q;
	json_t *items = NULL;
	int64_t total = 0;
	enum csirt_rc rc = svc_system_visible(st, who, system_id);

	if (rc != CSIRT_OK)
		return rc;
	memset(&q, 0, sizeof(q));
	q.filters[0] = (struct store_filter){ "system_id", SQ_EQ, 0, system_id, NULL };
	q.n_filters = 1;
	q.sort = sort;
	q.desc = 1;
	q.limit = 1000;
	rc = store_list(st, def, &q, &items, &total);
	if (rc != CSIRT_OK)
		return rc;
	for (size_t i = 0; i < json_array_size(items); i++)
		schema_render(def, json_array_get(items, i));
	*out = svc_items(items);
	return *out ? CSIRT_OK : CSIRT_ENOMEM;
}

enum csirt_rc
svc_record_update(struct store *st, const struct actor *who, const struct entity_def *def,
    int64_t id, json_t *rec, svc_load_fn load, svc_check_fn check, const char *action,
    struct csirt_err *err)
{
	json_t *before = NULL, *after = NULL;
	enum csirt_rc rc = store_begin(st);

	if (rc != CSIRT_OK)
		return rc;
	rc = load(st, who, id, &before);
	if (rc == CSIRT_OK && check)
		rc = check(st, who, 0, before, rec, err);
	if (rc == CSIRT_OK)
		rc = store_update(st, def, id, rec);
	if (rc == CSIRT_OK)
		rc = load(st, who, id, &after);
	if (rc == CSIRT_OK) {
		svc_audit(st, who, action, def->name, id, before, after);
		rc = store_commit(st);
	} else {
		store_rollback(st);
	}
	json_decref(before);
	json_decref(after);
	return rc;
}

enum csirt_rc
svc_record_delete(struct store *st, const struct actor *who, const struct entity_def *def,
    int64_t id, svc_load_fn load)
{
	json_t *before = NULL;
	char sql[128];
	enum csirt_rc rc = store_begin(st);

	if (rc != CSIRT_OK)
		return rc;
	/* the table name comes from the definition, never from input */
	snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE id = ?1", def->table);
	rc = load(st, who, id, &before);
	if (rc == CSIRT_OK)
		rc = store_exec(st, sql, json_pack("[I]", (json_int_t)id), NULL, NULL);
	if (rc == CSIRT_OK) {
		/* the audit keeps the whole record: deleting loses nothing */
		svc_audit(st, who, "delete", def->name, id, before, NULL);
		rc = store_commit(st);
	} else {
		store_rollback(st);
	}
	json_decref(before);
	return rc;
}
