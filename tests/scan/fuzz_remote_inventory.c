/*
 * fuzz_remote_inventory.c - what a remote host sends for a credentialed
 * inventory, besides its dpkg status file (fuzz_dpkg_status): `rpm -qa`
 * lines and an os-release file, on arbitrary bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "csirt/common.h"
#include "csirt/scan_inventory.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct package_list l = { 0 };
	struct inventory_host h;

	inventory_parse_rpm_qa((const char *)data, size, &l, NULL);
	for (size_t k = 0; k < l.n; k++)
		if (strlen(l.v[k].name) == 0 || strcmp(l.v[k].type, "rpm") != 0)
			__builtin_trap();	/* a package without a name must never be listed */
	package_list_release(&l);
	inventory_parse_os_release((const char *)data, size, &h);
	if (strlen(h.os_id) >= sizeof(h.os_id) || strlen(h.os_version_id) >= sizeof(h.os_version_id))
		__builtin_trap();
	return 0;
}
