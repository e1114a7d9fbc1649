/*
 * LINE txt: a title "[LINE] Chat history with X" (or the Chinese and
 * Japanese titles), "Saved on: ..." and a blank line; then date lines
 * ("2026.03.01 Sunday", "2026/03/01(日)", "Sun, 03/01/2026") and messages
 * "10:15<TAB>Name<TAB>Text".  A message with line breaks is written in
 * double quotes, inner quotes doubled; system lines have no second tab.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "read_priv.h"

struct line_st {
	int	 y, mo, d;
	bool	 inq;		/* inside a quoted multi-line text */
	bool	 quoted;	/* the open message's text is quoted */
};

/* "2026.03.01 ...", "2026/03/01(日)" or "Sun, 3/1/2026". */
static bool
date_line(const char *s, size_t n, int *y, int *mo, int *d)
{
	size_t	 i = 0;
	char	 sep;

	if ((*y = rd_num(s, n, &i, 4)) >= 0 && i == 4 && i < n &&
	    (s[i] == '.' || s[i] == '/' || s[i] == '-')) {
		sep = s[i++];
		if ((*mo = rd_num(s, n, &i, 2)) < 0 || i >= n || s[i++] != sep ||
		    (*d = rd_num(s, n, &i, 2)) < 0)
			return false;
		return (i == n || s[i] == ' ' || s[i] == '(' ||
		    s[i] == '\t') && *mo >= 1 && *mo <= 12 && *d >= 1 && *d <= 31;
	}
	/* English: a weekday, a comma, then month/day/year. */
	if (n < 8 || s[3] != ',' || s[4] != ' ')
		return false;
	i = 5;
	if ((*mo = rd_num(s, n, &i, 2)) < 0 || i >= n || s[i++] != '/' ||
	    (*d = rd_num(s, n, &i, 2)) < 0 || i >= n || s[i++] != '/' ||
	    (*y = rd_num(s, n, &i, 4)) < 0 || i != n)
		return false;
	return *mo >= 1 && *mo <= 12 && *d >= 1 && *d <= 31;
}

/* "10:15<TAB>", "PM10:15<TAB>", "午後10:15<TAB>": the bytes used, or 0. */
static size_t
time_field(const char *s, size_t n, int *h, int *mi)
{
	size_t	 i = 0;
	int	 ap;

	ap = rd_ampm(s, n, &i);
	if ((*h = rd_num(s, n, &i, 2)) < 0 || i >= n || s[i++] != ':' ||
	    (*mi = rd_num(s, n, &i, 2)) < 0)
		return 0;
	if (!ap)
		ap = rd_ampm(s, n, &i);
	if (i >= n || s[i] != '\t')
		return 0;
	*h = rd_hour12(*h, ap);
	return i + 1;
}

bool
rd_line_head(const char *s, size_t n)
{
	int	 a, b, c;

	return rd_prefix(s, n, "[LINE]") || time_field(s, n, &a, &b) > 0 ||
	    date_line(s, n, &a, &b, &c);
}

static size_t
count_quotes(const char *s, size_t n)
{
	size_t	 i, q = 0;

	for (i = 0; i < n; i++)
		q += s[i] == '"';
	return q;
}

static int
msg_line(struct chat_reader *r, struct line_st *st, const char *s, size_t n,
    size_t i, int h, int mi)
{
	const char	*tab;
	char		 tm[20];
	bool		 ok;

	ok = st->y > 0 && rd_iso(tm, st->y, st->mo, st->d, h, mi, 0);
	tab = memchr(s + i, '\t', n - i);
	if (tab == NULL) {
		/* A system line: "10:15<TAB>Alice joined the group." */
		if (rd_start(r, ok ? tm : NULL, NULL, 0, NULL, 0) == -1)
			return -1;
		st->quoted = false;
		return rd_text(r, s + i, n - i);
	}
	if (rd_start(r, ok ? tm : NULL, s + i, (size_t)(tab - s - i), NULL,
	    0) == -1)
		return -1;
	i = (size_t)(tab - s) + 1;
	st->quoted = i < n && s[i] == '"';
	st->inq = st->quoted && count_quotes(s + i, n - i) % 2 == 1;
	return rd_text(r, s + i, n - i);
}

static int
line_line(struct chat_reader *r, const char *s, size_t n)
{
	struct line_st	*st = r->st;
	size_t		 i;
	int		 h, mi, y, mo, d;

	if (st->inq) {
		if (count_quotes(s, n) % 2 == 1)
			st->inq = false;
		return rd_text(r, s, n);
	}
	if ((i = time_field(s, n, &h, &mi)) > 0)
		return msg_line(r, st, s, n, i, h, mi);
	if (date_line(s, n, &y, &mo, &d)) {
		st->y = y;
		st->mo = mo;
		st->d = d;
		return rd_flush(r);
	}
	if (r->lineno < 3 && (rd_prefix(s, n, "[LINE]") ||
	    rd_prefix(s, n, "Saved on:") || rd_prefix(s, n, "保存日期：") ||
	    rd_prefix(s, n, "保存日時：") || rd_prefix(s, n, "儲存日期：")))
		return 0;
	return rd_text_any(r, s, n);
}

/* Removes the quotes of a multi-line text and undoubles inner ones. */
static int
line_deliver(struct chat_reader *r, struct chat_msg *m)
{
	struct line_st	*st = r->st;
	char		*t = r->acc.text.p;
	size_t		 n = r->acc.text.len, i, o = 0;

	if (st->quoted && n >= 2 && t[0] == '"' && t[n - 1] == '"') {
		for (i = 1; i + 1 < n; i++) {
			t[o++] = t[i];
			if (t[i] == '"' && t[i + 1] == '"')
				i++;
		}
		t[o] = '\0';
		m->text_len = o;
	}
	st->quoted = false;
	return rd_emit(r, m);
}

static int
line_init(struct chat_reader *r)
{
	return (r->st = calloc(1, sizeof(struct line_st))) ? 0 : -1;
}

const struct rd_ops rd_line_txt = {
	.init = line_init,
	.line = line_line,
	.deliver = line_deliver,
	.free = free,
};
