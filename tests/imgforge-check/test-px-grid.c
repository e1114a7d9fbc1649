/*
 * Unit tests of ZERO's grid family in a picture that is not a JPEG (a
 * PNG): a screen-like picture with no grid, the same with a strip cut
 * from a JPEG pasted in (a local grid, found where it is), the whole
 * picture once a JPEG (the grid is the picture's), and the rounded
 * luminance every detector starts from, against rintf for every colour.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pixel_int.h"
#include "../unit/tap.h"

static unsigned long rng = 777;

static unsigned
urand(unsigned n)
{
	rng = rng * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)(rng >> 33) % n;
}

/* A flat background with bubbles of dark strokes, as a chat screenshot. */
static void
screen(unsigned char *rgb, int w, int h)
{
	int x, y, i, b;

	memset(rgb, 236, (size_t)w * h * 3);
	for (b = 0; b < 12; b++) {
		int bx = 10 + (int)urand(40), by = 20 + b * 60, bw = 200 + (int)urand(150);

		for (y = by; y < by + 40 && y < h; y++)
			for (x = bx; x < bx + bw && x < w; x++)
				memset(rgb + ((size_t)y * w + x) * 3, 255, 3);
		for (i = 0; i < 120; i++) {	/* strokes: 1-2 px, grey edges */
			int sx = bx + 8 + (int)urand((unsigned)bw - 16), sy = by + 10 +
			    (int)urand(20), len = 3 + (int)urand(9), v = (int)urand(2);

			for (x = 0; x < len; x++) {
				int px = v ? sx : sx + x, py = v ? sy + x : sy;
				if (px < w && py < h)
					memset(rgb + ((size_t)py * w + px) * 3,
					    30 + (int)urand(60), 3);
			}
		}
	}
}

static const struct px_finding *
find(const struct px_findings *f, const char *check)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].check, check) == 0)
			return &f->v[i];
	return NULL;
}

static int
detections(const struct px_findings *f)
{
	int n = 0;

	for (size_t i = 0; i < f->n; i++)
		n += strncmp(f->v[i].check, "info.", 5) != 0 && f->v[i].log10_nfa < 0;
	return n;
}

static void
test_lum(void)
{
	size_t n = (size_t)1 << 24, i, bad = 0;
	unsigned char *rgb = malloc(n * 3);
	float *out = malloc(n * sizeof(float));

	for (i = 0; i < n; i++) {
		rgb[3 * i] = (unsigned char)i;
		rgb[3 * i + 1] = (unsigned char)(i >> 8);
		rgb[3 * i + 2] = (unsigned char)(i >> 16);
	}
	px_lum_int(rgb, (int)n, 1, out);
	for (i = 0; i < n; i++)
		bad += out[i] != rintf(0.299f * rgb[3 * i] + 0.587f *
		    rgb[3 * i + 1] + 0.114f * rgb[3 * i + 2]);
	ok(bad == 0, "rounded luminance equals rintf of the float expression "
	    "for all 2^24 colours (%zu differ)", bad);
	free(rgb), free(out);
}

static void
test_png(void)
{
	enum { W = 480, H = 760 };
	struct px_opts o = { 0, 2, true };
	struct px_image im = { W, H, NULL, NULL };
	struct px_findings f;
	const struct px_finding *p, *info;
	unsigned char *base = malloc((size_t)W * H * 3);
	unsigned char *donor = malloc((size_t)W * H * 3);
	unsigned char *tmp = malloc((size_t)W * H * 3);
	int x, y;

	screen(base, W, H);
	im.rgb = base;
	px_findings_init(&f, W, H);
	ok(px_zero(&im, &f, &o) == 0 && detections(&f) == 0,
	    "never-compressed screen: no detection (%d)", detections(&f));
	px_findings_free(&f);

	/* a donor with a textured picture, once a q80 JPEG */
	screen(donor, W, H);
	for (y = 300; y < 380; y++)
		for (x = 20; x < 460; x++)
			for (int c = 0; c < 3; c++)
				donor[((size_t)y * W + x) * 3 + c] = (unsigned char)(100 +
				    50 * sin(x / 5.0 + c) * cos(y / 7.0) + urand(40));
	px_resave_rgb(donor, W, H, 80, tmp);
	/* cut (16, 296) 448x88 (grid phase 0,0), pasted at (29, 402): origin (5, 2) */
	memcpy(donor, base, (size_t)W * H * 3);
	for (y = 0; y < 88; y++)
		memcpy(donor + ((size_t)(402 + y) * W + 29) * 3,
		    tmp + ((size_t)(296 + y) * W + 16) * 3, 448 * 3);
	im.rgb = donor;
	px_findings_init(&f, W, H);
	p = px_zero(&im, &f, &o) == 0 ? find(&f, "jpeg.grid.local") : NULL;
	ok(p != NULL && p->log10_nfa < 0 &&
	    json_integer_value(json_object_get(p->detail, "grid")) == 5 + 2 * 8,
	    "JPEG strip in a screen: local grid (5,2) found");
	if (p != NULL) {
		int ix = (p->region[0] + p->region[2] < 477 ? p->region[0] +
		    p->region[2] : 477) - (p->region[0] > 29 ? p->region[0] : 29);
		int iy = (p->region[1] + p->region[3] < 490 ? p->region[1] +
		    p->region[3] : 490) - (p->region[1] > 402 ? p->region[1] : 402);
		double in = ix > 0 && iy > 0 ? (double)ix * iy : 0;
		double iou = in / ((double)p->region[2] * p->region[3] +
		    448.0 * 88 - in);

		ok(iou >= 0.5, "and placed: IoU %.2f (%d,%d %dx%d)", iou,
		    p->region[0], p->region[1], p->region[2], p->region[3]);
	} else
		ok(0, "and placed");
	info = find(&f, "info.jpeg.grid");
	ok(info != NULL && strcmp(json_string_value(json_object_get(info->detail,
	    "grid_extent")) ? json_string_value(json_object_get(info->detail,
	    "grid_extent")) : "", "local") == 0, "grid extent: local");
	px_findings_free(&f);

	/*
	 * A screen with pictures from top to bottom, the whole once a q85
	 * JPEG, then cropped by (2, 3): origin (6, 5).
	 */
	for (y = 0; y < H; y++)
		for (x = 0; x < W; x++)
			if (y % 190 < 70 && x % 240 < 200)
				for (int c = 0; c < 3; c++)
					base[((size_t)y * W + x) * 3 + c] =
					    (unsigned char)(100 + 50 * sin(x / 5.0 + c) *
					    cos(y / 7.0) + urand(40));
	px_resave_rgb(base, W, H, 85, tmp);
	for (y = 0; y < H - 3; y++)
		memcpy(donor + (size_t)y * (W - 2) * 3, tmp + ((size_t)(y + 3) *
		    W + 2) * 3, (size_t)(W - 2) * 3);
	im.w = W - 2, im.h = H - 3, im.rgb = donor;
	px_findings_init(&f, im.w, im.h);
	px_zero(&im, &f, &o);
	info = find(&f, "info.jpeg.grid");
	ok(info != NULL && json_integer_value(json_object_get(info->detail,
	    "grid")) == 6 + 5 * 8 && strcmp(json_string_value(json_object_get(
	    info->detail, "grid_extent")) ? json_string_value(json_object_get(
	    info->detail, "grid_extent")) : "", "whole") == 0 &&
	    detections(&f) == 0,
	    "screen once a JPEG: grid (6,5) over the whole picture, no detection (%d)",
	    detections(&f));
	px_findings_free(&f);
	free(base), free(donor), free(tmp);
}

int
main(void)
{
	test_lum();
	test_png();
	return tap_done();
}
