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

/* Loads an incident if 'who' may see it (NULL = no scope check). */
enum csirt_rc svc_incident_load(struct store *st, const struct actor *who, int64_t id,
    json_t **out);

enum csirt_rc svc_deadlines_refresh(struct store *st, int64_t id);
void svc_render_deadlines(json_t *rows);

/* Links an observable (created if new) to an incident and/or an alert. */
enum csirt_rc svc_observable_link(struct store *st, int64_t incident_id, int64_t alert_id,
    const char *type, const char *value, const char *note, int64_t *obs_id,
    struct csirt_err *err);

#endif
