/*
 * Streaming RFC 4180 CSV (see csv.h).  A four-state machine; runs of
 * plain bytes are copied in one go so that long letters and messages do
 * not cost a call per byte.  Unescaped field text is kept in one buffer,
 * NUL after each field; the field array is made when the row ends, as the
 * buffer may move while it grows.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "csv.h"

enum csv_state { ST_START, ST_BARE, ST_QUOTED, ST_QUOTE2 };

struct csv {
	csv_row_fn	 fn;
	void		*arg;
	size_t		 max;
	bool		 lenient;
	enum csv_state	 st;
	char		*d;		/* field text, NUL-separated */
	size_t		 len, cap;
	size_t		*off;		/* start of each finished field in d */
	struct csv_field *f;
	size_t		 nf, fcap, fstart;
	bool		 cr;		/* last byte kept was a bare CR */
	bool		 quoted;	/* the current field was quoted */
	enum csv_err	 err;
	uint64_t	 line, rowline, rows;
};

const char *
csv_strerror(enum csv_err e)
{
	switch (e) {
	case CSV_OK:
		return "no error";
	case CSV_EQUOTE:
		return "broken quoting";
	case CSV_ELONG:
		return "record too long";
	case CSV_EEOF:
		return "unterminated quoted field";
	}
	return "unknown error";
}

struct csv *
csv_new(size_t max, unsigned flags, csv_row_fn fn, void *arg)
{
	struct csv *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->fn = fn;
	c->arg = arg;
	c->max = max ? max : (size_t)16 << 20;
	c->lenient = (flags & CSV_LENIENT) != 0;
	c->line = c->rowline = 1;
	return c;
}

void
csv_free(struct csv *c)
{
	if (c == NULL)
		return;
	free(c->d);
	free(c->off);
	free(c->f);
	free(c);
}

static void
seterr(struct csv *c, enum csv_err e)
{
	if (e > c->err)
		c->err = e;
}

/* Room for n more bytes of text, or CSV_ELONG past the bound. */
static bool
room(struct csv *c, size_t n)
{
	size_t	 cap;
	char	*p;

	if (c->err == CSV_ELONG)
		return false;
	if (n > c->max || c->len + c->nf * CSV_FIELD_COST > c->max - n) {
		seterr(c, CSV_ELONG);
		return false;
	}
	if (c->len + n > c->cap) {
		for (cap = c->cap ? c->cap : 256; cap < c->len + n; cap *= 2)
			;
		if ((p = realloc(c->d, cap)) == NULL) {
			seterr(c, CSV_ELONG);	/* the bound the allocator set */
			return false;
		}
		c->d = p;
		c->cap = cap;
	}
	return true;
}

static void
put(struct csv *c, const char *s, size_t n)
{
	if (n > 0 && room(c, n)) {
		memcpy(c->d + c->len, s, n);
		c->len += n;
	}
}

static void
endfield(struct csv *c)
{
	size_t	 cap;

	c->st = ST_START;
	c->cr = false;
	c->quoted = false;
	if (!room(c, 1 + CSV_FIELD_COST))
		return;
	if (c->nf == c->fcap) {
		cap = c->fcap ? c->fcap * 2 : 16;
		if ((c->off = realloc(c->off, cap * sizeof(*c->off))) == NULL ||
		    (c->f = realloc(c->f, cap * sizeof(*c->f))) == NULL)
			abort();
		c->fcap = cap;
	}
	c->d[c->len++] = '\0';
	c->off[c->nf++] = c->fstart;
	c->fstart = c->len;
}

static int
endrow(struct csv *c)
{
	struct csv_row r;
	size_t	 i;
	int	 rv = 0;

	/* A blank line: no comma, no quote, no text. */
	if (c->nf == 0 && c->len == c->fstart && !c->quoted &&
	    c->err == CSV_OK)
		goto reset;
	endfield(c);
	if (c->err == CSV_ELONG)
		c->nf = 0;
	for (i = 0; i < c->nf; i++) {
		c->f[i].s = c->d + c->off[i];
		c->f[i].len = (i + 1 < c->nf ? c->off[i + 1] : c->len) -
		    c->off[i] - 1;
	}
	r.f = c->f;
	r.nf = c->nf;
	r.row = ++c->rows;
	r.line = c->rowline;
	r.err = c->err;
	rv = c->fn(&r, c->arg);
reset:
	c->len = c->nf = c->fstart = 0;
	c->st = ST_START;
	c->cr = c->quoted = false;
	c->err = CSV_OK;
	c->rowline = c->line;
	return rv;
}

/* Length of the run of plain bytes of a bare field at s[0..n). */
static size_t
span(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '\n' || s[i] == '"' || s[i] == '\r')
			break;
	return i;
}

int
csv_feed(struct csv *c, const void *buf, size_t n)
{
	const char *s = buf, *q;
	size_t	 i = 0, k, j;
	char	 ch;
	int	 rv;

	while (i < n) {
		switch (c->st) {
		case ST_QUOTED:
			q = memchr(s + i, '"', n - i);
			k = q ? (size_t)(q - (s + i)) : n - i;
			for (j = 0; j < k; j++)
				if (s[i + j] == '\n')
					c->line++;
			put(c, s + i, k);
			i += k;
			if (i < n) {
				c->st = ST_QUOTE2;
				i++;
			}
			continue;
		case ST_START:
			if (s[i] == '"') {
				c->st = ST_QUOTED;
				c->quoted = true;
				i++;
				continue;
			}
			c->st = ST_BARE;
			/* FALLTHROUGH */
		case ST_BARE:
			k = span(s + i, n - i);
			if (k > 0) {
				put(c, s + i, k);
				c->cr = false;
				i += k;
				continue;
			}
			ch = s[i++];
			if (ch == ',')
				endfield(c);
			else if (ch == '\n') {
				c->line++;
				if (c->cr && c->len > c->fstart)
					c->len--;
				if ((rv = endrow(c)) != 0)
					return rv;
			} else {
				if (ch == '"' && !c->lenient)
					seterr(c, CSV_EQUOTE);
				put(c, &ch, 1);
				c->cr = ch == '\r' && c->err != CSV_ELONG;
			}
			continue;
		case ST_QUOTE2:
			ch = s[i++];
			if (ch == '"') {
				put(c, &ch, 1);
				c->st = ST_QUOTED;
			} else if (ch == ',')
				endfield(c);
			else if (ch == '\n') {
				c->line++;
				if ((rv = endrow(c)) != 0)
					return rv;
			} else if (ch != '\r') {
				/* Text after the closing quote: kept. */
				if (!c->lenient)
					seterr(c, CSV_EQUOTE);
				put(c, &ch, 1);
				c->st = ST_BARE;
				c->cr = false;
			}
			continue;
		}
	}
	return 0;
}

int
csv_end(struct csv *c)
{
	if (c->st == ST_QUOTED)
		seterr(c, CSV_EEOF);
	else if (c->st == ST_BARE && c->cr && c->len > c->fstart)
		c->len--;
	if (c->st == ST_START && c->nf == 0 && c->err == CSV_OK)
		return 0;
	return endrow(c);
}
