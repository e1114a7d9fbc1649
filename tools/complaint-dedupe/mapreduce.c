/*
 * Beyond one machine: Hadoop Streaming, Spark's RDD.pipe() or plain
 * sort(1) between three runs of this tool.
 *
 *   --map     letters -> lines "key TAB docid TAB payload", one per LSH
 *             band ("b07:9f3a01c2"), one for identical masked text
 *             ("t:..."), one for identical normalised text ("n:..."),
 *             and one "d:" line carrying the letter itself (masked text,
 *             fills, entities, metadata, shingle set) for --merge.
 *   shuffle   sort by key (LC_ALL=C sort, or the engine's shuffle)
 *   --reduce  per key group, the same candidate rule as the one-process
 *             run (each letter against the group's first letter and its
 *             predecessor, in canonical order), each candidate screened
 *             and verified exactly on the shingle sets the lines carry;
 *             writes "e TAB docid TAB docid" edges and passes "d:" lines on.
 *   --merge   reads reducer outputs (any number, any order), rebuilds the
 *             letters from the "d:" lines, joins the edges with
 *             union-find and reports exactly as the one-process run does.
 *
 * Why the result is the same: the candidate edges of a group depend on
 * the group alone, and the one-process run only skips an edge whose two
 * letters are already joined, which changes no component.  Components,
 * and so ids, representatives, templates and links, come out equal.
 * docid is path|member|row with bytes outside printable ASCII, '%' and
 * '|' percent-encoded, so tabs and newlines in names cannot break lines.
 * Use the same -t and -n for all three steps.
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cd.h"
#include "input.h"
#include "rd.h"
#include "rec.h"

/* --- encodings --- */

static void
pct(struct buf *b, const char *s)
{
	static const char hx[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s;

	for (; s && *p; p++) {
		if (*p <= ' ' || *p >= 0x7F || *p == '%' || *p == '|') {
			buf_addc(b, '%');
			buf_addc(b, hx[*p >> 4]);
			buf_addc(b, hx[*p & 15]);
		} else
			buf_addc(b, (char)*p);
	}
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decodes s[0..n) in place; returns the new length. */
static size_t
unpct(char *s, size_t n)
{
	size_t	 i, k = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 &&
		    hexval(s[i + 2]) >= 0) {
			s[k++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		} else
			s[k++] = s[i];
	}
	s[k] = '\0';
	return k;
}

static void
docid(const struct store *st, uint32_t d, struct buf *b)
{
	char	 row[16];

	pct(b, st->s[st->d[d].src].path);
	buf_addc(b, '|');
	if (st->s[st->d[d].src].member)
		pct(b, st->s[st->d[d].src].member);
	snprintf(row, sizeof(row), "|%010u", st->d[d].row);
	buf_add(b, row, strlen(row));
}

struct id {
	char		*path, *member;	/* member NULL for a file */
	uint32_t	 row;
};

/* Parses a docid (a copy is made); -1 if malformed. */
static int
id_parse(const char *s, size_t n, struct id *id)
{
	char	*c, *p1, *p2, *end;
	unsigned long r;

	memset(id, 0, sizeof(*id));
	if ((c = strndup(s, n)) == NULL)
		abort();
	if ((p1 = strchr(c, '|')) == NULL || (p2 = strchr(p1 + 1, '|')) == NULL) {
		free(c);
		return -1;
	}
	*p1++ = '\0';
	*p2++ = '\0';
	errno = 0;
	r = strtoul(p2, &end, 10);
	if (*end != '\0' || errno || r > UINT32_MAX) {
		free(c);
		return -1;
	}
	unpct(c, strlen(c));
	unpct(p1, strlen(p1));
	if ((id->path = strdup(c)) == NULL ||
	    (*p1 && (id->member = strdup(p1)) == NULL))
		abort();
	id->row = (uint32_t)r;
	free(c);
	return 0;
}

static void
id_free(struct id *id)
{
	free(id->path);
	free(id->member);
}

/* The canonical order of store_cmp: path, then member (none first), then row. */
static int
id_cmp(const struct id *a, const struct id *b)
{
	int	 c;

	if ((c = strcmp(a->path, b->path)) != 0)
		return c;
	if (a->member == NULL || b->member == NULL) {
		if ((c = (a->member != NULL) - (b->member != NULL)) != 0)
			return c;
	} else if ((c = strcmp(a->member, b->member)) != 0)
		return c;
	return a->row < b->row ? -1 : a->row > b->row;
}

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void
b64_enc(struct buf *b, const void *data, size_t n)
{
	const unsigned char *p = data;
	size_t	 i;
	uint32_t v;

	for (i = 0; i + 2 < n; i += 3) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		buf_addc(b, b64[v >> 18]);
		buf_addc(b, b64[(v >> 12) & 63]);
		buf_addc(b, b64[(v >> 6) & 63]);
		buf_addc(b, b64[v & 63]);
	}
	if (i < n) {
		v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0);
		buf_addc(b, b64[v >> 18]);
		buf_addc(b, b64[(v >> 12) & 63]);
		buf_addc(b, i + 1 < n ? b64[(v >> 6) & 63] : '=');
		buf_addc(b, '=');
	}
}

/* Decodes into out (room for n*3/4 bytes); returns bytes, or -1. */
static long
b64_dec(const char *s, size_t n, unsigned char *out)
{
	uint32_t v = 0;
	int	 bits = 0;
	long	 k = 0;
	size_t	 i;
	const char *p;

	for (i = 0; i < n; i++) {
		if (s[i] == '=')
			break;
		if ((p = memchr(b64, s[i], 64)) == NULL || s[i] == '\0')
			return -1;
		v = v << 6 | (uint32_t)(p - b64);
		if ((bits += 6) >= 8) {
			bits -= 8;
			out[k++] = (unsigned char)(v >> bits);
		}
	}
	return k;
}

static void
hex32(struct buf *b, const unsigned char *s, size_t n)
{
	static const char h[] = "0123456789abcdef";
	size_t	 i;

	for (i = 0; i < n; i++) {
		buf_addc(b, h[s[i] >> 4]);
		buf_addc(b, h[s[i] & 15]);
	}
}

/* --- map --- */

static void
map_letter(const struct store *st, const struct cd_params *p, uint32_t d,
    FILE *out)
{
	const struct doc *doc = &st->d[d];
	struct docdata dd;
	struct buf id = { 0 }, pay = { 0 }, line = { 0 };
	json_t	*o;
	char	*js, key[32];
	int	 b;

	if (store_get(st, d, &dd) == -1)
		return;
	docid(st, d, &id);
	/* the payload of band lines: signature, then the shingle set */
	b64_enc(&pay, st->sig + (size_t)d * CD_NPERM, CD_NPERM * sizeof(uint16_t));
	buf_addc(&pay, ',');
	b64_enc(&pay, dd.set, (size_t)dd.nset * 4);
	if (doc->nsh >= CD_MINSHINGLES) {
		for (b = 0; b < p->bands; b++)
			fprintf(out, "b%03d:%08x\t%s\t%s\n", b,
			    st->band[(size_t)d * (size_t)p->bands + (size_t)b],
			    id.s, pay.s);
		fprintf(out, "t:%016llx\t%s\t-\n", (unsigned long long)doc->thash,
		    id.s);
	}
	fprintf(out, "n:%016llx\t%s\t-\n", (unsigned long long)doc->nhash, id.s);
	hex32(&line, store_file_sha(st, d), 32);
	o = json_pack("{s:s,s:s*,s:I,s:s,s:I,s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:s%}",
	    "path", st->s[doc->src].path, "member", st->s[doc->src].member,
	    "row", (json_int_t)doc->row, "sha256", line.s,
	    "size", (json_int_t)doc->size, "time", (json_int_t)(doc->time ==
	    CD_NOTIME ? INT64_MIN : doc->time), "nsh", (json_int_t)doc->nsh,
	    "thash", (snprintf(key, sizeof(key), "%016llx",
	    (unsigned long long)doc->thash), key), "masked", dd.masked,
	    "fills", dd.fills, "ents", dd.ents, "meta", dd.meta, "set", pay.s,
	    pay.len);
	json_object_set_new(o, "nhash", json_integer((json_int_t)doc->nhash));
	if (doc->row) {		/* the row's own hash; sha256 is the file's */
		line.len = 0;
		hex32(&line, doc->sha, 32);
		json_object_set_new(o, "row_sha256", json_string(line.s));
	}
	js = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	fprintf(out, "d:%s\t%s\t%s\n", id.s, id.s, js);
	free(js);
	json_decref(o);
	buf_free(&id);
	buf_free(&pay);
	buf_free(&line);
	store_put(&dd);
}

int
mr_map(const struct opts *o, struct rd *rd, int argc, char **argv)
{
	struct store st;
	size_t	 r;
	int	 status;

	rd->ro = rec_open(stdout, TOOL, false, argc, argv);
	if (store_init(&st, rd->params.bands) == -1)
		err(EXIT_TROUBLE, "cannot create a temporary file");
	rd->st = &st;
	read_all(rd, o);
	store_rank(&st);
	for (r = 0; r < st.n; r++)
		map_letter(&st, &rd->params, st.byrank[r], stdout);
	status = rec_errors(rd->ro) > 0 ? EXIT_TROUBLE : 0;
	if (rec_close(rd->ro, NULL) == -1)
		status = EXIT_TROUBLE;
	store_free(&st);
	return status;
}

/* --- reduce --- */

struct gm {
	struct id	 id;
	char		*idtext;
	uint16_t	 sig[CD_NPERM];
	uint32_t	*set;
	size_t		 nset;
	bool		 ok;
};

static int
gm_cmp(const void *a, const void *b)
{
	return id_cmp(&((const struct gm *)a)->id, &((const struct gm *)b)->id);
}

static bool
gm_payload(struct gm *g, const char *s, size_t n)
{
	const char *comma = memchr(s, ',', n);
	unsigned char *tmp;
	long	 k;

	if (comma == NULL)
		return false;
	if (b64_dec(s, (size_t)(comma - s), (unsigned char *)g->sig) !=
	    (long)sizeof(g->sig))
		return false;
	n -= (size_t)(comma + 1 - s);
	if ((tmp = malloc(n * 3 / 4 + 4)) == NULL)
		abort();
	if ((k = b64_dec(comma + 1, n, tmp)) < 0 || k % 4 != 0) {
		free(tmp);
		return false;
	}
	g->set = (uint32_t *)(void *)tmp;
	g->nset = (size_t)k / 4;
	return true;
}

static void
edge(const struct gm *a, const struct gm *b, FILE *out)
{
	fprintf(out, "e\t%s\t%s\n", a->idtext, b->idtext);
}

static void
reduce_pair(const struct cd_params *p, const struct gm *a, const struct gm *b,
    FILE *out)
{
	struct sim s;

	if (!a->ok || !b->ok)
		return;
	if (p->containment == 0 && cd_sig_estimate(a->sig, b->sig) <
	    p->t - CD_SIG_MARGIN)
		return;
	cd_similarity(a->set, a->nset, b->set, b->nset, &s);
	if (cd_accept(p, &s))
		edge(a, b, out);
}

static void
reduce_group(const struct cd_params *p, const char *key, struct gm *g,
    size_t n, FILE *out)
{
	size_t	 j;

	qsort(g, n, sizeof(*g), gm_cmp);
	for (j = 1; j < n; j++) {
		if (key[0] != 'b') {	/* identical texts: joined as they are */
			edge(&g[j - 1], &g[j], out);
			continue;
		}
		reduce_pair(p, &g[0], &g[j], out);
		if (j - 1 != 0)
			reduce_pair(p, &g[j - 1], &g[j], out);
	}
	for (j = 0; j < n; j++) {
		id_free(&g[j].id);
		free(g[j].idtext);
		free(g[j].set);
	}
}

int
mr_reduce(const struct opts *o, const struct cd_params *p)
{
	char	*line = NULL, *t1, *t2, *key = NULL;
	size_t	 cap = 0, n = 0, gcap = 0;
	ssize_t	 len;
	unsigned long lineno = 0;
	struct gm *g = NULL;
	int	 status = 0;

	(void)o;
	while ((len = getline(&line, &cap, stdin)) != -1) {
		lineno++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if ((t1 = strchr(line, '\t')) == NULL ||
		    (t2 = strchr(t1 + 1, '\t')) == NULL) {
			warnx("standard input line %lu: not a --map line", lineno);
			status = EXIT_TROUBLE;
			continue;
		}
		*t1 = '\0';
		if (strncmp(line, "d:", 2) == 0) {	/* letters pass through */
			*t1 = '\t';
			printf("%s\n", line);
			continue;
		}
		if (key == NULL || strcmp(key, line) != 0) {
			if (key != NULL)
				reduce_group(p, key, g, n, stdout);
			free(key);
			if ((key = strdup(line)) == NULL)
				abort();
			n = 0;
		}
		if (n == gcap) {
			gcap = gcap ? gcap * 2 : 64;
			if ((g = realloc(g, gcap * sizeof(*g))) == NULL)
				abort();
		}
		memset(&g[n], 0, sizeof(g[n]));
		if (id_parse(t1 + 1, (size_t)(t2 - t1 - 1), &g[n].id) == -1) {
			warnx("standard input line %lu: bad docid", lineno);
			status = EXIT_TROUBLE;
			continue;
		}
		if ((g[n].idtext = strndup(t1 + 1, (size_t)(t2 - t1 - 1))) == NULL)
			abort();
		g[n].ok = line[0] != 'b' || gm_payload(&g[n], t2 + 1, strlen(t2 + 1));
		if (!g[n].ok) {
			warnx("standard input line %lu: bad signature", lineno);
			status = EXIT_TROUBLE;
		}
		n++;
	}
	if (key != NULL)
		reduce_group(p, key, g, n, stdout);
	free(key);
	free(g);
	free(line);
	return status;
}

/* --- merge --- */

static char	**ids;		/* docid text per stored letter */
static size_t	  nids;
static struct buf edges;	/* "a\tb\n" lines, resolved after reading */

static uint32_t
hex_u64(const char *s, uint64_t *v)
{
	char	*end;

	errno = 0;
	*v = strtoull(s, &end, 16);
	return errno == 0 && *end == '\0';
}

static int
merge_doc(struct store *st, const char *idtext, const char *js)
{
	json_t	*o;
	struct letter l;
	const char *path, *member = NULL, *masked, *fills, *ents, *meta, *sha,
		*th, *setb, *rsha = NULL;
	json_int_t row, size, tm, nsh, nh;
	unsigned char *setbytes;
	long	 k;
	int	 i;
	uint32_t src;

	if ((o = json_loads(js, 0, NULL)) == NULL)
		return -1;
	if (json_unpack(o, "{s:s,s?s,s:I,s:s,s?s,s:I,s:I,s:I,s:s,s:s,s:s,s:s,"
	    "s:s,s:s,s:I}", "path", &path, "member", &member, "row", &row,
	    "sha256", &sha, "row_sha256", &rsha, "size", &size, "time", &tm,
	    "nsh", &nsh, "thash", &th, "masked", &masked, "fills", &fills,
	    "ents", &ents, "meta", &meta, "set", &setb, "nhash", &nh) != 0 ||
	    strlen(sha) != 64 || (rsha && strlen(rsha) != 64)) {
		json_decref(o);
		return -1;
	}
	memset(&l, 0, sizeof(l));
	l.masked = (char *)masked;
	l.maskedlen = strlen(masked);
	buf_add(&l.fills, fills, strlen(fills));
	buf_add(&l.ents, ents, strlen(ents));
	l.size = (size_t)size;
	l.nhash = (uint64_t)nh;
	hex_u64(th, &l.thash);
	if (rsha == NULL)
		rsha = sha;
	for (i = 0; i < 32; i++)
		l.sha[i] = (unsigned char)(hexval(rsha[2 * i]) * 16 +
		    hexval(rsha[2 * i + 1]));
	/* the set travels after the signature: "sig,set" */
	setb = strchr(setb, ',') ? strchr(setb, ',') + 1 : setb;
	if ((setbytes = malloc(strlen(setb) * 3 / 4 + 4)) == NULL)
		abort();
	k = b64_dec(setb, strlen(setb), setbytes);
	l.set = (uint32_t *)(void *)setbytes;
	l.nsh = k > 0 ? (size_t)k / 4 : 0;
	(void)nsh;
	src = store_src(st, path, member);
	if (row == 0 || rsha != sha)
		store_src_sha(st, src, sha);
	store_add(st, src, (uint32_t)row, &l, *meta ? meta : NULL,
	    tm == INT64_MIN ? CD_NOTIME : (int64_t)tm);
	if ((ids = realloc(ids, (nids + 1) * sizeof(*ids))) == NULL ||
	    (ids[nids++] = strdup(idtext)) == NULL)
		abort();
	free(setbytes);
	buf_free(&l.fills);
	buf_free(&l.ents);
	json_decref(o);
	return 0;
}

static void
merge_file(FILE *f, const char *name, struct store *st, struct rec_out *ro)
{
	char	*line = NULL, *t1, *t2;
	size_t	 cap = 0;
	ssize_t	 len;
	unsigned long lineno = 0;

	while ((len = getline(&line, &cap, f)) != -1) {
		lineno++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if ((t1 = strchr(line, '\t')) == NULL ||
		    (t2 = strchr(t1 + 1, '\t')) == NULL) {
			rec_error_in(ro, name, NULL,
			    "line %lu: not a --reduce line", lineno);
			continue;
		}
		*t1 = *t2 = '\0';
		if (strcmp(line, "e") == 0) {
			buf_add(&edges, t1 + 1, strlen(t1 + 1));
			buf_addc(&edges, '\t');
			buf_add(&edges, t2 + 1, strlen(t2 + 1));
			buf_addc(&edges, '\n');
		} else if (strncmp(line, "d:", 2) != 0 ||
		    merge_doc(st, t1 + 1, t2 + 1) == -1)
			rec_error_in(ro, name, NULL, "line %lu: bad record",
			    lineno);
	}
	free(line);
}

void
mr_merge_read(const struct opts *o, struct store *st, struct rec_out *ro)
{
	FILE	*f;
	int	 i;

	if (o->npaths == 0 || (o->npaths == 1 && strcmp(o->paths[0], "-") == 0)) {
		merge_file(stdin, "-", st, ro);
		return;
	}
	for (i = 0; i < o->npaths; i++) {
		if ((f = fopen(o->paths[i], "r")) == NULL) {
			rec_error(ro, o->paths[i], NULL, "cannot open '%s': %s",
			    o->paths[i], strerror(errno));
			continue;
		}
		merge_file(f, o->paths[i], st, ro);
		fclose(f);
	}
}

static const struct store *idx_st;

static int
idx_cmp(const void *a, const void *b)
{
	return strcmp(ids[*(const uint32_t *)a], ids[*(const uint32_t *)b]);
}

static long
find_id(const uint32_t *ord, size_t n, const char *s)
{
	size_t	 lo = 0, hi = n, mid;
	int	 c;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if ((c = strcmp(ids[ord[mid]], s)) == 0)
			return ord[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

void
mr_merge_edges(struct store *st, struct uf *u)
{
	uint32_t *ord;
	size_t	 i;
	char	*p, *tab, *nl;
	long	 a, b;
	unsigned long missing = 0;

	idx_st = st;
	if ((ord = malloc((nids + 1) * sizeof(*ord))) == NULL)
		abort();
	for (i = 0; i < nids; i++)
		ord[i] = (uint32_t)i;
	qsort(ord, nids, sizeof(*ord), idx_cmp);
	for (p = edges.s; p && *p; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			break;
		*nl = '\0';
		if ((tab = strchr(p, '\t')) == NULL)
			continue;
		*tab = '\0';
		if ((a = find_id(ord, nids, p)) >= 0 &&
		    (b = find_id(ord, nids, tab + 1)) >= 0)
			uf_union(u, (uint32_t)a, (uint32_t)b);
		else if (missing++ == 0)
			warnx("an edge names a letter no reducer passed on: %s", p);
	}
	if (missing > 1)
		warnx("%lu edges name letters no reducer passed on", missing);
	free(ord);
	for (i = 0; i < nids; i++)
		free(ids[i]);
	free(ids);
	buf_free(&edges);
}
