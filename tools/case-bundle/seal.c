/*
 * Sealing: the bag written as one deterministic tar.  The BagIt
 * declaration comes first, then the payload, each file read once into
 * hashing slots that the archive is written from: SHA-256, SHA-512 and SM3
 * of the file and SHA-256 and SM3 of the archive all take the same memory,
 * on threads (phash.c); then the tag files that depend on those hashes:
 * manifests,
 * custody log, evidence list, tag manifests, signature and timestamp.
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
#include "ftype.h"
#include "progress.h"

static int
check_want(struct cb_case *c, struct cb_item *it)
{
	int	 a;

	for (a = 0; a < HASH_NALGS; a++)
		if (it->want[a] && strcmp(it->wanthex[a], it->hex[a]) != 0) {
			rec_error_in(c->ro, it->src, NULL, "%s differs from "
			    "%s: the file changed since then; not sealed",
			    a == HASH_SHA256 ? "SHA-256" : hash_name(a),
			    it->wantwhy ? it->wantwhy : "the record");
			return -1;
		}
	return 0;
}

static void
set_mime(struct cb_item *it, const unsigned char *head, size_t len)
{
	ftype_mime(head, len, it->mime, sizeof(it->mime));
	if (it->category == NULL)
		it->category = cb_xstrdup(bag_category(it->mime, it->name));
}

/* Streams one file into the archive while the digests run beside. */
static int
pack_file(struct cb_case *c, struct tarw *t, struct phash *ph,
    struct cb_item *it, const char *path)
{
	struct stat st;
	unsigned char *buf;
	uint64_t done = 0;
	ssize_t	 n;
	int	 fd, arc;

	if ((fd = open(it->src, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1) {
		rec_error(c->ro, it->src, NULL, "cannot open '%s': %s", it->src,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	if ((uint64_t)st.st_size != it->size) {
		rec_error_in(c->ro, it->src, NULL, "changed size since it was "
		    "listed; not sealed");
		close(fd);
		return -1;
	}
	if (tarw_begin(t, path, it->size) == -1) {
		close(fd);
		return -1;
	}
	if (it->size <= PHASH_SMALL) {
		/* read whole, hash inline: no thread handoff, no wait for a slot */
		size_t	 got = 0;

		buf = c->small;
		while (got < it->size + 1 &&
		    (n = read(fd, buf + got, it->size + 1 - got)) > 0)
			got += n;
		if (n == -1 || got != it->size)
			goto changed;
		set_mime(it, buf, got);
		phash_inline(ph, buf, got, it->hex);
		close(fd);
		return tarw_data(t, buf, got);
	}
	for (;;) {
		/* the archive's staged bytes go before this slot's */
		if (tarw_flush(t) == -1) {
			close(fd);
			return -1;
		}
		buf = phash_slot(ph);
		if ((n = read(fd, buf, PHASH_SLOT)) <= 0)
			break;
		if (done == 0)
			set_mime(it, buf, (size_t)n);
		if (done + n > it->size)
			break;
		if ((arc = tarw_data_slot(t, buf, n)) == -1) {
			close(fd);
			return -1;
		}
		phash_submit_to(ph, n, PH_PAY | (unsigned)arc);
		done += n;
	}
	/* the digests end on their threads; write_payload() waits for them */
	phash_close(ph, it->hex);
	if (n == -1 || done != it->size)
		goto changed;
	close(fd);
	return 0;
changed:
	rec_error_in(c->ro, it->src, NULL, "%s while sealing; not sealed",
	    n == -1 ? strerror(errno) : "changed size");
	close(fd);
	return -1;
}

static char *
bag_path(const struct cb_case *c, const char *name)
{
	size_t	 n = strlen(c->bagname) + strlen(name) + 2;
	char	*p = cb_xmalloc(n);

	snprintf(p, n, "%s/%s", c->bagname, name);
	return p;
}

/*
 * Directory entries for every parent of name not yet written: names come
 * sorted, so a directory's files are contiguous and *lastdir (the deepest
 * directory written so far) says which parents exist.
 */
static int
write_dirs(struct cb_case *c, struct tarw *t, const char *name, char **lastdir)
{
	const char *s;
	char	*dir = NULL, *p;
	int	 r = 0;

	for (s = strchr(name, '/'); s != NULL && r == 0; s = strchr(s + 1, '/')) {
		free(dir);
		if ((dir = strndup(name, s - name + 1)) == NULL)
			err(EXIT_TROUBLE, NULL);
		if (*lastdir != NULL && strncmp(*lastdir, dir, strlen(dir)) == 0)
			continue;
		p = bag_path(c, dir);
		r = tarw_dir(t, p);
		free(p);
	}
	if (dir != NULL) {
		free(*lastdir);
		*lastdir = dir;
	}
	return r;
}

static int
pack_item(struct cb_case *c, struct tarw *t, struct phash *ph,
    struct cb_item *it, char **lastdir)
{
	char	*p;
	int	 r;

	if (write_dirs(c, t, it->name, lastdir) == -1)
		return -1;
	p = bag_path(c, it->name);
	if (it->src != NULL) {
		r = pack_file(c, t, ph, it, p);
	} else {
		if (it->mime[0] == '\0')
			set_mime(it, it->buf, it->size);
		phash_inline(ph, it->buf, it->size, it->hex);
		r = tarw_mem(t, p, it->buf, it->size);
	}
	free(p);
	return r;
}

static void
tag_mem(struct cb_case *c, const char *name, char *buf, size_t len)
{
	struct cb_item *it = bag_find(&c->tag, name);
	struct hash_hex h;
	int	 a;

	if (it == NULL)
		it = bag_add_mem(&c->tag, name, buf, len);
	else {
		free(it->buf);
		it->buf = (unsigned char *)buf;
		it->size = len;
	}
	hash_buffer(buf, len, HASH_ALL, &h);
	for (a = 0; a < HASH_NALGS; a++)
		memcpy(it->hex[a], h.hex[a], HASH_HEXMAX);
}

/* The custody entries this seal adds, ending with the seal itself. */
static json_t *
seal_entries(struct cb_case *c)
{
	json_t	*out = json_array(), *run, *d;
	const struct cb_item *m = bag_find(&c->tag, "manifest-sha256.txt");
	size_t	 i;

	json_array_foreach(c->runs, i, run)
		json_array_append(out, run);
	d = json_pack("{s:s, s:I, s:I, s:s}", "bag", c->bagname,
	    "payload_files", (json_int_t)c->pay.n,
	    "payload_bytes", (json_int_t)bag_oxum_bytes(c),
	    "manifest_sha256", m ? m->hex[HASH_SHA256] : "");
	json_array_append_new(out, custody_entry("seal", c->actor, c->epoch, d));
	return out;
}

static void
make_tags(struct cb_case *c)
{
	size_t	 len, olen = 0;
	char	*s, head[HASH_HEXMAX];
	json_t	*entries;
	int	 a;

	for (a = 0; a < HASH_NALGS; a++) {
		char name[64];

		snprintf(name, sizeof(name), "manifest-%s.txt", hash_name(a));
		s = bag_manifest(&c->pay, a, &len);
		tag_mem(c, name, s, len);
	}
	entries = seal_entries(c);
	s = custody_chain(c->logtext ? c->logtext : "", c->logtext ?
	    c->loglen : 0, entries, &olen, head);
	json_decref(entries);
	tag_mem(c, CB_CUSTODY, s, olen);
	s = custody_uco(c, s, olen, &len);
	tag_mem(c, "case/custody-uco.jsonld", s, len);
	s = evlist_csv(c, &len);
	tag_mem(c, "case/evidence-list.csv", s, len);
	s = evlist_json(c, &len);
	tag_mem(c, "case/evidence-list.json", s, len);
	s = evlist_html(c, &len);
	tag_mem(c, "case/evidence-list.html", s, len);
}

static int
tag_manifests(struct cb_case *c)
{
	struct cb_list l = { NULL, 0, 0 };
	size_t	 i, len;
	char	*s, name[64];
	int	 a;

	bag_sort(&c->tag);
	for (i = 0; i < c->tag.n; i++)
		bag_add(&l, &c->tag.v[i]);	/* shallow: names only */
	for (a = 0; a < HASH_NALGS; a++) {
		snprintf(name, sizeof(name), "tagmanifest-%s.txt", hash_name(a));
		s = bag_manifest(&l, a, &len);
		tag_mem(c, name, s, len);
	}
	free(l.v);
	return 0;
}

static int
read_small(const char *path, size_t max, char **buf, size_t *len)
{
	FILE	*fp = fopen(path, "rb");
	size_t	 n;

	if (fp == NULL) {
		warn("cannot open '%s'", path);
		return -1;
	}
	*buf = cb_xmalloc(max + 1);
	n = fread(*buf, 1, max + 1, fp);
	if (ferror(fp) || n > max) {
		warnx("cannot read '%s': %s", path, n > max ? "too large" :
		    "read error");
		fclose(fp);
		free(*buf);
		return -1;
	}
	fclose(fp);
	*len = n;
	return 0;
}

/* Signature, timestamp request and reply: over tagmanifest-sha256.txt. */
static int
seal_tags(struct cb_case *c)
{
	struct cb_item *tm;
	char	*s, *pub, info[256];
	size_t	 len, publen;
	unsigned char *der;

	if (c->sign_key != NULL) {
		if (sign_make(c->sign_key, NULL, 0, NULL, NULL, &pub, &publen) == -1)
			return -1;
		tag_mem(c, CB_PUBKEY, pub, publen);
	}
	tag_manifests(c);
	tm = bag_find(&c->tag, CB_SIGNED);
	if (c->sign_key != NULL) {
		if (sign_make(c->sign_key, tm->buf, tm->size, &s, &len, NULL,
		    NULL) == -1)
			return -1;
		tag_mem(c, CB_SIG, s, len);
		tm = bag_find(&c->tag, CB_SIGNED);
	}
	if (sign_tsq(tm->buf, tm->size, &der, &len) == -1) {
		warnx("cannot make the timestamp request");
		return -1;
	}
	tag_mem(c, CB_TSQ, (char *)der, len);
	tm = bag_find(&c->tag, CB_SIGNED);
	if (c->tsr != NULL) {
		if (read_small(c->tsr, 1 << 20, &s, &len) == -1)
			return -1;
		if (sign_tsr_check((unsigned char *)s, len, tm->buf, tm->size,
		    NULL, info, sizeof(info)) != 1) {
			warnx("'%s': not a timestamp of this bag's tag manifest: %s",
			    c->tsr, info);
			free(s);
			return -1;
		}
		tag_mem(c, CB_TSR, s, len);
	}
	return 0;
}

static int
write_payload(struct cb_case *c, struct tarw *t)
{
	struct phash *ph = c->ph;
	struct progress *pg = progress_new(c->o->c.quiet);
	char	*lastdir = cb_xstrdup("data/"), *p = bag_path(c, "data/");
	size_t	 i;
	int	 r = tarw_dir(t, p);

	free(p);
	c->small = cb_xmalloc(PHASH_SMALL + 1);
	progress_total(pg, c->pay.n, bag_oxum_bytes(c));
	for (i = 0; i < c->pay.n && r == 0; i++) {
		r = pack_item(c, t, ph, &c->pay.v[i], &lastdir);
		progress_add(pg, 1, c->pay.v[i].size);
	}
	/*
	 * Only now are all the digests known: a file that differs from what
	 * a finding said stops the seal here, before any tag file is written.
	 */
	phash_sync(ph);
	for (i = 0; i < c->pay.n && r == 0; i++)
		if (c->pay.v[i].src != NULL)
			r = check_want(c, &c->pay.v[i]);
	progress_end(pg);
	free(c->small);
	c->small = NULL;
	free(lastdir);
	return r;
}

static int
write_tags(struct cb_case *c, struct tarw *t, bool first)
{
	char	*lastdir = NULL, *p;
	size_t	 i;
	int	 r = 0;
	bool	 decl;

	for (i = 0; i < c->tag.n && r == 0; i++) {
		struct cb_item *it = &c->tag.v[i];

		decl = strcmp(it->name, "bagit.txt") == 0 ||
		    strcmp(it->name, "bag-info.txt") == 0;
		if (decl != first)
			continue;
		if ((r = write_dirs(c, t, it->name, &lastdir)) == -1)
			break;
		p = bag_path(c, it->name);
		r = tarw_mem(t, p, it->buf, it->size);
		free(p);
	}
	free(lastdir);
	return r;
}

static int
sidecar(const char *out, const char *ext, const char *hex)
{
	size_t	 n = strlen(out) + 16;
	char	*p = cb_xmalloc(n), *line;
	const char *b = strrchr(out, '/');
	int	 r;

	snprintf(p, n, "%s.%s", out, ext);
	if (asprintf(&line, "%s  %s\n", hex, b ? b + 1 : out) == -1)
		err(EXIT_TROUBLE, NULL);
	r = cb_write_file(p, line, strlen(line));
	free(line);
	free(p);
	return r;
}

static void
report_sealed(struct cb_case *c, char hex[2][HASH_HEXMAX], uint64_t size)
{
	json_t	*r;

	if (rec_json(c->ro)) {
		r = rec_new("bundle");
		rec_set_str(r, "path", c->out);
		rec_set_str(r, "bag", c->bagname);
		json_object_set_new(r, "payload_files", json_integer(c->pay.n));
		json_object_set_new(r, "payload_bytes",
		    json_integer(bag_oxum_bytes(c)));
		json_object_set_new(r, "size", json_integer(size));
		json_object_set_new(r, "sha256", json_string(hex[0]));
		json_object_set_new(r, "sm3", json_string(hex[1]));
		json_object_set_new(r, "signed", json_boolean(c->sign_key));
		json_object_set_new(r, "timestamp_reply", json_boolean(c->tsr));
		rec_emit(c->ro, r);
		return;
	}
	printf("sealed %s: bag '%s', %zu payload file(s), %llu bytes%s\n",
	    c->out, c->bagname, c->pay.n,
	    (unsigned long long)bag_oxum_bytes(c),
	    c->sign_key ? ", signed" : "");
	printf("sha256  %s  %s\n", hex[0], c->out);
	printf("sm3     %s  %s\n", hex[1], c->out);
}

int
cb_seal(struct cb_case *c)
{
	/* the payload's three digests, and the archive's own two */
	const EVP_MD *mds[] = { EVP_sha256(), EVP_sha512(), EVP_sm3(),
	    EVP_sha256(), EVP_sm3() };
	const unsigned streams[] = { PH_PAY, PH_PAY, PH_PAY, PH_ARC, PH_ARC };
	struct tarw *t;
	int	 r;
	char	*s, hex[2][HASH_HEXMAX], *p;
	size_t	 len;
	uint64_t size;

	bag_dedupe(c);
	s = cb_xstrdup("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n");
	tag_mem(c, "bagit.txt", s, strlen(s));
	s = bag_info_text(c, &len);
	tag_mem(c, "bag-info.txt", s, len);
	bag_sort(&c->tag);
	c->ph = phash_new2(mds, streams, 5);
	if ((t = tarw_open(c->out, c->compress, c->epoch, c->ph)) == NULL) {
		phash_free(c->ph);
		return -1;
	}
	p = bag_path(c, "");
	if (tarw_dir(t, p) == -1 || write_tags(c, t, true) == -1 ||
	    write_payload(c, t) == -1) {
		free(p);
		goto fail;
	}
	free(p);
	make_tags(c);
	if (seal_tags(c) == -1)
		goto fail;
	bag_sort(&c->tag);
	if (write_tags(c, t, false) == -1)
		goto fail;
	r = tarw_commit(t, hex, &size);
	phash_free(c->ph);
	c->ph = NULL;
	if (r == -1)
		return -1;
	if (sidecar(c->out, "sha256", hex[0]) == -1 ||
	    sidecar(c->out, "sm3", hex[1]) == -1)
		return -1;
	report_sealed(c, hex, size);
	return 0;
fail:
	if (tarw_error(t)[0] != '\0')
		warnx("cannot write '%s': %s", c->out, tarw_error(t));
	tarw_abort(t);
	phash_free(c->ph);
	c->ph = NULL;
	return -1;
}

