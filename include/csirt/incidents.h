/*
 * incidents.h - the use cases of an incident: file it (from any intake
 * channel), read and list it within the actor's scope, change its fields,
 * classify it, move it along the procedure of Circular 20/2017 Art 11,
 * and everything below it (tasks, comments, observables, evidence).
 *
 * Every function that changes data runs in one transaction together with
 * its audit record: both or neither. An incident outside the actor's
 * scope answers CSIRT_ENOTFOUND, exactly as one that does not exist.
 */
#ifndef CSIRT_INCIDENTS_H
#define CSIRT_INCIDENTS_H

#include <jansson.h>
#include <stdint.h>

#include "csirt/actor.h"
#include "csirt/err.h"
#include "csirt/store.h"

#define TRACKING_CODE_MAX 32

/*
 * Files an incident. 'in' is the API object (validated here against
 * entity_incident) and may also carry "systems": [ids] and
 * "observables": [{"type","value"}]. 'source' is api, public, email or
 * alert. On success *id and 'code' (the tracking code) are set.
 */
enum csirt_rc incident_create(struct store *st, const struct actor *who, json_t *in,
    const char *source, int64_t *id, char code[TRACKING_CODE_MAX], struct csirt_err *err);

/* The full record with systems, deadlines, allowed next steps, counts.
 * *out is a new reference. */
enum csirt_rc incident_get(struct store *st, const struct actor *who, int64_t id,
    json_t **out);
enum csirt_rc incident_update(struct store *st, const struct actor *who, int64_t id,
    json_t *in, struct csirt_err *err);

struct incident_filter {
	const char *step, *status, *severity, *taxonomy_code, *q;
	int64_t org_id, system_id, from, to;	/* 0 = any */
	const char *sort;
	int desc;
	int64_t page, per_page;
};
/* Appends the page as a JSON object {"items":[...],"total","page","per_page",
 * "total_is_lower_bound"} to 'out'. */
enum csirt_rc incident_list(struct store *st, const struct actor *who,
    const struct incident_filter *f, struct buf *out, struct csirt_err *err);

/* Moves to 'to' (a step code); 'reason' is required. 'system_stable'
 * (-1 unknown) is the result of step 3c. */
enum csirt_rc incident_transition(struct store *st, const struct actor *who, int64_t id,
    const char *to, const char *reason, int system_stable, struct csirt_err *err);

/* Sets the taxonomy code and runs the serious-incident test of the rule
 * pack; 'in' = {"taxonomy_code", "impacts":[...], "owner_cannot_handle"}. */
enum csirt_rc incident_classify(struct store *st, const struct actor *who, int64_t id,
    json_t *in, struct csirt_err *err);

/* Marks a deadline as met (a report was sent). */
enum csirt_rc incident_deadline_met(struct store *st, const struct actor *who, int64_t id,
    const char *rule_id, const char *note, struct csirt_err *err);

/* Checks scope only: CSIRT_OK when 'who' may see incident 'id'. */
enum csirt_rc incident_visible(struct store *st, const struct actor *who, int64_t id);

/* Public status of a tracking code: only code, step, status, dates. */
enum csirt_rc incident_public_status(struct store *st, const char *code, json_t **out);

/* Children of an incident. Each checks the incident's scope first. */
enum csirt_rc incident_add_task(struct store *st, const struct actor *who, int64_t id,
    json_t *in, int64_t *task_id, struct csirt_err *err);
enum csirt_rc incident_update_task(struct store *st, const struct actor *who, int64_t task_id,
    json_t *in, struct csirt_err *err);
enum csirt_rc incident_add_comment(struct store *st, const struct actor *who, int64_t id,
    json_t *in, int64_t *comment_id, struct csirt_err *err);
enum csirt_rc incident_add_observable(struct store *st, const struct actor *who, int64_t id,
    const char *type, const char *value, const char *note, int64_t *obs_id,
    struct csirt_err *err);
/* kind: "tasks", "comments", "observables", "evidence", "transitions", "timeline" */
enum csirt_rc incident_children(struct store *st, const struct actor *who, int64_t id,
    const char *kind, json_t **out);

/* Evidence: 'tmp_path' is a file already written and hashed (sha256 hex);
 * it is moved to evidence/<sha256> (content-addressed; an identical file is
 * stored once). */
enum csirt_rc incident_add_evidence(struct store *st, const struct actor *who, int64_t id,
    const char *data_dir, const char *tmp_path, const char *sha256, int64_t size,
    const char *filename, const char *content_type, const char *description,
    int64_t *evidence_id, struct csirt_err *err);
/* Opens an evidence file for download and records it in the custody log. */
enum csirt_rc incident_open_evidence(struct store *st, const struct actor *who,
    int64_t evidence_id, const char *data_dir, int *fd, json_t **meta);

/* The folded search text of an incident (also used by the API tests). */
enum csirt_rc incident_reindex(struct store *st, int64_t id);

#endif
