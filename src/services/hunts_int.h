/*
 * hunts_int.h - what hunts.c (requests, queue) and hunts_run.c (the
 * worker) share. Not for callers outside src/services/.
 */
#ifndef CSIRT_SERVICES_HUNTS_INT_H
#define CSIRT_SERVICES_HUNTS_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "csirt/actor.h"

#define HUNT_INTERRUPTED "interrupted: the server stopped during the hunt; start it again"

struct sigma_ruleset;
struct ioc_set;

/* A queued hunt: what the worker needs without reading the row again. */
struct hunt_job {
	int64_t id;
	int64_t system_id;
	struct actor who;	/* who started it: alerts and the activity are theirs */
	char sha256[65];
	char filename[256];
	struct hunt_job *next;
};

struct hunts_state {
	pthread_mutex_t lock;	/* guards the queue and 'stop' */
	pthread_cond_t cond;
	pthread_t thread;
	bool started;		/* the worker runs: hunting is configured */
	bool stop;
	struct hunt_job *head, *tail;
	size_t queued;
	/* read-only once the worker runs */
	struct sigma_ruleset *rules;
	struct ioc_set *iocs;
	char data_dir[1024];
};

extern struct hunts_state hunts_state;

/* The worker thread: takes jobs until hunts_state.stop. */
void *hunts_worker_main(void *arg);

/* True once a stop was asked for (the reader callbacks poll it). */
bool hunts_stopping(void);

#endif
