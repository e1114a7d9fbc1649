/*
 * MinHash by one-permutation hashing (Li, Owen, Zhang 2012) with
 * rotation densification (Shrivastava, Li 2014): one hash per shingle,
 * the top bits choose one of CD_NPERM bins, each bin keeps its minimum.
 * That is CD_NPERM MinHash values for the price of one hash per shingle,
 * which is what makes a million letters a minute's work.  The values
 * are cut into b bands of r rows; two letters become candidates when
 * some band is equal, which happens with probability 1-(1-s^r)^b.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "cd.h"

#define BIN_SHIFT	57		/* 64 - log2(CD_NPERM) */
#define EMPTY		UINT32_MAX

void
cd_minhash(const uint64_t *sh, size_t nsh, const struct cd_params *p,
    uint32_t *band, uint16_t *sig)
{
	uint32_t v[CD_NPERM], o[CD_NPERM], x;
	size_t	 i;
	int	 b, r, k, d;

	for (k = 0; k < CD_NPERM; k++)
		v[k] = EMPTY;
	for (i = 0; i < nsh; i++) {
		k = (int)(sh[i] >> BIN_SHIFT);
		x = (uint32_t)sh[i];
		if (x < v[k])
			v[k] = x;
	}
	/* empty bins borrow the next filled bin's value, offset by distance */
	memcpy(o, v, sizeof(o));
	for (k = 0; k < CD_NPERM && nsh > 0; k++) {
		if (o[k] != EMPTY)
			continue;
		for (d = 1; d < CD_NPERM && o[(k + d) % CD_NPERM] == EMPTY; d++)
			;
		v[k] = (o[(k + d) % CD_NPERM] & 0x00FFFFFF) | ((uint32_t)d << 24);
	}
	for (k = 0; k < CD_NPERM; k++)
		sig[k] = (uint16_t)(v[k] ^ (v[k] >> 16));
	for (b = 0; b < p->bands; b++) {
		uint32_t row[CD_NPERM];

		for (r = 0; r < p->rows; r++)
			row[r] = v[b * p->rows + r];
		band[b] = (uint32_t)cd_hash64(row, (size_t)p->rows * 4,
		    (uint64_t)b + 1);
	}
}

/*
 * The MinHash estimate of Jaccard from the kept 16-bit values (chance
 * agreement 1/65536 is negligible).  With 128 values its standard error
 * is at most 0.045, so a pair at exactly -t has an estimate CD_SIG_MARGIN
 * (0.1) below it with odds of 1.2%, at -t + 0.05 of 0.03%, at -t + 0.1
 * of 2 in a million; such candidates are dismissed without reading their
 * text.  That is far below what the banding itself misses (at the
 * default 32 x 4, 13% of pairs at exactly 0.5 share no band, 4.6% at
 * 0.55), and it spares most exact checks: on letters sharing boilerplate
 * and chat text, 80% of the pairs that failed verification had estimates
 * 0.1 to 0.2 below -t.  Nothing joins a cluster on an estimate.
 */
double
cd_sig_estimate(const uint16_t *a, const uint16_t *b)
{
	int	 k, eq = 0;

	for (k = 0; k < CD_NPERM; k++)
		eq += a[k] == b[k];
	return (double)eq / CD_NPERM;
}

static double
p_candidate(double s, int b, int r)
{
	return 1 - pow(1 - pow(s, r), b);
}

/* Integrated false-positive and false-negative areas around t. */
static double
cost(double t, int b, int r)
{
	double	 fp = 0, fn = 0, s, ds = 0.005;

	for (s = ds / 2; s < t; s += ds)
		fp += p_candidate(s, b, r) * ds;
	for (s = t + ds / 2; s < 1; s += ds)
		fn += (1 - p_candidate(s, b, r)) * ds;
	/* a missed pair is lost for good; a false candidate only costs a check */
	return 0.15 * fp + 0.85 * fn;
}

void
cd_params_from_t(struct cd_params *p)
{
	double	 best = INFINITY, c, t = p->t;
	int	 b, r;

	if (p->bands > 0 && p->rows > 0)
		return;
	/* a letter inside a longer one has a low Jaccard: band for 0.3 */
	if (p->containment > 0 && t > 0.3)
		t = 0.3;
	for (r = 1; r <= 16; r++)
		for (b = 1; b * r <= CD_NPERM && b <= CD_MAXBANDS; b++) {
			if ((c = cost(t, b, r)) < best) {
				best = c;
				p->bands = b;
				p->rows = r;
			}
		}
}
