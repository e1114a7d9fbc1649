/*
 * Hashing against published vectors: FIPS 180-2 appendices (SHA-256,
 * SHA-512) and GB/T 32905-2016 appendix A (SM3).  The digests below are
 * the standards' values, not this code's output.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "tap.h"

#define MSG448	"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
#define ABCD16	"abcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcd"

static const struct vector {
	enum hash_alg	 alg;
	const char	*msg, *name, *hex;
} vectors[] = {
	{ HASH_SHA256, "abc", "SHA-256 abc",
	  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ HASH_SHA256, "", "SHA-256 empty",
	  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	{ HASH_SHA256, MSG448, "SHA-256 448-bit",
	  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	{ HASH_SHA512, "abc", "SHA-512 abc",
	  "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
	  "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f" },
	{ HASH_SHA512, "", "SHA-512 empty",
	  "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
	  "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e" },
	{ HASH_SHA512, MSG448, "SHA-512 448-bit",
	  "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c335"
	  "96fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445" },
	{ HASH_SM3, "abc", "SM3 abc (GB/T 32905 A.1)",
	  "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0" },
	{ HASH_SM3, ABCD16, "SM3 abcd x16 (GB/T 32905 A.2)",
	  "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732" },
};

static void
test_vectors(void)
{
	struct hash_hex hx;
	size_t	 i;

	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		const struct vector *v = &vectors[i];

		ok(hash_buffer(v->msg, strlen(v->msg), HASH_BIT(v->alg), &hx) == 0 &&
		    strcmp(hx.hex[v->alg], v->hex) == 0, "%s: %s", v->name,
		    hx.hex[v->alg]);
	}
	/* All three at once, from one pass, as the input walker does. */
	ok(hash_buffer("abc", 3, HASH_ALL, &hx) == 0 &&
	    strcmp(hx.hex[HASH_SHA256], vectors[0].hex) == 0 &&
	    strcmp(hx.hex[HASH_SHA512], vectors[3].hex) == 0 &&
	    strcmp(hx.hex[HASH_SM3], vectors[6].hex) == 0 && hx.bytes == 3,
	    "one pass computes SHA-256, SHA-512 and SM3 together");
	ok(hash_buffer("abc", 3, HASH_BIT(HASH_SHA256), &hx) == 0 &&
	    hx.hex[HASH_SM3][0] == '\0' && hx.hex[HASH_SHA512][0] == '\0',
	    "algorithms not asked for are left empty");
	ok(strcmp(hash_name(HASH_SHA256), "sha256") == 0 &&
	    strcmp(hash_name(HASH_SHA512), "sha512") == 0 &&
	    strcmp(hash_name(HASH_SM3), "sm3") == 0, "hash names");
}

/* Streaming in odd chunk sizes must equal one-shot hashing. */
static void
test_streaming(void)
{
	static const size_t chunks[] = { 1, 3, 7, 63, 64, 65, 127, 1000, 4099 };
	struct hash_hex one, parts;
	struct hash h;
	unsigned char *buf;
	size_t	 len = 100003, i, off, c, n;
	unsigned seed = 12345;
	int	 same = 1;
	uint64_t bytes_ok = 1;

	if ((buf = malloc(len)) == NULL)
		abort();
	for (i = 0; i < len; i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (unsigned char)(seed >> 16);
	}
	hash_buffer(buf, len, HASH_ALL, &one);
	for (c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
		if (hash_init(&h, HASH_ALL) == -1)
			abort();
		for (off = 0; off < len; off += n) {
			n = chunks[c] + (off % 5);	/* vary within the run */
			if (n > len - off)
				n = len - off;
			hash_update(&h, buf + off, n);
		}
		hash_final(&h, &parts);
		for (i = 0; i < HASH_NALGS; i++)
			same &= strcmp(one.hex[i], parts.hex[i]) == 0 &&
			    strlen(parts.hex[i]) > 0;
		bytes_ok &= parts.bytes == len;
	}
	ok(same, "streaming in chunks of 1, 3, 7, 63..4099 bytes equals one-shot");
	ok(bytes_ok && one.bytes == len, "byte count is the number of bytes hashed");
	ok(strlen(one.hex[HASH_SHA256]) == 64 && strlen(one.hex[HASH_SHA512]) == 128 &&
	    strlen(one.hex[HASH_SM3]) == 64, "digest lengths 64/128/64 hex digits");
	/* A zero-length update changes nothing. */
	hash_init(&h, HASH_BIT(HASH_SM3));
	hash_update(&h, "ab", 2);
	hash_update(&h, "", 0);
	hash_update(&h, "c", 1);
	hash_final(&h, &parts);
	ok(strcmp(parts.hex[HASH_SM3], vectors[6].hex) == 0 && parts.bytes == 3,
	    "SM3 of \"ab\" + \"\" + \"c\" is SM3(\"abc\")");
	/* hash_free on an unfinished hash must not leak or crash. */
	hash_init(&h, HASH_ALL);
	hash_update(&h, buf, 10);
	hash_free(&h);
	hash_free(&h);
	ok(1, "hash_free twice on an unfinished hash is safe");
	free(buf);
}

int
main(void)
{
	test_vectors();
	test_streaming();
	return tap_done();
}
