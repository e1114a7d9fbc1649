/*
 * --index FILE: the letters of earlier runs, kept as their signatures,
 * exact shingle sets, masked text, fills and entities (JSON Lines, one
 * letter a line after a header naming -t, -n and the banding), with the
 * cluster each was in.  A later run loads them instead of re-reading
 * the old letters, adds the new ones, clusters all, and reports the
 * clusters new letters joined (status "grown", old ids kept) or formed
 * (status "new", fresh ids); then the index is rewritten with everything.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cd.h"
#include "rec.h"

#define INDEX_FORMAT	2	/* 2: rolling shingle hash */

static void
b64(struct buf *b, const void *data, size_t n)
{
	static const char a[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = data;
	size_t	 i;
	uint32_t v;

	for (i = 0; i < n; i += 3) {
		v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) |
		    (i + 2 < n ? p[i + 2] : 0);
		buf_addc(b, a[v >> 18]);
		buf_addc(b, a[(v >> 12) & 63]);
		buf_addc(b, i + 1 < n ? a[(v >> 6) & 63] : '=');
		buf_addc(b, i + 2 < n ? a[v & 63] : '=');
	}
}

static long
unb64(const char *s, unsigned char *out, size_t max)
{
	static const char a[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p;
	uint32_t v = 0;
	int	 bits = 0;
	size_t	 k = 0;

	for (; *s && *s != '='; s++) {
		if ((p = strchr(a, *s)) == NULL)
			return -1;
		v = v << 6 | (uint32_t)(p - a);
		if ((bits += 6) >= 8) {
			bits -= 8;
			if (k == max)
				return -1;
			out[k++] = (unsigned char)(v >> bits);
		}
	}
	return (long)k;
}

static int
hexv(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ?
	    c - 'a' + 10 : -1;
}

/* One indexed letter back into the store. */
static int
load_doc(struct store *st, json_t *o)
{
	struct letter l;
	const char *path, *member = NULL, *masked, *fills, *ents, *meta, *sha,
		*set, *sig, *band, *rsha = NULL;
	json_int_t row, size, tm, th, nh, cl;
	uint32_t src;
	unsigned char *sb;
	long	 k;
	int	 i;
	uint32_t id;

	if (json_unpack(o, "{s:s,s?s,s:I,s:s,s?s,s:I,s:I,s:I,s:I,s:s,s:s,s:s,"
	    "s:s,s:s,s:s,s:s,s:I}", "path", &path, "member", &member, "row",
	    &row, "sha256", &sha, "row_sha256", &rsha, "size", &size, "time",
	    &tm, "thash", &th, "nhash", &nh, "masked", &masked, "fills", &fills,
	    "ents", &ents, "meta", &meta, "set", &set, "sig", &sig, "bands",
	    &band, "cluster", &cl) != 0 || strlen(sha) != 64 ||
	    (rsha && strlen(rsha) != 64))
		return -1;
	memset(&l, 0, sizeof(l));
	/* sha256 is the file's; a row's own hash is row_sha256 */
	if (rsha == NULL)
		rsha = sha;
	for (i = 0; i < 32; i++)
		l.sha[i] = (unsigned char)(hexv(rsha[2 * i]) * 16 +
		    hexv(rsha[2 * i + 1]));
	if (unb64(sig, (unsigned char *)l.sig, sizeof(l.sig)) != sizeof(l.sig) ||
	    unb64(band, (unsigned char *)l.band, (size_t)st->bands * 4) !=
	    st->bands * 4)
		return -1;
	if ((sb = malloc(strlen(set))) == NULL)
		abort();
	if ((k = unb64(set, sb, strlen(set))) < 0 || k % 4) {
		free(sb);
		return -1;
	}
	l.set = (uint32_t *)(void *)sb;
	l.nsh = (size_t)k / 4;
	l.masked = (char *)masked;
	l.maskedlen = strlen(masked);
	buf_add(&l.fills, fills, strlen(fills));
	buf_add(&l.ents, ents, strlen(ents));
	l.size = (size_t)size;
	l.thash = (uint64_t)th;
	l.nhash = (uint64_t)nh;
	src = store_src(st, path, member);
	if (row == 0 || rsha != sha)
		store_src_sha(st, src, sha);
	id = store_add(st, src, (uint32_t)row, &l,
	    *meta ? meta : NULL, tm == INT64_MIN ? CD_NOTIME : (int64_t)tm);
	st->d[id].oldcl = cl > 0 ? (int32_t)cl : -1;
	free(sb);
	buf_free(&l.fills);
	buf_free(&l.ents);
	return 0;
}

int
index_load(const char *path, struct store *st, const struct cd_params *p,
    struct rec_out *ro)
{
	FILE	*f;
	char	*line = NULL;
	size_t	 cap = 0;
	ssize_t	 len;
	unsigned long lineno = 0;
	json_t	*o;
	double	 t;
	int	 fmt, ng, b, r, rc = 0;

	if ((f = fopen(path, "r")) == NULL) {
		if (errno == ENOENT)
			return 0;	/* a first run creates it */
		rec_error(ro, path, NULL, "cannot open '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	while (rc == 0 && (len = getline(&line, &cap, f)) != -1) {
		if ((o = json_loadb(line, (size_t)len, 0, NULL)) == NULL) {
			rec_error_in(ro, path, NULL,
			    "line %lu: not an index line", lineno + 1);
			rc = -1;
		} else if (lineno == 0 && (json_unpack(o, "{s:i,s:F,s:i,s:i,s:i}",
		    "index", &fmt, "threshold", &t, "ngram", &ng, "bands", &b,
		    "rows", &r) != 0 || fmt != INDEX_FORMAT)) {
			rec_error(ro, path, NULL, "'%s' is not a complaint-dedupe "
			    "index", path);
			rc = -1;
		} else if (lineno == 0 && (t != p->t || ng != p->ngram ||
		    b != p->bands || r != p->rows)) {
			rec_error(ro, path, NULL, "'%s' was built with -t %g -n %d; "
			    "use the same", path, t, ng);
			rc = -1;
		} else if (lineno > 0 && load_doc(st, o) == -1) {
			rec_error_in(ro, path, NULL,
			    "line %lu: bad letter record", lineno + 1);
			rc = -1;
		}
		json_decref(o);
		lineno++;
	}
	free(line);
	fclose(f);
	return rc;
}

static json_t *
doc_json(const struct store *st, const struct clusters *cs, uint32_t d)
{
	const struct doc *doc = &st->d[d];
	struct docdata dd;
	struct buf set = { 0 }, sig = { 0 }, band = { 0 };
	char	 sha[65], rsha[65];
	json_t	*o;

	if (store_get(st, d, &dd) == -1)
		return NULL;
	b64(&set, dd.set, (size_t)dd.nset * 4);
	b64(&sig, st->sig + (size_t)d * CD_NPERM, CD_NPERM * 2);
	b64(&band, st->band + (size_t)d * (size_t)st->bands, (size_t)st->bands * 4);
	cd_hex32(store_file_sha(st, d), sha);
	cd_hex32(doc->sha, rsha);
	o = json_pack("{s:s,s:s*,s:I,s:s,s:I,s:I,s:I,s:I,s:s,s:s,s:s,s:s,s:s,"
	    "s:s,s:s,s:I}", "path", st->s[doc->src].path, "member",
	    st->s[doc->src].member, "row", (json_int_t)doc->row, "sha256", sha,
	    "size", (json_int_t)doc->size, "time", (json_int_t)doc->time,
	    "thash", (json_int_t)doc->thash, "nhash", (json_int_t)doc->nhash,
	    "masked", dd.masked, "fills", dd.fills, "ents", dd.ents, "meta",
	    dd.meta, "set", set.s ? set.s : "", "sig", sig.s, "bands", band.s,
	    "cluster", (json_int_t)(cs->of[d] ? cs->c[cs->of[d] - 1].id : 0));
	buf_free(&set);
	buf_free(&sig);
	buf_free(&band);
	if (doc->row)
		json_object_set_new(o, "row_sha256", json_string(rsha));
	store_put(&dd);
	return o;
}

/* Written to FILE.tmp and renamed, so a failed run leaves the old index. */
int
index_save(const char *path, const struct store *st, const struct clusters *cs,
    const struct cd_params *p, struct rec_out *ro)
{
	char	 tmp[4096];
	FILE	*f;
	json_t	*o;
	size_t	 r;
	int	 bad = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((f = fopen(tmp, "w")) == NULL) {
		rec_error(ro, path, NULL, "cannot write '%s': %s", tmp,
		    strerror(errno));
		return -1;
	}
	o = json_pack("{s:i,s:f,s:i,s:i,s:i}", "index", INDEX_FORMAT, "threshold",
	    p->t, "ngram", p->ngram, "bands", p->bands, "rows", p->rows);
	bad |= json_dumpf(o, f, JSON_COMPACT) == -1 || fputc('\n', f) == EOF;
	json_decref(o);
	for (r = 0; r < st->n && !bad; r++) {
		if ((o = doc_json(st, cs, st->byrank[r])) == NULL) {
			bad = 1;
			break;
		}
		bad |= json_dumpf(o, f, JSON_COMPACT | JSON_SORT_KEYS) == -1 ||
		    fputc('\n', f) == EOF;
		json_decref(o);
	}
	if (fclose(f) == EOF || bad || rename(tmp, path) == -1) {
		rec_error(ro, path, NULL, "cannot write '%s': %s", path,
		    strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/*
 * Ids that survive: a cluster holding indexed letters keeps the smallest
 * id they had; a cluster of new letters only gets the next free id, in
 * the usual order (largest first).
 */
void
index_ids(const struct store *st, struct clusters *cs)
{
	uint32_t next = 0, best;
	size_t	 i, k;

	for (i = 0; i < st->n; i++)
		if (st->d[i].oldcl > 0 && (uint32_t)st->d[i].oldcl > next)
			next = (uint32_t)st->d[i].oldcl;
	for (i = 0; i < cs->n; i++) {
		struct cluster *c = &cs->c[i];

		best = 0;
		c->fresh = 0;
		for (k = 0; k < c->n; k++) {
			int32_t o = st->d[c->m[k]].oldcl;

			if (o > 0 && (best == 0 || (uint32_t)o < best))
				best = (uint32_t)o;
			c->fresh += o == 0;
		}
		c->id = best ? best : ++next;
		c->grown = best != 0;
	}
}
