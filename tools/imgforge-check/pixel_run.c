/*
 * Runs the pixel checks the user selected, through the detectors'
 * interface (pixel.h).  A detector that fails is named in the facts and
 * on standard error; the others still run.
 *
 * The detectors are independent (each reads the image and writes its
 * own findings), so with more than one thread allowed they run side by
 * side: up to inner_threads workers take them longest first, each into
 * a findings list of its own, and the lists are then merged in the fixed
 * order zero, dq, copymove, noise, so that the report does not depend
 * on which finished first.  At most inner_threads detectors hold their
 * buffers at once.
 */
#include "config.h"

#include <err.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "imgforge.h"

enum { T_ZERO, T_DQ, T_COPYMOVE, T_NOISE, T_ELA, T_META, NTASK };

static const char *const tname[NTASK] = {
	"zero", "dq", "copymove", "noise", "ela", "exif+dqt"
};

/*
 * The order workers take them in: the longest first balances two cores.
 * The JPEG's EXIF and DQT checks are a task too: a serial step before
 * the detectors would leave the other cores idle.
 */
static const int torder[NTASK] = {
	T_ZERO, T_COPYMOVE, T_NOISE, T_DQ, T_META, T_ELA
};

struct prun {
	const struct px_image	*im;
	const struct px_coef	*pc;
	const struct jpeg_info	*ji;
	struct ifc_job		*job;	/* T_META writes job->meta */
	struct px_opts		 po;
	bool			 want[NTASK];
	struct px_findings	 f[NTASK];
	int			 rc[NTASK];
	unsigned char		*ela;
	pthread_mutex_t		 mu;
	int			 next;	/* index into torder, under mu */
};

static void
run_task(struct prun *r, int t)
{
	struct px_findings *f = &r->f[t];
	PX_T0(t0);

	switch (t) {
	case T_ZERO:
		r->rc[t] = px_zero(r->im, f, &r->po);
		break;
	case T_DQ:
		r->rc[t] = px_dq(r->pc, f, &r->po);
		break;
	case T_COPYMOVE:
		/* only this task writes job->cross until the workers are joined */
		r->rc[t] = px_copymove_keys(r->im, f, &r->po,
		    r->job->conf->cross ? &r->job->cross : NULL);
		break;
	case T_NOISE:
		r->rc[t] = px_noise(r->im, f, &r->po);
		break;
	case T_ELA:
		r->ela = malloc((size_t)r->im->w * r->im->h * 3);
		r->rc[t] = r->ela == NULL ? -1 : px_ela(r->im, 90, r->ela);
		break;
	case T_META:
		/* only this task writes job->meta until the workers are joined */
		if ((r->job->conf->checks & IFC_META) && r->ji->exif != NULL)
			exif_check(r->ji->exif, r->ji->exiflen, r->im,
			    &r->job->meta);
		if (r->job->conf->checks & IFC_DQT)
			dqt_check(r->ji, &r->job->meta);
		r->rc[t] = 0;
		break;
	}
	PX_TDONE(tname[t], t0);
}

static void *
worker(void *arg)
{
	struct prun *r = arg;
	int t;

	for (;;) {
		pthread_mutex_lock(&r->mu);
		while (r->next < NTASK && !r->want[torder[r->next]])
			r->next++;
		t = r->next < NTASK ? torder[r->next++] : -1;
		pthread_mutex_unlock(&r->mu);
		if (t < 0)
			return NULL;
		run_task(r, t);
	}
}

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

/*
 * Moves src's findings to the end of dst and adds its mask to dst's
 * (detectors mark the mask only for detections: without one it is empty).
 */
static void
merge(struct px_findings *dst, struct px_findings *src, double log10_eps)
{
	size_t i, n = (size_t)dst->w * dst->h;
	bool marked = false;

	for (i = 0; i < src->n; i++)
		marked |= strncmp(src->v[i].check, "info.", 5) != 0 &&
		    src->v[i].log10_nfa < log10_eps;
	if (src->n > 0 && dst->cap - dst->n < src->n) {
		struct px_finding *v = realloc(dst->v, (dst->n + src->n) *
		    sizeof *v);

		if (v == NULL) {	/* keep what fits: nothing is lost twice */
			px_findings_free(src);
			return;
		}
		dst->v = v;
		dst->cap = dst->n + src->n;
	}
	if (src->n > 0)
		memcpy(dst->v + dst->n, src->v, src->n * sizeof *src->v);
	dst->n += src->n;
	src->n = 0;	/* the details now belong to dst */
	if (dst->mask != NULL && src->mask != NULL && marked)
		for (i = 0; i < n; i++)
			dst->mask[i] |= src->mask[i];
	px_findings_free(src);
}

/*
 * A PNG whose whole picture carries a JPEG grid was a JPEG once (a
 * screenshot does not, a photo converted to PNG does): weak container
 * evidence, with ZERO's NFA for the grid.  A grid only in a piece of
 * the picture is ZERO's own detection (jpeg.grid.local).
 */
static void
png_was_jpeg(struct ifc_job *j)
{
	for (size_t i = 0; i < j->px.n; i++) {
		json_t *d = j->px.v[i].detail, *o;

		if (strcmp(j->px.v[i].check, "info.jpeg.grid") != 0 ||
		    !json_is_true(json_object_get(d, "jpeg_grid")) ||
		    strcmp(json_string_value(json_object_get(d, "grid_extent")) ?
		    json_string_value(json_object_get(d, "grid_extent")) : "",
		    "whole") != 0)
			continue;
		o = json_object_get(d, "origin");
		mf_add(&j->meta, "png.was-jpeg", 1, json_pack("{s:O,s:O,s:O}",
		    "grid", json_object_get(d, "grid"), "origin", o,
		    "log10_nfa", json_object_get(d, "grid_log10_nfa")),
		    "the PNG's pixels carry a JPEG block grid (origin %d,%d, "
		    "log10 NFA %.1f): it was saved as a JPEG before",
		    (int)json_integer_value(json_array_get(o, 0)),
		    (int)json_integer_value(json_array_get(o, 1)),
		    json_real_value(json_object_get(d, "grid_log10_nfa")));
	}
}

void
pixel_checks(struct ifc_job *j, const struct px_image *im,
    const struct px_coef *pc, const struct jpeg_info *ji)
{
	struct prun r;
	unsigned c = j->conf->checks;
	pthread_t th[NTASK];
	bool started[NTASK] = { false };
	int t, nw = 0, ntask = 0;

	/*
	 * The -j threads are shared among the pictures in their pixel checks
	 * at the same time: one picture alone gets all of them, two pictures
	 * on two threads one each (more threads than cores only add waiting).
	 */
	static int active;
	int nact = __atomic_add_fetch(&active, 1, __ATOMIC_ACQ_REL);
	int nthr = j->conf->inner_threads / nact > 0 ?
	    j->conf->inner_threads / nact : 1;

	memset(&r, 0, sizeof r);
	r.im = im;
	r.pc = pc;
	r.ji = ji;
	r.job = j;
	r.po = (struct px_opts){ j->conf->log10_eps, nthr,
	    strcmp(j->format, "jpeg") != 0 };
	r.want[T_ZERO] = (c & IFC_ZERO) != 0;
	r.want[T_DQ] = (c & IFC_DQ) && pc != NULL;
	r.want[T_COPYMOVE] = (c & IFC_COPYMOVE) != 0;
	r.want[T_NOISE] = (c & IFC_NOISE) != 0;
	r.want[T_ELA] = (c & IFC_ELA) && j->conf->mapdir != NULL;
	r.want[T_META] = ji != NULL && (((c & IFC_META) && ji->exif != NULL) ||
	    (c & IFC_DQT));
	for (t = 0; t < NTASK; t++) {
		px_findings_init(&r.f[t], im->w, im->h);
		ntask += r.want[t];
	}
	px_findings_init(&j->px, im->w, im->h);
	j->px_ok = true;
	pthread_mutex_init(&r.mu, NULL);
	nw = nthr < ntask ? nthr : ntask;
	for (t = 1; t < nw; t++)	/* this thread is the first worker */
		started[t] = pthread_create(&th[t], NULL, worker, &r) == 0;
	worker(&r);
	for (t = 1; t < nw; t++)
		if (started[t])
			pthread_join(th[t], NULL);
	pthread_mutex_destroy(&r.mu);
	__atomic_sub_fetch(&active, 1, __ATOMIC_ACQ_REL);
	for (t = 0; t < NTASK; t++) {
		if (r.want[t] && r.rc[t] == -1)
			failed(j, tname[t]);
		if (t != T_ELA && t != T_META && r.want[t])
			merge(&j->px, &r.f[t], r.po.log10_eps);
		else
			px_findings_free(&r.f[t]);
	}
	if (r.want[T_ZERO] && r.po.lossless)
		png_was_jpeg(j);
	if (r.want[T_ELA] && r.rc[T_ELA] == 0)
		j->ela = r.ela;
	else
		free(r.ela);
}
