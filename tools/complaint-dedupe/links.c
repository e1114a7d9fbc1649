/*
 * Links between clusters: a validated entity (phone, ID, card, QQ,
 * WeChat, e-mail, URL, or a --meta value such as an IP or account)
 * found in letters of two or more clusters ties them to one sender or
 * agent.  Letters that stand alone but name the entity are listed too.
 * --watchlist flags letters that name a known agent's number or account.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cd.h"
#include "rec.h"

struct lent {
	uint64_t	 h;
	uint8_t		 type;
	char		*value;
	uint32_t	*cl;		/* clusters naming it, ascending */
	size_t		 ncl;
	uint32_t	 letters;	/* letters naming it */
	uint32_t	 alone;		/* of which outside any cluster */
};

struct links {
	struct lent	*e;
	size_t		 n, cap;
	/* entities of cluster id: idx[off[id - 1] .. off[id]), ascending */
	uint32_t	*off, *idx;
	size_t		 ncl;
};

static int
ent_cmp(const void *a, const void *b)
{
	const struct entrec *x = a, *y = b;

	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	return x->doc < y->doc ? -1 : x->doc > y->doc;
}

static int
u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* The value of the entity with hash h among a letter's entities. */
static char *
ent_value(const struct store *st, uint32_t doc, uint64_t h)
{
	struct docdata dd;
	const char *p, *rs, *us;
	char	*v = NULL;

	if (store_get(st, doc, &dd) == -1)
		return NULL;
	for (p = dd.ents; (rs = strchr(p, '\x1e')) != NULL; p = rs + 1)
		if (cd_hash64(p, (size_t)(rs - p), 7) == h &&
		    (us = memchr(p, '\x1f', (size_t)(rs - p))) != NULL) {
			v = strndup(us + 1, (size_t)(rs - us - 1));
			break;
		}
	store_put(&dd);
	return v;
}

static void
add_group(struct links *L, const struct store *st, const struct clusters *cs,
    const struct entrec *g, size_t n)
{
	struct lent e;
	size_t	 i, k = 0;

	memset(&e, 0, sizeof(e));
	if ((e.cl = malloc(n * sizeof(*e.cl))) == NULL)
		abort();
	for (i = 0; i < n; i++) {
		if (i > 0 && g[i].doc == g[i - 1].doc)
			continue;
		e.letters++;
		if (cs->of[g[i].doc])
			e.cl[k++] = cs->c[cs->of[g[i].doc] - 1].id;
		else
			e.alone++;
	}
	qsort(e.cl, k, sizeof(*e.cl), u32_cmp);
	for (i = 0; i < k; i++)
		if (e.ncl == 0 || e.cl[e.ncl - 1] != e.cl[i])
			e.cl[e.ncl++] = e.cl[i];
	/* worth reporting: shared by clusters, or by a cluster and a letter */
	if (e.ncl >= 2 || (e.ncl == 1 && e.alone > 0) ||
	    (e.ncl == 1 && e.letters >= 2) || (e.ncl == 0 && e.letters >= 2)) {
		e.h = g[0].h;
		e.type = g[0].type;
		e.value = ent_value(st, g[0].doc, g[0].h);
		if (L->n == L->cap) {
			L->cap = L->cap ? L->cap * 2 : 256;
			if ((L->e = realloc(L->e, L->cap * sizeof(*L->e))) == NULL)
				abort();
		}
		L->e[L->n++] = e;
	} else
		free(e.cl);
}

/*
 * Each cluster's entities, so that a cluster's record looks at its own
 * and not at every shared value of a million letters.
 */
static void
index_clusters(struct links *L, size_t ncl)
{
	size_t	 i, k, *fill;

	L->ncl = ncl;
	if ((L->off = calloc(ncl + 2, sizeof(*L->off))) == NULL ||
	    (fill = calloc(ncl + 2, sizeof(*fill))) == NULL)
		abort();
	for (i = 0; i < L->n; i++)
		for (k = 0; k < L->e[i].ncl; k++)
			if (L->e[i].cl[k] >= 1 && L->e[i].cl[k] <= ncl)
				L->off[L->e[i].cl[k]]++;
	for (i = 1; i <= ncl + 1; i++)
		L->off[i] += L->off[i - 1];
	if ((L->idx = malloc((L->off[ncl + 1] + 1) * sizeof(*L->idx))) == NULL)
		abort();
	for (i = 0; i < L->n; i++)
		for (k = 0; k < L->e[i].ncl; k++)
			if (L->e[i].cl[k] >= 1 && L->e[i].cl[k] <= ncl) {
				uint32_t id = L->e[i].cl[k];

				L->idx[L->off[id - 1] + fill[id]++] = (uint32_t)i;
			}
	free(fill);
}

struct links *
links_build(const struct store *st, const struct clusters *cs)
{
	struct links *L;
	struct entrec *e;
	size_t	 i, j;

	if ((L = calloc(1, sizeof(*L))) == NULL ||
	    (e = malloc((st->ne + 1) * sizeof(*e))) == NULL)
		abort();
	if (st->ne > 0)
		memcpy(e, st->e, st->ne * sizeof(*e));
	qsort(e, st->ne, sizeof(*e), ent_cmp);
	for (i = 0; i < st->ne; i = j) {
		for (j = i + 1; j < st->ne && e[j].h == e[i].h; j++)
			;
		if (j - i >= 2)
			add_group(L, st, cs, e + i, j - i);
	}
	free(e);
	index_clusters(L, cs->n);
	return L;
}

/* Entities of cluster id to report, and the other clusters they reach. */
json_t *
links_entities(const struct links *L, uint32_t id, json_t **linksout)
{
	json_t	*ents = json_array(), *links = json_object(), *o, *a, *via;
	size_t	 x, k;
	char	 key[32];

	for (x = id >= 1 && id <= L->ncl ? L->off[id - 1] : 0;
	    id >= 1 && id <= L->ncl && x < L->off[id]; x++) {
		const struct lent *e = &L->e[L->idx[x]];

		/* a client's own number repeated in a copy says nothing */
		if (e->ncl < 2 && e->alone == 0 && e->letters < 3)
			continue;
		a = json_array();
		for (k = 0; k < e->ncl; k++)
			json_array_append_new(a, json_integer(e->cl[k]));
		o = json_pack("{s:s,s:s?,s:i,s:i,s:o}", "type",
		    ent_name(e->type), "value", e->value, "letters",
		    (int)e->letters, "alone", (int)e->alone, "clusters", a);
		json_array_append_new(ents, o);
		for (k = 0; k < e->ncl; k++) {
			if (e->cl[k] == id)
				continue;
			snprintf(key, sizeof(key), "%u", e->cl[k]);
			if ((via = json_object_get(links, key)) == NULL) {
				via = json_array();
				json_object_set_new(links, key, via);
			}
			json_array_append_new(via, json_pack("{s:s,s:s?}",
			    "type", ent_name(e->type), "value", e->value));
		}
	}
	*linksout = links;
	return ents;
}

void
links_free(struct links *L)
{
	size_t	 i;

	if (L == NULL)
		return;
	for (i = 0; i < L->n; i++) {
		free(L->e[i].cl);
		free(L->e[i].value);
	}
	free(L->e);
	free(L->off);
	free(L->idx);
	free(L);
}

/* --watchlist: one value a line (a phone, QQ, WeChat ID, e-mail...); # comments. */
static char	**watch;
static size_t	  nwatch;

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
watch_load(const char *path, struct rec_out *ro)
{
	FILE	*f;
	char	*line = NULL, *p;
	size_t	 cap = 0;
	ssize_t	 n;

	if ((f = fopen(path, "r")) == NULL) {
		rec_error(ro, path, NULL, "cannot open '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	while ((n = getline(&line, &cap, f)) != -1) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r' ||
		    line[n - 1] == ' ' || line[n - 1] == '\t'))
			line[--n] = '\0';
		for (p = line; *p == ' ' || *p == '\t'; p++)
			;
		if (*p == '\0' || *p == '#')
			continue;
		if ((watch = realloc(watch, (nwatch + 1) * sizeof(*watch))) ==
		    NULL || (watch[nwatch++] = strdup(p)) == NULL)
			abort();
	}
	free(line);
	fclose(f);
	if (nwatch > 0)
		qsort(watch, nwatch, sizeof(*watch), str_cmp);
	return 0;
}

bool
watch_hit(const char *type, const char *value)
{
	(void)type;
	return nwatch > 0 && bsearch(&value, watch, nwatch, sizeof(*watch),
	    str_cmp) != NULL;
}
