/*
 * Clusters: union-find over exact copies (here) and verified candidate
 * pairs (lsh.c).  Components, their ids (largest first, then canonical
 * order) and representatives depend only on the set of edges, so they
 * are the same for any -j and any sharding.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cd.h"
#include "pool.h"

struct uf {
	uint32_t	*p;
	uint8_t		*r;
};

struct uf *
uf_new(size_t n)
{
	struct uf *u;
	size_t	 i;

	if ((u = malloc(sizeof(*u))) == NULL ||
	    (u->p = malloc((n + 1) * sizeof(*u->p))) == NULL ||
	    (u->r = calloc(n + 1, 1)) == NULL)
		abort();
	for (i = 0; i < n; i++)
		u->p[i] = (uint32_t)i;
	return u;
}

uint32_t
uf_find(struct uf *u, uint32_t x)
{
	while (u->p[x] != x) {
		u->p[x] = u->p[u->p[x]];
		x = u->p[x];
	}
	return x;
}

bool
uf_union(struct uf *u, uint32_t a, uint32_t b)
{
	a = uf_find(u, a);
	b = uf_find(u, b);
	if (a == b)
		return false;
	if (u->r[a] < u->r[b]) {
		uint32_t t = a;
		a = b;
		b = t;
	}
	u->p[b] = a;
	if (u->r[a] == u->r[b])
		u->r[a]++;
	return true;
}

void
uf_free(struct uf *u)
{
	if (u == NULL)
		return;
	free(u->p);
	free(u->r);
	free(u);
}

/*
 * Sorts by key, stably: the callers fill k in rank order, so the result
 * is in (key, rank) order without a comparison per step.  LSD radix, 16 bits a pass; a pass whose digit is
 * the same for all is skipped (band keys are 32 bits wide).
 */
void
cd_keyed_sort(struct keyed *k, size_t m, struct keyed *tmp, size_t *cnt)
{
	struct keyed *src = k, *dst = tmp, *t;
	size_t	 i, sum, c;
	unsigned sh;

	for (sh = 0; sh < 64; sh += 16) {
		memset(cnt, 0, 65536 * sizeof(*cnt));
		for (i = 0; i < m; i++)
			cnt[(src[i].key >> sh) & 0xFFFF]++;
		if (m == 0 || cnt[(src[0].key >> sh) & 0xFFFF] == m)
			continue;
		for (sum = 0, i = 0; i < 65536; i++) {
			c = cnt[i];
			cnt[i] = sum;
			sum += c;
		}
		for (i = 0; i < m; i++)
			dst[cnt[(src[i].key >> sh) & 0xFFFF]++] = src[i];
		t = src, src = dst, dst = t;
	}
	if (src != k)
		memcpy(k, src, m * sizeof(*k));
}

/* Identical normalised text (any length), or identical masked text. */
void
cd_union_exact(struct store *st, struct uf *u)
{
	struct keyed *k, *tmp;
	size_t	 i, n = st->n, *cnt;
	uint32_t d;
	int	 pass;

	if ((k = malloc((n + 1) * sizeof(*k))) == NULL ||
	    (tmp = malloc((n + 1) * sizeof(*tmp))) == NULL ||
	    (cnt = malloc(65536 * sizeof(*cnt))) == NULL)
		abort();
	for (pass = 0; pass < 2; pass++) {
		size_t	 m = 0;

		for (i = 0; i < n; i++) {	/* in rank order */
			d = st->byrank[i];
			if (pass == 1 && st->d[d].nsh < CD_MINSHINGLES)
				continue;
			k[m].key = pass ? st->d[d].thash : st->d[d].nhash;
			k[m++].rank = (uint32_t)i;
		}
		cd_keyed_sort(k, m, tmp, cnt);
		for (i = 1; i < m; i++)
			if (k[i].key == k[i - 1].key)
				uf_union(u, st->byrank[k[i].rank],
				    st->byrank[k[i - 1].rank]);
	}
	free(k);
	free(tmp);
	free(cnt);
}

struct comp {
	uint32_t	 root, first, n;	/* first: lowest rank */
};

static int
comp_cmp(const void *a, const void *b)
{
	const struct comp *x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return x->first < y->first ? -1 : x->first > y->first;
}

/* The representative: the member whose masked text most members share. */
static uint32_t
pick_rep(const struct store *st, const uint32_t *m, size_t n)
{
	size_t	 i, j, best = 0, bestc = 0, cnt;

	for (i = 0; i < n && i < 512; i++) {
		for (cnt = 0, j = 0; j < n && j < 512; j++)
			cnt += st->d[m[j]].thash == st->d[m[i]].thash;
		if (cnt > bestc)
			bestc = cnt, best = i;
	}
	return m[best];
}

static void
fill_cluster(const struct store *st, struct cluster *c)
{
	uint32_t *rs, *ms;
	size_t	 nr, nm, i;
	struct sim s;

	c->rep = pick_rep(st, c->m, c->n);
	if ((c->jac = malloc(c->n * sizeof(double))) == NULL ||
	    (c->cont = malloc(c->n * sizeof(double))) == NULL)
		abort();
	nr = store_shingles(st, c->rep, &rs);
	for (i = 0; i < c->n; i++) {
		/* identical masked text: identical shingles */
		if (st->d[c->m[i]].thash == st->d[c->rep].thash &&
		    st->d[c->rep].nsh >= CD_MINSHINGLES) {
			c->jac[i] = c->cont[i] = 1;
			continue;
		}
		if (st->d[c->m[i]].nhash == st->d[c->rep].nhash ||
		    c->m[i] == c->rep) {
			c->jac[i] = c->cont[i] = 1;
			continue;
		}
		nm = store_shingles(st, c->m[i], &ms);
		cd_similarity(rs, nr, ms, nm, &s);
		c->jac[i] = s.jaccard;
		c->cont[i] = s.containment;
		free(ms);
	}
	free(rs);
}

struct fill_job {
	const struct store *st;
	struct cluster	*c;
};

static void
fill_work(void *arg)
{
	struct fill_job *j = arg;

	fill_cluster(j->st, j->c);
}

static void
fill_done(void *arg)
{
	(void)arg;
}

void
cd_clusters(struct store *st, int jobs, struct uf *u, struct clusters *out)
{
	struct fill_job *jobsv, *fj;
	struct pool *pl;
	uint32_t *cnt, *slot, root;
	struct comp *cp;
	size_t	 i, nc = 0, r;

	memset(out, 0, sizeof(*out));
	if ((cnt = calloc(st->n + 1, sizeof(*cnt))) == NULL ||
	    (slot = malloc((st->n + 1) * sizeof(*slot))) == NULL ||
	    (out->of = calloc(st->n + 1, sizeof(*out->of))) == NULL)
		abort();
	for (i = 0; i < st->n; i++)
		cnt[uf_find(u, (uint32_t)i)]++;
	for (i = 0; i < st->n; i++)
		nc += cnt[i] > 1;
	if ((cp = calloc(nc + 1, sizeof(*cp))) == NULL)
		abort();
	nc = 0;
	/* walking in canonical order makes each component's first its lowest rank */
	for (r = 0; r < st->n; r++) {
		root = uf_find(u, st->byrank[r]);
		if (cnt[root] > 1) {
			cp[nc].root = root;
			cp[nc].first = (uint32_t)r;
			cp[nc++].n = cnt[root];
			cnt[root] = 0;
		}
	}
	qsort(cp, nc, sizeof(*cp), comp_cmp);
	if ((jobsv = calloc(nc + 1, sizeof(*jobsv))) == NULL)
		abort();
	if ((out->c = calloc(nc + 1, sizeof(*out->c))) == NULL)
		abort();
	for (i = 0; i < st->n; i++)
		slot[i] = UINT32_MAX;
	for (i = 0; i < nc; i++) {
		slot[cp[i].root] = (uint32_t)i;
		out->c[i].id = (uint32_t)i + 1;
		if ((out->c[i].m = malloc(cp[i].n * sizeof(uint32_t))) == NULL)
			abort();
	}
	for (r = 0; r < st->n; r++) {
		uint32_t d = st->byrank[r], s = slot[uf_find(u, d)];

		if (s == UINT32_MAX)
			continue;
		out->c[s].m[out->c[s].n++] = d;
		out->of[d] = s + 1;
	}
	out->n = nc;
	pl = jobs > 1 ? pool_new(jobs) : NULL;
	for (i = 0; i < nc; i++) {
		fj = &jobsv[i];
		fj->st = st;
		fj->c = &out->c[i];
		if (pl)
			pool_submit(pl, fill_work, fill_done, fj);
		else
			fill_work(fj);
		out->clustered += out->c[i].n;
	}
	if (pl)
		pool_finish(pl);
	free(jobsv);
	free(cp);
	free(cnt);
	free(slot);
}

void
cd_clusters_free(struct clusters *cs)
{
	size_t	 i;

	for (i = 0; i < cs->n; i++) {
		free(cs->c[i].m);
		free(cs->c[i].jac);
		free(cs->c[i].cont);
	}
	free(cs->c);
	free(cs->of);
	memset(cs, 0, sizeof(*cs));
}
