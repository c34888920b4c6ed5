/*
 * fuzz_banner.c - the banner parser: any bytes as the answer to any probe
 * of the built-in database. The first byte picks the probe.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "csirt/common.h"
#include "csirt/scan_fp.h"
#include "scan/fp_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fpdb *db;
	struct scan_service out;
	bool tls;

	if (db == NULL && fpdb_load_default(&db, NULL) != CSIRT_OK)
		__builtin_trap();
	if (size < 1)
		return 0;
	memset(&out, 0, sizeof(out));
	fpdb_match(db, db->probes[data[0] % db->nprobes].name, data + 1, size - 1, &out, &tls);
	/* Whatever matched must come out printable and terminated. */
	for (const char *p = out.version; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			__builtin_trap();
	if (memchr(out.cpe, '\0', sizeof(out.cpe)) == NULL)
		__builtin_trap();
	return 0;
}
