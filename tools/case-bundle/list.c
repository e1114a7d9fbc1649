/*
 * list and report read one tag file of a bundle (streamed, never
 * extracted) or of a bag directory: the evidence list as text, CSV or
 * JSON, or the printable HTML page.  keygen is here too: it is small.
 */
#include "config.h"

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <archive.h>
#include <archive_entry.h>

#include "cb.h"

/* The tag file `name` of a bundle or bag directory, NUL-terminated. */
static char *
fetch_tag(const char *bundle, const char *name, size_t *len)
{
	struct archive *a;
	struct archive_entry *e;
	struct stat st;
	const char *p, *s;
	char	*buf = NULL, path[8192];
	FILE	*fp;

	if (stat(bundle, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(path, sizeof(path), "%s/%s", bundle, name);
		if ((fp = fopen(path, "rb")) == NULL)
			return NULL;
		buf = cb_xmalloc(CB_TAGMAX + 1);
		*len = fread(buf, 1, CB_TAGMAX, fp);
		fclose(fp);
		buf[*len] = '\0';
		return buf;
	}
	a = archive_read_new();
	archive_read_support_format_tar(a);
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_zstd(a);
	if (archive_read_open_filename(a, bundle, 1 << 16) != ARCHIVE_OK) {
		archive_read_free(a);
		return NULL;
	}
	while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
		p = archive_entry_pathname(e);
		if (p == NULL || (s = strchr(p, '/')) == NULL ||
		    strcmp(s + 1, name) != 0 || archive_entry_size(e) > CB_TAGMAX)
			continue;
		*len = (size_t)archive_entry_size(e);
		buf = cb_xmalloc(*len + 1);
		if (archive_read_data(a, buf, *len) != (la_ssize_t)*len) {
			free(buf);
			buf = NULL;
		} else
			buf[*len] = '\0';
		break;
	}
	archive_read_free(a);
	return buf;
}

static int
one_bundle(const struct cb_opts *o, const char *usage)
{
	if (o->npaths != 1)
		cli_usage_error(usage, "%s takes one bundle or bag directory",
		    o->verb);
	return 0;
}

static void
list_text(json_t *j)
{
	json_t	*it;
	size_t	 i;

	json_array_foreach(json_object_get(j, "items"), i, it)
		printf("%3lld  %-40s  %-8s  %10lld  %s  %s\n",
		    (long long)json_integer_value(json_object_get(it, "index")),
		    json_string_value(json_object_get(it, "name")),
		    json_string_value(json_object_get(it, "category")),
		    (long long)json_integer_value(json_object_get(it, "size")),
		    json_string_value(json_object_get(it, "sha256")),
		    json_string_value(json_object_get(it, "format")));
}

int
cmd_list(const struct cb_opts *o)
{
	const char *fmt = o->format ? o->format : "text";
	char	*buf;
	size_t	 len;
	json_t	*j;

	one_bundle(o, "usage: case-bundle list [--format text|csv|json] BUNDLE\n");
	if (strcmp(fmt, "text") && strcmp(fmt, "csv") && strcmp(fmt, "json"))
		cli_usage_error("usage: case-bundle list [--format text|csv|json] "
		    "BUNDLE\n", "unknown format '%s'", fmt);
	buf = fetch_tag(o->paths[0], strcmp(fmt, "csv") == 0 ?
	    "case/evidence-list.csv" : "case/evidence-list.json", &len);
	if (buf == NULL) {
		warnx("'%s': no evidence list (not a case-bundle bundle?)",
		    o->paths[0]);
		return EXIT_TROUBLE;
	}
	if (strcmp(fmt, "text") != 0)
		fwrite(buf, 1, len, stdout);
	else if ((j = json_loadb(buf, len, 0, NULL)) == NULL) {
		warnx("'%s': the evidence list is not valid JSON", o->paths[0]);
		free(buf);
		return EXIT_TROUBLE;
	} else {
		list_text(j);
		json_decref(j);
	}
	free(buf);
	return 0;
}

int
cmd_report(const struct cb_opts *o)
{
	char	*buf;
	size_t	 len;
	int	 r = 0;

	one_bundle(o, "usage: case-bundle report [-o FILE] BUNDLE\n");
	if ((buf = fetch_tag(o->paths[0], "case/evidence-list.html", &len)) == NULL) {
		warnx("'%s': no evidence list page (not a case-bundle bundle?)",
		    o->paths[0]);
		return EXIT_TROUBLE;
	}
	if (o->out != NULL)
		r = cb_write_file(o->out, buf, len) == 0 ? 0 : EXIT_TROUBLE;
	else
		fwrite(buf, 1, len, stdout);
	free(buf);
	return r;
}

int
cmd_keygen(const struct cb_opts *o)
{
	if (o->npaths != 1)
		cli_usage_error("usage: case-bundle keygen NAME\n",
		    "keygen takes the key's base name");
	return sign_keygen(o->paths[0], "case-bundle") == 0 ? 0 : EXIT_TROUBLE;
}
