/*
 * File type from content.  A libmagic cookie is not safe to share
 * between threads, so each thread loads its own on first use.
 */
#include "config.h"

#include <magic.h>
#include <stdio.h>
#include <pthread.h>
#include <string.h>

#include "ftype.h"

static pthread_key_t	cookie_key;
static pthread_once_t	cookie_once = PTHREAD_ONCE_INIT;

static void
cookie_free(void *cookie)
{
	magic_close(cookie);
}

static void
cookie_key_init(void)
{
	pthread_key_create(&cookie_key, cookie_free);
}

static magic_t
thread_cookie(void)
{
	magic_t	 m;

	pthread_once(&cookie_once, cookie_key_init);
	if ((m = pthread_getspecific(cookie_key)) != NULL)
		return m;
	/* No decompression: archives are the input walker's business. */
	if ((m = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR)) == NULL)
		return NULL;
	if (magic_load(m, NULL) == -1) {
		magic_close(m);
		return NULL;
	}
	pthread_setspecific(cookie_key, m);
	return m;
}

void
ftype_mime(const void *buf, size_t len, char *out, size_t outlen)
{
	magic_t	 m = thread_cookie();
	const char *t = NULL;

	if (m != NULL)
		t = magic_buffer(m, buf, len);
	if (t == NULL)
		t = "application/octet-stream";
	if (len == 0)
		t = "application/x-empty";
	snprintf(out, outlen, "%s", t);
}

static bool
in_list(const char *mime, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(mime, *list) == 0)
			return true;
	return false;
}

bool
ftype_is_compressed(const char *mime)
{
	static const char *const compressed[] = {
		"application/gzip", "application/x-gzip", "application/x-bzip2",
		"application/x-xz", "application/zstd", "application/x-lzip",
		"application/x-lz4", "application/x-lzma", NULL
	};

	return in_list(mime, compressed);
}

bool
ftype_is_archive(const char *mime)
{
	static const char *const archives[] = {
		"application/zip", "application/x-tar", "application/x-7z-compressed",
		"application/x-cpio", "application/vnd.rar", "application/x-rar",
		"application/x-iso9660-image", NULL
	};

	return in_list(mime, archives) || ftype_is_compressed(mime);
}
