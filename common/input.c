/*
 * Walking the user's paths: files, directories in byte order (so runs
 * are repeatable whatever the locale), and archives handed over to
 * input_archive.c.  Inputs are opened read-only and never changed.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ftype.h"
#include "input_priv.h"
#include "rec.h"

void
input_opts_default(struct input_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->archives = true;
	o->hashes = HASH_BIT(HASH_SHA256);
	o->lim.max_members = 100000;
	o->lim.max_expanded = 16ULL << 30;
	o->lim.max_ratio = 100;
	o->lim.ratio_floor = 16ULL << 20;
}

void
walk_error(struct input_walk *w, const char *path, const char *member,
    const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[1024];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (w->opts->sync != NULL)
		w->opts->sync(w->opts->sync_arg);
	rec_error(w->ro, path, member, "%s", msg);
}

/* Opening without touching the access time where the kernel lets us. */
int
open_readonly(const char *path)
{
	int	 fd;

#ifdef O_NOATIME
	fd = open(path, O_RDONLY | O_NOATIME | O_CLOEXEC | O_NOCTTY);
	if (fd != -1 || errno != EPERM)
		return fd;
#endif
	return open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
}

/*
 * An archive member the tool did not read to its end is drained here,
 * through the same capped, hashed reads: libarchive would otherwise
 * expand the rest uncounted when it skips to the next header.
 */
static void
drain_member(struct input_item *it)
{
	unsigned char scratch[65536];

	it->headpos = it->headlen;
	while (!it->eof && !it->failed && input_read(it, scratch,
	    sizeof(scratch)) > 0)
		;
}

int
item_run(struct input_walk *w, struct input_item *it)
{
	int	 rc = 0;

	if (!it->failed && it->headlen == 0 && !w->opts->empty_ok) {
		walk_error(w, it->path, it->member, "'%s'%s%s is empty",
		    it->path, it->member ? " member " : "",
		    it->member ? it->member : "");
		item_end(it);
		return 0;
	}
	if (!it->failed && w->fn(it, w->arg) != 0) {
		w->stopped = true;
		rc = -1;
	}
	if (it->archive != NULL)
		drain_member(it);
	if (it->failed) {
		walk_error(w, it->path, it->member, "%s", it->errmsg);
		rc = rc ? rc : 1;
	}
	item_end(it);
	return rc;
}

static int
walk_file(struct input_walk *w, const char *path, int fd, const struct stat *st)
{
	struct input_item it;

	if (item_begin(&it, w->opts, path, NULL, fd, NULL, NULL,
	    (int64_t)st->st_size) == 0 && w->opts->archives &&
	    ftype_is_archive(it.mime)) {
		item_end(&it);
		if (lseek(fd, 0, SEEK_SET) == -1) {
			walk_error(w, path, NULL, "cannot seek '%s': %s",
			    path, strerror(errno));
			return 0;
		}
		return walk_archive(w, path, fd, (uint64_t)st->st_size,
		    it.mime, NULL);
	}
	return item_run(w, &it);
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *
join_path(const char *dir, const char *name)
{
	size_t	 dl = strlen(dir);
	char	*p;

	while (dl > 1 && dir[dl - 1] == '/')
		dl--;
	if (asprintf(&p, "%.*s%s%s", (int)dl, dir,
	    (dl > 0 && dir[dl - 1] == '/') ? "" : "/", name) == -1)
		return NULL;
	return p;
}

/* Sorted entry names of a directory, without "." and "..". */
static char **
read_dir_sorted(DIR *d, size_t *np)
{
	struct dirent *de;
	char	**names = NULL, **nn;
	size_t	 n = 0, cap = 0;

	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			if ((nn = realloc(names, cap * sizeof(*names))) == NULL)
				break;
			names = nn;
		}
		if ((names[n] = strdup(de->d_name)) == NULL)
			break;
		n++;
	}
	if (n > 0)
		qsort(names, n, sizeof(*names), name_cmp);
	*np = n;
	return names;
}

static int
walk_dir(struct input_walk *w, const char *path)
{
	DIR	*d;
	char	**names, *child;
	size_t	 i, n;
	struct stat lst;
	int	 rc = 0;

	if ((d = opendir(path)) == NULL) {
		walk_error(w, path, NULL, "cannot open directory '%s': %s",
		    path, strerror(errno));
		return 0;
	}
	names = read_dir_sorted(d, &n);
	closedir(d);
	for (i = 0; i < n; i++) {
		if (rc == 0 && (child = join_path(path, names[i])) != NULL) {
			/*
			 * Symbolic links to directories are not followed, as
			 * find(1) does by default: a link cycle cannot trap
			 * the walk.  Links to files are read.
			 */
			if (lstat(child, &lst) == 0 && S_ISLNK(lst.st_mode) &&
			    stat(child, &lst) == 0 && S_ISDIR(lst.st_mode))
				;
			else
				rc = walk_path(w, child);
			free(child);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int
walk_path(struct input_walk *w, const char *path)
{
	struct stat st;
	int	 fd, rc;

	if (w->stopped)
		return -1;
	/* stat before open: opening a FIFO would block the whole run. */
	if (stat(path, &st) == -1) {
		walk_error(w, path, NULL, "cannot open '%s': %s", path,
		    strerror(errno));
		return 0;
	}
	if (S_ISDIR(st.st_mode))
		return walk_dir(w, path);
	if (!S_ISREG(st.st_mode)) {
		walk_error(w, path, NULL, "'%s' is not a regular file", path);
		return 0;
	}
	if ((fd = open_readonly(path)) == -1) {
		walk_error(w, path, NULL, "cannot open '%s': %s", path,
		    strerror(errno));
		return 0;
	}
	rc = walk_file(w, path, fd, &st);
	close(fd);
	return rc;
}

int
input_walk(const struct input_opts *o, char **paths, int npaths,
    struct rec_out *ro, input_fn fn, void *arg)
{
	struct input_walk w = { o, ro, fn, arg, false };
	int	 i;

	if (npaths == 0 || (npaths == 1 && strcmp(paths[0], "-") == 0))
		return walk_stdin(&w);
	for (i = 0; i < npaths && !w.stopped; i++) {
		if (strcmp(paths[i], "-") == 0)
			walk_stdin(&w);
		else
			walk_path(&w, paths[i]);
	}
	return w.stopped ? -1 : 0;
}
