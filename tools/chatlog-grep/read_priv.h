/*
 * Inside the export readers (read_*.c): the reader object, the message
 * accumulator the line-oriented layouts share, and the per-layout hooks.
 * The matcher half sees only chat.h.
 */
#ifndef CHATLOG_READ_PRIV_H
#define CHATLOG_READ_PRIV_H

#include <stdarg.h>
#include <string.h>

#include "chat.h"

/* One message, one line or one CSV record may not grow past this. */
#define RD_MSG_MAX	((size_t)16 << 20)
/* Layouts read as one document (JSON, HTML, MHT) are refused past this. */
#define RD_DOC_MAX	((size_t)256 << 20)
/* FMT_AUTO looks at this much before deciding. */
#define RD_DETECT_LEN	((size_t)64 << 10)

struct rbuf {
	char	*p;
	size_t	 len, cap;
};

/* Appends; -1 if the result would pass max bytes or memory ran out. */
int	rbuf_add(struct rbuf *, const char *, size_t, size_t max);
/* Keeps p NUL-terminated past len (for string use); same failures. */
int	rbuf_nul(struct rbuf *);
void	rbuf_free(struct rbuf *);

struct chat_reader;

/*
 * The newlines of a chunk, found 64 bytes at a time: one mask per block
 * costs a few instructions, where a memchr call per line (most lines
 * are a few dozen bytes) costs some twenty.
 */
struct rd_nlscan {
	const char	*s;
	size_t		 n, off;	/* off: the start of the masked block */
	uint64_t	 mask;
};

#ifdef __SSE2__
#include <emmintrin.h>

static inline uint64_t
rd_nl_block(const char *p)
{
	const __m128i	 nl = _mm_set1_epi8('\n');
	uint64_t	 a, b, c, d;

	a = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(nl,
	    _mm_loadu_si128((const __m128i *)(const void *)p)));
	b = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(nl,
	    _mm_loadu_si128((const __m128i *)(const void *)(p + 16))));
	c = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(nl,
	    _mm_loadu_si128((const __m128i *)(const void *)(p + 32))));
	d = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(nl,
	    _mm_loadu_si128((const __m128i *)(const void *)(p + 48))));
	return a | b << 16 | c << 32 | d << 48;
}
#else
static inline uint64_t
rd_nl_block(const char *p)
{
	uint64_t	 m = 0;
	const char	*q = p;

	while ((q = memchr(q, '\n', (size_t)(p + 64 - q))) != NULL)
		m |= (uint64_t)1 << (q++ - p);
	return m;
}
#endif

/* The block at off, or the tail shorter than a block. */
static inline uint64_t
rd_nl_mask(const struct rd_nlscan *sc)
{
	uint64_t	 m = 0;
	const char	*p = sc->s + sc->off, *q = p, *end = sc->s + sc->n;

	if (sc->n - sc->off >= 64)
		return rd_nl_block(p);
	while ((q = memchr(q, '\n', (size_t)(end - q))) != NULL)
		m |= (uint64_t)1 << (q++ - p);
	return m;
}

/* The offset of the next newline, or n if there is none. */
static inline size_t
rd_nl_next(struct rd_nlscan *sc)
{
	size_t	 k;

	while (sc->mask == 0) {
		if ((sc->off += 64) >= sc->n)
			return sc->n;
		sc->mask = rd_nl_mask(sc);
	}
	k = (size_t)__builtin_ctzll(sc->mask);
	sc->mask &= sc->mask - 1;
	return sc->off + k;
}

struct rd_ops {
	/* Optional: allocates r->st. */
	int	(*init)(struct chat_reader *);
	/* Line layouts: one complete line, without its newline or CR. */
	int	(*line)(struct chat_reader *, const char *, size_t);
	/* Document layouts: the whole input, NUL-terminated, writable. */
	int	(*doc)(struct chat_reader *, char *, size_t);
	/* Optional: replaces the plain delivery of an accumulated message. */
	int	(*deliver)(struct chat_reader *, struct chat_msg *);
	/* Optional: called at end of input, after the last line. */
	int	(*end)(struct chat_reader *);
	void	(*free)(void *);
	/*
	 * Optional, line layouts: all the complete lines of the chunk sc
	 * from sc->s[*at] on, each handled as .line would, r->lineno and
	 * r->line_cr kept as for .line; *at ends past the last line taken.
	 * Stops early when r->stopped.  Saves a call per line.
	 */
	int	(*lines)(struct chat_reader *, struct rd_nlscan *, size_t *at);
	/* Texts may point into the caller's chunk (not NUL-terminated). */
	bool	 zerocopy;
	/*
	 * Optional, layouts whose headers are recognised without state:
	 * the start (> 0) of the last complete header line of s, or 0
	 * (chat_cut).
	 */
	size_t	(*cut)(const char *s, size_t len);
};

/* The message being assembled from several lines. */
struct rd_acc {
	bool		 open;
	bool		 has_time, has_sender, has_sid;
	char		 time[20];
	struct rbuf	 sender, sid, text;
	size_t		 nlines;
	uint64_t	 line;
	/*
	 * Zero copy: while a message's lines sit one after the other in
	 * the caller's chunk, its text is zc[0..zclen) there, copied into
	 * text only when the chunk ends or the run breaks.
	 */
	const char	*zc;
	size_t		 zclen;
	/* The header line, when it lies in the caller's chunk (chat_reader_head). */
	const char	*head;
	size_t		 headlen;
};

struct chat_reader {
	enum chat_format	 fmt;
	const struct rd_ops	*ops;
	chat_msg_fn		 fn;
	void			*arg;
	void			*st;		/* the layout's own state */
	struct rbuf		 head;		/* FMT_AUTO: input before detection */
	struct rbuf		 part;		/* the unfinished line */
	struct rbuf		 doc;		/* document layouts */
	uint64_t		 lineno;	/* lines completed so far */
	uint64_t		 count;		/* messages delivered */
	bool			 line_in_chunk;	/* the current line is the caller's */
	bool			 line_cr;	/* and lost a CR at its end */
	bool			 detecting, stopped, spent;
	char			 err[256];
	struct rd_acc		 acc;
	/* The header line of the message being delivered, or NULL. */
	const char		*dhead;
	size_t			 dheadlen;
};

/* Sets the error (first one wins) and returns -1. */
int	rd_fail(struct chat_reader *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/*
 * Delivers one message now.  Set m->index to UINT64_MAX for the running
 * count (the usual case); FMT_LINES sets the line's own position.
 */
int	rd_emit(struct chat_reader *, struct chat_msg *);
/* Starts a message (delivering the open one); NULL/0 for absent fields. */
int	rd_start(struct chat_reader *, const char *time, const char *sender,
	    size_t slen, const char *sid, size_t sidlen);
/* Adds one line of text to the open message. */
int	rd_text(struct chat_reader *, const char *, size_t);
/* Like rd_text, but text outside any message becomes one without a sender. */
int	rd_text_any(struct chat_reader *, const char *, size_t);
/* Delivers the open message, if any. */
int	rd_flush(struct chat_reader *);

/*
 * rd_text_any with its common case inline: the next line of a message
 * that lies in the caller's chunk right after the text so far.
 */
static inline int
rd_text_next(struct chat_reader *r, const char *s, size_t n)
{
	struct rd_acc	*a = &r->acc;

	if (r->line_in_chunk && !r->line_cr) {
		if (a->zc != NULL && a->zc + a->zclen + 1 == s &&
		    a->zclen + 1 + n <= RD_MSG_MAX) {
			a->zclen += 1 + n;
			a->nlines++;
			return 0;
		}
		/* The first line of a message. */
		if (a->open && a->nlines == 0 && r->ops->zerocopy) {
			a->zc = s;
			a->zclen = n;
			a->nlines++;
			return 0;
		}
	}
	return rd_text_any(r, s, n);
}

/* The per-layout hook tables, one per enum chat_format. */
extern const struct rd_ops rd_qq_txt, rd_qq_mht, rd_wechat_txt, rd_wechat_csv,
    rd_wechat_html, rd_pywxdump_csv, rd_wechatexporter_txt, rd_telegram_json,
    rd_whatsapp_txt, rd_line_txt, rd_lines;

/* Shared parsing helpers (read_util.c). */
bool	rd_iso(char out[20], int y, int mo, int d, int h, int mi, int s);
/* Epoch seconds (or milliseconds) to ISO time in China Standard Time. */
bool	rd_epoch(char out[20], long long t);
/* Parses digits at s[*i] (at most maxd), advancing *i; -1 if none. */
int	rd_num(const char *s, size_t len, size_t *i, int maxd);
/*
 * A date and time at the start of s: "YYYY-MM-DD HH:MM[:SS]" with '-',
 * '/' or '.' in the date, space or 'T' between, and an optional 12-hour
 * marker (上午/下午/凌晨/中午/晚上 before the time, AM/PM after).
 * Returns the bytes consumed, 0 if s does not start with one.
 */
size_t	rd_datetime(const char *s, size_t len, char out[20]);
/* Applies a 12-hour marker at s[*i] (AM/PM/a.m./p.m., CJK before-forms). */
int	rd_ampm(const char *s, size_t len, size_t *i);
int	rd_hour12(int h, int ampm);
bool	rd_prefix(const char *s, size_t len, const char *lit);
/* Skips U+200E, U+200F, U+202A..U+202E, U+2066..U+2069, U+FEFF at s[*i]. */
void	rd_skip_marks(const char *s, size_t len, size_t *i);
/* Decodes HTML character references in place; returns the new length. */
size_t	rd_html_unescape(char *s, size_t len);
/* Splits a trailing "(12345)" or "<a@b>" id off a name. */
void	rd_split_id(const char *s, size_t len, size_t *namelen,
	    const char **id, size_t *idlen);

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/*
 * Eight bytes at once (the header of every message is tested): byte k
 * of the string is bits 8k..8k+7 of rd_ld8.  rd_digits8 is true when the
 * bytes marked 1 in dig are ASCII digits and the others equal tmpl's:
 * digits have the high nibble 3 and stay below 0x40 once 6 is added
 * (0x30..0x39).  The addition cannot carry out of a byte that passed the
 * first test.
 */
static inline uint64_t
rd_ld8(const char *s)
{
	uint64_t	 w;

	memcpy(&w, s, sizeof(w));
	return w;
}

static inline bool
rd_digits8(uint64_t w, uint64_t tmpl, uint64_t dig)
{
	uint64_t	 hi = dig * 0xf0, sep = ~(dig * 0xff);

	return ((w & (hi | sep)) == (tmpl | (dig * 0x30))) &
	    (((w + dig * 6) & hi) == dig * 0x30);
}
#define RD_SWAR	1
#endif

/* A header line parsed by one of the line layouts. */
struct rd_head {
	char		 time[20];
	bool		 has_time;
	const char	*sender, *sid, *text;
	size_t		 slen, sidlen, tlen;
};

/* Header-line recognisers, also used by chat_detect to score layouts. */
bool	rd_qq_head(const char *, size_t, struct rd_head *);
bool	rd_memotrace_head(const char *, size_t, struct rd_head *);
/* The MemoTrace txt line hook (read_qq.c, beside the QQ one it resembles). */
int	rd_memotrace_line(struct chat_reader *, const char *, size_t);
const char *rd_prev_time(const struct chat_reader *);
bool	rd_wxexp_head(const char *, size_t, struct rd_head *);
bool	rd_whatsapp_head(const char *, size_t);
bool	rd_line_head(const char *, size_t);
/* Starts a message from a parsed header; its text (if any) is the first line. */
int	rd_start_head(struct chat_reader *, const struct rd_head *);

#endif
