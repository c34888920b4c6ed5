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
#include "csirt/hunt.h"

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

/* About this much of an uncompressed log is read between two progress
 * updates. */
#define HUNTS_SLICE_BYTES ((size_t)4 << 20)

/*
 * Reads [d, len), a log of format 'fmt' (from hunt_format_detect), with the
 * engine's reader for it, in slices of about 'slice' bytes that the reader
 * accepts on its own: EVTX in runs of whole 64 KiB chunks, each slice
 * starting on a chunk signature (a chunk carries its own string and
 * template tables); syslog in whole lines; JSON lines in whole lines, cut
 * only where a line ending in '}' is followed by one starting with '{'
 * (never inside a valid JSON value). Record numbers are those of the whole
 * file, so the events are the ones the reader gives for the whole buffer
 * (fuzz_hunt_slices checks it). 'between' (may be NULL) is called before
 * each slice with the bytes done; false stops. Returns the reader's result
 * (CSIRT_EPARSE: not that format at all; CSIRT_ENOMEM).
 */
enum csirt_rc hunts_read_sliced(const unsigned char *d, size_t len, enum hunt_format fmt,
    size_t slice, const char *source, hunt_event_fn fn, void *ctx,
    struct hunt_read_stats *st, bool (*between)(void *ctx, size_t done));

#endif
