/*
 * jpeg.grid.flat: a piece of a JPEG in a picture that never was one,
 * found from where its flat areas end.
 *
 * A JPEG decoder rebuilds every 8x8 block on its own.  A block that was
 * flat comes back exactly flat, and the ringing around an edge fills
 * the edge's own block up to the block's border and stops there.  So in
 * a flat-coloured screenshot, a piece cut from a JPEG (a chat bubble
 * from a forwarded picture) has flat areas that begin and end on its
 * grid's lines.  ZERO's votes there are few: black text on a white
 * bubble clips the ringing at 0 and 255, which spoils the DCT's zeros,
 * and blocks constant along a row do not vote.
 *
 * A border is a flat stretch (8 pixels along the scan, the same on the
 * lines either side) next to a pixel 2 to 16 levels off, which itself
 * differs from a neighbour across the scan, in a quiet 5x5 neighbourhood
 * (range at most 24) that holds one flat colour only, with the edge
 * that rings within the 8 pixels beyond.  A drawn picture has almost
 * none: its flat areas end in the anti-aliased edge of a glyph or a
 * shape (a large range, or two flat colours close by), the dither of
 * its gradients is one level, and a dithered card on a flat page has
 * no edge beyond its border.  Ringing makes many.
 *
 * Null hypothesis: a border's position along its scan, modulo 8, is any
 * of the 8 with probability 1/8.  Borders in one line of one 8-pixel
 * stretch are one trial (a straight edge is one fact, not eight).  A
 * window of 32-pixel tiles is a detection when its column borders and
 * its row borders both gather on one phase: NFA = tests x the larger of
 * the two binomial tails, so that neither direction alone, as a layout
 * on an 8-pixel grid makes one, is enough.
 */
#include "config.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pixel_int.h"
#include "zero_int.h"

#define FT	32	/* tile side */
#define QUIET	24	/* largest range of a quiet 5x5 neighbourhood */
#define STEP_LO	2	/* a border's step: more than a dither's one level */
#define STEP_HI	16
#define MAXREG	16

/* Per tile, the border trials at each phase: 8 of columns, 8 of rows. */
struct ftiles {
	long	*c;		/* (th + 1) x (tw + 1) x 16, then summed */
	int	 tw, th;
};

/* Whether pixel (x, y), not on the picture's edge, has a constant 3x3 neighbourhood. */
static int
flat_3x3(const uint8_t *a, int w, int x, int y)
{
	const uint8_t *p = a + (size_t)y * w + x;
	uint8_t v = *p;

	return p[-1] == v && p[1] == v && p[-w - 1] == v && p[-w] == v &&
	    p[-w + 1] == v && p[w - 1] == v && p[w] == v && p[w + 1] == v;
}

/*
 * Whether the 5x5 neighbourhood of pixel i is quiet and holds one flat
 * colour at most (pixels whose 3x3 neighbourhood is constant).  Asked
 * only of the few pixels next to a flat stretch, so computed on demand.
 */
static int
calm(const uint8_t *a, int w, int h, size_t i)
{
	int x0 = (int)(i % w), y0 = (int)(i / w), x, y, flat = -1;
	int mx = 0, mn = 255;

	for (y = y0 - 2; y <= y0 + 2; y++)
		for (x = x0 - 2; x <= x0 + 2; x++) {
			if (x < 0 || y < 0 || x >= w || y >= h)
				continue;
			int v = a[(size_t)y * w + x];

			mx = v > mx ? v : mx, mn = v < mn ? v : mn;
			if (mx - mn > QUIET)
				return 0;
			if (x < 1 || y < 1 || x + 1 >= w || y + 1 >= h ||
			    !flat_3x3(a, w, x, y))
				continue;
			if (flat >= 0 && flat != v)
				return 0;
			flat = v;
		}
	return 1;
}

/*
 * Whether the 8 pixels from i along the scan (step) are flat, and the
 * lines on either side too, in the same colour (across = the step
 * between lines).  Asked only next to a border's step, so computed on
 * demand; the caller keeps the stretch inside the picture.
 */
static int
flat3(const uint8_t *a, size_t i, ptrdiff_t step, ptrdiff_t across)
{
	uint8_t v = a[i];

	for (int k = 0; k < 8; k++) {
		const uint8_t *p = a + i + k * step;

		if (p[0] != v || p[-across] != v || p[across] != v)
			return 0;
	}
	return 1;
}

/*
 * Whether pixel i, a border's step off a flat stretch, may border it:
 * it differs from a neighbour across the scan, in calm surroundings.
 */
static int
border_px(const uint8_t *a, int w, int h, size_t i, ptrdiff_t across)
{
	return (a[i - across] != a[i] || a[i + across] != a[i]) &&
	    calm(a, w, h, i);
}

/*
 * Whether the 8 pixels from pixel (u, l) onward along the scan (dir +1
 * or -1), on lines l - 3 .. l + 3, hold one more than STEP_HI off the
 * flat colour v: the edge whose ringing this is, in the same block.
 * The border of a dithered card on a flat page has none.
 */
static int
cause(const uint8_t *a, int w, int len, int lines, int along_y, int u, int l,
    int dir, uint8_t v)
{
	int k, d;

	for (d = -3; d <= 3; d++) {
		if (l + d < 0 || l + d >= lines)
			continue;
		for (k = 0; k < 8 && u + k * dir >= 0 && u + k * dir < len; k++) {
			int uu = u + k * dir, ll = l + d;
			uint8_t p = a[along_y ? (size_t)uu * w + ll : (size_t)ll * w + uu];

			if (abs((int)p - (int)v) > STEP_HI)
				return 1;
		}
	}
	return 0;
}

/*
 * Marks the border trials of one scan direction: along x, borders
 * between columns x - 1 and x, one trial per (x, 8-row band); along y
 * the same with the axes swapped.  seen has one byte per trial.
 */
static void
borders(const uint8_t *a, int w, int h, int along_y,
    unsigned char *seen)
{
	ptrdiff_t step = along_y ? w : 1, across = along_y ? 1 : w;
	int len = along_y ? h : w, lines = along_y ? w : h, x, y;

	/* in memory order, whichever the scan: (u, l) is (y, x) or (x, y) */
	for (y = 1; y + (along_y ? 0 : 1) < h; y++)
		for (x = 1; x + (along_y ? 1 : 0) < w; x++) {
			size_t here = (size_t)y * w + x, prev = here - step;
			int s = abs((int)a[here] - (int)a[prev]);

			if (s < STEP_LO || s > STEP_HI)
				continue;
			int u = along_y ? y : x, l = along_y ? x : y;
			/* flat from here on, ringing before; or the reverse */
			int b = (u + 8 <= len && flat3(a, here, step, across) &&
			    border_px(a, w, h, prev, across) &&
			    cause(a, w, len, lines, along_y, u - 1, l, -1, a[here])) ||
			    (u >= 8 && flat3(a, here - 8 * step, step, across) &&
			    border_px(a, w, h, here, across) &&
			    cause(a, w, len, lines, along_y, u, l, 1, a[prev]));

			if (b)
				seen[(size_t)(l / 8) * len + u] = 1;
		}
}

/* Counts the trials of seen into the tiles, by phase (base 0 or 8). */
static void
tally(const unsigned char *seen, int len, int bands, int along_y,
    struct ftiles *t, int base)
{
	int u, b;

	for (b = 0; b < bands; b++)
		for (u = 0; u < len; u++) {
			if (!seen[(size_t)b * len + u])
				continue;
			int tx = along_y ? b * 8 / FT : u / FT;
			int ty = along_y ? u / FT : b * 8 / FT;

			t->c[((size_t)(ty + 1) * (t->tw + 1) + tx + 1) * 16 +
			    base + u % 8]++;
		}
}

/* The tiles' counts as summed-area tables, for any window in O(16). */
static void
integrate(struct ftiles *t)
{
	int x, y, k;
	size_t W = (size_t)t->tw + 1;

	for (y = 1; y <= t->th; y++)
		for (x = 1; x <= t->tw; x++)
			for (k = 0; k < 16; k++)
				t->c[(y * W + x) * 16 + k] +=
				    t->c[((y - 1) * W + x) * 16 + k] +
				    t->c[(y * W + x - 1) * 16 + k] -
				    t->c[((y - 1) * W + x - 1) * 16 + k];
}

struct fwin {
	int	 tx, ty, nw, nh;	/* in tiles */
	int	 px, py;		/* the phase */
	long	 kx, nx, ky, ny;	/* borders on the phase, of all */
	double	 lnfa;
};

/* Tests window w of t: its best phase in each direction, and the NFA. */
static void
test_window(const struct ftiles *t, struct fwin *w, double lnt)
{
	size_t W = (size_t)t->tw + 1;
	const long *a = t->c + ((size_t)(w->ty + w->nh) * W + w->tx + w->nw) * 16,
	    *b = t->c + ((size_t)w->ty * W + w->tx + w->nw) * 16,
	    *c = t->c + ((size_t)(w->ty + w->nh) * W + w->tx) * 16,
	    *d = t->c + ((size_t)w->ty * W + w->tx) * 16;
	long s[16];
	int k;

	w->nx = w->ny = 0, w->px = w->py = 0;
	for (k = 0; k < 16; k++) {
		s[k] = a[k] - b[k] - c[k] + d[k];
		*(k < 8 ? &w->nx : &w->ny) += s[k];
		if (k < 8 && s[k] > s[w->px])
			w->px = k;
		if (k >= 8 && s[k] > s[8 + w->py])
			w->py = k - 8;
	}
	w->kx = s[w->px], w->ky = s[8 + w->py];
	if (w->kx < 3 || w->ky < 3) {
		w->lnfa = INFINITY;
		return;
	}
	double lx = px_log10_binom_tail(w->nx, w->kx, 1.0 / 8);
	double ly = px_log10_binom_tail(w->ny, w->ky, 1.0 / 8);

	w->lnfa = lnt + (lx > ly ? lx : ly);
}

/* Window sides, in tiles: 32 to 512 pixels. */
static const int sides[] = { 1, 2, 4, 8, 16 };
#define NSIDES	(sizeof sides / sizeof sides[0])

static double
log_tests(int tw, int th)
{
	double n = 0;

	for (size_t i = 0; i < NSIDES; i++)
		for (size_t j = 0; j < NSIDES; j++)
			if (sides[i] <= th && sides[j] <= tw)
				n += (double)(th - sides[i] + 1) * (tw - sides[j] + 1);
	return log10(n * 64);
}

static int
best_window(const struct ftiles *t, double lnt, struct fwin *best)
{
	*best = (struct fwin){ .lnfa = INFINITY };
	for (size_t i = 0; i < NSIDES; i++)
		for (size_t j = 0; j < NSIDES; j++) {
			struct fwin w = { .nh = sides[i], .nw = sides[j] };

			for (w.ty = 0; w.ty + w.nh <= t->th; w.ty++)
				for (w.tx = 0; w.tx + w.nw <= t->tw; w.tx++) {
					test_window(t, &w, lnt);
					if (w.lnfa < best->lnfa)
						*best = w;
				}
		}
	return isfinite(best->lnfa);
}

/*
 * The box of the window's borders on its phase: where the piece's flat
 * areas meet its ringing.
 */
static void
place(const unsigned char *sx, const unsigned char *sy, int w, int h,
    const struct fwin *fw, struct region *r)
{
	int x0 = fw->tx * FT, y0 = fw->ty * FT;
	int x1 = (fw->tx + fw->nw) * FT, y1 = (fw->ty + fw->nh) * FT;
	int x, y;

	x1 = x1 < w ? x1 : w, y1 = y1 < h ? y1 : h;
	*r = (struct region){ x1, y1, x0 - 1, y0 - 1, fw->py * 8 + fw->px, 0 };
	for (y = y0 / 8; y * 8 < y1; y++)	/* column borders, by row band */
		for (x = x0 + fw->px % 8; x < x1; x += 8)
			if (x % 8 == fw->px && sx[(size_t)y * w + x]) {
				r->x0 = x - 1 < r->x0 ? x - 1 : r->x0;
				r->x1 = x > r->x1 ? x : r->x1;
				r->y0 = y * 8 < r->y0 ? y * 8 : r->y0;
				r->y1 = y * 8 + 7 > r->y1 ? y * 8 + 7 : r->y1;
			}
	for (x = x0 / 8; x * 8 < x1; x++)	/* row borders, by column band */
		for (y = y0; y < y1; y++)
			if (y % 8 == fw->py && sy[(size_t)x * h + y]) {
				r->y0 = y - 1 < r->y0 ? y - 1 : r->y0;
				r->y1 = y > r->y1 ? y : r->y1;
				r->x0 = x * 8 < r->x0 ? x * 8 : r->x0;
				r->x1 = x * 8 + 7 > r->x1 ? x * 8 + 7 : r->x1;
			}
	r->x0 = r->x0 < 0 ? 0 : r->x0, r->y0 = r->y0 < 0 ? 0 : r->y0;
	r->x1 = r->x1 >= w ? w - 1 : r->x1, r->y1 = r->y1 >= h ? h - 1 : r->y1;
	r->size = fw->kx + fw->ky;
}

static void
report(struct px_findings *f, const struct region *r, const struct fwin *fw,
    const struct px_opts *o)
{
	int reg[4] = { r->x0, r->y0, r->x1 - r->x0 + 1, r->y1 - r->y0 + 1 };

	px_add(f, "jpeg.grid.flat", fw->lnfa, reg, json_pack(
	    "{s:i,s:[ii],s:I,s:I,s:I,s:I}", "grid", r->grid,
	    "origin", fw->px, fw->py,
	    "column_borders", (json_int_t)fw->kx,
	    "column_trials", (json_int_t)fw->nx,
	    "row_borders", (json_int_t)fw->ky,
	    "row_trials", (json_int_t)fw->ny), o);
}

/* Clears the tiles of a reported window, so the next search looks elsewhere. */
static void
clear_tiles(long *raw, int tw, const struct fwin *fw)
{
	for (int y = fw->ty; y < fw->ty + fw->nh; y++)
		memset(raw + ((size_t)(y + 1) * (tw + 1) + fw->tx + 1) * 16, 0,
		    (size_t)fw->nw * 16 * sizeof(long));
}

int
px_flatgrid(const struct px_image *im, struct px_findings *f,
    const struct px_opts *o)
{
	int w = im->w, h = im->h, nfound = 0;
	size_t n = (size_t)w * h, bx = (size_t)(h / 8 + 1) * w,
	    by = (size_t)(w / 8 + 1) * h;
	float *L = malloc(n * sizeof *L);
	uint8_t *a = malloc(n);
	unsigned char *sx = calloc(bx, 1), *sy = calloc(by, 1);
	struct ftiles t = { NULL, (w + FT - 1) / FT, (h + FT - 1) / FT };
	long *raw = NULL;
	size_t tn = (size_t)(t.tw + 1) * (t.th + 1) * 16;

	if (!L || !a || !sx || !sy)
		goto nomem;
	px_lum_int(im->rgb, w, h, L);
	for (size_t i = 0; i < n; i++)
		a[i] = (uint8_t)L[i];
	free(L), L = NULL;
	borders(a, w, h, 0, sx);
	borders(a, w, h, 1, sy);
	if ((t.c = calloc(tn, sizeof(long))) == NULL ||
	    (raw = calloc(tn, sizeof(long))) == NULL)
		goto nomem;
	tally(sx, w, h / 8 + 1, 0, &t, 0);
	tally(sy, h, w / 8 + 1, 1, &t, 8);
	memcpy(raw, t.c, tn * sizeof(long));

	double lnt = log_tests(t.tw, t.th);
	struct fwin fw = { 0 };

	while (nfound < MAXREG) {
		memcpy(t.c, raw, tn * sizeof(long));
		integrate(&t);
		if (!best_window(&t, lnt, &fw) || fw.lnfa >= o->log10_eps)
			break;
		struct region r;

		place(sx, sy, w, h, &fw, &r);
		/* the picture's own grid, not a piece's: ZERO's to report */
		if (2 * (long)(r.x1 - r.x0 + 1) * (r.y1 - r.y0 + 1) > (long)n)
			break;
		report(f, &r, &fw, o);
		clear_tiles(raw, t.tw, &fw);
		nfound++;
	}
	free(a), free(sx), free(sy), free(t.c), free(raw);
	return nfound;
nomem:
	free(L), free(a), free(sx), free(sy);
	free(t.c), free(raw);
	return -1;
}
