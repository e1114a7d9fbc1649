/*
 * complaint-dedupe: cluster near-duplicate complaint letters made from
 * templates.  The pipeline, one file per step:
 *   readers.c   letters from .txt/.docx/.eml files and CSV/JSONL rows
 *   normalize.c NFKC, width and punctuation folding, whitespace
 *   mask.c      filled slots (numbers, dates, IDs, names...) -> markers
 *   entities.c  validated phones, IDs, cards, QQ/WeChat, e-mail, URLs
 *   shingle.c   character n-grams of the masked text -> 64-bit hashes
 *   minhash.c   one-permutation MinHash, LSH band keys, (b, r) from -t
 *   store.c     the letters kept: compact in memory, text spilled to disk
 *   lsh.c       candidate pairs by sorted band keys
 *   verify.c    exact Jaccard/containment of candidate pairs
 *   cluster.c   union-find, deterministic ids and representatives
 *   template.c  the shared text with slots, and each member's fills
 *   report.c    human, JSON and CSV output
 *   index.c     --index: saved signatures for incremental runs
 *   mapreduce.c --map / --reduce / --merge for Hadoop Streaming or sort
 */
#ifndef CD_H
#define CD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "u8.h"

struct rec_out;

#define TOOL		"complaint-dedupe"
#define CD_NGRAM	5		/* characters per shingle */
#define CD_NPERM	128		/* MinHash values per letter */
#define CD_MAXBANDS	128
#define CD_MINSHINGLES	8		/* fewer: cluster only exact copies */
#define CD_MAXLETTER	(16u << 20)	/* bytes of one letter */
#define CD_NOTIME	INT64_MIN
#define CD_DEFAULT_T	0.5		/* see bench/complaint-dedupe-gen.py */

/* Slot types: masked text carries them as private-use code points. */
enum slot {
	SLOT_NUM, SLOT_DATE, SLOT_TIME, SLOT_AMOUNT, SLOT_PHONE, SLOT_ID,
	SLOT_CARD, SLOT_NAME, SLOT_QQ, SLOT_WECHAT, SLOT_EMAIL, SLOT_URL,
	SLOT_ORG, SLOT_REF, SLOT_NTYPES
};
#define SLOT_BASE	0xE000
#define SLOT_CP(t)	(SLOT_BASE + (int32_t)(t))
#define IS_SLOT_CP(c)	((c) >= SLOT_BASE && (c) < SLOT_BASE + SLOT_NTYPES)
const char	*slot_name(enum slot);

/* Entity types (validated values, for links between clusters). */
enum ent {
	ENT_PHONE, ENT_ID, ENT_CARD, ENT_QQ, ENT_WECHAT, ENT_EMAIL, ENT_URL,
	ENT_META, ENT_NTYPES
};
const char	*ent_name(enum ent);

/* A growable byte buffer. */
struct buf {
	char	*s;
	size_t	 len, cap;
};
void	 buf_add(struct buf *, const void *, size_t);
void	 buf_addc(struct buf *, char);

/* Appends a code point; the room check and encoding are inline. */
static inline void
buf_addcp(struct buf *b, int32_t cp)
{
	char	 tmp[4];

	if (b->len + 5 <= b->cap) {	/* the common case: room to spare */
		b->len += u8_put(b->s + b->len, cp);
		b->s[b->len] = '\0';
		return;
	}
	buf_add(b, tmp, u8_put(tmp, cp));
}

/* Decodes one code point of text already known to be valid UTF-8. */
static inline int32_t
cd_next(const char *s, size_t len, size_t *i)
{
	const unsigned char *p = (const unsigned char *)s + *i;
	size_t	 left = len - *i;

	if (p[0] < 0x80) {
		*i += 1;
		return p[0];
	}
	if (p[0] < 0xE0 && left >= 2) {
		*i += 2;
		return ((int32_t)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
	}
	if (p[0] < 0xF0 && left >= 3) {
		*i += 3;
		return ((int32_t)(p[0] & 0x0F) << 12) | ((int32_t)(p[1] & 0x3F) << 6) |
		    (p[2] & 0x3F);
	}
	if (left >= 4) {
		*i += 4;
		return ((int32_t)(p[0] & 0x07) << 18) | ((int32_t)(p[1] & 0x3F) << 12) |
		    ((int32_t)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
	}
	*i = len;
	return 0xFFFD;
}
void	 buf_free(struct buf *);

/* One letter once analysed (worker output). */
struct letter {
	char		*masked;	/* normalised text, slots as markers */
	size_t		 maskedlen;
	struct buf	 fills;		/* "type\x1fvalue\x1e" per slot, in order */
	struct buf	 ents;		/* "type\x1fvalue\x1e" per entity */
	uint32_t	*set;		/* sorted distinct shingle hashes */
	size_t		 nsh;		/* distinct shingles */
	uint32_t	 band[CD_MAXBANDS];
	uint16_t	 sig[CD_NPERM];	/* low bits of the MinHash values */
	uint64_t	 thash;		/* hash of the masked text */
	uint64_t	 nhash;		/* hash of the unmasked normalised text */
	unsigned char	 sha[32];	/* set by the reader, not cd_analyse */
	size_t		 size;		/* bytes of the letter as read */
};

/* Options that reach the analysis. */
struct cd_params {
	double		 t;		/* Jaccard threshold */
	double		 containment;	/* 0: off */
	int		 bands, rows;
	int		 ngram;
};

/* jsonl.c: the wanted members of a JSON Lines row, without jansson. */
struct jl_field {
	const char	*name;
	size_t		 off, len;	/* the value's JSON text in the row */
	bool		 found, isstr;
};
/* 1: a valid object, f[] filled; 0: invalid or unsure (ask jansson). */
int	 jl_scan(const char *row, size_t len, struct jl_field *f, size_t nf);
/* Decodes a string token (quotes included) that jl_scan accepted. */
char	*jl_string(const char *tok, size_t toklen, size_t *outlen);

/* normalize.c */
char	*cd_normalize(const char *utf8, size_t len, size_t *outlen);
char	*cd_normalize_valid(const char *utf8, size_t len, bool valid,
	    size_t *outlen);
bool	 cd_is_skip(int32_t cp);	/* not shingled: spaces, punctuation */

/* orgs.c: the data for institution names (see mask.c). */
extern const char *const org_suffix[], *const org_rcue[], *const org_lcue[],
	*const org_weak[], *const org_generic[], *const org_known[];
extern const char org_stop[], org_hard[];

/* mask.c: masks n and records fills and entities into l. */
void	 cd_mask(const char *norm, size_t len, struct letter *l);

/* entities.c */
bool	 ent_id_valid(const char *s, size_t len);
bool	 ent_luhn(const char *s, size_t len);
bool	 ent_mobile(const char *s, size_t len);
void	 ent_add(struct buf *, enum ent, const char *s, size_t len);

/* shingle.c */
uint64_t cd_hash64(const void *, size_t, uint64_t seed);
size_t	 cd_shingles(const char *masked, size_t len, int n, uint64_t **out);

/* minhash.c */
void	 cd_params_from_t(struct cd_params *);
void	 cd_minhash(const uint64_t *sh, size_t nsh, const struct cd_params *,
	    uint32_t *band, uint16_t *sig);
double	 cd_sig_estimate(const uint16_t *, const uint16_t *);
#define CD_SIG_MARGIN	0.1	/* estimates this far below -t are not checked */

/* verify.c */
struct sim {
	double	 jaccard, containment;
};
void	 cd_similarity(const uint32_t *a, size_t na, const uint32_t *b,
	    size_t nb, struct sim *);
bool	 cd_accept(const struct cd_params *, const struct sim *);

/* letter analysis (analyse.c) */
int	 cd_analyse(const char *utf8, size_t len, const struct cd_params *,
	    struct letter *);
/* The same for text known to be valid UTF-8 (not checked again). */
int	 cd_analyse_valid(const char *utf8, size_t len, const struct cd_params *,
	    struct letter *);
void	 cd_letter_free(struct letter *);

size_t	 cd_set(const uint64_t *, size_t, uint32_t **);

/* store.c: every letter read, compact in memory, its text spilled to a file. */
struct src {
	char		*path, *member;
	uint32_t	 rank;		/* place in (path, member) order */
	unsigned char	 sha[32];	/* SHA-256 of the whole file or member */
	bool		 hashed;
};
struct doc {
	uint64_t	 off;		/* spill record */
	uint32_t	 len;
	uint32_t	 src;
	uint32_t	 row;		/* 1-based record number, 0 = whole file */
	uint32_t	 nsh;
	uint64_t	 thash, nhash;
	int64_t		 time;
	uint64_t	 size;
	unsigned char	 sha[32];	/* whole file, or a row's letter text */
	int32_t		 oldcl;		/* cluster id from --index, or 0 */
};
struct entrec {
	uint64_t	 h;		/* hash of type and value */
	uint32_t	 doc;
	uint8_t		 type;
};
/* One letter's spilled fields, pointers into one malloc'd block. */
struct docdata {
	char		*block;
	const char	*masked, *fills, *ents, *meta;
	size_t		 maskedlen;
	const char	*set;		/* nset 32-bit hashes, unaligned */
	uint32_t	 nset;
};
struct store {
	struct doc	*d;
	size_t		 n, cap;
	struct src	*s;
	size_t		 ns, scap;
	uint32_t	*band;		/* n x bands */
	uint16_t	*sig;		/* n x CD_NPERM */
	int		 bands;
	struct entrec	*e;
	size_t		 ne, ecap;
	FILE		*spill;
	uint64_t	 spilled;
	uint32_t	*rank;		/* doc -> canonical order */
	uint32_t	*byrank;	/* canonical order -> doc */
};
int	 store_init(struct store *, int bands);
uint32_t store_src(struct store *, const char *path, const char *member);
/* Sets a source's SHA-256 from 64 hex digits; -1 if they are not. */
int	 store_src_sha(struct store *, uint32_t src, const char *hex);
/*
 * The SHA-256 of the file or member a letter came from (forgekit-records(5)
 * "sha256"); for a CSV/JSONL row, the row's own (its letter text) is
 * st->d[doc].sha, written "row_sha256".
 */
const unsigned char *store_file_sha(const struct store *, uint32_t doc);
void	 cd_hex32(const unsigned char *sha, char out[65]);
/* Adds a letter; meta is JSON text or NULL.  Returns the doc index. */
uint32_t store_add(struct store *, uint32_t src, uint32_t row,
	    const struct letter *, const char *meta, int64_t time);
int	 store_get(const struct store *, uint32_t doc, struct docdata *);
void	 store_put(struct docdata *);
/* Shingle set of a stored letter (malloc'd, sorted, distinct). */
size_t	 store_shingles(const struct store *, uint32_t doc, uint32_t **);
/* The same into *buf (grown as needed, *cap entries); -1 on a read error. */
long	 store_set_read(const struct store *, uint32_t doc, uint32_t **buf,
	    size_t *cap);
void	 store_rank(struct store *);
int	 store_cmp(const struct store *, uint32_t a, uint32_t b);
void	 store_free(struct store *);

/* cluster.c */
struct cluster {
	uint32_t	 id;
	uint32_t	 rep;
	uint32_t	*m;		/* members, canonical order */
	size_t		 n;
	double		*jac, *cont;	/* to the representative */
	size_t		 fresh;		/* --index: members new in this run */
	bool		 grown;		/* --index: holds indexed letters */
};
struct clusters {
	struct cluster	*c;
	size_t		 n;		/* clusters of 2+ */
	uint32_t	*of;		/* doc -> cluster id (0: alone) */
	size_t		 clustered;	/* letters in clusters */
};
struct uf;
struct uf *uf_new(size_t);
/* Stable LSD radix sort by key (cnt: 65536 counters, tmp: m entries). */
struct keyed {
	uint64_t	 key;
	uint32_t	 rank;
};
void	 cd_keyed_sort(struct keyed *, size_t m, struct keyed *tmp, size_t *cnt);
uint32_t uf_find(struct uf *, uint32_t);
bool	 uf_union(struct uf *, uint32_t, uint32_t);
void	 uf_free(struct uf *);
/* Exact copies: identical normalised text, or identical masked text. */
void	 cd_union_exact(struct store *, struct uf *);
void	 cd_lsh(struct store *, const struct cd_params *, struct uf *, int jobs,
	    unsigned long *candidates, unsigned long *verified);
void	 cd_clusters(struct store *, int jobs, struct uf *, struct clusters *);
void	 cd_clusters_free(struct clusters *);

/* template.c */
struct tmpl {
	char		*text;		/* representative's masked text, slots as {{type}} */
					/* (constant slots written out, dropped below) */
	size_t		 nslots;
	enum slot	*type;
	char		***fill;	/* [member][slot] or NULL */
};
/* dd: each member's spilled data, read by the caller (block NULL: unread). */
void	 cd_template(const struct store *, const struct cluster *,
	    const struct docdata *dd, struct tmpl *);
void	 cd_template_free(struct tmpl *, size_t nmembers);

/* report.c */
struct report_opts {
	bool		 json, csv, color, incremental;
	int		 jobs;
	int		 verbose;
	const char	*watchlist;
};
struct links;
struct links *links_build(const struct store *, const struct clusters *);
void	 links_free(struct links *);
json_t	*links_entities(const struct links *, uint32_t id, json_t **links);
int	 watch_load(const char *path, struct rec_out *);
bool	 watch_hit(const char *type, const char *value);
void	 report(struct rec_out *, const struct store *, const struct clusters *,
	    const struct report_opts *, const struct cd_params *);

/* main.c / run.c */
#include "cli.h"
enum mode { MODE_RUN, MODE_MAP, MODE_REDUCE, MODE_MERGE };
struct opts {
	struct cli_common c;
	struct cd_params params;
	bool		 csv, field_given;
	const char	*field, *meta, *timecol, *index, *watchlist;
	enum mode	 mode;
	int		 nmodes;
	char		**paths;
	int		 npaths;
};
struct rd;
void	 opts_init(struct opts *);
int	 run(const struct opts *, int argc, char **argv);
int	 read_all(struct rd *, const struct opts *);

/* index.c */
int	 index_load(const char *path, struct store *, const struct cd_params *,
	    struct rec_out *);
int	 index_save(const char *path, const struct store *,
	    const struct clusters *, const struct cd_params *, struct rec_out *);
void	 index_ids(const struct store *, struct clusters *);

/* mapreduce.c */
int	 mr_map(const struct opts *, struct rd *, int argc, char **argv);
int	 mr_reduce(const struct opts *, const struct cd_params *);
void	 mr_merge_read(const struct opts *, struct store *, struct rec_out *);
void	 mr_merge_edges(struct store *, struct uf *);

#endif
