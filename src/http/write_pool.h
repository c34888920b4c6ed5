/*
 * write_pool.h - threads that run the requests which change data.
 *
 * Why: a write is answered only once the COMMIT holding it is on disk, and
 * group commit (src/store/transaction.c) makes one COMMIT of the writes
 * that are under way at once. On the HTTP server's own threads (one per
 * CPU, which keeps reads' latency low) at most two creations were ever
 * under way, so a batch held at most two and creation stalled near
 * 1,000/s with most of the CPU idle. The HTTP thread hands a write to this
 * pool and goes back to serving; the pool's threads mostly wait on the
 * COMMIT, not on the CPU.
 *
 * A job is embedded in the caller's object (intrusive list); the pool
 * never frees it.
 */
#ifndef CSIRT_HTTP_WRITE_POOL_H
#define CSIRT_HTTP_WRITE_POOL_H

#include "csirt/err.h"

struct write_job {
	struct write_job *next;		/* the pool's */
	void (*run)(struct write_job *job);	/* called on a pool thread */
};

struct write_pool;

/* Starts 'threads' threads (1..64). */
enum csirt_rc write_pool_start(unsigned threads, struct write_pool **out, struct csirt_err *err);

/* Queues 'job'; its run() is called once, on a pool thread. Returns 0, or
 * -1 if the pool is stopping (then run() is not called). */
int write_pool_submit(struct write_pool *pool, struct write_job *job);

/* Runs every job already queued, stops the threads and frees the pool.
 * NULL is allowed. */
void write_pool_stop(struct write_pool *pool);

#endif
