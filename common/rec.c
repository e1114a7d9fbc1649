/*
 * The record stream writer.  Every string that enters a record goes
 * through rec_string(), so a record is valid UTF-8 whatever the input
 * bytes were; jansson escapes the control characters when it dumps.
 */
#include "config.h"

#include <err.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rec.h"
#include "u8.h"

struct rec_out {
	FILE		*fp;
	char		*tool;
	bool		 json;
	bool		 failed;
	unsigned long	 errors;
	struct timespec	 start;
	pthread_mutex_t	 lock;
};

static const size_t JSON_FLAGS = JSON_COMPACT | JSON_REAL_PRECISION(10);

/*
 * GNU getopt permutes argv in place, so by the time a tool opens its
 * stream the vector no longer says what the user typed.  glibc hands
 * argc and argv to constructors; a copy is kept here, and rec_open uses
 * it when it is given the process's own argv.
 */
static char	**process_argv, **original_argv;
static int	  original_argc;

static void __attribute__((constructor))
keep_original_argv(int argc, char **argv)
{
	int	 i;

	if (argc <= 0 || argv == NULL ||
	    (original_argv = calloc((size_t)argc + 1, sizeof(char *))) == NULL)
		return;
	for (i = 0; i < argc; i++)
		original_argv[i] = argv[i];
	original_argc = argc;
	process_argv = argv;
}

json_t *
rec_string(const char *s, size_t len, bool *lossy)
{
	char	*fixed;
	size_t	 n;
	json_t	*j;
	bool	 repaired = false;

	if (s == NULL)
		return json_null();
	if (u8_valid(s, len))
		return json_stringn(s, len);
	fixed = u8_repair(s, len, &n, &repaired);
	if (fixed == NULL)
		return json_null();
	j = json_stringn(fixed, n);
	free(fixed);
	if (lossy != NULL && repaired)
		*lossy = true;
	return j;
}

void
rec_set_text(json_t *obj, const char *key, const char *s, size_t len)
{
	bool	 lossy = false;

	json_object_set_new(obj, key, rec_string(s, len, &lossy));
	if (lossy)
		json_object_set_new(obj, "lossy", json_true());
}

void
rec_set_str(json_t *obj, const char *key, const char *s)
{
	if (s == NULL)
		json_object_set_new(obj, key, json_null());
	else
		rec_set_text(obj, key, s, strlen(s));
}

void
rec_set_input(json_t *obj, const char *path, const char *member)
{
	rec_set_str(obj, "path", path);
	if (member != NULL)
		rec_set_str(obj, "member", member);
}

json_t *
rec_new(const char *type)
{
	json_t	*o = json_object();

	json_object_set_new(o, "type", json_string(type));
	return o;
}

static void
iso8601_utc(const struct timespec *ts, char *buf, size_t len)
{
	struct tm tm;

	gmtime_r(&ts->tv_sec, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static json_t *
header_record(const struct rec_out *ro, int argc, char **argv)
{
	json_t	*h = rec_new("header"), *av = json_array();
	char	 when[32];
	bool	 lossy = false;
	int	 i;

	json_object_set_new(h, "format", json_integer(REC_FORMAT));
	rec_set_str(h, "tool", ro->tool);
	json_object_set_new(h, "version", json_string(PACKAGE_VERSION));
	for (i = 0; i < argc; i++)
		json_array_append_new(av, rec_string(argv[i], strlen(argv[i]),
		    &lossy));
	json_object_set_new(h, "argv", av);
	if (lossy)
		json_object_set_new(h, "lossy", json_true());
	iso8601_utc(&ro->start, when, sizeof(when));
	json_object_set_new(h, "started", json_string(when));
	return h;
}

struct rec_out *
rec_open(FILE *fp, const char *tool, bool json, int argc, char **argv)
{
	struct rec_out *ro;

	if ((ro = calloc(1, sizeof(*ro))) == NULL ||
	    (ro->tool = strdup(tool)) == NULL)
		err(2, NULL);
	ro->fp = fp;
	ro->json = json;
	clock_gettime(CLOCK_REALTIME, &ro->start);
	pthread_mutex_init(&ro->lock, NULL);
	if (argv != NULL && argv == process_argv && original_argv != NULL) {
		argc = original_argc;
		argv = original_argv;
	}
	if (json)
		rec_emit(ro, header_record(ro, argc, argv));
	return ro;
}

bool
rec_json(const struct rec_out *ro)
{
	return ro->json;
}

/*
 * jansson escapes C0 controls but writes DEL and the C1 controls raw; a
 * record shown on a terminal must not be able to drive it, so those are
 * escaped here.  They can only occur inside strings, where \u00XX is the
 * same character.
 */
static int
write_escaped(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p != '\0'; p++) {
		if (*p == 0x7F) {
			if (fputs("\\u007f", fp) == EOF)
				return -1;
		} else if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {
			if (fprintf(fp, "\\u%04x", p[1]) < 0)
				return -1;
			p++;
		} else if (putc(*p, fp) == EOF)
			return -1;
	}
	return putc('\n', fp) == EOF ? -1 : 0;
}

void
rec_emit(struct rec_out *ro, json_t *rec)
{
	char	*line = json_dumps(rec, JSON_FLAGS);

	pthread_mutex_lock(&ro->lock);
	if (line == NULL || write_escaped(ro->fp, line) == -1)
		ro->failed = true;
	pthread_mutex_unlock(&ro->lock);
	free(line);
	json_decref(rec);
}

void
rec_error(struct rec_out *ro, const char *path, const char *member,
    const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[1024];
	json_t	*e;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	warnx("%s", msg);
	pthread_mutex_lock(&ro->lock);
	ro->errors++;
	pthread_mutex_unlock(&ro->lock);
	if (!ro->json)
		return;
	e = rec_new("error");
	rec_set_input(e, path, member);
	rec_set_str(e, "message", msg);
	rec_emit(ro, e);
}

void
rec_error_in(struct rec_out *ro, const char *path, const char *member,
    const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[1024];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (path == NULL)
		rec_error(ro, NULL, NULL, "%s", msg);
	else if (member != NULL)
		rec_error(ro, path, member, "'%s' member '%s': %s", path,
		    member, msg);
	else
		rec_error(ro, path, NULL, "'%s': %s", path, msg);
}

unsigned long
rec_errors(const struct rec_out *ro)
{
	return ro->errors;
}

static double
elapsed_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	return (double)(now.tv_sec - t0->tv_sec) +
	    (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

int
rec_close(struct rec_out *ro, json_t *counts)
{
	json_t	*s;
	int	 rc;

	if (ro->json) {
		s = rec_new("summary");
		if (counts != NULL)
			json_object_update(s, counts);
		json_object_set_new(s, "errors", json_integer(
		    (json_int_t)ro->errors));
		json_object_set_new(s, "elapsed",
		    json_real(elapsed_since(&ro->start)));
		rec_emit(ro, s);
	}
	json_decref(counts);
	rc = (ro->failed || fflush(ro->fp) == EOF || ferror(ro->fp)) ? -1 : 0;
	pthread_mutex_destroy(&ro->lock);
	free(ro->tool);
	free(ro);
	return rc;
}

json_t *
rec_parse(const char *line, size_t len, char *msg, size_t msglen)
{
	json_error_t	 je;
	json_t		*j;

	j = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);
	if (j == NULL) {
		snprintf(msg, msglen, "%s at column %d", je.text, je.column);
		return NULL;
	}
	if (!json_is_object(j) || !json_is_string(json_object_get(j, "type"))) {
		snprintf(msg, msglen, "not a record (an object with a \"type\")");
		json_decref(j);
		return NULL;
	}
	return j;
}
