/* Fuzz target: observable extraction and normalisation of every type. */
#include "csirt/common.h"

#include <string.h>

#include "csirt/observable.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct observable found[64];
	char out[OBSERVABLE_VALUE_MAX];
	size_t n = observable_extract((const char *)data, size, found, 64);

	/* what extraction returns is already normal: normalising again is a no-op */
	for (size_t i = 0; i < n; i++) {
		const char *v = found[i].value;

		if (observable_normalise(found[i].type, v, strlen(v), out, sizeof(out)) != CSIRT_OK ||
		    strcmp(out, v) != 0)
			__builtin_trap();
	}
	for (int t = 0; t < OBS_TYPE_COUNT; t++)
		(void)observable_normalise((enum observable_type)t, (const char *)data, size,
		    out, sizeof(out));
	return 0;
}
