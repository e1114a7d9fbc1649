/*
 * The run: the input walk slurps each item and hashes it on the main
 * thread, the pool analyses items on the workers, and the reports come
 * out in input order.  Exit status: 0 no evidence anywhere, 1 evidence
 * in at least one image, 2 trouble (which wins).
 */
#include "config.h"

#include <err.h>
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
};

struct task {
	struct runner	*r;
	struct ifc_job	*job;
};

static void
work(void *arg)
{
	analyse(((struct task *)arg)->job);
}

static void
done(void *arg)
{
	struct task *t = arg;
	struct ifc_job *j = t->job;

	report(t->r->ro, j, t->r->json, t->r->verbose);
	if (j->err[0] == '\0')
		t->r->n[j->verdict]++;
	else if (j->unsupported)
		t->r->unsupported++;
	progress_add(t->r->pg, 1, j->len);
	job_free(j);
	free(t);
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
	snprintf(j->mime, sizeof j->mime, "%s", it->mime);
	memcpy(j->sha256, h.hex[HASH_SHA256], sizeof j->sha256 - 1);
	j->buf = buf;
	j->len = len;
	j->conf = r->conf;
	t->r = r;
	t->job = j;
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

	input_opts_default(&io);
	io.nul = c->nul;
	r.ro = rec_open(stdout, "imgforge-check", c->json, argc, argv);
	r.pool = pool_new(c->jobs);
	io.sync = pool_sync;	/* the walker's errors come out in input order */
	io.sync_arg = r.pool;
	r.pg = progress_new(c->quiet);
	input_walk(&io, paths, npaths, r.ro, item, &r);
	pool_finish(r.pool);
	progress_end(r.pg);
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
