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
		if (!cd_is_skip(c = u8_next(m, len, &i)))
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

static int
cmp64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Sorts and removes duplicates in place; returns the distinct count. */
size_t
cd_set(uint64_t *h, size_t n)
{
	size_t	 i, k = 0;

	qsort(h, n, sizeof(*h), cmp64);
	for (i = 0; i < n; i++)
		if (k == 0 || h[k - 1] != h[i])
			h[k++] = h[i];
	return k;
}
