/*
 * The run: the input walk slurps each item and hashes it on the main
 * thread, the pool analyses items on the workers, and the reports come
 * out in input order.  Exit status: 0 no evidence anywhere, 1 evidence
 * in at least one image, 2 trouble (which wins).
 *
 * With --cross the reports wait for the end of the run: each analysed
 * picture is held (its findings and its bounded copy-move summary; the
 * pixels and the mask are freed), the summaries are matched across the
 * run, each detection is added to both pictures' findings naming the
 * other, and then every picture is reported in input order.  With
 * --maps, the pictures with such a detection get it added to the maps
 * they already have (maps_cross), on the pool's workers.
 */
#include "config.h"

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "imgforge.h"
#include "input.h"
#include "pool.h"
#include "progress.h"
#include "rec.h"

struct runner {
	const struct ifc_conf	*conf;
	struct rec_out		*ro;
	struct pool		*pool;
	struct progress		*pg;
	bool			 json;
	int			 verbose;
	unsigned long		 n[3], unsupported;
	struct ifc_job		**held;	/* --cross: analysed, not reported yet */
	size_t			 nheld, capheld;
};

struct task {
	struct runner	*r;
	struct ifc_job	*job;
	bool		 maps;	/* --cross: maps_cross on the worker */
};

static void
work(void *arg)
{
	analyse(((struct task *)arg)->job);
}

static void
finish_job(struct runner *r, struct ifc_job *j)
{
	report(r->ro, j, r->json, r->verbose);
	if (j->err[0] == '\0')
		r->n[j->verdict]++;
	else if (j->unsupported)
		r->unsupported++;
	job_free(j);
}

static void
done(void *arg)
{
	struct task *t = arg;
	struct runner *r = t->r;
	struct ifc_job *j = t->job;

	progress_add(r->pg, 1, j->len);
	free(t);
	if (!r->conf->cross) {
		finish_job(r, j);
		return;
	}
	if (r->nheld == r->capheld) {
		r->capheld = r->capheld ? 2 * r->capheld : 64;
		if ((r->held = realloc(r->held, r->capheld * sizeof(*r->held))) ==
		    NULL)
			err(EXIT_TROUBLE, NULL);
	}
	if (j->px_ok) {
		/* the maps are written: only the findings are kept */
		free(j->px.mask);
		j->px.mask = NULL;
	}
	free(j->ela);
	j->ela = NULL;
	r->held[r->nheld++] = j;
}

/* One side of a cross-picture detection, added to picture j's findings. */
static void
cross_finding(struct ifc_job *j, const struct ifc_job *o, const int ra[4],
    const int rb[4], const struct px_cross_hit *h)
{
	struct px_opts po = { .log10_eps = j->conf->log10_eps, .threads = 1 };
	char why[512];
	json_t *d;

	snprintf(why, sizeof why, "the same pixels as '%s%s%s' at %d,%d %dx%d: "
	    "pasted from one source into both, or one derived from the other",
	    o->path, o->member ? "!" : "", o->member ? o->member : "",
	    rb[0], rb[1], rb[2], rb[3]);
	d = json_pack("{s:s,s:s,s:[iiii],s:[ii],s:I,s:I,s:f,s:s}",
	    "why", why, "other_path", o->path,
	    "other_region", rb[0], rb[1], rb[2], rb[3],
	    "shift", rb[0] - ra[0], rb[1] - ra[1],
	    "matched_blocks", (json_int_t)h->matched,
	    "independent_blocks", (json_int_t)h->independent,
	    "noise_sigma", px_cross_sigma(j->cross), "other_sha256", o->sha256);
	if (o->member != NULL)
		json_object_set_new(d, "other_member", json_string(o->member));
	px_add(&j->px, "copymove.cross", h->log10_nfa, ra, d, &po);
}

static bool
cross_detected(const struct ifc_job *j)
{
	for (size_t i = 0; j->err[0] == '\0' && j->px_ok && i < j->px.n; i++)
		if (strcmp(j->px.v[i].check, "copymove.cross") == 0 &&
		    px_detects(&j->px.v[i], j->conf->log10_eps))
			return true;
	return false;
}

static void
cross_maps(void *arg)
{
	struct task *t = arg;
	struct ifc_job *j = t->job;

	if (t->maps && j->maperr[0] == '\0')
		maps_cross(j, j->maperr, sizeof j->maperr);
}

static void
cross_done(void *arg)
{
	struct task *t = arg;

	finish_job(t->r, t->job);
	free(t);
}

/*
 * Whether an earlier picture brings the same maps up to date: one file
 * given twice has one set of maps, and two workers must not rewrite it
 * at once.
 */
static bool
maps_taken(struct runner *r, size_t i)
{
	const char *p = r->held[i]->mask_path;

	for (size_t k = 0; p != NULL && k < i; k++)
		if (r->held[k]->mask_path != NULL &&
		    strcmp(r->held[k]->mask_path, p) == 0 &&
		    cross_detected(r->held[k]))
			return true;
	return false;
}

/*
 * --cross: matches the held pictures, then reports them all in order
 * through the pool (its workers update the maps), which the caller
 * finishes.
 */
static void
cross_run(struct runner *r)
{
	struct px_cross **s = calloc(r->nheld ? r->nheld : 1, sizeof(*s));
	struct px_cross_hit *h = NULL;
	struct task **t;
	long nh, k;
	size_t i;

	if (s == NULL)
		err(EXIT_TROUBLE, NULL);
	for (i = 0; i < r->nheld; i++)
		if (r->held[i]->err[0] == '\0' && r->held[i]->px_ok)
			s[i] = r->held[i]->cross;
	nh = px_cross_match(s, r->nheld, r->conf->log10_eps, &h);
	if (nh < 0)
		warnx("copy-move across pictures: out of memory, not tested");
	for (k = 0; k < nh; k++) {
		struct ifc_job *a = r->held[h[k].a], *b = r->held[h[k].b];

		/* the same file given twice shares everything: not evidence */
		if (strcmp(a->sha256, b->sha256) == 0)
			continue;
		cross_finding(a, b, h[k].ra, h[k].rb, &h[k]);
		cross_finding(b, a, h[k].rb, h[k].ra, &h[k]);
	}
	for (i = 0; i < r->nheld; i++) {
		struct ifc_job *j = r->held[i];
		struct px_opts po = { .log10_eps = j->conf->log10_eps, .threads = 1 };

		/* what the cross test saw of this picture (-v, --json) */
		if (j->err[0] == '\0' && j->px_ok && j->cross != NULL)
			px_add(&j->px, "info.copymove.cross", 0, NULL, json_pack(
			    "{s:f,s:I,s:b}", "noise_sigma", px_cross_sigma(j->cross),
			    "keypoints", (json_int_t)px_cross_count(j->cross),
			    "tested", px_cross_count(j->cross) > 0), &po);
		if (r->held[i]->err[0] == '\0')
			r->held[i]->verdict = verdict(r->held[i]);
	}
	/* all decided first: a submission may report (and free) earlier ones */
	if ((t = calloc(r->nheld ? r->nheld : 1, sizeof(*t))) == NULL)
		err(EXIT_TROUBLE, NULL);
	for (i = 0; i < r->nheld; i++)
		if ((t[i] = malloc(sizeof(**t))) == NULL)
			err(EXIT_TROUBLE, NULL);
		else
			*t[i] = (struct task){ r, r->held[i], r->conf->mapdir !=
			    NULL && cross_detected(r->held[i]) && !maps_taken(r, i) };
	for (i = 0; i < r->nheld; i++)
		pool_submit(r->pool, cross_maps, cross_done, t[i]);
	free(t);
	free(h);
	free(s);
	free(r->held);
}

static int
item(struct input_item *it, void *arg)
{
	struct runner *r = arg;
	struct ifc_job *j;
	struct task *t;
	struct hash_hex h;
	unsigned char *buf;
	size_t len;

	PX_T0(t0);
	/* Read errors and caps are reported by the walker. */
	if (input_slurp(it, IFC_MAX_BYTES, &buf, &len) == -1)
		return 0;
	if (input_finish(it, &h) == -1) {
		free(buf);
		return 0;
	}
	if ((j = calloc(1, sizeof *j)) == NULL || (t = malloc(sizeof *t)) ==
	    NULL || (j->path = strdup(it->path)) == NULL || (it->member &&
	    (j->member = strdup(it->member)) == NULL))
		err(EXIT_TROUBLE, NULL);
	PX_TDONE("slurp+hash", t0);
	snprintf(j->mime, sizeof j->mime, "%s", it->mime);
	memcpy(j->sha256, h.hex[HASH_SHA256], sizeof j->sha256 - 1);
	j->buf = buf;
	j->len = len;
	j->conf = r->conf;
	t->r = r;
	t->job = j;
	t->maps = false;
	pool_submit(r->pool, work, done, t);
	return 0;
}

int
run_checks(const struct ifc_conf *conf, const struct cli_common *c,
    char **paths, int npaths, int argc, char **argv)
{
	struct runner r = { .conf = conf, .json = c->json,
	    .verbose = c->verbose };
	struct input_opts io;
	json_t *counts;
	int status;

	PX_T0(t0);
	input_opts_default(&io);
	io.nul = c->nul;
	r.ro = rec_open(stdout, "imgforge-check", c->json, argc, argv);
	r.pool = pool_new(c->jobs);
	io.sync = pool_sync;	/* the walker's errors come out in input order */
	io.sync_arg = r.pool;
	r.pg = progress_new(c->quiet);
	input_walk(&io, paths, npaths, r.ro, item, &r);
	if (conf->cross) {
		pool_drain(r.pool);
		progress_end(r.pg);
		cross_run(&r);
		pool_finish(r.pool);
	} else {
		pool_finish(r.pool);
		progress_end(r.pg);
	}
	PX_TDONE("run", t0);
	counts = json_pack("{s:I,s:I,s:I,s:I,s:I}", "images",
	    (json_int_t)(r.n[0] + r.n[1] + r.n[2]), "forged",
	    (json_int_t)r.n[V_FORGED], "suspicious",
	    (json_int_t)r.n[V_SUSPICIOUS], "no_evidence",
	    (json_int_t)r.n[V_NONE], "unsupported", (json_int_t)r.unsupported);
	status = r.n[V_FORGED] + r.n[V_SUSPICIOUS] > 0 ? 1 : 0;
	if (rec_errors(r.ro) > 0)
		status = EXIT_TROUBLE;
	if (rec_close(r.ro, counts) == -1) {
		warnx("error writing standard output");
		status = EXIT_TROUBLE;
	}
	return status;
}
