/*
 * complaint-dedupe: flag forged document images and edited screenshots.
 * This is the skeleton: it walks and hashes its inputs and writes the
 * record stream's frame, but the checks themselves are not built yet,
 * so it says so and exits 2 rather than claim a result.
 */
#include "config.h"

#include <err.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "input.h"
#include "rec.h"

#define TOOL	"complaint-dedupe"

static const char usage_line[] =
    "usage: complaint-dedupe [-0hqv] [-j N] [--json] [FILE | DIR | ARCHIVE ...]\n";

struct opts {
	struct cli_common c;
	char	**paths;
	int	 npaths;
};

static void
help(void)
{
	printf("%s\nFlag forged document images and edited screenshots.\n\n"
	    CLI_COMMON_OPTS_HELP, usage_line);
}

static int
count_item(struct input_item *it, void *arg)
{
	struct hash_hex h;

	if (input_finish(it, &h) == 0)
		(*(unsigned long *)arg)++;
	return 0;
}

static int
run(const struct opts *o, int argc, char **argv)
{
	struct input_opts io;
	struct rec_out *ro;
	unsigned long items = 0;
	json_t	*counts;

	input_opts_default(&io);
	io.nul = o->c.nul;
	ro = rec_open(stdout, TOOL, o->c.json, argc, argv);
	input_walk(&io, o->paths, o->npaths, ro, count_item, &items);
	warnx("image checks are not built yet: %lu input(s) read, none analysed",
	    items);
	counts = json_pack("{s:I}", "inputs", (json_int_t)items);
	if (rec_close(ro, counts) == -1)
		warnx("error writing standard output");
	return EXIT_TROUBLE;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help",	no_argument,		NULL, 'h' },
		{ "jobs",	required_argument,	NULL, 'j' },
		{ "json",	no_argument,		NULL, CLI_OPT_JSON },
		{ "quiet",	no_argument,		NULL, 'q' },
		{ "verbose",	no_argument,		NULL, 'v' },
		{ "version",	no_argument,		NULL, CLI_OPT_VERSION },
		{ NULL,		0,			NULL, 0 }
	};
	struct opts o;
	int	 ch;

	cli_init(&o.c);
	while ((ch = getopt_long(argc, argv, "0hj:qv", longopts, NULL)) != -1)
		if (!cli_common_opt(&o.c, ch, optarg, TOOL, help))
			cli_usage(usage_line);
	o.paths = argv + optind;
	o.npaths = argc - optind;
	return cli_exit_status(run(&o, argc, argv));
}
