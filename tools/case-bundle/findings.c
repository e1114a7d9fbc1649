/*
 * Findings: the record streams of imgforge-check, complaint-dedupe and
 * chatlog-grep.  Each stream is packed as it came under data/findings/;
 * each file a record names is packed too, and must still hash to the
 * SHA-256 the record gives, or the seal stops (the file changed after it
 * was analysed).  Each stream's header becomes an analysis entry in the
 * custody log: tool, version and arguments, the method the rules ask for.
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cb.h"
#include "input.h"

#define STREAMMAX	(512u << 20)

struct named {
	char	*path, *member, *sha256, *why;
	char	*note;		/* for the list's 备注: what the tool said */
};

static struct named *named;
static size_t nnamed, capnamed;

static void
name_file(const char *path, const char *member, const char *sha, const char *why,
    const char *note)
{
	if (nnamed == capnamed) {
		capnamed = capnamed ? 2 * capnamed : 64;
		named = realloc(named, capnamed * sizeof(*named));
		if (named == NULL)
			err(EXIT_TROUBLE, NULL);
	}
	named[nnamed].path = cb_xstrdup(path);
	named[nnamed].member = member ? cb_xstrdup(member) : NULL;
	named[nnamed].sha256 = sha ? cb_xstrdup(sha) : NULL;
	named[nnamed].why = cb_xstrdup(why);
	named[nnamed].note = note ? cb_xstrdup(note) : NULL;
	nnamed++;
}

static const char *
jstr(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void
take_record(struct cb_case *c, json_t *r, const char *tool)
{
	const char *type = jstr(r, "type"), *p;
	char	 why[128], note[160] = "";
	json_t	*m;
	size_t	 i;

	snprintf(why, sizeof(why), "the %s record", tool);
	if (type == NULL || strcmp(type, "error") == 0 ||
	    strcmp(type, "summary") == 0)
		return;
	if (strcmp(type, "image") == 0 && jstr(r, "verdict") != NULL)
		snprintf(note, sizeof(note), "%s: %s", tool, jstr(r, "verdict"));
	else if (strcmp(type, "cluster") == 0)
		snprintf(note, sizeof(note), "%s: cluster %lld", tool,
		    (long long)json_integer_value(json_object_get(r, "id")));
	else if (strcmp(type, "hit") == 0)
		snprintf(note, sizeof(note), "%s: hits", tool);
	if ((p = jstr(r, "path")) != NULL)
		name_file(p, jstr(r, "member"), jstr(r, "sha256"), why, note);
	/* A row of an export carries its file's hash too (row_sha256 is the
	 * row's own), so it is checked like any other file. */
	json_array_foreach(json_object_get(r, "members"), i, m)
		if ((p = jstr(m, "path")) != NULL)
			name_file(p, jstr(m, "member"), jstr(m, "sha256"), why,
			    note);
	/* imgforge-check's maps: packed beside, not checked (made by the run) */
	if ((p = jstr(r, "overlay")) != NULL)
		name_file(p, NULL, NULL, "overlay", NULL);
	if ((p = jstr(r, "mask")) != NULL)
		name_file(p, NULL, NULL, "mask", NULL);
	(void)c;
}

static void
take_header(struct cb_case *c, json_t *h)
{
	json_t	*e = custody_entry("analysis", c->actor, c->epoch, NULL);

	if (jstr(h, "started") != NULL)
		json_object_set(e, "time", json_object_get(h, "started"));
	json_object_set_new(e, "tool", json_string(jstr(h, "tool") ?
	    jstr(h, "tool") : "unknown"));
	json_object_set_new(e, "version", json_string(jstr(h, "version") ?
	    jstr(h, "version") : "unknown"));
	if (json_is_array(json_object_get(h, "argv")))
		json_object_set(e, "argv", json_object_get(h, "argv"));
	json_array_append_new(c->runs, e);
}

/* Parses every line; the stream itself is packed whole. */
static int
parse_stream(struct cb_case *c, const char *label, char *buf, size_t len,
    char *tool, size_t toollen)
{
	size_t	 i = 0, e, lineno = 0;
	json_t	*r;
	char	 msg[256];

	snprintf(tool, toollen, "findings");
	while (i < len) {
		for (e = i; e < len && buf[e] != '\n'; e++)
			;
		lineno++;
		if (e > i) {
			if ((r = rec_parse(buf + i, e - i, msg, sizeof(msg))) == NULL) {
				rec_error_in(c->ro, label, NULL, "line %zu: %s",
				    lineno, msg);
				return -1;
			}
			if (jstr(r, "type") && strcmp(jstr(r, "type"), "header") == 0) {
				take_header(c, r);
				if (jstr(r, "tool"))
					snprintf(tool, toollen, "%s", jstr(r, "tool"));
			} else
				take_record(c, r, tool);
			json_decref(r);
		}
		i = e + 1;
	}
	return 0;
}

static int
slurp(const char *path, char **buf, size_t *len)
{
	FILE	*fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	size_t	 cap = 1 << 16, n = 0, r;

	if (fp == NULL)
		return -1;
	*buf = cb_xmalloc(cap);
	while ((r = fread(*buf + n, 1, cap - n, fp)) > 0) {
		n += r;
		if (n == cap) {
			if (cap >= STREAMMAX) {
				errno = EFBIG;
				goto fail;
			}
			cap *= 2;
			if ((*buf = realloc(*buf, cap)) == NULL)
				err(EXIT_TROUBLE, NULL);
		}
	}
	if (ferror(fp))
		goto fail;
	if (fp != stdin)
		fclose(fp);
	*len = n;
	return 0;
fail:
	if (fp != stdin)
		fclose(fp);
	free(*buf);
	return -1;
}

int
findings_read(struct cb_case *c, const char *path)
{
	char	*buf, tool[64], name[160], *safe;
	size_t	 len;
	struct hash_hex h;
	const char *label = strcmp(path, "-") == 0 ? "(standard input)" : path;

	if (slurp(path, &buf, &len) == -1) {
		rec_error(c->ro, label, NULL, "cannot read '%s': %s", label,
		    strerror(errno));
		return -1;
	}
	if (len == 0) {
		free(buf);
		return 0;
	}
	if (parse_stream(c, label, buf, len, tool, sizeof(tool)) == -1) {
		free(buf);
		return -1;
	}
	/* named by content, so the order streams come in does not matter */
	hash_buffer(buf, len, HASH_BIT(HASH_SHA256), &h);
	bag_safe_name(tool, &safe);
	snprintf(name, sizeof(name), "data/findings/%s-%.12s.jsonl", safe,
	    h.hex[HASH_SHA256]);
	free(safe);
	if (bag_find(&c->pay, name) == NULL)
		bag_add_mem(&c->pay, name, buf, len);
	else
		free(buf);
	return 0;
}

/* ---- the files the records name */

struct member_check {
	struct cb_case *c;
	const char *path;
	int	 bad;
};

static int
check_member(struct input_item *it, void *arg)
{
	struct member_check *mc = arg;
	struct hash_hex h;
	size_t	 i;

	if (it->member == NULL || input_finish(it, &h) == -1)
		return 0;
	for (i = 0; i < nnamed; i++) {
		if (named[i].member == NULL || named[i].sha256 == NULL ||
		    strcmp(named[i].path, mc->path) != 0 ||
		    strcmp(named[i].member, it->member) != 0)
			continue;
		if (strcmp(named[i].sha256, h.hex[HASH_SHA256]) != 0) {
			rec_error_in(mc->c->ro, mc->path, it->member, "SHA-256 "
			    "differs from %s: the file changed since it was "
			    "analysed; not sealed", named[i].why);
			mc->bad++;
		}
		free(named[i].sha256);
		named[i].sha256 = NULL;		/* checked */
	}
	return 0;
}

/* Members are checked by streaming their archive once, never extracted. */
static int
check_archive(struct cb_case *c, const char *path)
{
	struct input_opts io;
	struct member_check mc = { c, path, 0 };
	char	*p = (char *)path;
	size_t	 i;

	input_opts_default(&io);
	io.hashes = HASH_BIT(HASH_SHA256);
	input_walk(&io, &p, 1, c->ro, check_member, &mc);
	for (i = 0; i < nnamed; i++)
		if (named[i].member != NULL && named[i].sha256 != NULL &&
		    strcmp(named[i].path, path) == 0) {
			rec_error_in(c->ro, path, named[i].member,
			    "member named in %s not found in the archive",
			    named[i].why);
			mc.bad++;
			free(named[i].sha256);
			named[i].sha256 = NULL;
		}
	return mc.bad ? -1 : 0;
}

/* Notes gather in the item's remark, each once: "imgforge-check: forged". */
static void
add_note(struct cb_item *it, const char *note)
{
	char	*s;

	if (note == NULL || *note == '\0' ||
	    (it->remark != NULL && strstr(it->remark, note) != NULL))
		return;
	if (asprintf(&s, "%s%s%s", it->remark ? it->remark : "",
	    it->remark ? "; " : "", note) == -1)
		err(EXIT_TROUBLE, NULL);
	free(it->remark);
	it->remark = s;
}

static int
take_one(struct cb_case *c, struct named *n)
{
	struct stat st;
	struct cb_item *it;
	char	 rel[512];

	if (stat(n->path, &st) == -1 || !S_ISREG(st.st_mode)) {
		rec_error_in(c->ro, n->path, NULL, "named in %s but %s", n->why,
		    errno == ENOENT ? "missing" : "not a regular file");
		return -1;
	}
	if (strcmp(n->why, "overlay") == 0 || strcmp(n->why, "mask") == 0)
		snprintf(rel, sizeof(rel), "findings/maps/%s", cb_base_name(n->path));
	else
		snprintf(rel, sizeof(rel), "%s", cb_base_name(n->path));
	it = cb_add_file(c, n->path, rel, &st);
	add_note(it, n->note);
	if (n->member != NULL)
		return n->sha256 != NULL ? check_archive(c, n->path) : 0;
	if (n->sha256 == NULL)
		return 0;
	if (it->want[HASH_SHA256] && strcmp(it->wanthex[HASH_SHA256],
	    n->sha256) != 0) {
		rec_error_in(c->ro, n->path, NULL, "two records give it "
		    "different SHA-256 values; not sealed");
		return -1;
	}
	it->want[HASH_SHA256] = true;
	snprintf(it->wanthex[HASH_SHA256], HASH_HEXMAX, "%s", n->sha256);
	free(it->wantwhy);
	it->wantwhy = cb_xstrdup(n->why);
	return 0;
}

/* Files named in paths the user gave first keep the names they got there. */
int
findings_take(struct cb_case *c)
{
	size_t	 i;
	int	 r = 0;

	for (i = 0; i < nnamed; i++)
		if (take_one(c, &named[i]) == -1)
			r = -1;
	for (i = 0; i < nnamed; i++) {
		free(named[i].path);
		free(named[i].member);
		free(named[i].sha256);
		free(named[i].why);
		free(named[i].note);
	}
	free(named);
	named = NULL;
	nnamed = capnamed = 0;
	return r;
}
