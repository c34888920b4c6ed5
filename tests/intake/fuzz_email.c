/* Fuzz target: email_parse and the JSON of what it returns. */
#include "csirt/common.h"

#include "csirt/intake_email.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct email_limits lim;
	struct email_report r;
	struct csirt_err err;

	email_limits_default(&lim);
	lim.max_message = 1 << 20;
	if (email_parse((const char *)data, size, &lim, &r, &err) == CSIRT_OK) {
		json_t *j = email_report_to_json(&r);

		/* every string the parser returns must be valid JSON text */
		if (j == NULL)
			__builtin_trap();
		json_decref(j);
		email_report_free(&r);
	}
	return 0;
}
