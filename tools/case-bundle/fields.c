/*
 * The case fields: what the 笔录 and the provider's proof file must state,
 * each carried in bag-info.txt under its own label.  The table says where
 * the rules ask for each one; the man page repeats it.
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cb.h"
#include "u8.h"

const struct cb_fieldinfo cb_fields[F_NFIELDS] = {
	[F_CASE_ID] = { "case-id", "Case-Identifier", "案件编号",
	    "公安机关办理刑事案件程序规定; 法发〔2016〕22号 §14" },
	[F_CAUSE] = { "cause", "Case-Cause", "案由",
	    "法发〔2016〕22号 §14" },
	[F_NOTICE] = { "notice", "Legal-Document-Number", "调证法律文书编号",
	    "法发〔2022〕23号 §14" },
	[F_UNIT] = { "unit", "Source-Organization", "提供单位",
	    "法发〔2022〕23号 §14; 法发〔2016〕22号 §14" },
	[F_HANDLER] = { "handler", "Handler", "经办人（取证人）",
	    "法发〔2016〕22号 §14; 程序规定 §67" },
	[F_WITNESS] = { "witness", "Witness", "见证人",
	    "法发〔2016〕22号 §14" },
	[F_SOURCE] = { "source", "Evidence-Source", "电子数据来源（对象）",
	    "法发〔2016〕22号 §14" },
	[F_ORIGINALS] = { "originals", "Originals-Location", "原始存储介质存放地",
	    "公安机关办理刑事案件程序规定 §67" },
	[F_METHOD] = { "method", "Collection-Method", "提取方法",
	    "法发〔2016〕22号 §14; 电子数据取证规则 (2019)" },
	[F_PLACE] = { "place", "Collection-Place", "提取地点",
	    "法发〔2016〕22号 §14" },
	[F_DESCRIPTION] = { "description", "External-Description", "内容摘要",
	    "法发〔2016〕22号 §14; RFC 8493 §2.2.2" },
};

/* Values become one bag-info line: controls turn into spaces, UTF-8 repaired. */
int
fields_set(struct cb_fieldvals *f, enum cb_field k, const char *v)
{
	size_t	 len;
	bool	 lossy = false;
	char	*s, *p;

	s = u8_repair(v, strlen(v), &len, &lossy);
	if (s == NULL)
		err(EXIT_TROUBLE, NULL);
	for (p = s; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	while (len > 0 && s[len - 1] == ' ')
		s[--len] = '\0';
	p = s;
	while (*p == ' ')
		p++;
	memmove(s, p, strlen(p) + 1);
	free(f->v[k]);
	f->v[k] = s;
	return lossy ? 1 : 0;
}

static int
field_by_name(const char *name, size_t len)
{
	int	 i;

	for (i = 0; i < F_NFIELDS; i++)
		if ((strlen(cb_fields[i].opt) == len &&
		    strncasecmp(cb_fields[i].opt, name, len) == 0) ||
		    (strlen(cb_fields[i].label) == len &&
		    strncasecmp(cb_fields[i].label, name, len) == 0))
			return i;
	return -1;
}

/*
 * "Label: value" or "option: value" lines (bag-info style, so a bag-info.txt
 * from an earlier case can be reused); '#' starts a comment line.
 */
int
fields_parse(struct cb_fieldvals *f, const char *buf, size_t len, char *err,
    size_t errlen)
{
	size_t	 i = 0, e, c, lineno = 0;
	char	*v;
	int	 k;

	while (i < len) {
		lineno++;
		for (e = i; e < len && buf[e] != '\n'; e++)
			;
		if (e > i && buf[i] != '#' && !(e - i == 1 && buf[i] == '\r')) {
			for (c = i; c < e && buf[c] != ':'; c++)
				;
			if (c == e) {
				snprintf(err, errlen, "line %zu: no ':'", lineno);
				return -1;
			}
			if ((k = field_by_name(buf + i, c - i)) == -1) {
				snprintf(err, errlen, "line %zu: unknown field '%.*s'",
				    lineno, (int)(c - i > 60 ? 60 : c - i), buf + i);
				return -1;
			}
			v = strndup(buf + c + 1, e - c - 1);
			if (v == NULL)
				errx(EXIT_TROUBLE, "out of memory");
			fields_set(f, k, v);
			free(v);
		}
		i = e + 1;
	}
	return 0;
}

int
fields_load(struct cb_fieldvals *f, const char *path)
{
	FILE	*fp;
	char	 buf[65536], msg[256];
	size_t	 n;

	if ((fp = fopen(path, "r")) == NULL) {
		warn("cannot open '%s'", path);
		return -1;
	}
	n = fread(buf, 1, sizeof(buf), fp);
	if (ferror(fp) || !feof(fp)) {
		warnx("cannot read '%s': %s", path, ferror(fp) ?
		    strerror(errno) : "larger than 64 KiB");
		fclose(fp);
		return -1;
	}
	fclose(fp);
	if (fields_parse(f, buf, n, msg, sizeof(msg)) == -1) {
		warnx("'%s': %s", path, msg);
		return -1;
	}
	return 0;
}

void
fields_free(struct cb_fieldvals *f)
{
	int	 i;

	for (i = 0; i < F_NFIELDS; i++) {
		free(f->v[i]);
		f->v[i] = NULL;
	}
}
