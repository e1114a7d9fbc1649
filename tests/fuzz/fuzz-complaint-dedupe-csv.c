/*
 * libFuzzer target: complaint-dedupe's parsers on untrusted bytes.  The
 * first byte picks one: the streaming CSV reader (fed in two chunks split
 * where the second byte says, so state carried across reads is covered),
 * the .docx reader (libarchive from memory), the WordprocessingML text
 * extractor, the e-mail body extractor, or the whole letter analysis
 * (normalise, slot masking, shingles, MinHash) that every reader feeds.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cd.h"
#include "fmt.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
on_record(struct csvp *c, enum csv_event ev, void *arg)
{
	size_t	 i, *sum = arg;

	(void)ev;
	for (i = 0; i < c->nf; i++)	/* touch every field the record claims */
		*sum += c->flen[i] + (size_t)(unsigned char)c->rec.s[c->off[i]];
	return 0;
}

static void
csv(const uint8_t *d, size_t n, size_t cut)
{
	struct csvp c;
	size_t	 sum = 0;

	if (cut > n)
		cut = n;
	csv_init(&c);
	c.max = 4096;
	csv_feed(&c, (const char *)d, cut, false, on_record, &sum);
	csv_feed(&c, (const char *)d + cut, n - cut, true, on_record, &sum);
	csv_free(&c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct buf b = { 0 };
	struct letter l;
	static struct cd_params p = { .t = 0.5, .ngram = 5 };
	char	 err[256];

	if (len < 2)
		return 0;
	switch (data[0] % 5) {
	case 0:
		csv(data + 2, len - 2, data[1]);
		break;
	case 1:
		fmt_docx(data + 1, len - 1, &b, err, sizeof(err));
		break;
	case 2:
		fmt_docx_xml((const char *)data + 1, len - 1, &b);
		break;
	case 3:
		fmt_eml((const char *)data + 1, len - 1, &b);
		break;
	default:
		cd_params_from_t(&p);	/* once: it returns at once when set */
		if (cd_analyse((const char *)data + 1, len - 1, &p, &l) == 0)
			cd_letter_free(&l);
		break;
	}
	buf_free(&b);
	return 0;
}
