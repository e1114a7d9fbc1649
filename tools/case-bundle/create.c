/*
 * create: gather the evidence named on the command line and in the
 * findings (files, directories in sorted order), then seal it (seal.c).
 */
#include "config.h"

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cb.h"

static const char usage_create[] =
    "usage: case-bundle create -o CASE.tar [options] [PATH ...]\n";

void
cb_case_init(struct cb_case *c, const struct cb_opts *o, struct rec_out *ro)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	char	*safe;

	memset(c, 0, sizeof(*c));
	for (int i = 0; i < F_NFIELDS; i++)
		c->f.v[i] = o->f.v[i] ? cb_xstrdup(o->f.v[i]) : NULL;
	c->o = o;
	c->ro = ro;
	c->runs = json_array();
	c->actor = cb_actor(o->actor);
	c->sign_key = o->sign_key;
	c->tsr = o->tsr;
	c->out = o->out;
	c->compress = o->compress;
	c->thumbs = o->thumbs;
	if (o->epoch >= 0) {
		c->epoch = (time_t)o->epoch;
		c->fixed_epoch = true;
	} else if (sde != NULL && *sde != '\0') {
		c->epoch = (time_t)strtoll(sde, NULL, 10);
		c->fixed_epoch = true;
	} else
		c->epoch = time(NULL);
	bag_safe_name(o->name && *o->name ? o->name : c->f.v[F_CASE_ID] &&
	    *c->f.v[F_CASE_ID] ? c->f.v[F_CASE_ID] : "case", &safe);
	for (char *p = safe; *p; p++)
		if (*p == '/')
			*p = '_';
	c->bagname = safe;
}

void
cb_case_free(struct cb_case *c)
{
	bag_list_free(&c->pay);
	bag_list_free(&c->tag);
	fields_free(&c->f);
	json_decref(c->runs);
	free(c->logtext);
	free(c->bagname);
}

const char *
cb_base_name(const char *p)
{
	const char *s;
	size_t	 len = strlen(p);

	while (len > 1 && p[len - 1] == '/')
		len--;
	for (s = p + len; s > p && s[-1] != '/'; s--)
		;
	return s;
}

/* Adds one regular file under bag name "data/<rel>"; returns its item. */
struct cb_item *
cb_add_file(struct cb_case *c, const char *path, const char *rel,
    const struct stat *st)
{
	struct cb_item it, *dup;
	char	*safe;
	size_t	 n, i;

	for (i = 0; i < c->pay.n; i++) {
		dup = &c->pay.v[i];
		if (dup->src != NULL && dup->dev == st->st_dev &&
		    dup->ino == st->st_ino)
			return dup;	/* named twice: packed once */
	}
	memset(&it, 0, sizeof(it));
	if (bag_safe_name(rel, &safe) == 1)
		it.orig = cb_xstrdup(rel);
	n = strlen(safe) + 6;
	it.name = cb_xmalloc(n);
	snprintf(it.name, n, "data/%s", safe);
	free(safe);
	it.src = cb_xstrdup(path);
	it.size = (uint64_t)st->st_size;
	it.dev = st->st_dev;
	it.ino = st->st_ino;
	return bag_add(&c->pay, &it);
}

static int
by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk(struct cb_case *, const char *path, const char *rel, int depth);

static void
walk_dir(struct cb_case *c, const char *path, const char *rel, int depth)
{
	DIR	*d;
	struct dirent *de;
	char	**names = NULL, *p, *r;
	size_t	 n = 0, cap = 0, i, len;

	if ((d = opendir(path)) == NULL) {
		rec_error(c->ro, path, NULL, "cannot open directory '%s': %s",
		    path, strerror(errno));
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 32;
			if ((names = realloc(names, cap * sizeof(*names))) == NULL)
				err(EXIT_TROUBLE, NULL);
		}
		names[n++] = cb_xstrdup(de->d_name);
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), by_str);
	for (i = 0; i < n; i++) {
		len = strlen(path) + strlen(names[i]) + 2;
		p = cb_xmalloc(len);
		snprintf(p, len, "%s/%s", path, names[i]);
		len = strlen(rel) + strlen(names[i]) + 2;
		r = cb_xmalloc(len);
		snprintf(r, len, "%s%s%s", rel, *rel ? "/" : "", names[i]);
		walk(c, p, r, depth + 1);
		free(p);
		free(r);
		free(names[i]);
	}
	free(names);
}

/* Symbolic links inside a directory are not followed: they point anywhere. */
static void
walk(struct cb_case *c, const char *path, const char *rel, int depth)
{
	struct stat st;
	int	 r = depth == 0 ? stat(path, &st) : lstat(path, &st);

	if (r == -1) {
		rec_error(c->ro, path, NULL, "cannot open '%s': %s", path,
		    strerror(errno));
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		if (depth > 64)
			rec_error_in(c->ro, path, NULL,
			    "directories nested too deep");
		else
			walk_dir(c, path, rel, depth);
	} else if (S_ISREG(st.st_mode))
		cb_add_file(c, path, rel, &st);
	else
		rec_error_in(c->ro, path, NULL, "not a regular file: skipped");
}

int
cb_gather(struct cb_case *c, char **paths, int npaths)
{
	char	**sorted = cb_xmalloc((npaths + 1) * sizeof(*sorted));
	int	 i, errs = (int)rec_errors(c->ro);

	/* sorted, so that two inputs with one base name get stable names */
	memcpy(sorted, paths, npaths * sizeof(*sorted));
	qsort(sorted, npaths, sizeof(*sorted), by_str);
	for (i = 0; i < npaths; i++)
		if (strcmp(sorted[i], "-") != 0)
			walk(c, sorted[i], cb_base_name(sorted[i]), 0);
	free(sorted);
	return (int)rec_errors(c->ro) > errs ? -1 : 0;
}

/* The contents of dir, named relative to it (a staging payload). */
int
cb_gather_root(struct cb_case *c, const char *dir)
{
	int	 errs = (int)rec_errors(c->ro);

	walk_dir(c, dir, "", 0);
	return (int)rec_errors(c->ro) > errs ? -1 : 0;
}

/*
 * Records come from --findings files, from '-', or from standard input
 * when it is a pipe or a redirected file (not a terminal, not /dev/null).
 */
bool
cb_stdin_findings(const struct cb_opts *o)
{
	struct stat st;
	int	 i;

	if (o->c.nul)		/* standard input is the path list */
		return false;
	for (i = 0; i < o->npaths; i++)
		if (strcmp(o->paths[i], "-") == 0)
			return true;
	return fstat(STDIN_FILENO, &st) == 0 && (S_ISFIFO(st.st_mode) ||
	    S_ISREG(st.st_mode) || S_ISSOCK(st.st_mode));
}

#define NUL_MAX	(256u << 20)	/* a path list larger than this is refused */

/*
 * -0: the paths on standard input, NUL-separated (find -print0), added
 * after those on the command line.  Only create and add take paths to
 * gather; stdin then cannot also carry findings ('-' is refused).
 */
void
cb_nul_paths(struct cb_opts *o, const char *usage)
{
	size_t	 cap = 1 << 16, len = 0, n = 0, i;
	ssize_t	 r;
	char	*p;
	int	 k;

	if (strcmp(o->verb, "create") != 0 && strcmp(o->verb, "add") != 0)
		cli_usage_error(usage, "-0 is for create and add");
	for (k = 0; k < o->npaths; k++)
		if (strcmp(o->paths[k], "-") == 0)
			cli_usage_error(usage, "with -0, standard input is the "
			    "path list: give findings with --findings FILE");
	o->nulbuf = cb_xmalloc(cap + 1);
	while ((r = read(STDIN_FILENO, o->nulbuf + len, cap - len)) != 0) {
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			err(EXIT_TROUBLE, "cannot read the path list");
		if ((len += r) == cap) {
			if (cap >= NUL_MAX)
				errx(EXIT_TROUBLE, "path list on standard input "
				    "larger than %u MiB", NUL_MAX >> 20);
			cap *= 2;
			if ((p = realloc(o->nulbuf, cap + 1)) == NULL)
				err(EXIT_TROUBLE, NULL);
			o->nulbuf = p;
		}
	}
	o->nulbuf[len] = '\0';
	for (i = 0; i < len; i++)
		if (o->nulbuf[i] == '\0' && (i == 0 || o->nulbuf[i - 1] != '\0'))
			n++;
	n++;	/* a last path without its NUL */
	o->nulpaths = cb_xmalloc((o->npaths + n + 1) * sizeof(char *));
	memcpy(o->nulpaths, o->paths, o->npaths * sizeof(char *));
	for (i = 0, n = o->npaths; i < len; i += strlen(o->nulbuf + i) + 1)
		if (o->nulbuf[i] != '\0')	/* empty entries are skipped */
			o->nulpaths[n++] = o->nulbuf + i;
	o->nulpaths[n] = NULL;
	o->paths = o->nulpaths;
	o->npaths = (int)n;
}

void
cb_nul_free(struct cb_opts *o)
{
	free(o->nulpaths);
	free(o->nulbuf);
}

static int
by_json(const void *a, const void *b)
{
	const char *ta = json_string_value(json_object_get(*(json_t *const *)a,
	    "time")), *tb = json_string_value(json_object_get(*(json_t *const *)b,
	    "time"));
	int	 t = strcmp(ta ? ta : "", tb ? tb : "");

	if (t != 0)
		return t;
	char	*x = json_dumps(*(json_t *const *)a, JSON_COMPACT | JSON_SORT_KEYS);
	char	*y = json_dumps(*(json_t *const *)b, JSON_COMPACT | JSON_SORT_KEYS);
	int	 r = strcmp(x, y);

	free(x);
	free(y);
	return r;
}

/*
 * Analysis entries by time (then content): a fixed order whatever order
 * the streams came in.
 */
void
cb_sort_runs(struct cb_case *c)
{
	size_t	 n = json_array_size(c->runs), i;
	json_t	**v = cb_xmalloc((n + 1) * sizeof(*v)), *sorted = json_array();

	for (i = 0; i < n; i++)
		v[i] = json_array_get(c->runs, i);
	qsort(v, n, sizeof(*v), by_json);
	for (i = 0; i < n; i++)
		json_array_append(sorted, v[i]);
	free(v);
	json_decref(c->runs);
	c->runs = sorted;
}

static json_t *
collect_entry(struct cb_case *c, char **paths, int npaths)
{
	char	**s = cb_xmalloc((npaths + 1) * sizeof(*s));
	json_t	*in = json_array(), *d;
	int	 i;

	memcpy(s, paths, npaths * sizeof(*s));
	qsort(s, npaths, sizeof(*s), by_str);
	for (i = 0; i < npaths; i++)
		if (strcmp(s[i], "-") != 0)
			json_array_append_new(in, rec_string(s[i], strlen(s[i]),
			    &(bool){false}));
	free(s);
	/* the arguments, in a form that does not depend on their order */
	d = json_pack("{s:o, s:{s:b, s:s, s:b, s:i}}", "inputs", in, "options",
	    "sign", c->sign_key != NULL,
	    "compress", c->compress == 'z' ? "gzip" : c->compress == 's' ?
	    "zstd" : "none", "thumbnails", c->thumbs,
	    "findings_streams", c->o->nfindings);
	if (c->fixed_epoch)
		json_object_set_new(json_object_get(d, "options"),
		    "source_date_epoch", json_integer(c->epoch));
	return custody_entry("collect", c->actor, c->epoch, d);
}

int
cmd_create(const struct cb_opts *o)
{
	struct cb_case c;
	struct rec_out *ro;
	int	 i, r = 0;

	if (o->out == NULL)
		cli_usage_error(usage_create, "create needs -o CASE.tar");
	ro = rec_open(stdout, TOOL, o->c.json, o->argc, o->argv);
	cb_case_init(&c, o, ro);
	if (cb_gather(&c, o->paths, o->npaths) == -1)
		r = -1;
	for (i = 0; i < o->nfindings; i++)
		if (findings_read(&c, o->findings[i]) == -1)
			r = -1;
	if (cb_stdin_findings(o) && findings_read(&c, "-") == -1)
		r = -1;
	if (findings_take(&c) == -1)
		r = -1;
	if (c.pay.n == 0 && r == 0) {
		warnx("nothing to seal: no evidence file given");
		r = -1;
	}
	cb_sort_runs(&c);
	json_array_append_new(c.runs, collect_entry(&c, o->paths, o->npaths));
	if (r == 0)
		r = cb_seal(&c);
	else
		warnx("'%s' not written", o->out);
	rec_close(ro, json_pack("{s:I}", "payload_files", (json_int_t)c.pay.n));
	cb_case_free(&c);
	return r == 0 ? 0 : EXIT_TROUBLE;
}
