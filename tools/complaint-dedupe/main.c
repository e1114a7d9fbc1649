/*
 * complaint-dedupe: cluster near-duplicate complaint letters made from
 * templates, show each cluster's template and what every letter filled
 * into its slots, and link clusters that share a phone, ID, account or
 * IP.  See cd.h for the pipeline and complaint-dedupe(1) for the method.
 */
#include "config.h"

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cd.h"
#include "cli.h"
#include "input.h"
#include "pool.h"
#include "rd.h"
#include "rec.h"

static const char usage_line[] =
    "usage: complaint-dedupe [-0hqv] [-j N] [-n N] [-t T] [--containment C]\n"
    "                        [--csv | --json] [--field NAME] [--meta LIST]\n"
    "                        [--time NAME] [--index FILE] [--watchlist FILE]\n"
    "                        [--map | --reduce | --merge] [FILE | DIR | ARCHIVE ...]\n";

enum {
	OPT_CONTAINMENT = CLI_OPT_TOOL_BASE, OPT_CSV, OPT_FIELD, OPT_INDEX,
	OPT_MAP, OPT_MERGE, OPT_META, OPT_REDUCE, OPT_TIME, OPT_WATCHLIST
};

static void
help(void)
{
	printf("%s\nCluster near-duplicate complaint letters made from templates; show the\n"
	    "template, each letter's slot fills, and links between clusters.\n\n"
	    "  -n, --ngram N        characters per shingle (default %d)\n"
	    "  -t, --threshold T    Jaccard similarity to join a cluster (default %.2f)\n"
	    "      --containment C  also join when C of the smaller letter is in the other\n"
	    "      --csv            one row per letter with its cluster id\n"
	    "      --field NAME     CSV/JSON Lines column holding the letter (default text)\n"
	    "      --meta LIST      comma-separated columns that travel with each letter\n"
	    "      --time NAME      the column with the submission time (burstiness)\n"
	    "      --index FILE     add to (or create) a saved index of earlier letters\n"
	    "      --watchlist FILE flag letters naming these numbers or accounts\n"
	    "      --map            write band keys: bandkey TAB docid TAB signature\n"
	    "      --reduce         read sorted --map lines, write verified edges\n"
	    "      --merge          read --reduce output, write the clusters\n"
	    CLI_COMMON_OPTS_HELP, usage_line, CD_NGRAM, CD_DEFAULT_T);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "containment", required_argument,	NULL, OPT_CONTAINMENT },
		{ "csv",	no_argument,		NULL, OPT_CSV },
		{ "field",	required_argument,	NULL, OPT_FIELD },
		{ "help",	no_argument,		NULL, 'h' },
		{ "index",	required_argument,	NULL, OPT_INDEX },
		{ "jobs",	required_argument,	NULL, 'j' },
		{ "json",	no_argument,		NULL, CLI_OPT_JSON },
		{ "map",	no_argument,		NULL, OPT_MAP },
		{ "merge",	no_argument,		NULL, OPT_MERGE },
		{ "meta",	required_argument,	NULL, OPT_META },
		{ "ngram",	required_argument,	NULL, 'n' },
		{ "quiet",	no_argument,		NULL, 'q' },
		{ "reduce",	no_argument,		NULL, OPT_REDUCE },
		{ "threshold",	required_argument,	NULL, 't' },
		{ "time",	required_argument,	NULL, OPT_TIME },
		{ "verbose",	no_argument,		NULL, 'v' },
		{ "version",	no_argument,		NULL, CLI_OPT_VERSION },
		{ "watchlist",	required_argument,	NULL, OPT_WATCHLIST },
		{ NULL,		0,			NULL, 0 }
	};
	struct opts o;
	int	 ch;

	opts_init(&o);
	while ((ch = getopt_long(argc, argv, "0hj:n:qt:v", longopts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			o.params.ngram = cli_parse_int(optarg, 1, 16, "n-gram",
			    usage_line);
			break;
		case 't':
			o.params.t = cli_parse_double(optarg, 0.05, 1, "threshold",
			    usage_line);
			break;
		case OPT_CONTAINMENT:
			o.params.containment = cli_parse_double(optarg, 0.05, 1,
			    "containment", usage_line);
			break;
		case OPT_CSV:		o.csv = true; break;
		case OPT_FIELD:		o.field = optarg; o.field_given = true; break;
		case OPT_INDEX:		o.index = optarg; break;
		case OPT_MAP:		o.mode = MODE_MAP; o.nmodes++; break;
		case OPT_MERGE:		o.mode = MODE_MERGE; o.nmodes++; break;
		case OPT_META:		o.meta = optarg; break;
		case OPT_REDUCE:	o.mode = MODE_REDUCE; o.nmodes++; break;
		case OPT_TIME:		o.timecol = optarg; break;
		case OPT_WATCHLIST:	o.watchlist = optarg; break;
		default:
			if (!cli_common_opt(&o.c, ch, optarg, TOOL, help))
				cli_usage(usage_line);
		}
	}
	if (o.nmodes > 1)
		cli_usage_error(usage_line, "--map, --reduce and --merge exclude each other");
	if (o.csv && o.c.json)
		cli_usage_error(usage_line, "--csv and --json exclude each other");
	if (o.index && o.mode != MODE_RUN)
		cli_usage_error(usage_line, "--index works on a one-process run");
	o.paths = argv + optind;
	o.npaths = argc - optind;
	return cli_exit_status(run(&o, argc, argv));
}
