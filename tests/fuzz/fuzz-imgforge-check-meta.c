/*
 * Fuzzes imgforge-check's container parsers on any bytes: the JPEG marker
 * walk (APPn, COM, DQT, SOF, APP13 resources, XMP, data after EOI), the
 * EXIF reader through libexif (with its thumbnail decoded), the
 * quantisation-table classifier, the PNG chunk walk (CRC, text, tIME,
 * eXIf, iCCP) and the XMP reader.  Properties, each an abort when broken:
 * every finding has a severity from 1 to 3 and a "why", and the findings
 * and facts serialise to JSON.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fuzz-harness.h"
#include "imgforge.h"

int	LLVMFuzzerTestOneInput(const unsigned char *, size_t);

static void
check_findings(struct meta_findings *mf)
{
	char *s;

	for (size_t i = 0; i < mf->n; i++) {
		CHECK(mf->v[i].severity >= 1 && mf->v[i].severity <= 3);
		CHECK(json_string_value(json_object_get(mf->v[i].detail,
		    "why")) != NULL);
		s = json_dumps(mf->v[i].detail, JSON_COMPACT);
		CHECK(s != NULL);
		free(s);
	}
	s = json_dumps(mf->facts, JSON_COMPACT);
	CHECK(s != NULL);
	free(s);
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct meta_findings mf;
	struct jpeg_info ji;
	char msg[256];

	mf_init(&mf);
	if (jpeg_markers(data, size, &ji, &mf) == 0) {
		if (ji.exif != NULL)
			exif_check(ji.exif, ji.exiflen, NULL, &mf);
		dqt_check(&ji, &mf);
	} else if (png_meta(data, size, &mf, msg, sizeof msg) == -1)
		CHECK(msg[0] != '\0');
	else if (size > 0 && data[0] == '<')
		xmp_check((const char *)data, size, &mf);
	else
		exif_check(data, size, NULL, &mf);
	name_check("fuzz/mmexport1700000000000.png", NULL, "image/jpeg", &mf);
	check_findings(&mf);
	mf_free(&mf);
	return 0;
}
