/*
 * Fuzzes the record stream reader and the standard-input parser (path
 * lists, NUL lists, record streams with path/member and members[]).
 *
 * The stdin parser is reached the way a user reaches it: the input is
 * put in a memfd that is dup2()ed onto fd 0, and input_walk() runs with
 * no paths.  The first byte chooses -0.  The walk runs in a scratch
 * directory holding a few files and a zip, so that named paths and
 * members exist.  opendir() is wrapped so that a fuzzed "/" or ".." never
 * walks the machine's own file system: that would test the disk, not the
 * parser.  Diagnostics go to /dev/null while the walk runs; sanitizer
 * reports still reach the real stderr.
 */
#include "config.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <jansson.h>

#include "fuzz-harness.h"
#include "input.h"
#include "rec.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const unsigned char *, size_t);

static int	 memfd = -1;
static int	 walking;	/* opendir() is guarded only during the walk */

/* Only the scratch directory and its subdirectories may be walked. */
DIR *
opendir(const char *name)
{
	static DIR *(*real)(const char *);

	if (real == NULL)
		real = (DIR *(*)(const char *))dlsym(RTLD_NEXT, "opendir");
	if (walking && (name[0] == '/' || strstr(name, "..") != NULL)) {
		errno = EACCES;
		return NULL;
	}
	return real(name);
}

static void
put(const char *path, const char *s)
{
	int	 fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd == -1 || write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		abort();
	close(fd);
}

static void
make_zip(const char *path)
{
	static const char *const names[] = { "x.txt", "y/z.txt", "../../evil" };
	struct archive *a = archive_write_new();
	struct archive_entry *e;
	size_t	 i;

	archive_write_set_format_zip(a);
	archive_write_open_filename(a, path);
	for (i = 0; i < 3; i++) {
		e = archive_entry_new();
		archive_entry_set_pathname(e, names[i]);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, 6);
		archive_write_header(a, e);
		archive_write_data(a, "hello\n", 6);
		archive_entry_free(e);
	}
	archive_write_close(a);
	archive_write_free(a);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char	 tmpl[] = "/tmp/fk-fuzz-records-XXXXXX";

	(void)argc;
	(void)argv;
	if (mkdtemp(tmpl) == NULL || chdir(tmpl) == -1)
		abort();
	put("a.txt", "alpha\n");
	put("b.txt", "\xe4\xbb\xa3\xe7\x90\x86\n");
	put("empty", "");
	mkdir("sub", 0755);
	put("sub/c.txt", "sub file\n");
	make_zip("t.zip");
	fuzz_harness_init();
	memfd = memfd_create("fuzz-stdin", 0);
	if (memfd == -1)
		abort();
	return 0;
}

static int
consume(struct input_item *it, void *arg)
{
	unsigned char buf[4096];
	struct hash_hex hx;
	size_t	 hl;

	(void)arg;
	CHECK(it->path != NULL);
	(void)input_head(it, &hl);
	CHECK(hl <= INPUT_HEADMAX);
	while (input_read(it, buf, sizeof(buf)) > 0)
		;
	if (input_finish(it, &hx) == 0)
		CHECK(strlen(hx.hex[HASH_SHA256]) == 64);
	return 0;
}

static void
fuzz_parse(const char *data, size_t size)
{
	char	 msg[256];
	const char *line = data, *nl, *end = data + size;
	json_t	*j;

	for (; line < end; line = nl + 1) {
		if ((nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
			nl = end;
		msg[0] = '\0';
		j = rec_parse(line, (size_t)(nl - line), msg, sizeof(msg));
		if (j == NULL)
			CHECK(msg[0] != '\0' && memchr(msg, '\0', sizeof(msg)));
		else
			CHECK(json_is_object(j) &&
			    json_is_string(json_object_get(j, "type")));
		json_decref(j);
	}
}

static void
fuzz_stdin(const unsigned char *data, size_t size)
{
	struct input_opts o;
	struct rec_out *ro;
	int	 saved_in = dup(STDIN_FILENO);

	input_opts_default(&o);
	o.nul = size > 0 && (data[0] & 1);
	o.lim.max_members = 64;
	o.lim.max_expanded = 1 << 20;
	if (size > 0) {
		data++;
		size--;
	}
	if (ftruncate(memfd, 0) == -1 ||
	    (size > 0 && pwrite(memfd, data, size, 0) != (ssize_t)size) ||
	    lseek(memfd, 0, SEEK_SET) == -1)
		abort();
	dup2(memfd, STDIN_FILENO);
	fuzz_hide_stderr();
	ro = rec_open(fuzz_sink, "fuzz", true, 0, NULL);
	walking = 1;
	CHECK(input_walk(&o, NULL, 0, ro, consume, NULL) == 0);
	walking = 0;
	CHECK(rec_errors(ro) < 1000000);
	rec_close(ro, NULL);
	fuzz_restore_stderr();
	dup2(saved_in, STDIN_FILENO);
	close(saved_in);
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	if (size > 65536)
		return 0;
	fuzz_parse((const char *)data, size);
	fuzz_stdin(data, size);
	return 0;
}
