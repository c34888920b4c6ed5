/*
 * Fuzz target: the bodies of issue 6 that the schema's types do not
 * describe: a response plan with its scenarios (a list of objects) and a
 * drill's findings. Validation must never crash, and what it accepts must
 * be within the documented limits, every scenario with its six keys.
 */
#include "csirt/common.h"
#include "csirt/plans.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_plan(json_t *in, int creating)
{
	static const char *const keys[] = { "taxonomy_code", "title", "priority_steps",
		"keep_running_conditions", "resources", "estimated_budget" };
	struct csirt_err err;
	json_t *rec = NULL, *scen, *s;
	size_t i;

	if (plan_validate(in, creating, &rec, &err) != CSIRT_OK)
		return;
	scen = json_object_get(rec, "scenarios");
	if (creating && !json_is_array(scen))
		__builtin_trap();
	if (scen && json_array_size(scen) > PLAN_MAX_SCENARIOS)
		__builtin_trap();
	json_array_foreach(scen, i, s) {
		if (json_object_size(s) != ARRAY_SIZE(keys))
			__builtin_trap();
		for (size_t k = 0; k < ARRAY_SIZE(keys); k++)
			if (json_object_get(s, keys[k]) == NULL)
				__builtin_trap();
		if (json_array_size(json_object_get(s, "priority_steps")) > PLAN_MAX_STEPS)
			__builtin_trap();
	}
	json_decref(rec);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csirt_err err;
	json_t *in, *out = NULL;

	if (size > (1 << 20) || !utf8_valid((const char *)data, size))
		return 0;
	in = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	if (in == NULL)
		return 0;
	check_plan(in, 1);
	check_plan(in, 0);
	if (drill_findings_validate(json_is_object(in) ? json_object_get(in, "findings") : in, &out,
	    &err) == CSIRT_OK) {
		if (!json_is_array(out) || json_array_size(out) > 100)
			__builtin_trap();
		json_decref(out);
	}
	json_decref(in);
	return 0;
}
