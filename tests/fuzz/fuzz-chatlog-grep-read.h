/*
 * The body shared by chatlog-grep's reader fuzz targets: the input is
 * repaired to valid UTF-8 (the readers' contract), then read with
 * detection and with each format of the target's family, whole and in
 * chunk sizes drawn from the input itself.  Every delivered message must
 * be well formed: valid UTF-8 text (not necessarily NUL-terminated: the
 * line layouts point into the chunk), a 19-byte ISO time or none.
 */
#ifndef FUZZ_CHATLOG_GREP_READ_H
#define FUZZ_CHATLOG_GREP_READ_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chat.h"
#include "u8.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
fz_check(const struct chat_msg *m, void *arg)
{
	(void)arg;
	if (m->text == NULL || !u8_valid(m->text, m->text_len))
		abort();
	if (m->time && (strlen(m->time) != 19 || m->time[10] != 'T'))
		abort();
	if ((m->sender && !u8_valid(m->sender, strlen(m->sender))) ||
	    (m->sender_id && !u8_valid(m->sender_id, strlen(m->sender_id))))
		abort();
	return 0;
}

static void
fz_read(enum chat_format f, const char *s, size_t n, size_t seed)
{
	struct chat_reader *r = chat_reader_new(f, fz_check, NULL);
	char	 err[256];
	size_t	 i, k;

	if (r == NULL)
		abort();
	for (i = 0; i < n; i += k) {
		/* Chunk sizes from 1 byte up, varying along the input. */
		seed = seed * 1103515245u + 12345u;
		k = seed == 0 ? n : 1 + (seed >> 8) % (n < 300 ? n : 300);
		if (k > n - i)
			k = n - i;
		if (chat_reader_feed(r, s + i, k, err, sizeof(err)) == -1)
			break;
	}
	(void)chat_reader_end(r, err, sizeof(err));
	chat_reader_free(r);
}

static int
fz_family(const uint8_t *data, size_t len, const enum chat_format *fmts,
    size_t nfmts)
{
	char	*s;
	size_t	 n, i;
	bool	 lossy;

	if ((s = u8_repair((const char *)data, len, &n, &lossy)) == NULL)
		return 0;
	(void)chat_detect(s, n);
	fz_read(FMT_AUTO, s, n, 0);
	fz_read(FMT_AUTO, s, n, len);
	for (i = 0; i < nfmts; i++) {
		fz_read(fmts[i], s, n, 0);
		fz_read(fmts[i], s, n, len + i);
	}
	free(s);
	return 0;
}

#endif
