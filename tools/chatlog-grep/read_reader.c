/*
 * The streaming reader: detection on the first 64 KiB, line splitting
 * across chunk boundaries, document buffering, and the accumulator that
 * turns header lines plus text lines into messages.  Every buffer is
 * capped so that memory is bounded by the largest message (or, for the
 * layouts that are one document, by RD_DOC_MAX).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "read_priv.h"

static int	use_layout(struct chat_reader *, enum chat_format);

static const struct rd_ops *const rd_table[FMT_COUNT] = {
	[FMT_QQ_TXT] = &rd_qq_txt,
	[FMT_QQ_MHT] = &rd_qq_mht,
	[FMT_WECHAT_TXT] = &rd_wechat_txt,
	[FMT_WECHAT_CSV] = &rd_wechat_csv,
	[FMT_WECHAT_HTML] = &rd_wechat_html,
	[FMT_PYWXDUMP_CSV] = &rd_pywxdump_csv,
	[FMT_WECHATEXPORTER_TXT] = &rd_wechatexporter_txt,
	[FMT_TELEGRAM_JSON] = &rd_telegram_json,
	[FMT_WHATSAPP_TXT] = &rd_whatsapp_txt,
	[FMT_LINE_TXT] = &rd_line_txt,
	[FMT_LINES] = &rd_lines,
};

int
rbuf_add(struct rbuf *b, const char *s, size_t n, size_t max)
{
	size_t	 need, ncap;
	char	*np;

	if (n > max || b->len > max - n)
		return -1;
	need = b->len + n + 1;
	if (need > b->cap) {
		ncap = b->cap ? b->cap : 256;
		while (ncap < need)
			ncap *= 2;
		if ((np = realloc(b->p, ncap)) == NULL)
			return -1;
		b->p = np;
		b->cap = ncap;
	}
	if (n)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

int
rbuf_nul(struct rbuf *b)
{
	if (b->p == NULL)
		return rbuf_add(b, "", 0, 1);
	b->p[b->len] = '\0';	/* rbuf_add always leaves room for it */
	return 0;
}

void
rbuf_free(struct rbuf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

int
rd_fail(struct chat_reader *r, const char *fmt, ...)
{
	va_list	 ap;

	if (!r->spent) {
		va_start(ap, fmt);
		vsnprintf(r->err, sizeof(r->err), fmt, ap);
		va_end(ap);
	}
	r->spent = true;
	return -1;
}

int
rd_emit(struct chat_reader *r, struct chat_msg *m)
{
	if (r->stopped || r->spent)
		return 0;
	if (m->text == NULL) {
		m->text = "";
		m->text_len = 0;
	}
	if (m->index == UINT64_MAX)
		m->index = r->count;
	r->count++;
	if (r->fn(m, r->arg) != 0)
		r->stopped = true;
	return 0;
}

/* Drops trailing blank lines: exports put one between messages. */
static void
acc_trim(struct rbuf *t)
{
	while (t->len > 0 && (t->p[t->len - 1] == '\n' ||
	    t->p[t->len - 1] == ' ' || t->p[t->len - 1] == '\t'))
		t->len--;
	if (t->p)
		t->p[t->len] = '\0';
}

/* Delivers the open message (rd_flush, inline in rd_start). */
static inline int
acc_flush(struct chat_reader *r)
{
	struct rd_acc	*a = &r->acc;
	struct chat_msg	 m;
	int		 rv;

	a->open = false;
	if ((a->sender.p == NULL && rbuf_nul(&a->sender) == -1) ||
	    (a->sid.p == NULL && rbuf_nul(&a->sid) == -1))
		return rd_fail(r, "out of memory");
	if (a->zc) {
		while (a->zclen > 0 && (a->zc[a->zclen - 1] == '\n' ||
		    a->zc[a->zclen - 1] == ' ' || a->zc[a->zclen - 1] == '\t'))
			a->zclen--;
		m.text = a->zc;
		m.text_len = a->zclen;
		a->zc = NULL;
	} else {
		acc_trim(&a->text);
		if (rbuf_nul(&a->text) == -1)
			return rd_fail(r, "out of memory");
		m.text = a->text.p;
		m.text_len = a->text.len;
	}
	m.index = UINT64_MAX;
	m.time = a->has_time ? a->time : NULL;
	m.sender = a->has_sender ? a->sender.p : NULL;
	m.sender_id = a->has_sid ? a->sid.p : NULL;
	m.line = a->line;
	if (r->ops->deliver)
		return r->ops->deliver(r, &m);
	r->dhead = a->head;
	r->dheadlen = a->headlen;
	rv = rd_emit(r, &m);
	r->dhead = NULL;
	return rv;
}

int
rd_flush(struct chat_reader *r)
{
	return r->acc.open ? acc_flush(r) : 0;
}

/* Sets b to s[0..n), NUL-terminated; a short name fits without a call. */
static inline int
rbuf_set(struct rbuf *b, const char *s, size_t n)
{
	uint64_t	 x, y;
	uint32_t	 u, v;

	if (n < b->cap && n <= RD_MSG_MAX) {
		/* Two overlapping words rather than a call for 4..16 bytes. */
		if (n >= 8 && n <= 16) {
			memcpy(&x, s, 8);
			memcpy(&y, s + n - 8, 8);
			memcpy(b->p, &x, 8);
			memcpy(b->p + n - 8, &y, 8);
		} else if (n >= 4 && n < 8) {
			memcpy(&u, s, 4);
			memcpy(&v, s + n - 4, 4);
			memcpy(b->p, &u, 4);
			memcpy(b->p + n - 4, &v, 4);
		} else
			memcpy(b->p, s, n);
		b->p[n] = '\0';
		b->len = n;
		return 0;
	}
	b->len = 0;
	return rbuf_add(b, s, n, RD_MSG_MAX);
}

/* rd_start, inline in rd_start_head (every header of the line layouts). */
static inline int
acc_start(struct chat_reader *r, const char *time, const char *sender,
    size_t slen, const char *sid, size_t sidlen)
{
	struct rd_acc	*a = &r->acc;

	if (a->open && acc_flush(r) == -1)
		return -1;
	a->open = true;
	a->has_time = time != NULL;
	if (time)
		memcpy(a->time, time, sizeof(a->time));
	a->has_sender = sender != NULL;
	a->has_sid = sid != NULL;
	a->sender.len = a->sid.len = a->text.len = 0;
	a->nlines = 0;
	a->zc = NULL;
	a->head = NULL;
	a->line = r->lineno + 1;
	if ((sender && rbuf_set(&a->sender, sender, slen) == -1) ||
	    (sid && rbuf_set(&a->sid, sid, sidlen) == -1))
		return rd_fail(r, "line %llu: sender longer than 16 MiB",
		    (unsigned long long)a->line);
	return 0;
}

int
rd_start(struct chat_reader *r, const char *time, const char *sender,
    size_t slen, const char *sid, size_t sidlen)
{
	return acc_start(r, time, sender, slen, sid, sidlen);
}

/* Copies a zero-copy text into the message's own buffer. */
static int
rd_unzc(struct chat_reader *r)
{
	struct rd_acc	*a = &r->acc;
	const char	*zc = a->zc;

	a->zc = NULL;
	a->text.len = 0;
	if (rbuf_add(&a->text, zc, a->zclen, RD_MSG_MAX) == -1)
		return rd_fail(r, "out of memory");
	return 0;
}

int
rd_text(struct chat_reader *r, const char *s, size_t n)
{
	struct rd_acc	*a = &r->acc;

	struct rbuf	*t = &a->text;

	if (!a->open)
		return 0;
	if (r->ops->zerocopy && r->line_in_chunk && !r->line_cr) {
		if (a->nlines == 0) {
			a->zc = s;
			a->zclen = n;
			a->nlines++;
			return 0;
		}
		if (a->zc && a->zc + a->zclen + 1 == s &&
		    a->zclen + 1 + n <= RD_MSG_MAX) {
			a->zclen += 1 + n;
			a->nlines++;
			return 0;
		}
	}
	if (a->zc && rd_unzc(r) == -1)
		return -1;
	/* The common case in place: room for the newline and the line. */
	if (a->nlines > 0 && t->len + n + 2 <= t->cap &&
	    t->len + n + 1 <= RD_MSG_MAX) {
		t->p[t->len++] = '\n';
		memcpy(t->p + t->len, s, n);
		t->len += n;
		t->p[t->len] = '\0';
		a->nlines++;
		return 0;
	}
	if ((a->nlines++ > 0 && rbuf_add(t, "\n", 1, RD_MSG_MAX) == -1) ||
	    rbuf_add(t, s, n, RD_MSG_MAX) == -1)
		return rd_fail(r, "line %llu: message longer than 16 MiB",
		    (unsigned long long)a->line);
	return 0;
}

const char *
chat_format_name(enum chat_format f)
{
	static const char *const names[FMT_COUNT] = {
		[FMT_AUTO] = "auto",
		[FMT_QQ_TXT] = "qq-txt",
		[FMT_QQ_MHT] = "qq-mht",
		[FMT_WECHAT_TXT] = "wechat-txt",
		[FMT_WECHAT_CSV] = "wechat-csv",
		[FMT_WECHAT_HTML] = "wechat-html",
		[FMT_PYWXDUMP_CSV] = "pywxdump-csv",
		[FMT_WECHATEXPORTER_TXT] = "wechatexporter-txt",
		[FMT_TELEGRAM_JSON] = "telegram-json",
		[FMT_WHATSAPP_TXT] = "whatsapp-txt",
		[FMT_LINE_TXT] = "line-txt",
		[FMT_LINES] = "lines",
	};

	if ((unsigned)f >= FMT_COUNT)
		return "unknown";
	return names[f];
}

enum chat_format
chat_format_parse(const char *name)
{
	int	 f;

	for (f = 0; f < FMT_COUNT; f++)
		if (strcmp(name, chat_format_name((enum chat_format)f)) == 0)
			return (enum chat_format)f;
	return FMT_COUNT;
}

struct chat_reader *
chat_reader_new(enum chat_format f, chat_msg_fn fn, void *arg)
{
	struct chat_reader *r;

	if ((unsigned)f >= FMT_COUNT || fn == NULL)
		return NULL;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	r->fmt = f;
	r->fn = fn;
	r->arg = arg;
	r->detecting = f == FMT_AUTO;
	if (!r->detecting && use_layout(r, f) == -1) {
		free(r);
		return NULL;
	}
	return r;
}

enum chat_format
chat_reader_format(const struct chat_reader *r)
{
	return r->fmt;
}

bool
chat_can_cut(enum chat_format f)
{
	return (unsigned)f < FMT_COUNT && rd_table[f] != NULL &&
	    rd_table[f]->cut != NULL;
}

size_t
chat_cut(enum chat_format f, const char *s, size_t len)
{
	return chat_can_cut(f) ? rd_table[f]->cut(s, len) : 0;
}

void
chat_reader_set_line(struct chat_reader *r, uint64_t lines_before)
{
	r->lineno = lines_before;
}

uint64_t
chat_reader_lines(const struct chat_reader *r)
{
	return r->lineno;
}

const char *
chat_reader_head(const struct chat_reader *r, size_t *len)
{
	*len = r->dhead ? r->dheadlen : 0;
	return r->dhead;
}

/* One complete line to the layout. */
static inline int
line_out(struct chat_reader *r, const char *s, size_t n)
{
	int	 rv;

	if ((r->line_cr = n > 0 && s[n - 1] == '\r'))
		n--;
	rv = r->ops->line(r, s, n);
	r->lineno++;
	return rv;
}

static int
feed_lines(struct chat_reader *r, const char *s, size_t n)
{
	struct rd_nlscan sc;
	size_t		 at = 0, nl, len;

	sc.s = s;
	sc.n = n;
	sc.off = 0;
	sc.mask = n ? rd_nl_mask(&sc) : 0;
	/* The end of a line the previous chunk began. */
	if (r->part.len > 0 && (nl = rd_nl_next(&sc)) < n) {
		r->line_in_chunk = false;
		if (rbuf_add(&r->part, s, nl, RD_MSG_MAX) == -1)
			return rd_fail(r, "line %llu: longer than 16 MiB",
			    (unsigned long long)r->lineno + 1);
		len = r->part.len;
		r->part.len = 0;
		if (line_out(r, r->part.p, len) == -1)
			return -1;
		at = nl + 1;
	}
	if (r->part.len == 0) {
		r->line_in_chunk = true;
		if (r->ops->lines) {
			if (r->ops->lines(r, &sc, &at) == -1)
				return -1;
		} else
			while (!r->stopped && (nl = rd_nl_next(&sc)) < n) {
				/* As a line cut by the chunks would be refused. */
				if (nl - at > RD_MSG_MAX)
					return rd_fail(r, "line %llu: longer than 16 MiB",
					    (unsigned long long)r->lineno + 1);
				if (line_out(r, s + at, nl - at) == -1)
					return -1;
				at = nl + 1;
			}
	}
	if (at < n && !r->stopped && rbuf_add(&r->part, s + at, n - at,
	    RD_MSG_MAX) == -1)
		return rd_fail(r, "line %llu: longer than 16 MiB",
		    (unsigned long long)r->lineno + 1);
	r->line_in_chunk = false;
	/* The chunk goes back to the caller: keep the open text. */
	if (r->acc.zc && rd_unzc(r) == -1)
		return -1;
	return 0;
}

static int
feed_layout(struct chat_reader *r, const char *s, size_t n)
{
	if (r->ops->doc) {
		if (rbuf_add(&r->doc, s, n, RD_DOC_MAX) == -1)
			return rd_fail(r, "%s document larger than %zu MiB",
			    chat_format_name(r->fmt), RD_DOC_MAX >> 20);
		return 0;
	}
	return feed_lines(r, s, n);
}

static int
use_layout(struct chat_reader *r, enum chat_format f)
{
	r->fmt = f;
	r->ops = rd_table[f];
	if (r->ops->init && r->ops->init(r) == -1)
		return rd_fail(r, "out of memory");
	return 0;
}

static int
detect_now(struct chat_reader *r)
{
	int	 rv;

	r->detecting = false;
	if (use_layout(r, chat_detect(r->head.p ? r->head.p : "",
	    r->head.len)) == -1)
		return -1;
	rv = feed_layout(r, r->head.p ? r->head.p : "", r->head.len);
	rbuf_free(&r->head);
	return rv;
}

int
chat_reader_feed(struct chat_reader *r, const char *s, size_t n,
    char *err, size_t errlen)
{
	int	 rv = 0;

	if (r->spent)
		goto out;
	if (r->stopped)
		return 0;
	if (r->detecting) {
		/* Keep only what detection needs; the rest goes straight on. */
		size_t take = RD_DETECT_LEN - r->head.len;

		if (take > n)
			take = n;
		if (rbuf_add(&r->head, s, take, RD_DETECT_LEN) == -1)
			rv = rd_fail(r, "out of memory");
		else if (r->head.len >= RD_DETECT_LEN &&
		    (rv = detect_now(r)) == 0 && take < n && !r->stopped)
			rv = feed_layout(r, s + take, n - take);
	} else
		rv = feed_layout(r, s, n);
	if (rv == 0 && !r->spent)
		return 0;
out:
	if (err && errlen)
		snprintf(err, errlen, "%s", r->err);
	return -1;
}

static int
end_layout(struct chat_reader *r)
{
	if (r->detecting && detect_now(r) == -1)
		return -1;
	if (r->stopped)
		return 0;
	if (r->ops->doc) {
		if (rbuf_nul(&r->doc) == -1)
			return rd_fail(r, "out of memory");
		if (r->ops->doc(r, r->doc.p, r->doc.len) == -1)
			return -1;
		rbuf_free(&r->doc);
	} else if (r->part.len > 0) {
		size_t n = r->part.len;

		r->part.len = 0;
		if (line_out(r, r->part.p, n) == -1)
			return -1;
	}
	if (r->ops->end && r->ops->end(r) == -1)
		return -1;
	return rd_flush(r);
}

long
chat_reader_end(struct chat_reader *r, char *err, size_t errlen)
{
	if (!r->spent && end_layout(r) == 0 && !r->spent)
		return (long)r->count;
	if (err && errlen)
		snprintf(err, errlen, "%s", r->err);
	return -1;
}

void
chat_reader_free(struct chat_reader *r)
{
	if (r == NULL)
		return;
	if (r->ops && r->ops->free && r->st)
		r->ops->free(r->st);
	rbuf_free(&r->head);
	rbuf_free(&r->part);
	rbuf_free(&r->doc);
	rbuf_free(&r->acc.sender);
	rbuf_free(&r->acc.sid);
	rbuf_free(&r->acc.text);
	free(r);
}

int
rd_start_head(struct chat_reader *r, const struct rd_head *h)
{
	if (acc_start(r, h->has_time ? h->time : NULL, h->sender, h->slen,
	    h->sid, h->sidlen) == -1)
		return -1;
	if (h->text)
		return rd_text(r, h->text, h->tlen);
	return 0;
}

int
rd_text_any(struct chat_reader *r, const char *s, size_t n)
{
	size_t	 i;

	if (!r->acc.open) {
		/* Text before any header: keep it, without a sender. */
		for (i = 0; i < n; i++)
			if (s[i] != ' ' && s[i] != '\t')
				break;
		if (i == n)
			return 0;
		if (rd_start(r, NULL, NULL, 0, NULL, 0) == -1)
			return -1;
	}
	return rd_text(r, s, n);
}
