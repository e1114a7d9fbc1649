/*
 * One letter from text to signature: normalise, mask the slots, shingle,
 * MinHash.  Runs on the worker threads; touches nothing shared.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cd.h"

static int
analyse(const char *text, size_t len, bool valid, const struct cd_params *p,
    struct letter *l)
{
	char	*norm;
	size_t	 nlen, n;
	uint64_t *sh;

	memset(l, 0, sizeof(*l));
	l->size = len;
	if ((norm = cd_normalize_valid(text, len, valid, &nlen)) == NULL)
		return -1;
	l->nhash = cd_hash64(norm, nlen, 1);
	cd_mask(norm, nlen, l);
	free(norm);
	l->thash = cd_hash64(l->masked, l->maskedlen, 2);
	n = cd_shingles(l->masked, l->maskedlen, p->ngram, &sh);
	cd_minhash(sh, n, p, l->band, l->sig);
	l->nsh = cd_set(sh, n, &l->set);	/* sh: per-thread scratch */
	return 0;
}

int
cd_analyse(const char *text, size_t len, const struct cd_params *p,
    struct letter *l)
{
	return analyse(text, len, false, p, l);
}

int
cd_analyse_valid(const char *text, size_t len, const struct cd_params *p,
    struct letter *l)
{
	return analyse(text, len, true, p, l);
}

void
cd_letter_free(struct letter *l)
{
	free(l->masked);
	free(l->set);
	buf_free(&l->fills);
	buf_free(&l->ents);
	memset(l, 0, sizeof(*l));
}
