/*
 * Error level analysis (Krawetz, 2007): the image saved again as JPEG
 * at a given quality, and the absolute difference amplified.  Content
 * compressed fewer times, or at another quality, changes more.  It is a
 * picture for a person: on documents every glyph edge lights up, so it
 * never feeds a verdict.
 */
#include "config.h"

#include <stdlib.h>

#include "pixel_int.h"

/* Amplification chosen so that JPEG's usual errors of a few levels show. */
#define ELA_GAIN	15

int
px_ela(const struct px_image *im, int quality, unsigned char *out_rgb)
{
	size_t i, n;
	unsigned char *rs;
	int d;

	if (im->rgb == NULL || im->w <= 0 || im->h <= 0 || out_rgb == NULL)
		return -1;
	if (quality < 1 || quality > 100)
		quality = 90;
	n = (size_t)im->w * im->h * 3;
	if ((rs = malloc(n)) == NULL)
		return -1;
	if (px_resave_rgb(im->rgb, im->w, im->h, quality, rs) != 0) {
		free(rs);
		return -1;
	}
	for (i = 0; i < n; i++) {
		d = abs((int)im->rgb[i] - (int)rs[i]) * ELA_GAIN;
		out_rgb[i] = (unsigned char)(d > 255 ? 255 : d);
	}
	free(rs);
	return 0;
}
