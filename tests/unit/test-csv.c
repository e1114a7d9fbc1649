/*
 * Unit tests of common/csv.c: RFC 4180 fields (quotes, "" escapes, CR and
 * LF inside quotes, empty fields), row ends (LF, CRLF, none at the end),
 * errors (unterminated quote, stray quotes, rows past the bound), the row
 * and line numbers, and that cutting the input anywhere changes nothing.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "tap.h"

struct out {
	char	*s;
	size_t	 len, cap;
	int	 stop_at;	/* row number at which to return 7, or 0 */
};

static void
add(struct out *o, const char *s, size_t n)
{
	if (o->len + n + 1 > o->cap) {
		while (o->len + n + 1 > o->cap)
			o->cap = o->cap ? o->cap * 2 : 256;
		if ((o->s = realloc(o->s, o->cap)) == NULL)
			abort();
	}
	memcpy(o->s + o->len, s, n);
	o->len += n;
	o->s[o->len] = '\0';
}

/* Each row as "row@line:err[f|f|...]", the fields' bytes as they are. */
static int
on_row(const struct csv_row *r, void *arg)
{
	struct out *o = arg;
	char	 h[64];
	size_t	 i, k;

	snprintf(h, sizeof(h), "%llu@%llu:%d[", (unsigned long long)r->row,
	    (unsigned long long)r->line, (int)r->err);
	add(o, h, strlen(h));
	for (i = 0; i < r->nf; i++) {
		if (r->f[i].s[r->f[i].len] != '\0')
			add(o, "<no NUL>", 8);
		for (k = 0; k < r->f[i].len; k++)	/* NULs made visible */
			if (r->f[i].s[k] == '\0')
				add(o, "<NUL>", 5);
			else
				add(o, r->f[i].s + k, 1);
		if (i + 1 < r->nf)
			add(o, "|", 1);
	}
	add(o, "]", 1);
	return o->stop_at && (int)r->row == o->stop_at ? 7 : 0;
}

/* Parses s fed as chunks of `step` bytes (after a first chunk of `cut`). */
static char *
parse(const char *s, size_t n, size_t cut, size_t step, size_t max,
    unsigned flags)
{
	struct out o = { 0 };
	struct csv *c;
	size_t	 i, k;

	if ((c = csv_new(max, flags, on_row, &o)) == NULL)
		abort();
	add(&o, "", 0);
	if (cut > n)
		cut = n;
	csv_feed(c, s, cut);
	for (i = cut; i < n; i += k) {
		k = n - i < step ? n - i : step;
		csv_feed(c, s + i, k);
	}
	csv_end(c);
	csv_free(c);
	return o.s;
}

static int
check(const char *in, size_t max, unsigned flags, const char *want,
    const char *what)
{
	char	*got = parse(in, strlen(in), strlen(in), 1, max, flags);
	int	 rv;

	rv = ok(strcmp(got, want) == 0, "%s: got %s", what, got);
	free(got);
	return rv;
}

static const char tricky[] =
    "id,text,note\r\n"
    "1,\"say \"\"hi\"\"\",\r\n"
    "\n"
    "2,\"two\r\nlines, one comma\",x\n"
    "\r\n"
    ",,\n"
    "3,\"\",\"\"\"\"\r\n"
    "4,bad\"q,\"a\"b\n"
    "5,tail\r\n"
    "6,\"open\nat end";

int
main(void)
{
	size_t	 n = strlen(tricky), i, step;
	char	*whole, *got;
	int	 same;		/* also the stopping test's return value */
	struct out o = { 0 };
	struct csv *c;

	whole = parse(tricky, n, n, 1, 0, 0);
	ok(strcmp(whole,
	    "1@1:0[id|text|note]"
	    "2@2:0[1|say \"hi\"|]"
	    "3@4:0[2|two\r\nlines, one comma|x]"
	    "4@7:0[||]"
	    "5@8:0[3||\"]"
	    "6@9:1[4|bad\"q|ab]"
	    "7@10:0[5|tail]"
	    "8@11:3[6|open\nat end]") == 0, "tricky input in one chunk: %s",
	    whole);
	same = 1;
	for (i = 0; i <= n; i++) {
		got = parse(tricky, n, i, n, 0, 0);
		if (strcmp(got, whole) != 0) {
			same = 0;
			ok(0, "cut at byte %zu: %s", i, got);
		}
		free(got);
	}
	ok(same, "a cut at every byte position gives the same rows");
	same = 1;
	for (step = 1; step <= 7; step++) {
		got = parse(tricky, n, 0, step, 0, 0);
		same &= strcmp(got, whole) == 0;
		free(got);
	}
	ok(same, "chunks of 1..7 bytes give the same rows");
	free(whole);

	check("a,b\nc,d\n", 0, 0, "1@1:0[a|b]2@2:0[c|d]", "plain rows");
	check("a,b\nc,d", 0, 0, "1@1:0[a|b]2@2:0[c|d]",
	    "missing final newline");
	check("a,b\r\nc,d\r", 0, 0, "1@1:0[a|b]2@2:0[c|d]",
	    "CRLF row ends, a CR at the very end");
	check("a\rb,c\n", 0, 0, "1@1:0[a\rb|c]", "a bare CR inside a field is kept");
	check("\"x\r\ny\"\r\n", 0, 0, "1@1:0[x\r\ny]", "CRLF inside quotes is kept");
	check(",\n\"\"\n", 0, 0, "1@1:0[|]2@2:0[]",
	    "empty fields, and a quoted empty field is a row");
	check("\n\r\n\n", 0, 0, "", "blank lines give no row");
	check("\"a\"\"\"\"b\"\n", 0, 0, "1@1:0[a\"\"b]", "escaped quotes");
	check("a,\"unterminated\n,b", 0, 0, "1@1:3[a|unterminated\n,b]",
	    "unterminated quote at EOF: the rest, flagged");
	check("\"", 0, 0, "1@1:3[]", "a lone quote");
	check("a\"b,\"c\"d\n", 0, 0, "1@1:1[a\"b|cd]",
	    "strict: stray quotes flagged, text kept");
	check("a\"b,\"c\"d\n", 0, CSV_LENIENT, "1@1:0[a\"b|cd]",
	    "lenient: the same text, no error");
	check("a\"b,\"c\nd\"\n", 0, CSV_LENIENT, "1@1:0[a\"b|c\nd]",
	    "lenient: a stray quote in a bare field opens nothing");
	check("x,0123456789\ny,01234\n", 16 + 16 + 2 + 6, 0,
	    "1@1:2[]2@2:0[y|01234]",
	    "over-long field: the row is refused, the next one is read");
	check("\"0123456789\n0123456789\"\nok\n", 20, 0, "1@1:2[]2@3:0[ok]",
	    "over-long quoted field spanning lines: line numbers still count");
	check(",,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,\nz\n", 256, 0,
	    "1@1:2[]2@2:0[z]", "many empty fields count against the bound");
	got = parse("a\0b,c\n", 6, 6, 1, 0, 0);
	ok(strcmp(got, "1@1:0[a<NUL>b|c]") == 0,
	    "a NUL byte inside a field is kept: %s", got);
	free(got);

	/* A non-zero return from the callback stops the feed with it. */
	o.stop_at = 2;
	if ((c = csv_new(0, 0, on_row, &o)) == NULL)
		abort();
	same = csv_feed(c, "a\nb\nc\n", 6);
	ok(same == 7 && o.s != NULL && strcmp(o.s, "1@1:0[a]2@2:0[b]") == 0,
	    "the callback's value stops csv_feed: %d %s", same,
	    o.s ? o.s : "(none)");
	csv_free(c);
	free(o.s);
	ok(strcmp(csv_strerror(CSV_EEOF), "unterminated quoted field") == 0 &&
	    strcmp(csv_strerror(CSV_ELONG), "record too long") == 0 &&
	    strcmp(csv_strerror(CSV_EQUOTE), "broken quoting") == 0,
	    "error texts");
	return tap_done();
}
