/* Options, usage and exit helpers shared by the four tools. */
#ifndef FK_CLI_H
#define FK_CLI_H

#include <stdbool.h>
#include <getopt.h>

/* Exit statuses: each tool says what 0 and 1 mean; 2 is always trouble. */
#define EXIT_TROUBLE	2

/* Options every tool takes; each tool puts them in its own sorted table. */
enum {
	CLI_OPT_VERSION = 0x100,
	CLI_OPT_JSON,
	CLI_OPT_TOOL_BASE = 0x200
};

struct cli_common {
	bool		 json;
	bool		 quiet;
	int		 verbose;
	int		 jobs;
	bool		 nul;
};

void		 cli_init(struct cli_common *);
/*
 * Handles the options every tool shares (-0, -h, -j, -q, -v, --json,
 * --version).  Returns 1 when ch was one of them, 0 otherwise.
 */
int		 cli_common_opt(struct cli_common *, int ch, const char *arg,
		    const char *tool, void (*help)(void));
/* The usage line on stderr, exit 2 (getopt has already said what was wrong). */
void		 cli_usage(const char *usage) __attribute__((noreturn));
/* A diagnostic plus the usage line on stderr, exit 2. */
void		 cli_usage_error(const char *usage, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3), noreturn));
int		 cli_parse_int(const char *s, int lo, int hi, const char *what,
		    const char *usage);
double		 cli_parse_double(const char *s, double lo, double hi,
		    const char *what, const char *usage);
/*
 * Flushes and closes stdout: a write error there (a full disk, a closed
 * pipe) turns any status into 2.
 */
int		 cli_exit_status(int status);
int		 cli_ncores(void);

#define CLI_COMMON_OPTS_HELP \
"  -0               read NUL-separated paths from standard input\n" \
"  -h, --help       print this help and exit\n" \
"  -j, --jobs N     worker threads (default: the number of cores)\n" \
"      --json       write the record stream (forgekit-records(5))\n" \
"  -q, --quiet      no progress line, no informational messages\n" \
"  -v, --verbose    say more on standard error (repeat for more)\n" \
"      --version    print the version and exit\n"

#endif
