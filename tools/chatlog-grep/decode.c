/*
 * Streaming decoding of an export to valid UTF-8, chunk by chunk, so a
 * 200 MB export never sits in memory: UTF-8 (BOM dropped, bad bytes
 * become U+FFFD), UTF-16 and GB18030 through iconv.  A character cut by
 * a chunk boundary is carried over to the next chunk.
 */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "grep.h"
#include "u8.h"

struct decoder {
	enum u8_enc	 enc;
	iconv_t		 cd;
	bool		 started;
	char		 carry[8];
	size_t		 ncarry;
	struct buf	 joined;
};

struct decoder *
dec_new(const void *head, size_t headlen)
{
	struct decoder *d = calloc(1, sizeof(*d));
	const char *from = NULL;

	if (d == NULL)
		return NULL;
	d->enc = u8_detect(head, headlen);
	d->cd = (iconv_t)-1;
	if (d->enc == U8_UTF16LE)
		from = "UTF-16LE";
	else if (d->enc == U8_UTF16BE)
		from = "UTF-16BE";
	else if (d->enc == U8_GB18030)
		from = "GB18030";
	if (from != NULL && (d->cd = iconv_open("UTF-8", from)) == (iconv_t)-1) {
		free(d);
		return NULL;
	}
	return d;
}

const char *
dec_encoding(const struct decoder *d)
{
	return u8_enc_name(d->enc);
}

/*
 * Valid UTF-8?  Eight ASCII bytes at a time, and the three-byte CJK
 * sequences inline, since that is what chat text is made of.
 */
bool
dec_fast_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t	 i = 0, n;
	uint64_t w8, hi;
	uint32_t w;

	while (i + 8 <= len) {
		memcpy(&w8, p + i, 8);
		if ((hi = w8 & 0x8080808080808080ULL) == 0) {
			i += 8;
			continue;
		}
		i += (size_t)__builtin_ctzll(hi) / 8;	/* skip the ASCII bytes */
		/* Runs of three-byte sequences (little-endian: the lead is the low byte). */
		while (i + 4 <= len) {
			memcpy(&w, p + i, 4);
			if ((w & 0xC0C0F0) != 0x8080E0 || p[i] == 0xE0 || p[i] == 0xED)
				break;
			i += 3;
		}
		if (i < len && p[i] >= 0x80) {
			if ((n = u8_seqlen(p + i, len - i)) == 0)
				return false;
			i += n;
		}
	}
	for (; i < len; i += n)
		if ((n = u8_seqlen(p + i, len - i)) == 0)
			return false;
	return true;
}

/* Length of a valid-UTF-8 prefix that stops before a cut-off last character. */
static size_t
complete_prefix(const char *s, size_t len)
{
	size_t	 i = len, back = 0;

	while (i > 0 && back < 3 && ((unsigned char)s[i - 1] & 0xC0) == 0x80) {
		i--;
		back++;
	}
	if (i > 0 && (unsigned char)s[i - 1] >= 0xC0) {
		unsigned char c = (unsigned char)s[i - 1];
		size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;

		if (back + 1 < need)
			return i - 1;
	}
	return len;
}

static const char *
utf8_chunk(struct decoder *d, const char *in, size_t len, bool final,
    struct buf *out, size_t *outlen, bool *lossy)
{
	size_t	 keep = final ? len : complete_prefix(in, len);
	const char *res = in;
	char	*fixed;
	size_t	 n = keep;

	if (!dec_fast_valid(in, keep)) {
		if ((fixed = u8_repair(in, keep, &n, lossy)) == NULL)
			abort();
		out->len = 0;
		buf_add(out, fixed, n);
		free(fixed);
		res = out->p;
	}
	memcpy(d->carry, in + keep, len - keep);
	d->ncarry = len - keep;
	*outlen = n;
	return res;
}

static void
iconv_chunk(struct decoder *d, const char *in, size_t len, bool final,
    struct buf *out, bool *lossy)
{
	char	*ip = (char *)in, *op;
	size_t	 il = len, ol, unit = d->enc == U8_GB18030 ? 1 : 2;

	while (il > 0) {
		buf_reserve(out, il * 2 + 16);
		op = out->p + out->len;
		ol = out->cap - out->len;
		if (iconv(d->cd, &ip, &il, &op, &ol) != (size_t)-1) {
			out->len = (size_t)(op - out->p);
			break;
		}
		out->len = (size_t)(op - out->p);
		if (errno == E2BIG)
			continue;
		if (errno == EINVAL && !final && il < sizeof(d->carry))
			break;			/* cut off: wait for the next chunk */
		buf_add(out, "\xEF\xBF\xBD", 3);
		*lossy = true;
		ip += il < unit ? il : unit;
		il -= il < unit ? il : unit;
	}
	memcpy(d->carry, ip, il);
	d->ncarry = il;
}

const char *
dec_feed(struct decoder *d, const char *in, size_t len, bool final,
    struct buf *out, size_t *outlen, bool *lossy)
{
	size_t	 skip = 0;

	if (d->ncarry > 0) {	/* a character cut by the last chunk */
		d->joined.len = 0;
		buf_add(&d->joined, d->carry, d->ncarry);
		buf_add(&d->joined, in, len);
		in = d->joined.p;
		len = d->joined.len;
		d->ncarry = 0;
	}
	if (!d->started) {
		if (d->enc == U8_UTF8_BOM && len >= 3)
			skip = 3;
		else if ((d->enc == U8_UTF16LE && len >= 2 &&
		    memcmp(in, "\xFF\xFE", 2) == 0) ||
		    (d->enc == U8_UTF16BE && len >= 2 && memcmp(in, "\xFE\xFF", 2) == 0))
			skip = 2;
		d->started = true;
	}
	if (d->cd == (iconv_t)-1)
		return utf8_chunk(d, in + skip, len - skip, final, out, outlen, lossy);
	out->len = 0;
	iconv_chunk(d, in + skip, len - skip, final, out, lossy);
	*outlen = out->len;
	return out->p ? out->p : "";
}

size_t
dec_take_carry(struct decoder *d, char *dst)
{
	size_t	 n = d->ncarry;

	memcpy(dst, d->carry, n);
	d->ncarry = 0;
	return n;
}

void
dec_free(struct decoder *d)
{
	if (d == NULL)
		return;
	if (d->cd != (iconv_t)-1)
		iconv_close(d->cd);
	buf_free(&d->joined);
	free(d);
}
