/*
 * What the pixel detectors share among themselves and nobody else
 * needs: the JPEG resave used by ZERO's missing-grid test and ELA,
 * the 8-point DCT, and region labelling.  pixel.h stays the contract
 * with the rest of the tool.
 */
#ifndef IMGFORGE_PIXEL_INT_H
#define IMGFORGE_PIXEL_INT_H

#include "pixel.h"

/* Compresses rgb (w x h) as a baseline JPEG at quality in memory and decodes it back into out_rgb. */
int	px_resave_rgb(const unsigned char *rgb, int w, int h, int quality,
	    unsigned char *out_rgb);

/* Luminance rounded to integers, as ZERO and the JPEG encoder see it. */
void	px_lum_int(const unsigned char *rgb, int w, int h, float *out);

/* Orthonormal 8-point DCT-II of in[0], in[stride], ... into out[0..7]. */
void	px_dct8(const float *in, int stride, float *out);

/*
 * Labels the 8-connected components of the nonzero cells of a bw x bh
 * map into lab (1-based) and returns their number, or -1 on no memory.
 */
int	px_label(const unsigned char *map, int bw, int bh, int *lab);

/* The number of worker threads to use for rows rows. */
int	px_nthreads(const struct px_opts *, int rows);

#endif
