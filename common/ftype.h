/* File type from content, through libmagic; one cookie per thread. */
#ifndef FK_FTYPE_H
#define FK_FTYPE_H

#include <stdbool.h>
#include <stddef.h>

/* Writes the MIME type of the buffer to out ("application/octet-stream" if unknown). */
void	ftype_mime(const void *buf, size_t len, char *out, size_t outlen);
/* Containers the input walker opens: zip, tar, 7z, cpio, compressed streams. */
bool	ftype_is_archive(const char *mime);
/* Single compressed streams (gzip, bzip2, xz, zstd, lzip, lz4). */
bool	ftype_is_compressed(const char *mime);

#endif
