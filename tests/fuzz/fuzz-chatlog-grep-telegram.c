/* libFuzzer target: chatlog-grep's telegram reader(s), see fuzz-chatlog-grep-read.h. */
#include "config.h"

#include "fuzz-chatlog-grep-read.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static const enum chat_format fmts[] = { FMT_TELEGRAM_JSON };

	return fz_family(data, len, fmts, sizeof(fmts) / sizeof(fmts[0]));
}
