/*
 * The progress line: items done, bytes, rate and, when the totals are
 * known, an ETA.  Drawn on stderr only when it is a terminal and -q was
 * not given, at most five times a second, so it costs nothing in a pipe.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

struct progress {
	bool		 enabled;
	bool		 drawn;
	double		 start, last;
	uint64_t	 items, bytes, total_items, total_bytes;
	pthread_mutex_t	 lock;
};

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct progress *
progress_new(bool quiet)
{
	struct progress *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	p->enabled = !quiet && isatty(STDERR_FILENO);
	p->start = p->last = now_seconds();
	pthread_mutex_init(&p->lock, NULL);
	return p;
}

void
progress_total(struct progress *p, uint64_t items, uint64_t bytes)
{
	p->total_items = items;
	p->total_bytes = bytes;
}

static void
human_bytes(double b, char *buf, size_t len)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	int	 u = 0;

	while (b >= 1024 && u < 4) {
		b /= 1024;
		u++;
	}
	snprintf(buf, len, u ? "%.1f %s" : "%.0f %s", b, units[u]);
}

void
progress_format(const struct progress *p, double now, char *buf, size_t len)
{
	double	 dt = now - p->start, rate = dt > 0 ? (double)p->bytes / dt : 0;
	char	 done[32], speed[32], eta[32] = "";
	double	 left;

	human_bytes((double)p->bytes, done, sizeof(done));
	human_bytes(rate, speed, sizeof(speed));
	if (p->total_bytes > p->bytes && rate > 0) {
		left = (double)(p->total_bytes - p->bytes) / rate;
		snprintf(eta, sizeof(eta), ", ETA %d:%02d",
		    (int)(left / 60), (int)left % 60);
	}
	if (p->total_items > 0)
		snprintf(buf, len, "%llu/%llu files, %s, %s/s%s",
		    (unsigned long long)p->items,
		    (unsigned long long)p->total_items, done, speed, eta);
	else
		snprintf(buf, len, "%llu files, %s, %s/s%s",
		    (unsigned long long)p->items, done, speed, eta);
}

void
progress_add(struct progress *p, uint64_t items, uint64_t bytes)
{
	char	 line[128];
	double	 t;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	p->items += items;
	p->bytes += bytes;
	if (p->enabled && (t = now_seconds()) - p->last >= 0.2) {
		p->last = t;
		progress_format(p, t, line, sizeof(line));
		fprintf(stderr, "\r\033[K%s", line);
		p->drawn = true;
	}
	pthread_mutex_unlock(&p->lock);
}

void
progress_end(struct progress *p)
{
	if (p == NULL)
		return;
	if (p->drawn)
		fputs("\r\033[K", stderr);
	pthread_mutex_destroy(&p->lock);
	free(p);
}
