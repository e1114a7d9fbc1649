/* --map/--reduce/--merge: not built yet; says so rather than pretend. */
#include "config.h"

#include <err.h>

#include "cd.h"
#include "rec.h"

int
mr_map(const struct opts *o, struct rd *rd, int argc, char **argv)
{
	(void)o; (void)rd; (void)argc; (void)argv;
	warnx("--map is not built yet");
	return EXIT_TROUBLE;
}

int
mr_reduce(const struct opts *o, const struct cd_params *p)
{
	(void)o; (void)p;
	warnx("--reduce is not built yet");
	return EXIT_TROUBLE;
}

void
mr_merge_read(const struct opts *o, struct store *st, struct rec_out *ro)
{
	(void)o; (void)st;
	rec_error(ro, "-", NULL, "--merge is not built yet");
}

void
mr_merge_edges(struct store *st, struct uf *u)
{
	(void)st; (void)u;
}
