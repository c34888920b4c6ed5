/*
 * Fuzz target for the rule-pack parser, and through the same strict JSON
 * reader the calendar and taxonomy parsers: a province edits these files
 * by hand, so any byte string must give a pack or a clear error.
 */
#include "csirt/common.h"

#include "csirt/calendar.h"
#include "csirt/deadline.h"
#include "csirt/rulepack.h"
#include "csirt/taxonomy.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every error message reaches users and JSON: it must be valid UTF-8. */
static void
check_msg(enum csirt_rc rc, const struct csirt_err *err)
{
	if (rc != CSIRT_OK && !utf8_valid(err->msg, strlen(err->msg)))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rulepack *pack = NULL;
	struct calendar *cal = NULL;
	struct taxonomy *tax = NULL;
	struct csirt_err err;
	enum csirt_rc rc;

	rc = rulepack_parse((const char *)data, size, "fuzz.json", &pack, &err);
	check_msg(rc, &err);
	if (rc == CSIRT_OK) {
		/* A pack that parses must also compute without surprises. */
		struct deadline_facts f = { .detected_at = 1787202000,
		    .response_ended_at = 1787302000, .received_at = 1787202100,
		    .contact_changed_at = 1787202200, .beyond_capacity = true,
		    .severity = SEVERITY_SERIOUS, .national_security_signs = true,
		    .personal_data = true, .complex = true };
		struct deadline dl[RULEPACK_MAX_RULES];
		size_t n;

		deadline_compute(pack, NULL, &f, dl, RULEPACK_MAX_RULES, &n, &err);
		for (size_t i = 0; i < n && i < RULEPACK_MAX_RULES; i++)
			if (!utf8_valid(dl[i].reason, strlen(dl[i].reason)))
				abort();
		rulepack_free(pack);
	}
	rc = calendar_parse((const char *)data, size, "fuzz.json", &cal, &err);
	check_msg(rc, &err);
	if (rc == CSIRT_OK)
		calendar_free(cal);
	rc = taxonomy_parse((const char *)data, size, "fuzz.json", &tax, &err);
	check_msg(rc, &err);
	if (rc == CSIRT_OK)
		taxonomy_free(tax);
	return 0;
}
