/*
 * Fuzz target: a request body as the API reads it (UTF-8 check, JSON with
 * duplicate keys refused), validated against every entity definition as a
 * create and as an update, then the search folding of its text. The
 * validation must never crash and must either refuse or return an object
 * with only known fields.
 */
#include "csirt/common.h"
#include "csirt/entities.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct entity_def *const defs[] = { &entity_org, &entity_user, &entity_system,
		&entity_team_member, &entity_incident, &entity_task, &entity_comment, &entity_alert };
	json_t *in, *out;
	struct buf folded;
	int64_t t;

	if (size > (1 << 20) || !utf8_valid((const char *)data, size))
		return 0;
	buf_init(&folded, 4 << 20);
	text_fold((const char *)data, size, &folded);
	buf_release(&folded);
	in = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	if (in == NULL)
		return 0;
	for (size_t i = 0; i < sizeof(defs) / sizeof(defs[0]); i++) {
		for (int creating = 0; creating <= 1; creating++) {
			struct csirt_err err;

			out = NULL;
			if (schema_validate(defs[i], in, creating, &out, &err) == CSIRT_OK) {
				const char *key;
				json_t *v;

				json_object_foreach(out, key, v)
					if (schema_field(defs[i], key) == NULL)
						__builtin_trap();	/* an unknown field got through */
				json_decref(out);
			}
		}
	}
	if (json_is_object(in)) {
		json_t *d = json_object_get(in, "detected_at");

		if (json_is_string(d))
			time_parse_iso(json_string_value(d), &t);
	}
	json_decref(in);
	return 0;
}
