/*
 * PNG chunks (ISO/IEC 15948, PNG 3rd edition for eXIf): the walk checks
 * every CRC, then reads what tells of the software that wrote the file:
 * text chunks (Software, Comment, an XMP packet), tIME, eXIf, iCCP, and
 * data after IEND.  A phone screenshot carries none of the editor clues.
 * It works on a memory buffer and trusts no length it reads.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "imgforge.h"
#include "rec.h"

#define MAX_KEYS	32

static unsigned long
be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 |
	    (unsigned long)p[2] << 8 | p[3];
}

static unsigned long
crc32(const unsigned char *p, size_t n)
{
	static unsigned long table[256];
	static bool ready;
	unsigned long c = 0xffffffffUL;

	if (!ready) {	/* idempotent: racing threads write the same values */
		for (unsigned long i = 0; i < 256; i++) {
			unsigned long v = i;

			for (int k = 0; k < 8; k++)
				v = v & 1 ? 0xedb88320UL ^ (v >> 1) : v >> 1;
			table[i] = v;
		}
		ready = true;
	}
	for (size_t i = 0; i < n; i++)
		c = table[(c ^ p[i]) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffUL;
}

static json_t *
text(const unsigned char *s, size_t n)
{
	bool lossy;

	return rec_string((const char *)s, n > 200 ? 200 : n, &lossy);
}

static void
software_text(const char *key, const unsigned char *v, size_t n,
    struct meta_findings *mf)
{
	const char *name;
	int kind = software_kind((const char *)v, n, &name);

	if (kind == 0)
		return;
	mf_add(mf, "png.text.software", kind, json_pack("{s:s,s:o,s:s}", "key",
	    key, "value", text(v, n), "software", name), "PNG text '%s' names "
	    "%s %s", key, kind == 2 ? "the image editor" : "the converter",
	    name);
}

/*
 * tEXt: key NUL text.  iTXt: key NUL flag method lang NUL tkey NUL text.
 * zTXt text is compressed: only its key is read.
 */
static void
text_chunk(const char *type, const unsigned char *d, size_t n, json_t *keys,
    struct meta_findings *mf)
{
	const unsigned char *nul = memchr(d, 0, n > 80 ? 80 : n), *v = NULL;
	char key[80];
	size_t vn = 0;

	if (nul == NULL)
		return;
	snprintf(key, sizeof key, "%.*s", (int)(nul - d), (const char *)d);
	if (json_array_size(keys) < MAX_KEYS)
		json_array_append_new(keys, text((const unsigned char *)key,
		    strlen(key)));
	if (strcmp(type, "tEXt") == 0) {
		v = nul + 1;
		vn = n - (size_t)(v - d);
	} else if (strcmp(type, "iTXt") == 0 && (size_t)(nul - d) + 3 < n &&
	    nul[1] == 0) {
		const unsigned char *p = nul + 3, *end = d + n;

		for (int i = 0; i < 2 && p != NULL; i++) {
			p = memchr(p, 0, (size_t)(end - p));
			p = p ? p + 1 : NULL;
		}
		if (p != NULL) {
			v = p;
			vn = (size_t)(end - p);
		}
	}
	if (v == NULL)
		return;
	if (strcmp(key, "XML:com.adobe.xmp") == 0)
		xmp_check((const char *)v, vn, mf);
	else if (strcmp(key, "Software") == 0 || strcmp(key, "Comment") == 0 ||
	    strcmp(key, "Description") == 0 || strcmp(key, "Source") == 0)
		software_text(key, v, vn, mf);
}

static void
time_chunk(const unsigned char *d, size_t n, struct meta_findings *mf)
{
	char t[32];

	if (n != 7)
		return;
	snprintf(t, sizeof t, "%04u-%02u-%02uT%02u:%02u:%02uZ",
	    (unsigned)(d[0] << 8 | d[1]), d[2], d[3], d[4], d[5], d[6]);
	mf_add(mf, "png.time", 1, json_pack("{s:s}", "time", t), "tIME "
	    "records a last modification at %s: written by an editor or "
	    "converter, not by a phone's screenshot", t);
}

static void
iccp_chunk(const unsigned char *d, size_t n, struct meta_findings *mf)
{
	const unsigned char *nul = memchr(d, 0, n > 80 ? 80 : n);
	const char *name;
	int kind;

	if (nul == NULL)
		return;
	mf_fact(mf, "icc_profile", text(d, (size_t)(nul - d)));
	kind = software_kind((const char *)d, (size_t)(nul - d), &name);
	if (kind > 0)
		mf_add(mf, "png.iccp", kind, json_pack("{s:o}", "profile",
		    text(d, (size_t)(nul - d))), "iCCP profile name names %s",
		    name);
}

static void
chunk(const char *type, const unsigned char *d, size_t n, json_t *keys,
    struct meta_findings *mf)
{
	if (strcmp(type, "tEXt") == 0 || strcmp(type, "iTXt") == 0 ||
	    strcmp(type, "zTXt") == 0)
		text_chunk(type, d, n, keys, mf);
	else if (strcmp(type, "tIME") == 0)
		time_chunk(d, n, mf);
	else if (strcmp(type, "eXIf") == 0)
		exif_check(d, n, NULL, mf);
	else if (strcmp(type, "iCCP") == 0)
		iccp_chunk(d, n, mf);
	else if (strcmp(type, "pHYs") == 0 && n == 9 && d[8] == 1)
		mf_fact(mf, "dpi", json_integer((json_int_t)(be32(d) *
		    0.0254 + 0.5)));
}

static int
walk(const unsigned char *b, size_t len, struct meta_findings *mf,
    json_t *keys, char *msg, size_t msglen)
{
	size_t pos = 8;

	while (pos + 12 <= len) {
		unsigned long n = be32(b + pos);
		char type[5];

		memcpy(type, b + pos + 4, 4);
		type[4] = '\0';
		if (n > 0x7fffffffUL || n > len - pos - 12) {
			snprintf(msg, msglen, "truncated PNG chunk at offset %zu",
			    pos);
			return -1;
		}
		if (crc32(b + pos + 4, n + 4) != be32(b + pos + 8 + n)) {
			snprintf(msg, msglen, "bad CRC in PNG chunk '%s' at "
			    "offset %zu", type, pos);
			return -1;
		}
		chunk(type, b + pos + 8, n, keys, mf);
		pos += 12 + n;
		if (strcmp(type, "IEND") == 0) {
			if (pos < len)
				mf_add(mf, "png.trailer", 2, json_pack("{s:I,"
				    "s:I}", "offset", (json_int_t)pos, "bytes",
				    (json_int_t)(len - pos)), "%zu bytes of "
				    "data after IEND", len - pos);
			return 0;
		}
	}
	snprintf(msg, msglen, "truncated PNG: no IEND chunk");
	return -1;
}

int
png_meta(const unsigned char *b, size_t len, struct meta_findings *mf,
    char *msg, size_t msglen)
{
	json_t *keys = json_array();
	int rc;

	if (len < 8 || memcmp(b, "\x89PNG\r\n\x1a\n", 8) != 0) {
		snprintf(msg, msglen, "not a PNG");
		json_decref(keys);
		return -1;
	}
	rc = walk(b, len, mf, keys, msg, msglen);
	if (json_array_size(keys) > 0)
		mf_fact(mf, "png_text_keys", keys);
	else
		json_decref(keys);
	return rc;
}
