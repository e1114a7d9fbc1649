/*
 * Input walking: files, directories in byte order, archive members as
 * streams (zip, tar, tar.gz, 7z, a lone gzip file), the archive caps,
 * hostile names and links, and standard input as a path list or a
 * record stream.  Every fixture is built here, in a temporary directory,
 * with libarchive's write API, and the fixture directory must be exactly
 * as it was after every walk: inputs are never modified, nothing is
 * extracted.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <jansson.h>
#include <openssl/evp.h>

#include "input.h"
#include "rec.h"
#include "tap.h"

#define MAXITEMS	64
#define DATAMAX		(1 << 20)
#define BOMB_SIZE	(200u << 20)

struct seen {
	char		*path, *member;
	char		 mime[INPUT_MIMEMAX];
	int64_t		 declared;
	unsigned char	*data;		/* what input_read returned, up to DATAMAX */
	size_t		 len;
	uint64_t	 total;		/* bytes input_read returned */
	bool		 head_ok, read_failed;
	int		 finish_rc;
	char		 sha256[65], sm3[65], sha512[129];
	uint64_t	 hashed;
};

struct result {
	struct seen	 items[MAXITEMS];
	size_t		 n;
	json_t		*errors;	/* error records, in order */
	json_t		*summary;
	char		*stderr_text;
	int		 rc;
	bool		 well_formed;	/* header first, summary last, all parse */
};

static char	*fixdir;

/* --- fixtures ----------------------------------------------------------- */

struct entry {
	const char	*name;
	const void	*data;
	size_t		 len;
};

static void
write_file(const char *path, const void *data, size_t len)
{
	int	 fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd == -1 || write(fd, data, len) != (ssize_t)len || close(fd) == -1)
		abort();
}

enum afmt { A_ZIP, A_TAR, A_TARGZ, A_7Z, A_GZ };

static void
write_archive(const char *path, enum afmt fmt, const struct entry *ents,
    size_t n)
{
	struct archive *a = archive_write_new();
	struct archive_entry *e;
	size_t	 i;

	switch (fmt) {
	case A_ZIP:
		archive_write_set_format_zip(a);
		break;
	case A_TAR:
		archive_write_set_format_pax_restricted(a);
		break;
	case A_TARGZ:
		archive_write_set_format_pax_restricted(a);
		archive_write_add_filter_gzip(a);
		break;
	case A_7Z:
		archive_write_set_format_7zip(a);
		break;
	case A_GZ:
		archive_write_set_format_raw(a);
		archive_write_add_filter_gzip(a);
		break;
	}
	if (archive_write_open_filename(a, path) != ARCHIVE_OK)
		abort();
	for (i = 0; i < n; i++) {
		e = archive_entry_new();
		archive_entry_set_pathname(e, ents[i].name);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)ents[i].len);
		archive_entry_set_mtime(e, 1700000000, 0);
		if (archive_write_header(a, e) != ARCHIVE_OK ||
		    archive_write_data(a, ents[i].data, ents[i].len) !=
		    (la_ssize_t)ents[i].len)
			abort();
		archive_entry_free(e);
	}
	if (archive_write_close(a) != ARCHIVE_OK)
		abort();
	archive_write_free(a);
}

/* A zip whose only member is size zero bytes (200 MB pack to ~200 KB). */
static void
write_bomb(const char *path, const char *what, unsigned size)
{
	struct archive *a = archive_write_new();
	struct archive_entry *e = archive_entry_new();
	static char zeros[1 << 20];
	unsigned i;

	archive_write_set_format_zip(a);
	if (archive_write_open_filename(a, path) != ARCHIVE_OK)
		abort();
	(void)what;
	archive_entry_set_pathname(e, "zeros.bin");
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, size);
	archive_write_header(a, e);
	for (i = 0; i < size / sizeof(zeros); i++)
		archive_write_data(a, zeros, sizeof(zeros));
	archive_entry_free(e);
	archive_write_close(a);
	archive_write_free(a);
}

static unsigned char	 bin[100000];	/* past INPUT_HEADMAX: streamed */
static const char	 TXT_A[] = "alpha\n";
static const char	 TXT_B[] = "bee\n";
static const char	 TXT_U[] = "underscore\n";
static const char	 TXT_C[] = "sub file\n";
static const char	 TXT_E[] = "\xe4\xbb\xa3\xe7\x90\x86\xe7\xbb\xb4\xe6\x9d\x83"
    "\xef\xbc\x8c\xe5\x81\x9c\xe6\x81\xaf\xe6\x8c\x82\xe8\xb4\xa6\n";
static const char	 TXT_ZB[] = "zip member b\n";
static const char	 TXT_ZC[] = "\xe8\xaf\x81\xe6\x98\x8e member a/c\n";
static const char	 TXT_GZ[] = "a lone gzip stream\n";
static char		 zhead[1024 + 6];	/* 1 KiB of zeros, then text */

static const struct entry members[] = {
	{ "b.txt", TXT_ZB, sizeof(TXT_ZB) - 1 },
	{ "a/c.txt", TXT_ZC, sizeof(TXT_ZC) - 1 },
	{ "d.bin", bin, sizeof(bin) },
};

static void
make_fixtures(void)
{
	char	 tmpl[] = "/tmp/fk-test-input-XXXXXX", name[32];
	static const struct entry evil[] = {
		{ "../../x", "evil\n", 5 },
		{ "ok.txt", "fine\n", 5 },
	};
	static const struct entry gz[] = { { "x.txt", TXT_GZ, sizeof(TXT_GZ) - 1 } };
	struct entry many[10];
	struct stat st;
	size_t	 i;
	unsigned seed = 7;
	static char names[10][8];

	for (i = 0; i < sizeof(bin); i++) {
		seed = seed * 1103515245u + 12345u;
		bin[i] = (unsigned char)(seed >> 16);
	}
	if ((fixdir = strdup(mkdtemp(tmpl))) == NULL || chdir(fixdir) == -1)
		abort();
	/* Byte order B Z _ a e l s \xc3; a locale would put a before B. */
	mkdir("tree", 0755);
	mkdir("tree/sub", 0755);
	write_file("tree/B.txt", TXT_B, sizeof(TXT_B) - 1);
	write_file("tree/a.txt", TXT_A, sizeof(TXT_A) - 1);
	write_file("tree/_u.txt", TXT_U, sizeof(TXT_U) - 1);
	write_file("tree/Z.bin", bin, sizeof(bin));
	write_file("tree/empty", "", 0);
	write_file("tree/\xc3\xa9.txt", TXT_E, sizeof(TXT_E) - 1);
	write_file("tree/sub/c.txt", TXT_C, sizeof(TXT_C) - 1);
	if (symlink("..", "tree/sub/up") == -1 ||	/* a cycle if followed */
	    symlink("a.txt", "tree/link.txt") == -1 ||
	    symlink("loop", "loop") == -1 ||
	    mkfifo("fifo", 0644) == -1)
		abort();
	mkdir("odd", 0755);
	write_file("odd/new\nline.txt", TXT_A, sizeof(TXT_A) - 1);

	write_archive("t.zip", A_ZIP, members, 3);
	write_archive("t.tar", A_TAR, members, 3);
	write_archive("t.tar.gz", A_TARGZ, members, 3);
	write_archive("t.7z", A_7Z, members, 3);
	write_archive("x.txt.gz", A_GZ, gz, 1);
	{
		struct entry z = { "zhead.bin", zhead, sizeof(zhead) };

		memcpy(zhead + 1024, "hello\n", 6);
		write_archive("zhead.bin.gz", A_GZ, &z, 1);
	}
	write_archive("evil.zip", A_ZIP, evil, 2);
	for (i = 0; i < 10; i++) {
		snprintf(names[i], sizeof(names[i]), "m%zu.txt", i);
		many[i].name = names[i];
		many[i].data = TXT_A;
		many[i].len = sizeof(TXT_A) - 1;
	}
	write_archive("many.tar", A_TAR, many, 10);
	write_bomb("bomb.zip", "bomb", BOMB_SIZE);
	write_bomb("zeros.zip", "zeros", 1u << 20);
	/* A zip cut in the middle of its third member. */
	write_archive("full.zip", A_ZIP, members, 3);
	if (stat("full.zip", &st) == -1 ||
	    truncate("full.zip", st.st_size * 6 / 10) == -1 ||
	    rename("full.zip", "trunc.zip") == -1)
		abort();
	(void)name;
}

/* --- listing, so that a walk is seen to change nothing ------------------ */

static char	*listing;
static size_t	 listing_len;
static FILE	*listing_fp;

static int
list_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)flag;
	(void)f;
	fprintf(listing_fp, "%s %o %lld %lld.%09ld\n", path, (unsigned)st->st_mode,
	    (long long)st->st_size, (long long)st->st_mtim.tv_sec,
	    st->st_mtim.tv_nsec);
	return 0;
}

static char *
list_tree(void)
{
	listing = NULL;
	listing_fp = open_memstream(&listing, &listing_len);
	nftw(".", list_one, 16, FTW_PHYS);
	fclose(listing_fp);
	return listing;
}

/* --- walking -------------------------------------------------------------- */

static int
collect(struct input_item *it, void *arg)
{
	struct result *r = arg;
	struct seen *s;
	unsigned char head[INPUT_HEADMAX], buf[65536];
	const unsigned char *h;
	size_t	 hl, chunk;
	ssize_t	 n;
	struct hash_hex hx;

	if (r->n == MAXITEMS)
		return 1;
	s = &r->items[r->n++];
	s->path = strdup(it->path);
	s->member = it->member ? strdup(it->member) : NULL;
	memcpy(s->mime, it->mime, sizeof(s->mime));
	s->declared = it->declared_size;
	h = input_head(it, &hl);
	memcpy(head, h, hl);
	s->data = malloc(DATAMAX);
	for (;;) {
		/* Small odd reads at first, to cross the head/stream boundary. */
		chunk = s->total < 70000 ? 7 : sizeof(buf);
		if ((n = input_read(it, buf, chunk)) < 0) {
			s->read_failed = true;
			break;
		}
		if (n == 0)
			break;
		if (s->len + (size_t)n <= DATAMAX) {
			memcpy(s->data + s->len, buf, (size_t)n);
			s->len += (size_t)n;
		}
		s->total += (uint64_t)n;
	}
	s->head_ok = hl <= s->len && memcmp(head, s->data, hl) == 0;
	s->finish_rc = input_finish(it, &hx);
	if (s->finish_rc == 0) {
		memcpy(s->sha256, hx.hex[HASH_SHA256], 65);
		memcpy(s->sm3, hx.hex[HASH_SM3], 65);
		memcpy(s->sha512, hx.hex[HASH_SHA512], 129);
		s->hashed = hx.bytes;
	}
	return 0;
}

static void
result_free(struct result *r)
{
	size_t	 i;

	for (i = 0; i < r->n; i++) {
		free(r->items[i].path);
		free(r->items[i].member);
		free(r->items[i].data);
	}
	json_decref(r->errors);
	json_decref(r->summary);
	free(r->stderr_text);
	free(r);
}

static char *
read_fd_all(int fd)
{
	off_t	 n = lseek(fd, 0, SEEK_END);
	char	*b = calloc(1, (size_t)n + 1);

	if (pread(fd, b, (size_t)n, 0) != n)
		b[0] = '\0';
	return b;
}

/* Walks with the record stream and stderr captured. */
static struct result *
walk(const struct input_opts *o, char **paths, int npaths)
{
	struct result *r = calloc(1, sizeof(*r));
	char	*out = NULL, *line, *nl;
	size_t	 outlen = 0, nlines = 0;
	FILE	*fp = open_memstream(&out, &outlen), *errf = tmpfile();
	int	 saved = dup(STDERR_FILENO);
	struct rec_out *ro;
	json_t	*j, *last = NULL;

	r->errors = json_array();
	r->well_formed = true;
	fflush(stderr);
	dup2(fileno(errf), STDERR_FILENO);
	ro = rec_open(fp, "test-input", true, 0, NULL);
	r->rc = input_walk(o, paths, npaths, ro, collect, r);
	rec_close(ro, NULL);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	r->stderr_text = read_fd_all(fileno(errf));
	fclose(errf);
	fclose(fp);
	for (line = out; (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
		*nl = '\0';
		if ((j = json_loads(line, 0, NULL)) == NULL) {
			r->well_formed = false;
			continue;
		}
		if (nlines++ == 0 && strcmp(json_string_value(
		    json_object_get(j, "type")), "header") != 0)
			r->well_formed = false;
		if (strcmp(json_string_value(json_object_get(j, "type")),
		    "error") == 0)
			json_array_append(r->errors, j);
		json_decref(last);
		last = j;
	}
	if (last == NULL || strcmp(json_string_value(json_object_get(last,
	    "type")), "summary") != 0)
		r->well_formed = false;
	r->summary = last;
	free(out);
	return r;
}

static struct result *
walk1(const struct input_opts *o, const char *path)
{
	char	*p = (char *)path;

	return walk(o, &p, 1);
}

/* Standard input from a file dup2()ed onto fd 0. */
static struct result *
walk_stdin(const struct input_opts *o, const char *data, size_t len,
    const char *argpath)
{
	char	 tmpl[] = "/tmp/fk-test-stdin-XXXXXX", *p = (char *)argpath;
	int	 fd = mkstemp(tmpl), saved = dup(STDIN_FILENO);
	struct result *r;

	if (fd == -1 || write(fd, data, len) != (ssize_t)len ||
	    lseek(fd, 0, SEEK_SET) == -1)
		abort();
	unlink(tmpl);
	dup2(fd, STDIN_FILENO);
	close(fd);
	r = walk(o, &p, argpath ? 1 : 0);
	dup2(saved, STDIN_FILENO);
	close(saved);
	return r;
}

/* --- checks ---------------------------------------------------------------- */

struct expect {
	const char	*path, *member, *mime;	/* mime NULL: not checked */
	const void	*data;
	size_t		 len;
	int64_t		 declared;		/* -2: not checked */
};

/* Digests computed here with OpenSSL directly, not through hash.c. */
static void
digest_hex(const EVP_MD *md, const void *data, size_t len, char *out)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0, i;

	EVP_Digest(data, len, d, &dlen, md, NULL);
	for (i = 0; i < dlen; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void
sha256_hex(const void *data, size_t len, char out[65])
{
	digest_hex(EVP_sha256(), data, len, out);
}

static bool
streq(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

/* Shows what the walk did, as TAP comments, when a check fails. */
static void
dump(const struct result *r)
{
	size_t	 i;
	char	*e;

	for (i = 0; i < r->n; i++)
		printf("# item %zu: %s | %s | %s | %llu bytes%s\n", i,
		    r->items[i].path, r->items[i].member ? r->items[i].member : "-",
		    r->items[i].mime, (unsigned long long)r->items[i].total,
		    r->items[i].read_failed ? " | read failed" : "");
	e = json_dumps(r->errors, JSON_COMPACT);
	printf("# errors: %s\n", e);
	free(e);
}

/* Compares the items seen with the expected sequence; says what differs. */
static void
check_items(const struct result *r, const struct expect *e, size_t n,
    const char *what)
{
	char	 sha[65], why[512] = "";
	size_t	 i;
	const struct seen *s;

	if (r->n != n)
		snprintf(why, sizeof(why), "%zu items, expected %zu", r->n, n);
	for (i = 0; i < n && i < r->n && why[0] == '\0'; i++) {
		s = &r->items[i];
		sha256_hex(e[i].data, e[i].len, sha);
		if (!streq(s->path, e[i].path) || !streq(s->member, e[i].member))
			snprintf(why, sizeof(why), "item %zu is %s:%s, expected %s:%s",
			    i, s->path, s->member ? s->member : "-", e[i].path,
			    e[i].member ? e[i].member : "-");
		else if (e[i].mime && strcmp(s->mime, e[i].mime) != 0)
			snprintf(why, sizeof(why), "%s: mime %s, expected %s",
			    e[i].path, s->mime, e[i].mime);
		else if (s->read_failed || s->finish_rc != 0)
			snprintf(why, sizeof(why), "%s: read failed", e[i].path);
		else if (s->len != e[i].len || memcmp(s->data, e[i].data, s->len))
			snprintf(why, sizeof(why), "%s %s: streamed content differs "
			    "(%zu bytes, expected %zu)", e[i].path,
			    e[i].member ? e[i].member : "", s->len, e[i].len);
		else if (!s->head_ok)
			snprintf(why, sizeof(why), "%s: head is not the first bytes",
			    e[i].path);
		else if (strcmp(s->sha256, sha) != 0 || s->hashed != e[i].len)
			snprintf(why, sizeof(why), "%s: sha256 %s, expected %s",
			    e[i].path, s->sha256, sha);
		else if (e[i].declared != -2 && s->declared != e[i].declared)
			snprintf(why, sizeof(why), "%s: declared size %lld, "
			    "expected %lld", e[i].path, (long long)s->declared,
			    (long long)e[i].declared);
	}
	if (!ok(why[0] == '\0', "%s: items, order, mime, content, sha256, "
	    "size%s%s", what, why[0] ? ": " : "", why))
		dump(r);
}

/* The index of the first error record naming path (and member) whose
 * message contains needle, or -1. */
static int
find_error(const struct result *r, const char *path, const char *member,
    const char *needle)
{
	size_t	 i;
	json_t	*e;
	const char *p, *m, *msg;

	json_array_foreach(r->errors, i, e) {
		p = json_string_value(json_object_get(e, "path"));
		m = json_string_value(json_object_get(e, "member"));
		msg = json_string_value(json_object_get(e, "message"));
		if (streq(p, path) && (member == NULL || streq(m, member)) &&
		    msg != NULL && strstr(msg, needle) != NULL &&
		    strstr(r->stderr_text, msg) != NULL)
			return (int)i;
	}
	return -1;
}

static void
check_clean(const struct result *r, const char *what)
{
	if (!ok(json_array_size(r->errors) == 0 && r->stderr_text[0] == '\0' &&
	    r->well_formed, "%s: no error, no diagnostic, stream well formed",
	    what))
		dump(r);
}

static void
check_errors_counted(const struct result *r, const char *what)
{
	ok(r->well_formed && (size_t)json_integer_value(json_object_get(
	    r->summary, "errors")) == json_array_size(r->errors) &&
	    json_array_size(r->errors) > 0,
	    "%s: %zu error record(s), counted in the summary", what,
	    json_array_size(r->errors));
}

#define E(p, m, mime, d, decl)	{ p, m, mime, d, sizeof(d) - 1, decl }
#define EB(p, m)		{ p, m, "application/octet-stream", bin, \
				  sizeof(bin), -2 }
#define NITEMS(a)		(sizeof(a) / sizeof(a[0]))

/* --- the tests ------------------------------------------------------------- */

static void
test_tree(const struct input_opts *o)
{
	static const struct expect tree[] = {
		E("tree/B.txt", NULL, "text/plain", TXT_B, 4),
		{ "tree/Z.bin", NULL, "application/octet-stream", bin,
		  sizeof(bin), sizeof(bin) },
		E("tree/_u.txt", NULL, "text/plain", TXT_U, 11),
		E("tree/a.txt", NULL, "text/plain", TXT_A, 6),
		E("tree/link.txt", NULL, "text/plain", TXT_A, 6),
		E("tree/sub/c.txt", NULL, "text/plain", TXT_C, 9),
		E("tree/\xc3\xa9.txt", NULL, "text/plain", TXT_E, -2),
	};
	struct result *r = walk1(o, "tree");
	size_t	 i;
	bool	 no_up = true;

	check_items(r, tree, NITEMS(tree),
	    "directory in byte order, link to file read, link to parent not followed");
	ok(json_array_size(r->errors) == 1 &&
	    find_error(r, "tree/empty", NULL, "is empty") != -1 && r->well_formed,
	    "directory: the only error is the empty file's");
	for (i = 0; i < r->n; i++)
		no_up &= strstr(r->items[i].path, "/up") == NULL;
	ok(no_up && r->rc == 0, "the symlink to the parent directory is not entered");
	result_free(r);

	r = walk1(o, "tree/");
	ok(r->n == NITEMS(tree) && strcmp(r->items[0].path, "tree/B.txt") == 0,
	    "a trailing slash does not double the separator: %s",
	    r->n ? r->items[0].path : "-");
	result_free(r);
}

static void
test_archives(const struct input_opts *o)
{
	static const struct expect zip[] = {
		E("t.zip", "b.txt", "text/plain", TXT_ZB, 13),
		E("t.zip", "a/c.txt", "text/plain", TXT_ZC, sizeof(TXT_ZC) - 1),
		EB("t.zip", "d.bin"),
	}, tar[] = {
		E("t.tar", "b.txt", "text/plain", TXT_ZB, 13),
		E("t.tar", "a/c.txt", "text/plain", TXT_ZC, sizeof(TXT_ZC) - 1),
		{ "t.tar", "d.bin", NULL, bin, sizeof(bin), sizeof(bin) },
	}, targz[] = {
		E("t.tar.gz", "b.txt", "text/plain", TXT_ZB, 13),
		E("t.tar.gz", "a/c.txt", "text/plain", TXT_ZC, -2),
		EB("t.tar.gz", "d.bin"),
	}, sz[] = {
		E("t.7z", "b.txt", "text/plain", TXT_ZB, 13),
		E("t.7z", "a/c.txt", "text/plain", TXT_ZC, -2),
		EB("t.7z", "d.bin"),
	}, gz[] = {
		E("x.txt.gz", "x.txt", "text/plain", TXT_GZ, -2),
	};
	struct result *r;

	r = walk1(o, "t.zip");
	check_items(r, zip, 3, "zip members as streams");
	check_clean(r, "zip");
	result_free(r);
	r = walk1(o, "t.tar");
	check_items(r, tar, 3, "tar members");
	check_clean(r, "tar");
	result_free(r);
	r = walk1(o, "t.tar.gz");
	check_items(r, targz, 3, "tar.gz members");
	check_clean(r, "tar.gz");
	result_free(r);
	r = walk1(o, "t.7z");
	check_items(r, sz, 3, "7z members");
	check_clean(r, "7z");
	result_free(r);
	r = walk1(o, "x.txt.gz");
	check_items(r, gz, 1, "a lone gzip file is one member named after it");
	check_clean(r, "gzip");
	result_free(r);

	/*
	 * A gzip file whose content starts with 512 zero bytes: the tar
	 * reader takes the zero block for an end-of-archive marker and
	 * outbids the raw reader, so the walk must still say something.
	 */
	r = walk1(o, "zhead.bin.gz");
	ok(r->n == 1 && r->items[0].len == sizeof(zhead) &&
	    memcmp(r->items[0].data, zhead, sizeof(zhead)) == 0,
	    "a gzip file starting with zero bytes is one member with its "
	    "content");
	result_free(r);

	{
		struct input_opts flat = *o;
		struct result *f;

		flat.archives = false;
		f = walk1(&flat, "t.zip");
		ok(f->n == 1 && f->items[0].member == NULL &&
		    strcmp(f->items[0].mime, "application/zip") == 0,
		    "with archives off, a zip is one item of type application/zip");
		result_free(f);
	}
}

static void
test_bad_inputs(const struct input_opts *o)
{
	struct result *r;
	struct input_opts lim = *o;
	char	*paths[] = { "loop", "fifo", "nonexistent.jpg", "tree/empty",
	    "trunc.zip", "tree/a.txt" };
	static const struct expect evil_ok[] = {
		E("evil.zip", "ok.txt", "text/plain", "fine\n", 5),
	};
	bool	 bomb_stopped;
	size_t	 i;

	r = walk(o, paths, 6);
	dump(r);
	ok(find_error(r, "loop", NULL, "loop") != -1 ||
	    find_error(r, "loop", NULL, "symbolic links") != -1,
	    "a symlink loop is an error record and a diagnostic");
	ok(find_error(r, "fifo", NULL, "not a regular file") != -1,
	    "a FIFO is refused (error record), and the walk does not block");
	ok(find_error(r, "nonexistent.jpg", NULL, "No such file or directory") != -1,
	    "a missing file: 'cannot open ...: No such file or directory'");
	ok(find_error(r, "trunc.zip", NULL, "") != -1,
	    "a truncated zip is an error record");
	ok(find_error(r, "tree/empty", NULL, "'tree/empty' is empty") != -1,
	    "an empty file is an error record by default");
	ok(r->n >= 1 && strcmp(r->items[r->n - 1].path, "tree/a.txt") == 0 &&
	    r->items[r->n - 1].len == 6, "the walk goes on after every error");
	for (i = 0; i < r->n; i++)
		if (strcmp(r->items[i].path, "trunc.zip") == 0 &&
		    !r->items[i].read_failed && r->items[i].finish_rc == 0 &&
		    strcmp(r->items[i].member, "d.bin") == 0)
			ok(0, "the cut member d.bin must not be delivered whole");
	check_errors_counted(r, "bad inputs");
	{
		size_t nl = 0;
		char *q;

		for (q = r->stderr_text; *q; q++)
			nl += *q == '\n';
		ok(nl == json_array_size(r->errors),
		    "one diagnostic line per error record (%zu lines)", nl);
	}
	result_free(r);

	lim.empty_ok = true;
	r = walk1(&lim, "tree/empty");
	ok(r->n == 1 && r->items[0].total == 0 && r->items[0].hashed == 0 &&
	    strcmp(r->items[0].mime, "application/x-empty") == 0 &&
	    strcmp(r->items[0].sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4"
	    "649b934ca495991b7852b855") == 0 && json_array_size(r->errors) == 0,
	    "with empty_ok, an empty file is an item of 0 bytes, empty SHA-256");
	result_free(r);
	lim = *o;

	if (geteuid() == 0) {
		printf("ok %d - # SKIP unreadable directory: root reads anyway "
		    "(the FIFO above is the refusal test)\n", ++tap_n);
	} else {
		mkdir("/tmp/fk-locked-dir-test", 0);
		r = walk1(o, "/tmp/fk-locked-dir-test");
		ok(find_error(r, "/tmp/fk-locked-dir-test", NULL,
		    "Permission denied") != -1,
		    "a directory without permission is an error record");
		result_free(r);
		rmdir("/tmp/fk-locked-dir-test");
	}

	r = walk1(o, "evil.zip");
	ok(find_error(r, "evil.zip", "../../x", "unsafe") != -1,
	    "a member named ../../x is refused as unsafe, with an error record");
	check_items(r, evil_ok, 1, "the safe member after it is still walked");
	result_free(r);

	lim.lim.max_members = 3;
	r = walk1(&lim, "many.tar");
	ok(r->n == 3 && strcmp(r->items[2].member, "m2.txt") == 0,
	    "member cap 3: three members walked (%zu)", r->n);
	ok(find_error(r, "many.tar", NULL, "more than 3 members") != -1,
	    "member cap: the archive is refused with a clear error");
	result_free(r);

	lim = *o;
	lim.lim.max_expanded = 50000;
	r = walk1(&lim, "t.zip");
	ok(find_error(r, "t.zip", "d.bin", "expands past 50000 bytes") != -1,
	    "expanded-size cap: refused when a member passes it");
	result_free(r);

	r = walk1(o, "bomb.zip");
	dump(r);
	bomb_stopped = r->n == 1 && r->items[0].read_failed &&
	    r->items[0].total < BOMB_SIZE / 4;
	ok(bomb_stopped, "zip bomb: reading stops after %llu of %u bytes",
	    r->n ? (unsigned long long)r->items[0].total : 0ULL, BOMB_SIZE);
	ok(find_error(r, "bomb.zip", "zeros.bin", "bomb") != -1 &&
	    find_error(r, "bomb.zip", "zeros.bin", "refused") != -1,
	    "zip bomb: refused by the ratio cap with a clear error");
	check_errors_counted(r, "zip bomb");
	result_free(r);

	/* Ratio 1000 but 1 MiB: under the floor, so a small file is not a bomb. */
	r = walk1(o, "zeros.zip");
	ok(r->n == 1 && r->items[0].total == (1u << 20) && !r->items[0].read_failed &&
	    json_array_size(r->errors) == 0,
	    "1 MiB of zeros in a zip (ratio ~1000, under the floor) is read whole");
	result_free(r);
}

static int
stop_after_two(struct input_item *it, void *arg)
{
	int	*n = arg;

	(void)it;
	return ++*n >= 2;
}

struct slurp {
	size_t		 max;
	int		 rc;
	size_t		 len;
	char		 buf[64];
};

static int
slurp_one(struct input_item *it, void *arg)
{
	struct slurp *sl = arg;
	unsigned char *b = NULL;

	sl->rc = input_slurp(it, sl->max, &b, &sl->len);
	if (sl->rc == 0 && sl->len < sizeof(sl->buf))
		memcpy(sl->buf, b, sl->len + 1);	/* with its NUL */
	free(b);
	return 0;
}

static void
test_slurp(const struct input_opts *o)
{
	struct slurp sl;
	struct rec_out *ro;
	char	*out = NULL, *p = "tree/a.txt";
	size_t	 outlen = 0;
	FILE	*fp = open_memstream(&out, &outlen), *errf = tmpfile();
	int	 saved = dup(STDERR_FILENO);

	memset(&sl, 0, sizeof(sl));
	sl.max = 6;
	ro = rec_open(fp, "test-input", true, 0, NULL);
	input_walk(o, &p, 1, ro, slurp_one, &sl);
	ok(sl.rc == 0 && sl.len == 6 && strcmp(sl.buf, TXT_A) == 0 &&
	    rec_errors(ro) == 0, "input_slurp of 6 bytes with max 6: whole, NUL-terminated");
	sl.max = 5;
	fflush(stderr);
	dup2(fileno(errf), STDERR_FILENO);
	input_walk(o, &p, 1, ro, slurp_one, &sl);
	dup2(saved, STDERR_FILENO);
	close(saved);
	fclose(errf);
	ok(sl.rc == -1 && rec_errors(ro) == 1,
	    "input_slurp past max fails and the walker reports it once");
	rec_close(ro, NULL);
	fclose(fp);
	ok(out != NULL && strstr(out, "too large") != NULL,
	    "the error record says the item is too large");
	free(out);
}

static void
test_stop_and_hashes(const struct input_opts *o)
{
	struct input_opts all = *o;
	struct result *r;
	char	*paths[] = { "tree", "t.zip" };
	int	 n = 0;
	struct rec_out *ro;
	FILE	*fp = fopen("/dev/null", "w");

	ro = rec_open(fp, "test-input", false, 0, NULL);
	ok(input_walk(o, paths, 2, ro, stop_after_two, &n) == -1 && n == 2,
	    "a callback that asks to stop ends the walk (-1, no further item)");
	rec_close(ro, NULL);
	fclose(fp);

	r = walk1(o, "tree/a.txt");
	ok(r->n == 1 && r->items[0].sm3[0] == '\0' && r->items[0].sha512[0] == '\0',
	    "default options: SHA-256 only");
	result_free(r);
	all.hashes = HASH_ALL;
	r = walk1(&all, "t.zip");
	{
		char	 sm3[65], sha512[129];

		digest_hex(EVP_sm3(), TXT_ZB, sizeof(TXT_ZB) - 1, sm3);
		digest_hex(EVP_sha512(), TXT_ZB, sizeof(TXT_ZB) - 1, sha512);
		ok(r->n == 3 && strcmp(r->items[0].sm3, sm3) == 0 &&
		    strcmp(r->items[0].sha512, sha512) == 0,
		    "HASH_ALL: a member's SM3 and SHA-512 are computed while it is read");
		digest_hex(EVP_sm3(), bin, sizeof(bin), sm3);
		ok(r->n == 3 && strcmp(r->items[2].sm3, sm3) == 0,
		    "HASH_ALL: SM3 of a streamed 100 kB member");
	}
	result_free(r);
}

static void
test_stdin(const struct input_opts *o)
{
	static const char list[] = "tree/a.txt\ntree/B.txt\nt.zip\n";
	static const struct expect list_items[] = {
		E("tree/a.txt", NULL, "text/plain", TXT_A, 6),
		E("tree/B.txt", NULL, "text/plain", TXT_B, 4),
		E("t.zip", "b.txt", "text/plain", TXT_ZB, 13),
		E("t.zip", "a/c.txt", "text/plain", TXT_ZC, -2),
		EB("t.zip", "d.bin"),
	};
	static const char nul_list[] = "odd/new\nline.txt\0tree/a.txt";
	static const struct expect nul_items[] = {
		E("odd/new\nline.txt", NULL, "text/plain", TXT_A, 6),
		E("tree/a.txt", NULL, "text/plain", TXT_A, 6),
	};
	static const char crlf[] = "tree/a.txt\r\ntree/B.txt\r\n";
	static const char recs[] =
	    "{\"type\":\"header\",\"format\":1,\"tool\":\"chatlog-grep\"}\n"
	    "{\"type\":\"hit\",\"path\":\"tree/a.txt\",\"sha256\":\"x\"}\n"
	    "{\"type\":\"error\",\"path\":\"tree/B.txt\",\"message\":\"m\"}\n"
	    "{\"type\":\"hit\",\"path\":\"t.zip\",\"member\":\"a/c.txt\"}\n"
	    "{\"type\":\"hit\",\"path\":\"tree/a.txt\"}\n"
	    "{\"type\":\"summary\",\"errors\":1}\n";
	static const struct expect rec_items[] = {
		E("tree/a.txt", NULL, "text/plain", TXT_A, 6),
		E("t.zip", "a/c.txt", "text/plain", TXT_ZC, -2),
	};
	static const char cluster[] =
	    "{\"type\":\"cluster\",\"id\":1,\"size\":2,\"members\":["
	    "{\"path\":\"t.zip\",\"member\":\"b.txt\",\"similarity\":1},"
	    "{\"path\":\"tree/_u.txt\",\"similarity\":0.9}]}\r\n";
	static const struct expect cluster_items[] = {
		E("t.zip", "b.txt", "text/plain", TXT_ZB, 13),
		E("tree/_u.txt", NULL, "text/plain", TXT_U, 11),
	};
	static const char broken[] =
	    "{\"type\":\"hit\",\"path\":\"tree/a.txt\"}\n"
	    "{\"type\":\"hit\",\"path\":\n"
	    "\n"
	    "{\"type\":\"hit\",\"path\":\"tree/B.txt\"}\n"
	    "not json at all\n"
	    "{\"type\":\"hit\",\"path\":\"t.zip\",\"member\":\"nope.txt\"}\n";
	static const struct expect broken_items[] = {
		E("tree/a.txt", NULL, "text/plain", TXT_A, 6),
		E("tree/B.txt", NULL, "text/plain", TXT_B, 4),
	};
	struct input_opts nul = *o;
	struct result *r;

	r = walk_stdin(o, list, sizeof(list) - 1, NULL);
	check_items(r, list_items, NITEMS(list_items),
	    "stdin newline path list, in the listed order");
	check_clean(r, "stdin path list");
	result_free(r);

	r = walk_stdin(o, list, sizeof(list) - 1, "-");
	check_items(r, list_items, NITEMS(list_items), "'-' reads stdin too");
	result_free(r);

	nul.nul = true;
	r = walk_stdin(&nul, nul_list, sizeof(nul_list) - 1, NULL);
	check_items(r, nul_items, NITEMS(nul_items),
	    "stdin NUL path list (-0) with a newline in a name");
	check_clean(r, "stdin NUL list");
	result_free(r);

	r = walk_stdin(o, crlf, sizeof(crlf) - 1, NULL);
	check_items(r, list_items, 2, "stdin CRLF path list");
	check_clean(r, "stdin CRLF list");
	result_free(r);

	r = walk_stdin(o, recs, sizeof(recs) - 1, NULL);
	check_items(r, rec_items, NITEMS(rec_items),
	    "record stream: path and path+member, once each, error/header/summary skipped");
	check_clean(r, "record stream");
	result_free(r);

	r = walk_stdin(o, cluster, sizeof(cluster) - 1, NULL);
	check_items(r, cluster_items, NITEMS(cluster_items),
	    "record stream: a cluster record's members[]");
	check_clean(r, "cluster record");
	result_free(r);

	r = walk_stdin(o, broken, sizeof(broken) - 1, NULL);
	check_items(r, broken_items, NITEMS(broken_items),
	    "record stream with broken lines: the rest is still walked");
	ok(find_error(r, "-", NULL, "line 2") != -1 &&
	    find_error(r, "-", NULL, "line 5") != -1,
	    "each broken line is an error record naming its line number");
	ok(find_error(r, "t.zip", "nope.txt", "no member") != -1,
	    "a record naming a missing member is an error record");
	check_errors_counted(r, "broken record stream");
	result_free(r);

	r = walk_stdin(o, "", 0, NULL);
	ok(r->n == 0 && find_error(r, "-", NULL, "empty") != -1,
	    "empty stdin is an error record");
	check_errors_counted(r, "empty stdin");
	result_free(r);
	r = walk_stdin(o, "\n \r\n", 4, NULL);
	ok(r->n == 0 && find_error(r, "-", NULL, "empty") != -1,
	    "blank stdin is an error record");
	result_free(r);
}

/*
 * Runs a stdin walk in a child under alarm(2): a walk that blocks (on a
 * FIFO, say) must fail the test, not hang the suite.  True when the
 * walk returned and reported an error record naming path.
 */
static bool
stdin_walk_returns(const struct input_opts *o, const char *data,
    const char *path, unsigned secs)
{
	struct result *r;
	pid_t	 pid;
	int	 st;

	fflush(stdout);
	if ((pid = fork()) == -1)
		abort();
	if (pid == 0) {
		alarm(secs);
		r = walk_stdin(o, data, strlen(data), NULL);
		_exit(find_error(r, path, NULL, "") != -1 ? 0 : 3);
	}
	if (waitpid(pid, &st, 0) == -1)
		return false;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static void
test_stdin_fifo(const struct input_opts *o)
{
	ok(stdin_walk_returns(o, "{\"type\":\"hit\",\"path\":\"fifo\"}\n",
	    "fifo", 5), "a record naming a FIFO is refused, not waited on");
	ok(stdin_walk_returns(o, "fifo\ntree/a.txt\n", "fifo", 5),
	    "a path list naming a FIFO is refused, not waited on");
	ok(stdin_walk_returns(o,
	    "{\"type\":\"hit\",\"path\":\"fifo\",\"member\":\"x.txt\"}\n",
	    "fifo", 3), "a record naming a member of a FIFO is refused, not "
	    "waited on");
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)f;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

int
main(void)
{
	struct input_opts o;
	char	*before, *after;

	make_fixtures();
	input_opts_default(&o);
	before = list_tree();
	test_tree(&o);
	test_archives(&o);
	test_bad_inputs(&o);
	test_stdin(&o);
	test_stdin_fifo(&o);
	test_stop_and_hashes(&o);
	test_slurp(&o);
	after = list_tree();
	ok(strcmp(before, after) == 0,
	    "the fixture directory is unchanged by every walk");
	free(before);
	free(after);
	if (chdir("/") == 0)
		nftw(fixdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(fixdir);
	return tap_done();
}
