/*
 * server.h - `csirt serve`: the HTTP API and the web interface.
 */
#ifndef CSIRT_SERVER_H
#define CSIRT_SERVER_H

#include <stdint.h>

#include "csirt/err.h"

struct server_config {
	char listen_addr[64];	/* "127.0.0.1" */
	uint16_t port;		/* 8080 */
	char data_dir[1024];	/* "./var" */
	unsigned threads;	/* worker threads of the HTTP server */
	unsigned write_threads;	/* threads running writes; 0: the HTTP threads */
	size_t max_json_body;	/* bytes; default 1 MiB */
	size_t max_public_body;	/* public report page; default 64 KiB */
	size_t max_evidence;	/* bytes of one evidence upload; default 256 MiB */
	unsigned public_reports_per_hour;	/* per client address */
};

void server_config_defaults(struct server_config *cfg);

/* Runs until SIGINT or SIGTERM. */
enum csirt_rc server_run(const struct server_config *cfg, struct csirt_err *err);

#endif
