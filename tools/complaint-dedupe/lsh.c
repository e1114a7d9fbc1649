/*
 * Candidate pairs and their exact verification, in parallel and in
 * three deterministic steps:
 *
 *  1. Per band (one job each, on the pool): letters sorted by band key
 *     in canonical order; within a bucket each letter is paired with the
 *     bucket's first letter and with its predecessor (the rule --reduce
 *     follows too, so a sharded run finds the same edges).  A bucket of
 *     boilerplate holding a hundred thousand letters thus costs two
 *     pairs a letter, never a pair per two letters.  A pair is dropped
 *     when both letters are already one exact copy (cd_union_exact) or,
 *     without --containment, when the MinHash estimate is CD_SIG_MARGIN
 *     below -t (see minhash.c: the odds of dropping a pair at -t are a
 *     few in a million).
 *  2. The pairs of all bands are sorted and made unique, then grouped by
 *     the pair of their masked texts: identical masked texts have
 *     identical shingle sets, so one comparison answers the group (two
 *     templates on one topic are compared once, not once per pair of
 *     their letters).
 *  3. One pair per group is verified on the exact shingle sets (jobs of
 *     consecutive pairs, so the first letter's set is read once), and
 *     the accepted groups' pairs join the union-find.
 *
 * Every step depends on the letters alone, not on timing: the edges, the
 * counts in the summary and so the clusters are the same for any -j.
 * Nothing joins a cluster on an estimate.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cd.h"
#include "pool.h"

struct pairv {
	uint64_t	*p;		/* (a << 32) | b, a < b */
	size_t		 n, cap;
};

static void
pv_add(struct pairv *v, uint64_t x)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 4096;
		if ((v->p = realloc(v->p, v->cap * sizeof(*v->p))) == NULL)
			abort();
	}
	v->p[v->n++] = x;
}

struct bandjob {
	const struct store *st;
	const struct cd_params *prm;
	const uint32_t	*comp;		/* exact-copy component of each doc */
	int		 band;
	struct pairv	 out;
	unsigned long	 cand;
	struct pairv	*all;		/* done(): appended here, in band order */
	unsigned long	*candidates;
};

static void
maybe_pair(struct bandjob *j, uint32_t a, uint32_t b)
{
	const struct store *st = j->st;

	if (j->comp[a] == j->comp[b])
		return;
	if (j->prm->containment == 0 && cd_sig_estimate(st->sig + (size_t)a *
	    CD_NPERM, st->sig + (size_t)b * CD_NPERM) < j->prm->t - CD_SIG_MARGIN)
		return;
	if (a > b) {
		uint32_t t = a;
		a = b;
		b = t;
	}
	pv_add(&j->out, ((uint64_t)a << 32) | b);
}

static void
band_work(void *arg)
{
	struct bandjob *j = arg;
	const struct store *st = j->st;
	struct keyed *k, *tmp;
	size_t	 i, e, m = 0, n = st->n, *cnt, bands = (size_t)j->prm->bands;
	uint32_t d;

	if ((k = malloc((n + 1) * sizeof(*k))) == NULL ||
	    (tmp = malloc((n + 1) * sizeof(*tmp))) == NULL ||
	    (cnt = malloc(65536 * sizeof(*cnt))) == NULL)
		abort();
	for (i = 0; i < n; i++) {	/* in rank order */
		d = st->byrank[i];
		if (st->d[d].nsh < CD_MINSHINGLES)
			continue;
		k[m].key = st->band[d * bands + (size_t)j->band];
		k[m++].rank = (uint32_t)i;
	}
	cd_keyed_sort(k, m, tmp, cnt);
	for (i = 0; i < m; i = e) {
		uint32_t lead = st->byrank[k[i].rank];

		for (e = i + 1; e < m && k[e].key == k[i].key; e++) {
			uint32_t cur = st->byrank[k[e].rank];

			j->cand++;
			maybe_pair(j, lead, cur);
			if (e - 1 != i)
				maybe_pair(j, st->byrank[k[e - 1].rank], cur);
		}
	}
	free(k);
	free(tmp);
	free(cnt);
}

static void
band_done(void *arg)
{
	struct bandjob *j = arg;
	struct pairv *a = j->all;

	if (a->n + j->out.n > a->cap) {
		a->cap = (a->n + j->out.n) * 3 / 2 + 4096;
		if ((a->p = realloc(a->p, a->cap * sizeof(*a->p))) == NULL)
			abort();
	}
	if (j->out.n)
		memcpy(a->p + a->n, j->out.p, j->out.n * sizeof(*a->p));
	a->n += j->out.n;
	*j->candidates += j->cand;
	free(j->out.p);
	free(j);
}

/* LSD radix sort of 64-bit values, 16 bits a pass, uniform passes skipped. */
static void
sort64(uint64_t *v, size_t n)
{
	uint64_t *tmp, *src = v, *dst, *t;
	size_t	*cnt, i, sum, c;
	unsigned sh;

	if (n < 2)
		return;
	if ((tmp = malloc(n * sizeof(*tmp))) == NULL ||
	    (cnt = malloc(65536 * sizeof(*cnt))) == NULL)
		abort();
	dst = tmp;
	for (sh = 0; sh < 64; sh += 16) {
		memset(cnt, 0, 65536 * sizeof(*cnt));
		for (i = 0; i < n; i++)
			cnt[(src[i] >> sh) & 0xFFFF]++;
		if (cnt[(src[0] >> sh) & 0xFFFF] == n)
			continue;
		for (sum = 0, i = 0; i < 65536; i++) {
			c = cnt[i];
			cnt[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			dst[cnt[(src[i] >> sh) & 0xFFFF]++] = src[i];
		t = src, src = dst, dst = t;
	}
	if (src != v)
		memcpy(v, src, n * sizeof(*v));
	free(tmp);
	free(cnt);
}

/* The key of a pair of masked texts, the same whichever letter is first. */
static uint64_t
text_pair(const struct store *st, uint32_t a, uint32_t b)
{
	uint64_t x = st->d[a].thash, y = st->d[b].thash;

	if (x > y) {
		uint64_t t = x;
		x = y;
		y = t;
	}
	return cd_hash64(&x, 8, y);
}

#define VCHUNK	4096

struct verjob {
	const struct store *st;
	const struct cd_params *prm;
	const uint64_t	*pair;		/* the group representatives */
	uint8_t		*ok;		/* per representative */
	size_t		 n;
};

static void
ver_work(void *arg)
{
	struct verjob *j = arg;
	uint32_t *sa = NULL, *sb = NULL, last = UINT32_MAX;
	size_t	 ca = 0, cb = 0, i;
	long	 na = 0, nb;
	struct sim s;

	for (i = 0; i < j->n; i++) {
		uint32_t a = (uint32_t)(j->pair[i] >> 32), b = (uint32_t)j->pair[i];

		if (a != last) {
			na = store_set_read(j->st, a, &sa, &ca);
			last = a;
		}
		nb = store_set_read(j->st, b, &sb, &cb);
		if (na < 0 || nb < 0) {
			j->ok[i] = 0;	/* an unreadable spill: no edge */
			continue;
		}
		cd_similarity(sa, (size_t)na, sb, (size_t)nb, &s);
		j->ok[i] = cd_accept(j->prm, &s);
	}
	free(sa);
	free(sb);
}

static void
ver_done(void *arg)
{
	free(arg);
}

/* Sorted (text-pair key, pair index), to group pairs of the same texts. */
static struct keyed *
group_pairs(const struct store *st, const uint64_t *p, size_t n)
{
	struct keyed *g, *tmp;
	size_t	*cnt, i;

	if ((g = malloc((n + 1) * sizeof(*g))) == NULL ||
	    (tmp = malloc((n + 1) * sizeof(*tmp))) == NULL ||
	    (cnt = malloc(65536 * sizeof(*cnt))) == NULL)
		abort();
	for (i = 0; i < n; i++) {
		g[i].key = text_pair(st, (uint32_t)(p[i] >> 32), (uint32_t)p[i]);
		g[i].rank = (uint32_t)i;
	}
	cd_keyed_sort(g, n, tmp, cnt);	/* stable: each group's first is its lowest pair */
	free(tmp);
	free(cnt);
	return g;
}

void
cd_lsh(struct store *st, const struct cd_params *p, struct uf *u, int jobs,
    unsigned long *candidates, unsigned long *verified)
{
	struct pool *pl = jobs > 1 ? pool_new(jobs) : NULL;
	struct pairv all = { 0 };
	struct bandjob *bj;
	struct verjob *vj;
	struct keyed *g;
	uint32_t *comp, *gid, *rgid, ng;
	uint64_t *rp;
	uint8_t	*ok, *isrep, *gok;
	size_t	 i, e, n, nr, w;
	int	 b;

	if ((comp = malloc((st->n + 1) * sizeof(*comp))) == NULL)
		abort();
	for (i = 0; i < st->n; i++)
		comp[i] = uf_find(u, (uint32_t)i);
	for (b = 0; b < p->bands; b++) {
		if ((bj = calloc(1, sizeof(*bj))) == NULL)
			abort();
		bj->st = st;
		bj->prm = p;
		bj->comp = comp;
		bj->band = b;
		bj->all = &all;
		bj->candidates = candidates;
		if (pl)
			pool_submit(pl, band_work, band_done, bj);
		else {
			band_work(bj);
			band_done(bj);
		}
	}
	if (pl)
		pool_drain(pl);
	free(comp);
	sort64(all.p, all.n);
	for (n = 0, i = 0; i < all.n; i++)
		if (n == 0 || all.p[n - 1] != all.p[i])
			all.p[n++] = all.p[i];
	/* one representative per group of pairs of the same two texts */
	g = group_pairs(st, all.p, n);
	if ((gid = malloc((n + 1) * sizeof(*gid))) == NULL ||
	    (isrep = calloc(n + 1, 1)) == NULL)
		abort();
	for (ng = 0, i = 0; i < n; i = e, ng++) {
		isrep[g[i].rank] = 1;
		for (e = i; e < n && g[e].key == g[i].key; e++)
			gid[g[e].rank] = ng;
	}
	free(g);
	/* the representatives in pair order: a letter's pairs come together */
	if ((rp = malloc((ng + 1) * sizeof(*rp))) == NULL ||
	    (rgid = malloc((ng + 1) * sizeof(*rgid))) == NULL ||
	    (ok = calloc(ng + 1, 1)) == NULL ||
	    (gok = calloc(ng + 1, 1)) == NULL)
		abort();
	for (nr = 0, i = 0; i < n; i++)
		if (isrep[i]) {
			rp[nr] = all.p[i];
			rgid[nr++] = gid[i];
		}
	free(isrep);
	*verified += nr;
	for (w = 0; w < nr; w += VCHUNK) {
		if ((vj = calloc(1, sizeof(*vj))) == NULL)
			abort();
		vj->st = st;
		vj->prm = p;
		vj->pair = rp + w;
		vj->ok = ok + w;
		vj->n = nr - w < VCHUNK ? nr - w : VCHUNK;
		if (pl)
			pool_submit(pl, ver_work, ver_done, vj);
		else {
			ver_work(vj);
			ver_done(vj);
		}
	}
	if (pl)
		pool_finish(pl);
	/* every pair of an accepted group is an edge */
	for (i = 0; i < nr; i++)
		gok[rgid[i]] = ok[i];
	for (i = 0; i < n; i++)
		if (gok[gid[i]])
			uf_union(u, (uint32_t)(all.p[i] >> 32), (uint32_t)all.p[i]);
	free(gid);
	free(rgid);
	free(rp);
	free(ok);
	free(gok);
	free(all.p);
}
