/*
 * What the file's name says: an extension that disagrees with the
 * content (a PNG renamed .jpg is a re-saved or converted picture), and
 * the names WeChat gives exported pictures, whose digits are the export
 * time in milliseconds.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "imgforge.h"
#include "rec.h"

static const char *
base_name(const char *path, const char *member)
{
	const char *n = member ? member : path, *s = strrchr(n, '/');

	return s ? s + 1 : n;
}

static bool
ext_fits(const char *mime, const char *ext)
{
	static const struct {
		const char *mime, *exts;
	} fits[] = {
		{ "image/jpeg", "|jpg|jpeg|jpe|jfif|jif|" },
		{ "image/png", "|png|apng|" },
	};
	char pat[24];

	if (strlen(ext) > 16)
		return false;
	snprintf(pat, sizeof pat, "|%s|", ext);
	for (char *p = pat; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	for (size_t i = 0; i < sizeof fits / sizeof fits[0]; i++)
		if (strcmp(mime, fits[i].mime) == 0)
			return strstr(fits[i].exts, pat) != NULL;
	return true;
}

/* mmexport1700000000000.jpg, wx_camera_1700000000000.jpg */
static bool
wechat(const char *name, struct meta_findings *mf)
{
	static const char *const pfx[] = { "mmexport", "wx_camera_" };
	char iso[32];

	for (size_t i = 0; i < 2; i++) {
		size_t n = strlen(pfx[i]), k = 0;
		long long ms = 0;
		time_t t;
		struct tm tm;

		if (strncmp(name, pfx[i], n) != 0)
			continue;
		while (k < 13 && isdigit((unsigned char)name[n + k]))
			ms = ms * 10 + (name[n + k++] - '0');
		if (k != 13 || isdigit((unsigned char)name[n + k]))
			return false;
		t = (time_t)(ms / 1000);
		gmtime_r(&t, &tm);
		strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &tm);
		mf_fact(mf, "wechat", json_pack("{s:s,s:s}", "pattern", pfx[i],
		    "exported", iso));
		return true;
	}
	return false;
}

void
name_check(const char *path, const char *member, const char *mime,
    struct meta_findings *mf)
{
	const char *name = base_name(path, member), *dot = strrchr(name, '.');
	bool wx = wechat(name, mf);

	if (dot == NULL || dot == name || dot[1] == '\0' ||
	    ext_fits(mime, dot + 1))
		return;
	/* WeChat names every exported picture .jpg, whatever it holds. */
	if (wx) {
		mf_note(mf, "the content is %s behind a .%s name, as WeChat "
		    "names every exported picture", mime, dot + 1);
		return;
	}
	mf_add(mf, "file.extension", 1, json_pack("{s:s,s:s}", "content",
	    mime, "extension", dot + 1), "the content is %s but the name ends "
	    "in .%s: converted or renamed", mime, dot + 1);
}
