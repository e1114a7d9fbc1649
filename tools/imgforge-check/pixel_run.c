/*
 * Runs the pixel checks the user selected, through the detectors'
 * interface (pixel.h).  A detector that fails is named in the facts and
 * on standard error; the others still run.  local.mk defines IFC_HAVE_X
 * for each detector that is built; one that is not is named in the facts
 * as unavailable, never passed over in silence.
 */
#include "config.h"

#include <err.h>
#include <stdlib.h>

#include "imgforge.h"

static void
note(struct ifc_job *j, const char *key, const char *check)
{
	json_t *a = json_object_get(j->meta.facts, key);

	if (a == NULL) {
		a = json_array();
		json_object_set_new(j->meta.facts, key, a);
	}
	json_array_append_new(a, json_string(check));
}

static void
failed(struct ifc_job *j, const char *check)
{
	note(j, "failed_checks", check);
	warnx("'%s%s%s': the %s check failed", j->path, j->member ? "!" : "",
	    j->member ? j->member : "", check);
}

#ifndef IFC_HAVE_ZERO
#define px_zero(im, f, o)	(note(j, "unavailable_checks", "zero"), 0)
#endif
#ifndef IFC_HAVE_DQ
#define px_dq(pc, f, o)		(note(j, "unavailable_checks", "dq"), 0)
#endif
#ifndef IFC_HAVE_COPYMOVE
#define px_copymove(im, f, o)	(note(j, "unavailable_checks", "copymove"), 0)
#endif
#ifndef IFC_HAVE_NOISE
#define px_noise(im, f, o)	(note(j, "unavailable_checks", "noise"), 0)
#endif
#ifndef IFC_HAVE_ELA
#define px_ela(im, q, out)	(note(j, "unavailable_checks", "ela"), -2)
#endif

void
pixel_checks(struct ifc_job *j, const struct px_image *im,
    const struct px_coef *pc)
{
	struct px_opts po = { j->conf->log10_eps, j->conf->inner_threads };
	unsigned c = j->conf->checks;

	px_findings_init(&j->px, im->w, im->h);
	j->px_ok = true;
	if ((c & IFC_ZERO) && px_zero(im, &j->px, &po) == -1)
		failed(j, "zero");
	if ((c & IFC_DQ) && pc != NULL && px_dq(pc, &j->px, &po) == -1)
		failed(j, "dq");
	if ((c & IFC_COPYMOVE) && px_copymove(im, &j->px, &po) == -1)
		failed(j, "copymove");
	if ((c & IFC_NOISE) && px_noise(im, &j->px, &po) == -1)
		failed(j, "noise");
	if ((c & IFC_ELA) && j->conf->mapdir != NULL) {
		int rc = -1;

		j->ela = malloc((size_t)im->w * im->h * 3);
		if (j->ela == NULL || (rc = px_ela(im, 90, j->ela)) != 0) {
			free(j->ela);
			j->ela = NULL;
			if (rc == -1)
				failed(j, "ela");
		}
	}
}
