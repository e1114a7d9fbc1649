/* UTF-8 helpers: decoding of foreign encodings, repair, NFKC case folding. */
#ifndef FK_U8_H
#define FK_U8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum u8_enc {
	U8_UTF8 = 0,
	U8_UTF8_BOM,
	U8_UTF16LE,
	U8_UTF16BE,
	U8_GB18030
};

const char	*u8_enc_name(enum u8_enc);
/* Length of the valid UTF-8 sequence at s (1-4), or 0 if invalid there. */
size_t		 u8_seqlen(const unsigned char *s, size_t len);
bool		 u8_valid(const char *s, size_t len);
/*
 * Decodes one code point at s[*i], advancing *i; invalid bytes give
 * U+FFFD and advance by one.
 */
int32_t		 u8_next(const char *s, size_t len, size_t *i);
/*
 * Appends code point cp to buf (at least 4 bytes free); returns bytes
 * written.  Surrogates and values out of range become U+FFFD.  Inline:
 * the folding and shingling loops call it for every character.
 */
static inline size_t
u8_put(char *buf, int32_t cp)
{
	unsigned char *b = (unsigned char *)buf;

	if (cp >= 0x800 && cp < 0x10000 && (cp < 0xD800 || cp > 0xDFFF)) {
		b[0] = (unsigned char)(0xE0 | cp >> 12);	/* Han: the usual case */
		b[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		b[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	if (cp >= 0 && cp < 0x80) {
		b[0] = (unsigned char)cp;
		return 1;
	}
	if (cp >= 0x80 && cp < 0x800) {
		b[0] = (unsigned char)(0xC0 | cp >> 6);
		b[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000 || cp > 0x10FFFF) {
		b[0] = 0xEF, b[1] = 0xBF, b[2] = 0xBD;	/* U+FFFD */
		return 3;
	}
	b[0] = (unsigned char)(0xF0 | cp >> 18);
	b[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
	b[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
	b[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}
/* A malloc'd, NUL-terminated copy with invalid sequences as U+FFFD. */
char		*u8_repair(const char *s, size_t len, size_t *outlen, bool *lossy);
/*
 * Detects the encoding (BOM, UTF-16 without BOM, UTF-8, else GB18030)
 * and returns malloc'd, NUL-terminated, valid UTF-8 without the BOM.
 * *lossy is set when some bytes could not be decoded.
 */
char		*u8_decode(const void *buf, size_t len, size_t *outlen,
		    enum u8_enc *enc, bool *lossy);
enum u8_enc	 u8_detect(const void *buf, size_t len);
/*
 * NFKC with case folding, default-ignorable characters (zero-width,
 * variation selectors) removed: the form in which evasive spellings of
 * one word compare equal.  Returns malloc'd UTF-8 or NULL.
 */
char		*u8_fold(const char *s, size_t len, size_t *outlen);

#endif
