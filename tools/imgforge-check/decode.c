/*
 * Decoding JPEG (libjpeg-turbo) and PNG (libpng) from memory into 8-bit
 * RGB (image_lum adds the luminance where it is needed: the EXIF
 * thumbnail), and a JPEG's luminance DCT coefficients.  Hostile
 * input must end in an error, never in exit() or an unbounded
 * allocation: both libraries get an error handler that longjmps back,
 * and sizes are checked before any pixel buffer is allocated.
 */
#include "config.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>

#include "imgforge.h"

#define MAX_SCANS	1000	/* a progressive file with more is a CPU bomb */
/* zlib's deflate cannot expand by more than about 1032:1. */
#define DEFLATE_MAX_RATIO 1100

struct jerr {
	struct jpeg_error_mgr	 pub;
	jmp_buf			 jb;
	char			 first[JMSG_LENGTH_MAX];
	int			 nwarn;
	JSAMPLE			*row;	/* CMYK row, freed after a longjmp too */
};

static void
j_error_exit(j_common_ptr c)
{
	struct jerr *e = (struct jerr *)c->err;

	(*c->err->format_message)(c, e->first);
	longjmp(e->jb, 1);
}

/* Warnings (corrupt or truncated data) are kept: they make the decode fail. */
static void
j_emit(j_common_ptr c, int level)
{
	struct jerr *e = (struct jerr *)c->err;

	if (level >= 0)
		return;
	if (e->nwarn++ == 0)
		(*c->err->format_message)(c, e->first);
}

static void
j_progress(j_common_ptr c)
{
	j_decompress_ptr d = (j_decompress_ptr)c;

	if (d->input_scan_number > MAX_SCANS) {
		struct jerr *e = (struct jerr *)c->err;

		snprintf(e->first, sizeof e->first, "more than %d scans",
		    MAX_SCANS);
		longjmp(e->jb, 1);
	}
}

static void
j_setup(struct jpeg_decompress_struct *d, struct jerr *e,
    struct jpeg_progress_mgr *pm)
{
	d->err = jpeg_std_error(&e->pub);
	e->pub.error_exit = j_error_exit;
	e->pub.emit_message = j_emit;
	e->first[0] = '\0';
	e->nwarn = 0;
	e->row = NULL;
	jpeg_create_decompress(d);
	pm->progress_monitor = j_progress;
	d->progress = pm;
}

static int
j_size_ok(const struct jpeg_decompress_struct *d, char *msg, size_t msglen)
{
	if (d->image_width == 0 || d->image_height == 0) {
		snprintf(msg, msglen, "JPEG declares an empty image");
		return 0;
	}
	if ((long)d->image_width * d->image_height > IFC_MAX_PIXELS) {
		snprintf(msg, msglen, "JPEG declares %ux%u pixels, over the "
		    "limit of %ld", d->image_width, d->image_height,
		    IFC_MAX_PIXELS);
		return 0;
	}
	return 1;
}

/* Adobe CMYK is stored inverted; the usual approximation R = C*K/255. */
static void
cmyk_row(const JSAMPLE *in, unsigned char *out, int w)
{
	for (int x = 0; x < w; x++, in += 4, out += 3) {
		int k = in[3];

		out[0] = (unsigned char)(in[0] * k / 255);
		out[1] = (unsigned char)(in[1] * k / 255);
		out[2] = (unsigned char)(in[2] * k / 255);
	}
}

static int
j_pixels(struct jpeg_decompress_struct *d, struct px_image *im,
    struct jerr *e)
{
	bool cmyk = d->jpeg_color_space == JCS_CMYK ||
	    d->jpeg_color_space == JCS_YCCK;
	JSAMPLE *row = NULL;

	d->out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
	jpeg_start_decompress(d);
	im->w = (int)d->output_width;
	im->h = (int)d->output_height;
	im->rgb = malloc((size_t)im->w * im->h * 3);
	px_hugepages(im->rgb, (size_t)im->w * im->h * 3);
	if (cmyk)
		row = e->row = malloc((size_t)im->w * 4);
	if (im->rgb == NULL || (cmyk && row == NULL))
		return -1;
	while (d->output_scanline < d->output_height) {
		unsigned char *dst = im->rgb + (size_t)d->output_scanline *
		    im->w * 3;
		JSAMPROW rp = cmyk ? row : dst;

		jpeg_read_scanlines(d, &rp, 1);
		if (cmyk)
			cmyk_row(row, dst, im->w);
	}
	jpeg_finish_decompress(d);
	return 0;
}

static int
jpeg_rgb(const unsigned char *buf, size_t len, struct px_image *im,
    char *msg, size_t msglen)
{
	struct jpeg_decompress_struct d;
	struct jpeg_progress_mgr pm;
	struct jerr e;
	volatile int rc = -1;

	memset(im, 0, sizeof *im);
	j_setup(&d, &e, &pm);
	if (setjmp(e.jb)) {
		snprintf(msg, msglen, "bad JPEG: %s", e.first);
		goto out;
	}
	jpeg_mem_src(&d, buf, (unsigned long)len);
	jpeg_read_header(&d, TRUE);
	if (!j_size_ok(&d, msg, msglen))
		goto out;
	if (j_pixels(&d, im, &e) == -1) {
		snprintf(msg, msglen, "out of memory");
		goto out;
	}
	if (e.nwarn > 0)
		snprintf(msg, msglen, "bad JPEG: %s", e.first);
	else
		rc = 0;
out:
	jpeg_destroy_decompress(&d);
	free(e.row);
	if (rc == -1)
		image_free(im);
	return rc;
}

static int
copy_coef(struct jpeg_decompress_struct *d, jvirt_barray_ptr *arr,
    struct px_coef *pc)
{
	jpeg_component_info *ci = &d->comp_info[0];
	JQUANT_TBL *q = ci->quant_table ? ci->quant_table :
	    d->quant_tbl_ptrs[ci->quant_tbl_no];

	if (q == NULL)
		return -1;
	pc->bw = (int)ci->width_in_blocks;
	pc->bh = (int)ci->height_in_blocks;
	pc->coef = malloc((size_t)pc->bw * pc->bh * 64 * sizeof(int16_t));
	if (pc->coef == NULL)
		return -1;
	px_hugepages(pc->coef, (size_t)pc->bw * pc->bh * 64 * sizeof(int16_t));
	for (int k = 0; k < 64; k++)
		pc->qt[k] = q->quantval[k];	/* libjpeg keeps natural order */
	for (int by = 0; by < pc->bh; by++) {
		JBLOCKARRAY rows = (*d->mem->access_virt_barray)((j_common_ptr)d,
		    arr[0], (JDIMENSION)by, 1, FALSE);

		for (int bx = 0; bx < pc->bw; bx++)
			for (int k = 0; k < 64; k++)
				pc->coef[((size_t)by * pc->bw + bx) * 64 + k] =
				    (int16_t)rows[0][bx][k];
	}
	return 0;
}

static int
jpeg_coefs(const unsigned char *buf, size_t len, struct px_coef *pc,
    char *msg, size_t msglen)
{
	struct jpeg_decompress_struct d;
	struct jpeg_progress_mgr pm;
	struct jerr e;
	jvirt_barray_ptr *arr;
	volatile int rc = -1;

	memset(pc, 0, sizeof *pc);
	j_setup(&d, &e, &pm);
	if (setjmp(e.jb)) {
		snprintf(msg, msglen, "bad JPEG coefficients: %s", e.first);
		goto out;
	}
	jpeg_mem_src(&d, buf, (unsigned long)len);
	jpeg_read_header(&d, TRUE);
	if (!j_size_ok(&d, msg, msglen))
		goto out;
	arr = jpeg_read_coefficients(&d);
	if (copy_coef(&d, arr, pc) == -1) {
		snprintf(msg, msglen, "no usable coefficients");
		goto out;
	}
	rc = 0;
out:
	jpeg_destroy_decompress(&d);
	if (rc == -1)
		coef_free(pc);
	return rc;
}

/* The coefficients' pass, on a thread of its own beside the pixels'. */
struct coef_job {
	const unsigned char	*buf;
	size_t			 len;
	struct px_coef		*pc;
	char			 msg[256];	/* as long as ifc_job.err */
	int			 rc;
};

static void *
coef_thread(void *arg)
{
	struct coef_job *c = arg;
	PX_T0(t0);

	c->rc = jpeg_coefs(c->buf, c->len, c->pc, c->msg, sizeof c->msg);
	PX_TDONE("decode.coef", t0);
	return NULL;
}

/*
 * libjpeg gives the pixels or the coefficients of one pass, not both:
 * the two passes read the same bytes independently, so with two
 * threads they run side by side.
 */
int
decode_jpeg(const unsigned char *buf, size_t len, struct px_image *im,
    struct px_coef *pc, int threads, char *msg, size_t msglen)
{
	struct coef_job cj = { buf, len, pc, "", -1 };
	pthread_t th;
	bool par = false;
	int rc;

	if (pc != NULL && threads > 1)
		par = pthread_create(&th, NULL, coef_thread, &cj) == 0;
	PX_T0(t0);
	rc = jpeg_rgb(buf, len, im, msg, msglen);
	PX_TDONE("decode.rgb", t0);
	if (pc == NULL)
		return rc;
	if (par)
		pthread_join(th, NULL);
	else if (rc == 0)
		coef_thread(&cj);
	if (rc == -1) {		/* the pixels' error is the one reported */
		if (cj.rc == 0)
			coef_free(pc);
		return -1;
	}
	if (cj.rc == -1) {
		snprintf(msg, msglen, "%s", cj.msg);
		image_free(im);
		return -1;
	}
	{
		bool exact;

		pc->quality = dqt_ijg_quality(pc->qt, false, &exact);
	}
	return 0;
}

/* PNG */

struct pngsrc {
	const unsigned char	*buf;
	size_t			 len, pos;
	char			*msg;
	size_t			 msglen;
	unsigned char		*rgba;	/* freed after a longjmp too */
	png_bytep		*rows;
};

static void
p_read(png_structp p, png_bytep out, size_t n)
{
	struct pngsrc *s = png_get_io_ptr(p);

	if (n > s->len - s->pos)
		png_error(p, "truncated PNG");
	memcpy(out, s->buf + s->pos, n);
	s->pos += n;
}

static void
p_error(png_structp p, png_const_charp m)
{
	struct pngsrc *s = png_get_error_ptr(p);

	snprintf(s->msg, s->msglen, "bad PNG: %s", m);
	png_longjmp(p, 1);
}

static void
p_warn(png_structp p, png_const_charp m)
{
	(void)p;
	(void)m;
}

static int
p_size_ok(png_structp p, png_infop info, size_t len, char *msg, size_t msglen)
{
	png_uint_32 w = png_get_image_width(p, info);
	png_uint_32 h = png_get_image_height(p, info);
	int ch = png_get_channels(p, info), depth = png_get_bit_depth(p, info);
	double raw = (double)h * (1 + ((double)w * ch * depth + 7) / 8);

	if ((double)w * h > IFC_MAX_PIXELS) {
		snprintf(msg, msglen, "PNG declares %ux%u pixels, over the "
		    "limit of %ld", (unsigned)w, (unsigned)h, IFC_MAX_PIXELS);
		return 0;
	}
	if (raw > (double)len * DEFLATE_MAX_RATIO) {
		snprintf(msg, msglen, "PNG declares %ux%u pixels, more than "
		    "%zu compressed bytes can hold", (unsigned)w, (unsigned)h,
		    len);
		return 0;
	}
	return 1;
}

/* Palette, gray, 16-bit and alpha all become 8-bit RGBA. */
static void
p_transforms(png_structp p, png_infop info)
{
	int ct = png_get_color_type(p, info);

	png_set_expand(p);
	png_set_strip_16(p);
	if (ct == PNG_COLOR_TYPE_GRAY || ct == PNG_COLOR_TYPE_GRAY_ALPHA)
		png_set_gray_to_rgb(p);
	png_set_add_alpha(p, 0xff, PNG_FILLER_AFTER);
	png_set_interlace_handling(p);
	png_read_update_info(p, info);
}

/* Transparent pixels are shown over white, as a viewer shows a document. */
static void
rgba_to_rgb(const unsigned char *in, unsigned char *out, size_t n)
{
	for (size_t i = 0; i < n; i++, in += 4, out += 3)
		for (int c = 0; c < 3; c++)
			out[c] = (unsigned char)((in[c] * in[3] +
			    255 * (255 - in[3]) + 127) / 255);
}

static int
p_pixels(png_structp p, png_infop info, struct px_image *im,
    struct pngsrc *s)
{
	unsigned char **rgba = &s->rgba;
	png_bytep **rows = &s->rows;

	im->w = (int)png_get_image_width(p, info);
	im->h = (int)png_get_image_height(p, info);
	*rgba = malloc((size_t)im->w * im->h * 4);
	*rows = malloc((size_t)im->h * sizeof **rows);
	im->rgb = malloc((size_t)im->w * im->h * 3);
	px_hugepages(*rgba, (size_t)im->w * im->h * 4);
	px_hugepages(im->rgb, (size_t)im->w * im->h * 3);
	if (*rgba == NULL || *rows == NULL || im->rgb == NULL)
		return -1;
	for (int y = 0; y < im->h; y++)
		(*rows)[y] = *rgba + (size_t)y * im->w * 4;
	png_read_image(p, *rows);
	png_read_end(p, NULL);
	rgba_to_rgb(*rgba, im->rgb, (size_t)im->w * im->h);
	return 0;
}

int
decode_png(const unsigned char *buf, size_t len, struct px_image *im,
    char *msg, size_t msglen)
{
	struct pngsrc s = { buf, len, 0, msg, msglen, NULL, NULL };
	png_structp p;
	png_infop info = NULL;
	volatile int rc = -1;

	memset(im, 0, sizeof *im);
	p = png_create_read_struct(PNG_LIBPNG_VER_STRING, &s, p_error, p_warn);
	if (p == NULL || (info = png_create_info_struct(p)) == NULL) {
		snprintf(msg, msglen, "out of memory");
		goto out;
	}
	if (setjmp(png_jmpbuf(p)))
		goto out;
	png_set_read_fn(p, &s, p_read);
	png_set_crc_action(p, PNG_CRC_ERROR_QUIT, PNG_CRC_ERROR_QUIT);
	png_set_user_limits(p, 0x7fffffff, 0x7fffffff);
	png_set_chunk_malloc_max(p, 16 << 20);
	png_read_info(p, info);
	if (!p_size_ok(p, info, len, msg, msglen))
		goto out;
	p_transforms(p, info);
	if (p_pixels(p, info, im, &s) == -1) {
		snprintf(msg, msglen, "out of memory");
		goto out;
	}
	rc = 0;
out:
	png_destroy_read_struct(&p, &info, NULL);
	free(s.rgba);
	free(s.rows);
	if (rc == -1)
		image_free(im);
	return rc;
}

void
image_lum(struct px_image *im)
{
	size_t n = (size_t)im->w * im->h;

	im->lum = malloc(n * sizeof *im->lum);
	if (im->lum == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		const unsigned char *c = im->rgb + i * 3;

		im->lum[i] = 0.299f * c[0] + 0.587f * c[1] + 0.114f * c[2];
	}
}

void
image_free(struct px_image *im)
{
	free(im->rgb);
	free(im->lum);
	im->rgb = NULL;
	im->lum = NULL;
}

void
coef_free(struct px_coef *pc)
{
	free(pc->coef);
	pc->coef = NULL;
}
