/*
 * Evasion: the spellings that a ring uses to slip a word past moderation
 * (征 信, 征​信, ＺＸ, 徵信, 征征信信, zx修复, zhengxin, 蒸信) all come down to
 * one folded text or to a generated form of the term.  Text is folded
 * once per message (folding is one table look-up per character); terms
 * are folded the same way and expanded into their pinyin forms, so a
 * single literal search over the folded text finds every variant.  A hit
 * is then classified on the original bytes.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "grep.h"
#include "u8.h"

#define DROP_ZW		0xFFFFFFFFu	/* zero-width, format, combining */
#define DROP_SEP	0xFFFFFFFEu	/* spaces, punctuation, symbols */
#define GAP_MAX		3		/* separators allowed between two characters */
#define FORMS_MAX	64

static uint32_t *ftab;			/* BMP: folded code point or DROP_* */
static pthread_once_t ftab_once = PTHREAD_ONCE_INIT;

static const char *const variant_names[VAR_COUNT] = {
	"exact", "normalized", "repeated", "split", "traditional",
	"pinyin-initials", "pinyin", "homophone"
};
static const double variant_conf[VAR_COUNT] = {
	1.0, 0.95, 0.9, 0.9, 0.95, 0.6, 0.8, 0.4
};

const char *
ev_variant_name(enum variant v)
{
	return variant_names[v];
}

double
ev_confidence(enum variant v)
{
	return variant_conf[v];
}

void
buf_grow(struct buf *b, size_t extra)
{
	b->cap = (b->len + extra) * 2 + 64;
	if ((b->p = realloc(b->p, b->cap)) == NULL)
		abort();		/* out of memory: nothing sane left to do */
}

void
buf_free(struct buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

static uint32_t
t2s(uint32_t cp)
{
	size_t	 lo = 0, hi = tab_nt2s;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (tab_t2s[mid].from == cp)
			return tab_t2s[mid].to;
		if (tab_t2s[mid].from < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return cp;
}

static const struct tab_pinyin *
pinyin(uint32_t cp)
{
	size_t	 lo = 0, hi = tab_npinyin;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (tab_pinyin[mid].cp == cp)
			return &tab_pinyin[mid];
		if (tab_pinyin[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* NFKC, case fold, marks stripped, then traditional to simplified. */
static uint32_t
fold_cp(uint32_t cp)
{
	utf8proc_int32_t out[8];
	utf8proc_ssize_t n;
	utf8proc_category_t cat;

	if (utf8proc_codepoint_valid((utf8proc_int32_t)cp) == 0)
		return cp;
	cat = utf8proc_category((utf8proc_int32_t)cp);
	if (cat == UTF8PROC_CATEGORY_CF || cat == UTF8PROC_CATEGORY_MN ||
	    cat == UTF8PROC_CATEGORY_ME || utf8proc_get_property(
	    (utf8proc_int32_t)cp)->ignorable)
		return DROP_ZW;
	if ((cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_CC) ||
	    cp == '\n')
		return DROP_SEP;		/* P*, S*, Z*, Cc */
	n = utf8proc_decompose_char((utf8proc_int32_t)cp, out, 8, UTF8PROC_COMPAT |
	    UTF8PROC_DECOMPOSE |
	    UTF8PROC_CASEFOLD | UTF8PROC_IGNORE | UTF8PROC_STRIPMARK, NULL);
	if (n == 0)
		return DROP_ZW;
	if (n != 1)
		return t2s(cp);
	if (out[0] != (utf8proc_int32_t)cp) {
		cat = utf8proc_category(out[0]);
		if (cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_CC)
			return DROP_SEP;
	}
	return t2s((uint32_t)out[0]);
}

static void
ftab_build(void)
{
	uint32_t cp;

	if ((ftab = malloc(0x10000 * sizeof(*ftab))) == NULL)
		abort();
	for (cp = 0; cp < 0x10000; cp++)
		ftab[cp] = (cp >= 0xD800 && cp <= 0xDFFF) ? cp : fold_cp(cp);
}

void
ev_init(void)
{
	pthread_once(&ftab_once, ftab_build);
}

static inline uint32_t
fold_of(uint32_t cp)
{
	return cp < 0x10000 ? ftab[cp] : fold_cp(cp);
}

/* Decodes the valid UTF-8 character at s[*i] (the reader guarantees validity). */
static inline uint32_t
next_cp(const char *s, size_t len, size_t *i)
{
	const unsigned char *p = (const unsigned char *)s + *i;

	if (p[0] < 0x80) {
		*i += 1;
		return p[0];
	}
	if ((p[0] & 0xF0) == 0xE0 && *i + 3 <= len) {
		*i += 3;
		return (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 |
		    (p[2] & 0x3F);
	}
	return (uint32_t)u8_next(s, len, i);
}

/*
 * Chat text is mostly CJK, three bytes a character, and mostly folds to
 * itself: a run of those is decoded, looked up and copied here, with
 * restrict pointers so the table and the input stay in registers.
 */
static char *
fold_cjk(const unsigned char *restrict p, size_t len, size_t *ip,
    char *restrict o, uint32_t *prevp)
{
	const uint32_t *restrict tab = ftab;
	size_t	 i = *ip;
	uint32_t prev = *prevp, c0, c1, c2, cp, f;

	while (i + 3 <= len && (p[i] & 0xF0) == 0xE0) {
		c0 = p[i];
		c1 = p[i + 1];
		c2 = p[i + 2];
		cp = (c0 & 0x0F) << 12 | (c1 & 0x3F) << 6 | (c2 & 0x3F);
		f = tab[cp];
		i += 3;
		if (f >= DROP_SEP || (f == prev && f >= 0x80))
			continue;
		prev = f;
		if (f == cp) {
			o[0] = (char)c0;
			o[1] = (char)c1;
			o[2] = (char)c2;
			o += 3;
		} else if (f < 0x80)
			*o++ = (char)f;
		else if (f >= 0x800 && f < 0x10000) {
			o[0] = (char)(0xE0 | f >> 12);
			o[1] = (char)(0x80 | (f >> 6 & 0x3F));
			o[2] = (char)(0x80 | (f & 0x3F));
			o += 3;
		} else
			o += u8_put(o, (int32_t)f);
	}
	*ip = i;
	*prevp = prev;
	return o;
}

void
ev_fold(const char *s, size_t len, struct buf *out, struct buf *src)
{
	size_t	 i = 0, at, n, k;
	uint32_t cp, f, prev = 0, off;
	char	*o;

	/* A character grows at most from 2 to 4 bytes, so reserve once. */
	buf_reserve(out, 2 * len + 8);
	if (src != NULL)
		buf_reserve(src, (2 * len + 8) * sizeof(uint32_t));
	o = out->p + out->len;
	while (i < len) {
		if (src == NULL && i + 3 <= len &&
		    ((unsigned char)s[i] & 0xF0) == 0xE0) {
			o = fold_cjk((const unsigned char *)s, len, &i, o, &prev);
			continue;
		}
		at = i;
		cp = next_cp(s, len, &i);
		f = fold_of(cp);
		if (f >= DROP_SEP)
			continue;
		if (f == prev && f >= 0x80)
			continue;	/* 征征信信: repeats collapse, not yy or 1100 */
		prev = f;
		if (f < 0x80) {
			*o = (char)f;
			n = 1;
		} else if (f >= 0x800 && f < 0x10000) {
			o[0] = (char)(0xE0 | f >> 12);
			o[1] = (char)(0x80 | (f >> 6 & 0x3F));
			o[2] = (char)(0x80 | (f & 0x3F));
			n = 3;
		} else
			n = u8_put(o, (int32_t)f);
		o += n;
		if (src == NULL)
			continue;
		off = (uint32_t)at;
		for (k = 0; k < n; k++)
			memcpy(src->p + src->len + k * sizeof(off), &off, sizeof(off));
		src->len += n * sizeof(off);
	}
	out->len = (size_t)(o - out->p);
}

/* Three bytes per folded character: a syllable for a hanzi, else the code point. */
static void
sound_token(uint32_t cp, int reading, char *t)
{
	const struct tab_pinyin *py = pinyin(cp);

	if (py != NULL && py->syl[reading] != 0) {
		t[0] = 0x01;
		t[1] = (char)(py->syl[reading] >> 8);
		t[2] = (char)(py->syl[reading] & 0xFF);
	} else {
		t[0] = (char)(0x02 + (cp >> 16));
		t[1] = (char)(cp >> 8 & 0xFF);
		t[2] = (char)(cp & 0xFF);
	}
}

void
ev_sound(const char *f, size_t len, struct buf *out)
{
	size_t	 i = 0;
	uint32_t cp;

	buf_reserve(out, len + 4);
	while (i < len) {
		cp = (uint32_t)u8_next(f, len, &i);
		buf_reserve(out, 3);
		sound_token(cp, 0, out->p + out->len);
		out->len += 3;
	}
}

/* ---- generated forms of a term ---- */

struct unit {
	uint32_t	 cp;
	const struct tab_pinyin *py;
};

struct gen {
	struct unit	*u;
	size_t		 nu, nhanzi;

	int		 nforms;
	ev_form_fn	 fn;
	void		*arg;
	struct buf	 cur;
};

static size_t
term_units(const char *term, struct unit **up, struct buf *folded)
{
	size_t	 i = 0, n = 0;
	struct unit *u;

	folded->len = 0;
	ev_fold(term, strlen(term), folded, NULL);
	if ((u = calloc(folded->len + 1, sizeof(*u))) == NULL)
		abort();
	while (i < folded->len) {
		u[n].cp = (uint32_t)u8_next(folded->p, folded->len, &i);
		u[n].py = pinyin(u[n].cp);
		n++;
	}
	*up = u;
	return n;
}

static void
add_hanzi(struct buf *b, uint32_t cp)
{
	char	 t[4];

	buf_add(b, t, u8_put(t, (int32_t)cp));
}

/*
 * Modes per chunk: 0 hanzi, 1 full pinyin (reading r), 2 initial.
 * mask[k] holds the mode of chunk k; polyphones try each reading of
 * the chunk's first character only, which keeps the count bounded.
 */
static void
emit_form(struct gen *g, const int *mode, size_t nchunks, size_t csize)
{
	size_t	 c, i, letters = 0, nh = 0;
	bool	 anyp = false, anyi = false;
	const char *syl;

	g->cur.len = 0;
	for (c = 0; c < nchunks; c++)
		for (i = c * csize; i < (c + 1) * csize && i < g->nu; i++) {
			if (g->u[i].py == NULL || mode[c] == 0) {
				add_hanzi(&g->cur, g->u[i].cp);
				nh += g->u[i].py != NULL;
				continue;
			}
			syl = tab_syllables[g->u[i].py->syl[mode[c] >= 3 ?
			    mode[c] - 3 : 0] - 1];
			if (mode[c] == 2) {
				buf_add(&g->cur, syl, 1);
				letters++;
				anyi = true;
			} else {
				buf_add(&g->cur, syl, strlen(syl));
				letters += strlen(syl);
				anyp = true;
			}
		}
	if (!anyp && !anyi)
		return;				/* the plain form */
	/* All-Latin forms of short terms are too common to mean anything. */
	if (nh == 0 && (anyp ? letters < 5 : g->nhanzi < 3))
		return;
	if (g->nforms++ >= FORMS_MAX)
		return;
	g->fn(g->cur.p, g->cur.len, anyp ? FORM_PINYIN : FORM_INITIALS, g->arg);
}

/* Modes: 0 hanzi, 2 initials, 1/3/4 pinyin with reading 0/1/2 of the chunk's chars. */
static void
gen_chunks(struct gen *g, int *mode, size_t k, size_t nchunks, size_t csize)
{
	static const int modes[] = { 0, 1, 2, 4 };
	size_t	 m, i, nm = 4;
	bool	 poly;

	if (k == nchunks) {
		emit_form(g, mode, nchunks, csize);
		return;
	}
	for (m = 0; m < nm; m++) {
		if (modes[m] == 4) {	/* second reading: only if a char has one */
			poly = false;
			for (i = k * csize; i < (k + 1) * csize && i < g->nu; i++)
				poly |= g->u[i].py != NULL && g->u[i].py->syl[1] != 0;
			if (!poly)
				continue;
		}
		mode[k] = modes[m];
		gen_chunks(g, mode, k + 1, nchunks, csize);
	}
}

/*
 * Normal mode: the whole term in pinyin or in initials, and a head or a
 * tail of it switched to pinyin or initials (zx修复, fey逾期, 征信xiufu).
 * Coded words are mostly two words of two characters, so the switch is
 * after the first two or before the last two characters (and after the
 * first one in a three-character term): 6 to 10 forms a term, which keeps
 * a 10,000-term lexicon quick to compile.
 */
static void
gen_normal(struct gen *g, int *mode)
{
	size_t	 k, i, side, latin;

	for (latin = 1; latin <= 2; latin++) {
		if (latin == 2 && g->nu <= 2)
			continue;	/* initials of a two-character word: noise */
		for (i = 0; i < g->nu; i++)
			mode[i] = (int)latin;
		emit_form(g, mode, g->nu, 1);
		for (k = 1; k < g->nu; k++)
			for (side = 0; side < 2; side++) {
				if (k != 2 && k + 2 != g->nu)
					continue;
				for (i = 0; i < g->nu; i++)
					mode[i] = ((i < k) == (side == 0)) ? (int)latin : 0;
				emit_form(g, mode, g->nu, 1);
			}
	}
}

void
ev_forms(const char *term, enum evasion ev, ev_form_fn fn, void *arg)
{
	struct gen g;
	struct buf folded = { 0 };
	int	 mode[64];
	size_t	 i;
	bool	 latin;

	memset(&g, 0, sizeof(g));
	g.fn = fn;
	g.arg = arg;
	g.nu = term_units(term, &g.u, &folded);
	fn(folded.p, folded.len, FORM_PLAIN, arg);
	for (i = 0; i < g.nu; i++)
		g.nhanzi += g.u[i].py != NULL;
	/*
	 * Coded words are short and all in characters; a term already mixing
	 * scripts (qq号) or a long phrase gets pinyin forms only when
	 * aggressive, which keeps big lexicons quick to compile.
	 */
	latin = ev == EV_AGGRESSIVE || (ev == EV_NORMAL && g.nhanzi == g.nu &&
	    g.nu <= 6);
	if (latin && g.nhanzi > 0 && g.nu <= 32) {
		/* Aggressive adds every per-character mix, up to FORMS_MAX. */
		gen_normal(&g, mode);
		if (ev == EV_AGGRESSIVE && g.nu <= 8)
			gen_chunks(&g, mode, 0, g.nu, 1);
	}
	buf_free(&g.cur);
	buf_free(&folded);
	free(g.u);
}

void
ev_sound_forms(const char *term, ev_form_fn fn, void *arg)
{
	struct unit *u;
	struct buf folded = { 0 }, t = { 0 };
	size_t	 n, i, nh = 0;
	int	 combo, r;

	n = term_units(term, &u, &folded);
	for (i = 0; i < n; i++)
		nh += u[i].py != NULL;
	/*
	 * A single character sounds like too many others to be evidence.
	 * Combo 0 reads every character by its first reading, combo 1 gives
	 * the polyphones their second.
	 */
	for (combo = 0; nh >= 2 && combo < 2; combo++) {
		bool	 poly = false;

		t.len = 0;
		for (i = 0; i < n; i++) {
			buf_reserve(&t, 3);
			r = combo == 1 && u[i].py != NULL && u[i].py->syl[1] != 0;
			poly |= r;
			sound_token(u[i].cp, r, t.p + t.len);
			t.len += 3;
		}
		if (combo == 0 || poly)
			fn(t.p, t.len, FORM_HOMOPHONE, arg);
	}
	buf_free(&t);
	buf_free(&folded);
	free(u);
}

/* ---- classification of a hit on the original text ---- */

static bool
ascii_letter(uint32_t c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

/* The code point that ends just before offset at (valid UTF-8). */
static uint32_t
cp_before(const char *s, size_t at)
{
	size_t	 i = at;

	if (at == 0)
		return 0;
	while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80 && at - i < 3)
		i--;
	i--;
	return (uint32_t)u8_next(s, at, &i);
}

static int
ascii_class(uint32_t c)
{
	if (c >= '0' && c <= '9')
		return 1;
	if (ascii_letter(c))
		return 2;
	return 0;
}

/*
 * A term that begins or ends with a digit or a Latin letter does not
 * match inside a longer number or word: 12378 in a parcel number 7812378
 * 0045 is not the regulator's hotline.
 */
bool
ev_bounds_ok(const char *s, size_t len, size_t so, size_t eo)
{
	int	 c;

	if (so < eo && (c = ascii_class((unsigned char)s[so])) != 0 &&
	    ascii_class(cp_before(s, so)) == c)
		return false;
	if (so < eo && eo < len && (c = ascii_class(cp_before(s, eo))) != 0 &&
	    ascii_class((unsigned char)s[eo]) == c)
		return false;
	return true;
}

enum variant
ev_classify(const char *s, size_t len, size_t so, size_t eo,
    const struct term *t, enum form form)
{
	size_t	 i = so, tl = strlen(t->text);
	uint32_t cp, f, prev = 0;
	int	 gap = 0, maxgap = 0;
	bool	 zw = false, rep = false, trad = false, fold = false;

	if (!t->regex && !ev_bounds_ok(s, len, so, eo))
		return VAR_COUNT;
	if (form == FORM_HOMOPHONE)
		return VAR_HOMOPHONE;
	if (!t->regex && eo - so == tl && memcmp(s + so, t->text, tl) == 0)
		return VAR_EXACT;
	while (i < eo) {
		cp = (uint32_t)u8_next(s, len, &i);
		f = fold_of(cp);
		if (f == DROP_ZW) {
			zw = true;
			continue;
		}
		if (f == DROP_SEP) {
			gap++;
			continue;
		}
		if (gap > maxgap)
			maxgap = gap;
		gap = 0;
		if (f == prev && f >= 0x80)
			rep = true;
		prev = f;
		if (t2s(cp) != cp)
			trad = true;
		else if (f != cp)
			fold = true;
	}
	if (maxgap > GAP_MAX)
		return VAR_COUNT;
	if (form == FORM_PINYIN || form == FORM_INITIALS)
		return form == FORM_PINYIN ? VAR_PINYIN : VAR_PINYIN_INITIALS;
	if (trad)
		return VAR_TRADITIONAL;
	if (maxgap > 0)
		return VAR_SPLIT;
	if (rep)
		return VAR_REPEATED;
	if (zw || fold || !t->regex)
		return VAR_NORMALIZED;
	return VAR_EXACT;
}
