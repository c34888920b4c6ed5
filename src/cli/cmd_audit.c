/*
 * cmd_audit.c - the audit log from the command line.
 *
 *   csirt audit verify [--data DIR] [--anchor ID:HASH]...
 *       walks the hash chain, then checks the anchors (DIR/audit-anchors.txt
 *       and those given): exit 0 when intact, 1 with the first failure.
 *   csirt audit head [--data DIR]
 *       prints the newest row as an anchor, "ID HASH", to keep elsewhere.
 */
#include "csirt/common.h"
#include "csirt/audit_anchor.h"
#include "csirt/store.h"
#include "cli/commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ANCHOR_ARGS_MAX 64

static int
usage(void)
{
	fprintf(stderr, "usage: csirt audit verify [--data DIR] [--anchor ID:HASH]...\n"
	    "       csirt audit head [--data DIR]\n");
	return 2;
}

static int
audit_verify(struct store *st, const char *dir, char **anchors, size_t n_anchors)
{
	int64_t rows = 0, bad = 0;
	size_t checked = 0;
	char msg[256], amsg[320];
	enum csirt_rc rc = store_audit_verify(st, &rows, &bad, msg, sizeof(msg));

	if (rc == CSIRT_ECONFLICT) {
		printf("AUDIT LOG TAMPERED: %s\n", msg);
		return 1;
	}
	if (rc != CSIRT_OK) {
		fprintf(stderr, "csirt audit: cannot read the audit log\n");
		return 1;
	}
	rc = audit_anchor_check(st, dir, anchors, n_anchors, &checked, amsg, sizeof(amsg));
	if (rc == CSIRT_ECONFLICT) {
		printf("AUDIT LOG TAMPERED: %s\n", amsg);
		return 1;
	}
	if (rc == CSIRT_EINVAL) {
		fprintf(stderr, "csirt audit: %s\n", amsg);
		return 2;
	}
	if (rc != CSIRT_OK) {
		fprintf(stderr, "csirt audit: cannot read the anchors\n");
		return 1;
	}
	printf("audit log intact: %s; %zu anchor(s) checked\n", msg, checked);
	return 0;
}

int
cmd_audit(int argc, char **argv)
{
	const char *dir = "./var";
	char *anchors[ANCHOR_ARGS_MAX];
	size_t n_anchors = 0;
	struct store *st = NULL;
	struct csirt_err err;
	int head, ret;

	if (argc < 2 || (strcmp(argv[1], "verify") != 0 && strcmp(argv[1], "head") != 0))
		return usage();
	head = strcmp(argv[1], "head") == 0;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
			dir = argv[++i];
		else if (!head && strcmp(argv[i], "--anchor") == 0 && i + 1 < argc &&
		    n_anchors < ANCHOR_ARGS_MAX)
			anchors[n_anchors++] = argv[++i];
		else
			return usage();
	}
	csirt_err_clear(&err);
	if (store_open(dir, &st, &err) != CSIRT_OK) {
		fprintf(stderr, "csirt audit: %s\n", err.msg);
		return 1;
	}
	if (head) {
		int64_t id;
		char hash[65];

		ret = store_audit_head(st, &id, hash) == CSIRT_OK ? 0 : 1;
		if (ret == 0)
			printf("%lld:%s\n", (long long)id, hash);
		else
			fprintf(stderr, "csirt audit: cannot read the audit log\n");
	} else {
		ret = audit_verify(st, dir, anchors, n_anchors);
	}
	store_close(st);
	return ret;
}
