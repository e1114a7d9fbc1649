/*
 * Feeding an item to the export reader: reading (and hashing, which the
 * input walker does on every read) and decoding run on a thread of their
 * own, a few chunks ahead of the reader, so that on a large export the
 * walker thread only parses.  Small items are read inline.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "grep.h"
#include "input.h"

#define CHUNK		(256 * 1024)
#define NSLOT		4
#define THREAD_MIN	(1024 * 1024)	/* smaller items are read inline */

struct slot {
	char		*raw;		/* 8 bytes of room for a carried character */
	struct buf	 out;
	const char	*text;
	size_t		 len;
};

struct feed {
	struct input_item *it;
	struct decoder	*d;
	bool		 threaded, done, stop, lossy, held;
	pthread_t	 tid;
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	struct slot	 slot[NSLOT];
	size_t		 head, count;
};

/* Reads and decodes one chunk into s; false at the end of the item. */
static bool
fill(struct feed *f, struct slot *s)
{
	char	 carry[8];
	ssize_t	 r = input_read(f->it, s->raw + 8, CHUNK);
	size_t	 n = dec_take_carry(f->d, carry);

	if (r < 0)
		r = 0;			/* the walker reports the read error */
	memcpy(s->raw + 8 - n, carry, n);
	s->text = dec_feed(f->d, s->raw + 8 - n, (size_t)r + n, r == 0,
	    &s->out, &s->len, &f->lossy);
	return r > 0;
}

static void *
producer(void *arg)
{
	struct feed *f = arg;
	struct slot *s;
	bool	 more = true;

	while (more) {
		pthread_mutex_lock(&f->mu);
		while (f->count == NSLOT && !f->stop)
			pthread_cond_wait(&f->cv, &f->mu);
		if (f->stop) {
			pthread_mutex_unlock(&f->mu);
			break;
		}
		s = &f->slot[(f->head + f->count) % NSLOT];
		pthread_mutex_unlock(&f->mu);
		more = fill(f, s);
		pthread_mutex_lock(&f->mu);
		f->count++;
		f->done = !more;
		pthread_cond_broadcast(&f->cv);
		pthread_mutex_unlock(&f->mu);
	}
	return NULL;
}

struct feed *
feed_start(struct input_item *it, struct decoder *d)
{
	struct feed *f = calloc(1, sizeof(*f));
	size_t	 i;

	if (f == NULL)
		abort();
	f->it = it;
	f->d = d;
	for (i = 0; i < NSLOT; i++)
		if ((f->slot[i].raw = malloc(CHUNK + 8)) == NULL)
			abort();
	pthread_mutex_init(&f->mu, NULL);
	pthread_cond_init(&f->cv, NULL);
	f->threaded = it->declared_size < 0 || it->declared_size > THREAD_MIN;
	if (f->threaded && pthread_create(&f->tid, NULL, producer, f) != 0)
		f->threaded = false;
	return f;
}

/* The next decoded chunk (the previous one is given back); NULL at the end. */
const char *
feed_next(struct feed *f, size_t *len)
{
	struct slot *s;

	if (!f->threaded) {
		if (f->done)
			return NULL;
		s = &f->slot[0];
		f->done = !fill(f, s);
		*len = s->len;
		return s->text;
	}
	pthread_mutex_lock(&f->mu);
	if (f->held) {
		f->head = (f->head + 1) % NSLOT;
		f->count--;
		f->held = false;
		pthread_cond_broadcast(&f->cv);
	}
	while (f->count == 0 && !f->done)
		pthread_cond_wait(&f->cv, &f->mu);
	if (f->count == 0) {
		pthread_mutex_unlock(&f->mu);
		return NULL;
	}
	s = &f->slot[f->head];
	f->held = true;
	pthread_mutex_unlock(&f->mu);
	*len = s->len;
	return s->text;
}

void
feed_stop(struct feed *f)
{
	size_t	 i;

	if (f->threaded) {
		pthread_mutex_lock(&f->mu);
		f->stop = true;
		pthread_cond_broadcast(&f->cv);
		pthread_mutex_unlock(&f->mu);
		pthread_join(f->tid, NULL);
	}
	for (i = 0; i < NSLOT; i++) {
		free(f->slot[i].raw);
		buf_free(&f->slot[i].out);
	}
	pthread_mutex_destroy(&f->mu);
	pthread_cond_destroy(&f->cv);
	free(f);
}
