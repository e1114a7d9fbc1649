/*
 * Templates: the representative's masked text is the template, its slot
 * markers written {{type}} (or the fill, when every member has the same
 * one there).  Each member's fills are placed into the
 * template's slots by aligning the two sequences of slots (longest
 * common subsequence over slot tokens: the slot type plus the three
 * characters of wording before it), so a member that dropped, added or
 * moved a sentence still has its name under {{name}} and its ID under
 * {{id}}.  Slots are few per letter, so this costs microseconds even
 * for clusters of many thousand letters.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cd.h"
#include "u8.h"

struct tok {
	uint32_t	 key;
	enum slot	 type;
};

/* The slot tokens of a masked text. */
static size_t
tokens(const char *m, size_t len, struct tok **out)
{
	struct tok *t = NULL;
	size_t	 n = 0, cap = 0, i = 0;
	int32_t	 c, ctx[3] = { 0, 0, 0 };

	while (i < len) {
		c = cd_next(m, len, &i);
		if (IS_SLOT_CP(c)) {
			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				if ((t = realloc(t, cap * sizeof(*t))) == NULL)
					abort();
			}
			t[n].type = (enum slot)(c - SLOT_BASE);
			t[n++].key = (uint32_t)cd_hash64(ctx, sizeof(ctx),
			    (uint64_t)c);
		} else if (!cd_is_skip(c)) {
			ctx[0] = ctx[1];
			ctx[1] = ctx[2];
			ctx[2] = c;
		}
	}
	*out = t;
	return n;
}

/* The values of a fills string, in order. */
static size_t
values(const char *f, char ***out)
{
	const char *p = f, *us, *rs;
	char	**v = NULL;
	size_t	 n = 0;

	while ((rs = strchr(p, '\x1e')) != NULL) {
		if ((v = realloc(v, (n + 1) * sizeof(*v))) == NULL)
			abort();
		us = memchr(p, '\x1f', (size_t)(rs - p));
		us = us ? us + 1 : p;
		if ((v[n++] = strndup(us, (size_t)(rs - us))) == NULL)
			abort();
		p = rs + 1;
	}
	*out = v;
	return n;
}

/* Aligns member tokens b to template tokens a; map[i] = b index or -1. */
static void
align(const struct tok *a, size_t na, const struct tok *b, size_t nb,
    long *map)
{
	uint32_t *L;
	size_t	 i, j, w = nb + 1;

	if ((na + 1) * w > 4000000) {	/* a huge letter: keep slot order */
		for (i = 0; i < na; i++)
			map[i] = i < nb ? (long)i : -1;
		return;
	}
	if ((L = calloc((na + 1) * w, sizeof(*L))) == NULL)
		abort();
	for (i = na; i-- > 0;)
		for (j = nb; j-- > 0;) {
			if (a[i].key == b[j].key)
				L[i * w + j] = L[(i + 1) * w + j + 1] + 1;
			else
				L[i * w + j] = L[(i + 1) * w + j] >
				    L[i * w + j + 1] ? L[(i + 1) * w + j] :
				    L[i * w + j + 1];
		}
	for (i = 0; i < na; i++)
		map[i] = -1;
	for (i = 0, j = 0; i < na && j < nb;) {
		if (a[i].key == b[j].key)
			map[i++] = (long)j++;
		else if (L[(i + 1) * w + j] >= L[i * w + j + 1])
			i++;
		else
			j++;
	}
	free(L);
}

/*
 * The template text: the representative's masked text with {{type}} for
 * each slot, or the fill itself where every member filled the slot with
 * the same text (an institution named in the template's own wording, the
 * numbering of a list): what all members share is template, not slot.
 */
static char *
render(const char *m, size_t len, char *const *lit)
{
	struct buf b = { 0 };
	size_t	 i = 0, k = 0;
	int32_t	 c;

	buf_add(&b, "", 0);
	while (i < len) {
		c = u8_next(m, len, &i);
		if (IS_SLOT_CP(c)) {
			if (lit && lit[k])
				buf_add(&b, lit[k], strlen(lit[k]));
			else {
				buf_add(&b, "{{", 2);
				buf_add(&b, slot_name(c - SLOT_BASE),
				    strlen(slot_name(c - SLOT_BASE)));
				buf_add(&b, "}}", 2);
			}
			k++;
		} else
			buf_addcp(&b, c);
	}
	return b.s;
}

/* The fill every member gave slot k, or NULL when they differ. */
static char *
constant(const struct tmpl *t, size_t n, size_t k)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (t->fill[i][k] == NULL || strcmp(t->fill[i][k], t->fill[0][k]))
			return NULL;
	return n >= 2 ? t->fill[0][k] : NULL;
}

/* Drops the constant slots from the slot table, keeping the others' order. */
static void
compact(struct tmpl *t, size_t n, char **lit)
{
	size_t	 i, k, w;

	for (w = 0, k = 0; k < t->nslots; k++) {
		if (lit[k]) {
			for (i = 0; i < n; i++)
				if (t->fill[i][k] != lit[k])
					free(t->fill[i][k]);
			continue;
		}
		t->type[w] = t->type[k];
		for (i = 0; i < n; i++)
			t->fill[i][w] = t->fill[i][k];
		w++;
	}
	t->nslots = w;
}

void
cd_template(const struct store *st, const struct cluster *c,
    const struct docdata *dd, struct tmpl *t)
{
	const struct docdata *rd = NULL, *md;
	struct tok *rt, *mt;
	size_t	 nm, i, k, nv, r;
	long	*map;
	char	**v, **lit;

	memset(t, 0, sizeof(*t));
	for (r = 0; r < c->n && c->m[r] != c->rep; r++)
		;
	if (r == c->n || (rd = &dd[r])->block == NULL)
		return;
	t->nslots = tokens(rd->masked, rd->maskedlen, &rt);
	if ((t->type = calloc(t->nslots + 1, sizeof(*t->type))) == NULL ||
	    (t->fill = calloc(c->n, sizeof(*t->fill))) == NULL ||
	    (map = calloc(t->nslots + 1, sizeof(*map))) == NULL ||
	    (lit = calloc(t->nslots + 1, sizeof(*lit))) == NULL)
		abort();
	for (k = 0; k < t->nslots; k++)
		t->type[k] = rt[k].type;
	for (i = 0; i < c->n; i++) {
		if ((t->fill[i] = calloc(t->nslots + 1, sizeof(char *))) == NULL)
			abort();
		if ((md = &dd[i])->block == NULL)
			continue;
		nv = values(md->fills, &v);
		if (st->d[c->m[i]].thash == st->d[c->rep].thash) {
			/* the representative's own masked text: slot k is fill k */
			for (k = 0; k < t->nslots; k++)
				map[k] = (long)k;
		} else {
			nm = tokens(md->masked, md->maskedlen, &mt);
			align(rt, t->nslots, mt, nm, map);
			free(mt);
		}
		for (k = 0; k < t->nslots; k++)
			if (map[k] >= 0 && (size_t)map[k] < nv) {
				t->fill[i][k] = v[map[k]];
				v[map[k]] = NULL;
			}
		for (k = 0; k < nv; k++)
			free(v[k]);
		free(v);
	}
	for (k = 0, nm = t->nslots; k < nm; k++)
		lit[k] = constant(t, c->n, k);
	t->text = render(rd->masked, rd->maskedlen, lit);
	compact(t, c->n, lit);
	for (k = 0; k < nm; k++)
		free(lit[k]);	/* each was member 0's fill */
	free(lit);
	free(map);
	free(rt);
}

void
cd_template_free(struct tmpl *t, size_t nmembers)
{
	size_t	 i, k;

	for (i = 0; t->fill && i < nmembers; i++) {
		for (k = 0; t->fill[i] && k < t->nslots; k++)
			free(t->fill[i][k]);
		free(t->fill[i]);
	}
	free(t->fill);
	free(t->type);
	free(t->text);
	memset(t, 0, sizeof(*t));
}
