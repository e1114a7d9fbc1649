/*
 * --maps DIR: per image, a binary mask of the pixels the detections
 * point at (image size, 0 or 255), an overlay for a person (the picture
 * with those pixels tinted, each detected region outlined and labelled
 * with its check), and the ELA picture when ELA ran.  The names derive
 * from the input's name and member plus the start of its SHA-256, so two
 * inputs never share a file; they are made inside DIR only, never
 * through a symbolic link, and never onto an input.  With --cross, the
 * detections across pictures are added to the maps at the end of the
 * run (maps_cross).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <png.h>

#include "imgforge.h"

#define NAME_MAX_BYTES	120

/* The name part: [A-Za-z0-9._-] and UTF-8 bytes kept, the rest '_'. */
static void
safe_name(const char *path, const char *member, char *out, size_t outlen)
{
	const char *b = strrchr(path, '/');
	size_t n = 0;
	char tmp[2 * NAME_MAX_BYTES + 2];

	snprintf(tmp, sizeof tmp, "%s%s%s", b ? b + 1 : path, member ? "!" : "",
	    member ? member : "");
	for (const char *p = tmp; *p && n + 1 < outlen && n < NAME_MAX_BYTES;
	    p++) {
		unsigned char c = (unsigned char)*p;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '-' ||
		    c == '_' || c >= 0x80;

		out[n++] = ok ? (char)c : '_';
	}
	/* Do not cut a UTF-8 sequence in two. */
	while (n > 0 && ((unsigned char)out[n - 1] & 0xc0) == 0x80)
		n--;
	if (n > 0 && (unsigned char)out[n - 1] >= 0xc0)
		n--;
	out[n] = '\0';
	if (out[0] == '.' || out[0] == '\0')
		out[0] = '_';
}

struct pngw {
	char	*msg;
	size_t	 msglen;
};

static void
w_error(png_structp p, png_const_charp m)
{
	struct pngw *e = png_get_error_ptr(p);

	snprintf(e->msg, e->msglen, "cannot write PNG: %s", m);
	png_longjmp(p, 1);
}

static void
w_warn(png_structp p, png_const_charp m)
{
	(void)p;
	(void)m;
}

static int
png_to(FILE *f, const unsigned char *pix, int w, int h, int channels,
    char *msg, size_t msglen)
{
	struct pngw e = { msg, msglen };
	png_structp p = png_create_write_struct(PNG_LIBPNG_VER_STRING, &e,
	    w_error, w_warn);
	png_infop info = p ? png_create_info_struct(p) : NULL;
	volatile int rc = -1;

	if (info == NULL) {
		snprintf(msg, msglen, "out of memory");
		goto out;
	}
	if (setjmp(png_jmpbuf(p)))
		goto out;
	png_init_io(p, f);
	png_set_compression_level(p, 3);
	png_set_IHDR(p, info, (png_uint_32)w, (png_uint_32)h, 8, channels == 1 ?
	    PNG_COLOR_TYPE_GRAY : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
	    PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(p, info);
	for (int y = 0; y < h; y++)
		png_write_row(p, pix + (size_t)y * w * channels);
	png_write_end(p, info);
	rc = 0;
out:
	png_destroy_write_struct(&p, &info);
	return rc;
}

int
png_write_file(const char *path, const unsigned char *pix, int w, int h,
    int channels, char *msg, size_t msglen)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
	    O_CLOEXEC, 0644);
	FILE *f;
	int rc;

	if (fd == -1 || (f = fdopen(fd, "wb")) == NULL) {
		snprintf(msg, msglen, "cannot write '%s': %s", path,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	rc = png_to(f, pix, w, h, channels, msg, msglen);
	if (fclose(f) == EOF && rc == 0) {
		snprintf(msg, msglen, "cannot write '%s': %s", path,
		    strerror(errno));
		rc = -1;
	}
	return rc;
}

/* The full path of one map; NULL when it would land on the input itself. */
static char *
map_path(const struct ifc_job *j, const char *kind)
{
	char name[NAME_MAX_BYTES + 8], *p;
	struct stat in, out;

	safe_name(j->path, j->member, name, sizeof name);
	if (asprintf(&p, "%s/%s.%.8s.%s.png", j->conf->mapdir, name, j->sha256,
	    kind) == -1)
		return NULL;
	if (j->member == NULL && stat(j->path, &in) == 0 &&
	    stat(p, &out) == 0 && in.st_dev == out.st_dev &&
	    in.st_ino == out.st_ino) {
		free(p);
		return NULL;
	}
	return p;
}

static void
check_colour(const char *check, unsigned char col[3])
{
	static const unsigned char pal[6][3] = { { 255, 40, 40 },
	    { 40, 220, 40 }, { 60, 120, 255 }, { 255, 200, 0 },
	    { 230, 0, 230 }, { 0, 220, 220 } };
	unsigned h = 5381;

	for (const char *s = check; *s; s++)
		h = h * 33 + (unsigned char)*s;
	memcpy(col, pal[h % 6], 3);
}

static void
rect(unsigned char *rgb, int w, int h, const int r[4], int t,
    const unsigned char col[3])
{
	for (int y = r[1] - t; y < r[1] + r[3] + t; y++)
		for (int x = r[0] - t; x < r[0] + r[2] + t; x++) {
			bool inner = x >= r[0] && x < r[0] + r[2] &&
			    y >= r[1] && y < r[1] + r[3];

			if (!inner && x >= 0 && y >= 0 && x < w && y < h)
				memcpy(rgb + ((size_t)y * w + x) * 3, col, 3);
		}
}

static void
label(unsigned char *rgb, int w, int h, int x, int y, int scale,
    const char *s, const unsigned char col[3])
{
	static const unsigned char black[3] = { 0, 0, 0 };
	int tw = font_width(s, scale), th = 9 * scale;
	int box[4] = { x, y, tw + 2 * scale, th };

	if (box[0] + box[2] > w)
		box[0] = w - box[2] > 0 ? w - box[2] : 0;
	if (box[1] < 0)
		box[1] = 0;
	for (int yy = box[1]; yy < box[1] + box[3] && yy < h; yy++)
		for (int xx = box[0]; xx < box[0] + box[2] && xx < w; xx++)
			memcpy(rgb + ((size_t)yy * w + xx) * 3, black, 3);
	font_draw(rgb, w, h, box[0] + scale, box[1] + scale, scale, s, col);
}

/* A pixel the detections point at: reddened and darkened. */
static void
tint(unsigned char *px)
{
	px[0] = (unsigned char)((px[0] + 255) / 2);
	px[1] /= 2;
	px[2] /= 2;
}

/*
 * Each detected region outlined and labelled with its check, the global
 * ones listed at the top, in the order of the findings.  Every pixel
 * drawn is overwritten whatever it was (maps_cross relies on it).
 */
static void
decorate(const struct ifc_job *j, unsigned char *o)
{
	int w = j->w, h = j->h, ty = 0;
	int scale = w < 300 ? 1 : w < 1000 ? 2 : w / 500, t = scale + 1;
	unsigned char col[3];

	for (size_t i = 0; j->px_ok && i < j->px.n; i++) {
		const struct px_finding *f = &j->px.v[i];

		if (!px_detects(f, j->conf->log10_eps))
			continue;
		check_colour(f->check, col);
		if (f->region[2] > 0 && f->region[3] > 0) {
			rect(o, w, h, f->region, t, col);
			label(o, w, h, f->region[0], f->region[1] - t - 9 * scale,
			    scale, f->check, col);
		} else {
			label(o, w, h, 0, ty, scale, f->check, col);
			ty += 10 * scale;
		}
	}
}

/* Tinted detections, outlined regions with labels, global ones listed. */
static unsigned char *
overlay(const struct ifc_job *j, const struct px_image *im)
{
	size_t n = (size_t)im->w * im->h;
	unsigned char *o = malloc(n * 3);

	if (o == NULL)
		return NULL;
	memcpy(o, im->rgb, n * 3);
	for (size_t i = 0; j->px_ok && j->px.mask && i < n; i++)
		if (j->px.mask[i])
			tint(o + 3 * i);
	decorate(j, o);
	return o;
}

static int
write_one(struct ifc_job *j, const char *kind, const unsigned char *pix,
    int channels, char **where, char *msg, size_t msglen)
{
	char *p = map_path(j, kind);

	if (p == NULL) {
		snprintf(msg, msglen, "no safe name for the %s map", kind);
		return -1;
	}
	if (png_write_file(p, pix, j->w, j->h, channels, msg, msglen) == -1) {
		free(p);
		return -1;
	}
	*where = p;
	return 0;
}

int
maps_write(struct ifc_job *j, const struct px_image *im, char *msg,
    size_t msglen)
{
	unsigned char *mask = calloc((size_t)im->w * im->h, 1), *o = NULL;
	int rc = -1;

	if (mask == NULL || (o = overlay(j, im)) == NULL) {
		snprintf(msg, msglen, "out of memory for the maps");
		goto out;
	}
	if (j->px_ok && j->px.mask != NULL)
		memcpy(mask, j->px.mask, (size_t)im->w * im->h);
	if (write_one(j, "mask", mask, 1, &j->mask_path, msg, msglen) == -1 ||
	    write_one(j, "overlay", o, 3, &j->overlay_path, msg, msglen) == -1)
		goto out;
	if (j->ela != NULL && write_one(j, "ela", j->ela, 3, &j->ela_path, msg,
	    msglen) == -1)
		goto out;
	rc = 0;
out:
	free(mask);
	free(o);
	return rc;
}

/*
 * Reads back a map this run wrote (channels 1: the mask, 3: the
 * overlay), never through a symbolic link; NULL with msg when it is not
 * the picture's size any more.
 */
static unsigned char *
png_read_map(const struct ifc_job *j, const char *path, int channels,
    char *msg, size_t msglen)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	png_image im;
	unsigned char *pix = NULL;
	FILE *f;

	memset(&im, 0, sizeof im);
	im.version = PNG_IMAGE_VERSION;
	if (fd == -1 || (f = fdopen(fd, "rb")) == NULL) {
		snprintf(msg, msglen, "cannot read '%s': %s", path,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		return NULL;
	}
	if (!png_image_begin_read_from_stdio(&im, f) ||
	    im.width != (png_uint_32)j->w || im.height != (png_uint_32)j->h) {
		snprintf(msg, msglen, "cannot read back '%s': %s", path,
		    im.warning_or_error ? im.message : "not the picture's size");
		goto out;
	}
	im.format = channels == 1 ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB;
	if ((pix = malloc(PNG_IMAGE_SIZE(im))) == NULL) {
		snprintf(msg, msglen, "out of memory for the maps");
		goto out;
	}
	if (!png_image_finish_read(&im, NULL, pix, 0, NULL)) {
		snprintf(msg, msglen, "cannot read back '%s': %s", path,
		    im.message);
		free(pix);
		pix = NULL;
	}
out:
	png_image_free(&im);
	fclose(f);
	return pix;
}

/*
 * --cross finds copies across pictures only once the whole run is
 * analysed, long after each picture's maps were written and its pixels
 * freed: holding every picture's pixels (36 MB for 12 megapixels) or
 * even its mask to the end would make hundreds of pictures take
 * gigabytes, and the input may be an archive member or stdin, not to be
 * read twice.  So the maps of a picture with a copymove.cross detection
 * are read back and brought up to date instead, one picture at a time:
 * the mask gets the regions; the overlay gets the tint on the pixels the
 * mask did not have yet, then every outline and label drawn again in the
 * findings' order.  Outlines and labels overwrite what is under them,
 * so the overlay is, pixel for pixel, the one drawing everything from
 * the picture at once would give.  Pictures without one are not touched.
 */
int
maps_cross(struct ifc_job *j, char *msg, size_t msglen)
{
	unsigned char *mask = NULL, *o = NULL;
	bool any = false;
	int rc = -1;

	for (size_t i = 0; j->px_ok && i < j->px.n; i++)
		any |= strcmp(j->px.v[i].check, "copymove.cross") == 0 &&
		    px_detects(&j->px.v[i], j->conf->log10_eps);
	if (!any || j->mask_path == NULL || j->overlay_path == NULL)
		return 0;
	if ((mask = png_read_map(j, j->mask_path, 1, msg, msglen)) == NULL ||
	    (o = png_read_map(j, j->overlay_path, 3, msg, msglen)) == NULL)
		goto out;
	for (size_t i = 0; i < j->px.n; i++) {
		const int *r = j->px.v[i].region;
		int x0 = r[0] < 0 ? 0 : r[0], y0 = r[1] < 0 ? 0 : r[1];
		int x1 = r[0] + r[2] > j->w ? j->w : r[0] + r[2];
		int y1 = r[1] + r[3] > j->h ? j->h : r[1] + r[3];

		if (strcmp(j->px.v[i].check, "copymove.cross") != 0 ||
		    !px_detects(&j->px.v[i], j->conf->log10_eps))
			continue;
		for (int y = y0; y < y1; y++)
			for (int x = x0; x < x1; x++) {
				size_t k = (size_t)y * j->w + x;

				if (mask[k] == 0)
					tint(o + 3 * k);
				mask[k] = 255;
			}
	}
	decorate(j, o);
	if (png_write_file(j->mask_path, mask, j->w, j->h, 1, msg,
	    msglen) == -1 || png_write_file(j->overlay_path, o, j->w, j->h, 3,
	    msg, msglen) == -1)
		goto out;
	rc = 0;
out:
	free(mask);
	free(o);
	return rc;
}
