/*
 * fuzz_probedb.c - the probe database loader on arbitrary JSON: a broken
 * or hostile data file must give an error, never a crash or a leak.
 */
#include <stddef.h>
#include <stdint.h>

#include "csirt/common.h"
#include "csirt/scan_fp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fpdb *db = NULL;

	if (fpdb_load((const char *)data, size, &db, NULL) == CSIRT_OK)
		fpdb_free(db);
	return 0;
}
