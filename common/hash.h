/* Streaming SHA-256, SHA-512 and SM3 through OpenSSL EVP, in one pass. */
#ifndef FK_HASH_H
#define FK_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <openssl/evp.h>

enum hash_alg {
	HASH_SHA256 = 0,
	HASH_SHA512,
	HASH_SM3,
	HASH_NALGS
};
#define HASH_BIT(alg)	(1u << (alg))
#define HASH_ALL	(HASH_BIT(HASH_SHA256) | HASH_BIT(HASH_SHA512) | \
			 HASH_BIT(HASH_SM3))
#define HASH_HEXMAX	(2 * EVP_MAX_MD_SIZE + 1)

struct hash {
	EVP_MD_CTX	*ctx[HASH_NALGS];
	unsigned	 algs;
	uint64_t	 bytes;
};

struct hash_hex {
	char		 hex[HASH_NALGS][HASH_HEXMAX];
	uint64_t	 bytes;
};

const char	*hash_name(enum hash_alg);	/* "sha256", "sha512", "sm3" */
int		 hash_init(struct hash *, unsigned algs);
void		 hash_update(struct hash *, const void *, size_t);
/* Writes the lower-case hex digests and frees the contexts. */
void		 hash_final(struct hash *, struct hash_hex *);
void		 hash_free(struct hash *);
/* One-shot over a memory buffer. */
int		 hash_buffer(const void *, size_t, unsigned algs, struct hash_hex *);

#endif
