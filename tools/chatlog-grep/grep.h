/*
 * chatlog-grep's own interfaces: the lexicon, the evasion folding, the
 * Vectorscan matcher, the scan pipeline and the output.  The export
 * readers are behind chat.h.
 */
#ifndef CHATLOG_GREP_H
#define CHATLOG_GREP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <jansson.h>

#include "chat.h"
#include "cli.h"

struct rec_out;

/* ---- generated tables (tables.c, gen-tables.py) ---- */
struct tab_pinyin {
	uint32_t	 cp;
	uint16_t	 syl[3];	/* index into tab_syllables + 1; 0 ends */
};
struct tab_pair {
	uint32_t	 from, to;
};
extern const char *const tab_syllables[];
extern const size_t tab_nsyllables;
extern const struct tab_pinyin tab_pinyin[];
extern const size_t tab_npinyin;
extern const struct tab_pair tab_t2s[];
extern const size_t tab_nt2s;

/* ---- lexicon.c ---- */
struct term {
	int		 id;		/* 1-based, in lexicon order */
	char		*text;		/* the term, or the regex without "re:" */
	char		*category;
	char		*risk;
	char		*note;
	bool		 regex;
	char		*where;		/* "file:line" for diagnostics */
	int		 near;		/* co-occurrence window in messages, -1 none */
	char		**near_words;
	size_t		 nnear;
};

struct lexicon {
	struct term	*terms;
	size_t		 nterms, cap;
};

/* Adds the terms of a TSV lexicon file; -1 after a diagnostic naming file:line. */
int		 lex_load(struct lexicon *, const char *path);
/* Parses a TSV lexicon held in memory (name is used in diagnostics). */
int		 lex_parse(struct lexicon *, const char *name, const char *buf,
		    size_t len, char *err, size_t errlen);
int		 lex_add_term(struct lexicon *, const char *text, const char *category);
const char	*lex_builtin_path(void);
void		 lex_free(struct lexicon *);

/* ---- evasion.c ---- */
enum evasion { EV_OFF, EV_NORMAL, EV_AGGRESSIVE };

enum variant {
	VAR_EXACT, VAR_NORMALIZED, VAR_REPEATED, VAR_SPLIT, VAR_TRADITIONAL,
	VAR_PINYIN_INITIALS, VAR_PINYIN, VAR_HOMOPHONE, VAR_COUNT
};

/* Which kind of generated form of a term a pattern is. */
enum form { FORM_PLAIN, FORM_PINYIN, FORM_INITIALS, FORM_HOMOPHONE, FORM_NEAR };

struct buf {
	char		*p;
	size_t		 len, cap;
};

void		 buf_grow(struct buf *, size_t extra);
void		 buf_free(struct buf *);

static inline void
buf_reserve(struct buf *b, size_t extra)
{
	if (b->cap - b->len < extra)
		buf_grow(b, extra);
}

/* Inline: the scan pipeline appends a few small pieces per message. */
static inline void
buf_add(struct buf *b, const void *p, size_t n)
{
	buf_reserve(b, n);
	if (n > 0)
		memcpy(b->p + b->len, p, n);
	b->len += n;
}

void		 ev_init(void);
const char	*ev_variant_name(enum variant);
double		 ev_confidence(enum variant);
/*
 * The folded form of a text: NFKC, case, width, traditional to
 * simplified, zero-width and format characters, separators and symbols
 * removed, runs of one character collapsed.  When src is not NULL it
 * receives, per output byte, the offset of the input character that
 * produced it (out->len + 1 entries, the last one the input length).
 */
void		 ev_fold(const char *s, size_t len, struct buf *out, struct buf *src);
/* The homophone stream of folded text: 3 bytes per character. */
void		 ev_sound(const char *folded, size_t len, struct buf *out);
/* Callback for each generated spelling of a term. */
typedef void	(*ev_form_fn)(const char *s, size_t len, enum form, void *arg);
void		 ev_forms(const char *term, enum evasion, ev_form_fn, void *arg);
/* The homophone token strings of a term (folded). */
void		 ev_sound_forms(const char *term, ev_form_fn, void *arg);
/* No digit or Latin letter continues the match on either side. */
bool		 ev_bounds_ok(const char *s, size_t len, size_t so, size_t eo);
/*
 * Decides how an original span matched a term and whether to accept it
 * (bounded separator gap, Latin word boundaries): VAR_COUNT rejects.
 */
enum variant	 ev_classify(const char *text, size_t len, size_t so, size_t eo,
		    const struct term *, enum form);

/* ---- match.c ---- */
struct hit {
	uint32_t	 msg;		/* index of the message in its batch */
	uint32_t	 term;		/* index into the lexicon */
	size_t		 so, eo;	/* byte span in the message text */
	uint8_t		 variant;	/* enum variant */
	uint8_t		 aux;		/* a near-word of term, not a hit */
};

struct matcher;
struct msgset {		/* messages laid out for one scan */
	const char	*text;		/* texts joined by NUL bytes */
	size_t		 len;
	const size_t	*off;		/* start of message i; off[n] = len + 1 */
	size_t		 n;
};
struct hits {
	struct hit	*v;
	size_t		 n, cap;
};

/* threads: how many may compile a big lexicon (-j). */
struct matcher	*match_new(const struct lexicon *, enum evasion, int threads,
		    char *err, size_t errlen);
/* Thread-safe: scratch space is per thread. */
int		 match_scan(const struct matcher *, const struct msgset *,
		    struct hits *);
void		 match_free(struct matcher *);
/* False while a big lexicon is still compiling (scans wait for it). */
bool		 match_ready(const struct matcher *);
size_t		 match_npatterns(const struct matcher *);

/* ---- decode.c: streaming decoding of an item to UTF-8 ---- */
struct decoder;
struct decoder	*dec_new(const void *head, size_t headlen);
const char	*dec_encoding(const struct decoder *);
/*
 * Converts a chunk (final at the end) and returns valid UTF-8: the input
 * itself when it already is, else out's bytes; *outlen is its length.
 */
const char	*dec_feed(struct decoder *, const char *in, size_t len, bool final,
		    struct buf *out, size_t *outlen, bool *lossy);
/* Moves out the bytes of a character cut by the last chunk (8 at most). */
size_t		 dec_take_carry(struct decoder *, char *dst);
void		 dec_free(struct decoder *);

/* ---- feed.c: reading and decoding ahead of the reader ---- */
struct input_item;
struct feed;
struct feed	*feed_start(struct input_item *, struct decoder *);
const char	*feed_next(struct feed *, size_t *len);
void		 feed_stop(struct feed *);
bool		 dec_fast_valid(const char *s, size_t len);

/* ---- output.c ---- */
struct opts {
	struct cli_common c;
	const char	*pattern;
	const char	*lexfile;
	const char	**lexadd;
	int		 nlexadd;
	const char	*format;
	const char	*sender;
	const char	*since, *until;	/* ISO 8601 prefixes compared as text */
	const char	*color;
	enum evasion	 evasion;
	int		 after, before;
	bool		 count, files, stats, fixed;
	char		**paths;
	int		 npaths;
};

struct item_state;
struct out;

struct out	*out_new(const struct opts *, const struct lexicon *,
		    struct rec_out *);
/* Messages of one item, in order; hits sorted by span. */
struct item_state *out_item_begin(struct out *, const char *path,
		    const char *member);
void		 out_item_format(struct item_state *, const char *format);
void		 out_item_error(struct item_state *, const char *msg);
void		 out_message(struct item_state *, const struct chat_msg *,
		    const struct hit *, size_t nhits);
/*
 * n messages without hits, when nothing needs to see them (no context,
 * no near= rule): returns n, or 0 if they must go through out_message.
 */
size_t		 out_skip(struct item_state *, size_t n);
/* Only messages with hits are looked at (out_skip takes all the others). */
bool		 out_sparse(const struct out *);
void		 out_item_end(struct item_state *, const char *sha256,
		    uint64_t size);
/* Totals, counts and stats; returns the number of hits reported. */
unsigned long	 out_finish(struct out *, json_t **summary);
void		 out_free(struct out *);

/* ---- pending.c: hit records waiting for the item's SHA-256 ---- */
struct pending;
struct pending	*pend_new(void);
void		 pend_add(struct pending *, json_t *rec);
/* Emits every record (with sha256 and size if sha256 is not NULL) and frees. */
void		 pend_flush(struct pending *, struct rec_out *, const char *sha256,
		    uint64_t size);
void		 pend_free(struct pending *);

/* ---- scan.c ---- */
int		 scan_run(const struct opts *, const struct lexicon *,
		    const struct matcher *, struct rec_out *, struct out *);

#endif
