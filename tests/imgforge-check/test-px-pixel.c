/*
 * Unit and validation tests of the pixel detectors on synthetic images
 * whose truth is known by construction: the binomial tail against exact
 * sums, region labelling, the findings mask, ZERO's grid origin after a
 * crop and its silence on never-compressed noise, a foreign-grid paste,
 * a copy-moved patch in a noisy image, and every detector's silence on
 * pure noise (the null hypothesis itself).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

#include "pixel_int.h"
#include "../unit/tap.h"

static unsigned long rng = 12345;
static double amp = 1;	/* texture amplitude of synth() */

static double
urand(void)
{
	rng = rng * 6364136223846793005UL + 1442695040888963407UL;
	return (double)(rng >> 11) / 9007199254740992.0;
}

static double
grand(void)
{
	return sqrt(-2 * log(urand() + 1e-300)) * cos(2 * M_PI * urand());
}

/* A textured RGB image: smooth gradients, blobs and Gaussian noise. */
static void
synth(struct px_image *im, int w, int h, double sigma)
{
	int x, y, c;
	size_t i;

	im->w = w, im->h = h;
	im->rgb = malloc((size_t)w * h * 3);
	im->lum = malloc((size_t)w * h * sizeof(float));
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++)
			for (c = 0; c < 3; c++) {
				double v = 128 + amp * (60 * sin(x / 23.0 + c) *
				    cos(y / 17.0) + 30 * sin((x + y) / 7.0)) +
				    sigma * grand();
				im->rgb[((size_t)y * w + x) * 3 + c] =
				    (unsigned char)(v < 0 ? 0 : v > 255 ? 255 : v);
			}
	for (i = 0; i < (size_t)w * h; i++)
		im->lum[i] = 0.299f * im->rgb[3 * i] + 0.587f * im->rgb[3 * i + 1] +
		    0.114f * im->rgb[3 * i + 2];
}

/* The sub-image starting at (ox, oy), of size w x h. */
static void
crop(const struct px_image *a, int ox, int oy, int w, int h, struct px_image *b)
{
	int y;
	size_t i;

	b->w = w, b->h = h;
	b->rgb = malloc((size_t)w * h * 3);
	b->lum = malloc((size_t)w * h * sizeof(float));
	for (y = 0; y < h; y++)
		memcpy(b->rgb + (size_t)y * w * 3,
		    a->rgb + ((size_t)(y + oy) * a->w + ox) * 3, (size_t)w * 3);
	for (i = 0; i < (size_t)w * h; i++)
		b->lum[i] = 0.299f * b->rgb[3 * i] + 0.587f * b->rgb[3 * i + 1] +
		    0.114f * b->rgb[3 * i + 2];
}

static void
freeimg(struct px_image *im)
{
	free(im->rgb);
	free(im->lum);
}

static const struct px_finding *
find(const struct px_findings *f, const char *check)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->v[i].check, check) == 0)
			return &f->v[i];
	return NULL;
}

static int
detections(const struct px_findings *f)
{
	size_t i;
	int n = 0;

	for (i = 0; i < f->n; i++)
		n += strncmp(f->v[i].check, "info.", 5) != 0 &&
		    f->v[i].log10_nfa < 0;
	return n;
}

/* Exact binomial tail by direct summation, for small n. */
static double
tail_direct(int n, int k, double p)
{
	double s = 0, c;
	int i, j;

	for (i = k; i <= n; i++) {
		for (c = 1, j = 0; j < i; j++)
			c = c * (n - j) / (j + 1);
		s += c * pow(p, i) * pow(1 - p, n - i);
	}
	return log10(s);
}

static void
test_binom(void)
{
	ok(fabs(px_log10_binom_tail(20, 5, 0.1) - tail_direct(20, 5, 0.1)) < 1e-9,
	    "binomial tail B(20,0.1) >= 5 matches direct sum");
	ok(fabs(px_log10_binom_tail(30, 2, 0.3) - tail_direct(30, 2, 0.3)) < 1e-9,
	    "binomial tail below the mean matches direct sum");
	ok(px_log10_binom_tail(10, 0, 0.5) == 0, "P[X >= 0] = 1");
	ok(fabs(px_log10_binom_tail(10, 10, 0.5) - 10 * log10(0.5)) < 1e-9,
	    "P[X >= n] = p^n");
	ok(isinf(px_log10_binom_tail(10, 11, 0.5)), "P[X > n] = 0");
	double t = px_log10_binom_tail(100000000L, 2000000L, 1.0 / 64);
	ok(isfinite(t) && t < -1000, "n = 1e8 far tail is finite and tiny (%g)", t);
	t = px_log10_binom_tail(100000000L, 1562600L, 1.0 / 64);
	ok(isfinite(t) && t < 0 && t > -1, "n = 1e8 near the mean (%g)", t);
}

static void
test_label(void)
{
	static const unsigned char m[5 * 6] = {
		1, 1, 0, 0, 0, 1,
		0, 1, 0, 0, 1, 0,
		0, 0, 0, 0, 0, 0,
		1, 0, 1, 0, 0, 0,
		0, 1, 0, 0, 0, 1,
	};
	int lab[30];

	ok(px_label(m, 6, 5, lab) == 4, "8-connected components counted");
	ok(lab[0] == lab[7] && lab[5] == lab[10] && lab[18] == lab[25] &&
	    lab[25] == lab[20] && lab[0] != lab[5], "components labelled");
}

static void
test_findings(void)
{
	struct px_findings f;
	struct px_opts o = { 0, 1, false };
	int r[4] = { 2, 3, 4, 5 };

	px_findings_init(&f, 10, 10);
	px_add(&f, "info.x", -100, r, NULL, &o);
	ok(f.mask[3 * 10 + 2] == 0, "info findings never mark the mask");
	px_add(&f, "x", 1, r, json_object(), &o);
	ok(f.mask[3 * 10 + 2] == 0, "a finding above epsilon does not mark");
	px_add(&f, "x", -1, r, json_object(), &o);
	ok(f.mask[3 * 10 + 2] == 255 && f.mask[7 * 10 + 5] == 255 &&
	    f.mask[8 * 10 + 6] == 0 && f.n == 3, "a detection marks its rectangle");
	px_findings_free(&f);
}

static void
test_zero(void)
{
	struct px_image a, jp, c, pasted;
	struct px_findings f;
	struct px_opts o = { 0, 2, false };
	const struct px_finding *g;
	int x, y;

	synth(&a, 400, 320, 3);
	px_findings_init(&f, a.w, a.h);
	ok(px_zero(&a, &f, &o) == 0 && (g = find(&f, "info.jpeg.grid")) &&
	    !json_is_true(json_object_get(g->detail, "jpeg_grid")) &&
	    detections(&f) == 0, "never-compressed noise: no grid, no detection");
	px_findings_free(&f);

	jp = a;
	jp.rgb = malloc((size_t)a.w * a.h * 3);
	px_resave_rgb(a.rgb, a.w, a.h, 80, jp.rgb);
	crop(&jp, 3, 2, 384, 304, &c);
	px_findings_init(&f, c.w, c.h);
	ok(px_zero(&c, &f, &o) == 0 && (g = find(&f, "info.jpeg.grid")) &&
	    json_integer_value(json_object_get(g->detail, "grid")) == 5 + 6 * 8 &&
	    detections(&f) == 0, "JPEG cropped by (3,2): main grid origin (5,6)");
	px_findings_free(&f);

	/* paste a JPEG patch with another grid origin into the cropped image */
	crop(&jp, 0, 0, 384, 304, &pasted);
	for (y = 96; y < 176; y++)
		for (x = 120; x < 216; x++)
			memcpy(c.rgb + ((size_t)y * c.w + x) * 3,
			    pasted.rgb + ((size_t)y * c.w + x) * 3, 3);
	px_findings_init(&f, c.w, c.h);
	g = px_zero(&c, &f, &o) == 0 ? find(&f, "jpeg.grid.foreign") : NULL;
	ok(g != NULL && g->log10_nfa < 0 && g->region[0] >= 110 &&
	    g->region[0] <= 130 && g->region[1] >= 86 && g->region[1] <= 106,
	    "foreign grid paste found at its place (%d,%d %dx%d)",
	    g ? g->region[0] : -1, g ? g->region[1] : -1,
	    g ? g->region[2] : -1, g ? g->region[3] : -1);
	px_findings_free(&f);

	freeimg(&pasted);
	freeimg(&c);
	free(jp.rgb);
	freeimg(&a);
}

static void
test_null(void)
{
	struct px_image a;
	struct px_findings f;
	struct px_opts o = { 0, 1, false };
	int seed;

	for (seed = 0; seed < 3; seed++) {
		rng = 777 + seed;
		synth(&a, 320, 240, 4 + seed);
		px_findings_init(&f, a.w, a.h);
		px_noise(&a, &f, &o);
		px_copymove(&a, &f, &o);
		ok(detections(&f) == 0, "noise and copy-move silent on noise #%d",
		    seed);
		px_findings_free(&f);
		freeimg(&a);
	}
}

static void
test_copymove(void)
{
	struct px_image a;
	struct px_findings f;
	struct px_opts o = { 0, 1, false };
	const struct px_finding *g;
	int y;

	rng = 4242;
	synth(&a, 320, 240, 4);
	for (y = 0; y < 64; y++)	/* 64x64 patch from (20,30) to (205,141) */
		memcpy(a.rgb + ((size_t)(141 + y) * a.w + 205) * 3,
		    a.rgb + ((size_t)(30 + y) * a.w + 20) * 3, 64 * 3);
	px_findings_init(&f, a.w, a.h);
	g = px_copymove(&a, &f, &o) == 0 ? find(&f, "copymove") : NULL;
	if (getenv("PX_VERBOSE") && find(&f, "info.copymove"))
		json_dumpf(find(&f, "info.copymove")->detail, stderr, 0);
	ok(g != NULL && g->log10_nfa < 0, "copied patch detected");
	if (g != NULL) {
		json_t *s = json_object_get(g->detail, "shift");
		ok(json_integer_value(json_array_get(s, 0)) == 185 &&
		    json_integer_value(json_array_get(s, 1)) == 111,
		    "shift of the copy is (185,111)");
	}
	ok(f.mask[(size_t)(141 + 32) * a.w + 205 + 32] == 255 &&
	    f.mask[(size_t)(30 + 32) * a.w + 20 + 32] == 255,
	    "both copies are marked");
	px_findings_free(&f);
	freeimg(&a);
}

/* Compresses rgb at quality q and reads back its luminance coefficients. */
static int
coef_of(const struct px_image *im, int q, struct px_coef *c)
{
	struct jpeg_compress_struct cc;
	struct jpeg_decompress_struct d;
	struct jpeg_error_mgr je, je2;
	unsigned char *buf = NULL;
	unsigned long len = 0;
	jvirt_barray_ptr *arr;
	JBLOCKARRAY rows;
	JSAMPROW row;
	int by, bx, k;

	cc.err = jpeg_std_error(&je);
	jpeg_create_compress(&cc);
	jpeg_mem_dest(&cc, &buf, &len);
	cc.image_width = (JDIMENSION)im->w;
	cc.image_height = (JDIMENSION)im->h;
	cc.input_components = 3;
	cc.in_color_space = JCS_RGB;
	jpeg_set_defaults(&cc);
	jpeg_set_quality(&cc, q, TRUE);
	jpeg_start_compress(&cc, TRUE);
	while (cc.next_scanline < cc.image_height) {
		row = im->rgb + (size_t)cc.next_scanline * im->w * 3;
		jpeg_write_scanlines(&cc, &row, 1);
	}
	jpeg_finish_compress(&cc);
	jpeg_destroy_compress(&cc);
	d.err = jpeg_std_error(&je2);
	jpeg_create_decompress(&d);
	jpeg_mem_src(&d, buf, len);
	jpeg_read_header(&d, TRUE);
	arr = jpeg_read_coefficients(&d);
	c->bw = (int)d.comp_info[0].width_in_blocks;
	c->bh = (int)d.comp_info[0].height_in_blocks;
	c->coef = malloc((size_t)c->bw * c->bh * 64 * sizeof(int16_t));
	for (k = 0; k < 64; k++)
		c->qt[k] = d.comp_info[0].quant_table->quantval[k];
	c->quality = q;
	c->img = NULL;
	for (by = 0; by < c->bh; by++) {
		rows = d.mem->access_virt_barray((j_common_ptr)&d, arr[0],
		    (JDIMENSION)by, 1, FALSE);
		for (bx = 0; bx < c->bw; bx++)
			for (k = 0; k < 64; k++)
				c->coef[((size_t)by * c->bw + bx) * 64 + k] =
				    rows[0][bx][k];
	}
	jpeg_finish_decompress(&d);
	jpeg_destroy_decompress(&d);
	free(buf);
	return 0;
}

static void
test_dq(void)
{
	struct px_image a, b;
	struct px_coef c;
	struct px_findings f;
	struct px_opts o = { 0, 1, false };
	const struct px_finding *g;
	int y;

	/* low-frequency coefficients in a photograph's usual range */
	rng = 99;
	amp = 0.2;
	synth(&a, 768, 512, 3);
	amp = 1;
	coef_of(&a, 90, &c);
	px_findings_init(&f, a.w, a.h);
	g = px_dq(&c, &f, &o) == 0 ? find(&f, "info.jpeg.dq") : NULL;
	if (getenv("PX_VERBOSE") && g != NULL)
		json_dumpf(g->detail, stderr, 0);
	ok(g != NULL && !json_is_true(json_object_get(g->detail,
	    "double_compressed")) && detections(&f) == 0,
	    "single compression: no double-compression evidence");
	px_findings_free(&f);
	free(c.coef);

	/* q60, decoded, a never-compressed patch pasted in, saved at q90 */
	b = a;
	b.rgb = malloc((size_t)a.w * a.h * 3);
	px_resave_rgb(a.rgb, a.w, a.h, 60, b.rgb);
	for (y = 160; y < 256; y++)
		memcpy(b.rgb + ((size_t)y * a.w + 200) * 3,
		    a.rgb + ((size_t)y * a.w + 200) * 3, 96 * 3);
	coef_of(&b, 90, &c);
	c.img = &b;
	px_findings_init(&f, a.w, a.h);
	g = px_dq(&c, &f, &o) == 0 ? find(&f, "info.jpeg.dq") : NULL;
	if (getenv("PX_VERBOSE") && g != NULL)
		json_dumpf(g->detail, stderr, 0);
	ok(g != NULL && json_is_true(json_object_get(g->detail,
	    "double_compressed")), "q60 then q90: double compression seen");
	json_int_t pq = g ? json_integer_value(json_object_get(g->detail,
	    "primary_quality")) : 0;
	ok(pq >= 55 && pq <= 65, "primary quality %d estimated near 60", (int)pq);
	g = find(&f, "jpeg.dq.single");
	ok(g != NULL && g->log10_nfa < 0 && g->region[0] < 240 &&
	    g->region[0] + g->region[2] > 256 && g->region[1] < 200 &&
	    g->region[1] + g->region[3] > 216,
	    "the pasted single-compressed patch is found");
	ok(detections(&f) == 1, "and nothing else");
	px_findings_free(&f);
	free(c.coef);
	free(b.rgb);
	freeimg(&a);
}

static void
test_noise(void)
{
	struct px_image a;
	struct px_findings f;
	struct px_opts o = { 0, 1, false };
	const struct px_finding *g;
	int x, y;

	rng = 2024;
	amp = 0.1;	/* mostly smooth, like paper */
	synth(&a, 512, 384, 3);
	amp = 1;
	/* paint a flat patch of a mid grey, as a forger covering a value */
	for (y = 100; y < 148; y++)
		for (x = 300; x < 400; x++)
			memset(a.rgb + ((size_t)y * a.w + x) * 3, 140, 3);
	px_findings_init(&f, a.w, a.h);
	g = px_noise(&a, &f, &o) == 0 ? find(&f, "noise.low") : NULL;
	ok(g != NULL && g->log10_nfa < 0 && g->region[0] >= 290 &&
	    g->region[0] <= 320 && g->region[1] >= 90 && g->region[1] <= 120,
	    "painted flat patch found (%d,%d)", g ? g->region[0] : -1,
	    g ? g->region[1] : -1);
	ok(detections(&f) == 1, "and nothing else");
	px_findings_free(&f);
	freeimg(&a);
}

/*
 * Non-aligned double JPEG: a patch cut from a q60 JPEG at (3,5), pasted
 * into a q85 page on its grid, the whole saved at q95.  The last grid
 * outvotes the patch's everywhere; the second votes show the patch's
 * grid (5,3).  The same page saved at q85 then q95 with nothing pasted
 * shows nothing.
 */
static void
test_second_grid(void)
{
	struct px_image don, page, out;
	struct px_findings f;
	struct px_opts o = { 0, 2, false };
	const struct px_finding *g;
	unsigned char *tmp;
	int y, nd;

	rng = 9;
	synth(&don, 512, 384, 3);
	synth(&page, 512, 384, 3);
	tmp = malloc((size_t)512 * 384 * 3);
	out = page;
	out.rgb = malloc((size_t)512 * 384 * 3);
	px_resave_rgb(don.rgb, 512, 384, 60, tmp);
	memcpy(don.rgb, tmp, (size_t)512 * 384 * 3);
	px_resave_rgb(page.rgb, 512, 384, 85, tmp);
	memcpy(page.rgb, tmp, (size_t)512 * 384 * 3);
	px_resave_rgb(page.rgb, 512, 384, 95, out.rgb);
	px_findings_init(&f, 512, 384);
	nd = px_zero(&out, &f, &o) == 0 ? (int)detections(&f) : -1;
	ok(nd == 0, "q85 then q95, nothing pasted: no detection (%d)", nd);
	px_findings_free(&f);
	/* donor pixels from (3+x, 5+y) to (160+x, 96+y): grid origin (5,3) */
	for (y = 0; y < 160; y++)
		memcpy(page.rgb + ((size_t)(96 + y) * 512 + 160) * 3,
		    don.rgb + ((size_t)(5 + y) * 512 + 3) * 3, 160 * 3);
	px_resave_rgb(page.rgb, 512, 384, 95, out.rgb);
	px_findings_init(&f, 512, 384);
	g = px_zero(&out, &f, &o) == 0 ? find(&f, "jpeg.grid.second") : NULL;
	ok(g != NULL && json_integer_value(json_object_get(g->detail,
	    "grid")) == 5 + 3 * 8 && g->region[0] < 200 &&
	    g->region[0] + g->region[2] > 280 && g->region[1] < 136 &&
	    g->region[1] + g->region[3] > 216,
	    "pasted q60 patch under q95: second grid (5,3) found (%d,%d %dx%d)",
	    g ? g->region[0] : -1, g ? g->region[1] : -1,
	    g ? g->region[2] : -1, g ? g->region[3] : -1);
	ok(detections(&f) == 1, "and nothing else (%d)", (int)detections(&f));
	px_findings_free(&f);
	free(tmp);
	free(out.rgb);
	freeimg(&don);
	freeimg(&page);
}

/*
 * A rendered, noise-free area (a synthetic sky: a shallow gradient that
 * 8-bit rounding turns into flat runs and one-grey steps, and flat
 * where it is flatter still) inside a noisy image: its flat blocks are
 * the extreme of a quiet area, not a painted patch in a noisy one.  The same area with a patch
 * of flat colour painted where the image is noisy still gives the patch.
 */
static void
test_noise_rendered(void)
{
	struct px_image a;
	struct px_findings f;
	struct px_opts o = { 0, 1, false };
	const struct px_finding *g;
	int x, y, nd;

	rng = 77;
	amp = 0.1;
	synth(&a, 1024, 768, 3);
	amp = 1;
	for (y = 64; y < 448; y++)
		for (x = 256; x < 768; x++)
			memset(a.rgb + ((size_t)y * a.w + x) * 3,
			    (int)(110 + (x - 256) / 9.0 + (y - 64) / 40.0), 3);
	/* where the rendered sky is flatter still: a flat run of its own */
	for (y = 220; y < 260; y++)
		for (x = 324; x < 380; x++)
			memset(a.rgb + ((size_t)y * a.w + x) * 3, 125, 3);
	px_findings_init(&f, a.w, a.h);
	nd = px_noise(&a, &f, &o) == 0 ? (int)detections(&f) : -1;
	ok(nd == 0, "rendered quiet area: no noise detection (%d)", nd);
	px_findings_free(&f);
	for (y = 560; y < 592; y++)
		for (x = 100; x < 156; x++)
			memset(a.rgb + ((size_t)y * a.w + x) * 3, 128, 3);
	px_findings_init(&f, a.w, a.h);
	g = px_noise(&a, &f, &o) == 0 ? find(&f, "noise.low") : NULL;
	ok(g != NULL && g->region[0] >= 90 && g->region[0] <= 120 &&
	    g->region[1] >= 550 && g->region[1] <= 580,
	    "and a painted patch in its noisy part is found (%d,%d)",
	    g ? g->region[0] : -1, g ? g->region[1] : -1);
	px_findings_free(&f);
	freeimg(&a);
}

int
main(void)
{
	test_binom();
	test_label();
	test_findings();
	test_zero();
	test_second_grid();
	test_null();
	test_copymove();
	test_dq();
	test_noise();
	test_noise_rendered();
	return tap_done();
}
