/*
 * services_int.h - helpers shared by the service files. Not for callers
 * outside src/services/.
 */
#ifndef CSIRT_SERVICES_INT_H
#define CSIRT_SERVICES_INT_H

#include <jansson.h>
#include <stdint.h>

#include "csirt/actor.h"
#include "csirt/err.h"
#include "csirt/store.h"

/* Appends an audit record inside the caller's transaction. who == NULL
 * means the system. before/after are borrowed. */
void svc_audit(struct store *st, const struct actor *who, const char *action,
    const char *entity, int64_t id, json_t *before, json_t *after);

/* Ends a creation's transaction, begun by the caller: when 'rc' (the
 * caller's checks) is CSIRT_OK, inserts 'rec', audits it as a "create" of
 * def->name and commits; otherwise, or when that fails, rolls back.
 * Returns the outcome; *id receives the new row id. */
enum csirt_rc svc_create_finish(struct store *st, const struct actor *who,
    const struct entity_def *def, json_t *rec, int64_t *id, enum csirt_rc rc);

/* Loads an incident if 'who' may see it (NULL = no scope check). */
enum csirt_rc svc_incident_load(struct store *st, const struct actor *who, int64_t id,
    json_t **out);

enum csirt_rc svc_deadlines_refresh(struct store *st, int64_t id);
void svc_render_deadlines(json_t *rows);

/* Links an observable (created if new) to an incident and/or an alert. */
enum csirt_rc svc_observable_link(struct store *st, int64_t incident_id, int64_t alert_id,
    const char *type, const char *value, const char *note, int64_t *obs_id,
    struct csirt_err *err);

/* --- records of a system (plans, drills, suppliers; system_records.c) --- */

/* CSIRT_OK when the system exists and the actor may see it (owner's or
 * operator's subtree for a unit officer), else CSIRT_ENOTFOUND. */
enum csirt_rc svc_system_visible(struct store *st, const struct actor *who, int64_t system_id);

/* Loads a record of 'def' (which has "system_id") if its system is
 * visible; times rendered as ISO text. *out: new reference. */
enum csirt_rc svc_system_record_load(struct store *st, const struct actor *who,
    const struct entity_def *def, int64_t id, json_t **out);

/* Records an activity of a system (the obligations engine reads them)
 * inside the caller's transaction, on the civil day 'day' (Vietnam time).
 * result is borrowed (NULL = {}). */
enum csirt_rc svc_activity_record(struct store *st, const struct actor *who, int64_t system_id,
    const char *kind, int64_t day, const char *summary, json_t *result);

/* A "YYYY-MM-DD" text field of 'in' (borrowed): absent or "" is fine
 * unless required; not a real day, or after today when past_only, is
 * CSIRT_EINVAL naming the field. *day (if not NULL) gets the day or -1. */
enum csirt_rc svc_day_field(json_t *in, const char *key, int required, int past_only,
    int64_t *day, struct csirt_err *err);

/* True when v is a string of valid UTF-8 of at most max bytes. */
int svc_text_ok(json_t *v, size_t max);

/* Answers a list: {"items": rows, "total": n}; consumes rows. */
json_t *svc_items(json_t *rows);

/* How a service loads one of its records in the actor's scope (rendered),
 * and checks or completes a record before it is written (may be NULL). */
typedef enum csirt_rc (*svc_load_fn)(struct store *st, const struct actor *who, int64_t id,
    json_t **out);
typedef enum csirt_rc (*svc_check_fn)(struct store *st, const struct actor *who, int64_t owner,
    json_t *before, json_t *rec, struct csirt_err *err);

/* Inserts 'rec' (validated) as a record of the visible system 'system_id'
 * after check(st, who, system_id, NULL, rec, err); audited "create", in
 * one transaction. */
enum csirt_rc svc_system_record_insert(struct store *st, const struct actor *who,
    const struct entity_def *def, int64_t system_id, json_t *rec, svc_check_fn check,
    int64_t *id, struct csirt_err *err);

/* The records of 'def' of one visible system, sorted by 'sort' descending. */
enum csirt_rc svc_system_record_list(struct store *st, const struct actor *who,
    const struct entity_def *def, int64_t system_id, const char *sort, json_t **out);

/* Loads record 'id' with load(), runs check(st, who, 0, before, rec, err),
 * writes 'rec' and audits before and after as 'action', all in one
 * transaction. */
enum csirt_rc svc_record_update(struct store *st, const struct actor *who,
    const struct entity_def *def, int64_t id, json_t *rec, svc_load_fn load,
    svc_check_fn check, const char *action, struct csirt_err *err);

/* Deletes record 'id' if load() finds it in scope; the audit keeps it. */
enum csirt_rc svc_record_delete(struct store *st, const struct actor *who,
    const struct entity_def *def, int64_t id, svc_load_fn load);

#endif
