/* --index: not built yet; says so rather than pretend. */
#include "config.h"

#include "cd.h"
#include "rec.h"

int
index_load(const char *path, struct store *st, struct rec_out *ro)
{
	(void)st;
	rec_error(ro, path, NULL, "--index is not built yet");
	return -1;
}

int
index_save(const char *path, const struct store *st, const struct clusters *cs,
    struct rec_out *ro)
{
	(void)path; (void)st; (void)cs; (void)ro;
	return -1;
}
