/*
 * What copy-move inside one image (copymove.c) and across the images
 * of a run (cross.c) share: the 8-bit luminance, its noise level, and
 * the keypoints, textured 16x16 blocks chosen where their variance is a
 * local maximum, which a translation carries along with the content.
 */
#ifndef IMGFORGE_CM_INT_H
#define IMGFORGE_CM_INT_H

#include <stddef.h>
#include <stdint.h>

#include "pixel.h"

#define CM_BS	16	/* block side */

struct cm_key {
	unsigned char	 f[16];		/* quantised 4x4 cell means */
	int		 x, y;		/* top-left corner, in the scaled image */
	float		 var;		/* the block's variance */
};

/* The luminance averaged down by sc and rounded to 8 bits. */
unsigned char *cm_lum8(const struct px_image *, int sc, int *w, int *h);

/*
 * Immerkaer's noise level of L (the 25th percentile of 8x8 blocks' RMS
 * residual), 0 when the image is too small.
 */
double	cm_noise_sigma(const unsigned char *L, int w, int h);

/*
 * The keypoints of L: blocks whose standard deviation is at least
 * sdmin and whose variance is the largest in the (2R+1)^2 window of
 * block positions around them (ties go to the first in scan order),
 * in scan order, with cell means quantised by step.  Their number, or
 * (size_t)-1 on no memory.
 */
size_t	cm_keypoints(const unsigned char *L, int w, int h, double sdmin,
	    double step, int nt, struct cm_key **out);

/* Root mean square difference of two blocks, stopping once over lim. */
double	cm_rms(const unsigned char *a, int aw, const unsigned char *b, int bw,
	    double lim);

/*
 * cross.c: a picture's summary for --cross from what copy-move computed
 * (the full-size luminance L, its noise level, its keypoints); NULL on
 * no memory.  cm_cross_wanted: whether a picture copy-move averaged down
 * by sc is summarised from these at all (else px_cross_keys says it has
 * nothing); cm_cross_keyed: whether one with noise sig keeps keypoints.
 */
struct px_cross *cm_cross_summary(const struct px_image *, const unsigned char *L,
	    int w, int h, double sig, const struct cm_key *, size_t n);
int	cm_cross_wanted(const struct px_image *, int sc);
int	cm_cross_keyed(double sig);

#endif
