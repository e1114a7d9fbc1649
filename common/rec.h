/*
 * The record stream (forgekit-records(5)): one compact JSON object per
 * line, always valid UTF-8, written by one emitter for every tool.
 */
#ifndef FK_REC_H
#define FK_REC_H

#include <stdbool.h>
#include <stdio.h>
#include <jansson.h>

#define REC_FORMAT 1

struct rec_out;

/* Opens the stream; in JSON mode the header is written at once. */
struct rec_out	*rec_open(FILE *, const char *tool, bool json, int argc,
		    char **argv);
bool		 rec_json(const struct rec_out *);
/* Writes one record and drops the caller's reference to it. */
void		 rec_emit(struct rec_out *, json_t *);
/* Reports an input that could not be handled: stderr, then an error record. */
void		 rec_error(struct rec_out *, const char *path, const char *member,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The same about one input, named first: "'path' member 'm': message". */
void		 rec_error_in(struct rec_out *, const char *path,
		    const char *member, const char *fmt, ...)
		    __attribute__((format(printf, 4, 5)));
unsigned long	 rec_errors(const struct rec_out *);
/*
 * Writes the summary (counts may be NULL; its reference is dropped) and
 * flushes.  Returns -1 when the output could not be written.
 */
int		 rec_close(struct rec_out *, json_t *counts);

json_t		*rec_new(const char *type);
/* Sets key to s, repaired to valid UTF-8; a repair marks obj "lossy". */
void		 rec_set_text(json_t *obj, const char *key, const char *s,
		    size_t len);
void		 rec_set_str(json_t *obj, const char *key, const char *s);
void		 rec_set_input(json_t *obj, const char *path,
		    const char *member);
/* A fresh JSON string from any bytes; *lossy is set when bytes were replaced. */
json_t		*rec_string(const char *s, size_t len, bool *lossy);

/* Reading: parses one line of a record stream; NULL with a message in err. */
json_t		*rec_parse(const char *line, size_t len, char *err, size_t errlen);

#endif
