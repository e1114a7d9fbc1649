/*
 * The record stream writer and reader (forgekit-records(5)): one compact
 * JSON object per line, header first and summary last, error records
 * counted and echoed on stderr, always valid UTF-8 whatever the input
 * bytes, control characters escaped so a record never spans two lines.
 */
#include "config.h"

#include <pthread.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "rec.h"
#include "tap.h"
#include "u8.h"

#define FFFD	"\xef\xbf\xbd"

/* Runs fn with stderr sent to a temporary file; returns what it printed. */
static char *
capture_stderr(void (*fn)(void *), void *arg)
{
	FILE	*tmp = tmpfile();
	int	 saved = dup(STDERR_FILENO);
	char	*buf;
	long	 n;

	fflush(stderr);
	dup2(fileno(tmp), STDERR_FILENO);
	fn(arg);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	n = ftell(tmp) > 0 ? ftell(tmp) : lseek(fileno(tmp), 0, SEEK_END);
	buf = calloc(1, (size_t)n + 1);
	pread(fileno(tmp), buf, (size_t)n, 0);
	fclose(tmp);
	return buf;
}

/* Splits the stream into lines; each must end in '\n'. */
static size_t
split_lines(char *buf, size_t len, char **lines, size_t max, bool *terminated)
{
	size_t	 n = 0;
	char	*p = buf, *nl;

	*terminated = len == 0 || buf[len - 1] == '\n';
	while (p < buf + len && n < max) {
		if ((nl = memchr(p, '\n', (size_t)(buf + len - p))) == NULL)
			nl = buf + len;
		*nl = '\0';
		lines[n++] = p;
		p = nl + 1;
	}
	return n;
}

static json_t *
parse(const char *line)
{
	return json_loads(line, JSON_ALLOW_NUL, NULL);
}

static const char *
sval(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

struct errjob {
	struct rec_out	*ro;
};

static void
emit_errors(void *arg)
{
	struct errjob *e = arg;

	rec_error(e->ro, "case/a.zip", "chat/\xe5\xbe\xae\xe4\xbf\xa1.txt",
	    "cannot read '%s': %s", "case/a.zip", "truncated");
	rec_error(e->ro, "missing.jpg", NULL, "cannot open '%s': %s",
	    "missing.jpg", "No such file or directory");
	rec_error_in(e->ro, "case/a.zip", "x.png", "bad PNG: %s", "CRC error");
}

static bool
no_raw_controls(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

static void
test_stream(void)
{
	char	*argv[] = { "imgforge-check", "--json", "bad\xff" "arg",
	    "\xe8\xaf\x81\xe6\x98\x8e.jpg" };
	char	*buf = NULL, *lines[16], *err;
	size_t	 len = 0, n, i;
	FILE	*fp = open_memstream(&buf, &len);
	struct rec_out *ro;
	struct errjob ej;
	json_t	*r, *h, *e, *s, *counts, *av;
	regex_t	 re;
	time_t	 now = time(NULL);
	struct tm tm;
	bool	 term, valid = true, compact = true;
	static const char ctl[] = "a\0b\x01" "c\nd\te\x7f" "f\rg\x1b[31m"
	    "h\xc2\x9b" "2J";	/* C1 CSI, a terminal escape */
	static const char cjk[] = "\xe4\xbb\xa3\xe7\x90\x86\xe7\xbb\xb4\xe6\x9d\x83 "
	    "\xf0\x9f\x98\x80\xf0\x9f\x92\xb0 \xe3\x80\x90\xe5\x81\x9c\xe6\x81\xaf\xe3\x80\x91";

	ro = rec_open(fp, "imgforge-check", true, 4, argv);
	ok(rec_json(ro), "rec_json reports JSON mode");

	r = rec_new("hit");
	rec_set_input(r, "case/chat.txt", NULL);
	rec_set_text(r, "text", ctl, sizeof(ctl) - 1);
	rec_emit(ro, r);

	r = rec_new("hit");
	rec_set_input(r, "case/a.zip", "chat/\xff.txt");
	rec_set_str(r, "text", "ab\xfe\xff" "cd");
	rec_emit(ro, r);

	r = rec_new("hit");
	rec_set_input(r, "case/b.txt", NULL);
	rec_set_str(r, "text", cjk);
	rec_set_str(r, "sender", NULL);
	rec_emit(ro, r);

	ej.ro = ro;
	err = capture_stderr(emit_errors, &ej);
	ok(rec_errors(ro) == 3, "rec_errors counts 3 errors");
	ok(strstr(err, "'case/a.zip' member 'x.png': bad PNG: CRC error\n") !=
	    NULL, "rec_error_in names the path and member first");
	counts = json_pack("{s:i,s:i}", "images", 3, "forged", 1);
	ok(rec_close(ro, counts) == 0, "rec_close succeeds on a good stream");
	fclose(fp);

	ok(strlen(buf) == len, "no raw NUL byte in the stream");
	n = split_lines(buf, len, lines, 16, &term);
	ok(n == 8 && term, "8 records, 8 newline-terminated lines (got %zu)", n);
	for (i = 0; i < n; i++) {
		valid &= u8_valid(lines[i], strlen(lines[i]));
		/* Compact: no space after ':' or ',' between members. */
		compact &= strstr(lines[i], "\": ") == NULL &&
		    strstr(lines[i], ", \"") == NULL;
	}
	ok(valid, "every line is valid UTF-8");
	ok(compact, "every line is compact JSON");

	/* Header. */
	h = parse(lines[0]);
	ok(h != NULL && strcmp(sval(h, "type"), "header") == 0,
	    "first record is the header");
	ok(json_integer_value(json_object_get(h, "format")) == 1 &&
	    json_is_integer(json_object_get(h, "format")), "header format is 1");
	ok(sval(h, "tool") && strcmp(sval(h, "tool"), "imgforge-check") == 0,
	    "header tool");
	ok(sval(h, "version") && strcmp(sval(h, "version"), PACKAGE_VERSION) == 0,
	    "header version is the package version");
	av = json_object_get(h, "argv");
	ok(json_array_size(av) == 4 &&
	    strcmp(json_string_value(json_array_get(av, 1)), "--json") == 0 &&
	    strcmp(json_string_value(json_array_get(av, 2)), "bad" FFFD "arg") == 0 &&
	    strcmp(json_string_value(json_array_get(av, 3)), argv[3]) == 0,
	    "header argv, with an invalid byte repaired");
	ok(json_is_true(json_object_get(h, "lossy")),
	    "a repaired argv marks the header \"lossy\"");
	regcomp(&re, "^[0-9]{4}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:"
	    "[0-6][0-9]Z$", REG_EXTENDED | REG_NOSUB);
	ok(sval(h, "started") && regexec(&re, sval(h, "started"), 0, NULL, 0) == 0,
	    "header started is ISO 8601 UTC: %s", sval(h, "started"));
	regfree(&re);
	memset(&tm, 0, sizeof(tm));
	if (sval(h, "started") != NULL)
		strptime(sval(h, "started"), "%Y-%m-%dT%H:%M:%SZ", &tm);
	ok(llabs((long long)(timegm(&tm) - now)) <= 5,
	    "header started is now, in UTC");
	json_decref(h);

	/* Control characters. */
	r = parse(lines[1]);
	ok(r != NULL && json_string_length(json_object_get(r, "text")) ==
	    sizeof(ctl) - 1 && memcmp(sval(r, "text"), ctl, sizeof(ctl) - 1) == 0,
	    "control characters (NUL, 01, LF, TAB, DEL, CR, ESC, CSI) round-trip");
	ok(strstr(lines[1], "\\u0000") && strstr(lines[1], "\\u0001") &&
	    strstr(lines[1], "\\n") && strstr(lines[1], "\\t") &&
	    strstr(lines[1], "\\r") && (strstr(lines[1], "\\u001b") ||
	    strstr(lines[1], "\\u001B")),
	    "C0 controls are escaped in the line");
	ok(no_raw_controls(lines[1]) && strstr(lines[1], "\\u007f") != NULL,
	    "no raw control byte in the line: DEL is written \\u007f");
	ok(strstr(lines[1], "\xc2\x9b") == NULL && (strstr(lines[1], "\\u009b") ||
	    strstr(lines[1], "\\u009B")), "a C1 control (U+009B CSI) is escaped");
	ok(json_object_get(r, "lossy") == NULL, "control characters are not lossy");
	ok(json_object_get(r, "member") == NULL && sval(r, "path") &&
	    strcmp(sval(r, "path"), "case/chat.txt") == 0,
	    "rec_set_input without member writes path only");
	json_decref(r);

	/* Invalid UTF-8. */
	r = parse(lines[2]);
	ok(r != NULL && strcmp(sval(r, "text"), "ab" FFFD FFFD "cd") == 0,
	    "invalid bytes become U+FFFD, one per byte");
	ok(r != NULL && strcmp(sval(r, "member"), "chat/" FFFD ".txt") == 0,
	    "an invalid member name is repaired too");
	ok(json_is_true(json_object_get(r, "lossy")), "the record is \"lossy\": true");
	json_decref(r);

	/* CJK and emoji pass through as themselves. */
	r = parse(lines[3]);
	ok(r != NULL && strcmp(sval(r, "text"), cjk) == 0 &&
	    json_object_get(r, "lossy") == NULL,
	    "CJK, emoji and full-width brackets pass unchanged, not lossy");
	ok(strstr(lines[3], cjk) != NULL && strstr(lines[3], "\\u") == NULL,
	    "they are written as UTF-8, not \\u escapes");
	ok(json_is_null(json_object_get(r, "sender")), "a NULL string is null");
	json_decref(r);

	/* Errors. */
	e = parse(lines[4]);
	ok(e != NULL && strcmp(sval(e, "type"), "error") == 0 &&
	    strcmp(sval(e, "path"), "case/a.zip") == 0 &&
	    strcmp(sval(e, "member"), "chat/\xe5\xbe\xae\xe4\xbf\xa1.txt") == 0 &&
	    strcmp(sval(e, "message"), "cannot read 'case/a.zip': truncated") == 0,
	    "error record with path, member and message");
	json_decref(e);
	e = parse(lines[5]);
	ok(e != NULL && strcmp(sval(e, "type"), "error") == 0 &&
	    strcmp(sval(e, "path"), "missing.jpg") == 0 &&
	    json_object_get(e, "member") == NULL &&
	    strstr(sval(e, "message"), "No such file") != NULL,
	    "error record without member");
	json_decref(e);
	ok(strstr(err, "cannot read 'case/a.zip': truncated\n") != NULL &&
	    strstr(err, "cannot open 'missing.jpg': No such file or directory\n")
	    != NULL, "each error is one diagnostic line on stderr");
	{
		size_t nl = 0;
		char *q;

		for (q = err; *q; q++)
			nl += *q == '\n';
		ok(nl == 3, "exactly one stderr line per error");
	}
	free(err);
	e = parse(lines[6]);
	ok(e != NULL && strcmp(sval(e, "path"), "case/a.zip") == 0 &&
	    strcmp(sval(e, "member"), "x.png") == 0 &&
	    strcmp(sval(e, "message"),
	    "'case/a.zip' member 'x.png': bad PNG: CRC error") == 0,
	    "rec_error_in: the record carries path, member and the named message");
	json_decref(e);

	/* Summary. */
	s = parse(lines[7]);
	ok(s != NULL && strcmp(sval(s, "type"), "summary") == 0,
	    "the last record is the summary");
	ok(json_integer_value(json_object_get(s, "errors")) == 3,
	    "summary errors is 3");
	ok(json_is_number(json_object_get(s, "elapsed")) &&
	    json_number_value(json_object_get(s, "elapsed")) >= 0 &&
	    json_number_value(json_object_get(s, "elapsed")) < 60,
	    "summary elapsed is a number of seconds");
	ok(json_integer_value(json_object_get(s, "images")) == 3 &&
	    json_integer_value(json_object_get(s, "forged")) == 1,
	    "the tool's counts are merged into the summary");
	json_decref(s);
	free(buf);
}

static void
test_human_mode(void)
{
	char	*buf = NULL, *err;
	size_t	 len = 0;
	FILE	*fp = open_memstream(&buf, &len);
	struct errjob ej;

	ej.ro = rec_open(fp, "chatlog-grep", false, 0, NULL);
	ok(!rec_json(ej.ro), "human mode: rec_json is false");
	err = capture_stderr(emit_errors, &ej);
	ok(rec_errors(ej.ro) == 3 && strstr(err, "missing.jpg") != NULL,
	    "human mode: errors are counted and printed on stderr");
	ok(rec_close(ej.ro, NULL) == 0, "human mode: rec_close succeeds");
	fclose(fp);
	ok(len == 0, "human mode: nothing written to the record stream");
	free(buf);
	free(err);
}

static void
test_write_error(void)
{
	FILE	*fp = fopen("/dev/full", "w");
	struct rec_out *ro;
	int	 i;

	if (fp == NULL) {
		printf("ok %d - # SKIP no /dev/full\n", ++tap_n);
		return;
	}
	ro = rec_open(fp, "case-bundle", true, 0, NULL);
	for (i = 0; i < 1000; i++)
		rec_emit(ro, rec_new("check"));
	ok(rec_close(ro, NULL) == -1, "rec_close reports a write error (/dev/full)");
	fclose(fp);
}

struct emitter {
	struct rec_out	*ro;
	int		 id;
};

static void *
emit_many(void *arg)
{
	struct emitter *em = arg;
	json_t	*r;
	int	 i;

	for (i = 0; i < 500; i++) {
		r = rec_new("hit");
		json_object_set_new(r, "thread", json_integer(em->id));
		json_object_set_new(r, "i", json_integer(i));
		rec_set_str(r, "text", "\xe5\x81\x9c\xe6\x81\xaf\xe6\x8c\x82\xe8\xb4\xa6 "
		    "padding padding padding padding padding padding padding");
		rec_emit(em->ro, r);
	}
	return NULL;
}

/* Records from several threads never interleave within a line. */
static void
test_threads(void)
{
	char	*buf = NULL, *p, *nl;
	size_t	 len = 0, good = 0, total = 0;
	FILE	*fp = open_memstream(&buf, &len);
	struct emitter em[4];
	pthread_t th[4];
	int	 i;
	json_t	*r;

	em[0].ro = rec_open(fp, "chatlog-grep", true, 0, NULL);
	for (i = 0; i < 4; i++) {
		em[i].ro = em[0].ro;
		em[i].id = i;
		pthread_create(&th[i], NULL, emit_many, &em[i]);
	}
	for (i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	rec_close(em[0].ro, NULL);
	fclose(fp);
	for (p = buf; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		*nl = '\0';
		total++;
		if ((r = parse(p)) != NULL)
			good++;
		json_decref(r);
	}
	ok(total == 2002 && good == total,
	    "4 threads x 500 records: %zu lines, %zu parse", total, good);
	free(buf);
}

static void
check_parse(const char *line, bool want, const char *what)
{
	char	 msg[256] = "";
	json_t	*j = rec_parse(line, strlen(line), msg, sizeof(msg));

	if (want)
		ok(j != NULL && json_is_object(j), "rec_parse accepts %s", what);
	else
		ok(j == NULL && msg[0] != '\0', "rec_parse rejects %s: %s", what,
		    msg);
	json_decref(j);
}

static void
test_parse(void)
{
	char	 msg[256];
	json_t	*j;
	const char *line = "{\"type\":\"hit\",\"path\":\"a.txt\"}\n{\"type\":\"x\"}";

	check_parse("{\"type\":\"hit\",\"path\":\"a\",\"member\":\"b\"}", true,
	    "a hit record");
	check_parse("  {\"type\":\"summary\",\"errors\":0}  ", true,
	    "a record with surrounding blanks");
	check_parse("{\"type\":\"hit\",\"text\":\"a\\u0000b\"}", true,
	    "a record with an escaped NUL");
	check_parse("[1,2]", false, "an array");
	check_parse("\"type\"", false, "a bare string");
	check_parse("42", false, "a number");
	check_parse("{\"path\":\"a.txt\"}", false, "an object without \"type\"");
	check_parse("{\"type\":7}", false, "an object whose type is not a string");
	check_parse("{\"type\":\"hit\",\"path\":", false, "a cut-off record");
	check_parse("{type:hit}", false, "broken JSON");
	check_parse("", false, "an empty line");
	check_parse("{\"type\":\"a\",\"type\":\"b\"}", false, "duplicate keys");
	j = rec_parse(line, strchr(line, '\n') - line, msg, sizeof(msg));
	ok(j != NULL && strcmp(sval(j, "path"), "a.txt") == 0,
	    "rec_parse reads only len bytes of a longer buffer");
	json_decref(j);
}

int
main(void)
{
	json_t	*s;
	bool	 lossy = false;

	test_stream();
	test_human_mode();
	test_write_error();
	test_threads();
	test_parse();
	s = rec_string(NULL, 0, &lossy);
	ok(json_is_null(s) && !lossy, "rec_string(NULL) is null");
	json_decref(s);
	s = rec_string("a\0\xff", 3, &lossy);
	ok(json_string_length(s) == 5 && memcmp(json_string_value(s),
	    "a\0" FFFD, 5) == 0 && lossy, "rec_string keeps NUL, repairs bytes");
	json_decref(s);
	return tap_done();
}
