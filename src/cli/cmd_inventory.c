/*
 * cmd_inventory.c - `csirt inventory`: this host's installed dpkg (and rpm)
 * packages as one JSON document, to upload for confirmed vulnerability
 * matching.
 */
#include "csirt/common.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "csirt/scan_inventory.h"

int cmd_inventory(int argc, char **argv);

int
cmd_inventory(int argc, char **argv)
{
	const char *status_path = NULL;
	struct package_list l = { 0 };
	struct csirt_err err;
	json_t *doc = NULL;
	int rc = 1;

	csirt_err_clear(&err);
	for (int k = 1; k < argc; k++) {
		if (strcmp(argv[k], "--dpkg-status") == 0 && k + 1 < argc) {
			status_path = argv[++k];
		} else if (strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0) {
			printf("usage: csirt inventory [--dpkg-status FILE]\n"
			    "Prints this host's installed packages as JSON for upload.\n");
			return 0;
		} else {
			fprintf(stderr, "usage: csirt inventory [--dpkg-status FILE]\n");
			return 2;
		}
	}
	if (inventory_collect(status_path, &l, &err) != CSIRT_OK) {
		fprintf(stderr, "csirt inventory: %s\n", err.msg[0] ? err.msg : "out of memory");
		goto out;
	}
	doc = inventory_to_json(&l);
	if (doc == NULL || json_dumpf(doc, stdout, JSON_INDENT(1) | JSON_ENSURE_ASCII) != 0)
		goto out;
	putchar('\n');
	rc = fflush(stdout) == 0 ? 0 : 1;
out:
	json_decref(doc);
	package_list_release(&l);
	return rc;
}
