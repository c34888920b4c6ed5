/*
 * cmd_intake.c - `csirt intake email [--json]`: reads one e-mail on stdin
 * (as an MTA pipe delivers it) and prints what was understood of it.
 *
 * For now the result is printed, not stored: the services layer will file
 * it as an incident or alert. Exit status: 0 parsed, 1 refused (the reason
 * on stderr, one line), 2 usage, and EX_TEMPFAIL (75) when the failure is
 * ours (memory, I/O): an MTA's pipe then defers the message and retries it
 * instead of bouncing it to the reporter.
 */
#include "csirt/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "cli/commands.h"
#include "csirt/intake.h"
#include "csirt/intake_email.h"
#include "csirt/store.h"

int cmd_intake(int argc, char **argv);

static void
intake_usage(FILE *out)
{
	fprintf(out,
	    "usage: csirt intake email [--data DIR] [--dry-run] [--json] [--max-size BYTES] < message.eml\n"
	    "\n"
	    "Parses one e-mail (RFC 5322/MIME) from standard input: sender, subject\n"
	    "([TBSC] reports), body, attachments, Form 03 fields and indicators.\n"
	    "A [TBSC] notification is filed as an incident (attachments kept as\n"
	    "evidence), any other message as an alert.\n"
	    "  --data DIR        the data folder of csirt serve (default ./var)\n"
	    "  --dry-run         only parse and print; file nothing\n"
	    "  --json            print the result as JSON (default: a short summary)\n"
	    "  --max-size BYTES  refuse larger messages (default 26214400, 25 MiB)\n");
}

/* Reads all of stdin up to max bytes; one byte more means "too big". */
static enum csirt_rc
read_stdin(size_t max, struct buf *b)
{
	char chunk[65536];
	size_t n;

	buf_init(b, max + 1);
	while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0) {
		enum csirt_rc rc = buf_append(b, chunk, n);

		if (rc != CSIRT_OK)
			return rc;
	}
	return ferror(stdin) ? CSIRT_EIO : CSIRT_OK;
}

static void
print_summary(const struct email_report *r)
{
	char date[32] = "-";

	if (r->date != 0)
		time_format_iso(r->date, date);
	printf("from:        %s <%s>\n", r->from_name, r->from_addr);
	printf("subject:     %s\n", r->subject);
	printf("date:        %s\n", date);
	printf("tbsc:        %s\n", r->tbsc ? "yes" : "no");
	printf("body:        %zu bytes\n", strlen(r->body_text));
	printf("attachments: %zu\n", r->n_attachments);
	for (size_t i = 0; i < r->n_attachments; i++)
		printf("  %s (%s, %zu bytes)\n", r->attachments[i].filename,
		    r->attachments[i].content_type, r->attachments[i].size);
	if (r->fields.system_name)
		printf("system:      %s\n", r->fields.system_name);
	if (r->fields.detected_at_text)
		printf("detected:    %s\n", r->fields.detected_at_text);
	printf("observables: %zu\n", r->n_observables);
	for (size_t i = 0; i < r->n_observables; i++)
		printf("  %-7s %s\n", observable_type_code(r->observables[i].type),
		    r->observables[i].value);
}

static int
intake_email(int argc, char **argv)
{
	struct email_limits limits;
	struct email_report report;
	struct csirt_err err;
	struct buf in;
	bool json = false, dry_run = false;
	const char *data_dir = "./var";
	int status = 1;
	enum csirt_rc rc;

	email_limits_default(&limits);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			json = true;
		} else if (strcmp(argv[i], "--dry-run") == 0) {
			dry_run = true;
		} else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc) {
			data_dir = argv[++i];
		} else if (strcmp(argv[i], "--max-size") == 0 && i + 1 < argc) {
			int64_t v;

			if (parse_int64(argv[++i], 1, INT32_MAX, &v) != CSIRT_OK) {
				fprintf(stderr, "csirt intake: --max-size wants a number of bytes\n");
				return 2;
			}
			limits.max_message = (size_t)v;
		} else if (strcmp(argv[i], "--help") == 0) {
			intake_usage(stdout);
			return 0;
		} else {
			intake_usage(stderr);
			return 2;
		}
	}
	csirt_err_clear(&err);
	rc = read_stdin(limits.max_message, &in);
	if (rc == CSIRT_ETOOBIG) {
		fprintf(stderr, "csirt intake: the message is larger than %zu bytes\n",
		    limits.max_message);
		goto out;
	}
	if (rc != CSIRT_OK) {
		fprintf(stderr, "csirt intake: cannot read the message: %s\n", csirt_rc_name(rc));
		status = EX_TEMPFAIL;
		goto out;
	}
	rc = email_parse(in.data, in.len, &limits, &report, &err);
	if (rc != CSIRT_OK) {
		fprintf(stderr, "csirt intake: %s\n", err.msg[0] ? err.msg : csirt_rc_name(rc));
		if (rc != CSIRT_ETOOBIG && rc != CSIRT_EPARSE)
			status = EX_TEMPFAIL;
		goto out;
	}
	if (!dry_run) {
		/* File it: a [TBSC] notification becomes an incident, anything
		 * else an alert for the duty desk. */
		struct store *st = NULL;
		struct intake_result res;

		if (store_open(data_dir, &st, &err) != CSIRT_OK) {
			fprintf(stderr, "csirt intake: %s\n", err.msg);
			status = EX_TEMPFAIL;
			email_report_free(&report);
			goto out;
		}
		rc = intake_email_file(st, data_dir, &report, &res, &err);
		store_close(st);
		if (rc != CSIRT_OK) {
			fprintf(stderr, "csirt intake: %s\n", err.msg[0] ? err.msg : csirt_rc_name(rc));
			status = rc == CSIRT_EINVAL ? 1 : EX_TEMPFAIL;
			email_report_free(&report);
			goto out;
		}
		if (res.is_incident)
			fprintf(json ? stderr : stdout, "filed incident %lld, tracking code %s, %zu"
			    " attachment(s) kept as evidence\n", (long long)res.id, res.tracking_code,
			    res.evidence_count);
		else
			fprintf(json ? stderr : stdout, "filed alert %lld%s\n", (long long)res.id,
			    res.merged_into ? " (merged into an open alert)" : "");
	}
	if (json) {
		json_t *j = email_report_to_json(&report);

		if (j == NULL || json_dumpf(j, stdout, JSON_INDENT(2)) != 0) {
			fprintf(stderr, "csirt intake: cannot write the result\n");
			status = EX_TEMPFAIL;
		} else {
			putchar('\n');
			status = 0;
		}
		json_decref(j);
	} else {
		print_summary(&report);
		status = 0;
	}
	email_report_free(&report);
out:
	buf_release(&in);
	if (fflush(stdout) != 0)
		status = EX_TEMPFAIL;
	return status;
}

int
cmd_intake(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "email") == 0)
		return intake_email(argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		intake_usage(stdout);
		return 0;
	}
	intake_usage(stderr);
	return 2;
}
