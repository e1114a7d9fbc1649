/*
 * chatlog-grep: search chat exports for coded black-industry language,
 * robust to evasion, and say who said it and when.
 */
#include "config.h"

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "grep.h"
#include "rec.h"

#define TOOL	"chatlog-grep"

static const char usage_line[] =
    "usage: chatlog-grep [-0chlqv] [-A N] [-B N] [-C N] [-e PATTERN] [-f LEXICON] [-j N]\n"
    "                    [--color WHEN] [--evasion MODE] [--format FORMAT] [--json]\n"
    "                    [--lexicon-add FILE] [--sender NAME] [--since TIME] [--stats]\n"
    "                    [--until TIME] [PATTERN] [PATH ...]\n";

enum {
	OPT_COLOR = CLI_OPT_TOOL_BASE, OPT_EVASION, OPT_FORMAT, OPT_LEXADD,
	OPT_SENDER, OPT_SINCE, OPT_STATS, OPT_UNTIL
};

static void
help(void)
{
	printf("%s\nSearch chat exports (QQ, WeChat, Telegram, WhatsApp, LINE, plain text,\n"
	    "inside archives) for coded black-industry language, robust to evasion.\n"
	    "With neither PATTERN nor -f, the built-in lexicon is used.\n\n"
	    "  -A, --after-context N    show N messages after each hit\n"
	    "  -B, --before-context N   show N messages before each hit\n"
	    "  -C, --context N          show N messages before and after\n"
	    "  -c, --count              count hits by term, category and sender\n"
	    "      --color WHEN         highlight hits: auto, always or never\n"
	    "  -e, --regexp PATTERN     search for PATTERN (a term; re:... for a regex)\n"
	    "      --evasion MODE       off, normal (default) or aggressive\n"
	    "  -f, --lexicon LEXICON    terms from a TSV lexicon instead of the built-in one\n"
	    "      --format FORMAT      read exports as FORMAT instead of detecting it\n"
	    "  -l, --files-with-matches print only the names of inputs with hits\n"
	    "      --lexicon-add FILE   add the terms of another TSV lexicon\n"
	    "      --sender NAME        only messages from NAME (part of the name, or the id)\n"
	    "      --since TIME         only messages at or after TIME (ISO 8601 prefix)\n"
	    "      --stats              summarise hits per sender and per day\n"
	    "      --until TIME         only messages at or before TIME (ISO 8601 prefix)\n"
	    CLI_COMMON_OPTS_HELP, usage_line);
}

static enum evasion
parse_evasion(const char *s)
{
	if (strcmp(s, "off") == 0)
		return EV_OFF;
	if (strcmp(s, "normal") == 0)
		return EV_NORMAL;
	if (strcmp(s, "aggressive") == 0)
		return EV_AGGRESSIVE;
	cli_usage_error(usage_line, "unknown evasion mode '%s' (off, normal, aggressive)", s);
}

/* "2024-03-01 10:00" and "2024-03-01T10:00" both become the second. */
static const char *
parse_time(char *s, const char *what)
{
	size_t	 i, n = strlen(s);
	static const char shape[] = "dddd-dd-ddTdd:dd:dd";

	if (n < 4 || n > 19)
		cli_usage_error(usage_line, "bad %s time '%s' (YYYY[-MM[-DD[THH:MM:SS]]])", what, s);
	for (i = 0; i < n; i++) {
		if (i == 10 && s[i] == ' ')
			s[i] = 'T';
		if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != shape[i])
			cli_usage_error(usage_line, "bad %s time '%s' (YYYY[-MM[-DD[THH:MM:SS]]])",
			    what, s);
	}
	return s;
}

static void
tool_opt(struct opts *o, int ch, char *arg)
{
	switch (ch) {
	case 'A': o->after = cli_parse_int(arg, 0, 1000, "-A", usage_line); break;
	case 'B': o->before = cli_parse_int(arg, 0, 1000, "-B", usage_line); break;
	case 'C': o->after = o->before = cli_parse_int(arg, 0, 1000, "-C", usage_line); break;
	case 'c': o->count = true; break;
	case 'e': o->pattern = arg; break;
	case 'f': o->lexfile = arg; break;
	case 'l': o->files = true; break;
	case OPT_COLOR:
		if (strcmp(arg, "auto") && strcmp(arg, "always") && strcmp(arg, "never"))
			cli_usage_error(usage_line, "--color takes auto, always or never");
		o->color = arg;
		break;
	case OPT_EVASION: o->evasion = parse_evasion(arg); break;
	case OPT_FORMAT:
		if (chat_format_parse(arg) == FMT_COUNT)
			cli_usage_error(usage_line, "unknown format '%s'", arg);
		o->format = arg;
		break;
	case OPT_LEXADD:
		if ((o->lexadd = realloc(o->lexadd, (size_t)(o->nlexadd + 1) *
		    sizeof(char *))) == NULL)
			err(EXIT_TROUBLE, NULL);
		o->lexadd[o->nlexadd++] = arg;
		break;
	case OPT_SENDER: o->sender = arg; break;
	case OPT_SINCE: o->since = parse_time(arg, "--since"); break;
	case OPT_STATS: o->stats = true; break;
	case OPT_UNTIL: o->until = parse_time(arg, "--until"); break;
	default: cli_usage(usage_line);
	}
}

/* Without -e or -f, a first operand that exists is a path, else the pattern. */
static void
operands(struct opts *o, int argc, char **argv)
{
	struct stat st;

	if (o->pattern == NULL && o->lexfile == NULL && argc > 0 &&
	    strcmp(argv[0], "-") != 0 && stat(argv[0], &st) == -1) {
		o->pattern = argv[0];
		argc--;
		argv++;
	}
	o->paths = argv;
	o->npaths = argc;
}

static int
load_lexicon(const struct opts *o, struct lexicon *lx)
{
	int	 i;

	if (o->pattern != NULL) {
		if (lex_add_term(lx, o->pattern, "pattern") == -1) {
			warnx("empty pattern");
			return -1;
		}
	} else if (lex_load(lx, o->lexfile ? o->lexfile : lex_builtin_path()) == -1)
		return -1;
	for (i = 0; i < o->nlexadd; i++)
		if (lex_load(lx, o->lexadd[i]) == -1)
			return -1;
	return 0;
}

static int
run(const struct opts *o, int argc, char **argv)
{
	struct lexicon lx = { 0 };
	struct matcher *m;
	struct rec_out *ro;
	struct out *out;
	json_t	*summary;
	unsigned long hits, errors;
	char	 why[512];

	if (load_lexicon(o, &lx) == -1) {
		lex_free(&lx);
		return EXIT_TROUBLE;
	}
	if ((m = match_new(&lx, o->evasion, o->c.jobs, why, sizeof(why))) == NULL) {
		warnx("%s", why);
		lex_free(&lx);
		return EXIT_TROUBLE;
	}
	if (o->c.verbose)
		warnx("%zu terms, %zu patterns", lx.nterms, match_npatterns(m));
	ro = rec_open(stdout, TOOL, o->c.json, argc, argv);
	out = out_new(o, &lx, ro);
	scan_run(o, &lx, m, ro, out);
	hits = out_finish(out, &summary);
	errors = rec_errors(ro);
	if (rec_close(ro, summary) == -1)
		warnx("error writing standard output");
	out_free(out);
	match_free(m);
	lex_free(&lx);
	if (errors > 0)
		return EXIT_TROUBLE;
	return hits > 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "after-context",	required_argument,	NULL, 'A' },
		{ "before-context",	required_argument,	NULL, 'B' },
		{ "color",		required_argument,	NULL, OPT_COLOR },
		{ "context",		required_argument,	NULL, 'C' },
		{ "count",		no_argument,		NULL, 'c' },
		{ "evasion",		required_argument,	NULL, OPT_EVASION },
		{ "files-with-matches",	no_argument,		NULL, 'l' },
		{ "format",		required_argument,	NULL, OPT_FORMAT },
		{ "help",		no_argument,		NULL, 'h' },
		{ "jobs",		required_argument,	NULL, 'j' },
		{ "json",		no_argument,		NULL, CLI_OPT_JSON },
		{ "lexicon",		required_argument,	NULL, 'f' },
		{ "lexicon-add",	required_argument,	NULL, OPT_LEXADD },
		{ "quiet",		no_argument,		NULL, 'q' },
		{ "regexp",		required_argument,	NULL, 'e' },
		{ "sender",		required_argument,	NULL, OPT_SENDER },
		{ "since",		required_argument,	NULL, OPT_SINCE },
		{ "stats",		no_argument,		NULL, OPT_STATS },
		{ "until",		required_argument,	NULL, OPT_UNTIL },
		{ "verbose",		no_argument,		NULL, 'v' },
		{ "version",		no_argument,		NULL, CLI_OPT_VERSION },
		{ NULL,			0,			NULL, 0 }
	};
	struct opts o;
	int	 ch;

	memset(&o, 0, sizeof(o));
	cli_init(&o.c);
	o.evasion = EV_NORMAL;
	while ((ch = getopt_long(argc, argv, "0A:B:C:ce:f:hj:lqv", longopts, NULL)) != -1)
		if (!cli_common_opt(&o.c, ch, optarg, TOOL, help))
			tool_opt(&o, ch, optarg);
	if (o.pattern != NULL && o.lexfile != NULL)
		cli_usage_error(usage_line, "-e and -f cannot be used together");
	operands(&o, argc - optind, argv + optind);
	ch = run(&o, argc, argv);
	free(o.lexadd);
	return cli_exit_status(ch);
}
