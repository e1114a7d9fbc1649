/*
 * libFuzzer target: complaint-dedupe's parsers on untrusted bytes.  The
 * first byte picks one: the streaming CSV parser of common/csv.c as the
 * reader uses it, strict or lenient by the second byte's low bit (fed in
 * two chunks split where the second byte says, so state carried across
 * reads is covered, with a small bound so that CSV_ELONG is reached),
 * the .docx reader (libarchive from memory), the WordprocessingML text
 * extractor, the e-mail body extractor, or the whole letter analysis
 * (normalise, slot masking, shingles, MinHash) that every reader feeds.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cd.h"
#include "csv.h"
#include "fmt.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
on_record(const struct csv_row *c, void *arg)
{
	size_t	 i, *sum = arg;

	if (c->row == 0 || c->line == 0 || (c->err == CSV_ELONG && c->nf != 0))
		abort();
	for (i = 0; i < c->nf; i++) {	/* touch every field the row claims */
		if (c->f[i].s[c->f[i].len] != '\0')
			abort();
		*sum += c->f[i].len + (size_t)(unsigned char)c->f[i].s[0];
	}
	return 0;
}

static void
csv(const uint8_t *d, size_t n, unsigned sel)
{
	struct csv *c;
	size_t	 sum = 0, cut = sel >> 1;

	if (cut > n)
		cut = n;
	if ((c = csv_new(4096, sel & 1 ? CSV_LENIENT : 0, on_record, &sum)) == NULL)
		return;
	csv_feed(c, d, cut);
	csv_feed(c, d + cut, n - cut);
	csv_end(c);
	csv_free(c);
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
