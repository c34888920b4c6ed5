/*
 * scan_run.h - one scan from targets to fingerprinted services, with the
 * scope rule applied: the one entry point both `csirt scan` and the
 * server's scheduled scans call, so the rule lives in one place.
 */
#ifndef CSIRT_SCAN_RUN_H
#define CSIRT_SCAN_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "csirt/err.h"
#include "csirt/scan_fp.h"
#include "csirt/scan_net.h"

struct scan_request {
	const char *const *targets;	/* addresses, host names, ranges */
	size_t ntargets;
	const char *ports;		/* port specification; NULL = "top100" */
	/*
	 * The addresses registered to the systems scanned. NULL: the literal
	 * addresses among the targets are the scope (ranges and names are not).
	 */
	const struct scan_addrs *scope;
	const char *authorize;		/* reason to scan outside the scope (logged), or NULL */
	const char *actor;		/* who asked, for the log */
	struct netscan_opts net;
	struct fp_opts fp;
	bool ports_only;		/* discovery only */
};

struct scan_result {
	struct scan_addrs addrs;	/* every address scanned */
	struct scan_service *services;	/* one per open port, sorted by address and port */
	size_t n;
	struct netscan_stats stats;
};

/*
 * Runs the scan. A target outside the scope without 'authorize' is
 * CSIRT_EFORBIDDEN, before any packet is sent. On success 'out' holds the
 * results (release with scan_result_release()).
 */
enum csirt_rc scan_run(const struct scan_request *req, struct scan_result *out,
    struct csirt_err *err);
void scan_result_release(struct scan_result *r);

#endif
