/*
 * The ordered worker pool: results in submission order whatever the
 * number of threads and the jobs' durations, every job run exactly once,
 * memory bounded by 2 * N jobs held at once.  Also the progress line.
 */
#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pool.h"
#include "progress.h"
#include "tap.h"

#define NJOBS	300

struct run {
	int		 order[NJOBS];	/* job ids in the order done() saw them */
	int		 ndone;
	atomic_int	 runs[NJOBS];
	atomic_int	 held, max_held;	/* started, not yet retired */
	atomic_int	 busy, max_busy;	/* inside work() */
	int		 bad_thread;
	pthread_t	 submitter;
};

struct job {
	struct run	*run;
	int		 id;
	unsigned	 usec;
	int		 result;
};

static void
atomic_max(atomic_int *m, int v)
{
	int	 cur = atomic_load(m);

	while (v > cur && !atomic_compare_exchange_weak(m, &cur, v))
		;
}

static void
work(void *arg)
{
	struct job *j = arg;
	struct run *r = j->run;

	atomic_max(&r->max_held, atomic_fetch_add(&r->held, 1) + 1);
	atomic_max(&r->max_busy, atomic_fetch_add(&r->busy, 1) + 1);
	atomic_fetch_add(&r->runs[j->id], 1);
	if (j->usec > 0)
		usleep(j->usec);
	j->result = j->id * 7 + 1;
	atomic_fetch_sub(&r->busy, 1);
}

static void
done(void *arg)
{
	struct job *j = arg;
	struct run *r = j->run;

	if (!pthread_equal(pthread_self(), r->submitter))
		r->bad_thread++;
	if (j->result == j->id * 7 + 1 && r->ndone < NJOBS)
		r->order[r->ndone++] = j->id;
	atomic_fetch_sub(&r->held, 1);
	free(j);
}

static void
test_pool(int nthreads)
{
	struct run *r = calloc(1, sizeof(*r));
	struct pool *p;
	struct job *j;
	int	 i, in_order = 1, once = 1;
	unsigned seed = 42u + (unsigned)nthreads;

	if (r == NULL)
		abort();
	r->submitter = pthread_self();
	p = pool_new(nthreads);
	for (i = 0; i < NJOBS; i++) {
		if ((j = calloc(1, sizeof(*j))) == NULL)
			abort();
		j->run = r;
		j->id = i;
		/* Random durations, with some long ones to overtake. */
		seed = seed * 1103515245u + 12345u;
		j->usec = (seed >> 16) % 7 == 0 ? 3000 : (seed >> 16) % 400;
		pool_submit(p, work, done, j);
	}
	pool_finish(p);
	for (i = 0; i < NJOBS; i++) {
		in_order &= r->order[i] == i;
		once &= atomic_load(&r->runs[i]) == 1;
	}
	ok(r->ndone == NJOBS && in_order, "-j %d: %d results in submission order",
	    nthreads, r->ndone);
	ok(once, "-j %d: every job ran exactly once", nthreads);
	ok(r->bad_thread == 0, "-j %d: done() runs on the submitting thread",
	    nthreads);
	ok(atomic_load(&r->max_held) <= 2 * nthreads,
	    "-j %d: at most %d jobs held at once (saw %d)", nthreads,
	    2 * nthreads, atomic_load(&r->max_held));
	ok(atomic_load(&r->max_busy) <= nthreads,
	    "-j %d: at most %d jobs running at once (saw %d)", nthreads,
	    nthreads, atomic_load(&r->max_busy));
	if (nthreads > 1)
		ok(atomic_load(&r->max_busy) > 1,
		    "-j %d: jobs do run in parallel (saw %d at once)", nthreads,
		    atomic_load(&r->max_busy));
	free(r);
}

static void
test_pool_empty(void)
{
	struct pool *p = pool_new(4);

	pool_finish(p);
	ok(1, "a pool with no jobs finishes");
	p = pool_new(0);
	pool_finish(p);
	ok(1, "pool_new(0) is a one-thread pool");
}

static double
mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * progress_format measures from progress_new; taking "now" as 2 s after
 * the moment progress_new returned makes the elapsed time 2 s plus the
 * microseconds progress_new took, so the figures are known.
 */
static void
test_progress(void)
{
	struct progress *p;
	char	 line[128];
	double	 t;

	p = progress_new(true);
	t = mono();
	progress_total(p, 10, 10u << 20);
	progress_add(p, 4, 1u << 20);
	progress_format(p, t + 2.0, line, sizeof(line));
	ok(strcmp(line, "4/10 files, 1.0 MiB, 512.0 KiB/s, ETA 0:18") == 0,
	    "progress with totals: '%s'", line);
	progress_end(p);

	p = progress_new(true);
	t = mono();
	progress_add(p, 3, 3000);
	progress_add(p, 0, 0);
	progress_format(p, t + 2.0, line, sizeof(line));
	ok(strcmp(line, "3 files, 2.9 KiB, 1.5 KiB/s") == 0,
	    "progress without totals has no ETA: '%s'", line);
	progress_end(p);

	p = progress_new(true);
	t = mono();
	progress_total(p, 1, 200u << 20);
	progress_add(p, 0, 2u << 20);
	progress_format(p, t + 1.0, line, sizeof(line));
	ok(strcmp(line, "0/1 files, 2.0 MiB, 2.0 MiB/s, ETA 1:39") == 0,
	    "progress ETA in minutes: '%s'", line);
	progress_end(p);
	progress_add(NULL, 1, 1);
	progress_end(NULL);
	ok(1, "progress_add/progress_end accept NULL");
}

int
main(void)
{
	test_pool(1);
	test_pool(2);
	test_pool(8);
	test_pool_empty();
	test_progress();
	return tap_done();
}
