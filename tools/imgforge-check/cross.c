/*
 * Copy-move across the pictures of one run (--cross): the same seal or
 * the same piece of a certificate pasted into several files.
 *
 * Each picture leaves a bounded summary: at most XK keypoints
 * (cm_int.h), coloured blocks first (seals are red or blue, the printed
 * form black), then the most textured, each with its 16x16 luminance
 * pixels: about 80 KB per picture whatever its size.  Once the run has
 * seen every picture, all the summaries' keypoints are sorted together
 * by a key of 4x4 cell means quantised by XSTEP grey levels (twice,
 * with offsets half a step apart), and each is compared, in the pixels,
 * with its XCMP successors from other pictures.
 *
 * Null hypothesis: two pictures share no pixels; at best they show the
 * same printed content acquired twice (two scans of one form, one
 * printed seal), so two blocks differ at least by two draws of the
 * noise and of the sub-pixel phase.  How far such draws leave two
 * blocks is measured inside each picture (threshold()), where repeated
 * glyphs and strokes are the same content acquired apart and a copy
 * between pictures cannot be; a pair passes at half that floor's mean
 * square, with probability below XP0 under the null hypothesis.  Pasted
 * pixels differ only by each file's own compression and pass.  Passing
 * pairs between two pictures at one shift with K blocks that do not
 * overlap in the first picture get NFA = N^2 * XP0^K, N the keypoints of
 * the whole run.  A picture whose noise is below XSIGMIN (a render, a
 * screenshot) is left out: there one template renders identically
 * twice and the null hypothesis does not hold.  XSIGMIN was set after
 * measuring 0.42 on a 12 MP phone JPEG and 0.15-0.36 on the generated
 * sample case, whose certificates all carry one seal image.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cm_int.h"

#define BS	CM_BS
#define XK	256	/* keypoints kept per picture */
#define XSTEP	8.0	/* grey levels per step of the sorting key */
#define XCMP	16	/* sorted successors compared */
#define XCMPT	16	/* sorted successors sampled for the threshold */
#define XQ	0.01	/* quantile of the compared pairs' distances: the noise floor */
#define XP0	0.001	/* null probability of a compared pair passing */
#define XNMIN	1000	/* fewest compared pairs that set the threshold */
#define XSIGMIN	0.35	/* pictures with less noise are not summarised */
#define XCOLOUR	48	/* max - min of R, G, B from which a pixel is coloured */
#define XMAXPX	25e6	/* larger pictures are not summarised */

struct xkey {
	unsigned char	 f[2][16];	/* keys, the second offset by half a step */
	int		 x, y, colour;
	float		 var;
	unsigned char	 px[BS * BS];
};

struct px_cross {
	double		 sig;
	int		 w, h;
	size_t		 n;
	struct xkey	*k;
};

/*
 * A keypoint while they are ranked: small, as a 12-megapixel picture has
 * a hundred thousand of them and copy-move, which hands them over, runs
 * beside the other detectors.
 */
struct xrank {
	int		 x, y, colour;
	float		 var;
};

/* Kept first: more coloured pixels, then more variance, then scan order. */
static int
by_rank(const void *a, const void *b)
{
	const struct xrank *p = a, *q = b;

	if (p->colour != q->colour)
		return p->colour > q->colour ? -1 : 1;
	if (p->var != q->var)
		return p->var > q->var ? -1 : 1;
	if (p->y != q->y)
		return p->y < q->y ? -1 : 1;
	return (p->x > q->x) - (p->x < q->x);
}

static int
coloured(const struct px_image *im, int x0, int y0)
{
	int x, y, n = 0;

	for (y = y0; y < y0 + BS; y++) {
		const unsigned char *p = im->rgb + ((size_t)y * im->w + x0) * 3;
		for (x = 0; x < BS; x++, p += 3) {
			int mx = p[0], mn = p[0];
			mx = p[1] > mx ? p[1] : mx, mn = p[1] < mn ? p[1] : mn;
			mx = p[2] > mx ? p[2] : mx, mn = p[2] < mn ? p[2] : mn;
			n += mx - mn >= XCOLOUR;
		}
	}
	return n;
}

static void
key_of(struct xkey *k)
{
	int c, i, j, s;

	for (c = 0; c < 16; c++) {
		for (s = 0, j = 0; j < 4; j++)
			for (i = 0; i < 4; i++)
				s += k->px[(c / 4 * 4 + j) * BS + c % 4 * 4 + i];
		k->f[0][c] = (unsigned char)(s / 16.0 / XSTEP);
		k->f[1][c] = (unsigned char)(s / 16.0 / XSTEP + 0.5);
	}
}

/*
 * The summary of a picture from its full-size 8-bit luminance L (w x h),
 * noise level sig and keypoints k[0..n-1] (any order: by_rank sorts them
 * totally).  copymove.c computes all three anyway and hands them over,
 * so that --cross does not compute them a second time; px_cross_keys
 * computes them for a picture copy-move did not summarise.
 */
struct px_cross *
cm_cross_summary(const struct px_image *im, const unsigned char *L, int w,
    int h, double sig, const struct cm_key *ck, size_t n)
{
	struct px_cross *s = calloc(1, sizeof(*s));
	struct xrank *all = NULL;
	size_t i, kept = 0;
	int y;

	if (s == NULL)
		return NULL;
	s->sig = sig;
	s->w = w, s->h = h;
	if (sig < XSIGMIN || n == 0)
		return s;
	if ((all = malloc(n * sizeof(*all))) == NULL ||
	    (s->k = malloc(XK * sizeof(*s->k))) == NULL) {
		free(all);
		px_cross_free(s);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		all[i].x = ck[i].x, all[i].y = ck[i].y, all[i].var = ck[i].var;
		all[i].colour = coloured(im, ck[i].x, ck[i].y);
	}
	qsort(all, n, sizeof(*all), by_rank);
	/* the best ranked; overlapping ones too, as copies keep them all */
	for (i = 0; i < n && kept < XK; i++, kept++) {
		s->k[kept].x = all[i].x, s->k[kept].y = all[i].y;
		s->k[kept].colour = all[i].colour, s->k[kept].var = all[i].var;
		for (y = 0; y < BS; y++)
			memcpy(s->k[kept].px + y * BS, L + (size_t)(all[i].y + y) *
			    w + all[i].x, BS);
		key_of(&s->k[kept]);
	}
	s->n = kept;
	free(all);
	return s;
}

int
cm_cross_wanted(const struct px_image *im, int sc)
{
	return sc == 1 && im->rgb != NULL && im->w >= 4 * BS &&
	    im->h >= 4 * BS && (double)im->w * im->h <= XMAXPX;
}

int
cm_cross_keyed(double sig)
{
	return sig >= XSIGMIN;
}

struct px_cross *
px_cross_keys(const struct px_image *im, const struct px_opts *o)
{
	struct px_cross *s;
	struct cm_key *ck = NULL;
	unsigned char *L;
	size_t n = 0;
	double sig;
	int w, h;

	if (!cm_cross_wanted(im, 1))
		return calloc(1, sizeof(*s));	/* nothing to summarise */
	if ((L = cm_lum8(im, 1, &w, &h)) == NULL)
		return NULL;
	sig = cm_noise_sigma(L, w, h);
	if (cm_cross_keyed(sig) && (n = cm_keypoints(L, w, h, 3 * sig + 4,
	    XSTEP, o != NULL && o->threads > 1 ? o->threads : 1, &ck)) ==
	    (size_t)-1) {
		free(L);
		return NULL;
	}
	s = cm_cross_summary(im, L, w, h, sig, ck, n);
	free(L), free(ck);
	return s;
}

void
px_cross_free(struct px_cross *s)
{
	if (s != NULL)
		free(s->k);
	free(s);
}

double
px_cross_sigma(const struct px_cross *s)
{
	return s != NULL ? s->sig : 0;
}

size_t
px_cross_count(const struct px_cross *s)
{
	return s != NULL ? s->n : 0;
}

/* A keypoint of the run: which picture, which of its keys. */
struct xref {
	const struct xkey *k;
	size_t		 img;
};

struct xmatch {
	size_t	 a, b;		/* pictures, a < b */
	int	 xa, ya, dx, dy;	/* block in a, and b's block - a's */
};

static int
by_rest(const struct xref *p, const struct xref *q)
{
	if (p->img != q->img)
		return p->img < q->img ? -1 : 1;
	if (p->k->y != q->k->y)
		return p->k->y < q->k->y ? -1 : 1;
	return (p->k->x > q->k->x) - (p->k->x < q->k->x);
}

static int
by_key0(const void *a, const void *b)
{
	const struct xref *p = a, *q = b;
	int c = memcmp(p->k->f[0], q->k->f[0], 16);

	return c != 0 ? c : by_rest(p, q);
}

static int
by_key1(const void *a, const void *b)
{
	const struct xref *p = a, *q = b;
	int c = memcmp(p->k->f[1], q->k->f[1], 16);

	return c != 0 ? c : by_rest(p, q);
}

static int
by_group(const void *a, const void *b)
{
	const struct xmatch *p = a, *q = b;

	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	if (p->b != q->b)
		return p->b < q->b ? -1 : 1;
	if (p->dy != q->dy)
		return p->dy < q->dy ? -1 : 1;
	if (p->dx != q->dx)
		return p->dx < q->dx ? -1 : 1;
	if (p->ya != q->ya)
		return p->ya < q->ya ? -1 : 1;
	return (p->xa > q->xa) - (p->xa < q->xa);
}

/* Whether the cell means alone prove two blocks farther than tau. */
static int
far(const struct xkey *p, const struct xkey *q, double tau)
{
	int c, d;

	for (c = 0; c < 16; c++) {
		d = abs(p->f[0][c] - q->f[0][c]) - 1;
		if (d > 0 && d * XSTEP > 4 * tau)
			return 1;
	}
	return 0;
}

static int
by_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;

	return (x > y) - (x < y);
}

/*
 * The distance threshold, from pairs compared inside each picture
 * (keypoints of one picture close in the sort, not overlapping): the
 * repeated glyphs and strokes of a printed page, the same content with
 * two draws of the noise and of the sub-pixel phase, and never a copy
 * between pictures.  Their XQ quantile is the floor such draws leave.
 * A pair passes at a mean square difference of half that floor: if the
 * floor's pairs differed by noise only, d^2 / (2 s^2) would be a
 * chi-square over nu of nu degrees of freedom, whose 1% quantile is
 * 0.21 at nu = 8, and P[chi2_8 / 8 < 0.105] < 0.001 = XP0; more degrees
 * of freedom give less.  A copy inside a picture only lowers the floor.
 * 0 (nothing passes) when fewer than XNMIN pairs can be compared.
 */
static double
threshold(const struct xref *r, size_t nr)
{
	size_t i, j, nd = 0, cap = 60000, stride = nr / (cap / XCMPT) + 1;
	float *d = malloc(cap * sizeof(float));
	double tau = 0;

	if (d == NULL)
		return 0;
	for (i = 0; i < nr; i += stride)
		for (j = i + 1; j < nr && j <= i + XCMPT && nd < cap; j++)
			if (r[i].img == r[j].img && (abs(r[i].k->x -
			    r[j].k->x) >= BS || abs(r[i].k->y - r[j].k->y) >= BS))
				d[nd++] = (float)cm_rms(r[i].k->px, BS, r[j].k->px,
				    BS, 1e30);
	if (nd >= XNMIN) {
		qsort(d, nd, sizeof(float), by_float);
		tau = d[(size_t)(XQ * nd)] * sqrt(0.5);
	}
	free(d);
	return tau;
}

static int
add_match(struct xmatch **m, size_t *nm, size_t *cap, const struct xref *p,
    const struct xref *q)
{
	struct xmatch *t;

	if (*nm == *cap) {
		size_t nc = *cap ? 2 * *cap : 256;
		if ((t = realloc(*m, nc * sizeof(*t))) == NULL)
			return -1;
		*m = t, *cap = nc;
	}
	if (p->img > q->img) {
		const struct xref *s = p;
		p = q, q = s;
	}
	(*m)[(*nm)++] = (struct xmatch){ p->img, q->img, p->k->x, p->k->y,
	    q->k->x - p->k->x, q->k->y - p->k->y };
	return 0;
}

/* The group m[a..b-1] (one pair of pictures, one shift) as a hit. */
static void
hit_of(const struct xmatch *m, size_t a, size_t b, double lnt,
    struct px_cross_hit *h)
{
	int x0 = 1 << 30, y0 = 1 << 30, x1 = -1, y1 = -1;
	long ind = 0;
	size_t k, i;

	for (k = a; k < b; k++) {
		for (i = a; i < k; i++)
			if (abs(m[i].xa - m[k].xa) < BS &&
			    abs(m[i].ya - m[k].ya) < BS)
				break;
		/* (m[a..k-1] overlapping m[k] are kept or not: a lower bound) */
		ind += i == k;
		x0 = m[k].xa < x0 ? m[k].xa : x0, x1 = m[k].xa > x1 ? m[k].xa : x1;
		y0 = m[k].ya < y0 ? m[k].ya : y0, y1 = m[k].ya > y1 ? m[k].ya : y1;
	}
	h->a = m[a].a, h->b = m[a].b;
	h->ra[0] = x0, h->ra[1] = y0;
	h->ra[2] = x1 - x0 + BS, h->ra[3] = y1 - y0 + BS;
	h->rb[0] = x0 + m[a].dx, h->rb[1] = y0 + m[a].dy;
	h->rb[2] = h->ra[2], h->rb[3] = h->ra[3];
	h->matched = (long)(b - a);
	h->independent = ind;
	h->log10_nfa = lnt + ind * log10(XP0);
}

static int
by_hit(const void *x, const void *y)
{
	const struct px_cross_hit *p = x, *q = y;

	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	if (p->b != q->b)
		return p->b < q->b ? -1 : 1;
	if (p->log10_nfa != q->log10_nfa)
		return p->log10_nfa < q->log10_nfa ? -1 : 1;
	if (p->ra[1] != q->ra[1])
		return p->ra[1] < q->ra[1] ? -1 : 1;
	return (p->ra[0] > q->ra[0]) - (p->ra[0] < q->ra[0]);
}

static int
overlap(const int r[4], const int s[4])
{
	return r[0] < s[0] + s[2] && s[0] < r[0] + r[2] &&
	    r[1] < s[1] + s[3] && s[1] < r[1] + r[3];
}

/*
 * Of the detections between two pictures, the strongest first and only
 * those that overlap no stronger one in either picture: a shared region
 * also lets a few blocks of self-similar texture pass at shifts near
 * its own, which say nothing more.  Returns the number kept.
 */
static size_t
strongest(struct px_cross_hit *h, size_t nh)
{
	size_t i, k, n = 0, first = 0;

	if (nh == 0)
		return 0;
	qsort(h, nh, sizeof(*h), by_hit);
	for (i = 0; i < nh; i++) {
		if (n > 0 && (h[i].a != h[n - 1].a || h[i].b != h[n - 1].b))
			first = n;
		for (k = first; k < n; k++)
			if (overlap(h[i].ra, h[k].ra) || overlap(h[i].rb, h[k].rb))
				break;
		if (k == n)
			h[n++] = h[i];
	}
	return n;
}

long
px_cross_match(struct px_cross *const *s, size_t ns, double log10_eps,
    struct px_cross_hit **out)
{
	struct xref *r;
	struct xmatch *m = NULL;
	struct px_cross_hit *h = NULL, *t;
	size_t nr = 0, i, j, nm = 0, cap = 0, a, b, nh = 0, hcap = 0;
	double lnt, tau = 0;
	int pass;

	*out = NULL;
	for (i = 0; i < ns; i++)
		nr += s[i] != NULL ? s[i]->n : 0;
	if (nr < 2)
		return 0;
	if ((r = malloc(nr * sizeof(*r))) == NULL)
		return -1;
	for (nr = 0, i = 0; i < ns; i++)
		for (j = 0; s[i] != NULL && j < s[i]->n; j++)
			r[nr++] = (struct xref){ &s[i]->k[j], i };
	/*
	 * Two sorts, by keys quantised with offsets half a step apart: a
	 * copy's cell means that straddle a step in one key do not in the
	 * other, so it stays close to its source in at least one order.
	 */
	for (pass = 0; pass < 2; pass++) {
		qsort(r, nr, sizeof(*r), pass == 0 ? by_key0 : by_key1);
		if (pass == 0)
			tau = threshold(r, nr);
		for (i = 0; i < nr; i++)
			for (j = i + 1; j < nr && j <= i + XCMP; j++) {
				if (r[i].img == r[j].img || far(r[i].k, r[j].k,
				    tau) || cm_rms(r[i].k->px, BS, r[j].k->px, BS,
				    tau) > tau)
					continue;
				if (add_match(&m, &nm, &cap, &r[i], &r[j]) == -1)
					goto fail;
			}
	}
	free(r);
	r = NULL;
	lnt = 2 * log10((double)nr);
	if (nm > 0)
		qsort(m, nm, sizeof(*m), by_group);
	for (a = 0, b = 0; a < nm; a++)	/* found in both orders: once */
		if (b == 0 || by_group(&m[a], &m[b - 1]) != 0)
			m[b++] = m[a];
	nm = b;
	for (a = 0; a < nm; a = b) {
		for (b = a; b < nm && m[b].a == m[a].a && m[b].b == m[a].b &&
		    m[b].dx == m[a].dx && m[b].dy == m[a].dy; b++)
			;
		if (lnt + (double)(b - a) * log10(XP0) >= log10_eps)
			continue;	/* too few to ever be meaningful */
		if (nh == hcap) {
			hcap = hcap ? 2 * hcap : 16;
			if ((t = realloc(h, hcap * sizeof(*h))) == NULL)
				goto fail;
			h = t;
		}
		hit_of(m, a, b, lnt, &h[nh]);
		if (h[nh].log10_nfa < log10_eps)
			nh++;
	}
	free(m);
	nh = strongest(h, nh);
	*out = h;
	return (long)nh;
fail:
	free(r), free(m), free(h);
	return -1;
}
