/*
 * Reading letters.  The walk (common/input.c) hands over files and
 * archive members; each becomes one letter (.txt in UTF-8, GB18030 or
 * UTF-16, .docx, .eml) or many (CSV and JSON Lines exports, one letter a
 * row, read as a stream so a million-row export never sits in memory).
 * Letters are batched and analysed on the pool's workers; the results
 * come back in submission order, so the store, and so every id, is the
 * same for any -j.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/sha.h>

#include "cd.h"
#include "csv.h"
#include "fmt.h"
#include "input.h"
#include "pool.h"
#include "progress.h"
#include "rec.h"
#include "rd.h"
#include "u8.h"

#define BATCH_ITEMS	256
#define BATCH_BYTES	(1u << 20)
#define CHUNK		(256u << 10)

enum kind { K_RAW, K_TEXT, K_JSONL, K_DOCX, K_EML };

struct jitem {
	uint32_t	 src, row;
	enum kind	 kind;
	char		*data;
	size_t		 len;
	char		*meta;		/* JSON text of --meta columns */
	int64_t		 time;
	char		 err[200];
	struct letter	 l;
	bool		 ok, empty;
};

struct job {
	struct rd	*rd;
	struct jitem	*it;
	size_t		 n;
};

/* --- worker side --- */

static int64_t
parse_time(const char *s)
{
	struct tm tm;
	char	*end;
	long long v;

	if (s == NULL || *s == '\0')
		return CD_NOTIME;
	memset(&tm, 0, sizeof(tm));
	if ((end = strptime(s, "%Y-%m-%d", &tm)) != NULL) {
		if ((*end == 'T' || *end == ' ') &&
		    strptime(end + 1, "%H:%M:%S", &tm) == NULL)
			strptime(end + 1, "%H:%M", &tm);
		return (int64_t)timegm(&tm);
	}
	memset(&tm, 0, sizeof(tm));
	if ((end = strptime(s, "%Y/%m/%d", &tm)) != NULL) {
		if (*end == ' ')
			strptime(end + 1, "%H:%M:%S", &tm);
		return (int64_t)timegm(&tm);
	}
	v = strtoll(s, &end, 10);
	return *end == '\0' && end != s ? (int64_t)(v > 100000000000LL ? v / 1000 :
	    v) : CD_NOTIME;
}

/* Meta columns: kept as JSON, linked as entities, time parsed. */
static void
take_meta(struct rd *rd, struct jitem *it, json_t *meta)
{
	const char *k;
	json_t	*v;
	char	 tmp[64];

	if (meta == NULL)
		return;
	json_object_foreach(meta, k, v) {
		const char *s = json_string_value(v);

		if (s == NULL && json_is_number(v)) {
			snprintf(tmp, sizeof(tmp), "%.0f", json_number_value(v));
			s = tmp;
		}
		if (s == NULL || *s == '\0')
			continue;
		if (rd->timecol && strcmp(k, rd->timecol) == 0) {
			it->time = parse_time(s);
			continue;
		}
		{
			struct buf kv = { 0 };

			buf_add(&kv, k, strlen(k));
			buf_addc(&kv, '=');
			buf_add(&kv, s, strlen(s));
			ent_add(&it->l.ents, ENT_META, kv.s, kv.len);
			buf_free(&kv);
		}
	}
	it->meta = json_dumps(meta, JSON_COMPACT | JSON_SORT_KEYS);
}

/*
 * The fast path: jl_scan finds the text and --meta members in one pass
 * and only their values are decoded (meta values, small, by jansson).
 * NULL with nothing set when the row needs jansson's full parser.
 */
static char *
jsonl_fast(struct rd *rd, struct jitem *it, size_t *len, json_t **metap)
{
	struct jl_field fs[8], *f = fs;
	json_t	*meta = NULL, *v;
	size_t	 i, nf = rd->nmeta + 1;
	char	*t = NULL;

	if (nf > sizeof(fs) / sizeof(fs[0]) &&
	    (f = calloc(nf, sizeof(*f))) == NULL)
		abort();
	f[0].name = rd->field;
	for (i = 0; i < rd->nmeta; i++)
		f[i + 1].name = rd->meta[i];
	if (jl_scan(it->data, it->len, f, nf) != 1 || !f[0].found ||
	    !f[0].isstr)
		goto out;
	t = jl_string(it->data + f[0].off, f[0].len, len);
	for (i = 1; i < nf; i++) {
		if (!f[i].found || (v = json_loadb(it->data + f[i].off, f[i].len,
		    JSON_DECODE_ANY, NULL)) == NULL)
			continue;
		if (meta == NULL)
			meta = json_object();
		json_object_set_new(meta, f[i].name, v);
	}
	*metap = meta;
out:
	if (f != fs)
		free(f);
	return t;
}

static char *
jsonl_text(struct rd *rd, struct jitem *it, size_t *len, json_t **metap)
{
	json_error_t e;
	json_t	*o, *v, *meta = NULL;
	size_t	 i;
	char	*t = NULL;

	if ((t = jsonl_fast(rd, it, len, metap)) != NULL)
		return t;
	if ((o = json_loadb(it->data, it->len, 0, &e)) == NULL ||
	    !json_is_object(o)) {
		snprintf(it->err, sizeof(it->err), "line %u: %s", it->row,
		    o ? "not a JSON object" : e.text);
		json_decref(o);
		return NULL;
	}
	if ((v = json_object_get(o, rd->field)) == NULL || !json_is_string(v)) {
		snprintf(it->err, sizeof(it->err), "line %u: no text field '%s'",
		    it->row, rd->field);
		json_decref(o);
		return NULL;
	}
	*len = json_string_length(v);
	if ((t = malloc(*len + 1)) == NULL)
		abort();
	memcpy(t, json_string_value(v), *len + 1);
	for (i = 0; i < rd->nmeta; i++) {
		json_t	*mv = json_object_get(o, rd->meta[i]);

		if (mv == NULL)
			continue;
		if (meta == NULL)
			meta = json_object();
		json_object_set(meta, rd->meta[i], mv);
	}
	*metap = meta;
	json_decref(o);
	return t;
}

static void
work_item(struct rd *rd, struct jitem *it)
{
	struct buf b = { 0 };
	char	*text = NULL, *dec;
	size_t	 len = 0;
	json_t	*meta = NULL;

	switch (it->kind) {
	case K_JSONL:
		if ((text = jsonl_text(rd, it, &len, &meta)) == NULL)
			return;
		break;
	case K_TEXT:
		text = it->data, len = it->len, it->data = NULL;
		break;
	case K_DOCX:
		if (fmt_docx(it->data, it->len, &b, it->err, sizeof(it->err)) == -1) {
			buf_free(&b);
			return;
		}
		text = b.s, len = b.len;
		break;
	case K_EML:
		fmt_eml(it->data, it->len, &b);
		text = b.s, len = b.len;
		/* FALLTHROUGH */	/* the body is in its own charset */
	case K_RAW:
		if (text == NULL)
			text = it->data, len = it->len, it->data = NULL;
		dec = u8_decode(text, len, &len, NULL, NULL);
		free(text);
		if ((text = dec) == NULL) {
			snprintf(it->err, sizeof(it->err), "cannot decode the text");
			return;
		}
		break;
	}
	if (len > CD_MAXLETTER)
		snprintf(it->err, sizeof(it->err), "letter of %zu bytes is over "
		    "the %u-byte limit", len, CD_MAXLETTER);
	else if ((it->kind == K_JSONL ? cd_analyse_valid : cd_analyse)(text ?
	    text : "", len, &rd->params, &it->l) == 0) {
		it->ok = true;
		/*
		 * A row's own hash, of its letter text; a whole file's is the
		 * walker's hash of its bytes (store_file_sha).
		 */
		if (it->row)
			SHA256((const unsigned char *)(text ? text : ""), len,
			    it->l.sha);
		it->empty = it->l.maskedlen == 0;
		take_meta(rd, it, meta);
	} else
		snprintf(it->err, sizeof(it->err), "cannot normalise the text");
	json_decref(meta);
	free(text);
}

static void
job_work(void *arg)
{
	struct job *j = arg;
	size_t	 i;

	for (i = 0; i < j->n; i++)
		work_item(j->rd, &j->it[i]);
}

static void
job_done(void *arg)
{
	struct job *j = arg;
	struct rd *rd = j->rd;
	struct jitem *it;
	const struct src *s;
	size_t	 i;

	for (i = 0; i < j->n; i++) {
		it = &j->it[i];
		s = &rd->st->s[it->src];
		if (it->err[0])
			rec_error_in(rd->ro, s->path, s->member, "%s", it->err);
		else if (it->empty) {
			if (it->row)
				rec_error_in(rd->ro, s->path, s->member,
				    "line %u: empty letter", it->row);
			else
				rec_error_in(rd->ro, s->path, s->member,
				    "empty letter");
		} else if (it->ok) {
			store_add(rd->st, it->src, it->row, &it->l, it->meta,
			    it->time);
			rd->letters++;
		}
		if (rd->prog)
			progress_add(rd->prog, 1, it->l.size);
		cd_letter_free(&it->l);
		free(it->data);
		free(it->meta);
	}
	free(j->it);
	free(j);
}

/* --- reader side (main thread) --- */

static struct job *cur;
static size_t	 curbytes;

void
rd_flush(struct rd *rd)
{
	if (cur == NULL)
		return;
	if (rd->pool)
		pool_submit(rd->pool, job_work, job_done, cur);
	else {
		job_work(cur);
		job_done(cur);
	}
	cur = NULL;
	curbytes = 0;
}

static void
enqueue(struct rd *rd, uint32_t src, uint32_t row, enum kind k, char *data,
    size_t len, const char *err)
{
	struct jitem *it;

	if (cur == NULL) {
		if ((cur = calloc(1, sizeof(*cur))) == NULL ||
		    (cur->it = calloc(BATCH_ITEMS, sizeof(*cur->it))) == NULL)
			abort();
		cur->rd = rd;
	}
	it = &cur->it[cur->n++];
	it->src = src;
	it->row = row;
	it->kind = k;
	it->data = data;
	it->len = len;
	it->time = CD_NOTIME;
	if (err)
		snprintf(it->err, sizeof(it->err), "%s", err);
	curbytes += len;
	if (cur->n == BATCH_ITEMS || curbytes >= BATCH_BYTES)
		rd_flush(rd);
}

struct csvctx {
	struct rd	*rd;
	uint32_t	 src;
	long		 textcol;
	long		*metacol;
	uint32_t	 rows;
	bool		 header_done, stop, raw;
};

/* Without --field, the first column with a usual name for the letter. */
static long
text_column(struct rd *rd, const struct csv_row *c)
{
	static const char *const usual[] = { "text", "content", "body",
	    "letter", "complaint", "投诉内容", "内容", "正文", "诉求内容",
	    "投诉正文", NULL };
	const char *const *u;
	size_t	 i;

	for (i = 0; i < c->nf; i++)
		if (strcmp(c->f[i].s, rd->field) == 0)
			return (long)i;
	for (u = usual; !rd->field_given && *u; u++)
		for (i = 0; i < c->nf; i++)
			if (strcasecmp(c->f[i].s, *u) == 0)
				return (long)i;
	return -1;
}

static int
csv_rec(const struct csv_row *c, void *arg)
{
	struct csvctx *x = arg;
	struct rd *rd = x->rd;
	char	 msg[160];
	json_t	*meta = NULL;
	size_t	 i, tl;
	char	*t;

	if (c->err != CSV_OK) {
		snprintf(msg, sizeof(msg), "line %llu: %s",
		    (unsigned long long)c->line, csv_strerror(c->err));
		x->rows++;
		enqueue(rd, x->src, x->rows, K_TEXT, NULL, 0, msg);
		return 0;
	}
	if (!x->header_done) {
		x->header_done = true;
		x->textcol = text_column(rd, c);
		for (i = 0; i < rd->nmeta; i++) {
			size_t k;

			x->metacol[i] = -1;
			for (k = 0; k < c->nf; k++)
				if (strcmp(c->f[k].s, rd->meta[i]) == 0)
					x->metacol[i] = (long)k;
		}
		if (x->textcol < 0) {
			x->stop = true;
			return 1;
		}
		return 0;
	}
	x->rows++;
	if ((size_t)x->textcol >= c->nf) {
		snprintf(msg, sizeof(msg), "line %llu: only %zu fields, no '%s'",
		    (unsigned long long)c->line, c->nf, rd->field);
		enqueue(rd, x->src, x->rows, K_TEXT, NULL, 0, msg);
		return 0;
	}
	tl = c->f[x->textcol].len;
	if ((t = malloc(tl + 1)) == NULL)
		abort();
	memcpy(t, c->f[x->textcol].s, tl + 1);
	for (i = 0; i < rd->nmeta; i++)
		if (x->metacol[i] >= 0 && (size_t)x->metacol[i] < c->nf) {
			if (meta == NULL)
				meta = json_object();
			json_object_set_new(meta, rd->meta[i], rec_string(
			    c->f[x->metacol[i]].s, c->f[x->metacol[i]].len, NULL));
		}
	if (meta != NULL) {	/* the row travels as one JSON object */
		json_object_set_new(meta, rd->field, rec_string(t, tl, NULL));
		free(t);
		t = json_dumps(meta, JSON_COMPACT);
		json_decref(meta);
		enqueue(rd, x->src, x->rows, K_JSONL, t, strlen(t), NULL);
	} else
		enqueue(rd, x->src, x->rows, x->raw ? K_RAW : K_TEXT, t, tl,
		    NULL);
	return 0;
}

/* The walker hashed the whole item as it was read: that is its sha256. */
static void
finish_src(struct rd *rd, struct input_item *it, uint32_t src)
{
	struct hash_hex hh;

	if (input_finish(it, &hh) == 0)
		store_src_sha(rd->st, src, hh.hex[HASH_SHA256]);
}

static void
read_csv(struct rd *rd, struct input_item *it, uint32_t src)
{
	struct csv *c;
	struct csvctx x;
	char	*chunk;
	ssize_t	 r;
	size_t	 hl;
	const unsigned char *h = input_head(it, &hl);

	memset(&x, 0, sizeof(x));
	x.rd = rd;
	x.src = src;
	x.raw = u8_detect(h, hl) == U8_GB18030;
	if ((x.metacol = calloc(rd->nmeta + 1, sizeof(long))) == NULL ||
	    (chunk = malloc(CHUNK)) == NULL ||
	    (c = csv_new(2 * (size_t)CD_MAXLETTER, 0, csv_rec, &x)) == NULL)
		abort();
	while ((r = input_read(it, chunk, CHUNK)) > 0)
		if (csv_feed(c, chunk, (size_t)r) != 0)
			break;
	if (r == 0 && !x.stop)
		csv_end(c);
	if (x.stop || !x.header_done)
		rec_error_in(rd->ro, it->path, it->member, "no column '%s' in "
		    "the CSV header (see --field)", rd->field);
	csv_free(c);
	free(chunk);
	free(x.metacol);
}

static void
read_jsonl(struct rd *rd, struct input_item *it, uint32_t src)
{
	struct buf line = { 0 };
	char	*chunk, *p, *nl, *end;
	ssize_t	 r;
	uint32_t row = 0;

	if ((chunk = malloc(CHUNK)) == NULL)
		abort();
	for (;;) {
		r = input_read(it, chunk, CHUNK);
		p = chunk;
		end = chunk + (r > 0 ? r : 0);
		while (p < end) {
			if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL) {
				if (line.len < 2 * CD_MAXLETTER)
					buf_add(&line, p, (size_t)(end - p));
				break;
			}
			buf_add(&line, p, (size_t)(nl - p));
			p = nl + 1;
			row++;
			if (line.len > 0 && line.s[0] != '\r') {
				enqueue(rd, src, row, K_JSONL, line.s, line.len, NULL);
				memset(&line, 0, sizeof(line));
			} else
				line.len = 0;
		}
		if (r <= 0)
			break;
	}
	if (line.len > 0)
		enqueue(rd, src, ++row, K_JSONL, line.s, line.len, NULL);
	else
		buf_free(&line);
	free(chunk);
}

static bool
has_ext(const char *path, const char *ext)
{
	size_t	 n = strlen(path), e = strlen(ext);

	return n > e && strcasecmp(path + n - e, ext) == 0;
}

/* Binary content: NUL bytes outside UTF-16 text, or a non-text MIME type. */
static bool
binary(const char *mime, const unsigned char *h, size_t n)
{
	enum u8_enc e = u8_detect(h, n);

	if (e == U8_UTF16LE || e == U8_UTF16BE)
		return false;
	if (memchr(h, '\0', n) != NULL)
		return true;
	return strncmp(mime, "text/", 5) != 0 &&
	    strcmp(mime, "application/octet-stream") && strcmp(mime,
	    "application/csv") && strcmp(mime, "message/rfc822");
}

/* Duplicate paths: a letter named twice is read once (open addressing). */
static bool
seen_before(struct rd *rd, const char *path, const char *member)
{
	char	 real[PATH_MAX];
	uint64_t h, *old;
	size_t	 i, k, oc;

	/* ./a.txt and a.txt are one file: compare resolved paths */
	if (member == NULL && realpath(path, real) != NULL)
		path = real;
	h = cd_hash64(path, strlen(path), 3) | 1;

	if (member)
		h ^= cd_hash64(member, strlen(member), 4) & ~(uint64_t)1;
	if ((rd->nseen + 1) * 2 >= rd->seencap) {
		old = rd->seen;
		oc = rd->seencap;
		rd->seencap = oc ? oc * 2 : 1024;
		if ((rd->seen = calloc(rd->seencap, sizeof(*rd->seen))) == NULL)
			abort();
		for (i = 0; i < oc; i++) {
			if (!old[i])
				continue;
			for (k = old[i] & (rd->seencap - 1); rd->seen[k];
			    k = (k + 1) & (rd->seencap - 1))
				;
			rd->seen[k] = old[i];
		}
		free(old);
	}
	for (i = h & (rd->seencap - 1); rd->seen[i]; i = (i + 1) & (rd->seencap - 1))
		if (rd->seen[i] == h)
			return true;
	rd->seen[i] = h;
	rd->nseen++;
	return false;
}

int
rd_item(struct input_item *it, void *arg)
{
	struct rd *rd = arg;
	const unsigned char *h;
	unsigned char *data;
	size_t	 hl, len;
	uint32_t src;
	enum kind k = K_RAW;

	if (seen_before(rd, it->path, it->member)) {
		rec_error_in(rd->ro, it->path, it->member,
		    "named twice, read once");
		return 0;
	}
	h = input_head(it, &hl);
	src = store_src(rd->st, it->path, it->member);
	if (has_ext(it->member ? it->member : it->path, ".csv") ||
	    strcmp(it->mime, "text/csv") == 0 || strcmp(it->mime, "application/csv") == 0) {
		read_csv(rd, it, src);
		finish_src(rd, it, src);
		return 0;
	}
	if (has_ext(it->member ? it->member : it->path, ".jsonl") ||
	    has_ext(it->member ? it->member : it->path, ".ndjson")) {
		read_jsonl(rd, it, src);
		finish_src(rd, it, src);
		return 0;
	}
	if (strstr(it->mime, "wordprocessingml") != NULL ||
	    has_ext(it->member ? it->member : it->path, ".docx"))
		k = K_DOCX;
	else if (strcmp(it->mime, "message/rfc822") == 0 ||
	    has_ext(it->member ? it->member : it->path, ".eml"))
		k = K_EML;
	else if (hl > 0 && (binary(it->mime, h, hl) ||
	    strcmp(it->mime, "application/json") == 0 ||
	    has_ext(it->member ? it->member : it->path, ".json"))) {
		rec_error_in(rd->ro, it->path, it->member, "not a letter (%s)",
		    it->mime);
		return 0;
	}
	if (input_slurp(it, k == K_RAW ? CD_MAXLETTER * 2 : 64u << 20, &data,
	    &len) == -1)
		return 0;	/* the walker reports it */
	finish_src(rd, it, src);
	enqueue(rd, src, 0, k, (char *)data, len, NULL);
	return 0;
}
