/*
 * The report for one image: an `image` record in --json mode, otherwise
 * a line "path[!member]: verdict" followed by one indented line per
 * finding saying why and where.  Pixel findings that are not detections
 * (the facts a detector measured) are shown only with -v.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imgforge.h"
#include "rec.h"

static json_t *
region(const int r[4])
{
	return json_pack("[i,i,i,i]", r[0], r[1], r[2], r[3]);
}

/* JSON has no infinity: an underflowed NFA is reported as a bound. */
static double
clampf(double v)
{
	if (isnan(v))
		return 0;
	return v < -1e6 ? -1e6 : v > 1e6 ? 1e6 : v;
}

static json_t *
findings(const struct ifc_job *j)
{
	json_t *a = json_array();

	for (size_t i = 0; i < j->meta.n; i++)
		json_array_append_new(a, json_pack("{s:s,s:i,s:O}", "check",
		    j->meta.v[i].check, "severity", j->meta.v[i].severity,
		    "detail", j->meta.v[i].detail));
	for (size_t i = 0; j->px_ok && i < j->px.n; i++) {
		const struct px_finding *f = &j->px.v[i];
		json_t *o = json_pack("{s:s,s:f,s:b}", "check", f->check,
		    "log10_nfa", clampf(f->log10_nfa), "detection",
		    px_detects(f, j->conf->log10_eps));

		if (f->region[2] > 0)
			json_object_set_new(o, "region", region(f->region));
		if (f->detail != NULL)
			json_object_set(o, "detail", f->detail);
		json_array_append_new(a, o);
	}
	return a;
}

static void
emit_json(struct rec_out *ro, const struct ifc_job *j)
{
	json_t *r = rec_new("image");

	rec_set_input(r, j->path, j->member);
	json_object_set_new(r, "sha256", json_string(j->sha256));
	json_object_set_new(r, "size", json_integer((json_int_t)j->len));
	rec_set_str(r, "mime", j->mime);
	json_object_set_new(r, "format", json_string(j->format));
	json_object_set_new(r, "width", json_integer(j->w));
	json_object_set_new(r, "height", json_integer(j->h));
	json_object_set_new(r, "verdict", json_string(verdict_name(j->verdict)));
	json_object_set_new(r, "findings", findings(j));
	json_object_set(r, "facts", j->meta.facts);
	if (j->mask_path)
		rec_set_str(r, "mask", j->mask_path);
	if (j->overlay_path)
		rec_set_str(r, "overlay", j->overlay_path);
	if (j->ela_path)
		rec_set_str(r, "ela", j->ela_path);
	rec_emit(ro, r);
}

/* What a pixel detection means, for the human report. */
static const char *
px_why(const char *check)
{
	static const struct {
		const char *check, *why;
	} whys[] = {
		{ "jpeg.grid.foreign", "a region whose JPEG grid is not the "
		    "picture's: pasted from another JPEG, or shifted" },
		{ "jpeg.grid.missing", "a region without the JPEG grid of the "
		    "rest: content pasted after the picture was compressed" },
		{ "jpeg.dq.single", "blocks compressed once inside a picture "
		    "compressed twice: pasted into it before the last save" },
		{ "copymove", "a region copied from elsewhere in the picture" },
		{ "copymove.cross", "a region whose pixels are also in another "
		    "picture of this run" },
		{ "noise.low", "noise lower than the rest of the picture at the "
		    "same brightness: painted or pasted" },
		{ "noise.high", "noise higher than the rest of the picture at "
		    "the same brightness: pasted" },
	};

	for (size_t i = 0; i < sizeof whys / sizeof whys[0]; i++)
		if (strcmp(check, whys[i].check) == 0)
			return whys[i].why;
	return NULL;
}

static void
print_px(const struct ifc_job *j, const struct px_finding *f, bool det)
{
	const char *why = json_string_value(json_object_get(f->detail, "why"));

	if (why == NULL && det)
		why = px_why(f->check);
	printf("  %s (log10 NFA %.1f%s)", f->check, clampf(f->log10_nfa),
	    det ? "" : ", not a detection");
	if (f->region[2] > 0)
		printf(" at %d,%d %dx%d", f->region[0], f->region[1],
		    f->region[2], f->region[3]);
	if (why != NULL)
		printf(": %s", why);
	putchar('\n');
	(void)j;
}

/* The verdict in colour on a terminal, unless NO_COLOR is set. */
static void
print_verdict(enum ifc_verdict v)
{
	static int colour = -1;

	if (colour == -1)
		colour = isatty(STDOUT_FILENO) && getenv("NO_COLOR") == NULL;
	if (colour && v != V_NONE)
		printf("\033[%sm%s\033[0m\n", v == V_FORGED ? "1;31" : "33",
		    verdict_name(v));
	else
		printf("%s\n", verdict_name(v));
}

static void
emit_text(const struct ifc_job *j, int verbose)
{
	json_t *notes = json_object_get(j->meta.facts, "notes"), *n;
	size_t k;

	printf("%s%s%s: ", j->path, j->member ? "!" : "",
	    j->member ? j->member : "");
	print_verdict(j->verdict);
	for (size_t i = 0; i < j->meta.n; i++)
		printf("  %s (severity %d): %s\n", j->meta.v[i].check,
		    j->meta.v[i].severity, json_string_value(json_object_get(
		    j->meta.v[i].detail, "why")));
	for (size_t i = 0; j->px_ok && i < j->px.n; i++) {
		bool det = px_detects(&j->px.v[i], j->conf->log10_eps);

		if (det || verbose > 0)
			print_px(j, &j->px.v[i], det);
	}
	json_array_foreach(notes, k, n)
		printf("  note: %s\n", json_string_value(n));
	if (j->mask_path)
		printf("  mask: %s\n", j->mask_path);
	if (j->overlay_path)
		printf("  overlay: %s\n", j->overlay_path);
	if (j->ela_path)
		printf("  ela: %s\n", j->ela_path);
}

void
report(struct rec_out *ro, const struct ifc_job *j, bool json, int verbose)
{
	if (j->err[0] != '\0') {
		rec_error_in(ro, j->path, j->member, "%s", j->err);
		return;
	}
	if (json)
		emit_json(ro, j);
	else
		emit_text(j, verbose);
	if (j->maperr[0] != '\0')
		rec_error_in(ro, j->path, j->member, "%s", j->maperr);
}
