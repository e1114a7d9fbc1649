/*
 * EXIF checks through libexif: the software named in the file, the edit
 * time against the capture time, a camera maker's file without the maker
 * note its firmware always writes, and the IFD1 thumbnail against the
 * main image (editors that do not rewrite the thumbnail leave the
 * original picture in it).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <libexif/exif-data.h>

#include "imgforge.h"
#include "rec.h"

#define TAG_PROCESSING_SOFTWARE	((ExifTag)0x000b)
#define THUMB_MAX_DIFF		0.15	/* mean |difference| / 255 */
#define DATETIME_SLACK		60	/* seconds a camera may take to write */

/* An ASCII entry's text, without trailing NULs and spaces. */
static size_t
ascii(ExifEntry *e, const char **s)
{
	size_t n;

	if (e == NULL || e->data == NULL || e->format != EXIF_FORMAT_ASCII)
		return 0;
	n = e->size;
	while (n > 0 && (e->data[n - 1] == '\0' || e->data[n - 1] == ' '))
		n--;
	*s = (const char *)e->data;
	return n;
}

static json_t *
text(const char *s, size_t n)
{
	bool lossy;

	return rec_string(s, n > 200 ? 200 : n, &lossy);
}

static void
software(ExifData *ed, ExifTag tag, const char *label,
    struct meta_findings *mf)
{
	const char *s, *name;
	size_t n = ascii(exif_content_get_entry(ed->ifd[EXIF_IFD_0], tag), &s);
	int kind;

	if (n == 0)
		return;
	kind = software_kind(s, n, &name);
	if (kind == 0) {
		mf_fact(mf, tag == EXIF_TAG_SOFTWARE ? "exif_software" :
		    "exif_processing_software", text(s, n));
		return;
	}
	mf_add(mf, "exif.software", kind, json_pack("{s:s,s:o,s:s}", "tag",
	    label, "value", text(s, n), "software", name),
	    "EXIF %s names %s %s", label, kind == 2 ? "the image editor" :
	    "the converter", name);
}

/* "YYYY:MM:DD HH:MM:SS" as seconds, or -1. */
static long long
exif_time(ExifEntry *e)
{
	const char *s;
	char buf[32];
	size_t n = ascii(e, &s);
	struct tm tm;

	if (n < 19)
		return -1;
	memcpy(buf, s, 19);
	buf[19] = '\0';
	memset(&tm, 0, sizeof tm);
	if (sscanf(buf, "%4d:%2d:%2d %2d:%2d:%2d", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6 ||
	    tm.tm_year < 1970 || tm.tm_mon < 1 || tm.tm_mon > 12)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon--;
	return (long long)timegm(&tm);
}

static void
datetimes(ExifData *ed, struct meta_findings *mf)
{
	ExifEntry *dt = exif_content_get_entry(ed->ifd[EXIF_IFD_0],
	    EXIF_TAG_DATE_TIME);
	ExifEntry *dto = exif_content_get_entry(ed->ifd[EXIF_IFD_EXIF],
	    EXIF_TAG_DATE_TIME_ORIGINAL);
	long long t = exif_time(dt), to = exif_time(dto);
	const char *a = "", *b = "";
	size_t an, bn;

	if (t < 0 || to < 0 || t - to <= DATETIME_SLACK)
		return;
	an = ascii(dt, &a);
	bn = ascii(dto, &b);
	mf_add(mf, "exif.datetime", 2, json_pack("{s:o,s:o,s:I}", "datetime",
	    text(a, an), "datetime_original", text(b, bn), "seconds_later",
	    (json_int_t)(t - to)), "EXIF DateTime (file changed) is %lld s "
	    "after DateTimeOriginal (picture taken)", t - to);
}

/* Makers whose firmware writes a MakerNote in every picture. */
static bool
always_makernote(const char *s, size_t n)
{
	/* Not Sony, Fujifilm, Casio...: some of their older models wrote none. */
	static const char *const makers[] = { "canon", "nikon", "olympus",
	    "om digital", "panasonic", "pentax", "apple" };

	for (size_t i = 0; i < sizeof makers / sizeof makers[0]; i++) {
		size_t k = strlen(makers[i]);

		if (n >= k && strncasecmp(s, makers[i], k) == 0)
			return true;
	}
	return false;
}

static void
makernote(ExifData *ed, struct meta_findings *mf)
{
	const char *make, *model = "";
	size_t mn = ascii(exif_content_get_entry(ed->ifd[EXIF_IFD_0],
	    EXIF_TAG_MAKE), &make);
	size_t on = ascii(exif_content_get_entry(ed->ifd[EXIF_IFD_0],
	    EXIF_TAG_MODEL), &model);

	if (mn == 0 || !always_makernote(make, mn) ||
	    exif_content_get_entry(ed->ifd[EXIF_IFD_EXIF],
	    EXIF_TAG_MAKER_NOTE) != NULL)
		return;
	mf_add(mf, "exif.makernote", 1, json_pack("{s:o,s:o}", "make",
	    text(make, mn), "model", text(model, on)), "EXIF names the "
	    "camera maker %.*s but its MakerNote, which that firmware always "
	    "writes, is missing: the EXIF was rewritten", (int)(mn > 40 ? 40 :
	    mn), make);
}

/* The main picture's luminance averaged over a gw x gh grid of boxes. */
static float *
reduce(const struct px_image *m, int gw, int gh)
{
	float *g = calloc((size_t)gw * gh, sizeof *g);
	unsigned *cnt = calloc((size_t)gw * gh, sizeof *cnt);
	/* each column's box, once: a division per pixel was the cost */
	int *col = malloc((size_t)m->w * sizeof *col);

	if (g == NULL || cnt == NULL || col == NULL) {
		free(g);
		free(cnt);
		free(col);
		return NULL;
	}
	for (int x = 0; x < m->w; x++)
		col[x] = (int)((long long)x * gw / m->w);
	for (int y = 0; y < m->h; y++) {
		size_t row = (size_t)((long long)y * gh / m->h) * gw;
		const unsigned char *p = m->rgb + (size_t)y * m->w * 3;

		/*
		 * A run of pixels in one box is summed in a register: the
		 * same additions in the same order as into g[c] one by one.
		 */
		for (int x = 0; x < m->w;) {
			size_t c = row + (size_t)col[x];
			float acc = g[c];
			int x0 = x;

			for (; x < m->w && row + (size_t)col[x] == c; x++, p += 3)
				/* the luminance expression of image_lum */
				acc += 0.299f * p[0] + 0.587f * p[1] +
				    0.114f * p[2];
			g[c] = acc;
			cnt[c] += (unsigned)(x - x0);
		}
	}
	for (size_t i = 0; i < (size_t)gw * gh; i++)
		g[i] = cnt[i] ? g[i] / cnt[i] : 0;
	free(cnt);
	free(col);
	return g;
}

/*
 * Mean |thumbnail - picture| / 255 with the picture (as the reduced grid
 * g of gw x gh boxes) placed at x0, y0 in thumbnail pixels, scale s
 * thumbnail pixels per picture pixel in each direction.  Each side's
 * mean is taken off first: cameras tone their thumbnails differently.
 */
static double
diff_in(const struct px_image *t, const float *g, int gw, int gh,
    const struct px_image *m, double x0, double y0, double sx, double sy)
{
	double sum[3] = { 0, 0, 0 }, mean_t = 0, mean_g = 0;
	long cnt = 0;

	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1 && cnt > 0) {
			mean_t = sum[0] / cnt;
			mean_g = sum[1] / cnt;
		}
		for (int y = 0; y < t->h; y++)
			for (int x = 0; x < t->w; x++) {
				double mx = (x + 0.5 - x0) / sx;
				double my = (y + 0.5 - y0) / sy, a, b;

				if (mx < 0 || my < 0 || mx >= m->w || my >= m->h)
					continue;
				a = t->lum[(size_t)y * t->w + x];
				b = g[(size_t)(my * gh / m->h) * gw +
				    (size_t)(mx * gw / m->w)];
				if (pass == 0) {
					sum[0] += a;
					sum[1] += b;
					cnt++;
				} else
					sum[2] += fabs(a - mean_t - b + mean_g);
			}
	}
	return cnt > (long)t->w * t->h / 4 ? sum[2] / cnt / 255 : 1;
}

/*
 * Cameras fit the picture into the thumbnail (with bars, or with the
 * rest of the sensor's field where the bars would be), fill it (a crop,
 * not always centred) or stretch it: the best of these, over every
 * offset, is the difference.  The picture is first averaged down to twice the
 * thumbnail's size, so fine texture does not count as a difference.
 */
static double
thumb_diff(const struct px_image *t, const struct px_image *m)
{
	int gw = t->w * 2 < m->w ? t->w * 2 : m->w;
	int gh = t->h * 2 < m->h ? t->h * 2 : m->h;
	float *g = reduce(m, gw, gh);
	double fit = fmin((double)t->w / m->w, (double)t->h / m->h);
	double fill = fmax((double)t->w / m->w, (double)t->h / m->h);
	double fx = t->w - m->w * fit, fy = t->h - m->h * fit, d;
	double cx = m->w * fill - t->w, cy = m->h * fill - t->h;

	if (g == NULL)
		return 0;
	d = diff_in(t, g, gw, gh, m, 0, 0, (double)t->w / m->w,
	    (double)t->h / m->h);
	for (double off = 0; off <= fmax(fx, fy) + 0.01; off += 1)
		d = fmin(d, diff_in(t, g, gw, gh, m, fx > fy ? off : 0,
		    fx > fy ? 0 : off, fit, fit));
	for (double off = 0; off <= fmax(cx, cy) + 0.01; off += 1)
		d = fmin(d, diff_in(t, g, gw, gh, m, cx > cy ? -off : 0,
		    cx > cy ? 0 : -off, fill, fill));
	free(g);
	return d;
}

static void
thumbnail(ExifData *ed, const struct px_image *main, struct meta_findings *mf)
{
	struct px_image t;
	char msg[200];
	double d;

	if (ed->data == NULL || ed->size == 0)
		return;
	if (decode_jpeg(ed->data, ed->size, &t, NULL, 1, msg, sizeof msg) == -1) {
		mf_fact(mf, "thumbnail", json_string(msg));
		return;
	}
	mf_fact(mf, "thumbnail", json_sprintf("%dx%d", t.w, t.h));
	image_lum(&t);	/* a thumbnail's is small; the picture's is not made */
	if (main != NULL && main->rgb != NULL && t.lum != NULL && t.w >= 8 &&
	    t.h >= 8) {
		d = thumb_diff(&t, main);
		mf_fact(mf, "thumbnail_difference", json_real(d));
		if (d > THUMB_MAX_DIFF)
			mf_add(mf, "exif.thumbnail", 3, json_pack("{s:f,s:i,"
			    "s:i}", "mean_abs_difference", d, "thumb_width",
			    t.w, "thumb_height", t.h), "the EXIF thumbnail "
			    "differs from the picture by %.0f%% on average "
			    "(more than %.0f%%): the picture was changed after "
			    "the thumbnail was written", d * 100,
			    THUMB_MAX_DIFF * 100);
	}
	image_free(&t);
}

void
exif_check(const unsigned char *buf, size_t len, const struct px_image *main,
    struct meta_findings *mf)
{
	ExifData *ed = exif_data_new();
	unsigned char *tmp = NULL;

	if (ed == NULL)
		return;
	exif_data_unset_option(ed, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
	exif_data_unset_option(ed, EXIF_DATA_OPTION_IGNORE_UNKNOWN_TAGS);
	/* libexif wants its "Exif\0\0" header; PNG's eXIf has none. */
	if (len < 6 || memcmp(buf, "Exif\0\0", 6) != 0) {
		if ((tmp = malloc(len + 6)) == NULL) {
			exif_data_unref(ed);
			return;
		}
		memcpy(tmp, "Exif\0\0", 6);
		memcpy(tmp + 6, buf, len);
		buf = tmp;
		len += 6;
	}
	exif_data_load_data(ed, buf, (unsigned int)len);
	software(ed, EXIF_TAG_SOFTWARE, "Software", mf);
	software(ed, TAG_PROCESSING_SOFTWARE, "ProcessingSoftware", mf);
	datetimes(ed, mf);
	makernote(ed, mf);
	thumbnail(ed, main, mf);
	exif_data_unref(ed);
	free(tmp);
}
