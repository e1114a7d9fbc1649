/*
 * Thumbnails for the evidence page: a JPEG or PNG decoded at reduced size
 * and written as a small JPEG, so the page does not carry the originals.
 * The pixel count is checked from the header before any pixel is decoded;
 * JPEGs are decoded at 1/2, 1/4 or 1/8 scale by libjpeg itself, then both
 * kinds are box-filtered row by row to at most THUMB_W x THUMB_H.  Memory
 * in, memory out, so a fuzz target can reach it.
 */
#include "config.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>

#include "cb.h"

/* Sums of the input pixels falling in each output pixel of one row. */
struct boxer {
	unsigned	 iw, ih, ow, oh;
	unsigned	 cur;		/* output row being summed */
	uint32_t	*sum;		/* ow * 4: r, g, b, count */
	unsigned char	*out;		/* ow * oh * 3 */
};

/* The thumbnail's size: the image's shape within THUMB_W x THUMB_H. */
static void
fit(unsigned iw, unsigned ih, unsigned *ow, unsigned *oh)
{
	double	 s = 1.0;

	if (iw > THUMB_W)
		s = (double)THUMB_W / iw;
	if (ih * s > THUMB_H)
		s = (double)THUMB_H / ih;
	*ow = iw * s < 1 ? 1 : (unsigned)(iw * s + 0.5);
	*oh = ih * s < 1 ? 1 : (unsigned)(ih * s + 0.5);
}

static void
box_init(struct boxer *b, unsigned iw, unsigned ih)
{
	b->iw = iw;
	b->ih = ih;
	fit(iw, ih, &b->ow, &b->oh);
	b->cur = 0;
	b->sum = calloc((size_t)b->ow * 4, sizeof(uint32_t));
	b->out = calloc((size_t)b->ow * b->oh, 3);
	if (b->sum == NULL || b->out == NULL)
		abort();
}

static void
box_flush(struct boxer *b)
{
	unsigned char *o = b->out + (size_t)b->cur * b->ow * 3;
	unsigned x, k;

	for (x = 0; x < b->ow; x++) {
		uint32_t *s = b->sum + 4 * x;

		for (k = 0; k < 3; k++)
			o[3 * x + k] = s[3] ? (unsigned char)((s[k] + s[3] / 2) /
			    s[3]) : 255;
		memset(s, 0, 4 * sizeof(*s));
	}
}

/* One input row, RGB (3) or RGBA (4, composited on white). */
static void
box_row(struct boxer *b, unsigned y, const unsigned char *row, int bpp)
{
	unsigned oy = (unsigned)((uint64_t)y * b->oh / b->ih), x, k;

	if (oy != b->cur) {
		box_flush(b);
		b->cur = oy;
	}
	for (x = 0; x < b->iw; x++) {
		const unsigned char *p = row + (size_t)x * bpp;
		uint32_t *s = b->sum + 4 * ((uint64_t)x * b->ow / b->iw);
		unsigned a = bpp == 4 ? p[3] : 255;

		for (k = 0; k < 3; k++)
			s[k] += (p[k] * a + 255 * (255 - a) + 127) / 255;
		s[3]++;
	}
}

static void
box_free(struct boxer *b)
{
	free(b->sum);
	free(b->out);
}

/* ---- libjpeg: errors jump back instead of exiting */
struct jerr {
	struct jpeg_error_mgr pub;
	jmp_buf		 jb;
	const char	*why;		/* our own reason, else libjpeg's */
};

#define JPEG_MAXSCANS	500	/* progressive files with more are refused */

/* Thousands of tiny scans make a small file decode for minutes. */
static void
jscans(j_common_ptr c)
{
	struct jpeg_decompress_struct *d = (struct jpeg_decompress_struct *)c;
	struct jerr *je = (struct jerr *)c->err;

	if (d->input_scan_number > JPEG_MAXSCANS) {
		je->why = "more than 500 scans";
		longjmp(je->jb, 1);
	}
}

static void
jerr_exit(j_common_ptr c)
{
	longjmp(((struct jerr *)c->err)->jb, 1);
}

static void
jerr_quiet(j_common_ptr c, int level)
{
	(void)c;
	(void)level;
}

static unsigned char *
encode(const struct boxer *b, size_t *outlen)
{
	struct jpeg_compress_struct c;
	struct jerr je;
	unsigned char *mem = NULL, *res = NULL;
	unsigned long mlen = 0;
	JSAMPROW row;

	c.err = jpeg_std_error(&je.pub);
	je.pub.error_exit = jerr_exit;
	if (setjmp(je.jb)) {
		jpeg_destroy_compress(&c);
		free(mem);
		return NULL;
	}
	jpeg_create_compress(&c);
	jpeg_mem_dest(&c, &mem, &mlen);
	c.image_width = b->ow;
	c.image_height = b->oh;
	c.input_components = 3;
	c.in_color_space = JCS_RGB;
	jpeg_set_defaults(&c);
	jpeg_set_quality(&c, 80, TRUE);
	c.write_JFIF_header = TRUE;
	jpeg_start_compress(&c, TRUE);
	while (c.next_scanline < c.image_height) {
		row = b->out + (size_t)c.next_scanline * b->ow * 3;
		jpeg_write_scanlines(&c, &row, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	if ((res = malloc(mlen)) != NULL) {
		memcpy(res, mem, mlen);
		*outlen = mlen;
	}
	free(mem);
	return res;
}

static int
from_jpeg(const unsigned char *buf, size_t len, struct boxer *b, char *err,
    size_t errlen)
{
	struct jpeg_decompress_struct d;
	struct jerr je;
	struct jpeg_progress_mgr pm = { jscans, 0, 0, 0, 0 };
	unsigned char *volatile row = NULL;
	volatile bool started = false;
	unsigned denom, ow, oh;

	d.err = jpeg_std_error(&je.pub);
	je.pub.error_exit = jerr_exit;
	je.pub.emit_message = jerr_quiet;
	je.why = NULL;
	if (setjmp(je.jb)) {
		char	 msg[JMSG_LENGTH_MAX];

		if (started)
			box_free(b);
		je.pub.format_message((j_common_ptr)&d, msg);
		snprintf(err, errlen, "%s", je.why ? je.why : msg);
		jpeg_destroy_decompress(&d);
		free(row);
		return -1;
	}
	jpeg_create_decompress(&d);
	d.mem->max_memory_to_use = 512L << 20;	/* no backing store: refused */
	d.progress = &pm;
	jpeg_mem_src(&d, buf, (unsigned long)len);
	jpeg_read_header(&d, TRUE);
	if ((uint64_t)d.image_width * d.image_height > THUMB_MAXPIX) {
		snprintf(err, errlen, "%ux%u pixels: more than %u million",
		    d.image_width, d.image_height, THUMB_MAXPIX / 1000000);
		jpeg_destroy_decompress(&d);
		return -1;
	}
	/* the smallest libjpeg scale still at least as large as the thumbnail */
	fit(d.image_width, d.image_height, &ow, &oh);
	for (denom = 8; denom > 1; denom /= 2)
		if (d.image_width / denom >= ow && d.image_height / denom >= oh)
			break;
	d.scale_num = 1;
	d.scale_denom = denom;
	d.out_color_space = JCS_RGB;
	jpeg_start_decompress(&d);
	box_init(b, d.output_width, d.output_height);
	started = true;
	row = malloc((size_t)d.output_width * 3);
	if (row == NULL)
		abort();
	while (d.output_scanline < d.output_height) {
		JSAMPROW r = row;
		unsigned y = d.output_scanline;

		jpeg_read_scanlines(&d, &r, 1);
		box_row(b, y, row, 3);
	}
	box_flush(b);
	jpeg_finish_decompress(&d);
	jpeg_destroy_decompress(&d);
	free(row);
	return 0;
}

/* ---- libpng */
struct pngsrc {
	const unsigned char *p;
	size_t		 left;
	char		*err;
	size_t		 errlen;
};

static void
png_rd(png_structp png, png_bytep out, size_t n)
{
	struct pngsrc *s = png_get_io_ptr(png);

	if (n > s->left)
		png_error(png, "truncated");
	memcpy(out, s->p, n);
	s->p += n;
	s->left -= n;
}

static void
png_err(png_structp png, png_const_charp msg)
{
	struct pngsrc *s = png_get_error_ptr(png);

	snprintf(s->err, s->errlen, "%s", msg);
	png_longjmp(png, 1);
}

static void
png_warn(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

#define PNG_INTERLACED_MAXPIX	(16u * 1000 * 1000)

static int
from_png(const unsigned char *buf, size_t len, struct boxer *b, char *err,
    size_t errlen)
{
	struct pngsrc src = { buf, len, err, errlen };
	png_structp png;
	png_infop info = NULL;
	unsigned char *volatile img = NULL;
	png_bytep *volatile rows = NULL;
	volatile bool started = false;
	png_uint_32 w, h, y;
	int	 passes;

	png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &src, png_err,
	    png_warn);
	if (png == NULL || (info = png_create_info_struct(png)) == NULL) {
		png_destroy_read_struct(&png, NULL, NULL);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (setjmp(png_jmpbuf(png))) {
		if (started)
			box_free(b);
		png_destroy_read_struct(&png, &info, NULL);
		free(img);
		free(rows);
		return -1;
	}
	png_set_read_fn(png, &src, png_rd);
	png_set_user_limits(png, 1000000, 1000000);
	png_read_info(png, info);
	w = png_get_image_width(png, info);
	h = png_get_image_height(png, info);
	if ((uint64_t)w * h > THUMB_MAXPIX)
		png_error(png, "more than 100 million pixels");
	png_set_expand(png);
	png_set_strip_16(png);
	png_set_gray_to_rgb(png);
	png_set_add_alpha(png, 0xff, PNG_FILLER_AFTER);
	passes = png_set_interlace_handling(png);
	png_read_update_info(png, info);
	if (png_get_rowbytes(png, info) != (size_t)w * 4)
		png_error(png, "unexpected row layout");
	box_init(b, w, h);
	started = true;
	if (passes > 1) {
		/* Adam7 needs every row before any is complete */
		if ((uint64_t)w * h > PNG_INTERLACED_MAXPIX)
			png_error(png, "interlaced and more than 16 million pixels");
		img = malloc((size_t)w * h * 4);
		rows = malloc(h * sizeof(*rows));
		if (img == NULL || rows == NULL)
			abort();
		for (y = 0; y < h; y++)
			rows[y] = img + (size_t)y * w * 4;
		png_read_image(png, rows);
		for (y = 0; y < h; y++)
			box_row(b, y, rows[y], 4);
	} else {
		img = malloc((size_t)w * 4);
		if (img == NULL)
			abort();
		for (y = 0; y < h; y++) {
			png_read_row(png, img, NULL);
			box_row(b, y, img, 4);
		}
	}
	box_flush(b);
	png_read_end(png, NULL);
	png_destroy_read_struct(&png, &info, NULL);
	free(img);
	free(rows);
	return 0;
}

unsigned char *
thumb_make(const unsigned char *buf, size_t len, size_t *outlen, char *err,
    size_t errlen)
{
	static const unsigned char pngsig[8] = { 0x89, 'P', 'N', 'G', '\r',
	    '\n', 0x1a, '\n' };
	struct boxer b;
	unsigned char *res;
	int	 r;

	err[0] = '\0';
	if (len >= 3 && buf[0] == 0xff && buf[1] == 0xd8 && buf[2] == 0xff)
		r = from_jpeg(buf, len, &b, err, errlen);
	else if (len >= 8 && memcmp(buf, pngsig, 8) == 0)
		r = from_png(buf, len, &b, err, errlen);
	else {
		snprintf(err, errlen, "not a JPEG or PNG image");
		return NULL;
	}
	if (r == -1)
		return NULL;
	res = encode(&b, outlen);
	box_free(&b);
	if (res == NULL)
		snprintf(err, errlen, "cannot encode the thumbnail");
	return res;
}
