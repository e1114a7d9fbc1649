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
buf_addcp(struct buf *b, int32_t cp)
{
	char	 tmp[4];

	if (b->len + 5 <= b->cap) {	/* the common case: room to spare */
		b->len += u8_put(b->s + b->len, cp);
		b->s[b->len] = '\0';
		return;
	}
	buf_add(b, tmp, u8_put(tmp, cp));
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

static char *
fast_path(const char *s, size_t len, size_t *outlen)
{
	char	*f, *p;
	size_t	 i = 0;
	int32_t	 c;

	if (!u8_valid(s, len) || (f = malloc(len + 1)) == NULL)
		return NULL;
	p = f;
	while (i < len) {
		if ((c = fast_fold(u8_next(s, len, &i))) < 0) {
			free(f);
			return NULL;
		}
		p += u8_put(p, c);
	}
	*p = '\0';
	*outlen = (size_t)(p - f);
	return f;
}

char *
cd_normalize(const char *s, size_t len, size_t *outlen)
{
	struct buf out = { 0 };
	char	*f;
	size_t	 flen, i = 0, j;
	int32_t	 c, prev = 0, next;
	bool	 pend_space = false;

	if ((f = fast_path(s, len, &flen)) == NULL &&
	    (f = u8_fold(s, len, &flen)) == NULL)
		return NULL;
	buf_add(&out, "", 0);
	while (i < flen) {
		c = cd_next(f, flen, &i);
		if (is_space(c) || c < 0x20 || c == 0x7F) {
			pend_space = prev != 0;
			continue;
		}
		if (c == '.') {
			j = i;
			next = j < flen ? cd_next(f, flen, &j) : 0;
			if (!keeps_dot(prev, next))
				c = 0x3002;
		} else if (c == ',' && prev >= '0' && prev <= '9' && i < flen &&
		    f[i] >= '0' && f[i] <= '9')
			;	/* a thousands separator: 72,000.00 */
		else
			c = fold_punct(c);
		/* A space only survives between two non-CJK word characters. */
		if (pend_space && !is_cjk(prev) && !is_cjk(c) && prev < 0x3000 &&
		    c < 0x3000)
			buf_addc(&out, ' ');
		pend_space = false;
		buf_addcp(&out, c);
		prev = c;
	}
	free(f);
	*outlen = out.len;
	return out.s;
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
