/*
 * WhatsApp "Export chat" txt.  The phone's locale decides the layout:
 *   [01/03/2026, 10:15:32] Name: text        iOS
 *   01/03/2026, 10:15 - Name: text           Android
 *   1/3/26, 10:15 PM - Name: text            12-hour (narrow NBSP before PM)
 *   01.03.26, 10:15 - Name: text             German, Russian, ...
 *   1/3/26 10:15 - Name: text                Spanish (no comma), p. m.
 *   2026/3/1 下午10:15 - Name: text          Chinese; 2026. 3. 1. 오후 10:15 Korean
 *   2026-03-01, 10:15 - Name: text           ISO-like
 *   01/03/2026 à 22:15 - Nom: texte          French
 * Lines may start with U+200E/U+200F marks; lines without "Name: " are
 * system messages.  Whether 01/03 is 1 March or 3 January is not written
 * anywhere: it is inferred per file from the first value above 12 in
 * either place, and messages wait (bounded) until it is known.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "read_priv.h"

#define WA_QUEUE_BYTES	((size_t)8 << 20)
#define WA_QUEUE_MSGS	20000

struct wa_raw {
	int	 a, b, c;	/* date fields as written */
	bool	 ymd;		/* year first */
	bool	 dots, ampm;
	bool	 es;		/* "p. m.": Spanish, day first */
	int	 h, mi, s;
};

struct wa_line {
	struct wa_raw	 raw;
	const char	*sender, *text;
	size_t		 slen, tlen;
};

struct wa_pend {
	struct wa_raw	 raw;
	size_t		 soff, slen, toff, tlen;
	bool		 has_sender;
	uint64_t	 line;
};

struct wa_st {
	int		 order;		/* 0 unknown, 1 day first, 2 month first */
	struct wa_raw	 cur;
	struct wa_pend	*q;
	size_t		 nq, capq;
	struct rbuf	 qbuf;
	bool		 any_dots, any_ampm, any_es;
};

static size_t
skip_sp(const char *s, size_t n, size_t i)
{
	while (i < n && s[i] == ' ')
		i++;
	return i;
}

/* Date "a<sep>b<sep>c" with optional spaces and a trailing dot (Korean). */
static size_t
wa_date(const char *s, size_t n, size_t i, struct wa_raw *w)
{
	size_t	 st = i;
	char	 sep;

	if ((w->a = rd_num(s, n, &i, 4)) < 0 || i >= n)
		return 0;
	w->ymd = i - st == 4;
	sep = s[i];
	if (sep != '/' && sep != '.' && sep != '-')
		return 0;
	w->dots = sep == '.';
	i = skip_sp(s, n, i + 1);
	if ((w->b = rd_num(s, n, &i, 2)) < 0 || i >= n || s[i] != sep)
		return 0;
	i = skip_sp(s, n, i + 1);
	st = i;
	if ((w->c = rd_num(s, n, &i, 4)) < 0)
		return 0;
	if (!w->ymd && i - st != 2 && i - st != 4)
		return 0;
	if (i < n && s[i] == sep)
		i++;
	return i;
}

static size_t
wa_time(const char *s, size_t n, size_t i, struct wa_raw *w)
{
	int	 ap;

	w->es = false;	/* set below, for a marker after the time */
	ap = rd_ampm(s, n, &i);
	i = skip_sp(s, n, i);
	if ((w->h = rd_num(s, n, &i, 2)) < 0 || i >= n ||
	    (s[i] != ':' && s[i] != '.'))
		return 0;
	i++;
	if ((w->mi = rd_num(s, n, &i, 2)) < 0)
		return 0;
	w->s = 0;
	if (i + 1 < n && (s[i] == ':' || s[i] == '.') &&
	    s[i + 1] >= '0' && s[i + 1] <= '9') {
		i++;
		w->s = rd_num(s, n, &i, 2);
	}
	if (!ap) {
		size_t j = i;

		if ((ap = rd_ampm(s, n, &i)) != 0)
			w->es = memchr(s + j, ' ', i - j) != NULL && s[i - 1] == '.' &&
			    s[i - 2] == 'm' && s[i - 3] == ' ';
	}
	w->ampm = ap != 0;
	w->h = rd_hour12(w->h, ap);
	return i;
}

static bool
wa_parse(const char *s, size_t n, struct wa_line *l)
{
	size_t	 i = 0, k;
	bool	 br;

	rd_skip_marks(s, n, &i);
	if ((br = i < n && s[i] == '['))
		i++;
	if ((i = wa_date(s, n, i, &l->raw)) == 0)
		return false;
	if (i < n && s[i] == ',')
		i++;
	if (rd_prefix(s + i, n - i, " \xc3\xa0"))	/* French "à" */
		i += 3;
	if (i >= n || s[i] != ' ' || (i = wa_time(s, n, i, &l->raw)) == 0)
		return false;
	if (br) {
		if (i + 1 >= n || s[i] != ']' || s[i + 1] != ' ')
			return false;
		i += 2;
	} else if (rd_prefix(s + i, n - i, " - "))
		i += 3;
	else if (rd_prefix(s + i, n - i, " \xe2\x80\x93 "))	/* en dash */
		i += 5;
	else
		return false;
	rd_skip_marks(s, n, &i);
	l->sender = NULL;
	l->slen = 0;
	for (k = i; k + 1 < n; k++)
		if (s[k] == ':' && s[k + 1] == ' ')
			break;
	if (k + 1 < n) {
		l->sender = s + i;
		l->slen = k - i;
		/* "\u202a+1 555 0100\u202c": drop the trailing embedding mark. */
		while (l->slen >= 3 && (unsigned char)l->sender[l->slen - 3] ==
		    0xe2 && (unsigned char)l->sender[l->slen - 2] == 0x80 &&
		    ((unsigned char)l->sender[l->slen - 1] == 0xac ||
		    (unsigned char)l->sender[l->slen - 1] == 0x8e ||
		    (unsigned char)l->sender[l->slen - 1] == 0x8f))
			l->slen -= 3;
		i = k + 2;
	}
	rd_skip_marks(s, n, &i);
	l->text = s + i;
	l->tlen = n - i;
	return true;
}

bool
rd_whatsapp_head(const char *s, size_t n)
{
	struct wa_line l;

	return wa_parse(s, n, &l);
}

static bool
wa_iso(const struct wa_st *st, const struct wa_raw *w, char out[20])
{
	int	 y, mo, d;

	if (w->ymd) {
		y = w->a;
		mo = w->b;
		d = w->c;
	} else {
		y = w->c < 100 ? 2000 + w->c : w->c;
		d = st->order == 2 ? w->b : w->a;
		mo = st->order == 2 ? w->a : w->b;
	}
	return rd_iso(out, y, mo, d, w->h, w->mi, w->s);
}

static int
wa_drain(struct chat_reader *r, struct wa_st *st)
{
	struct chat_msg	 m;
	char		 tm[20];
	size_t		 k;

	if (st->order == 0)	/* the locale's convention when nothing tells */
		st->order = st->any_ampm && !st->any_dots && !st->any_es ? 2 : 1;
	for (k = 0; k < st->nq && !r->stopped; k++) {
		memset(&m, 0, sizeof(m));
		m.index = UINT64_MAX;
		m.time = wa_iso(st, &st->q[k].raw, tm) ? tm : NULL;
		m.sender = st->q[k].has_sender ? st->qbuf.p + st->q[k].soff : NULL;
		m.text = st->qbuf.p + st->q[k].toff;
		m.text_len = st->q[k].tlen;
		m.line = st->q[k].line;
		if (rd_emit(r, &m) == -1)
			return -1;
	}
	st->nq = 0;
	rbuf_free(&st->qbuf);
	free(st->q);
	st->q = NULL;
	st->capq = 0;
	return 0;
}

static int
wa_queue(struct chat_reader *r, struct wa_st *st, const struct chat_msg *m)
{
	struct wa_pend	*p;

	if (st->nq == st->capq) {
		size_t nc = st->capq ? st->capq * 2 : 64;

		if ((p = realloc(st->q, nc * sizeof(*p))) == NULL)
			return rd_fail(r, "out of memory");
		st->q = p;
		st->capq = nc;
	}
	p = &st->q[st->nq];
	p->raw = st->cur;
	p->line = m->line;
	p->has_sender = m->sender != NULL;
	p->soff = st->qbuf.len;
	p->slen = m->sender ? strlen(m->sender) : 0;
	if (rbuf_add(&st->qbuf, m->sender ? m->sender : "", p->slen + 1,
	    WA_QUEUE_BYTES + 2 * RD_MSG_MAX) == -1)
		return rd_fail(r, "out of memory");
	p->toff = st->qbuf.len;
	p->tlen = m->text_len;
	if (rbuf_add(&st->qbuf, m->text, m->text_len,
	    WA_QUEUE_BYTES + 2 * RD_MSG_MAX) == -1 ||
	    rbuf_add(&st->qbuf, "", 1, WA_QUEUE_BYTES + 2 * RD_MSG_MAX) == -1)
		return rd_fail(r, "out of memory");
	st->nq++;
	if (st->qbuf.len > WA_QUEUE_BYTES || st->nq >= WA_QUEUE_MSGS)
		return wa_drain(r, st);
	return 0;
}

static int
wa_deliver(struct chat_reader *r, struct chat_msg *m)
{
	struct wa_st	*st = r->st;
	char		 tm[20];

	if (st->order == 0)
		return wa_queue(r, st, m);
	m->time = wa_iso(st, &st->cur, tm) ? tm : NULL;
	return rd_emit(r, m);
}

static int
wa_line(struct chat_reader *r, const char *s, size_t n)
{
	struct wa_st	*st = r->st;
	struct wa_line	 l;

	if (!wa_parse(s, n, &l))
		return rd_text_any(r, s, n);
	if (rd_flush(r) == -1)
		return -1;
	st->cur = l.raw;
	st->any_dots |= l.raw.dots;
	st->any_ampm |= l.raw.ampm;
	st->any_es |= l.raw.es;
	if (st->order == 0 && !l.raw.ymd && (l.raw.a > 12 || l.raw.b > 12)) {
		st->order = l.raw.a > 12 ? 1 : 2;
		if (wa_drain(r, st) == -1)
			return -1;
	}
	if (rd_start(r, NULL, l.sender, l.slen, NULL, 0) == -1)
		return -1;
	return rd_text(r, l.text, l.tlen);
}

static int
wa_end(struct chat_reader *r)
{
	struct wa_st	*st = r->st;

	/* The last message is still open: decide now, it follows directly. */
	return wa_drain(r, st);
}

static int
wa_init(struct chat_reader *r)
{
	return (r->st = calloc(1, sizeof(struct wa_st))) ? 0 : -1;
}

static void
wa_free(void *p)
{
	struct wa_st *st = p;

	rbuf_free(&st->qbuf);
	free(st->q);
	free(st);
}

const struct rd_ops rd_whatsapp_txt = {
	.init = wa_init,
	.line = wa_line,
	.deliver = wa_deliver,
	.end = wa_end,
	.free = wa_free,
	.zerocopy = true,
};
