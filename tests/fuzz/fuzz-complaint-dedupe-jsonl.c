/*
 * libFuzzer target: complaint-dedupe's JSON Lines row scanner (jsonl.c)
 * against jansson, which it stands in for.  Whatever the row, the scanner
 * may only accept what jansson accepts as an object, and must then find
 * the same values: the "text" member decoded to the same bytes, and the
 * raw JSON of the "ip" member parsing to the same value.  It may decline
 * a row jansson accepts (the reader then asks jansson), never the
 * reverse.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cd.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct jl_field f[2] = { { .name = "text" }, { .name = "ip" } };
	json_t	*o, *v, *mv;
	char	*t;
	size_t	 tl;
	int	 ok;

	ok = jl_scan((const char *)data, len, f, 2);
	o = json_loadb((const char *)data, len, 0, NULL);
	if (ok != 1) {
		json_decref(o);
		return 0;
	}
	if (o == NULL || !json_is_object(o))
		abort();	/* accepted what jansson refuses */
	v = json_object_get(o, "text");
	if ((v != NULL) != f[0].found || (v && json_is_string(v) != f[0].isstr))
		abort();
	if (v && f[0].isstr) {
		t = jl_string((const char *)data + f[0].off, f[0].len, &tl);
		if (tl != json_string_length(v) ||
		    memcmp(t, json_string_value(v), tl) != 0)
			abort();
		free(t);
	}
	v = json_object_get(o, "ip");
	if ((v != NULL) != f[1].found)
		abort();
	if (v) {
		mv = json_loadb((const char *)data + f[1].off, f[1].len,
		    JSON_DECODE_ANY, NULL);
		if (mv == NULL || !json_equal(mv, v))
			abort();
		json_decref(mv);
	}
	json_decref(o);
	return 0;
}
