/*
 * What the pixel detectors share: the findings list and its mask, the
 * binomial tail behind every NFA, a JPEG resave in memory, the 8-point
 * DCT and region labelling.
 */
#include "config.h"

#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <stdint.h>
#include <sys/mman.h>

#include <jpeglib.h>

#include "pixel_int.h"

void
px_findings_init(struct px_findings *f, int w, int h)
{
	memset(f, 0, sizeof(*f));
	f->w = w > 0 ? w : 0;
	f->h = h > 0 ? h : 0;
	if (f->w > 0 && f->h > 0)
		f->mask = calloc((size_t)f->w * (size_t)f->h, 1);
}

void
px_findings_free(struct px_findings *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		json_decref(f->v[i].detail);
	free(f->v);
	free(f->mask);
	memset(f, 0, sizeof(*f));
}

static void
mark_rect(struct px_findings *f, const int r[4])
{
	int x0, y0, x1, y1, y;

	if (f->mask == NULL || r[2] <= 0 || r[3] <= 0)
		return;
	x0 = r[0] < 0 ? 0 : r[0];
	y0 = r[1] < 0 ? 0 : r[1];
	x1 = r[0] + r[2] > f->w ? f->w : r[0] + r[2];
	y1 = r[1] + r[3] > f->h ? f->h : r[1] + r[3];
	for (y = y0; y < y1; y++)
		if (x1 > x0)
			memset(f->mask + (size_t)y * f->w + x0, 255,
			    (size_t)(x1 - x0));
}

void
px_add(struct px_findings *f, const char *check, double log10_nfa,
    const int region[4], json_t *detail, const struct px_opts *o)
{
	struct px_finding *p;
	size_t ncap;

	if (f->n == f->cap) {
		ncap = f->cap ? f->cap * 2 : 8;
		p = realloc(f->v, ncap * sizeof(*p));
		if (p == NULL) {
			json_decref(detail);
			return;
		}
		f->v = p;
		f->cap = ncap;
	}
	p = &f->v[f->n++];
	memset(p, 0, sizeof(*p));
	snprintf(p->check, sizeof(p->check), "%s", check);
	p->log10_nfa = log10_nfa;
	if (region != NULL)
		memcpy(p->region, region, sizeof(p->region));
	p->detail = detail != NULL ? detail : json_object();
	/* Facts ("info." checks) are never detections, whatever epsilon. */
	if (strncmp(check, "info.", 5) != 0 &&
	    log10_nfa < (o != NULL ? o->log10_eps : 0.0))
		mark_rect(f, p->region);
}

void
px_mark(struct px_findings *f, const unsigned char *map)
{
	size_t i, n;

	if (f->mask == NULL || map == NULL)
		return;
	n = (size_t)f->w * (size_t)f->h;
	for (i = 0; i < n; i++)
		if (map[i])
			f->mask[i] = 255;
}

/* log of the binomial probability P[X = k], X ~ B(n, p), 0 < p < 1. */
static double
log_term(double n, double k, double p)
{
	return lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1) +
	    k * log(p) + (n - k) * log1p(-p);
}

/*
 * Sums the terms of the tail from k outward (up when up, else down),
 * relative to the first one, stopping when a geometric bound on the
 * rest is negligible: the terms only shrink away from the mode.
 */
static double
rel_sum(long n, long k, double p, int up)
{
	double q = p / (1 - p), t = 1, s = 1, r;
	long i;

	for (i = k; up ? i < n : i > 0; up ? i++ : i--) {
		r = up ? (double)(n - i) / (double)(i + 1) * q :
		    (double)i / (double)(n - i + 1) / q;
		t *= r;
		s += t;
		if (r < 1 && t * r / (1 - r) < 1e-16 * s)
			break;
		if (t < 1e-300)
			break;
	}
	return s;
}

double
px_log10_binom_tail(long n, long k, double p)
{
	double lower;

	if (k <= 0)
		return 0;
	if (k > n || p <= 0)
		return -INFINITY;
	if (p >= 1)
		return 0;
	if ((double)k > (double)n * p)
		return (log_term(n, k, p) + log(rel_sum(n, k, p, 1))) / M_LN10;
	/* Near or below the mean: 1 - P[X <= k-1], summed downward. */
	lower = exp(log_term(n, k - 1, p)) * rel_sum(n, k - 1, p, 0);
	if (lower >= 1)		/* rounding only: the tail is about 1/2 here */
		return -M_LN2 / M_LN10;
	return log1p(-lower) / M_LN10;
}

void
px_hugepages(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
	const uintptr_t hp = (uintptr_t)2 << 20;	/* x86-64 and arm64 */
	uintptr_t a = ((uintptr_t)p + hp - 1) & ~(hp - 1);
	uintptr_t e = ((uintptr_t)p + n) & ~(hp - 1);

	if (p != NULL && e > a)
		(void)madvise((void *)a, e - a, MADV_HUGEPAGE);
#else
	(void)p;
	(void)n;
#endif
}

static long long t_origin;	/* ns; 0 until the first mark */

double
px_tnow(void)
{
	struct timespec ts;
	long long t, o = 0;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	t = (long long)ts.tv_sec * 1000000000 + ts.tv_nsec;
	/* the first call sets the origin */
	__atomic_compare_exchange_n(&t_origin, &o, t, false, __ATOMIC_ACQ_REL,
	    __ATOMIC_ACQUIRE);
	return (t - __atomic_load_n(&t_origin, __ATOMIC_ACQUIRE)) / 1e9;
}

void
px_tdone(const char *name, double start)
{
	double end = px_tnow();

	fprintf(stderr, "timing %-22s %7.3f %7.3f %6.3f  thread %lx\n", name,
	    start, end, end - start, (unsigned long)pthread_self() & 0xffff);
}

int
px_nthreads(const struct px_opts *o, int rows)
{
	int t = o != NULL && o->threads > 0 ? o->threads : 1;

	if (t > 64)
		t = 64;
	if (rows < 64 * t)
		t = rows / 64 > 0 ? rows / 64 : 1;
	return t;
}

/*
 * Luminance Y = 0.299 R + 0.587 G + 0.114 B in float, rounded to the
 * nearest integer (ties to even, as rintf in the default rounding mode).
 * The three products come from tables built with the same float
 * multiplications and are added in the same order, so the values are
 * bit for bit those of the expression; adding and taking away 1.5 * 2^23
 * rounds a float in [0, 2^22) without a call to rintf.
 */
static float lum_t[3][256];

static void
lum_init(void)
{
	for (int v = 0; v < 256; v++) {
		lum_t[0][v] = 0.299f * (unsigned char)v;
		lum_t[1][v] = 0.587f * (unsigned char)v;
		lum_t[2][v] = 0.114f * (unsigned char)v;
	}
}

void
px_lum_int(const unsigned char *rgb, int w, int h, float *out)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	size_t i, n = (size_t)w * (size_t)h;

	pthread_once(&once, lum_init);
	for (i = 0; i < n; i++, rgb += 3) {
		float y = lum_t[0][rgb[0]] + lum_t[1][rgb[1]] + lum_t[2][rgb[2]];

		out[i] = (y + 12582912.0f) - 12582912.0f;
	}
}

static float dct8c[8][8];
static int dct8_ready;

static void
dct8_init(void)
{
	int k, n;

	for (k = 0; k < 8; k++)
		for (n = 0; n < 8; n++)
			dct8c[k][n] = (float)((k ? 0.5 : 0.5 / sqrt(2.0)) *
			    cos((2 * n + 1) * k * M_PI / 16));
}

void
px_dct8(const float *in, int stride, float *out)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	float (*c)[8] = dct8c;
	float s[4], d[4];
	int k, n;

	/* called per row of every block: the flag spares pthread_once's call */
	if (!__atomic_load_n(&dct8_ready, __ATOMIC_ACQUIRE)) {
		pthread_once(&once, dct8_init);
		__atomic_store_n(&dct8_ready, 1, __ATOMIC_RELEASE);
	}
	for (n = 0; n < 4; n++) {
		s[n] = in[n * stride] + in[(7 - n) * stride];
		d[n] = in[n * stride] - in[(7 - n) * stride];
	}
	for (k = 0; k < 8; k++) {
		const float *v = k & 1 ? d : s;
		out[k] = c[k][0] * v[0] + c[k][1] * v[1] + c[k][2] * v[2] +
		    c[k][3] * v[3];
	}
}

/* libjpeg reports errors by longjmp back to the caller. */
struct jerr {
	struct jpeg_error_mgr	 pub;
	jmp_buf			 jb;
};

static void
jerr_exit(j_common_ptr ci)
{
	longjmp(((struct jerr *)ci->err)->jb, 1);
}

static void
jerr_quiet(j_common_ptr ci, int level)
{
	(void)ci;
	(void)level;
}

static int
compress(const unsigned char *rgb, int w, int h, int quality,
    unsigned char **buf, unsigned long *len)
{
	struct jpeg_compress_struct c;
	struct jerr je;
	JSAMPROW row;

	c.err = jpeg_std_error(&je.pub);
	je.pub.error_exit = jerr_exit;
	je.pub.emit_message = jerr_quiet;
	if (setjmp(je.jb)) {
		jpeg_destroy_compress(&c);
		return -1;
	}
	jpeg_create_compress(&c);
	jpeg_mem_dest(&c, buf, len);
	c.image_width = (JDIMENSION)w;
	c.image_height = (JDIMENSION)h;
	c.input_components = 3;
	c.in_color_space = JCS_RGB;
	jpeg_set_defaults(&c);
	jpeg_set_quality(&c, quality, TRUE);
	c.dct_method = JDCT_ISLOW;
	jpeg_start_compress(&c, TRUE);
	while (c.next_scanline < c.image_height) {
		row = (JSAMPROW)(rgb + (size_t)c.next_scanline * w * 3);
		jpeg_write_scanlines(&c, &row, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	return 0;
}

static int
decompress(const unsigned char *buf, unsigned long len, int w, int h,
    unsigned char *out)
{
	struct jpeg_decompress_struct d;
	struct jerr je;
	JSAMPROW row;

	d.err = jpeg_std_error(&je.pub);
	je.pub.error_exit = jerr_exit;
	je.pub.emit_message = jerr_quiet;
	if (setjmp(je.jb)) {
		jpeg_destroy_decompress(&d);
		return -1;
	}
	jpeg_create_decompress(&d);
	jpeg_mem_src(&d, buf, len);
	jpeg_read_header(&d, TRUE);
	d.out_color_space = JCS_RGB;
	d.dct_method = JDCT_ISLOW;
	jpeg_start_decompress(&d);
	if ((int)d.output_width != w || (int)d.output_height != h ||
	    d.output_components != 3) {
		jpeg_destroy_decompress(&d);
		return -1;
	}
	while (d.output_scanline < d.output_height) {
		row = out + (size_t)d.output_scanline * w * 3;
		jpeg_read_scanlines(&d, &row, 1);
	}
	jpeg_finish_decompress(&d);
	jpeg_destroy_decompress(&d);
	return 0;
}

int
px_resave_rgb(const unsigned char *rgb, int w, int h, int quality,
    unsigned char *out_rgb)
{
	unsigned char *buf = NULL;
	unsigned long len = 0;
	int rc;

	if (w <= 0 || h <= 0 || w > 65500 || h > 65500)
		return -1;
	rc = compress(rgb, w, h, quality, &buf, &len);
	if (rc == 0)
		rc = decompress(buf, len, w, h, out_rgb);
	free(buf);
	return rc;
}

/* Union-find over provisional labels, with path halving. */
static int
uf_find(int *par, int a)
{
	while (par[a] != a) {
		par[a] = par[par[a]];
		a = par[a];
	}
	return a;
}

int
px_label(const unsigned char *map, int bw, int bh, int *lab)
{
	int *par, n = 0, x, y, i, a, b, m, dx;
	size_t cells = (size_t)bw * (size_t)bh;

	par = malloc((cells + 1) * sizeof(*par));
	if (par == NULL)
		return -1;
	par[0] = 0;
	for (y = 0; y < bh; y++)
		for (x = 0; x < bw; x++) {
			i = y * bw + x;
			lab[i] = 0;
			if (!map[i])
				continue;
			m = 0;
			if (x > 0 && lab[i - 1])
				m = lab[i - 1];
			for (dx = -1; y > 0 && dx <= 1; dx++) {
				if (x + dx < 0 || x + dx >= bw ||
				    !lab[i - bw + dx])
					continue;
				if (m == 0) {
					m = lab[i - bw + dx];
					continue;
				}
				a = uf_find(par, m);
				b = uf_find(par, lab[i - bw + dx]);
				if (a != b)
					par[a > b ? a : b] = a < b ? a : b;
			}
			if (m == 0) {
				m = ++n;
				par[m] = m;
			}
			lab[i] = m;
		}
	/* Renumber the roots 1..k in scan order. */
	{
		int *ren = calloc((size_t)n + 1, sizeof(*ren)), k = 0;

		if (ren == NULL) {
			free(par);
			return -1;
		}
		for (i = 0; i < (int)cells; i++)
			if (lab[i]) {
				a = uf_find(par, lab[i]);
				if (ren[a] == 0)
					ren[a] = ++k;
				lab[i] = ren[a];
			}
		free(ren);
		n = k;
	}
	free(par);
	return n;
}
