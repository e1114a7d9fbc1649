/*
 * Aligned double quantisation (Lin, He, Tang, Tang, Pattern Recognition
 * 2009; Bianchi and Piva, IEEE TIFS 2011), on the luminance DCT
 * coefficients as stored.
 *
 * A JPEG decompressed and saved again keeps the trace of its first
 * quantisation step q1 in the histogram of each low-frequency
 * coefficient, now quantised by q2: when q1 > q2, some bins are
 * periodically emptied (no multiple of q1 lands in them).  Per
 * coefficient, the q1 whose emptied bins hold under MAXRATIO of what
 * the full bins above them bound from below is the primary step; three
 * coefficients must show it before the image is called double-compressed
 * (a histogram decreasing away from 0 has no such holes).  A block
 * with a coefficient in an emptied bin did not go through q1: pasted
 * content sits where such blocks gather.  Their regions are validated
 * a contrario: a bounding box of n blocks holding k such blocks is
 * meaningful when NT * P[B(n, k, p0)] < epsilon, p0 being (an upper
 * bound of) the rate of such blocks over the whole image, so the test
 * is against the image itself, and NT the number of rectangles of
 * blocks.  Blocks that clip a channel or overhang the image edge are
 * not judged.  Not seen: q1 <= q2 (no emptied bins), same-quality
 * resaves, and q1 <= 3 q2 when q2 = 1 (rounding fills every bin).
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pixel_int.h"

#define NPOS	9	/* low-frequency AC coefficients used */
#define VMAX	60	/* histogram range: |v| <= VMAX */
#define Q1MAX	64
#define SIGMA	0.5	/* rounding error allowed in DCT units, each side */
#define MINEXP	50.0	/* counts the emptied bins must be expected to hold */
#define MAXRATIO 0.1	/* emptied bins hold at most this share of it */

/* zigzag order 1..9, as natural-order indices */
static const int pos[NPOS] = { 1, 8, 16, 9, 2, 3, 10, 17, 24 };

/* The IJG standard luminance table, natural order (JPEG Annex K). */
static const int stdlum[64] = {
	16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55,
	14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
	18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
	49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99
};

struct fit {
	int	 q2, q1;		/* q1 == 0: no double compression seen */
	double	 ratio;			/* observed / expected in emptied bins */
	double	 expected;
	unsigned char empty[VMAX + 1];	/* |v| bins q1 then q2 leaves empty */
};

/*
 * The bins |v| that no multiple of q1 reaches once requantised by q2,
 * allowing SIGMA of rounding error on either side.
 */
static int
empty_bins(int q1, int q2, unsigned char *e)
{
	int v, m, n = 0;
	double c;

	for (v = 0; v <= VMAX; v++) {
		e[v] = v > 0;
		for (m = (int)floor((q2 * (v - 1.0)) / q1);
		    e[v] && m <= (int)ceil((q2 * (v + 1.0)) / q1); m++) {
			c = (double)q1 * m;
			if (fabs(c - q2 * (double)v) < q2 / 2.0 + SIGMA)
				e[v] = 0;
		}
		n += e[v];
	}
	return n;
}

/*
 * The primary step of one coefficient.  For each candidate q1 (above
 * q2; a step below q2 empties no bin) we compare what its emptied bins hold with
 * what they would hold without it: an AC coefficient's histogram
 * decreases away from 0, so the next full bin above a run of emptied
 * bins is a lower bound of each of them under single compression (no
 * bias towards detection, whatever the histogram's shape).  The best q1
 * leaves the most mass missing (expected - obs / MAXRATIO): a divisor
 * of the true step empties fewer bins, a wrong step fills some of them.
 */
static void
fit_pos(const struct px_coef *c, int k, struct fit *f)
{
	long h[VMAX + 1] = { 0 };
	unsigned char e[VMAX + 1];
	double obs, ex, score, best = 0;
	size_t b, nb = (size_t)c->bw * c->bh;
	int v, q1, hi;

	memset(f, 0, sizeof(*f));
	f->q2 = c->qt[k] ? c->qt[k] : 1;
	for (b = 0; b < nb; b++) {
		v = abs(c->coef[b * 64 + k]);
		if (v <= VMAX)
			h[v]++;
	}
	for (q1 = f->q2 + 1; q1 <= Q1MAX; q1++) {
		if (empty_bins(q1, f->q2, e) == 0)
			continue;
		obs = ex = 0;
		for (v = 1; v < VMAX; v++) {
			if (!e[v])
				continue;
			for (hi = v + 1; hi < VMAX && e[hi]; hi++)
				;
			if (e[hi])
				continue;	/* no full bin above within range */
			obs += h[v];
			ex += h[hi];
		}
		score = ex - obs / MAXRATIO;
		if (ex >= MINEXP && score > best) {
			best = score;
			f->q1 = q1, f->ratio = obs / ex, f->expected = ex;
			memcpy(f->empty, e, sizeof(e));
		}
	}
}

/*
 * The IJG qualities whose scaled tables best match the primary steps:
 * neighbouring qualities often share the low-frequency steps, so the
 * answer is a range.
 */
static int
primary_quality(const struct fit *f, int *hi)
{
	int q, i, sc, t, lo = -1, err, besterr = 1 << 30;

	*hi = -1;
	for (q = 1; q <= 100; q++) {
		sc = q < 50 ? 5000 / q : 200 - 2 * q;
		for (err = 0, i = 0; i < NPOS; i++) {
			if (f[i].q1 == 0)
				continue;
			t = (stdlum[pos[i]] * sc + 50) / 100;
			t = t < 1 ? 1 : t > 255 ? 255 : t;
			err += abs(t - f[i].q1);
		}
		if (err < besterr)
			besterr = err, lo = *hi = q;
		else if (err == besterr && *hi == q - 1)
			*hi = q;
	}
	return lo;
}

static json_t *
fits_json(const struct fit *f)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < NPOS; i++)
		json_array_append_new(a, json_pack("{s:[ii],s:i,s:i,s:f,s:f}",
		    "coef", pos[i] % 8, pos[i] / 8, "q2", f[i].q2,
		    "q1", f[i].q1, "empty_bin_ratio", f[i].ratio,
		    "expected", f[i].expected));
	return a;
}

/*
 * A saturated colour (a red seal) clips a channel when decoded (or
 * nearly, once compressed again): the
 * rounding error is then far beyond SIGMA and the block cannot be
 * judged.  Grey clipping (white paper) converts back exactly.
 */
static int
colour_clips(const struct px_image *im, int bx, int by)
{
	int x, y, mn, mx;
	const unsigned char *p;

	for (y = by * 8; y < by * 8 + 8 && y < im->h; y++)
		for (x = bx * 8; x < bx * 8 + 8 && x < im->w; x++) {
			p = im->rgb + ((size_t)y * im->w + x) * 3;
			mn = p[0] < p[1] ? p[0] : p[1];
			mn = p[2] < mn ? p[2] : mn;
			mx = p[0] > p[1] ? p[0] : p[1];
			mx = p[2] > mx ? p[2] : mx;
			if (mn <= 6 || mx >= 249 ||
			    ((mn <= 12 || mx >= 243) && mx - mn >= 48))
				return 1;
		}
	return 0;
}

/*
 * A block that overhangs the image's right or bottom edge holds the
 * encoder's padding, which a second compression does not reproduce.
 */
static int
partial(const struct px_coef *c, size_t b)
{
	return (int)(b % c->bw) * 8 + 8 > c->img->w ||
	    (int)(b / c->bw) * 8 + 8 > c->img->h;
}

/* Per block: 1 when a coefficient sits in a bin the primary step empties. */
static void
block_flags(const struct px_coef *c, const struct fit *f, unsigned char *fl,
    long *nflag)
{
	size_t b, nb = (size_t)c->bw * c->bh;
	int i, v;

	*nflag = 0;
	for (b = 0; b < nb; b++) {
		fl[b] = 0;
		if (colour_clips(c->img, (int)(b % c->bw), (int)(b / c->bw)) ||
		    partial(c, b))
			continue;
		for (i = 0; i < NPOS && !fl[b]; i++) {
			if (f[i].q1 == 0)
				continue;
			v = abs(c->coef[b * 64 + pos[i]]);
			fl[b] = v <= VMAX && f[i].empty[v];
		}
		*nflag += fl[b];
	}
}

/*
 * Closing (dilation then erosion, 3x3) of the flagged blocks: a gap of
 * one block inside a pasted region is bridged, but scattered flags two
 * blocks apart are not chained into one region.
 */
static unsigned char *
closing(const unsigned char *fl, int bw, int bh)
{
	unsigned char *dil = calloc((size_t)bw * bh, 1);
	unsigned char *out = calloc((size_t)bw * bh, 1);
	int x, y, dx, dy, all;

	if (dil == NULL || out == NULL) {
		free(dil), free(out);
		return NULL;
	}
	for (y = 0; y < bh; y++)
		for (x = 0; x < bw; x++)
			for (dy = -1; fl[y * bw + x] && dy <= 1; dy++)
				for (dx = -1; dx <= 1; dx++)
					if (y + dy >= 0 && y + dy < bh &&
					    x + dx >= 0 && x + dx < bw)
						dil[(y + dy) * bw + x + dx] = 1;
	for (y = 0; y < bh; y++)
		for (x = 0; x < bw; x++) {
			for (all = 1, dy = -1; all && dy <= 1; dy++)
				for (dx = -1; dx <= 1; dx++)
					if (y + dy >= 0 && y + dy < bh &&
					    x + dx >= 0 && x + dx < bw &&
					    !dil[(y + dy) * bw + x + dx])
						all = 0;
			out[y * bw + x] = (unsigned char)(all || fl[y * bw + x]);
		}
	free(dil);
	return out;
}

/*
 * A flagged block with two flagged neighbours: the bounding box of a
 * region is drawn around these, so a stray flag at its edge does not
 * stretch it.
 */
static int
core(const unsigned char *fl, int bw, int bh, int x, int y)
{
	int dx, dy, n = 0;

	if (!fl[y * bw + x])
		return 0;
	for (dy = -1; dy <= 1; dy++)
		for (dx = -1; dx <= 1; dx++)
			if ((dx || dy) && y + dy >= 0 && y + dy < bh &&
			    x + dx >= 0 && x + dx < bw)
				n += fl[(y + dy) * bw + x + dx];
	return n >= 2;
}

/* Connected regions of the closed flags, each tested on its bounding box. */
static int
dq_regions(const struct px_coef *c, const unsigned char *fl, double p0,
    struct px_findings *f, const struct px_opts *o, json_t *facts)
{
	int bw = c->bw, bh = c->bh, n, i, x, y, found = 0;
	unsigned char *dil = closing(fl, bw, bh);
	int *lab = malloc((size_t)bw * bh * sizeof(int)), *bb;
	double lnt = 2 * log10((double)bw * bh), lnfa;

	if (dil == NULL || lab == NULL) {
		free(dil), free(lab);
		return -1;
	}
	n = px_label(dil, bw, bh, lab);
	bb = n > 0 ? malloc((size_t)n * 4 * sizeof(int)) : NULL;
	for (i = 0; bb != NULL && i < n; i++)
		bb[4 * i] = bw, bb[4 * i + 1] = bh, bb[4 * i + 2] = -1,
		bb[4 * i + 3] = -1;
	for (y = 0; bb != NULL && y < bh; y++)
		for (x = 0; x < bw; x++)
			if ((i = lab[y * bw + x] - 1) >= 0 &&
			    core(fl, bw, bh, x, y)) {
				if (x < bb[4 * i]) bb[4 * i] = x;
				if (y < bb[4 * i + 1]) bb[4 * i + 1] = y;
				if (x > bb[4 * i + 2]) bb[4 * i + 2] = x;
				if (y > bb[4 * i + 3]) bb[4 * i + 3] = y;
			}
	for (i = 0; bb != NULL && i < n; i++) {
		long nn = 0, kk = 0;
		if (bb[4 * i + 2] < 0)
			continue;
		for (y = bb[4 * i + 1]; y <= bb[4 * i + 3]; y++)
			for (x = bb[4 * i]; x <= bb[4 * i + 2]; x++)
				nn++, kk += fl[y * bw + x];
		lnfa = lnt + px_log10_binom_tail(nn, kk, p0);
		if (lnfa >= o->log10_eps)
			continue;
		int reg[4] = { bb[4 * i] * 8, bb[4 * i + 1] * 8,
		    (bb[4 * i + 2] - bb[4 * i] + 1) * 8,
		    (bb[4 * i + 3] - bb[4 * i + 1] + 1) * 8 };
		json_t *d = json_pack("{s:I,s:I,s:f,s:O}", "blocks", (json_int_t)nn,
		    "single_blocks", (json_int_t)kk, "background_rate", p0,
		    "primary", facts);
		px_add(f, "jpeg.dq.single", lnfa, reg, d, o);
		found++;
	}
	free(bb), free(dil), free(lab);
	return found;
}

int
px_dq(const struct px_coef *c, struct px_findings *f, const struct px_opts *o)
{
	struct fit *fit;
	unsigned char *fl;
	json_t *facts;
	long nflag;
	int i, ndq = 0, q, qhi = -1, found = 0;

	if (c == NULL || c->coef == NULL || c->bw < 4 || c->bh < 4)
		return 0;
	if ((fit = calloc(NPOS, sizeof(*fit))) == NULL)
		return -1;
	for (i = 0; i < NPOS; i++) {
		fit_pos(c, pos[i], &fit[i]);
		ndq += fit[i].q1 != 0;
	}
	/* double compression needs agreeing evidence from 3 coefficients */
	if (ndq < 3)
		for (i = 0; i < NPOS; i++)
			fit[i].q1 = 0;
	q = ndq >= 3 ? primary_quality(fit, &qhi) : -1;
	facts = json_pack("{s:b,s:o}", "double_compressed", ndq >= 3,
	    "coefficients", fits_json(fit));
	if (q > 0) {
		json_object_set_new(facts, "primary_quality", json_integer((q +
		    qhi + 1) / 2));
		json_object_set_new(facts, "primary_quality_range",
		    json_pack("[ii]", q, qhi));
	}
	if (c->quality > 0)
		json_object_set_new(facts, "quality", json_integer(c->quality));
	/*
	 * Without the decoded image, clipped and edge blocks cannot be
	 * set aside, and they alone can gather into regions: facts only.
	 */
	json_object_set_new(facts, "regions_tested", json_boolean(ndq >= 3 &&
	    c->img != NULL));
	if (ndq >= 3 && c->img != NULL &&
	    (fl = malloc((size_t)c->bw * c->bh)) != NULL) {
		block_flags(c, fit, fl, &nflag);
		json_object_set_new(facts, "single_blocks", json_integer(nflag));
		/* p0 from few blocks is uncertain: take an upper bound */
		if (nflag > 0)
			found = dq_regions(c, fl, (nflag + 3 * sqrt((double)nflag) +
			    1) / ((double)c->bw * c->bh), f, o, facts);
		free(fl);
	}
	px_add(f, "info.jpeg.dq", 0, NULL, facts, o);
	free(fit);
	return found < 0 ? -1 : 0;
}
