/*
 * Which export is this?  Decided from content, never from the file name:
 * the first lines of the first 64 KiB (already UTF-8, BOM removed).
 * Unmistakable openings win at once (the QQ title, a MIME header, a
 * JSON object with messages, a CSV header, the LINE title); otherwise
 * every line is offered to the header recognisers of the line layouts and
 * the layout whose headers make up enough of the text wins.  Text that
 * matches nothing is read as plain lines.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "read_priv.h"

#define SCAN_MAX	((size_t)256 << 10)

static const char *
find(const char *s, size_t n, const char *lit)
{
	size_t	 k = strlen(lit);
	const char *p = s, *end = s + n;

	while (p + k <= end && (p = memchr(p, lit[0], (size_t)(end - p))) &&
	    p + k <= end) {
		if (memcmp(p, lit, k) == 0)
			return p;
		p++;
	}
	return NULL;
}

static size_t
first_line(const char *s, size_t n)
{
	const char *nl = memchr(s, '\n', n);

	return nl ? (size_t)(nl - s) : n;
}

static enum chat_format
detect_csv(const char *s, size_t n)
{
	size_t	 l = first_line(s, n);

	if (find(s, l, "MsgSvrID") && find(s, l, "type_name"))
		return FMT_PYWXDUMP_CSV;
	if ((find(s, l, "localId") && find(s, l, "StrContent")) ||
	    (rd_prefix(s, l, "消息ID,") && find(s, l, "内容")))
		return FMT_WECHAT_CSV;
	return FMT_COUNT;
}

/* "key": followed by the opening bracket: a JSON key holding that kind. */
static bool
json_key(const char *s, size_t n, const char *key, char open)
{
	const char	*p = s, *end = s + n;

	while ((p = find(p, (size_t)(end - p), key)) != NULL) {
		p += strlen(key);
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' ||
		    *p == '\n'))
			p++;
		if (p < end && *p == ':') {
			for (p++; p < end && (*p == ' ' || *p == '\t' ||
			    *p == '\r' || *p == '\n'); p++)
				;
			if (p < end && *p == open)
				return true;
		}
	}
	return false;
}

static enum chat_format
detect_document(const char *s, size_t n)
{
	size_t	 head = n < 4096 ? n : 4096;

	if (rd_prefix(s, n, "消息记录（"))
		return FMT_QQ_TXT;
	if (s[0] == '{' && (json_key(s, n, "\"messages\"", '[') ||
	    json_key(s, n, "\"chats\"", '{')))
		return FMT_TELEGRAM_JSON;
	if (strncasecmp(s, "MIME-Version:", 13) == 0 ||
	    (find(s, head, "multipart/related") &&
	    find(s, head, "boundary=")))
		return FMT_QQ_MHT;
	if (s[0] == '<' && find(s, n, "chatMessages"))
		return FMT_WECHAT_HTML;
	if (rd_prefix(s, n, "[LINE]"))
		return FMT_LINE_TXT;
	return detect_csv(s, n);
}

enum { L_QQ, L_MEMO, L_WXEXP, L_WA, L_LINE, L_N };

static enum chat_format
detect_lines(const char *s, size_t n)
{
	static const enum chat_format fmt[L_N] = { FMT_QQ_TXT, FMT_WECHAT_TXT,
	    FMT_WECHATEXPORTER_TXT, FMT_WHATSAPP_TXT, FMT_LINE_TXT };
	size_t		 score[L_N] = { 0 }, lines = 0, l, best = L_QQ, k;
	const char	*p = s, *end = s + (n < SCAN_MAX ? n : SCAN_MAX);
	struct rd_head	 h;
	bool		 memo;

	while (p < end) {
		l = first_line(p, (size_t)(end - p));
		if (l > 0 && !(l == 1 && p[0] == '\r')) {
			lines++;
			score[L_QQ] += rd_qq_head(p, l, &h);
			score[L_MEMO] += memo = rd_memotrace_head(p, l, &h);
			score[L_WXEXP] += rd_wxexp_head(p, l, &h);
			score[L_WA] += rd_whatsapp_head(p, l);
			/*
			 * A LINE date line ("2026.03.01 Sunday") is never
			 * followed by a time and a name: a MemoTrace header
			 * is not one, or a MemoTrace export whose detection
			 * window ends inside a date would tie and go to LINE.
			 */
			score[L_LINE] += !memo && rd_line_head(p, l);
		}
		p += l + 1;
	}
	/* Every QQ header is also a MemoTrace header: QQ if most carry ids. */
	if (score[L_QQ] * 2 >= score[L_MEMO] && score[L_QQ] > 0)
		score[L_MEMO] = 0;
	for (k = 1; k < L_N; k++)
		if (score[k] > score[best])
			best = k;
	/* Headers must be a fair share of the lines, not a stray date. */
	if (score[best] == 0 || (score[best] < 2 && lines > 2) ||
	    score[best] * 10 < lines)
		return FMT_LINES;
	return fmt[best];
}

enum chat_format
chat_detect(const char *s, size_t n)
{
	enum chat_format f;
	size_t	 i = 0;

	rd_skip_marks(s, n, &i);
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' ||
	    s[i] == '\n'))
		i++;
	s += i;
	n -= i;
	if (n == 0)
		return FMT_LINES;
	if ((f = detect_document(s, n)) != FMT_COUNT)
		return f;
	return detect_lines(s, n);
}
