/*
 * case-bundle: package evidence and the other tools' findings into a
 * sealed BagIt bundle that meets the electronic-evidence rules, and verify
 * one independently.  main() parses; each verb lives in its own file.
 */
#include "config.h"

#include <err.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cb.h"

static const char usage_line[] =
    "usage: case-bundle create -o CASE.tar [options] [PATH ...]\n"
    "       case-bundle init [field options] DIR\n"
    "       case-bundle add DIR PATH ...\n"
    "       case-bundle seal [options] -o CASE.tar DIR\n"
    "       case-bundle verify [-qv] [--json] [-k PUBKEY] [--tsa-ca FILE] BUNDLE\n"
    "       case-bundle list [--format text|csv|json] BUNDLE\n"
    "       case-bundle report [-o FILE] BUNDLE\n"
    "       case-bundle keygen NAME\n";

enum {
	O_ACTOR = CLI_OPT_TOOL_BASE, O_FIELDS, O_FINDINGS, O_FORMAT, O_NAME,
	O_SDE, O_SIGN, O_THUMBS, O_TSA_CA, O_TSR, O_ZSTD, O_FIELD0
};

static void
help(void)
{
	int	 i;

	printf("%s\nSeal evidence into a verifiable BagIt bundle; verify one.\n\n"
	    "  -o, --output FILE         the bundle (create, seal) or page (report)\n"
	    "      --actor NAME          who acts, for the custody log (default: the user)\n"
	    "      --fields FILE         case fields as 'Label: value' lines\n"
	    "      --findings FILE       a record stream of imgforge-check, complaint-dedupe\n"
	    "                            or chatlog-grep (also '-', or stdin redirected)\n"
	    "      --format FMT          list: text, csv or json\n"
	    "  -k, --pubkey FILE         verify: the signer's signify public key\n"
	    "      --name NAME           the bag's top directory (default: the case id)\n"
	    "      --sign KEY            sign the tag manifest with a signify secret key\n"
	    "      --source-date-epoch N time for mtimes, Bagging-Date and the seal entry\n"
	    "      --thumbnails          thumbnails of images in the evidence page\n"
	    "      --tsa-ca FILE         verify: CA certificates of the timestamp authority\n"
	    "      --tsr FILE            store an RFC 3161 reply to this bag's request\n"
	    "  -z, --gzip                compress with gzip (no timestamp)\n"
	    "      --zstd                compress with zstd\n"
	    "Case fields (bag-info.txt label):\n", usage_line);
	for (i = 0; i < F_NFIELDS; i++)
		printf("      --%-22s %s (%s)\n", cb_fields[i].opt, cb_fields[i].zh,
		    cb_fields[i].label);
	/* not CLI_COMMON_OPTS_HELP: the digests have threads of their own, no -j */
	fputs("  -0                        create, add: also read NUL-separated paths\n"
	    "                            from standard input (findings then by --findings)\n"
	    "  -h, --help                print this help and exit\n"
	    "      --json                write the record stream (forgekit-records(5))\n"
	    "  -q, --quiet               no progress line, fewer messages\n"
	    "  -v, --verbose             say more (verify: every problem)\n"
	    "      --version             print the version and exit\n", stdout);
}

static int
tool_opt(struct cb_opts *o, int ch, const char *arg)
{
	switch (ch) {
	case 'k': o->pubkey = arg; break;
	case 'o': o->out = arg; break;
	case 'z': o->compress = 'z'; break;
	case O_ACTOR: o->actor = arg; break;
	case O_FIELDS:
		if (fields_load(&o->f, arg) == -1)
			exit(EXIT_TROUBLE);
		break;
	case O_FINDINGS:
		o->findings = realloc(o->findings, (o->nfindings + 1) *
		    sizeof(char *));
		if (o->findings == NULL)
			err(EXIT_TROUBLE, NULL);
		o->findings[o->nfindings++] = (char *)arg;
		break;
	case O_FORMAT: o->format = arg; break;
	case O_NAME: o->name = arg; break;
	case O_SDE:
		o->epoch = cli_parse_int(arg, 0, 0x7fffffff, "epoch", usage_line);
		break;
	case O_SIGN: o->sign_key = arg; break;
	case O_THUMBS: o->thumbs = true; break;
	case O_TSA_CA: o->tsa_ca = arg; break;
	case O_TSR: o->tsr = arg; break;
	case O_ZSTD: o->compress = 's'; break;
	default:
		if (ch < O_FIELD0 || ch >= O_FIELD0 + F_NFIELDS)
			return 0;
		fields_set(&o->f, ch - O_FIELD0, arg);
	}
	return 1;
}

static const struct { const char *verb; int (*fn)(const struct cb_opts *); }
verbs[] = {
	{ "add", cmd_add }, { "create", cmd_create }, { "init", cmd_init },
	{ "keygen", cmd_keygen }, { "list", cmd_list }, { "report", cmd_report },
	{ "seal", cmd_seal }, { "verify", cmd_verify },
};

int
main(int argc, char **argv)
{
	static struct option longopts[64] = {
		{ "actor", required_argument, NULL, O_ACTOR },
		{ "fields", required_argument, NULL, O_FIELDS },
		{ "findings", required_argument, NULL, O_FINDINGS },
		{ "format", required_argument, NULL, O_FORMAT },
		{ "gzip", no_argument, NULL, 'z' },
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, CLI_OPT_JSON },
		{ "name", required_argument, NULL, O_NAME },
		{ "output", required_argument, NULL, 'o' },
		{ "pubkey", required_argument, NULL, 'k' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "sign", required_argument, NULL, O_SIGN },
		{ "source-date-epoch", required_argument, NULL, O_SDE },
		{ "thumbnails", no_argument, NULL, O_THUMBS },
		{ "tsa-ca", required_argument, NULL, O_TSA_CA },
		{ "tsr", required_argument, NULL, O_TSR },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, CLI_OPT_VERSION },
		{ "zstd", no_argument, NULL, O_ZSTD },
	};
	struct cb_opts o;
	size_t	 v, nl = 19;
	int	 ch, i;

	/*
	 * Names are UTF-8 whatever the user's locale: libarchive converts
	 * through the locale, so a fixed UTF-8 one keeps archives identical.
	 */
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		setlocale(LC_CTYPE, "en_US.UTF-8");
	for (i = 0; i < F_NFIELDS; i++)		/* the field table is the source */
		longopts[nl++] = (struct option){ cb_fields[i].opt,
		    required_argument, NULL, O_FIELD0 + i };
	memset(&o, 0, sizeof(o));
	cli_init(&o.c);
	o.epoch = -1;
	o.argc = argc;
	o.argv = argv;
	while ((ch = getopt_long(argc, argv, "0hk:o:qvz", longopts, NULL)) != -1)
		if (!cli_common_opt(&o.c, ch, optarg, TOOL, help) &&
		    !tool_opt(&o, ch, optarg))
			cli_usage(usage_line);
	if (optind >= argc)
		cli_usage_error(usage_line, "no verb given");
	o.verb = argv[optind];
	o.paths = argv + optind + 1;
	o.npaths = argc - optind - 1;
	if (o.c.nul)
		cb_nul_paths(&o, usage_line);
	for (v = 0; v < sizeof(verbs) / sizeof(verbs[0]); v++)
		if (strcmp(verbs[v].verb, o.verb) == 0) {
			i = verbs[v].fn(&o);
			fields_free(&o.f);
			free(o.findings);
			cb_nul_free(&o);
			return cli_exit_status(i);
		}
	cli_usage_error(usage_line, "unknown verb '%s'", o.verb);
}
