/*
 * The staged workflow, for cases gathered over days: init makes a staging
 * directory (fields, custody log, payload/), add copies evidence in while
 * hashing it (one read) and logs the hashes, seal checks every staged
 * file against the hashes logged when it was added, then seals as create.
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cb.h"

#define FIELDS_FILE	"case-fields.txt"
#define LOG_FILE	"custody-log.jsonl"
#define PAYLOAD_DIR	"payload"

static char *
join(const char *a, const char *b)
{
	size_t	 n = strlen(a) + strlen(b) + 2;
	char	*s = cb_xmalloc(n);

	snprintf(s, n, "%s/%s", a, b);
	return s;
}

static int
slurp(const char *path, size_t max, char **buf, size_t *len)
{
	FILE	*fp = fopen(path, "rb");
	size_t	 n;

	if (fp == NULL)
		return -1;
	*buf = cb_xmalloc(max + 1);
	n = fread(*buf, 1, max + 1, fp);
	fclose(fp);
	if (n > max) {
		free(*buf);
		errno = EFBIG;
		return -1;
	}
	(*buf)[n] = '\0';
	*len = n;
	return 0;
}

/* Appends entries to DIR's custody log after checking its chain. */
static int
log_append(const char *dir, json_t *entries)
{
	char	*path = join(dir, LOG_FILE), *old = NULL, *out, head[HASH_HEXMAX];
	char	 msg[256];
	size_t	 oldlen = 0, outlen;
	int	 r;

	if (slurp(path, CB_TAGMAX, &old, &oldlen) == -1 && errno != ENOENT) {
		warn("cannot read '%s'", path);
		free(path);
		return -1;
	}
	if (old != NULL && custody_check(old, oldlen, head, msg, sizeof(msg)) == -1) {
		warnx("'%s': %s", path, msg);
		free(old);
		free(path);
		return -1;
	}
	out = custody_chain(old ? old : "", oldlen, entries, &outlen, head);
	r = cb_write_file(path, out, outlen);
	free(out);
	free(old);
	free(path);
	return r;
}

static char *
fields_text(const struct cb_fieldvals *f, size_t *len)
{
	size_t	 cap = 256, n = 0;
	char	*s = cb_xmalloc(cap);
	int	 i, w;

	s[0] = '\0';
	for (i = 0; i < F_NFIELDS; i++) {
		if (f->v[i] == NULL)
			continue;
		w = snprintf(NULL, 0, "%s: %s\n", cb_fields[i].label, f->v[i]);
		if (n + w + 1 > cap && (s = realloc(s, cap = 2 * (n + w + 1))) == NULL)
			err(EXIT_TROUBLE, NULL);
		snprintf(s + n, cap - n, "%s: %s\n", cb_fields[i].label, f->v[i]);
		n += w;
	}
	*len = n;
	return s;
}

int
cmd_init(const struct cb_opts *o)
{
	char	*p, *txt;
	size_t	 len;
	json_t	*e;
	int	 r;

	if (o->npaths != 1)
		cli_usage_error("usage: case-bundle init [field options] DIR\n",
		    "init takes one directory");
	if (mkdir(o->paths[0], 0755) == -1) {
		warn("cannot create '%s'", o->paths[0]);
		return EXIT_TROUBLE;
	}
	p = join(o->paths[0], PAYLOAD_DIR);
	if (mkdir(p, 0755) == -1) {
		warn("cannot create '%s'", p);
		free(p);
		return EXIT_TROUBLE;
	}
	free(p);
	p = join(o->paths[0], FIELDS_FILE);
	txt = fields_text(&o->f, &len);
	r = cb_write_file(p, txt, len);
	free(txt);
	free(p);
	e = json_pack("[o]", custody_entry("init", cb_actor(o->actor),
	    o->epoch >= 0 ? (time_t)o->epoch : time(NULL), NULL));
	if (r == 0)
		r = log_append(o->paths[0], e);
	json_decref(e);
	return r == 0 ? 0 : EXIT_TROUBLE;
}

static int
mkdirs(const char *path)
{
	char	*p = cb_xstrdup(path), *s;

	for (s = strchr(p + 1, '/'); s != NULL; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(p, 0755) == -1 && errno != EEXIST) {
			warn("cannot create '%s'", p);
			free(p);
			return -1;
		}
		*s = '/';
	}
	free(p);
	return 0;
}

/*
 * Copies one item into the staging payload, hashing the same bytes: each
 * slot read is written from and hashed in place, the digests on their
 * threads (as seal does).
 */
static int
stage_copy(struct cb_case *c, struct phash *ph, struct cb_item *it,
    const char *dest)
{
	unsigned char *buf;
	int	 in = -1, out, a;
	ssize_t	 n = 0;

	if (mkdirs(dest) == -1)
		return -1;
	if ((out = open(dest, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444)) == -1) {
		rec_error_in(c->ro, dest, NULL, "cannot add: %s",
		    strerror(errno));
		return -1;
	}
	if (it->src == NULL) {
		phash_inline(ph, it->buf, it->size, it->hex);
		if (write(out, it->buf, it->size) != (ssize_t)it->size)
			n = -1;
	} else if ((in = open(it->src, O_RDONLY | O_CLOEXEC)) == -1)
		n = -1;
	while (in != -1) {
		buf = phash_slot(ph);
		if ((n = read(in, buf, PHASH_SLOT)) <= 0)
			break;
		if (write(out, buf, n) != n) {
			n = -1;
			break;
		}
		phash_submit(ph, n);
	}
	if (in != -1) {
		close(in);
		phash_end(ph, it->hex);
	}
	if (n == -1 || fsync(out) == -1 || close(out) == -1) {
		rec_error_in(c->ro, it->src ? it->src : dest, NULL,
		    "cannot add: %s", strerror(errno));
		unlink(dest);
		return -1;
	}
	for (a = 0; a < HASH_NALGS; a++) {
		if (it->want[a] && strcmp(it->wanthex[a], it->hex[a]) != 0) {
			rec_error_in(c->ro, it->src, NULL, "SHA-256 differs "
			    "from %s: the file changed since it was analysed; "
			    "not added", it->wantwhy);
			unlink(dest);
			return -1;
		}
	}
	return 0;
}

static json_t *
added_file(const struct cb_item *it)
{
	json_t	*f = json_pack("{s:s, s:I, s:s, s:s, s:s}", "name", it->name,
	    "size", (json_int_t)it->size, "sha256", it->hex[HASH_SHA256],
	    "sha512", it->hex[HASH_SHA512], "sm3", it->hex[HASH_SM3]);

	if (it->src != NULL)
		rec_set_str(f, "from", it->src);
	if (it->orig != NULL)
		rec_set_str(f, "original", it->orig);
	return f;
}

int
cmd_add(const struct cb_opts *o)
{
	struct cb_case c;
	struct rec_out *ro;
	json_t	*files = json_array(), *entries;
	struct phash *ph;
	char	*dest, *pdir;
	size_t	 i;
	int	 r = 0;

	if (o->npaths < 1)
		cli_usage_error("usage: case-bundle add DIR PATH ...\n",
		    "add takes the staging directory and what to add");
	ro = rec_open(stdout, TOOL, o->c.json, o->argc, o->argv);
	cb_case_init(&c, o, ro);
	pdir = join(o->paths[0], PAYLOAD_DIR);
	if (cb_gather(&c, o->paths + 1, o->npaths - 1) == -1)
		r = -1;
	for (i = 0; i < (size_t)o->nfindings; i++)
		if (findings_read(&c, o->findings[i]) == -1)
			r = -1;
	if (cb_stdin_findings(o) && findings_read(&c, "-") == -1)
		r = -1;
	if (findings_take(&c) == -1)
		r = -1;
	bag_dedupe(&c);
	ph = phash_new((const EVP_MD *[]){ EVP_sha256(), EVP_sha512(),
	    EVP_sm3() }, HASH_NALGS);
	for (i = 0; r == 0 && i < c.pay.n; i++) {
		dest = join(pdir, c.pay.v[i].name + 5);
		if (stage_copy(&c, ph, &c.pay.v[i], dest) == -1)
			r = -1;
		else
			json_array_append_new(files, added_file(&c.pay.v[i]));
		free(dest);
	}
	phash_free(ph);
	cb_sort_runs(&c);
	entries = json_copy(c.runs);
	json_array_append_new(entries, custody_entry("add", c.actor, c.epoch,
	    json_pack("{s:o}", "files", files)));
	if (json_array_size(json_object_get(json_array_get(entries,
	    json_array_size(entries) - 1), "files")) > 0 &&
	    log_append(o->paths[0], entries) == -1)
		r = -1;
	json_decref(entries);
	if (r == 0 && !o->c.quiet && !o->c.json)
		printf("added %zu file(s) to %s\n", c.pay.n, o->paths[0]);
	rec_close(ro, NULL);
	free(pdir);
	cb_case_free(&c);
	return r == 0 ? 0 : EXIT_TROUBLE;
}

/* The hashes each staged file had when it was added: seal compares. */
static void
expect_from_log(struct cb_case *c, const char *log, size_t len)
{
	size_t	 i = 0, e, k;
	json_t	*o, *f;
	int	 a;

	while (i < len) {
		for (e = i; e < len && log[e] != '\n'; e++)
			;
		if ((o = json_loadb(log + i, e - i, 0, NULL)) != NULL) {
			json_array_foreach(json_object_get(o, "files"), k, f) {
				const char *nm = json_string_value(json_object_get(f, "name"));
				struct cb_item *it = nm ? bag_find(&c->pay, nm) : NULL;

				if (it == NULL)
					continue;
				for (a = 0; a < HASH_NALGS; a++) {
					const char *h = json_string_value(
					    json_object_get(f, hash_name(a)));
					if (h == NULL)
						continue;
					it->want[a] = true;
					snprintf(it->wanthex[a], HASH_HEXMAX, "%s", h);
				}
				free(it->wantwhy);
				it->wantwhy = cb_xstrdup("the hash logged when it was added");
				if (json_object_get(f, "original") && it->orig == NULL)
					it->orig = cb_xstrdup(json_string_value(
					    json_object_get(f, "original")));
			}
			json_decref(o);
		}
		i = e + 1;
	}
}

int
cmd_seal(const struct cb_opts *o)
{
	struct cb_case c;
	struct rec_out *ro;
	char	*p, head[HASH_HEXMAX], msg[256];
	size_t	 i;
	int	 r = 0;

	if (o->npaths != 1 || o->out == NULL)
		cli_usage_error("usage: case-bundle seal [options] -o CASE.tar DIR\n",
		    "seal takes -o and one staging directory");
	ro = rec_open(stdout, TOOL, o->c.json, o->argc, o->argv);
	cb_case_init(&c, o, ro);
	p = join(o->paths[0], FIELDS_FILE);
	{
		struct cb_fieldvals f = { { NULL } };

		if (fields_load(&f, p) == -1)
			r = -1;
		for (i = 0; i < F_NFIELDS; i++)
			if (c.f.v[i] == NULL && f.v[i] != NULL)
				c.f.v[i] = cb_xstrdup(f.v[i]);
		fields_free(&f);
	}
	free(p);
	free(c.bagname);
	c.bagname = NULL;
	bag_safe_name(o->name && *o->name ? o->name : c.f.v[F_CASE_ID] &&
	    *c.f.v[F_CASE_ID] ? c.f.v[F_CASE_ID] : "case", &c.bagname);
	for (char *q = c.bagname; *q; q++)
		if (*q == '/')
			*q = '_';
	p = join(o->paths[0], LOG_FILE);
	if (r == 0 && slurp(p, CB_TAGMAX, &c.logtext, &c.loglen) == -1) {
		warn("cannot read '%s'", p);
		r = -1;
	} else if (r == 0 && custody_check(c.logtext, c.loglen, head, msg,
	    sizeof(msg)) == -1) {
		warnx("'%s': %s; not sealed", p, msg);
		r = -1;
	}
	free(p);
	p = join(o->paths[0], PAYLOAD_DIR);
	if (r == 0 && cb_gather_root(&c, p) == -1)
		r = -1;
	free(p);
	if (r == 0) {
		expect_from_log(&c, c.logtext, c.loglen);
		for (i = 0; i < c.pay.n; i++)
			if (!c.pay.v[i].want[HASH_SHA256]) {
				rec_error_in(ro, c.pay.v[i].src, NULL,
				    "not added through case-bundle add; "
				    "not sealed");
				r = -1;
			}
	}
	if (r == 0)
		r = cb_seal(&c);
	rec_close(ro, NULL);
	cb_case_free(&c);
	return r == 0 ? 0 : EXIT_TROUBLE;
}
