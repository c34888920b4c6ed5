/*
 * main.c - entry point: picks a subcommand and hands it the rest of argv.
 * The subcommands share the library (src/), so the server and the command
 * line never carry two copies of a rule.
 */
#include "csirt/common.h"

#include <stdio.h>
#include <string.h>

#include "cli/commands.h"


#ifndef CSIRT_VERSION
#define CSIRT_VERSION "0.1.0"
#endif

/*
 * One line per subcommand. A subcommand is listed here only once it exists:
 * --help must not advertise what the program cannot do.
 */

const struct command csirt_commands[] = {
	{ "serve", "HTTP API and web interface (--listen ADDR:PORT, --data DIR)", cmd_serve },
	{ "intake", "read an e-mail report on stdin (for an MTA pipe)", cmd_intake },
	{ "hunt", "threat hunting: Sigma, IOC and YARA over logs and files", cmd_hunt },
	{ "scan", "discover and fingerprint network services (vulnerability scanning)", cmd_scan },
	{ "inventory", "list this host's installed packages as JSON for upload", cmd_inventory },
	{ "report", "official forms and periodic reports (PDF, DOCX, HTML)", cmd_report },
	{ "warnings", "warnings: import-kev FILE (CISA KEV catalogue as warnings)", cmd_warnings },
	{ "notify", "notifications: digest (daily), send (e-mail through SMTP)", cmd_notify },
	{ "rules", "rule packs: list, show, check a pack, compute deadlines", cmd_rules },
	{ "audit", "verify the hash chain of the audit log (audit verify)", cmd_audit },
	{ "user", "accounts: add, password, token (for scripts and the first set-up)", cmd_user },
	{ "db", "database: migrate, version, check (integrity)", cmd_db },
	{ "demo", "fill an empty installation with a sample province (--data DIR)", cmd_demo },
	{ NULL, NULL, NULL },
};

static void
usage(FILE *out)
{
	fprintf(out,
	    "csirt %s - incident response for a Vietnamese province\n"
	    "\n"
	    "usage: csirt <command> [options]\n"
	    "       csirt <command> --help\n"
	    "\n"
	    "commands:\n", CSIRT_VERSION);
	for (const struct command *c = csirt_commands; c->name; c++)
		fprintf(out, "  %-11s %s\n", c->name, c->summary);
	fprintf(out, "\nThe web interface and API are served by 'csirt serve'"
	    " (http://127.0.0.1:8080 by default).\n");
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("csirt %s\n", CSIRT_VERSION);
		return 0;
	}
	for (const struct command *c = csirt_commands; c->name; c++)
		if (strcmp(argv[1], c->name) == 0)
			return c->run(argc - 1, argv + 1);
	fprintf(stderr, "csirt: unknown command '%s' (see csirt --help)\n", argv[1]);
	return 2;
}
