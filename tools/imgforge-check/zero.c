/*
 * ZERO: the JPEG grid seen from the pixels (Nikoukhah, Anger, Ehret,
 * Colom, Morel, Grompone von Gioi, IPOL 2021, doi:10.5201/ipol.2021.390).
 *
 * JPEG quantises the DCT of aligned 8x8 blocks, so on the grid it used
 * many coefficients round to zero.  Every pixel votes for the grid
 * origin (one of 64) whose block containing it has the most zeros; a
 * tie, or a block constant along a row or column, is no vote.  Under
 * the null hypothesis (no JPEG) a vote goes to any origin with
 * probability 1/64; the global grid and the regions voting for another
 * grid are validated a contrario with a binomial tail and the number of
 * tests of the paper.  With a q99 resave, regions of the main grid that
 * vote for no grid but (0,0) after the resave are content that never
 * went through the first compression.
 *
 * Speed: a 1-D DCT of every 8-pixel row segment is computed once per
 * row and shared by the 8 blocks above it; the column DCT then runs
 * over whole rows of block origins at once (loops the compiler can
 * vectorise), and block rows are split among threads.
 */
#include "config.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "pixel_int.h"

#define ZW	9	/* region growing neighbourhood radius, as in the paper */

static float dctc[8][8];	/* orthonormal DCT-II basis, dctc[k][n] */

static void
init_dct(void)
{
	int k, n;

	for (k = 0; k < 8; k++)
		for (n = 0; n < 8; n++)
			dctc[k][n] = (float)((k ? 0.5 : 0.5 / sqrt(2.0)) *
			    cos((2 * n + 1) * k * M_PI / 16));
}

struct zjob {
	const float	*L;
	int		 w, h, y0, y1;
	unsigned char	*z;	/* (w-7) x (h-7): zeros, bit 7 = constant block */
	int		 err;
};

/* Row DCT of every 8-pixel segment of one image row: out[k * nx + x]. */
static void
row_dct(const float *restrict r, int nx, float *restrict out)
{
	int x, k;

	for (k = 0; k < 8; k++) {
		const float c0 = dctc[k][0], c1 = dctc[k][1];
		const float c2 = dctc[k][2], c3 = dctc[k][3];
		float *restrict o = out + (size_t)k * nx;

		if (k & 1)
			for (x = 0; x < nx; x++)
				o[x] = c0 * (r[x] - r[x + 7]) +
				    c1 * (r[x + 1] - r[x + 6]) +
				    c2 * (r[x + 2] - r[x + 5]) +
				    c3 * (r[x + 3] - r[x + 4]);
		else
			for (x = 0; x < nx; x++)
				o[x] = c0 * (r[x] + r[x + 7]) +
				    c1 * (r[x + 1] + r[x + 6]) +
				    c2 * (r[x + 2] + r[x + 5]) +
				    c3 * (r[x + 3] + r[x + 4]);
	}
}

/* Adds to cnt[x] the zeros of the column DCTs of row-coefficient k. */
static void
col_zeros(const float *const v[8], int nx, int skip_dc, int *restrict cnt)
{
	int x, l;

	for (x = 0; x < nx; x++) {
		float s0 = v[0][x] + v[7][x], d0 = v[0][x] - v[7][x];
		float s1 = v[1][x] + v[6][x], d1 = v[1][x] - v[6][x];
		float s2 = v[2][x] + v[5][x], d2 = v[2][x] - v[5][x];
		float s3 = v[3][x] + v[4][x], d3 = v[3][x] - v[4][x];
		int c = 0;

		for (l = skip_dc; l < 8; l++) {
			float o = l & 1 ?
			    dctc[l][0] * d0 + dctc[l][1] * d1 +
			    dctc[l][2] * d2 + dctc[l][3] * d3 :
			    dctc[l][0] * s0 + dctc[l][1] * s1 +
			    dctc[l][2] * s2 + dctc[l][3] * s3;
			c += fabsf(o) < 0.5f;
		}
		cnt[x] += c;
	}
}

/* Marks blocks constant along x (every row flat) or along y. */
static void
const_blocks(const float *L, int w, int y, int nx, unsigned char *hc,
    unsigned char *vc, unsigned char *zrow)
{
	int x, j, i, ax, ay;

	for (x = 0; x < w; x++) {
		vc[x] = 1;
		for (j = 1; j < 8 && vc[x]; j++)
			vc[x] = L[(size_t)(y + j) * w + x] == L[(size_t)y * w + x];
	}
	for (x = 0; x < nx; x++) {
		ax = ay = 1;
		for (i = 0; i < 8; i++) {
			ay &= vc[x + i];
			ax &= hc[(size_t)i * nx + x];
		}
		if (ax || ay)
			zrow[x] |= 0x80;
	}
}

/* Flags, per row of the ring, the 8-pixel segments that are flat. */
static void
row_flat(const float *r, int nx, unsigned char *out)
{
	int x, i;

	for (x = 0; x < nx; x++) {
		out[x] = 1;
		for (i = 1; i < 8 && out[x]; i++)
			out[x] = r[x + i] == r[x];
	}
}

static void *
zero_rows(void *arg)
{
	struct zjob *j = arg;
	int w = j->w, nx = w - 7, y, k, i, x, yy;
	float *ring = malloc((size_t)8 * 8 * nx * sizeof(float));
	unsigned char *flat = malloc((size_t)8 * nx + (size_t)8 * nx);
	unsigned char *vc = malloc((size_t)w);
	int *cnt = malloc((size_t)nx * sizeof(int));
	const float *v[8];

	if (ring == NULL || flat == NULL || vc == NULL || cnt == NULL) {
		j->err = 1;
		goto out;
	}
	for (yy = j->y0; yy < j->y0 + 7; yy++) {
		row_dct(j->L + (size_t)yy * w, nx, ring + (size_t)(yy % 8) * 8 * nx);
		row_flat(j->L + (size_t)yy * w, nx, flat + (size_t)(yy % 8) * nx);
	}
	for (y = j->y0; y < j->y1; y++) {
		yy = y + 7;
		row_dct(j->L + (size_t)yy * w, nx, ring + (size_t)(yy % 8) * 8 * nx);
		row_flat(j->L + (size_t)yy * w, nx, flat + (size_t)(yy % 8) * nx);
		memset(cnt, 0, (size_t)nx * sizeof(int));
		for (k = 0; k < 8; k++) {
			for (i = 0; i < 8; i++)
				v[i] = ring + ((size_t)((y + i) % 8) * 8 + k) * nx;
			col_zeros(v, nx, k == 0, cnt);
		}
		unsigned char *zrow = j->z + (size_t)y * nx;
		for (x = 0; x < nx; x++)
			zrow[x] = (unsigned char)cnt[x];
		/* the flat-row flags of rows y..y+7 in order */
		unsigned char *hc = flat + (size_t)8 * nx;
		for (i = 0; i < 8; i++)
			memcpy(hc + (size_t)i * nx, flat + (size_t)((y + i) % 8) * nx,
			    (size_t)nx);
		const_blocks(j->L, w, y, nx, hc, vc, zrow);
	}
out:
	free(ring);
	free(flat);
	free(vc);
	free(cnt);
	return NULL;
}

/* Zeros of every 8x8 block, over threads by bands of block rows. */
static int
count_zeros(const float *L, int w, int h, unsigned char *z,
    const struct px_opts *o)
{
	struct zjob jobs[64];
	pthread_t th[64];
	int started[64] = { 0 };
	int ny = h - 7, t, nt = px_nthreads(o, ny), err = 0;

	for (t = 0; t < nt; t++) {
		jobs[t] = (struct zjob){ L, w, h, (int)((long)ny * t / nt),
		    (int)((long)ny * (t + 1) / nt), z, 0 };
		if (t > 0)
			started[t] = pthread_create(&th[t], NULL, zero_rows,
			    &jobs[t]) == 0;
		if (t > 0 && !started[t])
			zero_rows(&jobs[t]);	/* no thread: do it here */
	}
	zero_rows(&jobs[0]);
	for (t = 1; t < nt; t++) {
		if (started[t])
			pthread_join(th[t], NULL);
		err |= jobs[t].err;
	}
	return err | jobs[0].err ? -1 : 0;
}

/*
 * Per pixel, the block with most zeros among the 64 containing it:
 * horizontal then vertical maximum, counting ties.  h[] packs
 * zeros << 24 | ties << 20 | block x of the argmax.
 */
static void
hmax_row(const unsigned char *zrow, int nx, int w, uint32_t *out)
{
	int x, i, bx, m, c, a, zz;

	for (x = 0; x < w; x++) {
		out[x] = 0;
		if (x < 7 || x > w - 8)
			continue;
		m = -1, c = 0, a = 0;
		for (i = 0; i < 8; i++) {
			bx = x - i;
			zz = zrow[bx] & 0x7f;
			if (zz > m)
				m = zz, c = 1, a = bx;
			else if (zz == m)
				c++;
		}
		(void)nx;
		out[x] = (uint32_t)m << 24 | (uint32_t)(c > 15 ? 15 : c) << 20 |
		    (uint32_t)a;
	}
}

static void
vote_map(const unsigned char *z, int w, int h, signed char *votes,
    uint32_t *ring)
{
	int nx = w - 7, ny = h - 7, x, y, j, by, m, c, a, ab, zz;
	uint32_t u;

	memset(votes, -1, (size_t)w * h);
	for (by = 0; by < 7 && by < ny; by++)
		hmax_row(z + (size_t)by * nx, nx, w, ring + (size_t)(by % 8) * w);
	for (y = 7; y <= h - 8; y++) {
		hmax_row(z + (size_t)y * nx, nx, w, ring + (size_t)(y % 8) * w);
		for (x = 7; x <= w - 8; x++) {
			m = -1, c = 0, a = 0, ab = 0;
			for (j = 0; j < 8; j++) {
				u = ring[(size_t)((y - j) % 8) * w + x];
				zz = (int)(u >> 24);
				if (zz > m)
					m = zz, c = (int)(u >> 20 & 15),
					a = (int)(u & 0xfffff), ab = y - j;
				else if (zz == m)
					c += (int)(u >> 20 & 15);
			}
			if (m <= 0 || c != 1 || z[(size_t)ab * nx + a] & 0x80)
				continue;
			votes[(size_t)y * w + x] = (signed char)(a % 8 + ab % 8 * 8);
		}
	}
}

/* The vote map of the rounded luminance of rgb; NULL on trouble. */
static signed char *
votes_of(const unsigned char *rgb, int w, int h, const struct px_opts *o)
{
	float *L = malloc((size_t)w * h * sizeof(float));
	unsigned char *z = malloc((size_t)(w - 7) * (h - 7));
	uint32_t *ring = malloc((size_t)8 * w * sizeof(uint32_t));
	signed char *votes = malloc((size_t)w * h);

	if (L == NULL || z == NULL || ring == NULL || votes == NULL)
		goto fail;
	px_lum_int(rgb, w, h, L);
	if (count_zeros(L, w, h, z, o) != 0)
		goto fail;
	vote_map(z, w, h, votes, ring);
	free(L);
	free(z);
	free(ring);
	return votes;
fail:
	free(L);
	free(z);
	free(ring);
	free(votes);
	return NULL;
}

static double
log_nt(int w, int h)
{
	return 2 * log10(64.0) + 2 * log10((double)w) + 2 * log10((double)h);
}

/* The most voted grid, its NFA; -1 when not meaningful. */
static int
main_grid(const signed char *votes, int w, int h, double *lnfa, long *nv)
{
	long cnt[64] = { 0 }, n = (long)w * h;
	long i;
	int g, best = 0;

	for (i = 0; i < n; i++)
		if (votes[i] >= 0)
			cnt[votes[i]]++;
	for (g = 1; g < 64; g++)
		if (cnt[g] > cnt[best])
			best = g;
	/* votes come in correlated 8x8 groups: /64 counts independent ones */
	*lnfa = log_nt(w, h) + px_log10_binom_tail(n / 64, cnt[best] / 64,
	    1.0 / 64);
	*nv = cnt[best];
	return cnt[best] > 0 && *lnfa < 0 ? best : -1;
}

struct region {
	int	 x0, y0, x1, y1, grid;
	long	 size;
};

/* Grows the region of pixels voting like seed, within ZW of each other. */
static long
grow(signed char *vv, int w, int h, size_t seed, int **q, size_t *qcap,
    struct region *r)
{
	int g = vv[seed], x, y, xx, yy;
	size_t n = 0, i;

	r->grid = g;
	r->x0 = r->x1 = (int)(seed % w);
	r->y0 = r->y1 = (int)(seed / w);
	vv[seed] = -2;
	(*q)[n++] = (int)seed;
	for (i = 0; i < n; i++) {
		x = (*q)[i] % w, y = (*q)[i] / w;
		for (yy = y - ZW; yy <= y + ZW; yy++) {
			if (yy < 0 || yy >= h)
				continue;
			signed char *row = vv + (size_t)yy * w;
			int xa = x - ZW < 0 ? 0 : x - ZW;
			int xb = x + ZW >= w ? w - 1 : x + ZW;
			for (xx = xa; xx <= xb; xx++) {
				if (row[xx] != g)
					continue;
				row[xx] = -2;
				if (n == *qcap) {
					int *nq = realloc(*q, *qcap * 2 * sizeof(int));
					if (nq == NULL)
						return -1;
					*q = nq, *qcap *= 2;
				}
				(*q)[n++] = yy * w + xx;
				if (xx < r->x0) r->x0 = xx;
				if (xx > r->x1) r->x1 = xx;
				if (yy < r->y0) r->y0 = yy;
				if (yy > r->y1) r->y1 = yy;
			}
		}
	}
	r->size = (long)n;
	return (long)n;
}

static void
report_region(struct px_findings *f, const char *check, const struct region *r,
    double lnfa, int main_g, const struct px_opts *o)
{
	int reg[4] = { r->x0, r->y0, r->x1 - r->x0 + 1, r->y1 - r->y0 + 1 };
	json_t *d = json_pack("{s:i,s:[ii],s:I,s:I}", "grid", r->grid,
	    "origin", r->grid % 8, r->grid / 8, "votes", (json_int_t)r->size,
	    "area", (json_int_t)reg[2] * reg[3]);

	if (main_g >= 0)
		json_object_set_new(d, "main_grid", json_pack("{s:i,s:[ii]}",
		    "grid", main_g, "origin", main_g % 8, main_g / 8));
	else
		json_object_set_new(d, "main_grid", json_null());
	px_add(f, check, lnfa, reg, d, o);
}

/*
 * Regions voting for a grid in [0, gmax] other than excl, each with
 * NFA = NT * P[B(area/64, votes/64, 1/64)]; reports the meaningful ones.
 */
static int
regions(signed char *vv, int w, int h, int excl, int gmax, const char *check,
    int main_g, struct px_findings *f, const struct px_opts *o)
{
	double lnt = log_nt(w, h), lnfa;
	long min_size = (long)ceil(64 * lnt / log10(64.0));
	size_t i, n = (size_t)w * h, qcap = 4096;
	int *q = malloc(qcap * sizeof(int)), found = 0;
	struct region r;

	if (q == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if (vv[i] < 0 || vv[i] == excl || vv[i] > gmax)
			continue;
		if (grow(vv, w, h, i, &q, &qcap, &r) < 0) {
			free(q);
			return -1;
		}
		if (r.size < min_size)
			continue;
		lnfa = lnt + px_log10_binom_tail((long)(r.x1 - r.x0 + 1) *
		    (r.y1 - r.y0 + 1) / 64, r.size / 64, 1.0 / 64);
		if (lnfa < o->log10_eps) {
			report_region(f, check, &r, lnfa, main_g, o);
			found++;
		}
	}
	free(q);
	return found;
}

static void
report_main(struct px_findings *f, int g, double lnfa, long nv, int w, int h,
    int nforeign, int nmissing, const struct px_opts *o)
{
	json_t *d = json_object();

	json_object_set_new(d, "jpeg_grid", json_boolean(g >= 0));
	if (g >= 0) {
		json_object_set_new(d, "grid", json_integer(g));
		json_object_set_new(d, "origin", json_pack("[ii]", g % 8, g / 8));
		json_object_set_new(d, "cropped", json_boolean(g != 0));
	}
	json_object_set_new(d, "grid_log10_nfa", json_real(lnfa));
	json_object_set_new(d, "votes", json_integer(nv));
	json_object_set_new(d, "pixels", json_integer((json_int_t)w * h));
	json_object_set_new(d, "foreign_regions", json_integer(nforeign));
	json_object_set_new(d, "missing_regions", json_integer(nmissing));
	px_add(f, "info.jpeg.grid", 0, NULL, d, o);
}

/* Regions of the main grid that vote (0,0) only once resaved at q99. */
static int
missing(const struct px_image *im, const signed char *votes, int g,
    struct px_findings *f, const struct px_opts *o)
{
	size_t i, n = (size_t)im->w * im->h;
	unsigned char *rs = malloc(n * 3);
	signed char *vj;
	int found;

	if (rs == NULL)
		return -1;
	if (px_resave_rgb(im->rgb, im->w, im->h, 99, rs) != 0) {
		free(rs);
		return -1;
	}
	vj = votes_of(rs, im->w, im->h, o);
	free(rs);
	if (vj == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (votes[i] == g)
			vj[i] = -1;
	found = regions(vj, im->w, im->h, -1, 0, "jpeg.grid.missing", g, f, o);
	free(vj);
	return found;
}

int
px_zero(const struct px_image *im, struct px_findings *f,
    const struct px_opts *o)
{
	signed char *votes, *vv;
	double lnfa;
	long nv;
	int g, nf, nm = 0, w = im->w, h = im->h;

	if (w < 16 || h < 16 || im->rgb == NULL)
		return 0;	/* too small to hold a grid: nothing to say */
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, init_dct);
	if ((votes = votes_of(im->rgb, w, h, o)) == NULL)
		return -1;
	g = main_grid(votes, w, h, &lnfa, &nv);
	if ((vv = malloc((size_t)w * h)) == NULL) {
		free(votes);
		return -1;
	}
	memcpy(vv, votes, (size_t)w * h);
	nf = regions(vv, w, h, g, 63, "jpeg.grid.foreign", g, f, o);
	free(vv);
	if (nf >= 0 && g >= 0)
		nm = missing(im, votes, g, f, o);
	free(votes);
	if (nf < 0 || nm < 0)
		return -1;
	report_main(f, g, lnfa, nv, w, h, nf, nm, o);
	return 0;
}
