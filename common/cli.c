/* The options, usage lines and exit rules that all four tools share. */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

int
cli_ncores(void)
{
	long	 n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (int)n : 1;
}

void
cli_init(struct cli_common *c)
{
	c->json = false;
	c->quiet = false;
	c->verbose = 0;
	c->jobs = cli_ncores();
	c->nul = false;
}

void
cli_usage(const char *usage)
{
	fputs(usage, stderr);
	exit(EXIT_TROUBLE);
}

void
cli_usage_error(const char *usage, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vwarnx(fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s", usage);
	exit(EXIT_TROUBLE);
}

int
cli_parse_int(const char *s, int lo, int hi, const char *what,
    const char *usage)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < lo || v > hi)
		cli_usage_error(usage, "%s must be an integer from %d to %d: '%s'",
		    what, lo, hi, s);
	return (int)v;
}

double
cli_parse_double(const char *s, double lo, double hi, const char *what,
    const char *usage)
{
	char	*end;
	double	 v;

	errno = 0;
	v = strtod(s, &end);
	if (*s == '\0' || *end != '\0' || errno != 0 || !(v >= lo && v <= hi))
		cli_usage_error(usage, "%s must be a number from %g to %g: '%s'",
		    what, lo, hi, s);
	return v;
}

int
cli_common_opt(struct cli_common *c, int ch, const char *arg,
    const char *tool, void (*help)(void))
{
	switch (ch) {
	case '0':
		c->nul = true;
		return 1;
	case 'h':
		help();
		exit(cli_exit_status(0));
	case 'j':
		c->jobs = cli_parse_int(arg, 1, 1024, "-j", "");
		return 1;
	case 'q':
		c->quiet = true;
		return 1;
	case 'v':
		c->verbose++;
		return 1;
	case CLI_OPT_JSON:
		c->json = true;
		return 1;
	case CLI_OPT_VERSION:
		printf("%s (forgekit) %s\n", tool, PACKAGE_VERSION);
		exit(cli_exit_status(0));
	default:
		return 0;
	}
}

int
cli_exit_status(int status)
{
	if (fflush(stdout) == EOF || ferror(stdout) || fclose(stdout) == EOF) {
		warnx("error writing standard output: %s", strerror(errno));
		return EXIT_TROUBLE;
	}
	return status;
}
