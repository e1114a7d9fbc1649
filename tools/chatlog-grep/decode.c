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
 * sequences inline, since that is what chat text is made of.  The
 * portable fallback of the vector check below.
 */
static bool
valid_scalar(const unsigned char *p, size_t len)
{
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

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define HAVE_AVX2_PATH 1

/*
 * The table method of Keiser and Lemire ("Validating UTF-8 in less than
 * one instruction per byte", 2021): each byte pair (previous byte, this
 * byte) is classified by three 16-entry look-ups on the high and low
 * nibbles, whose AND is non-zero exactly for the pairs that cannot occur
 * in UTF-8; a byte must be a continuation exactly when the byte two or
 * three back is a three- or four-byte lead.  32 bytes per step, CJK or
 * not; a cut-off character at the end shows as a lead followed by the
 * zero padding of the last block.
 */
#define TOO_SHORT	(1 << 0)	/* lead, then no continuation */
#define TOO_LONG	(1 << 1)	/* ASCII, then a continuation */
#define OVERLONG_3	(1 << 2)	/* E0 80..9F */
#define TOO_LARGE	(1 << 3)	/* above U+10FFFF */
#define SURROGATE	(1 << 4)	/* ED A0..BF */
#define OVERLONG_2	(1 << 5)	/* C0, C1 */
#define TOO_LARGE_1000	(1 << 6)
#define OVERLONG_4	(1 << 6)	/* F0 80..8F */
#define TWO_CONTS	(1 << 7)	/* continuation, then continuation */
#define CARRY		(TOO_SHORT | TOO_LONG | TWO_CONTS)

/* The flags reach 0x80: each becomes the char of the same bits. */
#define T16(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, q) \
	T32((char)(a), (char)(b), (char)(c), (char)(d), (char)(e), (char)(f), \
	    (char)(g), (char)(h), (char)(i), (char)(j), (char)(k), (char)(l), \
	    (char)(m), (char)(n), (char)(o), (char)(q))
#define T32(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, q) \
	_mm256_setr_epi8(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, q, \
	    a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, q)

struct v8state {
	__m256i	 prev, err;
};

__attribute__((target("avx2"))) static inline void
v8_block(struct v8state *st, __m256i in)
{
	const __m256i lo4 = _mm256_set1_epi8(0x0F);
	const __m256i t1 = T16(TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG,
	    TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG,
	    TWO_CONTS, TWO_CONTS, TWO_CONTS, TWO_CONTS,
	    TOO_SHORT | OVERLONG_2, TOO_SHORT,
	    TOO_SHORT | OVERLONG_3 | SURROGATE,
	    TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4);
	const __m256i t2 = T16(CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4,
	    CARRY | OVERLONG_2, CARRY, CARRY,
	    CARRY | TOO_LARGE, CARRY | TOO_LARGE | TOO_LARGE_1000,
	    CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
	    CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
	    CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
	    CARRY | TOO_LARGE | TOO_LARGE_1000,
	    CARRY | TOO_LARGE | TOO_LARGE_1000 | SURROGATE,
	    CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000);
	const __m256i t3 = T16(TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT,
	    TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT,
	    TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4,
	    TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE,
	    TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,
	    TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,
	    TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT);
	/* The previous block's last 16 bytes and this block's first 16. */
	__m256i	 mid = _mm256_permute2x128_si256(st->prev, in, 0x21);
	__m256i	 p1 = _mm256_alignr_epi8(in, mid, 15);
	__m256i	 p2 = _mm256_alignr_epi8(in, mid, 14);
	__m256i	 p3 = _mm256_alignr_epi8(in, mid, 13);
	__m256i	 b1h = _mm256_shuffle_epi8(t1,
	    _mm256_and_si256(_mm256_srli_epi16(p1, 4), lo4));
	__m256i	 b1l = _mm256_shuffle_epi8(t2, _mm256_and_si256(p1, lo4));
	__m256i	 b2h = _mm256_shuffle_epi8(t3,
	    _mm256_and_si256(_mm256_srli_epi16(in, 4), lo4));
	__m256i	 special = _mm256_and_si256(_mm256_and_si256(b1h, b1l), b2h);
	__m256i	 third = _mm256_subs_epu8(p2, _mm256_set1_epi8((char)(0xE0 - 0x80)));
	__m256i	 fourth = _mm256_subs_epu8(p3, _mm256_set1_epi8((char)(0xF0 - 0x80)));
	__m256i	 must = _mm256_and_si256(_mm256_or_si256(third, fourth),
	    _mm256_set1_epi8((char)0x80));

	st->err = _mm256_or_si256(st->err, _mm256_xor_si256(must, special));
	st->prev = in;
}

__attribute__((target("avx2"))) static bool
valid_avx2(const unsigned char *p, size_t len)
{
	struct v8state st;
	unsigned char last[32];
	size_t	 i = 0;

	st.prev = _mm256_setzero_si256();
	st.err = _mm256_setzero_si256();
	for (; i + 32 <= len; i += 32) {
		v8_block(&st, _mm256_loadu_si256((const __m256i *)(const void *)(p + i)));
		if ((i & 4095) == 4064 && !_mm256_testz_si256(st.err, st.err))
			return false;		/* stop early on bad input */
	}
	memset(last, 0, sizeof(last));
	memcpy(last, p + i, len - i);
	v8_block(&st, _mm256_loadu_si256((const __m256i *)(const void *)last));
	return _mm256_testz_si256(st.err, st.err) != 0;
}
#endif

/* Valid UTF-8?  The vector check where the CPU has AVX2. */
bool
dec_fast_valid(const char *s, size_t len)
{
#ifdef HAVE_AVX2_PATH
	if (__builtin_cpu_supports("avx2"))
		return valid_avx2((const unsigned char *)s, len);
#endif
	return valid_scalar((const unsigned char *)s, len);
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
