/*
 * Shingles: character n-grams over code points of the masked text,
 * spaces and punctuation skipped (they vary between copies and carry no
 * wording).  A slot marker is one character, so "本人{name}身份证号{id}"
 * gives the same shingles whatever was filled in.  Each n-gram becomes a
 * 64-bit hash; at the sizes of letters collisions are negligible, so
 * Jaccard over hash sets is the exact Jaccard over n-grams.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cd.h"
#include "u8.h"

static inline uint64_t
fmix64(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ULL;
	k ^= k >> 33;
	return k;
}

/* A fast, well-mixed hash of bytes (for band keys and text identity). */
uint64_t
cd_hash64(const void *p, size_t n, uint64_t seed)
{
	const unsigned char *s = p;
	uint64_t h = seed ^ (n * 0x9E3779B97F4A7C15ULL), w;

	while (n >= 8) {
		memcpy(&w, s, 8);
		h = fmix64(h ^ w) + 0x9E3779B97F4A7C15ULL;
		s += 8;
		n -= 8;
	}
	w = 0;
	memcpy(&w, s, n);
	return fmix64(h ^ w ^ ((uint64_t)n << 56));
}

/*
 * Per-thread scratch, grown to the largest letter seen and kept: the hot
 * path of a million letters then calls malloc only for what it keeps.
 * A thread-specific key frees it when a worker thread ends.
 */
struct scratch {
	uint64_t	*h;
	size_t		 hcap;
	uint32_t	*s;
	size_t		 scap;
};
static _Thread_local struct scratch *scr;
static pthread_key_t scr_key;
static pthread_once_t scr_once = PTHREAD_ONCE_INIT;

static void
scr_free(void *p)
{
	struct scratch *x = p;

	free(x->h);
	free(x->s);
	free(x);
}

static void
scr_init(void)
{
	if (pthread_key_create(&scr_key, scr_free) != 0)
		abort();
}

static struct scratch *
scratch(void)
{
	if (scr == NULL) {
		pthread_once(&scr_once, scr_init);
		if ((scr = calloc(1, sizeof(*scr))) == NULL ||
		    pthread_setspecific(scr_key, scr) != 0)
			abort();
	}
	return scr;
}

static void *
grow(void *p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return p;
	free(p);
	*cap = need < 1024 ? 1024 : need + need / 2;
	if ((p = malloc(*cap * elem)) == NULL)
		abort();
	return p;
}

static inline uint64_t
rotl64(uint64_t x, unsigned r)
{
	return (x << r) | (x >> ((64 - r) & 63));
}

/*
 * The hashes of all n-grams, unsorted, duplicates kept.  One pass over
 * the code points: each gets one 64-bit hash, and the n-gram's hash is
 * a cyclic polynomial (buzhash) of its code points' hashes rolled along
 * the text, O(1) per shingle whatever n, then finalised with fmix64 so
 * that the MinHash bins and the 32-bit set values are well mixed.  The
 * result lives in a per-thread buffer valid until the next call on the
 * same thread: the caller must not free it.  Fewer code points than n
 * give one shingle of all of them.
 */
/* cd_is_skip for the Basic Multilingual Plane, one bit a code point. */
static uint8_t skip_bits[8192];
static pthread_once_t skip_once = PTHREAD_ONCE_INIT;

static void
skip_init(void)
{
	int32_t	 c;

	for (c = 0; c < 0x10000; c++)
		if (cd_is_skip(c))
			skip_bits[c >> 3] |= (uint8_t)(1u << (c & 7));
}

static inline bool
skip(int32_t c)
{
	return c < 0x10000 ? (skip_bits[c >> 3] >> (c & 7)) & 1 : cd_is_skip(c);
}

size_t
cd_shingles(const char *m, size_t len, int n, uint64_t **out)
{
	uint64_t ring[32], h = 0, *o;
	size_t	 i = 0, nc = 0, nh = 0;
	unsigned un = (unsigned)(n < 1 ? 1 : n > 32 ? 32 : n);
	int32_t	 c;
	struct scratch *x = scratch();

	pthread_once(&skip_once, skip_init);
	x->h = grow(x->h, &x->hcap, len + 1, sizeof(*o));
	o = x->h;
	while (i < len) {
		if (skip(c = cd_next(m, len, &i)))
			continue;
		/* the code point's own hash: one multiply-xorshift */
		uint64_t hc = fmix64((uint64_t)(uint32_t)c + 0x2545F4914F6CDD1DULL);

		h = rotl64(h, 1) ^ hc;
		if (nc >= un)	/* drop the code point that left the window */
			h ^= rotl64(ring[nc % un], un);
		ring[nc % un] = hc;
		nc++;
		if (nc >= un)
			o[nh++] = fmix64(h ^ un);
	}
	if (nh == 0 && nc > 0)
		o[nh++] = fmix64(h ^ nc ^ 0x9E3779B97F4A7C15ULL);
	*out = o;
	return nh;
}

/* LSD radix sort, 8 bits a pass, into the per-thread scratch and back. */
static void
radix32(uint32_t *h, size_t n)
{
	uint32_t *tmp, *src = h, *dst, *t;
	size_t	 cnt[4][256], i, sum, c;
	int	 pass;
	struct scratch *x;

	if (n < 2)
		return;
	x = scratch();
	x->s = grow(x->s, &x->scap, n, sizeof(*tmp));
	tmp = x->s;
	/* all four histograms in one read of the keys */
	memset(cnt, 0, sizeof(cnt));
	for (i = 0; i < n; i++) {
		cnt[0][h[i] & 0xFF]++;
		cnt[1][(h[i] >> 8) & 0xFF]++;
		cnt[2][(h[i] >> 16) & 0xFF]++;
		cnt[3][h[i] >> 24]++;
	}
	dst = tmp;
	for (pass = 0; pass < 4; pass++) {
		for (sum = 0, i = 0; i < 256; i++) {
			c = cnt[pass][i];
			cnt[pass][i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			dst[cnt[pass][(src[i] >> (8 * pass)) & 0xFF]++] = src[i];
		t = src, src = dst, dst = t;
	}
	/* after an even number of passes the result is in h */
}

/*
 * The exact set kept for verification: the distinct shingles as 32-bit
 * hashes, sorted.  Two letters of 600 shingles share a 32-bit value by
 * chance with probability about 1e-4, so the Jaccard computed on these
 * sets is the n-gram Jaccard to within one shingle in ten thousand pairs.
 */
size_t
cd_set(const uint64_t *h, size_t n, uint32_t **out)
{
	uint32_t *s;
	size_t	 i, k = 0;

	if ((s = malloc((n + 1) * sizeof(*s))) == NULL)
		abort();
	for (i = 0; i < n; i++)
		s[i] = (uint32_t)(h[i] >> 32);
	radix32(s, n);
	for (i = 0; i < n; i++)
		if (k == 0 || s[k - 1] != s[i])
			s[k++] = s[i];
	*out = s;
	return k;
}
