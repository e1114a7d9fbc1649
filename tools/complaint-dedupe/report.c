/*
 * Output.  Human (default): clusters largest first, each with its
 * template (slots highlighted on a terminal), the fills, the members and
 * the links.  --json: one `cluster` record per cluster of 2+.  --csv: one
 * row per letter with its cluster id, for a spreadsheet.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cd.h"
#include "pool.h"
#include "rec.h"

static void
iso_time(int64_t t, char *buf, size_t len)
{
	time_t	 tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int
i64_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Span and burstiness: most members within any one hour, as a share. */
static json_t *
time_json(const struct store *st, const struct cluster *c)
{
	int64_t	*t;
	size_t	 n = 0, i, j = 0, best = 0;
	char	 a[32], b[32];
	json_t	*o;

	if ((t = malloc(c->n * sizeof(*t))) == NULL)
		abort();
	for (i = 0; i < c->n; i++)
		if (st->d[c->m[i]].time != CD_NOTIME)
			t[n++] = st->d[c->m[i]].time;
	if (n == 0) {
		free(t);
		return NULL;
	}
	qsort(t, n, sizeof(*t), i64_cmp);
	for (i = 0; i < n; i++) {
		while (t[i] - t[j] >= 3600)
			j++;
		if (i - j + 1 > best)
			best = i - j + 1;
	}
	iso_time(t[0], a, sizeof(a));
	iso_time(t[n - 1], b, sizeof(b));
	o = json_pack("{s:s,s:s,s:I,s:i,s:i,s:f}", "first", a, "last", b,
	    "span_seconds", (json_int_t)(t[n - 1] - t[0]), "with_time", (int)n,
	    "max_in_1h", (int)best, "burst", (double)best / (double)n);
	free(t);
	return o;
}

static json_t *
member_json(const struct store *st, const struct cluster *c, size_t i,
    struct docdata *dd)
{
	const struct doc *d = &st->d[c->m[i]];
	const struct src *s = &st->s[d->src];
	char	 sha[65];
	json_t	*m = json_object(), *meta;

	cd_hex32(store_file_sha(st, c->m[i]), sha);
	rec_set_input(m, s->path, s->member);
	if (d->row)
		json_object_set_new(m, "record", json_integer(d->row));
	json_object_set_new(m, "sha256", json_string(sha));
	if (d->row) {
		cd_hex32(d->sha, sha);
		json_object_set_new(m, "row_sha256", json_string(sha));
	}
	json_object_set_new(m, "size", json_integer((json_int_t)d->size));
	json_object_set_new(m, "similarity", json_real(c->jac[i]));
	json_object_set_new(m, "containment", json_real(c->cont[i]));
	if (c->m[i] == c->rep)
		json_object_set_new(m, "representative", json_true());
	if (d->oldcl)
		json_object_set_new(m, "indexed", json_true());
	if (dd && dd->meta[0] && (meta = json_loads(dd->meta, 0, NULL)) != NULL)
		json_object_set_new(m, "meta", meta);
	return m;
}

/* Watchlist values named by a letter. */
static json_t *
watched(const char *ents)
{
	const char *p, *rs, *us;
	json_t	*a = NULL;
	char	*v;

	for (p = ents; (rs = strchr(p, '\x1e')) != NULL; p = rs + 1) {
		if ((us = memchr(p, '\x1f', (size_t)(rs - p))) == NULL)
			continue;
		v = strndup(us + 1, (size_t)(rs - us - 1));
		if (v && watch_hit(NULL, v)) {
			if (a == NULL)
				a = json_array();
			json_array_append_new(a, json_string(v));
		}
		free(v);
	}
	return a;
}

static json_t *
cluster_json(const struct store *st, const struct cluster *c,
    const struct links *L, const struct tmpl *t, struct docdata *dd)
{
	json_t	*o = rec_new("cluster"), *mem = json_array(), *slots, *f, *l,
		*w, *tj;
	size_t	 i, k;

	json_object_set_new(o, "id", json_integer(c->id));
	json_object_set_new(o, "size", json_integer((json_int_t)c->n));
	for (i = 0; i < c->n; i++) {
		bool ok = dd[i].block != NULL;
		json_t *m = member_json(st, c, i, ok ? &dd[i] : NULL);

		if (ok && (w = watched(dd[i].ents)) != NULL)
			json_object_set_new(m, "watchlist", w);
		json_array_append_new(mem, m);
	}
	json_object_set_new(o, "members", mem);
	if (t->text)
		rec_set_str(o, "template", t->text);
	slots = json_array();
	for (k = 0; k < t->nslots; k++) {
		f = json_array();
		for (i = 0; i < c->n; i++)
			json_array_append_new(f, t->fill[i][k] ?
			    rec_string(t->fill[i][k], strlen(t->fill[i][k]),
			    NULL) : json_null());
		json_array_append_new(slots, json_pack("{s:i,s:s,s:o}", "slot",
		    (int)k + 1, "type", slot_name(t->type[k]), "fills", f));
	}
	json_object_set_new(o, "slots", slots);
	json_object_set_new(o, "entities", links_entities(L, c->id, &l));
	json_object_set_new(o, "links", l);
	if ((tj = time_json(st, c)) != NULL)
		json_object_set_new(o, "time", tj);
	return o;
}

static void
human_template(const char *text, bool color)
{
	const char *p = text, *q;

	fputs("  template: ", stdout);
	while ((q = strstr(p, "{{")) != NULL) {
		const char *e = strstr(q, "}}");

		if (e == NULL)
			break;
		fwrite(p, 1, (size_t)(q - p), stdout);
		printf("%s", color ? "\033[1;33m" : "");
		fwrite(q, 1, (size_t)(e + 2 - q), stdout);
		printf("%s", color ? "\033[0m" : "");
		p = e + 2;
	}
	printf("%s\n", p);
}

static void
human(const struct store *st, const struct cluster *c, json_t *rec,
    const struct tmpl *t, bool color)
{
	json_t	*m, *e, *v;
	size_t	 i, k;
	const char *key;

	printf("cluster %u: %zu letters", c->id, c->n);
	if (json_object_get(rec, "status"))
		printf(" (%s, %zu new)", c->grown ? "existing cluster grown" :
		    "new cluster", c->fresh);
	putchar('\n');
	if (t->text)
		human_template(t->text, color);
	json_array_foreach(json_object_get(rec, "members"), i, m) {
		const struct doc *d = &st->d[c->m[i]];

		printf("  %.3f %s%s%s", c->jac[i], st->s[d->src].path,
		    st->s[d->src].member ? ":" : "",
		    st->s[d->src].member ? st->s[d->src].member : "");
		if (d->row)
			printf(" #%u", d->row);
		if (c->m[i] == c->rep)
			printf(" (representative)");
		if (json_object_get(m, "watchlist"))
			printf(" WATCHLIST");
		for (k = 0; k < t->nslots; k++)
			if (t->fill[i][k])
				printf("%s%s=%s", k ? " " : "  ",
				    slot_name(t->type[k]), t->fill[i][k]);
		putchar('\n');
	}
	json_array_foreach(json_object_get(rec, "entities"), i, e) {
		char	*cl = json_dumps(json_object_get(e, "clusters"),
		    JSON_COMPACT);

		printf("  shared %s %s: %lld letters (%lld alone), clusters %s\n",
		    json_string_value(json_object_get(e, "type")),
		    json_string_value(json_object_get(e, "value")),
		    json_integer_value(json_object_get(e, "letters")),
		    json_integer_value(json_object_get(e, "alone")), cl);
		free(cl);
	}
	json_object_foreach(json_object_get(rec, "links"), key, v)
		printf("  linked to cluster %s via %zu shared value(s)\n", key,
		    json_array_size(v));
	if ((v = json_object_get(rec, "time")) != NULL)
		printf("  sent %s .. %s, %lld of %lld within one hour\n",
		    json_string_value(json_object_get(v, "first")),
		    json_string_value(json_object_get(v, "last")),
		    json_integer_value(json_object_get(v, "max_in_1h")),
		    json_integer_value(json_object_get(v, "with_time")));
	putchar('\n');
}

static void
csv_field(const char *s)
{
	if (s == NULL)
		return;
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, stdout);
		return;
	}
	putchar('"');
	for (; *s; s++) {
		if (*s == '"')
			putchar('"');
		putchar(*s);
	}
	putchar('"');
}

static void
csv(const struct store *st, const struct clusters *cs)
{
	size_t	 r, i, k;
	char	 sha[65], rsha[65];
	double	*sims;

	/* each letter's similarity, found once rather than per row */
	if ((sims = calloc(st->n + 1, sizeof(*sims))) == NULL)
		abort();
	for (k = 0; k < cs->n; k++)
		for (i = 0; i < cs->c[k].n; i++)
			sims[cs->c[k].m[i]] = cs->c[k].jac[i];
	printf("path,member,record,sha256,cluster,similarity,row_sha256\n");
	for (r = 0; r < st->n; r++) {
		uint32_t d = st->byrank[r], id = cs->of[d];
		const struct cluster *c = id ? &cs->c[id - 1] : NULL;
		double	 sim = sims[d];

		cd_hex32(store_file_sha(st, d), sha);
		cd_hex32(st->d[d].sha, rsha);
		csv_field(st->s[st->d[d].src].path);
		putchar(',');
		csv_field(st->s[st->d[d].src].member);
		printf(",%u,%s,", st->d[d].row, sha);
		if (c)
			printf("%u,%.4f", c->id, sim);
		else
			putchar(',');
		printf(",%s\n", st->d[d].row ? rsha : "");
	}
	free(sims);
}

/* One cluster's record, built on a worker, written in order. */
struct rjob {
	const struct store *st;
	const struct cluster *c;
	const struct links *L;
	const struct report_opts *o;
	struct rec_out	*ro;
	struct tmpl	 t;
	json_t		*rec;
};

static void
rjob_work(void *arg)
{
	struct rjob *j = arg;
	struct docdata *dd;
	size_t	 i;

	/* each member read once, for the template and the record */
	if ((dd = calloc(j->c->n + 1, sizeof(*dd))) == NULL)
		abort();
	for (i = 0; i < j->c->n; i++)
		store_get(j->st, j->c->m[i], &dd[i]);	/* block NULL on failure */
	cd_template(j->st, j->c, dd, &j->t);
	j->rec = cluster_json(j->st, j->c, j->L, &j->t, dd);
	for (i = 0; i < j->c->n; i++)
		store_put(&dd[i]);
	free(dd);
	if (j->o->incremental) {
		json_object_set_new(j->rec, "status", json_string(j->c->grown ?
		    "grown" : "new"));
		json_object_set_new(j->rec, "new_members",
		    json_integer((json_int_t)j->c->fresh));
	}
}

static void
rjob_done(void *arg)
{
	struct rjob *j = arg;

	if (!j->o->json)
		human(j->st, j->c, j->rec, &j->t, j->o->color);
	cd_template_free(&j->t, j->c->n);
	if (j->o->json)
		rec_emit(j->ro, j->rec);
	else
		json_decref(j->rec);
	free(j);
}

void
report(struct rec_out *ro, const struct store *st, const struct clusters *cs,
    const struct report_opts *o, const struct cd_params *p)
{
	struct links *L = links_build(st, cs);
	struct pool *pl = o->jobs > 1 ? pool_new(o->jobs) : NULL;
	struct rjob *j;
	size_t	 i;

	(void)p;
	if (o->csv)
		csv(st, cs);
	for (i = 0; i < cs->n && !o->csv; i++) {
		if (o->incremental && cs->c[i].fresh == 0)
			continue;	/* nothing new here */
		if ((j = calloc(1, sizeof(*j))) == NULL)
			abort();
		j->st = st;
		j->c = &cs->c[i];
		j->L = L;
		j->o = o;
		j->ro = ro;
		if (pl)
			pool_submit(pl, rjob_work, rjob_done, j);
		else {
			rjob_work(j);
			rjob_done(j);
		}
	}
	if (pl)
		pool_finish(pl);
	if (!o->json && !o->csv && o->verbose >= 0)
		printf("%zu letters, %zu clusters of 2 or more holding %zu letters\n",
		    st->n, cs->n, cs->clustered);
	links_free(L);
}
