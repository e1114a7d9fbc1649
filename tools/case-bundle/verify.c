/*
 * verify: checks a bundle (streamed through libarchive, never extracted)
 * or an unpacked bag directory, step by step, each step reported on its
 * own: archive, structure, completeness, payload hashes, tag manifests,
 * custody chain, signature, timestamp, profile.  Any BagIt bag can be
 * checked; the last steps apply to bags made under our profile.
 */
#include "config.h"

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <strings.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "cb.h"
#include "progress.h"

static const char *const known_algs[] = {
	"sha256", "sha512", "sm3", "md5", "sha1", "sha224", "sha384",
	"sha3-256", "sha3-512"
};
#define NKNOWN	(sizeof(known_algs) / sizeof(known_algs[0]))

/* ---- collected files */

static struct vfile *
vs_add(struct vstate *vs, const char *name, uint64_t size, bool dup_ok)
{
	json_t	*idx = json_object_get(vs->index, name);
	struct vfile *f;

	if (idx != NULL) {
		if (!dup_ok)
			vs_problem(vs, S_ARCHIVE, "member '%s' appears twice", name);
		return &vs->f[json_integer_value(idx)];
	}
	if (vs->n == vs->cap) {
		vs->cap = vs->cap ? 2 * vs->cap : 256;
		if ((vs->f = realloc(vs->f, vs->cap * sizeof(*vs->f))) == NULL)
			err(EXIT_TROUBLE, NULL);
	}
	f = &vs->f[vs->n];
	memset(f, 0, sizeof(*f));
	f->name = cb_xstrdup(name);
	f->size = size;
	f->payload = strncmp(name, "data/", 5) == 0;
	json_object_set_new_nocheck(vs->index, name, json_integer(vs->n));
	vs->n++;
	return f;
}

struct vfile *
vs_get(struct vstate *vs, const char *name)
{
	json_t	*idx = json_object_get(vs->index, name);

	return idx ? &vs->f[json_integer_value(idx)] : NULL;
}

/* Records a problem of step s and lowers its result to at most worst. */
static void __attribute__((format(printf, 4, 0)))
vs_note(struct vstate *vs, enum vstep s, enum vres worst, const char *fmt,
    va_list ap)
{
	char	*m;

	if (vasprintf(&m, fmt, ap) == -1)
		err(EXIT_TROUBLE, NULL);
	if (vs->prob[s] == NULL)
		vs->prob[s] = json_array();
	json_array_append_new(vs->prob[s], json_string(m));
	free(m);
	if (worst == R_FAIL || vs->res[s] == R_PASS)
		vs->res[s] = worst;
}

void
vs_problem(struct vstate *vs, enum vstep s, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vs_note(vs, s, R_FAIL, fmt, ap);
	va_end(ap);
}

void
vs_warn(struct vstate *vs, enum vstep s, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vs_note(vs, s, R_WARN, fmt, ap);
	va_end(ap);
}

/* ---- reading: one file's bytes into the digests, tag files kept */

static void
take_hashes(struct vstate *vs, struct vfile *f, char hex[][HASH_HEXMAX])
{
	int	 i;

	for (i = 0; i < vs->nalg; i++) {
		free(f->hex[vs->alg[i]]);
		f->hex[vs->alg[i]] = cb_xstrdup(hex[i]);
	}
}

/*
 * A streamed file's digests end on the hashing threads while the next
 * file is read; vs_settle() waits for them and takes the results.
 */
static void
pend_add(struct vstate *vs, struct vfile *f, bool ok)
{
	struct vpend *p;

	if (vs->npend == vs->cappend) {
		vs->cappend = vs->cappend ? 2 * vs->cappend : 64;
		if ((p = realloc(vs->pend, vs->cappend * sizeof(*p))) == NULL)
			err(EXIT_TROUBLE, NULL);
		vs->pend = p;
	}
	p = &vs->pend[vs->npend++];
	p->idx = (size_t)(f - vs->f);
	p->ok = ok;
	p->hex = cb_xmalloc(PHASH_MAXALGS * sizeof(*p->hex));
	phash_close(vs->ph, p->hex);
}

static void
vs_settle(struct vstate *vs)
{
	size_t	 i;

	if (vs->ph != NULL)
		phash_sync(vs->ph);
	for (i = 0; i < vs->npend; i++) {
		if (vs->pend[i].ok)
			take_hashes(vs, &vs->f[vs->pend[i].idx], vs->pend[i].hex);
		free(vs->pend[i].hex);
	}
	vs->npend = 0;
}

/* rd(arg, buf, n) reads like read(2). */
static int
consume(struct vstate *vs, struct vfile *f,
    ssize_t (*rd)(void *, void *, size_t), void *arg)
{
	char	 hex[PHASH_MAXALGS][HASH_HEXMAX];
	unsigned char *buf;
	uint64_t done = 0;
	ssize_t	 n;
	bool	 keep = !f->payload && f->size <= CB_TAGMAX;

	if (keep) {
		free(f->buf);
		f->buf = cb_xmalloc(f->size + 1);
		while (done < f->size && (n = rd(arg, f->buf + done,
		    f->size - done)) > 0)
			done += n;
		if (done != f->size)
			return -1;
		f->buf[done] = '\0';
		phash_inline(vs->ph, f->buf, f->size, hex);
		take_hashes(vs, f, hex);
		return 0;
	}
	for (;;) {
		buf = phash_slot(vs->ph);
		if ((n = rd(arg, buf, PHASH_SLOT)) <= 0)
			break;
		phash_submit(vs->ph, n);
		done += n;
		vs->bytes += n;
		progress_add(vs->pg, 0, (uint64_t)n);
	}
	pend_add(vs, f, n >= 0 && done == f->size);
	return n < 0 || done != f->size ? -1 : 0;
}

static ssize_t
rd_archive(void *arg, void *buf, size_t n)
{
	return archive_read_data(arg, buf, n);
}

static ssize_t
rd_fd(void *arg, void *buf, size_t n)
{
	return read(*(int *)arg, buf, n);
}

/* ---- archive mode */

/*
 * The archive's own bytes, hashed on another thread as libarchive reads
 * them, for the CASE.tar.sha256 written beside it: a byte changed
 * anywhere, even in tar padding no member covers, is then seen.
 */
struct rawsrc {
	int		 fd;
	struct phash	*ph;
};

static la_ssize_t
raw_read(struct archive *a, void *arg, const void **buf)
{
	struct rawsrc *rs = arg;
	unsigned char *b = phash_slot(rs->ph);
	ssize_t	 n = read(rs->fd, b, PHASH_SLOT);

	if (n < 0) {
		archive_set_error(a, errno, "%s", strerror(errno));
		return -1;
	}
	phash_submit(rs->ph, (size_t)n);
	*buf = b;
	return n;
}

static char errbuf[256];

static struct archive *
open_archive(const char *path, struct rawsrc *rs, const char **why)
{
	struct archive *a = archive_read_new();
	int	 r;

	archive_read_support_format_tar(a);
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_zstd(a);
	archive_read_support_filter_xz(a);
	archive_read_support_filter_bzip2(a);
	if (rs != NULL)
		r = archive_read_open(a, rs, NULL, raw_read, NULL);
	else
		r = archive_read_open_filename(a, path, 1 << 20);
	if (r != ARCHIVE_OK) {
		*why = archive_error_string(a) ? archive_error_string(a) : "?";
		snprintf(errbuf, sizeof(errbuf), "%s", *why);
		*why = errbuf;
		archive_read_free(a);
		return NULL;
	}
	return a;
}

/* Splits "top/rest": the bag lives in one top directory. */
static const char *
under_top(struct vstate *vs, const char *p)
{
	const char *s = strchr(p, '/');
	size_t	 tl = s ? (size_t)(s - p) : strlen(p);

	if (vs->top == NULL)
		vs->top = strndup(p, tl);
	if (strlen(vs->top) != tl || strncmp(vs->top, p, tl) != 0) {
		vs_problem(vs, S_ARCHIVE, "'%s' is outside the top directory '%s'",
		    p, vs->top);
		return NULL;
	}
	return s ? s + 1 : "";
}

static int
entry_ok(struct vstate *vs, struct archive_entry *e, const char *p)
{
	mode_t	 t = archive_entry_filetype(e);
	char	*q;
	size_t	 l;

	q = cb_xstrdup(p);
	l = strlen(q);
	while (l > 0 && q[l - 1] == '/')
		q[--l] = '\0';
	if (!bag_path_ok(q)) {
		vs_problem(vs, S_ARCHIVE, "unsafe member name '%s'", p);
		free(q);
		return -1;
	}
	free(q);
	if (t != AE_IFREG && t != AE_IFDIR) {
		vs_problem(vs, S_ARCHIVE, "'%s' is not a file or directory", p);
		return -1;
	}
	if (archive_entry_hardlink(e) != NULL) {
		vs_problem(vs, S_ARCHIVE, "'%s' is a hard link", p);
		return -1;
	}
	return 0;
}

/* The hex digest in a "HEX  NAME" sidecar, if there is one. */
static bool
sidecar_hash(const char *path, char *hex, size_t len)
{
	char	 p[4096], line[256];
	FILE	*fp;
	bool	 ok;

	snprintf(p, sizeof(p), "%s.sha256", path);
	if ((fp = fopen(p, "r")) == NULL)
		return false;
	ok = fgets(line, sizeof(line), fp) != NULL &&
	    sscanf(line, "%128[0-9a-fA-F]", hex) == 1 && strlen(hex) == 64;
	fclose(fp);
	(void)len;
	return ok;
}

static void
raw_check(struct vstate *vs, const char *path, struct rawsrc *rs,
    const char *want)
{
	char	 hex[1][HASH_HEXMAX];

	phash_end(rs->ph, hex);
	if (strcasecmp(hex[0], want) != 0)
		vs_problem(vs, S_ARCHIVE, "SHA-256 of the archive differs from "
		    "%s.sha256", cb_base_name(path));
	else
		vs->raw_checked = true;
}

static int
pass_archive(struct vstate *vs, const char *path, bool first)
{
	struct rawsrc rs = { -1, NULL };
	char	 want[HASH_HEXMAX];
	bool	 raw = first && sidecar_hash(path, want, sizeof(want));
	const char *why;
	struct archive *a;
	struct archive_entry *e;
	const char *p, *rel;
	struct vfile *f;
	int	 r;

	if (raw) {
		if ((rs.fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
			warn("cannot open '%s'", path);
			return -1;
		}
		rs.ph = phash_new((const EVP_MD *[]){ EVP_sha256() }, 1);
	}
	if (access(path, R_OK) == -1) {
		warn("cannot open '%s'", path);
		return -1;
	}
	if ((a = open_archive(path, raw ? &rs : NULL, &why)) == NULL) {
		/* readable, but not a tar we know: an invalid bundle */
		vs_problem(vs, S_ARCHIVE, "not a readable tar archive: %s", why);
		if (raw) {
			phash_free(rs.ph);
			close(rs.fd);
		}
		return 0;
	}
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK ||
	    r == ARCHIVE_WARN) {
		p = archive_entry_pathname_utf8(e);
		if (p == NULL)
			p = archive_entry_pathname(e);
		if (first && ++vs->members > CB_MAXMEMBERS) {
			vs_problem(vs, S_ARCHIVE, "more than %u members", CB_MAXMEMBERS);
			break;
		}
		if (p == NULL || (first && entry_ok(vs, e, p) == -1))
			continue;
		if ((rel = under_top(vs, p)) == NULL || *rel == '\0')
			continue;
		if (archive_entry_filetype(e) == AE_IFDIR) {
			if (strcmp(rel, "data/") == 0 || strcmp(rel, "data") == 0)
				vs->have_data = true;
			continue;
		}
		f = vs_add(vs, rel, (uint64_t)archive_entry_size(e), !first);
		if (f->payload)
			vs->have_data = true;
		if (consume(vs, f, rd_archive, a) == -1) {
			vs_problem(vs, S_ARCHIVE, "'%s': truncated or unreadable: %s",
			    rel, archive_error_string(a) ? archive_error_string(a) :
			    "short read");
			r = ARCHIVE_EOF;
			break;
		}
	}
	if (r != ARCHIVE_EOF && r != ARCHIVE_OK && r != ARCHIVE_WARN)
		vs_problem(vs, S_ARCHIVE, "archive is truncated or corrupt: %s",
		    archive_error_string(a));
	if (raw) {
		/* drain what libarchive left unread (end blocks, padding) */
		const void *b;

		while (raw_read(a, &rs, &b) > 0)
			;
		raw_check(vs, path, &rs, want);
		phash_free(rs.ph);
		close(rs.fd);
	}
	archive_read_free(a);
	return 0;
}

/* ---- directory mode */

static int
by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
scan_dir(struct vstate *vs, const char *root, const char *rel, int depth)
{
	char	 path[8192], sub[8192], **names = NULL;
	size_t	 n = 0, cap = 0, i;
	struct dirent *de;
	struct stat st;
	DIR	*d;

	snprintf(path, sizeof(path), "%s%s%s", root, *rel ? "/" : "", rel);
	if (depth > 64 || (d = opendir(path)) == NULL) {
		vs_problem(vs, S_ARCHIVE, "cannot read directory '%s'", path);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (n == cap && (names = realloc(names, (cap = cap ? 2 * cap : 64) *
		    sizeof(*names))) == NULL)
			err(EXIT_TROUBLE, NULL);
		names[n++] = cb_xstrdup(de->d_name);
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), by_str);
	for (i = 0; i < n; i++) {
		if (snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "",
		    names[i]) >= (int)sizeof(sub) ||
		    snprintf(path, sizeof(path), "%s/%s", root, sub) >=
		    (int)sizeof(path))
			vs_problem(vs, S_ARCHIVE, "path too long under '%s'", rel);
		else if (lstat(path, &st) == -1)
			vs_problem(vs, S_ARCHIVE, "cannot stat '%s'", sub);
		else if (S_ISDIR(st.st_mode)) {
			if (strcmp(sub, "data") == 0)
				vs->have_data = true;
			scan_dir(vs, root, sub, depth + 1);
		} else if (S_ISREG(st.st_mode))
			vs_add(vs, sub, (uint64_t)st.st_size, false);
		else
			vs_problem(vs, S_ARCHIVE, "'%s' is not a file or directory",
			    sub);
		free(names[i]);
	}
	free(names);
}

static int
pass_dir(struct vstate *vs, const char *root, bool tags)
{
	char	 path[8192];
	size_t	 i;
	int	 fd;

	for (i = 0; i < vs->n; i++) {
		struct vfile *f = &vs->f[i];

		if (f->payload == tags)
			continue;
		snprintf(path, sizeof(path), "%s/%s", root, f->name);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
			vs_problem(vs, S_ARCHIVE, "cannot open '%s': %s", f->name,
			    strerror(errno));
			continue;
		}
		free(f->buf);
		f->buf = NULL;
		if (consume(vs, f, rd_fd, &fd) == -1)
			vs_problem(vs, S_ARCHIVE, "'%s': read error or changed "
			    "size", f->name);
		close(fd);
	}
	return 0;
}

/* ---- which digests to compute */

static void
set_algs(struct vstate *vs, const int *algs, int n)
{
	const EVP_MD *mds[PHASH_MAXALGS];
	int	 i;

	vs_settle(vs);		/* the results of the algorithms so far */
	phash_free(vs->ph);
	for (i = 0; i < n; i++) {
		vs->alg[i] = algs[i];
		mds[i] = cb_md(known_algs[algs[i]]);
	}
	vs->nalg = n;
	vs->ph = phash_new(mds, n);
	for (i = 0; i < n; i++)
		vs->done_algs |= 1u << algs[i];
}

int
vs_alg_index(const char *name)
{
	size_t	 i;

	for (i = 0; i < NKNOWN; i++)
		if (strcmp(known_algs[i], name) == 0 && cb_md(name) != NULL)
			return (int)i;
	return -1;
}

const char *
vs_alg_name(int i)
{
	return known_algs[i];
}

/* Algorithms the manifests use that were not computed yet. */
static int
missing_algs(struct vstate *vs, int *out)
{
	size_t	 i;
	int	 n = 0, a;

	for (i = 0; i < vs->n; i++) {
		const char *nm = vs->f[i].name;
		char	 alg[32];

		if (sscanf(nm, "manifest-%31[a-z0-9-].txt", alg) != 1 &&
		    sscanf(nm, "tagmanifest-%31[a-z0-9-].txt", alg) != 1)
			continue;
		if ((a = vs_alg_index(alg)) == -1 || (vs->done_algs & (1u << a)))
			continue;
		for (int k = 0; k < n; k++)
			if (out[k] == a)
				a = -1;
		if (a != -1 && n < PHASH_MAXALGS)
			out[n++] = a;
	}
	return n;
}

static int
collect(struct vstate *vs, const char *path)
{
	static const int dflt[] = { 0, 1, 2 };	/* sha256 sha512 sm3 */
	struct stat st;
	int	 more[PHASH_MAXALGS], n;

	if (stat(path, &st) == -1) {
		warn("cannot open '%s'", path);
		return -1;
	}
	vs->is_dir = S_ISDIR(st.st_mode);
	if (vs->is_dir) {
		const char *b = cb_base_name(path);

		vs->top = strndup(b, strcspn(b, "/"));
		vs->res[S_ARCHIVE] = R_SKIP;
		scan_dir(vs, path, "", 0);
		set_algs(vs, dflt, 3);
		pass_dir(vs, path, true);
		if (vs->n > 0 && (n = missing_algs(vs, more)) > 0) {
			int	 all[PHASH_MAXALGS] = { 0, 1, 2 };

			memcpy(all + 3, more, (n > 3 ? 3 : n) * sizeof(int));
			set_algs(vs, all, 3 + (n > 3 ? 3 : n));
			pass_dir(vs, path, true);	/* small: read again */
		}
		pass_dir(vs, path, false);
		vs_settle(vs);
		return 0;
	}
	set_algs(vs, dflt, 3);
	if (pass_archive(vs, path, true) == -1)
		return -1;
	vs_settle(vs);		/* missing_algs() reads the manifests' names */
	if (vs->res[S_ARCHIVE] != R_FAIL && vs->n > 0 &&
	    (n = missing_algs(vs, more)) > 0) {
		set_algs(vs, more, n);
		pass_archive(vs, path, false);
		vs_settle(vs);
	}
	return 0;
}

void
vs_free(struct vstate *vs)
{
	size_t	 i;
	int	 k;

	vs_settle(vs);	/* before the files its results go to are freed */
	for (i = 0; i < vs->n; i++) {
		free(vs->f[i].name);
		free(vs->f[i].buf);
		for (k = 0; k < VS_NALG; k++)
			free(vs->f[i].hex[k]);
	}
	free(vs->f);
	for (k = 0; k < S_NSTEPS; k++)
		json_decref(vs->prob[k]);
	json_decref(vs->index);
	json_decref(vs->info);
	free(vs->pend);
	phash_free(vs->ph);
	free(vs->top);
}

int
cmd_verify(const struct cb_opts *o)
{
	struct vstate vs;
	struct rec_out *ro;
	int	 r, i, status = 0;

	if (o->npaths != 1)
		cli_usage_error("usage: case-bundle verify [-qv] [--json] "
		    "[-k PUBKEY] [--tsa-ca FILE] BUNDLE | BAGDIR\n",
		    "verify takes one bundle or bag directory");
	ro = rec_open(stdout, TOOL, o->c.json, o->argc, o->argv);
	memset(&vs, 0, sizeof(vs));
	vs.pg = progress_new(o->c.quiet);
	vs.o = o;
	vs.ro = ro;
	vs.index = json_object();
	if (collect(&vs, o->paths[0]) == -1) {
		progress_end(vs.pg);
		rec_error_in(ro, o->paths[0], NULL, "cannot read the bundle");
		rec_close(ro, NULL);
		vs_free(&vs);
		return EXIT_TROUBLE;
	}
	progress_end(vs.pg);
	vs.pg = NULL;
	vfy_steps(&vs);
	for (i = 0; i < S_NSTEPS; i++)
		if (vs.res[i] == R_FAIL)
			status = 1;
	vfy_report(&vs, o->paths[0], status);
	r = rec_close(ro, json_pack("{s:I, s:I, s:I}", "files", (json_int_t)vs.n,
	    "failed", (json_int_t)status, "not_fetched",
	    (json_int_t)vs.unfetched));
	vs_free(&vs);
	return r == -1 ? EXIT_TROUBLE : status;
}
