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
/* Which findings a list or an export returns; a zero, NULL or negative
 * field does not filter. */
struct findings_filter {
	int64_t system_id;	/* one system */
	int64_t org_id;		/* systems owned or operated in this organisation's subtree */
	const char *state;	/* open, fixed, accepted_risk, false_positive */
	const char *lane;	/* confirmed, potential */
	int kev;		/* 1 in CISA KEV, 0 not, -1 either */
	size_t max_rows;	/* 0: FINDINGS_LIST_MAX */
};

#define FINDINGS_LIST_MAX 5000
#define FINDINGS_EXPORT_MAX 100000

/* The findings in the caller's tenant scope that pass 'f', most urgent
 * first (KEV, then CVSS). *out is a new reference; *truncated is set when
 * more than max_rows matched (only max_rows are returned). ENOTFOUND for a
 * system or organisation outside the scope; EINVAL (with err) for an
 * unknown state or lane. */
enum csirt_rc findings_list(struct store *st, const struct actor *who,
    const struct findings_filter *f, json_t **out, int *truncated, struct csirt_err *err);
/* status: accepted_risk, false_positive (reason required) or open. */
enum csirt_rc findings_decide(struct store *st, const struct actor *who, int64_t id,
    const char *status, const char *reason, struct csirt_err *err);

#endif
