/*
 * chatlog-grep's matcher on hostile text: folding, the offset map back
 * to the original bytes, the pinyin and homophone streams and the hit
 * classification, with every evasion form of a small lexicon compiled
 * (aggressive).  Spans must stay inside their message.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "grep.h"
#include "u8.h"

static const char lexicon[] =
    "征信修复\tcredit\thigh\tn\n"
    "停息挂账\tdebt\thigh\tn\n"
    "12378\tcomplaint\tlow\tn\n"
    "上岸\tdebt\tlow\tn\tnear=2:网贷|逾期\n"
    "re:停(息|催).{0,6}(挂账|分期)\tdebt\thigh\tn\n"
    "APP\tloan\tlow\tn\n";

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct lexicon lx;
	static struct matcher *m;
	char	 err[256], *text;
	size_t	 len, i, n = 0, *off;
	struct msgset ms;
	struct hits h = { 0 };

	if (m == NULL) {
		if (lex_parse(&lx, "fuzz", lexicon, sizeof(lexicon) - 1, err,
		    sizeof(err)) == -1 ||
		    (m = match_new(&lx, EV_AGGRESSIVE, 1, err, sizeof(err))) == NULL)
			abort();
	}
	if ((text = u8_repair((const char *)data, size, &len, NULL)) == NULL)
		return 0;
	/* Messages are the lines, joined by NUL as the scan pipeline does. */
	if ((off = malloc((len + 2) * sizeof(*off))) == NULL)
		abort();
	off[n++] = 0;
	for (i = 0; i < len; i++)
		if (text[i] == '\n') {
			text[i] = '\0';
			off[n++] = i + 1;
		}
	off[n] = len + 1;
	ms.text = text;
	ms.len = len;
	ms.off = off;
	ms.n = n;
	match_scan(m, &ms, &h);
	for (i = 0; i < h.n; i++)
		if (h.v[i].msg >= n || h.v[i].so > h.v[i].eo ||
		    off[h.v[i].msg] + h.v[i].eo > off[h.v[i].msg + 1] - 1 ||
		    h.v[i].variant >= VAR_COUNT)
			abort();
	free(h.v);
	free(off);
	free(text);
	return 0;
}
