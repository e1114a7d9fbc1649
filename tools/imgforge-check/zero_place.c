/*
 * Where a second or local JPEG grid is, once a window of 2x2 tiles has
 * detected it (zero.c): the detection stays the window's test; this only
 * draws the box that the record, the mask and the overlay show.
 *
 * First the densest core: the most meaningful rectangle of cells (8x8
 * pixels, coarser for a large window so that a side has at most RC
 * cells), the one with the lowest binomial tail of its votes for grid k
 * among its votes (at rate p, in 8x8 groups), the smaller on a tie.
 * Rectangles with fewer than 64 votes for k are not candidates, and
 * nothing changes when none reaches the window's rate.
 *
 * Then the thinner parts of the paste, on cells laid on the paste's own
 * grid (a piece cut from a JPEG starts on that JPEG's grid, so its top
 * and left edges are cell edges).  The box grows by a band of one to
 * BAND lines of cells along a side when the band holds
 * - more cells with two votes or more for k than chance gives (a
 *   binomial tail below 0.05, at the rate of such cells seen within GM
 *   pixels around the box): glyph edges and texture, where the paste's
 *   grid gets a vote here and there.  One line at a time would stop at
 *   the first gap; a whole band of chance votes next to a paste is rarer
 *   than one cell of them, which the old rule (any such cell) took in;
 * - or a third of quiet cells (an eighth of their pixels vote or fewer):
 *   a piece saved alone at a low quality loses the grain of the scan,
 *   and a field painted over with paper colour has none, so its blocks
 *   are constant and vote for no grid.  Only where the picture around
 *   is not quiet itself (fewer than a tenth of its cells: not a clean
 *   scan's white paper, not a screenshot), where a flat area says
 *   nothing.
 * until no side grows.  Measured with bench/imgforge-check-place.py (160
 * generated pages: a field cut out off the grid, painted over and
 * retyped, saved alone at q50-q80, pasted back, the page saved at
 * q85-q95; not the samples): of the 48 the window test detects, 38
 * boxes reach IoU 0.5 (mean IoU 0.67) where the old rule (any cell with
 * two votes, one line at a time, on the window's cells) gave 24 (0.52).
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>

#include "pixel_int.h"
#include "zero_int.h"

#define RC	40	/* the core's cells per side, at most */
#define GM	256	/* how far beyond the core the box may grow */
#define BAND	4	/* lines of cells tested together */
#define LOG10_JOIN	-1.3	/* log10 0.05 */

/* Cell counts: for each cell, the pixels voting k and those voting at all. */
struct cells {
	int	 x0, y0;	/* pixel origin of cell (0, 0) */
	int	 cs, cw, ch;	/* cell side, cells per row and column */
	long	*k, *n;		/* 2-D prefix sums, (cw + 1) x (ch + 1) */
};

static int
cells_count(struct cells *c, const signed char *v, int w, int x1, int y1,
    int grid)
{
	int x, y, cx, cy, pw;

	c->cw = (x1 - c->x0 + c->cs) / c->cs;
	c->ch = (y1 - c->y0 + c->cs) / c->cs;
	pw = c->cw + 1;
	c->k = calloc((size_t)pw * (c->ch + 1), sizeof(long));
	c->n = calloc((size_t)pw * (c->ch + 1), sizeof(long));
	if (c->k == NULL || c->n == NULL)
		return -1;
	for (y = c->y0; y <= y1; y++)
		for (x = c->x0; x <= x1; x++) {
			int vote = v[(size_t)y * w + x];
			size_t i = (size_t)((y - c->y0) / c->cs + 1) * pw +
			    (x - c->x0) / c->cs + 1;

			c->k[i] += vote == grid;
			c->n[i] += vote >= 0;
		}
	for (cy = 1; cy <= c->ch; cy++)
		for (cx = 1; cx <= c->cw; cx++) {
			size_t i = (size_t)cy * pw + cx;

			c->k[i] += c->k[i - 1] + c->k[i - pw] - c->k[i - pw - 1];
			c->n[i] += c->n[i - 1] + c->n[i - pw] - c->n[i - pw - 1];
		}
	return 0;
}

/* The sum of a over cells [ax, bx) x [ay, by). */
static long
cells_sum(const struct cells *c, const long *a, int ax, int ay, int bx, int by)
{
	size_t pw = (size_t)c->cw + 1;

	return a[by * pw + bx] - a[ay * pw + bx] - a[by * pw + ax] +
	    a[ay * pw + ax];
}

static void
cells_free(struct cells *c)
{
	free(c->k), free(c->n);
}

/*
 * The most meaningful rectangle in r, in pixels (b); its log10 tail, 0
 * when there is none.  *cs is the cell side used.
 */
static double
core(const signed char *v, int w, const struct region *r, double p,
    struct region *b, int *cs)
{
	struct cells c = { r->x0, r->y0, 8, 0, 0, NULL, NULL };
	long kk, nn, area, best_area = LONG_MAX;
	double best = 0, t;
	int ax, ay, bx, by;

	while ((r->x1 - r->x0 + c.cs) / c.cs > RC ||
	    (r->y1 - r->y0 + c.cs) / c.cs > RC)
		c.cs += 8;
	*cs = c.cs;
	if (cells_count(&c, v, w, r->x1, r->y1, r->grid) != 0)
		goto out;
	for (ay = 0; ay < c.ch; ay++)
		for (by = ay + 1; by <= c.ch; by++)
			for (ax = 0; ax < c.cw; ax++)
				for (bx = ax + 1; bx <= c.cw; bx++) {
					kk = cells_sum(&c, c.k, ax, ay, bx, by);
					if (kk < 64)
						continue;
					nn = cells_sum(&c, c.n, ax, ay, bx, by);
					area = (long)(bx - ax) * (by - ay);
					t = px_log10_binom_tail(nn / 64, kk / 64, p);
					if (t < best || (t == best && area < best_area)) {
						best = t, best_area = area;
						b->x0 = r->x0 + ax * c.cs;
						b->y0 = r->y0 + ay * c.cs;
						b->x1 = r->x0 + bx * c.cs - 1;
						b->y1 = r->y0 + by * c.cs - 1;
					}
				}
out:
	cells_free(&c);
	return best;
}

/* The cells of [ax, bx) x [ay, by) with two votes or more for k. */
static int
voting_cells(const struct cells *c, int ax, int ay, int bx, int by)
{
	int x, y, m = 0;

	for (y = ay; y < by; y++)
		for (x = ax; x < bx; x++)
			m += cells_sum(c, c->k, x, y, x + 1, y + 1) >= 2;
	return m;
}

/* The quiet cells of [ax, bx) x [ay, by). */
static int
quiet_cells(const struct cells *c, int ax, int ay, int bx, int by)
{
	int x, y, q = 0;

	for (y = ay; y < by; y++)
		for (x = ax; x < bx; x++)
			q += cells_sum(c, c->n, x, y, x + 1, y + 1) <= 8;
	return q;
}

/*
 * Whether a band of cells [ax, bx) x [ay, by) along a side joins the box
 * (see the comment on top): rate is that of cells with two votes or more
 * around the box; quiet says whether quiet cells may join.
 */
struct growth {
	const struct cells	*c;
	double			 rate;	/* of cells with two votes around */
	int			 quiet;
};

static int
band_joins(const struct growth *g, int ax, int ay, int bx, int by)
{
	int len = (bx - ax) * (by - ay);
	int m = voting_cells(g->c, ax, ay, bx, by);

	if (m > 0 && px_log10_binom_tail(len, m, g->rate) < LOG10_JOIN)
		return 1;
	return g->quiet && 3 * quiet_cells(g->c, ax, ay, bx, by) >= len;
}

/* Grows the box b[4] (cells [b0, b2) x [b1, b3)) as the comment on top says. */
static void
grow_box(const struct growth *g, int b[4])
{
	int grown = 1, d;

	while (grown) {
		grown = 0;
		for (d = 1; d <= BAND && !grown; d++) {
			if (b[0] - d >= 0 && band_joins(g, b[0] - d,
			    b[1], b[0], b[3]))
				b[0] -= d, grown = 1;
			if (b[2] + d <= g->c->cw && band_joins(g,
			    b[2], b[1], b[2] + d, b[3]))
				b[2] += d, grown = 1;
			if (b[1] - d >= 0 && band_joins(g, b[0],
			    b[1] - d, b[2], b[1]))
				b[1] -= d, grown = 1;
			if (b[3] + d <= g->c->ch && band_joins(g, b[0],
			    b[3], b[2], b[3] + d))
				b[3] += d, grown = 1;
		}
	}
}

/* The last x <= lo with x = phase (mod 8), or phase itself if lo < phase. */
static int
on_phase(int lo, int phase)
{
	return lo < phase ? phase : lo - (lo - phase) % 8;
}

/*
 * Grows the core box b over the paste's thinner parts, on cells of the
 * paste's own grid.
 */
static void
thinner_parts(const signed char *v, int w, int h, struct region *b)
{
	struct cells c;
	struct growth g = { &c, 0, 0 };
	int box[4], x1, y1, inside, around;

	c.cs = 8;
	c.x0 = on_phase(b->x0 - GM, b->grid % 8);
	c.y0 = on_phase(b->y0 - GM, b->grid / 8);
	x1 = b->x1 + GM < w ? b->x1 + GM : w - 1;
	y1 = b->y1 + GM < h ? b->y1 + GM : h - 1;
	if (cells_count(&c, v, w, x1, y1, b->grid) != 0)
		goto out;
	box[0] = (b->x0 - c.x0) / 8, box[1] = (b->y0 - c.y0) / 8;
	box[2] = (b->x1 - c.x0) / 8 + 1, box[3] = (b->y1 - c.y0) / 8 + 1;
	box[0] = box[0] < 0 ? 0 : box[0], box[1] = box[1] < 0 ? 0 : box[1];
	/* the rates of voting and of quiet cells around the core */
	inside = (box[2] - box[0]) * (box[3] - box[1]);
	around = c.cw * c.ch - inside;
	if (around > 0) {
		g.rate = (double)(voting_cells(&c, 0, 0, c.cw, c.ch) -
		    voting_cells(&c, box[0], box[1], box[2], box[3])) / around;
		g.quiet = 10 * (quiet_cells(&c, 0, 0, c.cw, c.ch) -
		    quiet_cells(&c, box[0], box[1], box[2], box[3])) < around;
		grow_box(&g, box);
	}
	b->x0 = c.x0 + box[0] * 8, b->y0 = c.y0 + box[1] * 8;
	b->x1 = c.x0 + box[2] * 8 - 1, b->y1 = c.y0 + box[3] * 8 - 1;
	b->x1 = b->x1 < w ? b->x1 : w - 1, b->y1 = b->y1 < h ? b->y1 : h - 1;
out:
	cells_free(&c);
}

void
zero_place(const signed char *v, int w, int h, struct region *win, double p)
{
	/* the window and a tile around it: a paste may straddle its edge */
	struct region r = { win->x0 - TS < 0 ? 0 : win->x0 - TS,
	    win->y0 - TS < 0 ? 0 : win->y0 - TS,
	    win->x1 + TS >= w ? w - 1 : win->x1 + TS,
	    win->y1 + TS >= h ? h - 1 : win->y1 + TS, win->grid, win->size };
	struct region b = *win;
	int cs;

	if (core(v, w, &r, p, &b, &cs) >= 0)
		return;
	if (cs == 8)
		thinner_parts(v, w, h, &b);
	b.x1 = b.x1 > w - 1 ? w - 1 : b.x1;
	b.y1 = b.y1 > h - 1 ? h - 1 : b.y1;
	*win = b;
}
