/*
 * Seals: Ed25519 keys and detached signatures in OpenBSD signify's file
 * format (so `signify -V` checks a bundle without us), and RFC 3161
 * timestamp requests and replies through OpenSSL's TS API.
 *
 * signify's formats (signify.c, crypto_api): a first line
 * "untrusted comment: ...", then base64 of
 *   public key: "Ed" | keynum[8] | pubkey[32]
 *   secret key: "Ed" | "BK" | rounds[4] | salt[16] | checksum[8] | keynum[8] |
 *               seckey[64]    (seed | pubkey; checksum = SHA-512(seckey)[0..8];
 *                              rounds 0: not encrypted)
 *   signature:  "Ed" | keynum[8] | sig[64]
 */
#include "config.h"

#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/ts.h>
#include <openssl/x509.h>

#include "cb.h"

#define PUBLEN	(2 + 8 + 32)
#define SECLEN	(2 + 2 + 4 + 16 + 8 + 8 + 64)
#define SIGLEN	(2 + 8 + 64)

static char *
armor(const char *comment, const unsigned char *bin, size_t len, size_t *outlen)
{
	size_t	 cap = strlen(comment) + 4 * ((len + 2) / 3) + 64;
	char	*s = cb_xmalloc(cap);
	int	 n;

	n = snprintf(s, cap, "untrusted comment: %s\n", comment);
	n += EVP_EncodeBlock((unsigned char *)s + n, bin, (int)len);
	s[n++] = '\n';
	s[n] = '\0';
	*outlen = n;
	return s;
}

/* The base64 line after the comment, decoded to exactly want bytes. */
static int
unarmor(const char *txt, size_t len, unsigned char *out, size_t want)
{
	const char *nl = memchr(txt, '\n', len), *end;
	unsigned char tmp[256];
	size_t	 b64;
	int	 n;

	if (len < 19 || strncmp(txt, "untrusted comment: ", 19) != 0 || nl == NULL)
		return -1;
	nl++;
	end = memchr(nl, '\n', len - (nl - txt));
	b64 = end ? (size_t)(end - nl) : len - (nl - txt);
	if (b64 == 0 || b64 % 4 != 0 || b64 > 4 * (sizeof(tmp) / 3))
		return -1;
	n = EVP_DecodeBlock(tmp, (const unsigned char *)nl, (int)b64);
	if (n < 0)
		return -1;
	if (nl[b64 - 1] == '=')
		n--;
	if (nl[b64 - 2] == '=')
		n--;
	if ((size_t)n != want)
		return -1;
	memcpy(out, tmp, want);
	return 0;
}

static int
write_new(const char *path, const char *s, size_t len, mode_t mode)
{
	int	 fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);

	if (fd == -1) {
		warn("cannot create '%s'", path);
		return -1;
	}
	if (write(fd, s, len) != (ssize_t)len || fsync(fd) == -1 ||
	    close(fd) == -1) {
		warn("cannot write '%s'", path);
		unlink(path);
		return -1;
	}
	return 0;
}

int
sign_keygen(const char *base, const char *comment)
{
	EVP_PKEY *pk = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	unsigned char sec[SECLEN], pub[PUBLEN], md[64];
	size_t	 l32 = 32, len;
	char	*s, path[4096], cmt[512];
	int	 r = -1;

	if (pk == NULL) {
		warnx("cannot make an Ed25519 key");
		return -1;
	}
	memset(sec, 0, sizeof(sec));
	memcpy(sec, "EdBK", 4);			/* rounds 0, salt 0 */
	RAND_bytes(sec + 32, 8);		/* key number */
	EVP_PKEY_get_raw_private_key(pk, sec + 40, &l32);
	l32 = 32;
	EVP_PKEY_get_raw_public_key(pk, sec + 72, &l32);
	EVP_Digest(sec + 40, 64, md, NULL, EVP_sha512(), NULL);
	memcpy(sec + 24, md, 8);
	memcpy(pub, "Ed", 2);
	memcpy(pub + 2, sec + 32, 8);
	memcpy(pub + 10, sec + 72, 32);
	snprintf(cmt, sizeof(cmt), "%s secret key", comment);
	snprintf(path, sizeof(path), "%s.sec", base);
	s = armor(cmt, sec, SECLEN, &len);
	if (write_new(path, s, len, 0600) == 0) {
		free(s);
		snprintf(cmt, sizeof(cmt), "%s public key", comment);
		snprintf(path, sizeof(path), "%s.pub", base);
		s = armor(cmt, pub, PUBLEN, &len);
		r = write_new(path, s, len, 0644);
	}
	free(s);
	OPENSSL_cleanse(sec, sizeof(sec));
	EVP_PKEY_free(pk);
	return r;
}

static int
load_sec(const char *path, unsigned char sec[SECLEN])
{
	char	 buf[1024];
	unsigned char md[64];
	struct stat st;
	FILE	*fp = fopen(path, "r");
	size_t	 n;

	if (fp == NULL) {
		warn("cannot open '%s'", path);
		return -1;
	}
	/* the key is not encrypted: its file mode is all that guards it */
	if (fstat(fileno(fp), &st) == 0 && (st.st_mode & 077) != 0)
		warnx("'%s': secret key is readable by others (chmod 600 it)",
		    path);
	n = fread(buf, 1, sizeof(buf), fp);
	fclose(fp);
	if (unarmor(buf, n, sec, SECLEN) == -1 || memcmp(sec, "EdBK", 4) != 0) {
		warnx("'%s': not a signify Ed25519 secret key", path);
		return -1;
	}
	if (memcmp(sec + 4, "\0\0\0\0", 4) != 0) {
		/*
		 * signify derives the key's XOR mask with bcrypt_pbkdf, which
		 * no Debian library offers (OpenBSD's libutil has it): such
		 * keys are refused rather than decrypted by code of our own.
		 */
		warnx("'%s': passphrase-protected keys are not supported; "
		    "make one with case-bundle keygen or signify -G -n", path);
		return -1;
	}
	EVP_Digest(sec + 40, 64, md, NULL, EVP_sha512(), NULL);
	if (memcmp(md, sec + 24, 8) != 0) {
		warnx("'%s': key checksum does not match", path);
		return -1;
	}
	return 0;
}

/* With msg NULL, only the public key file's text is made. */
int
sign_make(const char *seckey, const void *msg, size_t len, char **sig,
    size_t *siglen, char **pub, size_t *publen)
{
	unsigned char sec[SECLEN], out[SIGLEN], pb[PUBLEN];
	EVP_PKEY *pk;
	EVP_MD_CTX *ctx;
	size_t	 sl = 64;
	int	 ok;

	if (load_sec(seckey, sec) == -1)
		return -1;
	if (pub != NULL) {
		memcpy(pb, "Ed", 2);
		memcpy(pb + 2, sec + 32, 8);
		memcpy(pb + 10, sec + 72, 32);
		*pub = armor("case-bundle signer public key", pb, PUBLEN, publen);
	}
	if (msg == NULL)
		return 0;
	pk = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, sec + 40, 32);
	OPENSSL_cleanse(sec + 40, 32);
	ctx = EVP_MD_CTX_new();
	ok = pk != NULL && ctx != NULL &&
	    EVP_DigestSignInit(ctx, NULL, NULL, NULL, pk) == 1 &&
	    EVP_DigestSign(ctx, out + 10, &sl, msg, len) == 1;
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(pk);
	if (!ok) {
		warnx("'%s': signing failed", seckey);
		return -1;
	}
	memcpy(out, "Ed", 2);
	memcpy(out + 2, sec + 32, 8);
	*sig = armor("verify with signify -V -p KEY.pub -m " CB_SIGNED,
	    out, SIGLEN, siglen);
	return 0;
}

int
sign_check(const char *sigtxt, size_t siglen, const char *pubtxt,
    size_t publen, const void *msg, size_t len, char *err, size_t errlen)
{
	unsigned char sig[SIGLEN], pub[PUBLEN];
	EVP_PKEY *pk;
	EVP_MD_CTX *ctx;
	int	 r;

	if (unarmor(pubtxt, publen, pub, PUBLEN) == -1 ||
	    memcmp(pub, "Ed", 2) != 0) {
		snprintf(err, errlen, "not a signify Ed25519 public key");
		return -1;
	}
	if (unarmor(sigtxt, siglen, sig, SIGLEN) == -1 ||
	    memcmp(sig, "Ed", 2) != 0) {
		snprintf(err, errlen, "the signature file is not in signify format");
		return 0;
	}
	if (memcmp(sig + 2, pub + 2, 8) != 0) {
		snprintf(err, errlen, "signed with a different key");
		return 0;
	}
	pk = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub + 10, 32);
	ctx = EVP_MD_CTX_new();
	r = pk != NULL && ctx != NULL &&
	    EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, pk) == 1 &&
	    EVP_DigestVerify(ctx, sig + 10, 64, msg, len) == 1;
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(pk);
	if (!r)
		snprintf(err, errlen, "signature does not match the tag manifest");
	return r;
}

/*
 * No nonce: the request stays reproducible, and the reply still binds
 * the imprint; a TSA that insists on one can be sent openssl ts -query.
 */
int
sign_tsq(const void *msg, size_t len, unsigned char **der, size_t *derlen)
{
	unsigned char md[32];
	TS_REQ	*req = TS_REQ_new();
	TS_MSG_IMPRINT *mi = TS_MSG_IMPRINT_new();
	X509_ALGOR *alg = X509_ALGOR_new();
	unsigned char *p;
	int	 n = -1;

	EVP_Digest(msg, len, md, NULL, EVP_sha256(), NULL);
	if (req != NULL && mi != NULL && alg != NULL &&
	    X509_ALGOR_set0(alg, OBJ_nid2obj(NID_sha256), V_ASN1_NULL, NULL) &&
	    TS_MSG_IMPRINT_set_algo(mi, alg) && TS_MSG_IMPRINT_set_msg(mi, md, 32) &&
	    TS_REQ_set_version(req, 1) && TS_REQ_set_msg_imprint(req, mi) &&
	    TS_REQ_set_cert_req(req, 1))
		n = i2d_TS_REQ(req, NULL);
	if (n > 0) {
		*der = p = cb_xmalloc(n);
		i2d_TS_REQ(req, &p);
		*derlen = n;
	}
	X509_ALGOR_free(alg);
	TS_MSG_IMPRINT_free(mi);
	TS_REQ_free(req);
	return n > 0 ? 0 : -1;
}

static void
tsr_time(TS_RESP *resp, char *info, size_t len)
{
	TS_TST_INFO *ti = TS_RESP_get_tst_info(resp);
	BIO	*b = BIO_new(BIO_s_mem());
	char	*p;
	long	 n;

	if (ti == NULL || b == NULL) {
		BIO_free(b);
		return;
	}
	ASN1_GENERALIZEDTIME_print(b, TS_TST_INFO_get_time(ti));
	n = BIO_get_mem_data(b, &p);
	snprintf(info, len, "time %.*s", (int)n, p);
	BIO_free(b);
}

/* 1 the reply stamps this message (and, with cafile, its signer chains to it). */
int
sign_tsr_check(const unsigned char *tsr, size_t tsrlen, const void *msg,
    size_t len, const char *cafile, char *info, size_t infolen)
{
	const unsigned char *p = tsr;
	TS_RESP	*resp = d2i_TS_RESP(NULL, &p, (long)tsrlen);
	TS_VERIFY_CTX *ctx;
	unsigned char *md;
	X509_STORE *st;
	int	 r;

	if (resp == NULL) {
		snprintf(info, infolen, "not an RFC 3161 timestamp reply");
		return 0;
	}
	ctx = TS_VERIFY_CTX_new();
	md = OPENSSL_malloc(32);
	EVP_Digest(msg, len, md, NULL, EVP_sha256(), NULL);
	TS_VERIFY_CTX_set_imprint(ctx, md, 32);
	TS_VERIFY_CTX_set_flags(ctx, TS_VFY_VERSION | TS_VFY_IMPRINT);
	if (cafile != NULL) {
		st = X509_STORE_new();
		if (st == NULL || X509_STORE_load_file(st, cafile) != 1) {
			snprintf(info, infolen, "cannot load '%s'", cafile);
			X509_STORE_free(st);
			TS_VERIFY_CTX_free(ctx);
			TS_RESP_free(resp);
			return -1;
		}
		TS_VERIFY_CTX_set_store(ctx, st);
		TS_VERIFY_CTX_add_flags(ctx, TS_VFY_SIGNATURE);
	}
	r = TS_RESP_verify_response(ctx, resp);
	if (r == 1)
		tsr_time(resp, info, infolen);
	else
		snprintf(info, infolen, "the reply does not stamp this tag "
		    "manifest%s", cafile ? " or its signer is not trusted" : "");
	TS_VERIFY_CTX_free(ctx);
	TS_RESP_free(resp);
	return r == 1 ? 1 : 0;
}
