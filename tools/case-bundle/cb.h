/*
 * case-bundle: sealed, verifiable evidence bundles (BagIt 1.0, RFC 8493,
 * serialized as one deterministic pax tar).  One header for the tool.
 */
#ifndef CB_H
#define CB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <sys/types.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "cli.h"
#include "hash.h"
#include "rec.h"

#define TOOL		"case-bundle"
#define CB_PROFILE	"urn:x-forgekit:bagit-profile:case-bundle:1.0"
#define CB_CUSTODY	"case/custody-log.jsonl"
#define CB_SIGNED	"tagmanifest-sha256.txt"
#define CB_SIG		"tagmanifest-sha256.txt.sig"
#define CB_TSQ		"tagmanifest-sha256.txt.tsq"
#define CB_TSR		"tagmanifest-sha256.txt.tsr"
#define CB_PUBKEY	"case/signer.pub"
#define CB_TAGMAX	(64u << 20)	/* a tag file is read into memory up to this */
#define CB_MAXMEMBERS	1000000u

/* ---- fields.c: the case fields, bag-info labels and their legal source */
enum cb_field {
	F_CASE_ID, F_CAUSE, F_NOTICE, F_UNIT, F_HANDLER, F_WITNESS,
	F_SOURCE, F_ORIGINALS, F_METHOD, F_PLACE, F_DESCRIPTION, F_NFIELDS
};
struct cb_fieldinfo {
	const char	*opt;		/* long option */
	const char	*label;		/* bag-info.txt label */
	const char	*zh;		/* the name in the 笔录 */
	const char	*law;		/* where the rules ask for it */
};
extern const struct cb_fieldinfo cb_fields[F_NFIELDS];
struct cb_fieldvals {
	char		*v[F_NFIELDS];
};
int		 fields_set(struct cb_fieldvals *, enum cb_field, const char *);
int		 fields_load(struct cb_fieldvals *, const char *path);
int		 fields_parse(struct cb_fieldvals *, const char *buf, size_t len,
		    char *err, size_t errlen);
void		 fields_free(struct cb_fieldvals *);

/* ---- the case being sealed */
struct cb_item {
	char		*name;		/* path in the bag, "data/..." */
	char		*orig;		/* the name as given, when renamed */
	char		*src;		/* file to read, or NULL (buf) */
	unsigned char	*buf;		/* in-memory content */
	uint64_t	 size;
	dev_t		 dev;
	ino_t		 ino;
	char		 mime[128];
	char		*category;	/* 类别 */
	char		*remark;	/* 备注 */
	bool		 want[HASH_NALGS];	/* hashes the file must have */
	char		 wanthex[HASH_NALGS][HASH_HEXMAX];
	char		*wantwhy;	/* who said so, for the diagnostic */
	char		 hex[HASH_NALGS][HASH_HEXMAX];
};

struct cb_list {
	struct cb_item	*v;
	size_t		 n, cap;
};

struct cb_case {
	struct cb_fieldvals f;
	struct cb_list	 pay;		/* data/... */
	struct cb_list	 tag;		/* everything else */
	json_t		*runs;		/* tool headers from the findings */
	char		*logtext;	/* custody log carried over (stage) */
	size_t		 loglen;
	char		*bagname;
	time_t		 epoch;		/* Bagging-Date, mtimes, seal time */
	bool		 fixed_epoch;
	const char	*actor;
	const char	*sign_key;
	const char	*tsr;
	const char	*out;
	int		 compress;	/* 0, 'z' gzip, 's' zstd */
	bool		 thumbs;
	unsigned char	*small;		/* seal: a small file, read whole */
	struct phash	*ph;		/* seal: payload and archive digests */
	struct rec_out	*ro;
	const struct cb_opts *o;
};

struct cb_opts {
	struct cli_common c;
	struct cb_fieldvals f;
	const char	*verb;
	const char	*out;
	const char	*name;
	const char	*sign_key;
	const char	*pubkey;
	const char	*tsr;
	const char	*tsa_ca;
	const char	*actor;
	const char	*format;	/* list: text, csv, json */
	char		**findings;
	int		 nfindings;
	char		**paths;
	char		*nulbuf;	/* -0: the path list read from stdin */
	char		**nulpaths;
	int		 npaths;
	int		 compress;
	bool		 thumbs;
	bool		 fields_given;
	long long	 epoch;		/* -1 unset */
	int		 argc;
	char		**argv;
};

/* ---- phash.c: one read, the digests on threads (SM3 on its own) */
#define PHASH_MAXALGS	6
#define PHASH_SLOT	(1u << 20)
/* Streams: which bytes a slot holds (create: payload files, the archive). */
#define PH_PAY		1u
#define PH_ARC		2u
struct phash;
/* Every lane on PH_PAY. */
struct phash	*phash_new(const EVP_MD *const *mds, int n);
/* Lane i hashes stream streams[i]; hex indices count within a stream. */
struct phash	*phash_new2(const EVP_MD *const *mds, const unsigned *streams,
		    int n);
unsigned char	*phash_slot(struct phash *);
void		 phash_submit(struct phash *, size_t len);	/* PH_PAY */
void		 phash_submit_to(struct phash *, size_t len, unsigned streams);
/* Copies buf into slots of the given streams (never while a slot is held). */
void		 phash_put(struct phash *, const void *, size_t, unsigned streams);
/*
 * Ends the file: the hex of every digest is written to hex (which must
 * stay valid) once the workers get there; phash_sync() waits for that.
 */
void		 phash_close(struct phash *, char hex[][HASH_HEXMAX]);
void		 phash_close_to(struct phash *, unsigned streams,
		    char hex[][HASH_HEXMAX]);
void		 phash_sync(struct phash *);
/* phash_close() then phash_sync(). */
void		 phash_end(struct phash *, char hex[][HASH_HEXMAX]);
/*
 * Below PHASH_SMALL a file is hashed on the caller's thread (with its own
 * contexts, the workers need not be idle): waking them costs more.
 */
#define PHASH_SMALL	(256u * 1024)
void		 phash_inline(struct phash *, const void *, size_t,
		    char hex[][HASH_HEXMAX]);
void		 phash_free(struct phash *);
const EVP_MD	*cb_md(const char *bagit_name);
void		 cb_tohex(const unsigned char *, unsigned, char *);

/* ---- bag.c: names, tag files, parsers */
int		 bag_safe_name(const char *rel, char **out);
void		 bag_dedupe(struct cb_case *);
struct cb_item	*bag_add(struct cb_list *, const struct cb_item *);
struct cb_item	*bag_add_mem(struct cb_list *, const char *name, void *buf,
		    size_t len);
void		 bag_sort(struct cb_list *);
struct cb_item	*bag_find(struct cb_list *, const char *name);
void		 bag_list_free(struct cb_list *);
uint64_t	 bag_oxum_bytes(const struct cb_case *);
char		*bag_info_text(const struct cb_case *, size_t *);
char		*bag_manifest(const struct cb_list *, int alg, size_t *len);
const char	*bag_category(const char *mime, const char *name);
/* Parsed manifests, bag-info, bagit.txt (memory buffers: fuzzable). */
struct bag_mline {
	char		*hex;
	char		*path;		/* decoded, relative to the bag */
};
struct bag_manifest {
	char		*alg;
	struct bag_mline *l;
	size_t		 n;
};
int		 bag_parse_manifest(const char *buf, size_t len,
		    struct bag_manifest *, char *err, size_t errlen);
void		 bag_manifest_free(struct bag_manifest *);
/* fetch.txt: the files still to be fetched (RFC 8493 §2.2.3). */
struct bag_fline {
	char		*url;
	long long	 length;	/* -1: not given */
	char		*path;		/* decoded */
};
struct bag_fetch {
	struct bag_fline *l;
	size_t		 n;
};
int		 bag_parse_fetch(const char *buf, size_t len, struct bag_fetch *,
		    char *err, size_t errlen);
void		 bag_fetch_free(struct bag_fetch *);
int		 bag_parse_bagit(const char *buf, size_t len, char *ver,
		    size_t verlen, char *err, size_t errlen);
/* bag-info as a JSON object label -> array of values, in order. */
json_t		*bag_parse_info(const char *buf, size_t len, char *err,
		    size_t errlen);
bool		 bag_path_ok(const char *path);

/* ---- custody.c */
json_t		*custody_entry(const char *action, const char *actor,
		    time_t when, json_t *detail);
/* Appends entries (chained) to a log text; returns the new text. */
char		*custody_chain(const char *old, size_t oldlen, json_t *entries,
		    size_t *outlen, char head[HASH_HEXMAX]);
/* Checks the chain; returns entries count, -1 with err on a break. */
long		 custody_check(const char *buf, size_t len, char head[HASH_HEXMAX],
		    char *err, size_t errlen);
char		*custody_uco(const struct cb_case *, const char *log, size_t len,
		    size_t *outlen);
const char	*cb_actor(const char *given);
const char	*cb_host(void);
void		 cb_iso8601(time_t, char *, size_t);

/* ---- findings.c */
int		 findings_read(struct cb_case *, const char *path);
int		 findings_take(struct cb_case *);

/* ---- evlist.c */
char		*evlist_csv(const struct cb_case *, size_t *);
char		*evlist_json(const struct cb_case *, size_t *);
char		*evlist_html(const struct cb_case *, size_t *);

/* ---- thumb.c: a small JPEG of a JPEG or PNG (memory in, memory out) */
#define THUMB_W		240u
#define THUMB_H		720u
#define THUMB_MAXPIX	(100u * 1000 * 1000)	/* refused before decoding */
unsigned char	*thumb_make(const unsigned char *, size_t, size_t *outlen,
		    char *err, size_t errlen);

/* ---- sign.c */
int		 sign_keygen(const char *base, const char *comment);
int		 sign_make(const char *seckey, const void *msg, size_t len,
		    char **sig, size_t *siglen, char **pub, size_t *publen);
/* 1 valid, 0 invalid, -1 trouble (message in err). */
int		 sign_check(const char *sigtxt, size_t siglen, const char *pubtxt,
		    size_t publen, const void *msg, size_t len, char *err,
		    size_t errlen);
int		 sign_tsq(const void *msg, size_t len, unsigned char **der,
		    size_t *derlen);
int		 sign_tsr_check(const unsigned char *tsr, size_t tsrlen,
		    const void *msg, size_t len, const char *cafile, char *info,
		    size_t infolen);

/* ---- tar.c: the deterministic writer */
struct tarw;
/* The archive's bytes go to ph's PH_ARC lanes (SHA-256, SM3). */
struct tarw	*tarw_open(const char *out, int compress, time_t mtime,
		    struct phash *ph);
int		 tarw_dir(struct tarw *, const char *path);
int		 tarw_mem(struct tarw *, const char *path, const void *, size_t);
int		 tarw_begin(struct tarw *, const char *path, uint64_t size);
int		 tarw_data(struct tarw *, const void *, size_t);
/*
 * Data in a slot of ph held by the caller: written straight from it when
 * it can be.  Returns the streams the caller must submit the slot to
 * besides PH_PAY (PH_ARC when the archive's bytes are that very slot, 0 when
 * they were copied), or -1.  tarw_flush() first, before taking the slot.
 */
int		 tarw_data_slot(struct tarw *, const void *, size_t);
int		 tarw_flush(struct tarw *);
/* Finishes the archive, fsyncs and renames it into place. */
int		 tarw_commit(struct tarw *, char hex[2][HASH_HEXMAX],
		    uint64_t *size);
void		 tarw_abort(struct tarw *);
const char	*tarw_error(const struct tarw *);
int		 cb_write_file(const char *path, const void *, size_t);

/* ---- create.c, stage.c, verify.c, list.c: the verbs */
int		 cb_seal(struct cb_case *);
void		 cb_sort_runs(struct cb_case *);
bool		 cb_stdin_findings(const struct cb_opts *);
void		 cb_nul_paths(struct cb_opts *, const char *usage);
void		 cb_nul_free(struct cb_opts *);
int		 cb_gather_root(struct cb_case *, const char *dir);
struct stat;
struct cb_item	*cb_add_file(struct cb_case *, const char *path, const char *rel,
		    const struct stat *);
const char	*cb_base_name(const char *);
int		 cb_gather(struct cb_case *, char **paths, int npaths);
void		 cb_case_init(struct cb_case *, const struct cb_opts *,
		    struct rec_out *);
void		 cb_case_free(struct cb_case *);
int		 cmd_create(const struct cb_opts *);
int		 cmd_init(const struct cb_opts *);
int		 cmd_add(const struct cb_opts *);
int		 cmd_seal(const struct cb_opts *);
int		 cmd_verify(const struct cb_opts *);
int		 cmd_list(const struct cb_opts *);
int		 cmd_report(const struct cb_opts *);
int		 cmd_keygen(const struct cb_opts *);

/* ---- verify.c, checks.c: the verification steps */
enum vstep {
	S_ARCHIVE, S_STRUCTURE, S_COMPLETE, S_PAYLOAD, S_TAGS, S_CUSTODY,
	S_SIGNATURE, S_TIMESTAMP, S_PROFILE, S_NSTEPS
};
enum vres { R_PASS = 0, R_WARN, R_SKIP, R_FAIL };
#define VS_NALG	9
struct vfile {
	char		*name;		/* relative to the bag's top directory */
	uint64_t	 size;
	bool		 payload;
	bool		 listed;	/* seen in the manifest being checked */
	unsigned char	*buf;		/* tag files, NUL-terminated */
	char		*hex[VS_NALG];	/* by vs_alg_index() */
};
struct vpend {			/* a file whose digests are still running */
	size_t		 idx;		/* in vstate.f (which may move) */
	bool		 ok;		/* read whole */
	char		(*hex)[HASH_HEXMAX];
};
struct vstate {
	const struct cb_opts *o;
	struct rec_out	*ro;
	struct vfile	*f;
	size_t		 n, cap;
	json_t		*index;		/* name -> position in f */
	json_t		*info;		/* bag-info labels */
	char		*top;
	bool		 is_dir, have_data, raw_checked;
	uint64_t	 members, bytes;
	struct phash	*ph;
	struct vpend	*pend;
	size_t		 npend, cappend;
	struct progress	*pg;
	int		 alg[PHASH_MAXALGS], nalg;
	unsigned	 done_algs;
	size_t		 unfetched;	/* listed in fetch.txt, not here */
	enum vres	 res[S_NSTEPS];
	json_t		*prob[S_NSTEPS];
	char		 note[S_NSTEPS][256];
};
struct vfile	*vs_get(struct vstate *, const char *name);
void		 vs_problem(struct vstate *, enum vstep, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
void		 vs_warn(struct vstate *, enum vstep, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
int		 vs_alg_index(const char *);
const char	*vs_alg_name(int);
void		 vs_free(struct vstate *);
void		 vfy_steps(struct vstate *);
void		 vfy_report(struct vstate *, const char *path, int status);

void		*cb_xmalloc(size_t);
char		*cb_xstrdup(const char *);

#endif
