/*
 * The one-process run: read and analyse every letter (in parallel),
 * join exact copies, find candidate pairs by LSH bands, verify them,
 * build clusters, report.
 */
#include "config.h"

#include <err.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cd.h"
#include "cli.h"
#include "input.h"
#include "pool.h"
#include "progress.h"
#include "rd.h"
#include "rec.h"

void
opts_init(struct opts *o)
{
	memset(o, 0, sizeof(*o));
	cli_init(&o->c);
	o->params.t = CD_DEFAULT_T;
	o->params.ngram = CD_NGRAM;
	o->field = "text";
	o->field_given = false;
	o->mode = MODE_RUN;
}

static size_t
split_meta(const char *list, char ***out)
{
	char	*s, *p, *tok, **v = NULL;
	size_t	 n = 0;

	if (list == NULL || (s = strdup(list)) == NULL) {
		*out = NULL;
		return 0;
	}
	for (p = s; (tok = strsep(&p, ",")) != NULL;) {
		if (*tok == '\0')
			continue;
		if ((v = realloc(v, (n + 1) * sizeof(*v))) == NULL ||
		    (v[n++] = strdup(tok)) == NULL)
			abort();
	}
	free(s);
	*out = v;
	return n;
}

/* Reads every input into the store; the caller has set rd->st, ro, params. */
int
read_all(struct rd *rd, const struct opts *o)
{
	struct input_opts io;
	size_t	 i;

	input_opts_default(&io);
	io.nul = o->c.nul;
	io.empty_ok = true;
	rd->field = o->field;
	rd->field_given = o->field_given;
	rd->nmeta = split_meta(o->meta, &rd->meta);
	rd->timecol = o->timecol;
	if (rd->timecol) {	/* the time column always travels as meta */
		for (i = 0; i < rd->nmeta && strcmp(rd->meta[i], rd->timecol); i++)
			;
		if (i == rd->nmeta) {
			if ((rd->meta = realloc(rd->meta, (rd->nmeta + 1) *
			    sizeof(*rd->meta))) == NULL ||
			    (rd->meta[rd->nmeta++] = strdup(rd->timecol)) == NULL)
				abort();
		}
	}
	rd->pool = o->c.jobs > 1 ? pool_new(o->c.jobs) : NULL;
	rd->prog = progress_new(o->c.quiet);
	input_walk(&io, o->paths, o->npaths, rd->ro, rd_item, rd);
	rd_flush(rd);
	if (rd->pool)
		pool_finish(rd->pool);
	rd->pool = NULL;
	progress_end(rd->prog);
	rd->prog = NULL;
	for (i = 0; i < rd->nmeta; i++)
		free(rd->meta[i]);
	free(rd->meta);
	free(rd->seen);
	return 0;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* -v: how long each phase took (wall and CPU), on standard error. */
static void
phase(const struct opts *o, const char *what, double *t0)
{
	static double c0;
	double	 t = now(), c = cpu();

	if (o->c.verbose > 0)
		fprintf(stderr, "%s: %s in %.2f s (%.2f s CPU)\n", TOOL, what,
		    t - *t0, c - c0);
	*t0 = t;
	c0 = c;
}

/* Exit 1 when a cluster is found; with --index, one holding a new letter. */
static bool
reported(const struct clusters *cs, const struct opts *o)
{
	size_t	 i;

	for (i = 0; i < cs->n; i++)
		if (o->index == NULL || cs->c[i].fresh > 0)
			return true;
	return false;
}

int
run(const struct opts *o, int argc, char **argv)
{
	double	 t0 = now();
	struct store st;
	struct rd rd;
	struct rec_out *ro;
	struct report_opts rop;
	struct clusters cs;
	struct uf *u;
	unsigned long cand = 0, ver = 0;
	json_t	*counts;
	int	 status;

	memset(&rd, 0, sizeof(rd));
	rd.params = o->params;
	cd_params_from_t(&rd.params);
	if (o->mode == MODE_MAP)
		return mr_map(o, &rd, argc, argv);
	if (o->mode == MODE_REDUCE)
		return mr_reduce(o, &rd.params);
	ro = rec_open(stdout, TOOL, o->c.json, argc, argv);
	if (o->watchlist && watch_load(o->watchlist, ro) == -1) {
		rec_close(ro, NULL);
		return EXIT_TROUBLE;
	}
	if (store_init(&st, rd.params.bands) == -1)
		err(EXIT_TROUBLE, "cannot create a temporary file");
	rd.st = &st;
	rd.ro = ro;
	if (o->mode == MODE_MERGE)
		mr_merge_read(o, &st, ro);
	else {
		if (o->index && index_load(o->index, &st, &rd.params, ro) == -1) {
			rec_close(ro, NULL);
			store_free(&st);
			return EXIT_TROUBLE;
		}
		read_all(&rd, o);
	}
	phase(o, "read and signed the letters", &t0);
	store_rank(&st);
	u = uf_new(st.n);
	if (o->mode == MODE_MERGE)
		mr_merge_edges(&st, u);
	else {
		cd_union_exact(&st, u);
		cd_lsh(&st, &rd.params, u, o->c.jobs, &cand, &ver);
	}
	phase(o, "found and verified candidate pairs", &t0);
	cd_clusters(&st, o->c.jobs, u, &cs);
	if (o->index)
		index_ids(&st, &cs);
	phase(o, "built the clusters", &t0);
	memset(&rop, 0, sizeof(rop));
	rop.json = o->c.json;
	rop.csv = o->csv;
	rop.incremental = o->index != NULL;
	rop.jobs = o->c.jobs;
	rop.color = !o->c.json && !o->csv && isatty(STDOUT_FILENO) &&
	    getenv("NO_COLOR") == NULL;
	rop.verbose = o->c.quiet ? -1 : o->c.verbose;
	report(ro, &st, &cs, &rop, &rd.params);
	phase(o, "wrote the report", &t0);
	if (o->index)	/* reports its own trouble */
		index_save(o->index, &st, &cs, &rd.params, ro);
	counts = json_pack("{s:I,s:I,s:I,s:I,s:I,s:f,s:i,s:i}",
	    "letters", (json_int_t)st.n, "clusters", (json_int_t)cs.n,
	    "clustered", (json_int_t)cs.clustered, "candidates", (json_int_t)cand,
	    "verified", (json_int_t)ver, "threshold", rd.params.t,
	    "bands", rd.params.bands, "rows", rd.params.rows);
	status = rec_errors(ro) > 0 ? EXIT_TROUBLE : reported(&cs, o) ? 1 : 0;
	if (rec_close(ro, counts) == -1)
		status = EXIT_TROUBLE;
	cd_clusters_free(&cs);
	uf_free(u);
	store_free(&st);
	return status;
}
