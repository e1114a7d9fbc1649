/* Container formats of letters (formats.c), callable on memory buffers. */
#ifndef CD_FMT_H
#define CD_FMT_H

#include <stdbool.h>
#include <stddef.h>

#include "cd.h"

int	 fmt_docx(const void *, size_t, struct buf *, char *err, size_t errlen);
void	 fmt_docx_xml(const char *, size_t, struct buf *);
void	 fmt_eml(const char *, size_t, struct buf *);

#endif
