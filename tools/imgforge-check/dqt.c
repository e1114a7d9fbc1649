/*
 * Quantisation tables: which encoder and setting wrote them.  The IJG
 * tables (ITU T.81 Annex K, scaled by libjpeg's jpeg_quality_scaling) are
 * computed for every quality; other encoders are recognised by the
 * signatures in qtables.tsv (ExifTool's JPEGDigest: the MD5 of the DQT
 * segments, with the sampling factors when needed).  A Photoshop or other
 * editor's table says the file was last saved by that editor; a
 * luminance and chrominance pair from two IJG qualities says the
 * encoder was driven by hand.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "imgforge.h"

static const struct sig {
	const char	*digest;
	const char	*label;
} sigs[] = {
#include "qtables.h"
};

/* ITU T.81 Annex K tables K.1 and K.2, natural order. */
static const unsigned char k1[64] = {
	16, 11, 10, 16,  24,  40,  51,  61,
	12, 12, 14, 19,  26,  58,  60,  55,
	14, 13, 16, 24,  40,  57,  69,  56,
	14, 17, 22, 29,  51,  87,  80,  62,
	18, 22, 37, 56,  68, 109, 103,  77,
	24, 35, 55, 64,  81, 104, 113,  92,
	49, 64, 78, 87, 103, 121, 120, 101,
	72, 92, 95, 98, 112, 100, 103,  99
};
static const unsigned char k2[64] = {
	17, 18, 24, 47, 99, 99, 99, 99,
	18, 21, 26, 66, 99, 99, 99, 99,
	24, 26, 56, 99, 99, 99, 99, 99,
	47, 66, 99, 99, 99, 99, 99, 99,
	99, 99, 99, 99, 99, 99, 99, 99,
	99, 99, 99, 99, 99, 99, 99, 99,
	99, 99, 99, 99, 99, 99, 99, 99,
	99, 99, 99, 99, 99, 99, 99, 99
};

/* libjpeg's jpeg_quality_scaling and jpeg_add_quant_table (baseline). */
static int
ijg_entry(int base, int q)
{
	long scale = q < 50 ? 5000 / q : 200 - 2 * q;
	long v = (base * scale + 50) / 100;

	return v < 1 ? 1 : v > 255 ? 255 : (int)v;
}

int
dqt_ijg_quality(const uint16_t qt[64], bool chroma, bool *exact)
{
	const unsigned char *base = chroma ? k2 : k1;
	long best = -1;
	int bestq = -1;

	for (int q = 1; q <= 100; q++) {
		long d = 0;

		for (int k = 0; k < 64; k++)
			d += labs((long)qt[k] - ijg_entry(base[k], q));
		if (best < 0 || d < best) {
			best = d;
			bestq = q;
		}
	}
	*exact = best == 0;
	return bestq;
}

static int
sig_cmp(const void *a, const void *b)
{
	return strcmp(((const struct sig *)a)->digest,
	    ((const struct sig *)b)->digest);
}

static const char *
sig_find(const char *digest)
{
	struct sig key = { digest, NULL };
	const struct sig *s = bsearch(&key, sigs, sizeof sigs / sizeof sigs[0],
	    sizeof sigs[0], sig_cmp);

	return s ? s->label : NULL;
}

/* ExifTool's JPEGDigest: MD5 of the DQT segments in index order, NUL-joined. */
static void
digest(const struct jpeg_info *ji, char *out)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = 0;
	bool any = false;

	out[0] = '\0';
	if (c == NULL || EVP_DigestInit_ex(c, EVP_md5(), NULL) != 1)
		goto out;
	for (int i = 0; i < 4; i++) {
		if (ji->dqt[i].seg == NULL)
			continue;
		if (any)
			EVP_DigestUpdate(c, "", 1);
		EVP_DigestUpdate(c, ji->dqt[i].seg, ji->dqt[i].len);
		any = true;
	}
	if (EVP_DigestFinal_ex(c, md, &n) != 1)
		goto out;
	for (unsigned i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
out:
	EVP_MD_CTX_free(c);
}

static const char *
known(const struct jpeg_info *ji, char *dg, size_t dglen)
{
	const char *label;
	size_t n;

	digest(ji, dg);
	if ((label = sig_find(dg)) != NULL)
		return label;
	n = strlen(dg);
	if (n + 2 + 2 * (size_t)ji->ncomp >= dglen)
		return NULL;
	dg[n++] = ':';
	for (int i = 0; i < ji->ncomp; i++)
		n += (size_t)snprintf(dg + n, dglen - n, "%02x",
		    ji->comp_samp[i]);
	return sig_find(dg);
}

static void
ijg_tables(const struct jpeg_info *ji, struct meta_findings *mf, char *cls,
    size_t clslen)
{
	bool lexact, cexact = false;
	int lq = dqt_ijg_quality(ji->qt[ji->comp_tq[0]], false, &lexact), cq = -1;
	bool color = ji->ncomp >= 3 && ji->has_qt[ji->comp_tq[1]];

	if (color)
		cq = dqt_ijg_quality(ji->qt[ji->comp_tq[1]], true, &cexact);
	mf_fact(mf, "quality", json_integer(lq));
	if (lexact && (!color || (cexact && cq == lq)))
		snprintf(cls, clslen, "ijg q=%d exact", lq);
	if (lexact && cexact && cq != lq)
		mf_add(mf, "jpeg.dqt.pairing", 1, json_pack("{s:i,s:i}",
		    "luminance_quality", lq, "chrominance_quality", cq),
		    "the luminance table is IJG quality %d but the chrominance "
		    "table IJG quality %d: tables set by hand or re-encoded with "
		    "a custom pair", lq, cq);
}

void
dqt_check(const struct jpeg_info *ji, struct meta_findings *mf)
{
	char dg[64], cls[128] = "unknown";
	const char *label, *name;
	int kind;

	if (ji->ncomp == 0 || !ji->has_qt[ji->comp_tq[0]])
		return;
	ijg_tables(ji, mf, cls, sizeof cls);
	label = known(ji, dg, sizeof dg);
	mf_fact(mf, "dqt_digest", json_string(dg));
	if (label != NULL) {
		mf_fact(mf, "dqt_signature", json_string(label));
		if (strncmp(cls, "ijg", 3) != 0)
			snprintf(cls, sizeof cls, "%s", strstr(label,
			    "Photoshop") ? "photoshop" : "known");
	}
	mf_fact(mf, "quantisation", json_string(cls));
	/* Exact IJG tables come from hundreds of programs: no claim then. */
	if (label == NULL || strncmp(cls, "ijg", 3) == 0)
		return;
	if ((kind = software_kind(label, strlen(label), &name)) > 0)
		mf_add(mf, "jpeg.dqt.software", kind, json_pack("{s:s,s:s}",
		    "signature", label, "digest", dg), "the quantisation tables "
		    "are those of %s: the file was last saved by it", label);
}
