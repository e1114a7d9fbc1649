/*
 * Parallel digests over one read.  The reader fills 1 MiB slots of a ring;
 * each slot belongs to one or more streams (create has two: the payload
 * files and the archive being written, whose bytes are mostly the same
 * memory), and each digest ("lane") takes the slots of its stream.
 *
 * Lanes are grouped onto threads by cost: an SM3 lane, the slowest, gets a
 * thread of its own; the cheap ones (SHA-256 has SHA-NI, SHA-512 is twice
 * SM3's speed) share one.  On two cores create's five digests then run as
 * three threads of about equal work, and verify's three as two, so the
 * wall time is that of one SM3 pass, not the sum.  SM3 itself comes from
 * libgcrypt, whose implementation is faster than OpenSSL 3.0's here.
 *
 * The end of a file is a slot of its own: each lane of that stream
 * finishes its digest there and writes the hex where the caller said, so
 * the reader goes on without waiting (phash_sync() waits, once, at the
 * end).  Small files are hashed on the caller's thread with contexts of its
 * own (phash_inline).
 */
#include "config.h"

#include <err.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <gcrypt.h>
#include <openssl/objects.h>

#include "cb.h"

#define NSLOT	16	/* deep: on a busy machine a stage may wait long to run */

struct slot {
	unsigned char	*buf;
	size_t		 len;
	unsigned	 streams;	/* whose bytes these are */
	int		 remaining;	/* threads still to take it */
	char		(*out)[HASH_HEXMAX];	/* end of a file: hex goes here */
};

/* One digest: OpenSSL EVP, or libgcrypt for SM3. */
struct lane {
	const EVP_MD	*md;
	EVP_MD_CTX	*ctx, *ictx;		/* worker's, phash_inline's */
	gcry_md_hd_t	 g, ig;
	unsigned	 stream;
	int		 sidx;			/* its index in its stream's hex */
	int		 thread;
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
	int		 n, nthreads;
	bool		 quit;
	struct lane	 l[PHASH_MAXALGS];
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

/* libgcrypt wants one call before any other, from one thread. */
static void
gcrypt_init(void)
{
	static bool done;

	if (done)
		return;
	if (gcry_check_version(GCRYPT_VERSION) == NULL)
		errx(EXIT_TROUBLE, "libgcrypt is older than the one built with");
	gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
	gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
	done = true;
}

static bool
is_sm3(const EVP_MD *md)
{
	return EVP_MD_get_type(md) == NID_sm3;
}

static void
lane_start(struct lane *l)
{
	if (is_sm3(l->md)) {
		gcrypt_init();
		if (gcry_md_open(&l->g, GCRY_MD_SM3, 0) != 0 ||
		    gcry_md_open(&l->ig, GCRY_MD_SM3, 0) != 0)
			errx(EXIT_TROUBLE, "cannot start a digest");
		return;
	}
	if ((l->ctx = EVP_MD_CTX_new()) == NULL ||
	    !EVP_DigestInit_ex(l->ctx, l->md, NULL) ||
	    (l->ictx = EVP_MD_CTX_new()) == NULL ||
	    !EVP_DigestInit_ex(l->ictx, l->md, NULL))
		errx(EXIT_TROUBLE, "cannot start a digest");
}

static void
lane_update(struct lane *l, bool inl, const void *buf, size_t len)
{
	if (l->g != NULL)
		gcry_md_write(inl ? l->ig : l->g, buf, len);
	else
		EVP_DigestUpdate(inl ? l->ictx : l->ctx, buf, len);
}

/* Writes the digest as hex and starts the context again. */
static void
lane_finish(struct lane *l, bool inl, char *hex)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned len;

	if (l->g != NULL) {
		gcry_md_hd_t h = inl ? l->ig : l->g;

		cb_tohex(gcry_md_read(h, GCRY_MD_SM3),
		    gcry_md_get_algo_dlen(GCRY_MD_SM3), hex);
		gcry_md_reset(h);
		return;
	}
	EVP_DigestFinal_ex(inl ? l->ictx : l->ctx, d, &len);
	cb_tohex(d, len, hex);
	EVP_DigestInit_ex(inl ? l->ictx : l->ctx, l->md, NULL);
}

static void
lane_free(struct lane *l)
{
	EVP_MD_CTX_free(l->ctx);
	EVP_MD_CTX_free(l->ictx);
	if (l->g != NULL) {
		gcry_md_close(l->g);
		gcry_md_close(l->ig);
	}
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct phash *ph = w->ph;
	struct slot *s;
	struct lane *l;
	int	 i;

	pthread_mutex_lock(&ph->m);
	for (;;) {
		while (w->tail == ph->head && !ph->quit)
			pthread_cond_wait(&ph->avail, &ph->m);
		if (w->tail == ph->head && ph->quit)
			break;
		s = &ph->s[w->tail % NSLOT];
		pthread_mutex_unlock(&ph->m);
		for (i = 0; i < ph->n; i++) {
			l = &ph->l[i];
			if (l->thread != w->idx || !(l->stream & s->streams))
				continue;
			if (s->out != NULL)
				lane_finish(l, false, s->out[l->sidx]);
			else
				lane_update(l, false, s->buf, s->len);
		}
		pthread_mutex_lock(&ph->m);
		w->tail++;
		if (--s->remaining == 0)
			pthread_cond_broadcast(&ph->freed);
	}
	pthread_mutex_unlock(&ph->m);
	return NULL;
}

/*
 * Which thread runs each lane: an SM3 (or other slow) lane alone, the
 * others together on one more thread.
 */
static void
assign_threads(struct phash *ph)
{
	int	 i, shared = -1;

	ph->nthreads = 0;
	for (i = 0; i < ph->n; i++) {
		const EVP_MD *md = ph->l[i].md;
		bool	 cheap = EVP_MD_get_type(md) == NID_sha256 ||
		    EVP_MD_get_type(md) == NID_sha224 ||
		    EVP_MD_get_type(md) == NID_sha512 ||
		    EVP_MD_get_type(md) == NID_sha384 ||
		    EVP_MD_get_type(md) == NID_sha1;

		if (!cheap)
			ph->l[i].thread = ph->nthreads++;
		else {
			if (shared == -1)
				shared = ph->nthreads++;
			ph->l[i].thread = shared;
		}
	}
}

struct phash *
phash_new2(const EVP_MD *const *mds, const unsigned *streams, int n)
{
	struct phash *ph;
	int	 i, k;

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
		ph->l[i].md = mds[i];
		ph->l[i].stream = streams != NULL ? streams[i] : PH_PAY;
		for (k = 0; k < i; k++)
			if (ph->l[k].stream == ph->l[i].stream)
				ph->l[i].sidx++;
		lane_start(&ph->l[i]);
	}
	assign_threads(ph);
	for (i = 0; i < ph->nthreads; i++) {
		ph->w[i].ph = ph;
		ph->w[i].idx = i;
		if (pthread_create(&ph->w[i].tid, NULL, worker_main, &ph->w[i]))
			errx(EXIT_TROUBLE, "cannot start a hashing thread");
	}
	return ph;
}

struct phash *
phash_new(const EVP_MD *const *mds, int n)
{
	return phash_new2(mds, NULL, n);
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
submit(struct phash *ph, size_t len, unsigned streams,
    char (*out)[HASH_HEXMAX])
{
	struct slot *s = &ph->s[ph->head % NSLOT];

	pthread_mutex_lock(&ph->m);
	s->len = len;
	s->streams = streams;
	s->out = out;
	s->remaining = ph->nthreads;
	ph->head++;
	pthread_cond_broadcast(&ph->avail);
	pthread_mutex_unlock(&ph->m);
}

void
phash_submit_to(struct phash *ph, size_t len, unsigned streams)
{
	if (len > 0)
		submit(ph, len, streams, NULL);
}

void
phash_submit(struct phash *ph, size_t len)
{
	phash_submit_to(ph, len, PH_PAY);
}

void
phash_put(struct phash *ph, const void *buf, size_t len, unsigned streams)
{
	const unsigned char *p = buf;
	size_t	 n;

	while (len > 0) {
		n = len < PHASH_SLOT ? len : PHASH_SLOT;
		memcpy(phash_slot(ph), p, n);
		submit(ph, n, streams, NULL);
		p += n;
		len -= n;
	}
}

void
phash_close_to(struct phash *ph, unsigned streams, char hex[][HASH_HEXMAX])
{
	phash_slot(ph);		/* waits for a free slot */
	submit(ph, 0, streams, hex);
}

void
phash_close(struct phash *ph, char hex[][HASH_HEXMAX])
{
	phash_close_to(ph, PH_PAY, hex);
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
 * A whole small file of the payload stream, hashed on the caller's thread
 * with its own contexts: no handoff, and the workers go on with what they
 * have.
 */
void
phash_inline(struct phash *ph, const void *buf, size_t len,
    char hex[][HASH_HEXMAX])
{
	int	 i;

	for (i = 0; i < ph->n; i++) {
		if (ph->l[i].stream != PH_PAY)
			continue;
		lane_update(&ph->l[i], true, buf, len);
		lane_finish(&ph->l[i], true, hex[ph->l[i].sidx]);
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
	for (i = 0; i < ph->nthreads; i++)
		pthread_join(ph->w[i].tid, NULL);
	for (i = 0; i < ph->n; i++)
		lane_free(&ph->l[i]);
	for (i = 0; i < NSLOT; i++)
		free(ph->s[i].buf);
	free(ph);
}
