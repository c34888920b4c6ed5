/*
 * alerts.h - the intake queue of detection alerts (hunts, scans, other
 * tools through the API). Reports of the same thing are merged: the same
 * dedup key, or the same system with an observable in common, within
 * ALERT_MERGE_WINDOW. An alert is promoted to a new incident or attached
 * to an existing one. The same dedup key merges into an open alert at any
 * time; the same system with an observable in common merges within the
 * window, measured on the events' times.
 */
#ifndef CSIRT_ALERTS_H
#define CSIRT_ALERTS_H

#include <jansson.h>
#include <stdint.h>

#include "csirt/actor.h"
#include "csirt/err.h"
#include "csirt/store.h"

#define ALERT_MERGE_WINDOW (24 * 3600)

/* 'in' = entity_alert fields + "observables":[{"type","value"}] +
 * "event_time" (ISO). *merged_into is the id of an existing alert the new
 * report was folded into (then *id == *merged_into), else 0. */
enum csirt_rc alert_create(struct store *st, const struct actor *who, json_t *in, int64_t *id,
    int64_t *merged_into, struct csirt_err *err);
enum csirt_rc alert_get(struct store *st, const struct actor *who, int64_t id, json_t **out);
enum csirt_rc alert_list(struct store *st, const struct actor *who, const char *status,
    int64_t page, int64_t per_page, json_t **out);
/* Folds alert 'id' into 'into'. */
enum csirt_rc alert_merge(struct store *st, const struct actor *who, int64_t id, int64_t into,
    struct csirt_err *err);
/* Promotes to a new incident (incident_id == 0) or attaches to one.
 * *result_incident receives the incident id. */
enum csirt_rc alert_promote(struct store *st, const struct actor *who, int64_t id,
    int64_t incident_id, int64_t *result_incident, struct csirt_err *err);
enum csirt_rc alert_dismiss(struct store *st, const struct actor *who, int64_t id,
    const char *reason, struct csirt_err *err);

#endif
