/*
 * A worker pool for -j N whose results come back in submission order:
 * work() runs on any worker, done() runs on the submitting thread, one
 * at a time, in the order the jobs were submitted.  At most depth jobs
 * are in flight, so memory stays bounded by the items being worked on.
 */
#ifndef FK_POOL_H
#define FK_POOL_H

struct pool;

typedef void	(*pool_fn)(void *arg);

struct pool	*pool_new(int nthreads);
void		 pool_submit(struct pool *, pool_fn work, pool_fn done, void *arg);
/*
 * Waits for every job submitted so far and runs their done()s; the pool
 * stays open.  Call it from the submitting thread only.
 */
void		 pool_drain(struct pool *);
/* pool_drain with the signature of input_opts.sync. */
void		 pool_sync(void *pool);
/* Waits for every job, runs the remaining done()s, frees the pool. */
void		 pool_finish(struct pool *);

#endif
