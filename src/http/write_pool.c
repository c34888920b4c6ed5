/*
 * write_pool.c - a FIFO of jobs run by a fixed set of threads (see
 * write_pool.h for why the server has one).
 */
#include "csirt/common.h"
#include "http/write_pool.h"

#include <pthread.h>
#include <stdlib.h>

struct write_pool {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct write_job *head, *tail;
	int stopping;
	unsigned nthreads;
	pthread_t threads[];
};

static void *
pool_main(void *arg)
{
	struct write_pool *p = arg;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		struct write_job *job = p->head;

		if (job == NULL) {
			if (p->stopping)
				break;
			pthread_cond_wait(&p->wake, &p->lock);
			continue;
		}
		p->head = job->next;
		if (p->head == NULL)
			p->tail = NULL;
		pthread_mutex_unlock(&p->lock);
		job->run(job);	/* may free the object 'job' lives in */
		pthread_mutex_lock(&p->lock);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

enum csirt_rc
write_pool_start(unsigned threads, struct write_pool **out, struct csirt_err *err)
{
	struct write_pool *p;

	if (threads < 1 || threads > 64)
		return csirt_err_set(err, CSIRT_EINVAL, "write_threads", "wants 1..64 threads");
	p = calloc(1, sizeof(*p) + threads * sizeof(pthread_t));
	if (p == NULL)
		return csirt_err_set(err, CSIRT_ENOMEM, NULL, "out of memory");
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->wake, NULL);
	for (; p->nthreads < threads; p->nthreads++) {
		if (pthread_create(&p->threads[p->nthreads], NULL, pool_main, p) != 0) {
			write_pool_stop(p);
			return csirt_err_set(err, CSIRT_EINTERNAL, NULL, "cannot start a thread");
		}
	}
	*out = p;
	return CSIRT_OK;
}

int
write_pool_submit(struct write_pool *p, struct write_job *job)
{
	int rc = -1;

	job->next = NULL;
	pthread_mutex_lock(&p->lock);
	if (!p->stopping) {
		if (p->tail)
			p->tail->next = job;
		else
			p->head = job;
		p->tail = job;
		pthread_cond_signal(&p->wake);
		rc = 0;
	}
	pthread_mutex_unlock(&p->lock);
	return rc;
}

void
write_pool_stop(struct write_pool *p)
{
	if (p == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	p->stopping = 1;
	pthread_cond_broadcast(&p->wake);
	pthread_mutex_unlock(&p->lock);
	for (unsigned i = 0; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
	pthread_cond_destroy(&p->wake);
	pthread_mutex_destroy(&p->lock);
	free(p);
}
