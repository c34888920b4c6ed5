/*
 * cmd_notify.c - notifications from the shell, for cron:
 *   csirt notify digest [--date YYYY-MM-DD] [--lead-days N] [--data DIR]
 *        one digest per user of each organisation with obligations
 *        overdue or due soon
 *   csirt notify send [--data DIR]
 *        e-mails what is not yet sent, through CSIRT_SMTP_URL
 *        (smtp://HOST:PORT) from CSIRT_SMTP_FROM
 * A daily crontab line: csirt notify digest && csirt notify send
 */
#include "csirt/common.h"
#include "csirt/notify.h"
#include "csirt/obligations.h"
#include "csirt/store.h"
#include "cli/commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
usage(void)
{
	fprintf(stderr, "usage: csirt notify digest [--date YYYY-MM-DD] [--lead-days N] [--data DIR]\n"
	    "       csirt notify send [--data DIR]   (CSIRT_SMTP_URL, CSIRT_SMTP_FROM)\n");
	return 2;
}

int
cmd_notify(int argc, char **argv)
{
	const char *dir = "./var", *date = NULL;
	struct store *st = NULL;
	struct csirt_err err;
	int64_t day = 0, a = 0, b = 0, lead = 0;
	enum csirt_rc rc;

	if (argc < 2 || (strcmp(argv[1], "digest") != 0 && strcmp(argv[1], "send") != 0))
		return usage();
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
			dir = argv[++i];
		else if (strcmp(argv[i], "--date") == 0 && i + 1 < argc)
			date = argv[++i];
		else if (strcmp(argv[i], "--lead-days") == 0 && i + 1 < argc) {
			if (parse_int64(argv[++i], 1, 366, &lead) != CSIRT_OK) {
				fprintf(stderr, "csirt: --lead-days wants 1..366\n");
				return 2;
			}
		}
		else
			return usage();
	}
	if (date && obligations_parse_day(date, &day) != CSIRT_OK) {
		fprintf(stderr, "csirt: --date must be a day as YYYY-MM-DD\n");
		return 2;
	}
	csirt_err_clear(&err);
	rc = store_open(dir, &st, &err);
	if (rc == CSIRT_OK && strcmp(argv[1], "digest") == 0) {
		rc = notify_digest(st, day, (int)lead, &a, &err);
		if (rc == CSIRT_OK)
			printf("%lld digests\n", (long long)a);
	} else if (rc == CSIRT_OK) {
		rc = notify_send_pending(st, getenv("CSIRT_SMTP_URL"), getenv("CSIRT_SMTP_FROM"), &a,
		    &b, &err);
		if (rc == CSIRT_OK)
			printf("%lld sent, %lld failed\n", (long long)a, (long long)b);
	}
	if (rc != CSIRT_OK)
		fprintf(stderr, "csirt: %s\n", err.msg[0] ? err.msg : "failed");
	store_close(st);
	return rc == CSIRT_OK && b == 0 ? 0 : 1;
}
