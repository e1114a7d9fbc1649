/*
 * Runs the pixel checks the user selected, through the detectors'
 * interface (pixel.h).  A detector that fails is named in the facts and
 * on standard error; the others still run.
 */
#include "config.h"

#include <err.h>
#include <stdlib.h>

#include "imgforge.h"

static void
failed(struct ifc_job *j, const char *check)
{
	json_t *a = json_object_get(j->meta.facts, "failed_checks");

	if (a == NULL) {
		a = json_array();
		json_object_set_new(j->meta.facts, "failed_checks", a);
	}
	json_array_append_new(a, json_string(check));
	warnx("'%s%s%s': the %s check failed", j->path, j->member ? "!" : "",
	    j->member ? j->member : "", check);
}

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
		j->ela = malloc((size_t)im->w * im->h * 3);
		if (j->ela == NULL || px_ela(im, 90, j->ela) == -1) {
			free(j->ela);
			j->ela = NULL;
			failed(j, "ela");
		}
	}
}
