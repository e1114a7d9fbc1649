/*
 * What the fuzz targets share: a property check, and for the targets
 * that run the input walker a switch that hides its diagnostics (bad
 * input is expected here, thousands of times a second) while property
 * failures and sanitizer reports still reach the real stderr.
 */
#ifndef FUZZ_HARNESS_H
#define FUZZ_HARNESS_H

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <sanitizer/common_interface_defs.h>

static int	 fuzz_report_fd = -1;	/* the real stderr */
static int	 fuzz_devnull = -1;
static FILE	*fuzz_sink;		/* where record streams go */

#define CHECK(c) do {							\
	if (!(c)) {							\
		dprintf(fuzz_report_fd == -1 ? STDERR_FILENO :		\
		    fuzz_report_fd, "property failed: %s (%s:%d)\n",	\
		    #c, __FILE__, __LINE__);				\
		abort();						\
	}								\
} while (0)

/* Called once from LLVMFuzzerInitialize by targets that hide stderr. */
static inline void
fuzz_harness_init(void)
{
	fuzz_report_fd = dup(STDERR_FILENO);
	fuzz_devnull = open("/dev/null", O_WRONLY);
	fuzz_sink = fopen("/dev/null", "w");
	if (fuzz_report_fd == -1 || fuzz_devnull == -1 || fuzz_sink == NULL)
		abort();
	__sanitizer_set_report_fd((void *)(intptr_t)fuzz_report_fd);
}

static inline void
fuzz_hide_stderr(void)
{
	dup2(fuzz_devnull, STDERR_FILENO);
}

static inline void
fuzz_restore_stderr(void)
{
	dup2(fuzz_report_fd, STDERR_FILENO);
}

#endif
