/*
 * ZERO: the JPEG grid seen from the pixels (Nikoukhah, Anger, Ehret,
 * Colom, Morel, Grompone von Gioi, IPOL 2021, doi:10.5201/ipol.2021.390).
 *
 * JPEG quantises the DCT of aligned 8x8 blocks, so on the grid it used
 * many coefficients round to zero.  Every pixel votes for the grid
 * origin (one of 64) whose block containing it has the most zeros; a
 * tie, or a block constant along a row or column, is no vote (nor,
 * beyond the paper, a block smooth along them: see smooth_blocks).  Under
 * the null hypothesis (no JPEG) a vote goes to any origin with
 * probability 1/64; the global grid and the regions voting for another
 * grid are validated a contrario with a binomial tail and the number of
 * tests of the paper (their published figures on the demo images are
 * reproduced).  With a q99 resave, regions of the main grid that vote
 * for no grid but (0,0) after the resave are content that never went
 * through the first compression; unlike the paper, this test runs only
 * when the main grid is not (0,0) itself, and against the rate seen
 * outside the region, because camera JPEGs have large areas where the
 * first compression left a weak grid (measured: false alarms otherwise).
 * Beyond the paper: a second grid under the main one (a patch from
 * another JPEG pasted off the grid, then the whole saved again), from
 * each pixel's second-best vote, tested per window against the image's
 * own rate of second votes (see second_grid); and a main grid found
 * among the voting pixels when the paper's test over all pixels finds
 * none (a mostly flat screenshot saved as JPEG, see thin_grid); and in a
 * PNG without a grid, pieces found from where their flat areas end
 * (flatgrid.c).
 *
 * Speed: a 1-D DCT of every 8-pixel row segment is computed once per
 * row and shared by the 8 blocks above it; the column DCT then runs
 * over whole rows of block origins at once (loops the compiler can
 * vectorise), and block rows are split among threads.
 */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "pixel_int.h"
#include "zero_int.h"

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

/*
 * The DCT loops run in a 256-bit version where the CPU has AVX2 (picked
 * once at load time).  The same float operations in the same order, no
 * fused multiply-add: the zero counts are bit for bit those of SSE2.
 */
#if defined(__GNUC__) && defined(__x86_64__) && defined(__linux__) && \
    !defined(__SANITIZE_ADDRESS__)
#define WIDE	__attribute__((target_clones("avx2", "default")))
#else
#define WIDE
#endif

/* Origins are processed 8 at a time over padded rows: fixed-length inner loops vectorise even at -O2. */
#define PAD8(n)	(((n) + 7) & ~7)

/* Row DCT of every 8-pixel segment of one image row: out[k * nxp + x]. */
WIDE static void
row_dct(const float *restrict r, int nxp, float *restrict out)
{
	int xb, i, k;

	for (k = 0; k < 8; k++) {
		const float c0 = dctc[k][0], c1 = dctc[k][1];
		const float c2 = dctc[k][2], c3 = dctc[k][3];
		const float sg = k & 1 ? -1.0f : 1.0f;
		float *restrict o = out + (size_t)k * nxp;

		for (xb = 0; xb < nxp; xb += 8)
			for (i = 0; i < 8; i++) {
				const float *q = r + xb + i;
				o[xb + i] = c0 * (q[0] + sg * q[7]) +
				    c1 * (q[1] + sg * q[6]) +
				    c2 * (q[2] + sg * q[5]) +
				    c3 * (q[3] + sg * q[4]);
			}
	}
}

/* Adds to cnt[x] the zeros of the column DCTs of row-coefficient k. */
WIDE static void
col_zeros(const float *const v[8], int nxp, int skip_dc, int *restrict cnt)
{
	const float *restrict v0 = v[0], *restrict v1 = v[1];
	const float *restrict v2 = v[2], *restrict v3 = v[3];
	const float *restrict v4 = v[4], *restrict v5 = v[5];
	const float *restrict v6 = v[6], *restrict v7 = v[7];
	float c[8][4];
	int xb, i, l, j;

	for (l = 0; l < 8; l++)
		for (j = 0; j < 4; j++)
			c[l][j] = dctc[l][j];
	for (xb = 0; xb < nxp; xb += 8)
		for (i = 0; i < 8; i++) {
			int x = xb + i;
			float s0 = v0[x] + v7[x], d0 = v0[x] - v7[x];
			float s1 = v1[x] + v6[x], d1 = v1[x] - v6[x];
			float s2 = v2[x] + v5[x], d2 = v2[x] - v5[x];
			float s3 = v3[x] + v4[x], d3 = v3[x] - v4[x];
			float o0 = c[0][0] * s0 + c[0][1] * s1 + c[0][2] * s2 + c[0][3] * s3;
			float o2 = c[2][0] * s0 + c[2][1] * s1 + c[2][2] * s2 + c[2][3] * s3;
			float o4 = c[4][0] * s0 + c[4][1] * s1 + c[4][2] * s2 + c[4][3] * s3;
			float o6 = c[6][0] * s0 + c[6][1] * s1 + c[6][2] * s2 + c[6][3] * s3;
			float o1 = c[1][0] * d0 + c[1][1] * d1 + c[1][2] * d2 + c[1][3] * d3;
			float o3 = c[3][0] * d0 + c[3][1] * d1 + c[3][2] * d2 + c[3][3] * d3;
			float o5 = c[5][0] * d0 + c[5][1] * d1 + c[5][2] * d2 + c[5][3] * d3;
			float o7 = c[7][0] * d0 + c[7][1] * d1 + c[7][2] * d2 + c[7][3] * d3;

			cnt[x] += (fabsf(o0) < 0.5f && !skip_dc) +
			    (fabsf(o1) < 0.5f) + (fabsf(o2) < 0.5f) +
			    (fabsf(o3) < 0.5f) + (fabsf(o4) < 0.5f) +
			    (fabsf(o5) < 0.5f) + (fabsf(o6) < 0.5f) +
			    (fabsf(o7) < 0.5f);
		}
}

/*
 * Byte and float vectors: GCC and Clang vector extensions, which compile
 * to SSE2/NEON (AVX2 in the WIDE clones) or to scalar code.
 */
typedef uint8_t v16u8 __attribute__((vector_size(16)));

static inline v16u8
vld(const uint8_t *p)
{
	v16u8 v;

	memcpy(&v, p, sizeof v);
	return v;
}

static inline void
vst(uint8_t *p, v16u8 v)
{
	memcpy(p, &v, sizeof v);
}

static inline v16u8
vmax(v16u8 a, v16u8 b)
{
	v16u8 gt = (v16u8)(a > b);

	return (a & gt) | (b & ~gt);
}

/*
 * Equality flags of 4 floats at once (GCC and Clang vector extensions:
 * SSE2, AVX2 in the WIDE clones, or scalar code elsewhere).
 */
typedef float v4f __attribute__((vector_size(16)));
typedef int32_t v4i __attribute__((vector_size(16)));
typedef uint8_t v4u8 __attribute__((vector_size(4)));

static inline v4f
ld4f(const float *p)
{
	v4f v;

	memcpy(&v, p, sizeof v);
	return v;
}

static inline void
st4flags(unsigned char *p, v4i e)
{
	v4u8 b = __builtin_convertvector(e & 1, v4u8);

	memcpy(p, &b, sizeof b);
}

/*
 * Marks blocks constant along x (every row flat) or along y.  hc[i] are
 * the flat-segment flags of rows y..y+7.
 */
WIDE static void
const_blocks(const float *L, int w, int y, int nx,
    const unsigned char *const hc[8], unsigned char *vc, unsigned char *zrow)
{
	const float *r0 = L + (size_t)y * w;
	int x, j;

	for (x = 0; x + 4 <= w; x += 4) {
		v4f a = ld4f(r0 + x);
		v4i e = (v4i){ 0 } - 1;

		for (j = 1; j < 8; j++)
			e &= (v4i)(ld4f(r0 + (size_t)j * w + x) == a);
		st4flags(vc + x, e);
	}
	for (; x < w; x++) {
		vc[x] = 1;
		for (j = 1; j < 8; j++)
			vc[x] &= r0[(size_t)j * w + x] == r0[x];
	}
	for (x = 0; x + 16 <= nx; x += 16) {
		v16u8 ax = vld(hc[0] + x), ay = vld(vc + x);

		for (j = 1; j < 8; j++) {
			ax &= vld(hc[j] + x);
			ay &= vld(vc + x + j);
		}
		vst(zrow + x, vld(zrow + x) | (ax | ay) << 7);
	}
	for (; x < nx; x++) {
		unsigned ax = hc[0][x] & hc[1][x] & hc[2][x] & hc[3][x] &
		    hc[4][x] & hc[5][x] & hc[6][x] & hc[7][x];
		unsigned ay = vc[x] & vc[x + 1] & vc[x + 2] & vc[x + 3] &
		    vc[x + 4] & vc[x + 5] & vc[x + 6] & vc[x + 7];

		zrow[x] |= (unsigned char)((ax | ay) << 7);
	}
}

/* Flags, per row of the ring, the 8-pixel segments that are flat. */
WIDE static void
row_flat(const float *r, int nx, unsigned char *out)
{
	int x, i;

	for (x = 0; x + 4 <= nx; x += 4) {
		v4f a = ld4f(r + x);
		v4i e = (v4i){ 0 } - 1;

		for (i = 1; i < 8; i++)
			e &= (v4i)(ld4f(r + x + i) == a);
		st4flags(out + x, e);
	}
	for (; x < nx; x++) {
		out[x] = 1;
		for (i = 1; i < 8; i++)
			out[x] &= r[x + i] == r[x];
	}
}

/*
 * Flags the 8-pixel segments of a row whose neighbouring pixels differ
 * by one level at most (sh), and those where the row differs from the
 * row above by one level at most (sv; prev NULL for none): the steps of
 * every pixel, then ANDs over 2, 4 and 7 or 8 of them (loops the
 * compiler vectorises).  sh and sv are w + 8 bytes; t is w + 8 bytes
 * of scratch.
 */
WIDE static void
row_smooth(const float *r, const float *prev, int w, unsigned char *sh,
    unsigned char *sv, unsigned char *t)
{
	int x, nx = w - 7;

	memset(sh + w - 1, 0, 9), memset(sv + w, 0, 8);
	for (x = 0; x + 1 < w; x++)
		sh[x] = fabsf(r[x + 1] - r[x]) <= 1;
	for (x = 0; x < w; x++)
		sv[x] = prev != NULL && fabsf(r[x] - prev[x]) <= 1;
	for (x = 0; x < w + 6; x++)	/* steps x..x+1, then x..x+3 */
		t[x] = sh[x] & sh[x + 1];
	for (x = 0; x < w + 4; x++)
		t[x] &= t[x + 2];
	for (x = 0; x < nx; x++)	/* steps x..x+6 */
		sh[x] = t[x] & t[x + 3];
	for (x = 0; x < w + 6; x++)
		t[x] = sv[x] & sv[x + 1];
	for (x = 0; x < w + 4; x++)
		t[x] &= t[x + 2];
	for (x = 0; x < nx; x++)	/* pixels x..x+7 */
		sv[x] = t[x] & t[x + 4];
}

/*
 * The smooth flags of the 8 rows in the ring (sh, then sv, each w + 8
 * bytes) and, per origin x, how many of them are set (ch, cv): a block
 * is then tested in O(1) instead of reading 15 rows.
 */
struct smooth {
	unsigned char	*sm, *t, *ch, *cv;
};

/* Row yy enters the ring, in the place of row yy - 8. */
WIDE static void
smooth_row(const struct zjob *j, int yy, struct smooth *s)
{
	const float *r = j->L + (size_t)yy * j->w;
	size_t ws = (size_t)j->w + 8;
	unsigned char *restrict sh = s->sm + (size_t)(yy % 8) * ws;
	unsigned char *restrict sv = s->sm + (size_t)(8 + yy % 8) * ws;
	unsigned char *restrict ch = s->ch, *restrict cv = s->cv;
	int x, nx = j->w - 7;

	for (x = 0; x < nx; x++)
		ch[x] -= sh[x], cv[x] -= sv[x];
	row_smooth(r, yy > 0 ? r - j->w : NULL, j->w, sh, sv, s->t);
	for (x = 0; x < nx; x++)
		ch[x] += sh[x], cv[x] += sv[x];
}

/*
 * Marks like constant the blocks smooth along x or along y (neighbouring
 * pixels one level apart at most), as the paper does with the blocks
 * constant along a row or a column.  A gradient or a shadow as a
 * browser or an app draws it is dithered by one level in a fixed 8x8
 * pattern from the page's corner, and such blocks get the most zeros on
 * that pattern's phase, a grid no JPEG made; once the page is a JPEG,
 * its shadows become ramps that still vote for stray grids.  Measured
 * with bench/imgforge-check-screens.py's styled pages: 27 of 30 had a
 * foreign or local grid before, none after (as JPEG: 1 of 30, none).
 * Block y's rows are y..y+7 (all 8 of sh); its row pairs end at
 * y+1..y+7 (sv but row y's).
 */
WIDE static void
smooth_blocks(const struct smooth *s, int y, int w, unsigned char *restrict zrow)
{
	const unsigned char *restrict sv0 = s->sm + (size_t)(8 + y % 8) * (w + 8);
	const unsigned char *restrict ch = s->ch, *restrict cv = s->cv;
	int x, nx = w - 7;

	for (x = 0; x < nx; x++)
		zrow[x] |= (unsigned char)((ch[x] == 8 || cv[x] - sv0[x] == 7) << 7);
}

static void *
zero_rows(void *arg)
{
	struct zjob *j = arg;
	int w = j->w, nx = w - 7, nxp = PAD8(nx), y, k, i, x, yy;
	float *ring = malloc((size_t)8 * 8 * nxp * sizeof(float));
	unsigned char *flat = malloc((size_t)8 * nx);
	unsigned char *vc = malloc((size_t)w);
	struct smooth sm = { calloc((size_t)16 * (w + 8), 1), malloc((size_t)w + 8),
	    calloc((size_t)w, 1), calloc((size_t)w, 1) };
	int *cnt = malloc((size_t)nxp * sizeof(int));
	const float *v[8];

	if (ring == NULL || flat == NULL || vc == NULL || sm.sm == NULL ||
	    sm.t == NULL || sm.ch == NULL || sm.cv == NULL || cnt == NULL) {
		j->err = 1;
		goto out;
	}
	for (yy = j->y0; yy < j->y0 + 7; yy++) {
		row_dct(j->L + (size_t)yy * w, nxp, ring + (size_t)(yy % 8) * 8 * nxp);
		row_flat(j->L + (size_t)yy * w, nx, flat + (size_t)(yy % 8) * nx);
		smooth_row(j, yy, &sm);
	}
	for (y = j->y0; y < j->y1; y++) {
		yy = y + 7;
		row_dct(j->L + (size_t)yy * w, nxp, ring + (size_t)(yy % 8) * 8 * nxp);
		row_flat(j->L + (size_t)yy * w, nx, flat + (size_t)(yy % 8) * nx);
		smooth_row(j, yy, &sm);
		memset(cnt, 0, (size_t)nxp * sizeof(int));
		for (k = 0; k < 8; k++) {
			for (i = 0; i < 8; i++)
				v[i] = ring + ((size_t)((y + i) % 8) * 8 + k) * nxp;
			col_zeros(v, nxp, k == 0, cnt);
		}
		unsigned char *zrow = j->z + (size_t)y * nx;
		for (x = 0; x < nx; x++)
			zrow[x] = (unsigned char)cnt[x];
		/* the flat-row flags of rows y..y+7 in order */
		const unsigned char *hc[8];
		for (i = 0; i < 8; i++)
			hc[i] = flat + (size_t)((y + i) % 8) * nx;
		const_blocks(j->L, w, y, nx, hc, vc, zrow);
		smooth_blocks(&sm, y, w, zrow);
	}
out:
	free(ring);
	free(flat);
	free(vc);
	free(sm.sm), free(sm.t), free(sm.ch), free(sm.cv);
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
 * Per pixel, the block with most zeros among the 64 containing it,
 * separably: per block row the maximum over 8 origins, how many reach
 * it and (when one does) which; then the same down 8 block rows.  A
 * pixel at x is covered by the blocks starting at x-7..x.
 *
 * Every quantity fits a byte (at most 64 zeros, at most 64 blocks
 * reaching the maximum; which block is kept as its offset 0..7 and only
 * read when exactly one reaches it, so the sums of offsets may wrap), so
 * the rows are processed 16 pixels at a time in byte vectors (v16u8).
 */
#define PAD16(n)	(((n) + 15) & ~15)

/*
 * One block row: max over the 8 origins x-7..x, how many reach it, which
 * (offset k), and whether that block is constant (k: meaningful only
 * when exactly one block reaches the maximum, like a).
 */
struct hrow {
	uint8_t	*m, *c, *a, *k;
};

/* t: wp + 32 bytes of scratch. */
static void
hmax_row(const unsigned char *zrow, int nx, int wp, uint8_t *t,
    const struct hrow *o)
{
	const v16u8 lo7 = (v16u8){ 0 } + 0x7f;
	int xb, k;

	memset(t, 0, 8);
	memcpy(t + 8, zrow, (size_t)nx);
	memset(t + 8 + nx, 0, (size_t)(wp + 32 - 8 - nx));
	for (xb = 0; xb < wp; xb += 16) {
		const uint8_t *tk = t + 1 + xb;
		v16u8 m = vld(tk) & lo7, c = { 0 }, a = { 0 }, cf = { 0 };

		for (k = 1; k < 8; k++)
			m = vmax(m, vld(tk + k) & lo7);
		for (k = 0; k < 8; k++) {
			v16u8 raw = vld(tk + k);
			v16u8 e = (v16u8)((raw & lo7) == m);
			c -= e;
			a += e & (uint8_t)k;
			cf |= e & (raw >> 7);
		}
		vst(o->m + xb, m), vst(o->c + xb, c), vst(o->a + xb, a);
		vst(o->k + xb, cf);
	}
}

/*
 * Pixel row y's votes: the grid of the one block with most zeros, or -1
 * (no zeros, a tie, or that block constant), all in byte vectors; the
 * first and last 7 pixels, not covered by 8 origins, are left at -1.
 */
static void
vote_row(const struct hrow r[8], int y, int wp, int w, signed char *vrow)
{
	const v16u8 lane = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
	    14, 15 };
	int x, xb, j;

	for (xb = 0; xb < wp; xb += 16) {
		v16u8 m = vld(r[0].m + xb), c = { 0 }, a = { 0 }, b = { 0 };
		v16u8 cf = { 0 }, ok, vx, vote;

		for (j = 1; j < 8; j++)
			m = vmax(m, vld(r[j].m + xb));
		for (j = 0; j < 8; j++) {
			v16u8 e = (v16u8)(vld(r[j].m + xb) == m);
			c += e & vld(r[j].c + xb);
			a += e & vld(r[j].a + xb);
			b += e & (uint8_t)j;
			cf |= e & vld(r[j].k + xb);
		}
		ok = (v16u8)(m != 0) & (v16u8)(c == 1) & (v16u8)(cf == 0);
		/* block x - 7 + a, y - 7 + b; wrapping bytes keep mod 8 */
		vx = lane + (uint8_t)xb + (uint8_t)(256 - 7) + a;
		vote = (vx & 7) + (((uint8_t)(y - 7) + b) & 7) * 8;
		vst((uint8_t *)vrow + xb, (vote & ok) | ~ok);
	}
	for (x = 0; x < 7 && x < w; x++)
		vrow[x] = -1;
	for (x = w - 7 > 0 ? w - 7 : 0; x < w; x++)
		vrow[x] = -1;
}

struct vjob {
	const unsigned char	*z;
	signed char		*votes;
	int			 w, h, y0, y1, err, want_hist;
	long			 hist[64];	/* the band's votes per grid */
};

/* Votes of pixel rows y0..y1-1 (each band primes its own 7 block rows). */
static void *
vote_rows(void *arg)
{
	struct vjob *v = arg;
	int w = v->w, nx = w - 7, wp = PAD16(w), y, j;
	uint8_t *buf = malloc((size_t)32 * wp + wp + 32);
	signed char *vrow = malloc((size_t)wp);
	struct hrow ring[8], cur[8];

	if (buf == NULL || vrow == NULL) {
		v->err = 1;
		goto out;
	}
	for (j = 0; j < 8; j++) {
		ring[j].m = buf + (size_t)j * wp;
		ring[j].c = buf + (size_t)(8 + j) * wp;
		ring[j].a = buf + (size_t)(16 + j) * wp;
		ring[j].k = buf + (size_t)(24 + j) * wp;
	}
	for (y = v->y0 - 7 < 0 ? 0 : v->y0 - 7; y < v->y1 && y <= v->h - 8; y++) {
		/* block row y enters the ring; pixel row y (>= 7) is decided */
		hmax_row(v->z + (size_t)y * nx, nx, wp, buf + (size_t)32 * wp,
		    &ring[y % 8]);
		if (y < 7 || y < v->y0)
			continue;
		for (j = 0; j < 8; j++)
			cur[j] = ring[(y - 7 + j) % 8];
		memset(vrow, -1, (size_t)wp);
		vote_row(cur, y, wp, w, vrow);
		memcpy(v->votes + (size_t)y * w, vrow, (size_t)w);
		for (j = 0; v->want_hist && j < w; j++)
			if (vrow[j] >= 0)
				v->hist[(int)vrow[j]]++;
	}
out:
	free(buf), free(vrow);
	return NULL;
}

/* The vote map of z, and (hist not NULL) the votes per grid. */
static int
vote_map(const unsigned char *z, int w, int h, signed char *votes,
    long hist[64], const struct px_opts *o)
{
	struct vjob jobs[64];
	pthread_t th[64];
	int started[64] = { 0 }, t, nt = px_nthreads(o, h), err = 0;

	memset(votes, -1, (size_t)w * h);
	for (t = 0; t < nt; t++) {
		jobs[t] = (struct vjob){ z, votes, w, h, (int)((long)h * t / nt),
		    (int)((long)h * (t + 1) / nt), 0, hist != NULL, { 0 } };
		if (t > 0)
			started[t] = pthread_create(&th[t], NULL, vote_rows,
			    &jobs[t]) == 0;
		if (t > 0 && !started[t])
			vote_rows(&jobs[t]);
	}
	vote_rows(&jobs[0]);
	for (t = 1; t < nt; t++) {
		if (started[t])
			pthread_join(th[t], NULL);
		err |= jobs[t].err;
	}
	for (t = 0; hist != NULL && t < nt; t++)
		for (int k = 0; k < 64; k++)
			hist[k] += jobs[t].hist[k];
	return err | jobs[0].err ? -1 : 0;
}

/* The vote map of the rounded luminance of im; NULL on trouble. */
static signed char *
votes_of(const struct px_image *im, const struct px_opts *o,
    unsigned char **zout, long hist[64])
{
	int w = im->w, h = im->h;
	/* padded: the last row's DCTs read up to 16 floats past the end */
	float *L = calloc((size_t)w * h + 32, sizeof(float));
	unsigned char *z = malloc((size_t)(w - 7) * (h - 7));
	signed char *votes = malloc((size_t)w * h);

	if (L == NULL || z == NULL || votes == NULL)
		goto fail;
	px_hugepages(L, ((size_t)w * h + 32) * sizeof(float));
	px_hugepages(z, (size_t)(w - 7) * (h - 7));
	px_hugepages(votes, (size_t)w * h);
	px_lum_int(im->rgb, w, h, L);
	if (count_zeros(L, w, h, z, o) != 0 || vote_map(z, w, h, votes, hist, o) != 0)
		goto fail;
	free(L);
	if (zout != NULL)
		*zout = z;
	else
		free(z);
	return votes;
fail:
	free(L);
	free(z);
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
main_grid(const long cnt[64], int w, int h, double *lnfa, long *nv)
{
	long n = (long)w * h;
	int g, best = 0;

	for (g = 1; g < 64; g++)
		if (cnt[g] > cnt[best])
			best = g;
	/* votes come in correlated 8x8 groups: /64 counts independent ones */
	*lnfa = log_nt(w, h) + px_log10_binom_tail(n / 64, cnt[best] / 64,
	    1.0 / 64);
	*nv = cnt[best];
	return cnt[best] > 0 && *lnfa < 0 ? best : -1;
}

/*
 * Which grids vote inside each 8x8 tile: the growing skips the tiles of
 * its window where its grid is absent (most of them: a grid other than
 * the main one is rare), which makes it several times faster.
 */
struct tiles {
	uint64_t	*m;
	int		 tw, th;
};

static int
tiles_of(const signed char *vv, int w, int h, struct tiles *t)
{
	int x, y;

	t->tw = (w + 7) / 8, t->th = (h + 7) / 8;
	if ((t->m = calloc((size_t)t->tw * t->th, sizeof(uint64_t))) == NULL)
		return -1;
	for (y = 0; y < h; y++) {
		const signed char *row = vv + (size_t)y * w;
		uint64_t *trow = t->m + (size_t)(y / 8) * t->tw;

		for (x = 0; x < w; x++)
			if (row[x] >= 0)
				trow[x >> 3] |= (uint64_t)1 << row[x];
	}
	return 0;
}

/* Adds pixel (xx, yy), voting like the region, to it. */
static int
take1(signed char *row, int w, int yy, int xx, int **q, size_t *qcap,
    size_t *n, struct region *r)
{
	row[xx] = -2;
	if (*n == *qcap) {
		int *nq = realloc(*q, *qcap * 2 * sizeof(int));
		if (nq == NULL)
			return -1;
		*q = nq, *qcap *= 2;
	}
	(*q)[(*n)++] = yy * w + xx;
	if (xx < r->x0) r->x0 = xx;
	if (xx > r->x1) r->x1 = xx;
	if (yy < r->y0) r->y0 = yy;
	if (yy > r->y1) r->y1 = yy;
	return 0;
}

/*
 * Adds the unused pixels voting g in one row segment (at most 8 pixels,
 * within one tile) to the region.  Most segments hold none (their
 * pixels were taken already): eight bytes are compared with g at once,
 * and only the matches are visited, in order.
 */
static int
take(signed char *vv, int w, int yy, int xa, int xb, int g, int **q,
    size_t *qcap, size_t *n, struct region *r)
{
	signed char *row = vv + (size_t)yy * w;
	int xx;

#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (xb - xa < 8 && xa + 8 <= w) {
		const uint64_t lo7 = 0x7f7f7f7f7f7f7f7fULL;
		uint64_t v, x, z;

		memcpy(&v, row + xa, 8);
		x = v ^ (0x0101010101010101ULL * (uint8_t)g);
		/* 0x80 in each byte of x that is zero, exactly (no carries) */
		z = ~(((x & lo7) + lo7) | x | lo7);
		if (xb - xa < 7)
			z &= ((uint64_t)1 << (8 * (xb - xa + 1))) - 1;
		for (; z != 0; z &= z - 1)
			if (take1(row, w, yy, xa + __builtin_ctzll(z) / 8, q, qcap,
			    n, r) != 0)
				return -1;
		return 0;
	}
#endif
	for (xx = xa; xx <= xb; xx++)
		if (row[xx] == g && take1(row, w, yy, xx, q, qcap, n, r) != 0)
			return -1;
	return 0;
}

/* Grows the region of pixels voting like seed, within ZW of each other. */
static long
grow(signed char *vv, int w, int h, struct tiles *t, size_t seed,
    int **q, size_t *qcap, struct region *r)
{
	int g = vv[seed], x, y, yy, tx, ty, xa, xb, ya, yb;
	uint64_t bit = (uint64_t)1 << g;
	size_t n = 0, i;

	r->grid = g;
	r->x0 = r->x1 = (int)(seed % w);
	r->y0 = r->y1 = (int)(seed / w);
	vv[seed] = -2;
	(*q)[n++] = (int)seed;
	for (i = 0; i < n; i++) {
		x = (*q)[i] % w, y = (*q)[i] / w;
		xa = x - ZW < 0 ? 0 : x - ZW;
		xb = x + ZW >= w ? w - 1 : x + ZW;
		ya = y - ZW < 0 ? 0 : y - ZW;
		yb = y + ZW >= h ? h - 1 : y + ZW;
		for (ty = ya / 8; ty <= yb / 8; ty++)
			for (tx = xa / 8; tx <= xb / 8; tx++) {
				if (!(t->m[ty * t->tw + tx] & bit))
					continue;
				int x0 = tx * 8 > xa ? tx * 8 : xa;
				int x1 = tx * 8 + 7 < xb ? tx * 8 + 7 : xb;
				int y0 = ty * 8 > ya ? ty * 8 : ya;
				int y1 = ty * 8 + 7 < yb ? ty * 8 + 7 : yb;
				for (yy = y0; yy <= y1; yy++)
					if (take(vv, w, yy, x0, x1, g, q, qcap, &n,
					    r) != 0)
						return -1;
				/*
				 * A tile the window covered whole holds no
				 * unused pixel of g any more: later windows
				 * skip it.
				 */
				if (x0 == tx * 8 && y0 == ty * 8 &&
				    (x1 == tx * 8 + 7 || x1 == w - 1) &&
				    (y1 == ty * 8 + 7 || y1 == h - 1))
					t->m[ty * t->tw + tx] &= ~bit;
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
 * The background of the missing-grid test: which pixels could vote
 * (those not voting the main grid g) and their votes after the resave.
 */
struct bgm {
	const signed char	*votes, *vj;
	int			 g;
	size_t			 elig, zero;
};

/*
 * The missing-grid NFA of a region: among the n eligible pixels of its
 * bounding box, k vote (0,0) after the resave, against the rate seen
 * outside the box (or 1/64 if higher): areas where the first
 * compression left a weak grid (dark, saturated, noisy) are common
 * enough outside to not stand out alone, and the region itself does
 * not lower its own bar.
 */
static double
missing_nfa(const struct bgm *bg, const struct region *r, int w, double lnt)
{
	size_t ein = 0, zin = 0, i;
	double p;
	int x, y;

	for (y = r->y0; y <= r->y1; y++)
		for (x = r->x0; x <= r->x1; x++) {
			i = (size_t)y * w + x;
			ein += bg->votes[i] != bg->g;
			zin += bg->vj[i] == 0;
		}
	p = bg->elig > ein ? (double)(bg->zero - zin) / (double)(bg->elig - ein) :
	    1;
	if (p < 1.0 / 64)
		p = 1.0 / 64;
	return lnt + px_log10_binom_tail((long)ein / 64, r->size / 64, p);
}

/*
 * Regions voting for a grid in [0, gmax] other than excl.  Foreign
 * grids (bg NULL) as in the paper: NFA = NT * P[B(area/64, votes/64,
 * 1/64)], regions of fewer than 64 log(NT) / log(64) votes not tested.
 */
static int
regions(signed char *vv, int w, int h, int excl, int gmax,
    const struct bgm *bg, const char *check, int main_g,
    struct px_findings *f, const struct px_opts *o)
{
	double lnt = log_nt(w, h), lnfa;
	long min_size = (long)ceil(64 * lnt / log10(64.0));
	size_t i, n = (size_t)w * h, qcap = 4096;
	int *q = malloc(qcap * sizeof(int)), found = 0;
	struct region r;
	struct tiles t;

	if (q == NULL)
		return -1;
	for (i = 0; i < n; i++)		/* what cannot seed cannot join */
		if (vv[i] == excl || vv[i] > gmax)
			vv[i] = -1;
	if (tiles_of(vv, w, h, &t) != 0) {
		free(q);
		return -1;
	}
	for (i = 0; i < n; i++) {
		uint64_t eight;

		/* most pixels cannot seed: eight sign bits at once */
		if ((i & 7) == 0 && i + 8 <= n &&
		    (memcpy(&eight, vv + i, 8), (eight & 0x8080808080808080ULL) ==
		    0x8080808080808080ULL)) {
			i += 7;
			continue;
		}
		if (vv[i] < 0)
			continue;
		if (grow(vv, w, h, &t, i, &q, &qcap, &r) < 0) {
			free(q), free(t.m);
			return -1;
		}
		if (r.size < min_size)
			continue;
		lnfa = bg != NULL ? missing_nfa(bg, &r, w, lnt) :
		    lnt + px_log10_binom_tail((long)(r.x1 - r.x0 + 1) *
		    (r.y1 - r.y0 + 1) / 64, r.size / 64, 1.0 / 64);
		if (lnfa < o->log10_eps) {
			report_region(f, check, &r, lnfa, main_g, o);
			found++;
		}
	}
	free(q), free(t.m);
	return found;
}

static void
report_main(struct px_findings *f, int g, int thin, double lnfa, long nv,
    int w, int h,
    int nforeign, int nsecond, int nmissing, int nlocal, int nflat, int local,
    const struct px_opts *o)
{
	json_t *d = json_object();

	json_object_set_new(d, "jpeg_grid", json_boolean(g >= 0));
	if (g >= 0 && o->lossless)	/* a PNG: the whole picture's or a piece's */
		json_object_set_new(d, "grid_extent", json_string(local ?
		    "local" : "whole"));
	if (g >= 0) {
		json_object_set_new(d, "grid", json_integer(g));
		json_object_set_new(d, "origin", json_pack("[ii]", g % 8, g / 8));
		json_object_set_new(d, "cropped", json_boolean(g != 0));
	}
	json_object_set_new(d, "grid_log10_nfa", json_real(lnfa));
	/* the grid test counted all pixels (the paper's) or only the voting ones */
	json_object_set_new(d, "grid_trials", json_string(thin ? "votes" :
	    "pixels"));
	json_object_set_new(d, "votes", json_integer(nv));
	json_object_set_new(d, "pixels", json_integer((json_int_t)w * h));
	json_object_set_new(d, "foreign_regions", json_integer(nforeign));
	json_object_set_new(d, "second_grid_regions", json_integer(nsecond));
	json_object_set_new(d, "missing_regions", json_integer(nmissing));
	json_object_set_new(d, "local_regions", json_integer(nlocal));
	json_object_set_new(d, "flat_regions", json_integer(nflat));
	px_add(f, "info.jpeg.grid", 0, NULL, d, o);
}

/*
 * The vote map of im resaved at q99 (NULL on trouble): the slowest
 * step of ZERO, and independent of the main grid's other tests, so with
 * more than one thread it runs beside them (resave_thread).
 */
static signed char *
resave_votes(const struct px_image *im, const struct px_opts *o)
{
	unsigned char *rs = malloc((size_t)im->w * im->h * 3);
	signed char *vj;
	struct px_image ri = { im->w, im->h, rs, NULL };
	PX_T0(t0);

	if (rs == NULL)
		return NULL;
	px_hugepages(rs, (size_t)im->w * im->h * 3);
	if (px_resave_rgb(im->rgb, im->w, im->h, 99, rs) != 0) {
		free(rs);
		return NULL;
	}
	vj = votes_of(&ri, o, NULL, NULL);
	free(rs);
	PX_TDONE("zero.resave+votes", t0);
	return vj;
}

struct resave_job {
	const struct px_image	*im;
	const struct px_opts	*o;
	signed char		*vj;
};

static void *
resave_thread(void *arg)
{
	struct resave_job *r = arg;

	r->vj = resave_votes(r->im, r->o);
	return NULL;
}

/*
 * Regions of the main grid that vote (0,0) only once resaved at q99;
 * vj is the resave's vote map (taken).
 */
static int
missing(const struct px_image *im, const signed char *votes, signed char *vj,
    int g, struct px_findings *f, const struct px_opts *o)
{
	size_t i, n = (size_t)im->w * im->h;
	signed char *vj0 = NULL;
	struct bgm bg = { votes, NULL, g, 0, 0 };
	int found = -1;

	if (vj == NULL || (vj0 = malloc(n)) == NULL)
		goto out;
	px_hugepages(vj0, n);
	for (i = 0; i < n; i++) {
		if (votes[i] == g)
			vj[i] = -1;
		bg.elig += votes[i] != g;
		bg.zero += vj[i] == 0;
	}
	memcpy(vj0, vj, n);
	bg.vj = vj0;
	found = regions(vj, im->w, im->h, -1, 0, &bg, "jpeg.grid.missing", g,
	    f, o);
out:
	free(vj);
	free(vj0);
	return found;
}

/*
 * Whether a foreign-grid region of the same grid, already reported,
 * overlaps r: that finding places the paste more closely than windows.
 */
static int
seen_foreign(const struct px_findings *f, const struct region *r,
    const struct px_opts *o)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		const struct px_finding *p = &f->v[i];
		if (strcmp(p->check, "jpeg.grid.foreign") == 0 &&
		    p->log10_nfa < o->log10_eps &&
		    json_integer_value(json_object_get(p->detail, "grid")) ==
		    r->grid && p->region[0] <= r->x1 && r->x0 < p->region[0] +
		    p->region[2] && p->region[1] <= r->y1 && r->y0 <
		    p->region[1] + p->region[3])
			return 1;
	}
	return 0;
}

/* Detection a (log10 NFA *la) takes in b (lb): the box of both, the best. */
static void
absorb(struct region *a, double *la, const struct region *b, double lb)
{
	if (b->x0 < a->x0) a->x0 = b->x0;
	if (b->y0 < a->y0) a->y0 = b->y0;
	if (b->x1 > a->x1) a->x1 = b->x1;
	if (b->y1 > a->y1) a->y1 = b->y1;
	if (b->size > a->size) a->size = b->size;
	if (lb < *la) *la = lb;
}

/*
 * Adds a window's detection r to det (at most 64), absorbed by the first
 * one of its grid whose box overlaps it (or touches it, with touch 1).
 * -1 when it is new and det is full.
 */
static int
add_det(struct region det[64], double dl[64], int *nd, const struct region *r,
    double lnfa, int touch)
{
	int i;

	for (i = 0; i < *nd; i++)
		if (det[i].grid == r->grid && r->x0 <= det[i].x1 + touch &&
		    det[i].x0 <= r->x1 + touch && r->y0 <= det[i].y1 + touch &&
		    det[i].y0 <= r->y1 + touch) {
			absorb(&det[i], &dl[i], r, lnfa);
			return 0;
		}
	if (*nd == 64)
		return -1;
	det[*nd] = *r, dl[(*nd)++] = lnfa;
	return 0;
}

/*
 * Merges detections of one grid whose boxes overlap or touch, until none
 * do: windows merged as they come can leave two boxes that only meet
 * once both have grown.
 */
static void
merge_dets(struct region *det, double *dl, int *nd)
{
	int i, j, again = 1;

	while (again) {
		again = 0;
		for (i = 0; i < *nd; i++)
			for (j = i + 1; j < *nd; j++) {
				struct region *a = &det[i], *b = &det[j];

				if (a->grid != b->grid || b->x0 > a->x1 + 1 ||
				    a->x0 > b->x1 + 1 || b->y0 > a->y1 + 1 ||
				    a->y0 > b->y1 + 1)
					continue;
				absorb(a, &dl[i], b, dl[j]);
				det[j] = det[*nd - 1], dl[j] = dl[*nd - 1];
				(*nd)--, j--;
				again = 1;
			}
	}
}

/*
 * The window test shared by the second-grid and local-grid checks: in
 * every window of 2x2 tiles, the votes of v for grid k against the
 * image's own rate p_k (at least pmin), for the grids the caller lets
 * through (g >= 0: the 49 offset from g on both axes; g < 0: all 64).
 * NFA = (windows x grids) x P[B(n/64, k/64, p_k)].  Overlapping
 * detections of one grid are merged, then placed by zero_place and
 * reported as check unless a foreign-grid region already covers them.
 */
static int
windows(const signed char *v, int w, int h, int g, double pmin,
    const char *check, struct px_findings *f, const struct px_opts *o)
{
	int tw = (w + TS - 1) / TS, th = (h + TS - 1) / TS;
	int x, y, tx, ty, k, nfound = 0, ngrids = g >= 0 ? 49 : 64;
	long *tc = calloc((size_t)tw * th * 65, sizeof(long)), tot[65] = { 0 };
	struct region det[64];
	double dl[64], lnt, p;
	int nd = 0, i;

	if (tc == NULL)
		return -1;
	for (y = 0; y < h; y++) {
		const signed char *row = v + (size_t)y * w;
		long *c = tc + (size_t)(y / TS) * tw * 65;

		for (tx = 0; tx < tw; tx++, c += 65)
			for (x = tx * TS; x < (tx + 1) * TS && x < w; x++)
				if ((k = row[x]) >= 0)
					c[k]++, c[64]++;
	}
	for (i = 0; i < tw * th; i++)
		for (k = 0; k < 65; k++)
			tot[k] += tc[(size_t)i * 65 + k];
	if (tot[64] == 0 || tw < 2 || th < 2)
		goto done;
	lnt = log10((double)(tw - 1) * (th - 1) * ngrids);
	for (ty = 0; ty + 1 < th; ty++)
		for (tx = 0; tx + 1 < tw; tx++) {
			long c[65] = { 0 };
			int dx, dy;

			for (dy = 0; dy < 2; dy++)
				for (dx = 0; dx < 2; dx++)
					for (k = 0; k < 65; k++)
						c[k] += tc[((size_t)(ty + dy) * tw + tx +
						    dx) * 65 + k];
			for (k = 0; k < 64; k++) {
				double lnfa;
				struct region r;

				if ((g >= 0 && (k % 8 == g % 8 || k / 8 == g / 8)) ||
				    tot[k] == 0 || c[k] < 128)
					continue;
				p = (double)tot[k] / tot[64];
				if (p < pmin)
					p = pmin;
				lnfa = lnt + px_log10_binom_tail(c[64] / 64,
				    c[k] / 64, p);
				if (lnfa >= o->log10_eps)
					continue;
				r = (struct region){ tx * TS, ty * TS,
				    (tx + 2) * TS - 1 < w ? (tx + 2) * TS - 1 : w - 1,
				    (ty + 2) * TS - 1 < h ? (ty + 2) * TS - 1 : h - 1,
				    k, c[k] };
				(void)add_det(det, dl, &nd, &r, lnfa, 0);
			}
		}
	merge_dets(det, dl, &nd);
	for (i = 0; i < nd; i++)
		if (!seen_foreign(f, &det[i], o)) {
			p = (double)tot[det[i].grid] / tot[64];
			zero_place(v, w, h, &det[i], p < pmin ? pmin : p);
			report_region(f, check, &det[i], dl[i], g, o);
			nfound++;
		}
done:
	free(tc);
	return nfound;
}

/*
 * Second votes: every pixel votes again with the blocks of the main
 * grid g left out (see the comment above TS; z is changed).  NULL on no
 * memory.  They do not depend on the foreign-grid regions, so with
 * more than one thread they are counted beside them (second_thread).
 */
static signed char *
second_votes(unsigned char *z, int w, int h, int g, const struct px_opts *o)
{
	int nx = w - 7, x, y;
	signed char *v2 = malloc((size_t)w * h);

	if (v2 == NULL)
		return NULL;
	px_hugepages(v2, (size_t)w * h);
	for (y = g / 8; y < h - 7; y += 8)
		for (x = g % 8; x < nx; x += 8)
			z[(size_t)y * nx + x] &= 0x80;
	if (vote_map(z, w, h, v2, NULL, o) != 0) {
		free(v2);
		return NULL;
	}
	return v2;
}

struct second_job {
	unsigned char		*z;
	int			 w, h, g;
	const struct px_opts	*o;
	signed char		*v2;
};

static void *
second_thread(void *arg)
{
	struct second_job *s = arg;

	s->v2 = second_votes(s->z, s->w, s->h, s->g, s->o);
	return NULL;
}

/*
 * A second grid under the main one (non-aligned double JPEG: content
 * pasted from another JPEG, or cut out, saved alone and pasted back off
 * the grid, then the whole saved again).  The last compression's grid g
 * outvotes the earlier one everywhere, so every pixel votes again with
 * g's blocks left out: its second-best grid.  Those second votes are far
 * from uniform (grids one row or column off g share most of its
 * zeros), so the null hypothesis is the image's own: in a window of
 * 2x2 tiles, a second vote goes to grid h with the rate p_h seen over
 * the whole image (the window included, which only makes the test
 * harder).  NFA = (windows x 49 grids) x P[B(n/64, k/64, p_h)], n the
 * second votes in the window, k those for h, counted in 8x8 groups as
 * for the main grid.  Overlapping detections of one grid are merged.
 *
 * Only the 49 grids offset from g along both axes are tested: a grid in
 * the same column or row phase keeps g's block edges along one axis, so
 * g's own quantisation lends it zeros wherever the content runs along
 * that axis (measured on camera JPEGs: such windows, (0,4), (4,0), (0,1)
 * ... from g, reached log10 NFA -8.5 on untouched photos, while no
 * window of the 49 others went below +0.37 in 87 of them).  A paste
 * that lands in g's row or column phase is not seen by this test.
 *
 * Here: the window test on the second votes v2 (taken).
 */
static int
second_grid(signed char *v2, int w, int h, int g, struct px_findings *f,
    const struct px_opts *o)
{
	int n;

	if (v2 == NULL)
		return -1;
	n = windows(v2, w, h, g, 0, "jpeg.grid.second", f, o);
	free(v2);
	return n;
}

/*
 * Where grid g stands out: the windows of 2x2 tiles where it does (NFA =
 * windows x 64 grids x P[B(n/64, k/64, 1/64)], n the window's votes, k
 * those for g), merged into det (at most 64), and whether the votes
 * outside them still show g (the same test on all of them, on 16 groups
 * of 64 votes or more): SPREAD, PIECE (no trace of g on at least 64
 * groups, at less than twice chance), or UNTOLD (neither, or g stands
 * out in more than 64 places).
 */
enum extent { EXTENT_NOMEM = -1, SPREAD, PIECE, UNTOLD };

static enum extent
grid_extent(const signed char *votes, int w, int h, int g,
    const struct px_opts *o, struct region det[64], double dl[64], int *nd)
{
	int tw = (w + TS - 1) / TS, th = (h + TS - 1) / TS, x, y, tx, ty, i;
	long *tn = calloc((size_t)tw * th * 2, sizeof(long)), nout = 0, kout = 0;
	enum extent e = UNTOLD;
	double lnt, lnfa;

	*nd = 0;
	if (tn == NULL)
		return EXTENT_NOMEM;
	if (tw < 2 || th < 2)
		goto out;
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			int v = votes[(size_t)y * w + x];
			long *c = tn + ((size_t)(y / TS) * tw + x / TS) * 2;

			c[0] += v >= 0;
			c[1] += v == g;
		}
	lnt = log10((double)(tw - 1) * (th - 1) * 64);
	for (ty = 0; ty + 1 < th; ty++)
		for (tx = 0; tx + 1 < tw; tx++) {
			long n = 0, k = 0;
			struct region r;

			for (y = ty; y < ty + 2; y++)
				for (x = tx; x < tx + 2; x++) {
					n += tn[((size_t)y * tw + x) * 2];
					k += tn[((size_t)y * tw + x) * 2 + 1];
				}
			lnfa = lnt + px_log10_binom_tail(n / 64, k / 64, 1.0 / 64);
			if (lnfa >= o->log10_eps)
				continue;
			r = (struct region){ tx * TS, ty * TS,
			    (tx + 2) * TS - 1 < w ? (tx + 2) * TS - 1 : w - 1,
			    (ty + 2) * TS - 1 < h ? (ty + 2) * TS - 1 : h - 1, g, k };
			if (add_det(det, dl, nd, &r, lnfa, 1) != 0)
				goto out;	/* a grid in that many places is the picture's */
		}
	merge_dets(det, dl, nd);
	for (ty = 0; ty < th; ty++)
		for (tx = 0; tx < tw; tx++) {
			for (i = 0; i < *nd; i++)
				if (tx * TS >= det[i].x0 && tx * TS <= det[i].x1 &&
				    ty * TS >= det[i].y0 && ty * TS <= det[i].y1)
					break;
			if (i < *nd)
				continue;
			nout += tn[((size_t)ty * tw + tx) * 2];
			kout += tn[((size_t)ty * tw + tx) * 2 + 1];
		}
	/*
	 * No trace is not yet absence: counted in groups of 64 the test is
	 * weak on a few thousand votes, and a screenshot saved whole as
	 * JPEG votes for its grid at 1.5 to 4 times chance outside its
	 * dense text, on 1,600 to 33,000 votes (measured on 120 browser
	 * screenshots saved at q70-q90), where a strip pasted into a
	 * screenshot leaves chance (1/64) on 8,000.  A piece needs 64 groups
	 * of votes outside, at less than twice chance.
	 */
	if (nout / 64 >= 16 &&
	    lnt + px_log10_binom_tail(nout / 64, kout / 64, 1.0 / 64) <
	    o->log10_eps)
		e = SPREAD;
	else if (nout / 64 >= 64 && 32 * kout < nout)
		e = PIECE;
out:
	free(tn);
	return e;
}

/*
 * A PNG whose pixels carry a main grid g: the whole picture went through
 * JPEG once, or only a piece pasted in did (a cut from a forwarded
 * JPEG in a screenshot, where the rest has no grid and few votes: the
 * piece then wins the image's vote).  If the windows where g stands out
 * leave many votes outside with no trace of g (grid_extent), and cover
 * less than half the picture (a screenshot saved as JPEG has areas of
 * thin text where the grid gets few votes), the grid is local and each
 * merged window is a jpeg.grid.local detection, placed by zero_place.
 * Returns the number of such regions (0: the grid is the picture's),
 * -1 on no memory.
 */
static int
png_grid(const signed char *votes, int w, int h, int g, struct px_findings *f,
    const struct px_opts *o)
{
	struct region det[64];
	double dl[64];
	long area = 0;
	int nd, i;
	enum extent e = grid_extent(votes, w, h, g, o, det, dl, &nd);

	if (e == EXTENT_NOMEM)
		return -1;
	for (i = 0; i < nd; i++)
		area += (long)(det[i].x1 - det[i].x0 + 1) * (det[i].y1 - det[i].y0 + 1);
	if (e != PIECE || nd == 0 || 2 * area > (long)w * h)
		return 0;
	for (i = 0; i < nd; i++) {
		zero_place(votes, w, h, &det[i], 1.0 / 64);
		report_region(f, "jpeg.grid.local", &det[i], dl[i], -1, o);
	}
	return nd;
}

/*
 * No grid is meaningful over all the pixels (the paper's test), but one
 * may be among the pixels that vote: a screenshot or a scanned form saved
 * as JPEG is mostly flat, its blocks constant, and only its text votes.
 * Such a grid is the picture's unless grid_extent finds it a piece: the
 * votes outside the windows where it stands out, many, show no trace of
 * it.  A piece pasted into a picture without a grid (the paper's
 * tampered1) stands out in its windows only and stays a foreign region.  Returns the grid, or -1; *lnfa is its NFA among the votes.
 */
static int
thin_grid(const signed char *votes, const long cnt[64], int w, int h,
    const struct px_opts *o, double *lnfa)
{
	struct region det[64];
	double dl[64];
	long n = 0;
	int g, best = 0, nd;
	enum extent e;

	for (g = 0; g < 64; g++) {
		n += cnt[g];
		if (cnt[g] > cnt[best])
			best = g;
	}
	*lnfa = log_nt(w, h) + px_log10_binom_tail(n / 64, cnt[best] / 64,
	    1.0 / 64);
	if (*lnfa >= o->log10_eps)
		return -1;
	e = grid_extent(votes, w, h, best, o, det, dl, &nd);
	return e == SPREAD || e == UNTOLD ? best : -1;
}

int
px_zero(const struct px_image *im, struct px_findings *f,
    const struct px_opts *o)
{
	signed char *votes, *vv;
	unsigned char *z = NULL;
	struct resave_job rj = { im, o, NULL };
	struct second_job sj;
	pthread_t th, th2;
	bool early = false, early2 = false;
	double lnfa, lnfa_thin;
	long nv, cnt[64] = { 0 };
	int g, g_found, nf, nm = 0, ns = 0, nl = 0, nfl = 0, local = 0, thin = 0;
	int w = im->w, h = im->h;

	if (w < 16 || h < 16 || im->rgb == NULL)
		return 0;	/* too small to hold a grid: nothing to say */
	if ((double)w * h > INT_MAX / 2) {
		/* pixel indices are ints in the region growing */
		px_add(f, "info.jpeg.grid", 0, NULL, json_pack("{s:s}",
		    "skipped", "image too large"), o);
		return 0;
	}
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, init_dct);
	PX_T0(t0);
	if ((votes = votes_of(im, o, &z, cnt)) == NULL)
		return -1;
	PX_TDONE("zero.votes", t0);
	PX_T0(t1);
	g = main_grid(cnt, w, h, &lnfa, &nv);
	if (g < 0 && (g = thin_grid(votes, cnt, w, h, o, &lnfa_thin)) >= 0)
		lnfa = lnfa_thin, nv = cnt[g], thin = 1;
	/*
	 * A JPEG file's last compression put its grid at (0,0) even where
	 * too few pixels vote to show it (a flat screenshot at high
	 * quality): regions on that grid are the file's own, not foreign.
	 */
	g_found = g;
	if (g < 0 && !o->lossless)
		g = 0;
	/*
	 * The missing-grid test needs the resave when there is a main grid
	 * other than (0,0) and it is not a piece's (a PNG's grid can be, so
	 * a PNG waits for png_grid): started now, it runs beside the others.
	 */
	if (g > 0 && !o->lossless && o->threads > 1)
		early = pthread_create(&th, NULL, resave_thread, &rj) == 0;
	sj = (struct second_job){ z, w, h, g, o, NULL };
	if (g >= 0 && o->threads > 1)
		early2 = pthread_create(&th2, NULL, second_thread, &sj) == 0;
	if ((vv = malloc((size_t)w * h)) == NULL) {
		if (early)
			pthread_join(th, NULL);
		if (early2)
			pthread_join(th2, NULL);
		free(rj.vj), free(sj.v2), free(votes), free(z);
		return -1;
	}
	px_hugepages(vv, (size_t)w * h);
	memcpy(vv, votes, (size_t)w * h);
	nf = regions(vv, w, h, g, 63, NULL, "jpeg.grid.foreign", g, f, o);
	free(vv);
	PX_TDONE("zero.regions", t1);
	PX_T0(t2);
	if (early2)
		pthread_join(th2, NULL);
	if (nf >= 0 && g >= 0)
		ns = second_grid(early2 ? sj.v2 : second_votes(z, w, h, g, o),
		    w, h, g, f, o);
	/*
	 * No grid over the whole image (a PNG screenshot, a photo never
	 * compressed): a JPEG-compressed piece pasted in carries its grid
	 * in its text and edges only, too sparsely for the pixel regions'
	 * test, whose trials are all the pixels of the box.  The window
	 * test counts only the pixels that vote, against each grid's own
	 * rate in the image (at least 1/64).
	 */
	else {
		free(sj.v2);
		if (nf >= 0)
			nl = windows(votes, w, h, -1, 1.0 / 64,
			    "jpeg.grid.local", f, o);
		/* where the votes are fewest, the piece's flat areas still end on its grid */
		if (nf >= 0 && nl >= 0 && g < 0)
			nfl = px_flatgrid(im, f, o);
	}
	if (nf >= 0 && g >= 0 && o->lossless &&
	    (nl = png_grid(votes, w, h, g, f, o)) > 0)
		local = 1;
	free(z);
	PX_TDONE("zero.second/local", t2);
	PX_T0(t3);
	/*
	 * The resave imposes grid (0,0): when that is the main grid itself,
	 * a region without the grid cannot be told from one where the
	 * first compression left few zeros, so the test is not run.
	 */
	if (early)
		pthread_join(th, NULL);
	if (nf >= 0 && g > 0 && !local)
		nm = missing(im, votes, early ? rj.vj : resave_votes(im, o), g,
		    f, o);
	else
		free(rj.vj);
	PX_TDONE("zero.missing", t3);
	free(votes);
	if (nf < 0 || nm < 0 || ns < 0 || nl < 0 || nfl < 0)
		return -1;
	report_main(f, g_found, thin, lnfa, nv, w, h, nf, ns, nm, nl, nfl, local, o);
	return 0;
}
