/*
 * The scan pipeline.  The walker thread reads an item in chunks and
 * decodes it to UTF-8 (feed.c).  Layouts whose messages can be told
 * apart without reading from the start (chat_cut: QQ and MemoTrace txt,
 * the usual big exports) are cut at message starts into pieces of about
 * a megabyte, and each piece is parsed and matched on a worker (-j).
 * Other layouts are parsed on the walker thread, their messages copied
 * into batches of about a megabyte that are matched on the workers.
 * Pieces and batches come back in order and are numbered then, so the
 * output is the same for any -j, and memory stays bounded by a few
 * pieces plus the largest message.
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
#define PIECE_BYTES	(1024 * 1024)	/* a piece is cut past this much text */
/*
 * Past this much text without a place to cut (a message near the
 * readers' 16 MiB limit), the rest of the item is read in one piece on
 * the walker thread, as a layout that cannot be cut is.
 */
#define PIECE_MAX	((size_t)24 << 20)
#define DETECT_BYTES	(64 * 1024)	/* what chat_detect is given (RD_DETECT_LEN) */

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
/*
 * Lazy: the time and sender are read again from the header line, which
 * lies in the piece at offset sender, sender_id bytes long.  When only
 * messages with hits are shown (no context, no near= rule), a piece
 * keeps just that, and only the few messages with hits are read twice.
 */
#define TIME_LAZY	(SIZE_MAX - 2)

struct scan;

/* An item's numbering, carried on by the done callbacks in order. */
struct itemctx {
	uint64_t	 next_index;	/* index of the next message */
	uint64_t	 lines;		/* lines in the pieces done so far */
	bool		 failed;	/* a piece could not be read: drop the rest */
};

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
	struct itemctx	*ic;
	int		 rc;
	/* A piece to parse (cut): its text and how many lines it has. */
	bool		 cut, parsed, finish, lazy;
	struct chat_reader *rd;		/* the piece's reader, while parsing */
	struct buf	 chunk;
	uint64_t	 nlines;
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
	enum chat_format fmt;		/* the item's layout, FMT_AUTO until known */
	struct itemctx	*ic;
	struct buf	 spill;		/* a piece handed over to the walker's reader */
	struct buf	 lazy;		/* meta_again's strings */
	bool		 lazy_ok;	/* only messages with hits are shown */
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
	b->ic = sc->ic;
	b->fmt = sc->rd ? chat_reader_format(sc->rd) : sc->fmt;
	return b;
}

static void
batch_free(struct batch *b)
{
	struct scan *sc = b->sc;

	if (sc != NULL && sc->nspare < SPARE_MAX && b->text.cap <= 4 * BATCH_BYTES &&
	    b->chunk.cap <= 4 * PIECE_BYTES) {
		b->text.len = b->off.len = b->meta.len = b->msgs.len = 0;
		b->n = 0;
		b->hits.n = 0;
		b->rc = 0;
		b->end = false;
		free(b->error);
		b->error = NULL;
		b->sha256[0] = '\0';
		b->size = 0;
		b->cut = b->parsed = b->finish = b->lazy = false;
		b->chunk.len = 0;
		b->nlines = 0;
		sc->spare[sc->nspare++] = b;
		return;
	}
	buf_free(&b->chunk);
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
 * The last string stored is compared by length first, then by bytes.
 */
static size_t
meta_str(struct batch *b, const char *s, struct lastmeta *last)
{
	size_t	 n;

	if (s == NULL)
		return SIZE_MAX;
	n = strlen(s);
	if (last->at != SIZE_MAX && n == last->len &&
	    memcmp(b->meta.p + last->at, s, n) == 0)
		return last->at;
	last->at = b->meta.len;
	last->len = n;
	buf_add(&b->meta, s, n + 1);
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

static int	batch_add(const struct chat_msg *, void *);

/*
 * Reads a piece with a reader of its own: the piece starts at a message,
 * so the open message ends with the piece (unless a read error cut the
 * item short, as the walker's reader would not end).  Its line numbers
 * start at lines; returns the reader's error or NULL.
 */
static char *
piece_read(struct batch *b, chat_msg_fn fn, uint64_t lines)
{
	struct chat_reader *r;
	char	 err[512] = "", *e = NULL;

	if ((r = chat_reader_new(b->fmt, fn, b)) == NULL)
		abort();
	chat_reader_set_line(r, lines);
	b->rd = r;
	if (chat_reader_feed(r, b->chunk.p ? b->chunk.p : "", b->chunk.len,
	    err, sizeof(err)) == -1 ||
	    (b->finish && chat_reader_end(r, err, sizeof(err)) < 0))
		e = strdup(err[0] ? err : "cannot read the export");
	b->nlines = chat_reader_lines(r);
	b->rd = NULL;
	chat_reader_free(r);
	return e;
}

/*
 * Parses a piece into its own batch.  The lines before it are known only
 * when the pieces before it are done: line numbers count from the
 * piece's start and batch_done adds them.
 */
static void
piece_parse(struct batch *b)
{
	b->parsed = true;
	b->error = piece_read(b, batch_add, 0);
}

static int
no_msg(const struct chat_msg *m, void *arg)
{
	(void)m;
	(void)arg;
	return 0;
}

static void
batch_work(void *arg)
{
	struct batch *b = arg;
	struct msgset ms;
	size_t	 end;

	if (b->cut && !b->parsed)
		piece_parse(b);
	if (b->n == 0)
		return;
	end = b->text.len;
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

/* A lazy message's time and sender, read again from its header line. */
static void
meta_again(struct batch *b, const struct bmsg *bm, struct chat_msg *msg)
{
	struct buf *t = &b->sc->lazy;
	struct chat_head ch;

	msg->time = msg->sender = msg->sender_id = NULL;
	if (!chat_head(b->fmt, b->chunk.p + bm->sender, bm->sender_id, &ch))
		return;		/* cannot happen: the reader took it as one */
	t->len = 0;
	buf_add(t, ch.time, sizeof(ch.time));
	buf_add(t, ch.sender, ch.slen);
	buf_add(t, "", 1);
	if (ch.sid != NULL) {
		buf_add(t, ch.sid, ch.sidlen);
		buf_add(t, "", 1);
	}
	msg->time = t->p;
	msg->sender = t->p + sizeof(ch.time);
	if (ch.sid != NULL)
		msg->sender_id = msg->sender + ch.slen + 1;
}

static void
batch_done(void *arg)
{
	struct batch *b = arg;
	const struct bmsg *bm = (const struct bmsg *)(void *)b->msgs.p;
	const size_t *off = (const size_t *)(void *)b->off.p;
	struct chat_msg msg;
	struct itemctx *ic = b->ic;
	size_t	 k, h = 0, h0;
	uint64_t line0 = b->cut ? ic->lines : 0;
	char	*e;

	if (ic->failed)		/* a piece before this one stopped the item */
		b->n = 0;
	if (b->n > 0)
		out_item_format(b->is, chat_format_name(b->fmt));
	for (k = 0; k < b->n; k++) {
		/* The messages up to the next hit, at once when nobody looks. */
		h0 = h < b->hits.n ? b->hits.v[h].msg : b->n;
		if (h0 > k && b->fmt != FMT_LINES && out_skip(b->is, h0 - k) > 0) {
			ic->next_index += h0 - k;
			k = h0 - 1;
			continue;
		}
		/* Pieces number from 0: the index is the position in the item. */
		msg.index = b->fmt == FMT_LINES ? bm[k].index : ic->next_index;
		ic->next_index++;
		msg.line = bm[k].line + line0;
		if (bm[k].time == TIME_LAZY)
			meta_again(b, &bm[k], &msg);
		else {
			msg.time = bm[k].time == TIME_INLINE ? bm[k].tslot :
			    meta_at(b, bm[k].time);
			msg.sender = meta_at(b, bm[k].sender);
			msg.sender_id = meta_at(b, bm[k].sender_id);
		}
		msg.text = b->text.p + off[k];
		msg.text_len = off[k + 1] - 1 - off[k];
		h0 = h;
		while (h < b->hits.n && b->hits.v[h].msg == k)
			h++;
		out_message(b->is, &msg, b->hits.v + h0, h - h0);
	}
	if (b->error != NULL && !ic->failed) {
		/* Read the piece again for the line numbers in the message. */
		if (b->cut && (e = piece_read(b, no_msg, line0)) != NULL) {
			free(b->error);
			b->error = e;
		}
		out_item_error(b->is, b->error);
		ic->failed = true;
	}
	if (b->cut)
		ic->lines += b->nlines;
	if (b->end) {
		out_item_end(b->is, b->sha256[0] ? b->sha256 : NULL, b->size);
		free(ic);
	}
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
		/* The workers could only wait: parse here meanwhile. */
		if (sc->cur->cut)
			piece_parse(sc->cur);
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

/* Adds a message to a batch (a chat_msg_fn for the pieces' readers). */
static int
batch_add(const struct chat_msg *m, void *arg)
{
	struct batch *b = arg;
	struct bmsg *bm;
	const char *head;
	size_t	 at, hl;

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
	if (b->lazy && (head = chat_reader_head(b->rd, &hl)) != NULL &&
	    head >= b->chunk.p && hl <= b->chunk.len &&
	    (size_t)(head - b->chunk.p) <= b->chunk.len - hl) {
		bm->time = TIME_LAZY;
		bm->sender = (size_t)(head - b->chunk.p);
		bm->sender_id = hl;
		b->n++;
		return 0;
	}
	meta_time(b, bm, m->time);
	bm->sender = meta_str(b, m->sender, &b->lsender);
	bm->sender_id = meta_str(b, m->sender_id, &b->lsid);
	b->n++;
	return 0;
}

/* The walker's reader: batches are submitted as they fill. */
static int
on_msg(const struct chat_msg *m, void *arg)
{
	struct scan *sc = arg;

	if (sc->cur == NULL) {
		sc->cur = batch_new(sc);
		buf_reserve(&sc->cur->text, BATCH_BYTES + 4096);
	}
	batch_add(m, sc->cur);
	if (sc->cur->text.len >= BATCH_BYTES || sc->cur->n >= BATCH_MSGS)
		submit(sc);
	return 0;
}

/* The item's layout, from the text the reader itself would detect it on. */
static void
choose_layout(struct scan *sc)
{
	const struct buf *t = &sc->cur->chunk;

	if (sc->o->format != NULL)
		sc->fmt = chat_format_parse(sc->o->format);
	else
		sc->fmt = chat_detect(t->p ? t->p : "",
		    t->len < DETECT_BYTES ? t->len : DETECT_BYTES);
	sc->cur->fmt = sc->fmt;
}

/*
 * The rest of the item goes to a reader on the walker thread, starting
 * with the text not yet cut: the current piece becomes its first batch.
 */
static int
to_reader(struct scan *sc, char *err, size_t errlen)
{
	struct batch *b = sc->cur;
	struct buf t = sc->spill;
	int	 rc = 0;

	sc->spill = b->chunk;	/* on_msg may submit b: keep the text apart */
	b->chunk = t;
	b->chunk.len = 0;
	b->cut = b->lazy = false;
	if ((sc->rd = chat_reader_new(sc->fmt, on_msg, sc)) == NULL)
		abort();
	scan_sync(sc);		/* the pieces before count the lines */
	chat_reader_set_line(sc->rd, sc->ic->lines);
	if (sc->spill.len > 0)
		rc = chat_reader_feed(sc->rd, sc->spill.p, sc->spill.len, err, errlen);
	sc->spill.len = 0;
	return rc;
}

/*
 * Submits the pending text as pieces while it is long enough, each cut
 * at the last message start; -1 when there has been no place to cut for
 * too long.
 */
static int
cut_pieces(struct scan *sc)
{
	struct batch *b = sc->cur, *nb;
	size_t	 k;

	while (b->chunk.len >= PIECE_BYTES) {
		if ((k = chat_cut(sc->fmt, b->chunk.p, b->chunk.len)) == 0)
			return b->chunk.len > PIECE_MAX ? -1 : 0;
		nb = batch_new(sc);
		nb->cut = true;
		nb->lazy = sc->lazy_ok;
		buf_add(&nb->chunk, b->chunk.p + k, b->chunk.len - k);
		b->chunk.len = k;
		b->finish = true;
		submit(sc);
		sc->cur = b = nb;
	}
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
	sc->fmt = FMT_AUTO;
	sc->cur = batch_new(sc);
	sc->cur->cut = true;
	sc->cur->lazy = sc->lazy_ok;
	f = feed_start(it, d);
	while (rc == 0 && !sc->ic->failed && (text = feed_next(f, &tl)) != NULL) {
		progress_add(sc->prog, 0, tl);
		if (sc->rd != NULL) {
			rc = chat_reader_feed(sc->rd, text, tl, err, sizeof(err));
			continue;
		}
		buf_add(&sc->cur->chunk, text, tl);
		if (sc->fmt == FMT_AUTO) {
			if (sc->cur->chunk.len < DETECT_BYTES)
				continue;
			choose_layout(sc);
			if (!chat_can_cut(sc->fmt)) {
				rc = to_reader(sc, err, sizeof(err));
				continue;
			}
		}
		if (cut_pieces(sc) == -1)
			rc = to_reader(sc, err, sizeof(err));
	}
	feed_stop(f);
	dec_free(d);
	if (sc->rd == NULL && sc->fmt == FMT_AUTO) {	/* a short item */
		choose_layout(sc);
		if (!chat_can_cut(sc->fmt))
			rc = to_reader(sc, err, sizeof(err));
	}
	if (sc->rd == NULL)		/* the last piece ends the item */
		sc->cur->finish = !it->failed;
	else if (rc == 0 && !it->failed)
		rc = chat_reader_end(sc->rd, err, sizeof(err)) < 0 ? -1 : 0;
	return rc == 0 ? NULL : strdup(err[0] ? err : "cannot read the export");
}

static int
on_item(struct input_item *it, void *arg)
{
	struct scan *sc = arg;
	struct hash_hex hh;
	char	*error;

	sc->is = out_item_begin(sc->out, it->path, it->member);
	if ((sc->ic = calloc(1, sizeof(*sc->ic))) == NULL)
		abort();
	error = feed_item(sc, it);
	if (sc->o->c.verbose)
		fprintf(stderr, "chatlog-grep: %s%s%s: read as %s\n", it->path,
		    it->member ? ":" : "", it->member ? it->member : "",
		    chat_format_name(sc->fmt));
	if (sc->cur == NULL)
		sc->cur = batch_new(sc);
	sc->cur->fmt = sc->fmt;
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
	sc->ic = NULL;
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
	sc.lazy_ok = out_sparse(out);
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
	buf_free(&sc.spill);
	buf_free(&sc.lazy);
	progress_end(sc.prog);
	return rc;
}
