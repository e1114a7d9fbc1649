/*
 * chatlog-grep's two halves meet here: the export readers turn a file
 * into messages, the matcher finds the lexicon in each message.
 */
#ifndef CHATLOG_CHAT_H
#define CHATLOG_CHAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum chat_format {
	FMT_AUTO = 0,
	FMT_QQ_TXT, FMT_QQ_MHT,
	FMT_WECHAT_TXT, FMT_WECHAT_CSV, FMT_WECHAT_HTML, FMT_PYWXDUMP_CSV,
	FMT_WECHATEXPORTER_TXT,
	FMT_TELEGRAM_JSON,
	FMT_WHATSAPP_TXT,
	FMT_LINE_TXT,
	FMT_LINES,
	FMT_COUNT
};

/* One message; the strings point into the reader's buffers, valid during the callback. */
struct chat_msg {
	uint64_t	 index;		/* 0-based position in the export */
	const char	*time;		/* ISO 8601 "YYYY-MM-DDTHH:MM:SS" or NULL */
	const char	*sender;	/* display name or NULL */
	const char	*sender_id;	/* QQ number, e-mail, Telegram from_id... or NULL */
	const char	*text;		/* valid UTF-8, multi-line kept */
	size_t		 text_len;
	uint64_t	 line;		/* 1-based line of the message start, 0 if none */
};

/* Returns nonzero to stop reading. */
typedef int	(*chat_msg_fn)(const struct chat_msg *, void *arg);

const char	*chat_format_name(enum chat_format);	/* "qq-txt", "wechat-csv", ... */
enum chat_format chat_format_parse(const char *name);	/* FMT_COUNT if unknown */
/* Guesses the layout from the first bytes (already decoded to UTF-8). */
enum chat_format chat_detect(const char *text, size_t len);
/*
 * A streaming reader, so that memory is bounded by the largest message,
 * not the file: feed it valid UTF-8 (BOM removed) in chunks of any size
 * and it calls fn for each message as soon as the message is complete.
 * Layouts that are one document (Telegram JSON, HTML, MHT) are buffered
 * inside the reader.  FMT_AUTO detects the layout from the first chunk
 * (at least 64 KiB, or the whole input if shorter).
 */
struct chat_reader;

struct chat_reader *chat_reader_new(enum chat_format, chat_msg_fn fn, void *arg);
/* The layout in use (after detection). */
enum chat_format chat_reader_format(const struct chat_reader *);
/* Returns 0, or -1 with a reason in err (the reader is then spent). */
int		 chat_reader_feed(struct chat_reader *, const char *text, size_t len,
		    char *err, size_t errlen);
/* Delivers the last message; returns the message count or -1 with err. */
long		 chat_reader_end(struct chat_reader *, char *err, size_t errlen);
void		 chat_reader_free(struct chat_reader *);
/*
 * Parallel reading of one export.  chat_cut gives a place where it may be
 * cut: the start (> 0) of the last complete line of s[0..len) after which
 * a fresh reader of the layout reads exactly the messages a reader of the
 * whole export would, because that line starts a message whatever came
 * before; 0 when there is none or the layout keeps state across messages
 * (chat_can_cut false).  A reader of a later piece is told how many lines
 * came before it, so that line numbers stay those of the export; message
 * indices restart at 0 in every piece (the caller renumbers).
 */
bool		 chat_can_cut(enum chat_format);
size_t		 chat_cut(enum chat_format, const char *s, size_t len);
void		 chat_reader_set_line(struct chat_reader *, uint64_t lines_before);
/* The lines read so far (with the ones before, if set). */
uint64_t	 chat_reader_lines(const struct chat_reader *);
/*
 * Reading the header again.  During the callback, chat_reader_head gives
 * the header line of the message (QQ and MemoTrace txt) when it lies in
 * the text passed to chat_reader_feed (only the caller knows whether that
 * text is still there), else NULL.  A caller that keeps that text may
 * keep just the line, and chat_head reads the message's time, sender and
 * id from it again, as the reader did (false if it is not a header).
 */
struct chat_head {
	char		 time[20];	/* ISO 8601, always present */
	const char	*sender, *sid;	/* in the line; sid NULL if none */
	size_t		 slen, sidlen;
};
const char	*chat_reader_head(const struct chat_reader *, size_t *len);
bool		 chat_head(enum chat_format, const char *line, size_t len,
		    struct chat_head *);

#endif
