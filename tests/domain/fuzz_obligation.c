/*
 * Fuzz target for the obligation-set parser (data/obligations/, one file per regime,
 * which a province may edit by hand): any byte string gives a set or a
 * clear UTF-8 error, and a set that parses evaluates without surprises on
 * days around the year's turn and the dated reports.
 */
#include "csirt/common.h"

#include "csirt/obligation.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int64_t days[] = { 20454, 20453, 20625, 20818, 19000 };
	struct obligation_result out[OBLIGATION_MAX_RULES];
	struct obligation_set *set = NULL;
	struct obligation_facts f;
	struct csirt_err err;
	enum csirt_rc rc;

	rc = obligation_set_parse((const char *)data, size, "fuzz.json", &set, &err);
	if (rc != CSIRT_OK) {
		if (!utf8_valid(err.msg, strlen(err.msg)))
			abort();
		return 0;
	}
	obligation_facts_init(&f);
	for (int level = 0; level <= 5; level++) {
		f.level = level;
		f.owns_systems = level % 2;
		f.last[OA_VULN_SCAN] = f.last[OA_FORM05] = days[level % 5];
		for (size_t i = 0; i < ARRAY_SIZE(days); i++) {
			size_t n = obligation_evaluate(set, OBL_SCOPE_SYSTEM, &f, days[i], out,
			    OBLIGATION_MAX_RULES);

			n += obligation_evaluate(set, OBL_SCOPE_ORG, &f, days[i], out,
			    OBLIGATION_MAX_RULES);
			if (n > 2 * set->rule_count)
				abort();
		}
	}
	obligation_set_free(set);
	return 0;
}
