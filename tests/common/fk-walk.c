/*
 * fk-walk: the common input handling alone, as a tool would use it.  It
 * writes one "item" record per input (path, member, mime, sha256, size)
 * so the CLI tests can check walking, archives, stdin and bad input
 * without depending on any one tool.  Not installed.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "input.h"
#include "rec.h"

static const char usage_line[] = "usage: fk-walk [-0hqv] [--json] [PATH ...]\n";

static void
help(void)
{
	printf("%s", usage_line);
}

static int
emit_item(struct input_item *it, void *arg)
{
	struct rec_out *ro = arg;
	struct hash_hex h;
	json_t	*r;

	if (input_finish(it, &h) == -1)
		return 0;
	if (!rec_json(ro)) {
		printf("%s%s%s\t%s\t%llu\t%s\n", it->path, it->member ? "!" : "",
		    it->member ? it->member : "", it->mime,
		    (unsigned long long)h.bytes, h.hex[HASH_SHA256]);
		return 0;
	}
	r = rec_new("item");
	rec_set_input(r, it->path, it->member);
	rec_set_str(r, "mime", it->mime);
	rec_set_str(r, "sha256", h.hex[HASH_SHA256]);
	json_object_set_new(r, "size", json_integer((json_int_t)h.bytes));
	rec_emit(ro, r);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help",	no_argument,	NULL, 'h' },
		{ "json",	no_argument,	NULL, CLI_OPT_JSON },
		{ "version",	no_argument,	NULL, CLI_OPT_VERSION },
		{ NULL,		0,		NULL, 0 }
	};
	struct cli_common c;
	struct input_opts io;
	struct rec_out *ro;
	int	 ch, status;

	cli_init(&c);
	while ((ch = getopt_long(argc, argv, "0hqv", longopts, NULL)) != -1)
		if (!cli_common_opt(&c, ch, optarg, "fk-walk", help))
			cli_usage(usage_line);
	input_opts_default(&io);
	io.nul = c.nul;
	if (getenv("FK_WALK_MAX_MEMBERS") != NULL)
		io.lim.max_members = strtoull(getenv("FK_WALK_MAX_MEMBERS"), NULL, 10);
	ro = rec_open(stdout, "fk-walk", c.json, argc, argv);
	input_walk(&io, argv + optind, argc - optind, ro, emit_item, ro);
	status = rec_errors(ro) ? EXIT_TROUBLE : 0;
	if (rec_close(ro, NULL) == -1)
		status = EXIT_TROUBLE;
	return cli_exit_status(status);
}
