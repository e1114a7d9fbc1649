/*
 * Shingles: character n-grams over code points of the masked text,
 * spaces and punctuation skipped (they vary between copies and carry no
 * wording).  A slot marker is one character, so "本人{name}身份证号{id}"
 * gives the same shingles whatever was filled in.  Each n-gram becomes a
 * 64-bit hash; at the sizes of letters collisions are negligible, so
 * Jaccard over hash sets is the exact Jaccard over n-grams.
 */
#include "config.h"

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

/* The hashes of all n-grams, unsorted, duplicates kept; *out malloc'd. */
size_t
cd_shingles(const char *m, size_t len, int n, uint64_t **out)
{
	int32_t	*cp, c;
	uint64_t *h, x;
	size_t	 nc = 0, i = 0, k, nh;
	int	 j;

	if ((cp = malloc((len + 1) * sizeof(*cp))) == NULL)
		abort();
	while (i < len)
		if (!cd_is_skip(c = cd_next(m, len, &i)))
			cp[nc++] = c;
	nh = nc >= (size_t)n ? nc - (size_t)n + 1 : (nc > 0);
	if ((h = malloc((nh + 1) * sizeof(*h))) == NULL)
		abort();
	for (k = 0; k < nh; k++) {
		x = 0x2545F4914F6CDD1DULL;
		for (j = 0; j < n && k + (size_t)j < nc; j++)
			x = fmix64(x ^ (uint64_t)(uint32_t)cp[k + (size_t)j]) +
			    (uint64_t)j;
		h[k] = x;
	}
	free(cp);
	*out = h;
	return nh;
}

/* LSD radix sort, 8 bits a pass: letters give a few hundred keys. */
static void
radix32(uint32_t *h, size_t n)
{
	uint32_t *tmp, *src = h, *dst, *t;
	size_t	 cnt[256], i, sum, c;
	int	 pass;

	if (n < 2)
		return;
	if ((tmp = malloc(n * sizeof(*tmp))) == NULL)
		abort();
	dst = tmp;
	for (pass = 0; pass < 4; pass++) {
		memset(cnt, 0, sizeof(cnt));
		for (i = 0; i < n; i++)
			cnt[(src[i] >> (8 * pass)) & 0xFF]++;
		for (sum = 0, i = 0; i < 256; i++) {
			c = cnt[i];
			cnt[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			dst[cnt[(src[i] >> (8 * pass)) & 0xFF]++] = src[i];
		t = src, src = dst, dst = t;
	}
	free(tmp);	/* after an even number of passes the result is in h */
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
