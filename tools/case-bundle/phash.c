/*
 * Parallel digests over one read: the reader fills 1 MiB slots of a ring,
 * and each algorithm runs on its own thread over every slot in order.
 * SM3 is the slowest of the three, so the others and the tar writer hide
 * behind it; the reader blocks only when every slot is still in use.
 * The end of a file is a slot of its own: each worker finishes its digest
 * there and writes the hex where the caller said, so the reader goes on
 * to the next file without waiting (phash_sync() waits, once, at the end).
 * Small files are hashed on the caller's thread with contexts of its own.
 */
#include "config.h"

#include <err.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cb.h"

#define NSLOT	16	/* deep: on a busy machine a stage may wait long to run */

struct slot {
	unsigned char	*buf;
	size_t		 len;
	int		 remaining;	/* digests still to take it */
	char		(*out)[HASH_HEXMAX];	/* end of a file: hex goes here */
};

struct worker {
	struct phash	*ph;
	int		 idx;
	pthread_t	 tid;
	uint64_t	 tail;
};

struct phash {
	pthread_mutex_t	 m;
	pthread_cond_t	 avail, freed;
	struct slot	 s[NSLOT];
	uint64_t	 head;
	int		 n;
	bool		 quit;
	const EVP_MD	*md[PHASH_MAXALGS];
	EVP_MD_CTX	*ctx[PHASH_MAXALGS];	/* one per worker */
	EVP_MD_CTX	*ictx[PHASH_MAXALGS];	/* phash_inline's, the caller's */
	struct worker	 w[PHASH_MAXALGS];
};

void
cb_tohex(const unsigned char *md, unsigned len, char *out)
{
	static const char d[] = "0123456789abcdef";
	unsigned i;

	for (i = 0; i < len; i++) {
		out[2 * i] = d[md[i] >> 4];
		out[2 * i + 1] = d[md[i] & 15];
	}
	out[2 * len] = '\0';
}

const EVP_MD *
cb_md(const char *name)
{
	static const struct { const char *bagit; const char *ossl; } map[] = {
		{ "md5", "MD5" }, { "sha1", "SHA1" }, { "sha224", "SHA224" },
		{ "sha256", "SHA256" }, { "sha384", "SHA384" },
		{ "sha512", "SHA512" }, { "sm3", "SM3" },
		{ "sha3-256", "SHA3-256" }, { "sha3-512", "SHA3-512" },
	};
	size_t	 i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].bagit, name) == 0)
			return EVP_get_digestbyname(map[i].ossl);
	return NULL;
}

/* Writes the digest as hex and starts the context again. */
static void
finish_one(EVP_MD_CTX *ctx, const EVP_MD *md, char *hex)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned len;

	EVP_DigestFinal_ex(ctx, d, &len);
	cb_tohex(d, len, hex);
	EVP_DigestInit_ex(ctx, md, NULL);
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct phash *ph = w->ph;
	struct slot *s;

	pthread_mutex_lock(&ph->m);
	for (;;) {
		while (w->tail == ph->head && !ph->quit)
			pthread_cond_wait(&ph->avail, &ph->m);
		if (w->tail == ph->head && ph->quit)
			break;
		s = &ph->s[w->tail % NSLOT];
		pthread_mutex_unlock(&ph->m);
		if (s->out != NULL)
			finish_one(ph->ctx[w->idx], ph->md[w->idx], s->out[w->idx]);
		else
			EVP_DigestUpdate(ph->ctx[w->idx], s->buf, s->len);
		pthread_mutex_lock(&ph->m);
		w->tail++;
		if (--s->remaining == 0)
			pthread_cond_broadcast(&ph->freed);
	}
	pthread_mutex_unlock(&ph->m);
	return NULL;
}

struct phash *
phash_new(const EVP_MD *const *mds, int n)
{
	struct phash *ph;
	int	 i;

	if (n < 1 || n > PHASH_MAXALGS)
		return NULL;
	ph = cb_xmalloc(sizeof(*ph));
	memset(ph, 0, sizeof(*ph));
	pthread_mutex_init(&ph->m, NULL);
	pthread_cond_init(&ph->avail, NULL);
	pthread_cond_init(&ph->freed, NULL);
	ph->n = n;
	for (i = 0; i < NSLOT; i++)
		ph->s[i].buf = cb_xmalloc(PHASH_SLOT);
	for (i = 0; i < n; i++) {
		ph->md[i] = mds[i];
		if ((ph->ctx[i] = EVP_MD_CTX_new()) == NULL ||
		    !EVP_DigestInit_ex(ph->ctx[i], mds[i], NULL) ||
		    (ph->ictx[i] = EVP_MD_CTX_new()) == NULL ||
		    !EVP_DigestInit_ex(ph->ictx[i], mds[i], NULL))
			errx(EXIT_TROUBLE, "cannot start a digest");
		ph->w[i].ph = ph;
		ph->w[i].idx = i;
		if (pthread_create(&ph->w[i].tid, NULL, worker_main, &ph->w[i]))
			errx(EXIT_TROUBLE, "cannot start a hashing thread");
	}
	return ph;
}

unsigned char *
phash_slot(struct phash *ph)
{
	struct slot *s = &ph->s[ph->head % NSLOT];

	pthread_mutex_lock(&ph->m);
	while (s->remaining > 0)
		pthread_cond_wait(&ph->freed, &ph->m);
	pthread_mutex_unlock(&ph->m);
	return s->buf;
}

static void
submit(struct phash *ph, size_t len, char (*out)[HASH_HEXMAX])
{
	struct slot *s = &ph->s[ph->head % NSLOT];

	pthread_mutex_lock(&ph->m);
	s->len = len;
	s->out = out;
	s->remaining = ph->n;
	ph->head++;
	pthread_cond_broadcast(&ph->avail);
	pthread_mutex_unlock(&ph->m);
}

void
phash_submit(struct phash *ph, size_t len)
{
	if (len > 0)
		submit(ph, len, NULL);
}

void
phash_close(struct phash *ph, char hex[][HASH_HEXMAX])
{
	phash_slot(ph);		/* waits for a free slot */
	submit(ph, 0, hex);
}

void
phash_sync(struct phash *ph)
{
	int	 j;

	pthread_mutex_lock(&ph->m);
	for (;;) {
		for (j = 0; j < NSLOT; j++)
			if (ph->s[j].remaining > 0)
				break;
		if (j == NSLOT)
			break;
		pthread_cond_wait(&ph->freed, &ph->m);
	}
	pthread_mutex_unlock(&ph->m);
}

void
phash_end(struct phash *ph, char hex[][HASH_HEXMAX])
{
	phash_close(ph, hex);
	phash_sync(ph);
}

/*
 * A whole small file, hashed on the caller's thread with its own
 * contexts: no handoff, and the workers go on with what they have.
 */
void
phash_inline(struct phash *ph, const void *buf, size_t len,
    char hex[][HASH_HEXMAX])
{
	int	 i;

	for (i = 0; i < ph->n; i++) {
		EVP_DigestUpdate(ph->ictx[i], buf, len);
		finish_one(ph->ictx[i], ph->md[i], hex[i]);
	}
}

void
phash_free(struct phash *ph)
{
	int	 i;

	if (ph == NULL)
		return;
	pthread_mutex_lock(&ph->m);
	ph->quit = true;
	pthread_cond_broadcast(&ph->avail);
	pthread_mutex_unlock(&ph->m);
	for (i = 0; i < ph->n; i++) {
		pthread_join(ph->w[i].tid, NULL);
		EVP_MD_CTX_free(ph->ctx[i]);
		EVP_MD_CTX_free(ph->ictx[i]);
	}
	for (i = 0; i < NSLOT; i++)
		free(ph->s[i].buf);
	free(ph);
}
