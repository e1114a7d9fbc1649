/*
 * The scan pipeline.  The walker thread reads an item in chunks,
 * decodes it to UTF-8 and feeds the export reader; complete messages
 * are copied into a batch of about a megabyte, and each batch is
 * matched on a worker (-j) while the next is read.  Batches come back
 * in order, so the output is the same for any -j, and memory stays
 * bounded by a few batches plus the largest message.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grep.h"
#include "input.h"
#include "pool.h"
#include "progress.h"
#include "rec.h"

#define BATCH_BYTES	(1024 * 1024)
#define BATCH_MSGS	16384
#define TIME_SLOT	24	/* ISO 8601 times fit; longer go to meta */
#define SPARE_MAX	4	/* batches kept for reuse */
#define HOLD_MAX	8	/* batches read ahead while the lexicon compiles (~2 MB each) */

/*
 * A message's metadata.  The time is different for nearly every message,
 * so it sits in a fixed slot of its own; sender strings are offsets into
 * the batch's meta buffer, shared by consecutive messages of one sender.
 */
struct bmsg {
	uint64_t	 index, line;
	size_t		 sender, sender_id;	/* SIZE_MAX: none */
	size_t		 time;		/* SIZE_MAX: none, TIME_INLINE: in tslot */
	char		 tslot[TIME_SLOT];
};
#define TIME_INLINE	(SIZE_MAX - 1)

struct scan;

/* The last sender strings stored, to share them without strcmp. */
struct lastmeta {
	size_t		 at, len;	/* at == SIZE_MAX: none */
};

struct batch {
	struct scan	*sc;
	struct item_state *is;
	enum chat_format fmt;
	struct buf	 text;		/* texts joined by NUL */
	struct buf	 off;		/* size_t per message, plus the end */
	struct buf	 meta;
	struct buf	 msgs;		/* struct bmsg */
	size_t		 n;
	struct hits	 hits;
	struct lastmeta	 lsender, lsid;
	const struct matcher *m;
	int		 rc;
	/* the end of the item */
	bool		 end;
	char		*error;
	char		 sha256[65];
	uint64_t	 size;
};

struct scan {
	const struct opts *o;
	const struct matcher *m;
	struct rec_out	*ro;
	struct out	*out;
	struct pool	*pool;
	struct progress	*prog;
	struct chat_reader *rd;
	struct item_state *is;
	struct batch	*cur;
	struct batch	*spare[SPARE_MAX];	/* done batches, buffers kept */
	size_t		 nspare;
	struct batch	*held[HOLD_MAX];	/* in order, not yet submitted */
	size_t		 nheld;
	enum chat_format fmt;
};

/*
 * A batch, reusing a done one's buffers when there is one: batches are
 * made and done on the walker thread, so the spares need no lock.
 */
static struct batch *
batch_new(struct scan *sc)
{
	struct batch *b;

	if (sc->nspare > 0)
		b = sc->spare[--sc->nspare];
	else if ((b = calloc(1, sizeof(*b))) == NULL)
		abort();
	b->sc = sc;
	b->lsender.at = b->lsid.at = SIZE_MAX;
	b->is = sc->is;
	b->m = sc->m;
	b->fmt = sc->rd ? chat_reader_format(sc->rd) : FMT_AUTO;
	return b;
}

static void
batch_free(struct batch *b)
{
	struct scan *sc = b->sc;

	if (sc != NULL && sc->nspare < SPARE_MAX && b->text.cap <= 4 * BATCH_BYTES) {
		b->text.len = b->off.len = b->meta.len = b->msgs.len = 0;
		b->n = 0;
		b->hits.n = 0;
		b->rc = 0;
		b->end = false;
		free(b->error);
		b->error = NULL;
		b->sha256[0] = '\0';
		b->size = 0;
		sc->spare[sc->nspare++] = b;
		return;
	}
	buf_free(&b->text);
	buf_free(&b->off);
	buf_free(&b->meta);
	buf_free(&b->msgs);
	free(b->hits.v);
	free(b->error);
	free(b);
}

/*
 * A sender usually writes several messages in a row: keep one copy.
 * Names and ids are short and differ early, so one loop compares with
 * the last one stored and measures the length on the way.
 */
static size_t
meta_str(struct batch *b, const char *s, struct lastmeta *last)
{
	const char *p;
	size_t	 i = 0;

	if (s == NULL)
		return SIZE_MAX;
	if (last->at != SIZE_MAX) {
		p = b->meta.p + last->at;
		while (s[i] != '\0' && s[i] == p[i])
			i++;
		if (s[i] == '\0' && i == last->len)
			return last->at;
	}
	while (s[i] != '\0')
		i++;
	last->at = b->meta.len;
	last->len = i;
	buf_add(&b->meta, s, i + 1);
	return last->at;
}

/* The time in the message's own slot (or meta when it is unusually long). */
static void
meta_time(struct batch *b, struct bmsg *bm, const char *t)
{
	size_t	 len;

	if (t == NULL) {
		bm->time = SIZE_MAX;
		return;
	}
	len = strnlen(t, TIME_SLOT);
	if (len < TIME_SLOT) {
		memcpy(bm->tslot, t, len + 1);
		bm->time = TIME_INLINE;
		return;
	}
	len = strlen(t);
	bm->time = b->meta.len;
	buf_add(&b->meta, t, len + 1);
}

static void
batch_work(void *arg)
{
	struct batch *b = arg;
	struct msgset ms;
	size_t	 end = b->text.len;

	if (b->n == 0)
		return;
	buf_add(&b->off, &end, sizeof(end));
	ms.text = b->text.p;
	ms.len = b->text.len > 0 ? b->text.len - 1 : 0;
	ms.off = (const size_t *)(void *)b->off.p;
	ms.n = b->n;
	b->rc = match_scan(b->m, &ms, &b->hits);
}

static const char *
meta_at(const struct batch *b, size_t at)
{
	return at == SIZE_MAX ? NULL : b->meta.p + at;
}

static void
batch_done(void *arg)
{
	struct batch *b = arg;
	const struct bmsg *bm = (const struct bmsg *)(void *)b->msgs.p;
	const size_t *off = (const size_t *)(void *)b->off.p;
	struct chat_msg msg;
	size_t	 k, h = 0, h0;

	if (b->n > 0)
		out_item_format(b->is, chat_format_name(b->fmt));
	for (k = 0; k < b->n; k++) {
		msg.index = bm[k].index;
		msg.line = bm[k].line;
		msg.time = bm[k].time == TIME_INLINE ? bm[k].tslot :
		    meta_at(b, bm[k].time);
		msg.sender = meta_at(b, bm[k].sender);
		msg.sender_id = meta_at(b, bm[k].sender_id);
		msg.text = b->text.p + off[k];
		msg.text_len = off[k + 1] - 1 - off[k];
		h0 = h;
		while (h < b->hits.n && b->hits.v[h].msg == k)
			h++;
		out_message(b->is, &msg, b->hits.v + h0, h - h0);
	}
	if (b->error != NULL)
		out_item_error(b->is, b->error);
	if (b->end)
		out_item_end(b->is, b->sha256[0] ? b->sha256 : NULL, b->size);
	batch_free(b);
}

/* Submits the batches held back while the lexicon was compiling. */
static void
release(struct scan *sc)
{
	size_t	 i;

	for (i = 0; i < sc->nheld; i++)
		pool_submit(sc->pool, batch_work, batch_done, sc->held[i]);
	sc->nheld = 0;
}

/*
 * While a big lexicon compiles, reading and parsing go on: up to
 * HOLD_MAX batches wait here (the workers could only wait too), so
 * memory stays bounded.
 */
static void
submit(struct scan *sc)
{
	if (sc->nheld < HOLD_MAX && !match_ready(sc->m)) {
		sc->held[sc->nheld++] = sc->cur;
		sc->cur = NULL;
		return;
	}
	release(sc);
	pool_submit(sc->pool, batch_work, batch_done, sc->cur);
	sc->cur = NULL;
}

/* The walker's errors wait for the items before them, held ones too. */
static void
scan_sync(void *arg)
{
	struct scan *sc = arg;

	release(sc);
	pool_sync(sc->pool);
}

static int
on_msg(const struct chat_msg *m, void *arg)
{
	struct scan *sc = arg;
	struct batch *b;
	struct bmsg *bm;
	size_t	 at;

	if (sc->cur == NULL) {
		sc->cur = batch_new(sc);
		buf_reserve(&sc->cur->text, BATCH_BYTES + 4096);
	}
	b = sc->cur;
	at = b->text.len;
	buf_add(&b->off, &at, sizeof(at));
	buf_add(&b->text, m->text, m->text_len);
	buf_add(&b->text, "", 1);
	/* The record is filled in place: no copy of the time slot. */
	buf_reserve(&b->msgs, sizeof(*bm));
	bm = (struct bmsg *)(void *)(b->msgs.p + b->msgs.len);
	b->msgs.len += sizeof(*bm);
	bm->index = m->index;
	bm->line = m->line;
	meta_time(b, bm, m->time);
	bm->sender = meta_str(b, m->sender, &b->lsender);
	bm->sender_id = meta_str(b, m->sender_id, &b->lsid);
	b->n++;
	if (b->text.len >= BATCH_BYTES || b->n >= BATCH_MSGS)
		submit(sc);
	return 0;
}

/* Reads, decodes and parses the item; returns an error message or NULL. */
static char *
feed_item(struct scan *sc, struct input_item *it)
{
	char	 err[512] = "";
	const char *text;
	size_t	 tl;
	const unsigned char *head;
	size_t	 hl;
	struct decoder *d;
	struct feed *f;
	int	 rc = 0;

	head = input_head(it, &hl);
	if ((d = dec_new(head, hl)) == NULL)
		abort();
	if (sc->o->c.verbose)
		fprintf(stderr, "chatlog-grep: %s%s%s: %s\n", it->path,
		    it->member ? ":" : "", it->member ? it->member : "",
		    dec_encoding(d));
	f = feed_start(it, d);
	while (rc == 0 && (text = feed_next(f, &tl)) != NULL) {
		rc = chat_reader_feed(sc->rd, text, tl, err, sizeof(err));
		progress_add(sc->prog, 0, tl);
	}
	feed_stop(f);
	dec_free(d);
	if (rc == 0 && !it->failed)
		rc = chat_reader_end(sc->rd, err, sizeof(err)) < 0 ? -1 : 0;
	return rc == 0 ? NULL : strdup(err[0] ? err : "cannot read the export");
}

static int
on_item(struct input_item *it, void *arg)
{
	struct scan *sc = arg;
	struct hash_hex hh;
	enum chat_format f = FMT_AUTO;
	char	*error;

	if (sc->o->format != NULL)
		f = chat_format_parse(sc->o->format);
	sc->is = out_item_begin(sc->out, it->path, it->member);
	if ((sc->rd = chat_reader_new(f, on_msg, sc)) == NULL)
		abort();
	error = feed_item(sc, it);
	if (sc->o->c.verbose)
		fprintf(stderr, "chatlog-grep: %s%s%s: read as %s\n", it->path,
		    it->member ? ":" : "", it->member ? it->member : "",
		    chat_format_name(chat_reader_format(sc->rd)));
	if (sc->cur == NULL)
		sc->cur = batch_new(sc);
	sc->cur->fmt = chat_reader_format(sc->rd);
	sc->cur->end = true;
	sc->cur->error = error;
	if (!it->failed && input_finish(it, &hh) == 0) {
		memcpy(sc->cur->sha256, hh.hex[HASH_SHA256], 65);
		sc->cur->size = it->nread;
	}
	submit(sc);
	progress_add(sc->prog, 1, 0);
	chat_reader_free(sc->rd);
	sc->rd = NULL;
	return 0;
}

int
scan_run(const struct opts *o, const struct lexicon *lx,
    const struct matcher *m, struct rec_out *ro, struct out *out)
{
	struct scan sc;
	struct input_opts io;
	int	 rc;

	(void)lx;
	memset(&sc, 0, sizeof(sc));
	sc.o = o;
	sc.m = m;
	sc.ro = ro;
	sc.out = out;
	sc.pool = pool_new(o->c.jobs);
	sc.prog = progress_new(o->c.quiet);
	input_opts_default(&io);
	io.nul = o->c.nul;
	if (!o->c.json)
		io.hashes = 0;	/* no record names the input: skip SHA-256 */
	io.sync = scan_sync;	/* the walker's errors come out in input order */
	io.sync_arg = &sc;

	rc = input_walk(&io, o->paths, o->npaths, ro, on_item, &sc);
	release(&sc);
	pool_finish(sc.pool);
	while (sc.nspare > 0) {
		struct batch *b = sc.spare[--sc.nspare];

		b->sc = NULL;
		batch_free(b);
	}
	progress_end(sc.prog);
	return rc;
}
