/*
 * warnings.h - warnings (cảnh báo): issued by the Department (CVE ids,
 * affected products, IOCs, required action, deadline) or imported from
 * CISA's Known Exploited Vulnerabilities catalogue, matched on issue to
 * every system whose recorded components are affected (warning_match.h)
 * or whose open scan findings carry one of its CVE ids, one target per
 * system; its matched_by says which ("component" or "finding"). Each target's organisation acknowledges it, then
 * closes it as fixed, not_affected or accepted_risk with a note and
 * evidence; a target still open after the deadline is overdue. A unit
 * officer sees only the targets of its subtree's systems.
 */
#ifndef CSIRT_WARNINGS_H
#define CSIRT_WARNINGS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "csirt/actor.h"
#include "csirt/err.h"
#include "csirt/store.h"

#define WARNINGS_KEV_MAX_BYTES (16 * 1024 * 1024)

/*
 * in: {"title","cves":[..],"products":[{"cpe"|"name",["version_min"],
 * ["version_max"]}],"iocs":[..],"description","required_action",
 * "due_on":"YYYY-MM-DD"} (borrowed). *id: the warning; *targets: how many
 * systems it matched.
 */
enum csirt_rc warning_issue(struct store *st, const struct actor *who, json_t *in,
    int64_t *id, int64_t *targets, struct csirt_err *err);

/* Newest first; only_matched: leave out warnings that hit no visible
 * system (always so for unit officers). *out: {"items","page","per_page"}. */
enum csirt_rc warning_list(struct store *st, const struct actor *who, int only_matched,
    int64_t page, int64_t per_page, json_t **out);

/* The warning with its visible targets; ENOTFOUND if none is visible to a
 * unit officer. New reference. */
enum csirt_rc warning_get(struct store *st, const struct actor *who, int64_t id, json_t **out);

/* in: {"state","note","evidence"}; states: acknowledged, fixed,
 * not_affected, accepted_risk (a note is required for the last three),
 * open (staff only: reopen). ECONFLICT for a step not allowed. */
enum csirt_rc warning_target_update(struct store *st, const struct actor *who, int64_t id,
    json_t *in, struct csirt_err *err);

/* After a scan of 'system_id' (inside the caller's transaction): a target
 * (matched_by "finding") for every warning not yet addressed to the system
 * whose CVE ids one of its open findings carries, and a notification to
 * the system's organisations. *targets: how many were added. */
enum csirt_rc warnings_match_scan(struct store *st, int64_t system_id, int64_t *targets);
/* Imports a KEV catalogue (pointer, length; at most WARNINGS_KEV_MAX_BYTES)
 * as warnings (source "cisa-kev", one per CVE; an already imported CVE is
 * skipped), in one transaction: all or nothing. */
enum csirt_rc warnings_import_kev(struct store *st, const struct actor *who, const char *data,
    size_t len, int64_t *imported, int64_t *skipped, int64_t *targets, struct csirt_err *err);

#endif
