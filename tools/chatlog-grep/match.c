/*
 * The matcher: one Vectorscan database holds every spelling of every
 * term (and every regular expression), so a lexicon of ten thousand
 * terms costs one pass over the text.  With evasion on, that pass runs
 * over the folded text (evasion.c) and each hit is mapped back to the
 * original bytes; homophones (aggressive) get a second database over
 * the sound stream, since they compare readings, not characters.
 */
#include "config.h"

#include <hs/hs.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grep.h"
#include "u8.h"

struct pat {
	uint32_t	 term;
	uint32_t	 len;		/* literal length; 0 for a regex */
	uint8_t		 form;
};

struct db {
	hs_database_t	*db;
	/*
	 * A big literal lexicon is compiled in two halves on two threads:
	 * patterns [split, npats) form db2.  The ids stay the indices of
	 * pats, so a scan of both reads like a scan of one.
	 */
	hs_database_t	*db2;
	size_t		 split;
	bool		 halves;	/* two threads may compile */
	hs_scratch_t	*proto;
	struct pat	*pats;
	size_t		 npats, cap;
	/* being built */
	char		**expr;
	unsigned	*flags, *ids;
};

/*
 * A big lexicon of literals compiles on a thread of its own while the
 * first messages are read; scans wait for it.  Literals cannot fail to
 * compile for syntax, so the caller needs no answer before it starts.
 */
#define ASYNC_MIN	2048	/* fewer patterns compile in a blink */
#define SPLIT_MIN	16384	/* more literals compile in two halves */

struct matcher {
	const struct lexicon *lx;
	enum evasion	 ev;
	struct db	 main, sound;
	pthread_key_t	 key;
	bool		 async, ready;
	int		 crc;
	char		 cerr[256];
	pthread_t	 tid;
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
};

struct tls {			/* per-thread scratch and buffers */
	hs_scratch_t	*scratch, *sscratch;
	struct buf	 folded, foff, sound, soff, src, one;
	struct raw	*raw;
	size_t		 nraw, rawcap;
};

struct raw {
	uint32_t	 id;
	unsigned long long from, to;
};

/* ---- building ---- */

static void
db_push(struct db *d, char *expr, unsigned flags, uint32_t term, uint32_t len,
    enum form form)
{
	size_t	 n = d->npats;

	if (n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 256;
		d->pats = realloc(d->pats, d->cap * sizeof(*d->pats));
		d->expr = realloc(d->expr, d->cap * sizeof(*d->expr));
		d->flags = realloc(d->flags, d->cap * sizeof(*d->flags));
		d->ids = realloc(d->ids, d->cap * sizeof(*d->ids));
		if (!d->pats || !d->expr || !d->flags || !d->ids)
			abort();
	}
	d->pats[n].term = term;
	d->pats[n].len = len;
	d->pats[n].form = (uint8_t)form;
	d->expr[n] = expr;
	d->flags[n] = flags;
	d->ids[n] = (unsigned)n;
	d->npats++;
}

/* A literal as a pattern: every byte escaped, so any text is safe. */
static char *
lit_expr(const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	char	*e = malloc(4 * len + 1), *o = e;
	size_t	 i;

	if (e == NULL)
		abort();
	for (i = 0; i < len; i++) {
		*o++ = '\\';
		*o++ = 'x';
		*o++ = hex[(unsigned char)s[i] >> 4];
		*o++ = hex[(unsigned char)s[i] & 15];
	}
	*o = '\0';
	return e;
}

struct addctx {
	struct db	*d;
	uint32_t	 term;
	bool		 near;
	size_t		 first;		/* first pattern of this term, for dedup */
};

static void
add_form(const char *s, size_t len, enum form form, void *arg)
{
	struct addctx *a = arg;
	size_t	 i;
	char	*e;

	if (len == 0)
		return;
	e = lit_expr(s, len);
	for (i = a->first; i < a->d->npats; i++)	/* forms of one term repeat */
		if (a->d->pats[i].len == len && strcmp(e, a->d->expr[i]) == 0) {
			free(e);
			return;
		}
	db_push(a->d, e, 0, a->term, (uint32_t)len, a->near ? FORM_NEAR : form);
}

static void
add_term(struct matcher *m, uint32_t ti)
{
	const struct term *t = &m->lx->terms[ti];
	struct addctx a = { &m->main, ti, false, m->main.npats };
	unsigned flags = HS_FLAG_UTF8 | HS_FLAG_SOM_LEFTMOST | HS_FLAG_UCP;
	size_t	 i;

	if (t->regex) {
		if (m->ev != EV_OFF)
			flags |= HS_FLAG_CASELESS;
		db_push(&m->main, strdup(t->text), flags, ti, 0, FORM_PLAIN);
	} else if (m->ev == EV_OFF)
		add_form(t->text, strlen(t->text), FORM_PLAIN, &a);
	else
		ev_forms(t->text, m->ev, add_form, &a);
	a.near = true;
	for (i = 0; i < t->nnear; i++) {
		a.first = m->main.npats;
		if (m->ev == EV_OFF)
			add_form(t->near_words[i], strlen(t->near_words[i]), FORM_NEAR, &a);
		else {
			struct buf f = { 0 };

			ev_fold(t->near_words[i], strlen(t->near_words[i]), &f, NULL);
			add_form(f.p, f.len, FORM_NEAR, &a);
			buf_free(&f);
		}
	}
	if (m->ev == EV_AGGRESSIVE && !t->regex) {
		a.d = &m->sound;
		a.near = false;
		a.first = m->sound.npats;
		ev_sound_forms(t->text, add_form, &a);
	}
}

static unsigned
hexval(char c)
{
	return (unsigned)(c <= '9' ? c - '0' : c - 'a' + 10);
}

/*
 * A lexicon of literals only (the usual case) goes through Vectorscan's
 * literal compiler, several times quicker on tens of thousands of
 * spellings; the escaped expressions are turned back into bytes for it.
 * Patterns [from, to) into *out.
 */
static hs_error_t
compile_literals(struct db *d, size_t from, size_t to, hs_database_t **out,
    hs_compile_error_t **ce)
{
	size_t	*lens, i, k, n = to - from;
	char	**lits;
	hs_error_t rc;

	lens = calloc(n, sizeof(*lens));
	lits = calloc(n, sizeof(*lits));
	if (lens == NULL || lits == NULL)
		abort();
	for (i = 0; i < n; i++) {
		lens[i] = d->pats[from + i].len;
		if ((lits[i] = malloc(lens[i] + 1)) == NULL)
			abort();
		for (k = 0; k < lens[i]; k++)
			lits[i][k] = (char)(hexval(d->expr[from + i][4 * k + 2]) << 4 |
			    hexval(d->expr[from + i][4 * k + 3]));
	}
	rc = hs_compile_lit_multi((const char *const *)lits, d->flags + from,
	    d->ids + from, lens, (unsigned)n, HS_MODE_BLOCK, NULL, out, ce);
	for (i = 0; i < n; i++)
		free(lits[i]);
	free(lits);
	free(lens);
	return rc;
}

struct half {
	struct db	*d;
	hs_compile_error_t *ce;
	hs_error_t	 rc;
};

static void *
compile_half(void *arg)
{
	struct half *h = arg;

	h->rc = compile_literals(h->d, h->d->split, h->d->npats, &h->d->db2, &h->ce);
	return NULL;
}

/*
 * Literals, in two halves on two threads when there are many (the
 * compile of tens of thousands of spellings takes seconds, and the
 * scans wait for it).
 */
static hs_error_t
compile_split(struct db *d, hs_compile_error_t **ce)
{
	struct half h = { d, NULL, HS_SUCCESS };
	pthread_t tid;
	hs_error_t rc;

	if (d->npats < SPLIT_MIN || !d->halves)
		return compile_literals(d, 0, d->npats, &d->db, ce);
	d->split = d->npats / 2;
	if (pthread_create(&tid, NULL, compile_half, &h) != 0) {
		d->split = 0;
		return compile_literals(d, 0, d->npats, &d->db, ce);
	}
	rc = compile_literals(d, 0, d->split, &d->db, ce);
	pthread_join(tid, NULL);
	if (rc == HS_SUCCESS && h.rc != HS_SUCCESS) {
		if (h.ce != NULL && h.ce->expression >= 0)
			h.ce->expression += (int)d->split;	/* an index into pats */
		*ce = h.ce;
		return h.rc;
	}
	if (h.ce != NULL)
		hs_free_compile_error(h.ce);
	return rc;
}

static int
db_compile(struct db *d, const struct lexicon *lx, char *err, size_t errlen)
{
	hs_compile_error_t *ce = NULL;
	const struct term *t;
	size_t	 i;
	bool	 literal = true;
	hs_error_t rc;

	if (d->npats == 0)
		return 0;
	for (i = 0; i < d->npats && literal; i++)
		literal = d->pats[i].len > 0;
	if (literal)
		rc = compile_split(d, &ce);
	else
		rc = hs_compile_multi((const char *const *)d->expr, d->flags,
		    d->ids, (unsigned)d->npats, HS_MODE_BLOCK, NULL, &d->db, &ce);
	if (rc != HS_SUCCESS) {
		if (ce->expression >= 0) {
			t = &lx->terms[d->pats[ce->expression].term];
			snprintf(err, errlen, "%s: bad pattern '%s': %s", t->where,
			    t->text, ce->message);
		} else
			snprintf(err, errlen, "cannot compile the lexicon: %s",
			    ce->message);
		hs_free_compile_error(ce);
		return -1;
	}
	for (i = 0; i < d->npats; i++)
		free(d->expr[i]);
	free(d->expr);
	free(d->flags);
	free(d->ids);
	d->expr = NULL;
	d->flags = d->ids = NULL;
	/* One scratch space serves both halves. */
	if (hs_alloc_scratch(d->db, &d->proto) != HS_SUCCESS ||
	    (d->db2 != NULL && hs_alloc_scratch(d->db2, &d->proto) != HS_SUCCESS)) {
		snprintf(err, errlen, "cannot allocate Vectorscan scratch space");
		return -1;
	}
	return 0;
}

static void
tls_free(void *p)
{
	struct tls *t = p;

	if (t == NULL)
		return;
	hs_free_scratch(t->scratch);
	hs_free_scratch(t->sscratch);
	buf_free(&t->folded);
	buf_free(&t->foff);
	buf_free(&t->sound);
	buf_free(&t->soff);
	buf_free(&t->src);
	buf_free(&t->one);
	free(t->raw);
	free(t);
}

static void *
compile_thread(void *arg)
{
	struct matcher *m = arg;
	int	 rc;

	rc = db_compile(&m->main, m->lx, m->cerr, sizeof(m->cerr)) == -1 ||
	    db_compile(&m->sound, m->lx, m->cerr, sizeof(m->cerr)) == -1 ? -1 : 0;
	pthread_mutex_lock(&m->mu);
	m->crc = rc;
	m->ready = true;
	pthread_cond_broadcast(&m->cv);
	pthread_mutex_unlock(&m->mu);
	return NULL;
}

static bool
all_literal(const struct db *d)
{
	size_t	 i;

	for (i = 0; i < d->npats; i++)
		if (d->pats[i].len == 0)
			return false;
	return true;
}

struct matcher *
match_new(const struct lexicon *lx, enum evasion ev, int threads, char *err,
    size_t errlen)
{
	struct matcher *m;
	uint32_t ti;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		abort();
	m->lx = lx;
	m->ev = ev;
	m->main.halves = m->sound.halves = threads > 1;
	ev_init();
	for (ti = 0; ti < lx->nterms; ti++)
		add_term(m, ti);
	pthread_mutex_init(&m->mu, NULL);
	pthread_cond_init(&m->cv, NULL);
	pthread_key_create(&m->key, tls_free);
	if (m->main.npats + m->sound.npats >= ASYNC_MIN && all_literal(&m->main) &&
	    all_literal(&m->sound) &&
	    pthread_create(&m->tid, NULL, compile_thread, m) == 0) {
		m->async = true;
		return m;
	}
	m->ready = true;
	if (db_compile(&m->main, lx, err, errlen) == -1 ||
	    db_compile(&m->sound, lx, err, errlen) == -1) {
		pthread_key_delete(m->key);
		match_free(m);
		return NULL;
	}
	return m;
}

bool
match_ready(const struct matcher *cm)
{
	struct matcher *m = (struct matcher *)(uintptr_t)cm;
	bool	 r;

	pthread_mutex_lock(&m->mu);
	r = m->ready;
	pthread_mutex_unlock(&m->mu);
	return r;
}

/*
 * Waits for a compile on its thread.  A literal lexicon fails only when
 * Vectorscan runs out of resources: nothing sane is left to do then.
 */
static void
match_wait(const struct matcher *cm)
{
	struct matcher *m = (struct matcher *)(uintptr_t)cm;

	pthread_mutex_lock(&m->mu);
	while (!m->ready)
		pthread_cond_wait(&m->cv, &m->mu);
	pthread_mutex_unlock(&m->mu);
	if (m->crc != 0) {
		fflush(stdout);
		fprintf(stderr, "chatlog-grep: %s\n", m->cerr);
		_exit(2);
	}
}

size_t
match_npatterns(const struct matcher *m)
{
	return m->main.npats + m->sound.npats;
}

static void
db_free(struct db *d)
{
	size_t	 i;

	if (d->expr != NULL)
		for (i = 0; i < d->npats; i++)
			free(d->expr[i]);
	free(d->expr);
	free(d->flags);
	free(d->ids);
	free(d->pats);
	hs_free_scratch(d->proto);
	hs_free_database(d->db);
	hs_free_database(d->db2);
}

void
match_free(struct matcher *m)
{
	if (m == NULL)
		return;
	if (m->async)
		pthread_join(m->tid, NULL);
	pthread_mutex_destroy(&m->mu);
	pthread_cond_destroy(&m->cv);
	db_free(&m->main);
	db_free(&m->sound);
	free(m);
}

/* ---- scanning ---- */

static int
on_match(unsigned id, unsigned long long from, unsigned long long to,
    unsigned flags, void *ctx)
{
	struct tls *t = ctx;

	(void)flags;
	if (t->nraw == t->rawcap) {
		t->rawcap = t->rawcap ? 2 * t->rawcap : 1024;
		if ((t->raw = realloc(t->raw, t->rawcap * sizeof(*t->raw))) == NULL)
			abort();
	}
	t->raw[t->nraw].id = id;
	t->raw[t->nraw].from = from;
	t->raw[t->nraw].to = to;
	t->nraw++;
	return 0;
}

/* Both halves; the raw hits are sorted later (hits_tidy). */
static void
db_scan(const struct db *d, const char *text, size_t len, hs_scratch_t *sc,
    struct tls *t)
{
	if (d->db != NULL)
		hs_scan(d->db, text, (unsigned)len, 0, sc, on_match, t);
	if (d->db2 != NULL)
		hs_scan(d->db2, text, (unsigned)len, 0, sc, on_match, t);
}

static struct tls *
tls_get(const struct matcher *m)
{
	struct tls *t = pthread_getspecific(m->key);

	if (t != NULL)
		return t;
	if ((t = calloc(1, sizeof(*t))) == NULL)
		abort();
	if ((m->main.db && hs_clone_scratch(m->main.proto, &t->scratch) != HS_SUCCESS) ||
	    (m->sound.db && hs_clone_scratch(m->sound.proto, &t->sscratch) != HS_SUCCESS))
		abort();
	pthread_setspecific(m->key, t);
	return t;
}

/* The message holding byte offset x of a joined text (off has n+1 entries). */
static size_t
msg_at(const size_t *off, size_t n, size_t x)
{
	size_t	 lo = 0, hi = n;

	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (off[mid] <= x)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static void
hit_push(struct hits *h, const struct hit *x)
{
	if (h->n == h->cap) {
		h->cap = h->cap ? 2 * h->cap : 256;
		if ((h->v = realloc(h->v, h->cap * sizeof(*h->v))) == NULL)
			abort();
	}
	h->v[h->n++] = *x;
}

static void
raw_plain(const struct matcher *m, const struct msgset *ms, const struct raw *r,
    struct hits *out)
{
	const struct pat *p = &m->main.pats[r->id];
	size_t	 from = p->len ? r->to - p->len : r->from;
	size_t	 k = msg_at(ms->off, ms->n, from);
	struct hit h;

	if (r->to > ms->off[k + 1] - 1)
		return;				/* across a message boundary */
	h.msg = (uint32_t)k;
	h.term = p->term;
	h.so = from - ms->off[k];
	h.eo = r->to - ms->off[k];
	h.variant = VAR_EXACT;
	h.aux = p->form == FORM_NEAR;
	if (!m->lx->terms[p->term].regex && !ev_bounds_ok(ms->text + ms->off[k],
	    ms->off[k + 1] - 1 - ms->off[k], h.so, h.eo))
		return;
	hit_push(out, &h);
}

/* Per output byte of message k's folding, the input offset (refolded on demand). */
static const uint32_t *
src_map(struct tls *t, const struct msgset *ms, size_t k, size_t *cached)
{
	if (*cached != k) {
		t->one.len = 0;
		t->src.len = 0;
		ev_fold(ms->text + ms->off[k], ms->off[k + 1] - 1 - ms->off[k],
		    &t->one, &t->src);
		*cached = k;
	}
	return (const uint32_t *)(void *)t->src.p;
}

static size_t
span_end(const char *s, size_t len, size_t at)
{
	size_t	 n = u8_seqlen((const unsigned char *)s + at, len - at);

	return at + (n ? n : 1);
}

/* Maps a folded span [fs, fe) of message k back and classifies it. */
static void
fold_hit(struct tls *t, const struct matcher *m, const struct msgset *ms,
    size_t k, size_t fs, size_t fe, const struct pat *p, size_t *cached,
    struct hits *out)
{
	const char *text = ms->text + ms->off[k];
	size_t	 tlen = ms->off[k + 1] - 1 - ms->off[k];
	const uint32_t *src = src_map(t, ms, k, cached);
	struct hit h;
	enum variant v;

	if (fe == 0 || fe > t->one.len)
		return;
	h.msg = (uint32_t)k;
	h.term = p->term;
	h.so = src[fs];
	h.eo = span_end(text, tlen, src[fe - 1]);
	h.aux = p->form == FORM_NEAR;
	if (h.aux)
		v = VAR_EXACT;
	else if ((v = ev_classify(text, tlen, h.so, h.eo, &m->lx->terms[p->term],
	    (enum form)p->form)) == VAR_COUNT)
		return;
	h.variant = (uint8_t)v;
	hit_push(out, &h);
}

static void
fold_batch(struct tls *t, const struct msgset *ms)
{
	size_t	 k, o;

	t->folded.len = 0;
	t->foff.len = 0;
	for (k = 0; k < ms->n; k++) {
		o = t->folded.len;
		buf_add(&t->foff, &o, sizeof(o));
		ev_fold(ms->text + ms->off[k], ms->off[k + 1] - 1 - ms->off[k],
		    &t->folded, NULL);
		buf_add(&t->folded, "", 1);
	}
	o = t->folded.len;
	buf_add(&t->foff, &o, sizeof(o));
}

static void
sound_batch(struct tls *t, size_t n)
{
	const size_t *foff = (const size_t *)(void *)t->foff.p;
	size_t	 k, o;

	t->sound.len = 0;
	t->soff.len = 0;
	for (k = 0; k < n; k++) {
		o = t->sound.len;
		buf_add(&t->soff, &o, sizeof(o));
		ev_sound(t->folded.p + foff[k], foff[k + 1] - 1 - foff[k], &t->sound);
		buf_add(&t->sound, "\0\0\0", 3);
	}
	o = t->sound.len;
	buf_add(&t->soff, &o, sizeof(o));
}

/* Byte offset in the folded message of its ci-th character. */
static size_t
cp_offset(const char *s, size_t len, size_t ci)
{
	size_t	 i = 0;

	while (ci-- > 0 && i < len)
		(void)u8_next(s, len, &i);
	return i;
}

static void
scan_folded(const struct matcher *m, struct tls *t, const struct msgset *ms,
    struct hits *out)
{
	const size_t *foff;
	size_t	 i, k, cached = SIZE_MAX, from;
	struct msgset fs;

	fold_batch(t, ms);
	foff = (const size_t *)(void *)t->foff.p;
	fs.text = t->folded.p;
	fs.len = t->folded.len;
	fs.off = foff;
	fs.n = ms->n;
	t->nraw = 0;
	db_scan(&m->main, fs.text, fs.len, t->scratch, t);
	for (i = 0; i < t->nraw; i++) {
		const struct pat *p = &m->main.pats[t->raw[i].id];

		from = p->len ? t->raw[i].to - p->len : t->raw[i].from;
		k = msg_at(foff, ms->n, from);
		if (t->raw[i].to > foff[k + 1] - 1)
			continue;
		fold_hit(t, m, ms, k, from - foff[k], t->raw[i].to - foff[k], p,
		    &cached, out);
	}
	if (m->sound.db == NULL)
		return;
	sound_batch(t, ms->n);
	t->nraw = 0;
	db_scan(&m->sound, t->sound.p, t->sound.len, t->sscratch, t);
	{
		const size_t *soff = (const size_t *)(void *)t->soff.p;

		for (i = 0; i < t->nraw; i++) {
			const struct pat *p = &m->sound.pats[t->raw[i].id];
			const char *f;
			size_t	 fl, a, b;

			from = t->raw[i].to - p->len;
			k = msg_at(soff, ms->n, from);
			if (t->raw[i].to > soff[k + 1] - 3 || (from - soff[k]) % 3)
				continue;
			f = t->folded.p + foff[k];
			fl = foff[k + 1] - 1 - foff[k];
			a = cp_offset(f, fl, (from - soff[k]) / 3);
			b = cp_offset(f, fl, (t->raw[i].to - soff[k]) / 3);
			fold_hit(t, m, ms, k, a, b, p, &cached, out);
		}
	}
}

static int
hit_cmp(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	if (x->msg != y->msg)
		return x->msg < y->msg ? -1 : 1;
	if (x->so != y->so)
		return x->so < y->so ? -1 : 1;
	if (x->term != y->term)
		return x->term < y->term ? -1 : 1;
	if (x->eo != y->eo)
		return x->eo < y->eo ? -1 : 1;
	return (int)x->variant - (int)y->variant;
}

/* Sorts, and keeps one hit per term and span (the likeliest variant). */
static void
hits_tidy(struct hits *h, size_t start)
{
	size_t	 i, o = start;

	if (h->n == start)
		return;
	qsort(h->v + start, h->n - start, sizeof(*h->v), hit_cmp);
	for (i = start; i < h->n; i++) {
		if (o > start && h->v[o - 1].msg == h->v[i].msg &&
		    h->v[o - 1].term == h->v[i].term &&
		    h->v[o - 1].aux == h->v[i].aux &&
		    h->v[i].so < h->v[o - 1].eo)
			continue;		/* overlapping spellings of one hit */
		h->v[o++] = h->v[i];
	}
	h->n = o;
}

int
match_scan(const struct matcher *m, const struct msgset *ms, struct hits *out)
{
	struct tls *t;
	size_t	 i, start = out->n;

	if (m->async)
		match_wait(m);
	t = tls_get(m);
	if (ms->len > UINT32_MAX / 2)
		return -1;
	if (m->ev == EV_OFF) {
		t->nraw = 0;
		db_scan(&m->main, ms->text, ms->len, t->scratch, t);
		for (i = 0; i < t->nraw; i++)
			raw_plain(m, ms, &t->raw[i], out);
	} else
		scan_folded(m, t, ms, out);
	hits_tidy(out, start);
	return 0;
}
