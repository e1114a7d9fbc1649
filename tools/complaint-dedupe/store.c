/*
 * The letters kept between reading and clustering.  At a million
 * letters only what clustering needs stays in memory (about 100 bytes
 * plus the band keys per letter); the masked text, fills, entities and
 * metadata go to an unlinked temporary file and are read back with
 * pread(2) for the few letters a step looks at.  Memory is then bounded
 * by the count of letters, not their text.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cd.h"

#define GROW(p, n, cap) do {						\
	if ((n) == (cap)) {						\
		void *np_;						\
		(cap) = (cap) ? (cap) * 2 : 1024;			\
		if ((np_ = realloc((p), (cap) * sizeof(*(p)))) == NULL)	\
			abort();					\
		(p) = np_;						\
	}								\
} while (0)

static int
hexdig(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ?
	    c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

int
store_init(struct store *st, int bands)
{
	memset(st, 0, sizeof(*st));
	st->bands = bands;
	if ((st->spill = tmpfile()) == NULL)
		return -1;
	return 0;
}

uint32_t
store_src(struct store *st, const char *path, const char *member)
{
	struct src *s;

	if (st->ns > 0) {
		s = &st->s[st->ns - 1];
		if (strcmp(s->path, path) == 0 && ((s->member == NULL &&
		    member == NULL) || (s->member && member &&
		    strcmp(s->member, member) == 0)))
			return (uint32_t)(st->ns - 1);
	}
	GROW(st->s, st->ns, st->scap);
	s = &st->s[st->ns];
	if ((s->path = strdup(path)) == NULL ||
	    (member && (s->member = strdup(member)) == NULL))
		abort();
	if (member == NULL)
		s->member = NULL;
	s->hashed = false;
	return (uint32_t)st->ns++;
}

int
store_src_sha(struct store *st, uint32_t src, const char *hex)
{
	unsigned char v[32];
	int	 i, hi, lo;

	for (i = 0; i < 32; i++) {
		if ((hi = hexdig(hex[2 * i])) < 0 || (lo = hexdig(hex[2 * i + 1])) < 0)
			return -1;
		v[i] = (unsigned char)(hi * 16 + lo);
	}
	if (hex[64] != '\0')
		return -1;
	memcpy(st->s[src].sha, v, 32);
	st->s[src].hashed = true;
	return 0;
}

const unsigned char *
store_file_sha(const struct store *st, uint32_t doc)
{
	const struct src *s = &st->s[st->d[doc].src];

	return s->hashed ? s->sha : st->d[doc].sha;
}

void
cd_hex32(const unsigned char *s, char out[65])
{
	static const char h[] = "0123456789abcdef";
	int	 i;

	for (i = 0; i < 32; i++) {
		out[2 * i] = h[s[i] >> 4];
		out[2 * i + 1] = h[s[i] & 15];
	}
	out[64] = '\0';
}

static void
spill_field(struct store *st, const char *s, size_t n)
{
	if (n)
		fwrite(s, 1, n, st->spill);
	fputc('\0', st->spill);
}

static void
add_ents(struct store *st, uint32_t doc, const char *e, size_t len)
{
	const char *p = e, *end = e + len, *rs;
	int	 t;

	while (p < end && (rs = memchr(p, '\x1e', (size_t)(end - p))) != NULL) {
		for (t = 0; t < ENT_NTYPES; t++)
			if (strncmp(p, ent_name(t), strlen(ent_name(t))) == 0 &&
			    p[strlen(ent_name(t))] == '\x1f')
				break;
		GROW(st->e, st->ne, st->ecap);
		st->e[st->ne].h = cd_hash64(p, (size_t)(rs - p), 7);
		st->e[st->ne].doc = doc;
		st->e[st->ne].type = (uint8_t)t;
		st->ne++;
		p = rs + 1;
	}
}

uint32_t
store_add(struct store *st, uint32_t src, uint32_t row, const struct letter *l,
    const char *meta, int64_t time)
{
	struct doc *d;
	uint32_t id = (uint32_t)st->n;
	size_t	 ml = meta ? strlen(meta) : 0;
	uint32_t nset;

	if (st->n == st->cap) {
		GROW(st->d, st->n, st->cap);
		if ((st->band = realloc(st->band, st->cap * (size_t)st->bands *
		    sizeof(*st->band))) == NULL ||
		    (st->sig = realloc(st->sig, st->cap * CD_NPERM *
		    sizeof(*st->sig))) == NULL)
			abort();
	}
	d = &st->d[st->n++];
	memset(d, 0, sizeof(*d));
	d->off = st->spilled;
	d->src = src;
	d->row = row;
	d->nsh = (uint32_t)l->nsh;
	d->thash = l->thash;
	d->nhash = l->nhash;
	d->time = time;
	d->size = l->size;
	memcpy(d->sha, l->sha, 32);
	memcpy(st->band + (size_t)id * (size_t)st->bands, l->band,
	    (size_t)st->bands * sizeof(*st->band));
	memcpy(st->sig + (size_t)id * CD_NPERM, l->sig, sizeof(l->sig));
	spill_field(st, l->masked, l->maskedlen);
	spill_field(st, l->fills.s, l->fills.len);
	spill_field(st, l->ents.s, l->ents.len);
	spill_field(st, meta, ml);
	nset = (uint32_t)l->nsh;
	fwrite(&nset, sizeof(nset), 1, st->spill);
	fwrite(l->set, sizeof(uint32_t), nset, st->spill);
	d->len = (uint32_t)(l->maskedlen + l->fills.len + l->ents.len + ml + 4 +
	    4 + 4 * (size_t)nset);
	st->spilled += d->len;
	add_ents(st, id, l->ents.s, l->ents.len);
	return id;
}

int
store_get(const struct store *st, uint32_t doc, struct docdata *dd)
{
	const struct doc *d = &st->d[doc];
	size_t	 got = 0;
	ssize_t	 r;
	char	*p;

	memset(dd, 0, sizeof(*dd));
	if ((dd->block = malloc((size_t)d->len + 1)) == NULL)
		abort();
	while (got < d->len) {
		r = pread(fileno(st->spill), dd->block + got, d->len - got,
		    (off_t)(d->off + got));
		if (r <= 0) {
			if (r < 0 && errno == EINTR)
				continue;
			free(dd->block);
			dd->block = NULL;
			return -1;
		}
		got += (size_t)r;
	}
	dd->block[d->len] = '\0';
	p = dd->block;
	dd->masked = p;
	dd->maskedlen = strlen(p);
	p += dd->maskedlen + 1;
	dd->fills = p;
	p += strlen(p) + 1;
	dd->ents = p;
	p += strlen(p) + 1;
	dd->meta = p;
	p += strlen(p) + 1;
	memcpy(&dd->nset, p, sizeof(dd->nset));
	dd->set = p + sizeof(dd->nset);
	return 0;
}

void
store_put(struct docdata *dd)
{
	free(dd->block);
	dd->block = NULL;
}

size_t
store_shingles(const struct store *st, uint32_t doc, uint32_t **out)
{
	struct docdata dd;
	size_t	 n;

	*out = NULL;
	if (store_get(st, doc, &dd) == -1)
		return 0;
	n = dd.nset;
	if ((*out = malloc((n + 1) * sizeof(**out))) == NULL)
		abort();
	memcpy(*out, dd.set, n * sizeof(**out));
	store_put(&dd);
	return n;
}

/*
 * Only the shingle set, the tail of the spill record (nset = nsh), read
 * straight into a reused buffer: verification reads millions of sets.
 */
long
store_set_read(const struct store *st, uint32_t doc, uint32_t **buf,
    size_t *cap)
{
	const struct doc *d = &st->d[doc];
	size_t	 n = d->nsh, want = 4 * n, got = 0;
	ssize_t	 r;

	if (n + 1 > *cap) {
		free(*buf);
		*cap = n + 1 + n / 2;
		if ((*buf = malloc(*cap * sizeof(**buf))) == NULL)
			abort();
	}
	while (got < want) {
		r = pread(fileno(st->spill), (char *)*buf + got, want - got,
		    (off_t)(d->off + d->len - want + got));
		if (r <= 0) {
			if (r < 0 && errno == EINTR)
				continue;
			return -1;
		}
		got += (size_t)r;
	}
	return (long)n;
}

static const struct store *rank_st;

static int
src_cmp(const void *a, const void *b)
{
	const struct src *x = &rank_st->s[*(const uint32_t *)a];
	const struct src *y = &rank_st->s[*(const uint32_t *)b];
	int	 c;

	if ((c = strcmp(x->path, y->path)) != 0)
		return c;
	if (x->member == NULL || y->member == NULL)
		return (x->member != NULL) - (y->member != NULL);
	return strcmp(x->member, y->member);
}

int
store_cmp(const struct store *st, uint32_t a, uint32_t b)
{
	const struct doc *x = &st->d[a], *y = &st->d[b];

	if (x->src != y->src)
		return st->s[x->src].rank < st->s[y->src].rank ? -1 : 1;
	return x->row < y->row ? -1 : x->row > y->row;
}

static int
doc_cmp(const void *a, const void *b)
{
	return store_cmp(rank_st, *(const uint32_t *)a, *(const uint32_t *)b);
}

/*
 * The canonical order of letters is (path, member, row), not the order
 * of reading: leaders, representatives and ids then come out the same
 * for a one-process run, a sharded --map/--reduce/--merge run and any -j.
 */
void
store_rank(struct store *st)
{
	uint32_t *o;
	size_t	 i;

	fflush(st->spill);
	rank_st = st;
	if ((o = malloc((st->ns + 1) * sizeof(*o))) == NULL)
		abort();
	for (i = 0; i < st->ns; i++)
		o[i] = (uint32_t)i;
	qsort(o, st->ns, sizeof(*o), src_cmp);
	for (i = 0; i < st->ns; i++)
		st->s[o[i]].rank = (uint32_t)i;
	free(o);
	free(st->rank);
	free(st->byrank);
	if ((st->rank = malloc((st->n + 1) * sizeof(*st->rank))) == NULL ||
	    (st->byrank = malloc((st->n + 1) * sizeof(*st->byrank))) == NULL)
		abort();
	for (i = 0; i < st->n; i++)
		st->byrank[i] = (uint32_t)i;
	qsort(st->byrank, st->n, sizeof(*st->byrank), doc_cmp);
	for (i = 0; i < st->n; i++)
		st->rank[st->byrank[i]] = (uint32_t)i;
}

void
store_free(struct store *st)
{
	size_t	 i;

	for (i = 0; i < st->ns; i++) {
		free(st->s[i].path);
		free(st->s[i].member);
	}
	free(st->s);
	free(st->d);
	free(st->band);
	free(st->sig);
	free(st->e);
	free(st->rank);
	free(st->byrank);
	if (st->spill)
		fclose(st->spill);
	memset(st, 0, sizeof(*st));
}
