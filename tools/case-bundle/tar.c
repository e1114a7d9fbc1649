/*
 * The deterministic writer: pax (restricted) tar through libarchive, every
 * member owned by 0:0 with fixed modes and one mtime, no atime or ctime,
 * gzip without a timestamp.  The archive is written to an unnamed file
 * (O_TMPFILE) in the output's directory and linked into place only when
 * complete and synced, so a run killed at any point leaves nothing there.
 * Every byte written also goes to the PH_ARC digests of the caller's phash
 * (the archive's own SHA-256 and SM3), so the archive is never read back.
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "cb.h"

struct tarw {
	struct archive	*a;
	int		 fd;
	char		*out;
	char		*tmpname;	/* when O_TMPFILE is not available */
	time_t		 mtime;
	struct phash	*ph;		/* PH_ARC: the archive's SHA-256 and SM3 */
	unsigned char	*stg;		/* headers, padding, small files */
	size_t		 stglen, stgcap;
	const void	*pass;		/* the caller's slot, written as is */
	size_t		 passlen;
	bool		 passed;
	uint64_t	 written, kicked;
	char		 err[512];
};

static char *
dirof(const char *path)
{
	char	*d = cb_xstrdup(path), *s = strrchr(d, '/');

	if (s == NULL) {
		free(d);
		return cb_xstrdup(".");
	}
	if (s == d)
		s[1] = '\0';
	else
		*s = '\0';
	return d;
}

/* An unnamed file beside the output, or a named temporary one as fallback. */
static int
open_tmp(struct tarw *t)
{
	char	*dir = dirof(t->out);
	size_t	 n;

	t->fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
	if (t->fd == -1) {
		n = strlen(t->out) + 16;
		t->tmpname = cb_xmalloc(n);
		snprintf(t->tmpname, n, "%s.tmpXXXXXX", t->out);
		t->fd = mkstemp(t->tmpname);
		if (t->fd == -1) {
			free(t->tmpname);
			t->tmpname = NULL;
		} else
			fchmod(t->fd, 0644);
	}
	free(dir);
	return t->fd == -1 ? -1 : 0;
}

static int
aerr(struct tarw *t, const char *what)
{
	snprintf(t->err, sizeof(t->err), "%s: %s", what,
	    archive_error_string(t->a) ? archive_error_string(t->a) :
	    strerror(errno));
	return -1;
}

static int
write_all(struct tarw *t, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	ssize_t	 w;

	for (; len > 0; p += w, len -= (size_t)w)
		if ((w = write(t->fd, p, len)) <= 0) {
			if (w == -1 && errno == EINTR) {
				w = 0;
				continue;
			}
			snprintf(t->err, sizeof(t->err), "%s",
			    strerror(w == 0 ? EIO : errno));
			return -1;
		}
	t->written += (uint64_t)(p - (const unsigned char *)buf);
#ifdef SYNC_FILE_RANGE_WRITE
	/*
	 * Start writing back as we go, so that the fsync at the end has
	 * little left to wait for.
	 */
	if (t->written - t->kicked >= (64u << 20)) {
		sync_file_range(t->fd, (off_t)t->kicked,
		    (off_t)(t->written - t->kicked), SYNC_FILE_RANGE_WRITE);
		t->kicked = t->written;
	}
#endif
	return 0;
}

/*
 * libarchive writes unblocked (bytes per block 0), so a member's data
 * reaches this callback as the very buffer the caller gave: when that is
 * the caller's hashing slot it is written from there and hashed there, no
 * copy.  Everything else (headers, padding, compressed output) is staged
 * and written and hashed at the next tarw_flush().
 */
static la_ssize_t
write_cb(struct archive *a, void *arg, const void *buf, size_t len)
{
	struct tarw *t = arg;

	if (buf == t->pass && len == t->passlen && t->stglen == 0) {
		if (write_all(t, buf, len) == -1) {
			archive_set_error(a, EIO, "%s", t->err);
			return -1;
		}
		t->passed = true;
		return (la_ssize_t)len;
	}
	if (t->stglen + len > t->stgcap) {
		size_t	 cap = t->stgcap ? t->stgcap : PHASH_SLOT;

		while (cap < t->stglen + len)
			cap *= 2;
		if ((t->stg = realloc(t->stg, cap)) == NULL)
			err(EXIT_TROUBLE, NULL);
		t->stgcap = cap;
	}
	memcpy(t->stg + t->stglen, buf, len);
	t->stglen += len;
	return (la_ssize_t)len;
}

int
tarw_flush(struct tarw *t)
{
	if (t->stglen == 0)
		return 0;
	if (write_all(t, t->stg, t->stglen) == -1)
		return -1;
	phash_put(t->ph, t->stg, t->stglen, PH_ARC);
	t->stglen = 0;
	return 0;
}

/* At a point where the caller holds no slot: a full stage is written. */
static int
maybe_flush(struct tarw *t)
{
	return t->stglen >= PHASH_SLOT ? tarw_flush(t) : 0;
}

struct tarw *
tarw_open(const char *out, int compress, time_t mtime, struct phash *ph)
{
	struct tarw *t = cb_xmalloc(sizeof(*t));

	memset(t, 0, sizeof(*t));
	t->out = cb_xstrdup(out);
	t->mtime = mtime;
	t->ph = ph;
	if (open_tmp(t) == -1) {
		warn("cannot create '%s'", out);
		free(t->out);
		free(t);
		return NULL;
	}
	t->a = archive_write_new();
	archive_write_set_format_pax_restricted(t->a);
	if (compress == 'z') {
		archive_write_add_filter_gzip(t->a);
		archive_write_set_filter_option(t->a, "gzip", "timestamp", NULL);
	} else if (compress == 's')
		archive_write_add_filter_zstd(t->a);
	archive_write_set_bytes_per_block(t->a, 0);
	if (archive_write_open2(t->a, t, NULL, write_cb, NULL, NULL) !=
	    ARCHIVE_OK) {
		warnx("cannot write '%s': %s", out, archive_error_string(t->a));
		tarw_abort(t);
		return NULL;
	}
	return t;
}

static int
header(struct tarw *t, const char *path, int type, int perm, uint64_t size)
{
	struct archive_entry *e = archive_entry_new();
	int	 r;

	archive_entry_set_pathname_utf8(e, path);
	archive_entry_set_filetype(e, type);
	archive_entry_set_perm(e, perm);
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	archive_entry_set_mtime(e, t->mtime, 0);
	if (type == AE_IFREG)
		archive_entry_set_size(e, (la_int64_t)size);
	r = archive_write_header(t->a, e);
	archive_entry_free(e);
	if (r != ARCHIVE_OK)
		return aerr(t, path);
	return maybe_flush(t);
}

int
tarw_dir(struct tarw *t, const char *path)
{
	return header(t, path, AE_IFDIR, 0755, 0);
}

int
tarw_begin(struct tarw *t, const char *path, uint64_t size)
{
	return header(t, path, AE_IFREG, 0644, size);
}

int
tarw_data(struct tarw *t, const void *buf, size_t len)
{
	la_ssize_t n;

	if (len == 0)
		return 0;
	n = archive_write_data(t->a, buf, len);
	if (n < 0 || (size_t)n != len)
		return aerr(t, "write");
	return maybe_flush(t);
}

int
tarw_data_slot(struct tarw *t, const void *buf, size_t len)
{
	la_ssize_t n;

	if (len == 0)
		return 0;
	t->pass = buf;
	t->passlen = len;
	t->passed = false;
	n = archive_write_data(t->a, buf, len);
	t->pass = NULL;
	if (n < 0 || (size_t)n != len)
		return aerr(t, "write");
	return t->passed ? (int)PH_ARC : 0;
}

int
tarw_mem(struct tarw *t, const char *path, const void *buf, size_t len)
{
	if (tarw_begin(t, path, len) == -1)
		return -1;
	return tarw_data(t, buf, len);
}

static void
tarw_free(struct tarw *t)
{
	if (t->a != NULL)
		archive_write_free(t->a);
	if (t->fd != -1)
		close(t->fd);
	free(t->stg);
	if (t->tmpname != NULL) {
		unlink(t->tmpname);
		free(t->tmpname);
	}
	free(t->out);
	free(t);
}

void
tarw_abort(struct tarw *t)
{
	if (t->a != NULL) {
		/*
		 * Closed, not failed: archive_write_fail() leaks libarchive's
		 * block buffer.  The bytes go to the unnamed file, discarded.
		 */
		archive_write_close(t->a);
		archive_write_free(t->a);
		t->a = NULL;
	}
	tarw_free(t);
}

/* Links the finished unnamed file to a temporary name, then renames it over. */
static int
publish(struct tarw *t)
{
	char	 proc[64], *tmp;
	size_t	 n;
	int	 r;

	if (t->tmpname != NULL) {
		r = rename(t->tmpname, t->out);
		if (r == 0) {
			free(t->tmpname);
			t->tmpname = NULL;
		}
		return r;
	}
	n = strlen(t->out) + 32;
	tmp = cb_xmalloc(n);
	snprintf(tmp, n, "%s.tmp%ld", t->out, (long)getpid());
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", t->fd);
	unlink(tmp);
	r = linkat(AT_FDCWD, proc, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW);
	if (r == 0 && (r = rename(tmp, t->out)) == -1)
		unlink(tmp);
	free(tmp);
	return r;
}

int
tarw_commit(struct tarw *t, char hex[2][HASH_HEXMAX], uint64_t *size)
{
	int	 r = -1;

	if (archive_write_close(t->a) != ARCHIVE_OK)
		aerr(t, "finishing the archive");
	else if (tarw_flush(t) == -1)
		;
	else if (fsync(t->fd) == -1)
		snprintf(t->err, sizeof(t->err), "fsync: %s", strerror(errno));
	else if (publish(t) == -1)
		snprintf(t->err, sizeof(t->err), "cannot rename into place: %s",
		    strerror(errno));
	else
		r = 0;
	phash_close_to(t->ph, PH_ARC, hex);
	phash_sync(t->ph);
	*size = t->written;
	if (r == -1)
		warnx("cannot write '%s': %s", t->out, t->err);
	archive_write_free(t->a);
	t->a = NULL;
	tarw_free(t);
	return r;
}

const char *
tarw_error(const struct tarw *t)
{
	return t->err;
}

/* A small output file, atomically: temporary name, fsync, rename. */
int
cb_write_file(const char *path, const void *buf, size_t len)
{
	size_t	 n = strlen(path) + 16;
	char	*tmp = cb_xmalloc(n);
	int	 fd, r = -1;

	snprintf(tmp, n, "%s.tmpXXXXXX", path);
	if ((fd = mkstemp(tmp)) == -1) {
		warn("cannot create '%s'", path);
		free(tmp);
		return -1;
	}
	fchmod(fd, 0644);
	if (write(fd, buf, len) == (ssize_t)len && fsync(fd) == 0 &&
	    close(fd) == 0) {
		fd = -1;
		if (rename(tmp, path) == 0)
			r = 0;
	}
	if (r == -1) {
		warn("cannot write '%s'", path);
		if (fd != -1)
			close(fd);
		unlink(tmp);
	}
	free(tmp);
	return r;
}
