/*
 * intake.h - filing what arrives by e-mail. A message whose subject starts
 * with "[TBSC]" (the prefix Form 03 asks reporters to use) is a formal
 * incident notification and becomes an incident; any other message becomes
 * an alert for the duty desk to triage. Attachments are kept as evidence
 * of the incident (an alert keeps their names and hashes in its record).
 */
#ifndef CSIRT_INTAKE_H
#define CSIRT_INTAKE_H

#include <stdint.h>

#include "csirt/err.h"
#include "csirt/intake_email.h"
#include "csirt/store.h"

#define INTAKE_CODE_MAX 32

struct intake_result {
	int is_incident;	/* 1 incident, 0 alert */
	int64_t id;
	char tracking_code[INTAKE_CODE_MAX];	/* incidents only */
	int64_t merged_into;	/* alerts only: folded into an open alert */
	size_t evidence_count;
};

enum csirt_rc intake_email_file(struct store *st, const char *data_dir,
    const struct email_report *r, struct intake_result *out, struct csirt_err *err);

#endif
