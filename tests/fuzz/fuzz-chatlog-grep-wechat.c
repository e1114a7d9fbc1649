/* libFuzzer target: chatlog-grep's wechat reader(s), see fuzz-chatlog-grep-read.h. */
#include "config.h"

#include "fuzz-chatlog-grep-read.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static const enum chat_format fmts[] = { FMT_WECHAT_TXT,
	    FMT_WECHAT_CSV, FMT_WECHAT_HTML, FMT_PYWXDUMP_CSV,
	    FMT_WECHATEXPORTER_TXT };

	return fz_family(data, len, fmts, sizeof(fmts) / sizeof(fmts[0]));
}
