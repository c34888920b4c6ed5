/*
 * hunts.h - threat hunts started from the web interface on an uploaded
 * log (săn lùng mối nguy hại, Directive 18/CT-TTg item 2).
 *
 * The server loads the Sigma rules and IOC lists once, at start
 * (hunts_service_start), and shares them read-only. A hunt is created by a
 * request (the log goes to the file store, the row is "queued", the start
 * is audited) and run by one background worker thread with its own store
 * connection, never on a request thread. While it runs, the worker writes
 * progress to the row a few times a second; when it is done each distinct
 * hit becomes an alert through alert_create() (the dedup key of
 * hunt_alert_json(), so a CLI hunt and a web hunt of the same log
 * de-duplicate) linked to the system, and the hunt is recorded as the
 * system's "threat_hunt" activity. A hunt that cannot read its log fails
 * with the reason and records nothing else. A hunt cut short by a stop or
 * a crash is marked failed ("interrupted") at the next start.
 */
#ifndef CSIRT_HUNTS_H
#define CSIRT_HUNTS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "csirt/actor.h"
#include "csirt/err.h"
#include "csirt/store.h"

/* The first hits of a hunt kept for GET /api/hunts/{id}/hits. */
#define HUNT_MAX_STORED_HITS 1000
/* Distinct alerts one hunt may raise; the rest are counted, not raised. */
#define HUNT_MAX_ALERTS 5000
/* Hunts waiting for the worker; more answer "busy" (429). */
#define HUNT_MAX_QUEUED 64

/*
 * Loads the rules (Sigma files or folders) and IOC lists, marks the hunts
 * a previous run left queued or running as failed ("interrupted") and
 * starts the worker. With no rules and no IOC lists nothing is loaded and
 * hunts_create() answers CSIRT_ECONFLICT. 'log_counts' may be NULL; else
 * it receives one line for the operator ("N Sigma rules loaded, ...").
 * Fails when a path cannot be read (err says which).
 */
enum csirt_rc hunts_service_start(const char *data_dir, const char *const *rule_paths,
    size_t nrules, const char *const *ioc_paths, size_t niocs, char *log_counts,
    size_t log_counts_size, struct csirt_err *err);

/* Stops the worker (a running hunt is marked failed: "interrupted") and
 * frees the rules. Safe to call when never started. */
void hunts_service_stop(void);

/*
 * Starts a hunt of system 'system_id' on the uploaded file 'tmp_path'
 * (SHA-256 'sha256', 'size' bytes): the system must be in the actor's
 * scope (else CSIRT_ENOTFOUND), rules must be configured (else
 * CSIRT_ECONFLICT). Moves the file into the file store, writes the row
 * and its audit record in one transaction, then queues the hunt.
 * *id receives the hunt's id.
 */
enum csirt_rc hunts_create(struct store *st, const struct actor *who, int64_t system_id,
    const char *data_dir, const char *tmp_path, const char *sha256, int64_t size,
    const char *filename, int64_t *id, struct csirt_err *err);

/* One hunt as the API shows it (new reference in *out); another
 * tenant's hunt is CSIRT_ENOTFOUND. */
enum csirt_rc hunts_get(struct store *st, const struct actor *who, int64_t id, json_t **out);

/* Hunts the actor may see, newest first; system_id 0 = every system. */
enum csirt_rc hunts_list(struct store *st, const struct actor *who, int64_t system_id,
    int64_t page, int64_t per_page, json_t **out);

/* The stored hits of a hunt (at most HUNT_MAX_STORED_HITS) with the
 * alert each became. */
enum csirt_rc hunts_hits(struct store *st, const struct actor *who, int64_t id, json_t **out);

#endif
