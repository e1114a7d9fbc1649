/*
 * Output: grep-like lines for a person, `hit` records for the pipeline,
 * counts (-c), file names (-l) and the per-sender, per-day summary
 * (--stats).  Messages arrive in order; a window of them is kept for
 * -B/-A context and for the near= rules, which look both ways, so a
 * message is decided only when its lookahead has been seen.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grep.h"
#include "rec.h"

struct rmsg {
	struct chat_msg	 m;
	char		*own;		/* the copied strings, one allocation */
	struct hit	*hits;
	size_t		 nhits;
};

struct out {
	const struct opts *o;
	const struct lexicon *lx;
	struct rec_out	*ro;
	bool		 color;
	int		 look;		/* messages of lookahead (after, near) */
	int		 back;		/* messages kept behind */
	unsigned long	 hits, messages, matched, inputs;
	unsigned long	*by_term;
	json_t		*by_cat, *by_sender, *st_sender, *st_day, *files;
};

struct item_state {
	struct out	*out;
	char		*path, *member, *format, *error;
	struct rmsg	*ring;
	size_t		 cap;
	uint64_t	 seen, decided;	/* messages pushed, messages decided */
	int64_t		 printed;	/* last message printed (human), -1 */
	int		 after_left;
	unsigned long	 hits;
	struct pending	*pending;	/* hit records, sha256 known at the end */
};

static json_t *
jobj(void)
{
	json_t	*j = json_object();

	if (j == NULL)
		abort();
	return j;
}

struct out *
out_new(const struct opts *o, const struct lexicon *lx, struct rec_out *ro)
{
	struct out *out = calloc(1, sizeof(*out));
	const char *nc = getenv("NO_COLOR");
	size_t	 i;

	if (out == NULL || (out->by_term = calloc(lx->nterms + 1,
	    sizeof(*out->by_term))) == NULL)
		abort();
	out->o = o;
	out->lx = lx;
	out->ro = ro;
	if (o->color == NULL || strcmp(o->color, "auto") == 0)
		out->color = isatty(STDOUT_FILENO) && (nc == NULL || *nc == '\0');
	else
		out->color = strcmp(o->color, "always") == 0;
	out->look = o->after;
	out->back = o->before;
	for (i = 0; i < lx->nterms; i++)
		if (lx->terms[i].near >= 0) {
			if (lx->terms[i].near > out->look)
				out->look = lx->terms[i].near;
			if (lx->terms[i].near > out->back)
				out->back = lx->terms[i].near;
		}
	out->by_cat = jobj();
	out->by_sender = jobj();
	out->st_sender = jobj();
	out->st_day = jobj();
	out->files = json_array();
	return out;
}

struct item_state *
out_item_begin(struct out *out, const char *path, const char *member)
{
	struct item_state *is = calloc(1, sizeof(*is));

	if (is == NULL)
		abort();
	is->out = out;
	is->path = strdup(path);
	is->member = member ? strdup(member) : NULL;
	is->cap = (size_t)out->back + (size_t)out->look + 1;
	if ((is->ring = calloc(is->cap, sizeof(*is->ring))) == NULL)
		abort();
	is->printed = -1;
	is->pending = pend_new();
	out->inputs++;
	return is;
}

void
out_item_format(struct item_state *is, const char *format)
{
	if (is->format == NULL)
		is->format = strdup(format);
}

void
out_item_error(struct item_state *is, const char *msg)
{
	free(is->error);
	is->error = strdup(msg);
}

/* ---- the window ---- */

static char *
copy_str(char **at, const char *s, size_t n)
{
	char	*d = *at;

	if (s == NULL)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	*at += n + 1;
	return d;
}

static void
rmsg_set(struct rmsg *r, const struct chat_msg *m, const struct hit *h,
    size_t nh)
{
	size_t	 lt = m->time ? strlen(m->time) : 0;
	size_t	 ls = m->sender ? strlen(m->sender) : 0;
	size_t	 li = m->sender_id ? strlen(m->sender_id) : 0;
	char	*p;

	free(r->own);
	free(r->hits);
	if ((p = r->own = malloc(lt + ls + li + m->text_len + 4)) == NULL)
		abort();
	r->m = *m;
	r->m.time = copy_str(&p, m->time, lt);
	r->m.sender = copy_str(&p, m->sender, ls);
	r->m.sender_id = copy_str(&p, m->sender_id, li);
	r->m.text = copy_str(&p, m->text, m->text_len);
	r->nhits = nh;
	r->hits = NULL;
	if (nh > 0) {
		if ((r->hits = malloc(nh * sizeof(*h))) == NULL)
			abort();
		memcpy(r->hits, h, nh * sizeof(*h));
	}
}

static struct rmsg *
at(struct item_state *is, uint64_t k)
{
	return &is->ring[k % is->cap];
}

/* Is there a near-word of term t within its window around message j? */
static bool
near_ok(struct item_state *is, uint64_t j, uint32_t t)
{
	const struct term *tm = &is->out->lx->terms[t];
	uint64_t lo = j > (uint64_t)tm->near ? j - (uint64_t)tm->near : 0;
	uint64_t hi = j + (uint64_t)tm->near, k;
	size_t	 h;

	if (is->seen > is->cap && lo < is->seen - is->cap)
		lo = is->seen - is->cap;
	for (k = lo; k <= hi && k < is->seen; k++)
		for (h = 0; h < at(is, k)->nhits; h++)
			if (at(is, k)->hits[h].aux && at(is, k)->hits[h].term == t)
				return true;
	return false;
}

/* ---- human lines ---- */

static void
put_text(const struct out *out, const struct chat_msg *m, const struct hit *h,
    size_t nh)
{
	size_t	 i, k = 0, end = 0;

	for (i = 0; i < m->text_len; i++) {
		while (k < nh && (h[k].aux || h[k].eo <= i))
			k++;
		if (out->color && end == 0 && k < nh && h[k].so <= i && i < h[k].eo) {
			fputs("\033[01;31m", stdout);
			end = h[k].eo;
		}
		if (m->text[i] == '\n')
			fputs("\xE2\x86\xB5", stdout);	/* ↵ keeps one message one line */
		else if (m->text[i] != '\r')
			putchar(m->text[i]);
		if (end != 0 && i + 1 == end) {
			fputs("\033[m", stdout);
			end = 0;
		}
	}
	if (end != 0)
		fputs("\033[m", stdout);
}

static void
put_line(struct item_state *is, const struct chat_msg *m, const struct hit *h,
    size_t nh, char sep)
{
	const struct out *out = is->out;
	size_t	 i, shown = 0;

	if (out->color)
		printf("\033[35m%s%s%s\033[m%c%llu", is->path, is->member ? ":" : "",
		    is->member ? is->member : "", sep, (unsigned long long)m->index);
	else
		printf("%s%s%s%c%llu", is->path, is->member ? ":" : "",
		    is->member ? is->member : "", sep, (unsigned long long)m->index);
	if (m->time)
		printf(" %s", m->time);
	if (m->sender)
		printf(" %s", m->sender);
	printf("%c ", sep);
	put_text(out, m, h, nh);
	for (i = 0; i < nh; i++)
		if (!h[i].aux)
			printf("%s%s/%s/%s", shown++ ? " " : "\t[",
			    out->lx->terms[h[i].term].text,
			    out->lx->terms[h[i].term].category,
			    ev_variant_name((enum variant)h[i].variant));
	if (shown > 0)
		putchar(']');
	putchar('\n');
}

/* ---- records ---- */

static json_t *
msg_json(const struct chat_msg *m)
{
	json_t	*j = jobj();

	json_object_set_new(j, "index", json_integer((json_int_t)m->index));
	if (m->line)
		json_object_set_new(j, "line", json_integer((json_int_t)m->line));
	rec_set_str(j, "time", m->time);
	rec_set_str(j, "sender", m->sender);
	rec_set_str(j, "sender_id", m->sender_id);
	rec_set_text(j, "text", m->text, m->text_len);
	return j;
}

static json_t *
context_json(struct item_state *is, uint64_t j)
{
	const struct opts *o = is->out->o;
	json_t	*c = json_array(), *mj;
	uint64_t k, lo = j > (uint64_t)o->before ? j - (uint64_t)o->before : 0;

	if (is->seen > is->cap && lo < is->seen - is->cap)
		lo = is->seen - is->cap;
	for (k = lo; k <= j + (uint64_t)o->after && k < is->seen; k++) {
		if (k == j)
			continue;
		mj = msg_json(&at(is, k)->m);
		json_object_set_new(mj, "offset", json_integer((json_int_t)k - (json_int_t)j));
		json_array_append_new(c, mj);
	}
	return c;
}

static json_t *
hit_json(struct item_state *is, uint64_t j, const struct hit *h)
{
	const struct term *t = &is->out->lx->terms[h->term];
	const struct chat_msg *m = &at(is, j)->m;
	json_t	*r = rec_new("hit"), *tj = jobj();

	rec_set_input(r, is->path, is->member);
	rec_set_str(r, "format", is->format);
	json_object_set_new(r, "message", msg_json(m));
	json_object_set_new(tj, "id", json_integer(t->id));
	rec_set_str(tj, "text", t->text);
	rec_set_str(tj, "category", t->category);
	if (t->risk)
		rec_set_str(tj, "risk", t->risk);
	if (t->note)
		rec_set_str(tj, "note", t->note);
	if (t->regex)
		json_object_set_new(tj, "regex", json_true());
	json_object_set_new(r, "term", tj);
	rec_set_str(r, "variant", ev_variant_name((enum variant)h->variant));
	json_object_set_new(r, "confidence",
	    json_real(ev_confidence((enum variant)h->variant)));
	json_object_set_new(r, "span", json_pack("[II]", (json_int_t)h->so,
	    (json_int_t)h->eo));
	rec_set_text(r, "match", m->text + h->so, h->eo - h->so);
	if (is->out->o->after || is->out->o->before)
		json_object_set_new(r, "context", context_json(is, j));
	return r;
}

static void
bump(json_t *obj, const char *key)
{
	json_t	*v = json_object_get(obj, key);

	json_object_set_new(obj, key, json_integer(v ? json_integer_value(v) + 1 : 1));
}

static void
account(struct item_state *is, const struct chat_msg *m, const struct hit *h)
{
	struct out *out = is->out;
	char	 day[11];

	out->hits++;
	is->hits++;
	out->by_term[h->term]++;
	bump(out->by_cat, out->lx->terms[h->term].category);
	bump(out->by_sender, m->sender ? m->sender : "");
	if (out->o->stats) {
		bump(out->st_sender, m->sender ? m->sender : "");
		snprintf(day, sizeof(day), "%.10s", m->time ? m->time : "unknown");
		bump(out->st_day, day);
	}
}

/*
 * The longest match wins: 停息 inside 停息挂账 is the same evidence, not a
 * second hit (equal spans: the term listed first).
 */
static void
drop_contained(struct hit *h, size_t n)
{
	size_t	 i, k;

	for (i = 0; i < n; i++)
		for (k = 0; k < n && !h[i].aux; k++) {
			if (k == i || h[k].aux == 1 || h[k].so > h[i].so ||
			    h[k].eo < h[i].eo)
				continue;
			if (h[k].eo - h[k].so > h[i].eo - h[i].so ||
			    h[k].term < h[i].term)
				h[i].aux = 2;	/* hidden, still not a hit */
		}
}

/* -c, -l and --stats replace the hit lines with their summaries. */
static bool
quiet_hits(const struct opts *o)
{
	return o->count || o->files || o->stats || o->c.json;
}

/* --sender, --since, --until choose the messages whose hits count. */
static bool
wanted(const struct opts *o, const struct chat_msg *m)
{
	if (o->sender != NULL && (m->sender == NULL ||
	    strstr(m->sender, o->sender) == NULL) && (m->sender_id == NULL ||
	    strstr(m->sender_id, o->sender) == NULL))
		return false;
	if (o->since != NULL && (m->time == NULL ||
	    strncmp(m->time, o->since, strlen(o->since)) < 0))
		return false;
	if (o->until != NULL && (m->time == NULL ||
	    strncmp(m->time, o->until, strlen(o->until)) > 0))
		return false;
	return true;
}

/* Decides message j: its confirmed hits, or context, or nothing. */
static void
decide(struct item_state *is, uint64_t j)
{
	struct out *out = is->out;
	const struct opts *o = out->o;
	struct rmsg *r = at(is, j);
	struct hit *h = r->hits;
	size_t	 i, n = 0;
	uint64_t k;

	for (i = 0; i < r->nhits && !wanted(o, &r->m); i++)
		h[i].aux = 1;
	for (i = 0; i < r->nhits; i++) {
		const struct term *t = &out->lx->terms[h[i].term];

		if (h[i].aux || (t->near >= 0 && !near_ok(is, j, h[i].term)))
			h[i].aux = 1;		/* context words are never hits */
	}
	drop_contained(h, r->nhits);
	for (i = 0; i < r->nhits; i++)
		n += h[i].aux == 0;
	if (n == 0) {
		if (is->after_left > 0 && !quiet_hits(o)) {
			put_line(is, &r->m, NULL, 0, '-');
			is->printed = (int64_t)j;
			is->after_left--;
		}
		return;
	}
	out->matched++;
	for (i = 0; i < r->nhits; i++)
		if (!h[i].aux) {
			account(is, &r->m, &h[i]);
			if (o->c.json && !o->count && !o->files && !o->stats)
				pend_add(is->pending, hit_json(is, j, &h[i]));
		}
	if (quiet_hits(o))
		return;
	k = j > (uint64_t)o->before ? j - (uint64_t)o->before : 0;
	if ((int64_t)k <= is->printed)
		k = (uint64_t)(is->printed + 1);
	if ((o->before || o->after) && is->printed >= 0 && (int64_t)k > is->printed + 1)
		puts("--");
	for (; k < j; k++)
		put_line(is, &at(is, k)->m, NULL, 0, '-');
	put_line(is, &r->m, h, r->nhits, ':');
	is->printed = (int64_t)j;
	is->after_left = o->after;
}

void
out_message(struct item_state *is, const struct chat_msg *m,
    const struct hit *h, size_t nh)
{
	struct out *out = is->out;

	out->messages++;
	if (is->cap == 1 && nh == 0 && is->after_left == 0) {
		is->seen++;		/* nothing to show or keep: the fast path */
		is->decided = is->seen;
		return;
	}
	rmsg_set(at(is, is->seen), m, h, nh);
	is->seen++;
	while (is->decided + (uint64_t)out->look < is->seen)
		decide(is, is->decided++);
}

bool
out_sparse(const struct out *out)
{
	return out->back == 0 && out->look == 0;
}

size_t
out_skip(struct item_state *is, size_t n)
{
	if (is->cap != 1 || is->after_left != 0)
		return 0;
	is->out->messages += n;
	is->seen += n;
	is->decided = is->seen;
	return n;
}

void
out_item_end(struct item_state *is, const char *sha256, uint64_t size)
{
	struct out *out = is->out;
	size_t	 i;

	while (is->decided < is->seen)
		decide(is, is->decided++);
	pend_flush(is->pending, out->ro, sha256, size);
	if (is->error != NULL)
		rec_error_in(out->ro, is->path, is->member, "%s", is->error);
	if (is->hits > 0) {
		json_array_append_new(out->files, json_pack("{s:s,s:s?,s:I}",
		    "path", is->path, "member", is->member, "hits", (json_int_t)is->hits));
		if (out->o->files && !out->o->c.json)
			printf("%s%s%s\n", is->path, is->member ? ":" : "",
			    is->member ? is->member : "");
	}
	for (i = 0; i < is->cap; i++) {
		free(is->ring[i].own);
		free(is->ring[i].hits);
	}
	free(is->ring);
	free(is->path);
	free(is->member);
	free(is->format);
	free(is->error);
	free(is);
}

/* ---- the end of the run ---- */

static void
print_table(const char *what, json_t *obj)
{
	const char *k;
	json_t	*v;

	json_object_foreach(obj, k, v)
		printf("%s\t%s\t%lld\n", what, k, (long long)json_integer_value(v));
}

static json_t *
term_counts(const struct out *out, bool print)
{
	json_t	*a = json_array();
	size_t	 i;

	for (i = 0; i < out->lx->nterms; i++) {
		const struct term *t = &out->lx->terms[i];

		if (out->by_term[i] == 0)
			continue;
		if (print)
			printf("term\t%s\t%s\t%lu\n", t->text, t->category, out->by_term[i]);
		json_array_append_new(a, json_pack("{s:i,s:s,s:s,s:I}", "id", t->id,
		    "text", t->text, "category", t->category, "count",
		    (json_int_t)out->by_term[i]));
	}
	return a;
}

unsigned long
out_finish(struct out *out, json_t **summary)
{
	const struct opts *o = out->o;
	bool	 human = !o->c.json;
	json_t	*s = jobj();

	json_object_set_new(s, "inputs", json_integer((json_int_t)out->inputs));
	json_object_set_new(s, "messages", json_integer((json_int_t)out->messages));
	json_object_set_new(s, "matched_messages", json_integer((json_int_t)out->matched));
	json_object_set_new(s, "hits", json_integer((json_int_t)out->hits));
	if (o->count) {
		json_t *c = jobj();

		json_object_set_new(c, "term", term_counts(out, human));
		if (human) {
			print_table("category", out->by_cat);
			print_table("sender", out->by_sender);
		}
		json_object_set_new(c, "category", json_incref(out->by_cat));
		json_object_set_new(c, "sender", json_incref(out->by_sender));
		json_object_set_new(s, "counts", c);
	}
	if (o->files)
		json_object_set_new(s, "files", json_incref(out->files));
	if (o->stats) {
		if (human) {
			print_table("stats-sender", out->st_sender);
			print_table("stats-day", out->st_day);
		}
		json_object_set_new(s, "stats", json_pack("{s:O,s:O}", "sender",
		    out->st_sender, "day", out->st_day));
	}
	*summary = s;
	return out->hits;
}

void
out_free(struct out *out)
{
	json_decref(out->by_cat);
	json_decref(out->by_sender);
	json_decref(out->st_sender);
	json_decref(out->st_day);
	json_decref(out->files);
	free(out->by_term);
	free(out);
}
