/*
 * cmd_inventory.c - `csirt inventory`: the installed dpkg (and rpm)
 * packages of this host, or of a remote host over SSH, as one JSON
 * document to upload for confirmed vulnerability matching.
 */
#include "csirt/common.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "csirt/scan_inventory.h"
#include "csirt/util.h"

int cmd_inventory(int argc, char **argv);

static const char usage[] =
    "usage: csirt inventory [--dpkg-status FILE]\n"
    "       csirt inventory --ssh USER@HOST[:PORT] [--identity KEYFILE]\n"
    "                       [--known-hosts FILE] [--accept-new-host-key]\n"
    "Prints the installed packages of this host (or of HOST, read over SSH) as\n"
    "JSON for upload. Over SSH the host key must already be in the known_hosts\n"
    "file (default ~/.ssh/known_hosts); --accept-new-host-key adds an unknown\n"
    "key (logged with its fingerprint); a changed key is always refused.\n";

/* USER@HOST[:PORT], HOST[:PORT] or USER@[V6ADDR]:PORT; edits 'spec' in place. */
static int
parse_target(char *spec, struct inventory_ssh *o)
{
	char *at = strchr(spec, '@'), *host = spec, *colon;
	int64_t port = 22;

	if (at != NULL) {
		*at = '\0';
		o->user = spec;
		host = at + 1;
		if (*o->user == '\0')
			return -1;
	}
	if (*host == '[') {
		char *close = strchr(host, ']');

		if (close == NULL)
			return -1;
		*close = '\0';
		colon = close[1] == ':' ? close + 1 : NULL;
		if (close[1] != '\0' && colon == NULL)
			return -1;
		host++;
	} else {
		colon = strchr(host, ':');
		if (colon != NULL && strchr(colon + 1, ':') != NULL)
			colon = NULL;	/* a bare IPv6 address: no port */
	}
	if (colon != NULL) {
		*colon = '\0';
		if (parse_int64(colon + 1, 1, 65535, &port) != CSIRT_OK)
			return -1;
	}
	if (*host == '\0')
		return -1;
	o->host = host;
	o->port = (int)port;
	return 0;
}

int
cmd_inventory(int argc, char **argv)
{
	const char *status_path = NULL;
	struct inventory_ssh ssh = { 0 };
	struct inventory_host host;
	struct package_list l = { 0 };
	struct csirt_err err;
	json_t *doc = NULL;
	char *target = NULL;
	int rc = 1;

	csirt_err_clear(&err);
	for (int k = 1; k < argc; k++) {
		if (strcmp(argv[k], "--dpkg-status") == 0 && k + 1 < argc) {
			status_path = argv[++k];
		} else if (strcmp(argv[k], "--ssh") == 0 && k + 1 < argc) {
			target = argv[++k];
		} else if (strcmp(argv[k], "--identity") == 0 && k + 1 < argc) {
			ssh.identity = argv[++k];
		} else if (strcmp(argv[k], "--known-hosts") == 0 && k + 1 < argc) {
			ssh.known_hosts = argv[++k];
		} else if (strcmp(argv[k], "--accept-new-host-key") == 0) {
			ssh.accept_new_host_key = true;
		} else if (strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0) {
			fputs(usage, stdout);
			return 0;
		} else {
			fputs(usage, stderr);
			return 2;
		}
	}
	if (target == NULL && (ssh.identity || ssh.known_hosts || ssh.accept_new_host_key)) {
		fprintf(stderr, "csirt inventory: --identity, --known-hosts and --accept-new-host-key"
		    " go with --ssh\n");
		return 2;
	}
	if (target != NULL && (status_path != NULL || parse_target(target, &ssh) != 0)) {
		fprintf(stderr, "csirt inventory: --ssh wants USER@HOST[:PORT] (and no --dpkg-status)\n");
		return 2;
	}
	if (target != NULL) {
		if (inventory_collect_ssh(&ssh, &l, &host, &err) != CSIRT_OK) {
			fprintf(stderr, "csirt inventory: %s\n", err.msg[0] ? err.msg : "out of memory");
			goto out;
		}
	} else {
		if (inventory_collect(status_path, &l, &err) != CSIRT_OK) {
			fprintf(stderr, "csirt inventory: %s\n", err.msg[0] ? err.msg : "out of memory");
			goto out;
		}
		inventory_local_host(&host);
	}
	doc = inventory_to_json(&l, &host);
	if (doc == NULL || json_dumpf(doc, stdout, JSON_INDENT(1) | JSON_ENSURE_ASCII) != 0)
		goto out;
	putchar('\n');
	rc = fflush(stdout) == 0 ? 0 : 1;
out:
	json_decref(doc);
	package_list_release(&l);
	return rc;
}
