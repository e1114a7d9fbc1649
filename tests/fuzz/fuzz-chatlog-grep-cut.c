/*
 * libFuzzer target: cutting QQ and MemoTrace txt exports for parallel
 * reading (chat_cut).  The input, repaired to valid UTF-8, is read whole
 * and again in two pieces cut where chat_cut says, for a prefix length
 * drawn from the input; the pieces must give the same messages (fields,
 * line numbers, and indices once renumbered).  Every header line the
 * reader hands out (chat_reader_head) must read again (chat_head) to
 * the message's own time, sender and id.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chat.h"
#include "u8.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct fz_msg {
	char	*text, *time, *sender, *sid;
	uint64_t line;
};

struct fz_run {
	enum chat_format	 fmt;
	struct chat_reader	*r;
	struct fz_msg		*m;
	size_t			 n, cap;
};

static char *
dupn(const char *s, size_t n)
{
	char	*d = malloc(n + 1);

	if (d == NULL)
		abort();
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static bool
same(const char *a, const char *b)
{
	return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

/* The header line, read again, says what the message says. */
static void
check_head(struct fz_run *run, const struct chat_msg *m)
{
	struct chat_head h;
	const char *line;
	size_t	 len;
	char	*s, *id;

	if ((line = chat_reader_head(run->r, &len)) == NULL)
		return;
	if (!chat_head(run->fmt, line, len, &h))
		abort();
	s = dupn(h.sender, h.slen);
	id = h.sid ? dupn(h.sid, h.sidlen) : NULL;
	if (!same(m->time, h.time) || !same(m->sender, s) || !same(m->sender_id, id))
		abort();
	free(s);
	free(id);
}

static int
collect(const struct chat_msg *m, void *arg)
{
	struct fz_run *run = arg;
	struct fz_msg *g;

	check_head(run, m);
	if (run->n == run->cap) {
		run->cap = run->cap ? 2 * run->cap : 64;
		if ((run->m = realloc(run->m, run->cap * sizeof(*run->m))) == NULL)
			abort();
	}
	g = &run->m[run->n++];
	g->text = dupn(m->text, m->text_len);
	g->time = m->time ? dupn(m->time, strlen(m->time)) : NULL;
	g->sender = m->sender ? dupn(m->sender, strlen(m->sender)) : NULL;
	g->sid = m->sender_id ? dupn(m->sender_id, strlen(m->sender_id)) : NULL;
	g->line = m->line;
	return 0;
}

/* Reads s[0..n) with lines before it; false when the reader refused it. */
static bool
read_piece(struct fz_run *run, const char *s, size_t n, uint64_t lines)
{
	char	 err[256];
	bool	 ok;

	if ((run->r = chat_reader_new(run->fmt, collect, run)) == NULL)
		abort();
	chat_reader_set_line(run->r, lines);
	ok = chat_reader_feed(run->r, s, n, err, sizeof(err)) == 0 &&
	    chat_reader_end(run->r, err, sizeof(err)) >= 0;
	chat_reader_free(run->r);
	return ok;
}

static void
run_free(struct fz_run *run)
{
	size_t	 i;

	for (i = 0; i < run->n; i++) {
		free(run->m[i].text);
		free(run->m[i].time);
		free(run->m[i].sender);
		free(run->m[i].sid);
	}
	free(run->m);
}

static void
check_cut(enum chat_format f, const char *s, size_t n, size_t at)
{
	struct fz_run whole = { f, NULL, NULL, 0, 0 }, parts = whole;
	size_t	 k = chat_cut(f, s, at), i;
	uint64_t lines = 0;
	bool	 ok;

	if (k == 0)
		return;
	if (k >= at || s[k - 1] != '\n')
		abort();
	ok = read_piece(&whole, s, n, 0);
	for (i = 0; i < k; i++)
		lines += s[i] == '\n';
	if (read_piece(&parts, s, k, 0) && read_piece(&parts, s + k, n - k, lines)) {
		if (!ok || whole.n != parts.n)
			abort();
		for (i = 0; i < whole.n; i++)
			if (!same(whole.m[i].text, parts.m[i].text) ||
			    !same(whole.m[i].time, parts.m[i].time) ||
			    !same(whole.m[i].sender, parts.m[i].sender) ||
			    !same(whole.m[i].sid, parts.m[i].sid) ||
			    whole.m[i].line != parts.m[i].line)
				abort();
	}
	run_free(&whole);
	run_free(&parts);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char	*s;
	size_t	 n;
	bool	 lossy;

	if ((s = u8_repair((const char *)data, len, &n, &lossy)) == NULL)
		return 0;
	if (n > 0) {
		check_cut(FMT_QQ_TXT, s, n, 1 + len * 7 % n);
		check_cut(FMT_WECHAT_TXT, s, n, 1 + len * 13 % n);
		check_cut(FMT_QQ_TXT, s, n, n);
	}
	free(s);
	return 0;
}
