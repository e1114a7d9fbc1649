/*
 * chatlog-grep's lexicon parser and compiler on hostile TSV: a bad line
 * is an error naming the line, never a crash; what parses compiles or
 * fails with a message.
 */
#include "config.h"

#include <stdlib.h>

#include "grep.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lexicon lx = { 0 };
	struct matcher *m;
	char	 err[512];

	if (size > 4096)
		return 0;		/* compile time grows with the lexicon */
	err[0] = '\0';
	if (lex_parse(&lx, "fuzz", (const char *)data, size, err,
	    sizeof(err)) == 0 && lx.nterms > 0) {
		m = match_new(&lx, EV_NORMAL, 1, err, sizeof(err));
		match_free(m);
	}
	lex_free(&lx);
	return 0;
}
