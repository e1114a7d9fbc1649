/*
 * Exact verification: every candidate pair from the bands is checked on
 * the full shingle sets before it may join a cluster, so the LSH
 * estimate decides only what is looked at, never what is reported.
 */
#include "config.h"

#include "cd.h"

void
cd_similarity(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
    struct sim *s)
{
	size_t	 i = 0, j = 0, inter = 0;

	/*
	 * Without branches: on two sets of unrelated hashes the next step is
	 * a coin toss, and mispredicted branches were most of the time spent
	 * verifying millions of candidate pairs.
	 */
	while (i < na && j < nb) {
		uint32_t x = a[i], y = b[j];

		inter += x == y;
		i += x <= y;
		j += y <= x;
	}
	s->jaccard = na + nb - inter > 0 ? (double)inter / (double)(na + nb - inter) : 1;
	s->containment = na && nb ? (double)inter / (double)(na < nb ? na : nb) : 0;
}

bool
cd_accept(const struct cd_params *p, const struct sim *s)
{
	if (s->jaccard >= p->t)
		return true;
	return p->containment > 0 && s->containment >= p->containment;
}
