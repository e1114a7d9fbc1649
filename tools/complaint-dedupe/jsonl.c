/*
 * A JSON Lines row scanner for the few fields complaint-dedupe reads.
 * Building a jansson tree of a whole row (every member, every string
 * decoded and re-validated, a hash table of keys) was a third of the
 * cost of a letter; here one pass validates the row as strictly as
 * jansson does (RFC 8259 grammar, UTF-8, escapes and surrogate pairs,
 * no \u0000, numbers that fit jansson's integer and double) and notes
 * where the wanted members' values lie; only the text field is decoded.
 * The scanner answers "not sure" (0) rather than guess: on any error,
 * on escaped keys and on deep nesting the caller parses the row with
 * jansson, which then gives the diagnostic.  A fuzz target
 * (tests/fuzz/fuzz-complaint-dedupe-jsonl.c) checks the two agree.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cd.h"

#define JL_MAXDEPTH	64	/* deeper: jansson (its own limit is 2048) */

struct jl {
	const unsigned char *s;
	size_t	 n, i;
	int	 depth;
};

static void
ws(struct jl *p)
{
	while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t' ||
	    p->s[p->i] == '\n' || p->s[p->i] == '\r'))
		p->i++;
}

static int
hex4(const unsigned char *s, unsigned *v)
{
	int	 k;
	unsigned c, x = 0;

	for (k = 0; k < 4; k++) {
		c = s[k];
		if (c >= '0' && c <= '9')
			x = x * 16 + (c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			x = x * 16 + ((c | 0x20) - 'a' + 10);
		else
			return -1;
	}
	*v = x;
	return 0;
}

/* Length of the valid UTF-8 sequence at s (lead byte >= 0x80), or 0. */
static size_t
utf8_seq(const unsigned char *s, size_t left)
{
	unsigned c = s[0];

	if (c >= 0xC2 && c <= 0xDF)
		return left >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		if (left < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0))
			return 0;	/* overlong, or a surrogate */
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (left < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
		    (s[3] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] >= 0x90))
			return 0;	/* overlong, or past U+10FFFF */
		return 4;
	}
	return 0;
}

/*
 * A string token starting at the opening quote.  On success p->i is past
 * the closing quote; *esc tells whether it holds escapes.
 */
static int
string(struct jl *p, bool *esc)
{
	const unsigned char *s = p->s;
	size_t	 i = p->i + 1, k;
	unsigned v, w;

	*esc = false;
	while (i < p->n) {
		unsigned c = s[i];

		if (c == '"') {
			p->i = i + 1;
			return 0;
		}
		if (c < 0x20)
			return -1;
		if (c < 0x80 && c != '\\') {
			i++;
			continue;
		}
		if (c >= 0x80) {
			if ((k = utf8_seq(s + i, p->n - i)) == 0)
				return -1;
			i += k;
			continue;
		}
		*esc = true;	/* a backslash */
		if (i + 1 >= p->n)
			return -1;
		c = s[i + 1];
		if (c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' ||
		    c == 'n' || c == 'r' || c == 't') {
			i += 2;
			continue;
		}
		if (c != 'u' || i + 6 > p->n || hex4(s + i + 2, &v) == -1 || v == 0)
			return -1;
		i += 6;
		if (v >= 0xDC00 && v <= 0xDFFF)
			return -1;	/* a low surrogate alone */
		if (v >= 0xD800 && v <= 0xDBFF) {
			if (i + 6 > p->n || s[i] != '\\' || s[i + 1] != 'u' ||
			    hex4(s + i + 2, &w) == -1 || w < 0xDC00 || w > 0xDFFF)
				return -1;
			i += 6;
		}
	}
	return -1;
}

/* A number, as strict as jansson: grammar, and no overflow. */
static int
number(struct jl *p)
{
	const unsigned char *s = p->s;
	size_t	 i = p->i, start = p->i;
	bool	 real = false;
	char	 tmp[64], *end;

	if (i < p->n && s[i] == '-')
		i++;
	if (i >= p->n || s[i] < '0' || s[i] > '9')
		return -1;
	if (s[i] == '0') {
		i++;
		if (i < p->n && s[i] >= '0' && s[i] <= '9')
			return -1;
	} else
		while (i < p->n && s[i] >= '0' && s[i] <= '9')
			i++;
	if (i < p->n && s[i] == '.') {
		real = true;
		if (++i >= p->n || s[i] < '0' || s[i] > '9')
			return -1;
		while (i < p->n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i < p->n && (s[i] == 'e' || s[i] == 'E')) {
		real = true;
		i++;
		if (i < p->n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= p->n || s[i] < '0' || s[i] > '9')
			return -1;
		while (i < p->n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i - start >= sizeof(tmp))
		return -1;	/* long numbers: let jansson judge them */
	memcpy(tmp, s + start, i - start);
	tmp[i - start] = '\0';
	errno = 0;
	if (!real) {
		(void)strtoll(tmp, &end, 10);
		if (errno == ERANGE)
			return -1;
	} else {
		double d = strtod(tmp, &end);

		if ((errno == ERANGE && d != 0) || !isfinite(d))
			return -1;
	}
	p->i = i;
	return 0;
}

static int value(struct jl *, bool *isstr);

static int
word(struct jl *p, const char *w)
{
	size_t	 l = strlen(w);

	if (p->n - p->i < l || memcmp(p->s + p->i, w, l) != 0)
		return -1;
	p->i += l;
	return 0;
}

/* The members of an object or the elements of an array, after the bracket. */
static int
container(struct jl *p, bool obj)
{
	bool	 b;

	if (++p->depth > JL_MAXDEPTH)
		return -1;
	ws(p);
	if (p->i < p->n && p->s[p->i] == (obj ? '}' : ']')) {
		p->i++;
		p->depth--;
		return 0;
	}
	for (;;) {
		if (obj) {
			if (p->i >= p->n || p->s[p->i] != '"' || string(p, &b) == -1)
				return -1;
			ws(p);
			if (p->i >= p->n || p->s[p->i++] != ':')
				return -1;
			ws(p);
		}
		if (value(p, &b) == -1)
			return -1;
		ws(p);
		if (p->i >= p->n)
			return -1;
		if (p->s[p->i] == ',') {
			p->i++;
			ws(p);
			continue;
		}
		if (p->s[p->i++] != (obj ? '}' : ']'))
			return -1;
		p->depth--;
		return 0;
	}
}

static int
value(struct jl *p, bool *isstr)
{
	bool	 esc;

	*isstr = false;
	if (p->i >= p->n)
		return -1;
	switch (p->s[p->i]) {
	case '"':
		*isstr = true;
		return string(p, &esc);
	case '{':
		p->i++;
		return container(p, true);
	case '[':
		p->i++;
		return container(p, false);
	case 't':
		return word(p, "true");
	case 'f':
		return word(p, "false");
	case 'n':
		return word(p, "null");
	default:
		return number(p);
	}
}

int
jl_scan(const char *row, size_t len, struct jl_field *f, size_t nf)
{
	struct jl p = { (const unsigned char *)row, len, 0, 0 };
	size_t	 k, ks, kl, vs;
	bool	 esc, isstr;

	for (k = 0; k < nf; k++)
		f[k].found = f[k].isstr = false;
	ws(&p);
	if (p.i >= p.n || p.s[p.i] != '{')
		return 0;
	p.i++;
	p.depth = 1;
	ws(&p);
	if (p.i < p.n && p.s[p.i] == '}')
		p.i++;
	else
		for (;;) {
			if (p.i >= p.n || p.s[p.i] != '"')
				return 0;
			ks = p.i + 1;
			if (string(&p, &esc) == -1 || esc)
				return 0;	/* an escaped key: jansson */
			kl = p.i - 1 - ks;
			ws(&p);
			if (p.i >= p.n || p.s[p.i++] != ':')
				return 0;
			ws(&p);
			vs = p.i;
			if (value(&p, &isstr) == -1)
				return 0;
			/* a key named twice: the last one counts, as in jansson */
			for (k = 0; k < nf; k++)
				if (strlen(f[k].name) == kl &&
				    memcmp(f[k].name, row + ks, kl) == 0) {
					f[k].found = true;
					f[k].isstr = isstr;
					f[k].off = vs;
					f[k].len = p.i - vs;
				}
			ws(&p);
			if (p.i >= p.n)
				return 0;
			if (p.s[p.i] == ',') {
				p.i++;
				ws(&p);
				continue;
			}
			if (p.s[p.i++] != '}')
				return 0;
			break;
		}
	ws(&p);
	return p.i == p.n ? 1 : 0;
}

/* Encodes a code point (valid, not a surrogate) as UTF-8. */
static size_t
put8(char *o, unsigned c)
{
	if (c < 0x80) {
		o[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (char)(0xC0 | (c >> 6));
		o[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (char)(0xE0 | (c >> 12));
		o[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		o[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | (c >> 18));
	o[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	o[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

char *
jl_string(const char *tok, size_t toklen, size_t *outlen)
{
	const char *s = tok + 1, *end = tok + toklen - 1, *bs;
	char	*out, *o;
	unsigned v, w;

	/* an escape never decodes longer than it is written */
	if ((out = malloc(toklen + 1)) == NULL)
		abort();
	o = out;
	while (s < end) {
		if ((bs = memchr(s, '\\', (size_t)(end - s))) == NULL)
			bs = end;
		memcpy(o, s, (size_t)(bs - s));
		o += bs - s;
		if ((s = bs) >= end)
			break;
		switch (s[1]) {
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u':
			hex4((const unsigned char *)s + 2, &v);
			if (v >= 0xD800 && v <= 0xDBFF) {
				hex4((const unsigned char *)s + 8, &w);
				v = 0x10000 + ((v - 0xD800) << 10) + (w - 0xDC00);
				s += 6;
			}
			o += put8(o, v);
			s += 4;
			break;
		default:	/* " \ / */
			*o++ = s[1];
		}
		s += 2;
	}
	*o = '\0';
	*outlen = (size_t)(o - out);
	return out;
}
