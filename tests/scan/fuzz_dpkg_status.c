/*
 * fuzz_dpkg_status.c - dpkg status file parser and the inventory JSON
 * reader on arbitrary bytes.
 */
#include <stddef.h>
#include <stdint.h>

#include "csirt/common.h"
#include "csirt/scan_inventory.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct package_list l = { 0 };
	json_t *doc;

	inventory_parse_dpkg_status((const char *)data, size, &l, NULL);
	package_list_release(&l);
	doc = json_loadb((const char *)data, size, 0, NULL);
	if (doc != NULL) {
		inventory_from_json(doc, &l, NULL);
		package_list_release(&l);
		json_decref(doc);
	}
	return 0;
}
