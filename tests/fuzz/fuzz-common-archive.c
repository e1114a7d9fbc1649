/*
 * Fuzzes the input walker over an archive: the input becomes a file (a
 * memfd named by its /proc path, so nothing touches the disk) that
 * input_walk() opens as the user's path.  libmagic decides whether it is
 * an archive, as it does for users, so the seeds are small zip, tar,
 * tar.gz, 7z, cpio and gzip files.  Every member is read to the end in
 * odd-sized chunks and hashed; the caps are set low so that expanding
 * inputs are refused quickly, and the walk must never fail as a whole.
 */
#include "config.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz-harness.h"
#include "input.h"
#include "rec.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const unsigned char *, size_t);

static int	 memfd = -1;
static char	 path[64];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_harness_init();
	memfd = memfd_create("fuzz-archive", 0);
	if (memfd == -1)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", memfd);
	return 0;
}

/* A member name with a ".." component or a root would leave the directory. */
static bool
escapes(const char *m)
{
	const char *p = m;
	size_t	 n;

	if (m[0] == '/' || m[0] == '\\')
		return true;
	for (;;) {
		n = strcspn(p, "/\\");
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return true;
		if (p[n] == '\0')
			return false;
		p += n + 1;
	}
}

struct tally {
	uint64_t	 expanded;
	unsigned	 items;
};

static int
consume(struct input_item *it, void *arg)
{
	struct tally *t = arg;
	unsigned char buf[4099];
	const unsigned char *h;
	struct hash_hex hx;
	size_t	 hl, chunk = 1;
	ssize_t	 n;

	t->items++;
	CHECK(it->path != NULL && strcmp(it->path, path) == 0);
	if (it->member != NULL)
		CHECK(!escapes(it->member));
	h = input_head(it, &hl);
	CHECK(hl <= INPUT_HEADMAX && (hl == 0 || h != NULL));
	while ((n = input_read(it, buf, chunk)) > 0) {
		CHECK((size_t)n <= chunk);
		t->expanded += (uint64_t)n;
		chunk = chunk * 3 % sizeof(buf) + 1;
	}
	if (n < 0)
		CHECK(input_error(it) != NULL);
	if (input_finish(it, &hx) == 0)
		CHECK(strlen(hx.hex[HASH_SHA256]) == 64);
	return 0;
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct input_opts o;
	struct rec_out *ro;
	struct tally t = { 0, 0 };
	char	*p = path;

	if (size > (1 << 20))
		return 0;
	if (ftruncate(memfd, 0) == -1 ||
	    (size > 0 && pwrite(memfd, data, size, 0) != (ssize_t)size))
		abort();
	input_opts_default(&o);
	o.empty_ok = true;
	o.lim.max_members = 256;
	o.lim.max_expanded = 4 << 20;
	o.lim.ratio_floor = 1 << 20;
	fuzz_hide_stderr();
	ro = rec_open(fuzz_sink, "fuzz", true, 1, &p);
	CHECK(input_walk(&o, &p, 1, ro, consume, &t) == 0);
	rec_close(ro, NULL);
	fuzz_restore_stderr();
	/* The caps hold: expanded bytes stay near max_expanded. */
	CHECK(t.expanded <= o.lim.max_expanded + INPUT_HEADMAX + 65536);
	CHECK(t.items <= o.lim.max_members);
	return 0;
}
