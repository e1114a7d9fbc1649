/*
 * Normalisation: the letters of one template arrive typed on phones and
 * PCs, copied through chat apps and word processors, so the same wording
 * differs in width (１２３ / 123), punctuation (，/ ,), case and spacing.
 * NFKC with case folding (u8_fold) settles width and case; here
 * punctuation is folded to a few canonical marks and whitespace runs
 * become one space, dropped between CJK characters.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <pthread.h>

#include <utf8proc.h>

#include "cd.h"
#include "u8.h"

void
buf_add(struct buf *b, const void *p, size_t n)
{
	char	*ns;
	size_t	 nc;

	if (b->len + n + 1 > b->cap) {
		nc = b->cap ? b->cap : 64;
		while (nc < b->len + n + 1)
			nc *= 2;
		if ((ns = realloc(b->s, nc)) == NULL)
			abort();	/* out of memory: nothing sane to do */
		b->s = ns;
		b->cap = nc;
	}
	memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void
buf_free(struct buf *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}

static bool
is_space(int32_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v' || c == 0x3000 || c == 0xA0 || (c >= 0x2000 && c <= 0x200A) ||
	    c == 0x2028 || c == 0x2029 || c == 0x85;
}

static bool
is_cjk(int32_t c)
{
	return (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
	    (c >= 0x20000 && c <= 0x3FFFF);
}

/* Punctuation folded to one canonical mark per role. */
static int32_t
fold_punct(int32_t c)
{
	switch (c) {
	case 0x3002: case '!': case '?': case ';': case 0xFF61:
		return 0x3002;				/* 。 */
	case ',': case 0x3001: case 0xFF64:
		return 0xFF0C;				/* ， */
	case ':':
		return 0xFF1A;				/* ： */
	case 0x201C: case 0x201D: case 0x2018: case 0x2019: case '"':
	case '\'': case 0x300C: case 0x300D: case 0x300E: case 0x300F:
		return '"';
	case 0x3010: case 0x3011: case '[': case ']': case 0x3014: case 0x3015:
	case 0x300A: case 0x300B: case '{': case '}':
		return c == 0x3011 || c == ']' || c == 0x3015 || c == 0x300B ||
		    c == '}' ? ')' : '(';
	case 0x2014: case 0x2013: case 0x2012: case 0x2015: case 0x2E3A:
		return '-';
	case 0x2026:
		return 0x3002;
	default:
		return c;
	}
}

/* The word-processor period '.' ends a sentence unless it is a decimal point. */
static bool
keeps_dot(int32_t prev, int32_t next)
{
	return (prev >= '0' && prev <= '9') || (next >= '0' && next <= '9') ||
	    (prev < 0x80 && prev > ' ' && next < 0x80 && next > ' ');
}

/*
 * Most letters are Han characters, ASCII and full-width punctuation, for
 * which NFKC with case folding is known: full-width forms map to ASCII,
 * A-Z to a-z, and the rest stand.  Such letters skip utf8proc (a sixth of
 * the time per letter); anything else goes through u8_fold.
 */
static int32_t
fast_fold(int32_t c)
{
	if (c < 0x80)
		return c >= 'A' && c <= 'Z' ? c + 32 : c;
	if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3001 && c <= 0x3035) ||
	    c == 0x201C || c == 0x201D || c == 0x2018 || c == 0x2019 ||
	    c == 0x2014 || c == 0xB7)
		return c;
	if (c >= 0xFF01 && c <= 0xFF5E)
		return fast_fold(c - 0xFEE0);
	if (c == 0xFFE5)
		return 0xA5;
	return -1;
}

#define NF_END	(-2)	/* past the last code point */

/*
 * Beyond fast_fold: Latin-1 and Latin Extended (names, garbled copies),
 * general punctuation ('…' is in a third of letters), CJK symbols and
 * kana, and the half-width forms.  Their folds are asked of u8_fold once,
 * one code point at a time, and kept in a table.  Folding a string code
 * point by code point equals folding it whole only when nothing can
 * reorder or compose across code points, so a code point is kept only if
 * it and every code point of its fold are starters (canonical combining
 * class 0) outside the Hangul jamo (the starters that compose with each
 * other); anything else (a combining mark in the text) takes the whole
 * letter to u8_fold.
 */
#define FT_NONE		0xFF	/* not in the table: u8_fold */
struct fold_ent {
	uint8_t	 n;		/* code points of the fold, or FT_NONE */
	int32_t	 cp[3];
};
static const struct { int32_t lo, hi; } ft_ranges[] = {
	{ 0x80, 0x24F }, { 0x2000, 0x206F }, { 0x3000, 0x30FF },
	{ 0xFF00, 0xFF9F }, { 0xFFE0, 0xFFEF }
};
#define FT_SIZE	(0x250 - 0x80 + 0x70 + 0x100 + 0xA0 + 0x10)
static struct fold_ent ft[FT_SIZE];
static pthread_once_t ft_once = PTHREAD_ONCE_INIT;

static int
ft_index(int32_t c)
{
	size_t	 k;
	int	 base = 0;

	for (k = 0; k < sizeof(ft_ranges) / sizeof(ft_ranges[0]); k++) {
		if (c >= ft_ranges[k].lo && c <= ft_ranges[k].hi)
			return base + (c - ft_ranges[k].lo);
		base += ft_ranges[k].hi - ft_ranges[k].lo + 1;
	}
	return -1;
}

static bool
starter(int32_t c)
{
	return utf8proc_get_property(c)->combining_class == 0 &&
	    !(c >= 0x1100 && c <= 0x11FF) && !(c >= 0xA960 && c <= 0xA97F) &&
	    !(c >= 0xD7B0 && c <= 0xD7FF) && !(c >= 0xAC00 && c <= 0xD7A3);
}

static void
ft_build(void)
{
	size_t	 k, flen, j;
	int32_t	 c, f;
	int	 i;
	char	 u[4], *out;
	struct fold_ent *e;

	for (k = 0; k < sizeof(ft_ranges) / sizeof(ft_ranges[0]); k++)
		for (c = ft_ranges[k].lo; c <= ft_ranges[k].hi; c++) {
			e = &ft[ft_index(c)];
			e->n = FT_NONE;
			if (!starter(c) || (c >= 0xFFA0 && c <= 0xFFDC) ||
			    (out = u8_fold(u, (size_t)u8_put(u, c), &flen)) == NULL)
				continue;
			for (j = 0, i = 0; j < flen && i <= 3; i++) {
				f = cd_next(out, flen, &j);
				if (i == 3 || !starter(f))
					i = 4;
				else
					e->cp[i] = f;
			}
			if (i <= 3)
				e->n = (uint8_t)i;
			free(out);
		}
}

/* The folded code points of c into cp[]; -1: u8_fold must do it. */
static inline int
fold_cp(int32_t c, int32_t cp[3])
{
	const struct fold_ent *e;
	int	 k;

	if ((cp[0] = fast_fold(c)) >= 0)
		return 1;
	if ((k = ft_index(c)) < 0)
		return -1;
	e = &ft[k];
	if (e->n == FT_NONE)
		return -1;
	memcpy(cp, e->cp, sizeof(e->cp));
	return e->n;
}

/* Reads the folded stream one code point at a time. */
struct freader {
	const char *s;
	size_t	 len, i;
	int32_t	 q[3];
	int	 nq, iq;
};

static inline int32_t
fr_next(struct freader *r)
{
	int	 n;

	while (r->iq == r->nq) {
		if (r->i >= r->len)
			return NF_END;
		if ((n = fold_cp(cd_next(r->s, r->len, &r->i), r->q)) < 0)
			return -1;
		r->nq = n, r->iq = 0;
	}
	return r->q[r->iq++];
}

struct nstate {
	char	*p;		/* output (see the sizes where it is allocated) */
	int32_t	 prev;
	bool	 pend_space;
};

/*
 * One folded code point c into the output; next is the folded code point
 * after it (0 at the end), for the '.' and thousands-separator rules.
 */
static inline void
emit(struct nstate *st, int32_t c, int32_t next)
{
	if (is_space(c) || c < 0x20 || c == 0x7F) {
		st->pend_space = st->prev != 0;
		return;
	}
	if (c == '.') {
		if (!keeps_dot(st->prev, next))
			c = 0x3002;
	} else if (c == ',' && st->prev >= '0' && st->prev <= '9' &&
	    next >= '0' && next <= '9')
		;	/* a thousands separator: 72,000.00 */
	else
		c = fold_punct(c);
	/* A space only survives between two non-CJK word characters. */
	if (st->pend_space && !is_cjk(st->prev) && !is_cjk(c) &&
	    st->prev < 0x3000 && c < 0x3000)
		*st->p++ = ' ';
	st->pend_space = false;
	st->p += u8_put(st->p, c);
	st->prev = c;
}

/*
 * The common case in one pass: valid UTF-8 whose every code point
 * fast_fold or the table knows.  NULL (nothing allocated) when some code
 * point needs utf8proc.
 */
static char *
fast_normalize(const char *s, size_t len, bool valid, size_t *outlen)
{
	struct nstate st = { NULL, 0, false };
	struct freader r = { s, len, 0, { 0 }, 0, 0 };
	char	*out;
	int32_t	 c, next;

	if (!valid && !u8_valid(s, len))
		return NULL;
	pthread_once(&ft_once, ft_build);
	/*
	 * A code point folds to at most 3 ("…" -> "..."), each written in
	 * at most 3 bytes after at most one space: 12 bytes for the shortest
	 * such input, a 2-byte code point, so 6 a byte is room enough.
	 */
	if ((out = malloc(6 * len + 1)) == NULL)
		abort();
	st.p = out;
	c = fr_next(&r);
	while (c != NF_END) {
		if (c < 0) {	/* needs utf8proc */
			free(out);
			return NULL;
		}
		next = fr_next(&r);
		emit(&st, c, next < 0 ? 0 : next);
		c = next;
	}
	*st.p = '\0';
	*outlen = (size_t)(st.p - out);
	return out;
}

char *
cd_normalize(const char *s, size_t len, size_t *outlen)
{
	return cd_normalize_valid(s, len, false, outlen);
}

/* valid: the caller has checked s is UTF-8 (a JSON string is). */
char *
cd_normalize_valid(const char *s, size_t len, bool valid, size_t *outlen)
{
	struct nstate st = { NULL, 0, false };
	char	*f, *out;
	size_t	 flen, i = 0, j;
	int32_t	 c, next;

	if ((out = fast_normalize(s, len, valid, outlen)) != NULL)
		return out;
	if ((f = u8_fold(s, len, &flen)) == NULL)
		return NULL;
	if ((out = malloc(4 * flen + 1)) == NULL)
		abort();
	st.p = out;
	while (i < flen) {
		c = cd_next(f, flen, &i);
		j = i;
		next = j < flen ? cd_next(f, flen, &j) : 0;
		emit(&st, c, next);
	}
	*st.p = '\0';
	free(f);
	*outlen = (size_t)(st.p - out);
	return out;
}

/* Spaces and punctuation carry no template wording: they are not shingled. */
bool
cd_is_skip(int32_t c)
{
	if (c == ' ' || c == '"' || c == '(' || c == ')' || c == '-')
		return true;
	if (c < 0x80)
		return c == '.' || c == '!' || c == '?' || c == '*' || c == '#' ||
		    c == '~' || c == '_' || c == '/' || c == '\\' || c == '|';
	return c == 0x3002 || c == 0xFF0C || c == 0xFF1A || c == 0x00B7 ||
	    (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF01 && c <= 0xFF0F) ||
	    (c >= 0x2010 && c <= 0x205E);
}
