/* The reading context shared by readers.c and main.c. */
#ifndef CD_RD_H
#define CD_RD_H

#include "cd.h"

struct input_item;
struct pool;

struct rd {
	struct store	*st;
	struct rec_out	*ro;
	struct pool	*pool;
	struct cd_params params;
	const char	*field;		/* CSV/JSONL text column */
	bool		 field_given;
	char		**meta;		/* --meta columns */
	size_t		 nmeta;
	const char	*timecol;	/* the column holding submission time */
	uint64_t	*seen;		/* hashes of (path, member) read */
	size_t		 nseen, seencap;
	unsigned long	 letters;
	struct progress	*prog;		/* letters and bytes done, on a terminal */
};

int	 rd_item(struct input_item *, void *);
void	 rd_flush(struct rd *);

#endif
