/* Fuzz target: Form 03 fields from text, and the detection-time parser. */
#include "csirt/common.h"

#include <string.h>

#include "csirt/form03_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct form03_fields f;
	int64_t t;

	form03_fields_init(&f);
	if (form03_extract((const char *)data, size, &f) == CSIRT_OK &&
	    f.description != NULL && !utf8_valid(f.description, strlen(f.description)))
		__builtin_trap();	/* fields are valid UTF-8 */
	form03_fields_free(&f);
	(void)form03_parse_time((const char *)data, size, &t);
	return 0;
}
