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
 * Parses an export held in memory (valid UTF-8, BOM removed) and calls fn
 * for each message in order.  Returns the number of messages, or -1 with
 * a reason in err.
 */
long		 chat_parse(enum chat_format, const char *text, size_t len,
		    chat_msg_fn fn, void *arg, char *err, size_t errlen);

#endif
