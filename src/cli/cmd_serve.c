/*
 * cmd_serve.c - `csirt serve [--listen ADDR:PORT] [--data DIR] [--threads N]
 *               [--write-threads N] [--hunt-rules PATH]... [--hunt-ioc FILE]...`.
 */
#include "csirt/common.h"
#include "csirt/accounts.h"
#include "csirt/calendar.h"
#include "csirt/hunts.h"
#include "csirt/rulepack.h"
#include "csirt/server.h"
#include "csirt/store.h"
#include "cli/commands.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
parse_listen(const char *arg, struct server_config *cfg)
{
	const char *colon = strrchr(arg, ':');
	int64_t port;
	size_t hostlen;

	if (colon == NULL || parse_int64(colon + 1, 1, 65535, &port) != CSIRT_OK)
		return -1;
	hostlen = (size_t)(colon - arg);
	if (hostlen >= 2 && arg[0] == '[' && arg[hostlen - 1] == ']') {	/* [::1]:8080 */
		arg++;
		hostlen -= 2;
	}
	if (hostlen == 0 || hostlen >= sizeof(cfg->listen_addr))
		return -1;
	memcpy(cfg->listen_addr, arg, hostlen);
	cfg->listen_addr[hostlen] = '\0';
	cfg->port = (uint16_t)port;
	return 0;
}

int
cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "data", required_argument, NULL, 'd' },
		{ "threads", required_argument, NULL, 't' },
		{ "write-threads", required_argument, NULL, 'w' },
		{ "hunt-rules", required_argument, NULL, 'r' },
		{ "hunt-ioc", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct server_config cfg;
	struct store *st = NULL;
	struct csirt_err err;
	char generated[80];
	int created = 0, c, status = 1;
	int64_t n;
	/* at most argc of each: every occurrence is one path */
	const char **hunt_rules = calloc((size_t)argc + 1, sizeof(char *));
	const char **hunt_iocs = calloc((size_t)argc + 1, sizeof(char *));
	size_t nhunt_rules = 0, nhunt_iocs = 0;
	char hunt_counts[200];

	server_config_defaults(&cfg);
	if (hunt_rules == NULL || hunt_iocs == NULL) {
		fprintf(stderr, "csirt serve: out of memory\n");
		goto out;
	}
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			if (parse_listen(optarg, &cfg) != 0) {
				fprintf(stderr, "csirt serve: --listen wants ADDR:PORT, e.g. 127.0.0.1:8080\n");
				status = 2;
				goto out;
			}
			break;
		case 'd':
			snprintf(cfg.data_dir, sizeof(cfg.data_dir), "%s", optarg);
			break;
		case 't':
			if (parse_int64(optarg, 1, 64, &n) != CSIRT_OK) {
				fprintf(stderr, "csirt serve: --threads wants 1..64\n");
				status = 2;
				goto out;
			}
			cfg.threads = (unsigned)n;
			break;
		case 'w':
			if (parse_int64(optarg, 0, 64, &n) != CSIRT_OK) {
				fprintf(stderr, "csirt serve: --write-threads wants 0..64\n");
				status = 2;
				goto out;
			}
			cfg.write_threads = (unsigned)n;
			break;
		case 'r':
			hunt_rules[nhunt_rules++] = optarg;
			break;
		case 'i':
			hunt_iocs[nhunt_iocs++] = optarg;
			break;
		case 'h':
			printf("usage: csirt serve [--listen ADDR:PORT] [--data DIR] [--threads N]\n"
			    "                   [--write-threads N] [--hunt-rules PATH]... [--hunt-ioc FILE]...\n"
			    "  --listen     address and port (default 127.0.0.1:8080)\n"
			    "  --data       folder of the database and evidence (default ./var)\n"
			    "  --threads    worker threads of the HTTP server (default: one per CPU, at least 2)\n"
			    "  --write-threads threads that run requests changing data, so that\n"
			    "               writes under way commit together (default 8; 0: the HTTP threads)\n"
			    "  --hunt-rules Sigma rule file or folder for hunts started from the web\n"
			    "               interface (repeatable; e.g. your copy of SigmaHQ rules/windows)\n"
			    "  --hunt-ioc   IOC list for those hunts (repeatable)\n"
			    "  CSIRT_ADMIN_PASSWORD sets the first administrator's password\n");
			status = 0;
			goto out;
		default:
			status = 2;
			goto out;
		}
	}
	csirt_err_clear(&err);
	/* A province's own rule packs and a newer calendar of days off live
	 * in the data folder; a broken file stops the start, loudly. */
	{
		char path[1200];

		snprintf(path, sizeof(path), "%s/rules", cfg.data_dir);
		if (rulepack_load_dir(path, &err) != CSIRT_OK) {
			fprintf(stderr, "csirt serve: rule packs in %s: %s\n", path, err.msg);
			goto out;
		}
		snprintf(path, sizeof(path), "%s/calendar/vn-days-off.json", cfg.data_dir);
		if (calendar_load_file(path, &err) != CSIRT_OK && err.rc != CSIRT_ENOTFOUND) {
			fprintf(stderr, "csirt serve: %s: %s\n", path, err.msg);
			goto out;
		}
		csirt_err_clear(&err);
	}
	if (store_open(cfg.data_dir, &st, &err) != CSIRT_OK) {
		fprintf(stderr, "csirt serve: %s\n", err.msg);
		goto out;
	}
	if (accounts_bootstrap(st, generated, sizeof(generated), &created, &err) != CSIRT_OK) {
		fprintf(stderr, "csirt serve: cannot create the first administrator: %s\n", err.msg);
		store_close(st);
		goto out;
	}
	store_close(st);
	/* Hunting rules are loaded now, not at the first hunt: a wrong path
	 * stops the start loudly (as a broken rule pack does), the operator
	 * sees how many rules are usable, and no hunt waits for the compile. */
	if (hunts_service_start(cfg.data_dir, hunt_rules, nhunt_rules, hunt_iocs, nhunt_iocs,
	    hunt_counts, sizeof(hunt_counts), &err) != CSIRT_OK) {
		fprintf(stderr, "csirt serve: hunting: %s\n", err.msg);
		goto out;
	}
	if (hunt_counts[0])
		printf("csirt: threat hunting: %s\n", hunt_counts);
	printf("csirt: web interface and API on http://%s:%u/\n", cfg.listen_addr, cfg.port);
	if (created && generated[0])
		printf("csirt: first start: log in as 'admin' with the one-time password %s\n"
		    "       (change it after logging in; set CSIRT_ADMIN_PASSWORD to choose it)\n",
		    generated);
	else if (created)
		printf("csirt: first start: log in as 'admin' with the password in CSIRT_ADMIN_PASSWORD\n");
	fflush(stdout);
	status = 0;
	if (server_run(&cfg, &err) != CSIRT_OK) {
		fprintf(stderr, "csirt serve: %s\n", err.msg);
		status = 1;
	}
	hunts_service_stop();
out:
	free(hunt_rules);
	free(hunt_iocs);
	return status;
}
