/*
 * findings.h - vulnerability findings of information systems over time.
 * A scan result (from `csirt scan --post`, or the server's own scans) is
 * recorded as the system's vuln_scan activity and folded into the findings:
 * new ones open, those seen again stay open (last_seen moves), open ones
 * absent from this scan become fixed, fixed ones seen again reopen.
 * Accepted risk and false positive are decisions that scans do not undo.
 */
#ifndef CSIRT_FINDINGS_H
#define CSIRT_FINDINGS_H

#include <jansson.h>
#include <stdint.h>

#include "csirt/actor.h"
#include "csirt/err.h"
#include "csirt/store.h"

struct findings_tally {
	int64_t new_count, still_open, fixed, reopened;
};

/* 'scan' = {"performed_at", "summary", "services":[...], "findings":[...]}
 * with findings as `csirt scan --format jsonl` writes them. */
enum csirt_rc findings_record_scan(struct store *st, const struct actor *who, int64_t system_id,
    json_t *scan, int64_t *activity_id, struct findings_tally *tally, struct csirt_err *err);
/* system_id or org_id (its subtree) or neither; status "" = any. */
enum csirt_rc findings_list(struct store *st, const struct actor *who, int64_t system_id,
    int64_t org_id, const char *status, json_t **out);
/* status: accepted_risk, false_positive (reason required) or open. */
enum csirt_rc findings_decide(struct store *st, const struct actor *who, int64_t id,
    const char *status, const char *reason, struct csirt_err *err);

#endif
