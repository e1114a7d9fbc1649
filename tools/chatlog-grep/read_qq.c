/*
 * QQ PC exports.  The txt layout is a header block (消息记录（此消息记录为
 * 文本格式，不支持重新导入）, 消息分组, 消息对象 between rules of '='),
 * then for each message a line "YYYY-MM-DD H:MM:SS 昵称(QQ号)" or
 * "... 昵称<email>", its text on the following lines, and a blank line.
 * The .mht layout is a MIME multipart document whose text/html part
 * (quoted-printable or base64) holds one table row per message: the
 * name, the time, then the text; dates come in rows of their own.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "read_priv.h"
#include "u8.h"

#ifdef RD_SWAR
/*
 * "YYYY-MM-DD HH:MM:SS" whose date is that of prev (an ISO time these
 * readers made, so its date is valid): only the time is left to check.
 * Consecutive messages mostly share the day.  0 sends the caller the long
 * way, which gives the same answer.
 */
static inline size_t
same_day(const char *s, size_t n, const char *prev, char out[20])
{
	if (prev == NULL || n < 21 || memcmp(s, prev, 10) != 0 ||
	    s[10] != ' ' || !rd_digits8(rd_ld8(s + 11), 0x00003a00003a0000ULL,
	    0x0101000101000101ULL) ||
	    (s[11] - '0') * 10 + s[12] - '0' > 23 || s[14] > '5' ||
	    s[17] > '5' || (s[19] == ' ' && ((s[20] | 0x20) == 'a' ||
	    (s[20] | 0x20) == 'p')))
		return 0;
	memcpy(out, s, 19);
	out[10] = 'T';
	out[19] = '\0';
	return 19;
}
#endif

/*
 * "2026-03-01 10:15:32 rest": the time must carry seconds.  prev: the
 * previous header's time or NULL.
 */
static inline __attribute__((always_inline)) size_t
stamp(const char *s, size_t n, struct rd_head *h, const char *prev)
{
	size_t	 i = 0;

	/* Every date starts with a digit; most lines are text. */
	if (n < 19 || (unsigned)(s[0] - '0') > 9)
		return 0;
#ifdef RD_SWAR
	i = same_day(s, n, prev, h->time);
#else
	(void)prev;
#endif
	if (i == 0 && ((i = rd_datetime(s, n, h->time)) == 0 ||
	    s[i - 3] != ':' || s[i - 6] != ':'))
		return 0;
	if (i >= n || s[i] != ' ')
		return 0;
	while (i < n && s[i] == ' ')
		i++;
	if (i == n)
		return 0;
	h->has_time = true;
	h->text = NULL;
	h->tlen = 0;
	return i;
}

static inline bool
memotrace_head(const char *s, size_t n, struct rd_head *h, const char *prev)
{
	size_t	 i;

	if ((i = stamp(s, n, h, prev)) == 0)
		return false;
	h->sender = s + i;
	h->slen = n - i;
	while (h->slen > 0 && h->sender[h->slen - 1] == ' ')
		h->slen--;
	h->sid = NULL;
	h->sidlen = 0;
	return true;
}

bool
rd_memotrace_head(const char *s, size_t n, struct rd_head *h)
{
	return memotrace_head(s, n, h, NULL);
}

/* The time of the last header, to compare the next one's day with. */
const char *
rd_prev_time(const struct chat_reader *r)
{
	return r->acc.has_time ? r->acc.time : NULL;
}

/* Starts a message at header line s, remembered when it is the caller's. */
static inline int
start_line(struct chat_reader *r, const struct rd_head *h, const char *s,
    size_t n)
{
	if (rd_start_head(r, h) == -1)
		return -1;
	if (r->line_in_chunk) {
		r->acc.head = s;
		r->acc.headlen = n;
	}
	return 0;
}

int
rd_memotrace_line(struct chat_reader *r, const char *s, size_t n)
{
	struct rd_head	 h;

	if (memotrace_head(s, n, &h, rd_prev_time(r)))
		return start_line(r, &h, s, n);
	return rd_text_next(r, s, n);
}

static inline bool
qq_head(const char *s, size_t n, struct rd_head *h, const char *prev)
{
	size_t	 i, k, e;

	if ((i = stamp(s, n, h, prev)) == 0)
		return false;
	h->sender = s + i;
	/*
	 * The usual "name(12345)": digits back from the closing parenthesis
	 * to the opening one, which is what rd_split_id and the test below
	 * find the long way.
	 */
	for (e = n; e > i && s[e - 1] == ' '; e--)
		;
	if (e > i + 2 && s[e - 1] == ')') {
		k = e - 1;
#ifdef RD_SWAR
		/* Eight at a time: bit 7 of each byte that is not a digit. */
		if (k - i >= 8) {
			uint64_t x = rd_ld8(s + k - 8) ^ 0x3030303030303030ULL;
			uint64_t nd = (((x & 0x7f7f7f7f7f7f7f7fULL) +
			    0x7676767676767676ULL) | x) & 0x8080808080808080ULL;

			if (nd != 0)	/* k just past the last non-digit */
				k = k - 8 + (size_t)(63 - __builtin_clzll(nd)) / 8 + 1;
			else
				k -= 8;
		}
#endif
		for (; k > i && (unsigned)(s[k - 1] - '0') <= 9; k--)
			;
		if (k > i && k < e - 1 && s[k - 1] == '(') {
			h->sid = s + k;
			h->sidlen = e - 1 - k;
			for (k--; k > i && s[k - 1] == ' '; k--)
				;
			h->slen = k - i;
			return true;
		}
	}
	rd_split_id(s + i, n - i, &h->slen, &h->sid, &h->sidlen);
	if (h->sid == NULL)
		return false;
	if (h->sid[h->sidlen] == ')') {
		for (k = 0; k < h->sidlen; k++)
			if (h->sid[k] < '0' || h->sid[k] > '9')
				return false;
	} else if (memchr(h->sid, '@', h->sidlen) == NULL)
		return false;
	return true;
}

bool
rd_qq_head(const char *s, size_t n, struct rd_head *h)
{
	return qq_head(s, n, h, NULL);
}

/* The rules and labels of the header block, also between conversations. */
static bool
frame_line(const char *s, size_t n)
{
	size_t	 i;

	if (n >= 16 && s[0] == '=') {
		for (i = 0; i < n && s[i] == '='; i++)
			;
		return i == n;
	}
	if (!rd_prefix(s, n, "消息"))
		return false;
	s += strlen("消息");
	n -= strlen("消息");
	return rd_prefix(s, n, "记录（") || rd_prefix(s, n, "分组:") ||
	    rd_prefix(s, n, "对象:") || rd_prefix(s, n, "分组：") ||
	    rd_prefix(s, n, "对象：");
}

static int
qq_txt_line(struct chat_reader *r, const char *s, size_t n)
{
	struct rd_head	 h;

	/* Headers start with a digit; most lines are text and pass at once. */
	if (n > 0 && s[0] >= '0' && s[0] <= '9') {
		if (qq_head(s, n, &h, rd_prev_time(r)))
			return start_line(r, &h, s, n);
		/* Older exports write one's own lines without a number. */
		if (memotrace_head(s, n, &h, rd_prev_time(r)))
			return start_line(r, &h, s, n);
	} else if (n > 0 && (s[0] == '=' ||
	    (n >= 6 && memcmp(s, "消息", 6) == 0)) && frame_line(s, n))
		return rd_flush(r);
	return rd_text_next(r, s, n);
}

/*
 * The lines of a chunk for QQ and MemoTrace txt.  Text lines, the most
 * of them, are added here without a call; a line that may be a header or
 * a rule, or ends in CR, goes to the layout's line hook.
 */
static inline int
stamp_lines(struct chat_reader *r, struct rd_nlscan *scp, size_t *atp,
    int (*line)(struct chat_reader *, const char *, size_t))
{
	/* Locals, not *scp: stores through char pointers would reload them. */
	struct rd_nlscan sc = *scp;
	struct rd_acc	*a = &r->acc;
	const char	*p;
	size_t		 nl, n, at = *atp;
	int		 rv = 0;
	unsigned char	 c;

	r->line_cr = false;
	while (!r->stopped && (nl = rd_nl_next(&sc)) < sc.n) {
		p = sc.s + at;
		n = nl - at;
		at = nl + 1;
		/* As a line cut by the caller's chunks would be refused. */
		if (n > RD_MSG_MAX) {
			rv = rd_fail(r, "line %llu: longer than 16 MiB",
			    (unsigned long long)r->lineno + 1);
			break;
		}
		c = n > 0 ? (unsigned char)p[0] : 0;
		if (n > 0 && p[n - 1] == '\r') {
			r->line_cr = true;
			rv = line(r, p, n - 1);
			r->line_cr = false;
		} else if ((c >= '0' && c <= '9') || c == '=' || c == 0xe6)
			rv = line(r, p, n);
		/* rd_text_next, knowing the line is in the chunk without CR. */
		else if (a->zc != NULL && a->zc + a->zclen + 1 == p &&
		    a->zclen + 1 + n <= RD_MSG_MAX) {
			a->zclen += 1 + n;
			a->nlines++;
		} else if (a->open && a->nlines == 0) {
			a->zc = p;
			a->zclen = n;
			a->nlines++;
		} else
			rv = rd_text_any(r, p, n);
		r->lineno++;
		if (rv == -1)
			break;
	}
	*scp = sc;
	*atp = at;
	return rv;
}

static int
qq_txt_lines(struct chat_reader *r, struct rd_nlscan *sc, size_t *at)
{
	return stamp_lines(r, sc, at, qq_txt_line);
}

static int
memotrace_lines(struct chat_reader *r, struct rd_nlscan *sc, size_t *at)
{
	return stamp_lines(r, sc, at, rd_memotrace_line);
}

bool
chat_head(enum chat_format f, const char *s, size_t n, struct chat_head *o)
{
	struct rd_head	 h;

	if (n == 0 || (unsigned)(s[0] - '0') > 9 ||
	    (f != FMT_QQ_TXT && f != FMT_WECHAT_TXT))
		return false;
	if (!(f == FMT_QQ_TXT && qq_head(s, n, &h, NULL)) &&
	    !memotrace_head(s, n, &h, NULL))
		return false;
	memcpy(o->time, h.time, sizeof(o->time));
	o->sender = h.sender;
	o->slen = h.slen;
	o->sid = h.sid;
	o->sidlen = h.sidlen;
	return true;
}

/*
 * Where a QQ or MemoTrace txt export may be cut for parallel reading:
 * a line that memotrace_head accepts starts a message in both layouts
 * (qq_txt_line takes every such line as a header, and a QQ header is one
 * too), whatever the lines before it were.  The last such complete line
 * is found from the end; the line must be complete, since the sender
 * runs to its end.
 */
static size_t
stamp_cut(const char *s, size_t len)
{
	const char	*nl;
	size_t		 end = len, start, n;
	struct rd_head	 h;

	/* end: just past the newline that ends the candidate line. */
	while (end > 0 && (nl = memrchr(s, '\n', end)) != NULL) {
		end = (size_t)(nl - s);
		nl = memrchr(s, '\n', end);
		start = nl ? (size_t)(nl - s) + 1 : 0;
		if (start == 0)
			return 0;
		n = end - start;
		if (n > 0 && s[end - 1] == '\r')
			n--;
		if (n > 0 && (unsigned)(s[start] - '0') <= 9 &&
		    memotrace_head(s + start, n, &h, NULL))
			return start;
		end = start;
	}
	return 0;
}

const struct rd_ops rd_qq_txt = {
	.line = qq_txt_line,
	.lines = qq_txt_lines,
	.zerocopy = true,
	.cut = stamp_cut,
};

const struct rd_ops rd_wechat_txt = {
	.line = rd_memotrace_line,
	.lines = memotrace_lines,
	.zerocopy = true,
	.cut = stamp_cut,
};

/* ---- .mht ---- */

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Quoted-printable (RFC 2045 6.7), in place. */
static size_t
qp_decode(char *s, size_t n)
{
	size_t	 i = 0, o = 0;
	int	 hi, lo;

	while (i < n) {
		if (s[i] != '=') {
			s[o++] = s[i++];
			continue;
		}
		if (i + 2 < n && (hi = hexval((unsigned char)s[i + 1])) >= 0 &&
		    (lo = hexval((unsigned char)s[i + 2])) >= 0) {
			s[o++] = (char)(hi << 4 | lo);
			i += 3;
		} else if (i + 1 < n && s[i + 1] == '\n')
			i += 2;				/* soft line break */
		else if (i + 2 < n && s[i + 1] == '\r' && s[i + 2] == '\n')
			i += 3;
		else
			s[o++] = s[i++];
	}
	return o;
}

static int
b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Base64, in place, skipping line breaks and anything else foreign. */
static size_t
b64_decode(char *s, size_t n)
{
	size_t		 i, o = 0;
	unsigned	 acc = 0;
	int		 bits = 0, v;

	for (i = 0; i < n && s[i] != '='; i++) {
		if ((v = b64val((unsigned char)s[i])) < 0)
			continue;
		acc = (acc << 6 | (unsigned)v) & 0xffffff;
		if ((bits += 6) >= 8) {
			bits -= 8;
			s[o++] = (char)(acc >> bits & 0xff);
		}
	}
	return o;
}

static const char *
find_ci(const char *s, size_t n, const char *lit)
{
	size_t	 k = strlen(lit), i;

	for (i = 0; i + k <= n; i++)
		if (strncasecmp(s + i, lit, k) == 0)
			return s + i;
	return NULL;
}

/* The value of a header field (first line only is enough for ours). */
static bool
header_value(const char *h, size_t n, const char *name, const char **v,
    size_t *vlen)
{
	const char	*p = h, *end = h + n, *nl;
	size_t		 k = strlen(name);

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if ((size_t)(nl - p) > k && strncasecmp(p, name, k) == 0 &&
		    p[k] == ':') {
			*v = p + k + 1;
			*vlen = (size_t)(nl - *v);
			/* Folded continuation lines carry boundary= too. */
			while (nl < end && nl + 1 < end &&
			    (nl[1] == ' ' || nl[1] == '\t')) {
				nl = memchr(nl + 1, '\n', (size_t)(end - nl - 1));
				if (nl == NULL)
					nl = end;
				*vlen = (size_t)(nl - *v);
			}
			return true;
		}
		p = nl + 1;
	}
	return false;
}

struct html_row {
	struct rbuf	 buf;		/* node texts, each NUL-terminated */
	size_t		 off[64];
	size_t		 len[64];
	size_t		 n;
};

static void
node_end(struct html_row *row, bool last)
{
	size_t	 b, e;
	char	*p;

	/* Past 63 nodes the rest of the row stays one node. */
	if ((row->n >= 63 && !last) || row->buf.p == NULL)
		return;
	b = row->off[row->n];
	e = row->buf.len;
	p = row->buf.p;
	e = b + rd_html_unescape(p + b, e - b);
	/* Trim spaces, NBSP and line breaks around a node. */
	while (b < e && (p[b] == ' ' || p[b] == '\n' || p[b] == '\t' ||
	    p[b] == '\r'))
		b++;
	while (e > b && (p[e - 1] == ' ' || p[e - 1] == '\n' ||
	    p[e - 1] == '\t' || p[e - 1] == '\r'))
		e--;
	while (e - b >= 2 && (unsigned char)p[e - 2] == 0xc2 &&
	    (unsigned char)p[e - 1] == 0xa0)
		e -= 2;
	row->buf.len = e;
	if (e > b) {
		row->off[row->n] = b;
		row->len[row->n] = e - b;
		row->n++;
	}
	if (row->n < 64)
		row->off[row->n] = row->buf.len;
}

static bool
is_tag(const char *t, size_t tl, const char *name)
{
	size_t	 k = strlen(name);

	return tl >= k && strncasecmp(t, name, k) == 0 && (tl == k ||
	    t[k] == ' ' || t[k] == '/' || t[k] == '\t' || t[k] == '\n');
}

/* Splits one <tr> into text nodes at block tags; <br> is a newline. */
static int
row_nodes(struct html_row *row, const char *s, size_t n)
{
	size_t	 i = 0, j, tl;
	const char *t;

	row->n = 0;
	row->buf.len = 0;
	row->off[0] = 0;
	while (i < n) {
		if (s[i] == '<') {
			t = s + i + 1;
			for (j = i; j < n && s[j] != '>'; j++)
				;
			tl = j - i - 1;
			if (is_tag(t, tl, "br")) {
				if (rbuf_add(&row->buf, "\n", 1, RD_MSG_MAX) == -1)
					return -1;
			} else if (is_tag(t, tl, "div") || is_tag(t, tl, "/div") ||
			    is_tag(t, tl, "td") || is_tag(t, tl, "/td") ||
			    is_tag(t, tl, "p") || is_tag(t, tl, "/p"))
				node_end(row, false);
			i = j < n ? j + 1 : n;
			continue;
		}
		for (j = i; j < n && s[j] != '<' && s[j] != '\r' &&
		    s[j] != '\n'; j++)
			;
		if (rbuf_add(&row->buf, s + i, j - i, RD_MSG_MAX) == -1)
			return -1;
		/* Raw line breaks are HTML white space; <br> is the real one. */
		if (j < n && s[j] != '<') {
			if (j + 1 < n && s[j] == '\r' && s[j + 1] == '\n')
				j++;
			if (rbuf_add(&row->buf, " ", 1, RD_MSG_MAX) == -1)
				return -1;
			j++;
		}
		i = j;
	}
	node_end(row, true);
	return 0;
}

struct mht_state {
	struct html_row	 row;
	int		 y, mo, d;	/* the current 日期 row */
};

static const char *
node(struct mht_state *st, size_t k)
{
	return st->row.buf.p + st->row.off[k];
}

/* "日期: 2026-03-01" rows set the day for the rows that follow. */
static bool
date_row(struct mht_state *st)
{
	const char	*p;
	size_t		 n, i = 0;
	int		 y, mo, d;

	if (st->row.n == 0)
		return false;
	p = node(st, 0);
	n = st->row.len[0];
	if (rd_prefix(p, n, "日期:"))
		i = strlen("日期:");
	else if (rd_prefix(p, n, "日期："))
		i = strlen("日期：");
	else
		return false;
	while (i < n && p[i] == ' ')
		i++;
	if ((y = rd_num(p, n, &i, 4)) < 0 || i >= n || p[i++] != '-' ||
	    (mo = rd_num(p, n, &i, 2)) < 0 || i >= n || p[i++] != '-' ||
	    (d = rd_num(p, n, &i, 2)) < 0)
		return true;
	st->y = y;
	st->mo = mo;
	st->d = d;
	return true;
}

/* The second node is "10:15:32" (with the 日期 row's day) or a full stamp. */
static bool
row_time(struct mht_state *st, char out[20])
{
	const char	*p = node(st, 1);
	size_t		 n = st->row.len[1], i = 0;
	int		 h, mi, s, ap;

	if (rd_datetime(p, n, out) == n)
		return true;
	ap = rd_ampm(p, n, &i);
	if ((h = rd_num(p, n, &i, 2)) < 0 || i >= n || p[i++] != ':' ||
	    (mi = rd_num(p, n, &i, 2)) < 0)
		return false;
	s = 0;
	if (i < n && p[i] == ':') {
		i++;
		s = rd_num(p, n, &i, 2);
	}
	if (!ap)
		ap = rd_ampm(p, n, &i);
	if (i != n || st->y == 0)
		return false;
	return rd_iso(out, st->y, st->mo, st->d, rd_hour12(h, ap), mi, s);
}

static int
mht_row(struct chat_reader *r, struct mht_state *st, const char *s, size_t n)
{
	struct rd_head	 h;
	size_t		 k;

	if (row_nodes(&st->row, s, n) == -1)
		return rd_fail(r, "html row longer than 16 MiB");
	if (date_row(st) || st->row.n < 2 || !row_time(st, h.time))
		return 0;
	h.has_time = true;
	h.sender = node(st, 0);
	rd_split_id(h.sender, st->row.len[0], &h.slen, &h.sid, &h.sidlen);
	h.text = NULL;
	if (rd_start_head(r, &h) == -1)
		return -1;
	for (k = 2; k < st->row.n; k++)
		if (rd_text(r, node(st, k), st->row.len[k]) == -1)
			return -1;
	return rd_flush(r);
}

static int
mht_html(struct chat_reader *r, const char *s, size_t n)
{
	struct mht_state st;
	const char	*p = s, *end = s + n, *tr, *etr;
	int		 rv = 0;

	memset(&st, 0, sizeof(st));
	while (p < end && (tr = find_ci(p, (size_t)(end - p), "<tr")) != NULL) {
		etr = find_ci(tr + 3, (size_t)(end - tr - 3), "<tr");
		if (etr == NULL)
			etr = end;
		if ((rv = mht_row(r, &st, tr, (size_t)(etr - tr))) == -1 ||
		    r->stopped)
			break;
		p = etr;
	}
	rbuf_free(&st.row.buf);
	return rv;
}

/* Decodes one part body and hands its HTML to mht_html. */
static int
mht_part(struct chat_reader *r, const char *hdr, size_t hlen, char *body,
    size_t blen)
{
	const char	*v;
	size_t		 vlen, outlen;
	char		*u;
	int		 rv;
	bool		 lossy;

	if (header_value(hdr, hlen, "Content-Type", &v, &vlen) &&
	    find_ci(v, vlen, "text/html") == NULL)
		return 0;
	if (header_value(hdr, hlen, "Content-Transfer-Encoding", &v, &vlen)) {
		if (find_ci(v, vlen, "quoted-printable"))
			blen = qp_decode(body, blen);
		else if (find_ci(v, vlen, "base64"))
			blen = b64_decode(body, blen);
	}
	/* The HTML may be in GB18030 even when the file around it is ASCII. */
	if (u8_valid(body, blen))
		return mht_html(r, body, blen);
	if ((u = u8_decode(body, blen, &outlen, NULL, &lossy)) == NULL)
		return rd_fail(r, "out of memory");
	rv = mht_html(r, u, outlen);
	free(u);
	return rv;
}

static const char *
blank_line(const char *p, const char *end)
{
	const char *q;

	for (q = p; q < end; q++)
		if (*q == '\n' && (q + 1 < end && (q[1] == '\n' ||
		    (q[1] == '\r' && q + 2 < end && q[2] == '\n'))))
			return q + 1;
	return NULL;
}

static int
mht_doc(struct chat_reader *r, char *s, size_t n)
{
	const char	*v, *b, *hend, *pend;
	char		 bnd[128], *p, *end = s + n;
	size_t		 vlen, blen;

	if ((hend = blank_line(s, end)) == NULL)
		return rd_fail(r, "mht: no MIME header");
	if (!header_value(s, (size_t)(hend - s), "Content-Type", &v, &vlen) ||
	    (b = find_ci(v, vlen, "boundary=")) == NULL) {
		hend += (*hend == '\r') ? 2 : 1;
		return mht_part(r, s, (size_t)(hend - s), (char *)hend,
		    (size_t)(end - hend));
	}
	b += strlen("boundary=");
	if (*b == '"')
		b++;
	for (blen = 0; b + blen < v + vlen && b[blen] != '"' && b[blen] != ';' &&
	    b[blen] != '\r' && b[blen] != '\n' && blen < sizeof(bnd) - 3; blen++)
		;
	bnd[0] = bnd[1] = '-';
	memcpy(bnd + 2, b, blen);
	bnd[blen + 2] = '\0';
	p = (char *)hend;
	while ((p = (char *)find_ci(p, (size_t)(end - p), bnd)) != NULL) {
		p += blen + 2;
		if (p + 1 < end && p[0] == '-' && p[1] == '-')
			break;
		if ((hend = blank_line(p, end)) == NULL)
			break;
		pend = find_ci(hend, (size_t)(end - hend), bnd);
		if (pend == NULL)
			pend = end;
		if (mht_part(r, p, (size_t)(hend - p), (char *)hend + (*hend == '\r' ? 2 : 1),
		    (size_t)(pend - hend) - (*hend == '\r' ? 2 : 1)) == -1)
			return -1;
		if (r->stopped)
			break;
		p = (char *)pend;
	}
	return 0;
}

const struct rd_ops rd_qq_mht = {
	.doc = mht_doc,
};
