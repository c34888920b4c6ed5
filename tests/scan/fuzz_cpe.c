/*
 * fuzz_cpe.c - CPE parsing (formatted string and URI), binding, alias
 * canonicalisation and attribute relations on arbitrary bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "csirt/common.h"
#include "csirt/scan_cpe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cpe c, again;
	char out[2048];

	if (cpe_parse((const char *)data, size, &c, NULL) != CSIRT_OK)
		return 0;
	cpe_format(&c, out, sizeof(out));
	/* What we write we must read back as the same name. */
	if (cpe_parse(out, strlen(out), &again, NULL) != CSIRT_OK ||
	    memcmp(&c, &again, sizeof(c)) != 0)
		__builtin_trap();
	(void)cpe_match(&c, &again, false);
	cpe_canonical(&c);
	return 0;
}
