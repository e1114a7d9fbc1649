/*
 * Container and metadata findings: the list they go into, and the names
 * of the software that edits or re-encodes images, which several
 * metadata fields (EXIF Software, XMP CreatorTool, PNG text, COM) quote.
 */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imgforge.h"
#include "rec.h"

#define MF_MAX	64	/* findings kept per image */

void
mf_init(struct meta_findings *mf)
{
	memset(mf, 0, sizeof *mf);
	mf->facts = json_object();
}

void
mf_free(struct meta_findings *mf)
{
	for (size_t i = 0; i < mf->n; i++)
		json_decref(mf->v[i].detail);
	free(mf->v);
	json_decref(mf->facts);
	memset(mf, 0, sizeof *mf);
}

void
mf_add(struct meta_findings *mf, const char *check, int severity,
    json_t *detail, const char *fmt, ...)
{
	char why[512];
	va_list ap;

	if (detail == NULL)
		detail = json_object();
	/* A hostile file could repeat a clue a million times: say so once. */
	if (mf->n >= MF_MAX) {
		json_decref(detail);
		mf_fact(mf, "findings_dropped", json_integer(json_integer_value(
		    json_object_get(mf->facts, "findings_dropped")) + 1));
		return;
	}
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	/* Quoted evidence may hold any bytes: the record must stay UTF-8. */
	rec_set_text(detail, "why", why, strlen(why));
	if (mf->n == mf->cap) {
		size_t cap = mf->cap ? mf->cap * 2 : 8;
		struct meta_finding *v = realloc(mf->v, cap * sizeof *v);

		if (v == NULL) {
			json_decref(detail);
			return;
		}
		mf->v = v;
		mf->cap = cap;
	}
	snprintf(mf->v[mf->n].check, sizeof mf->v[mf->n].check, "%s", check);
	mf->v[mf->n].severity = severity;
	mf->v[mf->n].detail = detail;
	mf->n++;
}

void
mf_fact(struct meta_findings *mf, const char *key, json_t *value)
{
	if (mf->facts != NULL && value != NULL)
		json_object_set_new(mf->facts, key, value);
	else
		json_decref(value);
}

void
mf_note(struct meta_findings *mf, const char *fmt, ...)
{
	json_t *notes = json_object_get(mf->facts, "notes");
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (notes == NULL) {
		notes = json_array();
		json_object_set_new(mf->facts, "notes", notes);
	}
	json_array_append_new(notes, rec_string(buf, strlen(buf), &(bool){0}));
}

/*
 * Substrings, matched without case.  Editors can change what a picture
 * shows; converters only re-encode it (which still means it is not the
 * file a camera or phone wrote).
 */
static const struct {
	const char	*needle;
	const char	*name;
	int		 kind;
} software[] = {
	{ "lightroom",		"Adobe Lightroom",	2 },	/* before Photoshop */
	{ "photoshop",		"Adobe Photoshop",	2 },
	{ "adobe fireworks",	"Adobe Fireworks",	2 },
	{ "illustrator",	"Adobe Illustrator",	2 },
	{ "gimp",		"GIMP",			2 },
	{ "paint.net",		"Paint.NET",		2 },
	{ "paint shop pro",	"Paint Shop Pro",	2 },
	{ "paintshop",		"PaintShop Pro",	2 },
	{ "pixelmator",		"Pixelmator",		2 },
	{ "affinity photo",	"Affinity Photo",	2 },
	{ "snapseed",		"Snapseed",		2 },
	{ "picsart",		"PicsArt",		2 },
	{ "meitu",		"Meitu",		2 },
	{ "\xe7\xbe\x8e\xe5\x9b\xbe", "Meitu",		2 },	/* 美图 */
	{ "mtxx",		"Meitu",		2 },
	{ "\xe9\x86\x92\xe5\x9b\xbe", "Xingtu",	2 },	/* 醒图 */
	{ "hypic",		"Xingtu",		2 },
	{ "canva",		"Canva",		2 },
	{ "fotor",		"Fotor",		2 },
	{ "photopea",		"Photopea",		2 },
	{ "corel",		"Corel",		2 },
	{ "acdsee",		"ACDSee",		2 },
	{ "acd systems",	"ACDSee",		2 },
	{ "fixfoto",		"FixFoto",		2 },
	{ "stereophoto maker",	"StereoPhoto Maker",	1 },
	{ "krita",		"Krita",		2 },
	{ "capture one",	"Capture One",		2 },
	{ "luminar",		"Luminar",		2 },
	{ "facetune",		"Facetune",		2 },
	{ "inpaint",		"Inpaint",		2 },
	{ "photoscape",		"PhotoScape",		2 },
	{ "photodirector",	"PhotoDirector",	2 },
	{ "polarr",		"Polarr",		2 },
	{ "vsco",		"VSCO",			2 },
	{ "imagemagick",	"ImageMagick",		1 },
	{ "graphicsmagick",	"GraphicsMagick",	1 },
	{ "libvips",		"libvips",		1 },
	{ "gd-jpeg",		"GD",			1 },
	{ "lead technologies",	"LEADTOOLS",		1 },
	{ "picasa",		"Picasa",		1 },
	{ "windows photo",	"Windows Photo Viewer",	1 },
	{ "irfanview",		"IrfanView",		1 },
	{ "xnview",		"XnView",		1 },
	{ "digital photo professional", "Canon Digital Photo Professional", 1 },
	{ "capture nx",		"Nikon Capture NX",	1 },
	{ "ufraw",		"UFRaw",		1 },
	{ "darktable",		"darktable",		2 },
	{ "rawtherapee",	"RawTherapee",		2 },
};

static bool
has_ci(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = 0; i + n <= len; i++) {
		size_t k = 0;

		while (k < n && tolower((unsigned char)s[i + k]) ==
		    (unsigned char)needle[k])
			k++;
		if (k == n)
			return true;
	}
	return false;
}

int
software_kind(const char *s, size_t len, const char **name)
{
	for (size_t i = 0; i < sizeof software / sizeof software[0]; i++)
		if (has_ci(s, len, software[i].needle)) {
			if (name != NULL)
				*name = software[i].name;
			return software[i].kind;
		}
	if (name != NULL)
		*name = NULL;
	return 0;
}
