/*
 * The fallback for text that matches no known layout: every non-empty
 * line is a message without sender or time, its index the line's own
 * 0-based position, so that a hit can be found again with sed -n.
 */
#include "config.h"

#include <string.h>

#include "read_priv.h"

static int
lines_line(struct chat_reader *r, const char *s, size_t n)
{
	struct chat_msg	 m;

	if (n == 0)
		return 0;
	memset(&m, 0, sizeof(m));
	m.index = r->lineno;
	m.line = r->lineno + 1;
	m.text = s;
	m.text_len = n;
	return rd_emit(r, &m);
}

const struct rd_ops rd_lines = {
	.line = lines_line,
};
