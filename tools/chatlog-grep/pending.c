/*
 * The hit records of an item wait for its SHA-256, which is known only
 * once the item has been read to its end (every record names the hash of
 * the file at its path, which is what a case bundle checks).  They wait
 * in memory up to PEND_MAX bytes; past that they go, one JSON text a
 * line, to a temporary file that is unlinked at once, so that a huge
 * export with hits in every message does not grow the memory with the
 * file.  At the end they come back in the same order and are emitted
 * exactly as the records kept in memory would be.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grep.h"
#include "rec.h"

#define PEND_MAX	((size_t)8 << 20)	/* serialised bytes held in memory */

struct pending {
	json_t	*recs;		/* in memory, after the spilled ones */
	size_t	 bytes;		/* their serialised size */
	FILE	*spill;		/* NULL: none yet */
	long	 good;		/* end of the last records written whole */
	bool	 nospill;	/* the file failed: hold everything */
};

struct pending *
pend_new(void)
{
	struct pending *p = calloc(1, sizeof(*p));

	if (p == NULL || (p->recs = json_array()) == NULL)
		abort();
	return p;
}

/* An unlinked file in $TMPDIR (or /tmp): nothing is left behind. */
static FILE *
spill_open(void)
{
	const char *dir = getenv("TMPDIR");
	char	 path[4096];
	FILE	*f;
	int	 fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	if ((size_t)snprintf(path, sizeof(path), "%s/chatlog-grep.XXXXXX", dir) >=
	    sizeof(path) || (fd = mkstemp(path)) == -1)
		return NULL;
	unlink(path);
	if ((f = fdopen(fd, "w+")) == NULL)
		close(fd);
	return f;
}

/* Writes the records held to the file; on failure they stay in memory. */
static void
spill(struct pending *p)
{
	size_t	 i;
	json_t	*r;
	bool	 ok = true;

	if (p->spill == NULL && (p->spill = spill_open()) == NULL) {
		p->nospill = true;
		return;
	}
	json_array_foreach(p->recs, i, r)
		if (json_dumpf(r, p->spill, JSON_COMPACT) == -1 ||
		    fputc('\n', p->spill) == EOF) {
			ok = false;
			break;
		}
	if (ok && fflush(p->spill) == 0) {
		p->good = ftell(p->spill);
		json_array_clear(p->recs);
		p->bytes = 0;
		return;
	}
	/* A full disk: drop the partial lines, keep the rest in memory. */
	p->nospill = true;
	clearerr(p->spill);
	if (ftruncate(fileno(p->spill), p->good) == -1)
		p->good = 0;	/* cannot trust the file: it is not read back */
}

/* About the serialised size, without serialising: the strings dominate. */
static size_t
size_guess(const json_t *j)
{
	const char *k;
	json_t	*v;
	size_t	 i, n = 2;

	switch (json_typeof(j)) {
	case JSON_STRING:
		return json_string_length(j) + 2;
	case JSON_OBJECT:
		json_object_foreach((json_t *)(uintptr_t)j, k, v)
			n += strlen(k) + 4 + size_guess(v);
		return n;
	case JSON_ARRAY:
		json_array_foreach(j, i, v)
			n += size_guess(v) + 1;
		return n;
	default:
		return 24;
	}
}

void
pend_add(struct pending *p, json_t *rec)
{
	json_array_append_new(p->recs, rec);
	if (p->nospill)
		return;
	p->bytes += size_guess(rec);
	if (p->bytes > PEND_MAX)
		spill(p);
}

static void
emit(struct rec_out *ro, json_t *r, const char *sha256, uint64_t size)
{
	if (sha256 != NULL) {
		json_object_set_new(r, "sha256", json_string(sha256));
		json_object_set_new(r, "size", json_integer((json_int_t)size));
	}
	rec_emit(ro, r);
}

void
pend_flush(struct pending *p, struct rec_out *ro, const char *sha256,
    uint64_t size)
{
	json_error_t je;
	json_t	*r;
	size_t	 i;

	if (p->spill != NULL && p->good > 0 && fseek(p->spill, 0, SEEK_SET) == 0)
		while (ftell(p->spill) < p->good && (r = json_loadf(p->spill,
		    JSON_DISABLE_EOF_CHECK, &je)) != NULL)
			emit(ro, r, sha256, size);
	json_array_foreach(p->recs, i, r)
		emit(ro, json_incref(r), sha256, size);
	pend_free(p);
}

void
pend_free(struct pending *p)
{
	if (p == NULL)
		return;
	if (p->spill != NULL)
		fclose(p->spill);
	json_decref(p->recs);
	free(p);
}
