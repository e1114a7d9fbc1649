/*
 * What zero.c shares with zero_place.c and flatgrid.c: the regions it
 * reports, how it places a window's detection, and the flat-border test.
 */
#ifndef IMGFORGE_ZERO_INT_H
#define IMGFORGE_ZERO_INT_H

#define TS	64	/* tile side; the window tests use 2x2 tiles */

/* A region of pixels [x0, x1] x [y0, y1] voting for grid (0-63). */
struct region {
	int	 x0, y0, x1, y1, grid;
	long	 size;
};

/*
 * Places the detection of grid win->grid by the window win (votes v,
 * w x h, the grid's vote rate p): shrinks win to the paste's box.
 */
void	zero_place(const signed char *v, int w, int h, struct region *win,
	    double p);

/*
 * jpeg.grid.flat (flatgrid.c), for a picture without a grid: pieces whose
 * flat areas begin and end on a JPEG grid.  Returns their number, -1 on
 * no memory.
 */
int	px_flatgrid(const struct px_image *, struct px_findings *,
	    const struct px_opts *);

#endif
