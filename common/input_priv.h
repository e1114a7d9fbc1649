/* Shared between the input_*.c files only. */
#ifndef FK_INPUT_PRIV_H
#define FK_INPUT_PRIV_H

#include "input.h"

struct input_walk {
	const struct input_opts	*opts;
	struct rec_out		*ro;
	input_fn		 fn;
	void			*arg;
	bool			 stopped;
};

/* A set of member names wanted from one archive (from a record stream). */
struct member_set {
	char		**names;
	bool		 *seen;
	size_t		  n, cap;
};

struct input_archive_state {
	uint64_t	 members;
	uint64_t	 expanded;
	uint64_t	 outer_size;
	bool		 refused;
};

int	walk_path(struct input_walk *, const char *path);
int	walk_archive(struct input_walk *, const char *path, int fd,
	    uint64_t size, const char *mime, struct member_set *);
int	walk_stdin(struct input_walk *);
int	open_readonly(const char *path);
/* rec_error for the walker, after the tool's sync hook (see input_opts). */
void	walk_error(struct input_walk *, const char *path, const char *member,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/*
 * Runs the tool on one prepared item and reports what went wrong reading
 * it: 0 when all went well, 1 when the item failed, -1 when the tool
 * asked to stop.
 */
int	item_run(struct input_walk *, struct input_item *);
int	item_begin(struct input_item *, const struct input_opts *, const char *path,
	    const char *member, int fd, void *archive,
	    struct input_archive_state *, int64_t declared);
void	item_end(struct input_item *);

#endif
