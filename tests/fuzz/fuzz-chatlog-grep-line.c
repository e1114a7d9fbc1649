/* libFuzzer target: chatlog-grep's line reader(s), see fuzz-chatlog-grep-read.h. */
#include "config.h"

#include "fuzz-chatlog-grep-read.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static const enum chat_format fmts[] = { FMT_LINE_TXT, FMT_LINES };

	return fz_family(data, len, fmts, sizeof(fmts) / sizeof(fmts[0]));
}
