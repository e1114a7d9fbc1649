/*
 * Copy-move: a region duplicated inside one image (a seal stamped
 * twice, a block of text moved), with an a-contrario test on matches
 * (after Ehret, IPOL 2018 and arXiv:1906.00649; block matching by
 * lexicographic sorting after Fridrich, Soukal and Lukas 2003).
 *
 * Blocks of 16x16 pixels are compared only at keypoints (cm_int.h):
 * textured blocks whose variance is the largest within 4 positions
 * around.  The choice depends on the content only, so a copy carries
 * its keypoints along with it, while the blocks compared fall from
 * every position to about one in fifty; this is what makes a
 * 12-megapixel photo affordable at full resolution (the earlier
 * average-down to 2.5 megapixels lost every copy moved by a shift that
 * was not a multiple of the factor).  Each keypoint gets a key of 16
 * quantised cell means; keypoints are sorted by key and each is
 * compared, in the pixels, with its NCMP successors.
 *
 * The null hypothesis is what the image itself shows: the distance
 * threshold tau is the QTAU quantile of the RMS differences of all the
 * compared pairs, so that a compared pair passes with probability QTAU.
 * A copy gives many passing pairs at one shift, side by side; one
 * font's glyphs printed and scanned twice carry two draws of the noise
 * and pass rarely, at many shifts.  A connected group (gaps of up to BS
 * bridged) at one shift holding K matched blocks that do not overlap
 * each other (so are independent draws under the null) has
 * NFA = NT * QTAU^K, NT = nk^2 the pairs of keypoints.
 *
 * A noise-free image (a screenshot: a repeated glyph is pixel-identical
 * to any copy of it) is not tested, and says so: there a duplicate
 * cannot be told from repeated text.  Shifts that are multiples of 8
 * both ways are not tested either: JPEG quantises both copies alike.
 * Images over MAXPX pixels are averaged down first.
 *
 * Speed: the scores, keypoints and comparisons are split by bands of
 * rows among px_opts.threads workers and joined in scan order, so the
 * result does not depend on the number of threads.
 */
#include "config.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "cm_int.h"
#include "pixel_int.h"

#define BS	CM_BS
#define KR	2	/* keypoint window: (2 KR + 1)^2 block positions */
#define SW	8	/* the score: variance of the block's central SW x SW */
#define SO	((BS - SW) / 2)
#define NCMP	8	/* sorted neighbours compared with each block, at least */
#define NDIST	60000	/* distances sampled for the threshold */
#define MAXPX	25000000	/* larger images are averaged down first */
#define QTAU	0.001	/* null probability of a compared pair passing */

struct cmatch {
	int	 x, y, dx, dy;
};

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
by_feat(const void *a, const void *b)
{
	const struct cm_key *p = a, *q = b;
	int c = memcmp(p->f, q->f, 16);

	if (c != 0)
		return c;
	if (p->y != q->y)
		return p->y < q->y ? -1 : 1;
	return (p->x > q->x) - (p->x < q->x);
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

unsigned char *
cm_lum8(const struct px_image *im, int sc, int *w, int *h)
{
	float *row = malloc((size_t)im->w * sc * sizeof(float));
	unsigned char *out;
	int x, y, i, j;

	*w = im->w / sc, *h = im->h / sc;
	out = malloc((size_t)*w * *h);
	px_hugepages(out, (size_t)*w * *h);
	if (row == NULL || out == NULL) {
		free(row), free(out);
		return NULL;
	}
	if (sc == 1) {
		/* BT.601 weights in 16-bit fixed point, rounded */
		const unsigned char *p = im->rgb;
		size_t i2, np = (size_t)*w * *h;
		for (i2 = 0; i2 < np; i2++, p += 3)
			out[i2] = (unsigned char)((19595u * p[0] + 38470u * p[1] +
			    7471u * p[2] + 32768u) >> 16);
		free(row);
		return out;
	}
	/* sc rows at a time: the full-size float picture is never held */
	for (y = 0; y < *h; y++) {
		px_lum_int(im->rgb + (size_t)y * sc * im->w * 3, im->w, sc, row);
		for (x = 0; x < *w; x++) {
			float s = 0;
			for (j = 0; j < sc; j++)
				for (i = 0; i < sc; i++)
					s += row[(size_t)j * im->w + x * sc + i];
			out[(size_t)y * *w + x] =
			    (unsigned char)lrintf(s / (float)(sc * sc));
		}
	}
	free(row);
	return out;
}

/*
 * Noise level: the residual of the 3x3 kernel [1 -2 1; -2 4 -2; 1 -2 1]/6
 * (unit gain on white noise, blind to planes; Immerkaer 1996), as the
 * RMS over 8x8 blocks, at the 25th percentile of blocks so that edges
 * do not count.  Blurred noise reads lower: the test only gets stricter.
 * Past 50,000 blocks, a regular subset of them is enough for a
 * percentile.
 */
double
cm_noise_sigma(const unsigned char *L, int w, int h)
{
	int bw = (w - 2) / 8, bh = (h - 2) / 8, bx, by, x, y, n = 0, st = 1;
	float *v;
	double sig;

	if (bw < 1 || bh < 1)
		return 0;
	while ((long)(bw / st) * (bh / st) > 50000)
		st++;
	if ((v = malloc((size_t)bw * bh * sizeof(float))) == NULL)
		return 0;
	for (by = 0; by < bh; by += st)
		for (bx = 0; bx < bw; bx += st) {
			long s = 0, e;
			for (y = 1 + by * 8; y < 9 + by * 8; y++)
				for (x = 1 + bx * 8; x < 9 + bx * 8; x++) {
					const unsigned char *p = L + (size_t)y * w + x;
					e = p[-w - 1] + p[-w + 1] + p[w - 1] +
					    p[w + 1] - 2 * (p[-w] + p[w] + p[-1] +
					    p[1]) + 4 * p[0];
					s += e * e;
				}
			v[n++] = (float)sqrt((double)s / 36 / 64);
		}
	qsort(v, (size_t)n, sizeof(float), by_float);
	sig = v[n / 4];
	free(v);
	return sig;
}

struct kjob {
	const unsigned char *L;
	uint16_t	*S;	/* 4 x the block variance at each top-left corner */
	int		 w, sw, sh, y0, y1;
	unsigned	 vmin;
	double		 step;
	struct cm_key	*k;
	size_t		 n, cap;
	int		 bad;
};

/*
 * Whether block x of row y is at least as strong as every other of its
 * window (ties keep all: still a choice a translation carries along).
 * Its own row first: most blocks fail there within a step or two.
 */
static int
local_max(const uint16_t *S, int sw, int sh, int x, int y)
{
	const uint16_t *r = S + (size_t)y * sw;
	uint16_t v = r[x];
	int dx, dy, x0 = x - KR < 0 ? 0 : x - KR;
	int x1 = x + KR >= sw ? sw - 1 : x + KR;

	for (dx = 1; dx <= KR; dx++)
		if ((x - dx >= 0 && r[x - dx] > v) || (x + dx < sw && r[x + dx] > v))
			return 0;
	for (dy = 1; dy <= KR; dy++) {
		const uint16_t *u = y - dy >= 0 ? r - (size_t)dy * sw : NULL;
		const uint16_t *d = y + dy < sh ? r + (size_t)dy * sw : NULL;
		for (dx = x0; dx <= x1; dx++)
			if ((u != NULL && u[dx] > v) || (d != NULL && d[dx] > v))
				return 0;
	}
	return 1;
}

/*
 * The score of the blocks of rows y0..y1-1: the variance of their
 * central SW x SW pixels, by running sums, as 16 bits (a quarter of a
 * grey level squared).  The centre, not the whole block: a score that
 * varies faster gives keypoints closer together, hence more of them in
 * a small copy.
 */
static void *
score_rows(void *arg)
{
	struct kjob *j = arg;
	const unsigned char *L = j->L + (size_t)SO * j->w + SO;
	uint32_t *cs = calloc((size_t)j->w * 2, sizeof(uint32_t)), *cq;
	int w = j->w, x, y, r;

	if (cs == NULL) {
		j->bad = 1;
		return NULL;
	}
	cq = cs + w;
	for (r = j->y0; r < j->y0 + SW && j->y0 < j->y1; r++)
		for (x = 0; x < j->sw + SW - 1; x++) {
			uint32_t v = L[(size_t)r * w + x];
			cs[x] += v, cq[x] += v * v;
		}
	for (y = j->y0; y < j->y1; y++) {
		uint32_t s = 0, q = 0;
		uint16_t *out = j->S + (size_t)y * j->sw;
		if (y > j->y0)
			for (x = 0; x < j->sw + SW - 1; x++) {
				uint32_t a = L[(size_t)(y + SW - 1) * w + x];
				uint32_t d = L[(size_t)(y - 1) * w + x];
				cs[x] += a - d, cq[x] += a * a - d * d;
			}
		for (x = 0; x < SW; x++)
			s += cs[x], q += cq[x];
		for (x = 0; x < j->sw; x++) {
			/* 4 var = 4 (SW^2 q - s^2) / SW^4 */
			int64_t v = ((int64_t)q * (SW * SW) - (int64_t)s * s) * 4 /
			    (SW * SW * SW * SW);
			out[x] = (uint16_t)(v > 65535 ? 65535 : v);
			if (x + 1 < j->sw)
				s += cs[x + SW] - cs[x], q += cq[x + SW] - cq[x];
		}
	}
	free(cs);
	return NULL;
}

/* The keypoints of rows y0..y1-1 with their keys, in scan order. */
static void *
key_rows(void *arg)
{
	struct kjob *j = arg;
	const unsigned char *L = j->L;
	int x, y, c, i, k, w = j->w, sw = j->sw;
	struct cm_key *t;

	for (y = j->y0; y < j->y1; y++) {
		const uint16_t *S = j->S + (size_t)y * sw;
		for (x = 0; x < sw; x++) {
			if (S[x] < j->vmin || !local_max(j->S, sw, j->sh, x, y))
				continue;
			if (j->n == j->cap) {
				size_t nc = j->cap ? 2 * j->cap : 1024;
				if ((t = realloc(j->k, nc * sizeof(*t))) == NULL) {
					j->bad = 1;
					return NULL;
				}
				j->k = t, j->cap = nc;
			}
			t = &j->k[j->n++];
			t->x = x, t->y = y, t->var = S[x] / 4.0f;
			for (c = 0; c < 16; c++) {
				const unsigned char *p = L + (size_t)(y + c / 4 * 4) *
				    w + x + c % 4 * 4;
				int s = 0;
				for (k = 0; k < 4; k++, p += w)
					for (i = 0; i < 4; i++)
						s += p[i];
				double q = s / 16.0 / j->step;
				t->f[c] = (unsigned char)(q > 255 ? 255 : q);
			}
		}
	}
	return NULL;
}

size_t
cm_keypoints(const unsigned char *L, int w, int h, double sdmin, double step,
    int nt, struct cm_key **out)
{
	struct kjob j[64];
	int sw = w - BS + 1, sh = h - BS + 1, t, bad = 0;
	uint16_t *S;
	double vm = 4 * sdmin * sdmin;
	size_t n = 0;

	*out = NULL;
	if (sw < 1 || sh < 1)
		return 0;
	if ((S = malloc((size_t)sw * sh * sizeof(uint16_t))) != NULL)
		px_hugepages(S, (size_t)sw * sh * sizeof(uint16_t));
	if (S == NULL)
		return (size_t)-1;
	if (nt > sh / 32)
		nt = sh / 32 > 0 ? sh / 32 : 1;
	for (t = 0; t < nt; t++)
		j[t] = (struct kjob){ L, S, w, sw, sh,
		    sh * t / nt, sh * (t + 1) / nt,
		    vm > 65535 ? 65535 : (unsigned)ceil(vm), step, NULL, 0, 0, 0 };
	run_par(score_rows, j, sizeof(j[0]), nt);
	run_par(key_rows, j, sizeof(j[0]), nt);
	for (t = 0; t < nt; t++)
		n += j[t].n, bad |= j[t].bad;
	if (!bad && (*out = malloc((n ? n : 1) * sizeof(**out))) != NULL)
		for (n = 0, t = 0; t < nt; t++) {
			if (j[t].n > 0)
				memcpy(*out + n, j[t].k, j[t].n * sizeof(**out));
			n += j[t].n;
		}
	for (t = 0; t < nt; t++)
		free(j[t].k);
	free(S);
	return *out == NULL ? (size_t)-1 : n;
}

double
cm_rms(const unsigned char *a, int aw, const unsigned char *b, int bw,
    double lim)
{
	long s = 0, stop = lim > 1e6 ? 1L << 60 : (long)(lim * lim * BS * BS);
	int i, j, d;

	for (j = 0; j < BS && s <= stop; j++, a += aw, b += bw)
		for (i = 0; i < BS; i++) {
			d = a[i] - b[i];
			s += d * d;
		}
	return sqrt((double)s / (BS * BS));
}

static double
rms(const unsigned char *L, int w, int ax, int ay, int bx, int by, double lim)
{
	return cm_rms(L + (size_t)ay * w + ax, w, L + (size_t)by * w + bx, w,
	    lim);
}

/* The sorted neighbour of block i to compare, in scan order, or 0. */
static int
pair(const struct cm_key *b, size_t i, size_t j, const struct cm_key **p,
    const struct cm_key **q)
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
threshold(const unsigned char *L, int w, const struct cm_key *b, size_t n,
    size_t ncmp)
{
	size_t i, j, nd = 0, cap = NDIST;
	size_t stride = n / (cap / ncmp) + 1;
	float *d = malloc(cap * sizeof(float));
	const struct cm_key *p, *q;
	double tau;

	if (d == NULL)
		return 0;
	for (i = 0; i < n; i += stride)
		for (j = i + 1; j < n && j <= i + ncmp && nd < cap; j++)
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
 * D / 4 (Cauchy-Schwarz over the cell's 16 of 256 pixels).  lim is the
 * largest difference of quantised means that can still pass.
 */
static int
far(const struct cm_key *p, const struct cm_key *q, int lim)
{
#ifdef __SSE2__
	__m128i a = _mm_loadu_si128((const __m128i *)p->f);
	__m128i b = _mm_loadu_si128((const __m128i *)q->f);
	__m128i d = _mm_or_si128(_mm_subs_epu8(a, b), _mm_subs_epu8(b, a));
	__m128i o = _mm_subs_epu8(d, _mm_set1_epi8((char)lim));

	return _mm_movemask_epi8(_mm_cmpeq_epi8(o, _mm_setzero_si128())) !=
	    0xffff;
#else
	int c;

	for (c = 0; c < 16; c++)
		if (abs(p->f[c] - q->f[c]) > lim)
			return 1;
	return 0;
#endif
}

/* Pairs of keypoints close in the sort and in the pixels, in key order. */
static size_t
matches(const unsigned char *L, int w, const struct cm_key *b, size_t n,
    size_t ncmp, double tau, double step, struct cmatch **out)
{
	const struct cm_key *p, *q;
	size_t i, j, nm = 0, cap = 1024;
	struct cmatch *m = malloc(cap * sizeof(*m)), *t;
	double l = 1 + 4 * tau / step;
	int lim = l > 255 ? 255 : (int)l;

	*out = m;
	if (m == NULL)
		return (size_t)-1;
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n && j <= i + ncmp; j++) {
			if (far(&b[i], &b[j], lim) || !pair(b, i, j, &p, &q))
				continue;
			if (rms(L, w, p->x, p->y, q->x, q->y, tau) > tau)
				continue;
			if (nm == cap) {
				if ((t = realloc(m, cap * 2 * sizeof(*m))) == NULL)
					return (size_t)-1;
				*out = m = t, cap *= 2;
			}
			m[nm++] = (struct cmatch){ p->x, p->y, q->x - p->x,
			    q->y - p->y };
		}
	return nm;
}

static void
report(const struct px_image *im, struct px_findings *f, const int bb[4],
    int dx, int dy, int sc, long s, long k, double sig, double lnfa,
    const struct px_opts *o)
{
	int src[4] = { bb[0] * sc, bb[1] * sc, (bb[2] - bb[0] + BS) * sc,
	    (bb[3] - bb[1] + BS) * sc };
	int dst[4] = { src[0] + dx * sc, src[1] + dy * sc, src[2], src[3] };
	unsigned char *map = calloc((size_t)im->w * im->h, 1);
	json_t *d = json_pack("{s:[iiii],s:[iiii],s:[ii],s:I,s:I,s:f,s:i}",
	    "source", src[0], src[1], src[2], src[3],
	    "target", dst[0], dst[1], dst[2], dst[3],
	    "shift", dx * sc, dy * sc, "matched_blocks", (json_int_t)s,
	    "independent_blocks", (json_int_t)k,
	    "noise_sigma", sig, "scale", sc);
	char why[160];
	int x, y;

	snprintf(why, sizeof why, "the same pixels as at %d,%d %dx%d (shift %d,%d): "
	    "one of the two was copied from the other", src[0], src[1], src[2],
	    src[3], dx * sc, dy * sc);
	if (d != NULL)
		json_object_set_new(d, "why", json_string(why));
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

/*
 * The matched blocks of one group (in scan order) that overlap none
 * kept before them: independent draws under the null hypothesis.
 */
static long
independent(const struct cmatch *m, const int *lab, int lbl, size_t a,
    size_t b, int bw, int x0, int y0)
{
	int *kx = malloc((b - a) * 2 * sizeof(int));
	long n = 0, i;
	size_t k;

	if (kx == NULL)
		return 0;
	for (k = a; k < b; k++) {
		if (lab[(size_t)(m[k].y - y0) * bw + m[k].x - x0] != lbl)
			continue;
		for (i = 0; i < n; i++)
			if (abs(kx[2 * i] - m[k].x) < BS &&
			    abs(kx[2 * i + 1] - m[k].y) < BS)
				break;
		if (i == n)
			kx[2 * n] = m[k].x, kx[2 * n + 1] = m[k].y, n++;
	}
	free(kx);
	return n;
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
		if ((double)(b - a) * -lp1 < lnt)
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
		/* keypoints sit a block or so apart: bridge the gaps */
		dilate(map, bw, bh, BS);
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
			long ind;
			double lnfa;
			if ((double)cnt[i] * -lp1 < lnt)
				continue;
			ind = independent(m, lab, i + 1, a, b, bw, x0, y0);
			lnfa = lnt + lp1 * (double)ind;
			if (lnfa < o->log10_eps) {
				report(im, f, bbs + 4 * i, m[a].dx, m[a].dy, sc,
				    cnt[i], ind, sig, lnfa, o);
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
	return px_copymove_keys(im, f, o, NULL);
}

int
px_copymove_keys(const struct px_image *im, struct px_findings *f,
    const struct px_opts *o, struct px_cross **cross)
{
	int w, h, sc = 1, nt, share;
	unsigned char *L;
	double sig, tau, lp1, lnt, step;
	struct cm_key *b = NULL;
	struct cmatch *m = NULL;
	size_t n, nm, ncmp;

	if (im->rgb == NULL || im->w < 4 * BS || im->h < 4 * BS)
		return 0;
	while ((double)im->w * im->h / ((double)sc * sc) > MAXPX)
		sc++;
	if ((L = cm_lum8(im, sc, &w, &h)) == NULL)
		return -1;
	sig = cm_noise_sigma(L, w, h);
	/*
	 * --cross summarises the picture from the same full-size luminance,
	 * noise level and keypoints (cross.c): made here, they are not
	 * computed twice.
	 */
	share = cross != NULL && cm_cross_wanted(im, sc);
	if (share && !cm_cross_keyed(sig))
		*cross = cm_cross_summary(im, L, w, h, sig, NULL, 0);
	if (sig < 0.1) {
		/* noise-free: a copy cannot be told from repeated content */
		px_add(f, "info.copymove", 0, NULL, json_pack("{s:f,s:b}",
		    "noise_sigma", sig, "tested", 0), o);
		free(L);
		return 0;
	}
	lp1 = log10(QTAU);
	step = fmax(2.0, 2 * sig);
	nt = px_nthreads(o, h);
	n = cm_keypoints(L, w, h, 3 * sig + 4, step, nt, &b);
	if (n == (size_t)-1) {
		free(L);
		return -1;
	}
	if (share && cm_cross_keyed(sig))
		*cross = cm_cross_summary(im, L, w, h, sig, b, n);
	qsort(b, n, sizeof(*b), by_feat);
	/*
	 * Few keypoints (a small picture): each is compared with more of
	 * its sorted neighbours, so that both the copy's blocks and the
	 * sample of distances that sets tau stay large enough.
	 */
	ncmp = n > 0 && NDIST / n > NCMP ? NDIST / n : NCMP;
	if (ncmp > 64)
		ncmp = 64;
	tau = threshold(L, w, b, n, ncmp);
	lnt = 2 * log10((double)(w - BS + 1) * (h - BS + 1));
	nm = matches(L, w, b, n, ncmp, tau, step, &m);
	if (nm != (size_t)-1)
		groups(im, f, m, nm, sc, sig, lnt, lp1, o);
	px_add(f, "info.copymove", 0, NULL, json_pack("{s:f,s:f,s:b,s:I,s:I,s:i}",
	    "noise_sigma", sig, "tau", tau, "tested", 1,
	    "keypoints", (json_int_t)n,
	    "matches", (json_int_t)(nm == (size_t)-1 ? 0 : nm), "scale", sc), o);
	free(L), free(b), free(m);
	return nm == (size_t)-1 ? -1 : 0;
}
