/*
 * px-driver: runs the pixel detectors of imgforge-check on one image,
 * outside the CLI, and prints the findings as one JSON object.  It is
 * how the detectors are validated on real data (ZERO's demo images,
 * camera JPEGs, the samples) and timed.
 *
 * usage: px-driver [-c zero,dq,copymove,noise] [-e log10eps] [-j N]
 *	[-m mask.png] [-t truth.png] [-E ela.png] image
 * With -t, prints the IoU of the detections' mask against the truth.
 */
#include "config.h"

#include <err.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jpeglib.h>
#include <png.h>

#include "pixel.h"

struct jerr {
	struct jpeg_error_mgr	 pub;
	jmp_buf			 jb;
};

static void
jerr_exit(j_common_ptr ci)
{
	longjmp(((struct jerr *)ci->err)->jb, 1);
}

static int
load_jpeg(FILE *fp, struct px_image *im)
{
	struct jpeg_decompress_struct d;
	struct jerr je;
	JSAMPROW row;

	d.err = jpeg_std_error(&je.pub);
	je.pub.error_exit = jerr_exit;
	if (setjmp(je.jb)) {
		jpeg_destroy_decompress(&d);
		return -1;
	}
	jpeg_create_decompress(&d);
	jpeg_stdio_src(&d, fp);
	jpeg_read_header(&d, TRUE);
	d.out_color_space = JCS_RGB;
	jpeg_start_decompress(&d);
	im->w = (int)d.output_width;
	im->h = (int)d.output_height;
	im->rgb = malloc((size_t)im->w * im->h * 3);
	while (d.output_scanline < d.output_height) {
		row = im->rgb + (size_t)d.output_scanline * im->w * 3;
		jpeg_read_scanlines(&d, &row, 1);
	}
	jpeg_finish_decompress(&d);
	jpeg_destroy_decompress(&d);
	return 0;
}

static int
load_coef(FILE *fp, struct px_coef *c)
{
	struct jpeg_decompress_struct d;
	struct jerr je;
	jvirt_barray_ptr *arr;
	jpeg_component_info *ci;
	JBLOCKARRAY rows;
	int by, bx, k;

	d.err = jpeg_std_error(&je.pub);
	je.pub.error_exit = jerr_exit;
	if (setjmp(je.jb)) {
		jpeg_destroy_decompress(&d);
		return -1;
	}
	jpeg_create_decompress(&d);
	jpeg_stdio_src(&d, fp);
	jpeg_read_header(&d, TRUE);
	arr = jpeg_read_coefficients(&d);
	ci = &d.comp_info[0];
	c->bw = (int)ci->width_in_blocks;
	c->bh = (int)ci->height_in_blocks;
	c->coef = malloc((size_t)c->bw * c->bh * 64 * sizeof(int16_t));
	for (k = 0; k < 64; k++)
		c->qt[k] = ci->quant_table ? ci->quant_table->quantval[k] : 1;
	c->quality = -1;
	for (by = 0; by < c->bh; by++) {
		rows = d.mem->access_virt_barray((j_common_ptr)&d, arr[0],
		    (JDIMENSION)by, 1, FALSE);
		for (bx = 0; bx < c->bw; bx++)
			for (k = 0; k < 64; k++)	/* libjpeg keeps natural order */
				c->coef[((size_t)by * c->bw + bx) * 64 + k] =
				    rows[0][bx][k];
	}
	jpeg_finish_decompress(&d);
	jpeg_destroy_decompress(&d);
	return 0;
}

static int
load_png(const char *path, struct px_image *im)
{
	png_image p;

	memset(&p, 0, sizeof(p));
	p.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_file(&p, path))
		return -1;
	p.format = PNG_FORMAT_RGB;
	im->w = (int)p.width;
	im->h = (int)p.height;
	im->rgb = malloc(PNG_IMAGE_SIZE(p));
	if (!png_image_finish_read(&p, NULL, im->rgb, 0, NULL))
		return -1;
	return 0;
}

static int
save_png(const char *path, const unsigned char *px, int w, int h, int gray)
{
	png_image p;

	memset(&p, 0, sizeof(p));
	p.version = PNG_IMAGE_VERSION;
	p.width = (png_uint_32)w;
	p.height = (png_uint_32)h;
	p.format = gray ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB;
	return png_image_write_to_file(&p, path, 0, px, 0, NULL) ? 0 : -1;
}

static double
iou(const struct px_findings *f, const char *truth)
{
	struct px_image t = { 0 };
	size_t i, n, in = 0, un = 0;
	int a, b;

	if (load_png(truth, &t) != 0 || t.w != f->w || t.h != f->h)
		return -1;
	n = (size_t)t.w * t.h;
	for (i = 0; i < n; i++) {
		a = t.rgb[3 * i] > 127;
		b = f->mask[i] != 0;
		in += a && b;
		un += a || b;
	}
	free(t.rgb);
	return un ? (double)in / un : 0;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	struct px_opts o = { 0, 1, false };
	struct px_image im = { 0 };
	struct px_coef co = { 0 };
	struct px_findings f;
	const char *checks = "zero,dq,copymove,noise", *mask = NULL;
	const char *truth = NULL, *ela = NULL;
	json_t *out, *arr, *tm;
	unsigned char sig[2];
	double t0;
	size_t i, n;
	FILE *fp;
	int ch, isjpeg;

	while ((ch = getopt(argc, argv, "c:e:E:j:m:t:")) != -1)
		switch (ch) {
		case 'c': checks = optarg; break;
		case 'e': o.log10_eps = atof(optarg); break;
		case 'E': ela = optarg; break;
		case 'j': o.threads = atoi(optarg); break;
		case 'm': mask = optarg; break;
		case 't': truth = optarg; break;
		default:
			fprintf(stderr, "usage: px-driver [-c checks] [-e log10eps] "
			    "[-j N] [-m mask.png] [-t truth.png] [-E ela.png] image\n");
			return 2;
		}
	if (optind + 1 != argc)
		errx(2, "one image");
	if ((fp = fopen(argv[optind], "rb")) == NULL)
		err(2, "%s", argv[optind]);
	isjpeg = fread(sig, 1, 2, fp) == 2 && sig[0] == 0xff && sig[1] == 0xd8;
	o.lossless = !isjpeg;
	rewind(fp);
	if (isjpeg ? load_jpeg(fp, &im) : load_png(argv[optind], &im))
		errx(2, "%s: cannot decode", argv[optind]);
	rewind(fp);
	if (isjpeg && load_coef(fp, &co) != 0)
		errx(2, "%s: cannot read coefficients", argv[optind]);
	fclose(fp);
	im.lum = malloc((size_t)im.w * im.h * sizeof(float));
	for (n = (size_t)im.w * im.h, i = 0; i < n; i++)
		im.lum[i] = 0.299f * im.rgb[3 * i] + 0.587f * im.rgb[3 * i + 1] +
		    0.114f * im.rgb[3 * i + 2];
	co.img = isjpeg ? &im : NULL;
	px_findings_init(&f, im.w, im.h);
	tm = json_object();
#define RUN(name, call) do {						\
	if (strstr(checks, name)) {					\
		t0 = now();						\
		if ((call) != 0)					\
			fprintf(stderr, "px-driver: %s failed\n", name);\
		json_object_set_new(tm, name, json_real(now() - t0));	\
	}								\
} while (0)
	RUN("zero", px_zero(&im, &f, &o));
	if (isjpeg)
		RUN("dq", px_dq(&co, &f, &o));
	RUN("copymove", px_copymove(&im, &f, &o));
	RUN("noise", px_noise(&im, &f, &o));
	if (ela) {
		unsigned char *e = malloc((size_t)im.w * im.h * 3);
		if (px_ela(&im, 90, e) == 0)
			save_png(ela, e, im.w, im.h, 0);
		free(e);
	}
	arr = json_array();
	for (i = 0; i < f.n; i++)
		json_array_append_new(arr, json_pack("{s:s,s:f,s:[iiii],s:O}",
		    "check", f.v[i].check, "log10_nfa", f.v[i].log10_nfa,
		    "region", f.v[i].region[0], f.v[i].region[1],
		    f.v[i].region[2], f.v[i].region[3], "detail", f.v[i].detail));
	out = json_pack("{s:s,s:i,s:i,s:o,s:o}", "path", argv[optind],
	    "w", im.w, "h", im.h, "findings", arr, "seconds", tm);
	if (truth)
		json_object_set_new(out, "iou", json_real(iou(&f, truth)));
	if (mask)
		save_png(mask, f.mask, im.w, im.h, 1);
	json_dumpf(out, stdout, JSON_COMPACT | JSON_REAL_PRECISION(6));
	putchar('\n');
	json_decref(out);
	px_findings_free(&f);
	free(im.rgb);
	free(im.lum);
	free(co.coef);
	return 0;
}
