/*
 * The BagIt layer (RFC 8493): payload names every reader agrees on, the
 * tag files we write, and parsers for the ones we read (on memory
 * buffers, so the fuzz target reaches them).
 */
#include "config.h"

#include <ctype.h>
#include <err.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cb.h"
#include "u8.h"

#include <utf8proc.h>

void *
cb_xmalloc(size_t n)
{
	void	*p = malloc(n ? n : 1);

	if (p == NULL)
		err(EXIT_TROUBLE, NULL);
	return p;
}

char *
cb_xstrdup(const char *s)
{
	char	*p = strdup(s);

	if (p == NULL)
		err(EXIT_TROUBLE, NULL);
	return p;
}

/* ---- names */

static bool
reserved_windows(const char *c, size_t len)
{
	static const char *const names[] = { "CON", "PRN", "AUX", "NUL" };
	size_t	 base, i;

	for (base = 0; base < len && c[base] != '.'; base++)
		;
	while (base > 0 && c[base - 1] == ' ')
		base--;
	for (i = 0; i < 4; i++)
		if (base == 3 && strncasecmp(c, names[i], 3) == 0)
			return true;
	return base == 4 && (strncasecmp(c, "COM", 3) == 0 ||
	    strncasecmp(c, "LPT", 3) == 0) && isdigit((unsigned char)c[3]);
}

/* One path component made safe; returns true when it had to change. */
static bool
safe_component(const char *c, size_t len, char *out, size_t *olen)
{
	bool	 changed = false;
	size_t	 i = 0, o = 0, n;

	if (reserved_windows(c, len)) {
		out[o++] = '_';
		changed = true;
	}
	if ((len == 1 && c[0] == '.') || (len == 2 && c[0] == '.' && c[1] == '.')) {
		out[o++] = '_';
		changed = true;
	}
	while (i < len) {
		unsigned char b = c[i];

		n = u8_seqlen((const unsigned char *)c + i, len - i);
		if (n == 0 || b < 0x20 || b == 0x7f || strchr("%\\:*?\"<>|", b)) {
			out[o++] = '_';
			changed = true;
			i += n ? n : 1;
			continue;
		}
		memcpy(out + o, c + i, n);
		o += n;
		i += n;
	}
	/* Windows drops trailing dots and spaces */
	if (o > 0 && (out[o - 1] == '.' || out[o - 1] == ' ')) {
		out[o - 1] = '_';
		changed = true;
	}
	if (o == 0) {
		out[o++] = '_';
		changed = true;
	}
	*olen = o;
	return changed;
}

/* rel is '/'-separated; *out is the safe form (malloc'd); returns 1 if renamed. */
int
bag_safe_name(const char *rel, char **out)
{
	size_t	 len = strlen(rel), i = 0, e, o = 0, cl;
	char	*buf = cb_xmalloc(2 * len + 8), *nfc;
	bool	 changed = false;

	while (i <= len) {
		for (e = i; e < len && rel[e] != '/'; e++)
			;
		if (e > i) {
			if (o > 0)
				buf[o++] = '/';
			changed |= safe_component(rel + i, e - i, buf + o, &cl);
			o += cl;
		} else if (e < len)
			changed = true;		/* empty component */
		i = e + 1;
	}
	buf[o] = '\0';
	/*
	 * NFC: libarchive normalizes UTF-8 names to NFC as it writes them, so
	 * a decomposed name would reach the archive changed, and could meet
	 * its composed twin there.  Normalized here, the dedupe sees both.
	 */
	nfc = (char *)utf8proc_NFC((const utf8proc_uint8_t *)buf);
	if (nfc != NULL && strcmp(nfc, buf) != 0) {
		free(buf);
		buf = nfc;
		changed = true;
	} else
		free(nfc);
	*out = buf;
	return changed ? 1 : 0;
}

/* "name~N.ext": the same place in the listing, a different key */
static char *
numbered(const char *name, int k)
{
	const char *slash = strrchr(name, '/'), *dot = strrchr(name, '.');
	size_t	 n = strlen(name) + 16, at;
	char	*s = cb_xmalloc(n);

	if (dot == NULL || (slash != NULL && dot < slash) ||
	    dot == (slash ? slash + 1 : name))
		at = strlen(name);
	else
		at = dot - name;
	snprintf(s, n, "%.*s~%d%s", (int)at, name, k, name + at);
	return s;
}

static char *
fold_key(const char *s)
{
	size_t	 n;
	char	*k = u8_fold(s, strlen(s), &n);

	return k != NULL ? k : cb_xstrdup(s);
}

/*
 * Names equal after case folding and NFKC collide on Windows and macOS:
 * the later one in sorted order gets a number.  Sorting first keeps the
 * result independent of the order the inputs were named in.
 */
void
bag_dedupe(struct cb_case *c)
{
	json_t	*seen = json_object();
	char	*key, *alt;
	size_t	 i;
	int	 k;

	bag_sort(&c->pay);
	for (i = 0; i < c->pay.n; i++) {
		struct cb_item *it = &c->pay.v[i];

		key = fold_key(it->name);
		for (k = 2; json_object_get(seen, key) != NULL; k++) {
			free(key);
			alt = numbered(it->name, k);
			key = fold_key(alt);
			if (json_object_get(seen, key) == NULL) {
				if (it->orig == NULL)
					it->orig = cb_xstrdup(it->name + 5);
				free(it->name);
				it->name = alt;
				break;
			}
			free(alt);
		}
		json_object_set_new(seen, key, json_true());
		free(key);
	}
	json_decref(seen);
	bag_sort(&c->pay);
}

/* ---- lists */

struct cb_item *
bag_add(struct cb_list *l, const struct cb_item *it)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		if (l->v == NULL)
			err(EXIT_TROUBLE, NULL);
	}
	l->v[l->n] = *it;
	return &l->v[l->n++];
}

struct cb_item *
bag_add_mem(struct cb_list *l, const char *name, void *buf, size_t len)
{
	struct cb_item it;

	memset(&it, 0, sizeof(it));
	it.name = cb_xstrdup(name);
	it.buf = buf;
	it.size = len;
	return bag_add(l, &it);
}

/* By bag name; equal names (before dedupe) by the name they came with. */
static int
by_name(const void *a, const void *b)
{
	const struct cb_item *x = a, *y = b;
	int	 r = strcmp(x->name, y->name);

	if (r != 0)
		return r;
	return strcmp(x->orig ? x->orig : x->name + 5,
	    y->orig ? y->orig : y->name + 5);
}

void
bag_sort(struct cb_list *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), by_name);
}

struct cb_item *
bag_find(struct cb_list *l, const char *name)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return &l->v[i];
	return NULL;
}

void
bag_list_free(struct cb_list *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].orig);
		free(l->v[i].src);
		free(l->v[i].buf);
		free(l->v[i].category);
		free(l->v[i].remark);
		free(l->v[i].wantwhy);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

uint64_t
bag_oxum_bytes(const struct cb_case *c)
{
	uint64_t sum = 0;
	size_t	 i;

	for (i = 0; i < c->pay.n; i++)
		sum += c->pay.v[i].size;
	return sum;
}

/* ---- tag files we write */

static void
append(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
append(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(*buf + *len, *cap - *len, fmt, ap);
		va_end(ap);
		if (n < 0)
			errx(EXIT_TROUBLE, "formatting failed");
		if ((size_t)n < *cap - *len)
			break;
		*cap = 2 * *cap + n + 1;
		if ((*buf = realloc(*buf, *cap)) == NULL)
			err(EXIT_TROUBLE, NULL);
	}
	*len += n;
}

char *
bag_info_text(const struct cb_case *c, size_t *len)
{
	size_t	 cap = 1024, n = 0;
	char	*b = cb_xmalloc(cap), date[32];
	struct tm tm;
	int	 i;

	b[0] = '\0';
	gmtime_r(&c->epoch, &tm);
	strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	append(&b, &n, &cap, "Bag-Software-Agent: forgekit %s %s\n", TOOL,
	    PACKAGE_VERSION);
	append(&b, &n, &cap, "BagIt-Profile-Identifier: %s\n", CB_PROFILE);
	append(&b, &n, &cap, "Bagging-Date: %s\n", date);
	for (i = 0; i < F_NFIELDS; i++)
		if (c->f.v[i] != NULL && c->f.v[i][0] != '\0')
			append(&b, &n, &cap, "%s: %s\n", cb_fields[i].label,
			    c->f.v[i]);
	append(&b, &n, &cap, "Payload-Oxum: %llu.%zu\n",
	    (unsigned long long)bag_oxum_bytes(c), c->pay.n);
	*len = n;
	return b;
}

char *
bag_manifest(const struct cb_list *l, int alg, size_t *len)
{
	size_t	 cap = 4096, n = 0, i;
	char	*b = cb_xmalloc(cap);

	b[0] = '\0';
	for (i = 0; i < l->n; i++)
		append(&b, &n, &cap, "%s  %s\n", l->v[i].hex[alg], l->v[i].name);
	*len = n;
	return b;
}

const char *
bag_category(const char *mime, const char *name)
{
	if (strncmp(name, "data/findings/", 14) == 0)
		return "分析记录";
	if (strncmp(mime, "image/", 6) == 0)
		return "图片";
	if (strncmp(mime, "video/", 6) == 0)
		return "视频";
	if (strncmp(mime, "audio/", 6) == 0)
		return "音频";
	if (strcmp(mime, "text/html") == 0)
		return "网页";
	if (strncmp(mime, "text/", 5) == 0 || strcmp(mime, "application/json") == 0)
		return "文本";
	if (strcmp(mime, "application/pdf") == 0 || strstr(mime, "officedocument") ||
	    strstr(mime, "msword") || strstr(mime, "opendocument"))
		return "文档";
	if (strstr(mime, "zip") || strstr(mime, "tar") || strstr(mime, "7z") ||
	    strstr(mime, "rar") || strstr(mime, "compress") || strstr(mime, "xz"))
		return "压缩包";
	if (strstr(mime, "sqlite"))
		return "数据库";
	return "其他";
}

/* ---- parsers for what we read */

/* Relative, inside the bag, no dot-dot, no drive letter or home reference. */
bool
bag_path_ok(const char *p)
{
	size_t	 i = 0, e, len = strlen(p);

	if (len == 0 || p[0] == '/' || p[0] == '~' ||
	    (len >= 2 && isalpha((unsigned char)p[0]) && p[1] == ':'))
		return false;
	while (i <= len) {
		for (e = i; e < len && p[e] != '/'; e++)
			;
		if (e == i || (e - i == 1 && p[i] == '.') ||
		    (e - i == 2 && p[i] == '.' && p[i + 1] == '.'))
			return false;
		i = e + 1;
	}
	return true;
}

/* Undoes the RFC 8493 §2.1.3 encoding of CR, LF and '%'. */
static char *
pct_decode(const char *s, size_t len)
{
	char	*o = cb_xmalloc(len + 1);
	size_t	 i, n = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '%' && i + 3 <= len) {
			if (strncasecmp(s + i, "%0D", 3) == 0) {
				o[n++] = '\r';
				i += 2;
				continue;
			}
			if (strncasecmp(s + i, "%0A", 3) == 0) {
				o[n++] = '\n';
				i += 2;
				continue;
			}
			if (strncmp(s + i, "%25", 3) == 0) {
				o[n++] = '%';
				i += 2;
				continue;
			}
		}
		o[n++] = s[i];
	}
	o[n] = '\0';
	return o;
}

/* Next line of buf from *pos, LF, CRLF or CR terminated. */
static bool
next_line(const char *buf, size_t len, size_t *pos, size_t *s, size_t *l)
{
	size_t	 i = *pos;

	if (i >= len)
		return false;
	*s = i;
	while (i < len && buf[i] != '\n' && buf[i] != '\r')
		i++;
	*l = i - *s;
	if (i < len && buf[i] == '\r')
		i++;
	if (i < len && buf[i] == '\n' && (i == *s + *l || buf[i - 1] == '\r'))
		i++;
	*pos = i;
	return true;
}

int
bag_parse_manifest(const char *buf, size_t len, struct bag_manifest *m,
    char *err, size_t errlen)
{
	size_t	 pos = 0, s, l, h, lineno = 0;
	size_t	 cap = 0;

	memset(m, 0, sizeof(*m));
	if (memchr(buf, '\0', len) != NULL) {
		snprintf(err, errlen, "NUL byte in manifest");
		return -1;
	}
	while (next_line(buf, len, &pos, &s, &l)) {
		lineno++;
		if (l == 0)
			continue;
		for (h = s; h < s + l && isxdigit((unsigned char)buf[h]); h++)
			;
		if (h == s || h >= s + l || (buf[h] != ' ' && buf[h] != '\t')) {
			snprintf(err, errlen, "line %zu: not 'checksum path'",
			    lineno);
			bag_manifest_free(m);
			return -1;
		}
		if (m->n == cap) {
			cap = cap ? 2 * cap : 64;
			m->l = realloc(m->l, cap * sizeof(*m->l));
			if (m->l == NULL)
				errx(EXIT_TROUBLE, "out of memory");
		}
		m->l[m->n].hex = strndup(buf + s, h - s);
		while (h < s + l && (buf[h] == ' ' || buf[h] == '\t'))
			h++;
		m->l[m->n].path = pct_decode(buf + h, s + l - h);
		if (m->l[m->n].hex == NULL)
			errx(EXIT_TROUBLE, "out of memory");
		for (char *p = m->l[m->n].hex; *p; p++)
			*p = tolower((unsigned char)*p);
		m->n++;
	}
	return 0;
}

void
bag_manifest_free(struct bag_manifest *m)
{
	size_t	 i;

	for (i = 0; i < m->n; i++) {
		free(m->l[i].hex);
		free(m->l[i].path);
	}
	free(m->l);
	free(m->alg);
	memset(m, 0, sizeof(*m));
}

/*
 * fetch.txt (RFC 8493 §2.2.3): "URL LENGTH FILEPATH" per line, separated
 * by spaces or tabs; URL absolute (a scheme, then ':'), LENGTH octets or
 * '-', FILEPATH encoded as in the manifests.  Checked against the bag by
 * the caller (under data/, in every payload manifest).
 */
static bool
url_ok(const char *s, size_t len)
{
	size_t	 i;

	if (len < 2 || !isalpha((unsigned char)s[0]))
		return false;
	for (i = 1; i < len; i++)
		if (s[i] == ':')
			return i + 1 < len;
		else if (!isalnum((unsigned char)s[i]) && s[i] != '+' &&
		    s[i] != '-' && s[i] != '.')
			return false;
	return false;
}

/* The next field of line [*p, end): non-blank run, *p moved past blanks. */
static bool
field(const char *buf, size_t *p, size_t end, size_t *fs, size_t *fl)
{
	while (*p < end && (buf[*p] == ' ' || buf[*p] == '\t'))
		(*p)++;
	*fs = *p;
	while (*p < end && buf[*p] != ' ' && buf[*p] != '\t')
		(*p)++;
	*fl = *p - *fs;
	return *fl > 0;
}

int
bag_parse_fetch(const char *buf, size_t len, struct bag_fetch *f, char *err,
    size_t errlen)
{
	size_t	 pos = 0, s, l, p, us, ul, ls, ll, ps, lineno = 0, cap = 0, i;
	long long n;

	memset(f, 0, sizeof(*f));
	if (memchr(buf, '\0', len) != NULL) {
		snprintf(err, errlen, "NUL byte in fetch.txt");
		return -1;
	}
	while (next_line(buf, len, &pos, &s, &l)) {
		lineno++;
		if (l == 0)
			continue;
		p = s;
		if (!field(buf, &p, s + l, &us, &ul) ||
		    !field(buf, &p, s + l, &ls, &ll))
			goto bad;
		while (p < s + l && (buf[p] == ' ' || buf[p] == '\t'))
			p++;
		ps = p;
		if (ps == s + l || !url_ok(buf + us, ul))
			goto bad;
		n = -1;
		if (ll != 1 || buf[ls] != '-') {
			if (ll > 18)
				goto bad;
			for (n = 0, i = 0; i < ll; i++) {
				if (!isdigit((unsigned char)buf[ls + i]))
					goto bad;
				n = 10 * n + (buf[ls + i] - '0');
			}
		}
		if (f->n == cap) {
			cap = cap ? 2 * cap : 16;
			if ((f->l = realloc(f->l, cap * sizeof(*f->l))) == NULL)
				errx(EXIT_TROUBLE, "out of memory");
		}
		if ((f->l[f->n].url = strndup(buf + us, ul)) == NULL)
			errx(EXIT_TROUBLE, "out of memory");
		f->l[f->n].length = n;
		f->l[f->n].path = pct_decode(buf + ps, s + l - ps);
		f->n++;
	}
	return 0;
bad:
	snprintf(err, errlen, "line %zu: not 'URL LENGTH FILEPATH'", lineno);
	bag_fetch_free(f);
	return -1;
}

void
bag_fetch_free(struct bag_fetch *f)
{
	size_t	 i;

	for (i = 0; i < f->n; i++) {
		free(f->l[i].url);
		free(f->l[i].path);
	}
	free(f->l);
	memset(f, 0, sizeof(*f));
}

/* bagit.txt: exactly the two declarations, in order, no BOM (RFC 8493 §2.1.1). */
int
bag_parse_bagit(const char *buf, size_t len, char *ver, size_t verlen,
    char *err, size_t errlen)
{
	size_t	 pos = 0, s, l, n = 0, i;
	char	 line[2][128];

	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		snprintf(err, errlen, "bagit.txt begins with a byte-order mark");
		return -1;
	}
	while (next_line(buf, len, &pos, &s, &l)) {
		if (n == 2 || l >= sizeof(line[0])) {
			snprintf(err, errlen, "bagit.txt must hold exactly two lines");
			return -1;
		}
		memcpy(line[n], buf + s, l);
		line[n++][l] = '\0';
	}
	if (n != 2) {
		snprintf(err, errlen, "bagit.txt must hold exactly two lines");
		return -1;
	}
	if (strncmp(line[0], "BagIt-Version: ", 15) != 0) {
		snprintf(err, errlen, "bagit.txt: first line is not 'BagIt-Version: M.N'");
		return -1;
	}
	for (i = 15; line[0][i] != '\0'; i++)
		if (!isdigit((unsigned char)line[0][i]) && line[0][i] != '.')
			break;
	if (line[0][i] != '\0' || i == 15) {
		snprintf(err, errlen, "bagit.txt: bad version '%s'", line[0] + 15);
		return -1;
	}
	snprintf(ver, verlen, "%s", line[0] + 15);
	if (strcmp(line[1], "Tag-File-Character-Encoding: UTF-8") != 0) {
		snprintf(err, errlen, "bagit.txt: second line is not "
		    "'Tag-File-Character-Encoding: UTF-8'");
		return -1;
	}
	return 0;
}

/* Labels map to arrays: a label may repeat (RFC 8493 §2.2.2). */
json_t *
bag_parse_info(const char *buf, size_t len, char *err, size_t errlen)
{
	json_t	*o = json_object(), *last = NULL, *arr;
	size_t	 pos = 0, s, l, c, lineno = 0;
	char	*label, *val;
	bool	 lossy;

	while (next_line(buf, len, &pos, &s, &l)) {
		lineno++;
		if (l == 0)
			continue;
		if ((buf[s] == ' ' || buf[s] == '\t') && last != NULL) {
			/* continuation: folded into the previous value */
			size_t	 ol = strlen(json_string_value(last));
			char	*joined = cb_xmalloc(ol + l + 1);

			memcpy(joined, json_string_value(last), ol);
			memcpy(joined + ol, buf + s, l);
			val = u8_repair(joined, ol + l, &c, &lossy);
			json_string_set(last, val);
			free(val);
			free(joined);
			continue;
		}
		for (c = s; c < s + l && buf[c] != ':'; c++)
			;
		if (c == s + l || c == s) {
			snprintf(err, errlen, "bag-info.txt line %zu: no label",
			    lineno);
			json_decref(o);
			return NULL;
		}
		label = u8_repair(buf + s, c - s, &(size_t){0}, &lossy);
		c++;
		while (c < s + l && (buf[c] == ' ' || buf[c] == '\t'))
			c++;
		val = u8_repair(buf + c, s + l - c, &(size_t){0}, &lossy);
		if ((arr = json_object_get(o, label)) == NULL) {
			arr = json_array();
			json_object_set_new(o, label, arr);
		}
		last = json_string(val);
		json_array_append_new(arr, last);
		free(label);
		free(val);
	}
	return o;
}
