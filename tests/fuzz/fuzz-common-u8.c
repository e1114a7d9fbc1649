/*
 * Fuzzes the UTF-8 helpers on any bytes.  Properties, each an abort when
 * broken: decoding, repair and folding always give valid, NUL-terminated
 * UTF-8 of the length they report; repair is the identity on valid input
 * and lossy exactly when it is not; folding is idempotent; u8_next walks
 * every input in steps that u8_put re-encodes; a record string made from
 * the bytes survives a JSON round trip.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fuzz-harness.h"
#include "rec.h"
#include "u8.h"

int	LLVMFuzzerTestOneInput(const unsigned char *, size_t);

static void
check_decode(const unsigned char *data, size_t size)
{
	enum u8_enc enc = u8_detect(data, size), enc2 = (enum u8_enc)-1;
	size_t	 n = (size_t)-1;
	bool	 lossy = false;
	char	*out;

	CHECK(enc <= U8_GB18030);
	CHECK(u8_enc_name(enc) != NULL);
	out = u8_decode(data, size, &n, &enc2, &lossy);
	CHECK(out != NULL);
	CHECK(enc2 == enc);
	CHECK(out[n] == '\0');
	CHECK(u8_valid(out, n));
	/* Valid UTF-8 without BOM that is detected as UTF-8 comes back as is. */
	if (enc == U8_UTF8 && u8_valid((const char *)data, size))
		CHECK(n == size && memcmp(out, data, size) == 0 && !lossy);
	free(out);
}

static void
check_repair(const unsigned char *data, size_t size)
{
	const char *s = (const char *)data;
	bool	 lossy = false, valid = u8_valid(s, size);
	size_t	 n = (size_t)-1, i, pos, m;
	char	*r = u8_repair(s, size, &n, &lossy), buf[4];
	int32_t	 cp;

	CHECK(r != NULL);
	CHECK(r[n] == '\0');
	CHECK(u8_valid(r, n));
	CHECK(lossy == !valid);
	if (valid)
		CHECK(n == size && memcmp(r, s, size) == 0);
	/* u8_next over the repaired text re-encodes to the same bytes. */
	for (i = 0; i < n; ) {
		pos = i;
		cp = u8_next(r, n, &pos);
		CHECK(pos > i && pos <= n);
		m = u8_put(buf, cp);
		CHECK(m == pos - i && memcmp(buf, r + i, m) == 0);
		i = pos;
	}
	/* And over the raw bytes it never stalls or overruns. */
	for (i = 0; i < size; ) {
		pos = i;
		cp = u8_next(s, size, &pos);
		CHECK(pos > i && pos <= size && pos - i <= 4);
		CHECK(cp >= 0 && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF));
		i = pos;
	}
	free(r);
}

static void
check_fold(const unsigned char *data, size_t size)
{
	size_t	 n = (size_t)-1, n2 = (size_t)-1;
	char	*f = u8_fold((const char *)data, size, &n), *g;

	if (f == NULL)
		return;		/* utf8proc refused: an error, not a crash */
	CHECK(f[n] == '\0');
	CHECK(u8_valid(f, n));
	g = u8_fold(f, n, &n2);
	CHECK(g != NULL);
	CHECK(n2 == n && memcmp(f, g, n) == 0);	/* folding is idempotent */
	free(f);
	free(g);
}

static void
check_json(const unsigned char *data, size_t size)
{
	bool	 lossy = false;
	json_t	*s = rec_string((const char *)data, size, &lossy), *o, *back;
	char	*line;

	CHECK(json_is_string(s));
	o = rec_new("hit");
	json_object_set_new(o, "text", s);
	line = json_dumps(o, JSON_COMPACT);
	CHECK(line != NULL);
	CHECK(strchr(line, '\n') == NULL && strchr(line, '\r') == NULL);
	CHECK(u8_valid(line, strlen(line)));
	back = json_loads(line, JSON_ALLOW_NUL, NULL);
	CHECK(back != NULL);
	CHECK(json_equal(back, o));
	json_decref(back);
	json_decref(o);
	free(line);
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	if (size > (1 << 20))
		return 0;
	check_decode(data, size);
	check_repair(data, size);
	check_fold(data, size);
	check_json(data, size);
	return 0;
}
