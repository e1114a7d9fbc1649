/*
 * Copy-move: a region duplicated inside one image (a seal stamped
 * twice, a block of text moved), with an a-contrario test on matches
 * (after Ehret, IPOL 2018 and arXiv:1906.00649; block matching by
 * lexicographic sorting after Fridrich, Soukal and Lukas 2003).
 *
 * Every textured 16x16 block (flat blocks match anything) gets a key of
 * 16 quantised cell means; blocks are sorted by key and each is
 * compared, in the pixels, with its NCMP successors.  The null
 * hypothesis is what the image itself shows: the distance threshold tau
 * is the QTAU quantile of the RMS differences of all the compared pairs,
 * so that a compared pair passes with probability QTAU.  A copy gives
 * many passing pairs at one shift, side by side; one font's glyphs
 * printed and scanned twice carry two draws of the noise and pass
 * rarely, at many shifts.  A connected group (gaps of up to BS/2
 * bridged) of S passing positions at one shift holds about S / 256
 * independent blocks, so NFA = NT * QTAU^(S / 256), NT = npos^2 the
 * pairs of positions.
 *
 * A noise-free image (a screenshot: a repeated glyph is pixel-identical
 * to any copy of it) is not tested, and says so: there a duplicate
 * cannot be told from repeated text.  Shifts that are multiples of 8
 * both ways are not tested either: JPEG quantises both copies alike.
 * Images over MAXPX pixels are averaged down first.
 *
 * Speed: the features, the sort and the comparisons are split among
 * px_opts.threads workers; blocks with equal keys stay in scan order
 * (by_feat breaks ties by position), so the result does not depend on
 * the number of threads.
 */
#include "config.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "pixel_int.h"

#define BS	16	/* block side */
#define NCMP	8	/* sorted neighbours compared with each block */
#define MAXPX	2500000	/* larger images are averaged down first */
#define QTAU	0.001	/* null probability of a compared pair passing */

struct cblk {
	unsigned char	 f[16];		/* quantised 4x4 cell means */
	int		 x, y;
};

struct cmatch {
	int	 x, y, dx, dy;
};

static int
by_feat(const void *a, const void *b)
{
	const struct cblk *p = a, *q = b;
	int c = memcmp(p->f, q->f, 16);

	if (c != 0)
		return c;
	if (p->y != q->y)
		return p->y < q->y ? -1 : 1;
	return (p->x > q->x) - (p->x < q->x);
}

/* Runs fn(arg + i * size) for i < nt, on nt - 1 new threads and this one. */
static void
run_par(void *(*fn)(void *), void *arg, size_t size, int nt)
{
	pthread_t th[64];
	int started[64] = { 0 }, t;

	for (t = 1; t < nt; t++)
		started[t] = pthread_create(&th[t], NULL, fn,
		    (char *)arg + (size_t)t * size) == 0;
	for (t = 1; t < nt; t++)
		if (!started[t])
			fn((char *)arg + (size_t)t * size);
	fn(arg);
	for (t = 1; t < nt; t++)
		if (started[t])
			pthread_join(th[t], NULL);
}

static int
by_shift(const void *a, const void *b)
{
	const struct cmatch *p = a, *q = b;

	if (p->dy != q->dy)
		return p->dy < q->dy ? -1 : 1;
	if (p->dx != q->dx)
		return p->dx < q->dx ? -1 : 1;
	if (p->y != q->y)
		return p->y < q->y ? -1 : 1;
	return (p->x > q->x) - (p->x < q->x);
}

static int
by_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;

	return (x > y) - (x < y);
}

/*
 * Noise level: the residual of the 3x3 kernel [1 -2 1; -2 4 -2; 1 -2 1]/6
 * (unit gain on white noise, blind to planes; Immerkaer 1996), as the
 * RMS over 8x8 blocks, at the 25th percentile of blocks so that edges
 * do not count.  Blurred noise reads lower: the test only gets stricter.
 */
static double
noise_sigma(const float *L, int w, int h)
{
	int bw = (w - 2) / 8, bh = (h - 2) / 8, bx, by, x, y, n = 0;
	float *v = malloc((size_t)(bw > 0 ? bw : 1) * (bh > 0 ? bh : 1) *
	    sizeof(float));
	double s, e, sig = 0;

	if (v == NULL || bw < 1 || bh < 1) {
		free(v);
		return 0;
	}
	for (by = 0; by < bh; by++)
		for (bx = 0; bx < bw; bx++) {
			for (s = 0, y = 1 + by * 8; y < 9 + by * 8; y++)
				for (x = 1 + bx * 8; x < 9 + bx * 8; x++) {
					const float *p = L + (size_t)y * w + x;
					e = (p[-w - 1] + p[-w + 1] + p[w - 1] +
					    p[w + 1] - 2 * (p[-w] + p[w] + p[-1] +
					    p[1]) + 4 * p[0]) / 6;
					s += e * e;
				}
			v[n++] = (float)sqrt(s / 64);
		}
	qsort(v, (size_t)n, sizeof(float), by_float);
	sig = v[n / 4];
	free(v);
	return sig;
}

/* The image's luminance, averaged down by f (f = 1: as is). */
static float *
luminance(const struct px_image *im, int f, int *w, int *h)
{
	float *full = malloc((size_t)im->w * im->h * sizeof(float)), *out;
	int x, y, i, j;

	if (full == NULL)
		return NULL;
	px_lum_int(im->rgb, im->w, im->h, full);
	if (f == 1) {
		*w = im->w, *h = im->h;
		return full;
	}
	*w = im->w / f, *h = im->h / f;
	if ((out = malloc((size_t)*w * *h * sizeof(float))) != NULL)
		for (y = 0; y < *h; y++)
			for (x = 0; x < *w; x++) {
				double s = 0;
				for (j = 0; j < f; j++)
					for (i = 0; i < f; i++)
						s += full[(size_t)(y * f + j) *
						    im->w + x * f + i];
				out[(size_t)y * *w + x] = (float)(s / (f * f));
			}
	free(full);
	return out;
}

/* Summed-area tables of L and L^2, (w+1) x (h+1). */
static int
integrals(const float *L, int w, int h, double **si, double **sq)
{
	size_t W = (size_t)w + 1;
	int x, y;

	*si = calloc(W * (h + 1), sizeof(double));
	*sq = calloc(W * (h + 1), sizeof(double));
	if (*si == NULL || *sq == NULL)
		return -1;
	for (y = 0; y < h; y++) {
		double r = 0, r2 = 0;
		for (x = 0; x < w; x++) {
			double v = L[(size_t)y * w + x];
			r += v, r2 += v * v;
			(*si)[(y + 1) * W + x + 1] = (*si)[y * W + x + 1] + r;
			(*sq)[(y + 1) * W + x + 1] = (*sq)[y * W + x + 1] + r2;
		}
	}
	return 0;
}

static double
boxsum(const double *t, size_t W, int x, int y, int s)
{
	return t[(y + s) * W + x + s] - t[y * W + x + s] - t[(y + s) * W + x] +
	    t[y * W + x];
}

struct fjob {
	const double	*si, *sq;
	int		 w, y0, y1;
	double		 sig;
	struct cblk	*b;	/* this job's rows' slots */
	size_t		 n;
};

static void *
feat_rows(void *arg)
{
	struct fjob *j = arg;
	const double *si = j->si, *sq = j->sq;
	double m, sd, sig = j->sig, step = fmax(2.0, 2 * sig);
	size_t n = 0, W = (size_t)j->w + 1;
	struct cblk *b = j->b;
	int x, y, c, w = j->w;

	for (y = j->y0; y < j->y1; y++)
		for (x = 0; x + BS <= w; x++) {
			m = boxsum(si, W, x, y, BS) / (BS * BS);
			sd = sqrt(fmax(0, boxsum(sq, W, x, y, BS) / (BS * BS) -
			    m * m));
			if (sd < 3 * sig + 4)
				continue;
			for (c = 0; c < 16; c++) {
				double q = boxsum(si, W, x + c % 4 * 4,
				    y + c / 4 * 4, 4) / 16 / step;
				b[n].f[c] = (unsigned char)(q > 255 ? 255 : q);
			}
			b[n].x = x, b[n].y = y;
			n++;
		}
	j->n = n;
	return NULL;
}

/*
 * Textured blocks (standard deviation well above the noise: flat
 * blocks match anything) with their quantised cell means, in scan
 * order, into b; their number.
 */
static size_t
features(const float *L, int w, int h, double sig, struct cblk *b, int nt)
{
	struct fjob j[64];
	double *si, *sq;
	size_t n = 0;
	int t, rows = h - BS + 1;

	if (integrals(L, w, h, &si, &sq) != 0) {
		free(si), free(sq);
		return 0;
	}
	for (t = 0; t < nt; t++)
		j[t] = (struct fjob){ si, sq, w, rows * t / nt,
		    rows * (t + 1) / nt, sig,
		    b + (size_t)(rows * t / nt) * (w - BS + 1), 0 };
	run_par(feat_rows, j, sizeof(j[0]), nt);
	for (t = 0; t < nt; t++) {
		memmove(b + n, j[t].b, j[t].n * sizeof(*b));
		n += j[t].n;
	}
	free(si), free(sq);
	return n;
}

struct sjob {
	struct cblk	*b;
	size_t		 n;
};

static void *
sort_part(void *arg)
{
	struct sjob *j = arg;

	qsort(j->b, j->n, sizeof(*j->b), by_feat);
	return NULL;
}

/*
 * Sorts b by key: nt parts sorted in parallel, then merged two by two
 * through tmp (n blocks); by_feat is a total order, so the result is
 * that of one sort.  Returns the sorted array (b or tmp).
 */
static struct cblk *
sort_blocks(struct cblk *b, struct cblk *tmp, size_t n, int nt)
{
	struct sjob j[64];
	size_t bound[65], i, k, o;
	int t, np;

	if (tmp == NULL)
		nt = 1;
	for (t = 0; t <= nt; t++)
		bound[t] = n * (size_t)t / (size_t)nt;
	for (t = 0; t < nt; t++)
		j[t] = (struct sjob){ b + bound[t], bound[t + 1] - bound[t] };
	run_par(sort_part, j, sizeof(j[0]), nt);
	for (np = nt; np > 1; np = (np + 1) / 2) {
		for (t = 0, o = 0; t < np; t += 2) {
			size_t a0 = bound[t], a1 = bound[t + 1];
			size_t b1 = t + 1 < np ? bound[t + 2] : a1;
			for (i = a0, k = a1; i < a1 || k < b1; )
				tmp[o++] = k >= b1 || (i < a1 &&
				    by_feat(&b[i], &b[k]) <= 0) ? b[i++] : b[k++];
			bound[t / 2] = a0;
		}
		bound[(np + 1) / 2] = n;
		{ struct cblk *sw = b; b = tmp; tmp = sw; }
	}
	return b;
}

static double
rms(const float *L, int w, int ax, int ay, int bx, int by, double lim)
{
	double s = 0, d, stop = lim * lim * BS * BS;
	int i, j;

	for (j = 0; j < BS && s <= stop; j++)
		for (i = 0; i < BS; i++) {
			d = L[(size_t)(ay + j) * w + ax + i] -
			    L[(size_t)(by + j) * w + bx + i];
			s += d * d;
		}
	return sqrt(s / (BS * BS));
}

/* The sorted neighbour of block i to compare, in scan order, or 0. */
static int
pair(const struct cblk *b, size_t i, size_t j, const struct cblk **p,
    const struct cblk **q)
{
	int dx, dy;

	*p = &b[i], *q = &b[j];
	if ((*p)->y > (*q)->y || ((*p)->y == (*q)->y && (*p)->x > (*q)->x))
		*p = &b[j], *q = &b[i];
	dx = (*q)->x - (*p)->x, dy = (*q)->y - (*p)->y;
	if (abs(dx) < BS && abs(dy) < BS)
		return 0;	/* overlapping: self-similar texture */
	/*
	 * Content repeated at a multiple of 8 both ways is quantised
	 * alike by JPEG, which can erase the noise that tells two prints
	 * apart: not tested.
	 */
	return dx % 8 != 0 || dy % 8 != 0;
}

/*
 * The distance threshold: the QTAU quantile of the distances of all
 * the pairs compared, so that under the null hypothesis (no copy: the
 * compared pairs are what the image's content and noise give) a pair
 * passes with probability QTAU (a copy in the sample only lowers tau).
 */
static double
threshold(const float *L, int w, const struct cblk *b, size_t n)
{
	size_t i, j, nd = 0, cap = 60000;
	size_t stride = n / (cap / NCMP) + 1;
	float *d = malloc(cap * sizeof(float));
	const struct cblk *p, *q;
	double tau;

	if (d == NULL)
		return 0;
	for (i = 0; i < n; i += stride)
		for (j = i + 1; j < n && j <= i + NCMP && nd < cap; j++)
			if (pair(b, i, j, &p, &q))
				d[nd++] = (float)rms(L, w, p->x, p->y, q->x, q->y,
				    1e30);
	if (nd < 1000) {
		free(d);
		return 0;
	}
	qsort(d, nd, sizeof(float), by_float);
	tau = d[(size_t)(QTAU * nd)];
	free(d);
	return tau;
}

/*
 * Whether two blocks' cell means alone prove them farther than tau: a
 * cell mean differing by D makes the block's RMS difference at least
 * D / 4 (Cauchy-Schwarz over the cell's 16 of 256 pixels).
 */
static int
far(const struct cblk *p, const struct cblk *q, double step, double tau)
{
	int c, d;

	for (c = 0; c < 16; c++) {
		d = abs(p->f[c] - q->f[c]) - 1;
		if (d > 0 && d * step > 4 * tau)
			return 1;
	}
	return 0;
}

struct mjob {
	const float		*L;
	const struct cblk	*b;
	size_t			 n, i0, i1, nm;
	int			 w;
	double			 tau, step;
	struct cmatch		*m;	/* NULL on no memory */
};

/* The matches of the blocks i0..i1-1 with their sorted successors. */
static void *
match_part(void *arg)
{
	struct mjob *mj = arg;
	const struct cblk *b = mj->b, *p, *q;
	const float *L = mj->L;
	size_t i, j, nm = 0, cap = 1024, n = mj->n;
	struct cmatch *m = malloc(cap * sizeof(*m)), *t;
	double tau = mj->tau, step = mj->step;
	int w = mj->w;

	mj->m = m;
	if (m == NULL)
		return NULL;
	for (i = mj->i0; i < mj->i1; i++)
		for (j = i + 1; j < n && j <= i + NCMP; j++) {
			if (!pair(b, i, j, &p, &q) || far(p, q, step, tau))
				continue;
			if (rms(L, w, p->x, p->y, q->x, q->y, tau) > tau)
				continue;
			if (nm == cap) {
				if ((t = realloc(m, cap * 2 * sizeof(*m))) == NULL)
					break;
				m = t, cap *= 2;
			}
			m[nm++] = (struct cmatch){ p->x, p->y, q->x - p->x,
			    q->y - p->y };
		}
	mj->m = m, mj->nm = nm;
	return NULL;
}

/* Pairs of blocks close in the sort and in the pixels, in block order. */
static size_t
matches(const float *L, int w, const struct cblk *b, size_t n, double tau,
    double step, struct cmatch **out, int nt)
{
	struct mjob j[64];
	size_t nm = 0, o = 0;
	struct cmatch *m;
	int t, bad = 0;

	for (t = 0; t < nt; t++)
		j[t] = (struct mjob){ L, b, n, n * (size_t)t / (size_t)nt,
		    n * (size_t)(t + 1) / (size_t)nt, 0, w, tau, step, NULL };
	run_par(match_part, j, sizeof(j[0]), nt);
	for (t = 0; t < nt; t++)
		nm += j[t].nm, bad |= j[t].m == NULL;
	m = bad ? NULL : malloc((nm ? nm : 1) * sizeof(*m));
	for (t = 0; t < nt; t++) {
		if (m != NULL && j[t].nm > 0)
			memcpy(m + o, j[t].m, j[t].nm * sizeof(*m));
		o += j[t].nm;
		free(j[t].m);
	}
	*out = m;
	return m == NULL ? (size_t)-1 : nm;
}

static void
report(const struct px_image *im, struct px_findings *f, const int bb[4],
    int dx, int dy, int sc, long s, double sig, double lnfa,
    const struct px_opts *o)
{
	int src[4] = { bb[0] * sc, bb[1] * sc, (bb[2] - bb[0] + BS) * sc,
	    (bb[3] - bb[1] + BS) * sc };
	int dst[4] = { src[0] + dx * sc, src[1] + dy * sc, src[2], src[3] };
	unsigned char *map = calloc((size_t)im->w * im->h, 1);
	json_t *d = json_pack("{s:[iiii],s:[iiii],s:[ii],s:I,s:f,s:i}",
	    "source", src[0], src[1], src[2], src[3],
	    "target", dst[0], dst[1], dst[2], dst[3],
	    "shift", dx * sc, dy * sc, "matched_positions", (json_int_t)s,
	    "noise_sigma", sig, "scale", sc);
	int x, y;

	px_add(f, "copymove", lnfa, dst, d, o);
	/* which side is the copy cannot be told: both are marked */
	if (map != NULL && lnfa < o->log10_eps) {
		for (y = src[1]; y < src[1] + src[3] && y < im->h; y++)
			for (x = src[0]; x < src[0] + src[2] && x < im->w; x++)
				if (x >= 0 && y >= 0)
					map[(size_t)y * im->w + x] = 1;
		px_mark(f, map);
	}
	free(map);
}

/* Dilates a 0/1 map by a (2r+1)-square, separably. */
static void
dilate(unsigned char *map, int w, int h, int r)
{
	unsigned char *t = malloc((size_t)(w > h ? w : h));
	int x, y, i, last;

	if (t == NULL)
		return;
	for (y = 0; y < h; y++) {
		unsigned char *row = map + (size_t)y * w;
		for (last = -r - 1, x = 0; x < w + r; x++) {
			if (x < w && row[x])
				last = x;
			if (x - r >= 0)
				t[x - r] = x - r - last <= 2 * r && last >= 0;
		}
		memcpy(row, t, (size_t)w);
	}
	for (x = 0; x < w; x++) {
		for (last = -r - 1, y = 0; y < h + r; y++) {
			if (y < h && map[(size_t)y * w + x])
				last = y;
			if (y - r >= 0)
				t[y - r] = y - r - last <= 2 * r && last >= 0;
		}
		for (i = 0; i < h; i++)
			map[(size_t)i * w + x] = t[i];
	}
	free(t);
}

/* Connected groups of matches sharing one shift, with their NFA. */
static int
groups(const struct px_image *im, struct px_findings *f, struct cmatch *m,
    size_t nm, int sc, double sig, double lnt, double lp1,
    const struct px_opts *o)
{
	size_t a, b, k;
	int found = 0;

	qsort(m, nm, sizeof(*m), by_shift);
	for (a = 0; a < nm; a = b) {
		for (b = a; b < nm && m[b].dx == m[a].dx && m[b].dy == m[a].dy; b++)
			;
		if ((double)(b - a) / (BS * BS) * -lp1 < lnt)
			continue;	/* too few to ever be meaningful */
		int x0 = m[a].x, x1 = m[a].x, y0 = m[a].y, y1 = m[b - 1].y, bw, bh, n, i;
		for (k = a; k < b; k++) {
			x0 = m[k].x < x0 ? m[k].x : x0;
			x1 = m[k].x > x1 ? m[k].x : x1;
		}
		bw = x1 - x0 + 1, bh = y1 - y0 + 1;
		unsigned char *map = calloc((size_t)bw * bh, 1);
		int *lab = malloc((size_t)bw * bh * sizeof(int));
		long *cnt = NULL;
		int *bbs = NULL;
		if (map == NULL || lab == NULL)
			goto next;
		for (k = a; k < b; k++)
			map[(size_t)(m[k].y - y0) * bw + m[k].x - x0] = 1;
		/* matches sit on the textured strokes: bridge the gaps */
		dilate(map, bw, bh, BS / 2);
		n = px_label(map, bw, bh, lab);
		cnt = calloc((size_t)(n > 0 ? n : 1), sizeof(long));
		bbs = malloc((size_t)(n > 0 ? n : 1) * 4 * sizeof(int));
		if (n <= 0 || cnt == NULL || bbs == NULL)
			goto next;
		for (i = 0; i < n; i++)
			bbs[4 * i] = bbs[4 * i + 1] = 1 << 30,
			bbs[4 * i + 2] = bbs[4 * i + 3] = -1;
		for (k = a; k < b; k++) {
			int x = m[k].x, y = m[k].y;
			i = lab[(size_t)(y - y0) * bw + x - x0] - 1;
			cnt[i]++;
			if (x < bbs[4 * i]) bbs[4 * i] = x;
			if (y < bbs[4 * i + 1]) bbs[4 * i + 1] = y;
			if (x > bbs[4 * i + 2]) bbs[4 * i + 2] = x;
			if (y > bbs[4 * i + 3]) bbs[4 * i + 3] = y;
		}
		for (i = 0; i < n; i++) {
			double lnfa = lnt + lp1 * (double)cnt[i] / (BS * BS);
			if (lnfa < o->log10_eps) {
				report(im, f, bbs + 4 * i, m[a].dx, m[a].dy, sc,
				    cnt[i], sig, lnfa, o);
				found++;
			}
		}
next:
		free(map), free(lab), free(cnt), free(bbs);
	}
	return found;
}

int
px_copymove(const struct px_image *im, struct px_findings *f,
    const struct px_opts *o)
{
	int w, h, sc = 1, nt;
	float *L;
	double sig, tau, lp1, lnt;
	struct cblk *b = NULL, *tmp, *sb;
	struct cmatch *m = NULL;
	size_t n, nm;

	if (im->rgb == NULL || im->w < 4 * BS || im->h < 4 * BS)
		return 0;
	while ((double)im->w * im->h / ((double)sc * sc) > MAXPX)
		sc++;
	if ((L = luminance(im, sc, &w, &h)) == NULL)
		return -1;
	sig = noise_sigma(L, w, h);
	if (sig < 0.1) {
		/* noise-free: a copy cannot be told from repeated content */
		px_add(f, "info.copymove", 0, NULL, json_pack("{s:f,s:b}",
		    "noise_sigma", sig, "tested", 0), o);
		free(L);
		return 0;
	}
	lp1 = log10(QTAU);
	b = malloc((size_t)(w - BS + 1) * (h - BS + 1) * sizeof(*b));
	if (b == NULL) {
		free(L);
		return -1;
	}
	nt = px_nthreads(o, h);
	n = features(L, w, h, sig, b, nt);
	tmp = nt > 1 ? malloc((n ? n : 1) * sizeof(*b)) : NULL;
	sb = sort_blocks(b, tmp, n, nt);
	tau = threshold(L, w, sb, n);
	lnt = 2 * log10((double)(w - BS + 1) * (h - BS + 1));
	nm = matches(L, w, sb, n, tau, fmax(2.0, 2 * sig), &m, nt);
	free(tmp);
	if (nm != (size_t)-1)
		groups(im, f, m, nm, sc, sig, lnt, lp1, o);
	px_add(f, "info.copymove", 0, NULL, json_pack("{s:f,s:f,s:b,s:I,s:I,s:i}",
	    "noise_sigma", sig, "tau", tau, "tested", 1,
	    "textured_blocks", (json_int_t)n,
	    "matches", (json_int_t)(nm == (size_t)-1 ? 0 : nm), "scale", sc), o);
	free(L), free(b), free(m);
	return nm == (size_t)-1 ? -1 : 0;
}
