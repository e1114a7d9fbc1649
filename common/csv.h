/*
 * Streaming RFC 4180 CSV: a push parser over bytes fed in chunks of any
 * size.  Quoted fields may hold "" escapes, commas, CR and LF; rows end
 * at LF or CRLF (or at the end of input).  Blank lines are skipped.
 * Memory is bounded by one row.  A BOM is the caller's business.
 */
#ifndef FK_CSV_H
#define FK_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Worst problem of a row, in increasing order of severity. */
enum csv_err {
	CSV_OK = 0,
	CSV_EQUOTE,	/* quote inside a bare field, text after a closing one */
	CSV_ELONG,	/* the row passed the bound: its fields are dropped */
	CSV_EEOF	/* input ended inside a quoted field */
};

struct csv_field {
	const char	*s;	/* NUL-terminated (a field may hold NULs) */
	size_t		 len;
};

struct csv_row {
	const struct csv_field *f;
	size_t		 nf;	/* 0 only for a CSV_ELONG row */
	uint64_t	 row;	/* 1 for the first row delivered (the header) */
	uint64_t	 line;	/* line (from 1) where the row starts */
	enum csv_err	 err;
};

/* Returns 0 to go on; anything else stops csv_feed/csv_end with it. */
typedef int	(*csv_row_fn)(const struct csv_row *, void *arg);

/*
 * Lenient: a stray quote in a bare field or text after a closing quote is
 * kept as text without CSV_EQUOTE (the text is kept in either mode).
 */
#define CSV_LENIENT	0x1u

/* Per-field cost charged against the bound, so that commas count too. */
#define CSV_FIELD_COST	16u

struct csv;

/*
 * max: bytes of one row (field text, plus CSV_FIELD_COST per field) before
 * it is refused with CSV_ELONG; 0 means 16 MiB.  NULL when out of memory.
 */
struct csv	*csv_new(size_t max, unsigned flags, csv_row_fn, void *arg);
/* Feeds n bytes; fn gets every complete row, in order.  0 or fn's value. */
int		 csv_feed(struct csv *, const void *, size_t n);
/* End of input: delivers the last row if it had no final newline. */
int		 csv_end(struct csv *);
void		 csv_free(struct csv *);
const char	*csv_strerror(enum csv_err);

#endif
