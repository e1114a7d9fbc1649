/* Container formats of letters (formats.c), callable on memory buffers. */
#ifndef CD_FMT_H
#define CD_FMT_H

#include <stdbool.h>
#include <stddef.h>

#include "cd.h"

int	 fmt_docx(const void *, size_t, struct buf *, char *err, size_t errlen);
void	 fmt_docx_xml(const char *, size_t, struct buf *);
void	 fmt_eml(const char *, size_t, struct buf *);

enum csv_state { CSV_START, CSV_BARE, CSV_QUOTED, CSV_QUOTE2 };
enum csv_event { CSV_RECORD, CSV_BROKEN };

struct csvp {
	enum csv_state	 st;
	struct buf	 rec;		/* fields, each NUL-terminated */
	size_t		*off, *flen, nf, fcap, fstart;
	unsigned long	 line;		/* current physical line */
	unsigned long	 recline;	/* line the record began on */
	size_t		 max;		/* bytes per record before it is refused */
	bool		 broken, unterminated, toolong;
};
typedef int	(*csv_fn)(struct csvp *, enum csv_event, void *arg);

void	 csv_init(struct csvp *);
int	 csv_feed(struct csvp *, const char *, size_t, bool eof, csv_fn, void *);
void	 csv_free(struct csvp *);

#endif
