/*
 * The lexicon: a TSV file of coded words, one a line,
 *	term <TAB> category [<TAB> risk [<TAB> note [<TAB> rule]]]
 * '#' starts a comment line.  A term written "re:..." is a regular
 * expression.  The rule "near=N:word|word" makes a common word (上岸,
 * 协商) count only when one of the words occurs within N messages.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grep.h"
#include "u8.h"

#define LEX_MAX		(64u << 20)	/* a lexicon is text, not a data set */

/* Set by local.mk; the defaults serve builds without it (the fuzz targets). */
#ifndef CHATLOG_LEXICON
#define CHATLOG_LEXICON		"/usr/local/share/forgekit/lexicon.tsv"
#endif
#ifndef CHATLOG_SRC_LEXICON
#define CHATLOG_SRC_LEXICON	"tools/chatlog-grep/lexicon.tsv"
#endif

static char *
xstrndup(const char *s, size_t n)
{
	char	*d = malloc(n + 1);

	if (d == NULL)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static struct term *
lex_push(struct lexicon *lx)
{
	struct term *nt;

	if (lx->nterms == lx->cap) {
		lx->cap = lx->cap ? 2 * lx->cap : 64;
		if ((nt = realloc(lx->terms, lx->cap * sizeof(*nt))) == NULL)
			return NULL;
		lx->terms = nt;
	}
	nt = &lx->terms[lx->nterms++];
	memset(nt, 0, sizeof(*nt));
	nt->id = (int)lx->nterms;
	nt->near = -1;
	return nt;
}

/* Splits "near=N:a|b|c" into the window and the words. */
static int
parse_rule(struct term *t, const char *r, char *err, size_t errlen)
{
	char	*end, *w, *save, *copy;
	long	 n;

	if (strncmp(r, "near=", 5) != 0) {
		snprintf(err, errlen, "unknown rule '%s' (expected near=N:word|word)", r);
		return -1;
	}
	errno = 0;
	n = strtol(r + 5, &end, 10);
	if (errno != 0 || end == r + 5 || *end != ':' || n < 0 || n > 1000 ||
	    end[1] == '\0') {
		snprintf(err, errlen, "bad rule '%s' (expected near=N:word|word, N 0-1000)", r);
		return -1;
	}
	t->near = (int)n;
	if ((copy = strdup(end + 1)) == NULL)
		return -1;
	for (w = strtok_r(copy, "|", &save); w != NULL; w = strtok_r(NULL, "|", &save)) {
		t->near_words = realloc(t->near_words, (t->nnear + 1) * sizeof(char *));
		if (t->near_words == NULL || (t->near_words[t->nnear] = strdup(w)) == NULL) {
			free(copy);
			return -1;
		}
		t->nnear++;
	}
	free(copy);
	if (t->nnear == 0) {
		snprintf(err, errlen, "rule '%s' names no word", r);
		return -1;
	}
	return 0;
}

/* Cuts a line into at most max tab-separated fields, trimming the CR. */
static size_t
split_tabs(char *line, char **f, size_t max)
{
	size_t	 n = 0, l = strlen(line);

	if (l > 0 && line[l - 1] == '\r')
		line[--l] = '\0';
	f[n++] = line;
	while (n < max && (line = strchr(line, '\t')) != NULL) {
		*line++ = '\0';
		f[n++] = line;
	}
	return n;
}

static int
lex_line(struct lexicon *lx, const char *name, unsigned long lineno, char *line,
    char *err, size_t errlen)
{
	char	*f[5] = { NULL }, where[64], why[256];
	size_t	 nf;
	struct term *t;

	nf = split_tabs(line, f, 5);
	if (lx->nterms == 0 && nf >= 2 && strcmp(f[0], "term") == 0 &&
	    strcmp(f[1], "category") == 0)
		return 0;			/* a header line */
	if (f[0][0] == '\0') {
		snprintf(err, errlen, "%s:%lu: empty term", name, lineno);
		return -1;
	}
	if (nf < 2 || f[1][0] == '\0') {
		snprintf(err, errlen, "%s:%lu: no category for '%s' (a line is "
		    "term<TAB>category[<TAB>risk<TAB>note<TAB>rule])", name, lineno, f[0]);
		return -1;
	}
	if (!u8_valid(line, strlen(line))) {
		snprintf(err, errlen, "%s:%lu: not valid UTF-8", name, lineno);
		return -1;
	}
	if ((t = lex_push(lx)) == NULL)
		return -1;
	snprintf(where, sizeof(where), "%s:%lu", name, lineno);
	t->regex = strncmp(f[0], "re:", 3) == 0;
	t->text = strdup(f[0] + (t->regex ? 3 : 0));
	t->category = strdup(f[1]);
	t->risk = nf > 2 && f[2][0] ? strdup(f[2]) : NULL;
	t->note = nf > 3 && f[3][0] ? strdup(f[3]) : NULL;
	t->where = strdup(where);
	if (t->text[0] == '\0') {
		snprintf(err, errlen, "%s: empty regular expression", where);
		return -1;
	}
	if (nf > 4 && f[4][0] && parse_rule(t, f[4], why, sizeof(why)) == -1) {
		snprintf(err, errlen, "%s: %s", where, why);
		return -1;
	}
	return 0;
}

int
lex_parse(struct lexicon *lx, const char *name, const char *buf, size_t len,
    char *err, size_t errlen)
{
	const char *p = buf, *end = buf + len, *nl;
	unsigned long lineno = 0;
	char	*line;
	int	 rc = 0;

	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (p < end && rc == 0) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		lineno++;
		if ((line = xstrndup(p, (size_t)(nl - p))) == NULL)
			return -1;
		if (memchr(p, '\0', (size_t)(nl - p)) != NULL) {
			snprintf(err, errlen, "%s:%lu: NUL byte in the line", name, lineno);
			rc = -1;
		} else if (line[0] != '#' && line[strspn(line, " \t\r")] != '\0')
			rc = lex_line(lx, name, lineno, line, err, errlen);
		free(line);
		p = nl + 1;
	}
	return rc;
}

int
lex_load(struct lexicon *lx, const char *path)
{
	FILE	*fp;
	char	*buf, err[512];
	size_t	 len;
	int	 rc;

	if ((fp = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "chatlog-grep: cannot open '%s': %s\n", path, strerror(errno));
		return -1;
	}
	if ((buf = malloc(LEX_MAX + 1)) == NULL) {
		fclose(fp);
		return -1;
	}
	len = fread(buf, 1, LEX_MAX + 1, fp);
	rc = ferror(fp) ? -1 : 0;
	fclose(fp);
	if (rc == -1 || len > LEX_MAX) {
		fprintf(stderr, "chatlog-grep: cannot read '%s': %s\n", path,
		    rc == -1 ? "read error" : "larger than 64 MiB");
		free(buf);
		return -1;
	}
	err[0] = '\0';
	if ((rc = lex_parse(lx, path, buf, len, err, sizeof(err))) == -1)
		fprintf(stderr, "chatlog-grep: %s\n", err[0] ? err : "out of memory");
	free(buf);
	return rc;
}

int
lex_add_term(struct lexicon *lx, const char *text, const char *category)
{
	struct term *t;

	if ((t = lex_push(lx)) == NULL)
		return -1;
	t->regex = strncmp(text, "re:", 3) == 0;
	t->text = strdup(text + (t->regex ? 3 : 0));
	t->category = strdup(category);
	t->where = strdup("command line");
	return t->text[0] ? 0 : -1;
}

/*
 * The installed lexicon, else the one in the source tree (so that the
 * tool works from its build directory), overridable for tests.
 */
const char *
lex_builtin_path(void)
{
	const char *env = getenv("CHATLOG_GREP_LEXICON");

	if (env != NULL && *env)
		return env;
	if (access(CHATLOG_LEXICON, R_OK) == 0)
		return CHATLOG_LEXICON;
	return CHATLOG_SRC_LEXICON;
}

void
lex_free(struct lexicon *lx)
{
	size_t	 i, j;

	for (i = 0; i < lx->nterms; i++) {
		struct term *t = &lx->terms[i];

		free(t->text);
		free(t->category);
		free(t->risk);
		free(t->note);
		free(t->where);
		for (j = 0; j < t->nnear; j++)
			free(t->near_words[j]);
		free(t->near_words);
	}
	free(lx->terms);
	memset(lx, 0, sizeof(*lx));
}
