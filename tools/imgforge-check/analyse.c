/*
 * One image through the checks, on a worker thread: the container and
 * metadata first (they need no pixels), then the decode, the EXIF
 * thumbnail against the pixels, the pixel checks, the maps and the
 * verdict.  Anything that is not a JPEG or a PNG is unsupported.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imgforge.h"

static const char *
sniff(const unsigned char *b, size_t len)
{
	if (len >= 3 && b[0] == 0xff && b[1] == 0xd8 && b[2] == 0xff)
		return "jpeg";
	if (len >= 8 && memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "png";
	return NULL;
}

static void
finish(struct ifc_job *j, struct px_image *im)
{
	j->w = im->w;
	j->h = im->h;
	/* copy-move made the summary from its keypoints, unless it could not */
	if (j->conf->cross && (j->conf->checks & IFC_COPYMOVE) &&
	    j->cross == NULL) {
		struct px_opts po = { .log10_eps = j->conf->log10_eps,
		    .threads = j->conf->inner_threads };

		j->cross = px_cross_keys(im, &po);
	}
	if (j->conf->checks & IFC_META)
		name_check(j->path, j->member, strcmp(j->format, "jpeg") == 0 ?
		    "image/jpeg" : "image/png", &j->meta);
	j->verdict = verdict(j);
	if (j->conf->mapdir != NULL)
		maps_write(j, im, j->maperr, sizeof j->maperr);
}

static void
analyse_jpeg(struct ifc_job *j)
{
	unsigned c = j->conf->checks;
	struct meta_findings scratch, *mf = (c & IFC_META) ? &j->meta : &scratch;
	struct jpeg_info ji;
	struct px_image im;
	struct px_coef pc;
	bool want_coef = (c & IFC_DQ) != 0;

	PX_T0(t0);
	mf_init(&scratch);
	jpeg_markers(j->buf, j->len, &ji, mf);
	if (decode_jpeg(j->buf, j->len, &im, want_coef ? &pc : NULL,
	    j->conf->inner_threads, j->err, sizeof j->err) == -1) {
		mf_free(&scratch);
		return;
	}
	PX_TDONE("markers+decode", t0);
	if (want_coef)
		pc.img = &im;	/* lets px_dq leave out clipped blocks */
	PX_T0(t2);
	/* the EXIF and DQT checks too, beside the detectors (ji reads buf) */
	pixel_checks(j, &im, want_coef ? &pc : NULL, &ji);
	PX_TDONE("pixel_checks", t2);
	/* The buffer is no longer needed: keep memory to one copy per image. */
	free(j->buf);
	j->buf = NULL;
	PX_T0(t3);
	finish(j, &im);
	mf_free(&scratch);
	image_free(&im);
	PX_TDONE("finish+free", t3);
	if (want_coef)
		coef_free(&pc);
}

static void
analyse_png(struct ifc_job *j)
{
	unsigned c = j->conf->checks;
	struct meta_findings scratch, *mf = (c & IFC_META) ? &j->meta : &scratch;
	struct px_image im;

	mf_init(&scratch);
	if (png_meta(j->buf, j->len, mf, j->err, sizeof j->err) == -1 ||
	    decode_png(j->buf, j->len, &im, j->err, sizeof j->err) == -1) {
		mf_free(&scratch);
		return;
	}
	free(j->buf);
	j->buf = NULL;
	pixel_checks(j, &im, NULL, NULL);
	finish(j, &im);
	mf_free(&scratch);
	image_free(&im);
}

void
analyse(struct ifc_job *j)
{
	mf_init(&j->meta);
	j->format = sniff(j->buf, j->len);
	if (j->format == NULL) {
		j->unsupported = true;
		snprintf(j->err, sizeof j->err, "unsupported file type %s: "
		    "only JPEG and PNG are analysed", j->mime);
	} else if (strcmp(j->format, "jpeg") == 0)
		analyse_jpeg(j);
	else
		analyse_png(j);
	free(j->buf);
	j->buf = NULL;
}

void
job_free(struct ifc_job *j)
{
	free(j->path);
	free(j->member);
	free(j->buf);
	mf_free(&j->meta);
	if (j->px_ok)
		px_findings_free(&j->px);
	free(j->ela);
	free(j->mask_path);
	free(j->overlay_path);
	free(j->ela_path);
	px_cross_free(j->cross);
	free(j);
}
