/*
 * Fuzzes imgforge-check's decoders on any bytes: JPEG through
 * libjpeg-turbo (pixels and the luminance DCT coefficients) and PNG
 * through libpng, with their error handlers.  Properties, each an abort
 * when broken: a decode either fails with a message or gives an image of
 * the declared size whose luminance lies in 0..255, and coefficients
 * covering it.  Pictures declaring more than 4 megapixels are skipped
 * (the tool's own limit is 100; the fuzzer needs speed, not memory).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-harness.h"
#include "imgforge.h"

int	LLVMFuzzerTestOneInput(const unsigned char *, size_t);

#define MAX_FUZZ_PIXELS	(4L << 20)

/* The tool makes the luminance only for an EXIF thumbnail: made here. */
static void
check_image(struct px_image *im)
{
	CHECK(im->w > 0 && im->h > 0 && im->rgb != NULL);
	image_lum(im);
	if (im->lum == NULL)
		return;
	for (size_t i = 0; i < (size_t)im->w * im->h; i++)
		CHECK(im->lum[i] >= 0 && im->lum[i] <= 255.5f);
}

static void
jpeg(const unsigned char *data, size_t size)
{
	struct meta_findings mf;
	struct jpeg_info ji;
	struct px_image im;
	struct px_coef pc;
	char msg[256] = "";

	mf_init(&mf);
	jpeg_markers(data, size, &ji, &mf);
	mf_free(&mf);
	if ((long)ji.width * ji.height > MAX_FUZZ_PIXELS)
		return;
	if (decode_jpeg(data, size, &im, &pc, 2, msg, sizeof msg) == -1) {
		CHECK(msg[0] != '\0');
		return;
	}
	check_image(&im);
	CHECK(pc.bw * 8 >= im.w / 2 && pc.bh * 8 >= im.h / 2 && pc.coef);
	image_free(&im);
	coef_free(&pc);
}

static void
png(const unsigned char *data, size_t size)
{
	struct px_image im;
	char msg[256] = "";
	unsigned long w, h;

	if (size < 24)
		return;
	w = (unsigned long)data[16] << 24 | data[17] << 16 | data[18] << 8 | data[19];
	h = (unsigned long)data[20] << 24 | data[21] << 16 | data[22] << 8 | data[23];
	if ((double)w * h > MAX_FUZZ_PIXELS)
		return;
	if (decode_png(data, size, &im, msg, sizeof msg) == -1) {
		CHECK(msg[0] != '\0');
		return;
	}
	check_image(&im);
	CHECK((unsigned long)im.w == w && (unsigned long)im.h == h);
	image_free(&im);
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	if (size >= 2 && data[0] == 0xff && data[1] == 0xd8)
		jpeg(data, size);
	else if (size >= 8 && memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0)
		png(data, size);
	return 0;
}
