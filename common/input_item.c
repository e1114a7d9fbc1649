/*
 * One input item, a file or an archive member, read as a stream.  The
 * first bytes are kept aside for type detection, and every byte that
 * passes is hashed, so the tool and the hash share one read.
 */
#include "config.h"

#include <archive.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ftype.h"
#include "input_priv.h"

static void __attribute__((format(printf, 2, 3)))
item_fail(struct input_item *it, const char *fmt, ...)
{
	va_list	 ap;

	if (!it->failed) {
		va_start(ap, fmt);
		vsnprintf(it->errmsg, sizeof(it->errmsg), fmt, ap);
		va_end(ap);
	}
	it->failed = true;
}

/* Archive caps, checked as bytes come out so that a bomb never expands far. */
static int
archive_caps(struct input_item *it, size_t n)
{
	struct input_archive_state *as = it->arch;
	const struct input_limits *lim = it->archive_limits;

	as->expanded += n;
	if (as->expanded > lim->max_expanded) {
		as->refused = true;
		item_fail(it, "archive '%s' refused: expands past %llu bytes",
		    it->path, (unsigned long long)lim->max_expanded);
		return -1;
	}
	if (as->expanded > lim->ratio_floor &&
	    as->expanded / (as->outer_size ? as->outer_size : 1) > lim->max_ratio) {
		as->refused = true;
		item_fail(it, "archive '%s' refused: expands more than %llu "
		    "times its size (an archive bomb?)", it->path,
		    (unsigned long long)lim->max_ratio);
		return -1;
	}
	return 0;
}

static ssize_t
raw_read(struct input_item *it, void *buf, size_t n)
{
	ssize_t	 r;

	if (it->eof || it->failed)
		return it->failed ? -1 : 0;
	if (it->archive != NULL) {
		r = archive_read_data(it->archive, buf, n);
		if (r < 0)
			item_fail(it, "cannot read '%s': %s", it->path,
			    archive_error_string(it->archive));
		else if (r > 0 && archive_caps(it, (size_t)r) == -1)
			r = -1;
	} else {
		do
			r = read(it->fd, buf, n);
		while (r == -1 && errno == EINTR);
		if (r < 0)
			item_fail(it, "cannot read '%s': %s", it->path,
			    strerror(errno));
	}
	if (r < 0)
		return -1;
	if (r == 0)
		it->eof = true;
	hash_update(&it->hash, buf, (size_t)r);
	it->nread += (uint64_t)r;
	return r;
}

int
item_begin(struct input_item *it, const struct input_opts *o, const char *path,
    const char *member, int fd, void *archive, struct input_archive_state *as,
    int64_t declared)
{
	ssize_t	 r;

	memset(it, 0, sizeof(*it));
	it->path = path;
	it->member = member;
	it->fd = fd;
	it->archive = archive;
	it->arch = as;
	it->archive_limits = &o->lim;
	it->declared_size = declared;
	if (hash_init(&it->hash, o->hashes) == -1 ||
	    (it->head = malloc(INPUT_HEADMAX)) == NULL) {
		item_fail(it, "cannot read '%s': out of memory", it->path);
		return -1;
	}
	while (it->headlen < INPUT_HEADMAX && !it->eof) {
		r = raw_read(it, it->head + it->headlen, INPUT_HEADMAX - it->headlen);
		if (r < 0)
			return -1;
		it->headlen += (size_t)r;
	}
	ftype_mime(it->head, it->headlen, it->mime, sizeof(it->mime));
	return 0;
}

void
item_end(struct input_item *it)
{
	hash_free(&it->hash);
	free(it->head);
	it->head = NULL;
}

const unsigned char *
input_head(struct input_item *it, size_t *len)
{
	*len = it->headlen;
	return it->head;
}

ssize_t
input_read(struct input_item *it, void *buf, size_t n)
{
	size_t	 avail = it->headlen - it->headpos;

	if (avail > 0) {
		if (n > avail)
			n = avail;
		memcpy(buf, it->head + it->headpos, n);
		it->headpos += n;
		return (ssize_t)n;
	}
	return raw_read(it, buf, n);
}

int
input_slurp(struct input_item *it, size_t max, unsigned char **bufp,
    size_t *lenp)
{
	unsigned char *buf = NULL, *nb;
	size_t	 len = 0, cap = 0;
	ssize_t	 r;

	for (;;) {
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : (it->headlen + 65536);
			if ((nb = realloc(buf, cap + 1)) == NULL) {
				item_fail(it, "cannot read '%s': out of memory", it->path);
				goto fail;
			}
			buf = nb;
		}
		if ((r = input_read(it, buf + len, cap - len)) < 0)
			goto fail;
		if (r == 0)
			break;
		len += (size_t)r;
		if (len > max) {
			item_fail(it, "'%s' is too large: over %zu bytes",
			    it->path, max);
			goto fail;
		}
	}
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	return 0;
fail:
	free(buf);
	return -1;
}

int
input_finish(struct input_item *it, struct hash_hex *out)
{
	unsigned char scratch[65536];
	ssize_t	 r;

	it->headpos = it->headlen;
	while ((r = raw_read(it, scratch, sizeof(scratch))) > 0)
		;
	if (r < 0)
		return -1;
	hash_final(&it->hash, out);
	return 0;
}

const char *
input_error(const struct input_item *it)
{
	return it->failed ? it->errmsg : NULL;
}
