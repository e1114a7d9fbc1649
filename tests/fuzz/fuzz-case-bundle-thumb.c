/*
 * libFuzzer target for the thumbnails of the evidence page: the payload
 * images are the submitter's files, so thumb_make() decodes untrusted
 * JPEG and PNG data (libjpeg, libpng, the box filter, the re-encoding).
 */
#include <stdint.h>
#include <stdlib.h>

#include "cb.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *t;
	size_t	 n = 0;
	char	 err[256];

	t = thumb_make(data, size, &n, err, sizeof(err));
	if (t != NULL && n == 0)
		abort();	/* a thumbnail is never empty */
	free(t);
	return 0;
}
