/*
 * WeChat exports.
 * - MemoTrace txt: "YYYY-MM-DD HH:MM:SS name", the text below, a blank line.
 * - MemoTrace csv: the old English header (localId,TalkerId,Type,SubType,
 *   IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender)
 *   or the new Chinese one (消息ID,类型,发送人,时间,内容,备注,昵称,更多信息).
 * - PyWxDump csv: id,MsgSvrID,type_name,is_sender,talker,room_name,
 *   msg (content in older builds),src,CreateTime.
 * - MemoTrace html: a JavaScript array `const chatMessages = [{...}, ...]`.
 * - WechatExporter txt: "name (YYYY-MM-DD HH:MM:SS):text", older builds
 *   with 12-hour times (下午3:15:07, 3:15:07 PM); "系统消息：text".
 * Columns and keys are found by name, so reordered exports still read.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "read_priv.h"
#include "u8.h"

/* MemoTrace txt is read in read_qq.c: its header is QQ's without the id. */

/* ---- WechatExporter txt ---- */

bool
rd_wxexp_head(const char *s, size_t n, struct rd_head *h)
{
	const char	*p = s, *end = s + n;
	size_t		 k;

	while ((p = memchr(p, '(', (size_t)(end - p))) != NULL) {
		if (p > s && p[-1] == ' ' &&
		    (k = rd_datetime(p + 1, (size_t)(end - p - 1), h->time)) &&
		    p + 1 + k + 2 <= end && p[1 + k] == ')' && p[2 + k] == ':') {
			h->has_time = true;
			h->sender = s;
			h->slen = (size_t)(p - 1 - s);
			h->sid = NULL;
			h->sidlen = 0;
			h->text = p + k + 3;
			h->tlen = (size_t)(end - h->text);
			return true;
		}
		p++;
	}
	return false;
}

static int
wxexp_line(struct chat_reader *r, const char *s, size_t n)
{
	struct rd_head	 h;

	if (rd_wxexp_head(s, n, &h))
		return rd_start_head(r, &h);
	if (rd_prefix(s, n, "系统消息：")) {
		if (rd_start(r, NULL, NULL, 0, NULL, 0) == -1)
			return -1;
		return rd_text(r, s + strlen("系统消息："),
		    n - strlen("系统消息："));
	}
	/* The title line "name - 微信聊天记录" is not a message. */
	if (r->count == 0 && !r->acc.open && n > 0 &&
	    strstr(s, " - 微信聊天记录") != NULL &&
	    (size_t)(strstr(s, " - 微信聊天记录") - s) < n)
		return 0;
	return rd_text_any(r, s, n);
}

const struct rd_ops rd_wechatexporter_txt = {
	.line = wxexp_line,
	.zerocopy = true,
};

/* ---- csv (MemoTrace old and new, PyWxDump) ---- */

struct wxcsv {
	struct csv	*csv;
	struct chat_reader *r;
	uint64_t	 base;		/* lines read before the first csv line */
	bool		 started, py;
	int		 text, time, epoch, name[3], id;
};

/* Field i as a NUL-terminated string (empty if the row is short). */
static const char *
fld(const struct csv_row *c, int i, size_t *len)
{
	if (i < 0 || (size_t)i >= c->nf) {
		if (len)
			*len = 0;
		return "";
	}
	if (len)
		*len = c->f[i].len;
	return c->f[i].s;
}

static int
col(const struct csv_row *c, const char *const *names)
{
	size_t	 i, k;

	for (k = 0; names[k]; k++)
		for (i = 0; i < c->nf; i++)
			if (strcmp(c->f[i].s, names[k]) == 0)
				return (int)i;
	return -1;
}

static void
map_header(struct wxcsv *w, const struct csv_row *c)
{
	static const char *const text[] = { "StrContent", "内容", "msg",
	    "content", NULL };
	static const char *const time[] = { "StrTime", "时间", "CreateTime",
	    NULL };
	static const char *const epoch[] = { "CreateTime", NULL };
	static const char *const remark[] = { "Remark", "备注", NULL };
	static const char *const nick[] = { "NickName", "昵称", NULL };
	static const char *const who[] = { "Sender", "发送人", "talker", NULL };

	w->text = col(c, text);
	w->time = col(c, time);
	w->epoch = col(c, epoch);
	/* The contact's own nickname first; the exporter's remark is a label. */
	w->name[0] = col(c, nick);
	w->name[1] = col(c, remark);
	w->name[2] = col(c, who);
	w->id = w->name[2];
}

/* "2026-03-01 10:15:32", or epoch seconds as in CreateTime. */
static bool
csv_time(const char *s, char out[20])
{
	char		*end;
	long long	 t;
	size_t		 n = strlen(s);

	if (n == 0)
		return false;
	if (rd_datetime(s, n, out))
		return true;
	t = strtoll(s, &end, 10);
	return *end == '\0' && end != s && rd_epoch(out, t);
}

/*
 * One row.  Lenient parsing: exporters leave stray quotes, and an
 * unterminated quote at the end is taken as it is; only a row past the
 * bound stops the read.
 */
static int
wxcsv_row(const struct csv_row *c, void *arg)
{
	struct wxcsv	*w = arg;
	struct chat_reader *r = w->r;
	struct chat_msg	 m;
	const char	*name = NULL, *id;
	char		 tm[20];
	size_t		 k;

	if (c->err == CSV_ELONG)
		return rd_fail(r, "line %llu: csv record longer than 16 MiB",
		    (unsigned long long)(w->base + c->line));
	if (c->row == 1) {
		map_header(w, c);
		if (w->text < 0)
			return rd_fail(r, "csv header names no message text column");
		return 0;
	}
	memset(&m, 0, sizeof(m));
	m.index = UINT64_MAX;
	m.line = w->base + c->line;
	m.text = fld(c, w->text, &m.text_len);
	if (csv_time(fld(c, w->time, NULL), tm))
		m.time = tm;
	else if (csv_time(fld(c, w->epoch, NULL), tm))
		m.time = tm;
	for (k = 0; k < 3 && name == NULL; k++)
		if (*fld(c, w->name[k], NULL) != '\0')
			name = fld(c, w->name[k], NULL);
	m.sender = name;
	if (*(id = fld(c, w->id, NULL)) != '\0' &&
	    (w->py || name == NULL || strcmp(id, name) != 0))
		m.sender_id = id;
	return rd_emit(r, &m);
}

/*
 * The reader hands lines without their newline (and a CR before it is
 * dropped): each goes back to the parser with an LF, so a CRLF inside a
 * quoted message reads as LF, as in the other layouts.
 */
static int
wxcsv_line(struct chat_reader *r, const char *s, size_t n)
{
	struct wxcsv *w = r->st;
	int	 rv;

	if (!w->started) {
		w->started = true;
		w->base = r->lineno;
	}
	if ((rv = csv_feed(w->csv, s, n)) != 0)
		return rv;
	return csv_feed(w->csv, "\n", 1);
}

static int
wxcsv_end(struct chat_reader *r)
{
	struct wxcsv *w = r->st;

	return csv_end(w->csv);
}

static void
wxcsv_free(void *p)
{
	struct wxcsv *w = p;

	csv_free(w->csv);
	free(w);
}

static int
wxcsv_init(struct chat_reader *r)
{
	struct wxcsv *w;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return -1;
	if ((w->csv = csv_new(RD_MSG_MAX, CSV_LENIENT, wxcsv_row, w)) == NULL) {
		free(w);
		return -1;
	}
	w->r = r;
	w->py = r->fmt == FMT_PYWXDUMP_CSV;
	r->st = w;
	return 0;
}

const struct rd_ops rd_wechat_csv = {
	.init = wxcsv_init,
	.line = wxcsv_line,
	.end = wxcsv_end,
	.free = wxcsv_free,
};

const struct rd_ops rd_pywxdump_csv = {
	.init = wxcsv_init,
	.line = wxcsv_line,
	.end = wxcsv_end,
	.free = wxcsv_free,
};

/* ---- MemoTrace html: a JavaScript array literal ---- */

struct js {
	const char	*s;
	size_t		 n, i;
	int		 depth;
};

enum js_key { K_OTHER, K_TEXT, K_TIME, K_NAME, K_REMARK, K_ID };

struct js_msg {
	struct rbuf	 f[K_ID + 1];
	bool		 has[K_ID + 1];
	long long	 epoch;
	bool		 has_epoch;
};

static void
js_space(struct js *j)
{
	while (j->i < j->n) {
		char c = j->s[j->i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			j->i++;
		else if (c == '/' && j->i + 1 < j->n && j->s[j->i + 1] == '/') {
			while (j->i < j->n && j->s[j->i] != '\n')
				j->i++;
		} else if (c == '/' && j->i + 1 < j->n && j->s[j->i + 1] == '*') {
			const char *e = NULL;

			if (j->i + 2 < j->n)
				e = strstr(j->s + j->i + 2, "*/");
			j->i = e ? (size_t)(e - j->s) + 2 : j->n;
		} else
			break;
	}
}

static int
hexn(const char *s, size_t avail, int nd)
{
	int	 v = 0, k, c;

	if (avail < (size_t)nd)
		return -1;
	for (k = 0; k < nd; k++) {
		c = (unsigned char)s[k];
		if (c >= '0' && c <= '9')
			v = v * 16 + c - '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			v = v * 16 + (c | 0x20) - 'a' + 10;
		else
			return -1;
	}
	return v;
}

/* One escape after the backslash; appends its UTF-8 to out. */
static int
js_escape(struct js *j, struct rbuf *out)
{
	char	 u[4], c;
	int	 cp, lo;

	if (j->i >= j->n)
		return 0;
	c = j->s[j->i++];
	switch (c) {
	case 'n':
		return rbuf_add(out, "\n", 1, RD_MSG_MAX);
	case 't':
		return rbuf_add(out, "\t", 1, RD_MSG_MAX);
	case 'r': case 'b': case 'f': case 'v': case '0': case '\n':
		return 0;
	case 'x':
		if ((cp = hexn(j->s + j->i, j->n - j->i, 2)) < 0)
			return 0;
		j->i += 2;
		break;
	case 'u':
		if ((cp = hexn(j->s + j->i, j->n - j->i, 4)) < 0)
			return 0;
		j->i += 4;
		if (cp >= 0xd800 && cp <= 0xdbff && j->i + 6 <= j->n &&
		    j->s[j->i] == '\\' && j->s[j->i + 1] == 'u' &&
		    (lo = hexn(j->s + j->i + 2, 4, 4)) >= 0xdc00 && lo <= 0xdfff) {
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			j->i += 6;
		} else if (cp >= 0xd800 && cp <= 0xdfff)
			cp = 0xfffd;
		break;
	default:
		return rbuf_add(out, &c, 1, RD_MSG_MAX);
	}
	if (cp == 0 || (cp < 0x20 && cp != 0x0a && cp != 0x09))
		return 0;
	return rbuf_add(out, u, u8_put(u, cp), RD_MSG_MAX);
}

/* A quoted string ('...', "..." or `...`) into out (NULL: skip it). */
static int
js_string(struct js *j, struct rbuf *out)
{
	char	 q = j->s[j->i++];
	size_t	 k;

	while (j->i < j->n && j->s[j->i] != q) {
		if (j->s[j->i] == '\\') {
			j->i++;
			if (out && js_escape(j, out) == -1)
				return -1;
			if (!out && j->i < j->n)
				j->i++;
			continue;
		}
		for (k = j->i; k < j->n && j->s[k] != q && j->s[k] != '\\'; k++)
			;
		if (out && rbuf_add(out, j->s + j->i, k - j->i, RD_MSG_MAX) == -1)
			return -1;
		j->i = k;
	}
	if (j->i < j->n)
		j->i++;
	return 0;
}

static bool
js_quote(char c)
{
	return c == '"' || c == '\'' || c == '`';
}

/* Skips any value, nested arrays and objects included. */
static int
js_skip(struct js *j)
{
	int	 depth = 0;
	char	 c;

	while (j->i < j->n) {
		js_space(j);
		if (j->i >= j->n)
			break;
		c = j->s[j->i];
		if (js_quote(c)) {
			if (js_string(j, NULL) == -1)
				return -1;
		} else if (c == '{' || c == '[') {
			depth++;
			j->i++;
		} else if (c == '}' || c == ']') {
			if (depth == 0)
				return 0;
			depth--;
			j->i++;
		} else if (c == ',' && depth == 0)
			return 0;
		else
			j->i++;
		if (depth == 0 && (c == '}' || c == ']' || js_quote(c)))
			return 0;
	}
	return 0;
}

static enum js_key
js_keykind(const char *k, size_t n)
{
	static const struct {
		const char	*name;
		enum js_key	 kind;
	} keys[] = {
		{ "text", K_TEXT }, { "content", K_TEXT }, { "msg", K_TEXT },
		{ "message", K_TEXT }, { "StrContent", K_TEXT },
		{ "timestamp", K_TIME }, { "time", K_TIME },
		{ "CreateTime", K_TIME }, { "create_time", K_TIME },
		{ "StrTime", K_TIME }, { "strtime", K_TIME },
		{ "remark", K_REMARK }, { "Remark", K_REMARK },
		{ "display_name", K_NAME }, { "nickname", K_NAME },
		{ "NickName", K_NAME }, { "sender", K_NAME },
		{ "name", K_NAME }, { "sender_name", K_NAME },
		{ "wxid", K_ID }, { "sender_id", K_ID }, { "talker", K_ID },
		{ "username", K_ID }, { "Sender", K_ID },
	};
	size_t	 i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strlen(keys[i].name) == n && memcmp(keys[i].name, k, n) == 0)
			return keys[i].kind;
	return K_OTHER;
}

/* A key: quoted or a bare identifier. */
static int
js_key(struct js *j, struct rbuf *key)
{
	size_t	 k;

	key->len = 0;
	if (js_quote(j->s[j->i]))
		return js_string(j, key);
	for (k = j->i; k < j->n && j->s[k] != ':' && j->s[k] != ' ' &&
	    j->s[k] != '}' && j->s[k] != ','; k++)
		;
	if (rbuf_add(key, j->s + j->i, k - j->i, RD_MSG_MAX) == -1)
		return -1;
	j->i = k;
	return 0;
}

/* A scalar value into m's field for kind (numbers for the time too). */
static int
js_value(struct js *j, struct js_msg *m, enum js_key kind)
{
	struct rbuf	*f = &m->f[kind];
	size_t		 k;

	if (kind == K_OTHER || j->i >= j->n)
		return js_skip(j);
	if (js_quote(j->s[j->i])) {
		f->len = 0;
		m->has[kind] = true;
		return js_string(j, f);
	}
	if (kind == K_TIME && j->s[j->i] >= '0' && j->s[j->i] <= '9') {
		m->epoch = 0;
		for (k = j->i; k < j->n && j->s[k] >= '0' && j->s[k] <= '9' &&
		    m->epoch < 100000000000000LL; k++)
			m->epoch = m->epoch * 10 + (j->s[k] - '0');
		m->has_epoch = true;
		j->i = k;
	}
	return js_skip(j);
}

static int
js_emit(struct chat_reader *r, struct js_msg *m)
{
	struct chat_msg	 cm;
	char		 tm[20];
	int		 k;

	for (k = 0; k <= K_ID; k++)
		if (rbuf_nul(&m->f[k]) == -1)
			return rd_fail(r, "out of memory");
	memset(&cm, 0, sizeof(cm));
	cm.index = UINT64_MAX;
	if (m->has[K_TIME] && rd_datetime(m->f[K_TIME].p, m->f[K_TIME].len, tm))
		cm.time = tm;
	else if (m->has_epoch && rd_epoch(tm, m->epoch))
		cm.time = tm;
	if (m->has[K_NAME] && m->f[K_NAME].len)
		cm.sender = m->f[K_NAME].p;
	else if (m->has[K_REMARK] && m->f[K_REMARK].len)
		cm.sender = m->f[K_REMARK].p;
	if (m->has[K_ID] && m->f[K_ID].len)
		cm.sender_id = m->f[K_ID].p;
	if (!u8_valid(m->f[K_TEXT].p, m->f[K_TEXT].len))
		return 0;	/* escapes can encode lone garbage: skip */
	cm.text = m->f[K_TEXT].p;
	cm.text_len = m->f[K_TEXT].len;
	return rd_emit(r, &cm);
}

/* One {...} of the array. */
static int
js_object(struct chat_reader *r, struct js *j, struct js_msg *m,
    struct rbuf *key)
{
	int	 k;

	for (k = 0; k <= K_ID; k++) {
		m->f[k].len = 0;
		m->has[k] = false;
	}
	m->has_epoch = false;
	j->i++;
	for (;;) {
		js_space(j);
		if (j->i >= j->n)
			return 0;
		if (j->s[j->i] == '}') {
			j->i++;
			break;
		}
		if (j->s[j->i] == ',') {
			j->i++;
			continue;
		}
		if (js_key(j, key) == -1)
			return rd_fail(r, "html: value longer than 16 MiB");
		js_space(j);
		if (j->i < j->n && j->s[j->i] == ':')
			j->i++;
		js_space(j);
		if (js_value(j, m, js_keykind(key->p ? key->p : "", key->len)) == -1)
			return rd_fail(r, "html: value longer than 16 MiB");
	}
	if (!m->has[K_TEXT])
		return 0;
	return js_emit(r, m);
}

static int
html_doc(struct chat_reader *r, char *s, size_t n)
{
	struct js	 j = { s, n, 0, 0 };
	struct js_msg	 m;
	struct rbuf	 key = { 0 };
	const char	*p;
	int		 rv = 0, k;

	if ((p = strstr(s, "chatMessages")) == NULL ||
	    (p = strchr(p, '[')) == NULL)
		return rd_fail(r, "html: no chatMessages array");
	memset(&m, 0, sizeof(m));
	j.i = (size_t)(p - s) + 1;
	while (rv == 0 && !r->stopped) {
		js_space(&j);
		if (j.i >= j.n || j.s[j.i] == ']')
			break;
		if (j.s[j.i] == '{')
			rv = js_object(r, &j, &m, &key);
		else if (j.s[j.i] == ',')
			j.i++;
		else {
			size_t before = j.i;

			rv = js_skip(&j);
			if (j.i == before)
				j.i++;
		}
	}
	for (k = 0; k <= K_ID; k++)
		rbuf_free(&m.f[k]);
	rbuf_free(&key);
	return rv;
}

const struct rd_ops rd_wechat_html = {
	.doc = html_doc,
};
