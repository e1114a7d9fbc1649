/*
 * The JPEG marker walk (ITU T.81 Annex B): every segment up to EOI and
 * whatever follows it.  Editors leave traces here that cameras do not:
 * Photoshop's APP13 resources, Adobe's APP14, comments naming the
 * encoder, an XMP packet with an edit history, data after EOI.  The walk
 * works on a memory buffer and trusts no length it reads.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "imgforge.h"
#include "rec.h"

/* Position k of the zigzag sequence holds natural index zigzag[k]. */
static const unsigned char zigzag[64] = {
	 0,  1,  8, 16,  9,  2,  3, 10, 17, 24, 32, 25, 18, 11,  4,  5,
	12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13,  6,  7, 14, 21, 28,
	35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
	58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63
};

static unsigned
be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static unsigned long
be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 |
	    (unsigned long)p[2] << 8 | p[3];
}

static bool
starts(const unsigned char *p, size_t len, const char *s, size_t n)
{
	return len >= n && memcmp(p, s, n) == 0;
}

static void
parse_dqt(const unsigned char *p, size_t len, struct jpeg_info *ji)
{
	size_t pos = 0;
	bool first = true;

	while (pos < len) {
		int pq = p[pos] >> 4, tq = p[pos] & 15;
		size_t n = pq ? 128 : 64;

		if (tq > 3 || pos + 1 + n > len)
			return;
		if (first) {
			ji->dqt[tq].seg = p;
			ji->dqt[tq].len = len;
			first = false;
		}
		for (int k = 0; k < 64; k++)
			ji->qt[tq][zigzag[k]] = pq ? be16(p + pos + 1 + 2 * k) :
			    p[pos + 1 + k];
		ji->has_qt[tq] = true;
		pos += 1 + n;
	}
}

static void
parse_sof(int m, const unsigned char *p, size_t len, struct jpeg_info *ji)
{
	if (ji->sof != 0 || len < 6)
		return;
	ji->sof = m;
	ji->height = (int)be16(p + 1);
	ji->width = (int)be16(p + 3);
	ji->ncomp = p[5];
	for (int i = 0; i < ji->ncomp && i < 4 && (size_t)(9 + 3 * i) <= len; i++) {
		ji->comp_id[i] = p[6 + 3 * i];
		ji->comp_samp[i] = p[7 + 3 * i];
		ji->comp_tq[i] = p[8 + 3 * i] & 3;
	}
	if (ji->ncomp > 4)
		ji->ncomp = 4;
}

/* Photoshop image resources: "8BIM", id, Pascal name (even), size, data (even). */
static void
parse_app13(const unsigned char *p, size_t len, struct meta_findings *mf)
{
	json_t *ids = json_array(), *d = json_object();
	size_t pos = 14;
	bool quality = false, iptc = false;

	while (pos + 12 <= len && memcmp(p + pos, "8BIM", 4) == 0) {
		unsigned id = be16(p + pos + 4);
		size_t nl = p[pos + 6], skip = (1 + nl + 1) & ~(size_t)1;
		unsigned long sz;

		if (pos + 6 + skip + 4 > len)
			break;
		sz = be32(p + pos + 6 + skip);
		if (json_array_size(ids) < 64)
			json_array_append_new(ids, json_sprintf("0x%04x", id));
		if (id == 0x0406 && sz >= 2 && pos + 10 + skip + 2 <= len) {
			int q = (int16_t)be16(p + pos + 10 + skip);

			quality = true;
			json_object_set_new(d, "photoshop_quality",
			    json_integer(q + 4));
		}
		if (id == 0x0404 || id == 0x0425)
			iptc = true;
		if (sz > len - (pos + 10 + skip))
			break;
		pos += 10 + skip + ((sz + 1) & ~1UL);
	}
	json_object_set_new(d, "resources", ids);
	if (quality)
		mf_add(mf, "jpeg.app13.photoshop", 2, d, "APP13 Photoshop 3.0 "
		    "resources hold a JPEG save-quality record (0x0406): saved "
		    "by Adobe Photoshop");
	else
		mf_add(mf, "jpeg.app13.photoshop", 1, d, "APP13 Photoshop 3.0 "
		    "resources%s: written by an editor or cataloguing tool, not "
		    "a camera", iptc ? " with IPTC data" : "");
}

/*
 * APP14 "Adobe": libjpeg writes it for CMYK, YCCK and RGB pictures,
 * where it is needed; Adobe's encoders write it for YCbCr too
 * (transform 1), where nothing else does.
 */
static void
app14(const unsigned char *p, size_t len, const struct jpeg_info *ji,
    struct meta_findings *mf)
{
	int transform = len >= 12 ? p[11] : -1;
	json_t *d = json_pack("{s:i,s:i}", "version", len >= 7 ?
	    (int)be16(p + 5) : -1, "transform", transform);

	if (ji->ncomp != 3 || transform != 1) {
		mf_fact(mf, "app14_adobe", d);
		return;
	}
	mf_add(mf, "jpeg.app14.adobe", 1, d, "APP14 Adobe segment on a YCbCr "
	    "picture: encoded by Adobe software, not by libjpeg or a camera");
}

static void
parse_com(const unsigned char *p, size_t len, struct meta_findings *mf)
{
	const char *name;
	int kind = software_kind((const char *)p, len, &name);
	json_t *d = json_object();
	size_t n = len > 200 ? 200 : len;

	rec_set_text(d, "comment", (const char *)p, n);
	if (kind == 0) {
		mf_fact(mf, "comment", json_deep_copy(json_object_get(d,
		    "comment")));
		json_decref(d);
		return;
	}
	json_object_set_new(d, "software", json_string(name));
	mf_add(mf, "jpeg.com", kind, d, "COM marker names %s %s", kind == 2 ?
	    "the image editor" : "the encoder", name);
}

/* The identifier at the start of an APPn payload, for the facts. */
static json_t *
app_name(int m, const unsigned char *p, size_t len)
{
	char id[40];
	size_t n = 0;

	while (n < len && n < 32 && p[n] >= 0x20 && p[n] < 0x7f)
		n++;
	snprintf(id, sizeof id, "APP%d %.*s", m - 0xe0, (int)n, (const char *)p);
	return json_string(id);
}

#define XMP_NS	"http://ns.adobe.com/xap/1.0/"

static void
parse_app(int m, const unsigned char *p, size_t len, struct jpeg_info *ji,
    struct meta_findings *mf, json_t *apps)
{
	if (json_array_size(apps) < 64)
		json_array_append_new(apps, app_name(m, p, len));
	if (m == 0xe1 && starts(p, len, "Exif\0\0", 6) && ji->exif == NULL) {
		ji->exif = p;
		ji->exiflen = len;
	} else if (m == 0xe1 && starts(p, len, XMP_NS, sizeof XMP_NS))
		xmp_check((const char *)p + sizeof XMP_NS, len - sizeof XMP_NS,
		    mf);
	else if (m == 0xe2 && starts(p, len, "MPF\0", 4))
		ji->mpf = true;
	else if (m == 0xed && starts(p, len, "Photoshop 3.0\0", 14))
		parse_app13(p, len, mf);
	else if (m == 0xee && starts(p, len, "Adobe", 5) && ji->app14 == NULL) {
		ji->app14 = p;
		ji->app14len = len;
	}
}

/* Skips entropy-coded data: returns the offset of the next real marker. */
static size_t
skip_scan(const unsigned char *b, size_t len, size_t pos)
{
	while (pos + 1 < len) {
		if (b[pos] != 0xff) {
			pos++;
			continue;
		}
		if (b[pos + 1] == 0x00 || b[pos + 1] == 0xff ||
		    (b[pos + 1] >= 0xd0 && b[pos + 1] <= 0xd7)) {
			pos += b[pos + 1] == 0xff ? 1 : 2;
			continue;
		}
		return pos;
	}
	return len;
}

static bool
all_padding(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != 0 && p[i] != 0xff)
			return false;
	return true;
}

static void
trailer(const unsigned char *b, size_t len, const struct jpeg_info *ji,
    struct meta_findings *mf)
{
	const unsigned char *t = b + ji->eoi_end;
	size_t n = len - ji->eoi_end;
	json_t *d;

	if (n == 0 || all_padding(t, n))
		return;
	/* A few stray bytes (some camera firmware) can hide nothing. */
	if (n < 16 && !(n >= 2 && t[0] == 0xff && t[1] == 0xd8)) {
		mf_fact(mf, "trailer_bytes", json_integer((json_int_t)n));
		return;
	}
	if (n >= 2 && t[0] == 0xff && t[1] == 0xd8 && ji->mpf) {
		mf_fact(mf, "mpf_trailer_bytes", json_integer((json_int_t)n));
		return;
	}
	/* Samsung phones append an "SEF" trailer of their own. */
	if (n >= 8 && memcmp(t + n - 4, "SEFT", 4) == 0) {
		mf_fact(mf, "samsung_trailer_bytes", json_integer((json_int_t)n));
		return;
	}
	d = json_pack("{s:I,s:I}", "offset", (json_int_t)ji->eoi_end,
	    "bytes", (json_int_t)n);
	if (n >= 2 && t[0] == 0xff && t[1] == 0xd8)
		mf_add(mf, "jpeg.soi.extra", 2, d, "a second JPEG (SOI) follows "
		    "EOI at offset %zu without an MPF index", ji->eoi_end);
	else
		mf_add(mf, "jpeg.trailer", 2, d, "%zu bytes of data after EOI at "
		    "offset %zu", n, ji->eoi_end);
}

static void
segment(int m, const unsigned char *p, size_t plen, struct jpeg_info *ji,
    struct meta_findings *mf, json_t *apps)
{
	if (m >= 0xe0 && m <= 0xef)
		parse_app(m, p, plen, ji, mf, apps);
	else if (m == 0xfe)
		parse_com(p, plen, mf);
	else if (m == 0xdb)
		parse_dqt(p, plen, ji);
	else if (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 &&
	    m != 0xcc)
		parse_sof(m, p, plen, ji);
}

int
jpeg_markers(const unsigned char *b, size_t len, struct jpeg_info *ji,
    struct meta_findings *mf)
{
	json_t *apps = json_array();
	size_t pos = 2;

	memset(ji, 0, sizeof *ji);
	if (len < 4 || b[0] != 0xff || b[1] != 0xd8) {
		json_decref(apps);
		return -1;
	}
	while (pos + 1 < len) {
		int m;
		size_t seglen;

		if (b[pos] != 0xff) {	/* garbage between segments */
			pos = skip_scan(b, len, pos);
			continue;
		}
		while (pos < len && b[pos] == 0xff)
			pos++;
		if (pos >= len)
			break;
		m = b[pos++];
		if (m == 0xd9) {
			ji->eoi_end = pos;
			break;
		}
		if (m == 0xd8) {
			mf_add(mf, "jpeg.soi.extra", 2, json_pack("{s:I}",
			    "offset", (json_int_t)pos - 2), "a second SOI "
			    "marker inside the image at offset %zu", pos - 2);
			continue;
		}
		if ((m >= 0xd0 && m <= 0xd7) || m == 0x01 || m == 0)
			continue;
		if (pos + 2 > len || (seglen = be16(b + pos)) < 2 ||
		    pos + seglen > len)
			break;	/* truncated: the decoder will say so */
		segment(m, b + pos + 2, seglen - 2, ji, mf, apps);
		pos += seglen;
		if (m == 0xda)
			pos = skip_scan(b, len, pos);
	}
	mf_fact(mf, "segments", apps);
	if (ji->app14 != NULL)
		app14(ji->app14, ji->app14len, ji, mf);
	if (ji->eoi_end)
		trailer(b, len, ji, mf);
	return 0;
}
