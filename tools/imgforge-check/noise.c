/*
 * Noise-level inconsistency, after Noisesniffer (Gardella, Musé, Morel,
 * Colom, IWBF 2021; IPOL 2024).
 *
 * A camera or a scanner leaves noise whose level depends on intensity;
 * content painted or typed into the image afterwards (a patch of paper
 * colour, retyped digits) carries less of it.  The luminance is cut
 * into 8x8 blocks off the JPEG grid (origin 4,4: on the grid the high
 * frequencies are quantisation, not noise), each with its mean, its
 * low-frequency (texture) and high-frequency (noise) DCT energy.
 * Blocks are binned by mean intensity; within a bin the flatter half
 * that look like noise are the candidates, and the candidates with no
 * noise at all are marked, at each level q (of three) where they are at
 * most a share q of the bin.  Under the null hypothesis (one noise model
 * for the whole image) marks fall on candidates independently with
 * probability at most q, so a rectangle of n candidates holding k marks
 * has NFA = NT * P[B(n, k, q)], NT the number of rectangles of blocks
 * times the number of levels.  Clipped blocks (no noise survives
 * clipping) are left out; a noise-free image (a screenshot) has flat
 * blocks everywhere and marks nothing.  Only the absence of noise is
 * tested (see mark_bin).
 *
 * A flat block is evidence only where the area around it is measurably
 * noisy (see noisy_ring: most of at least RING_MIN blocks): in a rendered image or a smooth, quiet area
 * (a synthetic sky whose noise is below one grey level), flat blocks are
 * the extreme of a noise-free area, scattered among nearly flat ones, and
 * the test above, which takes the marks to be independent, would count
 * that spatial clustering as evidence.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pixel_int.h"

/* shares of a bin's candidates marked as low-noise, each level a test */
static const double levels[] = { 0.05, 0.01, 0.002 };
#define NLEV	(int)(sizeof(levels) / sizeof(levels[0]))
#define FLAT	0.05	/* DCT energy (RMS) of a digitally flat block */
#define BINSZ	2000	/* blocks per intensity bin (fewer: the whole image) */
#define MINBIN	200	/* a bin needs this many candidates to be used */
/*
 * The RMS of the rounding noise of 8-bit samples (uniform on one grey
 * level: 1/sqrt(12)), which an orthonormal DCT keeps per coefficient.
 * A block whose high-frequency energy is below it carries no noise that
 * 8-bit pixels can show.
 */
#define QUIET	0.2887f
/*
 * The least ring that can show an area is noisy: a flat strip along a
 * bubble of a screenshot saved as JPEG once had a ring of one block,
 * noisy with the ringing of the text above it.
 */
#define RING_MIN	4

struct nblk {
	float	 mean, lf, hf;
	int	 idx;		/* index in the block grid */
};

static int
by_mean(const void *a, const void *b)
{
	float x = ((const struct nblk *)a)->mean, y = ((const struct nblk *)b)->mean;

	return x < y ? -1 : x > y;
}

static int
by_lf(const void *a, const void *b)
{
	float x = ((const struct nblk *)a)->lf, y = ((const struct nblk *)b)->lf;

	return x < y ? -1 : x > y;
}

/*
 * Mean, texture and noise energy of the block at (x, y); -1 if a
 * channel clips (or nearly): clipping removes noise, a red seal's red
 * channel as much as a white highlight.
 */
static int
measure(const struct px_image *im, const float *L, int x, int y,
    struct nblk *b)
{
	float blk[64], t[64], c[64];
	double lf = 0, hf = 0, s = 0;
	int i, j, k, nlf = 0, nhf = 0, w = im->w;
	const unsigned char *p;

	for (j = 0; j < 8; j++)
		for (i = 0; i < 8; i++) {
			p = im->rgb + ((size_t)(y + j) * w + x + i) * 3;
			for (k = 0; k < 3; k++)
				if (p[k] <= 3 || p[k] >= 252)
					return -1;
			blk[j * 8 + i] = L[(size_t)(y + j) * w + x + i];
			s += blk[j * 8 + i];
		}
	for (j = 0; j < 8; j++)
		px_dct8(blk + j * 8, 1, t + j * 8);
	for (i = 0; i < 8; i++) {
		float col[8];
		px_dct8(t + i, 8, col);
		for (j = 0; j < 8; j++)
			c[j * 8 + i] = col[j];
	}
	for (j = 0; j < 8; j++)
		for (i = 0; i < 8; i++) {
			if (i + j == 0)
				continue;
			if (i + j <= 2)
				lf += c[j * 8 + i] * c[j * 8 + i], nlf++;
			else if (i + j >= 6)
				hf += c[j * 8 + i] * c[j * 8 + i], nhf++;
		}
	b->mean = (float)(s / 64);
	b->lf = (float)sqrt(lf / nlf);
	b->hf = (float)sqrt(hf / nhf);
	return 0;
}

/* Marks, in one bin, the flat candidates with noise below its q-quantile. */
/*
 * Marks, in one bin, the candidates that are digitally flat (no noise
 * at all), at each level q where such blocks are at most a share q of
 * the bin's candidates.  Candidates are the flatter half of the bin that
 * also look like noise (texture leaks into the high frequencies; blurred
 * noise has more low-frequency energy than white noise, hence the
 * generous ratio).
 *
 * Why only flat blocks: measured on camera JPEGs, the noise left in a
 * smooth area drifts with processing, resampling and quantisation (an
 * overcast sky in a downscaled photo reads far below a wall of the
 * same brightness), so "lower than the bin" is no evidence.  A block
 * with no variation at all, unclipped, in an image whose flat areas of
 * that brightness almost never are, is: it was painted.
 */
static void
mark_bin(struct nblk *v, size_t n, unsigned char *cand, unsigned char *mark)
{
	size_t i, nc = 0, nflat = 0;
	int l;

	qsort(v, n, sizeof(*v), by_lf);
	for (i = 0; i < n / 2; i++)
		if (v[i].lf <= 4 * v[i].hf + 2)
			v[nc++] = v[i];
	if (nc < MINBIN)
		return;
	for (i = 0; i < nc; i++)
		nflat += v[i].hf <= FLAT && v[i].lf <= FLAT;
	for (i = 0; i < nc; i++) {
		cand[v[i].idx] = 1;
		if (v[i].hf > FLAT || v[i].lf > FLAT)
			continue;
		for (l = 0; l < NLEV; l++)
			if (nflat <= levels[l] * nc)
				mark[v[i].idx] |= (unsigned char)(1 << l);
	}
}

struct ndet {
	int	 bb[4], level;
	long	 n, k, ring, ring_noisy;
	double	 lnfa;
};

/*
 * Counts the candidate blocks at Chebyshev distance exactly 2 from the
 * rectangle bb (x0, y0, x1, y1) and, in *noisy, those whose noise is
 * measurable (high-frequency RMS at least QUIET); returns their number.
 * Distance 2, not 1: a block next to a flat one may hold part of the same
 * painted patch, since a patch need not follow the 8x8 blocks.
 */
static long
noisy_ring(const unsigned char *cand, const float *hf, int bw, int bh,
    const int *bb, long *noisy)
{
	long m = 0;
	int x, y, step;

	*noisy = 0;
	for (y = bb[1] - 2; y <= bb[3] + 2; y++) {
		if (y < 0 || y >= bh)
			continue;
		/* inner rows of the ring: only its left and right columns */
		step = y == bb[1] - 2 || y == bb[3] + 2 ? 1 :
		    bb[2] - bb[0] + 4;
		for (x = bb[0] - 2; x <= bb[2] + 2; x += step) {
			if (x < 0 || x >= bw || !cand[y * bw + x])
				continue;
			m++;
			*noisy += hf[y * bw + x] >= QUIET;
		}
	}
	return m;
}

static int
overlap(const int *a, const int *b)
{
	return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

/* Keeps a detection unless an overlapping one is more meaningful. */
static void
keep(struct ndet *d, int *nd, int cap, const struct ndet *c)
{
	int i;

	for (i = 0; i < *nd; i++)
		if (overlap(d[i].bb, c->bb)) {
			if (c->lnfa < d[i].lnfa)
				d[i] = *c;
			return;
		}
	if (*nd < cap)
		d[(*nd)++] = *c;
}

static void
report(struct px_findings *f, const struct ndet *d, const struct px_opts *o)
{
	int reg[4] = { 4 + d->bb[0] * 8, 4 + d->bb[1] * 8,
	    (d->bb[2] - d->bb[0] + 1) * 8, (d->bb[3] - d->bb[1] + 1) * 8 };
	json_t *j = json_pack("{s:I,s:I,s:f,s:s,s:I,s:I}", "candidate_blocks",
	    (json_int_t)d->n, "low_noise_blocks", (json_int_t)d->k, "q",
	    levels[d->level], "direction", "lower", "ring_blocks",
	    (json_int_t)d->ring, "ring_noisy_blocks", (json_int_t)d->ring_noisy);

	px_add(f, "noise.low", d->lnfa, reg, j, o);
}

/*
 * Regions of level-l marks (within one block of each other), NFA; a
 * region counts only where most of the candidate blocks around it are
 * measurably noisy (the median noise around it is above the rounding
 * noise): flat blocks in a quiet area are that area's own extreme.
 */
static int
regions(const unsigned char *cand, const unsigned char *mk, const float *hf,
    int bw, int bh, int l, struct ndet *det, int *nd, int cap, int *quiet,
    const struct px_opts *o)
{
	unsigned char *mark = malloc((size_t)bw * bh);
	unsigned char *dil = calloc((size_t)bw * bh, 1);
	int *lab = malloc((size_t)bw * bh * sizeof(int)), *bb = NULL;
	int n, i, x, y, dx, dy, found = 0;
	double lnt = 2 * log10((double)bw * bh) + log10((double)NLEV), lnfa;
	size_t c;

	if (dil == NULL || lab == NULL || mark == NULL)
		goto out;
	for (c = 0; c < (size_t)bw * bh; c++)
		mark[c] = mk[c] >> l & 1;
	for (y = 0; y < bh; y++)
		for (x = 0; x < bw; x++)
			for (dy = -1; mark[y * bw + x] && dy <= 1; dy++)
				for (dx = -1; dx <= 1; dx++)
					if (y + dy >= 0 && y + dy < bh &&
					    x + dx >= 0 && x + dx < bw)
						dil[(y + dy) * bw + x + dx] = 1;
	if ((n = px_label(dil, bw, bh, lab)) <= 0 ||
	    (bb = malloc((size_t)n * 4 * sizeof(int))) == NULL)
		goto out;
	for (i = 0; i < n; i++)
		bb[4 * i] = bw, bb[4 * i + 1] = bh, bb[4 * i + 2] = -1,
		bb[4 * i + 3] = -1;
	for (y = 0; y < bh; y++)
		for (x = 0; x < bw; x++)
			if ((i = lab[y * bw + x] - 1) >= 0 && mark[y * bw + x]) {
				if (x < bb[4 * i]) bb[4 * i] = x;
				if (y < bb[4 * i + 1]) bb[4 * i + 1] = y;
				if (x > bb[4 * i + 2]) bb[4 * i + 2] = x;
				if (y > bb[4 * i + 3]) bb[4 * i + 3] = y;
			}
	for (i = 0; i < n; i++) {
		long nn = 0, kk = 0;
		if (bb[4 * i + 2] < 0)
			continue;
		for (y = bb[4 * i + 1]; y <= bb[4 * i + 3]; y++)
			for (x = bb[4 * i]; x <= bb[4 * i + 2]; x++)
				nn += cand[y * bw + x], kk += mark[y * bw + x];
		lnfa = lnt + px_log10_binom_tail(nn, kk, levels[l]);
		if (lnfa < o->log10_eps) {
			struct ndet d = { { bb[4 * i], bb[4 * i + 1],
			    bb[4 * i + 2], bb[4 * i + 3] }, l, nn, kk, 0, 0,
			    lnfa };
			d.ring = noisy_ring(cand, hf, bw, bh, d.bb,
			    &d.ring_noisy);
			if (d.ring < RING_MIN || 2 * d.ring_noisy <= d.ring) {
				(*quiet)++;
				continue;
			}
			keep(det, nd, cap, &d);
			found++;
		}
	}
out:
	free(dil), free(lab), free(bb), free(mark);
	return found;
}

int
px_noise(const struct px_image *im, struct px_findings *f,
    const struct px_opts *o)
{
	int bw = (im->w - 4) / 8, bh = (im->h - 4) / 8, x, y, found = -1;
	int nquiet = 0;
	size_t n = 0, i, sz, nbins;
	struct nblk *v = NULL;
	unsigned char *cand = NULL, *mark = NULL;
	float *L = NULL, *hf = NULL;

	if (bw < 8 || bh < 8 || im->rgb == NULL)
		return 0;
	L = malloc((size_t)im->w * im->h * sizeof(float));
	v = malloc((size_t)bw * bh * sizeof(*v));
	cand = calloc((size_t)bw * bh, 1);
	mark = calloc((size_t)bw * bh, 1);
	hf = calloc((size_t)bw * bh, sizeof(float));
	if (hf == NULL || L == NULL || v == NULL || cand == NULL || mark == NULL)
		goto out;
	px_hugepages(L, (size_t)im->w * im->h * sizeof(float));
	px_lum_int(im->rgb, im->w, im->h, L);
	for (y = 0; y < bh; y++)
		for (x = 0; x < bw; x++)
			if (measure(im, L, 4 + 8 * x, 4 + 8 * y, &v[n]) == 0)
				v[n++].idx = y * bw + x;
	for (i = 0; i < n; i++)
		hf[v[i].idx] = v[i].hf;
	qsort(v, n, sizeof(*v), by_mean);
	nbins = n / BINSZ > 0 ? n / BINSZ : 1;
	for (i = 0; i < nbins; i++) {
		sz = n * (i + 1) / nbins - n * i / nbins;
		mark_bin(v + n * i / nbins, sz, cand, mark);
	}
	{
		struct ndet det[64];
		int nd = 0, l, quiet = 0;

		for (l = 0; l < NLEV; l++)
			regions(cand, mark, hf, bw, bh, l, det, &nd, 64,
			    &quiet, o);
		for (l = 0; l < nd; l++)
			report(f, &det[l], o);
		found = nd;
		nquiet = quiet;
	}
	px_add(f, "info.noise", 0, NULL, json_pack("{s:I,s:I,s:i,s:i}",
	    "blocks", (json_int_t)n, "bins", (json_int_t)nbins, "regions",
	    found, "flat_regions_in_quiet_areas", nquiet), o);
out:
	free(L), free(v), free(cand), free(mark), free(hf);
	return found < 0 ? -1 : 0;
}
