/*
 * Telegram Desktop "Export chat history" in machine-readable JSON
 * (result.json): one chat ({"name", "type", "id", "messages": [...]})
 * or a full export ({"chats": {"list": [chat, ...]}, "left_chats": ...}).
 * A message has "date" (local time, "2026-03-01T10:15:32"), "from" and
 * "from_id" ("user123"), or for service messages "actor", "actor_id" and
 * "action"; "text" is a string or an array of strings and entity objects
 * ({"type": "bold", "text": "..."}).  Some Desktop versions wrote control
 * characters as \xNN, which is not JSON: those escapes (and raw control
 * characters inside strings) are rewritten as \u00NN before jansson sees
 * the document; any other bad escape is an error.
 */
#include "config.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "read_priv.h"
#include "u8.h"

static bool
ishex(char c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/* How much longer the repaired document is (0: nothing to repair). */
static size_t
repair_growth(const char *s, size_t n)
{
	size_t	 i, grow = 0;
	bool	 str = false;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!str) {
			str = c == '"';
			continue;
		}
		if (c == '"')
			str = false;
		else if (c == '\\' && i + 1 < n) {
			if (s[i + 1] == 'x' && i + 3 < n && ishex(s[i + 2]) &&
			    ishex(s[i + 3]))
				grow += 2;
			i++;
		} else if (c < 0x20)
			grow += 5;
	}
	return grow;
}

static char *
repair(const char *s, size_t n, size_t grow, size_t *outlen)
{
	static const char hex[] = "0123456789abcdef";
	char	*o, *p;
	size_t	 i;
	bool	 str = false;

	if ((o = malloc(n + grow + 1)) == NULL)
		return NULL;
	for (i = 0, p = o; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!str) {
			str = c == '"';
			*p++ = (char)c;
		} else if (c == '"') {
			str = false;
			*p++ = '"';
		} else if (c == '\\' && i + 1 < n) {
			if (s[i + 1] == 'x' && i + 3 < n && ishex(s[i + 2]) &&
			    ishex(s[i + 3])) {
				memcpy(p, "\\u00", 4);
				p[4] = s[i + 2];
				p[5] = s[i + 3];
				p += 6;
				i += 3;
			} else {
				*p++ = '\\';
				*p++ = s[++i];
			}
		} else if (c < 0x20) {
			memcpy(p, "\\u00", 4);
			p[4] = hex[c >> 4];
			p[5] = hex[c & 15];
			p += 6;
		} else
			*p++ = (char)c;
	}
	*p = '\0';
	*outlen = (size_t)(p - o);
	return o;
}

static int
add_json_text(struct rbuf *b, json_t *t)
{
	size_t	 i;
	json_t	*e, *v;

	if (json_is_string(t))
		return rbuf_add(b, json_string_value(t), json_string_length(t),
		    RD_MSG_MAX);
	if (!json_is_array(t))
		return 0;
	json_array_foreach(t, i, e) {
		v = json_is_object(e) ? json_object_get(e, "text") : e;
		if (json_is_string(v) && rbuf_add(b, json_string_value(v),
		    json_string_length(v), RD_MSG_MAX) == -1)
			return -1;
	}
	return 0;
}

/* "user123" or, in old exports, a bare number. */
static const char *
json_id(json_t *v, char buf[32])
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(buf, 32, "%lld", (long long)json_integer_value(v));
		return buf;
	}
	return NULL;
}

static int
tg_message(struct chat_reader *r, json_t *msg, struct rbuf *text)
{
	struct chat_msg	 m;
	json_t		*v;
	char		 tm[20], idbuf[32];
	bool		 service;

	if (!json_is_object(msg))
		return 0;
	service = json_is_string(v = json_object_get(msg, "type")) &&
	    strcmp(json_string_value(v), "service") == 0;
	text->len = 0;
	if (add_json_text(text, json_object_get(msg, "text")) == -1)
		return rd_fail(r, "telegram json: message longer than 16 MiB");
	if (service && text->len == 0 &&
	    json_is_string(v = json_object_get(msg, "action")) &&
	    rbuf_add(text, json_string_value(v), json_string_length(v),
	    RD_MSG_MAX) == -1)
		return rd_fail(r, "out of memory");
	if (rbuf_nul(text) == -1)
		return rd_fail(r, "out of memory");
	memset(&m, 0, sizeof(m));
	m.index = UINT64_MAX;
	if (json_is_string(v = json_object_get(msg, "date")) &&
	    rd_datetime(json_string_value(v), strlen(json_string_value(v)), tm))
		m.time = tm;
	v = json_object_get(msg, service ? "actor" : "from");
	m.sender = json_is_string(v) ? json_string_value(v) : NULL;
	m.sender_id = json_id(json_object_get(msg, service ? "actor_id" :
	    "from_id"), idbuf);
	m.text = text->p;
	m.text_len = text->len;
	return rd_emit(r, &m);
}

static int
tg_chat(struct chat_reader *r, json_t *chat, struct rbuf *text)
{
	json_t	*msgs, *msg;
	size_t	 i;

	if (!json_is_array(msgs = json_object_get(chat, "messages")))
		return 0;
	json_array_foreach(msgs, i, msg) {
		if (tg_message(r, msg, text) == -1)
			return -1;
		if (r->stopped)
			break;
	}
	return 0;
}

static int
tg_list(struct chat_reader *r, json_t *root, const char *key, struct rbuf *text)
{
	json_t	*list, *chat;
	size_t	 i;

	list = json_object_get(json_object_get(root, key), "list");
	if (!json_is_array(list))
		return 0;
	json_array_foreach(list, i, chat)
		if (tg_chat(r, chat, text) == -1 || r->stopped)
			return r->spent ? -1 : 0;
	return 0;
}

static int
tg_doc(struct chat_reader *r, char *s, size_t n)
{
	json_error_t	 je;
	json_t		*root;
	struct rbuf	 text = { 0 };
	char		*fixed = NULL;
	size_t		 grow, flen;
	int		 rv = 0;

	if ((grow = repair_growth(s, n)) > 0) {
		if (n + grow > RD_DOC_MAX + RD_DOC_MAX / 4 ||
		    (fixed = repair(s, n, grow, &flen)) == NULL)
			return rd_fail(r, "out of memory");
		s = fixed;
		n = flen;
	}
	root = json_loadb(s, n, JSON_ALLOW_NUL, &je);
	free(fixed);
	if (root == NULL)
		return rd_fail(r, "telegram json: %s at line %d column %d",
		    je.text, je.line, je.column);
	if (json_is_array(json_object_get(root, "messages")))
		rv = tg_chat(r, root, &text);
	else if (json_is_object(json_object_get(root, "chats")))
		rv = tg_list(r, root, "chats", &text);
	else
		rv = rd_fail(r, "telegram json: no \"messages\" or \"chats\"");
	if (rv == 0 && !r->stopped)
		rv = tg_list(r, root, "left_chats", &text);
	json_decref(root);
	rbuf_free(&text);
	return rv;
}

const struct rd_ops rd_telegram_json = {
	.doc = tg_doc,
};
