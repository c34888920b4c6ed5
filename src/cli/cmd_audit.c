/*
 * cmd_audit.c - `csirt audit verify [--data DIR]`: walks the hash chain of
 * the audit log; exit 0 when intact, 1 with the first bad row otherwise.
 */
#include "csirt/common.h"
#include "csirt/store.h"
#include "cli/commands.h"

#include <stdio.h>
#include <string.h>

int
cmd_audit(int argc, char **argv)
{
	const char *dir = "./var";
	struct store *st = NULL;
	struct csirt_err err;
	int64_t rows = 0, bad = 0;
	char msg[256];
	enum csirt_rc rc;

	if (argc < 2 || strcmp(argv[1], "verify") != 0) {
		fprintf(stderr, "usage: csirt audit verify [--data DIR]\n");
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--data") == 0 && i + 1 < argc) {
			dir = argv[++i];
		} else {
			fprintf(stderr, "usage: csirt audit verify [--data DIR]\n");
			return 2;
		}
	}
	csirt_err_clear(&err);
	if (store_open(dir, &st, &err) != CSIRT_OK) {
		fprintf(stderr, "csirt audit: %s\n", err.msg);
		return 1;
	}
	rc = store_audit_verify(st, &rows, &bad, msg, sizeof(msg));
	store_close(st);
	if (rc == CSIRT_OK) {
		printf("audit log intact: %s\n", msg);
		return 0;
	}
	if (rc == CSIRT_ECONFLICT) {
		printf("AUDIT LOG TAMPERED: %s\n", msg);
		return 1;
	}
	fprintf(stderr, "csirt audit: cannot read the audit log\n");
	return 1;
}
