/*
 * The worker pool.  Jobs sit in a ring; workers take the oldest job not
 * yet started; the submitting thread waits for the oldest job to finish
 * and runs its done() before it reuses the slot.  Output therefore comes
 * out in input order, the same for any -j, and at most 2 * nthreads
 * items are held at once.
 */
#include "config.h"

#include <err.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "pool.h"

enum job_state { JOB_FREE, JOB_QUEUED, JOB_RUNNING, JOB_DONE };

struct job {
	pool_fn		 work, done;
	void		*arg;
	enum job_state	 state;
};

struct pool {
	pthread_t	*threads;
	int		 nthreads;
	struct job	*ring;
	size_t		 depth;
	size_t		 head;		/* oldest job not yet retired */
	size_t		 next;		/* oldest job not yet started */
	size_t		 count;		/* jobs in the ring */
	bool		 closing;
	pthread_mutex_t	 lock;
	pthread_cond_t	 work_ready, job_done;
};

static void *
worker(void *arg)
{
	struct pool *p = arg;
	struct job *j;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->closing && p->ring[p->next].state != JOB_QUEUED)
			pthread_cond_wait(&p->work_ready, &p->lock);
		if (p->ring[p->next].state != JOB_QUEUED)
			break;
		j = &p->ring[p->next];
		p->next = (p->next + 1) % p->depth;
		j->state = JOB_RUNNING;
		pthread_mutex_unlock(&p->lock);
		j->work(j->arg);
		pthread_mutex_lock(&p->lock);
		j->state = JOB_DONE;
		pthread_cond_broadcast(&p->job_done);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

struct pool *
pool_new(int nthreads)
{
	struct pool *p;
	int	 i;

	if (nthreads < 1)
		nthreads = 1;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		err(2, NULL);
	p->nthreads = nthreads;
	p->depth = 2 * (size_t)nthreads;
	if ((p->ring = calloc(p->depth, sizeof(*p->ring))) == NULL ||
	    (p->threads = calloc((size_t)nthreads, sizeof(*p->threads))) == NULL)
		err(2, NULL);
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->work_ready, NULL);
	pthread_cond_init(&p->job_done, NULL);
	if (nthreads == 1)
		return p;	/* jobs run inline: no thread needed */
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&p->threads[i], NULL, worker, p) != 0)
			err(2, "pthread_create");
	return p;
}

/* Waits for the oldest job, runs its done() outside the lock, frees its slot. */
static void
retire_oldest(struct pool *p)
{
	struct job *j = &p->ring[p->head];

	while (j->state != JOB_DONE)
		pthread_cond_wait(&p->job_done, &p->lock);
	pthread_mutex_unlock(&p->lock);
	if (j->done != NULL)
		j->done(j->arg);
	pthread_mutex_lock(&p->lock);
	j->state = JOB_FREE;
	p->head = (p->head + 1) % p->depth;
	p->count--;
}

void
pool_submit(struct pool *p, pool_fn work, pool_fn done, void *arg)
{
	struct job *j;

	if (p->nthreads == 1) {
		work(arg);
		if (done != NULL)
			done(arg);
		return;
	}
	pthread_mutex_lock(&p->lock);
	if (p->count == p->depth)
		retire_oldest(p);
	j = &p->ring[(p->head + p->count) % p->depth];
	j->work = work;
	j->done = done;
	j->arg = arg;
	j->state = JOB_QUEUED;
	p->count++;
	pthread_cond_broadcast(&p->work_ready);
	pthread_mutex_unlock(&p->lock);
}

void
pool_drain(struct pool *p)
{
	pthread_mutex_lock(&p->lock);
	while (p->count > 0)
		retire_oldest(p);
	pthread_mutex_unlock(&p->lock);
}

void
pool_sync(void *p)
{
	pool_drain(p);
}

void
pool_finish(struct pool *p)
{
	int	 i;

	pool_drain(p);
	pthread_mutex_lock(&p->lock);
	p->closing = true;
	pthread_cond_broadcast(&p->work_ready);
	pthread_mutex_unlock(&p->lock);
	for (i = 0; p->nthreads > 1 && i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
	pthread_cond_destroy(&p->work_ready);
	pthread_cond_destroy(&p->job_done);
	pthread_mutex_destroy(&p->lock);
	free(p->ring);
	free(p->threads);
	free(p);
}
