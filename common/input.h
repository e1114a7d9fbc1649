/*
 * Input walking, shared by every tool: paths, directories in sorted
 * order, archive members as streams (never extracted), and standard
 * input as a path list or a record stream.  Each item is hashed while it
 * is read, so no input is read twice.
 */
#ifndef FK_INPUT_H
#define FK_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "hash.h"

struct rec_out;

/* Caps that make an archive bomb a refusal, not an instruction. */
struct input_limits {
	uint64_t	 max_members;	/* entries per archive */
	uint64_t	 max_expanded;	/* bytes expanded per archive */
	uint64_t	 max_ratio;	/* expanded / archive size */
	uint64_t	 ratio_floor;	/* ratio is enforced past this many bytes */
};

struct input_opts {
	bool		 nul;		/* -0: stdin path list is NUL-separated */
	bool		 archives;	/* open archives and walk their members */
	bool		 empty_ok;	/* hand empty items to the tool, not an error */
	unsigned	 hashes;	/* HASH_BIT()s computed on every item: SHA-256 by
					   default; 0 when no record will name it */
	struct input_limits lim;
	/*
	 * Called before the walker reports an error, so that a tool that
	 * works on a pool can first write out the items before it (e.g.
	 * pool_drain): records stay in input order whatever -j is.
	 */
	void		(*sync)(void *);
	void		*sync_arg;
};

#define INPUT_HEADMAX	(64 * 1024)
#define INPUT_MIMEMAX	128

struct input_item {
	const char	*path;		/* the outer file, as the user named it */
	const char	*member;	/* path inside the archive, or NULL */
	char		 mime[INPUT_MIMEMAX];
	int64_t		 declared_size;	/* from stat or the archive, -1 unknown */
	/* private to input.c */
	int		 fd;
	void		*archive;
	struct input_archive_state *arch;
	const struct input_limits *archive_limits;
	unsigned char	*head;
	size_t		 headlen, headpos;
	struct hash	 hash;
	uint64_t	 nread;
	bool		 eof, failed;
	char		 errmsg[256];
};

/* Returns nonzero to stop the walk (the tool's own fatal trouble). */
typedef int	(*input_fn)(struct input_item *, void *arg);

void		 input_opts_default(struct input_opts *);
/*
 * Walks paths (or standard input when npaths is 0 or the only path is
 * "-"), calling fn for every file and archive member.  Problems are
 * reported through rec_error and the walk goes on.  Returns -1 when fn
 * asked to stop, else 0.
 */
int		 input_walk(const struct input_opts *, char **paths, int npaths,
		    struct rec_out *, input_fn fn, void *arg);

/* The first bytes of the item, without consuming them. */
const unsigned char *input_head(struct input_item *, size_t *len);
/* Reads like read(2); -1 with errmsg set on a read error or a cap. */
ssize_t		 input_read(struct input_item *, void *buf, size_t n);
/*
 * Reads the rest of the item into a malloc'd buffer (NUL-terminated for
 * convenience); -1 with errmsg set when it exceeds max bytes or fails.
 */
int		 input_slurp(struct input_item *, size_t max, unsigned char **buf,
		    size_t *len);
/* Reads to the end so the hashes cover the whole item, then finalises them. */
int		 input_finish(struct input_item *, struct hash_hex *);
const char	*input_error(const struct input_item *);

#endif
