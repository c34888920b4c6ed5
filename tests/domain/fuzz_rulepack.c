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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rulepack *pack = NULL;
	struct calendar *cal = NULL;
	struct taxonomy *tax = NULL;
	struct csirt_err err;

	if (rulepack_parse((const char *)data, size, "fuzz.json", &pack, &err) == CSIRT_OK) {
		/* A pack that parses must also compute without surprises. */
		struct deadline_facts f = { .detected_at = 1787202000,
		    .response_ended_at = 1787302000, .received_at = 1787202100,
		    .contact_changed_at = 1787202200, .beyond_capacity = true,
		    .severity = SEVERITY_SERIOUS, .national_security_signs = true,
		    .personal_data = true, .complex = true };
		struct deadline dl[RULEPACK_MAX_RULES];
		size_t n;

		deadline_compute(pack, NULL, &f, dl, RULEPACK_MAX_RULES, &n, &err);
		rulepack_free(pack);
	}
	if (calendar_parse((const char *)data, size, "fuzz.json", &cal, &err) == CSIRT_OK)
		calendar_free(cal);
	if (taxonomy_parse((const char *)data, size, "fuzz.json", &tax, &err) == CSIRT_OK)
		taxonomy_free(tax);
	return 0;
}
