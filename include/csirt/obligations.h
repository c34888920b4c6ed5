/*
 * obligations.h - the obligations service: reads the register (systems,
 * organisations) and what was recorded (activities per system, reports
 * per organisation), runs the obligations engine (obligation.h) for the
 * regime of the day asked, and answers lists, a summary for the
 * compliance dashboard and a CSV export. Unit officers see only their
 * organisation's subtree; everything else is read-only here except the
 * recording of an organisation's reports (org_activities, migration 0010).
 */
#ifndef CSIRT_OBLIGATIONS_H
#define CSIRT_OBLIGATIONS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "csirt/actor.h"
#include "csirt/err.h"
#include "csirt/store.h"

struct obligations_filter {
	int64_t org_id;		/* 0 = all; else this organisation's subtree */
	int64_t system_id;	/* 0 = all; else only this system (no org rows) */
	const char *status;	/* NULL or a status name ("overdue"...) */
	const char *kind;	/* NULL or an obligation kind ("vuln_scan"...) */
	const char *lang;	/* "vi" or "en" (default) */
	int64_t day;		/* calendar day to evaluate on (today if 0) */
};

/*
 * Checks the filter's names (an unknown status is CSIRT_EINVAL with a
 * message). *out: {"regime","date","items":[...]} where each item is the
 * engine's result plus "scope" ("system"|"org"), "system_id",
 * "system_name", "org_id", "org_name". New reference; caller frees.
 * CSIRT_ENOTFOUND when system_id is out of the actor's scope.
 */
enum csirt_rc obligations_list(struct store *st, const struct actor *who,
    const struct obligations_filter *f, json_t **out, struct csirt_err *err);

/*
 * Counts by organisation and status for the dashboard chart: a system's
 * obligations count under its owner. *out: {"regime","date","statuses":
 * [...],"orgs":[{"org_id","org_name","counts":{"done":n,...},"total"}]}.
 */
enum csirt_rc obligations_summary(struct store *st, const struct actor *who,
    const struct obligations_filter *f, json_t **out, struct csirt_err *err);

/* The list as CSV (RFC 4180, UTF-8, a header row; cells that a spreadsheet
 * would run as a formula are prefixed with '). *csv is malloc'd; caller frees. */
enum csirt_rc obligations_csv(struct store *st, const struct actor *who,
    const struct obligations_filter *f, char **csv, size_t *len, struct csirt_err *err);

/* Records an organisation's report (kind form01, form05, annual_report,
 * annual_report_mps), audited; *id is the new row. */
enum csirt_rc obligations_org_activity_add(struct store *st, const struct actor *who,
    int64_t org_id, json_t *in, int64_t *id, struct csirt_err *err);
/* Newest first. New reference. */
enum csirt_rc obligations_org_activity_list(struct store *st, const struct actor *who,
    int64_t org_id, json_t **out);

/* "YYYY-MM-DD" -> calendar day; CSIRT_EINVAL when not a real date. */
enum csirt_rc obligations_parse_day(const char *s, int64_t *day);

#endif
