/*
 * RFC 4180 CSV for the WeChat csv layouts, fed one line at a time so that
 * a quoted field may span lines (multi-line messages) while memory stays
 * bounded by one record.  Lenient where exporters are sloppy: a stray
 * quote inside an unquoted field is kept, text after a closing quote is
 * appended.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "read_priv.h"

#define CSV_MAXFIELDS	256

struct rd_csv {
	rd_csv_row_fn	 row;
	struct rbuf	 rec;		/* the raw record being assembled */
	struct rbuf	 fld;		/* unescaped fields, NUL-separated */
	size_t		 off[CSV_MAXFIELDS], len[CSV_MAXFIELDS];
	size_t		 n;
	bool		 inq;		/* inside a quoted field at line end */
	uint64_t	 line;		/* line where the record starts */
	uint64_t	 rowno;		/* 0 = header */
};

struct rd_csv *
rd_csv_new(rd_csv_row_fn row)
{
	struct rd_csv *c;

	if ((c = calloc(1, sizeof(*c))) != NULL)
		c->row = row;
	return c;
}

void
rd_csv_free(void *p)
{
	struct rd_csv *c = p;

	if (c == NULL)
		return;
	rbuf_free(&c->rec);
	rbuf_free(&c->fld);
	free(c);
}

static int
field_end(struct rd_csv *c, size_t start)
{
	if (rbuf_add(&c->fld, "", 1, 2 * RD_MSG_MAX) == -1)
		return -1;
	if (c->n < CSV_MAXFIELDS) {
		c->off[c->n] = start;
		c->len[c->n] = c->fld.len - 1 - start;
		c->n++;
	}
	return 0;
}

/* Splits c->rec into fields. */
static int
split(struct rd_csv *c)
{
	const char	*s = c->rec.p;
	size_t		 n = c->rec.len, i = 0, j, start;

	c->n = 0;
	c->fld.len = 0;
	for (;;) {
		start = c->fld.len;
		if (i < n && s[i] == '"') {
			for (i++; i < n; i = j) {
				for (j = i; j < n && s[j] != '"'; j++)
					;
				if (rbuf_add(&c->fld, s + i, j - i, 2 * RD_MSG_MAX) == -1)
					return -1;
				if (j + 1 < n && s[j + 1] == '"') {
					if (rbuf_add(&c->fld, "\"", 1, 2 * RD_MSG_MAX) == -1)
						return -1;
					j += 2;
					continue;
				}
				i = j + 1;
				break;
			}
		}
		for (j = i; j < n && s[j] != ','; j++)
			;
		if (rbuf_add(&c->fld, s + i, j - i, 2 * RD_MSG_MAX) == -1 ||
		    field_end(c, start) == -1)
			return -1;
		if (j >= n)
			return 0;
		i = j + 1;
	}
}

int
rd_csv_line(struct chat_reader *r, struct rd_csv *c, const char *s, size_t n)
{
	size_t	 i;

	if (!c->inq) {
		c->rec.len = 0;
		c->line = r->lineno + 1;
		if (n == 0)
			return 0;
	} else if (rbuf_add(&c->rec, "\n", 1, RD_MSG_MAX) == -1)
		goto big;
	if (rbuf_add(&c->rec, s, n, RD_MSG_MAX) == -1)
		goto big;
	for (i = 0; i < n; i++)
		if (s[i] == '"')
			c->inq = !c->inq;
	if (c->inq)
		return 0;
	if (split(c) == -1)
		goto big;
	if (c->row(r, c) == -1)
		return -1;
	c->rowno++;
	return 0;
big:
	return rd_fail(r, "line %llu: csv record longer than 16 MiB",
	    (unsigned long long)c->line);
}

int
rd_csv_end(struct chat_reader *r, struct rd_csv *c)
{
	/* An unterminated quote: take what there is. */
	if (!c->inq)
		return 0;
	c->inq = false;
	if (split(c) == -1)
		return rd_fail(r, "out of memory");
	return c->row(r, c);
}

size_t
rd_csv_nfields(const struct rd_csv *c)
{
	return c->n;
}

const char *
rd_csv_field(const struct rd_csv *c, size_t i, size_t *len)
{
	if (i >= c->n) {
		if (len)
			*len = 0;
		return "";
	}
	if (len)
		*len = c->len[i];
	return c->fld.p + c->off[i];
}

uint64_t
rd_csv_row_line(const struct rd_csv *c)
{
	return c->line;
}

uint64_t
rd_csv_rowno(const struct rd_csv *c)
{
	return c->rowno;
}
