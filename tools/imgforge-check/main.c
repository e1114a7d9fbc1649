/*
 * imgforge-check: flag forged document images and edited screenshots,
 * and say where and why.  main() parses the options into a struct opts
 * and hands them to run_checks() (run.c).
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "imgforge.h"

#define TOOL	"imgforge-check"

enum { OPT_CHECKS = CLI_OPT_TOOL_BASE, OPT_CROSS, OPT_MAPS, OPT_NFA };

static const char usage_line[] =
    "usage: imgforge-check [-0hqv] [-j N] [--checks LIST] [--cross] [--json]\n"
    "                      [--maps DIR] [--nfa EPS]\n"
    "                      [FILE | DIR | ARCHIVE ...]\n";

struct opts {
	struct cli_common c;
	struct ifc_conf	 conf;
	char		**paths;
	int		 npaths;
};

static void
help(void)
{
	printf("%s\nFlag forged document images and edited screenshots: "
	    "where and why.\n\n"
	    "      --checks LIST  check families, comma-separated: meta, dqt, "
	    "zero, dq,\n"
	    "                     copymove, noise, ela, or all (default all)\n"
	    "      --cross        also copy-move across all the pictures of the "
	    "run\n"
	    "                     (records come out at the end of the run)\n"
	    "      --maps DIR     write a mask, an overlay (and ELA) PNG per "
	    "image in DIR\n"
	    "      --nfa EPS      false alarms allowed per image (default 1)\n"
	    CLI_COMMON_OPTS_HELP, usage_line);
}

static unsigned
parse_checks(const char *list)
{
	static const char *const names[] = { "meta", "dqt", "zero", "dq",
	    "copymove", "noise", "ela" };
	char *dup = strdup(list), *s = dup, *tok;
	unsigned set = 0, i;

	if (dup == NULL)
		err(EXIT_TROUBLE, NULL);
	while ((tok = strsep(&s, ",")) != NULL) {
		for (i = 0; i < 7 && strcmp(tok, names[i]) != 0; i++)
			;
		if (strcmp(tok, "all") == 0)
			set |= IFC_ALL;
		else if (i < 7)
			set |= 1u << i;
		else
			cli_usage_error(usage_line, "unknown check '%s'", tok);
	}
	free(dup);
	return set;
}

static void
map_dir(const char *dir)
{
	struct stat st;

	if (mkdir(dir, 0777) == -1 && errno != EEXIST)
		errx(EXIT_TROUBLE, "cannot create '%s': %s", dir, strerror(errno));
	if (stat(dir, &st) == -1 || !S_ISDIR(st.st_mode))
		errx(EXIT_TROUBLE, "'%s' is not a directory", dir);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "checks",	required_argument,	NULL, OPT_CHECKS },
		{ "cross",	no_argument,		NULL, OPT_CROSS },
		{ "help",	no_argument,		NULL, 'h' },
		{ "jobs",	required_argument,	NULL, 'j' },
		{ "json",	no_argument,		NULL, CLI_OPT_JSON },
		{ "maps",	required_argument,	NULL, OPT_MAPS },
		{ "nfa",	required_argument,	NULL, OPT_NFA },
		{ "quiet",	no_argument,		NULL, 'q' },
		{ "verbose",	no_argument,		NULL, 'v' },
		{ "version",	no_argument,		NULL, CLI_OPT_VERSION },
		{ NULL,		0,			NULL, 0 }
	};
	struct opts o = { .conf = { .checks = IFC_ALL } };
	int ch;

	cli_init(&o.c);
	/*
	 * A picture's buffers (up to 32 MB each here) come from malloc's
	 * arenas and, once freed, stay there for the next step or picture
	 * instead of going back to the kernel and being faulted in again.
	 */
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	while ((ch = getopt_long(argc, argv, "0hj:qv", longopts, NULL)) != -1)
		if (ch == OPT_CHECKS)
			o.conf.checks = parse_checks(optarg);
		else if (ch == OPT_CROSS)
			o.conf.cross = true;
		else if (ch == OPT_MAPS)
			o.conf.mapdir = optarg;
		else if (ch == OPT_NFA)
			o.conf.log10_eps = log10(cli_parse_double(optarg, 1e-300,
			    1e300, "--nfa", usage_line));
		else if (!cli_common_opt(&o.c, ch, optarg, TOOL, help))
			cli_usage(usage_line);
	if (o.conf.mapdir != NULL)
		map_dir(o.conf.mapdir);
	o.conf.inner_threads = o.c.jobs;
	o.conf.verbose = o.c.verbose;
	o.paths = argv + optind;
	o.npaths = argc - optind;
	return cli_exit_status(run_checks(&o.conf, &o.c, o.paths, o.npaths,
	    argc, argv));
}
