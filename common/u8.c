/*
 * UTF-8 handling.  Chat exports and letters arrive as UTF-8 (with or
 * without a BOM), UTF-16LE from Windows tools, or GB18030 from older
 * Chinese software; everything inside forgekit is valid UTF-8.
 */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "u8.h"

#define REPLACEMENT	0xFFFD

static const char *const enc_names[] = {
	"UTF-8", "UTF-8 with BOM", "UTF-16LE", "UTF-16BE", "GB18030"
};

const char *
u8_enc_name(enum u8_enc enc)
{
	return enc_names[enc];
}

size_t
u8_seqlen(const unsigned char *s, size_t len)
{
	unsigned char c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return (len >= 2 && (s[1] & 0xC0) == 0x80) ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		if (len < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		if (c == 0xE0 && s[1] < 0xA0)
			return 0;		/* overlong */
		if (c == 0xED && s[1] >= 0xA0)
			return 0;		/* surrogate */
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (len < 4 || (s[1] & 0xC0) != 0x80 ||
		    (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
			return 0;
		if (c == 0xF0 && s[1] < 0x90)
			return 0;		/* overlong */
		if (c == 0xF4 && s[1] >= 0x90)
			return 0;		/* past U+10FFFF */
		return 4;
	}
	return 0;
}

bool
u8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t	 i = 0, n;

	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((n = u8_seqlen(p + i, len - i)) == 0)
			return false;
		i += n;
	}
	return true;
}

int32_t
u8_next(const char *s, size_t len, size_t *i)
{
	const unsigned char *p = (const unsigned char *)s + *i;
	size_t	 n = u8_seqlen(p, len - *i);
	int32_t	 cp;

	switch (n) {
	case 1:
		cp = p[0];
		break;
	case 2:
		cp = (p[0] & 0x1F) << 6 | (p[1] & 0x3F);
		break;
	case 3:
		cp = (p[0] & 0x0F) << 12 | (p[1] & 0x3F) << 6 | (p[2] & 0x3F);
		break;
	case 4:
		cp = (p[0] & 0x07) << 18 | (p[1] & 0x3F) << 12 |
		    (p[2] & 0x3F) << 6 | (p[3] & 0x3F);
		break;
	default:
		*i += 1;
		return REPLACEMENT;
	}
	*i += n;
	return cp;
}

char *
u8_repair(const char *s, size_t len, size_t *outlen, bool *lossy)
{
	const unsigned char *p = (const unsigned char *)s;
	char	*out, *o;
	size_t	 i = 0, n;

	/* Each invalid byte becomes 3 bytes of U+FFFD at most. */
	if (len > (SIZE_MAX - 1) / 3 || (out = malloc(3 * len + 1)) == NULL)
		return NULL;
	o = out;
	while (i < len) {
		if ((n = u8_seqlen(p + i, len - i)) == 0) {
			o += u8_put(o, REPLACEMENT);
			i++;
			if (lossy != NULL)
				*lossy = true;
			continue;
		}
		memcpy(o, p + i, n);
		o += n;
		i += n;
	}
	*o = '\0';
	if (outlen != NULL)
		*outlen = (size_t)(o - out);
	return out;
}

/* UTF-16 text in CJK or Latin has NUL in one byte of many code units. */
static enum u8_enc
utf16_guess(const unsigned char *p, size_t len)
{
	size_t	 i, zero_even = 0, zero_odd = 0, pairs = len / 2;

	if (pairs < 2)
		return U8_UTF8;
	for (i = 0; i + 1 < len; i += 2) {
		zero_even += p[i] == 0;
		zero_odd += p[i + 1] == 0;
	}
	if (zero_odd * 10 >= pairs * 3 && zero_even * 20 < pairs)
		return U8_UTF16LE;
	if (zero_even * 10 >= pairs * 3 && zero_odd * 20 < pairs)
		return U8_UTF16BE;
	return U8_UTF8;
}

/*
 * Counts the bytes that are not part of valid UTF-8 (not counting a
 * sequence cut off by the end of the buffer) and the non-ASCII bytes.
 */
static void
u8_census(const unsigned char *p, size_t len, size_t *bad, size_t *high)
{
	size_t	 i = 0, n;

	*bad = *high = 0;
	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((n = u8_seqlen(p + i, len - i)) == 0) {
			if (len - i < 4 && p[i] >= 0xC2)
				break;
			(*bad)++;
			n = 1;
		}
		*high += n;
		i += n;
	}
}

enum u8_enc
u8_detect(const void *buf, size_t len)
{
	const unsigned char *p = buf;
	enum u8_enc guess;
	size_t	 bad, high;

	if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
		return U8_UTF8_BOM;
	if (len >= 2 && p[0] == 0xFF && p[1] == 0xFE)
		return U8_UTF16LE;
	if (len >= 2 && p[0] == 0xFE && p[1] == 0xFF)
		return U8_UTF16BE;
	if ((guess = utf16_guess(p, len < 4096 ? len : 4096)) != U8_UTF8)
		return guess;
	/*
	 * A few bad bytes among UTF-8 text are damage.  Read as UTF-8, GB18030
	 * text is mostly invalid: its trail bytes rarely continue a sequence.
	 */
	u8_census(p, len, &bad, &high);
	return bad * 5 > high ? U8_GB18030 : U8_UTF8;
}

/*
 * Converts with iconv into a buffer that grows as needed.  An invalid or
 * truncated unit becomes U+FFFD and decoding resumes after it: one byte
 * for GB18030, one two-byte code unit for UTF-16.
 */
static char *
iconv_to_utf8(const char *from, size_t unit, const char *in, size_t len,
    size_t *outlen, bool *lossy)
{
	iconv_t	 cd;
	char	*out, *nb, *o, *ip = (char *)in;
	size_t	 cap, il = len, ol, used, skip;

	if ((cd = iconv_open("UTF-8", from)) == (iconv_t)-1)
		return NULL;
	cap = len * 2 + 16;
	if ((out = malloc(cap + 1)) == NULL) {
		iconv_close(cd);
		return NULL;
	}
	o = out;
	ol = cap;
	while (il > 0) {
		if (iconv(cd, &ip, &il, &o, &ol) != (size_t)-1)
			break;
		if (errno == E2BIG || ol < 4) {
			used = (size_t)(o - out);
			cap *= 2;
			if ((nb = realloc(out, cap + 1)) == NULL) {
				free(out);
				iconv_close(cd);
				return NULL;
			}
			out = nb;
			o = out + used;
			ol = cap - used;
			continue;
		}
		/* EILSEQ or EINVAL: one replacement, then the next unit. */
		o += u8_put(o, REPLACEMENT);
		ol -= 3;
		skip = il < unit ? il : unit;
		ip += skip;
		il -= skip;
		*lossy = true;
	}
	iconv_close(cd);
	*o = '\0';
	*outlen = (size_t)(o - out);
	return out;
}

char *
u8_decode(const void *buf, size_t len, size_t *outlen, enum u8_enc *encp,
    bool *lossy)
{
	const char *s = buf;
	enum u8_enc enc = u8_detect(buf, len);
	char	*r;
	bool	 dummy = false;

	if (lossy == NULL)
		lossy = &dummy;
	if (encp != NULL)
		*encp = enc;
	switch (enc) {
	case U8_UTF8_BOM:
		return u8_repair(s + 3, len - 3, outlen, lossy);
	case U8_UTF16LE:
	case U8_UTF16BE:
		if (len >= 2 && ((unsigned char)s[0] == 0xFF ||
		    (unsigned char)s[0] == 0xFE)) {
			s += 2;
			len -= 2;
		}
		return iconv_to_utf8(enc == U8_UTF16LE ? "UTF-16LE" :
		    "UTF-16BE", 2, s, len, outlen, lossy);
	case U8_GB18030:
		if ((r = iconv_to_utf8("GB18030", 1, s, len, outlen, lossy)) != NULL)
			return r;
		/* FALLTHROUGH */
	default:
		return u8_repair(s, len, outlen, lossy);
	}
}

char *
u8_fold(const char *s, size_t len, size_t *outlen)
{
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t n;
	char	*valid;
	size_t	 vlen;

	if ((valid = u8_repair(s, len, &vlen, NULL)) == NULL)
		return NULL;
	n = utf8proc_map((const utf8proc_uint8_t *)valid, (utf8proc_ssize_t)vlen,
	    &out, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
	    UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
	free(valid);
	if (n < 0)
		return NULL;
	if (outlen != NULL)
		*outlen = (size_t)n;
	return (char *)out;
}
