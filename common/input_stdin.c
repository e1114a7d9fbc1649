/*
 * Standard input as the list of inputs: either paths (one a line, or
 * NUL-separated with -0) or a record stream from another forgekit tool,
 * whose records name their inputs by path and member.  This is how the
 * tools pipe into each other.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ftype.h"
#include "input_priv.h"
#include "rec.h"

/* One input named on stdin: a whole path, or some members of an archive. */
struct target {
	char		*path;
	bool		 whole;
	struct member_set members;
};

struct targets {
	struct target	*v;
	size_t		 n, cap;
};

static char *
read_all(int fd, size_t *lenp)
{
	char	*buf = NULL, *nb;
	size_t	 len = 0, cap = 0;
	ssize_t	 r;

	for (;;) {
		if (len == cap) {
			cap = cap ? 2 * cap : 65536;
			if ((nb = realloc(buf, cap + 1)) == NULL) {
				free(buf);
				return NULL;
			}
			buf = nb;
		}
		r = read(fd, buf + len, cap - len);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

static struct target *
target_for(struct targets *t, const char *path)
{
	struct target *nv;
	size_t	 i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->v[i].path, path) == 0)
			return &t->v[i];
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 16;
		if ((nv = realloc(t->v, t->cap * sizeof(*nv))) == NULL)
			return NULL;
		t->v = nv;
	}
	memset(&t->v[t->n], 0, sizeof(t->v[0]));
	if ((t->v[t->n].path = strdup(path)) == NULL)
		return NULL;
	return &t->v[t->n++];
}

static void
target_add(struct targets *t, const char *path, const char *member)
{
	struct target *tg = target_for(t, path);
	struct member_set *m;
	size_t	 i;

	if (tg == NULL)
		return;
	if (member == NULL) {
		tg->whole = true;
		return;
	}
	m = &tg->members;
	for (i = 0; i < m->n; i++)
		if (strcmp(m->names[i], member) == 0)
			return;
	if (m->n == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 8;
		m->names = realloc(m->names, m->cap * sizeof(*m->names));
		m->seen = realloc(m->seen, m->cap * sizeof(*m->seen));
		if (m->names == NULL || m->seen == NULL)
			abort();
	}
	m->names[m->n] = strdup(member);
	m->seen[m->n++] = false;
}

/* Takes path/member from a record and from the members of a cluster record. */
static void
record_targets(struct targets *t, json_t *rec)
{
	const char *type = json_string_value(json_object_get(rec, "type"));
	const char *path = json_string_value(json_object_get(rec, "path"));
	const char *member = json_string_value(json_object_get(rec, "member"));
	json_t	*members = json_object_get(rec, "members"), *m;
	size_t	 i;

	if (strcmp(type, "error") == 0 || strcmp(type, "header") == 0 ||
	    strcmp(type, "summary") == 0)
		return;
	if (path != NULL)
		target_add(t, path, member);
	json_array_foreach(members, i, m) {
		path = json_string_value(json_object_get(m, "path"));
		if (path != NULL)
			target_add(t, path,
			    json_string_value(json_object_get(m, "member")));
	}
}

static void
parse_records(struct input_walk *w, struct targets *t, char *buf, size_t len)
{
	char	*line = buf, *nl, msg[256];
	size_t	 lineno = 0;
	json_t	*rec;

	while (line < buf + len) {
		lineno++;
		if ((nl = memchr(line, '\n', (size_t)(buf + len - line))) == NULL)
			nl = buf + len;
		if (nl > line && strspn(line, " \t\r") < (size_t)(nl - line)) {
			if ((rec = rec_parse(line, (size_t)(nl - line), msg,
			    sizeof(msg))) == NULL)
				walk_error(w, "-", NULL, "standard input, line "
				    "%zu: broken record: %s", lineno, msg);
			else {
				record_targets(t, rec);
				json_decref(rec);
			}
		}
		line = nl + 1;
	}
}

static void
parse_paths(struct targets *t, char *buf, size_t len, bool nul)
{
	char	 sep = nul ? '\0' : '\n';
	char	*p = buf, *end;
	size_t	 n;

	while (p < buf + len) {
		if ((end = memchr(p, sep, (size_t)(buf + len - p))) == NULL)
			end = buf + len;
		n = (size_t)(end - p);
		if (!nul && n > 0 && p[n - 1] == '\r')
			n--;
		if (n > 0) {
			p[n] = '\0';
			target_add(t, p, NULL);
		}
		p = end + 1;
	}
}

static void
walk_target(struct input_walk *w, struct target *tg)
{
	struct stat st;
	char	 mime[INPUT_MIMEMAX];
	unsigned char head[4096];
	ssize_t	 n;
	int	 fd;

	if (tg->whole || tg->members.n == 0) {
		walk_path(w, tg->path);
		return;
	}
	/* stat before open, as walk_path does: a FIFO would block the run. */
	if (stat(tg->path, &st) == -1) {
		walk_error(w, tg->path, NULL, "cannot open '%s': %s",
		    tg->path, strerror(errno));
		return;
	}
	if (!S_ISREG(st.st_mode)) {
		walk_error(w, tg->path, NULL, "'%s' is not a regular file",
		    tg->path);
		return;
	}
	if ((fd = open_readonly(tg->path)) == -1) {
		walk_error(w, tg->path, NULL, "cannot open '%s': %s",
		    tg->path, strerror(errno));
		return;
	}
	n = read(fd, head, sizeof(head));
	ftype_mime(head, n > 0 ? (size_t)n : 0, mime, sizeof(mime));
	if (lseek(fd, 0, SEEK_SET) == 0)
		walk_archive(w, tg->path, fd, (uint64_t)st.st_size, mime,
		    &tg->members);
	close(fd);
}

static void
targets_free(struct targets *t)
{
	size_t	 i, j;

	for (i = 0; i < t->n; i++) {
		for (j = 0; j < t->v[i].members.n; j++)
			free(t->v[i].members.names[j]);
		free(t->v[i].members.names);
		free(t->v[i].members.seen);
		free(t->v[i].path);
	}
	free(t->v);
}

int
walk_stdin(struct input_walk *w)
{
	struct targets t = { NULL, 0, 0 };
	size_t	 len, i, skip;
	char	*buf;

	if ((buf = read_all(STDIN_FILENO, &len)) == NULL) {
		walk_error(w, "-", NULL, "cannot read standard input: %s",
		    strerror(errno));
		return 0;
	}
	skip = strspn(buf, " \t\r\n");
	if (skip == len)
		walk_error(w, "-", NULL, "standard input is empty: "
		    "expected a path list or a record stream");
	else if (buf[skip] == '{')
		parse_records(w, &t, buf, len);
	else
		parse_paths(&t, buf, len, w->opts->nul);
	free(buf);
	for (i = 0; i < t.n && !w->stopped; i++)
		walk_target(w, &t.v[i]);
	targets_free(&t);
	return w->stopped ? -1 : 0;
}
