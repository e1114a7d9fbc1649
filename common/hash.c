/* Streaming digests through OpenSSL EVP: one read feeds every algorithm. */
#include "config.h"

#include <string.h>

#include "hash.h"

static const char *const names[HASH_NALGS] = { "sha256", "sha512", "sm3" };

const char *
hash_name(enum hash_alg alg)
{
	return names[alg];
}

static const EVP_MD *
hash_md(enum hash_alg alg)
{
	switch (alg) {
	case HASH_SHA256:
		return EVP_sha256();
	case HASH_SHA512:
		return EVP_sha512();
	case HASH_SM3:
		return EVP_sm3();
	default:
		return NULL;
	}
}

int
hash_init(struct hash *h, unsigned algs)
{
	int	 i;

	memset(h, 0, sizeof(*h));
	h->algs = algs;
	for (i = 0; i < HASH_NALGS; i++) {
		if (!(algs & HASH_BIT(i)))
			continue;
		if ((h->ctx[i] = EVP_MD_CTX_new()) == NULL ||
		    !EVP_DigestInit_ex(h->ctx[i], hash_md(i), NULL)) {
			hash_free(h);
			return -1;
		}
	}
	return 0;
}

void
hash_update(struct hash *h, const void *buf, size_t len)
{
	int	 i;

	for (i = 0; i < HASH_NALGS; i++)
		if (h->ctx[i] != NULL)
			EVP_DigestUpdate(h->ctx[i], buf, len);
	h->bytes += len;
}

static void
tohex(const unsigned char *md, unsigned len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	unsigned i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[md[i] >> 4];
		out[2 * i + 1] = digits[md[i] & 15];
	}
	out[2 * len] = '\0';
}

void
hash_final(struct hash *h, struct hash_hex *out)
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned	 len;
	int		 i;

	memset(out, 0, sizeof(*out));
	out->bytes = h->bytes;
	for (i = 0; i < HASH_NALGS; i++) {
		if (h->ctx[i] == NULL)
			continue;
		if (EVP_DigestFinal_ex(h->ctx[i], md, &len))
			tohex(md, len, out->hex[i]);
	}
	hash_free(h);
}

void
hash_free(struct hash *h)
{
	int	 i;

	for (i = 0; i < HASH_NALGS; i++) {
		EVP_MD_CTX_free(h->ctx[i]);
		h->ctx[i] = NULL;
	}
}

int
hash_buffer(const void *buf, size_t len, unsigned algs, struct hash_hex *out)
{
	struct hash h;

	if (hash_init(&h, algs) == -1)
		return -1;
	hash_update(&h, buf, len);
	hash_final(&h, out);
	return 0;
}
