/*
 * UTF-8 helpers: validation (RFC 3629 / Unicode Table 3-7), repair,
 * decoding of what chat exports and letters really arrive in (UTF-8 with
 * or without BOM, UTF-16 from Windows tools, GB18030 from older Chinese
 * software), and the folding that makes evasive spellings compare equal.
 */
#include "config.h"

#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "u8.h"

#define FFFD	"\xef\xbf\xbd"

static size_t
seqlen(const char *s, size_t len)
{
	return u8_seqlen((const unsigned char *)s, len);
}

static void
test_seqlen(void)
{
	ok(seqlen("A", 1) == 1, "ASCII is 1 byte");
	ok(seqlen("\xc3\xa9", 2) == 2, "U+00E9 is 2 bytes");
	ok(seqlen("\xe4\xb8\xad", 3) == 3, "U+4E2D (中) is 3 bytes");
	ok(seqlen("\xf0\x9f\x98\x80", 4) == 4, "U+1F600 is 4 bytes");
	ok(seqlen("\xf4\x8f\xbf\xbf", 4) == 4, "U+10FFFF is 4 bytes");
	ok(seqlen("\xc0\x80", 2) == 0 && seqlen("\xc1\xbf", 2) == 0,
	    "overlong 2-byte forms (C0/C1) are invalid");
	ok(seqlen("\xe0\x80\x80", 3) == 0 && seqlen("\xe0\x9f\xbf", 3) == 0,
	    "overlong 3-byte forms are invalid");
	ok(seqlen("\xf0\x80\x80\x80", 4) == 0 && seqlen("\xf0\x8f\xbf\xbf", 4) == 0,
	    "overlong 4-byte forms are invalid");
	ok(seqlen("\xed\xa0\x80", 3) == 0 && seqlen("\xed\xbf\xbf", 3) == 0,
	    "surrogates U+D800..U+DFFF are invalid");
	ok(seqlen("\xed\x9f\xbf", 3) == 3, "U+D7FF just below the surrogates is valid");
	ok(seqlen("\xf4\x90\x80\x80", 4) == 0 && seqlen("\xf5\x80\x80\x80", 4) == 0 &&
	    seqlen("\xff", 1) == 0, "past U+10FFFF and F5..FF are invalid");
	ok(seqlen("\xe4\xb8", 2) == 0 && seqlen("\xf0\x9f\x98", 3) == 0 &&
	    seqlen("\xc3", 1) == 0, "truncated sequences are invalid");
	ok(seqlen("\xe4\xb8\xad", 2) == 0,
	    "a sequence cut by the length is invalid even if bytes follow");
	ok(seqlen("\x80", 1) == 0 && seqlen("\xe4\x41\xad", 3) == 0,
	    "a lone continuation byte or a broken continuation is invalid");

	ok(u8_valid("", 0) && u8_valid("abc", 3), "empty and ASCII are valid");
	ok(u8_valid("\xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x98\x80", 11),
	    "CJK and emoji are valid");
	ok(!u8_valid("ab\xff", 3) && !u8_valid("\xe4\xb8", 2) &&
	    !u8_valid("\xed\xa0\x80", 3) && !u8_valid("\xc0\xaf", 2),
	    "invalid bytes, truncation, surrogate, overlong '/' make text invalid");
	ok(u8_valid("a\0b", 3), "NUL is a valid code point");
}

static void
test_next_put(void)
{
	static const int32_t cps[] = { 0, 0x41, 0x7F, 0x80, 0x7FF, 0x800,
	    0x4E2D, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF };
	char	 buf[8];
	size_t	 i, n, pos, badcount = 0;
	int32_t	 cp;
	int	 round = 1, lens = 1;

	for (i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
		n = u8_put(buf, cps[i]);
		pos = 0;
		round &= u8_next(buf, n, &pos) == cps[i] && pos == n;
		lens &= n == (cps[i] < 0x80 ? 1u : cps[i] < 0x800 ? 2u :
		    cps[i] < 0x10000 ? 3u : 4u);
	}
	/* Every scalar value, one in 7, both ways. */
	for (cp = 0; cp <= 0x10FFFF; cp += 7) {
		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		n = u8_put(buf, cp);
		pos = 0;
		if (!u8_valid(buf, n) || u8_next(buf, n, &pos) != cp || pos != n)
			badcount++;
	}
	ok(round && lens, "u8_put/u8_next round trip at the boundaries");
	ok(badcount == 0, "u8_put/u8_next round trip over the code space (%zu bad)",
	    badcount);
	n = u8_put(buf, 0xD800);
	ok(n == 3 && memcmp(buf, FFFD, 3) == 0, "u8_put of a surrogate writes U+FFFD");
	n = u8_put(buf, 0x110000);
	ok(n == 3 && memcmp(buf, FFFD, 3) == 0, "u8_put past U+10FFFF writes U+FFFD");
	pos = 0;
	cp = u8_next("\xff" "A", 2, &pos);
	ok(cp == 0xFFFD && pos == 1, "u8_next on a bad byte gives U+FFFD, advances 1");
	pos = 0;
	cp = u8_next("\xe4\xb8", 2, &pos);
	ok(cp == 0xFFFD && pos == 1, "u8_next on a truncated sequence advances 1");
}

static void
test_repair(void)
{
	char	*r;
	size_t	 n;
	bool	 lossy = false;

	r = u8_repair("a\xff" "b", 3, &n, &lossy);
	ok(r != NULL && n == 5 && memcmp(r, "a" FFFD "b", 6) == 0 && lossy,
	    "u8_repair: a bad byte becomes U+FFFD and sets lossy");
	free(r);
	lossy = false;
	r = u8_repair("\xe4\xb8\xad\xe6\x96\x87", 6, &n, &lossy);
	ok(r != NULL && n == 6 && strcmp(r, "\xe4\xb8\xad\xe6\x96\x87") == 0 &&
	    !lossy, "u8_repair leaves valid text alone, lossy stays false");
	free(r);
	lossy = false;
	r = u8_repair("x\xe4\xb8", 3, &n, &lossy);
	ok(r != NULL && u8_valid(r, n) && r[0] == 'x' && strstr(r, FFFD) != NULL &&
	    lossy, "u8_repair of a truncated tail is valid UTF-8 with U+FFFD");
	free(r);
	r = u8_repair("\xed\xa0\x80" "z", 4, &n, &lossy);
	ok(r != NULL && u8_valid(r, n) && r[n - 1] == 'z' && strncmp(r, FFFD, 3) == 0,
	    "u8_repair replaces an encoded surrogate");
	free(r);
	r = u8_repair("", 0, &n, NULL);
	ok(r != NULL && n == 0 && r[0] == '\0', "u8_repair of empty text");
	free(r);
	r = u8_repair("a\0b", 3, &n, NULL);
	ok(r != NULL && n == 3 && memcmp(r, "a\0b", 3) == 0,
	    "u8_repair keeps an embedded NUL and reports the length");
	free(r);
}

/* Text converted with iconv, so the test does not trust u8.c's own tables. */
static char *
conv(const char *to, const char *s, size_t *outlen)
{
	iconv_t	 cd = iconv_open(to, "UTF-8");
	size_t	 il = strlen(s), ol = 4 * il + 16;
	char	*out = malloc(ol), *o = out, *ip = (char *)s;

	if (cd == (iconv_t)-1 || out == NULL ||
	    iconv(cd, &ip, &il, &o, &ol) == (size_t)-1)
		abort();
	iconv_close(cd);
	*outlen = (size_t)(o - out);
	return out;
}

static char *
with_prefix(const char *pre, size_t plen, const char *s, size_t len)
{
	char	*b = malloc(plen + len);

	memcpy(b, pre, plen);
	memcpy(b + plen, s, len);
	return b;
}

static const char CHAT[] =
    "2023-05-01 12:00:03 \xe5\xbc\xa0\xe4\xb8\x89(10001)\n"
    "\xe4\xbd\xa0\xe5\xa5\xbd\xef\xbc\x8c\xe5\x9c\xa8\xe5\x90\x97\xef\xbc\x9f "
    "\xe4\xbb\xa3\xe7\x90\x86\xe7\xbb\xb4\xe6\x9d\x83\xe5\x81\x9c\xe6\x81\xaf"
    "\xe6\x8c\x82\xe8\xb4\xa6\n2023-05-01 12:01:10 \xe6\x9d\x8e\xe5\x9b\x9b\n"
    "\xe5\x8f\xaf\xe4\xbb\xa5\xef\xbc\x8c\xe5\x85\x88\xe4\xbb\x98\xe5\xae\x9a"
    "\xe9\x87\x91 500 \xe5\x85\x83\n";

static void
check_decode(const void *buf, size_t len, enum u8_enc want, const char *expect,
    const char *what)
{
	enum u8_enc enc = (enum u8_enc)-1;
	bool	 lossy = false;	/* u8_decode only ever sets it */
	size_t	 n = 0;
	char	*out;

	ok(u8_detect(buf, len) == want, "%s: detected as %s", what,
	    u8_enc_name(want));
	out = u8_decode(buf, len, &n, &enc, &lossy);
	ok(out != NULL && enc == want && n == strlen(expect) &&
	    strcmp(out, expect) == 0 && !lossy,
	    "%s: decodes to the original UTF-8, BOM dropped, not lossy", what);
	free(out);
}

static void
test_decode(void)
{
	size_t	 len, n, i;
	char	*b, *p, *out;
	enum u8_enc enc;
	bool	 lossy;

	check_decode(CHAT, strlen(CHAT), U8_UTF8, CHAT, "UTF-8 chat");
	b = with_prefix("\xef\xbb\xbf", 3, CHAT, strlen(CHAT));
	check_decode(b, strlen(CHAT) + 3, U8_UTF8_BOM, CHAT, "UTF-8 with BOM");
	free(b);
	p = conv("UTF-16LE", CHAT, &len);
	check_decode(p, len, U8_UTF16LE, CHAT, "UTF-16LE without BOM");
	b = with_prefix("\xff\xfe", 2, p, len);
	check_decode(b, len + 2, U8_UTF16LE, CHAT, "UTF-16LE with BOM");
	free(b);
	free(p);
	p = conv("UTF-16BE", CHAT, &len);
	check_decode(p, len, U8_UTF16BE, CHAT, "UTF-16BE without BOM");
	b = with_prefix("\xfe\xff", 2, p, len);
	check_decode(b, len + 2, U8_UTF16BE, CHAT, "UTF-16BE with BOM");
	free(b);
	free(p);
	p = conv("GB18030", CHAT, &len);
	ok(!u8_valid(p, len), "the GB18030 fixture is not valid UTF-8");
	check_decode(p, len, U8_GB18030, CHAT, "GB18030");
	free(p);
	/* A short GB18030 text: 你好 */
	p = conv("GB18030", "\xe4\xbd\xa0\xe5\xa5\xbd", &len);
	check_decode(p, len, U8_GB18030, "\xe4\xbd\xa0\xe5\xa5\xbd",
	    "short GB18030 (4 bytes)");
	free(p);
	check_decode("", 0, U8_UTF8, "", "empty input");

	/* One damaged character in UTF-8 is damage, not another encoding. */
	b = malloc(8 * strlen(CHAT) + 1);
	b[0] = '\0';
	for (i = 0; i < 8; i++)
		strcat(b, CHAT);
	b[25] = '\xff';	/* inside 三 of the first line */
	lossy = false;
	out = u8_decode(b, strlen(b), &n, &enc, &lossy);
	ok(enc == U8_UTF8 && lossy && out != NULL && u8_valid(out, n) &&
	    strstr(out, FFFD) != NULL && strstr(out, CHAT + 40) != NULL,
	    "UTF-8 (%zu bytes) with one damaged character: UTF-8, lossy, "
	    "U+FFFD, the rest intact", strlen(b));
	free(out);
	b[strlen(CHAT)] = '\0';	/* the same damage in a 135-byte text */
	enc = u8_detect(b, strlen(b));
	ok(enc == U8_UTF8,
	    "short UTF-8 text (135 bytes) with one damaged character stays UTF-8");
	free(b);

	/* Undecodable GB18030 bytes: lossy, and the rest of the text survives. */
	p = conv("GB18030", CHAT, &len);
	b = malloc(len + 200);
	memset(b, 0xFF, 200);
	memcpy(b + 200, p, len);
	lossy = false;
	out = u8_decode(b, len + 200, &n, &enc, &lossy);
	ok(out != NULL && enc == U8_GB18030 && lossy && u8_valid(out, n),
	    "GB18030 with 200 invalid bytes: valid output, lossy");
	ok(out != NULL && strstr(out, CHAT) != NULL,
	    "GB18030 with 200 invalid bytes: the text after them is kept");
	free(out);
	free(b);
	free(p);

	/* An unpaired surrogate in UTF-16LE: one U+FFFD, then back in step. */
	{
		static const char u16[] = "\xff\xfe" "A\0" "\x00\xd8" "B\0" "C\0";

		lossy = false;
		out = u8_decode(u16, sizeof(u16) - 1, &n, &enc, &lossy);
		ok(out != NULL && enc == U8_UTF16LE && lossy && u8_valid(out, n),
		    "UTF-16LE with an unpaired surrogate: valid output, lossy");
		ok(out != NULL && strcmp(out, "A" FFFD "BC") == 0,
		    "UTF-16LE unpaired surrogate decodes to \"A\\uFFFDBC\"");
		free(out);
	}
	/* Odd length UTF-16: the stray last byte is lossy, the rest decodes. */
	p = conv("UTF-16LE", "hello world, hello", &len);
	b = with_prefix("\xff\xfe", 2, p, len);
	out = u8_decode(b, len + 1, &n, &enc, &lossy);	/* cut in a unit */
	ok(out != NULL && strncmp(out, "hello world, hell", 17) == 0 &&
	    u8_valid(out, n), "UTF-16LE cut in the middle of a unit still decodes");
	free(out);
	free(b);
	free(p);
}

static void
check_fold(const char *in, const char *want, const char *what)
{
	size_t	 n = 0;
	char	*out = u8_fold(in, strlen(in), &n);

	ok(out != NULL && strcmp(out, want) == 0 && n == strlen(want),
	    "u8_fold %s: '%s'", what, out ? out : "(null)");
	free(out);
}

static void
test_fold(void)
{
	size_t	 n;
	char	*out;

	check_fold("\xef\xbc\xa1\xef\xbc\xa2\xef\xbc\xa3\xef\xbc\x91\xef\xbc\x92"
	    "\xef\xbc\x93", "abc123", "full-width ABC123");
	check_fold("\xe4\xbb\xa3\xe2\x80\x8b\xe7\x90\x86", "\xe4\xbb\xa3\xe7\x90\x86",
	    "zero-width space removed");
	check_fold("\xe4\xbb\xa3\xe2\x80\x8c\xe2\x80\x8d\xe2\x81\xa0\xef\xbb\xbf"
	    "\xe7\x90\x86", "\xe4\xbb\xa3\xe7\x90\x86",
	    "ZWNJ, ZWJ, word joiner, ZWNBSP removed");
	check_fold("\xe4\xbb\xa3\xef\xb8\x8f\xe7\x90\x86\xef\xb8\x80",
	    "\xe4\xbb\xa3\xe7\x90\x86", "variation selectors removed");
	check_fold("\xe2\xbc\x80\xe2\xbc\x88\xe2\xbe\xa6",
	    "\xe4\xb8\x80\xe4\xba\xba\xe9\x87\x91",
	    "Kangxi radicals U+2F00/2F08/2FA6 fold to 一人金");
	check_fold("HeLLo \xc3\x84\xce\xa3", "hello \xc3\xa4\xcf\x83",
	    "case folding of Latin and Greek");
	check_fold("Stra\xc3\x9f" "e", "strasse", "full case folding of sharp s");
	check_fold("\xe2\x91\xa0\xe3\x8e\x8f", "1kg", "circled digit and ㎏ by NFKC");
	check_fold("e\xcc\x81", "\xc3\xa9", "composition to NFC form");
	out = u8_fold("A\xff" "B", 3, &n);
	ok(out != NULL && u8_valid(out, n) && strcmp(out, "a" FFFD "b") == 0,
	    "u8_fold of invalid UTF-8 is valid UTF-8");
	free(out);
	out = u8_fold("", 0, &n);
	ok(out != NULL && n == 0, "u8_fold of empty text");
	free(out);
}

int
main(void)
{
	test_seqlen();
	test_next_put();
	test_repair();
	test_decode();
	test_fold();
	return tap_done();
}
