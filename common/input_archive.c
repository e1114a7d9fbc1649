/*
 * Archive members as streams through libarchive, never extracted.
 * libarchive has no limits of its own, so the member count, the
 * expanded size and the expansion ratio are capped here (the per-byte
 * checks are in input_item.c).
 */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ftype.h"
#include "input_priv.h"
#include "rec.h"

/*
 * raw_only: the content of a compressed stream is one member whatever it
 * looks like; used again when the tar reader took a stream that starts
 * with zero blocks for an empty archive.
 */
static struct archive *
archive_reader(const char *mime, bool raw_only)
{
	struct archive *a = archive_read_new();

	if (a == NULL)
		return NULL;
	archive_read_support_filter_all(a);
	if (raw_only) {
		archive_read_support_format_raw(a);
		return a;
	}
	archive_read_support_format_zip(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_gnutar(a);
	archive_read_support_format_7zip(a);
	archive_read_support_format_cpio(a);
	archive_read_support_format_rar(a);
	archive_read_support_format_rar5(a);
	archive_read_support_format_iso9660(a);
	/* A lone compressed stream (x.txt.gz) is one member. */
	if (ftype_is_compressed(mime))
		archive_read_support_format_raw(a);
	return a;
}

/* A member name that would leave a directory if someone extracted it. */
static bool
unsafe_member_name(const char *name)
{
	const char *p = name;

	if (name[0] == '/' || name[0] == '\\' || name[0] == '~' ||
	    (name[0] != '\0' && name[1] == ':'))
		return true;
	while ((p = strstr(p, "..")) != NULL) {
		if ((p == name || p[-1] == '/' || p[-1] == '\\') &&
		    (p[2] == '\0' || p[2] == '/' || p[2] == '\\'))
			return true;
		p += 2;
	}
	return false;
}

/* The raw format names its only member "data": name it after the file. */
static char *
member_name(struct archive *a, struct archive_entry *e, const char *path)
{
	const char *name = archive_entry_pathname_utf8(e);
	char	*copy, *base, *dot;

	if (name == NULL)
		name = archive_entry_pathname(e);
	if (archive_format(a) != ARCHIVE_FORMAT_RAW)
		return strdup(name != NULL ? name : "");
	if ((copy = strdup(path)) == NULL)
		return NULL;
	base = strdup(basename(copy));
	free(copy);
	if (base != NULL && (dot = strrchr(base, '.')) != NULL && dot != base)
		*dot = '\0';
	return base;
}

static bool
member_wanted(struct member_set *want, const char *name)
{
	size_t	 i;

	if (want == NULL)
		return true;
	for (i = 0; i < want->n; i++)
		if (strcmp(want->names[i], name) == 0) {
			want->seen[i] = true;
			return true;
		}
	return false;
}

static void
report_missing(struct input_walk *w, const char *path, struct member_set *want)
{
	size_t	 i;

	for (i = 0; want != NULL && i < want->n; i++)
		if (!want->seen[i])
			walk_error(w, path, want->names[i],
			    "no member '%s' in '%s'", want->names[i], path);
}

/* Returns 1 to go on to the next header, 0 to stop reading this archive. */
static int
one_member(struct input_walk *w, const char *path, struct archive *a,
    struct archive_entry *e, struct input_archive_state *as,
    struct member_set *want)
{
	struct input_item it;
	char	*name;
	int	 rc;

	if (archive_entry_filetype(e) != AE_IFREG)
		return 1;
	if ((name = member_name(a, e, path)) == NULL)
		return 0;
	if (unsafe_member_name(name)) {
		walk_error(w, path, name, "'%s' member '%s' has an unsafe "
		    "path: skipped", path, name);
		free(name);
		return 1;
	}
	if (!member_wanted(want, name)) {
		free(name);
		return 1;
	}
	if (archive_entry_is_encrypted(e)) {
		walk_error(w, path, name, "'%s' member '%s' is encrypted",
		    path, name);
		free(name);
		return 1;
	}
	item_begin(&it, w->opts, path, name, -1, a, as,
	    archive_entry_size_is_set(e) ? archive_entry_size(e) : -1);
	rc = item_run(w, &it);
	free(name);
	/* After a failed member the archive's state is not to be trusted. */
	return (rc == 0 && !as->refused) ? 1 : 0;
}

static int
walk_entries(struct input_walk *w, const char *path, struct archive *a,
    struct input_archive_state *as, struct member_set *want)
{
	struct archive_entry *e;
	int	 r;

	for (;;) {
		r = archive_read_next_header(a, &e);
		if (r == ARCHIVE_EOF)
			return 0;
		if (r == ARCHIVE_RETRY)
			continue;
		if (r < ARCHIVE_WARN) {
			walk_error(w, path, NULL, "cannot read archive '%s': %s",
			    path, archive_error_string(a));
			return -1;
		}
		if (++as->members > w->opts->lim.max_members) {
			walk_error(w, path, NULL, "archive '%s' refused: more "
			    "than %llu members", path,
			    (unsigned long long)w->opts->lim.max_members);
			return -1;
		}
		if (one_member(w, path, a, e, as, want) == 0)
			return -1;
	}
}

static struct archive *
open_reader(struct input_walk *w, const char *path, int fd, const char *mime,
    bool raw_only)
{
	struct archive *a = archive_reader(mime, raw_only);

	if (a == NULL || archive_read_open_fd(a, fd, 65536) != ARCHIVE_OK) {
		walk_error(w, path, NULL, "cannot open archive '%s': %s", path,
		    a ? archive_error_string(a) : "out of memory");
		archive_read_free(a);
		return NULL;
	}
	return a;
}

int
walk_archive(struct input_walk *w, const char *path, int fd, uint64_t size,
    const char *mime, struct member_set *want)
{
	struct input_archive_state as = { 0, 0, size, false };
	struct archive *a;
	int	 r;

	if ((a = open_reader(w, path, fd, mime, false)) == NULL)
		return 0;
	r = walk_entries(w, path, a, &as, want);
	archive_read_free(a);
	/*
	 * A compressed stream whose content begins with zeros reads as an
	 * empty tar archive; it is one member, so read it again as that.
	 */
	if (r == 0 && as.members == 0 && ftype_is_compressed(mime) &&
	    lseek(fd, 0, SEEK_SET) == 0 &&
	    (a = open_reader(w, path, fd, mime, true)) != NULL) {
		walk_entries(w, path, a, &as, want);
		archive_read_free(a);
	}
	report_missing(w, path, want);
	return w->stopped ? -1 : 0;
}
