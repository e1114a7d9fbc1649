/* A progress line on stderr for long runs, only on a terminal and without -q. */
#ifndef FK_PROGRESS_H
#define FK_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

struct progress;

struct progress	*progress_new(bool quiet);
/* Known totals give an ETA; 0 means unknown. */
void		 progress_total(struct progress *, uint64_t items, uint64_t bytes);
void		 progress_add(struct progress *, uint64_t items, uint64_t bytes);
/* Clears the line and frees. */
void		 progress_end(struct progress *);
/* The line as it would be drawn, for tests. */
void		 progress_format(const struct progress *, double now, char *buf,
		    size_t len);

#endif
