/*
 * cmd_warnings.c - warnings from the shell:
 *   csirt warnings import-kev FILE [--data DIR]
 * imports CISA's Known Exploited Vulnerabilities catalogue (the JSON feed)
 * as warnings, matched to the systems' recorded components; a CVE already
 * imported is skipped, so running it again with a newer feed adds the new.
 */
#include "csirt/common.h"
#include "csirt/store.h"
#include "csirt/warnings.h"
#include "cli/commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
usage(void)
{
	fprintf(stderr, "usage: csirt warnings import-kev FILE [--data DIR]\n");
	return 2;
}

/* Reads at most max bytes; one more means "too big". Caller frees. */
static char *
read_capped(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data;

	if (f == NULL)
		return NULL;
	data = malloc(max + 1);
	*len = data ? fread(data, 1, max + 1, f) : 0;
	fclose(f);
	return data;
}

int
cmd_warnings(int argc, char **argv)
{
	const char *dir = "./var", *file = NULL;
	struct actor who = { 0, "cli", ROLE_ADMIN, 0 };
	struct store *st = NULL;
	struct csirt_err err;
	int64_t imported, skipped, targets;
	size_t len = 0;
	char *data;
	int rc = 1;

	if (argc < 3 || strcmp(argv[1], "import-kev") != 0)
		return usage();
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
			dir = argv[++i];
		else if (file == NULL)
			file = argv[i];
		else
			return usage();
	}
	if (file == NULL)
		return usage();
	data = read_capped(file, WARNINGS_KEV_MAX_BYTES, &len);
	if (data == NULL) {
		fprintf(stderr, "csirt: cannot read %s\n", file);
		return 1;
	}
	csirt_err_clear(&err);
	if (store_open(dir, &st, &err) == CSIRT_OK &&
	    warnings_import_kev(st, &who, data, len, &imported, &skipped, &targets, &err) ==
	    CSIRT_OK) {
		printf("imported %lld warnings, skipped %lld already imported, %lld system targets\n",
		    (long long)imported, (long long)skipped, (long long)targets);
		rc = 0;
	} else {
		fprintf(stderr, "csirt: %s\n", err.msg[0] ? err.msg : "the import failed");
	}
	store_close(st);
	free(data);
	return rc;
}
